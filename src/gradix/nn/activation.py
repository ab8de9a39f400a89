"""Activation modules: each stores PyTorch's arguments and calls its functional form.

``inplace=True`` is accepted where PyTorch takes it (so ported code runs) and shown in the
repr, but the result is always a new tensor: values and gradients are the same.
"""
from ..ops.activation import elu, gelu, leaky_relu, log_softmax, silu, softmax
from ..ops.elementwise import relu, sigmoid, softplus, tanh
from .module import Module

__all__ = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "SiLU", "ELU", "Softplus", "Softmax",
           "LogSoftmax"]


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
