"""Op-table rows for more indexing and layout ops: select, select_scatter, slice_scatter, index_put,
scatter_reduce, as_strided, moveaxis, diagflat, ... (see op_table.py)."""

from .op_table import BCAST, DOMAINS, UNARY, op  # noqa: F401
