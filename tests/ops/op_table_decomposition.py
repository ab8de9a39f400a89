"""Op-table rows for gradix.linalg: determinants, inverses, solves and decompositions (see
op_table.py)."""

from .op_table import BCAST, DOMAINS, UNARY, op  # noqa: F401
