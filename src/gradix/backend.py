"""Which array module a tensor lives on (NumPy on the CPU, CuPy on a GPU) and moves between them.

Ops call NumPy functions; CuPy arrays take part through NumPy's dispatch protocols
(``__array_ufunc__``, ``__array_function__``), so one op body serves both backends. Only creation
and the few calls that do not dispatch ask for the module explicitly.
"""
import ctypes
import os
import sys

import numpy as np


def _cupy():
    try:
        import cupy
    except ImportError:
        raise RuntimeError("device 'cuda' needs CuPy: pip install 'gradix[gpu]' on a machine "
                           "with a CUDA GPU") from None
    return cupy


def array_module(array):
    """numpy or cupy, whichever holds ``array``."""
    if type(array).__module__.startswith("cupy"):
        return sys.modules["cupy"]
    return np


def is_array(value):
    """Whether ``value`` is an array of either backend."""
    return isinstance(value, np.ndarray) or (type(value).__name__ == "ndarray"
                                             and type(value).__module__.startswith("cupy"))


def parse_device(device):
    """'cpu' or 'cuda' (or 'cuda:N') from a string; anything else is a ValueError."""
    if device is None:
        return None
    name = str(device)
    if name == "cpu" or name == "cuda" or name.startswith("cuda:"):
        return name
    raise ValueError(f"device: {device!r} is not a device; use 'cpu' or 'cuda'")


def device_of(array):
    if array_module(array) is np:
        return "cpu"
    return f"cuda:{array.device.id}"


def to_device(array, device):
    """``array`` on ``device`` (a no-op when it is already there)."""
    device = parse_device(device)
    if device is None or device_of(array) == device or (device == "cuda" and
                                                        device_of(array).startswith("cuda")):
        return array
    if device == "cpu":
        return array.get()
    cupy = _cupy()
    index = int(device.split(":")[1]) if ":" in device else 0
    with cupy.cuda.Device(index):
        return cupy.asarray(array)


def special(array):
    """scipy.special or cupyx.scipy.special, for the array's backend."""
    if array_module(array) is np:
        import scipy.special
        return scipy.special
    import cupyx.scipy.special
    return cupyx.scipy.special


def keep_freed_memory():
    """Asks glibc's malloc to keep freed memory for reuse instead of returning it to the OS.

    A training step frees and re-allocates the same activation-sized arrays every time; by
    default glibc unmaps large freed blocks, so each new array pays page faults again (a
    fifth of a small CNN's step). This keeps blocks up to 32 MiB on the heap and trims the
    heap only past 1 GiB free. Called once on import on Linux with glibc; set the environment
    variable GRADIX_KEEP_FREED_MEMORY=0 to leave malloc's settings alone. Returns whether the
    settings were applied.
    """
    if not sys.platform.startswith("linux") or os.environ.get("GRADIX_KEEP_FREED_MEMORY") == "0":
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl, ...): nothing to tune
        return False
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    return all([mallopt(m_mmap_threshold, 32 << 20), mallopt(m_trim_threshold, 1 << 30),
                mallopt(m_top_pad, 64 << 20)])
