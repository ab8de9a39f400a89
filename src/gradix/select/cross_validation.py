"""k-fold and leave-one-out cross-validation: a fresh model trained per fold."""
import numpy as np

from ..data import DataLoader, Subset
from ..train import evaluate, fit


class CVResult:
    """Per-fold metrics and their mean and standard deviation."""

    def __init__(self, folds):
        self.folds = folds  # one dict of metrics per fold

    @property
    def n_folds(self):
        return len(self.folds)

    def mean(self, metric):
        return float(np.mean([f[metric] for f in self.folds]))

    def std(self, metric):
        return float(np.std([f[metric] for f in self.folds]))

    def summary(self):
        """{metric: (mean, std)} over the folds."""
        return {k: (self.mean(k), self.std(k)) for k in self.folds[0]} if self.folds else {}

    def table(self):
        """The per-fold table and a mean +- std line, as text."""
        names = list(self.folds[0]) if self.folds else []
        lines = ["fold  " + "  ".join(f"{n:>12s}" for n in names)]
        for i, f in enumerate(self.folds, 1):
            lines.append(f"{i:4d}  " + "  ".join(f"{f[n]:12.4f}" for n in names))
        lines.append("mean  " + "  ".join(f"{self.mean(n):6.4f}+-{self.std(n):<5.3f}"
                                          for n in names))
        return "\n".join(lines)


def _labels(dataset):
    tensors = getattr(dataset, "tensors", None)
    if tensors is not None and len(tensors) > 1:
        return np.asarray(tensors[1].numpy())
    return np.asarray([int(dataset[i][1]) for i in range(len(dataset))])


def cross_validate(build_model, dataset, loss_fn, build_optimizer, cv=None, epochs=10,
                   batch_size=32, metrics=("accuracy",), seed=0, callbacks=()):
    """Trains a fresh model on each training split of ``cv`` and scores it on the held-out split.

    Args:
        build_model: ``() -> Module``, called once per fold.
        build_optimizer: ``(parameters) -> Optimizer``.
        cv: a scikit-learn splitter (``KFold(5)``, ``StratifiedKFold(5)``, ``LeaveOneOut()``)
            or an int k for ``StratifiedKFold(k, shuffle=True)``; default 5.
        callbacks: ``() -> list`` of fresh callbacks per fold, or a list reused by every fold.
    Returns:
        CVResult with the held-out loss and metrics of each fold.
    """
    from sklearn.model_selection import StratifiedKFold

    from .. import random

    if cv is None or isinstance(cv, int):
        cv = StratifiedKFold(cv or 5, shuffle=True, random_state=seed)
    labels = _labels(dataset)
    folds = []
    for k, (train_idx, test_idx) in enumerate(cv.split(np.zeros(len(labels)), labels)):
        random.manual_seed(seed + k)
        model = build_model()
        optimizer = build_optimizer(model.parameters())
        train = DataLoader(Subset(dataset, train_idx), batch_size=batch_size, shuffle=True)
        test = DataLoader(Subset(dataset, test_idx), batch_size=max(batch_size, 256))
        cbs = callbacks() if callable(callbacks) else list(callbacks)
        fit(model, loss_fn, optimizer, train, epochs=epochs, callbacks=cbs)
        folds.append(evaluate(model, test, loss_fn, metrics))
    return CVResult(folds)
