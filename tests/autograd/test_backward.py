"""backward() semantics: implicit gradients, accumulation, retain_graph, detach, grad modes,
autograd.grad, deep graphs."""
import sys

import numpy as np
import pytest

import gradix
from gradix import autograd


def _x(values=(1.0, -2.0, 3.0), dtype=gradix.float64):
    return gradix.tensor(values, dtype=dtype, requires_grad=True)


# ---------------------------------------------------------------------- backward()
def test_scalar_output_needs_no_gradient():
    x = _x()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, -4.0, 6.0])


def test_one_element_output_needs_no_gradient():
    x = _x()
    (x * x).sum().reshape(1, 1).backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, -4.0, 6.0])


def test_non_scalar_without_gradient_raises():
    x = _x()
    with pytest.raises(RuntimeError, match=r"scalar outputs.*\(3,\)"):
        (x * 2).backward()


def test_gradient_with_wrong_shape_raises():
    x = _x()
    with pytest.raises(RuntimeError, match=r"\(2,\).*\(3,\)"):
        (x * 2).backward(gradix.ones(2))


def test_gradient_argument_is_used():
    x = _x()
    (x * 3).backward(gradix.tensor([1.0, 0.5, -2.0], dtype=gradix.float64))
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 1.5, -6.0])


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        gradix.ones(3).sum().backward()


def test_gradients_accumulate_across_calls():
    x = _x()
    (x * x).sum().backward()
    (3 * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2 + 3, -4 + 3, 6 + 3])


def test_grad_zero_and_set_to_none():
    x = _x()
    (x * x).sum().backward()
    x.grad.zero_()
    np.testing.assert_array_equal(x.grad.numpy(), 0)
    (x * 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0, 2.0])
    x.grad = None
    x.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 1.0, 1.0])


@pytest.mark.parametrize("value, error, match", [
    (lambda m, x: m.zeros(3, 2), RuntimeError, r"gradient of shape \(3, 2\) to a tensor of shape "
                                               r"\(2, 3\)"),
    (lambda m, x: m.zeros(6), RuntimeError, r"shape \(6,\)"),
    (lambda m, x: m.zeros(2, 3, dtype=m.float64), RuntimeError,
     r"gradix\.float64 gradient to a gradix\.float32 tensor"),
    (lambda m, x: m.zeros(2, 3, dtype=m.int64), RuntimeError, r"dtypes must match"),
    (lambda m, x: np.zeros((2, 3), np.float32), TypeError, r"Tensor or None, got ndarray"),
    (lambda m, x: [[0.0] * 3] * 2, TypeError, r"Tensor or None, got list"),
    (lambda m, x: x, RuntimeError, r"its own gradient"),
])
def test_assigning_a_grad_that_does_not_fit_raises_like_torch(torch, value, error, match):
    for m in (torch, gradix):
        x = m.zeros(2, 3, requires_grad=True)
        with pytest.raises(error, match=match if m is gradix else None):
            x.grad = value(m, x)
        assert x.grad is None


def test_assigning_a_grad_that_fits():
    x = gradix.zeros(2, 3, requires_grad=True)
    g = gradix.ones(2, 3)
    x.grad = g
    assert x.grad is g
    x.grad = None
    assert x.grad is None
    n = gradix.zeros(2, dtype=gradix.int64)  # no requires_grad needed; only the fit counts
    n.grad = gradix.ones(2, dtype=gradix.int64)
    assert n.grad.dtype == gradix.int64


def test_grad_accumulates_in_place_like_torch(torch):
    """A reference to .grad sees later backward passes add into it."""
    for lib, x in ((gradix, _x()), (torch, torch.tensor([1.0, -2.0, 3.0], requires_grad=True))):
        (x * x).sum().backward()
        g = x.grad
        g.zero_()
        (x * 3).sum().backward()
        assert g is x.grad, lib.__name__
        np.testing.assert_allclose(np.asarray(g.detach()), [3.0, 3.0, 3.0])


def test_autograd_backward_of_several_tensors_matches_torch(torch):
    """autograd.backward([a, b], [None, g]) adds the gradients of a and of <g, b>; inputs=
    restricts it to some leaves."""
    grads = {}
    for lib in (gradix, torch):
        x = lib.tensor([1.0, -2.0, 3.0], dtype=lib.float64, requires_grad=True)
        w = lib.tensor([0.5, 2.0, -1.0], dtype=lib.float64, requires_grad=True)
        a, b = (x * w).sum(), x * x * w
        lib.autograd.backward([a, b], [None, lib.tensor([1.0, 10.0, 100.0], dtype=lib.float64)],
                              retain_graph=True)
        first = [np.asarray(t.grad).copy() for t in (x, w)]
        x.grad = w.grad = None
        lib.autograd.backward(b, lib.ones(3, dtype=lib.float64), inputs=[w])
        grads[lib.__name__] = first + [x.grad, np.asarray(w.grad)]
    g, t = grads["gradix"], grads["torch"]
    np.testing.assert_allclose(g[0], t[0], rtol=1e-12)
    np.testing.assert_allclose(g[1], t[1], rtol=1e-12)
    assert g[2] is None and t[2] is None
    np.testing.assert_allclose(g[3], t[3], rtol=1e-12)


def test_autograd_backward_refuses_mismatched_arguments():
    x = _x()
    with pytest.raises(ValueError, match=r"backward: got 2 tensors and 1 grad_tensors"):
        autograd.backward([x * 2, x * 3], [gradix.ones(3)])
    with pytest.raises(ValueError, match=r"backward: got 0 tensors"):
        autograd.backward([])
    with pytest.raises(RuntimeError, match=r"backward: tensor 1 does not require grad"):
        autograd.backward([x.sum(), gradix.ones(1)])
    with pytest.raises(RuntimeError, match=r"grad can be implicitly created only for scalar "
                                           r"outputs, got shape \(3,\); pass grad_tensors="):
        autograd.backward([x * 2])
    assert x.grad is None


def test_integer_gradient_argument_is_cast_like_torch(torch):
    for lib in (gradix, torch):
        x = lib.ones(2, requires_grad=True)
        (x * 2).backward(lib.ones(2, dtype=lib.int64))
        assert x.grad.dtype == lib.float32
        np.testing.assert_allclose(np.asarray(x.grad), [2.0, 2.0])


def test_grad_does_not_alias_upstream_or_other_grads():
    a, b = _x(), _x((4.0, 5.0, 6.0))
    g = gradix.tensor([1.0, 2.0, 3.0], dtype=gradix.float64)
    (a + b).backward(g)
    a.grad.zero_()
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 2.0, 3.0])
    np.testing.assert_allclose(g.numpy(), [1.0, 2.0, 3.0])


def test_leaf_used_twice_sums_contributions():
    x = _x()
    y = x * x + x * 2 + x.exp()
    y.sum().backward()
    a = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(x.grad.numpy(), 2 * a + 2 + np.exp(a))


def test_non_leaf_grad_is_not_kept():
    x = _x()
    h = x * 2
    h.sum().backward()
    assert h.grad is None and not h.is_leaf and x.is_leaf


def test_second_backward_without_retain_graph_raises():
    x = _x()
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time.*retain_graph"):
        y.backward()


def test_retain_graph_allows_second_backward():
    x = _x()
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first)


def test_backward_with_inputs_only_fills_those():
    a, b = _x(), _x((1.0, 1.0, 1.0))
    (a * b).sum().backward(inputs=[a])
    np.testing.assert_allclose(a.grad.numpy(), [1.0, 1.0, 1.0])
    assert b.grad is None


# ---------------------------------------------------------------------- detach, requires_grad_
def test_detach_cuts_the_graph_and_shares_data():
    x = _x()
    d = (x * 2).detach()
    assert not d.requires_grad and d.grad_fn is None
    y = (x * d).sum()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, -4.0, 6.0])  # d treated as a constant
    x2 = _x()
    assert np.shares_memory(x2.detach().numpy(), x2.data)


def test_requires_grad_flag_propagates():
    a = gradix.ones(2)
    b = gradix.ones(2).requires_grad_()
    assert not (a * 2).requires_grad
    assert (a * b).requires_grad and (a * b).grad_fn is not None


def test_requires_grad_on_integer_tensor_raises():
    with pytest.raises(RuntimeError, match="floating point.*int64"):
        gradix.tensor([1, 2]).requires_grad_()


def test_integer_inputs_get_no_gradient():
    x = _x()
    idx = gradix.tensor([2, 0])
    (x[idx] * 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 0.0, 2.0])


# ---------------------------------------------------------------------- grad modes
def test_no_grad_context_records_nothing():
    x = _x()
    with gradix.no_grad():
        y = x * 2
        assert not gradix.is_grad_enabled()
    assert gradix.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_enable_grad_inside_no_grad():
    x = _x()
    with gradix.no_grad():
        with gradix.enable_grad():
            y = x * 2
        z = x * 2
    assert y.requires_grad and not z.requires_grad


def test_grad_mode_decorators():
    x = _x()

    @gradix.no_grad()
    def f(t):
        return t * 2

    @gradix.enable_grad()
    def g(t):
        return t * 2

    @gradix.set_grad_enabled(False)
    def h(t):
        return t * 2

    assert gradix.is_grad_enabled()  # decorating changes nothing
    assert not f(x).requires_grad and not h(x).requires_grad
    with gradix.no_grad():
        assert g(x).requires_grad
    assert gradix.is_grad_enabled()
    assert f.__name__ == "f"


def test_grad_mode_decorators_without_parentheses_and_on_generators(torch):
    for lib, x in ((gradix, _x()), (torch, torch.ones(2, requires_grad=True))):
        @lib.no_grad
        def f(t):
            return (t * 2).requires_grad

        @lib.no_grad()
        def gen(t):
            for i in range(2):
                yield (t * i).requires_grad
            return "done"

        assert f(x) is False, lib.__name__
        assert list(gen(x)) == [False, False], lib.__name__  # the body runs without grad
        assert lib.is_grad_enabled()


def test_set_grad_enabled_object_can_be_entered_twice(torch):
    for lib in (gradix, torch):
        s = lib.set_grad_enabled(False)
        seen = []
        for _ in range(2):
            with s:
                seen.append(lib.is_grad_enabled())
            seen.append(lib.is_grad_enabled())
        assert seen == [False, True, False, True], lib.__name__
        lib.set_grad_enabled(True)


def test_set_grad_enabled_as_context_and_call():
    x = _x()
    with gradix.set_grad_enabled(False):
        assert not (x * 2).requires_grad
        with gradix.set_grad_enabled(True):
            assert (x * 2).requires_grad
    assert gradix.is_grad_enabled()
    gradix.set_grad_enabled(False)
    try:
        assert not gradix.is_grad_enabled()
    finally:
        gradix.set_grad_enabled(True)


def test_grad_mode_restored_after_exception():
    with pytest.raises(ValueError):
        with gradix.no_grad():
            raise ValueError("boom")
    assert gradix.is_grad_enabled()


# ---------------------------------------------------------------------- autograd.grad
def test_grad_returns_tuple_and_leaves_dot_grad_alone():
    a, b = _x(), _x((0.5, 0.25, 2.0))
    y = (a * b).sum()
    ga, gb = autograd.grad(y, [a, b])
    np.testing.assert_allclose(ga.numpy(), [0.5, 0.25, 2.0])
    np.testing.assert_allclose(gb.numpy(), [1.0, -2.0, 3.0])
    assert a.grad is None and b.grad is None
    assert not ga.requires_grad


def test_grad_with_grad_outputs():
    x = _x()
    v = gradix.tensor([1.0, -1.0, 0.5], dtype=gradix.float64)
    (g,) = autograd.grad(x * x, x, grad_outputs=v)
    np.testing.assert_allclose(g.numpy(), 2 * np.array([1.0, -2.0, 3.0]) * [1.0, -1.0, 0.5])


def test_grad_of_several_outputs_sums():
    x = _x()
    (g,) = autograd.grad([(x * x).sum(), x.sum()], [x])
    np.testing.assert_allclose(g.numpy(), [3.0, -3.0, 7.0])


def test_grad_allow_unused():
    a, b = _x(), _x()
    y = (a * 2).sum()
    with pytest.raises(RuntimeError, match="input 1 was not used.*allow_unused"):
        autograd.grad(y, [a, b], retain_graph=True)
    ga, gb = autograd.grad(y, [a, b], allow_unused=True)
    assert gb is None
    np.testing.assert_allclose(ga.numpy(), 2.0)


def test_grad_wrt_intermediate():
    x = _x()
    h = x * 3
    y = (h * h).sum()
    (gh,) = autograd.grad(y, h)
    np.testing.assert_allclose(gh.numpy(), 2 * 3 * np.array([1.0, -2.0, 3.0]))


def test_grad_non_scalar_without_grad_outputs_raises():
    x = _x()
    with pytest.raises(RuntimeError, match="grad_outputs"):
        autograd.grad(x * 2, x)


def test_grad_create_graph_gives_differentiable_gradient():
    x = _x()
    (g,) = autograd.grad((x ** 3).sum(), x, create_graph=True)
    assert g.requires_grad
    np.testing.assert_allclose(g.detach().numpy(), 3 * np.array([1.0, 4.0, 9.0]))
    (gg,) = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(gg.numpy(), 6 * np.array([1.0, -2.0, 3.0]))


def test_backward_create_graph_then_grad_of_grad():
    x = _x()
    (x.sin() * x).sum().backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    (gg,) = autograd.grad(g.sum(), x)
    a = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(gg.numpy(), 2 * np.cos(a) - a * np.sin(a), rtol=1e-12)


# ---------------------------------------------------------------------- deep graphs
def test_100k_op_chain_backward_without_recursion_error():
    x = gradix.tensor([0.5, -0.25], dtype=gradix.float64, requires_grad=True)
    y = x
    limit = sys.getrecursionlimit()
    for _ in range(100_000):
        y = y * 1.0000001
    y.sum().backward()
    assert sys.getrecursionlimit() == limit
    np.testing.assert_allclose(x.grad.numpy(), 1.0000001 ** 100_000, rtol=1e-9)


def test_wide_graph_reused_node():
    x = _x()
    h = x * 2
    y = h
    for _ in range(1000):
        y = y + h
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * 1001)


def test_create_graph_grad_does_not_alias_the_callers_gradient():
    a = gradix.tensor([1.0, 2.0], requires_grad=True)
    b = gradix.tensor([3.0, 4.0], requires_grad=True)
    v = gradix.tensor([1.0, 1.0])
    (a + b).backward(v, create_graph=True)
    assert a.grad is not v and b.grad is not v
    with gradix.no_grad():
        a.grad.mul_(10)
    assert v.tolist() == [1.0, 1.0] and b.grad.tolist() == [1.0, 1.0]


def test_reusing_a_freed_intermediate_raises_the_freed_error():
    x = gradix.tensor([1.0, 2.0], requires_grad=True)
    u, v = x * 2, x * 3
    (u + v).sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        (u + v).sum().backward()


def _random_dag(leaves, seed, n_nodes=40):
    """A random graph over ``leaves`` (gradix's or torch's tensors): each node applies a random
    op to one or two earlier nodes, so nodes have several consumers, diamonds and nodes that no
    path to the output uses; the output sums a random subset. One seed builds the same graph in
    either library."""
    rng = np.random.default_rng(seed)
    unary = [lambda a: a.tanh(), lambda a: a.sin(), lambda a: a * 0.5, lambda a: -a]
    binary = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b]
    nodes = list(leaves)
    for _ in range(n_nodes):
        if rng.random() < 0.5:
            nodes.append(unary[rng.integers(len(unary))](nodes[rng.integers(len(nodes))]))
        else:
            i, j = rng.integers(len(nodes), size=2)
            nodes.append(binary[rng.integers(len(binary))](nodes[i], nodes[j]))
    picked = rng.choice(len(nodes) - len(leaves), size=5, replace=False) + len(leaves)
    out = nodes[picked[0]]
    for k in picked[1:]:
        out = out + nodes[k]
    return out.sum()


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_match_torch(torch, seed):
    values = np.random.default_rng(100 + seed).uniform(-1, 1, (3, 4))
    ours = [gradix.tensor(v, dtype=gradix.float64, requires_grad=True) for v in values]
    theirs = [torch.tensor(v, requires_grad=True) for v in values]
    _random_dag(ours, seed).backward()
    _random_dag(theirs, seed).backward()
    for a, b in zip(ours, theirs):
        if b.grad is None:  # a leaf that no path to the output uses
            assert a.grad is None
        else:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_random_graphs_pass_gradcheck(seed):
    values = np.random.default_rng(200 + seed).uniform(-1, 1, (3, 4))
    leaves = [gradix.tensor(v, dtype=gradix.float64, requires_grad=True) for v in values]
    assert autograd.gradcheck(lambda *xs: _random_dag(xs, seed), leaves)
