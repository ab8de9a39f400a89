"""Adagrad: per-coordinate learning rates from the sum of squared gradients."""
import numpy as np

from .optimizer import Optimizer, buffer


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011), PyTorch's rule and argument names.

    For each parameter :math:`\theta` with gradient :math:`g` at step :math:`t`::

        g <- -g                                      if maximize
        g <- g + weight_decay * theta                (L2 penalty)
        lr_t <- lr / (1 + (t - 1) * lr_decay)
        s <- s + g^2                                 (s starts at initial_accumulator_value)
        theta <- theta - lr_t * g / (sqrt(s) + eps)

    Args:
        params: parameters or param groups (see :class:`Optimizer`).
        lr: learning rate (default 1e-2).
        lr_decay: learning rate decay (default 0).
        weight_decay: L2 penalty coefficient (default 0).
        initial_accumulator_value: starting value of the sum of squares (default 0).
        eps: added to the denominator for numerical stability (default 1e-10).
        maximize: maximize the objective instead of minimizing it.

    State: ``step``, ``sum``.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, *, maximize=False):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize))

    def _init_state(self, param, group):
        return {"step": 0,
                "sum": buffer(np.full_like(param, group["initial_accumulator_value"]))}

    def _update(self, param, grad, state, group):
        state["step"] += 1
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        total = state["sum"].data
        total += grad * grad
        std = np.sqrt(total)
        std += group["eps"]
        param -= clr * grad / std
