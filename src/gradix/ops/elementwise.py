"""Elementwise ops: arithmetic with broadcasting and type promotion, math functions,
comparisons and logical ops. Each op's forward and backward sit side by side."""
import builtins
import math
import operator

import numpy as np

from .. import backend, dtypes
from ..autograd.function import BinaryFunction, Function, UnaryFunction
from ..tensor import Tensor, as_tensor, check_fits, register
from ._errors import refuse_sequence, require_number, require_tensors

# ---------------------------------------------------------------------- operands
_ndarray = np.ndarray
_constants = {}


def _constant(value, dtype):
    """A Python scalar as a 0-d tensor of ``dtype``, cached (ops reuse the same constants)
    except for zeros: 0.0 and -0.0 are one dict key, yet 1 / -0.0 is -inf."""
    if value == 0:
        return Tensor._make(np.asarray(value, dtype=dtype), False, None)
    key = (value, dtype)  # 1, 1.0 and True give one array of a given dtype
    t = _constants.get(key)
    if t is None:
        if len(_constants) > 4096:
            _constants.clear()
        t = _constants[key] = Tensor._make(_scalar_array(value, dtype), False, None)
    return t


def _scalar_array(value, dtype):
    try:
        return np.asarray(value, dtype=dtype)
    except OverflowError:
        # A Python int outside an integer dtype's range wraps around, as in torch: uint8 with
        # -1 computes with 255 (x + -1 is x - 1 modulo 256, and x == -1 tests x == 255).
        return np.asarray(value).astype(dtype)


def _promote(x, dtype, like):
    if isinstance(x, Tensor):
        return x if x.data.dtype == dtype else cast(x, dtype)
    if isinstance(x, (int, float, bool, np.number, np.bool_)):
        value = _constant(x, dtype)
        if like is not None and backend.array_module(like.data) is not np:
            value = to_device(value, like.device)
        return value
    return as_tensor(x, dtype=dtype, device=None if like is None else like.device)


def operands(op, a, b, floating=False):
    """``a`` and ``b`` as tensors of one dtype (PyTorch's promotion), shapes checked."""
    if a.__class__ is Tensor:
        if b.__class__ is Tensor:
            if a.data.dtype != b.data.dtype or (floating and a.data.dtype.kind != "f"):
                a, b = promote(op, a, b, floating)
        elif (b.__class__ is float or b.__class__ is int) and a.data.dtype.kind == "f" \
                and a.data.__class__ is _ndarray:
            b = _constant(b, a.data.dtype)
        else:
            a, b = promote(op, a, b, floating)
    else:
        a, b = promote(op, a, b, floating)
    sa, sb = a.data.shape, b.data.shape
    if sa != sb and sa and sb:
        _check_broadcast(op, sa, sb)
    return a, b


def promote(op, a, b, floating=False):
    """``a`` and ``b`` (tensors, arrays or scalars) as tensors of their promoted dtype."""
    if (isinstance(a, Tensor) and isinstance(b, Tensor) and a.data.dtype == b.data.dtype
            and (not floating or a.data.dtype.kind == "f")):
        return a, b
    raw = [x.data if isinstance(x, Tensor) else
           x if isinstance(x, (int, float, bool, np.number, np.bool_)) else _array_operand(op, x)
           for x in (a, b)]
    for x, given in zip(raw, (a, b)):
        if hasattr(x, "dtype") and x.dtype.kind not in "biuf":
            raise TypeError(f"{op}: unsupported operand of type {type(given).__name__} (dtype "
                            f"{x.dtype}); operands must be tensors, numbers or arrays of bool, "
                            f"integer or floating values")
    dtype = dtypes.result_type(*raw)
    if floating and dtype.kind != "f":
        dtype = dtypes.default_float
    like = a if isinstance(a, Tensor) else b if isinstance(b, Tensor) else None
    return _promote(a, dtype, like), _promote(b, dtype, like)


def _array_operand(op, x):
    """An operand that is neither a tensor nor a number, as an array. Lists and tuples are
    refused, as torch refuses them: ``x + [1, 2]`` raises, and ``x == [1, 2]`` is False
    (Python's fallback once the comparison gives up, see _compare)."""
    refuse_sequence(op, x)
    return np.asarray(x)


def _check_broadcast(op, *shapes):
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        listed = ", ".join(str(tuple(s)) for s in shapes[:-1]) + f" and {tuple(shapes[-1])}"
        raise ValueError(f"{op}: shapes {listed} can't be broadcast together (sizes must "
                         f"match or be 1 in each dimension, aligned from the right)") from None


def float_input(x):
    """``x`` as a floating tensor: integer and bool data become float32, like PyTorch."""
    if not isinstance(x, Tensor):
        x = as_tensor(x)
    return x if x.data.dtype.kind == "f" else cast(x, dtypes.default_float)


# ---------------------------------------------------------------------- dtype and device
class Cast(Function):
    """A conversion between floating dtypes (the only kind recorded: see cast)."""
    array_backward = True

    def forward(self, x, dtype):
        self.src = x.dtype
        return x.astype(dtype)

    def backward(self, gy):
        return cast(gy, self.src) if self.src.kind == "f" else None


def cast(x, dtype):
    """``x`` converted to ``dtype``; gradients flow back only between floating dtypes.

    A conversion to an integer or bool dtype ends the graph, as in PyTorch: the result has
    requires_grad False and no grad_fn, so a later backward through it raises instead of
    silently leaving ``x.grad`` None.
    """
    if np.dtype(dtype).kind != "f" and isinstance(x, Tensor):
        return Tensor._make(x.data.astype(dtype), False, None)
    return Cast.call(x, dtype=dtype)  # also on arrays, for backward rules


class ToDevice(Function):
    def forward(self, x, device):
        self.src = backend.device_of(x)
        return backend.to_device(x, device)

    def backward(self, gy):
        return to_device(gy, self.src)


def to_device(x, device):
    return ToDevice.apply(x, device=device)


# ---------------------------------------------------------------------- arithmetic
class Add(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        return a + b

    def backward(self, gy):
        return gy, gy


class Sub(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        return a - b

    def backward(self, gy):
        return gy, (-gy if self.needs_input_grad[1] else None)


class Mul(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        return a * b

    def backward(self, gy):
        a, b = self.args
        x, y = self.inputs
        return (gy * b if x.requires_grad else None), (gy * a if y.requires_grad else None)


class Div(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        return a / b

    def backward(self, gy):
        a, b = self.args
        # -gy * ((a / b) / b), as torch: (-gy / b) * a / b is inf * 0 = NaN where a == 0 and
        # gy / b overflows (b subnormal). a / b anew, not the output, so that the output stays
        # out of the graph of the gradient, as in torch
        return gy / b, (-gy * (a / b / b) if self.needs_input_grad[1] else None)


class Pow(BinaryFunction):
    def forward(self, a, b):
        y = a ** b if a.dtype.kind == "f" else _integer_power(a, b)
        self.y = y
        return y

    def backward(self, gy):
        a, b = self.inputs
        ga = None
        if self.needs_input_grad[0]:  # b a^(b-1), and 0 where b == 0 (even at a == 0)
            zero = b == 0
            # b * a^(b-1) first: gy * b can overflow where a^(b-1) is 0 (inf * 0 = NaN)
            ga = where(zero, 0, gy * (b * a ** where(zero, 1, b - 1)))
        gb = None
        if self.needs_input_grad[1]:
            # d(a^b)/db = a^b log a; PyTorch's convention gives 0 where a == 0 and b >= 0
            # (and inf * log 0 = -inf where a == 0 and b < 0)
            zero = (a == 0) & (b >= 0)
            gb = where(zero, 0, gy * self.output(self.y) * log(where(zero, 1, a)))
        return ga, gb


def _integer_power(a, b):
    """``a ** b`` for integer or bool arrays of one dtype, as torch computes it: bool stays
    bool, and a negative exponent (which NumPy refuses) gives 1 / a ** -b truncated to an
    integer: 1 for a == 1, 1 or -1 for a == -1, else 0."""
    if a.dtype.kind == "b":
        return a | ~b
    negative = b < 0
    if not negative.any():
        return a ** b
    y = a ** np.abs(b)  # equals a ** b where a is 1 or -1
    return np.where(negative & (np.abs(a) != 1), 0, y).astype(y.dtype, copy=False)


def _check_pow(a, b):
    # torch refuses a Python (or NumPy) int below 0 as the exponent of an integer tensor, or
    # one out of the tensor's range; a tensor of negative exponents is allowed (see
    # _integer_power)
    if isinstance(b, (int, np.integer)) and isinstance(a, Tensor) \
            and a.data.dtype.kind in "biu":
        if b < 0:
            raise RuntimeError(f"pow: a {dtypes.dtype_name(a.data.dtype)} tensor can't be "
                               f"raised to a negative integer power ({b}); use a float "
                               f"exponent ({b}.0) or a float tensor")
        check_fits("pow", np.asarray(b), a.data.dtype)


def _check_sub(a, b):
    # torch refuses a bool operand, tensor (or array) or Python bool, where NumPy would
    # promote it
    if any(x.__class__ is bool or isinstance(x, (Tensor, np.ndarray))
           and x.dtype.kind == "b" for x in (a, b)):
        raise TypeError("sub: bool operands aren't supported (as in PyTorch); invert a bool "
                        "tensor with ~ or logical_not, or convert it with .int() first")


class Neg(UnaryFunction):
    array_backward = True

    def forward(self, x):
        try:
            return -x
        except TypeError:  # NumPy refuses bool, in words of its own
            raise TypeError("neg: not supported for gradix.bool tensors (as in PyTorch); "
                            "invert them with ~ or logical_not, or convert with .int() first"
                            ) from None

    def backward(self, gy):
        return -gy


def _check_divisor(op, a, b):
    # torch raises where integer division by zero has no value; NumPy would give 0
    if b.dtype.kind in "biu" and not b.all():
        raise RuntimeError(f"{op}: integer division by zero")


class Remainder(BinaryFunction):
    """a - b * q with q = a / b rounded down: Python's modulo, with the sign of b."""
    rounding, ufunc = "floor", np.remainder

    def forward(self, a, b):
        op = type(self).__name__.lower()
        if a.dtype.kind == "b":  # NumPy would give int8
            raise TypeError(f"{op}: not supported for gradix.bool tensors (as in PyTorch); "
                            f"convert them with .int() first")
        _check_divisor(op, a, b)
        return self.ufunc(a, b)

    def backward(self, gy):
        a, b = self.inputs
        q = div(a, b, rounding_mode=self.rounding) if self.needs_input_grad[1] else None
        return gy, (None if q is None else -gy * q)


class Fmod(Remainder):
    """a - b * q with q = a / b rounded toward zero: C's fmod, with the sign of a."""
    rounding, ufunc = "trunc", np.fmod


def _divide_rounded(a, b, mode, op="div"):
    """a / b rounded toward zero (``mode`` "trunc") or down ("floor") as torch computes it,
    on integer or floating arrays of one dtype (integers stay integers)."""
    if a.dtype.kind == "b":
        raise TypeError(f"{op}: rounding down or toward zero needs integer or floating "
                        f"tensors, got {dtypes.dtype_name(a.dtype)}")
    _check_divisor(op, a, b)
    if mode == "floor":
        return np.floor_divide(a, b)  # also torch's answers at inf and signed zeros
    if a.dtype.kind == "f":
        return np.trunc(a / b)
    return (a - np.fmod(a, b)) // b  # exact: a - fmod(a, b) is a multiple of b


class DivRounded(Function):
    """div with a rounding mode: piecewise constant, so its gradient is zero (as in torch)."""

    def forward(self, a, b, mode):
        return _divide_rounded(a, b, mode)

    def backward(self, gy):
        zero = gy * 0
        return tuple([zero if need else None for need in self.needs_input_grad])


def _binary(name, fn_class, floating=False, reflected=False, check=None, doc=None):
    """The op ``name(a, b)``: ``fn_class`` on ``a`` and ``b`` promoted to one dtype and
    broadcast (with ``floating``, integers become float32). ``reflected`` swaps the operands,
    for Python's reflected operators (``2 - x`` calls ``x.__rsub__(2)``). ``check(a, b)`` sees
    the operands the fast path doesn't take, before promotion, and may raise."""
    apply = fn_class.apply

    def op(a, b):
        if reflected:
            a, b = b, a
        # The common cases skip the general checks of operands, a large share of the cost of
        # an op on a small tensor: two tensors of one dtype (a ValueError then means shapes
        # that don't broadcast, which operands reports; a TypeError a dtype that check may
        # report), and a float tensor with a float.
        if a.__class__ is Tensor and (not floating or a.data.dtype.kind == "f"):
            if b.__class__ is Tensor and b.data.dtype is a.data.dtype:
                try:
                    return apply(a, b)
                except (ValueError, TypeError):
                    pass
            elif b.__class__ is float and a.data.dtype.kind == "f" \
                    and a.data.__class__ is _ndarray:
                return apply(a, _constant(b, a.data.dtype))
        if check is not None:
            check(a, b)
        return apply(*operands(name, a, b, floating))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


_add = register("__add__", "__radd__")(_binary("add", Add, doc="a + b, broadcasting."))
_sub = register("__sub__")(_binary("sub", Sub, check=_check_sub, doc="a - b, broadcasting."))
rsub = register("__rsub__")(_binary("sub", Sub, reflected=True, check=_check_sub))
mul = register("__mul__", "__rmul__", "mul")(_binary("mul", Mul, doc="a * b, broadcasting."))
true_divide = register("__truediv__")(_binary(
    "div", Div, floating=True,
    doc="a / b (true division: integer inputs give float32), broadcasting."))
rdiv = register("__rtruediv__")(_binary("div", Div, floating=True, reflected=True))
pow = register("__pow__", "pow")(_binary(  # noqa: A001
    "pow", Pow, check=_check_pow,
    doc="a ** b, broadcasting; integer tensors need a non-negative Python int exponent."))
rpow = register("__rpow__")(_binary("pow", Pow, reflected=True, check=_check_pow))


@register("add")
def add(a, b, alpha=1):
    """a + alpha * b, broadcasting."""
    return _add(a, b if alpha == 1 else mul(b, alpha))


@register("sub")
def sub(a, b, alpha=1):
    """a - alpha * b, broadcasting."""
    return _sub(a, b if alpha == 1 else mul(b, alpha))


@register("div")
def div(a, b, rounding_mode=None):
    """a / b, broadcasting. With ``rounding_mode`` None, true division (integer inputs give
    float32); with "trunc" or "floor", the quotient rounded toward zero or down, in the
    promoted dtype (integers stay integers) and with a zero gradient, as in torch."""
    if rounding_mode is None:
        return true_divide(a, b)
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got "
                         f"{rounding_mode!r}")
    return DivRounded.apply(*operands("div", a, b), mode=rounding_mode)


@register("__neg__", "neg")
def neg(x):
    try:
        return Neg.apply(x)
    except Exception:
        require_tensors("neg", input=x)
        raise


@register("__pos__", "positive")
def positive(x):
    """x itself; a bool tensor raises, as in torch."""
    try:
        if x.data.dtype.kind != "b":
            return x
    except AttributeError:
        require_tensors("positive", input=x)
        raise
    raise TypeError("positive: not supported for gradix.bool tensors (as in PyTorch); "
                    "convert with .int() first")


# torch's NumPy-style aliases: the same functions under a second name
multiply = register("multiply")(mul)
divide = register("divide")(div)
subtract = register("subtract")(sub)
negative = register("negative")(neg)
register("true_divide")(true_divide)


remainder = register("__mod__", "remainder")(_binary(
    "remainder", Remainder,
    doc="Python's modulo (the result has the sign of b); differentiable in a and b."))
rremainder = register("__rmod__")(_binary("remainder", Remainder, reflected=True))
fmod = register("fmod")(_binary(
    "fmod", Fmod, doc="C's fmod: the remainder of a / b rounded toward zero, with the sign of "
    "a (remainder's has the sign of b); differentiable in a and b."))


@register("__floordiv__", "floor_divide")
def floor_divide(a, b):
    """floor(a / b); not differentiable (its gradient is zero almost everywhere)."""
    a, b = operands("floor_divide", a, b)
    return Tensor._make(np.asarray(_divide_rounded(a.data, b.data, "floor", "floor_divide")),
                        False, None)


@register("__rfloordiv__")
def rfloor_divide(a, b):
    return floor_divide(b, a)


# ---------------------------------------------------------------------- unary math
class Exp(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = np.exp(x)
        return self.y

    def backward(self, gy):
        return gy * self.output(self.y)


class Expm1(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = np.expm1(x)
        return self.y

    def backward(self, gy):
        # e^x, not y + 1: that loses all precision where y is near -1 (e^-10 to 3 digits in
        # float32, and 0 below -17), as elu's gradient shows
        return gy * Exp.call(self.args[0])


_LN2, _LN10 = math.log(2), math.log(10)


class Exp2(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = np.exp2(x)
        return self.y

    def backward(self, gy):
        return gy * self.output(self.y) * _LN2


class Log(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.log(x)

    def backward(self, gy):
        return gy / self.args[0]


class Log1p(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.log1p(x)

    def backward(self, gy):
        return gy / (self.args[0] + 1)


class Log2(UnaryFunction):
    """log2(x); log10 is the same op in another base: d/dx log_b(x) = 1 / (x ln b)."""
    array_backward = True
    ufunc, ln_base = np.log2, _LN2

    def forward(self, x):
        return self.ufunc(x)

    def backward(self, gy):
        return gy * (1 / self.ln_base) / self.args[0]  # x * ln_base would overflow at x ~ max


class Log10(Log2):
    ufunc, ln_base = np.log10, _LN10


class Sqrt(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = np.sqrt(x)
        return self.y

    def backward(self, gy):
        return gy / (2 * self.output(self.y))


class Rsqrt(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = 1 / np.sqrt(x)
        return self.y

    def backward(self, gy):
        y = self.output(self.y)
        return gy * -0.5 * y * y * y


class Reciprocal(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = np.reciprocal(x)
        return self.y

    def backward(self, gy):
        y = self.output(self.y)
        return -gy * (y * y)


class Abs(UnaryFunction):
    def forward(self, x):
        if x.dtype.kind == "b":
            _no_kernel("abs", x.dtype)
        return np.abs(x)

    def backward(self, gy):
        return gy * sign(self.inputs[0])


class Sin(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.sin(x)

    def backward(self, gy):
        return gy * Cos.call(self.args[0])


class Cos(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.cos(x)

    def backward(self, gy):
        return -gy * Sin.call(self.args[0])


class Tanh(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, gy):
        return TanhGrad.call(gy, self.output(self.y))


class TanhGrad(BinaryFunction):
    """tanh's backward, gy * (1 - y^2), as one op (one node instead of three)."""
    array_backward = True

    def forward(self, gy, y):
        return gy - gy * y * y  # not gy * (1 - y * y): a Python scalar operand is slow

    def backward(self, g):
        gy, y = self.args
        return TanhGrad.call(g, y), g * gy * -2 * y


class Sigmoid(UnaryFunction):
    array_backward = True

    def forward(self, x):
        # exact and overflow-free for any |x|; SciPy computes float16 in float64
        self.y = backend.special(x).expit(x).astype(x.dtype, copy=False)
        return self.y

    def backward(self, gy):
        return SigmoidGrad.call(gy, self.output(self.y))


class SigmoidGrad(BinaryFunction):
    """sigmoid's backward, gy * y * (1 - y), as one op."""
    array_backward = True

    def forward(self, gy, y):
        return gy * y * (1 - y)

    def backward(self, g):
        gy, y = self.args
        return SigmoidGrad.call(g, y), g * gy * (1 - 2 * y)


class Softplus(Function):
    def forward(self, x, beta, threshold):
        self.beta, self.threshold = beta, threshold
        with np.errstate(over="ignore"):  # bx = inf lies past the threshold, where y is x
            bx = x * beta
        y = np.logaddexp(0, bx) / beta  # log(1 + e^bx) without overflow
        return np.where(bx > threshold, x, y).astype(x.dtype, copy=False)

    def backward(self, gy):
        with np.errstate(over="ignore"):  # as in forward
            bx = self.inputs[0] * self.beta
        return gy * where(bx > self.threshold, 1, sigmoid(bx))


class Relu(UnaryFunction):
    array_backward = True

    def forward(self, x):
        if x.dtype.kind == "b":  # NumPy would give int64
            _no_kernel("relu", x.dtype)
        return np.maximum(x, 0)

    def backward(self, gy):
        return ReluGrad.call(gy, self.args[0])


class ReluGrad(BinaryFunction):
    """relu's backward: gy where x > 0, else 0."""
    array_backward = True

    def forward(self, gy, x):
        return gy * (x > 0)

    def backward(self, g):
        return ReluGrad.call(g, self.args[1]), None


_TWO_OVER_SQRT_PI, _HALF_SQRT_PI = 2 / math.sqrt(math.pi), math.sqrt(math.pi) / 2


def _erf_slope(x):
    """erf'(x) = 2 / sqrt(pi) * e^(-x^2), on an array or a Tensor."""
    with np.errstate(over="ignore"):  # x * x is inf for |x| > 1.8e19 (float32): e^-inf = 0
        return Exp.call(-x * x) * _TWO_OVER_SQRT_PI


class Erf(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return backend.special(x).erf(x).astype(x.dtype, copy=False)  # float16 stays

    def backward(self, gy):
        return gy * _erf_slope(self.args[0])


class Erfc(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return backend.special(x).erfc(x).astype(x.dtype, copy=False)  # float16 stays

    def backward(self, gy):
        return -gy * _erf_slope(self.args[0])


class Erfinv(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = backend.special(x).erfinv(x).astype(x.dtype, copy=False)  # float16 stays
        return self.y

    def backward(self, gy):  # 1 / erf'(y)
        y = self.output(self.y)
        return gy * Exp.call(y * y) * _HALF_SQRT_PI


class Frac(UnaryFunction):
    array_backward = True

    def forward(self, x):
        if x.dtype.kind != "f":
            _no_kernel("frac", x.dtype)
        return x - np.trunc(x)

    def backward(self, gy):
        return gy


def _unary(name, fn_class, floating=True, doc=""):
    apply = fn_class.apply

    def op(x):
        if floating and (x.__class__ is not Tensor or x.data.dtype.kind != "f"):
            x = float_input(x)
        try:
            return apply(x)
        except Exception:
            require_tensors(name, input=x)
            raise
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    register(name)(op)
    return op


exp = _unary("exp", Exp, doc="e ** x.")
expm1 = _unary("expm1", Expm1, doc="e ** x - 1, accurate for small x.")
log = _unary("log", Log, doc="Natural logarithm.")
log1p = _unary("log1p", Log1p, doc="log(1 + x), accurate for small x.")
sqrt = _unary("sqrt", Sqrt, doc="Square root.")
rsqrt = _unary("rsqrt", Rsqrt, doc="1 / sqrt(x).")
sin = _unary("sin", Sin, doc="Sine.")
cos = _unary("cos", Cos, doc="Cosine.")
tanh = _unary("tanh", Tanh, doc="Hyperbolic tangent.")
sigmoid = _unary("sigmoid", Sigmoid, doc="1 / (1 + e ** -x), stable for large |x|.")
relu = _unary("relu", Relu, floating=False, doc="max(x, 0); the gradient at 0 is 0.")
abs = _unary("abs", Abs, floating=False, doc="|x|; the gradient at 0 is 0.")  # noqa: A001
register("__abs__")(abs)
absolute = register("absolute")(abs)
exp2 = _unary("exp2", Exp2, doc="2 ** x.")
log2 = _unary("log2", Log2, doc="Base-2 logarithm.")
log10 = _unary("log10", Log10, doc="Base-10 logarithm.")
reciprocal = _unary("reciprocal", Reciprocal, doc="1 / x.")
erf = _unary("erf", Erf, doc="The error function, 2 / sqrt(pi) * integral of e^(-t^2) from 0 to x.")
erfc = _unary("erfc", Erfc, doc="1 - erf(x), accurate where erf(x) is near 1.")
erfinv = _unary("erfinv", Erfinv, doc="The inverse of erf, on [-1, 1] (+-inf at +-1, NaN "
                "outside).")
frac = _unary("frac", Frac, floating=False, doc="x - trunc(x), with the sign of x; its gradient "
              "is 1. Needs a floating tensor, as in torch.")


@register("softplus")
def softplus(x, beta=1.0, threshold=20.0):
    """log(1 + e ** (beta x)) / beta, linear where beta x > threshold; stable for large |x|.
    Needs a floating tensor, as in torch."""
    return Softplus.apply(floating("softplus", x), beta=beta, threshold=threshold)


@register("square")
def square(x):
    """x * x; a bool tensor gives int64, as torch's x ** 2 does."""
    if x.__class__ is Tensor and x.data.dtype.kind == "b":
        x = cast(x, dtypes.int64)
    return mul(x, x)


# ---------------------------------------------------------------------- math of two or three
class Logaddexp(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        if a.dtype.kind != "f":
            _no_kernel("logaddexp", a.dtype)
        return np.logaddexp(a, b)

    def backward(self, gy):
        a, b = self.args
        return gy * Sigmoid.call(a - b), gy * Sigmoid.call(b - a)


class Xlogy(BinaryFunction):
    array_backward = True

    def forward(self, x, y):
        # SciPy computes float16 in float64
        return backend.special(x).xlogy(x, y).astype(np.result_type(x, y), copy=False)

    def backward(self, gy):
        x, y = self.args
        # torch's rule: gy * log y (0 where gy is), and 0 at x == 0 where y <= 0
        gx = where((x == 0) & (y <= 0), 0, Xlogy.call(gy, y)) if self.needs_input_grad[0] \
            else None
        return gx, gy * x / y


logaddexp = register("logaddexp")(_binary(
    "logaddexp", Logaddexp, doc="log(e ** a + e ** b) without overflow, broadcasting; needs "
    "floating tensors (as in PyTorch)."))
xlogy = register("xlogy")(_binary(
    "xlogy", Xlogy, floating=True, doc="a * log(b), and 0 where a == 0 (unless b is NaN), "
    "broadcasting; integer inputs give float32."))


class Lerp(Function):
    array_backward = True

    def forward(self, start, end, weight):
        # torch's formula: from the nearer end, so weight 1 gives end exactly
        d = end - start
        return np.where(np.abs(weight) < 0.5, start + weight * d, end - d * (1 - weight))

    def backward(self, gy):
        start, end, weight = self.args
        gw = gy * (end - start) if self.needs_input_grad[2] else None
        return gy * (1 - weight), gy * weight, gw


@register("lerp")
def lerp(input, end, weight):  # noqa: A002  (torch's names)
    """input + weight * (end - input), broadcasting all three. ``end`` has input's floating
    dtype; ``weight`` is a number or a tensor of that dtype, or a 0-d tensor of any dtype,
    which takes part in the type promotion as in torch (int64 tensors with a 0-d float64
    weight give float64)."""
    try:
        dtype = input.data.dtype
        if not isinstance(weight, Tensor):
            weight = _promote(weight, dtype, input)
        elif weight.data.dtype != dtype and not weight.data.ndim and end.data.dtype == dtype:
            dtype = dtypes.result_type(input.data, end.data, weight.data)
            input, end, weight = (_promote(t, dtype, None) for t in (input, end, weight))
        if dtype.kind == "f" and end.data.dtype == dtype == weight.data.dtype:
            return Lerp.apply(input, end, weight)
    except Exception:
        require_tensors("lerp", input=input, end=end)
        if not isinstance(weight, Tensor):
            require_number("lerp", "weight", weight)
        _check_broadcast("lerp", input.shape, end.shape, weight.shape)
        raise
    if dtype.kind != "f":
        _no_kernel("lerp", dtype)
    name, other = ("end", end) if end.data.dtype != dtype else ("weight", weight)
    raise TypeError(f"lerp: {name} must have input's dtype {dtypes.dtype_name(dtype)}, got "
                    f"{dtypes.dtype_name(other.data.dtype)}")


# ---------------------------------------------------------------------- piecewise constant
def _no_kernel(op, dtype, name=None):
    """Raises as torch does for a dtype an op has no kernel for (bool for abs, floor, ceil,
    round, trunc; bool and integers for frac, hypot, logaddexp, lerp), naming the argument
    at fault when there is more than one."""
    convert = ".int() or .float()" if dtype.kind == "b" else ".float()"
    what = f" ({name})" if name else ""
    raise NotImplementedError(f"{op}: not implemented for {dtypes.dtype_name(dtype)} "
                              f"tensors{what} (as in PyTorch); convert with {convert} first")


def floating(op, x, name=None):
    """``x`` as a tensor, refused unless floating: the check of every op that torch has only
    floating kernels for (most activations, losses, normalization, attention). A None ``x``
    (an optional argument) passes."""
    if x is None:
        return x
    if not isinstance(x, Tensor):
        x = as_tensor(x)
    if x.data.dtype.kind != "f":
        _no_kernel(op, x.data.dtype, name)
    return x


def _zero_grad_op(name, fn, base=UnaryFunction):
    """The Function computing ``fn(x, **params)`` on arrays, with a zero gradient (``base``
    Function when it takes parameters)."""
    class Op(base):
        def forward(self, x, **params):
            return fn(x, **params)

        def backward(self, gy):
            return gy * 0
    Op.__name__ = name.capitalize()
    return Op


def _piecewise_constant(name, fn, bools=False):
    apply = _zero_grad_op(name, fn).apply

    def op(x):
        try:
            if not bools and x.data.dtype.kind == "b":
                _no_kernel(name, x.data.dtype)
            return apply(x)
        except Exception:
            require_tensors(name, input=x)
            raise
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"{name} elementwise; its gradient is zero (as in PyTorch)."
    return op


def _sign(x):
    if x.dtype.kind == "b":
        return x.copy()  # NumPy has no bool sign
    if x.dtype.kind == "f":  # torch's sign of NaN is 0 (NumPy's is NaN), so abs' gradient too
        return np.subtract(x > 0, x < 0, dtype=x.dtype)
    return np.sign(x)


sign = register("sign")(_piecewise_constant("sign", _sign, bools=True))
floor = register("floor")(_piecewise_constant("floor", np.floor))
ceil = register("ceil")(_piecewise_constant("ceil", np.ceil))
trunc = register("trunc", "fix")(_piecewise_constant("trunc", np.trunc))  # toward zero
fix = trunc
_round_whole = _piecewise_constant("round", np.round)  # half to even, like torch.round


def _round_decimals(x, decimals):
    # torch's kernel: rint(x * 10^d) / 10^d (or rint(x / 10^-d) * 10^-d) with 10^d rounded
    # once to the computing dtype (float32 for float16). np.round(x, d) builds 10^d by repeated
    # multiplication and computes float16 in float16, so its last bits can differ.
    compute = np.float32 if x.dtype == np.float16 else x.dtype.type
    xc = x.astype(compute, copy=False)
    with np.errstate(over="ignore", invalid="ignore"):  # inf and nan as in torch
        scale = compute(np.float64(10.0) ** builtins.abs(decimals))
        y = np.rint(xc * scale) / scale if decimals > 0 else np.rint(xc / scale) * scale
        return y.astype(x.dtype, copy=False)


_RoundDecimals = _zero_grad_op("round", _round_decimals, Function)


@register("round")
def round(x, decimals=0):  # noqa: A001  (torch's name)
    """x rounded half to even to ``decimals`` decimal places (negative: to tens, hundreds,
    ...), like torch.round; its gradient is zero. Integer tensors need decimals=0; bool
    tensors raise NotImplementedError, as in torch."""
    try:
        if decimals == 0:
            return _round_whole(x)
        if x.data.dtype.kind == "b":
            _no_kernel("round", x.data.dtype)
        if x.data.dtype.kind != "f":
            raise TypeError(f"round: decimals={decimals} needs a floating tensor, got "
                            f"{dtypes.dtype_name(x.data.dtype)}")
        return _RoundDecimals.apply(x, decimals=decimals)
    except Exception:
        require_tensors("round", input=x)
        raise


# ---------------------------------------------------------------------- selection
class Where(Function):
    array_backward = True

    def forward(self, cond, a, b):
        return np.where(cond, a, b)

    def backward(self, gy):
        cond = self.args[0]
        _, na, nb = self.needs_input_grad
        return (None, where(cond, gy, 0) if na else None, where(cond, 0, gy) if nb else None)


def where(condition, input, other):  # noqa: A002  (torch's names)
    """``input`` where ``condition`` holds, else ``other``; all three broadcast.

    A NumPy bool array (or bool scalar, as comparisons of 0-d arrays give) as ``condition``
    with no Tensor among the values gives an array (backward rules use this when they run on
    arrays)."""
    if (backend.is_array(condition) or isinstance(condition, np.generic)) \
            and not isinstance(input, Tensor) and not isinstance(other, Tensor):
        return np.where(condition, input, other)
    cond = condition if isinstance(condition, Tensor) else as_tensor(condition)
    if cond.data.dtype != dtypes.bool_:
        raise TypeError(f"where: condition must be a bool tensor, got "
                        f"{dtypes.dtype_name(cond.data.dtype)}")
    a, b = operands("where", input, other)
    for s in (a.data.shape, b.data.shape):
        if s != cond.data.shape:
            _check_broadcast("where", cond.data.shape, s)
    return Where.apply(cond, a, b)


@register("where")
def _where_method(self, condition, other):
    """x.where(condition, other): x where condition holds, else other (torch's method)."""
    return where(condition, self, other)


class Maximum(BinaryFunction):
    def forward(self, a, b):
        return np.maximum(a, b)

    def backward(self, gy):
        a, b = self.inputs
        return _split_ties(gy, a < b, a > b, a == b)


class Minimum(BinaryFunction):
    def forward(self, a, b):
        return np.minimum(a, b)

    def backward(self, gy):
        a, b = self.inputs
        return _split_ties(gy, a > b, a < b, a == b)


def _split_ties(gy, a_loses, b_loses, tie):
    """PyTorch's rule for maximum/minimum: a tie splits gy in halves, and otherwise each side
    gets gy unless it loses. A NaN on either side (the result is NaN) loses no comparison, so
    both sides get the full gy there, as in torch."""
    def share(loses):
        return where(tie, 0.5, where(loses, 0.0, 1.0)).to(gy.dtype)
    return gy * share(a_loses), gy * share(b_loses)


maximum = register("maximum")(_binary(
    "maximum", Maximum, doc="Elementwise max of a and b; ties split the gradient evenly."))
minimum = register("minimum")(_binary(
    "minimum", Minimum, doc="Elementwise min of a and b; ties split the gradient evenly."))


class Fmax(BinaryFunction):
    """The larger of a and b, or the one that isn't NaN. As in torch, the gradient goes to a
    where a wins, ties or b is NaN, else to b (ties don't split it, unlike maximum's)."""
    array_backward = True
    ufunc, wins = np.fmax, operator.ge

    def forward(self, a, b):
        return self.ufunc(a, b)

    def backward(self, gy):
        a, b = self.args
        to_a = self.wins(a, b) | (b != b)  # b != b: b is NaN
        return where(to_a, gy, 0), where(to_a, 0, gy)


class Fmin(Fmax):
    """The smaller of a and b, or the one that isn't NaN; gradient as fmax's."""
    ufunc, wins = np.fmin, operator.le


fmax = register("fmax")(_binary(
    "fmax", Fmax, doc="Elementwise max of a and b ignoring NaN (NaN only where both are)."))
fmin = register("fmin")(_binary(
    "fmin", Fmin, doc="Elementwise min of a and b ignoring NaN (NaN only where both are)."))


class Clamp(Function):
    array_backward = True

    def forward(self, x, lo, hi):
        self.lo, self.hi = lo, hi
        return np.clip(x, lo, hi).astype(x.dtype, copy=False)

    def backward(self, gy):
        x = self.args[0]
        if self.lo is None:
            inside = x <= self.hi
        elif self.hi is None:
            inside = x >= self.lo
        else:
            inside = (x >= self.lo) & (x <= self.hi)
        return where(inside, gy, 0)


@register("clamp", "clip")
def clamp(x, min=None, max=None):  # noqa: A002  (torch's names)
    """x limited to [min, max] (either may be None, or a tensor); the gradient passes where x
    is inside the range."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    if not isinstance(x, Tensor):
        x = as_tensor(x)
    bounds = [b.data if isinstance(b, Tensor) else b for b in (min, max) if b is not None]
    dtype = dtypes.result_type(x.data, *bounds)
    if dtype != x.data.dtype:  # an integer tensor with float bounds becomes float, like torch
        x = cast(x, dtype)
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if min is not None:
            x = where(x < min, min, x)
        if max is not None:
            x = where(x > max, max, x)
        return x
    try:
        return Clamp.apply(x, lo=min, hi=max)
    except TypeError:
        for name, bound in (("min", min), ("max", max)):
            if bound is not None:
                require_number("clamp", name, bound)
        raise


@register("clamp_min")
def clamp_min(x, min):  # noqa: A002
    """clamp(x, min=min)."""
    return clamp(x, min=min)


@register("clamp_max")
def clamp_max(x, max):  # noqa: A002
    """clamp(x, max=max)."""
    return clamp(x, max=max)


class NanToNum(Function):
    def forward(self, x, nan, posinf, neginf):
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    def backward(self, gy):
        return where(isfinite(self.inputs[0]), gy, 0)


@register("nan_to_num")
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):  # noqa: A002
    """input with NaN, inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default
    0 and the largest and lowest finite values of its dtype); the gradient is 0 where they
    were. Integer and bool tensors come back unchanged (copied)."""
    try:
        return NanToNum.apply(input, nan=nan, posinf=posinf, neginf=neginf)
    except Exception:
        require_tensors("nan_to_num", input=input)
        for name, value in (("nan", nan), ("posinf", posinf), ("neginf", neginf)):
            if value is not None:
                require_number("nan_to_num", name, value)
        raise


# ---------------------------------------------------------------------- comparisons and logic
def _compare(name, ufunc, dunder):
    def op(a, b):
        a, b = operands(name, a, b)
        return Tensor._make(np.asarray(ufunc(a.data, b.data)), False, None)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"{ufunc.__name__}(a, b) elementwise, as a bool tensor (not differentiable)."

    def operator(a, b):
        # An operand no tensor can hold (None, a string) or a list or tuple (see
        # _array_operand) makes the operator return NotImplemented, as torch's do: Python then
        # answers x == [1, 2] and x == None with False, x != None with True, and x < None with
        # its own TypeError.
        try:
            a, b = operands(name, a, b)
        except TypeError:
            return NotImplemented
        return Tensor._make(np.asarray(ufunc(a.data, b.data)), False, None)
    operator.__name__ = operator.__qualname__ = dunder
    register(name)(op)
    register(dunder)(operator)
    return op


eq = _compare("eq", np.equal, "__eq__")
ne = _compare("ne", np.not_equal, "__ne__")
lt = _compare("lt", np.less, "__lt__")
le = _compare("le", np.less_equal, "__le__")
gt = _compare("gt", np.greater, "__gt__")
ge = _compare("ge", np.greater_equal, "__ge__")


@register("isclose")
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    """Whether |input - other| <= atol + rtol * |other|, elementwise, as a bool tensor; equal
    values (infinities too) always are, NaNs only with ``equal_nan``. The two tensors have
    one dtype (as in torch) and broadcast."""
    try:
        a, b = input.data, other.data
    except AttributeError:
        require_tensors("isclose", input=input, other=other)
        raise
    if a.dtype != b.dtype:
        raise TypeError(f"isclose: input and other must have the same dtype, got "
                        f"{dtypes.dtype_name(a.dtype)} and {dtypes.dtype_name(b.dtype)}")
    if not (rtol >= 0 and atol >= 0):
        raise ValueError(f"isclose: rtol and atol must be >= 0, got rtol={rtol}, atol={atol}")
    if a.shape != b.shape:
        _check_broadcast("isclose", a.shape, b.shape)
    close = backend.array_module(a).asarray(a == b)
    if equal_nan and a.dtype.kind == "f":
        close |= np.isnan(a) & np.isnan(b)
    if rtol or atol:  # torch's rule, in the floating dtype of the inputs, else float32
        if a.dtype.kind != "f":
            a, b = a.astype(dtypes.default_float), b.astype(dtypes.default_float)
        with np.errstate(invalid="ignore", over="ignore"):
            error = np.abs(a - b)
            close |= np.isfinite(error) & (error <= atol + np.abs(rtol * b))
    return Tensor._make(close, False, None)


@register("allclose")
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    """Whether isclose holds everywhere, as a Python bool."""
    return bool(isclose(input, other, rtol, atol, equal_nan).data.all())


@register("equal")
def equal(input, other):  # noqa: A002
    """Whether the two tensors have one shape and equal elements (NaN equals nothing), as a
    Python bool; their dtypes may differ."""
    try:
        return bool(np.array_equal(input.data, other.data))
    except AttributeError:
        require_tensors("equal", input=input, other=other)
        raise


def _logical(name, ufunc, dunders, bitwise):
    def op(a, b):
        a, b = operands(name, a, b)
        if bitwise and a.data.dtype.kind == "f":
            raise TypeError(f"{name}: bitwise ops need bool or integer tensors, got "
                            f"{dtypes.dtype_name(a.data.dtype)}")
        return Tensor._make(np.asarray(ufunc(a.data, b.data)), False, None)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"{ufunc.__name__}(a, b) elementwise (not differentiable)."
    register(name, *dunders)(op)
    return op


logical_and = _logical("logical_and", np.logical_and, (), False)
logical_or = _logical("logical_or", np.logical_or, (), False)
logical_xor = _logical("logical_xor", np.logical_xor, (), False)
bitwise_and = _logical("bitwise_and", np.bitwise_and, ("__and__", "__rand__"), True)
bitwise_or = _logical("bitwise_or", np.bitwise_or, ("__or__", "__ror__"), True)
bitwise_xor = _logical("bitwise_xor", np.bitwise_xor, ("__xor__", "__rxor__"), True)


@register("logical_not")
def logical_not(x):
    try:
        return Tensor._make(np.asarray(np.logical_not(x.data)), False, None)
    except Exception:
        require_tensors("logical_not", input=x)
        raise


@register("__invert__", "bitwise_not")
def bitwise_not(x):
    try:
        if x.data.dtype.kind == "f":
            raise TypeError("bitwise_not: needs a bool or integer tensor, got "
                            f"{dtypes.dtype_name(x.data.dtype)}")
        return Tensor._make(np.asarray(np.invert(x.data)), False, None)
    except Exception:
        require_tensors("bitwise_not", input=x)
        raise


@register("isnan")
def isnan(x):
    try:
        return Tensor._make(np.asarray(np.isnan(x.data)), False, None)
    except Exception:
        require_tensors("isnan", input=x)
        raise


@register("isinf")
def isinf(x):
    try:
        return Tensor._make(np.asarray(np.isinf(x.data)), False, None)
    except Exception:
        require_tensors("isinf", input=x)
        raise


@register("isfinite")
def isfinite(x):
    try:
        return Tensor._make(np.asarray(np.isfinite(x.data)), False, None)
    except Exception:
        require_tensors("isfinite", input=x)
        raise


@register("clone")
def clone(x):
    """A copy of x that stays in the graph."""
    try:
        return Clone.apply(x)
    except Exception:
        require_tensors("clone", input=x)
        raise


class Clone(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return x.copy()

    def backward(self, gy):
        return gy
