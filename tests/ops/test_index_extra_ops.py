"""select, index_put, scatter_reduce, the *_scatter ops, put, as_strided, sum_to_size, renorm and
Tensor.stride where the op table can't reach: errors (raised before anything changes), integer
dtypes, in-place forms, ties, zeros in prod, and strides. Rows checked forward, backward and twice
backward are in op_table_index_extra.py."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gradix as g

X = np.arange(12.0, dtype=np.float32).reshape(3, 4)


def _x():
    return g.tensor(X)


def _i(*values):
    return g.tensor(list(values))


# ---------------------------------------------------------------------- errors
_ERRORS = [  # (call, error type, words the message must contain)
    (lambda: _x().select(0, 3), IndexError, "select: index 3 out of range"),
    (lambda: _x().select(1, -5), IndexError, "select: index -5 out of range"),
    (lambda: g.tensor(1.0).select(0, 0), IndexError, "select: can't be applied to a 0-d"),
    (lambda: _x().select(2, 0), IndexError, "select: dimension out of range"),
    (lambda: _x().select(0, 1.0), TypeError, "select: index must be an int"),
    (lambda: g.select_scatter(_x(), g.ones(4), 1, 0), ValueError,
     "select_scatter: expected src to have the shape of the slice of the input, (3,)"),
    (lambda: g.select_scatter(_x(), [1.0, 2.0, 3.0], 1, 0), TypeError,
     "select_scatter: argument 'src' must be a Tensor"),
    (lambda: g.slice_scatter(_x(), g.ones(3, 2), 1, 0, 4, 0), ValueError,
     "slice_scatter: slice step must be positive"),
    (lambda: g.slice_scatter(_x(), g.ones(3, 2), 1, 0, 4, -1), ValueError,
     "slice_scatter: slice step must be positive"),
    (lambda: g.slice_scatter(_x(), g.ones(3, 3), 1), ValueError, "(3, 4), got (3, 3)"),
    (lambda: g.slice_scatter(g.tensor(1.0), g.tensor(2.0)), IndexError,
     "slice_scatter: can't be applied to a 0-d"),
    (lambda: g.slice_scatter(_x(), g.ones(3, 2), 1, 0.5), TypeError,
     "slice_scatter: start must be an int"),
    (lambda: g.diagonal_scatter(_x(), g.ones(2), 1), ValueError,
     "diagonal_scatter: expected src to have the shape of the diagonal, (3,), got (2,)"),
    (lambda: g.diagonal_scatter(_x(), g.ones(3), 0, 1, 1), ValueError,
     "diagonal_scatter: dim1 and dim2 must be different"),
    (lambda: g.index_put(_x(), (_i(0, 0),), g.tensor([1, 2, 3, 4])), TypeError,
     "index_put: values have dtype gradix.int64 but the input has gradix.float32"),
    (lambda: g.index_put(_x(), (g.tensor([0.0]),), g.tensor(2.0)), IndexError,
     "index_put: tensors used as indices must be integer or bool, got gradix.float32"),
    (lambda: g.index_put(_x(), (_i(5),), g.tensor(2.0)), IndexError,
     "index_put: index out of range [-3, 2] for dimension 0"),
    (lambda: g.index_put(_x(), (_i(0),), g.tensor([2.0, 3.0])), ValueError,
     "index_put: values of shape (2,) can't be broadcast to the indexing result's shape (1, 4)"),
    (lambda: g.index_put(_x(), (_i(0, 1),), g.ones(1, 1, 4)), ValueError,
     "can't be broadcast to the indexing result's shape (2, 4)"),
    (lambda: g.index_put(_x(), (_i(0, 1), _i(0, 1), _i(0, 1)), g.tensor(2.0)), IndexError,
     "index_put: too many indices for tensor of dimension 2 (got 3)"),
    (lambda: g.index_put(_x(), (_i(0, 1), _i(0, 1, 2)), g.tensor(2.0)), IndexError,
     "index_put: shape mismatch"),
    (lambda: g.index_put(_x(), (g.tensor([True, False]),), g.tensor(2.0)), IndexError,
     "index_put: boolean index did not match"),
    (lambda: g.index_put(_x(), (), g.tensor(2.0)), TypeError,
     "index_put: indices must be a non-empty tuple or list of tensors"),
    (lambda: g.index_put(_x(), (None, _i(0)), g.tensor(2.0)), TypeError,
     "index_put: argument 'indices[0]' must be a Tensor"),
    (lambda: g.index_put(_x(), (_i(0),), 2.0), TypeError,
     "index_put: argument 'values' must be a Tensor"),
    (lambda: g.put(_x(), _i(0, 0, 12), g.tensor([1.0, 2.0, 3.0])), IndexError,
     "put: index out of range [-12, 11] for a tensor of 12 entries"),
    (lambda: g.put(_x(), _i(0, 0, 1), g.tensor([1.0, 2.0])), ValueError,
     "put: source and index must have the same number of entries, got 2 and 3"),
    (lambda: g.put(_x(), g.tensor([0.0]), g.tensor([1.0])), TypeError,
     "put: index must be an integer tensor"),
    (lambda: g.put(_x(), _i(0), g.tensor([1], dtype=g.int64)), TypeError,
     "put: source has dtype gradix.int64 but the input has gradix.float32"),
    (lambda: g.scatter_reduce(_x(), 0, _i(0), g.ones(1), "max"), ValueError,
     "scatter_reduce: reduce must be 'sum', 'prod', 'mean', 'amax' or 'amin', got 'max'"),
    (lambda: g.scatter_reduce(_x(), 1, g.tensor([[0, 4]]), g.ones(1, 2), "sum"), IndexError,
     "scatter_reduce: index out of range [0, 3]"),
    (lambda: g.scatter_reduce(_x(), 1, g.tensor([[0, 1]]), g.ones(1, 2, dtype=g.float64),
                              "sum"), TypeError, "scatter_reduce: src has dtype gradix.float64"),
    (lambda: g.scatter_reduce(_x(), 1, g.tensor([[0, 1]]), g.ones(1, 1), "sum"), ValueError,
     "must be no larger than src's shape (1, 1)"),
    (lambda: g.scatter_reduce(_x(), 2, g.tensor([[0, 1]]), g.ones(1, 2), "sum"), IndexError,
     "scatter_reduce: dimension out of range"),
    (lambda: g.as_strided(_x(), (2, 2), (1, 2), 11), ValueError,
     "as_strided: size (2, 2), stride (1, 2) and storage_offset 11 reach entry 14, beyond the "
     "12 entries"),
    (lambda: g.as_strided(_x(), (2, 2), (-1, 2), 1), ValueError,
     "as_strided: size, stride and storage_offset must be non-negative"),
    (lambda: g.as_strided(_x(), (2, 2), (1,)), ValueError,
     "as_strided: size (2, 2) and stride (1,) must have the same length"),
    (lambda: g.as_strided(_x(), (2, 2), (1, 1.5)), TypeError, "as_strided: stride must be"),
    (lambda: _x().sum_to_size(2, 4), ValueError,
     "sum_to_size: size (2, 4) can't be expanded to the input's shape (3, 4)"),
    (lambda: _x().sum_to_size(1, 3, 4), ValueError, "size (1, 3, 4) can't be expanded"),
    (lambda: _x().sum_to_size(1.0, 4), TypeError, "sum_to_size: size must be integers"),
    (lambda: g.renorm(g.ones(3), 2, 0, 5), ValueError,
     "renorm: the input needs at least 2 dimensions, got shape (3,)"),
    (lambda: g.renorm(_x(), 0, 0, 5), ValueError, "renorm: p must be positive, got 0"),
    (lambda: g.renorm(_x(), 2, 0, -1), ValueError, "renorm: maxnorm must be >= 0, got -1"),
    (lambda: g.renorm(_x(), 2, 2, 1), IndexError, "renorm: dimension out of range"),
    (lambda: g.renorm(_x(), "fro", 0, 1), TypeError, "renorm: p must be a number"),
    (lambda: g.moveaxis(_x(), (0, 1), 0), ValueError,
     "moveaxis: source (0, 1) and destination (0,) must name the same number"),
    (lambda: g.diagflat(_x(), 0.5), TypeError, "diagflat: offset must be an int"),
    (lambda: _x().stride(2), IndexError, "stride: dimension out of range"),
    (lambda: g.tensor(1.0).stride(0), IndexError, "stride: dimension specified as 0"),
]


@pytest.mark.parametrize("call, error, words", _ERRORS,
                         ids=[w[:40] for _, _, w in _ERRORS])
def test_errors(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_in_place_errors_leave_the_tensor_unchanged():
    x = _x()
    for call in (lambda: x.index_put_((_i(0, 5),), g.tensor(1.0)),
                 lambda: x.index_put_((_i(0, 1),), g.ones(3)),
                 lambda: x.put_(_i(0, 12), g.ones(2)),
                 lambda: x.put_(_i(0, 1), g.ones(3))):
        with pytest.raises((IndexError, ValueError)):
            call()
        np.testing.assert_array_equal(x.numpy(), X)


# ---------------------------------------------------------------------- in-place forms
def test_index_put_in_place_matches_torch():
    torch = pytest.importorskip("torch")
    for accumulate in (False, True):
        x, tx = _x(), torch.tensor(X, dtype=torch.float32)
        idx = ([0, 2, 0], [1, 1, 1])
        out = x.index_put_(tuple(g.tensor(i) for i in idx), g.tensor([1.0, 2.0, 1.0]),
                           accumulate=accumulate)
        tx.index_put_(tuple(torch.tensor(i) for i in idx), torch.tensor([1.0, 2.0, 1.0]),
                      accumulate=accumulate)
        assert out is x
        np.testing.assert_array_equal(x.numpy(), tx.numpy())
        y = g.index_put_(_x(), (g.tensor([True, False, True]),), g.tensor(7.0))
        np.testing.assert_array_equal(y.numpy(), np.where([[1], [0], [1]], 7.0, X))


def test_put_in_place_matches_torch_on_contiguous_and_transposed():
    torch = pytest.importorskip("torch")
    for accumulate in (False, True):
        for transpose in (False, True):
            x, tx = _x(), torch.tensor(X)
            if transpose:
                x, tx = x.t(), tx.t()
            out = x.put_(_i(0, -1, 5, 5), g.tensor([1.0, 2.0, 3.0, 3.0]), accumulate)
            tx.put_(torch.tensor([0, -1, 5, 5]), torch.tensor([1.0, 2.0, 3.0, 3.0]), accumulate)
            assert out is x
            np.testing.assert_array_equal(x.numpy(), tx.numpy())


def test_in_place_forms_refuse_tensors_that_require_grad():
    x = g.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="index_put_: a tensor that requires grad"):
        x.index_put_((_i(0),), g.tensor(1.0))
    with pytest.raises(RuntimeError, match="put_: the value requires grad"):
        _x().put_(_i(0), g.ones(1, requires_grad=True))


# ---------------------------------------------------------------------- integer dtypes
def test_integer_inputs_match_torch():
    torch = pytest.importorskip("torch")
    a = np.arange(-6, 6).reshape(3, 4)
    idx, src = np.array([[0, 1, 0], [3, 3, 3], [2, 1, 0]]), np.array([[1, -7, 3], [4, 5, 7],
                                                                       [-2, 0, 9]])
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            ours = g.scatter_reduce(g.tensor(a), 1, g.tensor(idx), g.tensor(src), reduce,
                                    include_self=include_self)
            theirs = torch.scatter_reduce(torch.tensor(a), 1, torch.tensor(idx),
                                          torch.tensor(src), reduce, include_self=include_self)
            assert ours.dtype == g.int64 and not ours.requires_grad
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=reduce)
    calls = [lambda m, x: m.index_put(x, (m.tensor([0, 0, 2]),), m.tensor([1, 2, 3, 4]),
                                      accumulate=True),
             lambda m, x: m.put(x, m.tensor([1, 1]), m.tensor([5, 6]), accumulate=True),
             lambda m, x: m.select_scatter(x, m.tensor([1, 2, 3]), 1, 2),
             lambda m, x: m.slice_scatter(x, m.tensor([[1, 2]] * 3), 1, 1, 3),
             lambda m, x: m.diagonal_scatter(x, m.tensor([1, 2, 3])),
             lambda m, x: m.as_strided(x, (2, 3), (3, 1), 1),
             lambda m, x: m.diagflat(x[0]), lambda m, x: x.sum_to_size(1, 4),
             lambda m, x: x.select(1, 2), lambda m, x: m.moveaxis(x, 1, 0)]
    for call in calls:
        ours, theirs = call(g, g.tensor(a)), call(torch, torch.tensor(a))
        assert ours.dtype == g.int64
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_scatters_cast_src_to_the_input_dtype_as_torch():
    torch = pytest.importorskip("torch")
    for m in (g, torch):
        x = m.zeros(3, 4)
        for out in (m.select_scatter(x, m.ones(3, dtype=m.float64), 1, 0),
                    m.slice_scatter(x, m.ones(3, 4, dtype=m.int64), 0),
                    m.diagonal_scatter(x, m.ones(3, dtype=m.float64))):
            assert str(out.dtype).endswith("float32")


# ---------------------------------------------------------------------- gradients
def _grads_vs_torch(call, arrays, upstream_seed=0):
    torch = pytest.importorskip("torch")
    gx = [g.tensor(a, requires_grad=True) for a in arrays]
    tx = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, tout = call(g, *gx), call(torch, *tx)
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-12)
    u = np.random.default_rng(upstream_seed).standard_normal(out.shape)
    ours = g.autograd.grad(out, gx, g.tensor(u))
    theirs = torch.autograd.grad(tout, tx, torch.tensor(u))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12)
    return ours


def test_scatter_reduce_prod_with_two_zeros_into_one_place_matches_torch():
    x = np.array([2.0, 0.0, 3.0])
    src = np.array([0.0, 0.0, 5.0, 0.0, 4.0])
    for include_self in (True, False):
        _grads_vs_torch(lambda m, a, s: m.scatter_reduce(a, 0, m.tensor([0, 0, 1, 1, 2]), s,
                                                         "prod", include_self=include_self),
                        [x, src])


def test_scatter_reduce_ties_share_the_gradient_as_torch():
    x = np.array([[1.0, 3.0, 2.0], [5.0, 5.0, 0.0]])
    src = np.array([[3.0, 3.0, 1.0], [5.0, 4.0, 5.0]])
    for reduce in ("amax", "amin"):
        for include_self in (True, False):
            _grads_vs_torch(lambda m, a, s: m.scatter_reduce(
                a, 1, m.tensor([[1, 1, 0], [0, 2, 0]]), s, reduce, include_self=include_self),
                [x, src])


def test_scatter_reduce_src_larger_than_index_gets_zero_gradient_outside():
    """torch's backward refuses src larger than index; gradix gives the unused part zeros."""
    x = g.tensor(X.astype(np.float64), requires_grad=True)
    src = g.tensor(np.arange(20.0).reshape(4, 5), requires_grad=True)
    out = g.scatter_reduce(x, 1, g.tensor([[0, 1], [3, 3]]), src, "mean")
    out.backward(g.ones(3, 4))
    expected = np.zeros((4, 5))
    expected[:2, :2] = [[0.5, 0.5], [1 / 3, 1 / 3]]
    np.testing.assert_allclose(src.grad.numpy(), expected)
    torch = pytest.importorskip("torch")
    theirs = torch.scatter_reduce(torch.tensor(X.astype(np.float64)), 1,
                                  torch.tensor([[0, 1], [3, 3]]),
                                  torch.tensor(np.arange(20.0).reshape(4, 5)), "mean")
    np.testing.assert_allclose(out.detach().numpy(), theirs.numpy())


def test_index_put_with_masks_matches_torch():
    pytest.importorskip("torch")
    mask = [[True, False, True], [False, False, True]]
    calls = [lambda m, x, v: m.index_put(x, (m.tensor(mask), m.tensor([3, -1, 0])), v),
             lambda m, x, v: m.index_put(x, (m.tensor([1, 0]), m.tensor(mask[0])), v)]
    for call in calls:
        _grads_vs_torch(call, [np.zeros((2, 3, 4)), np.array([1.5])])
    # a 0-d True index: the whole tensor (torch's backward fails on it, so values only)
    out = g.index_put(g.zeros(2, 3), (g.tensor(True),), g.tensor(1.0))
    np.testing.assert_array_equal(out.numpy(), np.ones((2, 3)))
    with pytest.raises(IndexError, match=r"out of range \[-4, 3\] for dimension 2"):
        g.index_put(g.zeros(2, 3, 4), (g.tensor(mask), g.tensor([4, 0, 0])), g.tensor(1.0))


def test_index_put_accumulate_adds_repeated_gradients():
    x = np.zeros((3, 4))
    v = np.arange(6.0).reshape(3, 2)
    grads = _grads_vs_torch(
        lambda m, a, b: m.index_put(a, (m.tensor([2, 2, 0]), m.tensor([1, 1, 3])),
                                    b.sum(1), accumulate=True), [x, v])
    ours = g.index_put(g.zeros(3, 4), (_i(1, 1, 1),), g.tensor([1.0, 2.0, 4.0])[:, None],
                       accumulate=True)
    np.testing.assert_array_equal(ours.numpy()[1], [7.0] * 4)
    assert grads[0].shape == (3, 4)


def test_renorm_zero_rows_match_torch_to_first_order():
    a = np.random.default_rng(1).standard_normal((4, 3))
    a[1] = 0.0
    for p in (1, 2, 0.5, 3, np.inf):
        _grads_vs_torch(lambda m, x: m.renorm(x, p, 0, 0.5), [a])
    x = g.tensor(a, requires_grad=True)
    (gx,) = g.autograd.grad((g.renorm(x, 2, 0, 0.5) ** 2).sum(), [x], create_graph=True)
    (ggx,) = g.autograd.grad(gx.sum(), [x])
    assert np.isfinite(ggx.numpy()).all()


def test_as_strided_reads_the_contiguous_layout_of_any_view():
    t = g.tensor(X).t()  # torch would read the storage of X: [[0, 1], [2, 3]] here
    np.testing.assert_array_equal(g.as_strided(t, (2, 2), (1, 2)).numpy(), [[0.0, 8.0],
                                                                            [4.0, 1.0]])


# ---------------------------------------------------------------------- strides, contiguity
def test_strides_and_contiguity_match_torch():
    torch = pytest.importorskip("torch")
    views = [lambda m, x: x, lambda m, x: x.permute(2, 0, 1),
             lambda m, x: x[:, :1], lambda m, x: x[0], lambda m, x: x.reshape(6, 4),
             lambda m, x: x.transpose(0, 2), lambda m, x: x[0].t(),
             lambda m, x: x[:1].expand(3, 3, 4), lambda m, x: x.sum(),
             lambda m, x: m.zeros(2, 0, 4),
             lambda m, x: x.transpose(0, 1).contiguous(), lambda m, x: x.unsqueeze(0)]
    a = np.arange(24.0).reshape(2, 3, 4)
    for view in views:
        ours, theirs = view(g, g.tensor(a)), view(torch, torch.tensor(a))
        assert ours.stride() == theirs.stride()
        assert ours.is_contiguous() == theirs.is_contiguous()
        for d in range(-ours.ndim, ours.ndim):
            assert ours.stride(d) == theirs.stride(d)
    x = g.tensor(a).transpose(0, 2)
    assert not x.is_contiguous() and x.contiguous().is_contiguous()


# ---------------------------------------------------------------------- random cases vs torch
@settings(derandomize=True, max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 6), st.integers(0, 1),
       st.sampled_from(["sum", "prod", "mean", "amax", "amin"]), st.booleans(),
       st.integers(0, 2 ** 31))
def test_scatter_reduce_random_cases_match_torch(rows, cols, k, dim, reduce, include_self, seed):
    rng = np.random.default_rng(seed)
    shape = (rows, cols)
    ishape = (rows, k) if dim == 1 else (k, cols)
    index = rng.integers(0, shape[dim], ishape)
    x = rng.integers(-3, 4, shape) * 0.5  # ties and zeros, on purpose
    src = rng.integers(-3, 4, ishape) * 0.5
    if reduce == "prod":  # torch has no gradient with two zeros of src into one place
        src[src == 0] = 1.5
    _grads_vs_torch(lambda m, a, s: m.scatter_reduce(a, dim, m.tensor(index), s, reduce,
                                                     include_self=include_self), [x, src])
