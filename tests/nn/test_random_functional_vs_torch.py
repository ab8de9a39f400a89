"""Randomized differential tests of the layer functions (gradix.nn.functional) against PyTorch:
hypothesis draws shapes and the layer's arguments (stride, padding, dilation, groups, reductions,
masks, ...), now and then ones that torch refuses. gradix must raise where torch raises, and
otherwise match torch's outputs (shape, dtype, values; float64 to 1e-10) and the gradients of
the input and of the weights and biases under a random upstream gradient. Max pooling draws
distinct values (torch leaves the winner among ties to its kernels). The fixed samples of
test_functional_layers.py check the same layers more deeply (second derivatives, errors); these
tests look for the configurations those samples miss."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ops._random_helpers import (
    RARELY,
    SEEDS,
    WARNINGS,
    Case,
    case_registry,
    check,
    make_array,
    mostly,
    torch,
)

import gradix

pytestmark = [WARNINGS, pytest.mark.filterwarnings(
    "ignore:.*(divides|target size|target shape):UserWarning"),
    # torch's own note on its padding='same' implementation, about speed, not results
    pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")]
CASES, case = case_registry()


def _case(op, args, kwargs=None, diff=(0,), seed=0):
    """A Case whose NumPy scalars (what NumPy makes of 0-d arrays) are 0-d arrays again."""
    def fix(a):
        return np.asarray(a) if isinstance(a, np.generic) else a
    return Case(op, tuple(map(fix, args)), {k: fix(v) for k, v in (kwargs or {}).items()},
                diff, seed)


def fn(m):
    """The functional module of library m."""
    return m.nn.functional if m is gradix else torch.nn.functional


def arrays(draw, *shapes, kind="normal", dtype="float64"):
    """(arrays of ``shapes``, seed)."""
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    return [make_array(rng, s, dtype, kind) for s in shapes], seed


SMALL = st.integers(1, 4)


def pair_or_int(draw, values):
    """An int, or now and then a pair of them (for the 2-D ops' arguments)."""
    return draw(values) if draw(st.booleans()) else (draw(values), draw(values))


# ---------------------------------------------------------------------- convolution
@case
def conv2d(draw):
    n, g = draw(st.integers(1, 2)), draw(mostly(st.sampled_from([1, 1, 2]), 0, 3))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    c, o = cg * max(g, 1) + draw(mostly(st.just(0), 1)), og * max(g, 1)
    h, w = draw(SMALL) + draw(st.integers(0, 3)), draw(SMALL) + draw(st.integers(0, 3))
    # the kernel up to the input's size (kernel == input now and then), rarely larger
    kh, kw = draw(st.integers(1, h + draw(RARELY))), draw(st.integers(1, w + draw(RARELY)))
    stride = pair_or_int(draw, mostly(st.integers(1, 3), 0))
    dilation = pair_or_int(draw, mostly(st.integers(1, 2), 0))
    padding = draw(st.sampled_from(["int", "pair", "same", "valid"]))
    if padding == "int":
        padding = draw(mostly(st.integers(0, 2), -1))
    elif padding == "pair":
        padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    (x, wt, b), seed = arrays(draw, (n, c, h, w), (o, cg, kh, kw), (o,))
    # one dtype for all (gradix promotes mixed ones, see README): float32, or int64 (torch
    # has no integer convolution)
    dtype = draw(st.sampled_from(["float64"] * 6 + ["float32", "int64"]))
    x, wt, b = (a.astype(dtype) if dtype != "int64" else (a * 3).astype(dtype)
                for a in (x, wt, b))
    if draw(st.booleans()):
        x = x[0]  # unbatched
    kwargs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": g}
    if draw(st.booleans()):
        return _case(lambda m, x, w, **kw: fn(m).conv2d(x, w, **kw), (x, wt), kwargs, (0, 1),
                    seed)
    return _case(lambda m, x, w, b, **kw: fn(m).conv2d(x, w, b, **kw), (x, wt, b), kwargs,
                (0, 1, 2), seed)


@case
def conv1d(draw):
    n, g = draw(st.integers(1, 2)), draw(mostly(st.sampled_from([1, 1, 2]), 0, 3))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    c, o = cg * max(g, 1), og * max(g, 1)
    length = draw(SMALL) + draw(st.integers(0, 4))
    k = draw(st.integers(1, length + draw(RARELY)))

    def one(values):  # torch takes an int or a 1-tuple
        v = draw(values)
        return (v,) if draw(st.booleans()) else v
    padding = draw(st.sampled_from(["int", "same", "valid"]))
    padding = one(mostly(st.integers(0, 2), -1)) if padding == "int" else padding
    kwargs = {"stride": one(mostly(st.integers(1, 3), 0)), "padding": padding,
              "dilation": one(st.integers(1, 2)), "groups": g}
    (x, wt, b), seed = arrays(draw, (n, c, length), (o, cg, k), (o,))
    if draw(st.booleans()):
        x = x[0]
    bias = draw(st.booleans())
    return _case(lambda m, x, w, b, **kw: fn(m).conv1d(x, w, b if bias else None, **kw),
                (x, wt, b), kwargs, (0, 1, 2), seed)


@case
def conv_module(draw):
    # nn.Conv1d / nn.Conv2d with the weights copied over: output and input gradient
    spatial = draw(st.sampled_from([1, 2]))
    g = draw(st.sampled_from([1, 2]))
    c, o = g * draw(st.integers(1, 2)), g * draw(st.integers(1, 2))
    size = tuple(draw(SMALL) + 2 for _ in range(spatial))
    k = draw(st.integers(1, min(size)))
    padding = draw(st.sampled_from([0, 1, "same", "valid"]))
    stride = 1 if padding == "same" else draw(st.integers(1, 2))
    bias = draw(st.booleans())
    (x,), seed = arrays(draw, (2, c) + size)
    rng = np.random.default_rng(seed + 1)
    wt, b = rng.standard_normal((o, c // g) + (k,) * spatial), rng.standard_normal(o)

    def op(m, x):
        cls = getattr(m.nn, f"Conv{spatial}d")
        mod = cls(c, o, k, stride=stride, padding=padding, groups=g, bias=bias,
                  dtype=m.float64)
        with m.no_grad():
            mod.weight.copy_(m.tensor(wt))
            if bias:
                mod.bias.copy_(m.tensor(b))
        return mod(x)
    return _case(op, (x,), seed=seed)


# ---------------------------------------------------------------------- pooling
@case
def max_pool2d(draw):
    h, w = draw(SMALL) + draw(st.integers(0, 3)), draw(SMALL) + draw(st.integers(0, 3))
    kernel = pair_or_int(draw, st.integers(1, min(h, w)))
    kt = (kernel, kernel) if isinstance(kernel, int) else kernel
    # padding at most half the kernel (torch's rule), now and then more
    pad = draw(st.integers(0, min(kt) // 2 + draw(RARELY)))
    kwargs = {"kernel_size": kernel, "padding": pad,
              "dilation": draw(st.sampled_from([1, 1, 2, (1, 2)]))}
    if draw(st.booleans()):
        kwargs["stride"] = pair_or_int(draw, mostly(st.integers(1, 3), 0))
    dtype = draw(st.sampled_from(["float64"] * 5 + ["int64"]))
    (x,), seed = arrays(draw, (draw(st.integers(1, 2)), draw(st.integers(1, 2)), h, w),
                        kind="distinct", dtype=dtype)
    if draw(st.booleans()):
        x = x[0]
        if draw(RARELY):
            x = x[0]  # 2-D: refused
    return _case(lambda m, x, **kw: fn(m).max_pool2d(x, **kw), (x,), kwargs, seed=seed)


@case
def avg_pool2d(draw):
    h, w = draw(SMALL) + draw(st.integers(0, 3)), draw(SMALL) + draw(st.integers(0, 3))
    kernel = pair_or_int(draw, st.integers(1, min(h, w)))
    kt = (kernel, kernel) if isinstance(kernel, int) else kernel
    pad = draw(st.integers(0, min(kt) // 2 + draw(RARELY)))
    kwargs = {"kernel_size": kernel, "padding": pad,
              "count_include_pad": draw(st.booleans()),
              "divisor_override": draw(st.sampled_from([None, None, 1, 3, 0]))}
    if draw(st.booleans()):
        kwargs["stride"] = pair_or_int(draw, mostly(st.integers(1, 3), 0))
    dtype = draw(st.sampled_from(["float64"] * 5 + ["int64"]))
    (x,), seed = arrays(draw, (draw(st.integers(1, 2)), draw(st.integers(1, 2)), h, w),
                        dtype=dtype)
    if draw(st.booleans()):
        x = x[0]
    return _case(lambda m, x, **kw: fn(m).avg_pool2d(x, **kw), (x,), kwargs, seed=seed)


@case
def adaptive_avg_pool2d(draw):
    h, w = draw(SMALL) + draw(st.integers(0, 4)), draw(SMALL) + draw(st.integers(0, 4))
    size = draw(st.integers(1, 6) | st.tuples(st.none() | st.integers(1, 6),
                                              st.none() | st.integers(1, 6)))
    if draw(RARELY):  # torch gives an empty output for a size of 0, gradix refuses it
        size = draw(st.sampled_from([(-1, 2), (2, -3)]))
    (x,), seed = arrays(draw, (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w))
    if draw(st.booleans()):
        x = x[0]
    return _case(lambda m, x, s: fn(m).adaptive_avg_pool2d(x, s), (x, size), seed=seed)


# ---------------------------------------------------------------------- normalization
@case
def batch_norm(draw):
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) + tuple(
        draw(st.lists(st.integers(1, 3), max_size=2)))
    c = shape[1]
    (x, rm, rv, wt, b), seed = arrays(draw, shape, (c,), (c,), (c,), (c,))
    rv = rv * rv + 0.5
    training = draw(st.booleans())
    running = draw(st.booleans()) or not training and not draw(RARELY)  # eval needs them
    affine = draw(st.sampled_from(["none", "weight", "both"]))
    kwargs = {"training": training, "momentum": draw(st.sampled_from([0.1, 0.5, 1.0, 0.0])),
              "eps": draw(st.sampled_from([1e-5, 0.1]))}

    def op(m, x, rm, rv, w, b, **kw):
        y = fn(m).batch_norm(x, rm if running else None, rv if running else None,
                             w if affine != "none" else None, b if affine == "both" else None,
                             **kw)
        # the running statistics after the call (updated in place in training)
        return (y, rm, rv) if running else y
    return _case(op, (x, rm, rv, wt, b), kwargs, (0, 3, 4), seed)


@case
def batch_norm_module(draw):
    # BatchNorm1d/2d over a few steps: running stats, momentum=None (cumulative average),
    # track_running_stats, train then eval
    dims = draw(st.sampled_from([2, 3, 4]))
    c = draw(st.integers(1, 3))
    shape = (draw(st.integers(2, 3)), c) + (draw(st.integers(1, 3)),) * (dims - 2)
    (x1, x2, x3), seed = arrays(draw, shape, shape, shape)
    momentum = draw(st.sampled_from([0.1, None, 0.7]))
    affine, track = draw(st.booleans()), draw(st.booleans())

    def op(m, x1, x2, x3):
        mod = getattr(m.nn, "BatchNorm2d" if dims == 4 else "BatchNorm1d")(
            c, momentum=momentum, affine=affine, track_running_stats=track, dtype=m.float64)
        y1, y2 = mod(x1), mod(x2)
        mod.eval()
        y3 = mod(x3)
        stats = [mod.running_mean, mod.running_var, mod.num_batches_tracked] if track else []
        return [y1, y2, y3] + stats
    return _case(op, (x1, x2, x3), diff=(0, 1, 2), seed=seed)


@case
def layer_norm(draw):
    k = draw(st.integers(1, 3))
    lead = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    norm = tuple(draw(st.lists(st.integers(1, 3), min_size=k, max_size=k)))
    (x, wt, b), seed = arrays(draw, lead + norm, norm, norm)
    shape = norm  # a tuple: F.layer_norm in torch refuses an int (gradix takes one)
    if draw(RARELY):  # not the input's trailing shape
        shape = draw(st.sampled_from([norm[:-1] + (norm[-1] + 1,), ()]))
    affine = draw(st.sampled_from(["none", "weight", "bias", "both"]))
    eps = draw(st.sampled_from([1e-5, 0.5]))

    def op(m, x, w, b):
        return fn(m).layer_norm(x, shape, w if affine in ("weight", "both") else None,
                                b if affine in ("bias", "both") else None, eps)
    return _case(op, (x, wt, b), diff=(0, 1, 2), seed=seed)


@case
def layer_module(draw):
    # the pooling, LayerNorm and Embedding modules (weights copied over)
    kind = draw(st.sampled_from(["MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "LayerNorm",
                                 "Embedding"]))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    if kind == "Embedding":
        num = draw(st.integers(1, 4))
        padding_idx = draw(st.none() | st.integers(-num, num - 1))
        idx, w = rng.integers(0, num, (2, 3)), rng.standard_normal((num, 2))

        def op(m, w):
            mod = m.nn.Embedding(num, 2, padding_idx, dtype=m.float64)
            with m.no_grad():
                mod.weight.copy_(w)
            return mod(m.tensor(idx)), mod.padding_idx
        return _case(lambda m, w: op(m, w)[0], (w,), seed=seed)
    x = make_array(rng, (2, 2, 5, 4), kind="distinct")
    if kind == "LayerNorm":
        shape = draw(st.sampled_from([4, (4,), (5, 4)]))
        affine, bias = draw(st.booleans()), draw(st.booleans())
        w = rng.standard_normal(shape)

        def op(m, x):
            mod = m.nn.LayerNorm(shape, elementwise_affine=affine, bias=bias, dtype=m.float64)
            if affine:
                with m.no_grad():
                    mod.weight.copy_(m.tensor(w))
            return mod(x)
        return _case(op, (x,), seed=seed)
    if kind == "AdaptiveAvgPool2d":
        args = (draw(st.sampled_from([3, (2, None), (6, 1)])),)
    else:
        args = (draw(st.sampled_from([2, 3, (2, 1)])), draw(st.sampled_from([None, 1, 2])),
                draw(st.sampled_from([0, 1])))
    return _case(lambda m, x: getattr(m.nn, kind)(*args)(x), (x,), seed=seed)


# ---------------------------------------------------------------------- embedding
@case
def embedding(draw):
    num, dim = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(0, 4), max_size=3)))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    idx = np.asarray(rng.integers(0, num + draw(RARELY), shape))  # repeats: gradients accumulate
    idx = idx.astype(draw(mostly(st.sampled_from(["int64", "int32"]), "float64")))
    weight = rng.standard_normal((num, dim))
    padding_idx = draw(st.none() | mostly(st.integers(-num, num - 1), num, -num - 1))
    return _case(lambda m, i, w: fn(m).embedding(i, w, padding_idx), (idx, weight), diff=(1,),
                seed=seed)


@case
def one_hot(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), max_size=3)))
    seed = draw(SEEDS)
    idx = np.asarray(np.random.default_rng(seed).integers(0 - draw(RARELY), 4, shape))
    num = draw(st.sampled_from([-1, -1, 4, 6, 3]))
    return _case(lambda m, i: fn(m).one_hot(i, num), (idx,), diff=(), seed=seed)


# ---------------------------------------------------------------------- losses
REDUCTIONS = mostly(st.sampled_from(["mean", "sum", "none"]), "batchmean", "avg")


def _classification(draw):
    """A random classification problem: the class count c, the logits' shape (C,) unbatched
    or (N, C, d1, ...), the targets' shape, unbatched or not, a seed, its generator, logits and
    class weights."""
    c = draw(st.integers(1, 4))
    extra = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    unbatched = draw(st.integers(0, 4)) == 0
    shape = (c,) if unbatched else (draw(st.integers(1, 3)), c) + extra
    tshape = () if unbatched else (shape[0],) + extra
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    return (c, shape, tshape, unbatched, seed, rng, rng.standard_normal(shape),
            rng.uniform(0.1, 2, c))


@case
def cross_entropy(draw):
    c, shape, tshape, unbatched, seed, rng, x, weight = _classification(draw)
    probabilities = draw(st.booleans())
    # torch lets a negative label_smoothing pass (gradix refuses it): not drawn
    kwargs = {"reduction": draw(REDUCTIONS),
              "label_smoothing": draw(mostly(st.sampled_from([0.0, 0.0, 0.1, 0.5, 1.0]),
                                             1.5))}
    if probabilities:
        t = rng.random(shape)
        t = t / t.sum(axis=0 if unbatched else 1, keepdims=True)
        if draw(RARELY):
            kwargs["ignore_index"] = 0
    else:
        t = np.asarray(rng.integers(0, c + draw(RARELY), tshape))
        if draw(RARELY):  # class indices as floats: refused
            t = t.astype(draw(st.sampled_from(["float64", "int32"])))
        if draw(st.booleans()):
            kwargs["ignore_index"] = draw(st.sampled_from([0, c - 1, -1]))
            t = np.where(rng.random(tshape) < 0.3, kwargs["ignore_index"], t)
    w = weight if draw(st.booleans()) else None
    return _case(lambda m, x, t, w, **kw: fn(m).cross_entropy(x, t, w, **kw), (x, t, w),
                kwargs, (0, 1), seed)


@case
def nll_loss(draw):
    c, shape, tshape, unbatched, seed, rng, x, weight = _classification(draw)
    t = np.asarray(rng.integers(0, c, tshape))
    kwargs = {"reduction": draw(REDUCTIONS)}
    if draw(st.booleans()):
        kwargs["ignore_index"] = draw(st.sampled_from([0, c - 1, 7]))
        t = np.where(rng.random(tshape) < 0.4, kwargs["ignore_index"], t)
    w = weight if draw(st.booleans()) else None
    return _case(lambda m, x, t, w, **kw: fn(m).nll_loss(x, t, w, **kw), (x, t, w), kwargs,
                seed=seed)


@case
def binary_cross_entropy(draw):
    shape = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    logits = draw(st.booleans())
    x = np.asarray(rng.standard_normal(shape) * 3 if logits else rng.uniform(0.05, 0.95, shape))
    t = np.asarray(rng.random(shape))
    if draw(st.booleans()):
        t = np.asarray(np.round(t))
    wshape = shape[draw(st.integers(0, len(shape))):]  # broadcasts to the input
    w = np.asarray(rng.uniform(0.1, 2, wshape)) if draw(st.booleans()) else None
    kwargs = {"reduction": draw(REDUCTIONS)}
    if logits:
        if draw(st.booleans()):
            kwargs["pos_weight"] = np.asarray(rng.uniform(
                0.1, 3, shape[-1:] if draw(st.booleans()) else ()))
        return _case(lambda m, x, t, w, **kw: fn(m).binary_cross_entropy_with_logits(
            x, t, w, **kw), (x, t, w), kwargs, (0, 1), seed)
    # torch refuses a weight that requires grad in both (gradix passes it a gradient in the
    # logits form, none in this one)
    return _case(lambda m, x, t, w, **kw: fn(m).binary_cross_entropy(x, t, w, **kw),
                 (x, t, w), kwargs, (0, 1), seed)


@case
def regression_loss(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    (x, t, w), seed = arrays(draw, shape, shape, shape)
    op = draw(st.sampled_from(["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"]))
    kwargs = {"reduction": draw(REDUCTIONS)}
    if op == "smooth_l1_loss":
        kwargs["beta"] = draw(mostly(st.sampled_from([1.0, 0.5, 0.0, 2.0]), -1.0))
    if op == "huber_loss":
        kwargs["delta"] = draw(mostly(st.sampled_from([1.0, 0.5, 2.0]), 0.0, -1.0))
    w = np.abs(w) + 0.1 if op != "smooth_l1_loss" and draw(st.booleans()) else None
    if w is None:
        return _case(lambda m, x, t, **kw: getattr(fn(m), op)(x, t, **kw), (x, t), kwargs,
                     (0, 1), seed)
    return _case(lambda m, x, t, w, **kw: getattr(fn(m), op)(x, t, weight=w, **kw), (x, t, w),
                 kwargs, (0, 1, 2), seed)


@case
def kl_div(draw):
    shape = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    x = np.log(np.asarray(rng.uniform(0.05, 1, shape)))
    log_target = draw(st.booleans())
    t = np.asarray(rng.uniform(0.05, 1, shape))
    zeros = not log_target and draw(st.booleans())
    if zeros:
        t = np.where(rng.random(shape) < 0.3, 0.0, t)  # t = 0 adds nothing
    t = np.log(t) if log_target else t
    # the gradient of t log t at t = 0 is -inf: torch gives NaN, gradix 0 (no target gradient)
    return _case(lambda m, x, t, **kw: fn(m).kl_div(x, t, **kw), (x, t),
                 {"reduction": draw(REDUCTIONS), "log_target": log_target},
                 (0,) if zeros else (0, 1), seed)


@case
def margin_loss(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    reduction = draw(REDUCTIONS)
    margin = draw(st.sampled_from([1.0, 0.5, 2.0, 0.0]))
    if draw(st.booleans()):
        shape = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
        x = np.asarray(rng.standard_normal(shape) * 2)
        t = np.asarray(rng.choice([-1, 1], shape) * 1.0)
        return _case(lambda m, x, t: fn(m).hinge_embedding_loss(x, t, margin,
                                                               reduction=reduction),
                    (x, t), seed=seed)
    c = draw(st.integers(1, 4))
    shape = (c,) if draw(st.integers(0, 3)) == 0 else (draw(st.integers(1, 3)), c)
    x = make_array(rng, shape, kind="distinct")  # away from the hinge's kink
    t = np.asarray(rng.integers(0, c, shape[:-1]))
    w = rng.uniform(0.1, 2, c) if draw(st.booleans()) else None
    p = draw(mostly(st.sampled_from([1, 2]), 3))
    return _case(lambda m, x, t, w: fn(m).multi_margin_loss(x, t, p, margin, w,
                                                           reduction=reduction),
                (x, t, w), diff=(0,), seed=seed)


# ---------------------------------------------------------------------- attention and the rest
@case
def scaled_dot_product_attention(draw):
    batch = tuple(draw(st.lists(st.integers(1, 2), max_size=2)))
    lq, s, e, ev = (draw(st.integers(1, 4)) for _ in range(4))
    kbatch = batch[draw(st.integers(0, len(batch))):]  # broadcasts against the query's
    (q, k, v), seed = arrays(draw, batch + (lq, e), kbatch + (s, e), kbatch + (s, ev))
    rng = np.random.default_rng(seed + 1)
    mask_kind = draw(st.sampled_from([None, "bool", "float"]))
    mshape = draw(st.sampled_from([(lq, s), (1, s), (lq, 1), batch + (lq, s)]))
    mask = None
    if mask_kind == "bool":
        # at least one key per query, now and then none at all (zeros, as in torch)
        mask = rng.random(mshape) < 0.6
        if not draw(RARELY):
            mask[..., 0] = True
    elif mask_kind == "float":
        mask = rng.standard_normal(mshape)
        if draw(st.booleans()):  # -inf: masked out
            mask = np.where(rng.random(mshape) < 0.3, -np.inf, mask)
            if not draw(RARELY):
                mask[..., 0] = 0.0
    kwargs = {"is_causal": draw(st.booleans()) if mask is None or draw(RARELY) else False,
              "scale": draw(st.sampled_from([None, None, 0.5, 2.0]))}
    return _case(lambda m, q, k, v, a, **kw: fn(m).scaled_dot_product_attention(
        q, k, v, attn_mask=a, **kw), (q, k, v, mask), kwargs, (0, 1, 2, 3), seed)


@case
def pad(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), min_size=1, max_size=4)))
    (x,), seed = arrays(draw, shape, dtype=draw(st.sampled_from(["float64"] * 3 + ["int64"])))
    n = draw(st.integers(1, len(shape) + draw(RARELY)))
    widths = draw(st.lists(st.integers(0, 2), min_size=2 * n - draw(RARELY), max_size=2 * n))
    value = draw(st.sampled_from([0.0, 1.5, -2]))
    return _case(lambda m, x: fn(m).pad(x, widths, value=value), (x,), seed=seed)


@case
def dropout(draw):
    # p = 0 and p = 1 are deterministic
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    (x,), seed = arrays(draw, shape, dtype=draw(st.sampled_from(["float64"] * 3 + ["int64"])))
    p, training = draw(mostly(st.sampled_from([0.0, 1.0]), -0.5, 1.5)), draw(st.booleans())
    return _case(lambda m, x: fn(m).dropout(x, p, training), (x,), seed=seed)


@case
def softmax(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=4)))
    # int64 is refused (torch lets an empty one pass)
    (x,), seed = arrays(draw, shape, dtype=draw(mostly(st.just("float64"), "int64")))
    x = x.astype("float64") if not x.size else x
    n = max(len(shape), 1)
    dim = draw(mostly(st.integers(-n, n - 1), n, -n - 1))
    op = draw(st.sampled_from(["softmax", "log_softmax"]))
    dtype = draw(st.sampled_from([None, None, "float32"]))
    return _case(lambda m, x: getattr(fn(m), op)(x, dim, dtype=dtype and getattr(m, dtype)),
                (x,), seed=seed)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name, data):
    check(data.draw(CASES[name], label=name))


# ---------------------------------------------------------------------- found by the above
def _rows(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes]


REGRESSIONS = {  # each differed from torch once
    "conv1d-1-tuples": _case(  # stride, padding and dilation as 1-tuples
        lambda m, x, w: fn(m).conv1d(x, w, stride=(2,), padding=(1,), dilation=(2,)),
        tuple(_rows((2, 2, 7), (3, 2, 2))), diff=(0, 1)),
    "nll_loss-all-ignored": _case(  # NaN, with a zero gradient (was NaN)
        lambda m, x, t: fn(m).nll_loss(x, t, ignore_index=1), (*_rows((2, 3)), np.array([1, 1]))),
    "cross_entropy-all-ignored": _case(
        lambda m, x, t, w: fn(m).cross_entropy(x, t, w, ignore_index=2, label_smoothing=0.2),
        (*_rows((2, 3, 2)), np.full((2, 2), 2), np.array([0.5, 1.0, 2.0]))),
}
REFUSED = {  # torch raises, gradix once didn't
    "avg_pool2d-divisor-0": (lambda m: fn(m).avg_pool2d(m.ones(1, 1, 2, 2), 2,
                                                        divisor_override=0), "divisor_override"),
    "embedding-padding-idx": (lambda m: fn(m).embedding(
        m.tensor([0, 1]), m.ones(3, 2), padding_idx=3), "padding_idx 3 is out of range"),
    "one_hot-empty": (lambda m: fn(m).one_hot(m.zeros(0, dtype=m.int64)), "empty tensor"),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_regressions(name):
    check(REGRESSIONS[name])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_like_torch(name):
    call, message = REFUSED[name]
    with pytest.raises(Exception):  # noqa: B017
        call(torch)
    with pytest.raises(ValueError, match=message):
        call(gradix)
