"""Module forward hooks and dotted-path lookups, each scenario run in gradix and in PyTorch."""
import numpy as np
import pytest

import gradix

W = np.arange(6, dtype=np.float64).reshape(2, 3) / 10


def _net(lib):
    """Linear(3, 2) -> ReLU -> Linear(2, 1) holding fixed weights."""
    net = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.ReLU(), lib.nn.Linear(2, 1))
    with lib.no_grad():
        net[0].weight.copy_(lib.tensor(W))
        net[0].bias.fill_(0.5)
        net[2].weight.fill_(1.0)
        net[2].bias.fill_(0.0)
    return net.double()


def _value(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t)


def _scenario(lib):
    """Registers hooks of every kind on a small net, runs it, removes some, runs it again;
    returns the call log and both outputs."""
    log, net = [], _net(lib)
    x = lib.tensor([[1.0, -2.0, 3.0]], dtype=lib.float64)

    def pre(module, args):
        log.append(("pre", type(module).__name__, _value(args[0]).round(6).tolist()))
        return args[0] * 2                                   # a bare tensor: becomes (t,)

    def pre_kwargs(module, args, kwargs):
        log.append(("pre_kwargs", len(args), sorted(kwargs)))

    def post(module, args, output):
        log.append(("post", type(module).__name__, _value(output).round(6).tolist()))
        return output + 1

    def post_first(module, args, output):
        log.append(("post_first", _value(output).round(6).tolist()))

    handles = [net[0].register_forward_pre_hook(pre),
               net[0].register_forward_pre_hook(pre_kwargs, with_kwargs=True),
               net[2].register_forward_hook(post),
               net[2].register_forward_hook(post_first, prepend=True),
               net.register_forward_hook(lambda m, a, kw, out: out * 10, with_kwargs=True)]
    first = net(x)
    handles[0].remove()
    with handles[2]:
        pass
    second = net(x)
    return log, _value(first).tolist(), _value(second).tolist()


def test_forward_hooks_run_in_torchs_order_and_change_what_torch_changes(torch):
    assert _scenario(gradix) == _scenario(torch)


def test_a_pre_hook_with_kwargs_replaces_args_and_kwargs(torch):
    for lib in (gradix, torch):
        class Scale(lib.nn.Module):
            def forward(self, x, *, factor=1.0):
                return x * factor

        m = Scale()
        m.register_forward_pre_hook(lambda mod, args, kw: ((args[0] + 1,), {"factor": 3.0}),
                                    with_kwargs=True)
        assert _value(m(lib.tensor([1.0, 2.0]), factor=5.0)).tolist() == [6.0, 9.0]
        m.register_forward_pre_hook(lambda mod, args, kw: 7, with_kwargs=True)
        with pytest.raises(RuntimeError, match="forward pre-hook must return None or a tuple"):
            m(lib.tensor([1.0]))


def _always_call_log(lib):
    log = []

    class Fails(lib.nn.Module):
        def forward(self, x):
            raise ValueError("forward failed")

    m = Fails()
    m.register_forward_hook(lambda mod, args, out: log.append(("plain", out)))
    m.register_forward_hook(lambda mod, args, out: log.append(("always", out)), always_call=True)
    with pytest.raises(ValueError, match="forward failed"):
        m(lib.tensor([1.0]))
    return log


def test_always_call_hooks_run_when_forward_raises(torch):
    assert _always_call_log(gradix) == _always_call_log(torch) == [("always", None)]


def test_hooks_see_gradients_flow_through_what_they_return(torch):
    grads = []
    for lib in (gradix, torch):
        net = _net(lib)
        net[1].register_forward_hook(lambda m, a, out: out * 3)
        x = lib.tensor([[1.0, -2.0, 3.0]], dtype=lib.float64, requires_grad=True)
        net(x).sum().backward()
        grads.append(_value(x.grad))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_a_hook_must_be_callable():
    with pytest.raises(TypeError, match="hook must be callable, got int"):
        gradix.nn.ReLU().register_forward_hook(3)


def test_dotted_path_lookups_match_torch(torch):
    for lib in (gradix, torch):
        net = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.Sequential(lib.nn.BatchNorm1d(2)))
        assert net.get_submodule("") is net
        assert net.get_submodule("1.0") is net[1][0]
        assert net.get_parameter("0.weight") is net[0].weight
        assert net.get_buffer("1.0.running_mean") is net[1][0].running_mean
        for bad in (lambda: net.get_submodule("1.7"), lambda: net.get_submodule("0.x"),
                    lambda: net.get_parameter("0.running_mean"),
                    lambda: net.get_buffer("0.weight"), lambda: net.get_parameter("2.weight")):
            with pytest.raises(AttributeError):
                bad()
