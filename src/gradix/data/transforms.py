"""Batch augmentation: each transform maps a whole batch (N, C, H, W) to a new batch.

Random parameters are drawn per sample, in one vectorized call per parameter, from
``gradix.random``'s generator, so ``gradix.manual_seed`` makes augmentation repeatable.
Transforms take Tensors (and return Tensors that do not require grad) or NumPy arrays (and
return arrays). Geometric transforms resample bilinearly with ``scipy.ndimage``.
"""
import numbers

import numpy as np

from .. import backend, random
from ..tensor import Tensor


class Transform:
    """Base class: ``apply(array) -> array`` on a NumPy batch; ``__call__`` handles Tensors."""

    def __call__(self, x):
        if isinstance(x, Tensor):
            out = self.apply(backend.to_device(x.data, "cpu"))
            return Tensor._make(backend.to_device(out, x.device), False, None)
        return self.apply(np.asarray(x))

    def apply(self, x):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Compose(Transform):
    """Applies ``transforms`` in order."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x


class RandomAffine(Transform):
    """Rotates, translates and scales each image about its centre by random amounts.

    Args:
        degrees: angle range; d means (-d, d). Positive angles turn counter-clockwise.
        translate: (a, b): maximal shift as a fraction of the width (a) and height (b).
        scale: (low, high) zoom factor range; None keeps the size.
        fill: value of pixels that come from outside the image.
    """

    def __init__(self, degrees, translate=None, scale=None, fill=0.0):
        name = type(self).__name__
        self.degrees = _interval(name, "degrees", degrees)
        if translate is not None:
            translate = tuple(float(t) for t in translate)
            if len(translate) != 2 or not all(0 <= t <= 1 for t in translate):
                raise ValueError(f"{name}: translate must be two fractions in [0, 1], got "
                                 f"{translate}")
        if scale is not None:
            scale = _interval(name, "scale", scale)
            if scale[0] <= 0:
                raise ValueError(f"{name}: scale must be positive, got {scale}")
        self.translate, self.scale, self.fill = translate, scale, fill

    def apply(self, x):
        n, _, h, w = _check_images(self, x).shape
        rng = random.generator()
        angle = np.deg2rad(rng.uniform(*self.degrees, n))
        zoom = rng.uniform(*self.scale, n) if self.scale else np.ones(n)
        shift = np.zeros((n, 2))
        if self.translate:
            shift = rng.uniform(-1, 1, (n, 2)) * [self.translate[1] * h, self.translate[0] * w]
        cos, sin = np.cos(angle) / zoom, np.sin(angle) / zoom
        # Output pixel o samples the input at  matrix @ (o - centre - shift) + centre.
        matrix = np.stack([np.stack([cos, sin], -1), np.stack([-sin, cos], -1)], -2)
        centre = np.array([(h - 1) / 2, (w - 1) / 2])
        offset = centre - np.einsum("nab,nb->na", matrix, centre + shift)
        return _warp(x, matrix, offset, (h, w), "constant", self.fill)


class RandomRotation(RandomAffine):
    """Rotates each image about its centre by a random angle in ``degrees`` ((-d, d) for d)."""

    def __init__(self, degrees, fill=0.0):
        super().__init__(degrees, fill=fill)


class RandomResizedCrop(Transform):
    """Crops a random box of each image and resizes it to ``size``.

    The box covers a fraction in ``scale`` of the image's area, with aspect ratio (width over
    height) in ``ratio`` (drawn log-uniformly); of 10 draws per image the first that fits is
    used, else the whole image.
    """

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3)):
        self.size = _pair("RandomResizedCrop", "size", size)
        self.scale = _interval("RandomResizedCrop", "scale", scale)
        self.ratio = _interval("RandomResizedCrop", "ratio", ratio)
        if self.scale[0] <= 0 or self.ratio[0] <= 0:
            raise ValueError(f"RandomResizedCrop: scale and ratio must be positive, got "
                             f"scale={self.scale}, ratio={self.ratio}")

    def apply(self, x):
        n, _, h, w = _check_images(self, x).shape
        rng = random.generator()
        area = h * w * rng.uniform(*self.scale, (n, 10))
        aspect = np.exp(rng.uniform(*np.log(self.ratio), (n, 10)))
        box_w, box_h = np.round(np.sqrt(area * aspect)), np.round(np.sqrt(area / aspect))
        fits = (box_w >= 1) & (box_w <= w) & (box_h >= 1) & (box_h <= h)
        first = fits.argmax(1)
        rows = np.arange(n)
        box_h = np.where(fits.any(1), box_h[rows, first], h)
        box_w = np.where(fits.any(1), box_w[rows, first], w)
        top, left = rng.integers(0, h - box_h + 1), rng.integers(0, w - box_w + 1)
        # Output pixel (i, j) samples the box at pixel centres: top + (i + 0.5) * box_h / H - 0.5.
        step = np.stack([box_h / self.size[0], box_w / self.size[1]], -1)
        matrix = np.eye(2) * step[:, :, None]
        offset = np.stack([top, left], -1) + 0.5 * step - 0.5
        return _warp(x, matrix, offset, self.size, "nearest", 0.0)


class RandomCrop(Transform):
    """Pads each image by ``padding`` pixels (with ``fill``) on every side, then crops a box of
    ``size`` (int or (h, w)) at a random position."""

    def __init__(self, size, padding=0, fill=0.0):
        self.size = _pair("RandomCrop", "size", size)
        if not isinstance(padding, numbers.Integral) or padding < 0:
            raise ValueError(f"RandomCrop: padding must be a non-negative int, got {padding!r}")
        self.padding, self.fill = int(padding), fill

    def apply(self, x):
        n, _, h, w = _check_images(self, x).shape
        p = self.padding
        x = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=self.fill)
        ch, cw = self.size
        if ch > h + 2 * p or cw > w + 2 * p:
            raise ValueError(f"RandomCrop: size {self.size} is larger than the padded images "
                             f"({h + 2 * p}, {w + 2 * p})")
        rng = random.generator()
        top, left = rng.integers(0, h + 2 * p - ch + 1, n), rng.integers(0, w + 2 * p - cw + 1, n)
        windows = np.lib.stride_tricks.sliding_window_view(x, (ch, cw), axis=(2, 3))
        return windows[np.arange(n), :, top, left].copy()  # (N, C, ch, cw)


class RandomHorizontalFlip(Transform):
    """Mirrors each image left to right with probability ``p``."""

    def __init__(self, p=0.5):
        self.p = _probability("RandomHorizontalFlip", p)

    def apply(self, x):
        flip = random.generator().random(_check_images(self, x).shape[0]) < self.p
        return np.where(flip[:, None, None, None], x[..., ::-1], x)


class GaussianNoise(Transform):
    """Adds independent normal noise of standard deviation ``std`` to every value (any shape)."""

    def __init__(self, std):
        if not isinstance(std, numbers.Real) or std < 0:
            raise ValueError(f"GaussianNoise: std must be a non-negative number, got {std!r}")
        self.std = float(std)

    def apply(self, x):
        _check_floating(self, x)
        return x + random.generator().normal(0.0, self.std, x.shape).astype(x.dtype)


class Normalize(Transform):
    """``(x - mean[c]) / std[c]`` for each channel c (dimension 1) of a batch (N, C, ...).

    ``mean`` and ``std`` are numbers or sequences of C values; ``Normalize.fit(x)`` takes them
    from a batch (per-feature standardization of tabular data (N, F) too).
    """

    def __init__(self, mean, std):
        self.mean = np.atleast_1d(np.asarray(mean, dtype=np.float64))
        self.std = np.atleast_1d(np.asarray(std, dtype=np.float64))
        if self.mean.ndim != 1 or self.std.ndim != 1 or np.any(self.std <= 0):
            raise ValueError(f"Normalize: mean and std must be numbers or 1-d sequences, std "
                             f"positive; got mean={mean!r}, std={std!r}")

    @classmethod
    def fit(cls, x, eps=1e-8):
        """The Normalize that standardizes ``x`` (N, C, ...) channel by channel."""
        x = np.asarray(x, dtype=np.float64)
        axes = (0,) + tuple(range(2, x.ndim))
        return cls(x.mean(axes), x.std(axes) + eps)

    def apply(self, x):
        _check_floating(self, x)
        c = x.shape[1] if x.ndim > 1 else 0
        for name, v in (("mean", self.mean), ("std", self.std)):
            if v.size not in (1, c):
                raise ValueError(f"Normalize: {name} has {v.size} values but the batch of shape "
                                 f"{x.shape} has {c} channels (dimension 1)")
        shape = (-1,) + (1,) * (x.ndim - 2)
        return ((x - self.mean.reshape(shape)) / self.std.reshape(shape)).astype(x.dtype)


def _warp(x, matrix, offset, out_size, mode, fill):
    """Resamples image n at input coordinates ``matrix[n] @ (i, j) + offset[n]`` for each output
    pixel (i, j) of ``out_size`` (``ndimage.affine_transform``'s convention), bilinearly.

    One ``map_coordinates`` call covers the batch: the sample and channel coordinates are exact
    integers, so linear interpolation never mixes images or channels.
    """
    n, c = x.shape[:2]
    grid = np.stack(np.meshgrid(np.arange(out_size[0]), np.arange(out_size[1]), indexing="ij"))
    src = np.einsum("nab,bhw->nahw", matrix, grid) + offset[:, :, None, None]  # (N, 2, H', W')
    sample, channel = np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None]
    coords = np.broadcast_arrays(sample, channel, src[:, None, 0], src[:, None, 1])
    from scipy import ndimage  # imported on first use: it is slow to import

    return ndimage.map_coordinates(x, np.stack(coords), order=1, mode=mode, cval=fill)


def _check_images(transform, x):
    if x.ndim != 4:
        raise ValueError(f"{type(transform).__name__}: expected a batch of images of shape "
                         f"(N, C, H, W), got shape {x.shape}")
    return x


def _check_floating(transform, x):
    if x.dtype.kind != "f":
        raise TypeError(f"{type(transform).__name__}: expected a floating-point batch, got "
                        f"{x.dtype}")


def _interval(owner, name, value):
    """(low, high) from a pair, or (-v, v) from one non-negative number v."""
    if isinstance(value, numbers.Real):
        if value < 0:
            raise ValueError(f"{owner}: {name} as one number must be non-negative, got {value}")
        return (-float(value), float(value))
    low, high = (float(v) for v in value)
    if low > high:
        raise ValueError(f"{owner}: {name} must be (low, high) with low <= high, got "
                         f"{tuple(value)}")
    return (low, high)


def _pair(owner, name, value):
    pair = (value, value) if isinstance(value, numbers.Integral) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, numbers.Integral) and v > 0 for v in pair):
        raise ValueError(f"{owner}: {name} must be a positive int or (h, w), got {value!r}")
    return tuple(int(v) for v in pair)


def _probability(owner, p):
    if not isinstance(p, numbers.Real) or not 0 <= p <= 1:
        raise ValueError(f"{owner}: p must be a probability in [0, 1], got {p!r}")
    return float(p)
