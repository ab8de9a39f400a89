"""Indexing: ``x[key]`` with ints, slices, None, ..., integer and bool arrays; gather/scatter.

Backward scatters with accumulation, so repeated indices add up.
"""
import builtins
import operator

import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _check_dim, register
from ._errors import prefixed, require_int, require_number, require_tensors
from .elementwise import _promote, where
from .shape import _shape_arg, broadcast_to, reshape


def array_key(key):
    """An index key with tensors and lists turned into backend arrays, read as torch reads it.

    A list holding a tensor, array, sequence, slice, None or ... (and shorter than 32) is a tuple
    of indices, the legacy NumPy rule torch keeps: ``x[[[0, 1], [1, 0]]]`` is ``x[[0, 1], [1, 0]]``.
    A 0-d integer tensor or array is a plain int.
    """
    if isinstance(key, tuple) or (isinstance(key, list) and len(key) < 32 and any(
            k is None or k is Ellipsis or isinstance(k, (slice, list, tuple, Tensor, np.ndarray))
            for k in key)):
        return tuple(_key_part(k) for k in key)
    return _key_part(key)


def _key_part(k):
    if isinstance(k, Tensor):
        k = k.data
    elif isinstance(k, list):
        k = np.asarray(k)
        if not k.size:  # [] or [[], []]: an empty integer index, as torch reads it
            k = k.astype(dtypes.int64)
    if getattr(k, "ndim", None) == 0 and k.dtype.kind in "iu":
        return int(k)
    return k


def _one_ellipsis(op, key, shape):
    """``key`` (a tuple from array_key) with its second and later Ellipses dropped, as torch
    reads them: each Ellipsis stands for the dimensions the other indices leave, so the later
    ones change nothing when that is none, and otherwise leave what follows them out of range."""
    spans = _spans(key)
    first, second = [i for i, p in enumerate(key) if p is Ellipsis][:2]
    if len(shape) > sum(spans) and any(p is not Ellipsis for p in key[second:]):
        raise IndexError(f"{op}: an index after a second Ellipsis is out of range (tensor shape "
                         f"{tuple(shape)}): as in torch, every Ellipsis skips the dimensions the "
                         f"first one covers ({len(shape) - sum(spans)} here); use one "
                         f"Ellipsis") from None
    return tuple(p for i, p in enumerate(key) if p is not Ellipsis or i == first)


def _spans(key):
    """How many dimensions of x each part of ``key`` (a tuple from array_key) indexes."""
    return [p.ndim if hasattr(p, "ndim") and p.dtype.kind == "b" else
            0 if p is None or p is Ellipsis or isinstance(p, bool) else 1 for p in key]


def _without_empty_ellipsis(key, ndim):
    """``key`` (from array_key) without its Ellipses where they stand for no dimension: torch
    then reads the array indices around one as adjacent, so x[None, idx, ..., idx] of a 2-d x
    puts their dimensions after the new one, where NumPy puts them first."""
    if (isinstance(key, tuple) and any(p is Ellipsis for p in key)
            and sum(_spans(key)) == ndim):
        return tuple(p for p in key if p is not Ellipsis)
    return key


def _ellipses(key):  # more than one Ellipsis
    return isinstance(key, tuple) and sum(p is Ellipsis for p in key) > 1


def _is_basic(key):
    parts = key if isinstance(key, tuple) else (key,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, slice, np.integer))
               for p in parts)


def _is_int(p):
    return isinstance(p, int) and not isinstance(p, bool)


def _is_array(p):  # an advanced index: an integer or bool array, or True/False
    return hasattr(p, "ndim") or isinstance(p, bool)


def _ints_first(key):
    """``key`` (from array_key) as the keys NumPy applies in turn to give torch's result.

    Torch selects with plain ints before it applies the array indices, so ``x[0, :, idx]`` has
    shape (4, 2) for x of shape (3, 4, 5), that of ``x[0][:, idx]``; NumPy counts the int as one
    more array index, separated from ``idx`` by the slice, and puts the indexed dimension first:
    (2, 4). Where a key mixes both, it becomes a basic key (ints, slices, None, ...) and then an
    array key on what is left; otherwise the two agree and the key stays one.
    """
    if not (isinstance(key, tuple) and any(_is_array(p) for p in key)
            and any(_is_int(p) for p in key)):
        return [key]
    basic, advanced = [], []
    for p in key:
        if _is_int(p):
            basic.append(p)
        elif p is Ellipsis:
            basic.append(p)
            advanced.append(p)
        elif not _is_array(p):  # a slice or None: its dimension stays for the array key
            basic.append(p)
            advanced.append(slice(None))
        elif np.ndim(p) == 0:  # True/False: a new dimension of size 1, kept or emptied
            basic.append(None)
            advanced.append(np.arange(int(p)))
        else:  # a bool mask covers as many dimensions as it has
            basic.extend([slice(None)] * (p.ndim if p.dtype.kind == "b" else 1))
            advanced.append(p)
    return [tuple(basic), tuple(advanced)]


class GetItem(Function):
    array_backward = True

    def forward(self, x, key):
        self.key, self.src = key, x.shape
        return x[key]

    def backward(self, gy):
        return index_add_into(gy, self.key, self.src)


class IndexAddInto(Function):
    """zeros(shape) with gy added at ``key`` (the adjoint of ``x[key]``), or with
    ``accumulate`` False written there: of repeated indices one write stays."""
    array_backward = True

    def forward(self, gy, key, shape, accumulate):
        self.key = key
        xp = backend.array_module(gy)
        out = xp.zeros(shape, dtype=gy.dtype)
        if not accumulate or _is_basic(key):
            out[key] = gy
        else:
            xp.add.at(out, key, gy)  # unbuffered: repeated indices accumulate
        return out

    def backward(self, ggx):
        return ggx[self.key]


def index_add_into(gy, key, shape):
    return IndexAddInto.call(gy, key=key, shape=tuple(shape), accumulate=True)


def put_into(src, key, shape):
    return IndexAddInto.call(src, key=key, shape=tuple(shape), accumulate=False)


_BASIC = (int, slice, type(None), type(Ellipsis))  # bool is not: True/False index like arrays


def _getitem(x, key):
    if key.__class__ in _BASIC or (key.__class__ is tuple
                                    and all([k.__class__ in _BASIC for k in key])):
        keys = (key,)  # basic indexing, where NumPy's rules are torch's: the common case
    else:
        key = array_key(key)
        for p in key if isinstance(key, tuple) else (key,):
            if hasattr(p, "dtype") and p.dtype.kind not in "biu":
                raise IndexError(f"__getitem__: tensors used as indices must be integer or "
                                 f"bool, got {p.dtype}")
        keys = _ints_first(_without_empty_ellipsis(key, x.ndim))
    try:
        y = x
        for k in keys:
            y = GetItem.apply(y, key=k)
        return y
    except (IndexError, ValueError) as e:  # out of range, too many indices, a zero step
        if _ellipses(key):  # which NumPy refuses and torch reads: see _one_ellipsis
            return _getitem(x, _one_ellipsis("__getitem__", key, x.shape))
        raise prefixed("__getitem__", e, f" (tensor shape {tuple(x.shape)})") from None


register("__getitem__")(_getitem)


def assign(data, key, value):
    """``data[key] = value`` on a backend array, with key read as ``x[key]`` reads it (torch's
    rules above), so that x[key] = v writes exactly the places x[key] reads."""
    target = data
    while getattr(value, "ndim", 0) and value.shape[0] == 1:
        value = value[0]  # as torch drops leading sizes 1: x[0] = v of shape (1, 1) works
    try:
        key = array_key(key)
        *views, last = _ints_first(_without_empty_ellipsis(key, data.ndim))
        for k in views:
            target = target[k]  # basic indexing: a view, so the write below reaches the original
        if getattr(value, "size", 1) == 0:  # which NumPy writes into x[True, mask] of any shape
            backend.array_module(value).broadcast_to(value, target[last].shape)
        target[last] = value
    except (IndexError, ValueError, TypeError) as e:
        if _ellipses(key):
            return assign(data, _one_ellipsis("__setitem__", key, data.shape), value)
        dtype = value.dtype if hasattr(value, "dtype") else np.asarray(value).dtype
        if dtype.kind not in "biuf":
            raise TypeError(f"__setitem__: can't assign a {type(value).__name__} to a "
                            f"{dtypes.dtype_name(data.dtype)} tensor; assign a number, a tensor "
                            f"or an array of numbers") from None
        of_value = f", value shape {tuple(value.shape)}" if hasattr(value, "shape") else ""
        raise prefixed("__setitem__", e, f" (tensor shape {tuple(data.shape)}{of_value})") from None


def _along(index, axis):
    """The key that takes, for each entry of ``index`` at position (i, j, ...), position
    index[i, j, ...] along ``axis`` and i, j, ... along the other dimensions; the indexed result
    has index's shape (torch.gather's out[i][j] = x[i][index[i][j]] for axis 1)."""
    xp = backend.array_module(index)
    key = [xp.arange(n).reshape((n,) + (1,) * (index.ndim - 1 - i))
           for i, n in enumerate(index.shape)]
    key[axis] = index
    return tuple(key)


def _read_as_1d(*tensors):
    """Whether gather and scatter read these tensors (a number or None among them left out)
    as 1-D, as torch does: when each is 0-d or 1-D and one is 0-d (one entry)."""
    dims = [t.ndim for t in tensors if isinstance(t, Tensor)]
    return max(dims) <= 1 and min(dims) == 0


def _1d(t):
    """t as 1-D if it is a 0-d tensor."""
    return reshape(t, 1) if isinstance(t, Tensor) and t.ndim == 0 else t


def _check_index(op, x, d, index, src=None):
    """Checks ``index`` for gather/scatter_add along dimension d of x, like torch: an integer
    tensor with x's number of dimensions, no larger than x outside d (nor than src anywhere),
    and every entry within [0, x.shape[d])."""
    if index.dtype.kind not in "iu":
        raise TypeError(f"{op}: index must be an integer tensor, got {index.dtype}")
    for name, t in (("input", x), ("src", src)):
        if t is not None and index.ndim != t.ndim:
            raise ValueError(f"{op}: index has {index.ndim} dimensions but {name} has {t.ndim}")
    if not index.numel():
        return
    if any(i != d and k > n for i, (k, n) in enumerate(zip(index.shape, x.shape))):
        raise ValueError(f"{op}: index of shape {tuple(index.shape)} must be no larger than the "
                         f"input's shape {tuple(x.shape)} outside dimension {d}")
    if src is not None and any(k > n for k, n in zip(index.shape, src.shape)):
        raise ValueError(f"{op}: index of shape {tuple(index.shape)} must be no larger than "
                         f"src's shape {tuple(src.shape)}")
    _check_range(op, index.data, x.shape[d], 0, f"dimension {d} of shape {tuple(x.shape)}")


def _check_range(op, array, n, low, what):
    """Raises IndexError unless every entry of ``array`` lies in [low, n); ``what`` names the
    dimension indexed."""
    if array.size and (int(array.min()) < low or int(array.max()) >= n):
        raise IndexError(f"{op}: index out of range [{low}, {n - 1}] for {what}") from None


@register("gather")
def gather(x, dim, index):
    """out[i][j] = x[i][index[i][j]] along ``dim`` (torch.gather).

    index: an integer tensor with x's number of dimensions (a 0-d x or index counts as 1-D),
    no larger than x outside ``dim``; the result has index's shape. Backward adds up the
    gradients of repeated indices.
    """
    try:
        if (x.ndim == 0 or index.ndim == 0) and _read_as_1d(x, index):
            return reshape(gather(_1d(x), dim, _1d(index)), index.shape)
        d = _check_dim(dim, x.ndim, "gather")
        _check_index("gather", x, d, index)
        return GetItem.apply(x, key=_along(index.data, d))
    except Exception:
        require_tensors("gather", input=x, index=index)
        raise


@register("scatter_add")
def scatter_add(x, dim, index, src):
    """x with src[i][j] added at x[i][index[i][j]] along ``dim`` (torch.scatter_add); repeated
    indices accumulate.

    index: an integer tensor no larger than src, nor than x outside ``dim``; only the part of
    src with index's shape is used (src[:index.shape[0], :index.shape[1], ...]), and the rest of
    src gets zero gradient. src must have x's dtype.
    """
    try:
        if _read_as_1d(x, index, src):
            return reshape(scatter_add(_1d(x), dim, _1d(index), _1d(src)), x.shape)
        d = _check_dim(dim, x.ndim, "scatter_add")
        src = _src_part("scatter_add", x, d, index, src)
        return x + index_add_into(src, _along(index.data, d), x.shape)
    except Exception:
        require_tensors("scatter_add", input=x, index=index, src=src)
        raise


def _src_part(op, x, d, index, src):
    """The part of src that index (checked) uses: src[:index.shape[0], :index.shape[1], ...];
    src must have x's dtype."""
    _check_index(op, x, d, index, src)
    if src.dtype != x.dtype:
        raise TypeError(f"{op}: src has dtype {dtypes.dtype_name(src.dtype)} but the input "
                        f"has {dtypes.dtype_name(x.dtype)}; they must match")
    return src if src.shape == index.shape else src[tuple(slice(0, n) for n in index.shape)]


def _mask(x, key):
    """A bool array of x's shape, True at ``key``."""
    mask = backend.array_module(x.data).zeros(x.shape, dtypes.bool_)
    mask[key] = True
    return mask


def _fill_at(x, key, value):
    """x with ``value`` at ``key``: a number, or a 0-d tensor that gets the gradient of each
    place filled (once, however often key names it)."""
    return where(_mask(x, key), _promote(value, x.dtype, x), x)


def _write_at(x, key, src):
    """x with src (of x[key]'s shape) written at ``key``; of repeated indices one write stays,
    but every entry of src gets the gradient of the place it was written to (torch's rule)."""
    return where(_mask(x, key), put_into(src, key, x.shape), x)


@register("scatter")
def scatter(x, dim, index, src=None, *, value=None):
    """x with src[i][j] written at x[i][index[i][j]] along ``dim`` (torch.scatter for dim 1),
    or with ``value`` (a number, which may also come in src's place) written there.

    index: as for scatter_add, and of repeated indices one write stays. x's gradient is zero
    where something was written; src's entries get the gradient of their target place.
    """
    try:
        if src is not None and not isinstance(src, Tensor):
            src, value = None, src
        if (src is None) == (value is None):
            raise TypeError("scatter: give either src (a tensor) or value (a number)")
        if _read_as_1d(x, index, src):
            return reshape(scatter(_1d(x), dim, _1d(index), _1d(src), value=value), x.shape)
        d = _check_dim(dim, x.ndim, "scatter")
        if src is None:
            _check_index("scatter", x, d, index)
            return _fill_at(x, _along(index.data, d), value)
        src = _src_part("scatter", x, d, index, src)
        return _write_at(x, _along(index.data, d), src)
    except Exception:
        require_tensors("scatter", input=x, index=index)
        if value is not None:
            require_number("scatter", "value", value)
        raise


def _index_key(op, x, dim, index, negative=False):
    """(d, key): key selects the entries at ``index`` (a 0-d or 1-D integer tensor, each
    within [0, n), or [-n, n) with ``negative``) along dimension d = dim of x (not 0-d).
    Indices too large are left for indexing with the key to catch: its caller's except branch
    calls _index_range."""
    d = _check_dim(dim, x.ndim, op)
    if index.dtype.kind not in "iu":
        raise TypeError(f"{op}: index must be an integer tensor, got "
                        f"{dtypes.dtype_name(index.dtype)}")
    if index.ndim > 1:
        raise ValueError(f"{op}: index must be 0-d or 1-D, got shape {tuple(index.shape)}")
    i = index.data.reshape(-1)
    if not negative and i.size and i.min() < 0:  # which NumPy would wrap
        _index_range(op, x, dim, index, negative)
    return d, (slice(None),) * d + (i,)


def _index_range(op, x, dim, index, negative=False):
    """For _index_key's callers, in their except branch: raises the IndexError for an index
    out of range, if one is."""
    if isinstance(x, Tensor) and x.ndim and isinstance(index, Tensor) and index.dtype.kind in "iu":
        n = x.shape[_check_dim(dim, x.ndim, op)]
        _check_range(op, index.data, n, -n if negative else 0,
                     f"dimension {dim} of shape {tuple(x.shape)}")


def _check_source(op, x, d, key, source):
    """source must have x's dtype, and x's shape with one entry per index along d."""
    expected = x.shape[:d] + (key[-1].size,) + x.shape[d + 1:]
    if source.shape != expected:
        raise ValueError(f"{op}: source has shape {tuple(source.shape)}, but for an input of "
                         f"shape {tuple(x.shape)} and {key[-1].size} indices along dimension "
                         f"{d} it must have shape {expected}")
    if source.dtype != x.dtype:
        raise TypeError(f"{op}: source has dtype {dtypes.dtype_name(source.dtype)} but the "
                        f"input has {dtypes.dtype_name(x.dtype)}; they must match")


@register("index_add")
def index_add(x, dim, index, source, *, alpha=1):
    """x with alpha * source[..., i, ...] added at x[..., index[i], ...] along ``dim``;
    repeated indices add up. index: 0-d or 1-D, within [0, n); source: x's dtype and shape,
    but with one entry per index along dim. A 0-d x counts as one entry, given by a 0-d
    source (as in torch)."""
    try:
        if x.ndim == 0:
            if source.ndim:
                raise ValueError(f"index_add: source has shape {tuple(source.shape)}, but for "
                                 f"a 0-d input it must be 0-d")
            return reshape(index_add(reshape(x, 1), dim, index, reshape(source, 1),
                                     alpha=alpha), ())
        d, key = _index_key("index_add", x, dim, index)
        _check_source("index_add", x, d, key, source)
        if alpha != 1:  # alpha in x's kind, as in torch: truncated for integers, 0 or 1 for bool
            kind = float if x.dtype.kind == "f" else bool if x.dtype == dtypes.bool_ else int
            source = source * kind(alpha)
        return x + index_add_into(source, key, x.shape)
    except Exception:
        require_tensors("index_add", input=x, index=index, source=source)
        _index_range("index_add", x, dim, index)
        require_number("index_add", "alpha", alpha)
        raise


@register("index_copy")
def index_copy(x, dim, index, source):
    """x with source[..., i, ...] written at x[..., index[i], ...] along ``dim``; of repeated
    indices one write stays. index and source as for index_add, except that, as in torch, a
    0-d x takes a 1-D source too, and a 1-D x a 0-d source for one index."""
    try:
        if x.ndim <= 1 and source.ndim == 0 and index.numel() == 1:
            source = reshape(source, 1)
        if x.ndim == 0:
            return reshape(index_copy(reshape(x, 1), dim, index, source), ())
        d, key = _index_key("index_copy", x, dim, index)
        _check_source("index_copy", x, d, key, source)
        return _write_at(x, key, source)
    except Exception:
        require_tensors("index_copy", input=x, index=index, source=source)
        _index_range("index_copy", x, dim, index)
        raise


@register("index_fill")
def index_fill(x, dim, index, value):
    """x with ``value`` (a number, or a 0-d tensor) at the entries ``index`` (0-d or 1-D,
    within [-n, n)) along ``dim``; a tensor value gets the gradient of the filled places."""
    try:
        if x.ndim == 0:
            return reshape(index_fill(reshape(x, 1), dim, index, value), ())
        if isinstance(value, Tensor) and value.ndim:
            raise ValueError(f"index_fill: value must be a number or a 0-d tensor, got shape "
                             f"{tuple(value.shape)}")
        _, key = _index_key("index_fill", x, dim, index, negative=True)
        return _fill_at(x, key, value)
    except Exception:
        require_tensors("index_fill", input=x, index=index)
        _index_range("index_fill", x, dim, index, negative=True)
        if not isinstance(value, Tensor):
            require_number("index_fill", "value", value)
        raise


@register("masked_scatter")
def masked_scatter(x, mask, source):
    """x with the places where ``mask`` holds filled, in row-major order, with source's first
    entries: mask is bool and broadcasts with x; source (x's dtype) is read flattened and
    has at least as many entries as mask has True values."""
    try:
        if mask.dtype != dtypes.bool_:
            raise TypeError(f"masked_scatter: mask must be a bool tensor, got "
                            f"{dtypes.dtype_name(mask.dtype)}")
        if source.dtype != x.dtype:
            raise TypeError(f"masked_scatter: source has dtype "
                            f"{dtypes.dtype_name(source.dtype)} but the input has "
                            f"{dtypes.dtype_name(x.dtype)}; they must match")
        shape = np.broadcast_shapes(x.shape, mask.shape)
        m = broadcast_to(mask.data, shape)
        count = int(m.sum())
        if source.numel() < count:
            raise ValueError(f"masked_scatter: source has {source.numel()} entries, fewer than "
                             f"the {count} places the mask selects")
        return where(m, put_into(reshape(source, -1)[:count], m, shape), x)
    except Exception:
        require_tensors("masked_scatter", input=x, mask=mask, source=source)
        _broadcastable("masked_scatter", x, mask)
        raise


def _broadcastable(op, x, mask):
    try:
        np.broadcast_shapes(mask.shape, x.shape)
    except ValueError:
        raise ValueError(f"{op}: mask of shape {tuple(mask.shape)} can't be broadcast to the "
                         f"input's shape {tuple(x.shape)}") from None


@register("masked_select")
def masked_select(x, mask):
    """The entries of x where ``mask`` (bool, broadcast with x) holds, as a 1-D tensor in
    row-major order of the broadcast shape."""
    try:
        if mask.dtype != dtypes.bool_:
            raise TypeError(f"masked_select: mask must be a bool tensor, got "
                            f"{dtypes.dtype_name(mask.dtype)}")
        shape = np.broadcast_shapes(x.shape, mask.shape)
        return broadcast_to(x, shape)[broadcast_to(mask.data, shape)]
    except Exception:
        require_tensors("masked_select", input=x, mask=mask)
        _broadcastable("masked_select", x, mask)
        raise


@register("take")
def take(x, index):
    """x read flattened (row-major) at ``index``, an integer tensor whose entries lie in
    [-n, n) for x of n entries (negative ones count from the end); the result has index's
    shape."""
    try:
        if index.dtype.kind not in "iu":
            raise TypeError(f"take: index must be an integer tensor, got "
                            f"{dtypes.dtype_name(index.dtype)}")
        return reshape(x, -1)[index]
    except Exception:
        require_tensors("take", input=x, index=index)
        if index.dtype.kind in "iu":
            n = x.numel()
            _check_range("take", index.data, n, -n, f"a tensor of shape {tuple(x.shape)}")
        raise


@register("take_along_dim")
def take_along_dim(x, indices, dim=None):
    """gather, except that x and indices (of as many dimensions) broadcast together outside
    ``dim`` and negative indices count from the end; with dim None, both are read
    flattened."""
    try:
        if indices.dtype.kind not in "iu":
            raise TypeError(f"take_along_dim: indices must be an integer tensor, got "
                            f"{dtypes.dtype_name(indices.dtype)}")
        if dim is None:
            x, indices, dim = reshape(x, -1), reshape(indices, -1), 0
        if x.ndim == 0 or indices.ndim != x.ndim:
            raise ValueError(f"take_along_dim: x and indices must have the same number of "
                             f"dimensions, at least 1 when dim is given; got shapes "
                             f"{tuple(x.shape)} and {tuple(indices.shape)}")
        d = _check_dim(dim, x.ndim, "take_along_dim")
        n = x.shape[d]
        _check_range("take_along_dim", indices.data, n, -n,
                     f"dimension {dim} of shape {tuple(x.shape)}")
        try:
            shape = list(np.broadcast_shapes(x.shape[:d] + (1,) + x.shape[d + 1:],
                                             indices.shape[:d] + (1,) + indices.shape[d + 1:]))
        except ValueError:
            raise ValueError(f"take_along_dim: shapes {tuple(x.shape)} and "
                             f"{tuple(indices.shape)} can't be broadcast together outside "
                             f"dimension {dim}") from None
        shape[d] = indices.shape[d]
        index = broadcast_to(indices.data, shape)
        shape[d] = x.shape[d]
        return GetItem.apply(broadcast_to(x, shape), key=_along(index, d))
    except Exception:
        require_tensors("take_along_dim", input=x, indices=indices)
        raise


def _nonzero(op, x, as_tuple):
    try:
        xp = backend.array_module(x.data)
        if as_tuple:  # a 0-d x counts as 1-D here
            return tuple(_int64(i) for i in xp.nonzero(xp.atleast_1d(x.data)))
        return _int64(xp.argwhere(x.data))
    except Exception:
        require_tensors(op, input=x)
        raise


def _int64(array):
    """An int64 tensor (not differentiable) of an integer array of either backend, a NumPy
    scalar or an int, on the array's device."""
    if not backend.is_array(array):
        array = np.asarray(array)
    return Tensor._make(array.astype(dtypes.int64, copy=False), False, None)


@register("nonzero")
def nonzero(x, *, as_tuple=False):
    """The indices of x's nonzero entries in row-major order, int64: shape (count, x.ndim),
    or with as_tuple one 1-D tensor per dimension. Not differentiable."""
    return _nonzero("nonzero", x, as_tuple)


@register("argwhere")
def argwhere(x):
    """nonzero(x): the indices of x's nonzero entries, shape (count, x.ndim), int64."""
    return _nonzero("argwhere", x, False)


@register("index_select")
def index_select(x, dim, index):
    """The entries of x at ``index`` (a 0-d or 1-D integer tensor, each within [0, n)) along
    ``dim``, which keeps its place (of size 1 for a 0-d index); a 0-d x takes one index, 0,
    and gives itself (as in torch)."""
    try:
        if x.ndim == 0:
            if index.numel() != 1:
                raise IndexError(f"index_select: a 0-d input takes exactly one index, got "
                                 f"{index.numel()}")
            return reshape(index_select(reshape(x, 1), dim, index), ())
        return x[_index_key("index_select", x, dim, index)[1]]
    except Exception:
        require_tensors("index_select", input=x, index=index)
        _index_range("index_select", x, dim, index)
        raise


@register("masked_fill")
def masked_fill(x, mask, value):
    """x with ``value`` (a number, or a tensor that broadcasts) where ``mask`` (bool,
    broadcast to x) is True; a tensor value receives the gradient of the filled places."""
    try:
        if mask.dtype != dtypes.bool_:
            raise TypeError(f"masked_fill: mask must be a bool tensor, got "
                            f"{dtypes.dtype_name(mask.dtype)}")
        if not isinstance(value, Tensor):
            value = _promote(value, x.dtype, x)
        return where(mask, value, x)
    except Exception:
        require_tensors("masked_fill", input=x, mask=mask)
        _broadcastable("masked_fill", x, mask)
        raise


def one_hot_array(index, num_classes, dtype=dtypes.int64):
    xp = backend.array_module(index)
    out = xp.zeros(index.shape + (num_classes,), dtype=dtype)
    np.put_along_axis(out, index[..., None], 1, axis=-1)
    return out


# ---------------------------------------------------------------------- select, put, scatter_reduce
def _select_key(op, x, dim, index):
    """(d, key): key picks entry ``index`` (in [-n, n)) of dimension d = dim of x (not 0-d)."""
    if x.ndim == 0:
        raise IndexError(f"{op}: can't be applied to a 0-d tensor")
    d = _check_dim(dim, x.ndim, op)
    i, n = operator.index(index), x.shape[d]
    if not -n <= i < n:
        raise IndexError(f"{op}: index {i} out of range for tensor of size {list(x.shape)} at "
                         f"dimension {dim}")
    return d, (slice(None),) * d + (i % n,)


@register("select")
def select(x, dim, index):
    """x[..., index, ...] with ``index`` (an int in [-n, n)) at dimension ``dim``, which is
    removed."""
    try:
        return x[_select_key("select", x, dim, index)[1]]
    except Exception:
        require_tensors("select", input=x)
        require_int("select", "index", index)
        raise


def _embed(op, x, key, src):
    """x with src written at ``key`` (basic indexing), src of x[key]'s shape (cast to x's
    dtype, as in torch)."""
    require_tensors(op, input=x, src=src)
    shape = x.data[key].shape
    if src.shape != shape:
        raise ValueError(f"{op}: expected src to have the shape of the slice of the input, "
                         f"{tuple(shape)}, got {tuple(src.shape)}")
    return _write_at(x, key, src.to(x.dtype))


@register("select_scatter")
def select_scatter(x, src, dim, index):
    """x with ``src`` written at x.select(dim, index); src has that slice's shape."""
    try:
        return _embed("select_scatter", x, _select_key("select_scatter", x, dim, index)[1], src)
    except Exception:
        require_tensors("select_scatter", input=x, src=src)
        require_int("select_scatter", "index", index)
        raise


@register("slice_scatter")
def slice_scatter(x, src, dim=0, start=None, end=None, step=1):
    """x with ``src`` written at the slice start:end:step of dimension ``dim`` (Python's
    slice rules: negative bounds count from the end, out-of-range ones are clipped); step
    must be positive, and src has the slice's shape."""
    try:
        if x.ndim == 0:
            raise IndexError("slice_scatter: can't be applied to a 0-d tensor")
        d = _check_dim(dim, x.ndim, "slice_scatter")
        if operator.index(step) <= 0:
            raise ValueError(f"slice_scatter: slice step must be positive, got {step}")
        key = (slice(None),) * d + (slice(start, end, step),)
        return _embed("slice_scatter", x, key, src)
    except Exception:
        require_tensors("slice_scatter", input=x, src=src)
        for name, v in (("start", start), ("end", end), ("step", step)):
            if v is not None:
                require_int("slice_scatter", name, v)
        raise


def _put_key(op, x, indices):
    """The key of index_put: a tuple or list of integer or bool tensors, one per leading
    dimension of x they index (a bool one covers as many as it has)."""
    if not isinstance(indices, (tuple, list)) or not indices:
        raise TypeError(f"{op}: indices must be a non-empty tuple or list of tensors, got "
                        f"{indices!r}")
    require_tensors(op, **{f"indices[{i}]": t for i, t in enumerate(indices)})
    for t in indices:
        if t.dtype.kind not in "biu":
            raise IndexError(f"{op}: tensors used as indices must be integer or bool, got "
                             f"{dtypes.dtype_name(t.dtype)}")
    spans = [t.ndim if t.dtype.kind == "b" else 1 for t in indices]  # dimensions each indexes
    if builtins.sum(spans) > x.ndim:
        raise IndexError(f"{op}: too many indices for tensor of dimension {x.ndim} (got "
                         f"{builtins.sum(spans)})")
    key = tuple(t.data for t in indices)
    d = 0
    for t, span in zip(key, spans):
        if t.dtype.kind in "iu" and t.size:
            n = x.shape[d]
            _check_range(op, t, n, -n, f"dimension {d} of shape {tuple(x.shape)}")
        d += span
    return key


def _put_values(op, x, key, values):
    """values (x's dtype) broadcast to the shape of x[key]."""
    require_tensors(op, values=values)
    if values.dtype != x.dtype:
        raise TypeError(f"{op}: values have dtype {dtypes.dtype_name(values.dtype)} but the "
                        f"input has {dtypes.dtype_name(x.dtype)}; they must match")
    try:
        shape = x.data[key].shape
    except IndexError as e:  # index shapes that don't broadcast, a mask of the wrong shape
        raise prefixed(op, e, f" (tensor shape {tuple(x.shape)})") from None
    try:
        np.broadcast_shapes(values.shape, shape)
        if len(values.shape) > len(shape):
            raise ValueError
    except ValueError:
        raise ValueError(f"{op}: values of shape {tuple(values.shape)} can't be broadcast to "
                         f"the indexing result's shape {tuple(shape)}") from None
    return shape


@register("index_put")
def index_put(x, indices, values, accumulate=False):
    """x with ``values`` written at x[indices], ``indices`` a tuple of integer or bool
    tensors (as in x[i, j] = values); values (x's dtype) broadcast to x[indices]'s shape.
    With ``accumulate`` they are added instead, repeated indices adding up; without it, one
    write of repeated indices stays, but every value gets its place's gradient (torch's
    rule)."""
    require_tensors("index_put", input=x)
    key = _put_key("index_put", x, indices)
    shape = _put_values("index_put", x, key, values)
    values = broadcast_to(values, shape)
    if accumulate:
        return x + index_add_into(values, key, x.shape)
    return _write_at(x, key, values)


@register("index_put_")
def index_put_(x, indices, values, accumulate=False):
    """index_put in place (not recorded in the graph, see Tensor._in_place)."""
    require_tensors("index_put_", input=x)
    key = _put_key("index_put_", x, indices)
    shape = _put_values("index_put_", x, key, values)
    v = backend.array_module(x.data).broadcast_to(values.data, shape)

    def change(a):
        if accumulate:
            np.add.at(a, key, v)
        else:
            a[key] = v
    return x._in_place("index_put_", values, change)


def _flat_key(op, x, index, source):
    """The 1-D key of put: index (integer, any shape, entries in [-n, n) for x of n entries)
    flattened and made non-negative; source must have x's dtype and index's number of
    entries."""
    require_tensors(op, input=x, index=index, source=source)
    if index.dtype.kind not in "iu":
        raise TypeError(f"{op}: index must be an integer tensor, got "
                        f"{dtypes.dtype_name(index.dtype)}")
    if source.numel() != index.numel():
        raise ValueError(f"{op}: source and index must have the same number of entries, got "
                         f"{source.numel()} and {index.numel()}")
    if source.dtype != x.dtype:
        raise TypeError(f"{op}: source has dtype {dtypes.dtype_name(source.dtype)} but the "
                        f"input has {dtypes.dtype_name(x.dtype)}; they must match")
    n = x.numel()
    _check_range(op, index.data, n, -n, f"a tensor of {n} entries")
    return index.data.reshape(-1) % max(n, 1)


@register("put")
def put(x, index, source, accumulate=False):
    """x with source's entries written at the flat (row-major) positions ``index``, as
    x.reshape(-1)[index] = source; with ``accumulate`` added instead, repeated indices adding
    up. index: an integer tensor with source's number of entries, each within [-n, n)."""
    i = _flat_key("put", x, index, source)
    flat, src = reshape(x, -1), reshape(source, -1)
    if accumulate:
        out = flat + index_add_into(src, i, flat.shape)
    else:
        out = _write_at(flat, i, src)
    return reshape(out, x.shape)


@register("put_")
def put_(x, index, source, accumulate=False):
    """put in place (not recorded in the graph, see Tensor._in_place)."""
    i = _flat_key("put_", x, index, source)
    src = source.data.reshape(-1)

    def change(a):
        flat = a.reshape(-1)  # a view of contiguous data; a copy, written back below, else
        if accumulate:
            np.add.at(flat, i, src)
        else:
            flat[i] = src
        if not a.flags.c_contiguous:
            a[...] = flat.reshape(a.shape)
    return x._in_place("put_", source, change)


_REDUCES = {"sum": np.add, "prod": np.multiply, "mean": np.add, "amax": np.maximum,
            "amin": np.minimum}


def _identity(reduce, dtype):
    """The value a place starts from when include_self is False."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    if dtype.kind == "b":
        return reduce == "amin"
    info = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


class ScatterReduce(Function):
    """x with the entries of src reduced into the places ``key`` names (see scatter_reduce)."""

    def forward(self, x, src, key, reduce, include_self):
        self.key, self.reduce, self.include_self = key, reduce, include_self
        xp = backend.array_module(x)
        out = x.copy()
        if not include_self:
            out[key] = _identity(reduce, x.dtype)
        _REDUCES[reduce].at(out, key, src)  # unbuffered: repeated indices all count
        if reduce == "mean":
            self.count = xp.full(x.shape, int(include_self), x.dtype if x.dtype.kind == "f"
                                 else dtypes.int64)
            xp.add.at(self.count, key, 1)
            self.count[self.count == 0] = 1
            out = out / self.count if x.dtype.kind == "f" else (
                out // self.count).astype(x.dtype)  # integers round down, as in torch
        self.y = out
        return out

    def backward(self, gy):
        x, src = self.inputs
        key, shape, xp = self.key, x.shape, backend.array_module(x.data)
        scattered = _mask(x, key)

        def at(t):  # t[key]
            return GetItem.apply(t, key=key)
        if self.reduce == "sum":
            gx, gsrc = gy, at(gy)
        elif self.reduce == "mean":
            gx = gy / Tensor._make(self.count, False, None)
            gsrc = at(gx)
        elif self.reduce in ("amax", "amin"):  # ties share the gradient evenly, as in torch
            y = self.y
            x_is, src_is = x.data == y, src.data == y[key]
            count = x_is.astype(gy.dtype)
            xp.add.at(count, key, src_is)
            share = gy / Tensor._make(count, False, None)
            gx, gsrc = where(x_is, share, 0), where(src_is, at(share), 0)
        else:  # prod: products of the others, exact where x or src hold zeros (torch's rule)
            call = {"key": key, "reduce": "prod", "include_self": self.include_self}
            x_zero, src_zero = x.data == 0, src.data == 0
            gx = gy * ScatterReduce.apply(where(x_zero, 1, x), src, **call) / where(x_zero, 1, x)
            zeros = xp.zeros(shape, dtypes.int64)
            xp.add.at(zeros, key, src_zero)
            single = src_zero & (zeros[key] == 1)
            others = ScatterReduce.apply(x, where(single, 1, src), **call)
            gsrc = where(single, at(gy * others),
                         at(gy * self.output(self.y)) / where(src_zero, 1, src))
        if not self.include_self:
            gx = where(scattered, 0, gx)
        return gx, gsrc


@register("scatter_reduce")
def scatter_reduce(x, dim, index, src, reduce, *, include_self=True):
    """x with each src[i][j] reduced into x[i][index[i][j]] along ``dim`` (for dim 1), by
    ``reduce``: 'sum', 'prod', 'mean', 'amax' or 'amin'; with ``include_self`` False, the
    places named start from the reduction of their src entries alone (x's value is left out).
    index and src as for scatter_add; an integer mean rounds down. Gradients follow torch:
    amax/amin share among ties, prod is exact with zeros."""
    try:
        if reduce not in _REDUCES:
            raise ValueError(f"scatter_reduce: reduce must be 'sum', 'prod', 'mean', 'amax' or "
                             f"'amin', got {reduce!r}")
        if _read_as_1d(x, index, src):
            return reshape(scatter_reduce(_1d(x), dim, _1d(index), _1d(src), reduce,
                                          include_self=include_self), x.shape)
        d = _check_dim(dim, x.ndim, "scatter_reduce")
        src = _src_part("scatter_reduce", x, d, index, src)
        return ScatterReduce.apply(x, src, key=_along(index.data, d), reduce=reduce,
                                   include_self=bool(include_self))
    except Exception:
        require_tensors("scatter_reduce", input=x, index=index, src=src)
        raise


def _strided_index(op, x, size, stride, storage_offset):
    """The flat positions as_strided reads: storage_offset + sum_k i_k * stride[k]."""
    size, stride = _shape_arg(op, (size,), "size"), _shape_arg(op, (stride,), "stride")
    offset = operator.index(storage_offset)
    if len(size) != len(stride):
        raise ValueError(f"{op}: size {size} and stride {stride} must have the same length")
    if any(s < 0 for s in size) or any(s < 0 for s in stride) or offset < 0:
        raise ValueError(f"{op}: size, stride and storage_offset must be non-negative, got "
                         f"size {size}, stride {stride}, storage_offset {offset}")
    n = x.numel()
    needed = 0 if 0 in size else offset + builtins.sum((a - 1) * s for a, s in
                                                        zip(size, stride)) + 1
    if needed > n:
        raise ValueError(f"{op}: size {size}, stride {stride} and storage_offset {offset} "
                         f"reach entry {needed - 1}, beyond the {n} entries of the input")
    xp = backend.array_module(x.data)
    index = xp.full(size, offset, dtypes.int64)
    for k, (a, s) in enumerate(zip(size, stride)):
        index += (xp.arange(a, dtype=dtypes.int64) * s).reshape((a,) + (1,) * (len(size) - k - 1))
    return index


@register("as_strided")
def as_strided(x, size, stride, storage_offset=0):
    """A copy of the strided view (``size``, ``stride`` and ``storage_offset`` in entries) of
    x's entries in row-major order: gradix reads x's contiguous layout, whatever view it is
    (torch reads its storage). Positions read more than once add up their gradients."""
    try:
        index = _strided_index("as_strided", x, size, stride, storage_offset)
        return GetItem.apply(reshape(x, -1), key=index if index.ndim else int(index))
    except Exception:
        require_tensors("as_strided", input=x)
        require_int("as_strided", "storage_offset", storage_offset)
        raise
