"""Losses with PyTorch's semantics: ``reduction`` is 'mean' (the default), 'sum' or 'none'.

Each loss checks its arguments (shapes, target dtypes and ranges) before computing anything,
then builds the per-element loss from differentiable ops (log_softmax and the binary cross
entropy have dedicated backward rules) and hands it to one shared reduction.
"""
import warnings

import numpy as np

from .. import dtypes
from ..autograd.function import Function
from ..tensor import Tensor, as_tensor
from .activation import log_softmax, logsigmoid, softmax
from .elementwise import _no_kernel, abs, clamp, exp, float_input, floating, log, log1p, relu, where
from .index import gather, one_hot_array
from .reduce import mean, sum
from .shape import reshape, unsqueeze

__all__ = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "cross_entropy", "nll_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "multi_margin_loss",
           "hinge_embedding_loss", "kl_div"]

_REDUCTIONS = ("none", "mean", "sum")


# ---------------------------------------------------------------------- shared checks
def _check_reduction(op, reduction, allowed=_REDUCTIONS):
    if reduction not in allowed:
        raise ValueError(f"{op}: reduction must be one of {', '.join(map(repr, allowed))}, "
                         f"got {reduction!r}")


def _reduce(loss, reduction, total=None):
    """The per-element ``loss`` reduced; 'mean' divides the sum by ``total`` when given (a
    weighted mean), else by the number of elements."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return sum(loss)
    return mean(loss) if total is None else sum(loss) / total


def _shape(t):
    return tuple(t.shape)


def _pair(op, input, target, need="either"):
    """input and target as floating tensors; differing but broadcastable shapes warn (PyTorch's
    UserWarning), incompatible ones raise. As in torch, ``need`` says which of them must
    already be floating: "either" (the loss is computed in their promoted dtype), "input" or
    "both"; the other may be an integer or bool tensor."""
    input, target = (t if isinstance(t, Tensor) else as_tensor(t) for t in (input, target))
    if need == "either":
        if input.dtype.kind != "f" and target.dtype.kind != "f":
            _no_kernel(op, dtypes.result_type(input.data, target.data))
    else:
        floating(op, input, "input")
        if need == "both":
            floating(op, target, "target")
    input, target = float_input(input), float_input(target)
    if input.shape != target.shape:
        try:
            np.broadcast_shapes(input.shape, target.shape)
        except ValueError:
            raise ValueError(f"{op}: target shape {_shape(target)} can't be broadcast to the "
                             f"input shape {_shape(input)}; give them the same shape") from None
        warnings.warn(f"{op}: target shape {_shape(target)} differs from input shape "
                      f"{_shape(input)}; they will be broadcast, which is likely wrong",
                      stacklevel=3)
    return input, target


def _elementwise_weight(op, weight, input):
    if weight is not None and _shape(weight) != _shape(input):
        raise ValueError(f"{op}: weight shape {_shape(weight)} must equal the input shape "
                         f"{_shape(input)}")


def _constant(array):
    return Tensor._make(array, False, None)


def _broadcastable(op, name, t, shape):
    """Checks that ``t`` (a tensor or None) broadcasts to ``shape`` without growing it."""
    if t is None:
        return
    try:
        ok = np.broadcast_shapes(t.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{op}: {name} of shape {_shape(t)} can't be broadcast to the input "
                         f"shape {tuple(shape)}")


# ---------------------------------------------------------------------- regression
def mse_loss(input, target, *, reduction="mean", weight=None):
    """(input - target)^2; with ``weight`` (input's shape) 'mean' is sum(w l) / sum(w)."""
    _check_reduction("mse_loss", reduction)
    input, target = _pair("mse_loss", input, target)
    _elementwise_weight("mse_loss", weight, input)
    d = input - target
    return _weighted(d * d, weight, reduction, weighted_mean=True)


def l1_loss(input, target, *, reduction="mean", weight=None):
    """|input - target|; with ``weight`` (input's shape) 'mean' is sum(w l) / sum(w)."""
    _check_reduction("l1_loss", reduction)
    for name, t in (("input", input), ("target", target)):
        if isinstance(t, Tensor) and t.dtype.kind == "b":  # torch can't subtract bools
            _no_kernel("l1_loss", t.data.dtype, name)
    if (isinstance(input, Tensor) and isinstance(target, Tensor) and input.dtype.kind in "iu"
            and target.dtype.kind in "iu" and reduction != "mean" and weight is None):
        return _reduce(abs(input - target), reduction)  # integers stay integers, as in torch
    input, target = _pair("l1_loss", input, target)
    _elementwise_weight("l1_loss", weight, input)
    return _weighted(abs(input - target), weight, reduction, weighted_mean=True)


def smooth_l1_loss(input, target, *, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target); beta=0 is
    the L1 loss."""
    _check_reduction("smooth_l1_loss", reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    input, target = _pair("smooth_l1_loss", input, target)
    a = abs(input - target)
    if beta == 0:
        return _reduce(a, reduction)
    return _reduce(where(a < beta, a * a * (0.5 / beta), a - 0.5 * beta), reduction)


def huber_loss(input, target, *, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta): smooth_l1_loss times delta.
    With ``weight`` (input's shape) 'mean' is the plain mean of w l, as in PyTorch."""
    _check_reduction("huber_loss", reduction)
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    input, target = _pair("huber_loss", input, target, need="input")
    _elementwise_weight("huber_loss", weight, input)
    a = abs(input - target)
    loss = where(a < delta, a * a * 0.5, (a - 0.5 * delta) * delta)
    return _weighted(loss, weight, reduction, weighted_mean=False)


def _weighted(loss, weight, reduction, weighted_mean):
    if weight is None:
        return _reduce(loss, reduction)
    weight = float_input(weight)
    loss = loss * weight
    return _reduce(loss, reduction, sum(weight) if weighted_mean else None)


# ---------------------------------------------------------------------- classification
def _class_weight(op, weight, num_classes):
    if weight is None:
        return None
    floating(op, weight, "weight")
    if weight.ndim != 1 or weight.shape[0] != num_classes:
        raise ValueError(f"{op}: weight must be a 1-D tensor with one entry per class "
                         f"({num_classes}), got shape {_shape(weight)}")
    return weight.data


def _class_dim(op, input):
    """Where the classes are: dim 1 of (N, C, d1, ...), dim 0 of an unbatched (C,)."""
    if input.ndim == 0:
        raise ValueError(f"{op}: input must have a class dimension, got a 0-d tensor")
    return 0 if input.ndim == 1 else 1


def _along_classes(weight, like, c_dim):
    """The (C,) weight array as a constant that broadcasts along dim ``c_dim`` of ``like``."""
    return _constant(weight.astype(like.dtype).reshape((-1,) + (1,) * (like.ndim - c_dim - 1)))


def _class_target(op, input, target, ignore_index=None, probabilities_ok=False,
                  index_dtypes=("int64", "uint8")):
    """Checks class-index targets: a tensor of ``index_dtypes`` (torch's) of shape (N, d1, ...)
    for input (N, C, d1, ...), or () for input (C,), each value in [0, C - 1] or equal to
    ignore_index."""
    c_dim = _class_dim(op, input)
    expected = _shape(input)[:c_dim] + _shape(input)[c_dim + 1:]
    hint = (f", or class probabilities of the input's shape {_shape(input)}"
            if probabilities_ok else "")
    if not isinstance(target, Tensor) or target.dtype.kind not in "iu":
        kind = dtypes.dtype_name(target.dtype) if isinstance(target, Tensor) else \
            type(target).__name__
        raise TypeError(f"{op}: target must hold class indices (an integer tensor of shape "
                        f"{expected}){hint}; got {kind} of shape {_shape(np.asarray(target))}")
    if target.dtype.name not in index_dtypes:
        raise TypeError(f"{op}: class indices must be {' or '.join(index_dtypes)} (as in "
                        f"PyTorch), got {dtypes.dtype_name(target.dtype)}; convert with "
                        f".long() first")
    if _shape(target) != expected:
        raise ValueError(f"{op}: expected target of shape {expected} for input of shape "
                         f"{_shape(input)}{hint}; got {_shape(target)}")
    num_classes = input.shape[c_dim]
    t = target.data
    bad = (t < 0) | (t >= num_classes)
    if ignore_index is not None:
        bad &= t != ignore_index
    if bad.any():
        raise IndexError(f"{op}: target {int(t[bad].flat[0])} is out of range for "
                         f"{num_classes} classes [0, {num_classes - 1}]")


def _nll(logp, target, weight, ignore_index, reduction, label_smoothing=0.0):
    """The negative log-likelihood of checked class indices under log-probabilities
    ``logp`` (N, C, d1, ...), PyTorch's weighted mean and label smoothing included.

    Per element: (1 - eps) w[t] (-logp[t]) + eps / C sum_c w[c] (-logp[c]), 0 where t is
    ignore_index; 'mean' divides by the sum of w[t] over the elements not ignored.
    """
    t = target.data
    ignored = t == ignore_index
    masked = bool(ignored.any())
    safe = np.where(ignored, 0, t) if masked else t
    picked = reshape(gather(logp, 1, _constant(safe[:, None])), t.shape)
    w_t = None
    if weight is not None or masked:
        w_t = np.ones(t.shape, logp.dtype) if weight is None else weight[safe].astype(logp.dtype)
        if masked:
            w_t = w_t * ~ignored
        w_t = _constant(w_t)
    loss = -picked if w_t is None else -picked * w_t
    if label_smoothing:
        num_classes = logp.shape[1]
        if weight is not None:
            logp = logp * _along_classes(weight, logp, 1)
        smooth = -sum(logp, 1)
        if masked:
            smooth = smooth * _constant(~ignored)
        loss = loss * (1 - label_smoothing) + smooth * (label_smoothing / num_classes)
    if reduction == "mean" and masked and ignored.all():
        # every target ignored: the mean is 0 / 0 = NaN, as in torch, with torch's zero
        # gradient (dividing by the zero total would make it inf * 0 = NaN)
        return sum(loss) * 0 + float("nan")
    return _reduce(loss, reduction, None if w_t is None else sum(w_t))


def _batched(op, input, target, reduction, compute):
    """Runs ``compute(input, target)`` with a batch dimension added to an unbatched (C,)
    input and its target, dropping it again from an unreduced result."""
    if input.ndim != 1:
        return compute(input, target)
    loss = compute(unsqueeze(input, 0), unsqueeze(target, 0))
    return reshape(loss, ()) if reduction == "none" else loss


def nll_loss(input, target, weight=None, *, ignore_index=-100, reduction="mean"):
    """The negative log-likelihood loss: -weight[t] input[n, t] for log-probabilities
    ``input`` (N, C, d1, ...) or (C,) and class indices ``target`` (N, d1, ...) or ().

    'mean' is PyTorch's weighted mean: divided by the sum of weight[t] over the targets that
    are not ``ignore_index``.
    """
    _check_reduction("nll_loss", reduction)
    input = floating("nll_loss", input, "input")
    _class_target("nll_loss", input, target, ignore_index)
    weight = _class_weight("nll_loss", weight, input.shape[_class_dim("nll_loss", input)])
    return _batched("nll_loss", input, target, reduction,
                    lambda x, t: _nll(x, t, weight, ignore_index, reduction))


class LogitsNLL(Function):
    """cross_entropy's common case as one op: logits x (N, C) and class indices (N,), no
    weights, smoothing or ignored targets. Per sample: logsumexp(x) - x[target]; the
    gradient is (softmax(x) - onehot(target)) times the upstream gradient."""

    def forward(self, x, target, reduction):
        self.target, self.reduction = target, reduction
        m = x.max(axis=1, keepdims=True)
        with np.errstate(over="ignore", invalid="ignore"):  # far below m: exp 0; inf - inf
            log_s = np.log(np.exp(x - m).sum(axis=1))
            # (m - x_t) first: m + log_s rounds log_s away where |m| is large
            loss = (m[:, 0] - np.take_along_axis(x, target[:, None], axis=1)[:, 0]) + log_s
        return loss if reduction == "none" else getattr(loss, reduction)()

    def backward(self, gy):
        x = self.inputs[0]
        n, c = x.shape
        onehot = Tensor._make(one_hot_array(self.target, c, x.dtype), False, None)
        if self.reduction == "none":
            gy = reshape(gy, (n, 1))
        elif self.reduction == "mean":
            gy = gy / n
        return (softmax(x, 1) - onehot) * gy


def cross_entropy(input, target, weight=None, *, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """log_softmax over the class dimension followed by the negative log-likelihood.

    Args:
        input: logits (N, C, d1, ...) or (C,); stable for logits of any size.
        target: class indices (N, d1, ...) or () as an integer tensor, or class
            probabilities of the input's shape as a floating tensor.
        weight: (C,) per-class weights. With class indices, 'mean' divides by the sum of the
            targets' weights (PyTorch's weighted mean); with probabilities, by the number of
            elements N * d1 * ...
        ignore_index: a class index whose targets add nothing (class indices only).
        label_smoothing: eps in [0, 1]: the target mixes (1 - eps) of itself with a uniform
            eps / C over the classes.
    """
    op = "cross_entropy"
    _check_reduction(op, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{op}: label_smoothing must be in [0, 1], got {label_smoothing}")
    input = floating(op, input, "input")
    c_dim = _class_dim(op, input)
    probabilities = isinstance(target, Tensor) and target.shape == input.shape and \
        target.dtype.kind == "f"
    if not probabilities:
        _class_target(op, input, target, ignore_index, probabilities_ok=True)
    elif ignore_index >= 0:
        raise ValueError(f"{op}: ignore_index ({ignore_index}) applies to class-index targets "
                         f"only, not to class probabilities")
    num_classes = input.shape[c_dim]
    weight = _class_weight(op, weight, num_classes)
    if (not probabilities and input.ndim == 2 and weight is None and not label_smoothing
            and not (target.data == ignore_index).any()):
        return LogitsNLL.apply(input, target=target.data, reduction=reduction)
    logp = log_softmax(input, c_dim)
    if not probabilities:
        return _batched(op, logp, target, reduction,
                        lambda x, t: _nll(x, t, weight, ignore_index, reduction,
                                          label_smoothing))
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / num_classes
    if weight is not None:
        logp = logp * _along_classes(weight, logp, c_dim)
    return _reduce(-sum(logp * target, c_dim), reduction)


_BCE_EPS = float(np.float32(1e-12))  # PyTorch's epsilon: 1e-12 rounded to float32


class BinaryCrossEntropy(Function):
    """-(t log x + (1 - t) log(1 - x)) with each log clamped to >= -100, as in PyTorch."""

    def forward(self, x, t):
        with np.errstate(divide="ignore"):  # log(0) = -inf, clamped to -100
            return -(t * np.maximum(np.log(x), -100) + (1 - t) * np.maximum(np.log1p(-x), -100))

    def backward(self, gy):
        x, t = self.inputs
        nx, nt = self.needs_input_grad
        gx = gy * (x - t) / clamp(x * (1 - x), min=_BCE_EPS) if nx else None
        gt = None
        if nt:
            with np.errstate(divide="ignore"):
                gt = gy * (clamp(log1p(-x), min=-100) - clamp(log(x), min=-100))
        return gx, gt


def _check_probabilities(op, name, t):
    data = t.data
    bad = ~((data >= 0) & (data <= 1))
    if bad.any():
        raise ValueError(f"{op}: {name} values must be probabilities in [0, 1], got "
                         f"{data[bad].flat[0]}")


def _same_shape_target(op, input, target):
    if _shape(target) != _shape(input):
        raise ValueError(f"{op}: target shape {_shape(target)} must equal the input shape "
                         f"{_shape(input)}")


def binary_cross_entropy(input, target, weight=None, *, reduction="mean"):
    """-w (t log x + (1 - t) log(1 - x)) for probabilities ``input`` and ``target`` of the
    same shape; each log is clamped to >= -100 so that x = 0 or 1 gives a finite loss.
    ``weight`` broadcasts to the input's shape."""
    op = "binary_cross_entropy"
    _check_reduction(op, reduction)
    input, target = floating(op, input, "input"), floating(op, target, "target")
    _same_shape_target(op, input, target)
    _broadcastable(op, "weight", weight, input.shape)
    _check_probabilities(op, "input", input)
    _check_probabilities(op, "target", target)
    loss = BinaryCrossEntropy.apply(input, target.to(input.dtype))
    if weight is not None:
        loss = loss * weight.detach()
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, *, reduction="mean",
                                     pos_weight=None):
    """binary_cross_entropy(sigmoid(input), target) computed stably from logits:
    (1 - t) x - (1 + (pos_weight - 1) t) log(sigmoid(x)), times ``weight``.

    ``pos_weight`` (broadcast over the last dimension, e.g. (C,)) weighs the positive term.
    """
    op = "binary_cross_entropy_with_logits"
    _check_reduction(op, reduction)
    input, target = floating(op, input, "input"), floating(op, target, "target")
    _same_shape_target(op, input, target)
    _broadcastable(op, "weight", weight, input.shape)
    _broadcastable(op, "pos_weight", pos_weight, input.shape)
    if pos_weight is not None and pos_weight.dtype.kind == "b":  # torch: pos_weight - 1
        _no_kernel(op, pos_weight.dtype, "pos_weight")
    scale = 1 if pos_weight is None else (pos_weight - 1) * target + 1
    loss = (1 - target) * input - logsigmoid(input) * scale
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, *, reduction="mean"):
    """The multi-class hinge loss: for each sample, sum over classes j != t of
    w[t] max(0, margin - x[t] + x[j])^p, divided by C.

    ``input`` (N, C) or (C,), ``target`` class indices (N,) or (); p is 1 or 2.
    """
    op = "multi_margin_loss"
    _check_reduction(op, reduction)
    if p not in (1, 2):
        raise ValueError(f"{op}: p must be 1 or 2, got {p}")
    input = floating(op, input, "input")
    if input.ndim not in (1, 2):
        raise ValueError(f"{op}: input must be (N, C) or (C,), got shape {_shape(input)}")
    _class_target(op, input, target, index_dtypes=("int64",))
    num_classes = input.shape[-1]
    weight = _class_weight(op, weight, num_classes)

    def compute(x, t):
        idx = t.data
        z = relu(x - gather(x, 1, _constant(idx[:, None])) + margin)
        others = 1 - one_hot_array(idx, num_classes, x.dtype)  # the target class adds nothing
        if weight is not None:
            others = others * weight[idx, None].astype(x.dtype)
        return sum((z if p == 1 else z * z) * _constant(others), 1) * (1 / num_classes)
    return _reduce(_batched(op, input, target, "none", compute), reduction)


def hinge_embedding_loss(input, target, margin=1.0, *, reduction="mean"):
    """x where the target is 1, max(0, margin - x) where it is -1 (targets must be 1 or -1)."""
    op = "hinge_embedding_loss"
    _check_reduction(op, reduction)
    input = input if isinstance(input, Tensor) else as_tensor(input)
    if input.dtype.kind == "b" or reduction == "mean":  # torch: no bool -, no integer mean
        floating(op, input, "input")
    input = float_input(input)
    target = target if isinstance(target, Tensor) else as_tensor(target)
    t = target.data
    bad = (t != 1) & (t != -1)
    if bad.any():
        raise ValueError(f"{op}: target values must be 1 or -1, got {t[bad].flat[0]}")
    _broadcastable(op, "target", target, input.shape)
    loss = where(target == 1, input, clamp(margin - input, min=0))
    return _reduce(loss, reduction)


def kl_div(input, target, *, reduction="mean", log_target=False):
    """Pointwise KL divergence t (log t - x) for log-probabilities ``input`` and probabilities
    ``target`` (log-probabilities with ``log_target=True``); 0 where t = 0.

    'batchmean' divides the sum by the batch size input.shape[0], the true KL divergence per
    sample; 'mean' divides by the number of elements (as in PyTorch).
    """
    op = "kl_div"
    _check_reduction(op, reduction, _REDUCTIONS + ("batchmean",))
    input, target = floating(op, input, "input"), floating(op, target, "target")
    _broadcastable(op, "target", target, input.shape)
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size; 'batchmean' divides only by the batch size, as the KL "
                      "divergence's definition does", stacklevel=2)
    if log_target:
        loss = exp(target) * (target - input)
    else:
        zero = target == 0
        loss = where(zero, 0, target * log(where(zero, 1, target))) - target * input
    if reduction != "batchmean":
        return _reduce(loss, reduction)
    total = sum(loss)
    return total / input.shape[0] if input.ndim else total


# ---------------------------------------------------------------------- ranking, embedding and
# likelihood losses (composed from differentiable ops; added after the list above)
import builtins  # noqa: E402
import math  # noqa: E402

from .. import backend  # noqa: E402
from .distance import _clamped_value, pairwise_distance  # noqa: E402
from .elementwise import minimum, softplus  # noqa: E402

__all__ += ["margin_ranking_loss", "soft_margin_loss", "cosine_embedding_loss",
            "triplet_margin_loss", "poisson_nll_loss", "gaussian_nll_loss"]


def margin_ranking_loss(input1, input2, target, margin=0.0, *, reduction="mean"):
    """max(0, -target (input1 - input2) + margin), target 1 or -1 saying which input should
    rank higher; the three tensors must have the same number of dims (then broadcast)."""
    op = "margin_ranking_loss"
    _check_reduction(op, reduction)
    input1, input2, target = (float_input(t) for t in (input1, input2, target))
    if not input1.ndim == input2.ndim == target.ndim:
        raise ValueError(f"{op}: input1, input2 and target must have the same number of dims, "
                         f"got shapes {_shape(input1)}, {_shape(input2)} and {_shape(target)}")
    return _reduce(clamp(-target * (input1 - input2) + margin, min=0), reduction)


def soft_margin_loss(input, target, *, reduction="mean"):
    """The two-class logistic loss log(1 + e^(-target input)), target 1 or -1; computed
    exactly for any size of target * input (PyTorch's overflows to inf past ~88 in float32)."""
    op = "soft_margin_loss"
    _check_reduction(op, reduction)
    input, target = float_input(input), float_input(target)
    return _reduce(softplus(-target * input, threshold=float("inf")), reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, *, reduction="mean"):
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1 (0 for
    other targets). Inputs (N, D) with targets (N,), or (D,) with a 0-d target; cos is
    sum(x1 x2) / sqrt((sum(x1^2) + 1e-12) (sum(x2^2) + 1e-12)), as in PyTorch."""
    op = "cosine_embedding_loss"
    _check_reduction(op, reduction)
    input1, input2 = floating(op, input1, "input1"), floating(op, input2, "input2")
    target = target if isinstance(target, Tensor) else as_tensor(target)
    if target.ndim not in (0, 1):
        raise ValueError(f"{op}: target must be 0-d or 1-D, got shape {_shape(target)}")
    want = target.ndim + 1
    if input1.ndim != want or input2.ndim != want:
        raise ValueError(f"{op}: a {target.ndim}-D target needs {want}-D inputs, got shapes "
                         f"{_shape(input1)} and {_shape(input2)}")
    dim = target.ndim
    prod = sum(input1 * input2, dim)
    mag1, mag2 = sum(input1 * input1, dim) + 1e-12, sum(input2 * input2, dim) + 1e-12
    cos = prod / (mag1 * mag2) ** 0.5
    loss = where(target == 1, 1 - cos, 0) + where(target == -1, clamp(cos - margin, min=0), 0)
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, *,
                        reduction="mean"):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), d the pairwise p-distance
    along the last dim; ``swap`` uses min(d(a, n), d(p, n)) as the negative distance. The three
    tensors must have the same number of dims."""
    op = "triplet_margin_loss"
    _check_reduction(op, reduction)
    tensors = [floating(op, t, n) for t, n in
               ((anchor, "anchor"), (positive, "positive"), (negative, "negative"))]
    anchor, positive, negative = tensors
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise ValueError(f"{op}: anchor, positive and negative must have the same number of "
                         f"dims, got shapes {_shape(anchor)}, {_shape(positive)} and "
                         f"{_shape(negative)}")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce(clamp(d_pos - d_neg + margin, min=0), reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, *, eps=1e-8, reduction="mean"):
    """Negative log-likelihood of ``target`` under Poisson(rate): e^input - target input when
    ``log_input`` (input is the log-rate), else input - target log(input + eps). ``full`` adds
    Stirling's approximation of log(target!), target log target - target + log(2 pi target) / 2,
    where target > 1."""
    op = "poisson_nll_loss"
    _check_reduction(op, reduction)
    input, target = float_input(input), float_input(target)  # broadcast silently, as torch
    if log_input:
        loss = exp(input) - target * input
    else:
        loss = input - target * log(input + eps)
    if full:
        big = target > 1
        t = where(big, target, 2)  # keeps log(t) finite (and its gradient 0) where masked
        loss = loss + where(big, t * log(t) - t + log(t * (2 * math.pi)) * 0.5, 0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, *, reduction="mean"):
    """Negative log-likelihood of ``target`` under N(input, var): (log var + (input - target)^2
    / var) / 2, plus log(2 pi) / 2 when ``full``. ``var`` (values at least 0, raised to
    ``eps`` with the gradient passing through, as in PyTorch) has input's shape, or one
    dimension of size 1 (or missing at the end): one variance shared along it; a float
    is one variance for all."""
    op = "gaussian_nll_loss"
    _check_reduction(op, reduction)
    input, target = floating(op, input, "input"), floating(op, target, "target")
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(f"{op}: var must not be negative, got {var}")
        var = Tensor._make(backend.array_module(input.data).full(input.shape, var,
                                                                 input.data.dtype), False, None)
    var = floating(op, var, "var")
    if (var.data < 0).any():
        raise ValueError(f"{op}: var has negative entries")
    if var.shape != input.shape:
        if input.shape[:-1] == var.shape:
            var = unsqueeze(var, -1)
        elif not (input.ndim == var.ndim and builtins.sum(
                v for i, v in zip(input.shape, var.shape) if i != v) == 1):
            raise ValueError(f"{op}: var of shape {_shape(var)} doesn't fit the input shape "
                             f"{_shape(input)}: give the input's shape, or one dimension of "
                             f"size 1, or drop the last one")
    var = _clamped_value(var, eps)
    loss = (log(var) + (input - target) ** 2 / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)
