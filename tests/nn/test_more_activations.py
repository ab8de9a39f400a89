"""More of torch.nn.functional and its modules against PyTorch: SELU, CELU, Mish, hard sigmoid
and swish, softsign, the shrinks, threshold, softmin, GLU, PReLU, RReLU, normalize, cosine
similarity, pairwise distance and the ranking, embedding and likelihood losses.

Forward and input gradients (random upstream gradient) against torch in float64 and float32,
finite differences of first and second order, 0-d / empty / broadcast shapes, the values and
gradients torch gives at the kinks, module reprs and parameters, and the errors torch raises."""
import warnings

import numpy as np
import pytest

import gradix
import gradix.nn as nn
import gradix.nn.functional as F

from .torch_compare import check_gradcheck, check_vs_torch


def away(x, kinks, gap=0.1):
    """x moved at least ``gap`` away from each kink (finite differences need smooth points)."""
    for k in kinks:
        near = np.abs(x - k) < gap
        x = np.where(near, k + np.where(x >= k, gap, -gap) * 2, x)
    return x


def normal(shape=(3, 4, 5), scale=3.0, kinks=(), seed=0):
    return away(np.random.default_rng(seed).standard_normal(shape) * scale, kinks)


# ---------------------------------------------------------------------- one-input activations
def _hardsigmoid_exact(T, x):
    """torch's hardsigmoid with an exact gradient: torch's own kernel multiplies by 1/6 rounded
    to float32 even in float64 (see test_torch_hardsigmoid_gradient_rounds_one_sixth)."""
    import torch
    return torch.where((x > -3) & (x < 3), (x + 3) / 6, T.hardsigmoid(x).detach())


# name -> (gradix fn, torch fn of (torch.nn.functional, x), kinks to keep away from)
UNARY = {
    "selu": (F.selu, lambda T, x: T.selu(x), [0]),
    "celu": (F.celu, lambda T, x: T.celu(x), [0]),
    "celu_alpha0.5": (lambda x: F.celu(x, 0.5), lambda T, x: T.celu(x, 0.5), [0]),
    "celu_alpha-2": (lambda x: F.celu(x, alpha=-2.0), lambda T, x: T.celu(x, alpha=-2.0), [0]),
    "mish": (F.mish, lambda T, x: T.mish(x), []),
    "hardswish": (F.hardswish, lambda T, x: T.hardswish(x), [-3, 3]),
    "hardsigmoid": (F.hardsigmoid, _hardsigmoid_exact, [-3, 3]),
    "softsign": (F.softsign, lambda T, x: T.softsign(x), [0]),
    "tanhshrink": (F.tanhshrink, lambda T, x: T.tanhshrink(x), []),
    "hardshrink": (F.hardshrink, lambda T, x: T.hardshrink(x), [-0.5, 0.5]),
    "hardshrink_1.5": (lambda x: F.hardshrink(x, 1.5), lambda T, x: T.hardshrink(x, 1.5),
                       [-1.5, 1.5]),
    "softshrink": (F.softshrink, lambda T, x: T.softshrink(x), [-0.5, 0.5]),
    "softshrink_1.5": (lambda x: F.softshrink(x, lambd=1.5),
                       lambda T, x: T.softshrink(x, lambd=1.5), [-1.5, 1.5]),
    "threshold": (lambda x: F.threshold(x, 0.7, -2.0), lambda T, x: T.threshold(x, 0.7, -2.0),
                  [0.7]),
    "softmin_dim0": (lambda x: F.softmin(x, 0), lambda T, x: T.softmin(x, 0), []),
    "softmin_dim-1": (lambda x: F.softmin(x, dim=-1), lambda T, x: T.softmin(x, dim=-1), []),
    "glu": (F.glu, lambda T, x: T.glu(x), []),
    "glu_dim0": (lambda x: F.glu(x, 0), lambda T, x: T.glu(x, 0), []),
    "rrelu_eval": (F.rrelu, lambda T, x: T.rrelu(x), [0]),
    "rrelu_eval_0.2_0.4": (lambda x: F.rrelu(x, 0.2, 0.4), lambda T, x: T.rrelu(x, 0.2, 0.4),
                           [0]),
    "logsigmoid": (F.logsigmoid, lambda T, x: T.logsigmoid(x), []),
    "normalize": (F.normalize, lambda T, x: T.normalize(x), []),
    "normalize_p1_dim0": (lambda x: F.normalize(x, 1, 0), lambda T, x: T.normalize(x, 1, 0), []),
    "normalize_p3_dim-1": (lambda x: F.normalize(x, p=3.0, dim=-1),
                           lambda T, x: T.normalize(x, p=3.0, dim=-1), []),
}
SHAPES = {"glu": (3, 4, 6), "glu_dim0": (4, 3)}


def _unary_input(name):
    return normal(SHAPES.get(name, (3, 4, 5)), kinks=UNARY[name][2], seed=len(name))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", UNARY)
def test_unary_matches_torch(name, dtype):
    torch = pytest.importorskip("torch")
    gfn, tfn, _ = UNARY[name]
    check_vs_torch(gfn, lambda x: tfn(torch.nn.functional, x), [_unary_input(name)], dtype)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name", UNARY)
def test_unary_gradcheck(name, order):
    check_gradcheck(UNARY[name][0], [_unary_input(name)], order=order)


ELEMENTWISE = [n for n in UNARY if not n.startswith(("softmin", "glu", "normalize"))]


@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (1,)])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_unary_0d_empty_and_size_one(name, shape):
    torch = pytest.importorskip("torch")
    gfn, tfn, kinks = UNARY[name]
    check_vs_torch(gfn, lambda x: tfn(torch.nn.functional, x),
                   [normal(shape, kinks=kinks, seed=1)], "float64")


KINKS = np.array([-3.0, -1.5, -0.7, -0.5, 0.0, 0.5, 0.7, 1.5, 3.0, -1e300, 1e300, 800.0,
                  -800.0])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_values_and_gradients_at_the_kinks_and_extremes_match_torch(name):
    """Exactly at the kinks (and at huge |x|) gradix gives torch's values and one-sided
    gradients."""
    torch = pytest.importorskip("torch")
    gfn, tfn, _ = UNARY[name]
    with np.errstate(all="ignore"):
        check_vs_torch(gfn, lambda x: tfn(torch.nn.functional, x), [KINKS], "float64")


@pytest.mark.parametrize("shape, dim", [((0, 4), 1), ((0, 4), 0), ((3, 0), 1), ((), 0),
                                        ((1,), 0)])
@pytest.mark.parametrize("fn", ["softmin", "normalize", "glu"])
def test_along_dim_0d_and_empty(fn, shape, dim):
    torch = pytest.importorskip("torch")
    tfn = getattr(torch.nn.functional, fn)
    x = normal(shape, seed=2)
    try:
        tfn(torch.tensor(x), dim=dim)
    except RuntimeError:  # glu of 0-d or of an odd size: tested with the errors
        with pytest.raises(ValueError, match="glu"):
            getattr(F, fn)(gradix.tensor(x), dim=dim)
        return
    check_vs_torch(lambda t: getattr(F, fn)(t, dim=dim), lambda t: tfn(t, dim=dim), [x],
                   "float64")


def test_normalize_of_a_zero_vector_matches_torch():
    torch = pytest.importorskip("torch")
    x = np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 2.0], [1e-13, 0.0, -1e-13]])
    check_vs_torch(lambda t: F.normalize(t, dim=1), lambda t: torch.nn.functional.normalize(t),
                   [x], "float64")


def test_softmin_dtype_and_implicit_dim_like_torch():
    torch = pytest.importorskip("torch")
    x = normal((2, 3), seed=3).astype(np.float32)
    check_vs_torch(lambda t: F.softmin(t, 1, dtype=gradix.float64),
                   lambda t: torch.nn.functional.softmin(t, 1, dtype=torch.float64), [x],
                   "float32")
    with pytest.warns(UserWarning, match="implicit dimension"):
        y = F.softmin(gradix.tensor(x))
    np.testing.assert_allclose(y.numpy(), torch.nn.functional.softmin(torch.tensor(x), 1),
                               rtol=1e-6)


def test_torch_hardsigmoid_gradient_rounds_one_sixth():
    """gradix's gradient is exactly 1/6 inside (-3, 3), 0 elsewhere; torch's float64 kernel
    uses float32(1/6), which is why the comparisons above use an exact torch composite."""
    torch = pytest.importorskip("torch")
    x = np.array([-4.0, -3.0, -1.0, 0.0, 2.5, 3.0, 7.0])
    v = np.random.default_rng(0).standard_normal(x.shape)
    inside = (x > -3) & (x < 3)
    gx = gradix.tensor(x, requires_grad=True)
    F.hardsigmoid(gx).backward(gradix.tensor(v))
    np.testing.assert_array_equal(gx.grad.numpy(), np.where(inside, v / 6, 0))
    tx = torch.tensor(x, requires_grad=True)
    torch.nn.functional.hardsigmoid(tx).backward(torch.tensor(v))
    np.testing.assert_allclose(tx.grad.numpy(), np.where(inside, v * float(np.float32(1 / 6)), 0),
                               rtol=1e-15)


def test_inplace_flags_are_accepted_and_leave_the_input_alone():
    x = gradix.tensor(normal((3, 4), kinks=[0, -3, 3, 0.7], seed=4))
    before = x.numpy().copy()
    for fn, args in [(F.selu, ()), (F.celu, (1.0,)), (F.mish, ()), (F.hardswish, ()),
                     (F.hardsigmoid, ()), (F.threshold, (0.7, 0.0)),
                     (F.rrelu, (0.1, 0.3, False))]:
        np.testing.assert_array_equal(fn(x, *args, inplace=True).numpy(), fn(x, *args).numpy())
    np.testing.assert_array_equal(x.numpy(), before)


# ---------------------------------------------------------------------- dtypes and errors
@pytest.mark.parametrize("name", ["selu", "celu", "mish", "hardswish", "hardsigmoid",
                                  "hardshrink", "softshrink", "glu", "prelu", "rrelu",
                                  "normalize"])
def test_integer_inputs_are_refused_like_torch(name):
    torch = pytest.importorskip("torch")
    args = (torch.tensor([1, 2]),) + ((torch.tensor([1]),) if name == "prelu" else ())
    with pytest.raises((NotImplementedError, RuntimeError)):
        getattr(torch.nn.functional, name)(*args)
    gargs = (gradix.tensor([1, 2]),) + ((gradix.tensor([1]),) if name == "prelu" else ())
    with pytest.raises(NotImplementedError, match=f"{name}: not implemented for gradix.int64"):
        getattr(F, name)(*gargs)


@pytest.mark.parametrize("name, args", [("softsign", ()), ("tanhshrink", ()),
                                        ("threshold", (1.5, 0.5)), ("threshold", (-1.5, 9)),
                                        ("threshold", (0, 7))])
def test_integer_inputs_accepted_like_torch(name, args):
    torch = pytest.importorskip("torch")
    x = np.array([-3, -1, 0, 1, 2, 5])
    got = getattr(F, name)(gradix.tensor(x), *args)
    want = getattr(torch.nn.functional, name)(torch.tensor(x), *args)
    assert str(got.dtype) == str(want.dtype).removeprefix("torch.")
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["softsign", "threshold"])
def test_bools_are_refused(name):
    args = (0, 0) if name == "threshold" else ()
    with pytest.raises(NotImplementedError, match=f"{name}: not implemented for gradix.bool"):
        getattr(F, name)(gradix.tensor([True, False]), *args)


def test_argument_errors():
    x = gradix.zeros(2, 3)
    with pytest.raises(ValueError, match="celu: alpha cannot be 0"):
        F.celu(x, 0.0)
    with pytest.raises(ValueError, match="softshrink: lambd must be at least 0, got -1"):
        F.softshrink(x, -1.0)
    with pytest.raises(ValueError, match="glu: halving dimension must be even, but dimension 1 "
                                         "has size 3"):
        F.glu(x, 1)
    with pytest.raises(ValueError, match="glu: does not support 0-d"):
        F.glu(gradix.tensor(1.0))
    with pytest.raises(IndexError, match="glu: dimension out of range"):
        F.glu(x, 2)
    with pytest.raises(IndexError, match="softmin: dimension out of range"):
        F.softmin(x, 2)
    with pytest.raises(IndexError, match="normalize: dimension out of range"):
        F.normalize(gradix.zeros(3))
    with pytest.raises(ValueError, match=r"rrelu: lower \(0.5\) must not exceed upper \(0.1\)"):
        F.rrelu(x, 0.5, 0.1)
    with pytest.raises(ValueError, match="Hardtanh: min_val"):
        nn.Hardtanh(1.0, -1.0)


# ---------------------------------------------------------------------- PReLU
@pytest.mark.parametrize("xshape, wshape", [((3, 4, 5), (1,)), ((3, 4, 5), (4,)), ((3, 4), (4,)),
                                            ((3, 4), ()), ((5,), (1,)), ((), (1,)), ((), ()),
                                            ((0, 4), (4,)), ((2, 3, 0), (3,))])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_prelu_matches_torch(xshape, wshape, dtype):
    torch = pytest.importorskip("torch")
    x = normal(xshape, kinks=[0], seed=5)
    w = np.random.default_rng(6).uniform(-0.5, 0.5, wshape)
    check_vs_torch(F.prelu, torch.nn.functional.prelu, [x, w], dtype)
    if dtype == "float64" and x.size:
        check_gradcheck(F.prelu, [x, w])
        check_gradcheck(F.prelu, [x, w], order=2)


def test_prelu_at_zero_and_as_a_tensor_method():
    torch = pytest.importorskip("torch")
    x, w = np.array([-1.0, 0.0, 2.0]), np.array([0.3])
    check_vs_torch(F.prelu, torch.nn.functional.prelu, [x, w], "float64")
    np.testing.assert_array_equal(gradix.tensor(x).prelu(gradix.tensor(w)).numpy(),
                                  F.prelu(gradix.tensor(x), gradix.tensor(w)).numpy())
    np.testing.assert_array_equal(gradix.tensor(x).hardshrink(0.9).numpy(), [-1, 0, 2])
    np.testing.assert_array_equal(gradix.tensor(x).hardshrink(1.0).numpy(), [0, 0, 2])


def test_prelu_errors():
    x = gradix.zeros(2, 3)
    with pytest.raises(ValueError, match=r"prelu: weight has 2 parameters but the input has 3 "
                                         r"channels"):
        F.prelu(x, gradix.zeros(2))
    with pytest.raises(ValueError, match="weight has 3 parameters but the input has 1"):
        F.prelu(gradix.zeros(3), gradix.zeros(3))
    with pytest.raises(ValueError, match=r"prelu: weight must be 0-d or 1-D, got shape \(3, 1\)"):
        F.prelu(x, gradix.zeros(3, 1))


@pytest.mark.parametrize("num, init", [(1, 0.25), (3, -0.1)])
def test_prelu_module_learns_its_weight_like_torch(num, init):
    torch = pytest.importorskip("torch")
    gm, tm = nn.PReLU(num, init).double(), torch.nn.PReLU(num, init).double()
    assert repr(gm) == repr(tm)
    assert isinstance(gm.weight, nn.Parameter) and list(gm.state_dict()) == ["weight"]
    np.testing.assert_array_equal(gm.weight.detach().numpy(), tm.weight.detach().numpy())
    x = normal((2, 3, 4), kinks=[0], seed=7)
    v = np.random.default_rng(8).standard_normal(x.shape)
    gx, tx = gradix.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    gm(gx).backward(gradix.tensor(v))
    tm(tx).backward(torch.tensor(v))
    np.testing.assert_allclose(gm.weight.grad.numpy(), tm.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(gx.grad.numpy(), tx.grad.numpy(), rtol=1e-10)
    assert gradix.autograd.gradcheck(lambda w: F.prelu(gradix.tensor(x), w),
                                     [gradix.tensor(gm.weight.detach().numpy(),
                                                    requires_grad=True)])


def test_prelu_module_dtype():
    assert nn.PReLU(2, dtype=gradix.float64).weight.dtype == gradix.float64
    assert nn.PReLU().weight.dtype == gradix.float32


# ---------------------------------------------------------------------- RReLU in training
def test_rrelu_training_draws_slopes_in_range_reproducibly():
    x = gradix.tensor(-np.ones(20000))
    gradix.manual_seed(0)
    y = F.rrelu(x, 0.1, 0.3, training=True).numpy()
    slopes = -y
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3
    assert abs(slopes.mean() - 0.2) < 0.003 and abs(slopes.std() - 0.2 / 12 ** 0.5) < 0.003
    gradix.manual_seed(0)
    np.testing.assert_array_equal(F.rrelu(x, 0.1, 0.3, training=True).numpy(), y)
    pos = gradix.tensor([0.5, 2.0], requires_grad=True)
    out = F.rrelu(pos, training=True)
    np.testing.assert_array_equal(out.detach().numpy(), [0.5, 2.0])


def test_rrelu_training_gradient_is_the_drawn_slope():
    x = gradix.tensor(np.array([-1.0, -2.0, 0.0, 3.0]), requires_grad=True)
    y = F.rrelu(x, 0.1, 0.3, training=True)
    y.sum().backward()
    slopes = y.detach().numpy()[:2] / x.detach().numpy()[:2]
    np.testing.assert_allclose(x.grad.numpy()[:2], slopes)
    assert 0.1 <= x.grad.numpy()[2] <= 0.3 and x.grad.numpy()[3] == 1


def test_rrelu_module_trains_randomly_and_evaluates_like_torch():
    torch = pytest.importorskip("torch")
    gm, tm = nn.RReLU(0.1, 0.3), torch.nn.RReLU(0.1, 0.3)
    assert repr(gm) == repr(tm)
    x = -np.ones(1000)
    y = gm(gradix.tensor(x)).numpy()
    assert len(np.unique(y)) > 900 and ((-y >= 0.1) & (-y <= 0.3)).all()
    gm.eval()
    tm.eval()
    check_vs_torch(gm, tm, [normal((3, 4), kinks=[0])], "float64")


# ---------------------------------------------------------------------- modules
MODULES = [("SELU", ()), ("SELU", (True,)), ("CELU", ()), ("CELU", (2.0, True)), ("Mish", ()),
           ("Mish", (True,)), ("Hardswish", ()), ("Hardswish", (True,)), ("Hardsigmoid", ()),
           ("Hardsigmoid", (True,)), ("Hardtanh", ()), ("Hardtanh", (-2.0, 3.0)),
           ("Hardtanh", (-2.0, 3.0, True)), ("ReLU6", ()), ("ReLU6", (True,)), ("Softsign", ()),
           ("Tanhshrink", ()), ("Hardshrink", ()), ("Hardshrink", (1.5,)), ("Softshrink", ()),
           ("Softshrink", (0.3,)), ("Threshold", (0.7, -2.0)), ("Threshold", (0.7, 2.0, True)),
           ("Softmin", (1,)), ("Softmin", (-1,)), ("GLU", ()), ("GLU", (0,)), ("LogSigmoid", ()),
           ("RReLU", ()), ("RReLU", (0.2, 0.4, True))]


@pytest.mark.parametrize("name, args", MODULES, ids=[f"{n}{a}" for n, a in MODULES])
def test_module_matches_torch(name, args):
    torch = pytest.importorskip("torch")
    gm, tm = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    gm.eval()
    tm.eval()  # RReLU: the deterministic mode
    assert repr(gm) == repr(tm)
    if name == "Hardsigmoid":  # torch's gradient is rounded (see _hardsigmoid_exact)
        tm = lambda t: _hardsigmoid_exact(torch.nn.functional, t)  # noqa: E731
    x = normal((4, 6), kinks=[0, 0.3, 0.5, 0.7, 1.5, -3, 3, -2, -1, 1], seed=9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a module with an explicit dim must not warn
        check_vs_torch(gm, lambda t: tm(t.clone()), [x], "float64")


def test_softmin_module_without_dim_repr_and_warns():
    torch = pytest.importorskip("torch")
    assert repr(nn.Softmin()) == repr(torch.nn.Softmin())
    with pytest.warns(UserWarning, match="implicit dimension"):
        nn.Softmin()(gradix.zeros(2, 3))


# ---------------------------------------------------------------------- distances
PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (3, 5)), ((2, 3, 4), (3, 4)), ((5,), (5,)),
         ((), ()), ((0, 4), (0, 4)), ((1, 4), (3, 1))]


@pytest.mark.parametrize("kw", [{}, {"dim": 0}, {"dim": -1, "eps": 1e-3}])
@pytest.mark.parametrize("shapes", PAIRS, ids=str)
def test_cosine_similarity_matches_torch(shapes, kw):
    torch = pytest.importorskip("torch")
    arrays = [normal(s, seed=i + 10) for i, s in enumerate(shapes)]
    ndim = max(len(s) for s in shapes)
    if kw.get("dim", 1) >= max(ndim, 1):
        with pytest.raises(IndexError):
            torch.cosine_similarity(*map(torch.tensor, arrays), **kw)
        with pytest.raises(IndexError, match="cosine_similarity: dimension out of range"):
            F.cosine_similarity(*map(gradix.tensor, arrays), **kw)
        return
    for dtype in ("float64", "float32"):
        check_vs_torch(lambda a, b: F.cosine_similarity(a, b, **kw),
                       lambda a, b: torch.cosine_similarity(a, b, **kw), arrays, dtype)
    if all(a.size for a in arrays):
        check_gradcheck(lambda a, b: F.cosine_similarity(a, b, **kw), arrays)
        check_gradcheck(lambda a, b: F.cosine_similarity(a, b, **kw), arrays, order=2)


def test_cosine_similarity_of_tiny_and_zero_vectors_matches_torch():
    """A norm below eps counts as eps, the gradient passing through it unclamped (torch)."""
    torch = pytest.importorskip("torch")
    x1 = np.array([[1e-9, 2e-9], [0.0, 0.0], [1.0, 2.0]])
    x2 = np.array([[1.0, 3.0], [1.0, 3.0], [1e-10, 0.0]])
    check_vs_torch(F.cosine_similarity, torch.cosine_similarity, [x1, x2], "float64")


@pytest.mark.parametrize("kw", [{}, {"p": 1.0}, {"p": 3.0, "eps": 1e-3}, {"keepdim": True},
                                {"p": float("inf")}])
@pytest.mark.parametrize("shapes", PAIRS, ids=str)
def test_pairwise_distance_matches_torch(shapes, kw):
    torch = pytest.importorskip("torch")
    arrays = [normal(s, seed=i + 20) for i, s in enumerate(shapes)]
    for dtype in ("float64", "float32"):
        check_vs_torch(lambda a, b: F.pairwise_distance(a, b, **kw),
                       lambda a, b: torch.pairwise_distance(a, b, **kw), arrays, dtype)
    if all(a.size for a in arrays) and kw.get("p") != float("inf"):
        check_gradcheck(lambda a, b: F.pairwise_distance(a, b, **kw), arrays)
        check_gradcheck(lambda a, b: F.pairwise_distance(a, b, **kw), arrays, order=2)


def test_distances_of_mixed_and_integer_dtypes_like_torch():
    torch = pytest.importorskip("torch")
    a, b = np.array([[1, 2, 3], [0, 1, 0]]), np.array([0.5, 1.0, -1.0])
    for fn in ("cosine_similarity", "pairwise_distance"):
        got = getattr(F, fn)(gradix.tensor(a), gradix.tensor(b, dtype=gradix.float32))
        want = getattr(torch, fn)(torch.tensor(a), torch.tensor(b, dtype=torch.float32))
        assert str(got.dtype) == str(want.dtype).removeprefix("torch.")
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)
    with pytest.raises(NotImplementedError,
                       match="cosine_similarity: not implemented for gradix.int64"):
        F.cosine_similarity(gradix.tensor(a), gradix.tensor(a))
    with pytest.raises(ValueError, match=r"cosine_similarity: x1 of shape \(2, 3\) and x2 of "
                                         r"shape \(4, 3\) can't be broadcast"):
        F.cosine_similarity(gradix.zeros(2, 3), gradix.zeros(4, 3))
    with pytest.raises(NotImplementedError, match="normalize: out= is not supported"):
        F.normalize(gradix.zeros(2, 3), out=gradix.zeros(2, 3))


@pytest.mark.parametrize("name, args, kw", [("CosineSimilarity", (), {}),
                                            ("CosineSimilarity", (0, 1e-3), {}),
                                            ("PairwiseDistance", (), {}),
                                            ("PairwiseDistance", (1.0,), {"keepdim": True})])
def test_distance_modules_match_torch(name, args, kw):
    torch = pytest.importorskip("torch")
    gm, tm = getattr(nn, name)(*args, **kw), getattr(torch.nn, name)(*args, **kw)
    assert repr(gm) == repr(tm)
    check_vs_torch(gm, tm, [normal((4, 5), seed=30), normal((4, 5), seed=31)], "float64")


# ---------------------------------------------------------------------- losses
def _sign(shape, seed):
    return np.where(np.random.default_rng(seed).random(shape) < 0.5, -1.0, 1.0)


def _counts(shape, seed):
    return np.random.default_rng(seed).poisson(2.0, shape).astype(float)


def _positive(shape, seed):
    return np.random.default_rng(seed).uniform(0.3, 3.0, shape)


def _rates(shape, seed):
    """Positive targets away from 1, where the full Poisson loss's Stirling term switches on."""
    return away(_positive(shape, seed), [1])


# name -> (gradix fn, torch fn(T, *tensors, **kw), [(input maker, shape)], differentiable
# inputs); every case runs with each reduction
LOSSES = {
    "margin_ranking": (lambda a, b, t, **k: F.margin_ranking_loss(a, b, t, 0.3, **k),
                       lambda T, a, b, t, **k: T.margin_ranking_loss(a, b, t, 0.3, **k),
                       [(normal, (6,)), (normal, (6,)), (_sign, (6,))], [0, 1]),
    "margin_ranking_broadcast": (F.margin_ranking_loss, lambda T, *a, **k:
                                 T.margin_ranking_loss(*a, **k),
                                 [(normal, (3, 4)), (normal, (1, 4)), (_sign, (3, 1))], [0, 1]),
    "margin_ranking_0d": (F.margin_ranking_loss, lambda T, *a, **k: T.margin_ranking_loss(*a, **k),
                          [(normal, ()), (normal, ()), (_sign, ())], [0, 1]),
    "soft_margin": (F.soft_margin_loss, lambda T, *a, **k: T.soft_margin_loss(*a, **k),
                    [(normal, (3, 4)), (_sign, (3, 4))], [0]),
    "soft_margin_0d": (F.soft_margin_loss, lambda T, *a, **k: T.soft_margin_loss(*a, **k),
                       [(normal, ()), (_sign, ())], [0]),  # torch: no target gradient
    "cosine_embedding": (lambda a, b, t, **k: F.cosine_embedding_loss(a, b, t, 0.2, **k),
                         lambda T, a, b, t, **k: T.cosine_embedding_loss(a, b, t, 0.2, **k),
                         [(normal, (5, 4)), (normal, (5, 4)), (_sign, (5,))], [0, 1]),
    "cosine_embedding_1d": (F.cosine_embedding_loss,
                            lambda T, *a, **k: T.cosine_embedding_loss(*a, **k),
                            [(normal, (4,)), (normal, (4,)), (_sign, ())], [0, 1]),
    "triplet": (F.triplet_margin_loss, lambda T, *a, **k: T.triplet_margin_loss(*a, **k),
                [(normal, (5, 4)), (normal, (5, 4)), (normal, (5, 4))], [0, 1, 2]),
    "triplet_p1_swap": (lambda a, b, c, **k: F.triplet_margin_loss(a, b, c, 2.0, 1, swap=True,
                                                                     **k),
                        lambda T, a, b, c, **k: T.triplet_margin_loss(a, b, c, 2.0, 1,
                                                                      swap=True, **k),
                        [(normal, (5, 4)), (normal, (5, 4)), (normal, (5, 4))], [0, 1, 2]),
    "triplet_1d_swap": (lambda a, b, c, **k: F.triplet_margin_loss(a, b, c, 3.0, swap=True,
                                                                     eps=1e-3, **k),
                        lambda T, a, b, c, **k: T.triplet_margin_loss(a, b, c, 3.0, swap=True,
                                                                      eps=1e-3, **k),
                        [(normal, (4,)), (normal, (4,)), (normal, (4,))], [0, 1, 2]),
    "poisson": (F.poisson_nll_loss, lambda T, *a, **k: T.poisson_nll_loss(*a, **k),
                [(lambda s, seed: normal(s, 1.0, seed=seed), (3, 4)), (_counts, (3, 4))], [0, 1]),
    "poisson_full": (lambda a, t, **k: F.poisson_nll_loss(a, t, full=True, **k),
                     lambda T, a, t, **k: T.poisson_nll_loss(a, t, full=True, **k),
                     [(lambda s, seed: normal(s, 1.0, seed=seed), (3, 4)), (_rates, (4,))],
                     [0, 1]),
    "poisson_rate_full": (lambda a, t, **k: F.poisson_nll_loss(a, t, False, True, eps=1e-3,
                                                               **k),
                          lambda T, a, t, **k: T.poisson_nll_loss(a, t, False, True, eps=1e-3,
                                                                  **k),
                          [(_positive, (3, 4)), (_rates, (3, 4))], [0, 1]),
    "gaussian": (F.gaussian_nll_loss, lambda T, *a, **k: T.gaussian_nll_loss(*a, **k),
                 [(normal, (3, 4)), (normal, (3, 4)), (_positive, (3, 4))], [0, 1, 2]),
    "gaussian_full_shared_last": (
        lambda a, t, v, **k: F.gaussian_nll_loss(a, t, v, True, **k),
        lambda T, a, t, v, **k: T.gaussian_nll_loss(a, t, v, True, **k),
        [(normal, (3, 4)), (normal, (4,)), (_positive, (3,))], [0, 1, 2]),
    "gaussian_size1_dim": (F.gaussian_nll_loss, lambda T, *a, **k: T.gaussian_nll_loss(*a, **k),
                           [(normal, (3, 4, 2)), (normal, (3, 4, 2)), (_positive, (3, 1, 2))],
                           [0, 1, 2]),
    "gaussian_0d": (F.gaussian_nll_loss, lambda T, *a, **k: T.gaussian_nll_loss(*a, **k),
                    [(normal, ()), (normal, ()), (_positive, ())], [0, 1, 2]),
}
REDUCTIONS = ["mean", "sum", "none"]


def _loss_inputs(name):
    return [make(shape, seed=i + len(name)) for i, (make, shape) in enumerate(LOSSES[name][2])]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", LOSSES)
def test_loss_matches_torch(name, reduction, dtype):
    torch = pytest.importorskip("torch")
    gfn, tfn, _, grad = LOSSES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of these losses warns about broadcasting
        check_vs_torch(lambda *a: gfn(*a, reduction=reduction),
                       lambda *a: tfn(torch.nn.functional, *a, reduction=reduction),
                       _loss_inputs(name), dtype, grad=grad)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_loss_gradcheck(name, reduction, order):
    gfn, _, _, grad = LOSSES[name]
    check_gradcheck(lambda *a: gfn(*a, reduction=reduction), _loss_inputs(name), grad=grad,
                    order=order)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["margin_ranking", "soft_margin", "cosine_embedding", "triplet",
                                  "poisson", "gaussian"])
def test_loss_of_empty_batches_like_torch(name, reduction):
    torch = pytest.importorskip("torch")
    gfn, tfn, makers, grad = LOSSES[name]
    arrays = [make((0,) + shape[1:], seed=0) for make, shape in makers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about the mean of nothing
        check_vs_torch(lambda *a: gfn(*a, reduction=reduction),
                       lambda *a: tfn(torch.nn.functional, *a, reduction=reduction), arrays,
                       "float64", grad=grad)


def test_gaussian_nll_loss_float_and_tiny_variances_like_torch():
    torch = pytest.importorskip("torch")
    x, t = normal((3, 4), seed=40), normal((3, 4), seed=41)
    check_vs_torch(lambda a, b: F.gaussian_nll_loss(a, b, 0.5),
                   lambda a, b: torch.nn.functional.gaussian_nll_loss(a, b, 0.5), [x, t],
                   "float64")
    v = _positive((3, 4), 42)
    v[0, :2] = [0.0, 1e-9]  # raised to eps; the gradient passes through as in torch
    check_vs_torch(lambda a, b, c: F.gaussian_nll_loss(a, b, c, eps=1e-4),
                   lambda a, b, c: torch.nn.functional.gaussian_nll_loss(a, b, c, eps=1e-4),
                   [x, t, v], "float64")


def test_full_poisson_nll_loss_of_small_counts():
    """Targets 0 and 1 add no Stirling term; their values match torch, and gradix's target
    gradient stays finite where torch's is NaN (its log(0) is masked only after the fact)."""
    torch = pytest.importorskip("torch")
    x, t = normal((2, 3), 1.0, seed=50), np.array([[0.0, 1.0, 2.5], [0.0, 4.0, 1.0]])
    got = F.poisson_nll_loss(gradix.tensor(x), gradix.tensor(t), full=True, reduction="none")
    want = torch.nn.functional.poisson_nll_loss(torch.tensor(x), torch.tensor(t), full=True,
                                                reduction="none")
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-12)
    gt = gradix.tensor(t, requires_grad=True)
    F.poisson_nll_loss(gradix.tensor(x), gt, full=True).backward()
    assert np.isfinite(gt.grad.numpy()).all()
    np.testing.assert_allclose(gt.grad.numpy()[t <= 1], -x[t <= 1] / t.size)


def test_soft_margin_loss_stays_finite_for_large_margins():
    x = gradix.tensor([-1000.0, 1000.0], requires_grad=True)
    loss = F.soft_margin_loss(x, gradix.tensor([1.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), [1000.0, 0.0])
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [-1.0, 0.0])


def test_loss_errors():
    z = gradix.zeros
    with pytest.raises(ValueError, match="margin_ranking_loss: input1, input2 and target must "
                                         "have the same number of dims"):
        F.margin_ranking_loss(z(2, 3), z(3), z(3))
    with pytest.raises(ValueError, match="cosine_embedding_loss: a 1-D target needs 2-D inputs"):
        F.cosine_embedding_loss(z(3), z(3), z(2))
    with pytest.raises(ValueError, match="cosine_embedding_loss: a 0-D target needs 1-D inputs"):
        F.cosine_embedding_loss(z(2, 3), z(2, 3), z(()))
    with pytest.raises(ValueError, match="cosine_embedding_loss: target must be 0-d or 1-D"):
        F.cosine_embedding_loss(z(2, 3), z(2, 3), z(2, 1))
    with pytest.raises(ValueError, match="triplet_margin_loss: anchor, positive and negative "
                                         "must have the same number of dims"):
        F.triplet_margin_loss(z(2, 3), z(3), z(2, 3))
    with pytest.raises(ValueError, match="gaussian_nll_loss: var has negative entries"):
        F.gaussian_nll_loss(z(2), z(2), gradix.tensor([1.0, -1.0]))
    with pytest.raises(ValueError, match="gaussian_nll_loss: var must not be negative"):
        F.gaussian_nll_loss(z(2), z(2), -0.5)
    with pytest.raises(ValueError, match=r"gaussian_nll_loss: var of shape \(2, 2\) doesn't fit"):
        F.gaussian_nll_loss(z(2, 3), z(2, 3), z(2, 2))
    for fn, args in [(F.margin_ranking_loss, (z(2), z(2), z(2))),
                     (F.soft_margin_loss, (z(2), z(2))),
                     (F.cosine_embedding_loss, (z(2), z(2), z(()))),
                     (F.triplet_margin_loss, (z(2), z(2), z(2))),
                     (F.poisson_nll_loss, (z(2), z(2))),
                     (F.gaussian_nll_loss, (z(2), z(2), z(2)))]:
        with pytest.raises(ValueError, match="reduction must be one of"):
            fn(*args, reduction="batchmean")
    with pytest.raises(NotImplementedError, match="triplet_margin_loss: not implemented for "
                                                  r"gradix.int64 tensors \(anchor\)"):
        F.triplet_margin_loss(gradix.tensor([1, 2]), z(2), z(2))
