"""Shipped datasets (scikit-learn's bundled copies; no network) and a user's own npz/csv files.

Every loader returns a ``LabeledDataset``: a TensorDataset ``(x, y)`` that also says what it is.
Features are float32; classification targets are int64 class indices 0..K-1 (``classes[k]``
names class k); regression targets are float32.
"""
import csv
import os

import numpy as np

from .dataset import TensorDataset


class LabeledDataset(TensorDataset):
    """A TensorDataset ``(x, y)`` with its name, task and the names of its classes and features.

    Attributes:
        name: the dataset's name (a registry key or a file name).
        task: ``"classification"`` or ``"regression"``.
        classes: the class names (classification), else None.
        feature_names: one name per feature column, or None.
    """

    def __init__(self, x, y, name, task, classes=None, feature_names=None):
        super().__init__(x, y)
        self.name, self.task = name, task
        self.classes, self.feature_names = classes, feature_names

    @property
    def num_classes(self):
        return None if self.classes is None else len(self.classes)

    def __repr__(self):
        x, y = self.tensors
        kind = f"{self.num_classes} classes" if self.classes is not None else self.task
        return f"LabeledDataset({self.name!r}, x {tuple(x.shape)}, y {tuple(y.shape)}, {kind})"


def _from_sklearn(load, name, task, image_shape=None, scale=1.0):
    import sklearn.datasets  # imported on first use: it is slow to import

    bunch = getattr(sklearn.datasets, load)()
    x = (bunch.data * scale).astype(np.float32)
    classes = None
    if task == "classification":
        y = bunch.target.astype(np.int64)
        classes = [str(c) for c in bunch.target_names]
    else:
        y = bunch.target.astype(np.float32)
    if image_shape is not None:
        x = x.reshape((-1,) + image_shape)
    return LabeledDataset(x, y, name, task, classes, list(bunch.feature_names))


def load_digits():
    """8x8 handwritten digits: x (1797, 1, 8, 8) in [0, 1], y (1797,) in 0..9."""
    return _from_sklearn("load_digits", "digits", "classification", (1, 8, 8),
                         scale=1 / 16)  # sklearn's pixels are integers 0..16


def load_iris():
    """Iris flowers: x (150, 4), y (150,) in 0..2."""
    return _from_sklearn("load_iris", "iris", "classification")


def load_wine():
    """Wine cultivars: x (178, 13), y (178,) in 0..2."""
    return _from_sklearn("load_wine", "wine", "classification")


def load_breast_cancer():
    """Breast tumours, malignant (0) or benign (1): x (569, 30), y (569,)."""
    return _from_sklearn("load_breast_cancer", "breast_cancer", "classification")


def load_diabetes():
    """Diabetes progression (regression; sklearn's scaled features): x (442, 10), y (442,)."""
    return _from_sklearn("load_diabetes", "diabetes", "regression")


DATASETS = {"digits": load_digits, "iris": load_iris, "wine": load_wine,
            "breast_cancer": load_breast_cancer, "diabetes": load_diabetes}


def load_dataset(name):
    """The shipped dataset called ``name`` (a key of ``DATASETS``)."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; valid names: {', '.join(DATASETS)}")
    return DATASETS[name]()


def _target(y, task, where):
    """(y as int64 class indices or float32 values, class names or None) for ``task``."""
    if task is None:
        task = "regression" if y.dtype.kind == "f" else "classification"
    if task == "classification":
        classes, y = np.unique(y, return_inverse=True)
        return y.astype(np.int64).reshape(-1), classes.tolist(), task
    if task != "regression":
        raise ValueError(f"{where}: task must be 'classification', 'regression' or None "
                         f"(inferred), got {task!r}")
    if y.dtype.kind not in "biuf":
        raise ValueError(f"{where}: a regression target must be numeric, got {y.dtype}")
    return y.astype(np.float32), None, task


def load_npz(path, x_key="x", y_key="y", task=None):
    """A dataset from the arrays ``x_key`` (N, ...) and ``y_key`` (N,) of an ``.npz`` file.

    ``task`` None infers it: a floating target is regression, any other is classification
    (its distinct values, sorted, become ``classes`` and y their indices).
    """
    with np.load(path, allow_pickle=False) as data:
        for key in (x_key, y_key):
            if key not in data.files:
                raise ValueError(f"load_npz: {path} has no array {key!r}; its arrays are: "
                                 f"{', '.join(data.files)}")
        x, y = data[x_key], data[y_key]
    if x.dtype.kind not in "biuf":
        raise ValueError(f"load_npz: array {x_key!r} of {path} must be numeric, got {x.dtype}")
    y, classes, task = _target(y, task, f"load_npz({path})")
    return LabeledDataset(x.astype(np.float32), y, os.path.basename(path), task, classes)


def load_csv(path, target, features=None, task=None):
    """A dataset from a CSV file with a header row: ``features`` columns (default: all but
    ``target``) as x (N, F) float32, and the ``target`` column as y (N,).

    ``task`` None infers it: a target of integers or of text is classification (its distinct
    values, sorted, become ``classes``), one of decimal numbers is regression.
    """
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"load_csv: {path} is empty; expected a header row of column names")
    header, rows = rows[0], rows[1:]
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"load_csv: line {i + 2} of {path} has {len(row)} values but the "
                             f"header names {len(header)} columns")
    features = [c for c in header if c != target] if features is None else list(features)
    for name in [target] + features:
        if name not in header:
            raise ValueError(f"load_csv: {path} has no column {name!r}; its columns are: "
                             f"{', '.join(header)}")
    columns = {name: np.array([row[i] for row in rows]) for i, name in enumerate(header)}
    x = np.stack([_numeric(columns[c], c, path) for c in features], axis=1)
    y = columns[target]
    for dtype in (np.int64, np.float64):  # the narrowest type the target's text parses as
        try:
            y = y.astype(dtype)
            break
        except ValueError:
            pass
    y, classes, task = _target(y, task, f"load_csv({path})")
    return LabeledDataset(x, y, os.path.basename(path), task, classes, features)


def _numeric(column, name, path):
    try:
        return column.astype(np.float32)
    except ValueError:
        row = next(i for i, v in enumerate(column) if not _is_number(v))
        raise ValueError(f"load_csv: column {name!r} of {path} must be numeric, but line "
                         f"{row + 2} holds {str(column[row])!r}") from None


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False
