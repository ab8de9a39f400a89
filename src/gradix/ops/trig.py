"""Trigonometric and hyperbolic functions beyond sin, cos and tanh (in elementwise.py), and
the two-argument atan2 and hypot. As in PyTorch, integer and bool inputs give float32, except
in hypot, which has no integer kernel; each op's forward and backward sit side by side, the
backward written as torch's derivative."""
import numpy as np

from ..autograd.function import BinaryFunction, UnaryFunction
from ..tensor import register
from .elementwise import Rsqrt, _binary, _no_kernel, _unary, where

__all__ = ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "atan2",
           "hypot", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "arctan2"]


class Tan(UnaryFunction):
    array_backward = True

    def forward(self, x):
        self.y = np.tan(x)
        return self.y

    def backward(self, gy):
        y = self.output(self.y)
        return gy * (y * y + 1)


class Asin(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.arcsin(x)

    def backward(self, gy):
        x = self.args[0]
        return gy * Rsqrt.call(1 - x * x)


class Acos(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.arccos(x)

    def backward(self, gy):
        x = self.args[0]
        return -gy * Rsqrt.call(1 - x * x)


class Atan(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.arctan(x)

    def backward(self, gy):
        x = self.args[0]
        with np.errstate(over="ignore"):  # x * x is inf for huge x: gy / inf = 0, the limit
            return gy / (x * x + 1)


class Sinh(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.sinh(x)

    def backward(self, gy):
        return gy * Cosh.call(self.args[0])


class Cosh(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.cosh(x)

    def backward(self, gy):
        return gy * Sinh.call(self.args[0])


class Asinh(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.arcsinh(x)

    def backward(self, gy):
        x = self.args[0]
        with np.errstate(over="ignore"):  # x * x is inf for huge x: rsqrt(inf) = 0, as torch's
            return gy * Rsqrt.call(x * x + 1)


class Acosh(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.arccosh(x)

    def backward(self, gy):
        x = self.args[0]
        with np.errstate(over="ignore"):  # as asinh's
            return gy * Rsqrt.call(x * x - 1)


class Atanh(UnaryFunction):
    array_backward = True

    def forward(self, x):
        return np.arctanh(x)

    def backward(self, gy):
        x = self.args[0]
        return gy / (1 - x * x)


tan = _unary("tan", Tan, doc="Tangent.")
asin = _unary("asin", Asin, doc="Inverse sine, in [-pi/2, pi/2]; NaN outside [-1, 1].")
acos = _unary("acos", Acos, doc="Inverse cosine, in [0, pi]; NaN outside [-1, 1].")
atan = _unary("atan", Atan, doc="Inverse tangent, in (-pi/2, pi/2).")
sinh = _unary("sinh", Sinh, doc="Hyperbolic sine.")
cosh = _unary("cosh", Cosh, doc="Hyperbolic cosine.")
asinh = _unary("asinh", Asinh, doc="Inverse hyperbolic sine.")
acosh = _unary("acosh", Acosh, doc="Inverse hyperbolic cosine; NaN below 1.")
atanh = _unary("atanh", Atanh, doc="Inverse hyperbolic tangent; NaN outside [-1, 1].")
arcsin = register("arcsin")(asin)
arccos = register("arccos")(acos)
arctan = register("arctan")(atan)
arcsinh = register("arcsinh")(asinh)
arccosh = register("arccosh")(acosh)
arctanh = register("arctanh")(atanh)


class Atan2(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        return np.arctan2(a, b)

    def backward(self, gy):
        a, b = self.args
        d = a * a + b * b
        # torch's convention: a zero gradient where a * a + b * b is 0 (at the origin, where
        # gy / d * a would be inf * 0 = NaN)
        g = where(d == 0, 0, gy / where(d == 0, 1, d))
        return g * b, -g * a


class Hypot(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        if a.dtype.kind != "f":
            _no_kernel("hypot", a.dtype)
        self.y = np.hypot(a, b)
        return self.y

    def backward(self, gy):
        a, b = self.args
        y = self.output(self.y)
        # gy * (a / y): a / y is at most 1, where gy / y overflows for a subnormal y (then
        # inf * 0 = NaN at a == 0) and gy * a for a huge a
        return gy * (a / y), gy * (b / y)


atan2 = register("atan2", "arctan2")(_binary(
    "atan2", Atan2, floating=True,
    doc="The angle of the point (other, input) in (-pi, pi], broadcasting: atan(input / other) "
        "in the right quadrant."))
arctan2 = atan2
hypot = register("hypot")(_binary(
    "hypot", Hypot, doc="sqrt(input ** 2 + other ** 2) without overflow, broadcasting; needs "
    "floating tensors (as in PyTorch)."))
