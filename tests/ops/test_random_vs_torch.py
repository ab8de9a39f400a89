"""Randomized differential tests against PyTorch: for each op, hypothesis draws a shape (0 to 4
dimensions of sizes 0 to 4), a dtype and the op's arguments, some of them outside what torch
accepts. gradix must raise where torch raises, and otherwise match torch's outputs (shape,
dtype, values; float64 to 1e-10) and, for float64 inputs, torch's gradients under a random
upstream gradient. Values are distinct wherever torch leaves the choice among ties unspecified.
The fixed samples of the op table check the same ops more deeply (second derivatives, NumPy
references); these tests look for the shapes and arguments those samples miss."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ._random_helpers import (
    MATRICES, MOSTLY_FLOAT64, RARELY, SEEDS, SHAPES, VECTORS, WARNINGS, Case, case_registry,
    check, dim_lists, dim_pairs, dims, make_array, mostly, operands, reduce_dims, shapes,
    size_along, tensors)

pytestmark = WARNINGS
CASES, case = case_registry()


# ---------------------------------------------------------------------- sorting
@case
def sort(draw):
    # ties only where torch fixes their order: stable=True
    stable = draw(st.booleans())
    dtypes = MOSTLY_FLOAT64 if stable else st.sampled_from(["float64", "int64"])
    x, seed = draw(tensors(dtypes, "ties" if stable else "distinct",
                           nan="some" if stable else "one"))
    kwargs = {"dim": draw(dims(x.ndim)), "descending": draw(st.booleans()), "stable": stable}
    return Case(draw(st.sampled_from(["sort", "argsort"])), (x,), kwargs, seed=seed)


@case
def topk(draw):
    # sorted=False leaves torch's order unspecified (gradix sorts; see README)
    x, seed = draw(tensors(st.sampled_from(["float64", "float64", "int64"]), "distinct",
                           nan="one"))
    dim = draw(dims(x.ndim))
    n = size_along(x, dim)
    k = draw(mostly(st.integers(0, n), -1, n + 1))
    return Case("topk", (x, k), {"dim": dim, "largest": draw(st.booleans())}, seed=seed)


@case
def kthvalue(draw):
    x, seed = draw(tensors(st.sampled_from(["float64", "float64", "int64"]), "distinct",
                           nan="one"))
    dim = draw(dims(x.ndim))
    n = size_along(x, dim)
    k = draw(mostly(st.integers(min(n, 1), n), 0, n + 1))
    return Case("kthvalue", (x, k), {"dim": dim, "keepdim": draw(st.booleans())}, seed=seed)


@case
def median(draw):
    x, seed = draw(tensors(st.sampled_from(["float64", "float64", "int64"]), "distinct",
                           nan="one"))
    if draw(st.booleans()):  # torch gives the lowest int64 for an empty int64 x, gradix raises
        return Case("median", (x if x.size or x.dtype.kind == "f" else x * 1.0,), seed=seed)
    return Case("median", (x,), {"dim": draw(dims(x.ndim)), "keepdim": draw(st.booleans())},
                seed=seed)


# ---------------------------------------------------------------------- cumulative
@case
def cumsum(draw):
    op = draw(st.sampled_from(["cumsum", "cumprod"]))
    # cumprod at zeros has a gradient of its own: draw small integers (many zeros) too. No NaN
    # for cumprod: torch's gradient divides by x, so one NaN makes all of a slice's NaN, where
    # gradix's (the product rule) is finite before it
    x, seed = draw(tensors(kind=draw(st.sampled_from(["normal", "ties"])),
                           nan="some" if op == "cumsum" else None))
    dtype = draw(st.sampled_from([None, None, "float64", "int64"]))
    kwargs = {"dim": draw(dims(x.ndim))}
    if dtype:
        kwargs["dtype"] = dtype
    # torch refuses an integer dtype= for an input that requires grad; gradix gives a result
    # that doesn't (as a cast to an integer dtype in both): drawn without grad
    return Case(lambda m, x, dim, dtype=None: getattr(m, op)(x, dim, dtype=dtype and getattr(
        m, dtype)), (x,), kwargs, () if dtype == "int64" else (0,), seed)


@case
def cummax(draw):
    x, seed = draw(tensors(st.sampled_from(["float64", "float64", "int64"]), "distinct",
                           nan="one"))
    # torch doesn't check the dim of an empty tensor (gradix does)
    dim = draw(dims(x.ndim, invalid=x.size > 0))
    return Case(draw(st.sampled_from(["cummax", "cummin"])), (x, dim), seed=seed)


@case
def logcumsumexp(draw):
    x, seed = draw(tensors(nan="some"))
    return Case("logcumsumexp", (x, draw(dims(x.ndim))), seed=seed)


@case
def diff(draw):
    x, seed = draw(tensors(st.sampled_from(["float64", "float64", "int64", "bool"]),
                           shape=VECTORS))
    dim = draw(dims(x.ndim))
    rng = np.random.default_rng(seed + 1)

    def side():  # prepend/append: x's shape with 0 to 2 along dim (or another shape)
        if x.ndim == 0 or not draw(st.booleans()):
            return None
        shape = list(x.shape)
        shape[dim if size_along(x, dim) else 0] = draw(st.integers(0, 2))
        return make_array(rng, tuple(shape), x.dtype.name)
    n = draw(st.integers(-1, 3))
    if n == 0:  # torch doesn't check the dim then (gradix does)
        dim = draw(dims(x.ndim, invalid=False))
    return Case(lambda m, x, p, a, **kw: m.diff(x, prepend=p, append=a, **kw),
                (x, side(), side()), {"n": n, "dim": dim}, (0, 1, 2), seed)


# ---------------------------------------------------------------------- layout
@case
def roll(draw):
    x, seed = draw(tensors())
    count = draw(st.integers(0, 3))  # of dims
    exact = st.lists(st.integers(-5, 5), min_size=max(count, 1), max_size=max(count, 1))
    # torch checks neither the dims of an empty tensor nor that they are as many as the shifts
    # (gradix does): wrong ones only for a nonempty x
    shifts = draw(mostly(exact, [1, 2], [3] * 4) if x.size else exact)
    if count == 0:  # no dims: the flattened tensor rolls (one shift only)
        return Case("roll", (x, shifts[0] if len(shifts) == 1 else tuple(shifts)), seed=seed)
    ds = tuple(draw(dims(x.ndim, invalid=x.size > 0)) for _ in range(count))
    if count == 1 and len(shifts) == 1 and draw(st.booleans()):
        return Case("roll", (x, shifts[0], ds[0]), seed=seed)
    return Case("roll", (x, tuple(shifts), ds), seed=seed)


@case
def flip(draw):
    x, seed = draw(tensors())
    ds = draw(dim_lists(x.ndim))
    return Case("flip", (x, ds), seed=seed)


@case
def rot90(draw):
    x, seed = draw(tensors(shape=MATRICES))
    ds = list(draw(dim_pairs(x.ndim)))
    return Case("rot90", (x, draw(st.integers(-5, 5)), ds), seed=seed)


@case
def tril(draw):
    x, seed = draw(tensors(shape=MATRICES))
    return Case(draw(st.sampled_from(["tril", "triu"])), (x, draw(st.integers(-5, 5))),
                seed=seed)


@case
def diagonal(draw):
    x, seed = draw(tensors(shape=MATRICES))
    return Case("diagonal", (x, draw(st.integers(-5, 5))) + draw(dim_pairs(x.ndim)),
                seed=seed)


@case
def diag_embed(draw):
    x, seed = draw(tensors(shape=shapes(max_dims=3)))
    return Case("diag_embed", (x, draw(st.integers(-4, 4))) + draw(dim_pairs(x.ndim + 1)),
                seed=seed)


@case
def trace(draw):
    x, seed = draw(tensors(shape=mostly(shapes(2, 2), (), (3,), (2, 2, 2))))
    return Case("trace", (x,), seed=seed)


@case
def repeat_interleave(draw):
    x, seed = draw(tensors())
    dim = draw(st.none() | dims(x.ndim))
    n = x.size if dim is None else size_along(x, dim)
    repeats = draw(st.integers(-1, 3) | st.sampled_from([(), (1,), (n,), (n + 1,)]))
    if isinstance(repeats, tuple):  # a tensor of repeats: 0-d, one, one per slice, or wrong
        repeats = np.random.default_rng(seed).integers(0, 4, repeats)
    return Case("repeat_interleave", (x, repeats), {"dim": dim}, seed=seed)


@case
def tile(draw):
    x, seed = draw(tensors())
    return Case("tile", (x, tuple(draw(st.lists(st.integers(0, 2), max_size=5)))), seed=seed)


@case
def tensor_split(draw):
    x, seed = draw(tensors(shape=VECTORS))
    split = draw(mostly(st.integers(1, 5), 0) | st.lists(st.integers(-5, 6), max_size=4))
    if draw(RARELY):  # as a tensor: 0-d sections or 1-D indices
        split = np.asarray(split)
    return Case(lambda m, x, *a, **kw: tuple(m.tensor_split(x, *a, **kw)),
                (x, split), {"dim": draw(dims(x.ndim))}, seed=seed)


@case
def unfold(draw):
    x, seed = draw(tensors())
    dim = draw(dims(x.ndim))
    n = size_along(x, dim)
    args = (dim, draw(mostly(st.integers(0, n), n + 1)), draw(mostly(st.integers(1, 3), 0)))
    return Case(lambda m, x, *a: x.unfold(*a), (x,) + args, seed=seed)


# ---------------------------------------------------------------------- indexing
def _index(draw, rng, x, dim, shape):
    """An int64 array of ``shape`` of valid (repeated) indices along ``dim`` of x, or now and
    then with one out of range (torch takes no negative index in these ops). Not for an empty
    x: torch reads no index then, while gradix refuses one out of range (see README)."""
    n = size_along(x, dim) if dim is not None else x.size
    index = rng.integers(0, max(n, 1), shape)
    if index.size and x.size and draw(RARELY):
        index.reshape(-1)[0] = draw(st.sampled_from([-1, -n - 1, n]))
    return index


def _shape_within(draw, x, dim):
    """A shape of x's dimensions, each at most x's size (any size 0 to 4 along dim)."""
    return tuple(draw(st.integers(0, 4)) if d == dim % max(x.ndim, 1) else
                 draw(st.integers(0, s)) for d, s in enumerate(x.shape))


@case
def gather(draw):
    x, seed = draw(tensors())
    dim = draw(dims(x.ndim))
    rng = np.random.default_rng(seed)
    index = _index(draw, rng, x, dim, _shape_within(draw, x, dim))
    return Case("gather", (x, dim, index), seed=seed)


@case
def take_along_dim(draw):
    # indices stay in range: torch wraps some out-of-range ones, gradix raises (README)
    # an index into an empty dimension is out of range: gradix refuses it even where the
    # result is empty, and torch looks at no index then; drawn as no index at all
    x, seed = draw(tensors())
    dim = draw(st.none() | dims(x.ndim))
    rng = np.random.default_rng(seed)
    n = x.size if dim is None else size_along(x, dim)
    if dim is None:
        shape = draw(SHAPES if n else shapes(1).map(lambda s: (0,) + s[1:]))
    else:  # broadcastable with x, except along dim
        shape = [draw(st.sampled_from([1, s])) for s in x.shape]
        if -x.ndim <= dim < x.ndim:
            shape[dim] = draw(st.integers(0, 4)) if n else 0
    index = rng.integers(0, max(n, 1), shape)
    return Case("take_along_dim", (x, index), {"dim": dim}, seed=seed)


@case
def scatter_add(draw):
    x, seed = draw(tensors())
    dim = draw(dims(x.ndim))
    rng = np.random.default_rng(seed)
    shape = tuple(draw(st.integers(0, s)) for s in x.shape)
    index = _index(draw, rng, x, dim, shape)
    # torch computes no gradient for a src larger than index: then only for x
    larger = draw(st.booleans())
    src = make_array(rng, tuple(s + larger for s in shape),
                  draw(st.sampled_from([x.dtype.name] * 4 + ["float32"])))
    return Case("scatter_add", (x, dim, index, src), diff=(0,) if larger else (0, 3),
                seed=seed)


@case
def index_add(draw):
    x, seed = draw(tensors())
    dim = draw(dims(x.ndim))
    rng = np.random.default_rng(seed)
    index = _index(draw, rng, x, dim, draw(st.sampled_from([(), (0,), (1,), (3,)])))
    shape = list(x.shape)
    if x.ndim and size_along(x, dim):
        shape[dim] = index.size
    source = make_array(rng, tuple(shape), draw(st.sampled_from([x.dtype.name] * 4 + ["float32"])))
    alpha = draw(st.sampled_from([1, -2.5]))
    return Case("index_add", (x, dim, index, source), {"alpha": alpha}, (0, 3), seed)


@case
def index_select(draw):
    x, seed = draw(tensors())
    dim = draw(dims(x.ndim))
    rng = np.random.default_rng(seed)
    index = _index(draw, rng, x, dim, draw(st.sampled_from([(), (0,), (1,), (5,), (1, 2)])))
    return Case("index_select", (x, dim, index), seed=seed)


@case
def masked_select(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=4, max_side=4))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    x = make_array(rng, shapes.input_shapes[0], draw(MOSTLY_FLOAT64))
    mask = make_array(rng, shapes.input_shapes[1], "bool")
    return Case("masked_select", (x, mask), seed=seed)


@case
def nonzero(draw):
    x, seed = draw(tensors(kind="ties", nan="some"))
    return Case(lambda m, x, **kw: m.nonzero(x, **kw), (x,),
                {"as_tuple": draw(st.booleans())}, seed=seed)


@case
def unique(draw):
    # sorted=False: torch's order is unspecified (gradix sorts; see README). NaN only without
    # dim: torch's order of slices holding NaN depends on their order in x
    x, seed = draw(tensors(kind="ties", nan="some"))
    kwargs = {"return_inverse": draw(st.booleans()), "return_counts": draw(st.booleans()),
                  "dim": draw(st.none() | dims(x.ndim))}
    if kwargs["dim"] is not None:
        x = np.nan_to_num(x)
    # not differentiable: torch's output requires grad (with no backward), gradix's doesn't
    return Case("unique", (x,), kwargs, diff=(), seed=seed)


@case
def searchsorted(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(st.sampled_from(["float64", "int64"]))
    values = make_array(rng, draw(SHAPES), dtype, "ties")
    if draw(st.booleans()) or values.ndim == 0:
        shape = (draw(st.integers(0, 5)),)
    else:
        shape = values.shape[:-1] + (draw(st.integers(0, 5)),)
    seq = make_array(rng, shape, draw(mostly(st.just(dtype), "float32", "int64")), "ties")
    kwargs = {"right": draw(st.booleans()), "out_int32": draw(st.booleans()),
                  "side": draw(st.sampled_from([None, "left", "right"]))}
    if draw(st.booleans()):
        kwargs["sorter"] = np.argsort(seq, -1, kind="stable")
    else:
        seq = np.sort(seq, -1)
    if values.ndim == 0 and draw(st.booleans()):
        values = values.item()  # a number
    return Case("searchsorted", (seq, values), kwargs, seed=seed)


# ---------------------------------------------------------------------- reductions
@case
def amax(draw):
    # ties are fine: torch documents that amax/amin share the gradient evenly among them
    x, seed = draw(tensors(kind=draw(st.sampled_from(["normal", "ties"])), nan="some"))
    op = draw(st.sampled_from(["amax", "amin"]))
    return Case(op, (x,), {"dim": reduce_dims(draw, x) or (), "keepdim": draw(st.booleans())},
                seed=seed)


@case
def aminmax(draw):
    x, seed = draw(tensors(kind="distinct", nan="one"))
    kwargs = {"keepdim": draw(st.booleans())}
    if draw(st.booleans()):
        kwargs["dim"] = draw(dims(x.ndim))
    return Case("aminmax", (x,), kwargs, seed=seed)


@case
def logsumexp(draw):
    # torch requires dim, and dim=() fails inside torch (gradix reduces over all of x)
    x, seed = draw(tensors(nan="some"))
    ds = draw(dims(x.ndim) | dim_lists(x.ndim, 1).map(tuple))
    return Case("logsumexp", (x, ds), {"keepdim": draw(st.booleans())}, seed=seed)


@case
def var(draw):
    # torch's gradient over dim=() (all of x) is wrong: N times too large for var
    x, seed = draw(tensors(nan="one"))
    kwargs = {"dim": reduce_dims(draw, x, min_size=1), "keepdim": draw(st.booleans()),
                  "correction": draw(st.sampled_from([0, 1, 2, 0.5]))}
    return Case(draw(st.sampled_from(["var", "std"])), (x,), kwargs, seed=seed)


@case
def norm(draw):
    # |x| >= 0.5 and distinct: away from the kinks of p=1, p<1 and p=inf
    x, seed = draw(tensors(kind="nonzero"))
    p = draw(st.sampled_from([1, 2, math.inf, 0.5]))
    return Case("norm", (x,), {"p": p, "dim": reduce_dims(draw, x),
                                   "keepdim": draw(st.booleans())}, seed=seed)


@case
def binary(draw):
    # atan2 and hypot away from (0, 0): values are distinct, so at most one of them is 0;
    # Python numbers only where torch takes them (gradix's atan2, hypot, fmax and fmin also
    # do: README)
    op = draw(st.sampled_from(["atan2", "hypot", "fmax", "fmin", "maximum", "minimum"]))
    (a, b), seed = draw(operands())
    if draw(RARELY):  # NaN in either operand
        rng = np.random.default_rng(seed)
        for x in (a, b):
            if x.dtype == np.float64 and x.size:
                x.reshape(-1)[rng.integers(0, x.size)] = np.nan
    return Case(op, (a, b), diff=(0, 1), seed=seed)


@case
def xlogy(draw):
    (x, y), seed = draw(operands())
    if y.dtype.kind == "f":
        y = np.asarray(np.abs(y))  # the log of a positive number (and of 0, when y holds 0)
    number = draw(st.sampled_from([None, 0, 1]))  # torch takes a number on either side
    args = (x, y) if number is None else (2.5, y) if number == 0 else (x, 2.5)
    return Case("xlogy", args, diff=(0, 1), seed=seed)


@case
def lerp(draw):
    (start, end, weight), seed = draw(operands(3, mixed=False))
    if draw(st.booleans()):
        weight = draw(st.sampled_from([0.25, -1.5, 2]))
    return Case("lerp", (start, end, weight), diff=(0, 1, 2), seed=seed)


@case
def where(draw):
    (cond, x, y), seed = draw(operands(3))
    cond = np.asarray(cond > 0)  # NaN-free: distinct values, of either sign
    if draw(RARELY):  # torch takes only bool conditions (and uint8, deprecated: gradix doesn't)
        cond = cond.astype(draw(st.sampled_from(["int64", "float64"])))
    args = [cond, x, y]
    for i in (1, 2):
        if draw(RARELY):
            args[i] = draw(st.sampled_from([-1.5, 2, True]))
    return Case("where", tuple(args), diff=(1, 2), seed=seed)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name, data):
    check(data.draw(CASES[name], label=name))
