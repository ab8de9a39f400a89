"""Adam, with the AMSGrad variant and optional decoupled weight decay."""
import numpy as np

from .optimizer import Optimizer, buffer, lerp_, square_avg_


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), PyTorch's rule and argument names.

    For each parameter :math:`\theta` with gradient :math:`g` at step :math:`t`::

        g <- -g                                      if maximize
        g <- g + weight_decay * theta                (L2), or with decoupled_weight_decay:
        theta <- theta * (1 - lr * weight_decay)
        m <- beta1 * m + (1 - beta1) * g             (m, v start at zero)
        v <- beta2 * v + (1 - beta2) * g^2
        v_max <- max(v_max, v)                       if amsgrad (then v_max replaces v below)
        theta <- theta - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    Args:
        params: parameters or param groups (see :class:`Optimizer`).
        lr: learning rate (default 1e-3).
        betas: decay rates of the running averages of the gradient and its square.
        eps: added to the denominator for numerical stability (default 1e-8).
        weight_decay: weight decay coefficient (default 0).
        amsgrad: use the running maximum of the second moment (AMSGrad).
        maximize: maximize the objective instead of minimizing it.
        decoupled_weight_decay: shrink the weights directly instead of adding an L2 term to
            the gradient (this is :class:`AdamW`).

    State: ``step``, ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq`` (with amsgrad).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, maximize=False, decoupled_weight_decay=False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def _init_state(self, param, group):
        state = {"step": 0, "exp_avg": buffer(np.zeros_like(param)),
                 "exp_avg_sq": buffer(np.zeros_like(param))}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = buffer(np.zeros_like(param))
        return state

    def _update(self, param, grad, state, group):
        beta1, beta2 = group["betas"]
        state["step"] += 1
        step = state["step"]
        exp_avg, exp_avg_sq = state["exp_avg"].data, state["exp_avg_sq"].data
        lerp_(exp_avg, grad, 1 - beta1)
        scratch = square_avg_(exp_avg_sq, grad, beta2)
        if group["amsgrad"]:
            second = state["max_exp_avg_sq"].data
            np.maximum(second, exp_avg_sq, out=second)
        else:
            second = exp_avg_sq
        denom = np.sqrt(second)
        denom /= (1 - beta2 ** step) ** 0.5
        denom += group["eps"]
        delta = np.multiply(exp_avg, group["lr"] / (1 - beta1 ** step), out=scratch)
        delta /= denom
        param -= delta
