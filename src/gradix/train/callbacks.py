"""Callbacks: hooks into ``fit`` for progress, early stopping, checkpoints and diagnostics.

A callback overrides any of ``on_train_begin(state)``, ``on_epoch_begin(state)``,
``on_batch_end(state, logs)``, ``on_epoch_end(state, logs)``, ``on_train_end(state)``.
``state`` is the running ``TrainState``; setting ``state.stop_reason`` ends training after
the current epoch. A callback with ``state_dict``/``load_state_dict`` is saved in checkpoints
and restored on resume.
"""
import math
import sys
import warnings

from .. import io


class Callback:
    def on_train_begin(self, state):
        pass

    def on_epoch_begin(self, state):
        pass

    def on_batch_end(self, state, logs):
        pass

    def on_epoch_end(self, state, logs):
        pass

    def on_train_end(self, state):
        pass


def _mode(monitor, mode):
    if mode in ("min", "max"):
        return mode
    if mode != "auto":
        raise ValueError(f"mode must be 'min', 'max' or 'auto', got {mode!r}")
    return "max" if any(k in monitor for k in ("acc", "f1", "precision", "recall", "r2")) \
        else "min"


class _Monitor:
    """Tracks the best value of one logged quantity."""

    def __init__(self, monitor, mode, min_delta=0.0):
        self.monitor, self.mode, self.min_delta = monitor, _mode(monitor, mode), min_delta
        self.best = math.inf if self.mode == "min" else -math.inf

    def value(self, logs):
        if self.monitor not in logs:
            raise KeyError(f"{type(self).__name__}: monitor {self.monitor!r} is not logged; "
                           f"logged: {sorted(logs)} (val_* needs a val_loader)")
        return logs[self.monitor]

    def improved(self, value):
        if math.isnan(value):
            return False
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def state_dict(self):
        return {"best": self.best}

    def load_state_dict(self, state):
        self.best = float(state["best"])


class ProgressBar(Callback):
    """One line per epoch with its losses, metrics, learning rate and time (to ``file``,
    standard output by default) and, while an epoch runs, a tqdm bar with the running loss
    (to ``bar_file``, standard error by default).

    ``bar=None`` shows the bar only when ``bar_file`` is a terminal, so logs stay clean.
    """

    def __init__(self, file=None, bar=None, bar_file=None):
        self.file, self.bar_file = file, bar_file
        self.show_bar = bar
        self.bar = None

    def on_epoch_begin(self, state):
        bar_file = self.bar_file or sys.stderr
        show = self.show_bar if self.show_bar is not None else bar_file.isatty()
        if show:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=state.batches_per_epoch, file=bar_file, leave=False,
                            desc=f"epoch {state.epoch}/{state.epochs}", unit="batch",
                            dynamic_ncols=True)

    def on_batch_end(self, state, logs):
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{logs['loss']:.4f}", refresh=False)

    def on_epoch_end(self, state, logs):
        self._close()
        parts = [f"{k} {v:.4f}" for k, v in logs.items() if k not in ("epoch", "time", "lr")]
        print(f"epoch {state.epoch:3d}/{state.epochs}  " + "  ".join(parts)
              + f"  lr {logs['lr']:.2e}  {logs['time']:.1f}s", file=self.file or sys.stdout,
              flush=True)

    def on_train_end(self, state):
        self._close()  # an interrupted or diverged epoch leaves its bar open

    def _close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class EarlyStopping(_Monitor, Callback):
    """Stops when ``monitor`` has not improved for ``patience`` epochs; with
    ``restore_best`` the model gets back the weights of its best epoch."""

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0, mode="auto",
                 restore_best=True):
        super().__init__(monitor, mode, min_delta)
        if patience < 1:
            raise ValueError(f"EarlyStopping: patience must be >= 1, got {patience}")
        self.patience, self.restore_best = patience, restore_best
        self.wait, self.best_state, self.best_epoch = 0, None, None

    def on_epoch_end(self, state, logs):
        value = self.value(logs)
        if self.improved(value):
            self.best, self.wait, self.best_epoch = value, 0, state.epoch
            if self.restore_best:
                self.best_state = {k: v.data.copy() for k, v in state.model.state_dict().items()}
            return
        self.wait += 1
        if self.wait >= self.patience:
            state.stop_reason = (f"early stopping: {self.monitor} did not improve for "
                                 f"{self.patience} epochs (best {self.best:.4f} at epoch "
                                 f"{self.best_epoch})")

    def state_dict(self):
        state = {**super().state_dict(), "wait": self.wait, "best_epoch": self.best_epoch or 0}
        if self.best_state is not None:
            state["best_state"] = self.best_state
        return state

    def load_state_dict(self, state):
        super().load_state_dict(state)
        self.wait = int(state["wait"])
        self.best_epoch = int(state["best_epoch"]) or None
        self.best_state = state.get("best_state")

    def on_train_end(self, state):
        if self.restore_best and self.best_state is not None and state.stop_reason \
                and state.stop_reason.startswith("early stopping"):
            state.model.load_state_dict(self.best_state)


class ModelCheckpoint(_Monitor, Callback):
    """Saves the model's state dict to ``path`` (safetensors) after each epoch, or only when
    ``monitor`` improves with ``save_best_only``. Writes are atomic."""

    def __init__(self, path, monitor="val_loss", save_best_only=True, mode="auto"):
        super().__init__(monitor, mode)
        self.path, self.save_best_only = str(path), save_best_only

    def on_epoch_end(self, state, logs):
        if self.save_best_only:
            value = self.value(logs)
            if not self.improved(value):
                return
            self.best = value
        io.save(state.model.state_dict(), self.path)


class OverfittingDetector(Callback):
    """Warns once when validation loss has risen for ``patience`` epochs in a row while the
    training loss kept falling: the model is memorizing its training set."""

    def __init__(self, patience=3):
        self.patience = patience
        self.streak = 0
        self.warned_at = None
        self.prev = None

    def on_epoch_end(self, state, logs):
        if "val_loss" not in logs:
            return
        cur = (logs["loss"], logs["val_loss"])
        if self.prev is not None:
            rising = cur[1] > self.prev[1] and cur[0] < self.prev[0]
            self.streak = self.streak + 1 if rising else 0
        self.prev = cur
        if self.streak >= self.patience and self.warned_at is None:
            self.warned_at = state.epoch
            warnings.warn(f"overfitting: validation loss rose for {self.streak} epochs in a row "
                          f"(now {cur[1]:.4f}) while training loss fell (now {cur[0]:.4f}); "
                          f"consider early stopping, regularization (weight decay, dropout) or "
                          f"data augmentation", OverfittingWarning, stacklevel=2)

    def state_dict(self):
        return {"streak": self.streak, "warned_at": self.warned_at, "prev": self.prev}

    def load_state_dict(self, state):
        self.streak, self.warned_at, self.prev = state["streak"], state["warned_at"], state["prev"]


class OverfittingWarning(UserWarning):
    pass


class DivergenceGuard:
    """Stops training at the first NaN or infinite loss, before its gradient is applied.
    ``fit`` always has one and calls ``check`` on each batch's loss before the backward pass
    (it is not a Callback: callbacks see a batch only after its step)."""

    def check(self, state, loss, batch):
        """Whether ``loss`` is finite; if not, ends the epoch and training with a message."""
        if math.isfinite(loss):
            return True
        state.stop_reason = (f"diverged: the loss became {loss} at epoch {state.epoch}, "
                             f"batch {batch}; lower the learning rate or check the data for "
                             f"NaN/inf")
        state.abort_epoch = True
        return False
