"""Tensor hooks, retain_grad and inference_mode, each scenario run in gradix and in PyTorch
(the same code, ``lib`` being either) and compared."""
import numpy as np
import pytest

import gradix


def _ones(lib, requires_grad=True):
    return lib.ones(2, dtype=lib.float64, requires_grad=requires_grad)


def _hooks_on_leaf_and_non_leaf(lib):
    x = _ones(lib)
    x.register_hook(lambda g: g * 10)
    y = x * 3
    y.register_hook(lambda g: g + 1)
    z = y.sum()
    gx, gy = lib.autograd.grad(z, [x, y], retain_graph=True)
    z.backward()
    return gx, gy, x.grad


def _retain_grad_accumulates(lib):
    a = _ones(lib)
    b = a * 2
    b.retain_grad()
    c = (b * b).sum()
    c.backward(retain_graph=True)
    first = b.grad.clone()
    c.backward()
    return first, b.grad, a.grad


def _retained_after_hooks_in_any_order(lib):
    out = []
    for retain_first in (True, False):
        x = _ones(lib)
        y = x * 2
        if retain_first:
            y.retain_grad()
        y.register_hook(lambda g: g * 100)
        if not retain_first:
            y.retain_grad()
        y.sum().backward()
        out += [y.grad, x.grad]
    return out


def _removed_hook_and_root_hook(lib):
    a = _ones(lib)
    handle = a.register_hook(lambda g: g * 0)
    handle.remove()
    z = (a * a).sum()
    z.register_hook(lambda g: g * 5)  # on the output itself
    z.backward()
    return [a.grad]


def _hooks_under_create_graph(lib):
    x = _ones(lib)
    y = x * x
    y.register_hook(lambda g: g * y)  # a hook that itself builds graph
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = lib.autograd.grad(g.sum(), x)
    return [g, h]


SCENARIOS = [_hooks_on_leaf_and_non_leaf, _retain_grad_accumulates,
             _retained_after_hooks_in_any_order, _removed_hook_and_root_hook,
             _hooks_under_create_graph]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__.strip("_"))
def test_hooks_match_torch(torch, scenario):
    ours, theirs = scenario(gradix), scenario(torch)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12)


def test_hook_results_without_torch():
    """The first scenario's values, derived by hand: z = sum(3x); y's hook adds 1, x's
    multiplies by 10."""
    gx, gy, grad = _hooks_on_leaf_and_non_leaf(gradix)
    np.testing.assert_array_equal(gy.numpy(), [1.0, 1.0])  # grad() reports y's before its hook
    np.testing.assert_array_equal(gx.numpy(), [60.0, 60.0])  # (1 + 1) * 3 * 10
    np.testing.assert_array_equal(grad.numpy(), [60.0, 60.0])


def test_retains_grad_flag():
    a = _ones(gradix)
    b = a * 2
    assert not b.retains_grad and not a.retains_grad
    b.retain_grad()
    a.retain_grad()  # a leaf: nothing to do
    assert b.retains_grad and not a.retains_grad


def test_hook_errors():
    with pytest.raises(RuntimeError, match="register_hook: .*doesn't require grad"):
        gradix.ones(2).register_hook(lambda g: g)
    x = _ones(gradix)
    x.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"shape \(\) for one of shape \(2,\)"):
        (x * 2).sum().backward()


@pytest.mark.parametrize("use", ["context", "decorator", "bare decorator", "mode=False"])
def test_inference_mode_is_no_grad(torch, use):
    for lib in (gradix, torch):
        x = _ones(lib)

        def double(t):
            return t * 2
        if use == "context":
            with lib.inference_mode():
                y = double(x)
        elif use == "decorator":
            y = lib.inference_mode()(double)(x)
        elif use == "bare decorator":
            y = lib.inference_mode(double)(x)
        else:
            with lib.inference_mode(False):
                y = double(x)
        assert y.requires_grad == (use == "mode=False"), lib.__name__
        assert lib.is_grad_enabled()
