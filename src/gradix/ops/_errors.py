"""Clear errors for bad arguments, built only after an op has failed.

An op keeps its checks off the path of a successful call: it wraps its body in ``try`` (free
in Python 3.11 until something raises) and, in the ``except`` clause, calls one of these to
replace the raw NumPy or Python error (``'list' object has no attribute 'ndim'``, ``operands
could not be broadcast ...``) with one that names the op, the values involved and what would
be valid; when the arguments turn out fine, the original error goes on unchanged.
"""
import numbers

from .. import backend
from ..tensor import Tensor, _check_dim


def require_tensors(op, arrays=False, **args):
    """Raises a TypeError naming the first of ``args`` (name=value) that is not a Tensor (nor,
    with ``arrays``, a backend array: ops that backward rules call on arrays); returns when all
    of them are (the caller then re-raises what it caught)."""
    for name, value in args.items():
        if not isinstance(value, Tensor) and not (arrays and backend.is_array(value)):
            raise TypeError(f"{op}: argument '{name}' must be a Tensor, got "
                            f"{type(value).__name__}; make one with gradix.tensor(...)") from None


def require_tensor_list(op, tensors):
    """require_tensors for a sequence argument (cat, stack): names the element at fault."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}: expects a list or tuple of Tensors, got "
                        f"{type(tensors).__name__}") from None
    require_tensors(op, **{f"tensors[{i}]": t for i, t in enumerate(tensors)})


def refuse_sequence(op, value):
    """Raises a TypeError for a list or tuple operand of arithmetic (``x + [1, 2]``), which
    torch refuses too rather than convert it."""
    if isinstance(value, (list, tuple)):
        raise TypeError(f"{op}: unsupported operand of type {type(value).__name__} (as in "
                        f"PyTorch, lists and tuples aren't converted); make it a tensor first "
                        f"with gradix.tensor(...)") from None


def require_number(op, name, value):
    """Raises a TypeError unless ``value`` is a real number (bools count, as in torch)."""
    if not isinstance(value, numbers.Real) and not (
            isinstance(value, Tensor) and value.data.ndim == 0):
        raise TypeError(f"{op}: {name} must be a number, got {value!r} "
                        f"({type(value).__name__})") from None


def require_int(op, name, value, minimum=None):
    """Raises a TypeError unless ``value`` is an int, a ValueError if it is below ``minimum``."""
    if not isinstance(value, numbers.Integral):
        raise TypeError(f"{op}: {name} must be an int, got {value!r} "
                        f"({type(value).__name__})") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{op}: {name} must be at least {minimum}, got {value}") from None


def prefixed(op, error, detail=""):
    """``error`` again, its message starting with ``op`` and ending with ``detail``, as the
    built-in exception type it derives from (NumPy's own types take other arguments); an
    error that already starts with ``op`` (raised by a helper of the op) as it is."""
    if str(error).startswith(f"{op}: "):
        return error
    kind = next(c for c in type(error).__mro__ if c.__module__ == "builtins")
    return kind(f"{op}: {error}{detail}")


def check_dims(op, dims, ndim, sequence=True, optional=True):
    """Raises the error that a bad ``dims`` (one dim, or with ``sequence`` a tuple or list of
    them, and with ``optional`` None) for a tensor of ``ndim`` dimensions deserves: TypeError
    for what is not an int, IndexError (torch's) for an int out of range; returns when every
    dim is valid."""
    if dims is None and optional:
        return
    if isinstance(dims, (tuple, list)) and sequence:
        parts = dims
    else:
        parts = (dims,)
    for d in parts:
        if not isinstance(d, numbers.Integral):
            valid = "an int, a tuple of ints or None" if sequence else "an int"
            raise TypeError(f"{op}: dim must be {valid}, got {dims!r}") from None
        _check_dim(d, ndim, op)
