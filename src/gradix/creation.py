"""Tensor creation: constants, ranges, identity and random tensors."""
import numpy as np

from . import backend, dtypes, random
from .ops._errors import prefixed, require_int, require_number, require_tensors
from .ops.shape import _shape_arg
from .tensor import Tensor, as_fill_value


def _new(array, requires_grad, device):
    array = backend.to_device(array, device)
    t = Tensor._make(array, False, None)
    return t.requires_grad_(True) if requires_grad else t


def _float_dtype(dtype):
    return dtypes.as_dtype(dtype) or dtypes.default_float


def _size(op, sizes, size):
    """The shape given as f(2, 3), f((2, 3)) or f(size=(2, 3)), like PyTorch."""
    if size is not None:
        if sizes:
            raise TypeError(f"{op}: got the size twice, {sizes} and size={size}; pass it once")
        sizes = (size,)
    return _shape_arg(op, sizes)


def _size_error(op, shape, error):
    """The error for a NumPy constructor that refused ``shape`` (raised from its except)."""
    if any(s < 0 for s in shape):
        return ValueError(f"{op}: sizes must be non-negative, got {shape}")
    return prefixed(op, error, f" (shape {shape})")


def _filled(op, make, sizes, size, dtype, requires_grad, device):
    """A new tensor from ``make(shape, dtype)`` (np.zeros, np.ones or np.empty)."""
    shape = _size(op, sizes, size)
    try:
        array = make(shape, _float_dtype(dtype))
    except ValueError as e:
        raise _size_error(op, shape, e) from None
    return _new(array, requires_grad, device)


def zeros(*sizes, size=None, dtype=None, requires_grad=False, device=None):
    """A tensor of zeros; size as zeros(2, 3), zeros((2, 3)) or zeros(size=(2, 3))."""
    return _filled("zeros", np.zeros, sizes, size, dtype, requires_grad, device)


def ones(*sizes, size=None, dtype=None, requires_grad=False, device=None):
    """A tensor of ones."""
    return _filled("ones", np.ones, sizes, size, dtype, requires_grad, device)


def empty(*sizes, size=None, dtype=None, requires_grad=False, device=None):
    """An uninitialized tensor (its values are arbitrary)."""
    return _filled("empty", np.empty, sizes, size, dtype, requires_grad, device)


def full(size, fill_value, dtype=None, requires_grad=False, device=None):
    """A tensor filled with ``fill_value`` (its dtype inferred from the value like PyTorch)."""
    shape = _shape_arg("full", (size,))
    if dtype is None:
        dtype = dtypes.result_type(fill_value)
    try:
        array = np.full(shape, as_fill_value("full", fill_value, dtypes.as_dtype(dtype)))
    except (ValueError, TypeError) as e:
        require_number("full", "fill_value", fill_value)
        raise _size_error("full", shape, e) from None
    return _new(array, requires_grad, device)


def _like(op, x, dtype):
    """The dtype of ``op(x, dtype=dtype)``: ``dtype``, else x's (checked to be a tensor)."""
    try:
        own = x.dtype
    except AttributeError:
        require_tensors(op, input=x)
        raise
    return dtypes.as_dtype(dtype) or own


def zeros_like(x, dtype=None, requires_grad=False):
    dtype = _like("zeros_like", x, dtype)
    return _new(np.zeros(x.shape, dtype), requires_grad, x.device)


def ones_like(x, dtype=None, requires_grad=False):
    dtype = _like("ones_like", x, dtype)
    return _new(np.ones(x.shape, dtype), requires_grad, x.device)


def full_like(x, fill_value, dtype=None, requires_grad=False):
    dtype = _like("full_like", x, dtype)
    try:
        array = np.full(x.shape, as_fill_value("full_like", fill_value, dtype))
    except (ValueError, TypeError):
        require_number("full_like", "fill_value", fill_value)
        raise
    return _new(array, requires_grad, x.device)


def empty_like(x, dtype=None, requires_grad=False):
    dtype = _like("empty_like", x, dtype)
    return _new(np.empty(x.shape, dtype), requires_grad, x.device)


def arange(start, end=None, step=1, dtype=None, requires_grad=False, device=None):
    """Values from start (default 0) up to, not including, end, spaced by step; int64 when all
    arguments are integers, else float32.

    With an integer dtype the arguments are truncated toward zero first, as PyTorch does for
    int64: ``arange(-2.5, 2, dtype=int64)`` is [-2, -1, 0, 1], and a step of 0.5 is a step of
    0 (an error). Raises ValueError for a zero step or an end on the wrong side of start.
    """
    if end is None:
        start, end = 0, start
    try:
        return _arange(start, end, step, dtype, requires_grad, device)
    except (TypeError, ValueError, OverflowError):
        for name, value in (("start", start), ("end", end), ("step", step)):
            require_number("arange", name, value)
        if not all(np.isfinite([start, end, step])):
            raise ValueError(f"arange: start, end and step must be finite, got start={start}, "
                             f"end={end}, step={step}") from None
        raise


def _arange(start, end, step, dtype, requires_grad, device):
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = dtypes.int64 if ints else dtypes.default_float
    dtype = dtypes.as_dtype(dtype)
    if dtype.kind == "b":
        raise TypeError("arange: dtype gradix.bool is not supported; use an integer or "
                        "floating dtype")
    integer = dtype.kind in "iu"
    if (int(step) if integer else step) == 0:
        raise ValueError(f"arange: step must be nonzero, got {step}"
                         + (f" (it truncates to 0 for {dtypes.dtype_name(dtype)})"
                            if integer and step else ""))
    if (end - start) * step < 0:
        raise ValueError(f"arange: end ({end}) is on the wrong side of start ({start}) for "
                         f"step {step}; use end >= start for a positive step, end <= start "
                         f"for a negative one")
    if integer:  # exact in int64, then wrapped to narrower types (uint8 wraps like torch's)
        array = np.arange(int(start), int(end), int(step), dtype=dtypes.int64).astype(dtype)
    else:
        n = max(int(np.ceil((end - start) / step)), 0)
        array = (start + step * np.arange(n, dtype=np.float64)).astype(dtype)
    return _new(array, requires_grad, device)


def linspace(start, end, steps, dtype=None, requires_grad=False, device=None):
    """``steps`` evenly spaced values from start to end, both included. An integer dtype
    truncates start and end toward zero first, then the values, as torch does."""
    try:
        if steps < 0:
            raise ValueError(f"linspace: number of steps must be non-negative, got {steps}")
        if dtype is not None and dtypes.as_dtype(dtype).kind in "iu":
            start, end = np.trunc(np.asarray(start)), np.trunc(np.asarray(end))
        array = np.linspace(start, end, steps)
    except TypeError:
        require_int("linspace", "steps", steps)
        require_number("linspace", "start", start)
        require_number("linspace", "end", end)
        raise
    return _new(array.astype(_float_dtype(dtype)), requires_grad, device)


def eye(n, m=None, dtype=None, requires_grad=False, device=None):
    """The n x m identity matrix (m defaults to n)."""
    try:
        array = np.eye(n, m, dtype=_float_dtype(dtype))
    except (TypeError, ValueError):
        require_int("eye", "n", n, minimum=0)
        if m is not None:
            require_int("eye", "m", m, minimum=0)
        raise
    return _new(array, requires_grad, device)


# ---------------------------------------------------------------------- random
def _sampled(op, sample, shape, dtype, requires_grad, device):
    """A new tensor of ``sample(generator, shape)`` (a NumPy Generator method) in ``dtype``,
    which must be floating, as in torch."""
    dtype = _float_dtype(dtype)
    if dtype.kind != "f":
        raise NotImplementedError(f"{op}: not implemented for {dtypes.dtype_name(dtype)} tensors "
                                  f"(as in PyTorch); use a floating dtype, or randint for "
                                  f"integers")
    try:
        array = sample(random.generator(), shape)
    except ValueError as e:
        raise _size_error(op, shape, e) from None
    return _new(array.astype(dtype), requires_grad, device)


def rand(*sizes, size=None, dtype=None, requires_grad=False, device=None):
    """Uniform samples in [0, 1) from gradix's seeded generator."""
    return _sampled("rand", np.random.Generator.random, _size("rand", sizes, size), dtype,
                    requires_grad, device)


def randn(*sizes, size=None, dtype=None, requires_grad=False, device=None):
    """Standard normal samples from gradix's seeded generator."""
    return _sampled("randn", np.random.Generator.standard_normal, _size("randn", sizes, size),
                    dtype, requires_grad, device)


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
    if dtype.kind in "biu":  # as in torch, where NumPy would wrap the values around
        lowest, top = (0, 1) if dtype.kind == "b" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
        if low < lowest or high - 1 > top:
            raise ValueError(f"randint: the range [{low}, {high}) doesn't fit in "
                             f"{dtypes.dtype_name(dtype)} (from {lowest} to {top})")
    try:
        array = random.generator().integers(low, high, shape)
    except ValueError as e:
        raise _size_error("randint", shape, e) from None
    return _new(array.astype(dtype), False, device)


def rand_like(x, dtype=None, requires_grad=False):
    dtype = _like("rand_like", x, dtype)
    return _sampled("rand_like", np.random.Generator.random, x.shape, dtype, requires_grad,
                    x.device)


def randn_like(x, dtype=None, requires_grad=False):
    dtype = _like("randn_like", x, dtype)
    return _sampled("randn_like", np.random.Generator.standard_normal, x.shape, dtype,
                    requires_grad, x.device)


def randperm(n, dtype=None, device=None):
    """A random permutation of 0..n-1 (``n`` an int or a 0-d integer tensor), int64 unless
    ``dtype`` says otherwise; n - 1 must fit in ``dtype``."""
    if isinstance(n, Tensor) and n.ndim == 0 and n.dtype.kind in "iu":
        n = n.item()
    if isinstance(n, bool):
        raise TypeError(f"randperm: n must be an int, got {n!r} (bool)")
    require_int("randperm", "n", n, minimum=0)  # NumPy would permute nothing for n < 0
    dtype = dtypes.as_dtype(dtype) or dtypes.int64
    if dtype.kind == "b":
        raise NotImplementedError("randperm: not implemented for bool (as in PyTorch); use an "
                                  "integer or floating dtype")
    if dtype.kind in "iu" and n - 1 > np.iinfo(dtype).max:
        raise ValueError(f"randperm: n = {n} doesn't fit in {dtypes.dtype_name(dtype)}; use a "
                         f"wider integer or a floating dtype")
    return _new(random.generator().permutation(n).astype(dtype), False, device)



def randint_like(x, low=0, high=None, *, dtype=None, requires_grad=False):
    """Integers in [low, high) in a tensor of x's shape and dtype (``randint_like(x, high)``
    means low = 0)."""
    if high is None:
        low, high = 0, low
    dtype = _like("randint_like", x, dtype)
    for name, value in (("low", low), ("high", high)):
        require_int("randint_like", name, value)
    if high <= low:
        raise RuntimeError(f"randint_like: expects low to be less than high, but got "
                           f"low={low} >= high={high}")
    array = random.generator().integers(low, high, x.shape).astype(dtype)
    return _new(array, requires_grad, x.device)


def logspace(start, end, steps, base=10.0, dtype=None, requires_grad=False, device=None):
    """``steps`` values from base ** start to base ** end, their exponents evenly spaced."""
    try:
        if steps < 0:
            raise RuntimeError(f"logspace: number of steps must be non-negative, got {steps}")
        array = np.power(float(base), np.linspace(start, end, steps))
    except TypeError:
        require_int("logspace", "steps", steps)
        require_number("logspace", "start", start)
        require_number("logspace", "end", end)
        require_number("logspace", "base", base)
        raise
    return _new(array.astype(_float_dtype(dtype)), requires_grad, device)
