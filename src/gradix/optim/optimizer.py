"""Optimizer: param groups, per-parameter state, ``step`` and a resumable ``state_dict``.

A subclass states its update rule once, on arrays: ``_init_state(param, group)`` makes a
parameter's state on its first step and ``_update(param, grad, state, group)`` changes the
parameter's array in place. The base class does the rest: walking the groups, skipping
parameters without a gradient, ``maximize`` and weight decay (one implementation for all).
"""
import numpy as np

from .. import backend
from ..autograd import enable_grad, inplace, no_grad
from ..tensor import Tensor, zero_grads

# hyperparameter -> (is it valid?, what is valid); checked in every group that has the key
_RULES = {
    "lr": (lambda v: v >= 0, ">= 0"),
    "momentum": (lambda v: v >= 0, ">= 0"),
    "eps": (lambda v: v >= 0, ">= 0"),
    "weight_decay": (lambda v: v >= 0, ">= 0"),
    "alpha": (lambda v: v >= 0, ">= 0"),
    "lr_decay": (lambda v: v >= 0, ">= 0"),
    "initial_accumulator_value": (lambda v: v >= 0, ">= 0"),
    "betas": (lambda v: len(v) == 2 and all(0 <= b < 1 for b in v), "two values in [0, 1)"),
}


class Optimizer:
    """Base class of all optimizers.

    Args:
        params: an iterable of Tensors, or of dicts (param groups) each holding ``"params"``
            and any hyperparameters that override ``defaults`` for that group.
        defaults: the hyperparameters of a group that does not set its own.

    Attributes:
        param_groups: a list of dicts, each with ``"params"`` (a list of Tensors) and every
            hyperparameter; a scheduler changes ``group["lr"]`` here.
        state: a dict from parameter to its state dict (buffers as Tensors, counters as
            numbers), in the order the parameters first took a step.
    """

    def __init__(self, params, defaults):
        if isinstance(params, Tensor):
            raise TypeError(f"{type(self).__name__}: params must be an iterable of Tensors or "
                            f"dicts, got a single Tensor; wrap it in a list")
        self.defaults = dict(defaults)
        self.param_groups = []
        self.state = {}
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Adds a group of parameters with its own hyperparameters (defaults fill the rest)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"add_param_group: expected a dict, got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError("add_param_group: parameters must be in an ordered collection "
                            "(a list or tuple), not a set: their order fixes the state_dict")
        params = list(params)
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__} can only optimize Tensors, but "
                                f"parameter {i} of the group is a {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__}: parameter {i} of the group is not a "
                                 f"leaf tensor (it was computed by an op); pass leaves only")
            if id(p) in seen:
                raise ValueError(f"{type(self).__name__}: parameter {i} of the group (shape "
                                 f"{tuple(p.shape)}) appears more than once in the optimizer")
            seen.add(id(p))
        group = {**self.defaults, **param_group, "params": params}
        self._check(group)
        self.param_groups.append(group)

    def _check(self, group):
        """Raises ValueError for the first invalid hyperparameter of ``group``."""
        for key, (valid, expected) in _RULES.items():
            if key in group and not valid(group[key]):
                raise ValueError(f"{type(self).__name__}: invalid {key} {group[key]!r}; "
                                 f"expected {expected}")

    def zero_grad(self, set_to_none=True):
        """Clears every parameter's gradient (see ``gradix.tensor.zero_grads``)."""
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    @no_grad()
    def step(self, closure=None):
        """Updates every parameter that has a gradient; returns ``closure()`` if given.

        ``closure`` re-evaluates the model and returns the loss; it runs with grad enabled.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state.get(p)
                if state is None:
                    state = self.state[p] = self._init_state(p.data, group)
                self._update(p.data, self._grad(p, group), state, group)
                inplace.mark_changed(p.data, "optimizer.step")  # a retained graph saw the old p
        return loss

    @staticmethod
    def _grad(p, group):
        """The gradient the update rule sees: negated under ``maximize``, plus L2 weight decay.

        With ``decoupled_weight_decay`` (AdamW) the parameter is shrunk instead, by
        ``1 - lr * weight_decay``, and the gradient is left alone. ``p.grad`` is never changed.
        """
        grad = p.grad.data
        if group["maximize"]:
            grad = -grad
        decay = group["weight_decay"]
        if decay != 0:
            if group.get("decoupled_weight_decay", False):
                p.data *= 1 - group["lr"] * decay
            else:
                grad = grad + decay * p.data
        return as_array(grad)

    def _init_state(self, param, group):
        """The state of a parameter (``param`` is its array) before its first update."""
        return {}

    def _update(self, param, grad, state, group):
        """Updates the array ``param`` in place from ``grad``, ``state`` and the hyperparameters."""
        raise NotImplementedError

    # ---------------------------------------------------------------- checkpoints
    def state_dict(self):
        """The optimizer's state as ``{"state": {index: {...}}, "param_groups": [...]}``.

        Parameters are replaced by their index in the order of ``param_groups`` (as PyTorch
        does), so the dict loads into an optimizer built the same way on other parameters.
        Buffers are the live Tensors, not copies: save the dict before training on.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: dict(s) for p, s in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restores hyperparameters and state saved by ``state_dict`` (copies, cast to each
        parameter's dtype and device)."""
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise ValueError(f"load_state_dict: the state dict has {len(saved)} parameter "
                             f"groups, the optimizer {len(self.param_groups)}")
        by_index = {}
        for i, (old, new) in enumerate(zip(saved, self.param_groups)):
            if len(old["params"]) != len(new["params"]):
                raise ValueError(f"load_state_dict: parameter group {i} has "
                                 f"{len(old['params'])} parameters in the state dict, "
                                 f"{len(new['params'])} in the optimizer")
            by_index.update(zip(old["params"], new["params"]))
        self.state = {}
        for index, state in state_dict["state"].items():
            p = by_index[int(index)]
            self.state[p] = {k: _load_value(k, v, p) for k, v in state.items()}
        self.param_groups = [{**old, "params": new["params"]}
                             for old, new in zip(saved, self.param_groups)]

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines + [")"])


def _load_value(key, value, param):
    """A copy of a saved state value: arrays become Tensors on ``param``'s device, floating
    ones in its dtype; the ``step`` counter stays a number."""
    if isinstance(value, Tensor):
        value = value.data
    if not hasattr(value, "shape"):
        return value
    if key == "step":
        return value.item()
    array = backend.to_device(value, param.device)
    if array.dtype.kind == "f":
        array = array.astype(param.dtype, copy=False)
    return Tensor._make(array.copy(), False, None)


def as_array(value):
    """``value`` as an array: NumPy gives a scalar for an op on 0-d arrays, and a scalar can't be
    changed in place or passed as ``out=`` (a 0-d parameter's update needs both)."""
    return value if backend.is_array(value) else np.asarray(value)


def buffer(array):
    """A state Tensor around ``array`` (the update rules work on its ``.data``)."""
    return Tensor._make(array, False, None)


def lerp_(start, end, weight):
    """``start += weight * (end - start)`` in place: a running average moving to ``end``.
    Computed from ``end``'s side for ``weight >= 0.5`` (as torch's lerp), so that weight 1
    gives ``end`` exactly and a weight near 1 loses no precision."""
    diff = as_array(np.subtract(end, start))
    if weight < 0.5:
        diff *= weight
        start += diff
    else:
        diff *= 1 - weight
        np.subtract(end, diff, out=start)


def square_avg_(avg, grad, decay):
    """``avg = decay * avg + (1 - decay) * grad**2`` in place: a running average of squared
    gradients. Returns the scratch array (grad's shape) it used, free for reuse."""
    scratch = as_array(np.multiply(grad, 1 - decay))
    scratch *= grad
    avg *= decay
    avg += scratch
    return scratch
