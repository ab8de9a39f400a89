"""Special functions and more elementwise math: the gamma family (lgamma, digamma, polygamma,
mvlgamma), i0, logit, sinc, addcmul/addcdiv, float_power, ldexp, copysign, logaddexp2, the
piecewise and bit-level ops (heaviside, nextafter, signbit, gcd, lcm, ...) and torch's alias
spellings of comparisons. As in PyTorch, integer and bool inputs of the floating functions give
float32; each op's forward and backward sit side by side, the backward written as torch's
derivative (digamma for lgamma, polygamma(n + 1) for polygamma(n), i1 for i0)."""
import math

import numpy as np

from .. import backend, dtypes
from ..autograd.function import BinaryFunction, Function, UnaryFunction
from ..tensor import Tensor, as_tensor, register
from ._errors import require_int, require_number, require_tensors
from .elementwise import (Cos, Sigmoid, Sin, _binary, _check_broadcast, _no_kernel, _unary, add,
                          cast, exp2, float_input, ge, gt, le, lt, mul, ne, operands, pow,
                          sign, true_divide, where)
from .in_place import in_place_form

__all__ = ["addcmul", "addcdiv", "lgamma", "digamma", "polygamma", "mvlgamma", "logit", "sinc",
           "deg2rad", "rad2deg", "heaviside", "float_power", "logaddexp2", "ldexp", "copysign",
           "nextafter", "signbit", "sgn", "isneginf", "isposinf", "isreal", "is_complex", "gcd",
           "lcm", "i0", "greater", "greater_equal", "less", "less_equal", "not_equal"]


def _special(x, name, *args):
    """scipy.special's ``name`` (cupyx's on a GPU) of ``args`` then ``x``, in x's dtype
    (SciPy computes float16 in a wider type)."""
    return getattr(backend.special(x), name)(*args, x).astype(x.dtype, copy=False)


# ---------------------------------------------------------------------- the gamma family
class Lgamma(UnaryFunction):
    array_backward = True

    def forward(self, x):
        y = _special(x, "gammaln")
        minus_inf = x == -np.inf
        # C's (and torch's) lgamma(-inf) is inf, SciPy's -inf
        return np.where(minus_inf, np.inf, y).astype(y.dtype, copy=False) if minus_inf.any() \
            else y

    def backward(self, gy):
        return gy * Digamma.call(self.args[0])


class Digamma(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return _special(x, "psi")

    def backward(self, gy):
        return gy * Polygamma.call(self.args[0], n=1)


class Polygamma(Function):
    """The n-th derivative of digamma: (-1)^(n+1) n! zeta(n + 1, x) for n >= 1."""
    array_backward = True

    def forward(self, x, n):
        self.n = n
        if n == 0:
            return _special(x, "psi")
        special = backend.special(x)
        with np.errstate(over="ignore"):
            y = (-1.0) ** (n + 1) * math.gamma(n + 1) * special.zeta(n + 1, x)
        return y.astype(x.dtype, copy=False)

    def backward(self, gy):
        return gy * Polygamma.call(self.args[0], n=self.n + 1)


lgamma = _unary("lgamma", Lgamma, doc="log |gamma(x)|; inf at 0 and the negative integers.")
digamma = _unary("digamma", Digamma, doc="The derivative of lgamma: -inf at 0, inf at -0, NaN "
                 "at the negative integers.")


def polygamma(n, input):  # noqa: A002  (torch's names)
    """The n-th derivative of digamma (n >= 0) elementwise; polygamma(0, x) is digamma(x)."""
    require_int("polygamma", "n", n, minimum=0)
    try:
        return Polygamma.apply(float_input(input), n=int(n))
    except Exception:
        require_tensors("polygamma", input=input)
        raise


@register("polygamma")
def _polygamma_method(self, n):
    """x.polygamma(n): polygamma(n, x) (torch's method)."""
    return polygamma(n, self)


@register("mvlgamma")
def mvlgamma(input, p):  # noqa: A002
    """The multivariate log-gamma function of dimension p (p >= 1): the sum of
    lgamma(x - i / 2) over i < p, plus p (p - 1) / 4 log(pi)."""
    require_int("mvlgamma", "p", p, minimum=1)
    require_tensors("mvlgamma", input=input)
    if input.dtype.kind == "b":
        raise TypeError("mvlgamma: the input may not be a bool tensor (as in torch); convert "
                        "it with .float()")
    x = float_input(input)
    offsets = np.arange(p, dtype=x.dtype) * -0.5
    y = lgamma(x.unsqueeze(-1) + backend.to_device(offsets, x.device)).sum(-1)
    return y + p * (p - 1) / 4 * math.log(math.pi) if p > 1 else y


# ---------------------------------------------------------------------- i0
class I0(UnaryFunction):
    """The modified Bessel function of the first kind, order 0."""
    array_backward = True

    def forward(self, x):
        return _special(x, "i0")

    def backward(self, gy):
        return gy * I1.call(self.args[0])


class I1(UnaryFunction):
    """i0's derivative, the modified Bessel function of order 1 (not public, as in torch)."""
    array_backward = True

    def forward(self, x):
        self.y = _special(x, "i1")
        return self.y

    def backward(self, gy):
        # i1'(x) = i0(x) - i1(x) / x, and 1/2 at x = 0 (torch's rule, within eps of 0)
        x = self.args[0]
        eps = float(np.finfo(x.dtype).eps)
        tiny = (x <= eps) & (x >= -eps)
        safe = where(tiny, eps, x)
        return gy * where(tiny, 0.5, I0.call(safe) - self.output(self.y) / safe)


i0 = _unary("i0", I0, doc="The modified Bessel function of the first kind, order 0.")


# ---------------------------------------------------------------------- logit, sinc, angles
class Logit(Function):
    array_backward = True

    def forward(self, x, eps):
        self.eps = eps
        z = x if eps is None else np.clip(x, eps, 1 - eps).astype(x.dtype, copy=False)
        with np.errstate(divide="ignore", invalid="ignore"):  # inf at 0 and 1, NaN outside
            return np.log(z / (1 - z))

    def backward(self, gy):
        x = self.args[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            g = gy / (x * (1 - x))
        if self.eps is None:  # torch's: NaN outside [0, 1]
            return where((x < 0) | (x > 1), math.nan, g)
        return where((x < self.eps) | (x > 1 - self.eps), 0, g)  # clamped: no gradient


@register("logit")
def logit(input, eps=None):  # noqa: A002
    """log(x / (1 - x)), the inverse of sigmoid; with ``eps``, x clamped to [eps, 1 - eps]
    first (and a zero gradient outside). A negative eps counts as None, as in torch."""
    require_tensors("logit", input=input)
    if eps is not None:
        require_number("logit", "eps", eps)
        eps = float(eps)
        if eps < 0:
            eps = None
    return Logit.apply(float_input(input), eps=eps)


class Sinc(UnaryFunction):
    array_backward = True

    def forward(self, x):
        compute = np.float32 if x.dtype == np.float16 else x.dtype
        return np.sinc(x.astype(compute, copy=False)).astype(x.dtype, copy=False)

    def backward(self, gy):
        # torch's rule: (pi x cos(pi x) - sin(pi x)) / (pi x^2), and 0 at x = 0
        x = self.args[0]
        zero = x == 0
        s = where(zero, 1, x)
        t = s * math.pi
        return gy * where(zero, 0, (t * Cos.call(t) - Sin.call(t)) / (t * s))


sinc = _unary("sinc", Sinc, doc="sin(pi x) / (pi x), and 1 at x = 0 (the normalized sinc).")


@register("deg2rad")
def deg2rad(input):  # noqa: A002
    """Degrees to radians: x * pi / 180 (integer inputs give float32)."""
    require_tensors("deg2rad", input=input)
    return mul(float_input(input), math.pi / 180)


@register("rad2deg")
def rad2deg(input):  # noqa: A002
    """Radians to degrees: x * 180 / pi (integer inputs give float32)."""
    require_tensors("rad2deg", input=input)
    return mul(float_input(input), 180 / math.pi)


# ---------------------------------------------------------------------- addcmul, addcdiv
def _check_addc(op, input, tensor1, tensor2, value):
    require_tensors(op, input=input, tensor1=tensor1, tensor2=tensor2)
    require_number(op, "value", value)
    _check_broadcast(op, input.shape, tensor1.shape, tensor2.shape)
    return dtypes.result_type(input.data, tensor1.data, tensor2.data)


def _to_dtype(dtype, *tensors):
    # all three in the result dtype first: promoting pairwise can end elsewhere (an int64
    # tensor1 times a 0-d float64 tensor2 is float32, which a 0-d float64 input keeps)
    return tuple(t if t.dtype == dtype else cast(t, dtype) for t in tensors)


@register("addcmul")
def addcmul(input, tensor1, tensor2, *, value=1):  # noqa: A002
    """input + value * tensor1 * tensor2, broadcasting all three; for integer tensors value is
    truncated to an integer, as in torch."""
    dtype = _check_addc("addcmul", input, tensor1, tensor2, value)
    if dtype.kind == "b":
        _no_kernel("addcmul", dtype)
    if isinstance(value, Tensor):
        value = value.item()
    if dtype.kind != "f":
        value = int(value)
    input, tensor1, tensor2 = _to_dtype(dtype, input, tensor1, tensor2)
    product = tensor1 if value == 1 else mul(tensor1, value)
    return add(input, mul(product, tensor2))


@register("addcdiv")
def addcdiv(input, tensor1, tensor2, *, value=1):  # noqa: A002
    """input + value * tensor1 / tensor2, broadcasting all three; tensor1 and tensor2 can't
    both be integer (or bool) tensors, as in torch."""
    dtype = _check_addc("addcdiv", input, tensor1, tensor2, value)
    if tensor1.dtype.kind != "f" and tensor2.dtype.kind != "f":
        raise RuntimeError(f"addcdiv: integer division isn't supported (tensor1 is "
                           f"{dtypes.dtype_name(tensor1.dtype)} and tensor2 "
                           f"{dtypes.dtype_name(tensor2.dtype)}, as in PyTorch); make one of "
                           f"them floating, e.g. tensor1.float()")
    if isinstance(value, Tensor):
        value = value.item()
    input, tensor1, tensor2 = _to_dtype(dtype, input, tensor1, tensor2)
    product = tensor1 if value == 1 else mul(tensor1, value)
    return add(input, true_divide(product, tensor2))


# ---------------------------------------------------------------------- powers and signs
@register("float_power")
def float_power(input, exponent):  # noqa: A002
    """input ** exponent computed in float64 (the result is always float64, as in torch);
    either one may be a Python number."""
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        require_tensors("float_power", input=input)
    args = []
    for name, x in (("input", input), ("exponent", exponent)):
        if isinstance(x, Tensor):
            x = cast(x, dtypes.float64)
        else:
            require_number("float_power", name, x)
            x = float(x)
        args.append(x)
    return pow(*args)


@register("float_power_")
def _float_power_(self, exponent):
    """In place: x.float_power(exponent) written into x, which must be float64 (torch's
    rule)."""
    if self.dtype != dtypes.float64:  # torch raises too (a RuntimeError)
        raise TypeError(f"float_power_: the result is gradix.float64, which can't be written "
                        f"into a {dtypes.dtype_name(self.dtype)} tensor; use "
                        f"x.double().float_power_(...) or the out-of-place float_power")
    return in_place_form("float_power")(self, exponent)


class Logaddexp2(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        if a.dtype.kind != "f":
            _no_kernel("logaddexp2", a.dtype)
        return np.logaddexp2(a, b)

    def backward(self, gy):
        a, b = self.args
        # 2^a / (2^a + 2^b) = sigmoid((a - b) ln 2)
        return (gy * Sigmoid.call((a - b) * math.log(2)),
                gy * Sigmoid.call((b - a) * math.log(2)))


logaddexp2 = register("logaddexp2")(_binary(
    "logaddexp2", Logaddexp2, doc="log2(2 ** a + 2 ** b) without overflow, broadcasting; needs "
    "floating tensors (as in PyTorch)."))


@register("ldexp")
def ldexp(input, other):  # noqa: A002
    """input * 2 ** other, broadcasting; integer inputs give float32 (torch's
    input * pow(2.0, other))."""
    require_tensors("ldexp", input=input)
    if not isinstance(other, Tensor):
        other = as_tensor(other)
    if input.shape != other.shape:
        _check_broadcast("ldexp", input.shape, other.shape)
    # in the dtype the two promote to (float32 for integers), as torch: exp2 of an integer
    # other alone would be float32 and pull a 0-d float64 input down with it
    dtype = dtypes.result_type(input.data, other.data)
    dtype = dtype if dtype.kind == "f" else np.dtype(dtypes.default_float)
    input, other = _to_dtype(dtype, input, other)
    return mul(input, exp2(other))


class Copysign(BinaryFunction):
    def forward(self, a, b):
        y = np.copysign(a, b)
        with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 where a is 0
            self.ratio = np.where(a == 0, 0, y / a).astype(y.dtype, copy=False)  # +-1, or 0
        return y

    def backward(self, gy):
        # torch's: gy * y / a (0 where a is 0) for a, and zeros for b
        return gy * Tensor._make(self.ratio, False, None), gy * 0


copysign = register("copysign")(_binary(
    "copysign", Copysign, floating=True,
    doc="|a| with the sign of b (signed zeros count), broadcasting; integer inputs give "
        "float32. The gradient in b is zero."))


@register("nextafter")
def nextafter(input, other):  # noqa: A002
    """The next floating value after input toward other, elementwise and broadcasting; needs
    floating tensors; not differentiable."""
    require_tensors("nextafter", input=input, other=other)
    a, b = operands("nextafter", input, other)
    if a.dtype.kind != "f":
        _no_kernel("nextafter", a.dtype)
    return Tensor._make(np.asarray(np.nextafter(a.data, b.data)), False, None)


@register("heaviside")
def heaviside(input, values):  # noqa: A002
    """The step function: 0 where input < 0, values where input == 0, 1 where input > 0 (and
    0 at NaN), broadcasting; input and values must have one dtype (as in torch); not
    differentiable."""
    require_tensors("heaviside", input=input, values=values)
    if input.dtype != values.dtype:
        raise RuntimeError(f"heaviside: input and values must have the same dtype (as in "
                           f"PyTorch), got {dtypes.dtype_name(input.dtype)} and "
                           f"{dtypes.dtype_name(values.dtype)}")
    if input.shape != values.shape:
        _check_broadcast("heaviside", input.shape, values.shape)
    x = input.data
    y = np.where(x == 0, values.data, x > 0).astype(x.dtype, copy=False)
    return Tensor._make(np.asarray(y), False, None)


def _predicate(name, fn, doc):
    def op(input):  # noqa: A002
        require_tensors(name, input=input)
        return Tensor._make(np.asarray(fn(input.data)), False, None)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    register(name)(op)
    return op


def _signbit(x):
    if x.dtype.kind == "b":
        return np.zeros(x.shape, bool)
    return np.signbit(x) if x.dtype.kind == "f" else x < 0


def _is_value(value):
    def fn(x):
        return x == value if x.dtype.kind == "f" else np.zeros(x.shape, bool)
    return fn


signbit = _predicate("signbit", _signbit, "Whether the sign bit is set, elementwise (True at -0.0 "
                     "and -NaN), as a bool tensor.")
isneginf = _predicate("isneginf", _is_value(-np.inf), "Whether x is -inf, as a bool tensor.")
isposinf = _predicate("isposinf", _is_value(np.inf), "Whether x is +inf, as a bool tensor.")
isreal = _predicate("isreal", lambda x: np.ones(x.shape, bool),
                    "Whether x has no imaginary part: True everywhere (gradix has no complex "
                    "dtypes).")
sgn = register("sgn")(sign)  # sign, for real tensors


@register("is_complex")
def is_complex(input):  # noqa: A002
    """False: gradix has no complex dtypes."""
    require_tensors("is_complex", input=input)
    return False


def _integer_op(name, ufunc):
    def op(input, other):  # noqa: A002
        require_tensors(name, input=input, other=other)
        a, b = operands(name, input, other)
        if a.dtype.kind not in "iu":
            _no_kernel(name, a.dtype)
        return Tensor._make(np.asarray(ufunc(a.data, b.data)), False, None)
    op.__name__ = op.__qualname__ = name
    register(name)(op)
    return op


gcd = _integer_op("gcd", np.gcd)
gcd.__doc__ = ("The greatest common divisor of |input| and |other|, broadcasting (0 for two "
               "zeros); integer tensors only.")
lcm = _integer_op("lcm", np.lcm)
lcm.__doc__ = ("The least common multiple of |input| and |other|, broadcasting (0 where either "
               "is 0); integer tensors only.")


# ---------------------------------------------------------------------- torch's other spellings
greater = register("greater")(gt)
greater_equal = register("greater_equal")(ge)
less = register("less")(lt)
less_equal = register("less_equal")(le)
not_equal = register("not_equal")(ne)


for _name in ("addcmul addcdiv lgamma digamma polygamma mvlgamma logit sinc deg2rad rad2deg "
              "heaviside ldexp copysign nextafter sgn gcd lcm i0 greater greater_equal less "
              "less_equal not_equal").split():
    register(_name + "_")(in_place_form(_name))
