"""In-place changes to arrays that recorded ops may need for their backward.

PyTorch keeps a version counter per storage; gradix stamps the memory buffer an in-place op
changes with the graph's clock (the counter that orders nodes). A node created before the
stamp may have saved the old values, so backward refuses to run its rule on the new ones
instead of returning a wrong gradient. Views share their base's buffer, so a change through
``x.detach()`` or a slice counts as a change of ``x``.
"""
import weakref

from .. import backend
from . import function

_changes = {}  # id(buffer) -> (weak reference to the buffer, clock time, op name)
latest = 0     # the clock time of the newest change; 0 while nothing was changed in place


def _buffer(array):
    """The array that owns ``array``'s memory (its base, followed through views)."""
    ndarray = backend.array_module(array).ndarray
    while isinstance(array.base, ndarray):
        array = array.base
    return array


def mark_changed(array, op):
    """Records that ``op`` changes ``array``'s memory in place now."""
    global latest
    buffer = _buffer(array)
    key = id(buffer)
    latest = next(function._counter)
    try:
        ref = weakref.ref(buffer, lambda _, key=key: _changes.pop(key, None))
    except TypeError:  # an array type without weak references: it can't be checked
        return
    _changes[key] = (ref, latest, op)


def check_saved(node):
    """Raises RuntimeError if an array ``node`` may use in backward (its inputs' data or an
    array it keeps) was changed in place after ``node`` ran."""
    arrays = [x.data for x in node.inputs]
    arrays += [v for v in vars(node).values() if backend.is_array(v)]
    for array in arrays:
        change = _changes.get(id(_buffer(array)))
        if change is not None and change[1] > node.seq:
            op = type(node).__name__
            raise RuntimeError(
                f"backward: an array of shape {tuple(array.shape)} that {op} may use for its "
                f"gradient was changed in place by {change[2]} after {op} ran, so the "
                f"gradient would be wrong; change it after backward(), use the out-of-place "
                f"op (x = x * 2, not x.mul_(2)), or change a .clone()")
