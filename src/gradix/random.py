"""The one seeded generator behind initialization, dropout, shuffling and augmentation."""
import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed):
    """Seeds gradix's generator so that a run repeats exactly; returns the seed as an int in
    [0, 2**64). As torch, it takes anything ``int()`` converts (a float is truncated, a bool is
    0 or 1) in [-2**63, 2**64), a negative seed standing for seed + 2**64."""
    global _generator
    try:
        value = int(seed)
    except (TypeError, ValueError) as e:
        raise type(e)(f"manual_seed: seed must be an integer (or a number int() converts), "
                      f"got {seed!r} ({type(seed).__name__})") from None
    if not -2**63 <= value < 2**64:
        raise ValueError(f"manual_seed: seed must be in [-2**63, 2**64 - 1], got {value}")
    value %= 2**64
    _generator = np.random.default_rng(value)
    return value


def generator():
    """The current NumPy Generator (replaced by each ``manual_seed``)."""
    return _generator


def get_rng_state():
    """The generator's state as a JSON-able dict, for checkpoints."""
    return _generator.bit_generator.state


def set_rng_state(state):
    _generator.bit_generator.state = state
