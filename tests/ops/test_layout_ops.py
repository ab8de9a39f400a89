"""Layout and selection ops where the op table can't reach: errors, integer and bool dtypes,
int64 index outputs, repeated writes (scatter, index_copy), and torch's calling conventions
(varargs or lists, keyword forms). Rows checked forward, backward and twice backward are in
op_table_layout.py."""
import warnings

import numpy as np
import pytest

import gradix as g

X = np.arange(12.0).reshape(3, 4)


def _x():
    return g.tensor(X)


# ---------------------------------------------------------------------- errors
_ERRORS = [  # (call, error type, words the message must contain)
    (lambda: g.diag(g.tensor(1.0)), ValueError, "diag: expects a 1-D or 2-D"),
    (lambda: g.diag(g.ones(3), 1.0), TypeError, "diag: diagonal must be an int"),
    (lambda: g.diagonal(_x(), 0, 1, -1), ValueError, "diagonal: dim1 and dim2 must be different"),
    (lambda: g.diagonal(g.ones(3)), IndexError, "diagonal: dimension out of range"),
    (lambda: g.diag_embed(g.ones(3), 0, 0, -2), ValueError, "diag_embed: dim1 and dim2"),
    (lambda: g.trace(g.ones(3)), ValueError, "trace: expects a matrix"),
    (lambda: g.trace(g.ones(2, 2) > 0), TypeError, "trace: not implemented for bool"),
    (lambda: g.tril(g.ones(3)), ValueError, "tril: expects a tensor with at least 2"),
    (lambda: g.triu(_x(), 0.5), TypeError, "triu: diagonal must be an int"),
    (lambda: g.roll(_x(), (1, 2), 0), ValueError, "roll: shifts (1, 2) and dims 0"),
    (lambda: g.roll(_x(), (1, 2)), ValueError, "roll: shifts (1, 2) and dims None"),
    (lambda: g.roll(_x(), (), ()), ValueError, "roll: shifts ()"),
    (lambda: g.roll(_x(), 1.5, 0), TypeError, "roll: shifts must be integers"),
    (lambda: g.roll(g.tensor(1.0), 1, 0), IndexError, "roll: dims 0 given for a 0-d"),
    (lambda: g.repeat_interleave(_x(), -1, 0), ValueError, "repeat_interleave: repeats must be"),
    (lambda: g.repeat_interleave(_x(), g.tensor([1.0, 2.0, 1.0]), 0), TypeError,
     "repeat_interleave: repeats must be an int"),
    (lambda: g.repeat_interleave(_x(), g.tensor([1, 2]), 0), ValueError, "has 2 counts"),
    (lambda: g.repeat_interleave(_x(), 2, 0, output_size=5), ValueError, "output_size is 5"),
    (lambda: g.repeat_interleave(g.tensor([1.0, 2.0])), ValueError, "1-D integer tensor"),
    (lambda: g.tile(_x(), (-1,)), ValueError, "tile: counts must be non-negative"),
    (lambda: g.rot90(g.ones(3)), ValueError, "rot90: expects a tensor with at least 2"),
    (lambda: g.rot90(_x(), 1, (0, -2)), ValueError, "rot90: dim 0 appears more than once"),
    (lambda: g.rot90(_x(), 1, (0,)), ValueError, "rot90: dims must name 2"),
    (lambda: g.rot90(_x(), 1.0), TypeError, "rot90: k must be an int"),
    (lambda: g.fliplr(g.ones(3)), ValueError, "fliplr: expects a tensor with at least 2"),
    (lambda: g.flipud(g.tensor(1.0)), ValueError, "flipud: expects a tensor with at least 1"),
    (lambda: g.swapdims(_x(), 0, 2), IndexError, "swapdims: dimension out of range"),
    (lambda: g.hstack([]), ValueError, "hstack: expects a non-empty list"),
    (lambda: g.hstack(_x()), TypeError, "hstack: expects a list or tuple"),
    (lambda: g.hstack([_x(), g.ones(2, 1)]), ValueError, "hstack: cat: tensor 1 has shape (2, 1)"),
    (lambda: g.vstack([_x(), [1, 2]]), TypeError, "vstack: argument 'tensors[1]'"),
    (lambda: g.atleast_2d(3), TypeError, "atleast_2d: argument 'tensors[0]'"),
    (lambda: g.tensor_split(g.tensor(1.0), 2), ValueError, "tensor_split: expects a tensor"),
    (lambda: g.tensor_split(g.ones(3), 0), ValueError, "tensor_split: sections must be positive"),
    (lambda: g.tensor_split(g.ones(3), g.tensor([1.0])), TypeError, "0-d or 1-D int64"),
    (lambda: g.tensor_split(g.ones(3), [1.5]), TypeError, "tensor_split: indices must be integers"),
    (lambda: g.hsplit(_x(), 3), ValueError, "hsplit: dimension 1 of shape (3, 4) can't be split"),
    (lambda: g.vsplit(g.ones(3), 1), ValueError, "vsplit: expects a tensor with at least 2"),
    (lambda: g.dsplit(_x(), 1), ValueError, "dsplit: expects a tensor with at least 3"),
    (lambda: g.meshgrid(g.ones(3), _x()), ValueError, "meshgrid: expects 0-d or 1-D tensors"),
    (lambda: g.meshgrid(g.ones(3), g.ones(3).double()), ValueError, "tensor 0 has"),
    (lambda: g.meshgrid(g.ones(3), indexing="xx"), ValueError, "meshgrid: indexing must be"),
    (lambda: g.meshgrid(), ValueError, "meshgrid: expects at least one tensor"),
    (lambda: g.ones(3).unfold(0, 4, 1), ValueError, "unfold: needs 0 <= size <= 3"),
    (lambda: g.ones(3).unfold(0, 2, 0), ValueError, "got size 2 and step 0"),
    (lambda: g.nonzero([1, 0]), TypeError, "nonzero: argument 'input' must be a Tensor"),
    (lambda: g.masked_select(_x(), g.ones(3, 4, dtype=g.int64)), TypeError,
     "masked_select: mask must be a bool tensor"),
    (lambda: g.masked_select(_x(), g.ones(2, dtype=g.bool)), ValueError,
     "masked_select: mask of shape (2,) can't be broadcast"),
    (lambda: g.take(_x(), g.tensor([1.0])), TypeError, "take: index must be an integer"),
    (lambda: g.take(_x(), g.tensor([12])), IndexError, "take: index out of range [-12, 11]"),
    (lambda: g.take_along_dim(_x(), g.tensor([1]), 1), ValueError, "same number of dimensions"),
    (lambda: g.take_along_dim(_x(), g.tensor([[4]]), 1), IndexError, "index out of range [-4, 3]"),
    (lambda: g.take_along_dim(_x(), g.tensor([[1], [1]]), 1), ValueError,
     "take_along_dim: shapes (3, 4) and (2, 1) can't be broadcast"),
    (lambda: g.scatter(_x(), 0, g.tensor([[0]])), TypeError, "scatter: give either src"),
    (lambda: g.scatter(_x(), 0, g.tensor([[0]]), g.ones(1, 1)), TypeError,
     "scatter: src has dtype gradix.float32 but the input has gradix.float64"),
    (lambda: g.scatter(_x(), 0, g.tensor([[-1]]), 1.0), IndexError, "scatter: index out of range"),
    (lambda: g.scatter(_x(), 0, g.tensor([[0]]), "a"), TypeError,
     "scatter: value must be a number"),
    (lambda: g.index_add(_x(), 0, g.tensor([0, 1]), g.ones(2, 4)), TypeError,
     "index_add: source has dtype"),
    (lambda: g.index_add(_x(), 0, g.tensor([0, 1]), g.ones(3, 4).double()), ValueError,
     "it must have shape (2, 4)"),
    (lambda: g.index_add(_x(), 0, g.tensor([-1]), g.ones(1, 4).double()), IndexError,
     "index_add: index out of range [0, 2]"),
    (lambda: g.index_add(_x(), 0, g.tensor([[0]]), g.ones(1, 4).double()), ValueError,
     "index_add: index must be 0-d or 1-D"),
    (lambda: g.index_copy(_x(), 0, g.tensor([1.0]), g.ones(1, 4).double()), TypeError,
     "index_copy: index must be an integer tensor"),
    (lambda: g.index_fill(_x(), 0, g.tensor([-4]), 1.0), IndexError, "range [-3, 2]"),
    (lambda: g.index_fill(_x(), 0, g.tensor([0]), g.ones(1)), ValueError,
     "index_fill: value must be a number or a 0-d tensor"),
    (lambda: g.masked_scatter(_x(), _x() >= 0, g.ones(11).double()), ValueError,
     "masked_scatter: source has 11 entries, fewer than the 12"),
    (lambda: g.masked_scatter(_x(), _x() > 0, g.ones(11)), TypeError,
     "masked_scatter: source has dtype gradix.float32"),
]


@pytest.mark.parametrize("call, kind, words", _ERRORS, ids=[w[:40] for _, _, w in _ERRORS])
def test_bad_arguments_raise_errors_naming_the_op(call, kind, words):
    with pytest.raises(kind) as info:
        call()
    assert words in str(info.value)


# The 0-d, empty and size-1 inputs torch computes are rows of op_table_layout.py; these are the
# ones it refuses.
_EDGE_ERRORS = [  # (call on m = gradix or torch, gradix's error type, words of its message)
    (lambda m: m.diag_embed(m.tensor(1.0)), IndexError, "diag_embed: dimension out of range"),
    (lambda m: m.diag_embed(m.ones(1), 0, 0, 2), IndexError, "diag_embed: dimension out of"),
    (lambda m: m.diagonal(m.tensor(1.0)), IndexError, "diagonal: dimension out of range"),
    (lambda m: m.diag(m.zeros(2, 0, 3)), ValueError, "diag: expects a 1-D or 2-D"),
    (lambda m: m.trace(m.zeros(0)), ValueError, "trace: expects a matrix, got shape (0,)"),
    (lambda m: m.tril(m.tensor(1.0)), ValueError, "tril: expects a tensor with at least 2"),
    (lambda m: m.triu(m.zeros(0)), ValueError, "triu: expects a tensor with at least 2"),
    (lambda m: m.fliplr(m.zeros(0)), ValueError, "fliplr: expects a tensor with at least 2"),
    (lambda m: m.flipud(m.tensor(1.0)), ValueError, "flipud: expects a tensor with at least 1"),
    (lambda m: m.rot90(m.zeros(0)), ValueError, "rot90: expects a tensor with at least 2"),
    (lambda m: m.roll(m.tensor(1.0), 1, -1), IndexError, "roll: dims -1 given for a 0-d"),
    (lambda m: m.repeat_interleave(m.tensor(1.0), 2, 0), IndexError,
     "repeat_interleave: dim 0 given for a 0-d tensor"),
    (lambda m: m.repeat_interleave(m.tensor(1.0), m.tensor([3]), -1), IndexError,
     "repeat_interleave: dim -1 given for a 0-d tensor"),
    (lambda m: m.tensor_split(m.tensor(1.0), []), ValueError, "tensor_split: expects a tensor"),
    (lambda m: m.hsplit(m.tensor(1.0), 1), ValueError, "hsplit: expects a tensor with at least 1"),
    (lambda m: m.vsplit(m.zeros(0), 1), ValueError, "vsplit: expects a tensor with at least 2"),
    (lambda m: m.dsplit(m.zeros(0, 3), [1]), ValueError, "dsplit: expects a tensor with at least"),
    (lambda m: m.dsplit(m.zeros(2, 0, 3), 2), ValueError,
     "dsplit: dimension 2 of shape (2, 0, 3) can't be split into 2 equal parts"),
    (lambda m: m.zeros(0, 3).unfold(0, 1, 1), ValueError, "unfold: needs 0 <= size <= 0"),
    (lambda m: m.take_along_dim(m.tensor(1.0), m.tensor(0), 0), ValueError,
     "take_along_dim: x and indices must have the same number of dimensions"),
    (lambda m: m.take_along_dim(m.zeros(2, 0), m.tensor([[0], [1]]), 1), IndexError,
     "take_along_dim: index out of range [0, -1]"),
    (lambda m: m.index_add(m.ones(3), 0, m.tensor([1]), m.tensor(1.0)), ValueError,
     "index_add: source has shape (), but for an input of shape (3,)"),
    (lambda m: m.index_add(m.tensor(1.0), 0, m.tensor([0]), m.ones(1)), ValueError,
     "index_add: source has shape (1,), but for a 0-d input it must be 0-d"),
    (lambda m: m.index_copy(m.ones(3), 0, m.tensor([0, 1]), m.tensor(1.0)), ValueError,
     "index_copy: source has shape (), but for an input of shape (3,) and 2 indices"),
    (lambda m: m.index_copy(m.ones(3, 4), 0, m.tensor([0]), m.tensor(1.0)), ValueError,
     "index_copy: source has shape (), but for an input of shape (3, 4)"),
    (lambda m: m.index_copy(m.tensor(1.0), 0, m.tensor([0]), m.ones(1, 1)), ValueError,
     "index_copy: source has shape (1, 1)"),
    (lambda m: m.index_select(m.tensor(1.0), 0, m.tensor([0, 0])), IndexError,
     "index_select: a 0-d input takes exactly one index, got 2"),
    (lambda m: m.index_select(m.ones(3), 0, m.tensor([[0]])), ValueError,
     "index_select: index must be 0-d or 1-D, got shape (1, 1)"),
    (lambda m: m.index_select(m.ones(3), 0, m.tensor([-1])), IndexError,
     "index_select: index out of range [0, 2] for dimension 0 of shape (3,)"),
    (lambda m: m.scatter(m.ones(3, 4), 0, m.tensor(0), 1.0), ValueError,
     "scatter: index has 0 dimensions but input has 2"),
    (lambda m: m.gather(m.ones(3), 0, m.tensor([[0]])), ValueError,
     "gather: index has 2 dimensions but input has 1"),
    (lambda m: m.masked_scatter(m.tensor(1.0), m.tensor(True), m.zeros(0)), ValueError,
     "masked_scatter: source has 0 entries, fewer than the 1 places"),
]


@pytest.mark.parametrize("call, kind, words", _EDGE_ERRORS,
                         ids=[w[:40] for _, _, w in _EDGE_ERRORS])
def test_edge_shapes_torch_refuses_raise_errors_naming_the_op(call, kind, words, torch):
    with pytest.raises((RuntimeError, IndexError, ValueError)):
        call(torch)
    with pytest.raises(kind) as info:
        call(g)
    assert words in str(info.value)


def test_take_along_dim_checks_indices_along_a_dimension_of_size_1(torch):
    """Deliberately unlike torch, which reads any index there as 0 (it broadcasts x first)."""
    x, index = np.arange(3.0).reshape(1, 3), np.array([[0, 5, 1]])
    assert torch.take_along_dim(torch.tensor(x), torch.tensor(index), 0).tolist() == x.tolist()
    with pytest.raises(IndexError, match=r"^take_along_dim: index out of range \[-1, 0\]"):
        g.take_along_dim(g.tensor(x), g.tensor(index), 0)


# ---------------------------------------------------------------------- integer and bool dtypes
_DTYPES = [  # (name, call on m = gradix or torch): the result's dtype and values must match
    ("tril_bool", lambda m: m.tril(m.tensor(X) > 3, -1)),
    ("triu_int", lambda m: m.tensor(X).long().triu(1)),
    ("diag_bool", lambda m: m.diag(m.tensor([True, False]), 1)),
    ("diag_embed_int", lambda m: m.diag_embed(m.tensor([[1, 2], [3, 4]]))),
    ("trace_int32", lambda m: m.trace(m.tensor(X).int())),
    ("roll_int", lambda m: m.roll(m.tensor(X).long(), 1, 0)),
    ("repeat_interleave_counts", lambda m: m.repeat_interleave(m.tensor([2, 0, 1]))),
    ("tile_bool", lambda m: m.tile(m.tensor([True, False]), (2,))),
    ("hstack_promotes", lambda m: m.hstack([m.ones(2), m.tensor([1, 2])])),
    ("vstack_bool_int", lambda m: m.vstack([m.tensor([True]), m.tensor([3])])),
    ("nonzero_bool", lambda m: m.nonzero(m.tensor(X) > 5)),
    ("nonzero_int", lambda m: m.tensor([[0, 3], [2, 0]]).nonzero()),
    ("argwhere_0d", lambda m: m.argwhere(m.tensor(0.0))),
    ("masked_select_int", lambda m: m.masked_select(m.tensor([1, 2, 3]),
                                                    m.tensor([True, False, True]))),
    ("take_int", lambda m: m.take(m.tensor([[1, 2], [3, 4]]), m.tensor([3, 0]))),
    ("scatter_value_int", lambda m: m.zeros(3, dtype=m.int64).scatter(0, m.tensor([1]), 2.7)),
    ("scatter_value_bool", lambda m: m.zeros(3, dtype=m.bool).scatter(0, m.tensor([1]), True)),
    ("index_add_int_alpha", lambda m: m.zeros(3, dtype=m.int64).index_add(
        0, m.tensor([1, 1]), m.ones(2, dtype=m.int64), alpha=2.5)),
    ("index_add_bool_alpha", lambda m: m.tensor([True, False, False]).index_add(
        0, m.tensor([1, 2]), m.tensor([True, False]), alpha=-2.5)),
    ("index_select_0d_index", lambda m: m.tensor(X).index_select(1, m.tensor(2))),
    ("index_fill_int_float", lambda m: m.zeros(3, dtype=m.int64).index_fill(0, m.tensor([1]), 2.7)),
    ("index_fill_int_tensor_value", lambda m: m.zeros(3).index_fill(0, m.tensor([2]), m.tensor(5))),
    ("index_copy_bool", lambda m: m.zeros(3, dtype=m.bool).index_copy(
        0, m.tensor([2]), m.tensor([True]))),
    ("masked_scatter_int", lambda m: m.zeros(2, 2, dtype=m.int64).masked_scatter(
        m.tensor([True, False]), m.tensor([5, 6, 7]))),
    ("meshgrid_int", lambda m: m.meshgrid(m.tensor([1, 2]), m.tensor([3, 4, 5]), indexing="xy")),
    ("unfold_int", lambda m: m.arange(6).unfold(0, 2, 2)),
]


@pytest.mark.parametrize("call", [c for _, c in _DTYPES], ids=[n for n, _ in _DTYPES])
def test_integer_and_bool_inputs_match_torch(call, torch):
    ours, theirs = call(g), call(torch)
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype.name == str(b.dtype).replace("torch.", "")
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_index_outputs_are_int64_and_not_differentiable():
    x = g.tensor(X, requires_grad=True)
    for out in (g.nonzero(x), g.argwhere(x), *x.nonzero(as_tuple=True)):
        assert out.dtype == g.int64 and not out.requires_grad and out.grad_fn is None


@pytest.mark.parametrize("value", [2.0, 0.0])
def test_nonzero_as_tuple_of_a_0d_tensor_reads_it_as_1d(value, torch):
    ours = g.nonzero(g.tensor(value), as_tuple=True)
    theirs = torch.nonzero(torch.tensor(value), as_tuple=True)
    assert [t.tolist() for t in ours] == [t.tolist() for t in theirs]


# ---------------------------------------------------------------------- repeated writes
_WRITES = [  # (name, call(m, x, s)): s is written twice into some place of x
    ("scatter", lambda m, x, s: x.scatter(1, m.tensor([[0, 2, 0], [3, 3, 1]]), s)),
    ("index_copy", lambda m, x, s: x.index_copy(1, m.tensor([2, 0, 2]), s)),
]


@pytest.mark.parametrize("call", [c for _, c in _WRITES], ids=[n for n, _ in _WRITES])
def test_repeated_writes_keep_one_value_and_give_every_source_its_gradient(call, torch):
    """Which of two writes to one place stays is unspecified (as in torch), but it is one of
    them; the gradient follows torch's rule: each source entry gets the gradient of the place
    it was written to, and x gets none there."""
    rng = np.random.default_rng(0)
    a, s, up = rng.standard_normal((2, 4)), rng.standard_normal((2, 3)), rng.standard_normal((2, 4))
    x, src = g.tensor(a, requires_grad=True), g.tensor(s, requires_grad=True)
    tx, tsrc = torch.tensor(a, requires_grad=True), torch.tensor(s, requires_grad=True)
    out, tout = call(g, x, src), call(torch, tx, tsrc)
    for ours, theirs in zip(out.detach().numpy().ravel(), tout.detach().numpy().ravel()):
        assert ours == theirs or (ours in s and theirs in s)
    grads = g.autograd.grad(out, (x, src), g.tensor(up))
    tgrads = torch.autograd.grad(tout, (tx, tsrc), torch.tensor(up))
    for ours, theirs in zip(grads, tgrads):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_index_add_accumulates_repeated_indices_in_forward_and_backward():
    x, src = g.zeros(3, requires_grad=True), g.tensor([1.0, 2.0, 4.0], requires_grad=True)
    out = x.index_add(0, g.tensor([2, 2, 0]), src, alpha=0.5)
    np.testing.assert_array_equal(out.detach().numpy(), [2.0, 0.0, 1.5])
    out.backward(g.tensor([1.0, 10.0, 100.0]))
    np.testing.assert_array_equal(src.grad.numpy(), [50.0, 50.0, 0.5])
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 10.0, 100.0])


# ---------------------------------------------------------------------- calling conventions
def test_atleast_takes_one_tensor_several_or_a_list(torch):
    s, v = g.tensor(1.0), g.ones(3)
    assert isinstance(g.atleast_1d(s), g.Tensor) and g.atleast_1d(s).shape == (1,)
    assert [t.shape for t in g.atleast_3d(s, v)] == [(1, 1, 1), (1, 3, 1)]
    assert [t.shape for t in g.atleast_2d([s])] == [(1, 1)]
    assert g.atleast_1d() == () == torch.atleast_1d()


def test_meshgrid_defaults_to_ij_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        xs, ys = g.meshgrid(g.ones(3), g.ones(2))
    assert xs.shape == ys.shape == (3, 2)


def test_scatter_value_in_src_place_or_by_keyword():
    index = g.tensor([[1, 0]])
    a = g.zeros(2, 2).scatter(0, index, 5.0)
    b = g.scatter(g.zeros(2, 2), 0, index, value=5.0)
    np.testing.assert_array_equal(a.numpy(), [[0, 5], [5, 0]])
    np.testing.assert_array_equal(b.numpy(), a.numpy())


def test_functions_and_methods_follow_torch(torch):
    """Each op is a gradix function where torch has one and a Tensor method where torch has
    one (unfold is a method only; the stacks, atleast_* and meshgrid are functions only)."""
    names = """diag diagonal diag_embed trace tril triu roll repeat_interleave tile rot90 fliplr
    flipud t swapaxes swapdims hstack vstack dstack column_stack tensor_split hsplit vsplit
    dsplit meshgrid unfold atleast_1d atleast_2d atleast_3d concat nonzero argwhere
    masked_select take take_along_dim scatter index_add index_copy index_fill
    masked_scatter""".split()
    for name in names:
        assert hasattr(g, name) == hasattr(torch, name), name
        assert hasattr(g.Tensor, name) == hasattr(torch.Tensor, name), name


def test_rot90_by_a_multiple_of_four_is_a_copy():
    x = _x()
    y = x.rot90(4)
    y[0, 0] = -1.0
    assert x[0, 0].item() == 0.0
