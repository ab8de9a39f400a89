"""DataLoader: batches of a dataset, in order or shuffled, as tuples of Tensors."""
import numpy as np

from .. import random
from ..tensor import Tensor, tensor


class DataLoader:
    """Iterates over ``dataset`` in batches.

    Array-backed datasets (``dataset.batchable``: TensorDataset and Subsets or concatenations
    of them) are batched by indexing each array once per batch; other datasets by stacking
    their samples.

    Args:
        dataset: a Dataset whose samples are tuples (or single values) of tensors, arrays or
            numbers.
        batch_size: samples per batch; the last batch is smaller unless ``drop_last``.
        shuffle: draw a new order at each ``iter()``, from ``gradix.random`` (so
            ``gradix.manual_seed`` repeats it) or, with ``seed``, from the loader's own
            generator seeded once here.
        drop_last: skip the last batch when it is smaller than ``batch_size``.
        transform: a batch transform (see ``gradix.data.transforms``) applied to the first
            element of each batch, the input, only.
        seed: seeds the shuffling order independently of ``gradix.manual_seed``.

    Yields:
        tuples of Tensors of shape (B, ...), one per element of a sample.
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, transform=None,
                 seed=None):
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got "
                             f"{batch_size!r}")
        self.dataset, self.batch_size = dataset, int(batch_size)
        self.shuffle, self.drop_last, self.transform = shuffle, drop_last, transform
        self._rng = None if seed is None else np.random.default_rng(seed)

    def state_dict(self):
        """The state of the loader's own generator (``seed`` given), so a resumed run shuffles
        as the interrupted one would have; without ``seed`` the order follows
        ``gradix.random.get_rng_state()``."""
        return {} if self._rng is None else {"rng": self._rng.bit_generator.state}

    def load_state_dict(self, state):
        if self._rng is not None:
            self._rng.bit_generator.state = state["rng"]

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            rng = random.generator() if self._rng is None else self._rng
            order = rng.permutation(n)
        else:
            order = np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            indices = order[start:start + self.batch_size]
            if self.dataset.batchable:
                arrays = self.dataset.take(indices)
                batch = tuple(Tensor._make(a, False, None) for a in arrays)
            else:
                batch = _collate([self.dataset[int(i)] for i in indices])
            if self.transform is not None:
                batch = (self.transform(batch[0]),) + batch[1:]
            yield batch


def _collate(samples):
    """Stacks a list of samples (tuples, or single values) into a tuple of (B, ...) Tensors."""
    if not isinstance(samples[0], (tuple, list)):
        samples = [(s,) for s in samples]
    return tuple(_stack(list(field)) for field in zip(*samples))


def _stack(values):
    if isinstance(values[0], (Tensor, np.ndarray, np.generic)):
        return Tensor._make(np.stack([np.asarray(v) for v in values]), False, None)
    return tensor(values)  # Python numbers: float32 or int64, as gradix.tensor infers
