"""Reductions over ``dim`` (an int, a tuple, or None for all) with ``keepdim``."""
import builtins
import math
from collections import namedtuple

import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _check_dim, register
from ._errors import check_dims, require_int, require_tensors
from .elementwise import cast, exp, float_input, isnan, log, ne, where
from .index import _int64, gather
from .shape import broadcast_to, cat, flip, narrow, pad, permute, reshape, squeeze, transpose

values_indices = namedtuple("values_indices", ["values", "indices"])
min_max = namedtuple("min_max", ["min", "max"])


def _axes(op, x, dim):
    """``dim`` as a sorted tuple of non-negative axes (None or () means all, as in torch); each
    dim at most once."""
    try:
        ndim = x.ndim
        if dim is None or (isinstance(dim, (tuple, list)) and not dim):
            return tuple(range(ndim))
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        valid = range(builtins.max(ndim, 1))  # indexing it checks and wraps each dim
        axes = tuple(sorted({valid[d] for d in dims}))
    except Exception:
        require_tensors(op, input=x)
        check_dims(op, dim, x.ndim)
        raise
    if len(axes) != len(dims):
        raise ValueError(f"{op}: dims {tuple(dims)} name a dimension more than once (shape "
                         f"{tuple(x.shape)})")
    return tuple(a for a in axes if a < ndim) if ndim else ()


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _expand_back(gy, shape, axes, keepdim):
    """gy (a reduction's gradient) broadcast back over the reduced axes to ``shape``."""
    if not keepdim:
        gy = gy.reshape(_kept_shape(shape, axes))
    return broadcast_to(gy, shape)


class Sum(Function):
    """sum in ``dtype`` (None: x's); the gradient comes back in x's dtype."""
    array_backward = True
    reduce = staticmethod(np.sum)

    def forward(self, x, axes, keepdim, dtype):
        self.src, self.axes, self.keepdim, self.dtype = x.shape, axes, keepdim, x.dtype
        return self.reduce(x, axis=axes, keepdims=keepdim, dtype=dtype)

    def backward(self, gy):
        if self.dtype.kind == "f" and gy.dtype != self.dtype:
            gy = cast(gy, self.dtype)
        return _expand_back(gy, self.src, self.axes, self.keepdim)


def _accumulate_dtype(x, dtype):
    """The dtype sums and products (cumulative too) compute in: ``dtype`` when given, else
    int64 for integer and bool inputs (as in PyTorch), else None (x's own dtype)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype is None and x.dtype.kind in "biu":
        return dtypes.int64
    return dtype


def _in_accumulate_dtype(x, dtype):
    """x converted to the dtype products and running sums compute in (see _accumulate_dtype):
    a differentiable conversion, so the gradient comes back in x's dtype."""
    dtype = _accumulate_dtype(x, dtype)
    return x if dtype is None or dtype == x.dtype else cast(x, dtype)


@register("sum")
def sum(x, dim=None, keepdim=False, dtype=None):  # noqa: A001  (torch.sum)
    """Sum over ``dim``; integer and bool inputs sum to int64."""
    return Sum.apply(x, axes=_axes("sum", x, dim), keepdim=keepdim,
                     dtype=_accumulate_dtype(x, dtype))


def _floating(op, x):
    try:
        kind = x.dtype.kind
    except AttributeError:
        require_tensors(op, input=x)
        raise
    if kind != "f":
        raise TypeError(f"{op}: needs a floating point tensor, got {dtypes.dtype_name(x.dtype)}; "
                        f"convert it with .float()")


@register("mean")
def mean(x, dim=None, keepdim=False, dtype=None):
    """Mean over ``dim`` (NaN for an empty reduction, like PyTorch); ``dtype`` (a floating
    dtype) converts x first, so integer tensors can be averaged too."""
    try:
        x = _mean_input("mean", x, dtype)
        axes = _axes("mean", x, dim)
        n = int(np.prod([x.shape[a] for a in axes]))
        total = sum(x, axes, keepdim)
        # NaN when empty: added, as a factor NaN would make second derivatives NaN (NaN * 0)
        return total * (1.0 / n) if n else total + float("nan")
    except Exception:
        require_tensors("mean", input=x)
        raise


def _mean_input(op, x, dtype):
    """x for mean and nanmean: converted to ``dtype`` (which must be floating) when given, and
    then checked to be floating."""
    dtype = dtypes.as_dtype(dtype)
    if dtype is not None:
        if dtype.kind != "f":
            raise TypeError(f"{op}: dtype must be a floating point dtype, got "
                            f"{dtypes.dtype_name(dtype)}")
        x = cast(x, dtype) if x.dtype != dtype else x
    _floating(op, x)
    return x


class Nansum(Sum):
    """sum with NaN counted as zero; as torch's, the gradient is gy times (x is not NaN), so
    the NaN elements get 0 (NaN where gy is infinite)."""
    reduce = staticmethod(np.nansum)

    def backward(self, gy):
        x = self.args[0]
        with np.errstate(invalid="ignore"):  # inf * 0 is NaN, as in torch
            return super().backward(gy) * (x == x)


@register("nansum")
def nansum(x, dim=None, keepdim=False, dtype=None):
    """``sum`` with NaN counted as zero."""
    return Nansum.apply(x, axes=_axes("nansum", x, dim), keepdim=keepdim,
                        dtype=_accumulate_dtype(x, dtype))


@register("nanmean")
def nanmean(x, dim=None, keepdim=False, dtype=None):
    """The mean of the elements that aren't NaN over ``dim`` (NaN where there are none);
    ``dtype`` as in ``mean``. Their gradient is gy / count; NaN elements get 0 (NaN in a slice
    of nothing else, as in torch)."""
    try:
        x = _mean_input("nanmean", x, dtype)
        axes = _axes("nanmean", x, dim)
    except Exception:
        require_tensors("nanmean", input=x)
        raise
    count = np.sum(x.data == x.data, axis=axes, keepdims=keepdim)  # of the non-NaN elements
    with np.errstate(divide="ignore", invalid="ignore"):  # 0 / 0 is NaN, as in torch
        scale = Tensor._make((1 / count).astype(x.dtype), False, None)
        return Nansum.apply(x, axes=axes, keepdim=keepdim, dtype=None) * scale


def _correction(op, dim, unbiased, correction):
    """(dim, correction) from torch's forms of var and std: ``var(unbiased)``,
    ``var(dim, unbiased, keepdim)`` and ``var(dim, *, correction, keepdim)``."""
    if isinstance(dim, (bool, np.bool_)):  # var(True): the bool is unbiased, not a dim
        if unbiased is not None:
            raise TypeError(f"{op}: got unbiased twice ({dim} as the first argument and "
                            f"unbiased={unbiased}); use {op}(dim, unbiased, keepdim)")
        dim, unbiased = None, dim
    if unbiased is None:
        return dim, 1 if correction is None else correction
    if correction is not None:
        raise TypeError(f"{op}: pass unbiased or correction, not both (got "
                        f"unbiased={unbiased}, correction={correction})")
    if not isinstance(unbiased, (bool, np.bool_)):
        raise TypeError(f"{op}: unbiased must be a bool, got {unbiased!r}; to divide by "
                        f"N - k, pass correction=k")
    return dim, int(unbiased)


@register("var")
def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance over ``dim``, dividing by N - correction (default 1: the sample variance).

    Takes torch's forms: ``var(unbiased)``, ``var(dim, unbiased, keepdim)`` (unbiased=False
    means correction 0) and ``var(dim, *, correction, keepdim)``.
    """
    return _var("var", x, dim, unbiased, keepdim, correction)[0]


def _var(op, x, dim, unbiased, keepdim, correction, root=False):
    """(var, mean): var's body (std's with ``root``), its errors naming ``op``, and the mean
    it takes (dims kept), whose shape _mean_out makes the one asked for."""
    _floating(op, x)
    dim, correction = _correction(op, dim, unbiased, correction)
    axes = _axes(op, x, dim)
    n = int(np.prod([x.shape[a] for a in axes]))
    dof = n - correction
    m = mean(x, axes, keepdim=True)
    if dof <= 0 and n:
        return _NoDof.apply(x, axes=axes, keepdim=keepdim, dof=dof, root=root,
                            whole=dim is None or x.ndim == 0), m
    d = x - m
    d = d - mean(d, axes, keepdim=True)  # 0 but for m's rounding, which it takes back out
    if root and dof > 0:  # the norm of d, scaled: d * d can underflow where std doesn't
        return Norm2.apply(d, axes=axes, keepdim=keepdim) * (1.0 / math.sqrt(dof)), m
    ss = sum(d * d, axes, keepdim)
    v = ss * (1.0 / dof) if dof > 0 else ss + float("nan")  # no elements: NaN, as in mean
    return _Root.apply(v, p=2) if root else v, m


def _mean_out(op, x, dim, keepdim, m):
    """var_mean's mean m (dims kept) without the dims reduced unless ``keepdim``."""
    if keepdim:
        return m
    axes = _axes(op, x, dim)
    return reshape(m, [s for i, s in enumerate(x.shape) if i not in axes])


class _NoDof(Function):
    """var, or std with ``root``, where N - correction <= 0, as PyTorch computes it.

    The value is ss / 0: inf, or NaN where the slice is constant. The gradients are torch's
    rules with that dof: var's is gy * inf (NaN at elements equal to the mean) when reducing
    over all elements with ``whole`` (dim None, or a 0-d x), else 2 / dof * gy * (x - mean),
    which is finite when dof < 0. std's is var's of gy / (2 * std): NaN or, with dims given
    and dof < 0, 0.
    """

    def forward(self, x, axes, keepdim, dof, root, whole):
        self.axes, self.keepdim, self.dof, self.root, self.whole = axes, keepdim, dof, root, whole
        d = x - x.mean(axis=axes, keepdims=True)
        ss = np.sum(d * d, axis=axes, keepdims=keepdim)
        self.y = np.where(ss > 0, np.inf, np.nan).astype(x.dtype)
        return self.y

    def backward(self, gy):
        x = self.inputs[0]
        with np.errstate(divide="ignore", invalid="ignore"):  # inf * 0 is NaN, as in torch
            if self.root:
                gy = gy / (2 * self.output(self.y))
            gy = _expand_back(gy, x.shape, self.axes, self.keepdim)
            m = mean(x, self.axes, keepdim=True)
            if self.whole:
                return where(x == m, gy * float("nan"), gy * float("inf"))
            return gy * (x - m) * (2 / self.dof if self.dof else float("inf"))


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
def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation: sqrt of ``var`` with the same arguments; the gradient of a constant
    slice is 0 (not NaN), as in PyTorch."""
    return _var("std", x, dim, unbiased, keepdim, correction, root=True)[0]


def var_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) over ``dim``, var taking the same forms of arguments as ``var``."""
    dim, correction = _correction("var_mean", dim, unbiased, correction)
    v, m = _var("var_mean", x, dim, None, keepdim, correction)
    return v, _mean_out("var_mean", x, dim, keepdim, m)


def std_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) over ``dim``, std taking the same forms of arguments as ``std``."""
    dim, correction = _correction("std_mean", dim, unbiased, correction)
    s, m = _var("std_mean", x, dim, None, keepdim, correction, root=True)
    return s, _mean_out("std_mean", x, dim, keepdim, m)


class _Extreme(Function):
    """amax / amin (and other reductions to one of the elements, such as median: subclasses
    override ``reduce``); the gradient is shared evenly among the elements equal to the result
    (as in PyTorch).

    A slice holding NaN has a NaN extreme, which no element equals: amax's gradient there is
    NaN (0 / 0), as torch's. With ``nan_wins`` (max(), min() and median() of a whole tensor)
    the NaN elements count as equal to a NaN result and share the gradient instead, as torch's
    do.
    """
    ufunc = None

    def forward(self, x, axes, keepdim, nan_wins=False):
        self.src, self.axes, self.keepdim, self.nan_wins = x.shape, axes, keepdim, nan_wins
        self.y = self.reduce(x, axes)
        return self.y if keepdim else self.y.reshape([s for i, s in enumerate(x.shape)
                                                      if i not in axes])

    def reduce(self, x, axes):
        """The result over ``axes``, which are kept (size 1)."""
        return self.ufunc.reduce(x, axis=axes, keepdims=True)

    def backward(self, gy):
        x = self.inputs[0]
        y = Tensor._make(self.y, False, None)
        hit = x == y
        if self.nan_wins:
            hit = hit | (isnan(x) & isnan(y))
        hit = hit.to(gy.dtype)
        count = sum(hit, self.axes, keepdim=True)
        return _expand_back(gy, self.src, self.axes, self.keepdim) * hit / count


class Amax(_Extreme):
    ufunc = np.maximum


class Amin(_Extreme):
    ufunc = np.minimum


def _extreme(op, cls, x, dim, keepdim, nan_wins=False):
    axes = _axes(op, x, dim)
    if builtins.any(x.shape[a] == 0 for a in axes) or (not axes and x.numel() == 0):
        raise ValueError(f"{op}: can't reduce over an empty dimension (shape "
                         f"{tuple(x.shape)}, dim {dim}); there is no identity")
    return cls.apply(x, axes=axes, keepdim=keepdim, nan_wins=nan_wins)


@register("amax")
def amax(x, dim=None, keepdim=False):
    """Largest value over ``dim``."""
    return _extreme("amax", Amax, x, dim, keepdim)


@register("amin")
def amin(x, dim=None, keepdim=False):
    """Smallest value over ``dim``."""
    return _extreme("amin", Amin, x, dim, keepdim)


@register("aminmax")
def aminmax(x, *, dim=None, keepdim=False):
    """(min, max) over ``dim`` (an int, or None for all elements), as amin and amax give them."""
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"aminmax: dim must be an int or None, got {dim!r}")
    return min_max(_extreme("aminmax", Amin, x, dim, keepdim),
                   _extreme("aminmax", Amax, x, dim, keepdim))


def _arg(op, fn, x, dim, keepdim):
    try:
        if dim is None:
            if x.numel() == 0:
                raise ValueError(f"{op}: can't reduce an empty tensor of shape {tuple(x.shape)} "
                                 f"without a dim; pass a dim of nonzero size")
            out = fn(x.data.reshape(-1))
            return _int64(out.reshape((1,) * x.ndim) if keepdim else out)
        d = _check_dim(dim, x.ndim, op)
        if x.ndim and x.shape[d] == 0:
            raise ValueError(f"{op}: can't reduce over dimension {dim} of size 0 (shape "
                             f"{tuple(x.shape)})")
        out = fn(x.data, axis=d, keepdims=keepdim) if x.ndim else fn(x.data)
        return _int64(out)
    except Exception:
        require_tensors(op, input=x)
        check_dims(op, dim, x.ndim, sequence=False)
        raise


@register("argmax")
def argmax(x, dim=None, keepdim=False):
    """Index of the largest value (of the flattened tensor when ``dim`` is None); NaN counts
    as the largest, as in PyTorch. Not for bool tensors (as in PyTorch; max takes them)."""
    _refuse_bool("argmax", x)
    return _arg("argmax", np.argmax, x, dim, keepdim)


@register("argmin")
def argmin(x, dim=None, keepdim=False):
    """Index of the smallest value (of the flattened tensor when ``dim`` is None); NaN counts
    as the smallest, as in PyTorch. Not for bool tensors (as in PyTorch; min takes them)."""
    _refuse_bool("argmin", x)
    return _arg("argmin", np.argmin, x, dim, keepdim)


def _refuse_bool(op, x):
    if getattr(x, "dtype", None) == dtypes.bool_:
        raise TypeError(f"{op}: bool tensors are not supported, as in PyTorch; convert with "
                        f"x.long() first")


def _with_indices(op, cls, argfn, x, dim, keepdim):
    if dim is None:
        return _extreme(op, cls, x, None, False, nan_wins=True)
    idx = _arg(op, argfn, x, dim, True)  # checks x and dim
    if x.ndim == 0:
        return values_indices(x, idx)
    values = gather(x, dim, idx)
    if not keepdim:
        values, idx = squeeze(values, dim), squeeze(idx, dim)
    return values_indices(values, idx)


@register("max")
def max(x, dim=None, keepdim=False):  # noqa: A001  (torch.max)
    """The largest value; with ``dim``, a (values, indices) pair along it.

    ``max(a, b)`` with a tensor second argument is ``maximum``. Along ``dim`` the gradient goes
    to the returned index; without ``dim`` it is shared among ties, and where the tensor holds
    NaN (the result is NaN), among the NaN elements, as in PyTorch.
    """
    if isinstance(dim, Tensor):
        from .elementwise import maximum
        return maximum(x, dim)
    return _with_indices("max", Amax, np.argmax, x, dim, keepdim)


@register("min")
def min(x, dim=None, keepdim=False):  # noqa: A001  (torch.min)
    """The smallest value; with ``dim``, a (values, indices) pair along it (see ``max``)."""
    if isinstance(dim, Tensor):
        from .elementwise import minimum
        return minimum(x, dim)
    return _with_indices("min", Amin, np.argmin, x, dim, keepdim)


class Prod(Function):
    def forward(self, x, axes, keepdim):
        self.src, self.axes, self.keepdim = x.shape, axes, keepdim
        self.y = np.prod(x, axis=axes, keepdims=True)
        return self.y if keepdim else self.y.reshape([s for i, s in enumerate(x.shape)
                                                      if i not in axes])

    def backward(self, gy):
        # d prod / d x_i = the product of the others: y / x_i when no input is zero (its
        # derivatives reach y, whose backward is this rule again). With a zero anywhere,
        # division fails, so the products of the others are built from multiplications only,
        # which makes them exact to every order however many zeros a slice holds.
        x = self.inputs[0]
        if (x.data == 0).any():
            others = _products_of_others(x, self.axes)
            # a product with a zero factor that overflowed first (inf * 0) is 0 exactly,
            # unless the slice holds inf or NaN
            clean = np.isfinite(x.data).all(axis=self.axes, keepdims=True)
            others = where(isnan(others) & Tensor._make(clean, False, None), 0, others)
        else:
            y = self.output(self.y) if self.keepdim else reshape(
                self.output(self.y), _kept_shape(self.src, self.axes))
            others = y / x
        return _expand_back(gy, self.src, self.axes, self.keepdim) * others


def _products_of_others(x, axes):
    """For every element, the product of the other elements of its slice over ``axes``
    (same shape as x), using only multiplications.

    The reduced axes are moved last and flattened into one of size n; there the product of the
    others is (exclusive prefix product) * (exclusive suffix product), each a scan of
    ceil(log2 n) steps.
    """
    kept = [a for a in range(x.ndim) if a not in axes]
    order = tuple(kept) + tuple(axes)
    moved = permute(x, order) if order != tuple(range(x.ndim)) else x
    n = int(np.prod([x.shape[a] for a in axes]))
    flat = reshape(moved, [x.shape[a] for a in kept] + [n])
    others = _exclusive_cumprod(flat) * flip(_exclusive_cumprod(flip(flat, -1)), -1)
    others = reshape(others, moved.shape)
    return permute(others, tuple(np.argsort(order))) if moved is not x else others


def _exclusive_cumprod(x):
    """Along the last axis (size n >= 1): out_i = x_0 * ... * x_(i-1), and out_0 = 1 (a
    Hillis-Steele scan of (1, x_0, ..., x_(n-2)): each step multiplies in the value k back)."""
    n = x.shape[-1]
    out = pad(x[..., :n - 1], (1, 0), value=1.0)
    k = 1
    while k < n:
        out = out * pad(out[..., :n - k], (k, 0), value=1.0)
        k *= 2
    return out


@register("prod")
def prod(x, dim=None, keepdim=False, dtype=None):
    """Product over ``dim``; integer and bool inputs multiply in int64 (as in PyTorch). The
    gradient, and every higher derivative, is exact where inputs are zero."""
    try:
        x = _in_accumulate_dtype(x, dtype)
        return Prod.apply(x, axes=_axes("prod", x, dim), keepdim=keepdim)
    except Exception:
        require_tensors("prod", input=x)
        raise


class LogSumExp(Function):
    """log(sum(exp(x))) over ``axes``, shifted by the slice's max m (unless m is infinite), so
    no exp overflows. The gradient is gy * exp(x - y), with y's rounding undone: y = m + log(s)
    rounds log(s) away when |m| is large, so the exponent is x - y - delta, delta = (m - y) +
    log(s) (0 where y isn't finite: there it is torch's exp(x - y) as is)."""

    def forward(self, x, axes, keepdim):
        self.src, self.axes, self.keepdim = x.shape, axes, keepdim
        m = np.max(x, axis=axes, keepdims=True) if x.size else np.zeros(
            _kept_shape(x.shape, axes), x.dtype)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype)  # all -inf (or inf): no shift
        with np.errstate(over="ignore", divide="ignore"):  # far below m: exp is 0
            log_s = np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True))
        y = log_s + m
        with np.errstate(invalid="ignore"):
            self.delta = np.where(np.isfinite(y), (m - y) + log_s, 0).astype(x.dtype)
        self.y = y if keepdim else y.reshape([s for i, s in enumerate(x.shape) if i not in axes])
        return self.y

    def backward(self, gy):
        x = self.inputs[0]
        y = _expand_back(self.output(self.y), self.src, self.axes, self.keepdim)
        with np.errstate(over="ignore", invalid="ignore"):  # -inf (exp 0); inf - inf: NaN
            return _expand_back(gy, self.src, self.axes, self.keepdim) * exp(
                x - y - Tensor._make(self.delta, False, None))


@register("logsumexp")
def logsumexp(x, dim=None, keepdim=False):
    """log(sum(exp(x))) over ``dim``, computed without overflow."""
    x = float_input(x)
    return LogSumExp.apply(x, axes=_axes("logsumexp", x, dim), keepdim=keepdim)


class Cumsum(Function):
    def forward(self, x, axis):
        self.axis = axis
        return np.cumsum(x, axis=axis, dtype=x.dtype)

    def backward(self, gy):
        return flip(cumsum(flip(gy, self.axis), self.axis), self.axis)


@register("cumsum")
def cumsum(x, dim, dtype=None):
    """Running sum along ``dim``; integer and bool inputs sum in int64, as in ``sum``."""
    try:
        axis = _check_dim(dim, x.ndim, "cumsum")
        x = _in_accumulate_dtype(x, dtype)
        return Cumsum.apply(x, axis=axis) if x.ndim else x.clone()
    except Exception:
        require_tensors("cumsum", input=x)
        check_dims("cumsum", dim, x.ndim, sequence=False, optional=False)
        raise


@register("cumprod")
def cumprod(x, dim, dtype=None):
    """Running product along ``dim``; integer and bool inputs multiply in int64, as in ``prod``.
    It is a scan of multiplications, so its gradient, and every higher derivative, is exact
    where inputs are zero."""
    try:
        axis = _check_dim(dim, x.ndim, "cumprod")
        x = _in_accumulate_dtype(x, dtype)
        if x.ndim == 0 or x.shape[axis] == 0:
            return x.clone()
        last = transpose(x, axis, -1)
        return transpose(last * _exclusive_cumprod(last), axis, -1)
    except Exception:
        require_tensors("cumprod", input=x)
        check_dims("cumprod", dim, x.ndim, sequence=False, optional=False)
        raise


def _running_extreme(op, ufunc, x, dim):
    """cummax (ufunc np.maximum) or cummin along ``dim``: (values, indices), where the index
    is the last position of the running extreme so far, and of the latest NaN from the first
    NaN on (as torch's). The gradient goes to those positions."""
    try:
        axis = _check_dim(dim, x.ndim, op)
    except Exception:
        require_tensors(op, input=x)
        raise
    a = x.data
    xp = backend.array_module(a)
    if a.ndim == 0:
        index = xp.zeros((), dtypes.int64)
    else:
        at = (a == ufunc.accumulate(a, axis=axis)) | (a != a)  # the extreme so far, or NaN
        position = xp.arange(a.shape[axis]).reshape([-1 if i == axis else 1
                                                     for i in range(a.ndim)])
        index = np.maximum.accumulate(xp.where(at, position, 0), axis=axis)
    index = _int64(index)
    return values_indices(gather(x, axis, index), index)


@register("cummax")
def cummax(x, dim):
    """(values, indices) of the running maximum along ``dim`` (see _running_extreme)."""
    return _running_extreme("cummax", np.maximum, x, dim)


@register("cummin")
def cummin(x, dim):
    """(values, indices) of the running minimum along ``dim`` (see _running_extreme)."""
    return _running_extreme("cummin", np.minimum, x, dim)


class Logcumsumexp(Function):
    def forward(self, x, axis):
        self.axis = axis
        with np.errstate(over="ignore"):  # x - y overflows far below y: exp of it is 0
            self.y = np.logaddexp.accumulate(x, axis=axis)
        return self.y

    def backward(self, gy):
        # torch's rule: gx_i = sum over k >= i of gy_k exp(x_i - y_k), summed in log space for
        # the positive and the negative gy apart, so that no exp overflows
        x, y = self.inputs[0], self.output(self.y)
        with np.errstate(over="ignore"):  # see _part
            return self._part(gy, gy > 0, x, y) - self._part(-gy, gy < 0, x, y)

    def _part(self, g, mask, x, y):
        # log(g) where mask holds, else the lowest finite value (as torch): not -inf, whose
        # differences (-inf - -inf) would make the second derivatives NaN. Sums near that
        # value may overflow to -inf, which exp turns into the 0 they stand for.
        log_g = where(mask, log(where(mask, g, 1)), float(np.finfo(g.dtype).min))
        return exp(flip(logcumsumexp(flip(log_g - y, self.axis), self.axis), self.axis) + x)


@register("logcumsumexp")
def logcumsumexp(x, dim):
    """log(cumsum(exp(x))) along ``dim`` for a floating x, computed without overflow."""
    try:
        axis = _check_dim(dim, x.ndim, "logcumsumexp")
        _floating("logcumsumexp", x)
        return x.clone() if x.ndim == 0 else Logcumsumexp.apply(x, axis=axis)
    except Exception:
        require_tensors("logcumsumexp", input=x)
        check_dims("logcumsumexp", dim, x.ndim, sequence=False, optional=False)
        raise


@register("diff")
def diff(x, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along ``dim``, x[i + 1] - x[i] taken n times (x[i + 1] !=
    x[i] for bool), after joining ``prepend`` and ``append`` (tensors of x's shape outside
    ``dim``) to x's ends; n = 0 gives a copy of x alone. Shape: x's, ``dim`` lengthened by
    the ends and shortened by n (to no less than 0)."""
    ends = {k: v for k, v in (("prepend", prepend), ("append", append)) if v is not None}
    try:
        if x.ndim == 0:
            raise ValueError("diff: needs a tensor of at least one dimension, got a 0-d tensor")
        d = _check_dim(dim, x.ndim, "diff")
        require_int("diff", "n", n, minimum=0)
        outside = x.shape[:d] + x.shape[d + 1:]
        if builtins.any(t.ndim != x.ndim or t.shape[:d] + t.shape[d + 1:] != outside
                        for t in ends.values()):
            raise ValueError(f"diff: prepend and append must have the input's shape "
                             f"{tuple(x.shape)} outside dimension {dim}, got shapes "
                             f"{[tuple(t.shape) for t in ends.values()]}")
        if n == 0:  # x as it is, without the ends (as torch's and NumPy's)
            return x.clone()
        if ends:
            x = cat([t for t in (prepend, x, append) if t is not None], d)
        elif x.shape[d] == 0:  # nothing to take differences of: a new empty tensor
            return x.clone()
        for _ in range(n):
            m = x.shape[d]
            if m == 0:
                break
            hi, lo = narrow(x, d, 1, m - 1), narrow(x, d, 0, m - 1)
            x = ne(hi, lo) if x.dtype == dtypes.bool_ else hi - lo
        return x
    except Exception:
        require_tensors("diff", input=x, **ends)
        raise


@register("count_nonzero")
def count_nonzero(x, dim=None):
    """The number of nonzero elements (NaN included) over ``dim`` (an int, a tuple, or None for
    all), as int64."""
    axes = _axes("count_nonzero", x, dim)
    return _int64(np.count_nonzero(x.data, axis=axes))


def _logical_reduce(op, fn, x, dim, keepdim):
    """all / any over ``dim``: bool, except uint8 inputs give uint8 (0 or 1), as in PyTorch.
    An empty ``dim`` reduces over no dimension here, as in PyTorch (sum and amax: over all)."""
    axes = () if isinstance(dim, (tuple, list)) and not dim else _axes(op, x, dim)
    out = np.asarray(fn(x.data, axis=axes, keepdims=keepdim))
    return Tensor._make(out.astype(x.dtype) if x.dtype == dtypes.uint8 else out, False, None)


@register("all")
def all(x, dim=None, keepdim=False):  # noqa: A001  (torch.all)
    """Whether every element (over ``dim``) is nonzero: a bool tensor (uint8 for uint8)."""
    return _logical_reduce("all", np.all, x, dim, keepdim)


@register("any")
def any(x, dim=None, keepdim=False):  # noqa: A001  (torch.any)
    """Whether some element (over ``dim``) is nonzero: a bool tensor (uint8 for uint8)."""
    return _logical_reduce("any", np.any, x, dim, keepdim)


@register("norm")
def norm(x, p="fro", dim=None, keepdim=False):
    """The vector p-norm over ``dim`` (all elements when None), as torch.norm: p = 2 or 'fro'
    (Euclidean), 1, inf (the largest |x|), -inf (the smallest |x|), 0 (the number of nonzero
    elements; its gradient is 0) or any other positive number. x must be floating, as in
    torch."""
    _floating("norm", x)
    if p == "fro":
        p = 2
    if isinstance(p, str) or p < 0 and p != float("-inf"):
        raise ValueError(f"norm: p must be a non-negative number, inf, -inf or 'fro', got {p!r}")
    if p == 2:
        return Norm2.apply(x, axes=_axes("norm", x, dim), keepdim=keepdim)
    if p == 1:
        return sum(x.abs(), dim, keepdim)
    if p == float("inf"):
        return amax(x.abs(), dim, keepdim)
    if p == float("-inf"):
        return amin(x.abs(), dim, keepdim)
    nonzero = x != 0
    if p == 0:  # 1 per nonzero (NaN included) and x * 0 = 0 per zero: counts, with gradient 0
        return sum(where(nonzero, 1.0, where(nonzero, 0, x) * 0), dim, keepdim)
    # |x| / a, a the largest finite |x| of the slice (1 if 0), so |x| ** p can't overflow or
    # underflow where the norm doesn't; the gradient passes through the scaling exactly
    a = _scale(x.data, _axes("norm", x, dim))
    scaled = x.abs() / Tensor._make(a, False, None)
    if p < 1:  # |x| ** p has an infinite slope at 0: its gradient there is 0, as torch's
        scaled = where(nonzero, where(nonzero, scaled, 1) ** p, 0)
    else:
        scaled = scaled ** p
    out = _Root.apply(sum(scaled, dim, keepdim=True), p=p) * Tensor._make(a, False, None)
    return out if keepdim else reshape(out, [s for i, s in enumerate(x.shape)
                                             if i not in _axes("norm", x, dim)])


def _scale(a, axes):
    """The largest finite |a| over ``axes`` (kept), or 1 where that is 0 or there is none."""
    with np.errstate(invalid="ignore"):
        m = np.max(np.where(np.isfinite(a), np.abs(a), 0), axis=axes, keepdims=True,
                   initial=0)
    return np.where(m > 0, m, 1).astype(a.dtype)


class Norm2(Function):
    """The Euclidean norm over ``axes``, scaled by the largest finite |x| so that squares
    neither overflow nor underflow; its gradient is x * gy / norm, 0 where the norm is 0 (as
    torch's)."""

    def forward(self, x, axes, keepdim):
        self.src, self.axes, self.keepdim = x.shape, axes, keepdim
        a = _scale(x, axes)
        z = x / a
        self.y = np.sqrt(np.sum(z * z, axis=axes, keepdims=keepdim)) * (
            a if keepdim else a.reshape([s for i, s in enumerate(x.shape) if i not in axes]))
        return self.y

    def backward(self, gy):
        x = self.inputs[0]
        y = _expand_back(self.output(self.y), self.src, self.axes, self.keepdim)
        zero = y == 0
        with np.errstate(invalid="ignore"):  # inf / inf is NaN, as in torch
            # x / y first: at most 1, where gy / y overflows for a subnormal y
            return where(zero, 0, x / where(zero, 1, y)) * _expand_back(
                gy, self.src, self.axes, self.keepdim)
