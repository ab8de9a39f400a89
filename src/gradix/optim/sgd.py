"""Stochastic gradient descent, with momentum and Nesterov momentum."""
from .optimizer import Optimizer, buffer


class SGD(Optimizer):
    r"""Stochastic gradient descent (PyTorch's rule and argument names).

    For each parameter :math:`\theta` with gradient :math:`g` at step :math:`t`::

        g <- -g                                  if maximize
        g <- g + weight_decay * theta            (L2 penalty)
        if momentum != 0:
            b <- g                               at t = 1
            b <- momentum * b + (1 - dampening) * g   after
            g <- g + momentum * b  if nesterov else  b
        theta <- theta - lr * g

    Args:
        params: parameters or param groups (see :class:`Optimizer`).
        lr: learning rate (default 1e-3).
        momentum: momentum factor (default 0).
        dampening: dampening of the momentum (default 0).
        weight_decay: L2 penalty coefficient (default 0).
        nesterov: use Nesterov momentum; needs momentum > 0 and dampening 0.
        maximize: maximize the objective instead of minimizing it.

    State: ``momentum_buffer`` (when momentum != 0).
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def _check(self, group):
        super()._check(group)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"SGD: nesterov=True needs momentum > 0 and dampening 0, got "
                             f"momentum {group['momentum']!r} and dampening "
                             f"{group['dampening']!r}")

    def _update(self, param, grad, state, group):
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = buffer(grad.copy())
            else:
                buf.data *= momentum
                buf.data += (1 - group["dampening"]) * grad
            grad = grad + momentum * buf.data if group["nesterov"] else buf.data
        param -= group["lr"] * grad
