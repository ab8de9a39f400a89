"""Op-table rows for statistics, histograms, index helpers and random sampling: quantile, cov,
bincount, histc, isin, tril_indices, ... (see op_table.py)."""

from .op_table import BCAST, DOMAINS, UNARY, op  # noqa: F401
