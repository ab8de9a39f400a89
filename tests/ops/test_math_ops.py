"""Elementwise math beyond the op table (op_table_math.py), checked against PyTorch: integer and
bool inputs, the dtypes torch has no kernel for, NaN and ties in fmax/fmin, special values of
xlogy, nan_to_num and erfinv, atan2 and hypot around the circle, lerp's dtype rules,
isclose/allclose/equal, the aliases, and the errors."""
import math

import numpy as np
import pytest

import gradix

from .test_elementwise_edge import PAIRS  # NaN on either side, ties, broadcasting

NAN, INF = math.nan, math.inf
# special values (log2(0), asin(2), inf - inf) make NumPy warn, as gradix.log(0) does
pytestmark = pytest.mark.filterwarnings("ignore:(divide by zero|invalid value):RuntimeWarning")


def _pair(torch, fn, *values, dtype=None, requires_grad=False):
    """fn(m, *tensors) in gradix and in torch on the same values: [(out, inputs)] * 2."""
    out = []
    for m in (gradix, torch):
        kind = None if dtype is None else getattr(m, dtype)
        xs = [m.tensor(v, dtype=kind, requires_grad=requires_grad) for v in values]
        out.append((fn(m, *xs), xs))
    return out


def assert_matches(g, t, rtol=1e-6):
    """gradix tensor ``g`` matches torch tensor ``t``: dtype, shape, values, NaNs."""
    assert g.dtype.name == str(t.dtype).replace("torch.", ""), (g.dtype, t.dtype)
    assert tuple(g.shape) == tuple(t.shape)
    np.testing.assert_allclose(g.detach().numpy(), t.detach().numpy(), rtol=rtol, atol=1e-7)


FLOAT_VALUED = ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
                "reciprocal", "exp2", "log2", "log10", "erf", "erfc", "erfinv"]


@pytest.mark.parametrize("name", FLOAT_VALUED)
@pytest.mark.parametrize("values", [[-2, 0, 1, 3], [True, False]], ids=["int64", "bool"])
def test_integer_and_bool_inputs_give_float32_like_torch(torch, name, values):
    for call in (lambda m, x: getattr(m, name)(x), lambda m, x: getattr(x, name)()):
        (g, _), (t, _) = _pair(torch, call, values)
        assert_matches(g, t)


@pytest.mark.parametrize("name", ["atan2", "xlogy"])
def test_binary_ops_of_integers_give_float32_like_torch(torch, name):
    (g, _), (t, _) = _pair(torch, lambda m, a, b: getattr(m, name)(a, b), [0, 1, -2, 3],
                           [1, 0, 5, 2])
    assert_matches(g, t)
    (g, _), (t, _) = _pair(torch, lambda m, a, b: getattr(m, name)(a, b), [0, 1, 2],
                           [1.5, 2.0, 0.5])
    assert_matches(g, t)  # int with float32


@pytest.mark.parametrize("name", ["trunc", "fix"])
def test_trunc_keeps_integers_and_refuses_bool_like_torch(torch, name):
    for dtype in ("uint8", "int32", "int64"):
        (g, _), (t, _) = _pair(torch, lambda m, x: getattr(m, name)(x), [3, 0, 7], dtype=dtype)
        assert_matches(g, t)
    (g, _), (t, _) = _pair(torch, lambda m, x: x.trunc(), [-2.5, -0.5, 0.5, 1.7, INF, NAN])
    assert_matches(g, t)
    assert np.signbit(g.numpy()[1])  # trunc(-0.5) is -0.0
    with pytest.raises(NotImplementedError):
        getattr(torch, name)(torch.tensor([True]))
    with pytest.raises(NotImplementedError, match=r"^trunc: not implemented for gradix\.bool"):
        getattr(gradix, name)(gradix.tensor([True]))  # fix is trunc


NO_INTEGER_KERNEL = {
    "frac": lambda m, x: x.frac(), "hypot": lambda m, x: m.hypot(x, x),
    "logaddexp": lambda m, x: x.logaddexp(x), "lerp": lambda m, x: m.lerp(x, x, 0.5),
}


@pytest.mark.parametrize("name", sorted(NO_INTEGER_KERNEL))
@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_ops_without_integer_kernels_raise_like_torch(torch, name, dtype):
    call = NO_INTEGER_KERNEL[name]
    with pytest.raises(NotImplementedError):
        call(torch, torch.tensor([1, 0], dtype=getattr(torch, dtype)))
    with pytest.raises(NotImplementedError, match=rf"^{name}: not implemented for gradix\."):
        call(gradix, gradix.tensor([1, 0], dtype=getattr(gradix, dtype)))


def test_frac_has_the_sign_of_x_and_is_nan_at_infinity(torch):
    (g, _), (t, _) = _pair(torch, lambda m, x: m.frac(x), [-2.75, 2.75, -0.0, INF, -INF, NAN])
    assert_matches(g, t)


@pytest.mark.parametrize("op", ["fmax", "fmin"])
@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_fmax_fmin_values_and_gradients_at_nan_and_ties_match_torch(torch, op, pair):
    (g, gx), (t, tx) = _pair(torch, lambda m, a, b: getattr(m, op)(a, b), *PAIRS[pair],
                             dtype="float64", requires_grad=True)
    np.testing.assert_array_equal(g.detach().numpy(), t.detach().numpy())
    up = np.arange(1.0, 1.0 + t.numel()).reshape(tuple(t.shape))
    g.backward(gradix.tensor(up))
    t.backward(torch.tensor(up))
    for a, b in zip(gx, tx):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_fmax_fmin_of_integers_and_bools_keep_the_dtype(torch, dtype):
    for op in ("fmax", "fmin"):
        (g, _), (t, _) = _pair(torch, lambda m, a, b, op=op: getattr(m, op)(a, b), [1, 0, 1],
                               [0, 0, 1], dtype=dtype)
        assert_matches(g, t)


XLOGY_SPECIAL = ([0.0, 0.0, 0.0, 0.0, 2.0, 1.5, NAN, 0.0],
                 [2.0, 0.0, -1.0, NAN, 0.0, -1.0, 1.0, INF])


def test_xlogy_special_values_and_gradients_match_torch(torch):
    (g, gx), (t, tx) = _pair(torch, lambda m, a, b: m.xlogy(a, b), *XLOGY_SPECIAL,
                             dtype="float64", requires_grad=True)
    np.testing.assert_array_equal(g.detach().numpy(), t.detach().numpy())
    up = np.linspace(0.5, 2.0, len(XLOGY_SPECIAL[0]))
    ggrads = gradix.autograd.grad(g, gx, gradix.tensor(up))
    tgrads = torch.autograd.grad(t, tx, torch.tensor(up))
    for a, b in zip(ggrads, tgrads):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_xlogy_with_a_python_number_matches_torch(torch):
    (g, _), (t, _) = _pair(torch, lambda m, y: m.xlogy(3, y), [0.5, 2.0])
    assert_matches(g, t)
    (g, _), (t, _) = _pair(torch, lambda m, x: m.xlogy(x, 2.5), [0.0, 2.0])
    assert_matches(g, t)


@pytest.mark.parametrize("kwargs", [{}, {"nan": 1.5}, {"posinf": 9.0, "neginf": -7.0}])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_nan_to_num_matches_torch_with_zero_gradient_where_replaced(torch, kwargs, dtype):
    values = [NAN, INF, -INF, 1.5, -0.25]
    (g, gx), (t, tx) = _pair(torch, lambda m, x: m.nan_to_num(x, **kwargs), values,
                             dtype=dtype, requires_grad=True)
    assert_matches(g, t, rtol=0)
    up = [1.0, 2.0, 3.0, 4.0, 5.0]
    g.backward(gradix.tensor(up, dtype=getattr(gradix, dtype)))
    t.backward(torch.tensor(up, dtype=getattr(torch, dtype)))
    np.testing.assert_array_equal(gx[0].grad.numpy(), tx[0].grad.numpy())


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool"])
def test_nan_to_num_returns_integers_and_bools_unchanged(torch, dtype):
    (g, (x,)), (t, _) = _pair(torch, lambda m, x: x.nan_to_num(nan=1.5), [1, 0, 1], dtype=dtype)
    assert_matches(g, t)
    assert g is not x


def test_erfinv_is_infinite_at_plus_minus_one_and_nan_outside(torch):
    (g, _), (t, _) = _pair(torch, lambda m, x: x.erfinv(), [-1.0, 1.0, 1.5, -2.0, 0.0])
    assert_matches(g, t)


ANGLES = [0.0, 0.5, 1.5, 2.5, 3.0, -0.5, -1.5, -2.5, -3.0]  # every quadrant


def test_atan2_and_hypot_around_the_circle_match_torch(torch):
    """Values and first and second derivatives at points in all four quadrants and at radii
    0.5 and 3, in the function and method forms (arctan2 is atan2)."""
    ys = [r * math.sin(a) for r in (0.5, 3.0) for a in ANGLES]
    xs = [r * math.cos(a) for r in (0.5, 3.0) for a in ANGLES]
    for fn in (lambda m, a, b: m.atan2(a, b), lambda m, a, b: a.arctan2(b),
               lambda m, a, b: m.hypot(a, b)):
        (g, gx), (t, tx) = _pair(torch, fn, ys, xs, dtype="float64", requires_grad=True)
        assert_matches(g, t, rtol=1e-12)
        ups = np.linspace(-1.0, 1.0, len(xs))
        g1 = gradix.autograd.grad(g, gx, gradix.tensor(ups), create_graph=True)
        t1 = torch.autograd.grad(t, tx, torch.tensor(ups), create_graph=True)
        for a, b in zip(g1, t1):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12)
        g2 = gradix.autograd.grad(g1[0].sum() + g1[1].sum(), gx)
        t2 = torch.autograd.grad(t1[0].sum() + t1[1].sum(), tx)
        for a, b in zip(g2, t2):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12)


def test_atan2_on_the_axes_and_signed_zeros_matches_torch(torch):
    (g, _), (t, _) = _pair(torch, lambda m, a, b: m.atan2(a, b), [0.0, -0.0, 0.0, -0.0, 1.0, -1.0],
                           [-1.0, -1.0, 0.0, 0.0, 0.0, 0.0])
    assert_matches(g, t, rtol=0)


def test_hypot_does_not_overflow(torch):
    (g, _), (t, _) = _pair(torch, lambda m, a, b: m.hypot(a, b), [3e38, 0.0], [4e38, 0.0],
                           dtype="float64")
    assert_matches(g, t)


@pytest.mark.parametrize("weight", [0.0, 0.25, 0.5, 1.0, 1.5, -0.5])
def test_lerp_uses_torch_formula_so_weight_one_gives_end_exactly(torch, weight):
    start, end = [0.1, 1e8, -3.3, 7.0], [0.7, 1.0, 2.9, 7.0]
    (g, _), (t, _) = _pair(torch, lambda m, a, b: m.lerp(a, b, weight), start, end)
    assert_matches(g, t)  # torch's vectorized kernel rounds once (FMA): last bits may differ
    if weight in (0.0, 1.0):
        np.testing.assert_array_equal(g.numpy(), np.float32(start if weight == 0 else end))


def test_lerp_broadcasts_three_operands_and_matches_torch_gradients(torch):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in ((3, 1), (4,), (2, 1, 1))]
    (g, gx), (t, tx) = _pair(torch, lambda m, a, b, w: a.lerp(b, w), *arrays,
                             requires_grad=True)
    assert tuple(g.shape) == (2, 3, 4)
    assert_matches(g, t, rtol=1e-12)
    up = rng.standard_normal((2, 3, 4))
    ggrads = gradix.autograd.grad(g, gx, gradix.tensor(up))
    tgrads = torch.autograd.grad(t, tx, torch.tensor(up))
    for a, b in zip(ggrads, tgrads):
        assert a.shape == b.shape
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


def test_lerp_weight_dtypes_follow_torch(torch):
    for m in (gradix, torch):
        x = m.tensor([1.0, 2.0])
        assert m.lerp(x, x * 3, m.tensor(1)).dtype == m.float32  # a 0-d weight of any dtype
        assert m.lerp(x, x * 3, True).dtype == m.float32
        # which takes part in the type promotion: it sets the dtype over 0-d or integer ends
        s, w = m.tensor(1.0), m.tensor(0.25, dtype=m.float64)
        assert m.lerp(s, s * 3, w).dtype == m.float64
        assert m.lerp(x.long(), x.long() * 3, w).tolist() == [1.5, 3.0]
        with pytest.raises((TypeError, RuntimeError), match="end"):
            m.lerp(x, x.double(), 0.5)
        with pytest.raises((TypeError, RuntimeError), match="weight"):
            m.lerp(x, x, m.tensor([0.5, 0.5], dtype=m.float64))
        with pytest.raises((TypeError, RuntimeError)):
            m.lerp(x, x, m.tensor([1, 1]))


def test_lerp_errors_name_the_op_and_the_problem():
    x = gradix.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=r"^lerp: end must have input's dtype gradix\.float32, "
                                        r"got gradix\.float64"):
        gradix.lerp(x, x.double(), 0.5)
    with pytest.raises(ValueError, match=r"^lerp: shapes \(2,\), \(3,\) and \(\) can't be "
                                         r"broadcast together"):
        gradix.lerp(x, gradix.tensor([1.0, 2.0, 3.0]), 0.5)
    with pytest.raises(TypeError, match=r"^lerp: weight must be a number, got 'a'"):
        gradix.lerp(x, x, "a")
    with pytest.raises(TypeError, match=r"^lerp: argument 'end' must be a Tensor, got list"):
        gradix.lerp(x, [1.0, 2.0], 0.5)


_EMPTY_MISMATCHES = [  # (call on m = gradix or torch, words of gradix's ValueError)
    (lambda m: m.atan2(m.zeros(0), m.ones(2)), "atan2: shapes (0,) and (2,) can't be broadcast"),
    (lambda m: m.ones(0, 3).hypot(m.ones(2, 3)), "hypot: shapes (0, 3) and (2, 3) can't"),
    (lambda m: m.xlogy(m.ones(2), m.ones(0, 3)), "xlogy: shapes (2,) and (0, 3) can't"),
    (lambda m: m.fmax(m.ones(0), m.ones(2)), "fmax: shapes (0,) and (2,) can't"),
    (lambda m: m.ones(2).fmin(m.ones(0)), "fmin: shapes (2,) and (0,) can't"),
    (lambda m: m.logaddexp(m.ones(0, 1), m.ones(2, 2)), "logaddexp: shapes (0, 1) and (2, 2)"),
    (lambda m: m.isclose(m.ones(0), m.ones(2)), "isclose: shapes (0,) and (2,) can't"),
    (lambda m: m.lerp(m.ones(0), m.ones(0), m.ones(2)), "lerp: shapes (0,), (0,) and (2,) can't"),
]


@pytest.mark.parametrize("call, words", _EMPTY_MISMATCHES,
                         ids=[w[:12] for _, w in _EMPTY_MISMATCHES])
def test_empty_operands_that_do_not_broadcast_raise_like_torch(torch, call, words):
    """Empty and size-1 operands that broadcast are rows of op_table_math.py; these don't."""
    with pytest.raises(RuntimeError):
        call(torch)
    with pytest.raises(ValueError) as info:
        call(gradix)
    assert words in str(info.value)


ISCLOSE_CASES = {
    "default": ([1.0, 1.0, 1e-9, INF, -INF, INF, NAN], [1.0 + 1e-6, 1.1, 0.0, INF, -INF, -INF, NAN],
                {}),
    "equal_nan": ([NAN, NAN, 1.0], [NAN, 1.0, 1.0], {"equal_nan": True}),
    "loose": ([1.0, 2.0, 10.0], [1.3, 2.5, 11.0], {"rtol": 0.1, "atol": 0.25}),
    "zero_tolerances": ([1.0, 1.0 + 1e-12], [1.0, 1.0], {"rtol": 0.0, "atol": 0.0}),
}


@pytest.mark.parametrize("case", sorted(ISCLOSE_CASES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_isclose_is_a_bool_tensor_and_allclose_a_python_bool(torch, case, dtype):
    a, b, kwargs = ISCLOSE_CASES[case]
    (g, gx), (t, tx) = _pair(torch, lambda m, x, y: m.isclose(x, y, **kwargs), a, b, dtype=dtype)
    assert_matches(g, t, rtol=0)
    ours, theirs = gradix.allclose(*gx, **kwargs), torch.allclose(*tx, **kwargs)
    assert ours is theirs and isinstance(ours, bool)
    assert gx[0].allclose(gx[1], **kwargs) is ours


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int64", "bool"])
def test_isclose_of_integers_and_bools_matches_torch(torch, dtype):
    """Errors are computed in float32, as in torch: no wrap-around of uint8 0 - 1."""
    a, b = ([1, 0, 1, 1], [1, 1, 0, 1]) if dtype == "bool" else ([1, 0, 1, 3], [1, 1, 0, 2])
    for kwargs in ({}, {"rtol": 0.0, "atol": 1.0}, {"rtol": 0.5, "atol": 0.0}):
        (g, _), (t, _) = _pair(torch, lambda m, x, y, k=kwargs: x.isclose(y, **k), a, b,
                               dtype=dtype)
        assert_matches(g, t, rtol=0)
    (g, _), (t, _) = _pair(torch, lambda m, x, y: m.isclose(x, y, rtol=0, atol=0.5),
                           [2 ** 40 + 1], [2 ** 40])  # equal in float32
    assert_matches(g, t, rtol=0)


def test_isclose_broadcasts(torch):
    (g, _), (t, _) = _pair(torch, lambda m, a, b: m.isclose(a, b), [1.0, 2.0], [[1.0], [2.0]])
    assert_matches(g, t, rtol=0)


def test_isclose_errors_name_the_op_and_the_problem(torch):
    x, i = gradix.tensor([1.0, 2.0]), gradix.tensor([1, 2])
    with pytest.raises(RuntimeError):
        torch.isclose(torch.tensor([1.0]), torch.tensor([1]))
    with pytest.raises(TypeError, match=r"^isclose: input and other must have the same dtype, "
                                        r"got gradix\.float32 and gradix\.int64"):
        gradix.isclose(x, i)
    with pytest.raises(TypeError, match="^allclose|^isclose"):
        gradix.allclose(x, i)
    with pytest.raises(ValueError, match=r"^isclose: rtol and atol must be >= 0, got rtol=-1"):
        gradix.isclose(x, x, rtol=-1)
    with pytest.raises(ValueError, match=r"^isclose: shapes \(2,\) and \(3,\) can't be broadcast"):
        gradix.isclose(x, gradix.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match=r"^isclose: argument 'other' must be a Tensor"):
        gradix.isclose(x, 1.0)


@pytest.mark.parametrize("a, b", [
    ([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0], [1.0, 2.5]), ([1.0, 2.0], [[1.0, 2.0]]),
    ([1.0], [1.0, 1.0]), ([NAN], [NAN]), ([], []), (1.5, 1.5)])
def test_equal_is_a_python_bool_like_torch(torch, a, b):
    (g, _), (t, _) = _pair(torch, lambda m, x, y: m.equal(x, y), a, b)
    assert g is t
    (g, _), (t, _) = _pair(torch, lambda m, x, y: x.equal(y.double()), a, b)  # dtypes differ
    assert g is t


def test_equal_needs_tensors():
    with pytest.raises(TypeError, match=r"^equal: argument 'other' must be a Tensor, got list"):
        gradix.equal(gradix.tensor([1.0]), [1.0])


def test_clamp_min_and_clamp_max_match_torch(torch):
    (g, _), (t, _) = _pair(torch, lambda m, x: m.clamp_min(x, 1.5), [1, 2, 3])  # int -> float
    assert_matches(g, t, rtol=0)
    (g, _), (t, _) = _pair(torch, lambda m, x: x.clamp_max(2), [1, 2, 3])
    assert_matches(g, t, rtol=0)
    (g, _), (t, _) = _pair(torch, lambda m, x, hi: x.clamp_max(hi), [1.0, 2.0, 3.0],
                           [2.5, 1.0, 4.0])
    assert_matches(g, t, rtol=0)


ALIASES = {"absolute": "abs", "negative": "neg", "multiply": "mul", "divide": "div",
           "subtract": "sub", "fix": "trunc", "arcsin": "asin", "arccos": "acos",
           "arctan": "atan", "arcsinh": "asinh", "arccosh": "acosh", "arctanh": "atanh",
           "arctan2": "atan2"}


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_are_the_same_functions(alias):
    name = ALIASES[alias]
    assert getattr(gradix, alias) is getattr(gradix, name)
    assert getattr(gradix.Tensor, alias) is getattr(gradix.Tensor, name)


ALIAS_CALLS = {
    "subtract": lambda m, a, b: a.subtract(b, alpha=2),
    "divide": lambda m, a, b: m.divide(a, b, rounding_mode="floor"),
    "true_divide": lambda m, a, b: m.true_divide(a, b) + a.true_divide(b),
    "multiply": lambda m, a, b: a.multiply(b), "absolute": lambda m, a, b: m.absolute(a),
    "negative": lambda m, a, b: a.negative() + m.negative(b),
    "positive": lambda m, a, b: a.positive() + m.positive(b),
}


@pytest.mark.parametrize("name", sorted(ALIAS_CALLS))
def test_alias_calls_with_torch_keywords_match_torch(torch, name):
    (g, _), (t, _) = _pair(torch, ALIAS_CALLS[name], [3, -5, 7], [2, 2, -3])
    assert_matches(g, t, rtol=0)


def test_positive_returns_the_input_and_refuses_bool(torch):
    for m in (gradix, torch):
        x = m.tensor([1, 2])
        assert m.positive(x) is x and +x is x
    with pytest.raises(RuntimeError):
        torch.positive(torch.tensor([True]))
    for call in (lambda x: +x, gradix.positive, lambda x: x.positive()):
        with pytest.raises(TypeError, match=r"^positive: not supported for gradix\.bool"):
            call(gradix.tensor([True]))
