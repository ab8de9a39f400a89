"""fit/evaluate/predict, callbacks and checkpoints on a small problem."""
import math
import os
import warnings

import numpy as np
import pytest

import gradix
from gradix.nn import functional as F
from gradix.optim import lr_scheduler
from gradix.train import (Callback, EarlyStopping, ModelCheckpoint, OverfittingDetector,
                          OverfittingWarning, evaluate, fit, load_checkpoint, predict)


def test_fit_learns_and_logs_every_epoch(make_run):
    model, opt, train, val = make_run()
    history = fit(model, F.cross_entropy, opt, train, val, epochs=6, metrics=["accuracy"])
    assert history["epoch"] == [1, 2, 3, 4, 5, 6]
    assert set(history.keys()) >= {"loss", "accuracy", "val_loss", "val_accuracy", "lr", "time"}
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] > 0.9  # chance is 1/3
    logs = evaluate(model, val, F.cross_entropy, ["accuracy"])
    assert logs["accuracy"] == pytest.approx(history["val_accuracy"][-1])
    out = predict(model, val)
    assert out.shape == (60, 3)
    x_val = val.dataset.dataset.tensors[0][180:]
    np.testing.assert_allclose(predict(model, x_val).numpy(), out.numpy(), rtol=1e-6)


def test_scheduler_steps_per_epoch_and_lr_is_logged(make_run):
    model, opt, train, val = make_run()
    sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    history = fit(model, F.cross_entropy, opt, train, epochs=3, scheduler=sched)
    assert history["lr"] == pytest.approx([0.05, 0.025, 0.0125])


def test_resume_equals_uninterrupted(make_run, tmp_path):
    model, opt, train, val = make_run(seed=3)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=6)
    fit(model, F.cross_entropy, opt, train, val, epochs=6, scheduler=sched)
    full = {k: v.numpy().copy() for k, v in model.state_dict().items()}

    ckpt = str(tmp_path / "ckpt.safetensors")
    model, opt, train, val = make_run(seed=3)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=6)
    fit(model, F.cross_entropy, opt, train, val, epochs=3, scheduler=sched, checkpoint=ckpt)
    gradix.manual_seed(12345)  # whatever happens in between must not matter
    model, opt, train, val = make_run(seed=99)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=6)
    history = fit(model, F.cross_entropy, opt, train, val, epochs=6, scheduler=sched,
                  checkpoint=ckpt, resume=ckpt)
    assert history["epoch"] == [1, 2, 3, 4, 5, 6]
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), full[k], err_msg=k)
    epoch, _ = load_checkpoint(ckpt, model)
    assert epoch == 6


def test_early_stopping_restores_best(make_run):
    model, opt, train, val = make_run(lr=0.05)

    class WorseEveryEpoch(Callback):  # a val_loss that only rises after epoch 2
        def on_epoch_end(self, state, logs):
            logs["val_loss"] = abs(state.epoch - 2) + 1.0
            if state.epoch == 2:
                self.best = {k: v.numpy().copy() for k, v in state.model.state_dict().items()}

    spy = WorseEveryEpoch()
    stop = EarlyStopping("val_loss", patience=2, restore_best=True)
    history = fit(model, F.cross_entropy, opt, train, val, epochs=20, callbacks=[spy, stop])
    assert len(history) == 4
    assert "early stopping" in history.stop_reason
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), spy.best[k])


def test_model_checkpoint_saves_best_only(make_run, tmp_path):
    model, opt, train, val = make_run()
    path = tmp_path / "best.safetensors"
    fit(model, F.cross_entropy, opt, train, val, epochs=2,
        callbacks=[ModelCheckpoint(path, monitor="val_loss")])
    saved = gradix.load(str(path))
    assert set(saved) == set(model.state_dict())


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow that makes it diverge
def test_divergence_guard_stops_with_a_message(make_run):
    model, opt, train, val = make_run(lr=1e30)
    history = fit(model, F.cross_entropy, opt, train, val, epochs=5)
    assert history.stop_reason.startswith("diverged")
    assert len(history) < 5


def test_divergence_skips_the_step_of_the_bad_loss(make_run):
    model, opt, train, _ = make_run()
    calls = []

    def nan_on_batch_3(out, y):
        calls.append(None)
        loss = F.cross_entropy(out, y)
        return loss * math.nan if len(calls) == 3 else loss

    class Snapshot(Callback):
        def on_batch_end(self, state, logs):
            self.weights = {k: v.numpy().copy() for k, v in state.model.state_dict().items()}

    snap = Snapshot()
    history = fit(model, nan_on_batch_3, opt, train, epochs=2, callbacks=[snap])
    assert history.stop_reason.startswith("diverged") and "batch 2" in history.stop_reason
    for k, v in model.state_dict().items():
        assert np.isfinite(v.numpy()).all(), k
        np.testing.assert_array_equal(v.numpy(), snap.weights[k], err_msg=k)


class FakeValLoss(Callback):
    """Logs a val_loss that is best at epoch 2 and worse on every later epoch."""

    def on_epoch_end(self, state, logs):
        logs["val_loss"] = abs(state.epoch - 2) + 1.0


def test_resume_keeps_model_checkpoint_best(make_run, tmp_path):
    def run(path, epochs, ckpt=None, resume=None, seed=0):
        model, opt, train, val = make_run(seed=seed)
        fit(model, F.cross_entropy, opt, train, val, epochs=epochs, checkpoint=ckpt,
            resume=resume, callbacks=[FakeValLoss(), ModelCheckpoint(path)])

    run(tmp_path / "full.safetensors", 5)
    ckpt, best = str(tmp_path / "ckpt.safetensors"), tmp_path / "best.safetensors"
    run(best, 3, ckpt=ckpt)
    run(best, 5, ckpt=ckpt, resume=ckpt, seed=7)  # epochs 4 and 5 are worse than epoch 2
    full, resumed = gradix.load(str(tmp_path / "full.safetensors")), gradix.load(str(best))
    for k, v in full.items():
        np.testing.assert_array_equal(resumed[k].numpy(), v.numpy(), err_msg=k)


def test_callback_states_are_keyed_by_position(make_run, tmp_path):
    model, opt, train, val = make_run()
    ckpt = str(tmp_path / "ckpt.safetensors")
    first, second = EarlyStopping("val_loss"), EarlyStopping("loss")
    fit(model, F.cross_entropy, opt, train, val, epochs=2, callbacks=[first, second],
        checkpoint=ckpt)
    fresh = [EarlyStopping("val_loss"), EarlyStopping("loss"), OverfittingDetector()]
    load_checkpoint(ckpt, model, callbacks=fresh)
    assert (fresh[0].best, fresh[1].best) == (first.best, second.best)
    assert first.best != second.best


def test_overfitting_detector_state_round_trips():
    det = OverfittingDetector(patience=5)
    for epoch, (loss, val) in enumerate([(1.0, 1.0), (0.8, 1.1), (0.6, 1.2)], 1):
        det.on_epoch_end(type("S", (), {"epoch": epoch}), {"loss": loss, "val_loss": val})
    restored = OverfittingDetector(patience=5)
    restored.load_state_dict(det.state_dict())
    assert (restored.streak, restored.prev, restored.warned_at) == (2, (0.6, 1.2), None)


def test_overfitting_detector_warns_once():
    class State:
        epoch = 0
    det, state = OverfittingDetector(patience=2), State()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for epoch, (loss, val) in enumerate([(1.0, 1.0), (0.8, 1.1), (0.6, 1.2), (0.5, 1.3),
                                             (0.4, 1.4)], 1):
            state.epoch = epoch
            det.on_epoch_end(state, {"loss": loss, "val_loss": val})
    hits = [w for w in caught if issubclass(w.category, OverfittingWarning)]
    assert len(hits) == 1 and det.warned_at == 3
    assert "validation loss rose for 2 epochs" in str(hits[0].message)


def test_overfitting_detector_quiet_while_both_fall():
    det = OverfittingDetector(patience=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for epoch in range(1, 6):
            det.on_epoch_end(type("S", (), {"epoch": epoch}), {"loss": 1 / epoch,
                                                               "val_loss": 2 / epoch})


def test_interrupt_leaves_a_resumable_checkpoint(make_run, tmp_path):
    model, opt, train, val = make_run()
    ckpt = str(tmp_path / "c.safetensors")

    class CtrlC(Callback):
        def on_batch_end(self, state, logs):
            if state.epoch == 2 and logs["batch"] == 1:
                raise KeyboardInterrupt

    history = fit(model, F.cross_entropy, opt, train, val, epochs=4, callbacks=[CtrlC()],
                  checkpoint=ckpt)
    assert history.stop_reason.startswith("interrupted")
    epoch, hist = load_checkpoint(ckpt, model)
    assert epoch == 1 and len(hist) == 1
    assert all(math.isfinite(v) for v in hist["loss"])
    assert os.path.exists(ckpt)


def test_progress_prints_an_epoch_table_and_bars_only_when_asked(make_run):
    import io

    from gradix.train import ProgressBar
    model, opt, train, val = make_run()
    lines, bars = io.StringIO(), io.StringIO()
    fit(model, F.cross_entropy, opt, train, val, epochs=2, metrics=["accuracy"],
        callbacks=[ProgressBar(file=lines, bar_file=bars)])
    table = lines.getvalue().splitlines()
    assert [line.split()[1] for line in table] == ["1/2", "2/2"]
    assert "val_accuracy" in table[0] and "lr" in table[0]
    assert bars.getvalue() == ""  # a StringIO is no terminal: no bar by default
    fit(model, F.cross_entropy, opt, train, epochs=1, callbacks=[ProgressBar(
        file=io.StringIO(), bar=True, bar_file=bars)])
    assert "epoch 1/1" in bars.getvalue() and "batch" in bars.getvalue()
