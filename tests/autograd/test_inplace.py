"""In-place changes and the graph: a backward through ops whose saved arrays were changed in
place raises (as PyTorch's version counters make it do) instead of returning wrong gradients,
and an in-place change never silently drops a gradient."""
import numpy as np
import pytest

import gradix


def _leaf(values=(1.0, 2.0)):
    return gradix.tensor(values, dtype=gradix.float64, requires_grad=True)


def _const(values=(3.0, 4.0)):
    return gradix.tensor(values, dtype=gradix.float64)


def _no_grad(lib, change):
    with lib.no_grad():
        change()


def _then(loss, change):
    """``loss``, built first; then ``change()``, an in-place change after the graph exists."""
    change()
    return loss


def _saved_output(lib, x):
    """sigmoid saves its output y for backward; y changes under no_grad."""
    y = x.sigmoid()
    return _then(y.sum(), lambda: _no_grad(lib, lambda: y.mul_(0)))


# Each case builds a loss from x (requires grad) and w with ``lib`` (gradix or torch), then
# changes something in place: PyTorch raises at backward on every one of them.
CHANGED_AFTER_THE_OP = {
    "mul_ on an input": lambda lib, x, w: _then((x * w).sum(), lambda: w.mul_(10)),
    "__setitem__ on an input": lambda lib, x, w: _then((x * w).sum(),
                                                       lambda: w.__setitem__(0, 9.0)),
    "through a view of an input": lambda lib, x, w: _then((x * w).sum(),
                                                          lambda: w.detach()[1:].zero_()),
    "a leaf under no_grad": lambda lib, x, w: _then(
        (x * x).sum(), lambda: _no_grad(lib, lambda: x.mul_(10))),
    "a saved output under no_grad": lambda lib, x, w: _saved_output(lib, x),
    "matmul's input": lambda lib, x, w: _then((x.reshape(1, 2) @ w.reshape(2, 1)).sum(),
                                              lambda: w.add_(1)),
}


@pytest.mark.parametrize("case", CHANGED_AFTER_THE_OP)
def test_backward_refuses_arrays_changed_in_place(case):
    loss = CHANGED_AFTER_THE_OP[case](gradix, _leaf(), _const())
    with pytest.raises(RuntimeError, match=r"shape \(.*\).*changed in place by \w+ after"):
        loss.backward()


@pytest.mark.parametrize("case", CHANGED_AFTER_THE_OP)
def test_torch_refuses_the_same_changes(torch, case):
    """The reference: every case above is an error in PyTorch too."""
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    w = torch.tensor([3.0, 4.0], dtype=torch.float64)
    loss = CHANGED_AFTER_THE_OP[case](torch, x, w)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_changes_before_the_op_or_after_backward_are_fine():
    x, w = _leaf(), _const()
    w.mul_(2)  # before the graph exists
    loss = (x * w).sum()
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 8.0])
    w.mul_(2)  # after the graph is gone
    (x * w).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0 + 12.0, 8.0 + 16.0])


def test_an_unrelated_change_does_not_stop_backward():
    x, w, other = _leaf(), _const(), _const()
    loss = (x * w).sum()
    other.mul_(3)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 4.0])


def test_every_input_counts_even_where_torch_saved_none():
    """Stricter than PyTorch, which checks only the tensors an op saved: gradix checks every
    input, so it also refuses a change to an input of an addition."""
    x, w = _leaf(), _const()
    loss = (x + w).sum()
    w.add_(1)
    with pytest.raises(RuntimeError, match="that Add may use"):
        loss.backward()


def test_retained_graph_is_refused_after_a_change():
    x, w = _leaf(), _const()
    loss = (x * w).sum()
    loss.backward(retain_graph=True)
    w.mul_(2)
    with pytest.raises(RuntimeError, match="changed in place by mul_"):
        loss.backward()


@pytest.mark.parametrize("change", [
    lambda z, x: z.__setitem__(slice(1, None), x),
    lambda z, x: z.copy_(x[0]),
    lambda z, x: z.add_(x[0]),
    lambda z, x: z.sub_(x[0], alpha=2),
    lambda z, x: z.fill_(x[0]),
], ids=["__setitem__", "copy_", "add_", "sub_ with alpha", "fill_"])
def test_in_place_value_that_requires_grad_raises(change):
    """gradix doesn't record in-place ops, so taking a value that requires grad would drop
    its gradient silently (PyTorch records a CopySlices node instead)."""
    z, x = gradix.zeros(3, dtype=gradix.float64), _leaf((1.0, 2.0))
    with pytest.raises(RuntimeError, match="value requires grad.*detach"):
        change(z, x)
    np.testing.assert_array_equal(z.numpy(), 0)  # refused before anything changed
    with gradix.no_grad():  # no gradient is expected here, so the value is taken
        z[1:] = x
    np.testing.assert_array_equal(z.numpy(), [0.0, 1.0, 2.0])


def test_numpy_in_place_update_with_a_tensor_operand_raises():
    """``p.data`` is the array: ``p.data -= lr * p.grad`` (a torch idiom) would otherwise
    replace it with a Tensor; the array idiom updates it in place."""
    p = gradix.ones(3)
    array = p.data
    with pytest.raises(TypeError, match="Tensor"):
        p.data -= gradix.ones(3)
    p.data -= gradix.ones(3).data * 0.5
    assert p.data is array
    np.testing.assert_array_equal(p.numpy(), 0.5)
    assert isinstance(np.ones(3) - gradix.ones(3), gradix.Tensor)  # ndarray (op) Tensor defers


def _step_between_backwards(lib):
    """backward (graph retained), an optimizer step, then backward again: the graph saved
    the parameters' old values."""
    w = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    lib.optim.SGD([w], lr=0.1).step()
    loss.backward()


def test_optimizer_step_between_backwards_of_a_retained_graph_raises():
    with pytest.raises(RuntimeError, match="changed in place by optimizer.step"):
        _step_between_backwards(gradix)


def test_torch_refuses_a_step_between_backwards_too(torch):
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        _step_between_backwards(torch)
