"""The dtypes gradix exposes and PyTorch's type-promotion rules.

gradix dtypes are NumPy dtype objects, so ``t.dtype == gradix.float32`` and
``t.numpy().dtype == t.dtype`` both hold.
"""
import builtins

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float16 = np.dtype(np.float16)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
int16 = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)

float = float32  # noqa: A001  (torch.float is float32)
double = float64
long = int64
int = int32  # noqa: A001
half = float16

default_float = float32
_NAMES = {float32: "float32", float64: "float64", float16: "float16", int64: "int64",
          int32: "int32", int16: "int16", int8: "int8", uint8: "uint8", bool_: "bool"}
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def dtype_name(dtype):
    return "gradix." + _NAMES.get(dtype, str(dtype))


def as_dtype(dtype):
    """Normalizes what a user passes as dtype (gradix/NumPy dtype, type, string) or raises."""
    if dtype is None:
        return None
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype: {dtype!r} is not a dtype; use one of "
                        f"{', '.join(dtype_name(d) for d in _NAMES)}") from None
    if dt not in _NAMES:
        raise TypeError(f"dtype: {dt} is not supported; use one of "
                        f"{', '.join(dtype_name(d) for d in _NAMES)}")
    return dt


def _promote_pair(a, b):
    """torch.promote_types: the higher category wins; within a category, the wider type."""
    if a == b:
        return a
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _scalar_dtype(value):
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (builtins.int, np.integer)):
        return int64
    return default_float


def check_cast(op, src, dst):
    """Raises unless an in-place op may write a result of dtype ``src`` into a tensor of dtype
    ``dst``, by torch.can_cast: not a float into an integer or bool, nor an integer into a
    bool; any integer into any other (the values wrap around), any float into any other."""
    if _CATEGORY[src.kind] > _CATEGORY[dst.kind]:
        raise TypeError(f"{op}: the result is {dtype_name(src)}, which can't be written into a "
                        f"{dtype_name(dst)} tensor (as in PyTorch); use the out-of-place op, or "
                        f"convert the tensor first")


_cache = {}


def result_type(*operands):
    """The dtype of an elementwise op on ``operands`` by PyTorch's rules.

    Operands are arrays (dimensioned or 0-d) or Python scalars. Three tiers are ranked:
    dimensioned arrays, then 0-d arrays, then Python scalars; a lower tier changes the result
    only when its category (bool < integer < float) is higher, so ``float32 * 2.0`` stays
    float32 and ``int64 * 2.5`` becomes float32.
    """
    tiers = [None, None, None]
    for x in operands:
        if hasattr(x, "dtype") and not isinstance(x, np.generic):
            tier, dt = (0 if x.ndim else 1), x.dtype
        else:
            tier, dt = 2, _scalar_dtype(x)
        tiers[tier] = dt if tiers[tier] is None else _promote_pair(tiers[tier], dt)
    key = tuple(tiers)
    hit = _cache.get(key)
    if hit is not None:
        return hit
    result = None
    for dt in tiers:
        if dt is None:
            continue
        if result is None:
            result = dt
        elif _CATEGORY[dt.kind] > _CATEGORY[result.kind]:
            result = dt
    _cache[key] = result
    return result
