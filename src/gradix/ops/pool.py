"""Pooling: max_pool2d, avg_pool2d and adaptive_avg_pool2d, vectorized over the kernel's
offsets (one strided slice per offset, never a loop over pixels)."""
import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import Tensor
from .elementwise import _no_kernel, div, floating
from .linalg import matmul
from .shape import squeeze, unsqueeze
from .window import Window, as_tuple

__all__ = ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d"]


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


# ---------------------------------------------------------------------- max pooling
class MaxPool2d(Function):
    """y[n, c, i, j] = max of window (i, j); remembers which kernel offset won (first on ties)."""

    def forward(self, x, win):
        xpad = win.pad(x, _lowest(x.dtype))
        xp = backend.array_module(x)
        y = idx = None
        for p, q, key in win.offsets():
            v = xpad[key]
            if y is None:
                y, idx = v.copy(), xp.zeros(v.shape, dtype=np.int32)
            else:
                # idx = where(v > y, offset, idx) by arithmetic: a masked write is far slower
                idx += (v > y) * (p * win.kernel[1] + q - idx)
                xp.maximum(y, v, out=y)
        self.win, self.idx = win, idx
        return y

    def backward(self, gy):
        return PlaceAtIndex.apply(gy, win=self.win, idx=self.idx)


class PickAtIndex(Function):
    """y[n, c, i, j] = x at the saved winning offset of window (i, j) (x padded with 0)."""

    def forward(self, x, win, idx):
        self.win, self.idx = win, idx
        xpad = win.pad(x)
        y = backend.array_module(x).zeros(idx.shape, dtype=x.dtype)
        for p, q, key in win.offsets():
            y += xpad[key] * (idx == p * win.kernel[1] + q)
        return y

    def backward(self, gy):
        return PlaceAtIndex.apply(gy, win=self.win, idx=self.idx)


class PlaceAtIndex(Function):
    """The adjoint of PickAtIndex: gy added into each window at its saved offset."""

    def forward(self, gy, win, idx):
        self.win, self.idx = win, idx
        return win.scatter(lambda p, q: gy * (idx == p * win.kernel[1] + q))

    def backward(self, ggx):
        return PickAtIndex.apply(ggx, win=self.win, idx=self.idx)


# ---------------------------------------------------------------------- sums over windows
def _window_sum(x, win):
    """The sums of x's windows (x padded with zeros), one strided slice added per offset."""
    xpad = win.pad(x)
    offsets = win.offsets()
    y = xpad[next(offsets)[2]].copy()
    for _, _, key in offsets:
        y += xpad[key]
    return y


class WindowSum(Function):
    """y[n, c, i, j] = sum of window (i, j) of x padded with zeros."""

    def forward(self, x, win):
        self.win = win
        return _window_sum(x, win)

    def backward(self, gy):
        return WindowSpread.apply(gy, win=self.win)


class WindowSpread(Function):
    """The adjoint of WindowSum: every input pixel receives the sum of gy over the windows
    that contain it."""

    def forward(self, gy, win):
        self.win = win
        return win.scatter(lambda p, q: gy)

    def backward(self, ggx):
        return WindowSum.apply(ggx, win=self.win)


# ---------------------------------------------------------------------- public ops
def _pool_window(op, x, kernel_size, stride, padding, dilation, ceil_mode):
    if ceil_mode:
        raise ValueError(f"{op}: ceil_mode=True is not supported; use ceil_mode=False with "
                         f"explicit padding")
    if x.ndim not in (3, 4):
        raise ValueError(f"{op}: expects input of shape (N, C, H, W) or (C, H, W), got "
                         f"{tuple(x.shape)}")
    kernel = as_tuple(op, "kernel_size", kernel_size)
    stride = kernel if stride is None else as_tuple(op, "stride", stride)
    padding = as_tuple(op, "padding", padding)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{op}: padding {padding} must be at most half the kernel size "
                         f"{kernel}")
    return Window(op, x.shape[-2:], kernel, stride, as_tuple(op, "dilation", dilation),
                  tuple((p, p) for p in padding))


def _batched(fn, x, *args):
    """Runs fn on (N, C, H, W); an unbatched (C, H, W) input gets a batch of one."""
    if x.ndim == 3:
        return squeeze(fn(unsqueeze(x, 0), *args), 0)
    return fn(x, *args)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1,  # noqa: A002
               ceil_mode=False):
    """The maximum over each kernel window, like torch.nn.functional.max_pool2d.

    Shapes: input (N, C, H, W) or (C, H, W); output (N, C, Ho, Wo) with Ho = (H + 2*padding
    - dilation*(kh-1) - 1) // stride + 1. ``stride`` defaults to ``kernel_size``; padding
    (at most half the kernel) never wins. The gradient goes to the first maximum of a window.
    """
    if input.dtype.kind == "b":
        _no_kernel("max_pool2d", input.dtype)
    win = _pool_window("max_pool2d", input, kernel_size, stride, padding, dilation, ceil_mode)
    return _batched(lambda x: MaxPool2d.apply(x, win=win), input)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,  # noqa: A002
               count_include_pad=True, divisor_override=None):
    """The mean over each kernel window, like torch.nn.functional.avg_pool2d.

    Shapes as for max_pool2d. Padded zeros count in the divisor when ``count_include_pad``
    (the default); ``divisor_override`` replaces the divisor. As in torch, an int64 input
    gives int64 means (rounded toward zero); other integer and bool dtypes are refused.
    """
    if input.dtype != dtypes.int64:
        floating("avg_pool2d", input)
    if divisor_override is not None and divisor_override == 0:
        raise ValueError("avg_pool2d: divisor_override must not be zero")
    win = _pool_window("avg_pool2d", input, kernel_size, stride, padding, 1, ceil_mode)

    def divide(total, d):
        return total / d if total.dtype.kind == "f" else div(total, d, rounding_mode="trunc")

    def pool(x):
        total = WindowSum.apply(x, win=win)
        if divisor_override is not None:
            return divide(total, divisor_override)
        if count_include_pad:
            return divide(total, win.kernel[0] * win.kernel[1])
        ones = backend.array_module(x.data).ones((1, 1) + win.in_hw, dtype=x.dtype)
        return divide(total, Tensor._make(_window_sum(ones, win), False, None))
    return _batched(pool, input)


def _bin_matrix(n_in, n_out, dtype):
    """(n_out, n_in) averaging matrix of torch's adaptive bins [floor(i*n/m), ceil((i+1)*n/m))."""
    i = np.arange(n_out)
    start, end = (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)
    cols = np.arange(n_in)
    inside = (cols >= start[:, None]) & (cols < end[:, None])
    return inside / (end - start)[:, None].astype(dtype)


def adaptive_avg_pool2d(input, output_size):  # noqa: A002
    """Averages over bins that tile the input into ``output_size`` (an int or a pair, where
    None keeps the input size), like torch.nn.functional.adaptive_avg_pool2d.

    Shapes: input (N, C, H, W) or (C, H, W); output (N, C, oh, ow).
    """
    input = floating("adaptive_avg_pool2d", input)
    if input.ndim not in (3, 4):
        raise ValueError(f"adaptive_avg_pool2d: expects input of shape (N, C, H, W) or "
                         f"(C, H, W), got {tuple(input.shape)}")
    h, w = input.shape[-2:]
    sizes = (output_size, output_size) if not isinstance(output_size, (tuple, list)) \
        else tuple(output_size)
    oh, ow = as_tuple("adaptive_avg_pool2d", "output_size",
                  tuple(n if s is None else s for s, n in zip(sizes, (h, w))))
    if oh <= 0 or ow <= 0:
        raise ValueError(f"adaptive_avg_pool2d: output_size must be positive, got {(oh, ow)}")
    xp = backend.array_module(input.data)
    rows, cols = (Tensor._make(xp.asarray(_bin_matrix(n, m, input.dtype)), False, None)
                  for n, m in ((h, oh), (w, ow)))
    return matmul(matmul(rows, input), cols.mT)
