"""Op-table rows for more elementwise and special functions: addcmul, addcdiv, lgamma, digamma,
logit, sinc, heaviside, float_power, ... (see op_table.py)."""

from .op_table import BCAST, DOMAINS, UNARY, op  # noqa: F401
