"""Activations: softmax, softmin and log_softmax (stable for any logits), GELU, SiLU, ELU, SELU,
CELU, Mish, leaky and parametric ReLU, RReLU, hardtanh, hard sigmoid/swish, the shrinks,
threshold and GLU. Each op's forward and backward sit side by side; the piecewise ones are
composites of elementwise ops, so their gradients (of every order) come for free."""
import math
import warnings

import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from .. import random
from ..tensor import Tensor, _check_dim, as_tensor, register
from .elementwise import (_no_kernel, abs, clamp, exp, expm1, float_input, floating, sigmoid,
                          softplus, tanh, where)
from .reduce import sum

__all__ = ["softmax", "log_softmax", "logsigmoid", "gelu", "silu", "elu", "leaky_relu",
           "hardtanh", "relu6", "selu", "celu", "mish", "hardswish", "hardsigmoid", "softsign",
           "tanhshrink", "hardshrink", "softshrink", "threshold", "softmin", "glu", "prelu",
           "rrelu"]


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


# ---------------------------------------------------------------------- more of PyTorch's
# ``inplace`` (where torch takes it) is accepted and ignored: the result is always a new
# tensor, with the same values and gradients.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x, inplace=False):
    """scale * elu(x, alpha) with the self-normalizing constants alpha = 1.6733, scale = 1.0507."""
    return elu(floating("selu", x), _SELU_ALPHA) * _SELU_SCALE


def celu(x, alpha=1.0, inplace=False):
    """x where x > 0, else alpha (e^(x / alpha) - 1); alpha must not be 0."""
    x = floating("celu", x)
    if alpha == 0:
        raise ValueError("celu: alpha cannot be 0 (it divides x)")
    return where(x > 0, x, expm1(clamp(x, max=0) * (1 / alpha)) * alpha)


def mish(x, inplace=False):
    """x * tanh(softplus(x)), softplus computed exactly (no linear cut-off), as in PyTorch."""
    x = floating("mish", x)
    return x * tanh(softplus(x, threshold=math.inf))


def hardswish(x, inplace=False):
    """0 for x <= -3, x for x >= 3, x (x + 3) / 6 between; as in PyTorch the gradient is 0 at
    -3 and 1 at 3."""
    x = floating("hardswish", x)
    return where(x <= -3, 0, where(x < 3, x * (x + 3) * (1 / 6), x))


def hardsigmoid(x, inplace=False):
    """(x + 3) / 6 limited to [0, 1]; the gradient is 1/6 strictly inside (-3, 3), else 0."""
    x = floating("hardsigmoid", x)
    inside = (x > -3) & (x < 3)
    return where(inside, (x + 3) * (1 / 6), clamp((x.detach() + 3) * (1 / 6), 0, 1))


def _numeric(op, x):
    """``x`` as a floating tensor (integers become float32, as in PyTorch); bools refused."""
    x = x if isinstance(x, Tensor) else as_tensor(x)
    if x.data.dtype.kind == "b":
        _no_kernel(op, x.data.dtype)
    return float_input(x)


def softsign(x):
    """x / (1 + |x|); integer tensors give float32, as in PyTorch."""
    x = _numeric("softsign", x)
    return x / (abs(x) + 1)


def tanhshrink(x):
    """x - tanh(x); integer tensors give float32, as in PyTorch."""
    x = _numeric("tanhshrink", x)
    return x - tanh(x)


@register("hardshrink")
def hardshrink(x, lambd=0.5):
    """x where |x| > lambd, else 0 (gradient 0 at +-lambd, as in PyTorch)."""
    x = floating("hardshrink", x)
    return where((x > lambd) | (x < -lambd), x, 0)


def softshrink(x, lambd=0.5):
    """x - lambd where x > lambd, x + lambd where x < -lambd, else 0; lambd >= 0."""
    x = floating("softshrink", x)
    if not lambd >= 0:
        raise ValueError(f"softshrink: lambd must be at least 0, got {lambd}")
    return where(x > lambd, x - lambd, where(x < -lambd, x + lambd, 0))


def threshold(x, threshold, value, inplace=False):
    """x where x > threshold, else value. An integer tensor keeps its dtype, with threshold
    and value rounded toward zero first (as in PyTorch); bools are refused."""
    x = x if isinstance(x, Tensor) else as_tensor(x)
    kind = x.data.dtype.kind
    if kind == "b":
        _no_kernel("threshold", x.data.dtype)
    if kind != "f":  # no gradient to keep
        return where(x > int(threshold), x, int(value)).to(x.dtype)
    return where(x > threshold, x, value)


def softmin(x, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along ``dim``; ``dtype`` casts the input first."""
    x, axis = _softmax_input("softmin", x, dim, dtype)
    return Softmax.apply(-x, axis=axis)


def glu(x, dim=-1):
    """The gated linear unit a * sigmoid(b), a and b the two halves of x along ``dim`` (whose
    size must be even)."""
    x = floating("glu", x)
    if x.ndim == 0:
        raise ValueError("glu: does not support 0-d tensors, the halved dimension must have an "
                         "even size")
    axis = _check_dim(dim, x.ndim, "glu")
    n = x.shape[axis]
    if n % 2:
        raise ValueError(f"glu: halving dimension must be even, but dimension {dim} has size "
                         f"{n}")
    head = (slice(None),) * axis
    return x[head + (slice(0, n // 2),)] * sigmoid(x[head + (slice(n // 2, None),)])


@register("prelu")
def prelu(x, weight):
    """x where x > 0, else weight * x. ``weight`` (0-d or 1-D) holds one slope, or one per
    channel (dim 1 of x; a tensor of fewer than 2 dims has one channel)."""
    x, weight = floating("prelu", x, "input"), floating("prelu", weight, "weight")
    if weight.ndim > 1:
        raise ValueError(f"prelu: weight must be 0-d or 1-D, got shape {tuple(weight.shape)}")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if weight.numel() not in (1, channels):
        raise ValueError(f"prelu: weight has {weight.numel()} parameters but the input has "
                         f"{channels} channels (dim 1 of shape {tuple(x.shape)}); give 1 or "
                         f"{channels}")
    w = weight.reshape(() if weight.numel() == 1 else (channels,) + (1,) * (x.ndim - 2))
    return where(x > 0, x, w * x)


def rrelu(x, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: x where x > 0, else a x. Training: a ~ U(lower, upper), one per
    element, drawn from gradix's seeded generator; otherwise a = (lower + upper) / 2."""
    x = floating("rrelu", x)
    if lower > upper:
        raise ValueError(f"rrelu: lower ({lower}) must not exceed upper ({upper})")
    if not training:
        return leaky_relu(x, (lower + upper) / 2)
    a = random.generator().uniform(lower, upper, x.shape).astype(x.data.dtype)
    a = Tensor._make(backend.to_device(a, x.device), False, None)
    return where(x > 0, x, x * a)
