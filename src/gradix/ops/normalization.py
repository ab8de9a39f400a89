"""Normalization: batch_norm and layer_norm, composed of gradix ops (so every order of
gradient comes for free)."""
from ..autograd.grad_mode import no_grad
from .elementwise import rsqrt
from .reduce import mean, var
from .shape import reshape

__all__ = ["batch_norm", "layer_norm"]


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
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expects input of shape (N, C, *), got {tuple(input.shape)}")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
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
        mu, sigma2 = mean(input, axes), var(input, axes, correction=0)
        if running_mean is not None:
            with no_grad():
                running_mean.mul_(1 - momentum).add_(mu.detach() * momentum)
                running_var.mul_(1 - momentum).add_(sigma2.detach() * (momentum * n / (n - 1)))
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are needed when not "
                             "training")
        mu, sigma2 = running_mean, running_var
    y = (input - reshape(mu, shape)) * rsqrt(reshape(sigma2, shape) + eps)
    return _affine(y, weight, bias, shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):  # noqa: A002
    """Normalizes over the last ``len(normalized_shape)`` dims, like F.layer_norm.

    Shapes: input (*, *normalized_shape); weight and bias ``normalized_shape``.
    """
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != shape or input.ndim < k:
        raise ValueError(f"layer_norm: input of shape {tuple(input.shape)} doesn't end with "
                         f"normalized_shape {shape}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise ValueError(f"layer_norm: {name} must have shape {shape}, got "
                             f"{tuple(t.shape)}")
    axes = tuple(range(input.ndim - k, input.ndim))
    mu, sigma2 = mean(input, axes, keepdim=True), var(input, axes, keepdim=True, correction=0)
    return _affine((input - mu) * rsqrt(sigma2 + eps), weight, bias, shape)
