"""RMSprop, optionally centered and with momentum."""
import numpy as np

from .optimizer import Optimizer, as_array, buffer, lerp_, square_avg_


class RMSprop(Optimizer):
    r"""RMSprop (Hinton), PyTorch's rule and argument names.

    For each parameter :math:`\theta` with gradient :math:`g`::

        g <- -g                                      if maximize
        g <- g + weight_decay * theta                (L2 penalty)
        v <- alpha * v + (1 - alpha) * g^2           (v, m, b start at zero)
        if centered:
            m <- alpha * m + (1 - alpha) * g
            d <- sqrt(v - m^2) + eps
        else:
            d <- sqrt(v) + eps
        if momentum > 0:
            b <- momentum * b + g / d
            theta <- theta - lr * b
        else:
            theta <- theta - lr * g / d

    Args:
        params: parameters or param groups (see :class:`Optimizer`).
        lr: learning rate (default 1e-2).
        alpha: smoothing constant of the squared-gradient average (default 0.99).
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: L2 penalty coefficient (default 0).
        momentum: momentum factor (default 0).
        centered: normalize by an estimate of the gradient's variance instead of its second
            moment.
        maximize: maximize the objective instead of minimizing it.

    State: ``step``, ``square_avg``, ``momentum_buffer`` (momentum > 0), ``grad_avg``
    (centered).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered,
                                      maximize=maximize))

    def _init_state(self, param, group):
        state = {"step": 0, "square_avg": buffer(np.zeros_like(param))}
        if group["momentum"] > 0:
            state["momentum_buffer"] = buffer(np.zeros_like(param))
        if group["centered"]:
            state["grad_avg"] = buffer(np.zeros_like(param))
        return state

    def _update(self, param, grad, state, group):
        alpha, lr = group["alpha"], group["lr"]
        state["step"] += 1
        square_avg = state["square_avg"].data
        scratch = square_avg_(square_avg, grad, alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"].data
            lerp_(grad_avg, grad, 1 - alpha)
            avg = as_array(np.multiply(grad_avg, grad_avg))
            np.subtract(square_avg, avg, out=avg)
            np.sqrt(avg, out=avg)
        else:
            avg = as_array(np.sqrt(square_avg))
        avg += group["eps"]
        if group["momentum"] > 0:
            buf = state["momentum_buffer"].data
            buf *= group["momentum"]
            buf += np.divide(grad, avg, out=avg)
            np.multiply(buf, lr, out=scratch)
        else:
            np.multiply(grad, lr, out=scratch)
            scratch /= avg
        param -= scratch
