"""Diagonals and triangles of matrices: diag, diagonal, diag_embed, trace, tril, triu.

diagonal and diag_embed are each other's adjoint, and a triangle mask is its own, so every
backward here is one of these ops again."""
import operator

import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import _check_dim, register
from ._errors import require_int, require_tensors
from .elementwise import where
from .shape import _require_ndim, reshape

__all__ = ["diag", "diag_embed", "diagflat", "diagonal", "diagonal_scatter", "trace", "tril",
           "triu"]


class Diagonal(Function):
    array_backward = True

    def forward(self, x, offset, dim1, dim2):
        self.src, self.params = x.shape, {"offset": offset, "dim1": dim1, "dim2": dim2}
        return np.diagonal(x, offset, dim1, dim2).copy()  # NumPy's is a read-only view

    def backward(self, gy):
        return DiagEmbed.call(gy, shape=self.src, **self.params)


class DiagEmbed(Function):
    """zeros(shape) with y's last dimension written on diagonal ``offset`` of dims dim1, dim2
    (the other dimensions of ``shape`` are y's leading ones, in order)."""
    array_backward = True

    def forward(self, y, shape, offset, dim1, dim2):
        self.params = {"offset": offset, "dim1": dim1, "dim2": dim2}
        xp = backend.array_module(y)
        out = xp.zeros(shape, y.dtype)
        i = xp.arange(y.shape[-1])
        rows, cols = i + max(-offset, 0), i + max(offset, 0)
        xp.moveaxis(out, (dim1, dim2), (-2, -1))[..., rows, cols] = y  # a view: writes to out
        return out

    def backward(self, ggx):
        return Diagonal.call(ggx, **self.params)


def _dim_pair(op, dim1, dim2, ndim):
    d1, d2 = _check_dim(dim1, ndim, op), _check_dim(dim2, ndim, op)
    if d1 == d2:
        raise ValueError(f"{op}: dim1 and dim2 must be different dimensions, got {dim1} and "
                         f"{dim2} for {ndim} dimensions")
    return d1, d2


@register("diagonal")
def diagonal(x, offset=0, dim1=0, dim2=1):
    """The entries x[..., i, i + offset] of dims dim1 and dim2 (rows i - offset for a
    negative offset): those two dimensions are removed and the diagonal, of length
    max(0, min(rows - max(-offset, 0), cols - max(offset, 0))), becomes the last."""
    try:
        d1, d2 = _dim_pair("diagonal", dim1, dim2, x.ndim)
        return Diagonal.apply(x, offset=operator.index(offset), dim1=d1, dim2=d2)
    except Exception:
        require_tensors("diagonal", input=x)
        require_int("diagonal", "offset", offset)
        raise


@register("diag_embed")
def diag_embed(x, offset=0, dim1=-2, dim2=-1):
    """Matrices with x's last dimension (size n) on diagonal ``offset`` and zeros
    elsewhere: shape x.shape[:-1] with two dimensions of size n + |offset| inserted at
    dim1 and dim2 (counted in the result's ndim + 1 dimensions)."""
    try:
        offset = operator.index(offset)
        d1, d2 = _dim_pair("diag_embed", dim1, dim2, x.ndim + 1)
        m = x.shape[-1] + abs(offset)
        shape = list(x.shape[:-1])
        for d in sorted((d1, d2)):
            shape.insert(d, m)
        return DiagEmbed.apply(x, shape=tuple(shape), offset=offset, dim1=d1, dim2=d2)
    except Exception:
        require_tensors("diag_embed", input=x)
        require_int("diag_embed", "offset", offset)
        raise


@register("diagonal_scatter")
def diagonal_scatter(x, src, offset=0, dim1=0, dim2=1):
    """x with ``src`` written on x.diagonal(offset, dim1, dim2); src has that diagonal's shape
    (cast to x's dtype, as in torch)."""
    try:
        d1, d2 = _dim_pair("diagonal_scatter", dim1, dim2, x.ndim)
        params = {"offset": operator.index(offset), "dim1": d1, "dim2": d2}
        shape = np.diagonal(x.data, params["offset"], d1, d2).shape
        if src.shape != shape:
            raise ValueError(f"diagonal_scatter: expected src to have the shape of the "
                             f"diagonal, {shape}, got {tuple(src.shape)}")
        mask = DiagEmbed.call(backend.array_module(x.data).ones(shape, dtypes.bool_),
                              shape=x.shape, **params)
        return where(mask, DiagEmbed.apply(src.to(x.dtype), shape=x.shape, **params), x)
    except Exception:
        require_tensors("diagonal_scatter", input=x, src=src)
        require_int("diagonal_scatter", "offset", offset)
        raise


@register("diagflat")
def diagflat(x, offset=0):
    """The square matrix with x's entries (read flattened, n of them) on diagonal ``offset``
    and zeros elsewhere: (n + |offset|) on a side."""
    try:
        return diag_embed(reshape(x, -1), offset, 0, 1)
    except Exception:
        require_tensors("diagflat", input=x)
        require_int("diagflat", "offset", offset)
        raise


@register("diag")
def diag(x, diagonal=0):
    """1-D x of size n: the (n + |diagonal|)-square matrix with x on that diagonal
    (above the main one when positive); 2-D x: that diagonal as a vector."""
    try:
        if x.ndim == 1:
            return diag_embed(x, diagonal, 0, 1)
        if x.ndim == 2:
            return Diagonal.apply(x, offset=operator.index(diagonal), dim1=0, dim2=1)
        raise ValueError(f"diag: expects a 1-D or 2-D tensor, got shape {tuple(x.shape)}")
    except Exception:
        require_tensors("diag", input=x)
        require_int("diag", "diagonal", diagonal)
        raise


@register("trace")
def trace(x):
    """Sum of the main diagonal of a matrix (rows and columns may differ); integers sum to
    int64."""
    try:
        if x.ndim != 2:
            raise ValueError(f"trace: expects a matrix, got shape {tuple(x.shape)}")
        if x.dtype == dtypes.bool_:
            raise TypeError("trace: not implemented for bool tensors (as in torch)")
        return Diagonal.apply(x, offset=0, dim1=0, dim2=1).sum()
    except Exception:
        require_tensors("trace", input=x)
        raise


class Tril(Function):
    """The lower triangle (j <= i + k) of the last two dimensions, zeros above."""
    array_backward = True
    triangle = staticmethod(np.tril)

    def forward(self, x, k):
        self.k = k
        return self.triangle(x, k)

    def backward(self, gy):
        return type(self).call(gy, k=self.k)


class Triu(Tril):
    """The upper triangle (j >= i + k) of the last two dimensions, zeros below."""
    triangle = staticmethod(np.triu)


def _triangle(op, fn_class, x, diagonal):
    try:
        _require_ndim(op, x, 2)
        return fn_class.apply(x, k=operator.index(diagonal))
    except Exception:
        require_tensors(op, input=x)
        require_int(op, "diagonal", diagonal)
        raise


@register("tril")
def tril(x, diagonal=0):
    """x with the entries above diagonal ``diagonal`` of the last two dimensions set to
    zero (0 is the main diagonal, positive ones lie above it)."""
    return _triangle("tril", Tril, x, diagonal)


@register("triu")
def triu(x, diagonal=0):
    """x with the entries below diagonal ``diagonal`` of the last two dimensions set to
    zero (0 is the main diagonal, positive ones lie above it)."""
    return _triangle("triu", Triu, x, diagonal)
