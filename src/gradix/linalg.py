"""gradix.linalg, as torch.linalg: determinants, inverses, solves, decompositions and norms of
matrices and batches of matrices (see ops/decomposition.py)."""
from .ops.decomposition import det, eigh, eigvalsh, inv, matrix_exp, matrix_norm, matrix_power
from .ops.decomposition import linalg_cholesky as cholesky
from .ops.decomposition import norm, pinv, qr, slogdet, solve, svd, svdvals, vector_norm

__all__ = ["cholesky", "det", "eigh", "eigvalsh", "inv", "matrix_exp", "matrix_norm",
           "matrix_power", "norm", "pinv", "qr", "slogdet", "solve", "svd", "svdvals",
           "vector_norm"]
