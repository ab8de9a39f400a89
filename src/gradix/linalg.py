"""gradix.linalg, as torch.linalg: determinants, inverses, solves, decompositions and norms of
matrices and batches of matrices (see ops/decomposition.py), and the products torch.linalg
also names."""
import functools

from .ops.decomposition import det, eigh, eigvalsh, inv, matrix_exp, matrix_norm, matrix_power
from .ops.decomposition import linalg_cholesky as cholesky
from .ops.decomposition import norm, pinv, qr, slogdet, solve, svd, svdvals, vector_norm
from .ops.linalg import cross as _cross
from .ops.linalg import matmul
from .ops.reduce import sum as _sum

__all__ = ["cholesky", "cross", "det", "eigh", "eigvalsh", "inv", "matrix_exp", "matrix_norm",
           "matrix_power", "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "svd",
           "svdvals", "vecdot", "vector_norm"]


def cross(input, other, *, dim=-1):  # noqa: A002  (torch's names)
    """The cross product of 3-vectors along ``dim`` (the last by default); shapes broadcast."""
    return _cross(input, other, dim=dim)


def vecdot(x, y, *, dim=-1):
    """sum(x * y) along ``dim``, the shapes broadcast (real tensors)."""
    return _sum(x * y, dim=dim)


def multi_dot(tensors):
    """tensors[0] @ tensors[1] @ ...: the first may be a vector (1, n) and the last a vector
    (n, 1), the others matrices. Multiplied left to right (torch picks the cheapest order: the
    result is the same up to rounding)."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise ValueError(f"multi_dot: expected at least 2 tensors, got {len(tensors)}")
    inner = [t.ndim for t in tensors[1:-1]]
    if (tensors[0].ndim not in (1, 2) or tensors[-1].ndim not in (1, 2)
            or any(n != 2 for n in inner)):
        raise ValueError(f"multi_dot: the first and last tensors must be 1-D or 2-D and the "
                         f"others 2-D, got dims {[t.ndim for t in tensors]}")
    return functools.reduce(matmul, tensors)
