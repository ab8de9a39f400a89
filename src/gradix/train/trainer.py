"""The fit loop shared by the library, the CLI and model selection."""
import math
import time

import numpy as np

from .. import io, random
from ..autograd.grad_mode import no_grad
from ..tensor import Tensor, as_tensor
from .callbacks import DivergenceGuard, ProgressBar
from .history import History
from .metrics import get_metric


class TrainState:
    """What callbacks see: the objects being trained and where the loop is."""

    def __init__(self, model, optimizer, scheduler, epochs, batches_per_epoch, history):
        self.model, self.optimizer, self.scheduler = model, optimizer, scheduler
        self.epochs, self.batches_per_epoch, self.history = epochs, batches_per_epoch, history
        self.epoch = 0
        self.stop_reason = None
        self.abort_epoch = False


def _scheduler_per_batch(scheduler):
    return type(scheduler).__name__ == "OneCycleLR"


def _step_scheduler(scheduler, logs):
    if type(scheduler).__name__ == "ReduceLROnPlateau":
        scheduler.step(logs.get("val_loss", logs["loss"]))
    else:
        scheduler.step()


def _metric_logs(metrics, outputs, targets, prefix=""):
    if not metrics or not outputs:
        return {}
    out, tgt = np.concatenate(outputs), np.concatenate(targets)
    return {prefix + m.name: m(out, tgt) for m in metrics}


def _batch_size(x):
    return x.shape[0] if hasattr(x, "shape") and len(x.shape) else 1


def evaluate(model, loader, loss_fn=None, metrics=()):
    """Loss (mean over samples) and metrics of ``model`` on ``loader``, in eval mode, no grad."""
    metrics = [get_metric(m) for m in metrics]
    was_training = model.training
    model.eval()
    total, count, outputs, targets = 0.0, 0, [], []
    try:
        with no_grad():
            for x, y in loader:
                out = model(x)
                n = _batch_size(x)
                if loss_fn is not None:
                    total += float(loss_fn(out, y).item()) * n
                count += n
                if metrics:
                    outputs.append(out.numpy())
                    targets.append(y.numpy())
    finally:
        model.train(was_training)
    logs = {"loss": total / count if count else float("nan")} if loss_fn is not None else {}
    logs.update(_metric_logs(metrics, outputs, targets))
    return logs


def predict(model, data, batch_size=256):
    """Outputs of ``model`` (eval mode, no grad) for a DataLoader's inputs or an array (N, ...)."""
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            if isinstance(data, (np.ndarray, Tensor, list)):
                data = as_tensor(data)
                batches = (data[i:i + batch_size] for i in range(0, len(data), batch_size))
            else:
                batches = (batch[0] if isinstance(batch, (tuple, list)) else batch
                           for batch in data)
            outs = [model(x).numpy() for x in batches]
    finally:
        model.train(was_training)
    return as_tensor(np.concatenate(outs)) if outs else as_tensor(np.zeros((0,), np.float32))


# ---------------------------------------------------------------------- checkpoints
def save_checkpoint(path, model, optimizer=None, scheduler=None, epoch=0, history=None,
                    callbacks=()):
    """Everything needed to resume: model, optimizer, scheduler, epoch, RNG state, history and
    the state of stateful callbacks, keyed by their position in ``callbacks`` (so resuming
    needs the same callbacks in the same order). Safetensors plus JSON metadata; the write is
    atomic."""
    ckpt = {"model": model.state_dict(), "epoch": epoch, "rng": random.get_rng_state(),
            "history": list(history.rows) if history else []}
    if optimizer is not None:
        ckpt["optimizer"] = optimizer.state_dict()
    if scheduler is not None:
        ckpt["scheduler"] = scheduler.state_dict()
    states = {i: cb.state_dict() for i, cb in enumerate(callbacks) if hasattr(cb, "state_dict")}
    if states:
        ckpt["callbacks"] = states
    io.save(ckpt, path)


def load_checkpoint(path, model, optimizer=None, scheduler=None, callbacks=()):
    """Restores what ``save_checkpoint`` wrote; returns (epoch, History)."""
    ckpt = io.load(path)
    for key in ("model", "epoch", "rng"):
        if key not in ckpt:
            raise ValueError(f"load_checkpoint: {path} is not a training checkpoint (no "
                             f"{key!r}); it has {sorted(ckpt)}")
    model.load_state_dict(ckpt["model"])
    if optimizer is not None and "optimizer" in ckpt:
        optimizer.load_state_dict(ckpt["optimizer"])
    if scheduler is not None and "scheduler" in ckpt:
        scheduler.load_state_dict(ckpt["scheduler"])
    for i, cb in enumerate(callbacks):
        state = ckpt.get("callbacks", {}).get(i)
        if state is not None and hasattr(cb, "load_state_dict"):
            cb.load_state_dict(state)
    random.set_rng_state(ckpt["rng"])
    return int(ckpt["epoch"]), History(ckpt.get("history", []))


# ---------------------------------------------------------------------- fit
def fit(model, loss_fn, optimizer, train_loader, val_loader=None, epochs=1, scheduler=None,
        callbacks=(), metrics=(), progress=False, checkpoint=None, resume=None):
    """Trains ``model`` for ``epochs`` and returns its History.

    Each epoch: one pass over ``train_loader`` (forward, ``loss_fn(output, target)``,
    backward, ``optimizer.step()``), then evaluation on ``val_loader``; the scheduler steps
    once per epoch (OneCycleLR once per batch; ReduceLROnPlateau on val_loss). Logged per
    epoch: loss, each metric, val_loss and val_* metrics, lr and time.

    Args:
        callbacks: Callback objects; a ProgressBar is added with ``progress=True`` (or pass
            your own ProgressBar to choose its options). A DivergenceGuard always checks each
            batch's loss before the optimizer steps.
        metrics: Metric objects or names ("accuracy", "f1", "top5_accuracy", "r2", ...).
        checkpoint: a path; after every epoch a resumable checkpoint is written there
            atomically, and on Ctrl-C the loop stops cleanly, leaving the last complete epoch
            there (``history.stop_reason`` says so).
        resume: a checkpoint path to continue from; the run then ends with the same weights as
            an uninterrupted run with the same seed. Pass the same ``callbacks`` in the same
            order as the interrupted run: their states are restored by position.
    """
    metrics = [get_metric(m) for m in metrics]
    saved = list(callbacks)  # the ones whose state checkpoints hold, by position
    callbacks = ([ProgressBar()] if progress else []) + saved
    guard = DivergenceGuard()
    history, start = History(), 0
    if resume is not None:
        start, history = load_checkpoint(resume, model, optimizer, scheduler, saved)
    state = TrainState(model, optimizer, scheduler, epochs, len(train_loader), history)
    state.epoch = start
    if checkpoint is not None and resume is None:
        save_checkpoint(checkpoint, model, optimizer, scheduler, 0, history, saved)
    for cb in callbacks:
        cb.on_train_begin(state)
    try:
        for epoch in range(start + 1, epochs + 1):
            state.epoch = epoch
            logs = _train_epoch(state, loss_fn, train_loader, metrics, callbacks, guard)
            if state.abort_epoch:
                break
            if val_loader is not None:
                val = evaluate(model, val_loader, loss_fn, metrics)
                logs.update({"val_" + k: v for k, v in val.items()})
            logs["lr"] = optimizer.param_groups[0]["lr"]
            if scheduler is not None and not _scheduler_per_batch(scheduler):
                _step_scheduler(scheduler, logs)
            for cb in callbacks:
                cb.on_epoch_end(state, logs)
            history.append(logs)
            if checkpoint is not None:
                save_checkpoint(checkpoint, model, optimizer, scheduler, epoch, history, saved)
            if state.stop_reason:
                break
    except KeyboardInterrupt:
        state.stop_reason = f"interrupted during epoch {state.epoch}" + (
            f"; {checkpoint} holds the state after epoch {state.epoch - 1}" if checkpoint else "")
    history.stop_reason = state.stop_reason
    for cb in callbacks:
        cb.on_train_end(state)
    return history


def _train_epoch(state, loss_fn, loader, metrics, callbacks, guard):
    model, optimizer, scheduler = state.model, state.optimizer, state.scheduler
    for cb in callbacks:
        cb.on_epoch_begin(state)
    model.train()
    start = time.perf_counter()
    total, count, outputs, targets = 0.0, 0, [], []
    for i, (x, y) in enumerate(loader):
        out = model(x)
        loss = loss_fn(out, y)
        value = float(loss.item())
        if not guard.check(state, value, i):  # a NaN/inf loss's gradient is never applied
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        n = _batch_size(x)
        total += value * n
        count += n
        if metrics:
            outputs.append(out.detach().numpy())
            targets.append(y.numpy())
        if scheduler is not None and _scheduler_per_batch(scheduler):
            scheduler.step()
        for cb in callbacks:
            cb.on_batch_end(state, {"batch": i, "loss": value})
        if state.abort_epoch:
            break
    logs = {"epoch": state.epoch, "loss": total / count if count else math.nan}
    logs.update(_metric_logs(metrics, outputs, targets))
    logs["time"] = time.perf_counter() - start
    return logs
