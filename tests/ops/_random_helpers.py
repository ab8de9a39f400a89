"""Helpers of the randomized differential tests against PyTorch (test_random_*_vs_torch.py):
``Case`` describes one call of an op in both libraries, ``check`` runs it in both and compares,
and the strategies draw shapes, dtypes, values and dims."""
import math
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gradix

# imported by the test modules from here: they skip as a whole without torch
torch = pytest.importorskip("torch", reason="needs PyTorch as the reference (not installed)")
# special values (log(0), NaN) make NumPy warn, and torch warns of var's correction >= N
WARNINGS = pytest.mark.filterwarnings(
    "ignore:(divide by zero|invalid value):RuntimeWarning",
    "ignore:.*degrees of freedom is <= 0:UserWarning")


@dataclass
class Case:
    """op(m, *args, **kwargs) for m in (gradix, torch): ``op`` names a function of both
    libraries or is a callable; NumPy arrays among args and kwargs become tensors, the float64
    ones at positions ``diff`` requiring grad."""
    op: object
    args: tuple
    kwargs: dict = field(default_factory=dict)
    diff: tuple = (0,)
    seed: int = 0  # for the upstream gradients


def _tensors(m, case):
    def convert(i, a):
        if not isinstance(a, np.ndarray):
            return a
        grad = i in case.diff and a.dtype == np.float64
        return m.tensor(a, requires_grad=grad) if m is gradix else torch.tensor(
            a, requires_grad=grad)
    args = [convert(i, a) for i, a in enumerate(case.args)]
    return args, {k: convert(None, a) for k, a in case.kwargs.items()}


def _call(m, case):
    """(outputs, the inputs that require grad) of case in library m."""
    args, kwargs = _tensors(m, case)
    if isinstance(case.op, str):
        out = getattr(m, case.op)(*args, **kwargs)
    else:
        out = case.op(m, *args, **kwargs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    return outs, [a for i, a in enumerate(args) if i in case.diff and
                  isinstance(a, (gradix.Tensor, torch.Tensor)) and a.requires_grad]


def _dtype(t):
    return t.dtype.name if isinstance(t, gradix.Tensor) else str(t.dtype).replace("torch.", "")


def _same(g, t, what, float32=False):
    """Same shape, dtype and values (to float32's precision if ``float32``)."""
    assert tuple(g.shape) == tuple(t.shape), (what, tuple(g.shape), tuple(t.shape))
    assert _dtype(g) == _dtype(t), (what, _dtype(g), _dtype(t))
    tol = 1e-5 if float32 or _dtype(t) == "float32" else 1e-10
    np.testing.assert_allclose(g.detach().numpy(), t.detach().numpy(), rtol=tol, atol=tol,
                               equal_nan=True, err_msg=what)


def check(case):
    """gradix raises where torch raises, else matches torch's outputs and gradients."""
    try:
        touts, tins = _call(torch, case)
    except Exception:  # noqa: BLE001  (whatever torch refuses, gradix must refuse too)
        with pytest.raises(Exception):  # noqa: B017
            _call(gradix, case)
        return
    gouts, gins = _call(gradix, case)
    for i, (g, t) in enumerate(zip(gouts, touts, strict=True)):
        _same(g, t, f"output {i}")
        assert g.requires_grad == t.requires_grad, f"output {i} requires_grad"
    pairs = [(g, t) for g, t in zip(gouts, touts) if t.requires_grad]
    if not pairs or not tins:
        return
    rng = np.random.default_rng(case.seed)
    ups = [rng.standard_normal(t.shape) for _, t in pairs]
    try:
        tgrads = torch.autograd.grad([t for _, t in pairs], tins,
                                     [torch.tensor(u) for u in ups], allow_unused=True)
    except RuntimeError:  # torch's backward negates a bool operand (atan2, lerp): no reference
        return
    ggrads = gradix.autograd.grad([g for g, _ in pairs], gins,
                                  [gradix.tensor(u) for u in ups], allow_unused=True)
    # torch computes the gradient of a float64 input partly in float32 where a float32 one
    # takes part (atan2's a * a), gradix in float64; and gradix rounds the upstream gradient of
    # a float32 output (sum(x, dtype=float32)) to float32, torch keeps it float64
    mixed = any(getattr(a, "dtype", None) == np.float32 for a in case.args) or any(
        t.dtype == torch.float32 for t in touts)
    for i, (g, t, x) in enumerate(zip(ggrads, tgrads, tins)):
        g = gradix.zeros(x.shape, dtype=gradix.float64) if g is None else g
        _same(g, torch.zeros_like(x) if t is None else t, f"gradient of input {i}", mixed)


# ---------------------------------------------------------------------- drawing inputs
SIZES = st.sampled_from([1, 2, 3, 4, 2, 3, 0])  # empty now and then, not half of the time


def shapes(min_dims=0, max_dims=4):
    return st.lists(SIZES, min_size=min_dims, max_size=max_dims).map(tuple)


SHAPES = shapes()
SEEDS = st.integers(0, 2 ** 32 - 1)
MOSTLY_FLOAT64 = st.sampled_from(["float64"] * 4 + ["float32", "int64", "bool"])


def make_array(rng, shape, dtype="float64", kind="normal"):
    """An array: ``kind`` "distinct" (no two equal), "ties" (small integers), "normal" or
    "nonzero" (|x| from 0.5 to 2, distinct)."""
    n = math.prod(shape)
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if kind == "distinct" or kind == "nonzero":
        a = rng.permutation(n) - (n // 2 if kind == "distinct" else 0)
        a = (a + rng.uniform(0.1, 0.9, n)) / 4 if dtype != "int64" else a
        if kind == "nonzero":
            a = (a / max(n, 1) * 1.5 + 0.5) * rng.choice([-1, 1], n)
    elif kind == "ties" or dtype == "int64":
        a = rng.integers(-2, 3, n)
    else:
        a = rng.standard_normal(n)
    return np.asarray(a, dtype).reshape(shape)


# Hypothesis draws the simplest choice (the first branch, the first element, 0) far more often
# than the others, so valid arguments come first and invalid ones are added sparingly.
RARELY = st.sampled_from([False] * 5 + [True])


@st.composite
def tensors(draw, dtypes=MOSTLY_FLOAT64, kind="normal", shape=SHAPES, nan=None):
    """(array, seed): values of ``kind`` in a drawn dtype and shape; now and then, for a
    floating dtype, NaN in ``nan`` ("one" or "some") of the places."""
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    x = make_array(rng, draw(shape), draw(dtypes), kind)
    if nan and x.dtype.kind == "f" and x.size and draw(RARELY):
        x.reshape(-1)[rng.integers(0, x.size, 1 if nan == "one" else x.size // 2 + 1)] = np.nan
    return x, seed


@st.composite
def mostly(draw, valid, *invalid):
    """``valid`` most of the time, else one of the values ``invalid``."""
    return draw(st.sampled_from(invalid)) if draw(RARELY) else draw(valid)


VECTORS = mostly(shapes(1), ())  # for ops that need one dimension or more
MATRICES = mostly(shapes(2), (), (3,))  # two or more


def dims(ndim, invalid=True):
    """A dimension of an ndim-dimensional tensor (0-d ones take 0 and -1), or now and then
    (with ``invalid``) one out of range."""
    n = max(ndim, 1)
    valid = st.sampled_from(range(-n, n))
    return mostly(valid, -n - 1, n) if invalid else valid


@st.composite
def dim_pairs(draw, ndim):
    """Two different dimensions of an ndim-dimensional tensor, or now and then any two."""
    if ndim < 2 or draw(RARELY):
        return draw(dims(ndim)), draw(dims(ndim))
    return tuple(d - ndim * draw(st.booleans()) for d in draw(st.permutations(range(ndim)))[:2])


def dim_lists(ndim, min_size=0):
    """Up to three dims, now and then one named twice (as d and d - ndim)."""
    return st.lists(dims(ndim), min_size=min_size, max_size=3, unique=True)


def size_along(x, dim):
    """x's size along dim, if dim is valid."""
    n = max(x.ndim, 1)
    return (x.shape[dim] if x.ndim else 1) if -n <= dim < n else 0


def reduce_dims(draw, x, min_size=0):
    """None, one dim, or a tuple of at least ``min_size`` dims."""
    return draw(st.none() | dims(x.ndim) | dim_lists(x.ndim, min_size).map(tuple))


# ---------------------------------------------------------------------- broadcasting binary
BINARY_DTYPES = st.sampled_from(["float64"] * 6 + ["float32", "int64", "bool"])


@st.composite
def operands(draw, count=2, mixed=True, kind="distinct"):
    """(``count`` arrays, seed): mutually broadcastable shapes, each its own dtype (with
    ``mixed`` False, the first one's but now and then), values distinct across all of them
    (no ties), or with ``kind`` "ties" small integers."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=count, max_dims=4, max_side=4))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    sizes = [math.prod(s) for s in shapes.input_shapes]
    pool = make_array(rng, (sum(sizes),), "float64", kind)
    out, start, first = [], 0, draw(BINARY_DTYPES)
    for shape, size in zip(shapes.input_shapes, sizes):
        dtype = draw(BINARY_DTYPES) if out and (mixed or draw(RARELY)) else first
        a = pool[start:start + size].reshape(shape)
        out.append(a * 4 // 1 if dtype == "int64" else a > 0 if dtype == "bool" else a)
        out[-1] = np.asarray(out[-1], dtype)
        start += size
    return out, seed


def case_registry():
    """(cases, case): a dict of composite strategies of Cases, and the decorator that adds one
    to it under its function's name."""
    cases = {}

    def case(fn):
        cases[fn.__name__] = st.composite(fn)()
        return fn
    return cases, case
