"""Cross-validation builds one fresh model per fold; searches rank their trials."""
import numpy as np
import pytest

import gradix
from gradix import nn
from gradix.nn import functional as F
from gradix.select import (Choice, IntUniform, KFold, LeaveOneOut, LogUniform,
                           StratifiedKFold, cross_validate, grid_search, random_search, tune)


def _counting_builder(built):
    def build():
        model = nn.Linear(4, 3)
        built.append(model)
        return model
    return build


def _adam(params):
    return gradix.optim.Adam(params, lr=0.05)


@pytest.mark.parametrize("cv, folds", [(KFold(4, shuffle=True, random_state=0), 4),
                                       (StratifiedKFold(3, shuffle=True, random_state=0), 3)])
def test_k_fold_trains_a_fresh_model_per_fold(blobs, cv, folds):
    built = []
    result = cross_validate(_counting_builder(built), blobs, F.cross_entropy, _adam, cv=cv,
                            epochs=3, metrics=["accuracy"])
    assert result.n_folds == folds
    assert len({id(m) for m in built}) == folds
    assert result.mean("accuracy") > 0.8
    assert result.std("accuracy") >= 0
    assert "mean" in result.table()


def test_leave_one_out_trains_one_model_per_sample(blobs):
    small = gradix.data.Subset(blobs, np.arange(12))
    built = []
    result = cross_validate(_counting_builder(built), small, F.cross_entropy, _adam,
                            cv=LeaveOneOut(), epochs=1, batch_size=11, metrics=["accuracy"])
    assert result.n_folds == 12 and len(built) == 12
    assert all(f["accuracy"] in (0.0, 1.0) for f in result.folds)


def test_grid_search_tries_every_combination_and_ranks():
    seen = []

    def objective(p):
        seen.append(p)
        return -(p["x"] - 2) ** 2 - p["y"]
    result = grid_search(objective, {"x": [0, 1, 2, 3], "y": [0, 1]})
    assert len(seen) == 8
    assert result.best_params == {"x": 2, "y": 0}
    assert [t["score"] for t in result.trials] == sorted([t["score"] for t in result.trials],
                                                         reverse=True)


def test_random_search_is_reproducible_and_respects_the_space():
    space = {"lr": LogUniform(1e-4, 1e-1), "n": IntUniform(1, 3), "act": Choice(["a", "b"])}
    a = random_search(lambda p: p["lr"], space, n_trials=15, seed=1)
    b = random_search(lambda p: p["lr"], space, n_trials=15, seed=1)
    assert [t["params"] for t in a.trials] == [t["params"] for t in b.trials]
    for t in a.trials:
        assert 1e-4 <= t["params"]["lr"] <= 1e-1 and t["params"]["n"] in (1, 2, 3)
    assert a.best_score == max(t["params"]["lr"] for t in a.trials)


def test_tune_shares_a_sqlite_study_and_prunes(tmp_path):
    pytest.importorskip("optuna")
    storage = f"sqlite:///{tmp_path / 'study.db'}"

    started = []

    def objective(params, report):  # each trial scores worse than every earlier one, so
        score = -len(started)        # once the pruner has its 5 startup trials, it prunes
        started.append(params["x"])  # whatever x the pid-seeded sampler proposes
        for step in range(5):
            report(step, score)
        return score
    space = {"x": LogUniform(1e-3, 1.0)}
    tune(objective, space, n_trials=6, storage=storage, study_name="s", seed=0)
    result = tune(objective, space, n_trials=6, storage=storage, study_name="s", seed=1)
    assert len(result.trials) == 12  # the second worker added to the same study
    assert any(t["pruned"] for t in result.trials)
    assert result.best_score == max(t["score"] for t in result.trials if not t["pruned"])
