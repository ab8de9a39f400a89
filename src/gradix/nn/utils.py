"""Regularization and gradient helpers: L1/L2 penalties to add to a loss, gradient clipping
(PyTorch's ``clip_grad_norm_`` / ``clip_grad_value_``), and flattening parameters to a vector.

The penalties have no PyTorch equivalent. They cover **every** parameter given, biases and
normalization scales included, like an optimizer's ``weight_decay`` applied to a whole param
group; to exclude some, pass the parameters to penalize instead of the module, e.g.
``l2_penalty(p for n, p in model.named_parameters() if not n.endswith("bias"))``.
"""
import math

import numpy as np

from ..autograd.grad_mode import no_grad
from ..ops.elementwise import abs
from ..ops.reduce import sum
from ..ops.shape import cat, reshape
from ..tensor import Tensor
from .module import Module

__all__ = ["l1_penalty", "l2_penalty", "clip_grad_norm_", "clip_grad_value_",
           "parameters_to_vector", "vector_to_parameters"]


def _params(op, parameters):
    """A list of tensors from a Module, one Tensor or an iterable of Tensors."""
    if isinstance(parameters, Module):
        return list(parameters.parameters())
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"{op}: expected a Module or Tensors, got {type(p).__name__}")
    return params


def _penalty(op, module_or_params, term):
    params = _params(op, module_or_params)
    if not params:
        raise ValueError(f"{op}: there are no parameters to penalize")
    total = sum(term(params[0]))
    for p in params[1:]:
        total = total + sum(term(p))
    return total


def l1_penalty(module_or_params):
    """sum |w| over every parameter (a 0-d tensor, differentiable: its gradient is sign(w)).

    Add ``lam * l1_penalty(model)`` to the loss for L1 regularization (sparse weights).
    """
    return _penalty("l1_penalty", module_or_params, abs)


def l2_penalty(module_or_params):
    """sum w^2 over every parameter (a 0-d tensor, differentiable: its gradient is 2 w).

    ``loss + lam * l2_penalty(model)`` under plain SGD is the same as ``weight_decay=2 * lam``.
    """
    return _penalty("l2_penalty", module_or_params, lambda p: p * p)


def _grads(op, parameters):
    return [p.grad for p in _params(op, parameters) if p.grad is not None]


def _grad_norm(g, norm_type):
    a = np.abs(g.data)
    if norm_type == math.inf:
        return a.max() if a.size else np.zeros((), a.dtype)
    # float16 is summed in float32, as torch does: 300 ** 2 already overflows float16
    wide = a.astype(np.float32) if a.dtype == np.float16 else a
    return (np.sum(wide ** norm_type) ** (1.0 / norm_type)).astype(a.dtype)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scales the gradients in place so that their joint ``norm_type``-norm is at most
    ``max_norm``, as ``torch.nn.utils.clip_grad_norm_`` does.

    The joint norm is the norm of the per-parameter norms; every gradient is multiplied by
    min(1, max_norm / (total + 1e-6)). Parameters without a gradient are skipped.
    ``foreach`` is accepted for torch's signature and ignored.

    Returns:
        The total norm before clipping, a 0-d tensor (0 when there are no gradients).
    Raises:
        RuntimeError: the total norm is nan or inf and ``error_if_nonfinite`` is True (the
            gradients are left unchanged).
    """
    norm_type = float(norm_type)
    if not norm_type > 0:
        raise ValueError(f"clip_grad_norm_: norm_type must be positive (or inf), got {norm_type}")
    grads = _grads("clip_grad_norm_", parameters)
    if not grads:
        return Tensor._make(np.zeros((), np.float32), False, None)
    norms = np.stack([_grad_norm(g, norm_type) for g in grads])
    total = _grad_norm(Tensor._make(norms, False, None), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the "
                           f"gradients is non-finite ({total}), so it can't be clipped; pass "
                           f"error_if_nonfinite=False to scale by it anyway")
    coef = min(float(max_norm) / (float(total) + 1e-6), 1.0)
    with no_grad():
        for g in grads:
            g.mul_(coef)
    return Tensor._make(np.asarray(total), False, None)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamps every gradient in place to [-clip_value, clip_value] (``foreach`` is ignored)."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads("clip_grad_value_", parameters):
            g.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters):
    """The parameters flattened and joined into one 1-D tensor (differentiable)."""
    params = _params("parameters_to_vector", parameters)
    return cat([reshape(p, (-1,)) for p in params])


def vector_to_parameters(vec, parameters):
    """Copies consecutive slices of the 1-D ``vec`` into the parameters (in place, no grad)."""
    params = _params("vector_to_parameters", parameters)
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: expected a Tensor, got {type(vec).__name__}")
    if vec.ndim != 1:
        raise ValueError(f"vector_to_parameters: expected a 1-D tensor, got shape "
                         f"{tuple(vec.shape)}")
    needed = int(np.sum([p.numel() for p in params]))
    if vec.numel() != needed:
        raise ValueError(f"vector_to_parameters: the vector has {vec.numel()} elements but the "
                         f"parameters hold {needed}")
    start = 0
    with no_grad():
        for p in params:
            n = p.numel()
            p.copy_(vec.data[start:start + n].reshape(p.shape))
            start += n
