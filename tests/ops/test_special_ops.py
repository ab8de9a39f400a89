"""More elementwise and special functions, where a row of op_table_special.py can't express the
case: integer and bool inputs and their result dtypes, poles and special values, gradients at
the points torch defines by a limit, in-place forms, torch's alias spellings, and errors."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special

import gradix
from gradix.autograd import grad

# special values (sin(inf), 1 / 0) make NumPy warn, as they do in every gradix op
pytestmark = pytest.mark.filterwarnings("ignore:(divide by zero|invalid value):RuntimeWarning")

INTS = np.array([[3, -1, 2, 0], [1, 7, -4, 5]])
BOOLS = np.array([[True, False, True, True], [False, False, True, False]])
SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, -2.5, 0.5, np.inf, -np.inf, np.nan])


def _same(g, t, rtol=0.0, atol=0.0):
    """A gradix result equal to a torch one: shape, dtype and values (NaN equal to NaN), within
    ``rtol`` and ``atol`` if given."""
    assert tuple(g.shape) == tuple(t.shape)
    assert g.dtype.name == str(t.dtype).replace("torch.", "")
    if rtol or atol:
        np.testing.assert_allclose(g.detach().numpy(), t.detach().numpy(), rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(g.detach().numpy(), t.detach().numpy())


def _both(torch, f, *arrays, rtol=0.0, atol=0.0):
    g = f(gradix, *[gradix.tensor(a) for a in arrays])
    t = f(torch, *[torch.tensor(a) for a in arrays])
    _same(g, t, rtol, atol)
    return g


FLOATING_UNARY = {
    "lgamma": lambda m, x: m.lgamma(x),
    "digamma": lambda m, x: x.digamma(),
    "polygamma2": lambda m, x: m.polygamma(2, x),
    "mvlgamma": lambda m, x: (x + 5).mvlgamma(2),
    "i0": lambda m, x: m.i0(x),
    "logit": lambda m, x: m.logit(x),
    "logit_eps": lambda m, x: x.logit(0.25),
    "sinc": lambda m, x: m.sinc(x),
    "deg2rad": lambda m, x: x.deg2rad(),
    "rad2deg": lambda m, x: m.rad2deg(x),
}


@pytest.mark.parametrize("data", [INTS, BOOLS, INTS.astype(np.uint8), INTS.astype(np.int16)],
                         ids=["int64", "bool", "uint8", "int16"])
@pytest.mark.parametrize("name", list(FLOATING_UNARY))
def test_integer_and_bool_inputs_give_float32(torch, name, data):
    g = _both(torch, FLOATING_UNARY[name], data, rtol=1e-6)
    assert g.dtype == gradix.float32 and not g.requires_grad


@pytest.mark.parametrize("name", list(FLOATING_UNARY))
def test_float16_stays_float16(torch, name):
    _both(torch, FLOATING_UNARY[name], np.array([0.25, 0.5, 0.75, 2.0], np.float16), rtol=2e-3)


@pytest.mark.parametrize("call", [
    lambda m, x: m.lgamma(x), lambda m, x: m.digamma(x), lambda m, x: m.polygamma(3, x[:6]),
    lambda m, x: m.i0(x), lambda m, x: m.sinc(x), lambda m, x: m.logit(x),
    lambda m, x: m.logit(x, eps=0.1), lambda m, x: m.deg2rad(x), lambda m, x: m.sgn(x),
    lambda m, x: m.signbit(x), lambda m, x: m.isneginf(x), lambda m, x: m.isposinf(x),
    lambda m, x: m.isreal(x), lambda m, x: m.copysign(x, -1.0),
    lambda m, x: m.copysign(m.ones_like(x), x),
    lambda m, x: m.logaddexp2(x, x), lambda m, x: m.ldexp(x, m.tensor([3])),
    lambda m, x: m.float_power(x, 2),
    lambda m, x: m.heaviside(x, m.tensor(0.5, dtype=m.float64)),
    lambda m, x: m.nextafter(x, m.tensor(0.0)),
], ids=["lgamma", "digamma", "polygamma3", "i0", "sinc", "logit", "logit_eps", "deg2rad", "sgn",
        "signbit", "isneginf", "isposinf", "isreal", "copysign", "copysign_base", "logaddexp2",
        "ldexp", "float_power", "heaviside", "nextafter"])
def test_poles_and_special_values_match_torch(torch, call):
    """0, -0, the negative integers (poles of the gamma family), +-inf and NaN (polygamma
    without the infinities: see the next test)."""
    _both(torch, call, SPECIAL, rtol=1e-12, atol=1e-15)


def test_polygamma_at_infinity():
    """SciPy's limits, where torch 2.13 is inconsistent (polygamma(1, inf) is 0 but
    polygamma(2, inf) NaN): 0 at inf for n >= 1, and at -inf, where poles pile up, NaN or inf
    as SciPy gives them; digamma is inf at inf."""
    x = np.array([np.inf, -np.inf])
    for n in range(5):
        y = gradix.polygamma(n, gradix.tensor(x)).numpy()
        np.testing.assert_array_equal(y, special.polygamma(n, x))
        assert y[0] == (np.inf if n == 0 else 0.0)


def test_trigamma_matches_torch_to_its_accuracy(torch):
    """torch's trigamma is accurate to about 1e-9 (SciPy's, checked in the table, to 1e-15)."""
    x = np.linspace(0.05, 30.0, 200)
    _both(torch, lambda m, t: m.polygamma(1, t), x, rtol=1e-8)
    _both(torch, lambda m, t: t.polygamma(1), -x + 0.5, rtol=1e-8)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=5),
                  elements=st.floats(-30, 30)))
def test_unary_functions_match_torch_on_random_values(x):
    torch = pytest.importorskip("torch")
    x = np.where(np.abs(x - np.round(x)) < 1e-3, x + 0.25, x)  # off the poles at integers <= 0
    for f in (lambda m, t: m.lgamma(t), lambda m, t: m.digamma(t), lambda m, t: m.sinc(t),
              lambda m, t: m.i0(t / 2), lambda m, t: m.polygamma(2, t),
              lambda m, t: m.logit(m.sigmoid(t)), lambda m, t: m.logaddexp2(t, -t)):
        _both(torch, f, x, rtol=1e-9)


# ---------------------------------------------------------------------- gradients at limits
def _grad(f, x, create_graph=False):
    t = gradix.tensor(x, requires_grad=True)
    return grad(f(t).sum(), t, create_graph=create_graph)[0]


def test_sinc_gradient_is_zero_at_zero(torch):
    x = np.array([0.0, 1.0, -0.5, 1e-8])
    g = _grad(gradix.sinc, x)
    np.testing.assert_allclose(g.numpy(), [0.0, -1.0, 4 / math.pi, 0.0], atol=1e-7)
    assert g.numpy()[0] == 0.0
    assert gradix.sinc(gradix.tensor(0.0)).item() == 1.0


def test_i0_second_derivative_at_zero_is_one_half():
    """i0'' = i1', which is 1/2 at 0 (the limit of i0 - i1 / x)."""
    x = gradix.tensor([0.0, 1.5], dtype=gradix.float64, requires_grad=True)
    (g,) = grad(gradix.i0(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), special.i1([0.0, 1.5]), rtol=1e-14)
    (gg,) = grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), [0.5, special.i0(1.5) - special.i1(1.5) / 1.5],
                               rtol=1e-14)


def test_logit_gradient(torch):
    """1 / (x (1 - x)); NaN outside [0, 1] without eps, 0 outside [eps, 1 - eps] with it (the
    bounds themselves inside)."""
    x = np.array([-0.1, 0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0, 1.2])
    for eps in (None, 0.1, -1.0):
        g = _grad(lambda t: gradix.logit(t, eps), x)
        tx = torch.tensor(x, requires_grad=True)
        torch.logit(tx, eps).sum().backward()
        np.testing.assert_allclose(g.numpy(), tx.grad.numpy(), rtol=1e-14)


def test_copysign_gradient_is_zero_at_zero_and_in_other(torch):
    a = gradix.tensor([0.0, -0.0, 2.0, -3.0], dtype=gradix.float64, requires_grad=True)
    b = gradix.tensor([-1.0, 1.0, -1.0, 1.0], dtype=gradix.float64, requires_grad=True)
    ga, gb = grad(gradix.copysign(a, b).sum(), [a, b])
    np.testing.assert_array_equal(ga.numpy(), [0.0, 0.0, -1.0, -1.0])
    np.testing.assert_array_equal(gb.numpy(), [0.0, 0.0, 0.0, 0.0])


def test_ldexp_gradient_with_negative_integer_exponents():
    """d(x * 2^n)/dx = 2^n. torch 2.13 gives 0 here (its backward computes pow(2, n) in
    integers, 2^-8 = 0): a torch bug gradix doesn't copy, checked against the math."""
    n = gradix.tensor([-8, -1, 0, 3])
    g = _grad(lambda t: gradix.ldexp(t, n), np.array([0.3, 0.4, 0.5, 0.6]))
    np.testing.assert_array_equal(g.numpy(), [2.0 ** -8, 0.5, 1.0, 8.0])


def test_float_power_gradient_keeps_the_input_dtype(torch):
    x = gradix.tensor([0.5, 2.0], requires_grad=True)
    y = gradix.float_power(x, 3)
    assert y.dtype == gradix.float64
    (g,) = grad(y.sum(), x)
    assert g.dtype == gradix.float32
    np.testing.assert_allclose(g.numpy(), [0.75, 12.0])


@pytest.mark.parametrize("call", [
    lambda m, a, b: m.heaviside(a, b), lambda m, a, b: m.nextafter(a, b),
    lambda m, a, b: m.signbit(a), lambda m, a, b: m.isposinf(a), lambda m, a, b: m.isreal(a),
    lambda m, a, b: a.greater(b), lambda m, a, b: m.not_equal(a, b),
])
def test_not_differentiable_results_dont_require_grad(call):
    a = gradix.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    b = gradix.tensor([0.5, 0.5, 0.5], requires_grad=True)
    assert not call(gradix, a, b).requires_grad


# ---------------------------------------------------------------------- dtypes of binary ops
@pytest.mark.parametrize("call", [
    lambda m, a, b: m.addcmul(a, a, b), lambda m, a, b: m.addcmul(a, a, a, value=3),
    lambda m, a, b: a.addcmul(a, a, value=2.7), lambda m, a, b: a.addcmul(a, a, value=-1.5),
    lambda m, a, b: m.addcdiv(a, b, a.float()), lambda m, a, b: a.addcdiv(b, b, value=2),
    lambda m, a, b: m.float_power(a, a), lambda m, a, b: m.float_power(a, 0.5),
    lambda m, a, b: m.float_power(2, a), lambda m, a, b: m.ldexp(a, a),
    lambda m, a, b: m.ldexp(b, a), lambda m, a, b: m.ldexp(b.double(), a),
    lambda m, a, b: m.copysign(a, a), lambda m, a, b: m.copysign(a, -b),
    lambda m, a, b: m.copysign(a > 0, a), lambda m, a, b: m.logaddexp2(b, b.double()),
    lambda m, a, b: m.nextafter(b, b.double() * 2), lambda m, a, b: m.heaviside(a, a),
    lambda m, a, b: m.heaviside(a > 0, a < 0), lambda m, a, b: m.gcd(a, a * 4),
    lambda m, a, b: m.lcm(a, a.int() * 3), lambda m, a, b: m.gcd(a.to(m.uint8), a.to(m.int8)),
    lambda m, a, b: m.lcm(a.short(), a.to(m.uint8)), lambda m, a, b: m.sgn(a),
    lambda m, a, b: m.sgn(a > 0), lambda m, a, b: a.signbit(), lambda m, a, b: m.isneginf(a),
    lambda m, a, b: (a > 0).isposinf(),
])
def test_result_dtypes_match_torch(torch, call):
    _both(torch, call, INTS, INTS * 0.75 - 0.5, rtol=1e-6)


# ---------------------------------------------------------------------- in-place forms
@pytest.mark.parametrize("call", [
    lambda m, x, y: x.addcmul_(y, y, value=0.5), lambda m, x, y: x.addcdiv_(y, y + 3),
    lambda m, x, y: x.lgamma_(), lambda m, x, y: x.digamma_(), lambda m, x, y: x.polygamma_(2),
    lambda m, x, y: (x + 3).mvlgamma_(2), lambda m, x, y: (x / 4 + 0.5).logit_(),
    lambda m, x, y: x.logit_(0.2), lambda m, x, y: x.sinc_(), lambda m, x, y: x.deg2rad_(),
    lambda m, x, y: x.rad2deg_(), lambda m, x, y: x.heaviside_(y), lambda m, x, y: x.ldexp_(y),
    lambda m, x, y: x.copysign_(y), lambda m, x, y: x.nextafter_(y), lambda m, x, y: x.sgn_(),
    lambda m, x, y: x.i0_(), lambda m, x, y: x.double().float_power_(y),
    lambda m, x, y: x.greater_(y), lambda m, x, y: x.less_equal_(y),
    lambda m, x, y: x.not_equal_(y), lambda m, x, y: x.greater_equal_(y),
    lambda m, x, y: x.less_(y), lambda m, x, y: x.long().gcd_(y.long()),
    lambda m, x, y: x.long().lcm_(y.long() + 1),
])
def test_in_place_forms_match_torch(torch, call):
    x = np.array([[0.3, 1.5, -2.25], [2.0, 0.75, 4.0]])
    y = np.array([0.5, -1.0, 2.0])
    gx, tx = gradix.tensor(x), torch.tensor(x)
    g, t = call(gradix, gx, gradix.tensor(y)), call(torch, tx, torch.tensor(y))
    _same(g, t, rtol=1e-12, atol=1e-15)
    # the original changed as torch's
    np.testing.assert_allclose(gx.numpy(), tx.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("call", [
    lambda m, x: x.lgamma_(), lambda m, x: x.i0_(), lambda m, x: x.float_power_(2),
    lambda m, x: x.float().float_power_(2.0), lambda m, x: x.logit_(),
])
def test_in_place_forms_refuse_what_torch_refuses(torch, call):
    """A result that can't be written into the tensor's dtype: torch raises RuntimeError,
    gradix TypeError (its convention for in-place dtype refusals, dtypes.check_cast)."""
    with pytest.raises(RuntimeError):
        call(torch, torch.tensor([1, 2, 3]))
    with pytest.raises(TypeError, match="can't be written into"):
        call(gradix, gradix.tensor([1, 2, 3]))


# ---------------------------------------------------------------------- aliases
def test_method_aliases(torch):
    for data in (np.zeros((2, 3, 4)), np.array(2.5), np.zeros((0, 3))):
        g, t = gradix.tensor(data), torch.tensor(data)
        assert g.ndimension() == t.ndimension() and g.nelement() == t.nelement()
    _both(torch, lambda m, x: x.short(), np.array([1.7, -2.5, 40000.0, 3.0]))
    _both(torch, lambda m, x: x.short(), INTS)
    x = gradix.tensor([1.0, 2.0])
    assert x.is_complex() is False and gradix.is_complex(x) is False


@pytest.mark.parametrize("name", ["greater", "greater_equal", "less", "less_equal",
                                  "not_equal"])
def test_comparison_aliases_take_numbers(torch, name):
    _both(torch, lambda m, x: getattr(m, name)(x, 1), INTS)
    _both(torch, lambda m, x: getattr(x, name)(0.5), INTS * 0.5)


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("call, error, words", [
    (lambda x: gradix.polygamma(-1, x), ValueError, "n must be at least 0"),
    (lambda x: gradix.polygamma(1.0, x), TypeError, "n must be an int"),
    (lambda x: x.polygamma(None), TypeError, "n must be an int"),
    (lambda x: gradix.mvlgamma(x, 0), ValueError, "p must be at least 1"),
    (lambda x: gradix.mvlgamma([1.0], 1), TypeError, "must be a Tensor"),
    (lambda x: gradix.lgamma("a"), TypeError, "str"),
    (lambda x: gradix.logit(x, eps="a"), TypeError, "eps must be a number"),
    (lambda x: gradix.addcmul(x, x, 2.0), TypeError, "tensor2"),
    (lambda x: gradix.addcmul(x, x, x, value="a"), TypeError, "value must be a number"),
    (lambda x: gradix.addcmul(x, x.reshape(3, 1), gradix.ones(2)), ValueError,
     "can't be broadcast"),
    (lambda x: gradix.addcmul(x > 0, x > 0, x > 0), NotImplementedError, "bool"),
    (lambda x: gradix.addcdiv(x, x.long(), x.long()), RuntimeError, "integer division"),
    (lambda x: gradix.addcdiv(x, x > 0, x.long()), RuntimeError, "integer division"),
    (lambda x: gradix.heaviside(x, gradix.tensor(0.5, dtype=gradix.float64)), RuntimeError,
     "same dtype"),
    (lambda x: gradix.heaviside(x, gradix.ones(2)), ValueError, "can't be broadcast"),
    (lambda x: gradix.heaviside(x, 0.5), TypeError, "values"),
    (lambda x: gradix.nextafter(x.long(), x.long()), NotImplementedError, "int64"),
    (lambda x: gradix.logaddexp2(x.long(), x.long()), NotImplementedError, "int64"),
    (lambda x: gradix.gcd(x, x), NotImplementedError, "float32"),
    (lambda x: gradix.lcm(x > 0, x > 0), NotImplementedError, "bool"),
    (lambda x: gradix.gcd(x.long(), 3), TypeError, "other"),
    (lambda x: gradix.ldexp(2.0, x), TypeError, "input"),
    (lambda x: gradix.ldexp(x, gradix.ones(2)), ValueError, "can't be broadcast"),
    (lambda x: gradix.float_power(2, 3), TypeError, "Tensor"),
    (lambda x: gradix.float_power(x, "a"), TypeError, "exponent must be a number"),
    (lambda x: x.float_power_(2), TypeError, "float64"),
    (lambda x: gradix.signbit([1.0]), TypeError, "must be a Tensor"),
])
def test_errors(call, error, words):
    x = gradix.tensor([0.5, 1.0, 2.0])
    with pytest.raises(error, match=words):
        call(x)
    np.testing.assert_array_equal(x.numpy(), [0.5, 1.0, 2.0])
