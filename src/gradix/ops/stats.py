"""Statistics and sampling: quantiles, covariance, histograms, bincount, isin, index helpers and
random sampling (multinomial, bernoulli, normal).

The differentiable ops (quantile, cov, corrcoef, trapezoid, vander, combinations) are composed
of registered gradix ops (sort, gather, lerp, matmul, cumsum, cumprod, indexing), so their
gradients, of every order, are those ops' gradients, as torch's are. The others work on arrays
and return tensors that don't require grad; sampling draws from gradix's one seeded generator,
so ``gradix.manual_seed`` makes it repeat.
"""
import itertools
import math
import numbers
import warnings

import numpy as np

from .. import backend, dtypes, random
from ..tensor import Tensor, _check_dim, register
from ._errors import require_int, require_number, require_tensors
from .elementwise import sqrt, where
from .index import gather
from .linalg import matmul
from .reduce import cumprod, cumsum, sum as _sum
from .shape import cat
from .sort import sort

__all__ = ["quantile", "nanquantile", "cov", "corrcoef", "bincount", "histc", "histogram",
           "isin", "multinomial", "bernoulli", "normal", "tril_indices", "triu_indices",
           "combinations", "unravel_index", "vander", "broadcast_shapes", "numel", "trapezoid",
           "cumulative_trapezoid"]


def _const(array, dtype=None):
    """A tensor of ``array`` that doesn't require grad."""
    xp = backend.array_module(array) if backend.is_array(array) else np
    return Tensor._make(xp.asarray(array, dtype=dtype), False, None)


def _floating(x):
    """x itself when floating, else x cast to the default float (as torch's cov, trapezoid)."""
    return x if x.dtype.kind == "f" else x.to(dtypes.default_float)


# ---------------------------------------------------------------------- quantiles
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(op, x, q, dim, keepdim, interpolation, ignore_nan):
    require_tensors(op, input=x)
    if x.dtype.kind != "f":
        raise RuntimeError(f"{op}: input tensor must be either float or double dtype, got "
                           f"{dtypes.dtype_name(x.dtype)}")
    if x.data.size == 0:
        raise RuntimeError(f"{op}: input tensor must be non-empty, got shape {tuple(x.shape)}")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{op}: interpolation must be one of linear, lower, higher, midpoint "
                           f"or nearest, but got {interpolation!r}")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{op}: q must be a scalar or 1D tensor, got shape "
                               f"{tuple(q.shape)}")
        if q.dtype != x.dtype:
            raise RuntimeError(f"{op}: q tensor must be same dtype as the input tensor, got "
                               f"{dtypes.dtype_name(q.dtype)} and "
                               f"{dtypes.dtype_name(x.dtype)}")
        qs, scalar = q, q.ndim == 0
    else:
        if isinstance(q, bool) or not isinstance(q, numbers.Real):
            raise TypeError(f"{op}: q must be a float or a Tensor, got {q!r} "
                            f"({type(q).__name__})")
        qs, scalar = _const(np.asarray(q, x.dtype)), True
    qa = np.asarray(backend.to_device(qs.data, "cpu"))
    if qa.size and not ((qa >= 0) & (qa <= 1)).all():
        raise RuntimeError(f"{op}: q values must be in the range [0, 1], got {qa.tolist()}")
    if dim is not None:
        axis = _check_dim(dim, x.ndim, op)
    qs = qs.reshape(-1)
    # the reduced axis last, as rows of n values
    if dim is None:
        rows = x.reshape(-1)
    elif x.ndim == 0:
        rows = x.reshape(1)
    else:
        rows = x.movedim(axis, -1)
    values = sort(rows, dim=-1).values  # NaN last
    n = rows.shape[-1]
    lead = (len(qa.reshape(-1)),) + (1,) * rows.ndim  # q along a new first axis
    qcol = qs.reshape(lead)
    isnan = np.isnan(rows.data)
    if ignore_nan:  # ranks among the values that aren't NaN; 0 for an all-NaN row
        count = (~isnan).sum(-1, keepdims=True).astype(x.dtype)
        ranks = qcol * _const(count - 1)
        ranks = where(ranks.data < 0, _const(np.zeros((), x.dtype)), ranks)
    else:  # a row holding NaN gives its last (NaN) value
        ranks = where(isnan.any(-1, keepdims=True), _const(np.asarray(n - 1, x.dtype)),
                      qcol * (n - 1))
    r = ranks.data
    if interpolation == "lower":
        r = np.floor(r)
    elif interpolation == "higher":
        r = np.ceil(r)
    elif interpolation == "nearest":
        r = np.round(r)  # half to even, as torch's round
    below = r.astype(np.int64)
    shape = (lead[0],) + tuple(rows.shape)
    batch = values.unsqueeze(0).expand(*shape)
    out_shape = shape[:-1] + (1,)
    low = gather(batch, -1, _const(np.broadcast_to(below, out_shape)))
    if interpolation in ("linear", "midpoint"):
        above = np.ceil(r).astype(np.int64)
        high = gather(batch, -1, _const(np.broadcast_to(above, out_shape)))
        if interpolation == "midpoint":
            weights = _const(np.full((), 0.5, x.dtype))
        else:
            weights = ranks - _const(below.astype(x.dtype))
        low = low.lerp(high, weights)
    out = low.squeeze(-1)
    if keepdim:
        if dim is None:
            out = out.reshape((lead[0],) + (1,) * x.ndim)
        elif x.ndim:
            out = out.unsqueeze(axis + 1)
    elif x.ndim == 0 and dim is not None:
        out = out.reshape(lead[0])
    return out.squeeze(0) if scalar else out


@register("quantile")
def quantile(x, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The q-th quantiles of x (of all of it, or along ``dim``): q a float or a 0-d or 1-D
    tensor of x's dtype, in [0, 1]; a 1-D q puts its values along a new first dimension.
    ``interpolation`` picks between the two nearest sorted values: linear, lower, higher,
    midpoint or nearest (half to even). A slice holding NaN gives NaN.

    Gradient: through the sorted values to the one or two inputs each quantile is made of (and,
    for linear interpolation, to a q tensor), as in torch.
    """
    return _quantile("quantile", x, q, dim, keepdim, interpolation, False)


@register("nanquantile")
def nanquantile(x, q, dim=None, keepdim=False, *, interpolation="linear"):
    """``quantile`` of the values that aren't NaN: NaN only for a slice of NaN alone."""
    return _quantile("nanquantile", x, q, dim, keepdim, interpolation, True)


# ---------------------------------------------------------------------- covariance
def _weights(name, w, n, integral):
    require_tensors("cov", **{name: w})
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {w.ndim} dimensions")
    if (w.dtype.kind in "iu") != integral or w.dtype.kind == "b":
        kind = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {name} to have {kind} dtype but got {name} with "
                           f"{dtypes.dtype_name(w.dtype)} dtype")
    if w.data.size != n:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w.data.size} != {n}")
    if (w.data < 0).any():
        raise RuntimeError(f"cov(): {name} cannot be negative")


@register("cov")
def cov(x, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the variables in the rows of x (a 1-D x is one variable), each
    column an observation: ``correction`` is subtracted from the number of observations (1:
    Bessel's), ``fweights`` (integers) repeat observations and ``aweights`` (floats) weight
    them, as in NumPy. A single variable gives a 0-d tensor. Differentiable in x and aweights.
    """
    require_tensors("cov", input=x)
    if x.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {x.ndim} dimensions")
    require_int("cov", "correction", correction)
    n = x.shape[-1] if x.ndim else 1
    if fweights is not None:
        _weights("fweights", fweights, n, True)
    if aweights is not None:
        _weights("aweights", aweights, n, False)
    x = _floating(x).reshape(x.shape[0] if x.ndim == 2 else 1, n)
    w = None
    if fweights is not None:
        w = fweights.to(x.dtype)
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        avg, w_sum = x.mean(1), n
        norm = n - correction
    else:
        w_sum = w.sum()
        if float(w_sum.data) == 0:  # as torch (NaN otherwise)
            raise RuntimeError(f"cov(): weights sum to zero, can't be normalized (fweights "
                               f"and aweights multiplied, of {n} observations)")
        avg = (x * w).sum(1) / w_sum
        norm = (w_sum - correction if aweights is None
                else w_sum - correction * (w * aweights).sum() / w_sum)
    if float(norm.data if isinstance(norm, Tensor) else norm) <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm = norm - norm  # +0, as torch (norm * 0 of a negative norm is -0: -inf for inf)
    xm = x - avg.unsqueeze(1)
    return (matmul(xm, (xm if w is None else xm * w).t()) / norm).squeeze()


@register("corrcoef")
def corrcoef(x):
    """Pearson correlation coefficients of the variables in the rows of x: ``cov`` divided by
    the product of standard deviations, clipped to [-1, 1] (0-d for a single variable: 1, or
    NaN when its variance is 0, NaN or infinite)."""
    c = cov(x)
    if c.ndim == 0:
        return c / c
    std = sqrt(c.diagonal())
    c = c / std.reshape(-1, 1)
    c = c / std.reshape(1, -1)
    return c.clamp(-1, 1)


# ---------------------------------------------------------------------- counting
@register("bincount")
def bincount(x, weights=None, minlength=0):
    """The number of times each value 0, 1, ... occurs in x (1-D, non-negative integers), at
    least ``minlength`` long: int64, or the sums of ``weights`` (x's shape) at each value
    (float64 unless ``weights`` is float32). Not differentiable."""
    require_tensors("bincount", input=x)
    if x.dtype.kind not in "iu":
        raise NotImplementedError(f"bincount: not implemented for {dtypes.dtype_name(x.dtype)}; "
                                  f"it counts non-negative integers")
    require_int("bincount", "minlength", minlength)
    if minlength < 0:
        raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
    a = backend.to_device(x.data, "cpu")
    if a.ndim != 1 or (a.size and a.min() < 0):
        raise RuntimeError(f"bincount: only supports 1-d non-negative integral inputs, got shape "
                           f"{tuple(x.shape)}" + (f" with minimum {a.min()}" if a.size else ""))
    w = None
    if weights is not None:
        require_tensors("bincount", weights=weights)
        if weights.shape != x.shape:
            raise RuntimeError(f"bincount: weights should be 1-d and have the same length as "
                               f"input, got shapes {tuple(weights.shape)} and {tuple(x.shape)}")
        w = backend.to_device(weights.data, "cpu")
    out = np.bincount(a, w, minlength)
    if w is None:
        out = out.astype(np.int64)
    else:
        out = out.astype(np.float32 if w.dtype == np.float32 else np.float64)
    return _const(backend.to_device(out, x.device))


def _range(op, a, lo, hi):
    """The histogram's [lo, hi]: the data's own range where lo == hi (torch's rule)."""
    if lo == hi and a.size:
        lo, hi = a.min(), a.max()
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"{op}: range of [{lo}, {hi}] is not finite")
    return lo, hi


def _require_float(op, x):
    require_tensors(op, input=x)
    if x.dtype.kind != "f":
        raise NotImplementedError(f"{op}: not implemented for {dtypes.dtype_name(x.dtype)}; "
                                  f"use a floating tensor")


@register("histc")
def histc(x, bins=100, min=0, max=0):  # noqa: A002  (torch's names)
    """A histogram of x's values in ``bins`` equal bins from ``min`` to ``max`` (the data's
    minimum and maximum when they are equal); values outside are ignored, ``max`` counts in the
    last bin. x's dtype, 1-D. Not differentiable."""
    _require_float("histc", x)
    require_int("histc", "bins", bins)
    require_number("histc", "min", min)
    require_number("histc", "max", max)
    if bins <= 0:
        raise RuntimeError(f"histc: bins must be > 0, but got {bins}")
    if min > max:
        raise RuntimeError(f"histc: max must be larger than min, got min {min} and max {max}")
    a = backend.to_device(x.data, "cpu").reshape(-1)
    lo, hi = _range("histc", a, x.dtype.type(min), x.dtype.type(max))
    return _const(backend.to_device(_uniform_counts(a, None, bins, lo, hi, x.dtype), x.device))


def _uniform_counts(a, w, bins, lo, hi, dtype):
    """Counts (or weight sums) of a in ``bins`` equal bins over [lo, hi], computed in a's
    dtype as torch does; hi falls in the last bin."""
    keep = (a >= lo) & (a <= hi)
    a = a[keep]
    index = ((a - lo) * dtype.type(bins) / (dtype.type(hi) - dtype.type(lo))).astype(np.int64)
    index = np.minimum(index, bins - 1)
    return np.bincount(index, None if w is None else w[keep], bins).astype(dtype)


@register("histogram")
def histogram(x, bins, *, range=None, weight=None, density=False):  # noqa: A002
    """(hist, bin_edges): a histogram of x's values over ``bins`` equal bins (an int, over
    ``range`` or the data's minimum and maximum) or between the given increasing edges (a 1-D
    tensor); ``weight`` (x's shape) weights each value, ``density`` normalizes the histogram
    to integrate to 1. Both are of x's dtype. Not differentiable."""
    _require_float("histogram", x)
    a = backend.to_device(x.data, "cpu").reshape(-1)
    w = None
    if weight is not None:
        require_tensors("histogram", weight=weight)
        if weight.shape != x.shape:
            raise RuntimeError(f"histogram: weight should have the same shape as input, got "
                               f"{tuple(weight.shape)} and {tuple(x.shape)}")
        w = backend.to_device(weight.data, "cpu").reshape(-1).astype(x.dtype)
    if isinstance(bins, Tensor):
        edges = backend.to_device(bins.data, "cpu").astype(x.dtype)
        if edges.ndim != 1 or edges.size < 1:
            raise RuntimeError(f"histogram: bins must be a 1-D tensor of at least one edge, got "
                               f"shape {tuple(bins.shape)}")
    else:
        require_int("histogram", "bins", bins)
        if bins <= 0:
            raise RuntimeError(f"histogram: bins must be > 0, but got {bins}")
        if range is not None:
            lo, hi = (x.dtype.type(v) for v in range)
            if lo > hi:
                raise RuntimeError(f"histogram: min should not exceed max, but got min {lo} max "
                                   f"{hi}")
        elif a.size:
            lo, hi = a.min(), a.max()
        else:
            lo, hi = x.dtype.type(0), x.dtype.type(1)
        if lo == hi:  # NumPy's and torch's rule for a single value
            lo, hi = lo - x.dtype.type(0.5), hi + x.dtype.type(0.5)
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise RuntimeError(f"histogram: range of [{lo}, {hi}] is not finite")
        edges = np.linspace(float(lo), float(hi), bins + 1).astype(x.dtype)
    hist = np.zeros(max(edges.size - 1, 0), x.dtype)
    if edges.size > 1:  # the edges decide: [e_i, e_i+1), the last bin closed
        index = np.searchsorted(edges, a, side="right") - 1
        index[a == edges[-1]] = edges.size - 2
        keep = (index >= 0) & (index < edges.size - 1) & (a <= edges[-1])
        hist = np.bincount(index[keep], None if w is None else w[keep],
                           edges.size - 1).astype(x.dtype)
    if density:
        hist = (hist / hist.sum(dtype=x.dtype) / np.diff(edges)).astype(x.dtype)
    return (_const(backend.to_device(hist, x.device)),
            _const(backend.to_device(edges, x.device)))


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of ``elements`` is among ``test_elements`` (not among, with ``invert``):
    a bool tensor of elements' shape. Either may be a Python number."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin: elements or test_elements must be a Tensor")
    for name, v in (("elements", elements), ("test_elements", test_elements)):
        if not isinstance(v, Tensor):
            require_number("isin", name, v)
    a = elements.data if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements.data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    if a.dtype == bool or b.dtype == bool:  # as torch, which has no isin of bools
        raise TypeError(f"isin: bool elements or test_elements are not supported, got "
                        f"{dtypes.dtype_name(a.dtype)} and {dtypes.dtype_name(b.dtype)}")
    xp = backend.array_module(a) if backend.is_array(a) else np
    out = xp.isin(a, b, assume_unique=assume_unique, invert=invert)
    return _const(xp.asarray(out, dtype=bool))


# ---------------------------------------------------------------------- sampling
@register("multinomial")
def multinomial(x, num_samples, replacement=False):
    """``num_samples`` category indices drawn from the (unnormalized, non-negative) weights in
    each row of x (1-D or 2-D): with ``replacement`` independently, else without repeating a
    category. int64 of shape (num_samples,) or (rows, num_samples)."""
    require_tensors("multinomial", input=x)
    if x.dtype.kind != "f":
        raise RuntimeError(f"multinomial: only supports floating-point dtypes for input, got "
                           f"{dtypes.dtype_name(x.dtype)}")
    if x.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape "
                           f"{tuple(x.shape)}")
    require_int("multinomial", "num_samples", num_samples)
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples, got "
                           f"{num_samples}")
    k = x.shape[-1]
    if not replacement and num_samples > k:
        raise RuntimeError(f"multinomial: cannot sample n_sample ({num_samples}) > "
                           f"prob_dist.size(-1) ({k}) samples without replacement")
    p = backend.to_device(x.data, "cpu").astype(np.float64).reshape(-1, k)
    if not np.isfinite(p).all() or (p < 0).any():
        raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or "
                           "element < 0")
    if p.shape[0] and (p.sum(-1) <= 0).any():
        raise RuntimeError("multinomial: invalid multinomial distribution (sum of "
                           "probabilities <= 0)")
    if not replacement and p.shape[0] and ((p > 0).sum(-1) < num_samples).any():
        raise RuntimeError(f"multinomial: invalid multinomial distribution (with "
                           f"replacement=False, not enough non-negative category to sample "
                           f"{num_samples})")
    rows, gen = p.shape[0], random.generator()
    if replacement:  # inverse CDF, all rows in one search: row i's CDF is shifted by i
        cdf = np.cumsum(p, -1)
        cdf = cdf / cdf[:, -1:]
        cdf[:, -1] = 1.0
        offset = np.arange(rows)[:, None]
        u = gen.random((rows, num_samples)) + offset
        out = np.searchsorted((cdf + offset).reshape(-1), u.reshape(-1), side="right")
        out = np.minimum(out.reshape(rows, num_samples) - offset * k, k - 1)
    else:  # the smallest exponential keys E / p (those of weight 0 are infinite)
        with np.errstate(divide="ignore"):
            keys = gen.standard_exponential((rows, k)) / p
        out = np.argsort(keys, -1, kind="stable")[:, :num_samples]
    out = out.astype(np.int64).reshape(x.shape[:-1] + (num_samples,))
    return _const(backend.to_device(out, x.device))


@register("bernoulli")
def bernoulli(x, p=None, *, generator=None):
    """0 or 1 (x's dtype and shape) drawn with probability x of 1, or with probability ``p``
    (a float in [0, 1]) when given. Not differentiable."""
    if generator is not None:
        raise TypeError("bernoulli: gradix has one seeded generator; set it with "
                        "gradix.manual_seed instead of passing generator")
    require_tensors("bernoulli", input=x)
    if p is None:
        if x.dtype.kind != "f":
            raise NotImplementedError(f"bernoulli: not implemented for "
                                      f"{dtypes.dtype_name(x.dtype)} probabilities; use a "
                                      f"floating tensor")
        prob = backend.to_device(x.data, "cpu")
        if not ((prob >= 0) & (prob <= 1)).all():
            raise RuntimeError("bernoulli: expected all probabilities in [0, 1]")
    else:
        require_number("bernoulli", "p", p)
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli: expects p to be in [0, 1], but got p={p}")
        prob = p
    out = random.generator().random(x.shape) < prob
    return _const(backend.to_device(out.astype(x.dtype), x.device))


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, requires_grad=False,
           device=None):
    """Normal samples: mean and std tensors (broadcast together; either may be a float), or
    both floats with ``size``. The tensor form has its tensors' dtype (the mean's when both),
    the float form ``dtype`` (default float32). Not differentiable (torch gives zero
    gradients)."""
    if generator is not None:
        raise TypeError("normal: gradix has one seeded generator; set it with "
                        "gradix.manual_seed instead of passing generator")
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    for name, v in (("mean", mean), ("std", std)):
        if not isinstance(v, Tensor):
            require_number("normal", name, v)
    for t in tensors:
        if t.dtype.kind != "f":
            raise NotImplementedError(f"normal: not implemented for "
                                      f"{dtypes.dtype_name(t.dtype)}; use floating tensors")
    m = backend.to_device(mean.data, "cpu") if isinstance(mean, Tensor) else mean
    s = backend.to_device(std.data, "cpu") if isinstance(std, Tensor) else std
    if np.any(np.asarray(s) < 0):
        raise RuntimeError(f"normal: expects std >= 0.0, but found std "
                           f"{s if not isinstance(std, Tensor) else 'with negative elements'}")
    if tensors:
        if size is not None:
            raise TypeError("normal: size is only for float mean and std")
        dtype, dev = tensors[0].dtype, tensors[0].device
        try:
            shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        except ValueError:
            raise RuntimeError(f"normal: mean of shape {np.shape(m)} and std of shape "
                               f"{np.shape(s)} can't be broadcast together") from None
    else:
        if size is None:
            raise TypeError("normal: with float mean and std, pass size, e.g. "
                            "normal(0., 1., (2, 3))")
        from .shape import _shape_arg
        shape = _shape_arg("normal", (size,))
        dtype, dev = dtypes.as_dtype(dtype) or dtypes.default_float, device
    out = m + s * random.generator().standard_normal(shape)
    t = _const(backend.to_device(np.asarray(out, dtype), dev))
    return t.requires_grad_() if requires_grad else t


# ---------------------------------------------------------------------- index helpers
def _triangle(op, fn, row, col, offset, dtype, device):
    for name, v in (("row", row), ("col", col), ("offset", offset)):
        require_int(op, name, v)
    if row < 0 or col < 0:
        raise RuntimeError(f"{op}: row and col must be non-negative, got {row} and {col}")
    dtype = dtypes.as_dtype(dtype) or dtypes.int64
    if dtype.kind not in "iu":
        raise NotImplementedError(f"{op}: not implemented for {dtypes.dtype_name(dtype)}; use "
                                  f"an integer dtype")
    out = np.stack(fn(row, offset, col)).astype(dtype).reshape(2, -1)
    return _const(backend.to_device(out, device))


def tril_indices(row, col, offset=0, *, dtype=None, device=None):
    """The (2, N) row and column indices of the lower triangle of a row x col matrix (on and
    below diagonal ``offset``), row by row."""
    return _triangle("tril_indices", np.tril_indices, row, col, offset, dtype, device)


def triu_indices(row, col, offset=0, *, dtype=None, device=None):
    """The (2, N) indices of the upper triangle (on and above diagonal ``offset``)."""
    return _triangle("triu_indices", np.triu_indices, row, col, offset, dtype, device)


def combinations(x, r=2, with_replacement=False):
    """The length-r combinations of the elements of 1-D x, in lexicographic order of position,
    as rows of an (N, r) tensor (``with_replacement``: an element may repeat). Differentiable
    (it indexes x)."""
    require_tensors("combinations", input=x)
    if x.ndim != 1:
        raise RuntimeError(f"combinations: expects a 1D vector, but got shape "
                           f"{tuple(x.shape)}")
    require_int("combinations", "r", r)
    if r < 0:
        raise RuntimeError(f"combinations: expects a non-negative r, but got {r}")
    if r == 0:
        return x[np.zeros(0, np.int64)]
    make = (itertools.combinations_with_replacement if with_replacement
            else itertools.combinations)
    index = np.fromiter(itertools.chain.from_iterable(make(range(x.shape[0]), r)), np.int64)
    return x[index.reshape(-1, r)]


def unravel_index(indices, shape):
    """The coordinates of flat ``indices`` (an integer tensor; negative ones count from the
    end) in a tensor of ``shape``: a tuple of int64 tensors, one per dimension."""
    require_tensors("unravel_index", indices=indices)
    if indices.dtype.kind not in "iu":
        raise TypeError(f"unravel_index: expected 'indices' to be integer dtype, but got "
                        f"{dtypes.dtype_name(indices.dtype)}")
    shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)
    for s in shape:
        require_int("unravel_index", "shape", s)
    if any(s < 0 for s in shape):
        raise ValueError(f"unravel_index: 'shape' cannot have negative values, but got "
                         f"{shape}")
    a = backend.to_device(indices.data, "cpu").astype(np.int64)
    total = math.prod(shape)
    if a.size and (a.min() < -total or a.max() >= total):
        raise RuntimeError(f"unravel_index: indices must be in [-{total}, {total}) for shape "
                           f"{shape}, got values from {a.min()} to {a.max()}")
    if not shape:
        return ()
    a = np.where(a < 0, a + total, a)
    coords = np.unravel_index(a, shape) if total else [a.copy() for _ in shape]
    return tuple(_const(backend.to_device(np.asarray(c, np.int64), indices.device))
                 for c in coords)


def vander(x, N=None, increasing=False):  # noqa: N803  (torch's name)
    """The Vandermonde matrix of 1-D x: column j is x ** (N - 1 - j) (x ** j when
    ``increasing``), N columns (default len(x)). Integer and bool x give int64.
    Differentiable."""
    require_tensors("vander", x=x)
    if x.ndim != 1:
        raise RuntimeError(f"vander: x must be a one-dimensional tensor, got shape "
                           f"{tuple(x.shape)}")
    n = x.shape[0] if N is None else N
    require_int("vander", "N", n)
    if n < 0:
        raise RuntimeError(f"vander: N must be non-negative, got {n}")
    if x.dtype.kind in "biu":
        x = x.to(dtypes.int64)
    ones = _const(np.ones((x.shape[0], min(n, 1)), x.dtype))
    powers = cumprod(x.unsqueeze(1).expand(x.shape[0], max(n - 1, 0)), 1)
    out = cat([ones, powers], 1)
    return out if increasing else out.flip(1)


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` (tuples, or ints for 1-D shapes) broadcast to."""
    shapes = [(s,) if isinstance(s, numbers.Integral) else tuple(s) for s in shapes]
    try:
        return tuple(int(s) for s in np.broadcast_shapes(*shapes))
    except ValueError:
        raise RuntimeError(f"broadcast_shapes: shapes {shapes} can't be broadcast to a single "
                           f"shape") from None


def numel(x):
    """The number of elements of x."""
    require_tensors("numel", input=x)
    return x.numel()


# ---------------------------------------------------------------------- integration
def _trapezoid_parts(op, y, x, dx, dim):
    """(axis, y's interval sums y[i] + y[i + 1], interval widths or None) along ``dim``."""
    require_tensors(op, y=y)
    axis = _check_dim(dim, y.ndim, op)
    if not y.ndim:
        raise IndexError(f"{op}: dimension specified as {dim} but the tensor has no dimensions")
    if x is not None and dx is not None:
        raise TypeError(f"{op}: pass x or dx, not both")
    y = _floating(y)
    n = y.shape[axis]
    pairs = y.narrow(axis, min(n, 1), max(n - 1, 0)) + y.narrow(axis, 0, max(n - 1, 0))
    widths = None
    if x is not None:
        require_tensors(op, x=x)
        x = _floating(x)
        if x.ndim == 1:
            if x.shape[0] != n:
                raise RuntimeError(f"{op}: there must be one `x` value for each sample point, "
                                   f"got {x.shape[0]} x values and {n} samples along dim "
                                   f"{dim}")
            widths = (x[1:] - x[:-1]).reshape((-1,) + (1,) * (y.ndim - 1 - axis))
        else:
            xaxis = axis - y.ndim + x.ndim
            if xaxis < 0 or x.shape[xaxis] != n:
                raise RuntimeError(f"{op}: x of shape {tuple(x.shape)} doesn't match y of "
                                   f"shape {tuple(y.shape)} along dim {dim}")
            m = max(n - 1, 0)
            widths = x.narrow(xaxis, min(n, 1), m) - x.narrow(xaxis, 0, m)
    elif dx is not None:
        widths = dx
    return axis, y, pairs, widths


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The integral of y along ``dim`` by the trapezoidal rule, over sample points ``x`` (1-D
    along dim, or broadcasting with y) or spaced by ``dx`` (default 1). Differentiable in y, x
    and a dx tensor."""
    axis, y, pairs, widths = _trapezoid_parts("trapezoid", y, x, dx, dim)
    if y.shape[axis] == 0:  # torch gives new zeros, outside the graph
        return _const(np.zeros(y.shape[:axis] + y.shape[axis + 1:], y.dtype))
    if widths is None:
        return _sum(pairs, axis) / 2
    if not isinstance(widths, Tensor):  # a number: dx * (sum - ends / 2), as torch
        return _sum(pairs, axis) * (widths / 2)
    return _sum(pairs * widths, axis) / 2


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoidal integrals of y along ``dim`` (one shorter than y there)."""
    axis, y, pairs, widths = _trapezoid_parts("cumulative_trapezoid", y, x, dx, dim)
    if widths is None:
        return cumsum(pairs / 2, axis)
    if not isinstance(widths, Tensor):
        return cumsum(pairs * (widths / 2), axis)
    return cumsum(pairs * widths / 2, axis)

