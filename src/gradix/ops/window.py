"""Sliding-window geometry shared by convolution and pooling (2-D, on NCHW arrays).

A ``Window`` holds kernel size, stride, dilation and (top, bottom), (left, right) padding
for one op call, and gives the vectorized building blocks: a strided im2col view, and the
strided slice that each kernel offset (p, q) reads from the padded input. Scattering back
(col2im) is a loop over the kh*kw offsets adding such slices, never over pixels.
"""
import numpy as np

from .. import backend


def as_tuple(op, name, value, n=2):
    """An int or ``n`` ints as an n-tuple of ints; anything else raises naming ``op``."""
    values = (value,) * n if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) != n or not all(isinstance(v, (int, np.integer)) for v in values):
        raise ValueError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}")
    return tuple(int(v) for v in values)


class Window:
    """The geometry of one 2-D sliding-window op on an input of spatial size (H, W).

    Args:
        op: the op's name, for error messages.
        in_hw: (H, W) of the unpadded input.
        kernel, stride, dilation: pairs of positive ints.
        padding: ((top, bottom), (left, right)) of non-negative ints.
    """

    def __init__(self, op, in_hw, kernel, stride, dilation, padding):
        for name, v in (("kernel_size", kernel), ("stride", stride), ("dilation", dilation)):
            if min(v) <= 0:
                raise ValueError(f"{op}: {name} must be positive, got {v}")
        if min(min(p) for p in padding) < 0:
            raise ValueError(f"{op}: padding must be non-negative, got {padding}")
        self.kernel, self.stride, self.dilation, self.padding = kernel, stride, dilation, padding
        self.in_hw = tuple(in_hw)
        self.padded_hw = tuple(n + lo + hi for n, (lo, hi) in zip(in_hw, padding))
        self.span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
        self.out_hw = tuple((n - e) // s + 1 for n, e, s in zip(self.padded_hw, self.span, stride))
        # whether two windows can share a pixel; if not, scatters assign instead of adding
        self.overlapping = any(s < e for s, e in zip(stride, self.span))
        if min(self.out_hw) <= 0:
            raise ValueError(f"{op}: input of spatial size {self.in_hw} with padding {padding} "
                             f"is smaller than the kernel's extent {self.span} (kernel "
                             f"{kernel}, dilation {dilation}); the output would be empty")

    def pad(self, x, value=0):
        """x (N, C, H, W) padded spatially with ``value`` (no copy when there is no padding)."""
        (top, bottom), (left, right) = self.padding
        if not (top or bottom or left or right):
            return x
        n, c, h, w = x.shape
        out = backend.array_module(x).full((n, c, h + top + bottom, w + left + right), value,
                                           x.dtype)
        out[..., top:top + h, left:left + w] = x  # several times faster than numpy.pad
        return out

    def unpad(self, x):
        """The inverse of ``pad``: the interior (H, W) region of a padded array."""
        (top, bottom), (left, right) = self.padding
        return x[..., top:x.shape[-2] - bottom, left:x.shape[-1] - right]

    def columns(self, xpad):
        """A read-only view (N, C, kh, kw, Ho, Wo) of padded x: entry [.., p, q, i, j] is the
        input pixel that kernel offset (p, q) meets at output position (i, j)."""
        n, c = xpad.shape[:2]
        sn, sc, sh, sw = xpad.strides
        (dh, dw), (th, tw) = self.dilation, self.stride
        xp = backend.array_module(xpad)
        return xp.lib.stride_tricks.as_strided(
            xpad, (n, c) + self.kernel + self.out_hw,
            (sn, sc, dh * sh, dw * sw, th * sh, tw * sw), writeable=False)

    def offsets(self):
        """Yields (p, q, key): ``padded[key]`` is the (N, C, Ho, Wo) slice kernel offset (p, q)
        reads."""
        (kh, kw), (dh, dw), (th, tw), (ho, wo) = (self.kernel, self.dilation, self.stride,
                                                  self.out_hw)
        for p in range(kh):
            rows = slice(p * dh, p * dh + th * (ho - 1) + 1, th)
            for q in range(kw):
                yield p, q, (Ellipsis, rows, slice(q * dw, q * dw + tw * (wo - 1) + 1, tw))

    def scatter(self, values):
        """col2im: ``values(p, q)`` (N, C, Ho, Wo) for each kernel offset, summed back onto
        the unpadded input (N, C, H, W)."""
        out = None
        for p, q, key in self.offsets():
            v = values(p, q)
            if out is None:
                out = backend.array_module(v).zeros(v.shape[:2] + self.padded_hw, v.dtype)
            if self.overlapping:
                out[key] += v
            else:
                out[key] = v
        return self.unpad(out)
