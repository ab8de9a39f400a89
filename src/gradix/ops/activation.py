"""Activations: softmax and log_softmax (stable for any logits), GELU, SiLU, ELU, leaky ReLU,
hardtanh. Each op's forward and backward sit side by side; the piecewise ones are
composites of elementwise ops, so their gradients (of every order) come for free."""
import math
import warnings

import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _check_dim, as_tensor, register
from .elementwise import _no_kernel, clamp, exp, expm1, floating, sigmoid, softplus, tanh, where
from .reduce import sum

__all__ = ["softmax", "log_softmax", "logsigmoid", "gelu", "silu", "elu", "leaky_relu",
           "hardtanh", "relu6"]


def _shifted(x, axis):
    """x minus its max along ``axis``: exp can't overflow. No shift where that max is -inf
    (all -inf: 0 / 0 is NaN); where it is +inf, the slice becomes -inf and NaN (torch's NaN)."""
    if x.size == 0:
        return x.copy()  # nothing to shift, and an empty max has no value
    m = np.max(x, axis=axis, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):  # far below m: -inf, whose exp is 0
        return x - np.where(m == -np.inf, 0, m)


class Softmax(Function):
    def forward(self, x, axis):
        self.axis = axis
        e = np.exp(_shifted(x, axis))
        self.y = e / np.sum(e, axis=axis, keepdims=True)
        return self.y

    def backward(self, gy):
        y = self.output(self.y)
        return y * (gy - sum(gy * y, self.axis, keepdim=True))


class LogSoftmax(Function):
    def forward(self, x, axis):
        self.axis = axis
        z = _shifted(x, axis)
        self.y = z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True)) if z.size else z
        return self.y

    def backward(self, gy):
        return gy - exp(self.output(self.y)) * sum(gy, self.axis, keepdim=True)


def _softmax_input(op, x, dim, dtype):
    x = x if isinstance(x, Tensor) else as_tensor(x)
    if dtype is not None:
        x = x.to(dtype)
    if x.data.dtype.kind != "f":  # torch has no kernel: it refuses, without casting
        raise NotImplementedError(
            f"{op}: not implemented for {dtypes.dtype_name(x.data.dtype)} tensors (as in "
            f"PyTorch); pass a floating dtype= or convert with .float() first")
    if dim is None:  # PyTorch's legacy implicit choice, with its warning
        dim = 0 if x.ndim in (0, 1, 3) else 1
        warnings.warn(f"{op}: implicit dimension choice ({dim}) is deprecated; pass dim",
                      stacklevel=3)
    axis = _check_dim(dim, x.ndim, op)
    return x, (axis if x.ndim else None)


@register("softmax")
def softmax(x, dim=None, dtype=None):
    """e^x / sum(e^x) along ``dim``, any shape; ``dtype`` casts the input first."""
    x, axis = _softmax_input("softmax", x, dim, dtype)
    return Softmax.apply(x, axis=axis)


@register("log_softmax")
def log_softmax(x, dim=None, dtype=None):
    """x - logsumexp(x) along ``dim``, any shape; exact for logits of any size."""
    x, axis = _softmax_input("log_softmax", x, dim, dtype)
    return LogSoftmax.apply(x, axis=axis)


# ---------------------------------------------------------------------- GELU
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


class Gelu(Function):
    def forward(self, x):
        return 0.5 * x * (1 + backend.special(x).erf(x * _SQRT_HALF))

    def backward(self, gy):
        return GeluGrad.apply(gy, self.inputs[0])


class GeluGrad(Function):
    """gelu's backward, gy * (Phi(x) + x phi(x)), as one op; its own derivative in x is
    gy * phi(x) * (2 - x^2)."""

    def forward(self, gy, x):
        cdf = 0.5 * (1 + backend.special(x).erf(x * _SQRT_HALF))
        with np.errstate(over="ignore"):  # x * x = inf gives pdf = 0, as it should
            pdf = _INV_SQRT_2PI * np.exp(-0.5 * x * x)
        return gy * (cdf + x * pdf)

    def backward(self, g):
        gy, x = self.inputs
        pdf = exp(x * x * -0.5) * _INV_SQRT_2PI
        return GeluGrad.apply(g, x), g * gy * pdf * (2 - x * x)


def gelu(x, approximate="none"):
    """x * Phi(x) with Phi the standard normal CDF (``approximate='none'``, exact via erf), or
    its tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (``'tanh'``)."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    x = floating("gelu", x)
    if approximate == "tanh":
        return x * 0.5 * (1 + tanh((x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)))
    return Gelu.apply(x)


# ---------------------------------------------------------------------- piecewise
def logsigmoid(x):
    """log(sigmoid(x)) = -softplus(-x), exact and finite for any x."""
    # no linear cut-off: exact everywhere
    return -softplus(-floating("logsigmoid", x), threshold=math.inf)


def silu(x):
    """x * sigmoid(x) (also called swish)."""
    x = floating("silu", x)
    return x * sigmoid(x)


def elu(x, alpha=1.0):
    """x where x > 0, else alpha (e^x - 1)."""
    x = floating("elu", x)
    # expm1 sees only x <= 0: the unused branch must not overflow (inf * 0 = nan in backward)
    return where(x > 0, x, expm1(clamp(x, max=0)) * alpha)


def leaky_relu(x, negative_slope=0.01):
    """x where x > 0, else negative_slope * x."""
    x = floating("leaky_relu", x)
    return where(x > 0, x, x * negative_slope)


def hardtanh(x, min_val=-1.0, max_val=1.0):
    """x limited to [min_val, max_val]; as in PyTorch the gradient is 0 at both bounds, and an
    integer tensor keeps its dtype (the bounds rounded toward zero)."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
    x = x if isinstance(x, Tensor) else as_tensor(x)
    if x.data.dtype.kind == "b":  # torch refuses bools, with hardtanh's name even in relu6
        _no_kernel("hardtanh", x.data.dtype)
    if x.data.dtype.kind != "f":  # no gradient to keep
        return clamp(x, min_val, max_val).to(x.dtype)
    return where((x > min_val) & (x < max_val), x, clamp(x.detach(), min_val, max_val))


def relu6(x):
    """min(max(x, 0), 6): hardtanh(x, 0, 6)."""
    return hardtanh(x, 0.0, 6.0)
