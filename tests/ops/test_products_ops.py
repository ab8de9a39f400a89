"""The products beyond matmul, for what the op table can't express: cdist against torch.cdist
itself, errors, integer and bool inputs, beta=0 ignoring NaN, cross without dim, the in-place
forms, and randomized shapes against torch."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gradix

FLOAT = [np.float32, np.float64]


def _t(a, grad=False):
    return gradix.tensor(np.asarray(a), requires_grad=grad)


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


# ---------------------------------------------------------------------- cdist vs torch.cdist
@pytest.mark.parametrize("p", [2.0, 1.0, float("inf"), 3.0, 0.0])
@pytest.mark.parametrize("shapes", [((4, 3), (5, 3)), ((2, 1, 4, 3), (3, 5, 3)),
                                    ((30, 2), (3, 2)), ((2, 0), (3, 0)), ((0, 2), (3, 2))])
def test_cdist_matches_torch_cdist(torch, p, shapes):
    """Forward and first derivatives against torch.cdist itself (the table's rows compare
    second derivatives with a composed oracle: torch.cdist has none)."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(s) for s in shapes)
    ga, gb = _t(a, True), _t(b, True)
    ta, tb = (torch.tensor(x, requires_grad=True) for x in (a, b))
    out, ref = gradix.cdist(ga, gb, p=p), torch.cdist(ta, tb, p=p)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    up = rng.standard_normal(tuple(ref.shape))
    grads = gradix.autograd.grad([out], [ga, gb], [_t(up)])
    tgrads = torch.autograd.grad([ref], [ta, tb], [torch.tensor(up)])
    for g, t in zip(grads, tgrads):
        np.testing.assert_allclose(g.numpy(), t.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("rows", [3, 30])  # the direct and the matrix-product paths
def test_cdist_zero_distance_has_zero_gradient(torch, rows):
    x = np.random.default_rng(1).standard_normal((rows, 3))
    g = _t(x, True)
    t = torch.tensor(x, requires_grad=True)
    out, ref = gradix.cdist(g, g), torch.cdist(t, t)
    np.testing.assert_allclose(np.diag(out.detach().numpy()), 0, atol=1e-7)
    out.sum().backward()
    ref.sum().backward()
    assert np.isfinite(g.grad.numpy()).all()
    np.testing.assert_allclose(g.grad.numpy(), t.grad.numpy(), rtol=1e-7, atol=1e-7)


# ---------------------------------------------------------------------- beta, alpha, dtypes
@pytest.mark.parametrize("name,shapes", [("addmm", ((3,), (2, 4), (4, 3))),
                                         ("baddbmm", ((3,), (2, 2, 4), (2, 4, 3))),
                                         ("addbmm", ((3,), (2, 2, 4), (2, 4, 3))),
                                         ("addmv", ((2,), (2, 4), (4,))),
                                         ("addr", ((3,), (2,), (3,)))])
def test_beta_zero_ignores_nan_and_gives_zero_gradient(torch, name, shapes):
    rng = np.random.default_rng(2)
    c = np.full(shapes[0], np.nan)
    a, b = (rng.standard_normal(s) for s in shapes[1:])
    gc = _t(c, True)
    out = getattr(gradix, name)(gc, _t(a), _t(b), beta=0)
    tc = torch.tensor(c, requires_grad=True)
    ref = getattr(torch, name)(tc, torch.tensor(a), torch.tensor(b), beta=0)
    assert not np.isnan(out.detach().numpy()).any()
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    ref.sum().backward()
    np.testing.assert_array_equal(gc.grad.numpy(), tc.grad.numpy())


def test_integer_products_match_torch(torch):
    rng = np.random.default_rng(3)
    c, a, b = (rng.integers(-5, 5, s) for s in ((3,), (2, 4), (4, 3)))
    v1, v2 = rng.integers(-5, 5, 2), rng.integers(-5, 5, 3)
    cases = [("addmm", (c, a, b), {"beta": 2, "alpha": -3}), ("mv", (a, b[:, 0]), {}),
             ("addr", (c, v1, v2), {"alpha": 2}), ("inner", (a, a), {}),
             ("kron", (v1, v2), {}), ("vdot", (v2, v2), {}),
             ("tensordot", (a, b), {"dims": 1}), ("cross", (b, b[:, ::-1].copy()), {"dim": 1}),
             ("block_diag", (a, v1), {}), ("cartesian_prod", (v1, v2), {})]
    for name, args, kwargs in cases:
        out = getattr(gradix, name)(*[_t(x) for x in args], **kwargs)
        ref = getattr(torch, name)(*[torch.tensor(x) for x in args], **kwargs)
        assert out.dtype.name == str(ref.dtype).replace("torch.", ""), name
        np.testing.assert_array_equal(out.numpy(), ref.numpy(), err_msg=name)


def test_bool_addr_and_kron_match_torch(torch):
    c = np.array([[True, False, False], [False, False, True]])
    v1, v2 = np.array([True, False]), np.array([False, True, True])
    for kwargs in ({}, {"beta": 0}, {"alpha": 0}, {"beta": False, "alpha": True}):
        out = gradix.addr(_t(c), _t(v1), _t(v2), **kwargs)
        ref = torch.addr(torch.tensor(c), torch.tensor(v1), torch.tensor(v2), **kwargs)
        assert out.dtype == gradix.bool
        np.testing.assert_array_equal(out.numpy(), ref.numpy())
    out = gradix.kron(_t(v1), _t(v2))
    assert out.dtype == gradix.bool
    np.testing.assert_array_equal(out.numpy(), torch.kron(torch.tensor(v1),
                                                          torch.tensor(v2)).numpy())


def test_promoting_products_match_torch_dtype(torch):
    """block_diag, kron, addr and dist promote mixed dtypes in torch too."""
    f32, i64 = np.ones((2, 2), np.float32), np.arange(3)
    assert gradix.block_diag(_t(f32), _t(i64)).dtype == gradix.float32
    assert gradix.kron(_t(i64), _t(f32)).dtype == gradix.float32
    assert gradix.addr(_t(f32[:, :1].T[0]), _t(f32[0]), _t(np.ones(2))).dtype == gradix.float64
    assert gradix.dist(_t(f32), _t(np.ones(2))).dtype == gradix.float64
    assert gradix.block_diag().shape == torch.block_diag().shape == (1, 0)
    assert gradix.block_diag().dtype == gradix.float32


def test_cartesian_prod_of_one_tensor_is_it():
    x = _t([1.0, 2.0])
    assert gradix.cartesian_prod(x) is x


def test_ger_is_outer():
    assert gradix.ger is gradix.outer
    np.testing.assert_array_equal(_t([1.0, 2.0]).ger(_t([3.0])).numpy(), [[3.0], [6.0]])


# ---------------------------------------------------------------------- cross without dim
def test_cross_without_dim_takes_the_first_size_3_dim_and_warns(torch):
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal((3, 3, 2)), rng.standard_normal((3, 1, 2))
    with pytest.warns(UserWarning, match="dim"):
        out = gradix.cross(_t(a), _t(b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = torch.cross(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-12)
    np.testing.assert_allclose(out.numpy(), np.cross(a, b, axis=0), rtol=1e-12)
    with pytest.raises(ValueError, match="cross: no dimension of size 3"):
        gradix.cross(_t(np.ones((2, 4))), _t(np.ones((2, 4))))


# ---------------------------------------------------------------------- in place
@pytest.mark.parametrize("name,shapes", [("addmm", ((2, 3), (2, 4), (4, 3))),
                                         ("baddbmm", ((2, 2, 3), (2, 2, 4), (2, 4, 3))),
                                         ("addbmm", ((2, 3), (2, 2, 4), (2, 4, 3))),
                                         ("addmv", ((2,), (2, 4), (4,))),
                                         ("addr", ((2, 3), (2,), (3,)))])
def test_in_place_forms(torch, name, shapes):
    rng = np.random.default_rng(5)
    c, a, b = (rng.standard_normal(s) for s in shapes)
    x, tx = _t(c), torch.tensor(c)
    assert getattr(x, name + "_")(_t(a), _t(b), beta=0.5, alpha=2) is x
    getattr(tx, name + "_")(torch.tensor(a), torch.tensor(b), beta=0.5, alpha=2)
    np.testing.assert_allclose(x.numpy(), tx.numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match=name + "_"):  # the result can't grow x
        getattr(_t(np.ones((1,) * len(shapes[0]))), name + "_")(_t(a), _t(b))


# ---------------------------------------------------------------------- errors
R = np.ones
ERRORS = [
    (lambda: gradix.addmm(_t(R(3)), _t(R((2, 3))), _t(R((4, 3)))), ValueError,
     r"addmm: mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x3\)"),
    (lambda: gradix.addmm(_t(R(4)), _t(R((2, 3))), _t(R((3, 3)))), ValueError,
     r"addmm: input of shape \(4,\) can't be broadcast to the product's shape \(2, 3\)"),
    (lambda: gradix.addmm(_t(R((2, 1, 3))), _t(R((2, 3))), _t(R((3, 3)))), ValueError,
     "addmm: input of shape"),
    (lambda: gradix.addmm(_t(R(3)), _t(R(3)), _t(R((3, 3)))), ValueError,
     r"addmm: mat1 must be a matrix \(2-D\)"),
    (lambda: gradix.addmm(R(3), _t(R((2, 3))), _t(R((3, 3)))), TypeError,
     "addmm: argument 'input' must be a Tensor"),
    (lambda: gradix.addmm(_t(R(3, int)), _t(R((2, 3), int)), _t(R((3, 3), int)), alpha=2.5),
     TypeError, "addmm: alpha must be an int for gradix.int64 tensors"),
    (lambda: gradix.addmm(_t(R(3, bool)), _t(R((2, 3), bool)), _t(R((3, 3), bool))),
     NotImplementedError, "addmm: not implemented for gradix.bool"),
    (lambda: gradix.addmm(_t(R(3)), _t(R((2, 3))), _t(R((3, 3))), beta="x"), TypeError,
     "addmm: beta must be a number"),
    (lambda: gradix.baddbmm(_t(R((5, 1, 3))), _t(R((2, 2, 3))), _t(R((2, 3, 3)))), ValueError,
     "baddbmm: input of shape"),
    (lambda: gradix.baddbmm(_t(R(3)), _t(R((2, 2, 3))), _t(R((3, 3, 3)))), ValueError,
     "baddbmm: batch1 and batch2 must hold the same number of matrices"),
    (lambda: gradix.addbmm(_t(R(3)), _t(R((4, 2, 5))), _t(R((3, 5, 3)))), ValueError,
     "addbmm: batch1 and batch2 must hold the same number of matrices"),
    (lambda: gradix.addbmm(_t(R(3)), _t(R((2, 5))), _t(R((5, 3)))), ValueError,
     r"addbmm: batch1 must be a batch of matrices \(3-D\)"),
    (lambda: gradix.addmv(_t(R(2)), _t(R((2, 3))), _t(R(4))), ValueError,
     "addmv: size mismatch"),
    (lambda: gradix.addr(_t(R((2, 3))), _t(R((2, 1))), _t(R(3))), ValueError,
     r"addr: vec1 must be a vector \(1-D\)"),
    (lambda: gradix.addr(_t(R((2, 3), int)), _t(R(2, int)), _t(R(3, int)), alpha=2.5),
     TypeError, "addr: alpha must be an int"),
    (lambda: gradix.mv(_t(R((2, 3))), _t(R(4))), ValueError, "mv: size mismatch"),
    (lambda: gradix.mv(_t(R((2, 3))), _t(R((1, 3)))), ValueError,
     r"mv: vec must be a vector \(1-D\)"),
    (lambda: gradix.mv(_t(R(3)), _t(R(3))), ValueError, r"mv: input must be a matrix"),
    (lambda: gradix.vdot(_t(R((3, 1))), _t(R(3))), ValueError,
     "vdot: expects two 1-D tensors of the same size"),
    (lambda: gradix.vdot(_t(R(3)), _t(R(4))), ValueError, "vdot: expects two 1-D"),
    (lambda: gradix.inner(_t(R((2, 3))), _t(R((4, 1)))), ValueError,
     "inner: the last dimension must match"),
    (lambda: gradix.inner([1.0], _t(R(1))), TypeError, "inner: argument 'input'"),
    (lambda: gradix.tensordot(_t(R((2, 3))), _t(R((3, 4))), dims=3), ValueError,
     "tensordot: dims=3 is more than"),
    (lambda: gradix.tensordot(_t(R((2, 3))), _t(R((3, 4))), dims=-1), ValueError,
     "tensordot: dims must be at least 0"),
    (lambda: gradix.tensordot(_t(R((2, 3))), _t(R((3, 4))), dims=(1, 0)), TypeError,
     "tensordot: dims must be an int or a pair of lists"),
    (lambda: gradix.tensordot(_t(R((2, 3))), _t(R((3, 4))), dims=([1, 0], [0])), ValueError,
     "tensordot: both lists of dims must have the same length"),
    (lambda: gradix.tensordot(_t(R((3, 3))), _t(R((3, 3))), dims=([1, 1], [0, 1])),
     ValueError, "tensordot: a dim appears more than once"),
    (lambda: gradix.tensordot(_t(R((3, 3))), _t(R((3, 3))), dims=([1, -1], [0, 1])),
     ValueError, "tensordot: a dim appears more than once"),
    (lambda: gradix.tensordot(_t(R((2, 3))), _t(R((4, 4))), dims=([1], [0])), ValueError,
     "tensordot: contracted dimensions must match, but a has size 3 in dim 1 and b has "
     "size 4 in dim 0"),
    (lambda: gradix.tensordot(_t(R((2, 3))), _t(R((3, 4))), dims=([2], [0])), IndexError,
     "tensordot: dimension out of range"),
    (lambda: gradix.kron(_t(R(2)), R(2)), TypeError, "kron: argument 'other'"),
    (lambda: gradix.cross(_t(R((4, 3))), _t(R(3)), dim=-1), ValueError,
     "cross: inputs must have the same number of dimensions"),
    (lambda: gradix.cross(_t(R((4, 3))), _t(R((4, 3))), dim=0), ValueError,
     "cross: dimension 0 of both inputs must have length 3"),
    (lambda: gradix.cross(_t(R((4, 3))), _t(R((4, 1))), dim=1), ValueError,
     "cross: dimension 1 of both inputs must have length 3"),
    (lambda: gradix.cross(_t(R((2, 3))), _t(R((4, 3))), dim=1), ValueError,
     "cross: shapes .* can't be broadcast"),
    (lambda: gradix.cross(_t(R((2, 3))), _t(R((2, 3))), dim=2), IndexError,
     "cross: dimension out of range"),
    (lambda: gradix.cross(_t(R(3, bool)), _t(R(3, bool)), dim=0), NotImplementedError,
     "cross: not implemented for gradix.bool"),
    (lambda: gradix.block_diag(_t(R((2, 3, 4)))), ValueError,
     r"block_diag: tensors must have 2 or fewer dimensions, tensor 0 has shape \(2, 3, 4\)"),
    (lambda: gradix.block_diag(_t(R(2)), [1.0]), TypeError, r"block_diag: argument 'tensors\[1\]'"),
    (lambda: gradix.cdist(_t(R((4, 3))), _t(R((5, 2)))), ValueError,
     "cdist: x1 and x2 must have the same number of columns"),
    (lambda: gradix.cdist(_t(R(3)), _t(R((5, 3)))), ValueError,
     "cdist: x1 and x2 must have at least 2 dimensions"),
    (lambda: gradix.cdist(_t(R((4, 3))), _t(R((5, 3))), p=-1), ValueError,
     "cdist: p must be at least 0"),
    (lambda: gradix.cdist(_t(R((4, 3), int)), _t(R((5, 3), int))), TypeError,
     "cdist: only floating tensors are supported, x1 has dtype gradix.int64"),
    (lambda: gradix.cdist(_t(R((2, 4, 3))), _t(R((3, 5, 3)))), ValueError,
     "cdist: shapes .* can't be broadcast"),
    (lambda: gradix.dist(_t(R(3, int)), _t(R(3, int))), TypeError,
     "dist: only floating tensors are supported"),
    (lambda: gradix.dist(_t(R(3)), _t(R(3)), p=-1), ValueError,
     "dist: p must be a non-negative number"),
    (lambda: gradix.dist(_t(R((0, 3))), _t(R(3)), p=float("inf")), ValueError,
     "dist: the inf norm of an empty difference"),
    (lambda: gradix.cartesian_prod(_t(R((2, 2)))), ValueError,
     r"cartesian_prod: expects 1-D tensors, got tensor 0 of shape \(2, 2\)"),
    (lambda: gradix.cartesian_prod(_t(R(())), _t(R(2))), ValueError,
     "cartesian_prod: expects 1-D tensors"),
    (lambda: gradix.cartesian_prod(), ValueError, "cartesian_prod: expects at least one"),
    (lambda: gradix.cartesian_prod(_t(R(2)), _t(R(3, int))), ValueError,
     "meshgrid: expects tensors of one dtype"),
]


@pytest.mark.parametrize("call,kind,match", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_errors(call, kind, match):
    with pytest.raises(kind, match=match):
        call()


def test_torch_raises_where_gradix_raises(torch):
    """The shapes refused above are refused by torch too (a sample of them)."""
    R_ = torch.ones
    for call in [lambda: torch.addmm(R_(4), R_(2, 3), R_(3, 3)),
                 lambda: torch.tensordot(R_(2, 3), R_(3, 4), dims=3),
                 lambda: torch.tensordot(R_(3, 3), R_(3, 3), dims=([1, 1], [0, 1])),
                 lambda: torch.cross(R_(4, 3), R_(4, 1), dim=1),
                 lambda: torch.block_diag(R_(2, 3, 4)),
                 lambda: torch.cdist(R_(4, 3), R_(5, 3), p=-1),
                 lambda: torch.dist(R_(0, 3), R_(3), p=float("inf")),
                 lambda: torch.cartesian_prod(R_(2, 2))]:
        with pytest.raises(RuntimeError):
            call()


# ---------------------------------------------------------------------- randomized vs torch
@st.composite
def _tensordot_case(draw):
    """Shapes for a and b and dims (as pair of lists) with matching contracted sizes."""
    nd_a = draw(st.integers(0, 4))
    shape_a = draw(st.lists(st.integers(0, 3), min_size=nd_a, max_size=nd_a))
    k = draw(st.integers(0, nd_a))
    da = draw(st.permutations(range(nd_a)))[:k]
    free_b = draw(st.lists(st.integers(0, 3), max_size=4 - k))
    nd_b = k + len(free_b)
    db = draw(st.permutations(range(nd_b)))[:k]
    shape_b = [0] * nd_b
    for i, j in zip(da, db):
        shape_b[j] = shape_a[i]
    rest = iter(free_b)
    for j in range(nd_b):
        if j not in db:
            shape_b[j] = next(rest)
    return tuple(shape_a), tuple(shape_b), (list(da), list(db))


@settings(derandomize=True, max_examples=60, deadline=None)
@given(_tensordot_case())
def test_tensordot_random_vs_torch(case):
    torch = pytest.importorskip("torch")
    sa, sb, dims = case
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    ga, gb = _t(a, True), _t(b, True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out, ref = gradix.tensordot(ga, gb, dims), torch.tensordot(ta, tb, dims)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    up = rng.standard_normal(tuple(ref.shape))
    grads = gradix.autograd.grad([out], [ga, gb], [_t(up)])
    tgrads = torch.autograd.grad([ref], [ta, tb], [torch.tensor(up)], allow_unused=True)
    for g, t in zip(grads, tgrads):
        t = np.zeros(g.shape) if t is None else t.numpy()
        np.testing.assert_allclose(g.numpy(), t, rtol=1e-9, atol=1e-12)


@settings(derandomize=True, max_examples=80, deadline=None)
@given(st.lists(st.booleans(), max_size=3),
       st.sampled_from(["addmm", "baddbmm", "addbmm", "addmv", "addr"]),
       st.integers(0, 3), st.integers(0, 3))
def test_bias_broadcasting_random_vs_torch(ones, name, n, p):
    """The input (bias) of every add* op, of any shape that broadcasts to the product's,
    against torch: forward and gradients."""
    torch = pytest.importorskip("torch")
    if name == "addmv":  # torch's addmv returns the input unbroadcast for an empty matrix
        n = max(n, 1)
    mats = {"addmm": ((n, 2), (2, p)), "baddbmm": ((2, n, 2), (2, 2, p)),
            "addbmm": ((2, n, 2), (2, 2, p)), "addmv": ((n, 2), (2,)), "addr": ((n,), (p,))}
    sa, sb = mats[name]
    out_shape = {"addmm": (n, p), "baddbmm": (2, n, p), "addbmm": (n, p), "addmv": (n,),
                 "addr": (n, p)}[name]
    # the bias has the output's last dims, each of the output's size or (drawn) 1
    nd = min(len(ones), len(out_shape))
    shape_c = tuple(1 if one else s for one, s in zip(ones[:nd], out_shape[len(out_shape) - nd:]))
    rng = np.random.default_rng(7)
    c, a, b = (rng.standard_normal(s) for s in (shape_c, sa, sb))
    gx = [_t(x, True) for x in (c, a, b)]
    tx = [torch.tensor(x, requires_grad=True) for x in (c, a, b)]
    out = getattr(gradix, name)(*gx, beta=0.5, alpha=-1.5)
    ref = getattr(torch, name)(*tx, beta=0.5, alpha=-1.5)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    up = rng.standard_normal(tuple(ref.shape))
    grads = gradix.autograd.grad([out], gx, [_t(up)])
    tgrads = torch.autograd.grad([ref], tx, [torch.tensor(up)])
    for g, t in zip(grads, tgrads):
        np.testing.assert_allclose(g.numpy(), t.numpy(), rtol=1e-9, atol=1e-12)
