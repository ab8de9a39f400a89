"""Reductions and normalizing functions at extreme values against PyTorch: logsumexp,
logcumsumexp, softmax, log_softmax, cross_entropy, var, std, mean, sum, norm, prod, cumprod,
amax/amin/max/min, nansum and nanmean, on small 1-d and 2-d tensors drawn from the extreme
value pools of test_extreme_values_vs_torch.py (zeros, tiny and huge values, infinities, NaN),
with ties, zeros and near-constant slices. Forward values and first derivatives (under a random
upstream gradient) must match torch's, and no NumPy RuntimeWarning may reach the user where
torch's result is clean and finite.

Left out where torch itself is wrong: norm's sum of squares past the dtype's range (torch
overflows to inf where the norm is finite; gradix's is checked against the exact value)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gradix

from ._random_helpers import torch
from .test_extreme_values_vs_torch import _assert_same, _run, values

EXAMPLES = settings(max_examples=30, deadline=None, derandomize=True)
DTYPES = st.sampled_from(["float32", "float64"])
F = gradix.nn.functional
TF = torch.nn.functional if torch is not None else None


@st.composite
def matrices(draw, dtype, exclude=lambda v: False, size=12):
    """A 1-d or 2-d array of pool values (the rows of a 2-d one often equal, for ties)."""
    x = draw(values(dtype, exclude, size=size))
    rows = draw(st.sampled_from([d for d in range(1, len(x) + 1) if len(x) % d == 0]))
    if rows == 1 and draw(st.booleans()):
        return x
    return x.reshape(rows, -1)


def _dims(draw, x, allow_none=True, allow_tuple=True):
    choices = list(range(-x.ndim, x.ndim))
    if allow_none:
        choices.append(None)
    if allow_tuple and x.ndim == 2:
        choices.append((0, 1))
    return draw(st.sampled_from(choices))


def _check(name, gradix_fn, torch_fn, arrays, seed, dtype, grad_atol=0.0, out_atol=0.0):
    """The sibling file's _check for ops whose output shape isn't their input's: the absolute
    tolerances ``grad_atol`` and ``out_atol`` are numbers (or broadcast to the result)."""
    (gy, ggrads), (ty, tgrads), _, caught = _run(gradix_fn, torch_fn, arrays, seed)
    _assert_same(gy, ty, f"{name} {dtype} output of {arrays}", dtype, out_atol)
    for i, (g, t) in enumerate(zip(ggrads, tgrads)):
        _assert_same(g, t, f"{name} {dtype} gradient {i} of {arrays}", dtype, grad_atol)
    clean = np.isfinite(ty).all() and all(np.isfinite(t).all() for t in tgrads)
    assert not (clean and caught), f"{name} {dtype} at {arrays}: NumPy warned {caught}"


# ---------------------------------------------------------------------- log-sum-exp family
def _lse_exclude(dtype):
    """torch's logsumexp gradient exp(x - y) loses y's rounding: at |x| = 1e4 in float32 its
    relative error is ~1e-3, and at [1e19, 1e19] it is 1 where the exact one is 0.5 (see
    test_fixed_reductions_match_exact_values). Large finite values are left out."""
    big = 100.0 if dtype == "float32" else 1e3
    return lambda v: math.isfinite(v) and abs(v) > big


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # inf and NaN results: _check looks
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99), keepdim=st.booleans())
def test_logsumexp_matches_torch(data, dtype, seed, keepdim):
    x = data.draw(matrices(dtype, _lse_exclude(dtype)))
    dim = _dims(data.draw, x, allow_none=False)
    _check("logsumexp", lambda t: gradix.logsumexp(t, dim, keepdim),
           lambda t: torch.logsumexp(t, dim, keepdim), [x], seed, dtype)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99))
def test_logsumexp_over_all_matches_torch(data, dtype, seed):
    x = data.draw(matrices(dtype, _lse_exclude(dtype)))
    _check("logsumexp", gradix.logsumexp, lambda t: torch.logsumexp(t, tuple(range(t.ndim))),
           [x], seed, dtype)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99))
def test_logcumsumexp_matches_torch(data, dtype, seed):
    x = data.draw(matrices(dtype))
    dim = _dims(data.draw, x, allow_none=False, allow_tuple=False)
    # the gradient sums gy_k exp(x_i - y_k), whose exponents err by eps |y_k|: by up to
    # eps max|x| sum|gy| in all (both libraries' sums; at [0, 0, 104, 0] in float32, 1.5e-5)
    up = np.random.default_rng(seed).standard_normal(x.shape)  # as _run draws it
    finite = np.abs(x[np.isfinite(x)].astype(np.float64))
    atol = 4 * float(np.finfo(dtype).eps) * (finite.max() if finite.size else 0) * np.abs(
        up).sum()
    _check("logcumsumexp", lambda t: gradix.logcumsumexp(t, dim),
           lambda t: torch.logcumsumexp(t, dim), [x], seed, dtype, atol)


SOFTMAXES = {"softmax": (gradix.softmax, "softmax"),
             "log_softmax": (gradix.log_softmax, "log_softmax"),
             "F.softmax": (F.softmax, "softmax"), "F.log_softmax": (F.log_softmax, "log_softmax")}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", SOFTMAXES)
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99))
def test_softmaxes_match_torch(name, data, dtype, seed):
    x = data.draw(matrices(dtype))
    dim = _dims(data.draw, x, allow_none=False, allow_tuple=False)
    fn, tname = SOFTMAXES[name]
    atol, out_atol = 0.0, 0.0
    if tname == "log_softmax":  # x - m - log(s) errs by eps |x - m|, and log(s) by eps
        finite = np.abs(x[np.isfinite(x)].astype(np.float64))
        out_atol = 4 * float(np.finfo(dtype).eps) * (1 + 2 * (finite.max() if finite.size
                                                               else 0))
    if tname == "softmax":  # y * (gy - sum(gy * y)): the difference errs by eps * |gy|
        y = TF.softmax(torch.tensor(x), dim).numpy()
        up = np.random.default_rng(seed).standard_normal(x.shape)  # as _run draws it
        atol = 4 * float(np.finfo(dtype).eps) * np.abs(up).max() * np.nan_to_num(y)
    _check(name, lambda t: fn(t, dim), lambda t: getattr(TF, tname)(t, dim), [x], seed, dtype,
           atol, out_atol)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99),
       reduction=st.sampled_from(["mean", "sum", "none"]),
       smoothing=st.sampled_from([0.0, 0.0, 0.1]), weighted=st.booleans())
def test_cross_entropy_matches_torch(data, dtype, seed, reduction, smoothing, weighted):
    x = data.draw(matrices(dtype))
    x = x.reshape(-1, x.shape[-1]) if x.ndim == 2 else x.reshape(1, -1)
    n, c = x.shape
    target = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    w = np.random.default_rng(seed).uniform(0.5, 2, c).astype(dtype) if weighted else None

    def run(lib, mod, t):
        return mod.cross_entropy(t, lib.tensor(target), None if w is None else lib.tensor(w),
                                 reduction=reduction, label_smoothing=smoothing)
    # the gradient softmax(x) - onehot errs by eps times gy's size (2: the largest weight)
    atol = 8 * float(np.finfo(dtype).eps) * 3
    _check("cross_entropy", lambda t: run(gradix, F, t), lambda t: run(torch, TF, t), [x],
           seed, dtype, atol)


# ---------------------------------------------------------------------- moments
@st.composite
def near_constant(draw, dtype):
    """Values like c + tiny noise, where E[x^2] - E[x]^2 cancels: c up to 1e6 (float32's
    spacing at 1e6 is 0.06) or 1e12 in float64, noise a few spacings of c."""
    c = draw(st.sampled_from([1.0, 1e4, 1e6] + ([1e9, 1e12] if dtype == "float64" else [])))
    n = draw(st.integers(1, 8))
    ulps = draw(st.lists(st.integers(-4, 4), min_size=n, max_size=n))
    spacing = float(np.spacing(np.array(c, dtype)))
    sign = draw(st.sampled_from([1.0, -1.0]))
    return np.array([sign * c + k * spacing for k in ulps], dtype)


def _check_moment(name, x, dim, correction, keepdim, seed, dtype):
    """var or std against the exact values and gradients (computed in higher precision) where
    x is finite, else against torch's. torch's var of [1, 1 + 2^-23] in float32 is twice the
    exact one (it was in gradix too), and its gradient 2 (x - mean) / (N - c) takes x - mean
    from a rounded mean, wrong by up to 100% where x is nearly constant (at [1, 1 + 2^-23] in
    float32 torch's var gradient is [0, 1.5e-8], the exact one +-7.5e-9). gradix's takes it
    from a rounded mean too, so x - mean may err by a few eps * max|x|: var's gradient by
    that times 2 |gy| / (N - c), std's by that over 2 std."""
    axes = tuple(range(x.ndim)) if dim is None else (dim % x.ndim,)
    n = math.prod(x.shape[a] for a in axes)
    if n <= correction:
        return  # N - correction <= 0: inf / NaN by design, covered in test_reduce_edge.py
    (gy, (gg,)), (ty, (tg,)), up, caught = _run(
        lambda t: getattr(gradix, name)(t, dim, correction=correction, keepdim=keepdim),
        lambda t: getattr(torch, name)(t, dim, correction=correction, keepdim=keepdim), [x],
        seed)
    atol = 0.0
    if not np.isinf(x).any():  # NaN slices: NaN in both
        wide = np.longdouble if dtype == "float64" else np.float64
        d = x.astype(wide) - x.astype(wide).mean(axis=axes, keepdims=True)
        d -= d.mean(axis=axes, keepdims=True)  # the rounding of the mean taken back out
        u = up.astype(wide).reshape([1 if i in axes else s for i, s in enumerate(x.shape)])
        exact = 2 * d / (n - correction) * u
        atol = 4 * float(np.finfo(dtype).eps) * np.nanmax(np.abs(x)) * 2 / (n - correction) * abs(
            u)
        if name == "std":
            sd = np.sqrt((d * d).sum(axis=axes, keepdims=True) / (n - correction))
            pos = (sd > 0) | np.isnan(sd)  # 0 where the slice is constant, as torch's
            exact = np.where(pos, exact / (2 * np.where(pos, sd, 1)), 0)
            atol = np.where(pos, atol / (2 * np.where(pos, sd, 1)), 0)
        tg = exact.astype(np.float64)
        atol = np.asarray(atol, np.float64)
        v = (d * d).sum(axis=axes, keepdims=keepdim) / (n - correction)
        ty = (np.sqrt(v) if name == "std" else v).astype(np.float64)
    _assert_same(gy, ty, f"{name} {dtype} output of {x}", dtype)
    _assert_same(gg, tg, f"{name} {dtype} gradient of {x}", dtype, atol)
    assert not (np.isfinite(ty).all() and np.isfinite(tg).all() and caught), caught


@pytest.mark.parametrize("name", ["var", "std"])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99), correction=st.sampled_from([0, 1]),
       keepdim=st.booleans())
def test_var_std_of_near_constant_values_match_torch(name, data, dtype, seed, correction,
                                                     keepdim):
    x = data.draw(near_constant(dtype))
    if data.draw(st.booleans()) and len(x) % 2 == 0:
        x = x.reshape(2, -1)
    dim = data.draw(st.sampled_from([None] + list(range(x.ndim))))
    _check_moment(name, x, dim, correction, keepdim, seed, dtype)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["var", "std"])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99), correction=st.sampled_from([0, 1]))
def test_var_std_at_extreme_values_match_torch(name, data, dtype, seed, correction):
    # values whose squares overflow are left out: torch's (x - mean)^2 overflows too, and
    # differently from gradix's where the sum of the squares does. So is inf: the variance is
    # NaN, and the gradient at the finite elements meaningless (torch's -inf, gradix's NaN)
    big = 1e18 if dtype == "float32" else 1e150
    x = data.draw(matrices(dtype, lambda v: math.isinf(v) or abs(v) > big))
    dim = data.draw(st.sampled_from([None] + list(range(x.ndim))))
    _check_moment(name, x, dim, correction, False, seed, dtype)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["sum", "mean", "nansum", "nanmean"])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99), keepdim=st.booleans())
def test_sums_and_means_match_torch(name, data, dtype, seed, keepdim):
    # values near the top of the range left out: torch's order can overflow where the sum
    # doesn't ([1e38, -1e38, 3.4e38] gives inf)
    x = data.draw(matrices(dtype, lambda v: math.isfinite(v) and abs(v) > 1e37 * (
        1 if dtype == "float32" else 1e270)))
    dim = _dims(data.draw, x)
    # any summation order errs by up to n eps sum|x|: [1e38, 1e-30, -1e38] sums to 0 or 1e-30
    with np.errstate(over="ignore", invalid="ignore"):
        atol = x.size * float(np.finfo(dtype).eps) * np.nansum(np.abs(x.astype(np.float64)))
    if dim is None:
        _check(name, getattr(gradix, name), getattr(torch, name), [x], seed, dtype,
               out_atol=atol)
    else:
        _check(name, lambda t: getattr(gradix, name)(t, dim, keepdim),
               lambda t: getattr(torch, name)(t, dim, keepdim), [x], seed, dtype, out_atol=atol)


@pytest.mark.parametrize("name", ["sum", "mean"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sum_and_mean_of_many_large_values_match_torch(name, dtype):
    """Thousands of large values: the accumulation must neither overflow early nor drift."""
    rng = np.random.default_rng(0)
    big = 1e34 if dtype == "float32" else 1e304
    x = (big * (1 + rng.random(4096))).astype(dtype)
    _check(name, getattr(gradix, name), getattr(torch, name), [x], 1, dtype)
    y = (1e4 + rng.random((64, 257))).astype(dtype)
    _check(name, lambda t: getattr(gradix, name)(t, 1), lambda t: getattr(torch, name)(t, 1),
           [y], 2, dtype)


# ---------------------------------------------------------------------- norm
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("p", [2, 1, math.inf, -math.inf, 0, 3, 0.5])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99), keepdim=st.booleans())
def test_norm_matches_torch(p, data, dtype, seed, keepdim):
    # torch sums |x|^p unscaled: it overflows to inf (gradient 0) where the norm is finite
    # and underflows to 0 where it is tiny (gradient NaN); gradix scales by the largest |x|.
    # At NaN, torch's inf-norm gradient is 0, gradix's NaN (amax's, and torch's amax's)
    lo, hi = (1e-15, 1e15) if dtype == "float32" else (1e-150, 1e150)
    powered = p not in (0, 1, math.inf, -math.inf)

    # torch's gradient of powered norms at inf is NaN or 0 depending on the dtype: left out

    def exclude(v):
        return powered and (math.isinf(v) or v != 0 and not lo < abs(v) < hi) or (
            abs(p) == math.inf and math.isnan(v))
    x = data.draw(matrices(dtype, exclude))
    dim = _dims(data.draw, x)

    def torch_norm(t):
        n = torch.norm(t, p, dim, keepdim)
        # p = 0 counts, with no gradient in torch (None): here a zero one, as gradix's
        return torch.where(torch.tensor(True), n, torch.norm(t, 1, dim, keepdim)) if p == 0 else n
    _check("norm", lambda t: gradix.norm(t, p, dim, keepdim), torch_norm, [x], seed, dtype)


# ---------------------------------------------------------------------- products
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["prod", "cumprod"])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99))
def test_products_with_zeros_match_torch(name, data, dtype, seed):
    # moderate values with many zeros: one zero, several zeros, signed zeros
    pool = [0.0, -0.0, 0.5, -2.0, 3.0, 1e-3, 1e3]
    x = np.array(data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8)), dtype)
    dim = data.draw(st.sampled_from([0, -1]))
    if len(x) % 2 == 0 and data.draw(st.booleans()):
        x = x.reshape(2, -1)
        dim = data.draw(st.sampled_from([0, 1]))
    if name == "prod" and data.draw(st.booleans()):
        _check(name, gradix.prod, torch.prod, [x], seed, dtype)
    else:
        atol = _cumprod_grad_error(x, seed, dim, dtype) if name == "cumprod" else 0.0
        _check(name, lambda t: getattr(gradix, name)(t, dim),
               lambda t: getattr(torch, name)(t, dim), [x], seed, dtype, atol)


def _cumprod_grad_error(x, seed, dim, dtype):
    """cumprod's gradient at x_i sums gy_k prod(x_j, j <= k, j != i) over k >= i: each
    library's rounding errs by a few eps times the sum of those terms' magnitudes."""
    up = np.random.default_rng(seed).standard_normal(x.shape)  # as _run draws it
    a = np.moveaxis(np.abs(x.astype(np.float64)), dim, -1)
    u = np.moveaxis(np.abs(up), dim, -1)
    n = a.shape[-1]
    terms = np.zeros_like(a)
    for i in range(n):
        for k in range(i, n):
            terms[..., i] += u[..., k] * np.prod(np.delete(a[..., :k + 1], i, -1), -1)
    return np.moveaxis(4 * n * float(np.finfo(dtype).eps) * terms, -1, dim)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["prod", "cumprod"])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99))
def test_products_at_extreme_values_match_torch(name, data, dtype, seed):
    # left out: subnormals (torch's cumprod gradient of [5e-324, 0] is 0 at the first element),
    # and for cumprod inf and NaN (torch's gradient divides by the running product: of [inf, 0]
    # and [1e-30, NaN] it is NaN where the exact one, gradix's, is finite) and values whose
    # products overflow (torch's gradient of x_0 in cumprod([1e155, 1e155]) is inf where the
    # exact one is gy_0 + gy_1 * 1e155); gradix's scan also multiplies gy_0 * x_0 for a
    # gradient it then drops, an overflow warning at x_0 ~ max (see the report). Also tiny
    # values for cumprod: torch's gradient of x_1 in cumprod([1e-30, 0]) is 0, not 1e-30 gy_1.
    # For prod, finite values whose products of the others overflow: torch's gradient of x_1
    # in prod([0, 0, 10, 1e38]) is NaN in float32, the exact one 0 (gradix's; see
    # test_fixed_reductions_match_exact_values)
    tiny = float(np.finfo(dtype).tiny)
    lo, hi = (1e-15, 1e4) if dtype == "float32" else (1e-150, 1e30)

    def exclude(v):
        return v != 0 and abs(v) < tiny or name == "cumprod" and not (
            v == 0 or lo <= abs(v) <= hi) or name == "prod" and math.isfinite(v) and abs(v) > hi
    x = data.draw(matrices(dtype, exclude, size=6))
    dim = _dims(data.draw, x, allow_none=False, allow_tuple=False)
    atol = _cumprod_grad_error(x, seed, dim, dtype) if name == "cumprod" else 0.0
    _check(name, lambda t: getattr(gradix, name)(t, dim),
           lambda t: getattr(torch, name)(t, dim), [x], seed, dtype, atol)


# ---------------------------------------------------------------------- extremes
@st.composite
def with_ties(draw, dtype):
    pool = [0.0, -0.0, 1.0, -1.0, 1e30, -math.inf, math.inf, math.nan]
    x = np.array(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8)), dtype)
    if len(x) % 2 == 0 and draw(st.booleans()):
        x = x.reshape(2, -1)
    return x


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["amax", "amin"])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99), keepdim=st.booleans())
def test_amax_amin_with_ties_and_nan_match_torch(name, data, dtype, seed, keepdim):
    x = data.draw(with_ties(dtype))
    dim = _dims(data.draw, x)
    _check(name, lambda t: getattr(gradix, name)(t, dim, keepdim),
           lambda t: getattr(torch, name)(t, () if dim is None else dim, keepdim), [x], seed,
           dtype)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["max", "min"])
@EXAMPLES
@given(data=st.data(), dtype=DTYPES, seed=st.integers(0, 99), keepdim=st.booleans())
def test_max_min_with_ties_and_nan_match_torch(name, data, dtype, seed, keepdim):
    x = data.draw(with_ties(dtype))
    if data.draw(st.booleans()):  # over everything: the gradient is shared among ties
        _check(name, getattr(gradix, name), getattr(torch, name), [x], seed, dtype)
        return
    dim = _dims(data.draw, x, allow_none=False, allow_tuple=False)
    # the index of a tie is not pinned down by either library's docs: compare values, and
    # gradients only where both pick the same element
    g = getattr(gradix, name)(gradix.tensor(x), dim, keepdim)
    t = getattr(torch, name)(torch.tensor(x), dim, keepdim)
    if not np.array_equal(g.indices.numpy(), t.indices.numpy()):
        return
    _check(name, lambda t: getattr(gradix, name)(t, dim, keepdim).values,
           lambda t: getattr(torch, name)(t, dim, keepdim).values, [x], seed, dtype)


# ---------------------------------------------------------------------- regressions
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the NaN softmax rows at the end
def test_fixed_reductions_match_exact_values(dtype):
    """Each of these gave NaN, 0 or a wrong value where the exact one is finite and clean."""
    def grad(fn, x, up=None):
        t = gradix.tensor(np.array(x, dtype), requires_grad=True)
        y = fn(t)
        y.backward(gradix.tensor(np.ones(y.shape, dtype) if up is None else np.array(up, dtype)))
        return y.detach().numpy(), t.grad.numpy()

    def same(a, b):
        np.testing.assert_allclose(a, b, rtol=1e-6 if dtype == "float32" else 1e-13)
    # logsumexp's gradient is softmax: 1/2 each, though y = x + log 2 rounds to x (torch: 1)
    same(grad(gradix.logsumexp, [1e19, 1e19])[1], [0.5, 0.5])
    # its gradient at 104 was exp(104) / inf = NaN in float32 with an inf in the slice
    same(grad(gradix.logsumexp, [104.0, math.inf])[1][0], 0.0)
    # norm squared overflowed (inf, gradient NaN) or underflowed (0, gradient 0)
    big, tiny = (1e30, 1e-30) if dtype == "float32" else (1e300, 1e-300)
    for v in (big, tiny):
        y, g = grad(gradix.norm, [3 * v, 4 * v])
        same(y, 5 * v)
        same(g, [0.6, 0.8])
        y, g = grad(lambda t: gradix.norm(t, 3), [v, v])
        same(y, 2 ** (1 / 3) * v)
    same(grad(gradix.norm, [0.0, 0.0])[1], [0.0, 0.0])  # torch's zero gradient at 0
    # std of tiny values: d * d underflowed to 0
    same(grad(lambda t: gradix.std(t, correction=0), [0.0, 2 * tiny])[0], tiny)
    # var of 1 and the next float: the rounded mean made it twice the exact value
    eps = float(np.finfo(dtype).eps)
    y, g = grad(lambda t: gradix.var(t, correction=0), [1.0, 1.0 + eps])
    same(y, eps * eps / 4)
    same(g, [-eps / 2, eps / 2])
    # cross_entropy's logsumexp(x) - x_t rounded log 2 away at [1e19, 1e19] (it gave 0)
    x = gradix.tensor(np.array([[big, big]], dtype))
    same(F.cross_entropy(x, gradix.tensor(np.array([0]))).numpy(), math.log(2))
    # prod's gradient with two zeros: 1e38 * 10 overflowed, and inf * 0 was NaN (torch: 0)
    same(grad(gradix.prod, [0.0, 10.0, 1e38, 0.0])[1], [0.0] * 4)
    # softmax of a row holding +inf is NaN (as torch's), not [0, NaN]; -inf rows are NaN
    x = np.array([[0.0, math.inf], [-math.inf, -math.inf]], dtype)
    for fn in (gradix.softmax, gradix.log_softmax):
        y = fn(gradix.tensor(x), 1).numpy()
        assert np.isnan(y).all(), y
