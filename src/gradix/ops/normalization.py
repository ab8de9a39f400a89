"""Normalization: batch_norm and layer_norm, on one fused ``Normalize`` op."""
import numpy as np

from ..autograd import grad_mode
from ..autograd.function import Function
from ..tensor import Tensor
from .elementwise import floating, rsqrt
from .reduce import var
from .shape import reshape

__all__ = ["batch_norm", "layer_norm"]


def _mean(t, axes):
    """Mean over ``axes``, keeping them, of an array or a Tensor."""
    if isinstance(t, Tensor):
        return t.mean(dim=axes, keepdim=True)
    return t.mean(axis=axes, keepdims=True)


class Normalize(Function):
    """xhat = (x - mean) / sqrt(var + eps) over ``axes`` (biased variance). ``stats``, when
    given, is the (mean, var) pair of arrays already computed for x."""
    array_backward = True

    def forward(self, x, axes, eps, stats=None):
        mu, sigma2 = stats if stats is not None else _stats(x, axes)
        self.axes, self.eps = axes, eps
        self.rstd = 1 / np.sqrt(sigma2 + eps)
        self.y = (x - mu) * self.rstd
        return self.y

    def backward(self, gy):
        # dx = rstd * (gy - mean(gy) - xhat * mean(gy * xhat))
        xhat = self.output(self.y)
        if grad_mode.is_grad_enabled():  # recorded: rstd as a function of x, for 2nd order
            rstd = rsqrt(var(self.inputs[0], self.axes, keepdim=True, correction=0) + self.eps)
        else:
            rstd = self.rstd
        return rstd * (gy - _mean(gy, self.axes) - xhat * _mean(gy * xhat, self.axes))


def _stats(x, axes):
    """The mean and biased variance of array x over ``axes``, kept as size-1 axes."""
    mu = x.mean(axis=axes, keepdims=True)
    d = x - mu
    return mu, (d * d).mean(axis=axes, keepdims=True)


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * reshape(weight, shape)
    if bias is not None:
        y = y + reshape(bias, shape)
    return y


def batch_norm(input, running_mean, running_var, weight=None, bias=None,  # noqa: A002
               training=False, momentum=0.1, eps=1e-5):
    """Normalizes each channel (dim 1) by its mean and variance, like F.batch_norm.

    Shapes: input (N, C) or (N, C, *); running_mean, running_var, weight, bias (C,).
    In training the batch statistics are used (biased variance) and the running ones, when
    given, are updated in place: r = (1 - momentum) r + momentum s, with the unbiased
    variance, as torch does. Otherwise the running statistics are used.
    """
    input = floating("batch_norm", input)
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expects input of shape (N, C, *), got {tuple(input.shape)}")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        floating("batch_norm", t, name)
        if t is not None and tuple(t.shape) != (c,):
            raise ValueError(f"batch_norm: {name} must have shape ({c},) for input "
                             f"{tuple(input.shape)}, got {tuple(t.shape)}")
    shape = (1, c) + (1,) * (input.ndim - 2)
    if training:
        n = input.numel() // c
        if n <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input of shape {tuple(input.shape)}")
        axes = (0,) + tuple(range(2, input.ndim))
        mu, sigma2 = _stats(input.data, axes)
        if running_mean is not None:
            with grad_mode.no_grad():
                running_mean.mul_(1 - momentum).add_(mu.reshape(c) * momentum)
                running_var.mul_(1 - momentum).add_(sigma2.reshape(c) * (momentum * n / (n - 1)))
        y = Normalize.apply(input, axes=axes, eps=eps, stats=(mu, sigma2))
        return _affine(y, weight, bias, shape)
    if running_mean is None or running_var is None:
        raise ValueError("batch_norm: running_mean and running_var are needed when not "
                         "training")
    y = (input - reshape(running_mean, shape)) * rsqrt(reshape(running_var, shape) + eps)
    return _affine(y, weight, bias, shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):  # noqa: A002
    """Normalizes over the last ``len(normalized_shape)`` dims, like F.layer_norm.

    Shapes: input (*, *normalized_shape); weight and bias ``normalized_shape``.
    """
    input = floating("layer_norm", input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != shape or input.ndim < k:
        raise ValueError(f"layer_norm: input of shape {tuple(input.shape)} doesn't end with "
                         f"normalized_shape {shape}")
    for name, t in (("weight", weight), ("bias", bias)):
        floating("layer_norm", t, name)
        if t is not None and tuple(t.shape) != shape:
            raise ValueError(f"layer_norm: {name} must have shape {shape}, got "
                             f"{tuple(t.shape)}")
    axes = tuple(range(input.ndim - k, input.ndim))
    return _affine(Normalize.apply(input, axes=axes, eps=eps), weight, bias, shape)
