"""The one seeded generator behind initialization, dropout, shuffling and augmentation."""
import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed):
    """Seeds gradix's generator so that a run repeats exactly; returns the seed."""
    global _generator
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: seed must be a non-negative integer, got {seed!r}")
    _generator = np.random.default_rng(int(seed))
    return seed


def generator():
    """The current NumPy Generator (replaced by each ``manual_seed``)."""
    return _generator


def get_rng_state():
    """The generator's state as a JSON-able dict, for checkpoints."""
    return _generator.bit_generator.state


def set_rng_state(state):
    _generator.bit_generator.state = state
