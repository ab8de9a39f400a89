"""Metrics computed from a whole epoch's outputs and targets (NumPy arrays).

Classification metrics take logits or probabilities of shape (N, C) and class indices (N,);
regression metrics take predictions and targets of the same shape.
"""
import numpy as np


class Metric:
    """A named function of (outputs, targets) -> float; higher is better unless ``lower``."""
    name = ""
    lower_is_better = False

    def __call__(self, outputs, targets):
        raise NotImplementedError


def _classes(outputs, targets, op):
    outputs, targets = np.asarray(outputs), np.asarray(targets)
    if outputs.ndim != 2 or targets.shape != outputs.shape[:1]:
        raise ValueError(f"{op}: expects outputs (N, C) and class indices (N,), got "
                         f"{outputs.shape} and {targets.shape}")
    return outputs, targets.astype(np.int64)


class Accuracy(Metric):
    name = "accuracy"

    def __call__(self, outputs, targets):
        outputs, targets = _classes(outputs, targets, self.name)
        return float(np.mean(outputs.argmax(axis=1) == targets)) if len(targets) else float("nan")


class TopKAccuracy(Metric):
    """Fraction of samples whose class is among the k highest outputs."""

    def __init__(self, k=5):
        self.k = k
        self.name = f"top{k}_accuracy"

    def __call__(self, outputs, targets):
        outputs, targets = _classes(outputs, targets, self.name)
        k = min(self.k, outputs.shape[1])
        top = np.argpartition(-outputs, k - 1, axis=1)[:, :k]
        return float(np.mean((top == targets[:, None]).any(axis=1)))


def confusion_matrix(outputs, targets, num_classes=None):
    """counts[i, j] = number of samples of class i predicted as class j."""
    outputs, targets = _classes(outputs, targets, "confusion_matrix")
    n = num_classes or outputs.shape[1]
    pred = outputs.argmax(axis=1)
    return np.bincount(targets * n + pred, minlength=n * n).reshape(n, n)


def _precision_recall(outputs, targets):
    cm = confusion_matrix(outputs, targets)
    tp = np.diag(cm).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(cm.sum(axis=0) > 0, tp / cm.sum(axis=0), 0.0)
        recall = np.where(cm.sum(axis=1) > 0, tp / cm.sum(axis=1), 0.0)
    present = cm.sum(axis=1) > 0  # macro average over the classes present in the targets
    return precision, recall, present


class Precision(Metric):
    """Macro-averaged precision over the classes present in the targets."""
    name = "precision"

    def __call__(self, outputs, targets):
        precision, _, present = _precision_recall(outputs, targets)
        return float(precision[present].mean())


class Recall(Metric):
    """Macro-averaged recall over the classes present in the targets."""
    name = "recall"

    def __call__(self, outputs, targets):
        _, recall, present = _precision_recall(outputs, targets)
        return float(recall[present].mean())


class F1(Metric):
    """Macro-averaged F1: the mean over classes of 2PR / (P + R)."""
    name = "f1"

    def __call__(self, outputs, targets):
        p, r, present = _precision_recall(outputs, targets)
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
        return float(f1[present].mean())


def _regression(outputs, targets, op):
    outputs, targets = np.asarray(outputs, np.float64), np.asarray(targets, np.float64)
    if outputs.shape != targets.shape:
        outputs = outputs.reshape(targets.shape) if outputs.size == targets.size else outputs
    if outputs.shape != targets.shape:
        raise ValueError(f"{op}: outputs {outputs.shape} and targets {targets.shape} differ")
    return outputs, targets


class MSE(Metric):
    name = "mse"
    lower_is_better = True

    def __call__(self, outputs, targets):
        o, t = _regression(outputs, targets, self.name)
        return float(np.mean((o - t) ** 2))


class MAE(Metric):
    name = "mae"
    lower_is_better = True

    def __call__(self, outputs, targets):
        o, t = _regression(outputs, targets, self.name)
        return float(np.mean(np.abs(o - t)))


class R2(Metric):
    """Coefficient of determination, 1 - SS_res / SS_tot."""
    name = "r2"

    def __call__(self, outputs, targets):
        o, t = _regression(outputs, targets, self.name)
        ss_tot = np.sum((t - t.mean()) ** 2)
        return float(1 - np.sum((o - t) ** 2) / ss_tot) if ss_tot > 0 else float("nan")


METRICS = {"accuracy": Accuracy, "top5_accuracy": lambda: TopKAccuracy(5),
           "precision": Precision, "recall": Recall, "f1": F1, "mse": MSE, "mae": MAE, "r2": R2}


def get_metric(metric):
    """A Metric from an instance or one of the names in METRICS."""
    if isinstance(metric, Metric):
        return metric
    if isinstance(metric, str):
        if metric.startswith("top") and metric.endswith("_accuracy") and metric[3:-9].isdigit():
            return TopKAccuracy(int(metric[3:-9]))
        if metric in METRICS:
            return METRICS[metric]()
    raise ValueError(f"unknown metric {metric!r}; valid names: {', '.join(METRICS)} "
                     f"(or topK_accuracy for any K)")
