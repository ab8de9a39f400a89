"""Optimizers vs torch.optim: trajectories, param groups, state_dict, errors, coverage."""
import numpy as np
import pytest

import gradix
from gradix import optim

RNG = np.random.default_rng(0)
X, Y = RNG.normal(size=(5, 4)), RNG.normal(size=(5, 3))
W0, B0 = RNG.normal(size=(4, 3)), RNG.normal(size=(3,))

# (class name, keyword arguments): each option, and the combinations that interact
CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.5)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.5, nesterov=True, weight_decay=0.1, maximize=True)),
    ("Adam", dict(lr=0.1)),
    ("Adam", dict(lr=0.1, betas=(0.3, 0.5), eps=1e-3)),
    ("Adam", dict(lr=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.1, weight_decay=0.1)),
    ("Adam", dict(lr=0.1, weight_decay=0.1, amsgrad=True, maximize=True)),
    ("Adam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict(lr=0.1)),
    ("AdamW", dict(lr=0.1, weight_decay=0.3, amsgrad=True)),
    ("AdamW", dict(lr=0.1, weight_decay=0.3, maximize=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.5, eps=1e-3)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.9)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, weight_decay=0.1, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1)),
    ("Adagrad", dict(lr=0.1, weight_decay=0.1, initial_accumulator_value=0.5)),
    ("Adagrad", dict(lr=0.1, eps=1e-2, maximize=True)),
]


def test_every_optimizer_is_covered():
    exported = {name for name in optim.__all__
                if isinstance(getattr(optim, name), type)
                and issubclass(getattr(optim, name), optim.Optimizer)} - {"Optimizer"}
    assert exported == {name for name, _ in CASES}


def _params(lib):
    return [lib.tensor(a, requires_grad=True) for a in (W0, B0)]


def _loss(lib, w, b):
    x, y = (lib.tensor(a) for a in (X, Y))
    return ((lib.tanh(x @ w + b) - y) ** 2).sum()


def _run(lib, params, opt, steps):
    for _ in range(steps):
        opt.zero_grad()
        _loss(lib, *params).backward()
        opt.step()
    return [np.array(p.detach().numpy()) for p in params]


def _pair(torch, name, groups=None, **kwargs):
    """The same optimizer in gradix and torch on identical fresh parameters."""
    gp, tp = _params(gradix), _params(torch)
    gopt = getattr(optim, name)(groups(gp) if groups else gp, **kwargs)
    topt = getattr(torch.optim, name)(groups(tp) if groups else tp, **kwargs)
    return (gp, gopt), (tp, topt)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_trajectory_matches_torch(torch, name, kwargs):
    (gp, gopt), (tp, topt) = _pair(torch, name, **kwargs)
    for _ in range(10):
        ours, theirs = _run(gradix, gp, gopt, 1), _run(torch, tp, topt, 1)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted({n for n, _ in CASES}))
def test_param_groups_with_their_own_hyperparameters(torch, name):
    kwargs = dict(CASES)[name]
    extra = {"SGD": {"momentum": 0.9}, "Adam": {"amsgrad": True}, "AdamW": {"amsgrad": True},
             "RMSprop": {"centered": True}, "Adagrad": {"lr_decay": 0.5}}[name]

    def groups(ps):
        return [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.03, **extra}]

    (gp, gopt), (tp, topt) = _pair(torch, name, groups, **kwargs)
    assert gopt.param_groups[1]["lr"] == 0.03 and gopt.param_groups[0]["lr"] == kwargs["lr"]
    for a, b in zip(_run(gradix, gp, gopt, 10), _run(torch, tp, topt, 10)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_add_param_group_matches_torch(torch):
    (gp, gopt), (tp, topt) = _pair(torch, "SGD", lambda ps: ps[:1], lr=0.1, momentum=0.9)
    gopt.add_param_group({"params": gp[1], "lr": 0.01})
    topt.add_param_group({"params": tp[1], "lr": 0.01})
    for a, b in zip(_run(gradix, gp, gopt, 5), _run(torch, tp, topt, 5)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_state_dict_resumes_exactly(name, kwargs):
    gp = _params(gradix)
    full = _run(gradix, gp, getattr(optim, name)(gp, **kwargs), 8)

    first = _params(gradix)
    opt = getattr(optim, name)(first, **kwargs)
    _run(gradix, first, opt, 4)
    saved = opt.state_dict()
    resumed = [gradix.tensor(p.detach().numpy(), requires_grad=True) for p in first]
    new = getattr(optim, name)(resumed, lr=123.0)  # hyperparameters come from the state dict
    new.load_state_dict(saved)
    assert new.param_groups[0]["lr"] == kwargs["lr"]
    _run(gradix, first, opt, 1)  # training on must not reach the loaded copy
    for a, b in zip(_run(gradix, resumed, new, 4), full):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name,kwargs", [
    ("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(amsgrad=True)),
    ("AdamW", {}), ("RMSprop", dict(momentum=0.5, centered=True)), ("Adagrad", {})])
def test_state_dict_has_torchs_structure(torch, name, kwargs):
    (gp, gopt), (tp, topt) = _pair(torch, name, lambda ps: [{"params": [ps[0]]},
                                                            {"params": [ps[1]], "lr": 0.5}],
                                   **kwargs)
    _run(gradix, gp, gopt, 2), _run(torch, tp, topt, 2)
    ours, theirs = gopt.state_dict(), topt.state_dict()
    assert [g["params"] for g in ours["param_groups"]] == [[0], [1]]
    assert list(ours["state"]) == list(theirs["state"])
    for i in theirs["state"]:
        assert set(ours["state"][i]) == set(theirs["state"][i])
        for key, value in theirs["state"][i].items():
            mine = ours["state"][i][key]
            np.testing.assert_allclose(getattr(mine, "data", mine), value.numpy(), rtol=1e-12)
    for g, t in zip(ours["param_groups"], theirs["param_groups"]):
        assert {k: g[k] for k in g if k in t} == {k: t[k] for k in g if k in t}


def test_load_state_dict_rejects_other_layouts():
    opt = optim.SGD(_params(gradix), lr=0.1)
    two_groups = optim.SGD([{"params": [p]} for p in _params(gradix)], lr=0.1)
    with pytest.raises(ValueError, match="2 parameter groups"):
        opt.load_state_dict(two_groups.state_dict())
    with pytest.raises(ValueError, match="group 0 has 1 parameters"):
        optim.SGD(_params(gradix)[:1] + [gradix.zeros(2)], lr=0.1).load_state_dict(
            optim.SGD(_params(gradix)[:1], lr=0.1).state_dict())


def test_load_state_dict_casts_buffers_to_the_parameter_dtype():
    p64 = gradix.tensor([1.0, 2.0], dtype=gradix.float64, requires_grad=True)
    opt = optim.Adam([p64])
    (p64 ** 2).sum().backward()
    opt.step()
    p32 = gradix.tensor([1.0, 2.0], requires_grad=True)
    new = optim.Adam([p32])
    new.load_state_dict(opt.state_dict())
    state = new.state[p32]
    assert state["step"] == 1 and state["exp_avg"].dtype == np.float32


def test_params_without_grad_are_skipped_and_keep_no_state():
    used, unused = gradix.tensor([1.0], requires_grad=True), gradix.tensor([5.0],
                                                                            requires_grad=True)
    opt = optim.Adam([used, unused], lr=0.1, weight_decay=0.1)
    (used * 2).sum().backward()
    opt.step()
    assert unused.item() == 5.0 and list(opt.state) == [used]


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    p = gradix.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * 3).sum().backward()
    opt.zero_grad(set_to_none=set_to_none)
    assert p.grad is None if set_to_none else p.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("owner", ["optimizer", "module"])
def test_zero_grad_to_zeros_is_in_place_and_cuts_the_graph(owner):
    model = gradix.nn.Linear(2, 1)
    p = model.weight
    (model(gradix.ones(1, 2)).sum() ** 2).backward(create_graph=True)  # p.grad has a graph
    grad = p.grad
    assert grad.requires_grad
    clear = optim.SGD([p], lr=0.1) if owner == "optimizer" else model
    clear.zero_grad(set_to_none=False)
    assert p.grad is grad  # like torch: zeroed in place, not replaced
    assert grad.tolist() == [[0.0, 0.0]] and not grad.requires_grad and grad.grad_fn is None


def test_step_with_closure_returns_the_loss(torch):
    (gp, gopt), (tp, topt) = _pair(torch, "SGD", lr=0.1)

    def closure(lib, params, opt):
        opt.zero_grad()
        loss = _loss(lib, *params)
        loss.backward()
        return loss

    with gradix.no_grad():  # the closure records its graph even so
        loss = gopt.step(lambda: closure(gradix, gp, gopt))
    expected = topt.step(lambda: closure(torch, tp, topt))
    assert loss.item() == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(gp[0].detach().numpy(), tp[0].detach().numpy(), rtol=1e-12)


def test_float32_parameters_stay_float32():
    p = gradix.tensor([1.0, -2.0], requires_grad=True)
    for opt in (optim.SGD([p], momentum=0.9, weight_decay=0.1), optim.AdamW([p]),
                optim.RMSprop([p], centered=True), optim.Adagrad([p])):
        (p ** 2).sum().backward()
        opt.step()
        opt.zero_grad()
        assert p.dtype == np.float32


@pytest.mark.parametrize("call,match", [
    (lambda p: optim.SGD(p, lr=-0.1), "invalid lr -0.1"),
    (lambda p: optim.SGD(p, momentum=-0.5), "invalid momentum -0.5"),
    (lambda p: optim.SGD(p, weight_decay=-1), "invalid weight_decay -1"),
    (lambda p: optim.SGD(p, nesterov=True), "nesterov=True needs momentum > 0"),
    (lambda p: optim.SGD(p, momentum=0.9, dampening=0.1, nesterov=True), "dampening 0.1"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), r"invalid betas \(1.0, 0.999\)"),
    (lambda p: optim.Adam(p, betas=(0.9, -0.1)), "invalid betas"),
    (lambda p: optim.AdamW(p, eps=-1e-8), "invalid eps -1e-08"),
    (lambda p: optim.AdamW(p, lr=-1), "AdamW: invalid lr -1"),
    (lambda p: optim.RMSprop(p, alpha=-0.9), "invalid alpha -0.9"),
    (lambda p: optim.RMSprop(p, momentum=-0.9), "invalid momentum"),
    (lambda p: optim.Adagrad(p, lr_decay=-1), "invalid lr_decay -1"),
    (lambda p: optim.Adagrad(p, initial_accumulator_value=-1), "initial_accumulator_value -1"),
    (lambda p: optim.SGD([{"params": p[:1]}, {"params": p[1:], "lr": -2}]), "invalid lr -2"),
    (lambda p: optim.SGD([]), "empty parameter list"),
    (lambda p: optim.SGD([p[0], p[1], p[0]]), "appears more than once"),
    (lambda p: optim.SGD([{"params": p}, {"params": p[1]}]), "appears more than once"),
    (lambda p: optim.SGD([p[0] * 2]), "not a leaf"),
])
def test_invalid_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call(_params(gradix))


@pytest.mark.parametrize("params,match", [
    (lambda ps: ps[0], "single Tensor"), (lambda ps: [ps[0], 1.0], "parameter 1 .* float"),
    (lambda ps: [{"params": set(ps[:1])}], "not a set")])
def test_wrong_parameter_types_raise_type_error(params, match):
    with pytest.raises(TypeError, match=match):
        optim.Adam(params(_params(gradix)))
