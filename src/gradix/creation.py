"""Tensor creation: constants, ranges, identity and random tensors."""
import numpy as np

from . import backend, dtypes, random
from .tensor import Tensor
from .ops.shape import _shape_arg


def _new(array, requires_grad, device):
    array = backend.to_device(array, device)
    t = Tensor._make(array, False, None)
    return t.requires_grad_(True) if requires_grad else t


def _float_dtype(dtype):
    return dtypes.as_dtype(dtype) or dtypes.default_float


def zeros(*size, dtype=None, requires_grad=False, device=None):
    """A tensor of zeros; size as zeros(2, 3) or zeros((2, 3))."""
    shape = _shape_arg("zeros", size)
    return _new(np.zeros(shape, _float_dtype(dtype)), requires_grad,
                device)


def ones(*size, dtype=None, requires_grad=False, device=None):
    """A tensor of ones."""
    shape = _shape_arg("ones", size)
    return _new(np.ones(shape, _float_dtype(dtype)), requires_grad, device)


def empty(*size, dtype=None, requires_grad=False, device=None):
    """An uninitialized tensor (its values are arbitrary)."""
    shape = _shape_arg("empty", size)
    return _new(np.empty(shape, _float_dtype(dtype)), requires_grad,
                device)


def full(size, fill_value, dtype=None, requires_grad=False, device=None):
    """A tensor filled with ``fill_value`` (its dtype inferred from the value like PyTorch)."""
    shape = _shape_arg("full", (size,))
    if dtype is None:
        dtype = dtypes.result_type(fill_value)
    return _new(np.full(shape, fill_value, dtypes.as_dtype(dtype)), requires_grad,
                device)


def _like(x, dtype):
    return dtypes.as_dtype(dtype) or x.dtype


def zeros_like(x, dtype=None, requires_grad=False):
    return _new(np.zeros(x.shape, _like(x, dtype)), requires_grad, x.device)


def ones_like(x, dtype=None, requires_grad=False):
    return _new(np.ones(x.shape, _like(x, dtype)), requires_grad, x.device)


def full_like(x, fill_value, dtype=None, requires_grad=False):
    return _new(np.full(x.shape, fill_value, _like(x, dtype)), requires_grad,
                x.device)


def empty_like(x, dtype=None, requires_grad=False):
    return _new(np.empty(x.shape, _like(x, dtype)), requires_grad, x.device)


def arange(start, end=None, step=1, dtype=None, requires_grad=False, device=None):
    """Values from start (default 0) up to, not including, end, spaced by step; int64 when all
    arguments are integers, else float32."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = dtypes.int64 if ints else dtypes.default_float
    dtype = dtypes.as_dtype(dtype)
    n = max(int(np.ceil((end - start) / step)), 0)
    array = (start + step * np.arange(n, dtype=np.float64)).astype(dtype) if dtype.kind == "f" \
        else np.arange(start, end, step, dtype=dtype)
    return _new(array, requires_grad, device)


def linspace(start, end, steps, dtype=None, requires_grad=False, device=None):
    """``steps`` evenly spaced values from start to end, both included."""
    if steps < 0:
        raise ValueError(f"linspace: number of steps must be non-negative, got {steps}")
    dtype = _float_dtype(dtype)
    return _new(np.linspace(start, end, steps).astype(dtype), requires_grad,
                device)


def eye(n, m=None, dtype=None, requires_grad=False, device=None):
    """The n x m identity matrix (m defaults to n)."""
    return _new(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad,
                device)


# ---------------------------------------------------------------------- random
def rand(*size, dtype=None, requires_grad=False, device=None):
    """Uniform samples in [0, 1) from gradix's seeded generator."""
    shape = _shape_arg("rand", size)
    dtype = _float_dtype(dtype)
    return _new(random.generator().random(shape).astype(dtype), requires_grad,
                device)


def randn(*size, dtype=None, requires_grad=False, device=None):
    """Standard normal samples from gradix's seeded generator."""
    shape = _shape_arg("randn", size)
    dtype = _float_dtype(dtype)
    return _new(random.generator().standard_normal(shape).astype(dtype),
                requires_grad, device)


def randint(low, high=None, size=None, dtype=None, device=None):
    """Integers in [low, high) (``randint(high, size)`` means low = 0), int64 by default."""
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError("randint: size is required, e.g. randint(0, 10, (3,))")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(f"randint: high ({high}) must be greater than low ({low})")
    shape = _shape_arg("randint", (size,))
    dtype = dtypes.as_dtype(dtype) or dtypes.int64
    return _new(random.generator().integers(low, high, shape).astype(dtype),
                False, device)


def rand_like(x, dtype=None, requires_grad=False):
    return rand(x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad, device=x.device)


def randn_like(x, dtype=None, requires_grad=False):
    return randn(x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad, device=x.device)


def randperm(n, dtype=None, device=None):
    """A random permutation of 0..n-1."""
    return _new(random.generator().permutation(n).astype(
        dtypes.as_dtype(dtype) or dtypes.int64), False, device)

