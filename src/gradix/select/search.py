"""Hyperparameter search: grid, random, and Optuna-backed ``tune`` with pruning.

An objective is ``objective(params) -> float`` (or a dict with a "score" entry), for example
a validation accuracy from ``fit`` or a mean from ``cross_validate``. ``tune`` passes a second
argument, ``report(step, value)``, that lets Optuna prune a poor trial early.
"""
import itertools
import math
import os
import time

import numpy as np


class Choice:
    def __init__(self, options):
        self.options = list(options)

    def sample(self, rng):
        return self.options[rng.integers(len(self.options))]

    def suggest(self, trial, name):
        return trial.suggest_categorical(name, self.options)


class Uniform:
    def __init__(self, low, high):
        self.low, self.high = low, high

    def sample(self, rng):
        return float(rng.uniform(self.low, self.high))

    def suggest(self, trial, name):
        return trial.suggest_float(name, self.low, self.high)


class LogUniform(Uniform):
    """log-uniform in [low, high]: for learning rates and weight decays."""

    def sample(self, rng):
        return float(math.exp(rng.uniform(math.log(self.low), math.log(self.high))))

    def suggest(self, trial, name):
        return trial.suggest_float(name, self.low, self.high, log=True)


class IntUniform(Uniform):
    """An integer in [low, high], both included."""

    def sample(self, rng):
        return int(rng.integers(self.low, self.high + 1))

    def suggest(self, trial, name):
        return trial.suggest_int(name, self.low, self.high)


def _as_dist(value):
    if isinstance(value, (Choice, Uniform)):
        return value
    if isinstance(value, (list, tuple)):
        return Choice(value)
    return Choice([value])


class SearchResult:
    """Every trial's params and score, best first."""

    def __init__(self, trials, mode):
        self.mode = mode
        finite = [t for t in trials if t["score"] is not None and math.isfinite(t["score"])]
        rest = [t for t in trials if t not in finite]
        self.trials = sorted(finite, key=lambda t: t["score"], reverse=mode == "max") + rest

    @property
    def best_params(self):
        return self.trials[0]["params"]

    @property
    def best_score(self):
        return self.trials[0]["score"]

    def table(self):
        keys = sorted({k for t in self.trials for k in t["params"]})
        lines = ["rank  " + "  ".join(f"{k:>12s}" for k in keys) + "         score"]
        for i, t in enumerate(self.trials, 1):
            cells = "  ".join(f"{_fmt(t['params'].get(k)):>12s}" for k in keys)
            score = "pruned" if t.get("pruned") else f"{t['score']:.4f}"
            lines.append(f"{i:4d}  {cells}  {score:>12s}")
        return "\n".join(lines)


def _fmt(v):
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _score(value):
    return float(value["score"] if isinstance(value, dict) else value)


def _check_mode(mode):
    if mode not in ("max", "min"):
        raise ValueError(f"mode must be 'max' or 'min', got {mode!r}")


def grid_search(objective, grid, mode="max"):
    """Evaluates ``objective`` on every combination of ``grid`` ({name: list of values})."""
    _check_mode(mode)
    names = list(grid)
    trials = []
    for values in itertools.product(*[list(grid[n]) for n in names]):
        params = dict(zip(names, values))
        trials.append({"params": params, "score": _score(objective(params))})
    return SearchResult(trials, mode)


def random_search(objective, space, n_trials=10, mode="max", seed=0):
    """Evaluates ``objective`` on ``n_trials`` draws from ``space`` ({name: distribution or
    list of choices}), reproducibly for a given seed."""
    _check_mode(mode)
    rng = np.random.default_rng(seed)
    dists = {k: _as_dist(v) for k, v in space.items()}
    trials = []
    for _ in range(n_trials):
        params = {k: d.sample(rng) for k, d in dists.items()}
        trials.append({"params": params, "score": _score(objective(params))})
    return SearchResult(trials, mode)


def _shared_study(optuna, **kwargs):
    """optuna.create_study, retried: workers starting together on a new database race to
    create its tables, and all but one see a transient error."""
    for attempt in range(5):
        try:
            return optuna.create_study(**kwargs)
        except Exception:  # noqa: BLE001  (the database error types depend on the backend)
            if attempt == 4 or kwargs.get("storage") is None:
                raise
            time.sleep(0.2 * (attempt + 1))


def tune(objective, space, n_trials=20, mode="max", storage=None, study_name="gradix",
         seed=0, pruning=True):
    """Optuna search (TPE sampler, median pruner) over ``space``.

    ``objective(params, report)`` returns the score; calling ``report(step, value)`` with
    intermediate scores (say, validation accuracy per epoch) lets Optuna stop unpromising
    trials. ``storage`` ("sqlite:///study.db" or any database URL Optuna accepts) makes the
    study shared: several processes or machines running ``tune`` with the same storage and
    ``study_name`` add trials to one study. Each such worker seeds its sampler with ``seed``
    and its process id, so that workers propose different trials; without storage, ``seed``
    alone makes the search repeatable. Needs ``pip install 'gradix[tune]'``.
    """
    _check_mode(mode)
    try:
        import optuna
    except ImportError:
        raise ImportError("tune needs Optuna: pip install 'gradix[tune]'") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    dists = {k: _as_dist(v) for k, v in space.items()}
    sampler_seed = seed if storage is None else hash((seed, os.getpid())) % 2**32
    study = _shared_study(
        optuna, study_name=study_name, storage=storage, load_if_exists=True,
        direction="maximize" if mode == "max" else "minimize",
        sampler=optuna.samplers.TPESampler(seed=sampler_seed),
        pruner=optuna.pruners.MedianPruner(n_warmup_steps=1) if pruning
        else optuna.pruners.NopPruner())

    def run(trial):
        params = {k: d.suggest(trial, k) for k, d in dists.items()}

        def report(step, value):
            trial.report(float(value), step)
            if trial.should_prune():
                raise optuna.TrialPruned(f"pruned at step {step} with {value:.4f}")
        return _score(objective(params, report))

    study.optimize(run, n_trials=n_trials)
    trials = [{"params": t.params, "score": t.value,
               "pruned": t.state == optuna.trial.TrialState.PRUNED} for t in study.trials
              if t.state in (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)]
    return SearchResult(trials, mode)
