"""Learning-rate schedulers vs torch.optim.lr_scheduler: lr (and momentum) trajectories."""
import math

import pytest

import gradix
from gradix import optim
from gradix.optim import lr_scheduler

# (scheduler, optimizer, keyword arguments, steps): enough steps to pass every phase
CASES = [
    ("LambdaLR", "SGD", dict(lr_lambda=lambda e: 0.95 ** e + 0.01 * (e % 3)), 12),
    ("StepLR", "SGD", dict(step_size=3, gamma=0.5), 12),
    ("MultiStepLR", "SGD", dict(milestones=[2, 5, 5, 9], gamma=0.3), 12),
    ("ExponentialLR", "SGD", dict(gamma=0.8), 12),
    ("CosineAnnealingLR", "SGD", dict(T_max=5), 23),  # past T_max the lr rises again
    ("CosineAnnealingLR", "Adam", dict(T_max=7, eta_min=0.01), 30),
    ("LinearLR", "SGD", dict(start_factor=0.25, end_factor=0.9, total_iters=6), 10),
    ("LinearLR", "SGD", dict(start_factor=1.0, end_factor=0.0, total_iters=4), 8),
    ("OneCycleLR", "SGD", dict(max_lr=[1.0, 0.5], total_steps=20), 20),
    ("OneCycleLR", "SGD", dict(max_lr=1.0, epochs=3, steps_per_epoch=7,
                               anneal_strategy="linear", pct_start=0.4), 21),
    ("OneCycleLR", "Adam", dict(max_lr=0.1, total_steps=25, three_phase=True), 25),
    ("OneCycleLR", "RMSprop", dict(max_lr=0.1, total_steps=10, base_momentum=0.5), 10),
    ("OneCycleLR", "Adagrad", dict(max_lr=0.1, total_steps=10, cycle_momentum=False), 10),
]
OPTIMIZER_ARGS = {"SGD": dict(lr=0.1, momentum=0.9), "Adam": dict(lr=0.1),
                  "RMSprop": dict(lr=0.1, momentum=0.9), "Adagrad": dict(lr=0.1)}
PLATEAU = [
    dict(),
    dict(mode="max", factor=0.5, patience=1, threshold=0.1, threshold_mode="abs"),
    dict(factor=0.5, patience=0, cooldown=2, min_lr=[0.02, 0.0]),
    dict(mode="max", patience=2, threshold=0.05, eps=0.02),
    dict(factor=0.3, patience=1, threshold=1.0, threshold_mode="abs", min_lr=0.005),
]
METRICS = [5.0, 4.0, 4.0, 3.99999, 3.5, 3.6, 3.7, 3.7, 3.0, 3.1, 4.0, 2.9, 2.9, 2.95, 3.5,
           1.0, 1.0, 1.0, 1.2, 0.5, 0.5, 0.6, 0.7, 0.8] + [0.4] * 12


def test_every_scheduler_is_covered():
    exported = {name for name, cls in vars(lr_scheduler).items() if isinstance(cls, type)
                and issubclass(cls, lr_scheduler.LRScheduler)} - {"LRScheduler"}
    assert exported == {name for name, *_ in CASES} | {"ReduceLROnPlateau"}


def _build(lib, module, name):
    """A two-group optimizer of ``lib`` (the groups start at different lrs)."""
    ps = [lib.zeros(2, requires_grad=True), lib.zeros(3, requires_grad=True)]
    base = OPTIMIZER_ARGS[name]["lr"]
    return getattr(module, name)([{"params": ps[:1]}, {"params": ps[1:], "lr": base / 2}],
                                 **OPTIMIZER_ARGS[name])


def _optimizers(torch, name):
    """The same two-group optimizer in gradix and torch."""
    return _build(gradix, optim, name), _build(torch, torch.optim, name)


def _momenta(opt):
    return [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]


def _assert_same(gopt, gsched, topt, tsched):
    assert gsched.get_last_lr() == tsched.get_last_lr()
    assert [g["lr"] for g in gopt.param_groups] == gsched.get_last_lr()
    assert _momenta(gopt) == _momenta(topt)


@pytest.mark.parametrize("sched,opt,kwargs,steps", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_lr_trajectory_matches_torch(torch, sched, opt, kwargs, steps):
    gopt, topt = _optimizers(torch, opt)
    gsched = getattr(lr_scheduler, sched)(gopt, **kwargs)
    tsched = getattr(torch.optim.lr_scheduler, sched)(topt, **kwargs)
    _assert_same(gopt, gsched, topt, tsched)
    for _ in range(steps - 1 if sched == "OneCycleLR" else steps):
        gopt.step(), topt.step()
        gsched.step(), tsched.step()
        _assert_same(gopt, gsched, topt, tsched)


@pytest.mark.parametrize("kwargs", PLATEAU, ids=str)
def test_reduce_lr_on_plateau_matches_torch(torch, kwargs):
    gopt, topt = _optimizers(torch, "SGD")
    gsched = lr_scheduler.ReduceLROnPlateau(gopt, **kwargs)
    tsched = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs)
    seen = set()
    for metric in METRICS:
        gsched.step(gradix.tensor(metric)), tsched.step(metric)
        _assert_same(gopt, gsched, topt, tsched)
        seen.add(tuple(gsched.get_last_lr()))
    assert len(seen) > 1  # the sequence did reduce the lr


@pytest.mark.parametrize("sched,opt,kwargs,steps", CASES + [
    ("ReduceLROnPlateau", "SGD", PLATEAU[2], len(METRICS))],
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)] + ["ReduceLROnPlateau"])
def test_state_dict_resumes_the_schedule(sched, opt, kwargs, steps):
    def build():
        gopt = _build(gradix, optim, opt)
        return gopt, getattr(lr_scheduler, sched)(gopt, **kwargs)

    def advance(gopt, gsched, i):
        gopt.step()
        gsched.step(METRICS[i]) if sched == "ReduceLROnPlateau" else gsched.step()
        return gsched.get_last_lr() + _momenta(gopt)

    half = (steps - 1) // 2
    gopt, gsched = build()
    full = [advance(gopt, gsched, i) for i in range(steps - 1)]
    gopt, gsched = build()
    for i in range(half):
        advance(gopt, gsched, i)
    opt_state, sched_state = gopt.state_dict(), gsched.state_dict()
    gopt, gsched = build()
    gopt.load_state_dict(opt_state)
    gsched.load_state_dict(sched_state)
    assert [advance(gopt, gsched, i) for i in range(half, steps - 1)] == full[half:]


def test_resuming_with_last_epoch_matches_torch(torch):
    gopt, topt = _optimizers(torch, "SGD")
    for opt in (gopt, topt):
        for group in opt.param_groups:
            group["initial_lr"] = group["lr"]
    gsched = lr_scheduler.CosineAnnealingLR(gopt, T_max=10, last_epoch=4)
    tsched = torch.optim.lr_scheduler.CosineAnnealingLR(topt, T_max=10, last_epoch=4)
    for _ in range(8):
        _assert_same(gopt, gsched, topt, tsched)
        gopt.step(), topt.step()
        gsched.step(), tsched.step()


def test_lambda_lr_saves_the_state_of_callable_objects():
    class Warmup:
        def __init__(self, n):
            self.n = n

        def __call__(self, epoch):
            return min(1.0, (epoch + 1) / self.n)

    opt = optim.SGD([gradix.zeros(1, requires_grad=True)], lr=1.0)
    sched = lr_scheduler.LambdaLR(opt, [Warmup(4)])
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"n": 4}]
    other = lr_scheduler.LambdaLR(opt, Warmup(100))
    other.load_state_dict(state)
    assert other.lr_lambdas[0].n == 4
    other.step()
    assert other.get_last_lr() == [0.5]


def test_one_cycle_cannot_step_past_total_steps():
    opt = optim.SGD([gradix.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    sched.step(), sched.step(), sched.step()
    with pytest.raises(ValueError, match="stepped 4 times, but total_steps is 3"):
        sched.step()


@pytest.mark.parametrize("call,error,match", [
    (lambda o: lr_scheduler.StepLR("sgd", 3), TypeError, "expected an Optimizer, got str"),
    (lambda o: lr_scheduler.StepLR(o, 3, last_epoch=5), KeyError, "no 'initial_lr'"),
    (lambda o: lr_scheduler.LambdaLR(o, [math.exp] * 2), ValueError, "expected 1 lr_lambdas"),
    (lambda o: lr_scheduler.LinearLR(o, start_factor=0), ValueError, r"\(0, 1\], got 0"),
    (lambda o: lr_scheduler.LinearLR(o, end_factor=1.5), ValueError, "got 1.5"),
    (lambda o: lr_scheduler.OneCycleLR(o, 1.0), ValueError, "give total_steps"),
    (lambda o: lr_scheduler.OneCycleLR(o, 1.0, total_steps=0), ValueError, "got 0"),
    (lambda o: lr_scheduler.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=-1), ValueError,
     "steps_per_epoch must be a positive integer, got -1"),
    (lambda o: lr_scheduler.OneCycleLR(o, 1.0, 10, pct_start=1.5), ValueError, "got 1.5"),
    (lambda o: lr_scheduler.OneCycleLR(o, 1.0, 10, anneal_strategy="exp"), ValueError,
     "'cos' or 'linear', got 'exp'"),
    (lambda o: lr_scheduler.OneCycleLR(o, [1.0, 2.0], 10), ValueError, "expected 1 values"),
    (lambda o: lr_scheduler.OneCycleLR(optim.Adagrad(o.param_groups[0]["params"]), 1.0, 10),
     ValueError, "Adagrad has neither"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), ValueError, "< 1, got 1.0"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="up"), ValueError, "got 'up'"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, threshold_mode="x"), ValueError, "got 'x'"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[0, 0]), ValueError, "expected 1"),
])
def test_invalid_arguments(call, error, match):
    opt = optim.SGD([gradix.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    with pytest.raises(error, match=match):
        call(opt)
