"""Reductions over ``dim`` (an int, a tuple, or None for all) with ``keepdim``."""
import builtins
from collections import namedtuple

import numpy as np

from .. import dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _check_dim, register
from .elementwise import exp, float_input, isfinite, log, where
from .shape import broadcast_to, flip, reshape, squeeze

values_indices = namedtuple("values_indices", ["values", "indices"])


def _axes(op, x, dim):
    """``dim`` as a sorted tuple of non-negative axes (None or () means all, as in torch)."""
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(x.ndim))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    axes = tuple(sorted({_check_dim(d, x.ndim, op) for d in dims}))
    return tuple(a for a in axes if a < x.ndim) if x.ndim else ()


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _expand_back(gy, shape, axes, keepdim):
    """gy (a reduction's gradient) broadcast back over the reduced axes to ``shape``."""
    if not keepdim:
        gy = gy.reshape(_kept_shape(shape, axes))
    return broadcast_to(gy, shape)


class Sum(Function):
    array_backward = True

    def forward(self, x, axes, keepdim, dtype):
        self.src, self.axes, self.keepdim = x.shape, axes, keepdim
        return np.sum(x, axis=axes, keepdims=keepdim, dtype=dtype)

    def backward(self, gy):
        return _expand_back(gy, self.src, self.axes, self.keepdim)


@register("sum")
def sum(x, dim=None, keepdim=False, dtype=None):  # noqa: A001  (torch.sum)
    """Sum over ``dim``; integer and bool inputs sum to int64."""
    dtype = dtypes.as_dtype(dtype)
    if dtype is None and x.dtype.kind in "biu":
        dtype = dtypes.int64
    return Sum.apply(x, axes=_axes("sum", x, dim), keepdim=keepdim, dtype=dtype)


def _floating(op, x):
    if x.dtype.kind != "f":
        raise TypeError(f"{op}: needs a floating point tensor, got {dtypes.dtype_name(x.dtype)}; "
                        f"convert it with .float()")


@register("mean")
def mean(x, dim=None, keepdim=False):
    """Mean over ``dim`` (NaN for an empty reduction, like PyTorch)."""
    _floating("mean", x)
    axes = _axes("mean", x, dim)
    n = int(np.prod([x.shape[a] for a in axes]))
    total = sum(x, axes, keepdim)
    return total * (1.0 / n) if n else total * float("nan")


@register("var")
def var(x, dim=None, keepdim=False, correction=1, unbiased=None):
    """Variance over ``dim``, dividing by N - correction (correction=1: the sample variance)."""
    _floating("var", x)
    if unbiased is not None:
        correction = int(unbiased)
    axes = _axes("var", x, dim)
    n = int(np.prod([x.shape[a] for a in axes]))
    d = x - mean(x, axes, keepdim=True)
    ss = sum(d * d, axes, keepdim)
    dof = n - correction
    return ss * (1.0 / dof) if dof > 0 else ss * float("inf" if n else "nan")


class _Root(Function):
    """s ** (1/p) for std and norm: its gradient is 0 where s is 0 (a constant slice, a zero
    vector) instead of NaN, as in PyTorch."""

    def forward(self, s, p):
        self.p = p
        self.y = np.sqrt(s) if p == 2 else s ** (1.0 / p)
        return self.y

    def backward(self, gy):
        s = self.inputs[0]
        zero = s == 0
        return where(zero, 0, gy * self.output(self.y) / (self.p * where(zero, 1, s)))


@register("std")
def std(x, dim=None, keepdim=False, correction=1, unbiased=None):
    """Standard deviation: sqrt of ``var`` with the same arguments; the gradient of a constant
    slice is 0 (not NaN), as in PyTorch."""
    return _Root.apply(var(x, dim, keepdim, correction, unbiased), p=2)


class _Extreme(Function):
    """amax / amin; the gradient is shared evenly among tied extremes (as in PyTorch)."""
    ufunc = None

    def forward(self, x, axes, keepdim):
        self.src, self.axes, self.keepdim = x.shape, axes, keepdim
        self.y = self.ufunc.reduce(x, axis=axes, keepdims=True)
        return self.y if keepdim else self.y.reshape([s for i, s in enumerate(x.shape)
                                                      if i not in axes])

    def backward(self, gy):
        x = self.inputs[0]
        hit = (x == Tensor._make(self.y, False, None)).to(gy.dtype)
        count = sum(hit, self.axes, keepdim=True)
        return _expand_back(gy, self.src, self.axes, self.keepdim) * hit / count


class Amax(_Extreme):
    ufunc = np.maximum


class Amin(_Extreme):
    ufunc = np.minimum


def _extreme(op, cls, x, dim, keepdim):
    axes = _axes(op, x, dim)
    if builtins.any(x.shape[a] == 0 for a in axes) or (not axes and x.numel() == 0):
        raise ValueError(f"{op}: can't reduce over an empty dimension (shape "
                         f"{tuple(x.shape)}, dim {dim}); there is no identity")
    return cls.apply(x, axes=axes, keepdim=keepdim)


@register("amax")
def amax(x, dim=None, keepdim=False):
    """Largest value over ``dim``."""
    return _extreme("amax", Amax, x, dim, keepdim)


@register("amin")
def amin(x, dim=None, keepdim=False):
    """Smallest value over ``dim``."""
    return _extreme("amin", Amin, x, dim, keepdim)


def _arg(op, fn, x, dim, keepdim):
    if x.numel() == 0:
        raise ValueError(f"{op}: can't reduce an empty tensor of shape {tuple(x.shape)}")
    if dim is None:
        out = np.asarray(fn(x.data.reshape(-1)))
        return Tensor._make(out.reshape((1,) * x.ndim) if keepdim else out, False, None)
    d = _check_dim(dim, x.ndim, op)
    out = fn(x.data, axis=d, keepdims=keepdim) if x.ndim else fn(x.data)
    return Tensor._make(np.asarray(out, dtype=dtypes.int64), False, None)


@register("argmax")
def argmax(x, dim=None, keepdim=False):
    """Index of the largest value (of the flattened tensor when ``dim`` is None)."""
    return _arg("argmax", np.argmax, x, dim, keepdim)


@register("argmin")
def argmin(x, dim=None, keepdim=False):
    """Index of the smallest value (of the flattened tensor when ``dim`` is None)."""
    return _arg("argmin", np.argmin, x, dim, keepdim)


def _with_indices(op, pick, argfn, x, dim, keepdim):
    from .index import gather
    if dim is None:
        return pick(x)
    if x.ndim == 0:
        return values_indices(x, Tensor._make(np.zeros((), dtypes.int64), False, None))
    idx = argfn(x, dim, keepdim=True)
    values = gather(x, dim, idx)
    if not keepdim:
        values, idx = squeeze(values, dim), squeeze(idx, dim)
    return values_indices(values, idx)


@register("max")
def max(x, dim=None, keepdim=False):  # noqa: A001  (torch.max)
    """The largest value; with ``dim``, a (values, indices) pair along it.

    ``max(a, b)`` with a tensor second argument is ``maximum``. Along ``dim`` the gradient goes
    to the returned index; without ``dim`` it is shared among ties.
    """
    if isinstance(dim, Tensor):
        from .elementwise import maximum
        return maximum(x, dim)
    return _with_indices("max", amax, argmax, x, dim, keepdim)


@register("min")
def min(x, dim=None, keepdim=False):  # noqa: A001  (torch.min)
    """The smallest value; with ``dim``, a (values, indices) pair along it (see ``max``)."""
    if isinstance(dim, Tensor):
        from .elementwise import minimum
        return minimum(x, dim)
    return _with_indices("min", amin, argmin, x, dim, keepdim)


class Prod(Function):
    def forward(self, x, axes, keepdim):
        self.src, self.axes, self.keepdim = x.shape, axes, keepdim
        self.y = np.prod(x, axis=axes, keepdims=True)
        return self.y if keepdim else self.y.reshape([s for i, s in enumerate(x.shape)
                                                      if i not in axes])

    def backward(self, gy):
        # d prod / d x_i = product of the others: y / x_i where x_i != 0; where x_i is the only
        # zero in its slice, the product of the rest; where there are two zeros or more, 0.
        x = self.inputs[0]
        zero = x == 0
        safe = where(zero, 1, x)
        y = self.output(self.y) if self.keepdim else reshape(self.output(self.y),
                                                             _kept_shape(self.src, self.axes))
        rest = prod(safe, self.axes, keepdim=True)
        count = sum(zero, self.axes, keepdim=True)
        at_zero = where(count == 1, rest, 0)
        if (count.data == 2).any():
            # with exactly two zeros, x_i's product of the others is (the other zero) * rest:
            # 0 in value, but its derivative (second order) is rest, not 0
            other_zero = sum(where(zero, x, 0), self.axes, keepdim=True) - x
            at_zero = where(count == 2, other_zero * rest, at_zero)
        others = where(zero, at_zero, y / safe)
        return _expand_back(gy, self.src, self.axes, self.keepdim) * others


@register("prod")
def prod(x, dim=None, keepdim=False):
    """Product over ``dim``; the gradient is exact where inputs are zero."""
    return Prod.apply(x, axes=_axes("prod", x, dim), keepdim=keepdim)


@register("logsumexp")
def logsumexp(x, dim=None, keepdim=False):
    """log(sum(exp(x))) over ``dim``, computed without overflow."""
    x = float_input(x)
    axes = _axes("logsumexp", x, dim)
    m = Tensor._make(np.max(x.data, axis=axes, keepdims=True) if x.numel() else
                     np.zeros(_kept_shape(x.shape, axes), x.dtype), False, None)
    m = where(isfinite(m), m, 0)  # all -inf (or inf) slices: no shift
    out = log(sum(exp(x - m), axes, keepdim=True)) + m
    return out if keepdim else reshape(out, [s for i, s in enumerate(x.shape) if i not in axes])


class Cumsum(Function):
    def forward(self, x, axis):
        self.axis = axis
        return np.cumsum(x, axis=axis, dtype=dtypes.int64 if x.dtype.kind in "biu" else None)

    def backward(self, gy):
        return flip(cumsum(flip(gy, self.axis), self.axis), self.axis)


@register("cumsum")
def cumsum(x, dim):
    """Running sum along ``dim``."""
    if x.ndim == 0:
        return x.clone()
    return Cumsum.apply(x, axis=_check_dim(dim, x.ndim, "cumsum"))


@register("all")
def all(x, dim=None, keepdim=False):  # noqa: A001  (torch.all)
    """Whether every element (over ``dim``) is nonzero, as a bool tensor."""
    return Tensor._make(np.asarray(np.all(x.data, axis=_axes("all", x, dim), keepdims=keepdim)),
                        False, None)


@register("any")
def any(x, dim=None, keepdim=False):  # noqa: A001  (torch.any)
    """Whether some element (over ``dim``) is nonzero, as a bool tensor."""
    return Tensor._make(np.asarray(np.any(x.data, axis=_axes("any", x, dim), keepdims=keepdim)),
                        False, None)


@register("norm")
def norm(x, p=2, dim=None, keepdim=False):
    """The p-norm over ``dim`` (p = 1, 2, inf or any positive number)."""
    x = float_input(x)
    if p == 2:
        return _Root.apply(sum(x * x, dim, keepdim), p=2)
    if p == 1:
        return sum(x.abs(), dim, keepdim)
    if p == float("inf"):
        return amax(x.abs(), dim, keepdim)
    if p <= 0:
        raise ValueError(f"norm: p must be positive, got {p}")
    return _Root.apply(sum(x.abs() ** p, dim, keepdim), p=p)

