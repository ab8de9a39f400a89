"""Conv1d and Conv2d."""
from .. import creation
from ..ops.window import as_tuple
from . import functional as F
from .linear import reset_fan_in
from .module import Module
from .parameter import Parameter


class _ConvNd(Module):
    """Shared constructor of Conv1d and Conv2d (``n`` spatial dims), with torch's attributes."""

    n = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, dtype=None):
        super().__init__()
        name = self._get_name()
        if groups <= 0 or in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: groups={groups} must be positive and divide "
                             f"in_channels={in_channels} and out_channels={out_channels}")
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got "
                             f"{padding!r}")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = as_tuple(name, "kernel_size", kernel_size, self.n)
        self.stride = as_tuple(name, "stride", stride, self.n)
        self.padding = (padding if isinstance(padding, str)
                        else as_tuple(name, "padding", padding, self.n))
        self.dilation = as_tuple(name, "dilation", dilation, self.n)
        if padding == "same" and any(s != 1 for s in self.stride):
            raise ValueError(f"{name}: padding='same' needs stride 1, got stride {self.stride}")
        self.weight = Parameter(creation.empty(out_channels, in_channels // groups,
                                               *self.kernel_size, dtype=dtype))
        if bias:
            self.bias = Parameter(creation.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        reset_fan_in(self.weight, self.bias)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * self.n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self.n:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv1d(_ConvNd):
    """1-D convolution over (N, C_in, L) -> (N, C_out, L_out); see ``F.conv1d``.

    Attributes: weight (out_channels, in_channels / groups, kernel_size), bias (out_channels,).
    """

    n = 1

    def forward(self, input):  # noqa: A002
        return F.conv1d(input, self.weight, self.bias, self.stride[0],
                        self.padding if isinstance(self.padding, str) else self.padding[0],
                        self.dilation[0], self.groups)


class Conv2d(_ConvNd):
    """2-D convolution over (N, C_in, H, W) -> (N, C_out, H_out, W_out); see ``F.conv2d``.

    Args: in_channels, out_channels, kernel_size, stride, padding (int, pair, 'same',
    'valid'), dilation, groups, bias, dtype, as in torch.nn.Conv2d.
    Attributes: weight (out_channels, in_channels / groups, kh, kw), bias (out_channels,).
    """

    def forward(self, input):  # noqa: A002
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)
