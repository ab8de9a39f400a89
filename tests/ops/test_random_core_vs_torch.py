"""Randomized differential tests of the core ops against PyTorch, as in test_random_vs_torch.py:
indexing (``x[key]`` and ``x[key] = v``), reductions, shape ops, broadcasting arithmetic with
dtype promotion, matmul and einsum. Hypothesis draws shapes of 0 to 4 dimensions of sizes 0 to
4, dtypes and arguments, some of them invalid; gradix must raise where torch raises, and
otherwise match torch's outputs and, for float64 inputs, its gradients."""
import math
import operator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gradix

from ._random_helpers import (
    MOSTLY_FLOAT64, RARELY, SEEDS, SHAPES, WARNINGS, Case, case_registry, check, dim_lists,
    dim_pairs, dims, make_array, mostly, operands, reduce_dims, shapes, size_along, tensors,
    torch)

# torch warns of a list of index lists, which it reads as a tuple of them (as gradix does)
pytestmark = [WARNINGS, pytest.mark.filterwarnings("ignore:Using a non-tuple sequence")]
CASES, case = case_registry()
ANY_DTYPE = st.sampled_from(["float64", "float64", "float32", "int64", "bool"])


# ---------------------------------------------------------------------- index keys
def _span(p):
    """How many dimensions of x the key part p indexes."""
    if p is None or p is Ellipsis or isinstance(p, bool):
        return 0
    if isinstance(p, (list, np.ndarray, torch.Tensor, gradix.Tensor)):
        a = np.asarray(p) if isinstance(p, list) else p
        return a.ndim if str(a.dtype).endswith("bool") else 1
    return 1


def _positive_steps(x, key):
    """(key, dims) for torch, which refuses negative slice steps: each such slice turned into
    the positive one that reads the same entries in the same order of x flipped along dims."""
    parts = key if isinstance(key, tuple) else (key,)
    spans = [_span(p) for p in parts]
    ellipsis = next((i for i, p in enumerate(parts) if p is Ellipsis), len(parts))
    first = np.cumsum([0] + spans)  # the dimension each part starts at, counted before ...
    first[ellipsis + 1:] += x.ndim - sum(spans)
    dims, new = [], list(parts)
    for i, p in enumerate(parts):
        if isinstance(p, slice) and (p.step or 1) < 0 and 0 <= first[i] < x.ndim:
            n = x.shape[first[i]]
            read = range(n)[p]
            new[i] = slice(n - 1 - read[0], n - read[-1], -p.step) if read else slice(0, 0)
            dims.append(int(first[i]))
    return (tuple(new) if isinstance(key, tuple) else new[0]), dims


def getitem(m, x, *parts, bare=False):
    key = parts[0] if bare else parts
    if m is torch:
        key, flips = _positive_steps(x, key)
        x = x.flip(flips) if flips else x
    return x[key]


def setitem(m, x, v, *parts, bare=False):
    """x after x[key] = v (in torch through x flipped, then flipped back)."""
    key = parts[0] if bare else parts
    if m is gradix:
        x[key] = v
        return x
    key, flips = _positive_steps(x, key)
    x = x.flip(flips) if flips else x
    x[key] = v
    return x.flip(flips) if flips else x


INDEX_KINDS = st.sampled_from(["array", "slice", "int", "array", "mask", "slice"])
STEPS = st.sampled_from([None, 1, 2, 3, -1, -2])


@st.composite
def keys(draw, rng, shape):
    """(parts, bare) of a key for x[key] with x of ``shape``: ints, slices, integer arrays or
    lists (broadcasting together, with repeated entries), bool masks over one or more
    dimensions, and among them None, True/False (or 0-d bool arrays) and one Ellipsis (now and
    then a second one last). Now and then one index too many, out of range, or of a
    shape that doesn't fit. ``bare``: the one part is the key itself, not in a tuple."""
    ndim = len(shape)
    budget = ndim + draw(RARELY)
    kinds = []  # (kind, span) of the parts that index dimensions of x
    for _ in range(draw(st.sampled_from([2, 3, 1, 4, 0]))):
        used = sum(span for _, span in kinds)
        if used < budget:
            kind = draw(INDEX_KINDS)
            kinds.append((kind, draw(st.integers(1, budget - used)) if kind == "mask" else 1))
    ellipsis = draw(st.none() | st.integers(0, len(kinds)))
    spans = [span for _, span in kinds]
    starts = list(np.cumsum([0] + spans[:-1]))
    if ellipsis is not None:  # the parts after ... index the last dimensions
        starts[ellipsis:] = [ndim - sum(spans[i:]) for i in range(ellipsis, len(kinds))]

    def size(d):
        return shape[d] if 0 <= d < ndim else 1
    arrays = [k for k, _ in kinds].count("array")
    broadcast = list(draw(hnp.mutually_broadcastable_shapes(
        num_shapes=arrays, max_dims=2, min_side=draw(st.sampled_from([1, 1, 0])),
        max_side=3)).input_shapes) if arrays else []
    parts, wrong = [], []  # wrong: (index, an out-of-range value for its first entry)
    listed = set()  # the ids of those arrays given as lists
    for (kind, span), start in zip(kinds, starts):
        n = size(start)
        if kind == "int":
            parts.append(draw(mostly(st.integers(-n, n - 1), -n - 1, n)) if n else 0)
        elif kind == "slice":
            ends = st.none() | st.integers(-5, 5)
            step = draw(mostly(STEPS, 0))
            parts.append(slice(draw(ends), draw(ends), step))
        elif kind == "array":
            index_shape = broadcast.pop()
            if draw(RARELY):  # one that doesn't broadcast with the others (or does)
                index_shape = (draw(st.integers(0, 4)),)
            # no index into a dimension of size 0: every one is out of range
            index = rng.integers(-n, n, index_shape) if n else np.zeros(0, int)
            if index.size and draw(RARELY):
                wrong.append((index, draw(st.sampled_from([-n - 1, n]))))
            if index.ndim and draw(RARELY):
                listed.add(id(index))
            parts.append(index)
        else:
            mask_shape = [size(d) for d in range(start, start + span)]
            if draw(RARELY):
                mask_shape[-1] += 1
            mask = rng.random(mask_shape) < 0.5
            # a list only if 1-D: for the dims an Ellipsis stands for, torch counts a nested
            # list of bools as one, though it indexes as many as it has levels
            if mask.ndim == 1 and draw(RARELY):
                listed.add(id(mask))
            parts.append(mask)
    if ellipsis is not None:
        parts.insert(ellipsis, Ellipsis)
    for extra in draw(st.lists(st.sampled_from([None, None, True, False, "0-d"]),
                               max_size=2)):
        extra = np.asarray(draw(st.booleans())) if extra == "0-d" else extra
        parts.insert(draw(st.integers(0, len(parts))), extra)
    # a second Ellipsis only last: torch skips a full slice even after one that leaves it out
    # of range, where gradix refuses the slice; and _positive_steps reads one Ellipsis
    if ellipsis is not None and not _negative_steps(parts) and draw(RARELY):
        parts.append(Ellipsis)
    bare = len(parts) == 1 and draw(st.booleans())
    # an index out of range only where torch reads the indices: it checks none where the
    # result is empty, gradix refuses one out of range (README)
    read = _read_by_torch(shape, parts, bare)
    if wrong and (read is None or read.numel()):
        index, value = wrong[0]
        index.reshape(-1)[0] = value
    return [p.tolist() if id(p) in listed else p for p in parts], bare


def _read_by_torch(shape, parts, bare):
    """The flat positions torch's x[key] reads of an x of ``shape``, or None if it refuses."""
    key = [torch.tensor(p) if isinstance(p, np.ndarray) else p for p in parts]
    try:
        return getitem(torch, torch.arange(math.prod(shape)).reshape(shape), *key, bare=bare)
    except (IndexError, RuntimeError, ValueError, TypeError):
        return None


def _negative_steps(parts):
    return any(isinstance(p, slice) and (p.step or 1) < 0 for p in parts)


@case
def index(draw):
    x, seed = draw(tensors(ANY_DTYPE, shape=mostly(shapes(1), ())))
    parts, bare = draw(keys(np.random.default_rng(seed), x.shape))
    return Case(getitem, (x, *parts), {"bare": bare}, seed=seed)


@case
def index_put(draw):
    # no grad: gradix writes into no tensor that requires grad (README)
    x, seed = draw(tensors(ANY_DTYPE, shape=mostly(shapes(1), ())))
    rng = np.random.default_rng(seed)
    parts, bare = draw(keys(rng, x.shape))
    read = _read_by_torch(x.shape, parts, bare)
    # v: a number, or a tensor that broadcasts to x[key] (now and then one that doesn't); a
    # tensor only where the key names each place once: torch leaves open which write stays.
    # Torch refuses a tensor of another dtype for a key with index tensors (except a lone bool
    # mask and one value), gradix casts it: that v has x's dtype
    shape = read.shape if read is not None else draw(SHAPES)
    if read is not None and read.unique().numel() == read.numel() and draw(st.booleans()):
        v_shape = tuple(draw(st.sampled_from([1, n])) for n in shape)
        v_shape = v_shape[draw(st.integers(0, len(v_shape))):]
        if draw(RARELY):
            v_shape = (draw(st.integers(0, 4)),) + v_shape
        basic = all(p is None or p is Ellipsis or isinstance(p, slice) or type(p) is int
                    for p in parts)
        v = make_array(rng, v_shape, draw(ANY_DTYPE) if basic else x.dtype.name)
    else:
        v = draw(st.sampled_from([1.5, -2, True, 0]))
    # not x[False] = v: torch checks nothing then (v may have any shape), gradix checks v
    return Case(setitem, (x, v, *parts), {"bare": bare and parts[0] is not False}, diff=())


# ---------------------------------------------------------------------- reductions
def _with_dtype(name):
    """m.name(*args, **kwargs), a dtype= given by name read as m's dtype."""
    def call(m, *args, dtype=None, **kwargs):
        if dtype is not None:
            kwargs["dtype"] = getattr(m, dtype)
        return getattr(m, name)(*args, **kwargs)
    return call


def _grad_unless_int(dtype):
    """diff for an op with a dtype= kwarg: none for an integer dtype, where torch refuses an
    input that requires grad and gradix ends the graph (README)."""
    return () if dtype in ("int64", "bool") else (0,)


@case
def reduce_sum(draw):
    op = draw(st.sampled_from(["sum", "mean", "prod", "cumsum"]))
    x, seed = draw(tensors(ANY_DTYPE, kind=draw(st.sampled_from(["normal", "ties"]))))
    if op in ("prod", "cumsum"):  # one dim, or (prod) none
        dim = draw(dims(x.ndim) | st.none()) if op == "prod" else draw(dims(x.ndim))
    else:
        dim = reduce_dims(draw, x)
    # torch's prod refuses dim=None (gradix takes it)
    kwargs = {"dim": dim} if dim is not None or op != "prod" and draw(st.booleans()) else {}
    if op != "cumsum" and dim is not None:
        kwargs["keepdim"] = draw(st.booleans())
    dtype = draw(st.sampled_from([None, None, "float64", "float32", "int64"]))
    if dtype:
        kwargs["dtype"] = dtype
    return Case(_with_dtype(op), (x,), kwargs, _grad_unless_int(dtype), seed)


@case
def reduce_var(draw):
    x, seed = draw(tensors(MOSTLY_FLOAT64))
    # torch's gradient over dim=() is wrong (see test_random_vs_torch.py): a dim or None
    kwargs = {"dim": draw(st.none() | dims(x.ndim) | dim_lists(x.ndim, 1).map(tuple)),
              "correction": draw(st.sampled_from([0, 1, 2])),
              "keepdim": draw(st.booleans())}
    return Case(draw(st.sampled_from(["var", "std"])), (x,), kwargs, seed=seed)


@case
def reduce_max(draw):
    # distinct values: torch leaves open which of tied entries' index max/argmax give; bool
    # values tie, so only over all of x (max gives no index then, argmax refuses bool)
    x, seed = draw(tensors(st.sampled_from(["float64", "float64", "int64", "bool"]),
                           "distinct", nan="one"))
    op = draw(st.sampled_from(["max", "min", "argmax", "argmin"]))
    if x.dtype == np.bool_ or draw(st.booleans()):
        return Case(op, (x,), seed=seed)
    return Case(op, (x,), {"dim": draw(dims(x.ndim)), "keepdim": draw(st.booleans())},
                seed=seed)


@case
def reduce_amax(draw):
    # ties: amax/amin share the gradient evenly among them, as torch documents
    x, seed = draw(tensors(ANY_DTYPE, kind=draw(st.sampled_from(["normal", "ties"])),
                           nan="some"))
    op = draw(st.sampled_from(["amax", "amin", "logsumexp", "all", "any"]))
    dim = reduce_dims(draw, x)
    if op == "logsumexp":  # torch needs a dim, and fails inside for dim=()
        dim = dim if dim not in (None, ()) else draw(dims(x.ndim))
    elif op in ("amax", "amin"):  # torch refuses dim=None (gradix reads it as all of x)
        dim = () if dim is None else dim
    kwargs = {} if dim is None else {"dim": dim, "keepdim": draw(st.booleans())}
    return Case(op, (x,), kwargs, seed=seed)


# ---------------------------------------------------------------------- shape ops
@st.composite
def sizes_of(draw, n):
    """Sizes whose product is n (now and then not), in up to 4 dimensions, one of them now and
    then -1 (now and then two)."""
    factors, rest = [] if n else [0], n  # of sizes 0 to 4: 2s and 3s
    for f in (2, 3):
        while rest and rest % f == 0:
            factors.append(f)
            rest //= f
    sizes = []
    for f in draw(st.permutations(factors)):  # each starts a dimension or joins the last one
        if sizes and (len(sizes) == 4 or draw(st.booleans())):
            sizes[-1] *= f
        else:
            sizes.append(f)
    for _ in range(draw(st.integers(0, 4 - len(sizes)))):
        sizes.insert(draw(st.integers(0, len(sizes))), 1)
    if draw(RARELY):
        sizes.append(draw(st.sampled_from([2, 0])))
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2])) if sizes else 0):
        sizes[draw(st.integers(0, len(sizes) - 1))] = -1
    return tuple(sizes)


@case
def reshape(draw):
    x, seed = draw(tensors())
    shape = draw(sizes_of(x.size))
    op = draw(st.sampled_from(["reshape", "view"]))
    # view of x itself: of x transposed torch refuses one it can't make without a copy, where
    # gradix's view is reshape (copies)
    return Case(lambda m, x, op, shape: getattr(x, op)(shape), (x,), {"op": op, "shape": shape},
                seed=seed)


@case
def permute(draw):
    x, seed = draw(tensors())
    op = draw(st.sampled_from(["permute", "transpose", "movedim", "flatten", "unflatten"]))
    if op == "permute":
        order = [d - x.ndim * draw(st.booleans()) for d in draw(st.permutations(range(x.ndim)))]
        order = draw(mostly(st.just(order), order + [0], order[:-1] + [x.ndim]))
        return Case(lambda m, x: x.permute(order), (x,), seed=seed)
    if op == "transpose":
        return Case("transpose", (x, *draw(dim_pairs(x.ndim))), seed=seed)
    if op == "movedim":
        count = draw(st.integers(1, 3))
        source = draw(st.lists(dims(x.ndim), min_size=count, max_size=count))
        dest = draw(st.lists(dims(x.ndim), min_size=count, max_size=count + draw(RARELY)))
        if count == 1 and len(dest) == 1 and draw(st.booleans()):
            source, dest = source[0], dest[0]
        return Case("movedim", (x, source, dest), seed=seed)
    if op == "flatten":
        start_end = st.tuples() | st.tuples(dims(x.ndim)) | st.tuples(dims(x.ndim), dims(x.ndim))
        return Case("flatten", (x, *draw(start_end)), seed=seed)
    dim = draw(dims(x.ndim))
    sizes = draw(mostly(sizes_of(size_along(x, dim)).filter(bool), ()))
    return Case("unflatten", (x, dim, sizes), seed=seed)


@case
def squeeze(draw):
    x, seed = draw(tensors(shape=st.lists(st.sampled_from([1, 1, 2, 0]), max_size=4).map(
        tuple)))
    if draw(st.booleans()):
        return Case("unsqueeze", (x, draw(dims(x.ndim + 1))), seed=seed)
    dim = draw(st.none() | dims(x.ndim) | dim_lists(x.ndim).map(tuple))
    return Case("squeeze", (x,) if dim is None else (x, dim), seed=seed)


@case
def expand(draw):
    x, seed = draw(tensors())
    # each size kept, -1 (kept), or for a size 1 any; new ones in front; now and then wrong
    shape = [draw(mostly(st.sampled_from([n, -1, 0, 3] if n == 1 else [n, -1]), n + 1))
             for n in x.shape]
    # (no -1 in a new dimension of a 0-d x: torch takes it, and gives a shape holding -1)
    new = st.integers(0, 3) if x.ndim == 0 else mostly(st.integers(0, 3), -1)
    shape = [draw(new) for _ in range(draw(st.integers(0, 2)))] + shape
    if draw(st.booleans()):
        return Case("broadcast_to", (x, tuple(shape)), seed=seed)
    return Case(lambda m, x: x.expand(shape), (x,), seed=seed)


@case
def split(draw):
    x, seed = draw(tensors(shape=shapes(1)))
    dim = draw(dims(x.ndim))
    n = size_along(x, dim)
    op = draw(st.sampled_from(["split", "chunk"]))
    if op == "chunk":
        return Case("chunk", (x, draw(mostly(st.integers(1, 5), 0)), dim), seed=seed)
    if draw(st.booleans()):
        return Case("split", (x, draw(mostly(st.integers(1, 5), 0)), dim), seed=seed)
    sections = draw(st.lists(st.integers(0, n), max_size=3))
    if sum(sections) <= n:
        sections.append(n - sum(sections))
    if draw(RARELY):  # that don't add up to n
        sections.append(1)
    return Case("split", (x, sections, dim), seed=seed)


@case
def cat(draw):
    # several tensors sharing a shape but along dim (for stack: all of it), each its own dtype
    # (cat promotes, as stack does)
    shape = list(draw(mostly(shapes(1), ())))
    op = draw(st.sampled_from(["cat", "stack"]))
    dim = draw(dims(len(shape) + (op == "stack")))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    arrays = []
    for _ in range(draw(mostly(st.sampled_from([2, 3, 1]), 0))):
        s = list(shape)
        if op == "cat" and shape and -len(s) <= dim < len(s):
            s[dim] = draw(st.integers(0, 3))
        if draw(RARELY):  # a shape that doesn't fit, or 1-D empty (which torch's cat skips)
            s = draw(st.sampled_from([[0], s + [1], s[1:]]))
        arrays.append(make_array(rng, tuple(s), draw(MOSTLY_FLOAT64)))
    return Case(lambda m, *a, op, dim: getattr(m, op)(list(a), dim), tuple(arrays),
                {"op": op, "dim": dim}, tuple(range(len(arrays))), seed)


@case
def repeat(draw):
    x, seed = draw(tensors())
    counts = draw(st.lists(st.integers(0, 3), min_size=max(x.ndim - draw(RARELY), 0),
                           max_size=x.ndim + 2))
    return Case(lambda m, x: x.repeat(counts), (x,), seed=seed)


@case
def pad(draw):
    # widths of 0 or more only: gradix refuses negative ones, torch crops (README)
    x, seed = draw(tensors())
    pairs = draw(st.integers(0, x.ndim + draw(RARELY)))  # now and then one too many
    widths = draw(st.lists(st.integers(0, 3), min_size=2 * pairs, max_size=2 * pairs))
    if widths and draw(RARELY):  # an odd number
        widths.pop()
    value = draw(st.sampled_from([0, 1.5, -2]))
    return Case(lambda m, x: m.nn.functional.pad(x, widths, value=value), (x,), seed=seed)


# ---------------------------------------------------------------------- broadcasting arithmetic
OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
             "**": operator.pow, "==": operator.eq, "!=": operator.ne, "<": operator.lt,
             "<=": operator.le, ">": operator.gt, ">=": operator.ge}
NUMBERS = st.sampled_from([2, -1.5, True, 0, 0.5, -3, False])


def _arithmetic(draw, names):
    # ties (small integers, zeros) for comparisons; for ** and / too (0 ** -1, 0 / 0)
    name = draw(st.sampled_from(names))
    (a, b), seed = draw(operands(kind=draw(st.sampled_from(["distinct", "ties"]))))
    side = draw(st.sampled_from([None, None, 0, 1]))  # which one is a Python number
    args = [a, b]
    if side is not None:
        args[side] = draw(NUMBERS)
    if name == "**" and all(np.asarray(x).dtype == np.bool_ for x in args):
        args[0] = np.asarray(args[0], np.int64)  # torch has no kernel for bool ** bool tensor
    if name == "**" and args[1] is False:  # torch's gradient of x ** False is NaN at x = 0
        args[1] = 0
    return Case(lambda m, a, b, op: OPERATORS[op](a, b), tuple(args), {"op": name}, (0, 1),
                seed)


@case
def add_sub_mul(draw):
    return _arithmetic(draw, ["+", "-", "*"])


@case
def div_pow(draw):
    return _arithmetic(draw, ["/", "**"])


@case
def compare(draw):
    return _arithmetic(draw, ["==", "!=", "<", "<=", ">", ">="])


@case
def maximum(draw):
    op = draw(st.sampled_from(["maximum", "minimum", "clamp", "where"]))
    (a, b, c), seed = draw(operands(3))
    if op == "where":
        args = [np.asarray(a > 0), b, c]  # bool condition (see test_random_vs_torch.py)
        for i in (1, 2):
            if draw(RARELY):
                args[i] = draw(NUMBERS)
        return Case("where", tuple(args), diff=(1, 2), seed=seed)
    if op != "clamp":
        return Case(op, (a, b), diff=(0, 1), seed=seed)
    # both bounds tensors (or None), or both numbers: torch refuses one of each, gradix
    # takes them. No bool x: torch lacks most clamp kernels for bool (gradix clamps)
    a = a.astype(np.int64) if a.dtype == np.bool_ else a
    numbers = draw(st.booleans())
    bounds = [draw(st.sampled_from([-0.5, 1, None] if numbers else [bound, bound, None]))
              for bound in (b, c)]
    return Case("clamp", (a, *bounds), diff=(0, 1, 2), seed=seed)


@st.composite
def matmul_shapes(draw):
    """Shapes of a @ b: each 1-D, 2-D or batched (broadcasting batch dims), the inner sizes
    equal (now and then not)."""
    n, k, p = (draw(st.integers(0, 3)) for _ in range(3))
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3))
    a = draw(st.sampled_from([(k,), (n, k), batch.input_shapes[0] + (n, k)]))
    b = draw(st.sampled_from([(k,), (k, p), batch.input_shapes[1] + (k, p)]))
    if draw(RARELY):
        b = (k + 1,) + b[1:] if len(b) < 3 else b[:-2] + (k + 1, p)
    return a, b


@case
def matmul(draw):
    a_shape, b_shape = draw(matmul_shapes())
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(st.sampled_from(["float64", "float64", "float32", "int64"]))
    # one dtype: torch's matmul refuses mixed ones, gradix promotes them (as it does in mm
    # and bmm: README)
    a, b = make_array(rng, a_shape, dtype), make_array(rng, b_shape, dtype)
    return Case(draw(st.sampled_from(["matmul", lambda m, a, b: a @ b])), (a, b), diff=(0, 1),
                seed=seed)


@case
def einsum(draw):
    """An equation of 1 to 3 operands, each with letters drawn from 'ijkl' (repeats give
    diagonals), each letter of one size (now and then not); an output of letters of the
    inputs, or none given; now and then '...' standing for broadcasting dimensions."""
    sizes = {c: draw(st.sampled_from([2, 3, 1, 0])) for c in "ijkl"}
    count = draw(st.integers(1, 3))
    ellipsis = draw(RARELY)
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=count, max_dims=2,
                                                    max_side=3)).input_shapes
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    terms, arrays = [], []
    for i in range(count):
        letters = draw(st.lists(st.sampled_from("ijkl"), max_size=3))
        shape = tuple(sizes[c] for c in letters)
        if ellipsis:
            at = draw(st.integers(0, len(letters)))
            letters.insert(at, "...")
            shape = shape[:at] + batch[i] + shape[at:]
        if shape and draw(RARELY):  # now and then a size that doesn't fit
            shape = (shape[0] + 1,) + shape[1:]
        terms.append("".join(letters))
        arrays.append(make_array(rng, shape))
    used = sorted(set("".join(terms)) - set("."))
    equation = ",".join(terms)
    if draw(st.booleans()):
        out = draw(st.permutations(used))[:draw(st.integers(0, len(used)))]
        equation += "->" + ("..." if ellipsis else "") + "".join(out)
    return Case(lambda m, *a, equation: m.einsum(equation, *a), tuple(arrays),
                {"equation": equation}, tuple(range(count)), seed)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name, data):
    check(data.draw(CASES[name], label=name))
