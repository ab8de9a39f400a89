"""Randomized differential tests against PyTorch for the products, gradix.linalg, special
functions, statistics and indexing extras, in the manner of test_random_vs_torch.py: hypothesis
draws shapes (0 to 4 dimensions of sizes 0 to 4), dtypes and arguments, some of them outside
what torch accepts. gradix must raise where torch raises, and otherwise match torch's outputs
(shape, dtype, values) and, for float64 inputs, torch's gradients under a random upstream
gradient."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ._random_helpers import (
    RARELY,
    SEEDS,
    SHAPES,
    VECTORS,
    WARNINGS,
    Case,
    case_registry,
    check,
    dim_pairs,
    dims,
    make_array,
    mostly,
    operands,
    reduce_dims,
    shapes,
    size_along,
    tensors,
)

# torch's addmv/addmm resize their internal output for some empty shapes, and warn
pytestmark = [WARNINGS, pytest.mark.filterwarnings(
    "ignore:An output with one or more elements was resized:UserWarning")]
CASES, case = case_registry()
# one dtype for all operands of a product: gradix promotes mixed ones where torch raises (README)
PRODUCT_DTYPES = st.sampled_from(["float64"] * 4 + ["float32", "int64"])


def _broadcastable_to(draw, shape):
    """A shape that broadcasts to ``shape``: a suffix of it with some sizes made 1, or now and
    then one that doesn't."""
    k = draw(st.integers(0, len(shape)))
    out = [draw(st.sampled_from([s, 1])) for s in shape[len(shape) - k:]]
    if draw(RARELY):
        out = list(out) + [2] if out else [5]
    return tuple(out)


# ---------------------------------------------------------------------- products
@case
def tensordot(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(PRODUCT_DTYPES)
    a_shape = draw(SHAPES)
    k = draw(st.integers(0, len(a_shape)))
    if draw(st.booleans()):  # dims as a number: a's last k against b's first k
        b_shape = a_shape[len(a_shape) - k:] + draw(shapes(max_dims=2))
        if draw(RARELY) and b_shape:
            b_shape = (b_shape[0] + 1,) + b_shape[1:]
        dims_arg = draw(mostly(st.just(k), -1, len(a_shape) + 1))
    else:  # two lists of dims, in any order
        da = draw(st.permutations(range(len(a_shape))))[:k]
        extra = draw(shapes(max_dims=2))
        b_dims = draw(st.permutations(range(k + len(extra))))
        b_shape = [0] * (k + len(extra))
        for i, d in enumerate(b_dims):
            b_shape[d] = a_shape[da[i]] if i < k else extra[i - k]
        db = list(b_dims[:k])
        da = [d - len(a_shape) * draw(st.booleans()) for d in da]
        b_shape = tuple(b_shape)
        if draw(RARELY):
            db = db + [0]
        dims_arg = (list(da), db)
    a = make_array(rng, a_shape, dtype)
    b = make_array(rng, tuple(b_shape), dtype)
    return Case("tensordot", (a, b), {"dims": dims_arg}, diff=(0, 1), seed=seed)


_ADDS = {  # op: (the input's shape, the two operands' shapes) from sizes b, n, m, p
    "addmm": lambda b, n, m, p: ((n, p), (n, m), (m, p)),
    "baddbmm": lambda b, n, m, p: ((b, n, p), (b, n, m), (b, m, p)),
    "addbmm": lambda b, n, m, p: ((n, p), (b, n, m), (b, m, p)),
    "addmv": lambda b, n, m, p: ((n,), (n, m), (m,)),
    "addr": lambda b, n, m, p: ((n, m), (n,), (m,)),
}


@case
def addmm(draw):
    op = draw(st.sampled_from(sorted(_ADDS)))
    sizes = [draw(st.sampled_from([1, 2, 3, 0])) for _ in range(4)]
    out_shape, s1, s2 = _ADDS[op](*sizes)
    # torch's addmv with an empty mat returns the input unbroadcast: a full input then
    full = op == "addmv" and 0 in sizes[1:3]
    if draw(RARELY):  # a wrong size or number of dims for one operand
        s2 = s2[:-1] + (s2[-1] + 1,) if draw(st.booleans()) else s2 + (1,)
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(PRODUCT_DTYPES)
    inp = make_array(rng, out_shape if full else _broadcastable_to(draw, out_shape), dtype)
    if dtype == "float64" and inp.size and draw(RARELY):
        inp.reshape(-1)[0] = np.nan  # beta=0 ignores the input, NaN included
    beta = draw(st.sampled_from([1, 0, 2, 0.5, -1.5]))
    alpha = draw(st.sampled_from([1, 0, -2, 0.5]))
    if dtype == "int64" and op != "addr":  # torch truncates a float beta/alpha, gradix raises
        beta, alpha = int(beta), int(alpha)
    return Case(op, (inp, make_array(rng, s1, dtype), make_array(rng, s2, dtype)),
                {"beta": beta, "alpha": alpha}, diff=(0, 1, 2), seed=seed)


@case
def small_products(draw):
    op = draw(st.sampled_from(["mv", "inner", "vdot", "dist", "outer"]))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(PRODUCT_DTYPES)
    n = draw(st.integers(0, 3))
    if op == "mv":
        shapes_ = [(draw(st.integers(0, 3)), n), (n,)]
    elif op == "inner":
        a = draw(shapes(max_dims=3))
        shapes_ = [a, draw(shapes(max_dims=2)) + a[-1:]]
    elif op == "dist":
        s = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
        shapes_ = list(s.input_shapes)
    else:
        shapes_ = [(n,), (n if op == "vdot" else draw(st.integers(0, 3)),)]
    if draw(RARELY):
        shapes_[1] = shapes_[1] + (2,)
    arrays = [make_array(rng, s, dtype, "nonzero") for s in shapes_]
    kwargs = {"p": draw(st.sampled_from([2, 1, 3, math.inf, 0]))} if op == "dist" else {}
    if op == "dist" and dtype != "float64":
        arrays = [a.astype("float32") for a in arrays]
    return Case(op, tuple(arrays), kwargs, diff=(0, 1), seed=seed)


@case
def kron(draw):
    (a, b), seed = draw(operands(mixed=False, kind="ties"))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):  # shapes that needn't broadcast
        b = make_array(rng, draw(SHAPES), a.dtype.name)
    return Case("kron", (a, b), diff=(0, 1), seed=seed)


@case
def cross(draw):
    s = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3,
                                               max_side=3))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(PRODUCT_DTYPES)
    a = make_array(rng, s.input_shapes[0], dtype)
    b = make_array(rng, s.input_shapes[1], dtype)
    ndim = max(a.ndim, b.ndim)
    dim = draw(dims(ndim))
    if draw(st.booleans()):
        return Case(lambda m, a, b, dim: m.linalg.cross(a, b, dim=dim), (a, b, dim),
                    diff=(0, 1), seed=seed)
    return Case("cross", (a, b), {"dim": dim}, diff=(0, 1), seed=seed)


@case
def block_diag(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(st.sampled_from(["float64", "float64", "int64"]))
    count = draw(st.integers(0, 3))
    # no empty 1-D tensor: torch's gradient then goes to the wrong blocks (gradix's is right)
    arrays = tuple(make_array(rng, draw(mostly(shapes(max_dims=2).filter(
        lambda s: s != (0,)), (2, 2, 2))), dtype) for _ in range(count))
    return Case(lambda m, *a: m.block_diag(*a), arrays, diff=tuple(range(count)), seed=seed)


@case
def cdist(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3))
    m = draw(st.integers(0, 3))
    s1 = batch.input_shapes[0] + (draw(st.integers(0, 3)), m)
    s2 = batch.input_shapes[1] + (draw(st.integers(0, 3)), m + draw(RARELY))
    dtype = draw(st.sampled_from(["float64"] * 4 + ["float32"]))
    # distinct values: no two rows at distance 0, where the gradient has a kink
    x = make_array(rng, (math.prod(s1) + math.prod(s2),), dtype, "distinct")
    x1, x2 = x[:math.prod(s1)].reshape(s1), x[math.prod(s1):].reshape(s2)
    p = draw(mostly(st.sampled_from([2.0, 1.0, 3.0, math.inf, 0.0, 0.5]), -1.0))
    return Case("cdist", (x1, x2), {"p": p}, diff=(0, 1), seed=seed)


# ---------------------------------------------------------------------- gradix.linalg
def _well_conditioned(rng, shape):
    """Square matrices of ``shape`` (..., n, n): random plus n times the identity."""
    a = rng.standard_normal(shape) * 0.5
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        a = a + np.eye(shape[-1]) * (shape[-1] + 1)
    return a


@case
def linalg_square(draw):
    op = draw(st.sampled_from(["inv", "det", "slogdet", "matrix_power", "matrix_exp"]))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    n = draw(st.integers(0, 3))
    shape = draw(shapes(max_dims=2)) + (n, n)
    shape = draw(mostly(st.just(shape), (), (3,), (2, 3)))
    a = _well_conditioned(rng, shape)
    if draw(RARELY):
        # gradix refuses integer matrices in matrix_power too (torch takes them for n >= 0)
        a = a.astype("float32" if op == "matrix_power" else draw(st.sampled_from(
            ["float32", "int64"])))
    if op == "matrix_power":
        return Case(lambda m, a, k: m.linalg.matrix_power(a, k), (a, draw(st.integers(-2, 3))),
                    seed=seed)
    return Case(lambda m, a: getattr(m.linalg, op)(a), (a,), seed=seed)


@case
def linalg_solve(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3))
    n = draw(st.integers(0, 3))
    a = _well_conditioned(rng, batch.input_shapes[0] + (n, n))
    kind = draw(st.sampled_from(["matrix", "vector", "batched vector"]))
    if kind == "matrix":
        b_shape = batch.input_shapes[1] + (n, draw(st.integers(0, 3)))
    elif kind == "vector":
        b_shape = (n,)
    else:  # B of A's shape less one dim: a batch of vectors
        b_shape = a.shape[:-1]
    if draw(RARELY):
        b_shape = b_shape[:-1] + (n + 1,) if b_shape else (2,)
    b = rng.standard_normal(b_shape)
    # only A X = B: gradix's left=False raises NotImplementedError
    return Case(lambda m, a, b: m.linalg.solve(a, b), (a, b), diff=(0, 1), seed=seed)


@case
def vector_norm(draw):
    # |x| from 0.5 to 2, distinct: away from the kinks of ord 1, inf and below 1
    x, seed = draw(tensors(st.sampled_from(["float64"] * 4 + ["float32", "int64"]), "nonzero"))
    ord_ = draw(mostly(st.sampled_from([2, 1, math.inf, -math.inf, 0, 3, 0.5, -1]), "fro"))
    return Case(lambda m, x, **kw: m.linalg.vector_norm(x, **kw), (x,),
                {"ord": ord_, "dim": reduce_dims(draw, x), "keepdim": draw(st.booleans())},
                seed=seed)


@case
def matrix_norm(draw):
    x, seed = draw(tensors(st.sampled_from(["float64"] * 4 + ["float32"]), "nonzero",
                           shape=mostly(shapes(2), (), (3,))))
    ord_ = draw(mostly(st.sampled_from(["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf]), 3))
    dim = draw(dim_pairs(x.ndim))
    # torch's norm of an empty matrix doesn't require grad: no gradient then
    return Case(lambda m, x, **kw: m.linalg.matrix_norm(x, **kw), (x,),
                {"ord": ord_, "dim": dim, "keepdim": draw(st.booleans())},
                diff=(0,) if x.size else (), seed=seed)


# ---------------------------------------------------------------------- special functions
@case
def special_unary(draw):
    op = draw(st.sampled_from(["lgamma", "digamma", "sinc", "logit", "i0", "erfinv"]))
    x, seed = draw(tensors(kind=draw(st.sampled_from(["normal", "ties"])), nan="one"))
    if op == "logit" and x.dtype.kind == "f" and draw(st.booleans()):
        x = np.asarray(np.abs(x) / 3)  # mostly within (0, 1)
    if op == "erfinv" and x.dtype.kind == "f":
        x = np.asarray(np.tanh(x))
    if op == "logit" and draw(st.booleans()):
        # no NaN: torch's gradient there is 0 or NaN, as its kernel is vectorized or not
        x = np.nan_to_num(x, nan=0.5)
        return Case("logit", (x,), {"eps": draw(st.sampled_from([0.0, 1e-3, 0.25]))},
                    seed=seed)
    # torch's gradient of digamma (its polygamma(1, x)) is off by 1e-10 relative: the op table
    # checks gradix's against finite differences
    return Case(op, (x,), diff=() if op == "digamma" else (0,), seed=seed)


@case
def float_power(draw):
    (a, b), seed = draw(operands())
    if a.dtype.kind == "f":  # a real power of a positive base (or an integer one)
        a = np.asarray(np.abs(a) + 0.25, a.dtype)
    if draw(RARELY):
        b = draw(st.sampled_from([2, -1, 0.5, True]))
    elif draw(RARELY):
        a = draw(st.sampled_from([2, 0.5]))
    return Case("float_power", (a, b), diff=(0, 1), seed=seed)


@case
def addcmul(draw):
    op = draw(st.sampled_from(["addcmul", "addcdiv"]))
    (x, t1, t2), seed = draw(operands(3, mixed=draw(RARELY)))
    value = draw(st.sampled_from([1, 0.5, -2, 0, True]))
    # gradients for one dtype only: torch's backward computes with an integer tensor1 in the
    # dtype it and a 0-d float64 tensor2 promote to (float32)
    same = x.dtype == t1.dtype == t2.dtype
    return Case(op, (x, t1, t2), {"value": value}, diff=(0, 1, 2) if same else (), seed=seed)


# ---------------------------------------------------------------------- statistics
@case
def quantile(draw):
    op = draw(st.sampled_from(["quantile", "nanquantile"]))
    # distinct values: the gradient at ties isn't determined
    x, seed = draw(tensors(mostly(st.sampled_from(["float64", "float64", "float32"]), "int64"),
                           "distinct", nan="one"))  # which NaN gets the gradient: unspecified
    rng = np.random.default_rng(seed)
    q_shape = draw(st.sampled_from([None, (), (1,), (3,), (0,)]))
    q = float(rng.uniform()) if q_shape is None else np.asarray(rng.uniform(size=q_shape),
                                                                 x.dtype)
    if q_shape is None and draw(RARELY):
        q = draw(st.sampled_from([0.0, 1.0, -0.5, 1.5]))
    if isinstance(q, np.ndarray) and q.size and draw(RARELY):
        q.reshape(-1)[0] = draw(st.sampled_from([0.0, 1.0, -0.5, 1.5]))
    if isinstance(q, np.ndarray) and draw(RARELY):
        q = q.reshape(-1, 1)  # 2-D: torch refuses
    kwargs = {"dim": draw(st.none() | dims(x.ndim)), "keepdim": draw(st.booleans()),
              "interpolation": draw(mostly(st.sampled_from(
                  ["linear", "lower", "higher", "midpoint", "nearest"]), "cubic"))}
    return Case(op, (x, q), kwargs, seed=seed)


@case
def cov(draw):
    x, seed = draw(tensors(st.sampled_from(["float64"] * 4 + ["float32", "int64"]),
                           shape=mostly(shapes(max_dims=2), (2, 2, 2))))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        return Case("corrcoef", (x,), seed=seed)
    n = x.shape[-1] if x.ndim else 1
    kwargs = {"correction": draw(st.sampled_from([1, 0, 2]))}
    # weights for two observations or more: with one, 0 / 0 (NaN in torch) becomes a rounding
    # error over 0 (inf) in gradix
    if n > 1 and draw(st.booleans()):
        kwargs["fweights"] = rng.integers(draw(mostly(st.just(0), -1)), 4,
                                          draw(mostly(st.just((n,)), (n + 1,))))
    if n > 1 and draw(st.booleans()):
        kwargs["aweights"] = np.asarray(rng.uniform(0.1, 2, draw(mostly(st.just((n,)),
                                                                        (n, 1)))))
    # torch fails inside its backward for a 0-d x with weights: no gradient for one
    return Case("cov", (x,), kwargs, diff=(0,) if x.ndim else (), seed=seed)


@case
def histc(draw):
    x, seed = draw(tensors(mostly(st.sampled_from(["float64", "float32"]), "int64"),
                           kind=draw(st.sampled_from(["normal", "ties"])), nan="one"))
    lo, hi = draw(st.sampled_from([(0, 0), (-1, 1), (-2, 2), (0.5, 0.5), (1, -1), (-1.5, 0)]))
    return Case("histc", (x,), {"bins": draw(mostly(st.integers(1, 6), 0, -1)), "min": lo,
                                "max": hi}, diff=(), seed=seed)


@case
def bincount(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    n = draw(st.integers(0, 6))
    x = rng.integers(draw(mostly(st.just(0), -1)), 5, draw(mostly(st.just((n,)), (), (2, 2))))
    if draw(RARELY):
        x = x.astype("float64")
    kwargs = {"minlength": draw(mostly(st.integers(0, 7), -1))}
    # torch's bincount of an empty x is int64 whatever the weights: weights only for n > 0
    if n and draw(st.booleans()):
        kwargs["weights"] = make_array(rng, draw(mostly(st.just(x.shape), (n + 1,))),
                                       draw(st.sampled_from(["float64", "float32", "int64"])))
    return Case("bincount", (x,), kwargs, diff=(), seed=seed)


@case
def isin(draw):
    (a, b), seed = draw(operands(kind="ties"))
    rng = np.random.default_rng(seed)
    b = make_array(rng, draw(SHAPES), b.dtype.name, "ties")
    if draw(RARELY):
        b = draw(st.sampled_from([1, 0.5, True]))
    elif draw(RARELY):
        a = draw(st.sampled_from([1, 0.5]))
    return Case("isin", (a, b), {"invert": draw(st.booleans())}, diff=(), seed=seed)


# ---------------------------------------------------------------------- indexing extras
@case
def scatter_reduce(draw):
    # distinct values: the gradient of amax/amin at ties isn't determined
    x, seed = draw(tensors(st.sampled_from(["float64"] * 3 + ["float32", "int64"]), "distinct"))
    dim = draw(dims(x.ndim))
    rng = np.random.default_rng(seed)
    shape = tuple(draw(st.integers(0, s)) for s in x.shape)
    n = size_along(x, dim)
    index = rng.integers(0, max(n, 1), shape)
    if index.size and x.size and draw(RARELY):
        index.reshape(-1)[0] = draw(st.sampled_from([-1, n]))
    src = make_array(rng, shape, draw(mostly(st.just(x.dtype.name), "float32")), "distinct")
    src = src + (1000 if src.dtype.kind == "f" else 0)  # no ties between src and x
    reduce = draw(st.sampled_from(["sum", "prod", "mean", "amax", "amin"]))
    return Case("scatter_reduce", (x, dim, index, src, reduce),
                {"include_self": draw(st.booleans())}, diff=(0, 3), seed=seed)


@case
def index_put(draw):
    x, seed = draw(tensors(shape=shapes(1)))
    rng = np.random.default_rng(seed)
    accumulate = draw(st.booleans())
    if draw(st.booleans()):  # one bool mask over x's first k dims
        k = draw(st.integers(1, x.ndim))
        indices = (make_array(rng, x.shape[:k], "bool"),)
        picked = int(indices[0].sum())
        rest = x.shape[k:]
        target = (picked,) + rest
    else:  # k integer index arrays of broadcastable shapes
        k = draw(st.integers(1, x.ndim))
        s = draw(hnp.mutually_broadcastable_shapes(num_shapes=k, max_dims=2, max_side=3))
        if accumulate:
            indices = tuple(rng.integers(0, max(n, 1), sh) for n, sh in
                            zip(x.shape, s.input_shapes))
        else:  # no repeated position (which write wins isn't determined): no broadcasting
            total = math.prod(x.shape[:k])
            size = min(math.prod(s.result_shape), total)
            shape = s.result_shape if size == math.prod(s.result_shape) else (size,)
            flat = rng.permutation(total)[:size].reshape(shape)
            indices = tuple(np.asarray(p, "int64") for p in np.unravel_index(flat, x.shape[:k]))
        if not math.prod(x.shape[:k]):
            indices = tuple(np.zeros((0,), "int64") for _ in range(k))
        elif x.size and draw(RARELY):  # torch reads no index into an empty x (README)
            first = indices[0].reshape(-1)
            if first.size:
                first[0] = x.shape[0]
        target = np.broadcast_shapes(*(i.shape for i in indices)) + x.shape[k:]
    # another dtype is refused, by torch only where some value is written and not for one
    # value put by a bool mask (a masked_fill that casts)
    mask = indices[0].dtype == bool and not accumulate
    values = make_array(rng, _broadcastable_to(draw, tuple(target)), draw(mostly(
        st.just(x.dtype.name), "float32")) if math.prod(target) and not mask else x.dtype.name)
    return Case(lambda m, x, v, *idx, accumulate: m.index_put(x, idx, v, accumulate),
                (x, values) + indices,
                {"accumulate": accumulate}, diff=(0, 1), seed=seed)


def _src_like(draw, rng, shape, dtype):
    if draw(RARELY):
        shape = tuple(shape[:-1]) + (shape[-1] + 1,) if shape else (1,)
    return make_array(rng, tuple(shape), dtype)


@case
def slice_scatter(draw):
    x, seed = draw(tensors(shape=VECTORS))
    rng = np.random.default_rng(seed)
    dim = draw(dims(x.ndim))
    n = size_along(x, dim)
    start = draw(st.none() | st.integers(-n - 1, n + 1))
    end = draw(st.none() | st.integers(-n - 1, n + 1))
    step = draw(mostly(st.integers(1, 3), 0))
    shape = list(x.shape)
    if x.ndim and -x.ndim <= dim < x.ndim and step > 0:
        shape[dim] = len(range(n)[slice(start, end, step)])
    src = _src_like(draw, rng, shape, x.dtype.name)
    return Case("slice_scatter", (x, src), {"dim": dim, "start": start, "end": end,
                                            "step": step}, diff=(0, 1), seed=seed)


@case
def select_scatter(draw):
    x, seed = draw(tensors(shape=VECTORS))
    rng = np.random.default_rng(seed)
    dim = draw(dims(x.ndim))
    n = size_along(x, dim)
    index = draw(mostly(st.integers(-n, n - 1) if n else st.just(0), n, -n - 1))
    shape = list(x.shape)
    if -x.ndim <= dim < x.ndim:
        del shape[dim]
    src = _src_like(draw, rng, shape, x.dtype.name)
    return Case("select_scatter", (x, src, dim, index), diff=(0, 1), seed=seed)


@case
def diagonal_scatter(draw):
    x, seed = draw(tensors(shape=mostly(shapes(2), (3,))))
    rng = np.random.default_rng(seed)
    offset = draw(st.integers(-4, 4))
    d1, d2 = draw(dim_pairs(x.ndim))
    try:
        shape = np.diagonal(x, offset, d1, d2).shape
    except (ValueError, np.exceptions.AxisError):
        shape = (1,)
    src = _src_like(draw, rng, shape, x.dtype.name)
    return Case("diagonal_scatter", (x, src, offset, d1, d2), diff=(0, 1), seed=seed)


@case
def renorm(draw):
    x, seed = draw(tensors(kind=draw(st.sampled_from(["nonzero", "ties"])), shape=VECTORS))
    p = draw(mostly(st.sampled_from([2, 1, 3, math.inf, 0.5]), 0, -1))
    maxnorm = draw(mostly(st.sampled_from([1.0, 0.5, 5.0, 0.0]), -1.0))
    return Case("renorm", (x, p, draw(dims(x.ndim)), maxnorm), seed=seed)


@case
def moveaxis(draw):
    x, seed = draw(tensors())
    if draw(st.booleans()):
        src, dst = draw(dims(x.ndim)), draw(dims(x.ndim))
    else:
        count = draw(st.integers(0, max(x.ndim, 1)))
        src = list(draw(st.permutations(range(max(x.ndim, 1)))))[:count]
        dst = list(draw(st.permutations(range(max(x.ndim, 1)))))[:count]
        if draw(RARELY):
            dst = dst[:-1]
        elif draw(RARELY) and src:
            src = src + src[:1]
    op = draw(st.sampled_from(["moveaxis", "movedim"]))
    return Case(op, (x, src, dst), seed=seed)


@case
def diagflat(draw):
    x, seed = draw(tensors(shape=shapes(max_dims=2)))
    return Case("diagflat", (x, draw(st.integers(-3, 3))), seed=seed)


@case
def put(draw):
    x, seed = draw(tensors())
    rng = np.random.default_rng(seed)
    accumulate = draw(st.booleans())
    n = x.size
    if accumulate:  # repeated indices add up; negative ones count from the end
        index = rng.integers(-n, max(n, 1), draw(shapes(max_dims=2))) if n else np.zeros(
            (0,), "int64")
    else:  # no repeated position: which write wins isn't determined
        index = rng.permutation(n)[:draw(st.integers(0, n))] - n * draw(st.booleans())
    if index.size and draw(RARELY):
        index.reshape(-1)[0] = n
    source = make_array(rng, draw(mostly(st.just(index.shape), (index.size + 1,))),
                        x.dtype.name)
    return Case("put", (x, np.asarray(index, "int64"), source),
                {"accumulate": accumulate}, diff=(0, 2), seed=seed)


@case
def trapezoid(draw):
    op = draw(st.sampled_from(["trapezoid", "cumulative_trapezoid"]))
    y, seed = draw(tensors(st.sampled_from(["float64"] * 3 + ["float32", "int64"]),
                           shape=VECTORS))
    rng = np.random.default_rng(seed)
    dim = draw(dims(y.ndim))
    how = draw(st.sampled_from(["none", "dx", "x 1-D", "x full"])) if (
        -y.ndim <= dim < y.ndim) else "none"
    if y.dtype == np.int64 and not size_along(y, dim):  # torch's result is then int64
        y = y.astype("float64")
    if how == "dx":
        return Case(lambda m, y, dx, dim: getattr(m, op)(y, dx=dx, dim=dim),
                    (y, draw(st.sampled_from([1, 0.5, -2])), dim), seed=seed)
    if how == "none":
        return Case(lambda m, y, dim: getattr(m, op)(y, dim=dim), (y, dim), seed=seed)
    n = size_along(y, dim)
    # a wrong number of x values only for samples: torch checks none where there are none
    x = rng.standard_normal((n + (n > 0 and draw(RARELY)),) if how == "x 1-D" else y.shape)
    x = np.sort(x, -1 if how == "x 1-D" else dim)
    return Case(lambda m, y, x, dim: getattr(m, op)(y, x, dim=dim), (y, x, dim), diff=(0, 1),
                seed=seed)


@case
def cartesian_prod(draw):
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    dtype = draw(st.sampled_from(["float64", "float64", "int64"]))
    arrays = tuple(make_array(rng, draw(mostly(shapes(1, 1), ())), dtype)
                   for _ in range(draw(st.integers(1, 3))))
    return Case(lambda m, *a: m.cartesian_prod(*a), arrays, diff=tuple(range(len(arrays))),
                seed=seed)


@case
def polygamma(draw):
    x, seed = draw(tensors(kind=draw(st.sampled_from(["normal", "ties"]))))
    if draw(st.booleans()):
        # torch refuses p < 1 and, for x <= (p - 1) / 2, any element there: positive x
        x = np.asarray(np.abs(x) + 0.75 if x.dtype.kind == "f" else np.abs(x) + 1, x.dtype)
        return Case("mvlgamma", (x, draw(mostly(st.integers(1, 3), 0))), seed=seed)
    # only n = 0 and no gradient: torch's polygamma(n >= 1, x) is off by 1e-10 relative (and
    # finite at the poles); the op table checks gradix's against SciPy
    return Case(lambda m, n, x: m.polygamma(n, x), (draw(mostly(st.just(0), -1)), x),
                diff=(), seed=seed)


@case
def binary_special(draw):
    op = draw(st.sampled_from(["copysign", "heaviside", "nextafter", "ldexp", "gcd", "lcm",
                               "xlogy"]))
    (a, b), seed = draw(operands(kind="ties" if op in ("gcd", "lcm", "heaviside") else
                                 "distinct"))
    if op == "ldexp" and b.dtype.kind in "ib":
        # an integer exponent of 0 or more: torch's gradient takes 2 ** -1 as 0 (gradix's is
        # right); no bool one: torch refuses it for a floating input only
        b = np.asarray(np.clip(b, 0, 4).astype("int64"))
    elif op == "ldexp" and a.dtype.kind == "f":  # torch computes 2 ** b in b's dtype alone
        b = b.astype(a.dtype)
    # heaviside and nextafter aren't differentiable: torch's output requires grad (and its
    # backward raises), gradix's doesn't
    return Case(op, (a, b), diff=() if op in ("heaviside", "nextafter") else (0, 1),
                seed=seed)


@case
def linalg_spd(draw):
    op = draw(st.sampled_from(["cholesky", "eigvalsh", "svdvals", "pinv"]))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    n = draw(st.integers(0, 3))
    shape = draw(shapes(max_dims=2)) + (n, n)
    a = _well_conditioned(rng, shape)
    if op in ("cholesky", "eigvalsh"):  # symmetric (positive-definite)
        a = (a + np.swapaxes(a, -1, -2)) / 2
    elif draw(st.booleans()):  # singular values of a non-square matrix
        a = rng.standard_normal(shape[:-1] + (n + 1,)) + 0.5
    if draw(RARELY):
        a = a.sum(-1)
    return Case(lambda m, a: getattr(m.linalg, op)(a), (a,), seed=seed)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name, data):
    check(data.draw(CASES[name], label=name))


# ---------------------------------------------------------------------- regressions
_F = np.array([0.25, -1.5])
REGRESSIONS = [
    # isin of bools: torch refuses them, gradix answered
    Case("isin", (np.array(2.0), np.array(False)), diff=()),
    Case("isin", (np.array([True]), np.array([1])), diff=()),
    # vector_norm of a 0-d x over dim -1 raised IndexError; over dim=() of an empty x, ord < 0
    # gave a value where torch raises
    Case(lambda m, x: m.linalg.vector_norm(x, 2, -1), (np.array(0.75),)),
    Case(lambda m, x: m.linalg.vector_norm(x, -1, ()), (np.zeros(0),)),
    # addcmul/addcdiv promoted pairwise: int64 tensor1 and a 0-d float64 tensor2 gave float32
    Case("addcmul", (np.array(0.25), np.array([-1]), np.array(0.5)), {"value": 0.5}, ()),
    Case("addcdiv", (np.array(0.25), np.array([-1]), np.array(0.5)), {"value": 0.5}, ()),
    # ldexp likewise: a 0-d float64 input with an int64 other gave float32
    Case("ldexp", (np.array(0.25), np.array([3])), diff=()),
    # cov: weights summing to 0 gave NaN (torch raises); a negative degree of freedom gave -inf
    # (-0 as the normalizer) where torch gives inf
    Case("cov", (_F,), {"fweights": np.array([0, 0])}),
    Case("cov", (_F,), {"correction": 2, "aweights": np.array([1.3, 0.6])}),
    # matrix_norm ord 1, inf and 2 of an empty matrix raised (torch: 0)
    Case(lambda m, a, o: m.linalg.matrix_norm(a, o), (np.zeros((1, 0)), 1), diff=()),
    Case(lambda m, a, o: m.linalg.matrix_norm(a, o), (np.zeros((0, 1)), math.inf), diff=()),
    Case(lambda m, a, o: m.linalg.matrix_norm(a, o), (np.zeros((2, 0, 3)), 2), diff=()),
    # mvlgamma of a bool tensor: torch refuses it
    Case("mvlgamma", (np.array([True]), 1)),
]


@pytest.mark.parametrize("i", range(len(REGRESSIONS)))
def test_regressions(i):
    check(REGRESSIONS[i])
