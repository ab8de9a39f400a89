"""Indexing: ``x[key]`` with ints, slices, None, ..., integer and bool arrays; gather/scatter.

Backward scatters with accumulation, so repeated indices add up.
"""
import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _check_dim, register


def array_key(key):
    """An index key with tensors and lists turned into backend arrays."""
    if isinstance(key, tuple):
        return tuple(_key_part(k) for k in key)
    return _key_part(key)


def _key_part(k):
    if isinstance(k, Tensor):
        return k.data
    if isinstance(k, list):
        return np.asarray(k)
    return k


def _is_basic(key):
    parts = key if isinstance(key, tuple) else (key,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, slice, np.integer))
               for p in parts)


class GetItem(Function):
    array_backward = True

    def forward(self, x, key):
        self.key, self.src = key, x.shape
        return x[key]

    def backward(self, gy):
        return index_add_into(gy, self.key, self.src)


class IndexAddInto(Function):
    """zeros(shape) with gy added at ``key``: the adjoint of ``x[key]``."""
    array_backward = True

    def forward(self, gy, key, shape):
        self.key = key
        xp = backend.array_module(gy)
        out = xp.zeros(shape, dtype=gy.dtype)
        if _is_basic(key):
            out[key] = gy
        else:
            xp.add.at(out, key, gy)  # unbuffered: repeated indices accumulate
        return out

    def backward(self, ggx):
        return ggx[self.key]


def index_add_into(gy, key, shape):
    return IndexAddInto.call(gy, key=key, shape=tuple(shape))


def _getitem(x, key):
    key = array_key(key)
    parts = key if isinstance(key, tuple) else (key,)
    for p in parts:
        if hasattr(p, "dtype") and p.dtype.kind not in "biu":
            raise IndexError(f"__getitem__: tensors used as indices must be integer or bool, "
                             f"got {p.dtype}")
    try:
        return GetItem.apply(x, key=key)
    except IndexError as e:
        raise IndexError(f"__getitem__: {e} (tensor shape {tuple(x.shape)})") from None


register("__getitem__")(_getitem)


class Gather(Function):
    def forward(self, x, index, axis):
        self.axis, self.src = axis, x.shape
        return np.take_along_axis(x, index, axis=axis)

    def backward(self, gy):
        return scatter_add(Tensor._make(np.zeros(self.src, gy.dtype), False, None),
                           self.axis, self.inputs[1], gy), None


@register("gather")
def gather(x, dim, index):
    """out[i][j] = x[i][index[i][j]] along ``dim`` (torch.gather); index is an int64 tensor."""
    d = _check_dim(dim, x.ndim, "gather")
    if index.ndim != x.ndim:
        raise ValueError(f"gather: index has {index.ndim} dimensions but input has {x.ndim}")
    if index.dtype.kind not in "iu":
        raise TypeError(f"gather: index must be an integer tensor, got {index.dtype}")
    n = x.shape[d]
    if index.numel() and (int(index.data.min()) < 0 or int(index.data.max()) >= n):
        raise IndexError(f"gather: index out of range [0, {n - 1}] for dimension {dim} of "
                         f"shape {tuple(x.shape)}")
    return Gather.apply(x, index, axis=d)


class ScatterAdd(Function):
    def forward(self, x, index, src, axis):
        self.axis = axis
        out = x.copy()
        idx = list(np.indices(index.shape, sparse=True))
        idx[axis] = index
        backend.array_module(x).add.at(out, tuple(idx), src)
        return out

    def backward(self, gy):
        index = self.inputs[1]
        return gy, None, gather(gy, self.axis, index)


@register("scatter_add")
def scatter_add(x, dim, index, src):
    """x with src added at ``index`` along ``dim`` (torch.scatter_add); repeats accumulate."""
    d = _check_dim(dim, x.ndim, "scatter_add")
    if index.shape != src.shape:
        raise ValueError(f"scatter_add: index shape {tuple(index.shape)} must equal src shape "
                         f"{tuple(src.shape)}")
    return ScatterAdd.apply(x, index, src, axis=d)


@register("index_select")
def index_select(x, dim, index):
    """The entries of x at ``index`` (1-D integer tensor) along ``dim``."""
    d = _check_dim(dim, x.ndim, "index_select")
    return x[(slice(None),) * d + (index,)]


@register("masked_fill")
def masked_fill(x, mask, value):
    """x with ``value`` (a number, or a tensor that broadcasts) where ``mask`` (bool,
    broadcast to x) is True; a tensor value receives the gradient of the filled places."""
    from .elementwise import where
    if mask.dtype != dtypes.bool_:
        raise TypeError(f"masked_fill: mask must be a bool tensor, got "
                        f"{dtypes.dtype_name(mask.dtype)}")
    if not isinstance(value, Tensor):
        value = Tensor._make(np.asarray(value, x.dtype), False, None)
    return where(mask, value, x)


def one_hot_array(index, num_classes, dtype=dtypes.int64):
    xp = backend.array_module(index)
    out = xp.zeros(index.shape + (num_classes,), dtype=dtype)
    np.put_along_axis(out, index[..., None], 1, axis=-1)
    return out
