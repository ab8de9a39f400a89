"""Convolution: conv1d and conv2d (stride, padding, dilation, groups) by im2col + matmul.

The forward, its input-gradient and its weight-gradient are three ops, each bilinear in its
two inputs, whose backwards are written with one another; so gradients of any order stay
on the fast im2col path.
"""
from .. import backend, blas
from ..autograd.function import Function
from .elementwise import _no_kernel, promote
from .shape import squeeze, unsqueeze
from .window import Window, as_tuple

__all__ = ["conv1d", "conv2d"]


def _columns(x, win, groups):
    """im2col: x (N, C, H, W) as a contiguous (N, G, C/G*kh*kw, Ho*Wo) array."""
    cols = backend.array_module(x).ascontiguousarray(win.columns(win.pad(x)))
    return cols.reshape(x.shape[0], groups, -1, win.out_hw[0] * win.out_hw[1])


class _ConvOp(Function):
    """A conv op on two arrays; ``win`` and ``groups`` are shared with its gradient ops."""

    def forward(self, a, b, win, groups, cols=None):
        self.win, self.groups, self.cols = win, groups, cols
        return self.compute(a, b)

    def op(self, cls, a, b, cols=None):
        return cls.apply(a, b, win=self.win, groups=self.groups, cols=cols)


class Conv2d(_ConvOp):
    """y (N, O, Ho, Wo) from x (N, C, H, W), w (O, C/G, kh, kw) and an optional bias (O,),
    added in place to the fresh output (one pass fewer than a separate add)."""

    def forward(self, x, w, bias=None, *, win, groups, cols=None):
        y = super().forward(x, w, win, groups, cols)
        if bias is not None:
            y += bias.reshape(1, -1, 1, 1)
        return y

    def compute(self, x, w):
        g, n = self.groups, x.shape[0]
        self.cols = _columns(x, self.win, g)  # kept for the weight gradient
        y = blas.matmul(w.reshape(g, w.shape[0] // g, -1), self.cols)
        return y.reshape((n, w.shape[0]) + self.win.out_hw)

    def backward(self, gy):
        x, w = self.inputs[:2]
        need = self.needs_input_grad
        return (self.op(Conv2dGradInput, gy, w) if need[0] else None,
                self.op(Conv2dGradWeight, x, gy, self.cols) if need[1] else None,
                gy.sum(dim=(0, 2, 3)) if len(need) == 3 and need[2] else None)


class Conv2dGradInput(_ConvOp):
    """gx (N, C, H, W) from gy (N, O, Ho, Wo) and w: the transposed convolution (col2im)."""

    def compute(self, gy, w):
        if self.win.stride == (1, 1):
            return self.shifted_sums(gy, w)
        return self.col2im(gy, w)

    def shifted_sums(self, gy, w):
        """Stride 1: with gy laid out in rows as wide as the padded input (zeros past Wo),
        kernel offset (p, q) moves every contribution by the same flat distance
        p*dh*Wp + q*dw, so col2im is kh*kw additions of long contiguous runs."""
        g, n, win = self.groups, gy.shape[0], self.win
        o, cg, kh, kw = w.shape
        og, (ho, wo), (hp, wp), (dh, dw) = o // g, win.out_hw, win.padded_hw, win.dilation
        xp = backend.array_module(gy)
        run = ho * wp
        wide = xp.zeros((n, g, og, ho, wp), gy.dtype)
        wide[..., :wo] = gy.reshape(n, g, og, ho, wo)
        # every offset's product at once: rows (p, q, c) of (G, kh*kw*C/G, O/G) @ (O/G, run)
        wk = w.reshape(g, og, cg, kh, kw).transpose(0, 3, 4, 2, 1).reshape(g, -1, og)
        v = blas.matmul(wk, wide.reshape(n, g, og, run)).reshape(n, g, kh * kw, cg, run)
        out = xp.zeros((n, g, cg, hp * wp + (kw - 1) * dw), gy.dtype)
        for k in range(kh * kw):
            shift = (k // kw) * dh * wp + (k % kw) * dw
            out[..., shift:shift + run] += v[:, :, k]
        return win.unpad(out[..., :hp * wp].reshape(n, g * cg, hp, wp))

    def col2im(self, gy, w):
        """Any stride: each kernel offset's columns added back onto the pixels they read."""
        g, n, win = self.groups, gy.shape[0], self.win
        wg = w.reshape(g, w.shape[0] // g, -1).swapaxes(-1, -2)   # (G, C/G*kh*kw, O/G)
        gcols = blas.matmul(wg, gy.reshape(n, g, wg.shape[-1], -1))
        gcols = gcols.reshape((n, w.shape[1] * g) + win.kernel + win.out_hw)
        return win.scatter(lambda p, q: gcols[:, :, p, q])

    def backward(self, ggx):
        gy, w = self.inputs
        return self.op(Conv2d, ggx, w), self.op(Conv2dGradWeight, ggx, gy)


class Conv2dGradWeight(_ConvOp):
    """gw (O, C/G, kh, kw) from x (N, C, H, W) and gy (N, O, Ho, Wo); ``cols``, when given,
    is x's im2col array (N, G, K, L) that the forward already built."""

    def compute(self, x, gy):
        g, n, o = self.groups, x.shape[0], gy.shape[1]
        cols = _columns(x, self.win, g) if self.cols is None else self.cols
        gw = blas.matmul(gy.reshape(n, g, o // g, -1), cols.swapaxes(-1, -2)).sum(axis=0)
        return gw.reshape((o, x.shape[1] // g) + self.win.kernel)

    def backward(self, ggw):
        x, gy = self.inputs
        return self.op(Conv2dGradInput, gy, ggw), self.op(Conv2d, x, ggw)


def _padding(op, padding, kernel, stride, dilation):
    """padding (int, pair, 'valid' or 'same') as ((top, bottom), (left, right))."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0), (0, 0))
        if padding == "same":
            if stride != (1, 1):
                raise ValueError(f"{op}: padding='same' needs stride 1, got stride {stride}; "
                                 f"give explicit padding for a strided convolution")
            # an even extent pads one more at the end, as torch does
            totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
            return tuple((t // 2, t - t // 2) for t in totals)
        raise ValueError(f"{op}: padding must be an int, a tuple, 'same' or 'valid', got "
                         f"{padding!r}")
    return tuple((p, p) for p in as_tuple(op, "padding", padding))


def _conv(op, x, weight, bias, stride, padding, dilation, groups, spatial):
    """Checks shapes and runs the 2-D convolution; ``spatial`` is 1 for conv1d (lifted to 2-D
    with a height of 1) or 2."""
    x, weight = promote(op, x, weight)
    if x.dtype.kind == "b":  # torch has no bool convolution
        _no_kernel(op, x.dtype)
    if x.ndim not in (spatial + 1, spatial + 2) or weight.ndim != spatial + 2:
        raise ValueError(f"{op}: expects input of shape (N, C, {'L' if spatial == 1 else 'H, W'})"
                         f" (or without N) and a weight with {spatial + 2} dimensions, got "
                         f"input {tuple(x.shape)} and weight {tuple(weight.shape)}")
    unbatched = x.ndim == spatial + 1
    if unbatched:
        x = unsqueeze(x, 0)
    c, o = x.shape[1], weight.shape[0]
    if not isinstance(groups, int) or groups <= 0 or c % groups or o % groups \
            or weight.shape[1] * groups != c:
        raise ValueError(f"{op}: input with {c} channels, weight {tuple(weight.shape)} and "
                         f"groups={groups} don't fit: groups must divide both channel counts "
                         f"and weight.shape[1] * groups must equal the input channels")
    if bias is not None and tuple(bias.shape) != (o,):
        raise ValueError(f"{op}: bias must have shape ({o},), got {tuple(bias.shape)}")
    if spatial == 1:  # an int or a 1-tuple each, as in torch
        stride, dilation = (as_tuple(op, n, v, 1)[0] for n, v in (("stride", stride),
                                                                  ("dilation", dilation)))
        if not isinstance(padding, str):
            padding = (0, as_tuple(op, "padding", padding, 1)[0])
        x, weight = unsqueeze(x, 2), unsqueeze(weight, 2)
        stride, dilation = (1, stride), (1, dilation)
    kernel = tuple(weight.shape[2:])
    stride, dilation = as_tuple(op, "stride", stride), as_tuple(op, "dilation", dilation)
    win = Window(op, x.shape[2:], kernel, stride, dilation,
                 _padding(op, padding, kernel, stride, dilation))
    biases = () if bias is None else (bias if bias.dtype == x.dtype else bias.to(x.dtype),)
    y = Conv2d.apply(x, weight, *biases, win=win, groups=groups)
    if spatial == 1:
        y = squeeze(y, 2)
    return squeeze(y, 0) if unbatched else y


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    """2-D cross-correlation, like torch.nn.functional.conv2d.

    Shapes: input (N, C, H, W) or (C, H, W); weight (O, C/groups, kh, kw); bias (O,);
    output (N, O, Ho, Wo) with Ho = (H + pad_top + pad_bottom - dilation*(kh-1) - 1) // stride
    + 1 (likewise Wo). ``padding`` is an int, a pair, 'valid' or 'same' (stride 1 only).
    """
    return _conv("conv2d", input, weight, bias, stride, padding, dilation, groups, 2)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    """1-D cross-correlation, like torch.nn.functional.conv1d.

    Shapes: input (N, C, L) or (C, L); weight (O, C/groups, k); bias (O,); output (N, O, Lo).
    ``stride``, ``padding`` and ``dilation`` are ints (``padding`` also 'valid' or 'same').
    """
    return _conv("conv1d", input, weight, bias, stride, padding, dilation, groups, 1)
