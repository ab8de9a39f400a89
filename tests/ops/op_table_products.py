"""Op-table rows for the products beyond matmul: addmm, baddbmm, mv, inner, vdot, ger, kron,
tensordot, cross, block_diag, cdist, dist (see op_table.py)."""

from .op_table import BCAST, DOMAINS, UNARY, op  # noqa: F401
