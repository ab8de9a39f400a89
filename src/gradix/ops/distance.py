"""Distances and similarities between vectors along a dimension: normalize, cosine_similarity,
pairwise_distance (PyTorch's semantics, composed from differentiable ops, so gradients of every
order work)."""
import numpy as np

from .. import dtypes
from ..tensor import Tensor, _check_dim, as_tensor
from .elementwise import _no_kernel, clamp, float_input, floating
from .reduce import norm, sum
from .shape import broadcast_tensors

__all__ = ["normalize", "cosine_similarity", "pairwise_distance"]


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):  # noqa: A002
    """input / max(||input||_p, eps), the p-norm taken along ``dim``."""
    if out is not None:
        raise NotImplementedError("normalize: out= is not supported; use the returned tensor")
    input = floating("normalize", input)
    _check_dim(dim, input.ndim, "normalize")
    return input / clamp(norm(input, p, dim, keepdim=True), min=eps)


def _pair(op, x1, x2):
    """x1 and x2 broadcast together, in their common floating dtype (integer and bool inputs
    are converted when the other is floating; both non-floating are refused, as in torch)."""
    x1, x2 = (t if isinstance(t, Tensor) else as_tensor(t) for t in (x1, x2))
    common = dtypes.result_type(x1.data, x2.data)
    if common.kind != "f":
        _no_kernel(op, common)
    try:
        shape = np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise ValueError(f"{op}: x1 of shape {tuple(x1.shape)} and x2 of shape "
                         f"{tuple(x2.shape)} can't be broadcast together") from None
    x1, x2 = (t if t.dtype == common else t.to(common) for t in (x1, x2))
    if x1.shape != shape or x2.shape != shape:
        x1, x2 = broadcast_tensors(x1, x2)
    return x1, x2


def _clamped_value(n, eps):
    """n with its values raised to at least eps, the gradient passing through as if not (what
    torch's in-place clamp under no_grad does in cosine_similarity)."""
    lift = np.maximum(n.data, eps) - n.data
    return n + Tensor._make(lift, False, None) if (lift != 0).any() else n


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum(x1 / ||x1|| * x2 / ||x2||) along ``dim``, each norm at least ``eps``; x1 and x2
    broadcast together first."""
    x1, x2 = _pair("cosine_similarity", x1, x2)
    _check_dim(dim, x1.ndim, "cosine_similarity")
    n1 = _clamped_value(norm(x1, 2, dim, keepdim=True), eps)
    n2 = _clamped_value(norm(x2, 2, dim, keepdim=True), eps)
    return sum((x1 / n1) * (x2 / n2), dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p along the last dimension (of the broadcast shape)."""
    x1, x2 = (t if isinstance(t, Tensor) else as_tensor(t) for t in (x1, x2))
    if x1.dtype.kind == "b" or x2.dtype.kind == "b":
        _no_kernel("pairwise_distance", np.dtype(bool))
    diff = float_input(x1 - x2) + eps
    return norm(diff, p, -1, keepdim=keepdim)
