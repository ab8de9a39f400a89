"""Datasets: indexable collections of samples, and the array-backed ones a loader can slice.

A dataset whose samples live in arrays sets ``batchable = True`` and implements
``take(indices) -> tuple of arrays``, so that a DataLoader fetches a whole batch with one fancy
index per array instead of collating samples one by one.
"""
import numpy as np

from .. import random
from ..tensor import Tensor, as_tensor


class Dataset:
    """Base class: a sequence of samples with ``__len__`` and ``__getitem__``."""

    batchable = False

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must implement __len__")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples ``(t[i] for t in tensors)`` from tensors or arrays sharing their first dimension.

    Args:
        *tensors: Tensors, arrays or nested lists, each of shape (N, ...). They are kept on the
            CPU; arrays keep their dtype (no copy), lists follow ``gradix.tensor``'s rules.
    """

    batchable = True

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: give at least one tensor")
        tensors = tuple(as_tensor(t, device="cpu") for t in tensors)
        sizes = [t.shape[0] if t.ndim else None for t in tensors]
        if None in sizes or len(set(sizes)) > 1:
            shapes = ", ".join(str(tuple(t.shape)) for t in tensors)
            raise ValueError(f"TensorDataset: all tensors must have the same size in the first "
                             f"dimension, got shapes {shapes}")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(Tensor._make(np.asarray(t.data[index]), False, None) for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]

    def take(self, indices):
        """One array per tensor holding the rows ``indices`` (a copy)."""
        return tuple(t.data[indices] for t in self.tensors)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset, indices):
        indices = np.asarray(indices, dtype=np.int64).reshape(-1)
        n = len(dataset)
        bad = indices[(indices < 0) | (indices >= n)]
        if bad.size:
            raise IndexError(f"Subset: index {bad[0]} is out of range for a dataset of {n} "
                             f"samples (valid: 0 to {n - 1})")
        self.dataset, self.indices = dataset, indices

    @property
    def batchable(self):
        return self.dataset.batchable

    def __getitem__(self, index):
        return self.dataset[int(self.indices[index])]

    def __len__(self):
        return len(self.indices)

    def take(self, indices):
        return self.dataset.take(self.indices[indices])


class ConcatDataset(Dataset):
    """The samples of several datasets, one after another."""

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: give at least one dataset")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets])

    @property
    def batchable(self):
        return all(d.batchable for d in self.datasets)

    def __len__(self):
        return int(self.cumulative_sizes[-1])

    def _locate(self, indices):
        """(which dataset, index inside it) for each global index."""
        which = np.searchsorted(self.cumulative_sizes, indices, side="right")
        starts = np.concatenate([[0], self.cumulative_sizes[:-1]])
        return which, indices - starts[which]

    def __getitem__(self, index):
        n = len(self)
        if not -n <= index < n:
            raise IndexError(f"ConcatDataset: index {index} is out of range for {n} samples")
        which, local = self._locate(index % n)
        return self.datasets[which][int(local)]

    def take(self, indices):
        which, local = self._locate(np.asarray(indices))
        order = np.argsort(which, kind="stable")  # group rows by dataset, then undo the grouping
        parts = [self.datasets[d].take(local[which == d]) for d in np.unique(which)]
        restore = np.argsort(order)
        return tuple(np.concatenate(column)[restore] for column in zip(*parts))


def random_split(dataset, lengths, seed=None):
    """Splits ``dataset`` into non-overlapping random Subsets.

    Args:
        lengths: sizes summing to ``len(dataset)``, or fractions summing to 1 (the remainder
            of rounding down goes one by one to the first subsets, as in PyTorch).
        seed: seeds the permutation; None draws it from ``gradix.random`` (``manual_seed``).
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(isinstance(f, float) for f in lengths):
        if abs(sum(lengths) - 1) > 1e-6 or min(lengths) < 0:
            raise ValueError(f"random_split: fractions {lengths} must be non-negative and sum "
                             f"to 1")
        sizes = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
    elif all(isinstance(s, (int, np.integer)) and s >= 0 for s in lengths):
        sizes = [int(s) for s in lengths]
        if sum(sizes) != n:
            raise ValueError(f"random_split: lengths {sizes} sum to {sum(sizes)} but the dataset "
                             f"has {n} samples; give lengths summing to {n} or fractions "
                             f"summing to 1")
    else:
        raise ValueError(f"random_split: lengths must be all non-negative ints or all floats "
                         f"(fractions), got {lengths}")
    rng = random.generator() if seed is None else np.random.default_rng(seed)
    perm = rng.permutation(n)
    bounds = np.cumsum([0] + sizes)
    return [Subset(dataset, perm[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
