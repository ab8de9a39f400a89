"""Activation modules: each stores PyTorch's arguments and calls its functional form.

``inplace=True`` is accepted where PyTorch takes it (so ported code runs) and shown in the
repr, but the result is always a new tensor: values and gradients are the same.
"""
from .. import creation
from ..ops import activation as A
from ..ops.activation import elu, gelu, leaky_relu, log_softmax, silu, softmax
from ..ops.elementwise import relu, sigmoid, softplus, tanh
from . import init
from .module import Module
from .parameter import Parameter

__all__ = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "SiLU", "ELU", "Softplus", "Softmax",
           "LogSoftmax", "SELU", "CELU", "Mish", "Hardswish", "Hardsigmoid", "Hardtanh", "ReLU6",
           "Softsign", "Tanhshrink", "Hardshrink", "Softshrink", "Threshold", "Softmin", "GLU",
           "LogSigmoid", "PReLU", "RReLU"]


class _Inplace(Module):
    """An activation with PyTorch's ``inplace`` flag (see the module docstring)."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def _inplace_repr(self, prefix=""):
        return prefix + "inplace=True" if self.inplace else ""


class ReLU(_Inplace):
    """max(x, 0), any shape."""

    def forward(self, x):
        return relu(x)

    def extra_repr(self):
        return self._inplace_repr()


class LeakyReLU(_Inplace):
    """x where x > 0, else negative_slope * x; any shape."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__(inplace)
        self.negative_slope = negative_slope

    def forward(self, x):
        return leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}{self._inplace_repr(', ')}"


class Sigmoid(Module):
    """1 / (1 + e^-x), any shape."""

    def forward(self, x):
        return sigmoid(x)


class Tanh(Module):
    """tanh(x), any shape."""

    def forward(self, x):
        return tanh(x)


class GELU(Module):
    """x * Phi(x), exact (``approximate='none'``) or its tanh approximation; any shape."""

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x):
        return gelu(x, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class SiLU(_Inplace):
    """x * sigmoid(x), any shape."""

    def forward(self, x):
        return silu(x)

    def extra_repr(self):
        return self._inplace_repr()


class ELU(_Inplace):
    """x where x > 0, else alpha (e^x - 1); any shape."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, x):
        return elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}{self._inplace_repr(', ')}"


class Softplus(Module):
    """log(1 + e^(beta x)) / beta, linear where beta x > threshold; any shape."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x):
        return softplus(x, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class _AlongDim(Module):
    """An activation along ``dim`` (None: PyTorch's implicit choice, with a warning)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """e^x / sum(e^x) along ``dim``; any shape."""

    def forward(self, x):
        return softmax(x, self.dim)


class LogSoftmax(_AlongDim):
    """log_softmax along ``dim``, stable for logits of any size; any shape."""

    def forward(self, x):
        return log_softmax(x, self.dim)


# ---------------------------------------------------------------------- more of PyTorch's
class SELU(_Inplace):
    """scale * elu(x, alpha) with the self-normalizing constants; any shape."""

    def forward(self, x):
        return A.selu(x)

    def extra_repr(self):
        return self._inplace_repr()


class CELU(_Inplace):
    """x where x > 0, else alpha (e^(x / alpha) - 1); any shape."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, x):
        return A.celu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}{self._inplace_repr(', ')}"


class Mish(_Inplace):
    """x * tanh(softplus(x)); any shape."""

    def forward(self, x):
        return A.mish(x)

    def extra_repr(self):
        return self._inplace_repr()


class Hardswish(_Inplace):
    """x * relu6(x + 3) / 6; any shape. (PyTorch's repr omits ``inplace``; so does this.)"""

    def forward(self, x):
        return A.hardswish(x)


class Hardsigmoid(_Inplace):
    """relu6(x + 3) / 6; any shape. (PyTorch's repr omits ``inplace``; so does this.)"""

    def forward(self, x):
        return A.hardsigmoid(x)


class Hardtanh(_Inplace):
    """x limited to [min_val, max_val]; any shape."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__(inplace)
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) must not exceed max_val "
                             f"({max_val})")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x):
        return A.hardtanh(x, self.min_val, self.max_val)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}{self._inplace_repr(', ')}"


class ReLU6(_Inplace):
    """min(max(x, 0), 6); any shape."""

    def forward(self, x):
        return A.relu6(x)

    def extra_repr(self):
        return self._inplace_repr()


class Softsign(Module):
    """x / (1 + |x|); any shape."""

    def forward(self, x):
        return A.softsign(x)


class Tanhshrink(Module):
    """x - tanh(x); any shape."""

    def forward(self, x):
        return A.tanhshrink(x)


class Hardshrink(Module):
    """x where |x| > lambd, else 0; any shape."""

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, x):
        return A.hardshrink(x, self.lambd)

    def extra_repr(self):
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """x - lambd above lambd, x + lambd below -lambd, else 0; any shape."""

    def forward(self, x):
        return A.softshrink(x, self.lambd)


class Threshold(_Inplace):
    """x where x > threshold, else value; any shape."""

    def __init__(self, threshold, value, inplace=False):
        super().__init__(inplace)
        self.threshold, self.value = threshold, value

    def forward(self, x):
        return A.threshold(x, self.threshold, self.value)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}{self._inplace_repr(', ')}"


class Softmin(_AlongDim):
    """softmax(-x) along ``dim``; any shape."""

    def forward(self, x):
        return A.softmin(x, self.dim)


class GLU(Module):
    """a * sigmoid(b), a and b the halves of x along ``dim`` (of even size)."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return A.glu(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSigmoid(Module):
    """log(sigmoid(x)), finite for any x; any shape."""

    def forward(self, x):
        return A.logsigmoid(x)


class PReLU(Module):
    """x where x > 0, else a x, with a learnable slope ``a``: one shared (``num_parameters``
    = 1) or one per channel (dim 1 of the input), each starting at ``init``.

    Attributes: weight (num_parameters,).
    """

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(creation.empty(num_parameters, dtype=dtype, device=device))
        self.reset_parameters()

    def reset_parameters(self):
        init.constant_(self.weight, self.init)

    def forward(self, x):
        return A.prelu(x, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class RReLU(_Inplace):
    """Randomized leaky ReLU: in training, each negative element is scaled by its own slope
    drawn from U(lower, upper) (gradix's seeded generator); in eval mode by (lower + upper) / 2."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__(inplace)
        self.lower, self.upper = lower, upper

    def forward(self, x):
        return A.rrelu(x, self.lower, self.upper, self.training)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}{self._inplace_repr(', ')}"
