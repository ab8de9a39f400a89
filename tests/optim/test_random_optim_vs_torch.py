"""Randomized differential tests of gradix.optim against torch.optim: hypothesis draws an
optimizer, its hyperparameters (per group too), float64 parameters of several shapes (0-d and
size-0 among them, some frozen) and a gradient sequence with missing gradients, then checks
every step's parameters against torch to 1e-12, the state_dict's structure and a resume from
it (gradix -> gradix, torch -> gradix, gradix -> torch), and the hyperparameters torch refuses.
The schedulers are drawn the same way and compared lr by lr (momentum and betas too) over up to
30 steps, with a state_dict round trip part way. The fixed cases in test_optimizers.py and
test_lr_scheduler.py check the same features on one model; these look for the inputs they miss.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gradix
from gradix import optim
from gradix.optim import lr_scheduler

torch = pytest.importorskip("torch", reason="needs PyTorch as the reference (not installed)")

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]
SHAPES = [(3, 2), (), (0,), (4,), (2, 1, 3)]


def test_every_optimizer_and_scheduler_is_drawn():
    exported = {name for name in optim.__all__ if isinstance(getattr(optim, name), type)
                and issubclass(getattr(optim, name), optim.Optimizer)} - {"Optimizer"}
    assert exported == set(NAMES)
    schedulers = {name for name, value in vars(lr_scheduler).items() if isinstance(value, type)
                  and issubclass(value, lr_scheduler.LRScheduler)} - {"LRScheduler"}
    assert schedulers == set(SCHEDULERS)


# ------------------------------------------------------------------ optimizer trajectories
def _floats(draw, lo, hi, special=()):
    if special and draw(st.booleans()):
        return draw(st.sampled_from(special))
    return draw(st.floats(lo, hi))


def _hyperparameters(draw, name, in_group=False):
    """Valid keyword arguments of optimizer ``name`` (all floats, as torch wants betas)."""
    kw = {"lr": _floats(draw, 0, 1, (0.0, 1e-3, 0.1, 1.0))}
    if draw(st.booleans()):
        kw["weight_decay"] = _floats(draw, 0, 0.5, (0.0,))
    if draw(st.booleans()):
        kw["maximize"] = draw(st.booleans())
    if name == "SGD":
        kw["momentum"] = _floats(draw, 0, 0.99, (0.0,))
        kw["dampening"] = _floats(draw, 0, 1, (0.0,))
        kw["nesterov"] = kw["momentum"] > 0 and kw["dampening"] == 0 and draw(st.booleans())
    elif name in ("Adam", "AdamW"):
        kw["betas"] = (_floats(draw, 0, 0.999, (0.0, 0.5, 0.9)),
                       _floats(draw, 0, 0.9999, (0.0, 0.5, 0.999)))
        kw["eps"] = _floats(draw, 1e-10, 1, (1e-8, 1e-3))
        kw["amsgrad"] = draw(st.booleans())
        if name == "Adam" and draw(st.booleans()):
            kw["decoupled_weight_decay"] = draw(st.booleans())
    elif name == "RMSprop":
        kw["centered"] = draw(st.booleans())
        # centered with alpha 0 computes g*g - g*g, which torch's fused multiply-add makes
        # -1 ulp (sqrt -> NaN): not a difference of the update rule
        kw["alpha"] = _floats(draw, 0.05, 0.999, (0.5, 0.99) if kw["centered"] else (0.0, 0.99))
        kw["eps"] = _floats(draw, 1e-10, 1, (1e-8, 1e-3))
        kw["momentum"] = _floats(draw, 0, 0.99, (0.0,))
    elif name == "Adagrad":
        kw["lr_decay"] = _floats(draw, 0, 1, (0.0,))
        kw["eps"] = _floats(draw, 1e-10, 1, (1e-10, 1e-3))
        # torch fills every sum with the constructor's value, ignoring a group's own (gradix
        # uses the group's): drawn for the defaults only
        if not in_group:
            kw["initial_accumulator_value"] = _floats(draw, 0, 1, (0.0,))
    return kw


@st.composite
def optimizer_runs(draw, names=NAMES):
    name = draw(st.sampled_from(names))
    shapes = draw(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=4))
    n_groups = draw(st.integers(1, min(3, len(shapes))))
    return dict(
        name=name, shapes=shapes, seed=draw(st.integers(0, 2**32 - 1)),
        frozen=[draw(st.integers(0, 3)) == 0 for _ in shapes],
        group_of=[draw(st.integers(0, n_groups - 1)) for _ in shapes],
        defaults=_hyperparameters(draw, name),
        group_kw=[_hyperparameters(draw, name, True) if draw(st.booleans()) else {}
                  for _ in range(n_groups)],
        later_group=draw(st.booleans()),  # the last group joins through add_param_group
        steps=draw(st.integers(1, 6)),
        missing=draw(st.sampled_from([0.0, 0.3])),  # chance that a parameter has no gradient
        clear=draw(st.sampled_from(["assign None", "zero_grad(True)", "zero_grad(False)"])),
        resume=draw(st.sampled_from([None, "gradix", "torch", "to torch"])),
        resume_at=draw(st.integers(0, 5)),
    )


def _tensor(lib, array, requires_grad=False):
    return lib.tensor(array.copy(), requires_grad=requires_grad)


def _optimizer(lib, run, params):
    groups = [{"params": [p for p, g in zip(params, run["group_of"]) if g == i], **kw}
              for i, kw in enumerate(run["group_kw"])]
    groups = [g for g in groups if g["params"]]
    later = groups.pop() if run["later_group"] and len(groups) > 1 else None
    opt = getattr(lib.optim, run["name"])(groups, **run["defaults"])
    if later is not None:
        opt.add_param_group(later)
    return opt


def _to_numpy(state_dict):
    """torch's state_dict with numpy arrays (and a float step) for gradix to load."""
    return {"state": {i: {k: v.item() if k == "step" else v.numpy().copy() for k, v in s.items()}
                      for i, s in state_dict["state"].items()},
            "param_groups": [dict(g) for g in state_dict["param_groups"]]}


def _to_torch(state_dict):
    """gradix's state_dict with torch tensors (and a tensor step) for torch to load."""
    return {"state": {i: {k: torch.tensor(float(v)) if k == "step" else torch.tensor(v.numpy())
                          for k, v in s.items()} for i, s in state_dict["state"].items()},
            "param_groups": [dict(g) for g in state_dict["param_groups"]]}


def _resume(lib, run, params, saved):
    """A fresh optimizer (lr 123: the state dict must bring the hyperparameters) on copies of
    ``params``, loaded from ``saved``."""
    fresh = [_tensor(lib, p.detach().numpy(), p.requires_grad) for p in params]
    for new, old in zip(fresh, params):
        new.grad = None if old.grad is None else _tensor(lib, old.grad.numpy())
    opt = _optimizer(lib, {**run, "defaults": {**run["defaults"], "lr": 123.0},
                           "group_kw": [{k: v for k, v in kw.items() if k != "lr"}
                                        for kw in run["group_kw"]]}, fresh)
    opt.load_state_dict(saved)
    return fresh, opt


def _check_state_dict(ours, theirs, name):
    """gradix's state_dict has torch's layout: integer ids, the same per-parameter keys and
    values, the same hyperparameters in each group."""
    assert [g["params"] for g in ours["param_groups"]] == [
        g["params"] for g in theirs["param_groups"]]
    for g, t in zip(ours["param_groups"], theirs["param_groups"]):
        assert {k: g[k] for k in g if k in t} == {k: t[k] for k in g if k in t}
    # torch's Adagrad makes every state in its constructor, step 0 (gradix on the first step);
    # gradix keeps an empty state for a parameter that stepped without one (SGD, no momentum)
    def stepped(state):
        return state and (name != "Adagrad" or float(state["step"]) > 0)

    expected = {i for i, s in theirs["state"].items() if stepped(s)}
    assert {i for i, s in ours["state"].items() if stepped(s)} == expected
    for i in expected:
        assert set(ours["state"][i]) == set(theirs["state"][i])
        for key, value in theirs["state"][i].items():
            mine = ours["state"][i][key]
            mine = mine.numpy() if isinstance(mine, gradix.Tensor) else np.asarray(mine)
            assert mine.shape == tuple(value.shape), key
            np.testing.assert_allclose(mine, value.numpy(), rtol=1e-12, atol=1e-300, err_msg=key)


@SETTINGS
@given(optimizer_runs())
def test_optimizer_matches_torch_step_by_step(run):
    rng = np.random.default_rng(run["seed"])
    init = [rng.normal(size=s) for s in run["shapes"]]
    gp = [_tensor(gradix, a, not f) for a, f in zip(init, run["frozen"])]
    tp = [_tensor(torch, a, not f) for a, f in zip(init, run["frozen"])]
    gopt, topt = _optimizer(gradix, run, gp), _optimizer(torch, run, tp)
    for step in range(run["steps"]):
        for g, t, frozen, shape in zip(gp, tp, run["frozen"], run["shapes"]):
            if frozen:
                continue
            if rng.random() < run["missing"]:
                if run["clear"] == "assign None":
                    g.grad = t.grad = None
                else:  # clears all gradients: only the later ones of this step remain
                    set_to_none = run["clear"] == "zero_grad(True)"
                    gopt.zero_grad(set_to_none=set_to_none)
                    topt.zero_grad(set_to_none=set_to_none)
                continue
            grad = rng.normal(size=shape)
            g.grad, t.grad = _tensor(gradix, grad), _tensor(torch, grad)
        for g, t in zip(gp, tp):
            assert (g.grad is None) == (t.grad is None)
        if step == run["resume_at"] and run["resume"] == "gradix":
            gp, gopt = _resume(gradix, run, gp, gopt.state_dict())
        elif step == run["resume_at"] and run["resume"] == "torch":
            gp, gopt = _resume(gradix, run, gp, _to_numpy(topt.state_dict()))
        elif step == run["resume_at"] and run["resume"] == "to torch":
            tp, topt = _resume(torch, run, tp, _to_torch(gopt.state_dict()))
        gopt.step()
        topt.step()
        for i, (g, t) in enumerate(zip(gp, tp)):
            np.testing.assert_allclose(g.detach().numpy(), t.detach().numpy(), rtol=1e-12,
                                       atol=1e-14, err_msg=f"step {step}, parameter {i}")
    _check_state_dict(gopt.state_dict(), topt.state_dict(), run["name"])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("options", [{}, {"maximize": True, "weight_decay": 0.1}])
def test_a_0d_parameter_takes_steps(name, options):
    # regression: Adam, AdamW and RMSprop raised "return arrays must be of ArrayType" (NumPy
    # gives scalars for 0-d operands, passed as out=), SGD's momentum buffer became a scalar
    extra = {"SGD": {"momentum": 0.9}, "RMSprop": {"momentum": 0.5, "centered": True}}
    kwargs = {"lr": 0.1, **options, **extra.get(name, {})}
    gp, tp = gradix.tensor(1.5, dtype=gradix.float64, requires_grad=True), torch.tensor(
        1.5, dtype=torch.float64, requires_grad=True)
    gopt, topt = getattr(optim, name)([gp], **kwargs), getattr(torch.optim, name)([tp], **kwargs)
    for _ in range(3):
        for p, opt in ((gp, gopt), (tp, topt)):
            opt.zero_grad()
            (p * p * p).backward()
            opt.step()
        assert gp.item() == pytest.approx(tp.item(), rel=1e-12)
    for key, value in gopt.state[gp].items():
        if key != "step":
            assert isinstance(value.data, np.ndarray) and value.shape == (), key


@pytest.mark.parametrize("name,kwargs,key", [
    ("Adam", dict(betas=(0.0, 0.9)), "exp_avg"), ("Adam", dict(betas=(1e-12, 0.9)), "exp_avg"),
    ("RMSprop", dict(alpha=1e-12, centered=True), "grad_avg")])
def test_running_average_with_weight_near_one(name, kwargs, key):
    # regression: the average moved by start + w * (end - start), which for w = 1 missed end
    # by start's rounding error (1e-4 relative for w = 1 - 1e-12); torch's lerp is exact there
    rng = np.random.default_rng(1)
    gp, tp = gradix.zeros(5, dtype=gradix.float64, requires_grad=True), torch.zeros(
        5, dtype=torch.float64, requires_grad=True)
    gopt, topt = getattr(optim, name)([gp], **kwargs), getattr(torch.optim, name)([tp], **kwargs)
    for grad in (rng.normal(size=5) * 1e3, np.zeros(5), rng.normal(size=5)):
        gp.grad, tp.grad = gradix.tensor(grad), torch.tensor(grad)
        gopt.step()
        topt.step()
        np.testing.assert_allclose(gopt.state[gp][key].numpy(), topt.state[tp][key].numpy(),
                                   rtol=1e-12, atol=0)


# ------------------------------------------------------------------ invalid arguments
# values torch's constructors refuse (ValueError) or accept; NaN is refused by gradix everywhere
# while torch's SGD lets it through, and betas must be two values (torch ignores a third)
BAD = {
    "lr": [-1e-3, -1.0, 0.0, math.inf],
    "momentum": [-0.1, 1.5, 0.0],
    "weight_decay": [-0.1, 0.0],
    "eps": [-1e-8, 0.0],
    "alpha": [-0.1, 1.5, 0.0],
    "lr_decay": [-0.1, 0.0],
    "initial_accumulator_value": [-0.1, 0.0],
    "dampening": [-0.5, 1.5],
    "betas": [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.9), (0.9, -0.1), (0.0, 0.0), (0.99, 0.5)],
    "nesterov": [True, False],
}
ARGS = {"SGD": ["lr", "momentum", "weight_decay", "dampening", "nesterov"],
        "Adam": ["lr", "eps", "betas", "weight_decay"],
        "AdamW": ["lr", "eps", "betas", "weight_decay"],
        "RMSprop": ["lr", "eps", "momentum", "weight_decay", "alpha"],
        "Adagrad": ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"]}


@st.composite
def argument_sets(draw):
    name = draw(st.sampled_from(NAMES))
    keys = draw(st.lists(st.sampled_from(ARGS[name]), min_size=1, max_size=3, unique=True))
    kwargs = {k: draw(st.sampled_from(BAD[k])) for k in keys}
    if "nesterov" in kwargs:
        kwargs["momentum"] = draw(st.sampled_from([0.0, 0.9]))
        kwargs["dampening"] = draw(st.sampled_from([0.0, 0.1]))
    return name, kwargs


def _outcome(call):
    try:
        call()
    except Exception as error:  # noqa: BLE001 (the type is what is compared)
        return type(error), str(error)
    return None, ""


@SETTINGS
@given(argument_sets(), st.booleans())
def test_invalid_hyperparameters_raise_like_torch(case, in_added_group):
    name, kwargs = case
    expected, _ = _outcome(lambda: getattr(torch.optim, name)(
        [torch.zeros(2, requires_grad=True)], **kwargs))
    assert expected in (None, ValueError)
    p, q = gradix.zeros(2, requires_grad=True), gradix.zeros(3, requires_grad=True)
    if in_added_group:  # torch checks only its constructor's arguments; gradix every group
        opt = getattr(optim, name)([p])
        before = [dict(g) for g in opt.param_groups]
        got, message = _outcome(lambda: opt.add_param_group({"params": [q], **kwargs}))
        if got is not None:  # refused before any change
            assert [dict(g) for g in opt.param_groups] == before
    else:
        got, message = _outcome(lambda: getattr(optim, name)([p], **kwargs))
    assert got is expected, message
    if got is not None:
        assert message.startswith(name) and any(k in message for k in kwargs), message


def test_same_parameter_twice_is_refused():
    for lib in (torch, gradix):
        ps = [lib.zeros(2, requires_grad=True) for _ in range(3)]
        with pytest.raises(ValueError, match="more than one|more than once"):
            lib.optim.SGD([{"params": ps[:2]}, {"params": ps[1:]}])
        opt = lib.optim.Adam(ps[:2])
        with pytest.raises(ValueError, match="more than one|more than once"):
            opt.add_param_group({"params": [ps[2], ps[0]], "lr": 0.5})
        assert len(opt.param_groups) == 1 and len(opt.param_groups[0]["params"]) == 2
    # twice in one list: torch warns ("in future, this will cause an error") and then updates
    # that parameter twice a step; gradix refuses it
    ps = [gradix.zeros(2, requires_grad=True) for _ in range(2)]
    with pytest.raises(ValueError, match="parameter 2 of the group .* more than once"):
        optim.SGD([ps[0], ps[1], ps[0]])


@SETTINGS
@given(st.lists(st.integers(0, 3), min_size=1, max_size=3),
       st.lists(st.integers(0, 3), min_size=1, max_size=3), st.sampled_from(NAMES))
def test_load_state_dict_with_other_groups_raises_like_torch(saved_sizes, sizes, name):
    outcomes = []
    for lib in (torch, gradix):
        def groups(counts):
            return [{"params": [lib.ones(2, dtype=lib.float64, requires_grad=True)
                                for _ in range(n)]} for n in counts]
        source = getattr(lib.optim, name)(groups(saved_sizes))
        for group in source.param_groups:
            for p in group["params"]:
                p.grad = lib.ones(2, dtype=lib.float64)
        source.step()
        target = getattr(lib.optim, name)(groups(sizes), lr=0.5)
        before = [len(g["params"]) for g in target.param_groups], target.state_dict()["state"]
        outcome = _outcome(lambda: target.load_state_dict(source.state_dict()))
        outcomes.append(outcome[0])
        if outcome[0] is not None and lib is gradix:  # nothing changed
            assert ([len(g["params"]) for g in target.param_groups],
                    target.state_dict()["state"]) == before
            assert all(g["lr"] == 0.5 for g in target.param_groups)
    assert outcomes[0] is outcomes[1]
    assert (outcomes[1] is None) == (saved_sizes == sizes)


# ------------------------------------------------------------------ learning-rate schedulers
def _lambda(a):
    return lambda epoch: a ** epoch


def _sawtooth(b):
    return lambda epoch: 1 / (1 + epoch % b)


@st.composite
def _one_cycle(draw):
    kw = dict(max_lr=draw(st.sampled_from([1.0, [0.5, 0.2]])),
              pct_start=draw(st.floats(0.05, 0.95)),
              anneal_strategy=draw(st.sampled_from(["cos", "linear"])),
              div_factor=draw(st.floats(1.5, 50)), final_div_factor=draw(st.floats(1.5, 1e4)),
              three_phase=draw(st.booleans()), cycle_momentum=draw(st.booleans()),
              base_momentum=draw(st.floats(0.5, 0.9)), max_momentum=draw(st.floats(0.9, 0.99)))
    if draw(st.booleans()):
        kw["total_steps"] = draw(st.integers(2, 30))
    else:
        kw["epochs"], kw["steps_per_epoch"] = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    return kw


SCHEDULERS = {
    "StepLR": st.fixed_dictionaries(dict(step_size=st.integers(1, 8),
                                         gamma=st.floats(0.05, 1.5))),
    "MultiStepLR": st.fixed_dictionaries(dict(milestones=st.lists(st.integers(0, 30),
                                                                  max_size=6),
                                              gamma=st.floats(0.05, 1.5))),
    "ExponentialLR": st.fixed_dictionaries(dict(gamma=st.floats(0.5, 1.1))),
    "CosineAnnealingLR": st.fixed_dictionaries(dict(
        T_max=st.integers(1, 12), eta_min=st.sampled_from([0.0, 1e-3]) | st.floats(0, 0.05))),
    "LinearLR": st.fixed_dictionaries(dict(start_factor=st.floats(0.01, 1.0),
                                           end_factor=st.floats(0, 1),
                                           total_iters=st.integers(1, 12))),
    "OneCycleLR": _one_cycle(),
    "LambdaLR": st.builds(lambda a, b, per_group: dict(
        lr_lambda=[_lambda(a), _sawtooth(b)] if per_group else _lambda(a)),
        st.floats(0.8, 1.0), st.integers(1, 5), st.booleans()),
    "ReduceLROnPlateau": st.fixed_dictionaries(dict(
        mode=st.sampled_from(["min", "max"]), factor=st.floats(0.05, 0.9),
        patience=st.integers(0, 4), threshold=st.sampled_from([1e-4, 0.0, 0.1, 1.0]),
        threshold_mode=st.sampled_from(["rel", "abs"]), cooldown=st.integers(0, 3),
        min_lr=st.sampled_from([0.0, 1e-3, [0.01, 0.0]]), eps=st.sampled_from([1e-8, 1e-3]))),
}


@st.composite
def scheduler_runs(draw):
    name = draw(st.sampled_from(sorted(SCHEDULERS)))
    kwargs = draw(SCHEDULERS[name])
    steps = kwargs.get("total_steps", kwargs.get("epochs", 0) * kwargs.get("steps_per_epoch", 0))
    steps = steps or 30
    # metrics with ties and near-ties for ReduceLROnPlateau's thresholds
    metrics = draw(st.lists(st.sampled_from([1.0, 2.0, 0.5, 0.9999, 1.0001, -1.0, 0.0, 3.0]),
                            min_size=steps, max_size=steps))
    return dict(name=name, kwargs=kwargs, optimizer=draw(st.sampled_from(["SGD", "Adam",
                                                                          "RMSprop"])),
                steps=steps, metrics=metrics,
                resume_at=draw(st.none() | st.integers(0, steps - 1)))


def _scheduled(lib, run):
    """An optimizer with two groups of different lrs, and the scheduler on it."""
    ps = [lib.ones(2, dtype=lib.float64, requires_grad=True) for _ in range(2)]
    kwargs = {} if run["optimizer"] == "Adam" else {"momentum": 0.9}
    opt = getattr(lib.optim, run["optimizer"])([{"params": ps[:1]},
                                                {"params": ps[1:], "lr": 0.3}], lr=0.1, **kwargs)
    return opt, getattr(lib.optim.lr_scheduler, run["name"])(opt, **run["kwargs"])


def _schedule(lib, run):
    """Every step's get_last_lr() and each group's lr, momentum and betas."""
    opt, scheduler = _scheduled(lib, run)

    def record():
        groups = [{k: g[k] for k in ("lr", "momentum", "betas") if k in g}
                  for g in opt.param_groups]
        return scheduler.get_last_lr(), groups

    seen = [record()]
    for i in range(run["steps"]):
        opt.step()
        if lib is gradix and i == run["resume_at"]:  # carry on in fresh objects
            saved, saved_opt = scheduler.state_dict(), opt.state_dict()
            opt, scheduler = _scheduled(lib, run)
            opt.load_state_dict(saved_opt)
            scheduler.load_state_dict(saved)
        if run["name"] == "ReduceLROnPlateau":
            scheduler.step(run["metrics"][i])
        else:
            scheduler.step()
        seen.append(record())
    return seen


@SETTINGS
@given(scheduler_runs())
def test_scheduler_matches_torch(run):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: "scheduler.step() before optimizer.step()"
        expected = _outcome(lambda: run.update(theirs=_schedule(torch, run)))
    got = _outcome(lambda: run.update(ours=_schedule(gradix, run)))
    assert got[0] is expected[0], (got, expected)
    if got[0] is not None:
        return
    for step, ((our_lrs, ours), (their_lrs, theirs)) in enumerate(zip(run["ours"],
                                                                      run["theirs"])):
        np.testing.assert_allclose(our_lrs, their_lrs, rtol=1e-12, atol=1e-15,
                                   err_msg=f"get_last_lr after step {step}")
        for g, t in zip(ours, theirs):
            assert g.keys() == t.keys()
            for key in g:
                np.testing.assert_allclose(g[key], t[key], rtol=1e-12, atol=1e-15,
                                           err_msg=f"{key} after step {step}")


@pytest.mark.parametrize("name,kwargs,steps", [
    ("StepLR", dict(step_size=2), 4),
    ("ExponentialLR", dict(gamma=0.5), 4),
    ("MultiStepLR", dict(milestones=[1, 3]), 4),
    ("LinearLR", dict(total_iters=3), 4),
    # regression: these three left (or, cosine, annealed) the new group's lr unscheduled where
    # torch raises
    ("LambdaLR", dict(lr_lambda=_lambda(0.9)), 1),
    ("CosineAnnealingLR", dict(T_max=3), 4),
    ("ReduceLROnPlateau", dict(patience=0, min_lr=[0.0, 0.0]), 1),
    # regression: ReduceLROnPlateau never reduced the new group's lr (torch does)
    ("ReduceLROnPlateau", dict(patience=0, min_lr=1e-3), 4),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10), 1),
])
def test_param_group_added_after_the_scheduler(name, kwargs, steps):
    outcomes, lrs = [], []
    for lib in (torch, gradix):
        opt, scheduler = _scheduled(lib, dict(optimizer="SGD", name=name, kwargs=kwargs))
        opt.add_param_group({"params": [lib.ones(2, dtype=lib.float64, requires_grad=True)],
                             "lr": 0.7})

        def run():
            for _ in range(steps):
                opt.step()
                scheduler.step(1.0) if name == "ReduceLROnPlateau" else scheduler.step()
            lrs.append([g["lr"] for g in opt.param_groups])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outcomes.append(_outcome(run))
    (expected, _), (got, message) = outcomes
    assert got is expected, message
    if got is None:
        np.testing.assert_allclose(lrs[1], lrs[0], rtol=1e-12)
    elif got is not KeyError:  # OneCycleLR: the new group has no 'initial_lr', in both
        assert "param groups" in message, message


INVALID_SCHEDULERS = [
    ("StepLR", dict(step_size=0)), ("StepLR", dict(step_size=-2)),
    ("MultiStepLR", dict(milestones=[3, 1])), ("ExponentialLR", dict(gamma=-0.5)),
    ("CosineAnnealingLR", dict(T_max=0)), ("CosineAnnealingLR", dict(T_max=-3)),
    ("LinearLR", dict(start_factor=0.0)), ("LinearLR", dict(start_factor=1.5)),
    ("LinearLR", dict(end_factor=-0.1)), ("LinearLR", dict(end_factor=1.1)),
    ("LinearLR", dict(total_iters=0)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=0)), ("OneCycleLR", dict(max_lr=1.0)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10, pct_start=1.5)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10, pct_start=-0.1)),
    ("OneCycleLR", dict(max_lr=[1.0], total_steps=10)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10, anneal_strategy="exp")),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10, pct_start=0.1)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10, pct_start=0.0)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=1)),
    ("OneCycleLR", dict(max_lr=1.0, epochs=0, steps_per_epoch=3)),
    ("OneCycleLR", dict(max_lr=1.0, epochs=2, steps_per_epoch=2.5)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10.0)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=10, base_momentum=[0.8])),
    ("LambdaLR", dict(lr_lambda=[_lambda(0.5)])),
    ("ReduceLROnPlateau", dict(factor=1.0)), ("ReduceLROnPlateau", dict(mode="avg")),
    ("ReduceLROnPlateau", dict(threshold_mode="x")), ("ReduceLROnPlateau", dict(min_lr=[0.1])),
]


@pytest.mark.parametrize("name,kwargs", INVALID_SCHEDULERS,
                         ids=[f"{n}-{k}" for n, k in INVALID_SCHEDULERS])
def test_scheduler_arguments_raise_like_torch(name, kwargs):
    run = dict(name=name, kwargs=kwargs, optimizer="SGD", steps=12, metrics=[1.0] * 12,
               resume_at=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _outcome(lambda: run.update(theirs=_schedule(torch, run)))
    got = _outcome(lambda: run.update(ours=_schedule(gradix, run)))
    assert got[0] is expected[0], (got, expected)
    if got[0] is None:
        np.testing.assert_allclose([lrs for lrs, _ in run["ours"]],
                                   [lrs for lrs, _ in run["theirs"]], rtol=1e-12)
