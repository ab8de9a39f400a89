"""Sorting and order statistics: sort, argsort, topk, kthvalue, median, mode, unique and
searchsorted.

The order is found on arrays by a stable argsort in which NaN is the largest value, as in
torch; the values are then gathered from the input at the chosen indices, so their gradient is
gather's: the upstream gradient scattered back to those positions, differentiable to any
order.
"""
import numbers

import numpy as np

from .. import backend, dtypes
from ..tensor import Tensor, _check_dim, register
from ._errors import require_int, require_tensors
from .elementwise import _no_kernel
from .index import GetItem, _along
from .reduce import _Extreme, values_indices
from .shape import squeeze

__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian", "mode",
           "unique", "unique_consecutive", "searchsorted", "bucketize"]


def _index(array, dtype=dtypes.int64):
    """An int64 (or ``dtype``) tensor of ``array``, on its device."""
    return Tensor._make(backend.array_module(array).asarray(array, dtype=dtype), False, None)


def _axis(op, x, dim):
    """``dim`` as a non-negative axis of x (0 for a 0-d x, which takes dim 0 or -1)."""
    try:
        return _check_dim(dim, x.ndim, op)
    except Exception:
        require_tensors(op, input=x)
        raise


def _order(a, axis, descending=False):
    """The indices that sort array ``a`` along ``axis``, stably (ties keep their order, in
    both directions), NaN last (first when descending); 0 for a 0-d ``a``."""
    xp = backend.array_module(a)
    if a.ndim == 0:
        return xp.zeros((), dtypes.int64)
    if not descending:
        return np.argsort(a, axis, kind="stable")
    # sorting the reversed array and reversing the result keeps ties in their order
    return a.shape[axis] - 1 - xp.flip(xp.argsort(xp.flip(a, axis), axis, kind="stable"), axis)


def _take(order, axis, start, stop):
    """Entries start to stop of ``order`` along ``axis`` (a 0-d order stays as it is)."""
    return order[(slice(None),) * axis + (slice(start, stop),)] if order.ndim else order


def _pick(x, axis, index, keepdim=True):
    """(values, indices): x gathered at ``index`` (an integer array, valid: no checks) along
    ``axis``, and with ``keepdim`` False the axis (of size 1 in ``index``) dropped."""
    values = GetItem.apply(x, key=_along(index, axis)) if x.ndim else x.clone()
    index = _index(index)
    if x.ndim and not keepdim:
        values, index = squeeze(values, axis), squeeze(index, axis)
    return values_indices(values, index)


def _check_k(op, k, lo, x, axis):
    """Raises unless ``k`` is an int in [lo, size of x along axis]."""
    n = x.shape[axis] if x.ndim else 1
    if not isinstance(k, numbers.Integral) or not lo <= k <= n:
        require_int(op, "k", k)
        raise ValueError(f"{op}: k must be in [{lo}, {n}] for dimension {axis} of shape "
                         f"{tuple(x.shape)}, got {k}")


def _no_bool(op, x):
    """Raises for a bool x, which torch has no ordering kernel for."""
    if isinstance(x, Tensor) and x.data.dtype.kind == "b":
        _no_kernel(op, x.data.dtype)


def _nonempty(op, x, axis, dim):
    if x.ndim and x.shape[axis] == 0:
        raise IndexError(f"{op}: can't reduce over dimension {dim} of size 0 (shape "
                         f"{tuple(x.shape)})")


# ---------------------------------------------------------------------- sorting
@register("sort")
def sort(x, dim=-1, descending=False, *, stable=False):
    """(values, indices) of x sorted along ``dim``: ascending (NaN last), or descending (NaN
    first). The sort is always stable, so ``stable`` changes nothing: equal values keep their
    order, which torch guarantees only with ``stable=True``."""
    axis = _axis("sort", x, dim)
    return _pick(x, axis, _order(x.data, axis, descending))


@register("argsort")
def argsort(x, dim=-1, descending=False, *, stable=False):
    """The indices of ``sort`` (an int64 tensor of x's shape)."""
    return _index(_order(x.data, _axis("argsort", x, dim), descending))


@register("msort")
def msort(x):
    """The values of x sorted along dimension 0."""
    return _pick(x, _axis("msort", x, 0), _order(x.data, 0)).values


@register("topk")
def topk(x, k, dim=-1, largest=True, sorted=True):  # noqa: A002  (torch's name)
    """(values, indices) of the k largest entries along ``dim`` (the k smallest unless
    ``largest``), from the most extreme on; NaN counts as the largest. ``sorted=False`` gives
    the same order (torch leaves it unspecified then). Shape: x's with k along ``dim``."""
    axis = _axis("topk", x, dim)
    _no_bool("topk", x)
    _check_k("topk", k, 0, x, axis)
    return _pick(x, axis, _take(_order(x.data, axis, largest), axis, 0, k))


@register("kthvalue")
def kthvalue(x, k, dim=-1, keepdim=False):
    """(values, indices) of the k-th smallest entry along ``dim``, counting k from 1."""
    axis = _axis("kthvalue", x, dim)
    if x.ndim:  # torch returns a 0-d x itself, of any dtype
        _no_bool("kthvalue", x)
    _check_k("kthvalue", k, 1, x, axis)
    return _pick(x, axis, _take(_order(x.data, axis), axis, k - 1, k), keepdim)


# ---------------------------------------------------------------------- medians and mode
class Median(_Extreme):
    """The lower median of all of x: NaN when x holds NaN or nothing. Like max()'s, its
    gradient is shared evenly among the elements equal to it (the NaN elements when it is
    NaN), as torch's."""
    ignore_nan = False

    def reduce(self, x, axes):
        flat = np.sort(x.reshape(-1))  # NaN last
        nans = np.count_nonzero(flat != flat)
        n = flat.size - nans if self.ignore_nan else flat.size
        if n == 0 and x.dtype.kind != "f":
            raise ValueError(f"{type(self).__name__.lower()}: an empty "
                             f"{dtypes.dtype_name(x.dtype)} tensor has no median (NaN needs a "
                             f"floating dtype)")
        value = flat[(n - 1) // 2] if n and (self.ignore_nan or not nans) else np.nan
        return backend.array_module(x).full((1,) * x.ndim, value, x.dtype)


class Nanmedian(Median):
    """The lower median of the elements of x that aren't NaN (NaN when there are none)."""
    ignore_nan = True


def _median(op, cls, x, dim, keepdim):
    _no_bool(op, x)
    if dim is None:
        if keepdim:
            raise TypeError(f"{op}: keepdim=True needs a dim, as in torch; pass dim")
        try:
            return cls.apply(x, axes=tuple(range(x.ndim)), keepdim=False, nan_wins=True)
        except Exception:
            require_tensors(op, input=x)
            raise
    axis = _axis(op, x, dim)
    _nonempty(op, x, axis, dim)
    a, order = x.data, _order(x.data, axis)
    if a.ndim == 0:
        return _pick(x, axis, order, keepdim)
    n = a.shape[axis]
    nans = np.sum(a != a, axis=axis, keepdims=True)  # NaN are sorted last, in their order
    if cls.ignore_nan:  # an all-NaN slice gives its first NaN
        position = np.maximum(n - nans - 1, 0) // 2
    else:  # a slice holding NaN gives its first NaN
        position = np.where(nans > 0, n - nans, (n - 1) // 2)
    return _pick(x, axis, np.take_along_axis(order, position, axis), keepdim)


@register("median")
def median(x, dim=None, keepdim=False):
    """The lower median of all elements of x (0-d; NaN when x holds NaN or is empty); with
    ``dim``, (values, indices) of the lower median along it, a slice holding NaN giving NaN at
    its first NaN.

    Gradient: without ``dim`` shared evenly among the elements equal to the median; with
    ``dim`` to the returned index (both as in torch).
    """
    return _median("median", Median, x, dim, keepdim)


@register("nanmedian")
def nanmedian(x, dim=None, keepdim=False):
    """``median`` of the elements that aren't NaN: NaN only where there are none (with
    ``dim``, at the index of such a slice's first element)."""
    return _median("nanmedian", Nanmedian, x, dim, keepdim)


@register("mode")
def mode(x, dim=-1, keepdim=False):
    """(values, indices) of the most frequent value along ``dim`` (the smallest of equally
    frequent ones) and the index of its last occurrence, as torch's CPU kernel gives; the
    gradient goes to that index."""
    axis = _axis("mode", x, dim)
    _nonempty("mode", x, axis, dim)
    if x.ndim == 0:
        return _pick(x, 0, _order(x.data, 0), keepdim)
    xp = backend.array_module(x.data)
    order = xp.moveaxis(_order(x.data, axis), axis, -1)
    s = xp.take_along_axis(xp.moveaxis(x.data, axis, -1), order, -1)
    # the length so far of the run of equal sorted values at each position; the first longest
    # run is the smallest mode, and (the sort being stable) its end is its last occurrence
    position = xp.arange(s.shape[-1])
    starts = xp.ones(s.shape, bool)
    starts[..., 1:] = s[..., 1:] != s[..., :-1]
    run = position - xp.maximum.accumulate(xp.where(starts, position, 0), -1)
    last = xp.take_along_axis(order, xp.argmax(run, -1)[..., None], -1)
    return _pick(x, axis, xp.moveaxis(last, -1, axis), keepdim)


# ---------------------------------------------------------------------- distinct values
def _distinct(values, inverse, counts, return_inverse, return_counts):
    """unique's result: the values, then the inverse and the counts if asked for."""
    out = [Tensor._make(values, False, None)]
    if return_inverse:
        out.append(_index(inverse))
    if return_counts:
        out.append(_index(counts))
    return out[0] if len(out) == 1 else tuple(out)


def _slice_axis(op, x, dim):
    """unique's ``dim``: None, or a dimension of x (which can't be 0-d then, nor have another
    dimension of size 0, as in torch)."""
    if dim is None:
        require_tensors(op, input=x)
        return None
    axis = _axis(op, x, dim)
    if x.ndim == 0:
        raise IndexError(f"{op}: dim {dim} is out of range for a 0-d tensor; use dim=None")
    if 0 in x.shape[:axis] + x.shape[axis + 1:]:
        raise ValueError(f"{op}: can't compare the slices along dim {dim} of shape "
                         f"{tuple(x.shape)}: they have size 0")
    return axis


@register("unique")
def unique(x, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    """The distinct values of x in ascending order (1-D), or with ``dim`` its distinct slices
    along ``dim`` in lexicographic order; every NaN counts as distinct. Returns that tensor, or
    a tuple adding ``inverse`` (int64: for each element, x's shape, or for each slice, the
    position of its value in the result) and ``counts`` (int64: how often each occurs).

    The result is sorted with ``sorted=False`` too, as torch's CPU kernel sorts it. Not
    differentiable.
    """
    axis = _slice_axis("unique", x, dim)
    values, inverse, counts = np.unique(x.data, return_inverse=True, return_counts=True,
                                        axis=axis, equal_nan=False)
    inverse = inverse.reshape(x.shape if axis is None else -1)
    return _distinct(values, inverse, counts, return_inverse, return_counts)


@register("unique_consecutive")
def unique_consecutive(x, return_inverse=False, return_counts=False, dim=None):
    """The first of each run of equal consecutive elements of x (flattened), or with ``dim``
    of equal consecutive slices along ``dim``, with the inverse and the counts as ``unique``
    gives them; every NaN counts as distinct. Not differentiable."""
    axis = _slice_axis("unique_consecutive", x, dim)
    xp = backend.array_module(x.data)
    a = x.data.reshape(-1) if axis is None else xp.moveaxis(x.data, axis, 0)
    n = a.shape[0]
    rows = a.reshape(n, a.size // n if n else 0)
    starts = xp.ones(n, bool)
    starts[1:] = (rows[1:] != rows[:-1]).any(1)
    values = xp.moveaxis(a[starts], 0, 0 if axis is None else axis)
    inverse = (xp.cumsum(starts) - 1).reshape(x.shape if axis is None else -1)
    counts = xp.diff(xp.append(xp.flatnonzero(starts), n))
    return _distinct(values, inverse, counts, return_inverse, return_counts)


# ---------------------------------------------------------------------- searching
def _search(op, sequence, values, out_int32, side, sorter):
    """searchsorted's body, its errors naming ``op``."""
    try:
        seq = sequence.data
        xp = backend.array_module(seq)
        if isinstance(values, Tensor):
            v = values.data
        elif isinstance(values, numbers.Real):
            v = xp.asarray(values)
        else:
            raise TypeError(f"{op}: the values must be a Tensor or a number, got "
                            f"{type(values).__name__}")
        if seq.dtype.kind == "b" and v.dtype.kind == "b":  # torch searches in bool: no kernel
            _no_kernel(op, seq.dtype)
        order = None if sorter is None else sorter.data
        if seq.ndim == 1:
            out = xp.searchsorted(seq, v, side, order)
        elif seq.shape[:-1] == v.shape[:-1]:  # one sequence per row of values
            rows = int(np.prod(seq.shape[:-1]))
            seqs = seq.reshape(rows, seq.shape[-1])
            orders = [None] * rows if order is None else order.reshape(seqs.shape)
            found = [xp.searchsorted(s, r, side, o) for s, r, o in
                     zip(seqs, v.reshape(rows, v.shape[-1]), orders)]
            out = xp.stack(found).reshape(v.shape) if rows else xp.zeros(v.shape, dtypes.int64)
        else:
            raise ValueError(f"{op}: the sequence must be 1-D or share all but its last "
                             f"dimension with the values, got shapes {tuple(seq.shape)} and "
                             f"{tuple(v.shape)}")
        return _index(out, dtypes.int32 if out_int32 else dtypes.int64)
    except Exception:
        require_tensors(op, sorted_sequence=sequence)
        if sorter is not None and sorter.shape != sequence.shape:
            raise ValueError(f"{op}: sorter of shape {tuple(sorter.shape)} must have the "
                             f"sequence's shape {tuple(sequence.shape)}") from None
        if sequence.ndim == 0:
            raise ValueError(f"{op}: the sequence must have at least one dimension, got a "
                             f"0-d tensor") from None
        raise


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,  # noqa: A002
                 sorter=None):
    """For each of the values ``input`` (a tensor or a number), the index in
    ``sorted_sequence`` (sorted along its last dimension) where inserting it keeps the order:
    the first such index, or the last with ``right=True`` or ``side='right'``.

    sorted_sequence is 1-D, or has input's leading dimensions and holds one sequence per row
    of input; ``sorter`` holds the indices that sort an unsorted sequence. The result has
    input's shape, int64 (int32 with ``out_int32``); it is not differentiable.
    """
    if side not in (None, "left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    if right and side == "left":
        raise ValueError("searchsorted: side='left' contradicts right=True")
    return _search("searchsorted", sorted_sequence, input, out_int32,
                   "right" if right else side or "left", sorter)


def bucketize(input, boundaries, *, out_int32=False, right=False):  # noqa: A002
    """For each value, the index i of its bucket in the 1-D sorted ``boundaries``:
    boundaries[i - 1] < x <= boundaries[i], or boundaries[i - 1] <= x < boundaries[i] with
    ``right=True`` (``searchsorted(boundaries, input, right=right)``)."""
    if isinstance(boundaries, Tensor) and boundaries.ndim != 1:
        raise ValueError(f"bucketize: boundaries must be 1-D, got shape "
                         f"{tuple(boundaries.shape)}")
    return _search("bucketize", boundaries, input, out_int32, "right" if right else "left",
                   None)
