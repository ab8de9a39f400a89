"""Index and shape cases where torch's semantics differ from NumPy's that the op table can't
express: copies versus views, writes through a key, src larger than index in scatter_add (torch
computes the forward but not the backward), second derivatives, and errors. The forward and
gradient comparisons with torch of the same ops are rows of op_table.py."""
import numpy as np
import pytest

import gradix
from gradix.autograd import gradcheck


def test_flip_returns_a_copy(torch):
    for m in (gradix, torch):
        a = m.tensor([1.0, 2.0, 3.0])
        b = a.flip(0)
        b[0] = 100.0
        np.testing.assert_array_equal(a.numpy(), [1.0, 2.0, 3.0])


@pytest.mark.parametrize("dims", [(0, 0), (0, -2), ((1, 1),)])
def test_flip_rejects_repeated_dims(torch, dims):
    with pytest.raises(RuntimeError, match="multiple times"):
        torch.zeros(2, 3).flip(*dims)
    with pytest.raises(ValueError, match=r"flip: dim \d appears more than once"):
        gradix.zeros(2, 3).flip(*dims)


@pytest.mark.parametrize("start, length", [(-4, 1), (4, 0), (2, 2), (0, -1), (-1, 2)])
def test_narrow_rejects_what_torch_rejects(torch, start, length):
    with pytest.raises((IndexError, RuntimeError)):
        torch.zeros(2, 3).narrow(1, start, length)
    with pytest.raises((IndexError, ValueError), match=r"narrow: .*\(2, 3\)"):
        gradix.zeros(2, 3).narrow(1, start, length)


@pytest.mark.parametrize("shape", [(-1, 2, 3), (4, -1, -1, 3)])
def test_minus_one_in_a_new_leading_dimension_is_refused(torch, shape):
    """-1 keeps an existing size; a new leading dimension has none to keep."""
    for m, error in ((torch, RuntimeError), (gradix, ValueError)):
        with pytest.raises(error, match="leading"):
            m.zeros(2, 3).expand(*shape)
        with pytest.raises(error, match="leading"):
            m.broadcast_to(m.zeros(2, 3), shape)


def test_transpose_and_movedim_errors():
    with pytest.raises(IndexError, match=r"transpose: .*\[-1, 0\].*got 1"):
        gradix.tensor(1.0).transpose(0, 1)
    with pytest.raises(ValueError, match="movedim: source .* same number"):
        gradix.zeros(2, 3, 4).movedim((0, 1), (1,))
    with pytest.raises(ValueError, match="movedim: dim 1 appears more than once"):
        gradix.zeros(2, 3, 4).movedim((0, 1), (1, 1))


# ---------------------------------------------------------------------- gather / scatter_add
@pytest.mark.parametrize("call, match", [
    (lambda x: x.gather(1, gradix.tensor([[0], [1], [0]])), r"no larger than the input"),
    (lambda x: x.gather(1, gradix.tensor([0, 1])), r"index has 1 dimensions but input has 2"),
    (lambda x: x.gather(1, gradix.tensor([[3]])), r"index out of range \[0, 2\]"),
    (lambda x: x.gather(1, gradix.tensor([[0.0]])), r"integer tensor"),
    (lambda x: x.scatter_add(0, gradix.tensor([[0, 1, 0]]), gradix.ones(1, 2)),
     r"no larger than src's shape \(1, 2\)"),
    (lambda x: x.scatter_add(1, gradix.tensor([[0], [1], [0]]), gradix.ones(3, 1)),
     r"no larger than the input's shape \(2, 3\) outside dimension 1"),
    (lambda x: x.scatter_add(0, gradix.tensor([[2]]), gradix.ones(2, 3)), r"out of range"),
    (lambda x: x.scatter_add(0, gradix.tensor([1]), gradix.ones(2, 3)), r"1 dimensions"),
    (lambda x: x.scatter_add(0, gradix.tensor([[0]]), gradix.ones(2, 3, dtype=gradix.float64)),
     r"src has dtype \S*float64 but the input has \S*float32"),
])
def test_gather_scatter_add_errors_name_op_and_shapes(call, match):
    with pytest.raises((ValueError, IndexError, TypeError), match=match):
        call(gradix.zeros(2, 3))


def test_scatter_add_uses_the_index_shaped_part_of_a_larger_src(torch):
    rng = np.random.default_rng(0)
    a, s = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    index = [[0, 1, 1], [1, 1, 0]]
    x, src = gradix.tensor(a, requires_grad=True), gradix.tensor(s, requires_grad=True)
    out = x.scatter_add(0, gradix.tensor(index), src)
    tx, tsrc = torch.tensor(a, requires_grad=True), torch.tensor(s, requires_grad=True)
    np.testing.assert_allclose(out.detach().numpy(),
                               tx.scatter_add(0, torch.tensor(index), tsrc).detach().numpy())
    # torch's own backward fails here; its gradient is that of src's leading part, zero elsewhere
    tout = tx.scatter_add(0, torch.tensor(index), tsrc[:2, :3])
    g = rng.standard_normal(out.shape)
    out.backward(gradix.tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_allclose(src.grad.numpy(), tsrc.grad.numpy())
    assert gradcheck(lambda x, s: x.scatter_add(0, gradix.tensor(index), s),
                     [gradix.tensor(a, requires_grad=True), gradix.tensor(s, requires_grad=True)])


def _second_derivatives(m, fn, a):
    """d/dx of sum(grad(sum(fn(x)**2), x) * w), the path through backward's own backward."""
    x = m.tensor(a, requires_grad=True)
    (g,) = m.autograd.grad((fn(m, x) ** 2).sum(), [x], create_graph=True)
    w = m.tensor(np.linspace(-1.0, 1.0, a.size).reshape(a.shape))
    (gg,) = m.autograd.grad((g * w).sum(), [x])
    return g.detach().numpy(), gg.numpy()


@pytest.mark.parametrize("fn", [
    lambda m, x: x[0, :, m.tensor([1, 1, 4])],
    lambda m, x: x[:, 2, m.tensor([True, False, True, True, False])],
    lambda m, x: x.gather(2, m.tensor([[[4, 4]], [[0, 4]]])),
    lambda m, x: m.scatter_add(x, 1, m.tensor([[[3, 3, 0, 1, 1]]]), x[:1, :1] * 2),
])
def test_second_derivatives_match_torch(torch, fn):
    a = np.random.default_rng(1).standard_normal((3, 4, 5))
    for ours, theirs in zip(_second_derivatives(gradix, fn, a), _second_derivatives(torch, fn, a)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- writes through a key
@pytest.mark.parametrize("key", [
    lambda m: (0, slice(None), m.tensor([0, 2])),
    lambda m: (slice(None), m.tensor([3, 1]), Ellipsis, 0),
    lambda m: (None, 1, slice(None), m.tensor([[4], [0]])),
    lambda m: (m.tensor(2), m.tensor([True, False, True, True])),
    lambda m: ([0, 2], [1, 1]),
    lambda m: (Ellipsis, m.tensor([3, 0]), Ellipsis),
    lambda m: (2, Ellipsis, 1, Ellipsis, 0),
])
def test_setitem_writes_the_places_getitem_reads(torch, key):
    a = np.arange(60.0).reshape(3, 4, 5)
    x, t = gradix.tensor(a), torch.tensor(a)
    value = np.arange(float(t[key(torch)].numel())).reshape(t[key(torch)].shape) + 100
    t[key(torch)] = torch.tensor(value)
    x[key(gradix)] = gradix.tensor(value)
    np.testing.assert_array_equal(x.numpy(), t.numpy())
    np.testing.assert_array_equal(x[key(gradix)].numpy(), value)


@pytest.mark.parametrize("key", [
    (Ellipsis, Ellipsis, 0),
    (Ellipsis, 0, Ellipsis, 1),
    (Ellipsis, Ellipsis, None),
    (0, Ellipsis, Ellipsis, gradix.tensor([1])),
])
def test_an_index_after_a_second_ellipsis_is_out_of_range(torch, key):
    """Every Ellipsis skips the dimensions the first one covers, so unless that is none an
    index after the second one lands past the last dimension, in torch as here."""
    tkey = tuple(torch.tensor(k.numpy()) if isinstance(k, gradix.Tensor) else k for k in key)
    with pytest.raises(IndexError):
        torch.zeros(3, 4, 5).__getitem__(tkey)
    x = gradix.zeros(3, 4, 5)
    with pytest.raises(IndexError, match=r"__getitem__: an index after a second Ellipsis"):
        x.__getitem__(key)
    with pytest.raises(IndexError, match=r"__setitem__: .* out of range \(tensor shape \(3, 4, 5"):
        x[key] = 1.0


# ---------------------------------------------------------------------- keys torch reads its way
@pytest.mark.filterwarnings("ignore:Using a non-tuple sequence")  # torch, of [[[[]]]]
@pytest.mark.parametrize("shape, key", [
    ((2, 3), (None, [0, 1], Ellipsis, [1, 2])),  # an Ellipsis of no dimension doesn't separate
    ((1,), (None, True, Ellipsis, [False])),
    ((2, 3, 1), ([0, 1], Ellipsis, Ellipsis, [1, 2], 0)),
    ((2, 3), [[]]), ((2, 3), (slice(None), [[]])), ((1, 1, 1, 0), [[[[]]]]),  # empty: integer
])
def test_getitem_reads_keys_as_torch_does(torch, shape, key):
    a = np.arange(float(np.prod(shape))).reshape(shape)
    x, t = gradix.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    y, ty = x[key], t[key]
    np.testing.assert_array_equal(y.detach().numpy(), ty.detach().numpy())
    assert y.shape == tuple(ty.shape)
    w = np.random.default_rng(0).standard_normal(y.shape)
    (gx,), (gt,) = gradix.autograd.grad(y, [x], gradix.tensor(w)), torch.autograd.grad(
        ty, [t], torch.tensor(w))
    np.testing.assert_array_equal(gx.numpy(), gt.numpy())


def test_setitem_drops_leading_sizes_1_of_the_value(torch):
    for m in (gradix, torch):
        x = m.zeros(4)
        x[0] = m.tensor([[5.0]])
        x[1:3] = m.tensor([[[1.0, 2.0]]])
        x[[3]] = m.tensor([[7.0]])
        np.testing.assert_array_equal(x.numpy(), [5.0, 1.0, 2.0, 7.0])


def test_setitem_refuses_an_empty_value_of_the_wrong_shape(torch):
    """NumPy writes an empty value of any shape into x[True, mask] when mask selects nothing."""
    with pytest.raises(RuntimeError):
        torch.zeros(1)[True, torch.tensor([False])] = torch.zeros(5, 0)
    with pytest.raises(ValueError, match=r"^__setitem__: (?!__setitem__).*\(tensor shape \(1,\), "
                                         r"value shape \(5, 0\)\)$"):
        gradix.zeros(1)[True, np.array([False])] = gradix.zeros(5, 0)


# ---------------------------------------------------------------------- shape ops at the edges
@pytest.mark.parametrize("call", [
    lambda m: m.zeros(2, 1).squeeze((1, -1)),
    lambda m: m.tensor(1.0).squeeze((0, -1)),
    lambda m: m.unflatten(m.tensor(1.0), 0, (1,)),
    lambda m: m.unflatten(m.zeros(2, 1), 1, ()),
    lambda m: m.unflatten(m.zeros(1, 0), 0, (2,)),
    lambda m: m.tensor(1.0).flatten(-2),
])
def test_shape_ops_refuse_what_torch_refuses(torch, call):
    with pytest.raises((RuntimeError, IndexError)):
        call(torch)
    with pytest.raises((ValueError, IndexError), match=r"^(squeeze|unflatten|flatten): "):
        call(gradix)


@pytest.mark.parametrize("call", [
    lambda m: m.unflatten(m.zeros(2, 0), 0, (-1,)),  # -1 from the size of dim 0, not from 0
    lambda m: m.unflatten(m.zeros(6, 0), 0, (-1, 3)),
    lambda m: m.zeros(1, 0).flatten(-2, -2),
    lambda m: m.nn.functional.pad(m.tensor(1.5), []),
    lambda m: m.cat([m.zeros(0)], -2),  # only (0,) placeholders: any dim
    lambda m: m.cat([m.zeros(0), m.zeros(0)], 5),
])
def test_shape_ops_of_empty_and_0d_tensors_match_torch(torch, call):
    assert call(gradix).shape == tuple(call(torch).shape)


def test_cat_passes_a_gradient_to_an_empty_placeholder(torch):
    for m in (gradix, torch):
        a, b = m.tensor([0.5]), m.zeros(0, dtype=m.float64, requires_grad=True)
        y = m.cat([a, b])
        assert y.requires_grad and y.dtype == m.float64
        assert m.autograd.grad(y, b, m.ones(1, dtype=m.float64))[0].shape == (0,)
