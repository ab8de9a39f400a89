"""Shape ops: views, broadcasting, joining and splitting. Backward of each undoes its forward."""
import builtins
import math
import operator

import numpy as np

from .. import backend, dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _check_dim, register
from ._errors import prefixed, require_int, require_tensor_list, require_tensors
from .elementwise import clone


def _shape_arg(op, shape, what="shape"):
    """Accepts f(2, 3) and f((2, 3)) like PyTorch; every entry an int (a float is an error, as
    in torch, not truncated)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, np.ndarray)):
        shape = tuple(shape[0])
    if len(shape) == 1 and isinstance(shape[0], Tensor) and shape[0].ndim:
        shape = tuple(shape[0].tolist())
    try:
        return tuple(map(operator.index, shape))
    except TypeError:
        raise TypeError(f"{op}: {what} must be integers, got {shape!r}") from None


def _dims_arg(op, dims, ndim):
    """Dimensions given as an int or a sequence of ints, each made non-negative; no repeats."""
    dims = [_check_dim(d, ndim, op) for d in _shape_arg(op, (dims,), "dims")]
    for i, d in enumerate(dims):
        if d in dims[:i]:
            raise ValueError(f"{op}: dim {d} appears more than once in {tuple(dims)}")
    return dims


# ---------------------------------------------------------------------- broadcasting
class SumTo(Function):
    array_backward = True

    def forward(self, x, shape):
        self.src = x.shape
        lead = x.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                          if s == 1 and x.shape[i + lead] != 1)
        y = x.sum(axis=axes, keepdims=True) if axes else x
        return y.reshape(shape) if lead else y

    def backward(self, gy):
        return broadcast_to(gy, self.src)


def _unchanged(x, op, **params):
    """x through a shape op that leaves it as it is. torch returns a new view, so a tensor that
    requires grad gets one too, recorded as ``op``: hooks, retain_grad, grad with respect to
    the view, and no_grad() (nothing flows back through it) then apply to the view, not to x."""
    return op.apply(x, **params) if isinstance(x, Tensor) and x.requires_grad else x


def sum_to(x, shape):
    """Sums x over broadcast dimensions so that it has ``shape`` (the adjoint of broadcast_to)."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return SumTo.call(x, shape=shape)  # also on arrays, for the engine and backward rules


@register("sum_to_size")
def sum_to_size(x, *size):
    """x summed over the dimensions where ``size`` (ints, or one sequence) is 1 or absent, so
    that it has that size; x's shape must be ``size`` expanded (see expand)."""
    size = _shape_arg("sum_to_size", size, "size")
    try:
        lead = x.ndim - len(size)
    except AttributeError:
        require_tensors("sum_to_size", input=x)
        raise
    if lead < 0 or any(s not in (1, n) for s, n in zip(size, x.shape[lead:])):
        raise ValueError(f"sum_to_size: size {size} can't be expanded to the input's shape "
                         f"{tuple(x.shape)}")
    return sum_to(x, size)


class BroadcastTo(Function):
    array_backward = True

    def forward(self, x, shape):
        self.src = x.shape
        return np.broadcast_to(x, shape)

    def backward(self, gy):
        return sum_to(gy, self.src)


def _broadcast_target(op, src, shape):
    """``shape`` with each -1 replaced by the size of ``src`` there (torch's rule: not in a new
    leading dimension), checked to be a shape that ``src`` broadcasts to."""
    lead = len(shape) - len(src)
    target = tuple(src[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(shape))
    try:
        if lead < 0 or np.broadcast_shapes(src, target) != target:
            raise ValueError
    except ValueError:
        if lead < 0:
            raise ValueError(f"{op}: the target {shape} has fewer dimensions than the tensor's "
                             f"shape {tuple(src)}") from None
        if -1 in target:
            raise ValueError(f"{op}: -1 (keep the size) isn't allowed in a new leading "
                             f"dimension, got {shape} for shape {tuple(src)}") from None
        raise ValueError(f"{op}: shape {tuple(src)} can't be broadcast to {shape} (each size "
                         f"must match or be 1; -1 keeps it)") from None
    return target


@register("broadcast_to")
def broadcast_to(x, shape):
    """A read-only view of x repeated along broadcast dimensions to ``shape`` (a sequence of
    sizes, or one int); -1 keeps a dimension's size."""
    try:
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        if x.shape == shape:
            return _unchanged(x, BroadcastTo, shape=shape)
        if not isinstance(x, Tensor):  # an array inside a first-order backward
            return np.broadcast_to(x, shape)
        shape = _broadcast_target("broadcast_to", x.shape, shape)
        if x.shape == shape:  # after -1 worked out
            return _unchanged(x, BroadcastTo, shape=shape)
        return BroadcastTo.apply(x, shape=shape)
    except Exception:
        require_tensors("broadcast_to", arrays=True, input=x)
        raise


@register("expand")
def expand(x, *shape):
    """broadcast_to with the sizes also as arguments (torch.Tensor.expand)."""
    try:
        return broadcast_to(x, _shape_arg("expand", shape))
    except Exception:
        require_tensors("expand", input=x)
        raise


@register("expand_as")
def expand_as(x, other):
    try:
        return broadcast_to(x, other.shape)
    except Exception:
        require_tensors("expand_as", input=x, other=other)
        raise


def broadcast_tensors(*tensors):
    try:
        shape = np.broadcast_shapes(*[t.shape for t in tensors])
    except (AttributeError, ValueError):
        require_tensor_list("broadcast_tensors", tensors)
        shapes = ", ".join(str(tuple(t.shape)) for t in tensors)
        raise ValueError(f"broadcast_tensors: shapes {shapes} can't be broadcast together (sizes "
                         f"must match or be 1 in each dimension, aligned from the right)") from None
    return tuple(t if t.shape == shape else broadcast_to(t, shape) for t in tensors)  # as torch


# ---------------------------------------------------------------------- reshaping
class Reshape(Function):
    array_backward = True

    def forward(self, x, shape):
        self.src = x.shape
        return x.reshape(shape)

    def backward(self, gy):
        return gy.reshape(self.src)


def _resolve_shape(op, x, shape, size=None):
    """``shape`` checked, its -1 worked out, for ``size`` elements (by default x's number)."""
    size = x.data.size if size is None else size
    if shape.count(-1) > 1:
        raise ValueError(f"{op}: only one dimension can be -1, got {shape}")
    known = int(np.prod([s for s in shape if s != -1]))
    if -1 in shape:
        if known == 0 or size % known:
            raise ValueError(f"{op}: shape {shape} is invalid for input of shape "
                             f"{tuple(x.shape)} ({size} elements)")
        shape = tuple(size // known if s == -1 else s for s in shape)
    elif known != size or builtins.any(s < 0 for s in shape):
        raise ValueError(f"{op}: shape {shape} is invalid for input of shape {tuple(x.shape)} "
                         f"({size} elements)")
    return shape


@register("reshape")
def reshape(x, *shape):
    """x with a new shape of the same number of elements; one size may be -1."""
    try:
        shape = _shape_arg("reshape", shape)
        if shape == x.data.shape:
            return _unchanged(x, Reshape, shape=shape)
        return Reshape.apply(x, shape=_resolve_shape("reshape", x, shape))
    except Exception:
        require_tensors("reshape", input=x)
        raise


@register("view")
def view(x, *shape):
    """Same as reshape (the result shares data with x whenever NumPy can make a view)."""
    return reshape(x, *shape)


@register("view_as", "reshape_as")
def view_as(x, other):
    try:
        return reshape(x, other.shape)
    except Exception:
        require_tensors("view_as", input=x, other=other)
        raise


@register("flatten")
def flatten(x, start_dim=0, end_dim=-1):
    """Merges dimensions start_dim..end_dim into one."""
    try:
        s, e = _check_dim(start_dim, x.ndim, "flatten"), _check_dim(end_dim, x.ndim, "flatten")
        if x.ndim == 0:
            return reshape(x, 1)
        if s > e:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        if s == e:
            return x  # torch returns x itself here, a new view otherwise
        return reshape(x, x.shape[:s] + (math.prod(x.shape[s:e + 1]),) + x.shape[e + 1:])
    except Exception:
        require_tensors("flatten", input=x)
        raise


@register("ravel")
def ravel(x):
    """x as a 1-D tensor (torch.ravel)."""
    try:
        return reshape(x, -1)
    except Exception:
        require_tensors("ravel", input=x)
        raise


@register("unflatten")
def unflatten(x, dim, sizes):
    """Splits dimension ``dim`` into ``sizes`` (one or more; one of them may be -1)."""
    try:
        if x.ndim == 0 or not len(sizes):
            raise ValueError(f"unflatten: needs a tensor of 1 or more dimensions and 1 or more "
                             f"sizes, got shape {tuple(x.shape)} and sizes {tuple(sizes)}")
        d = _check_dim(dim, x.ndim, "unflatten")
        try:  # -1 from the size of dim alone: x may be empty elsewhere
            sizes = _resolve_shape("unflatten", x, _shape_arg("unflatten", (sizes,), "sizes"),
                                   x.shape[d])
            return reshape(x, x.shape[:d] + sizes + x.shape[d + 1:])
        except ValueError:
            raise ValueError(f"unflatten: sizes {tuple(sizes)} don't multiply to {x.shape[d]}, the "
                             f"size of dimension {dim} of shape {tuple(x.shape)} (one size may be "
                             f"-1)") from None
    except Exception:
        require_tensors("unflatten", input=x)
        raise


@register("squeeze")
def squeeze(x, dim=None):
    """Removes size-1 dimensions (all, or those in ``dim``, an int or tuple)."""
    try:
        if dim is None:
            dims = [i for i, s in enumerate(x.shape) if s == 1]
        else:
            dims = _dims_arg("squeeze", dim, x.ndim)
        shape = tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1))
        return reshape(x, shape)
    except Exception:
        require_tensors("squeeze", input=x)
        raise


@register("unsqueeze")
def unsqueeze(x, dim):
    """Inserts a size-1 dimension at position ``dim`` (negative counts from the end)."""
    try:
        d = _check_dim(dim, x.ndim + 1, "unsqueeze")
        return reshape(x, x.shape[:d] + (1,) + x.shape[d:])
    except Exception:
        require_tensors("unsqueeze", input=x)
        raise


class Contiguous(Function):
    array_backward = True

    def forward(self, x):
        return np.ascontiguousarray(x)

    def backward(self, gy):
        return gy


@register("contiguous")
def contiguous(x):
    try:
        return x if x.data.flags.c_contiguous else Contiguous.apply(x)
    except Exception:
        require_tensors("contiguous", input=x)
        raise


# ---------------------------------------------------------------------- permuting
class Permute(Function):
    array_backward = True

    def forward(self, x, dims):
        self.dims = dims
        return x.transpose(dims)

    def backward(self, gy):
        return permute(gy, tuple(np.argsort(self.dims)))


@register("permute")
def permute(x, *dims):
    """x with its dimensions reordered: result dim i is input dim dims[i]."""
    dims = _shape_arg("permute", dims)
    try:
        n = x.ndim
    except AttributeError:
        require_tensors("permute", input=x)
        raise
    wrapped = tuple([d + n if d < 0 else d for d in dims])
    if sorted(wrapped) != list(range(n)):
        for d in dims:
            _check_dim(d, n, "permute")
        raise ValueError(f"permute: dims {dims} is not a permutation of the {n} dimensions "
                         f"of shape {tuple(x.shape)}")
    dims = wrapped
    if dims == tuple(range(n)):
        return _unchanged(x, Permute, dims=dims)
    return Permute.call(x, dims=dims)


def _swap(op, x, dim0, dim1):
    try:
        d0, d1 = _check_dim(dim0, x.ndim, op), _check_dim(dim1, x.ndim, op)
        if x.ndim == 0:
            return _unchanged(x, Permute, dims=())
        dims = list(range(x.ndim))
        dims[d0], dims[d1] = dims[d1], dims[d0]
        return permute(x, dims)
    except Exception:
        require_tensors(op, input=x)
        raise


@register("transpose")
def transpose(x, dim0, dim1):
    """x with dimensions dim0 and dim1 swapped; a 0-d x (dims 0 or -1) comes back unchanged."""
    return _swap("transpose", x, dim0, dim1)


@register("swapaxes")
def swapaxes(x, axis0, axis1):
    """transpose under NumPy's name."""
    return _swap("swapaxes", x, axis0, axis1)


@register("swapdims")
def swapdims(x, dim0, dim1):
    """transpose under another of torch's names."""
    return _swap("swapdims", x, dim0, dim1)


@register("t")
def t(x):
    """Transpose of a tensor with at most 2 dimensions."""
    try:
        if x.ndim > 2:
            raise ValueError(f"t: expects a tensor with <= 2 dimensions, got shape "
                             f"{tuple(x.shape)}")
        if x.ndim < 2:
            return _unchanged(x, Permute, dims=tuple(range(x.ndim)))
        return transpose(x, 0, 1)
    except Exception:
        require_tensors("t", input=x)
        raise


Tensor.T = property(lambda x: permute(x, tuple(range(x.ndim))[::-1]),
                    doc="All dimensions reversed.")
def _matrix_transpose(x):
    if x.ndim < 2:
        raise ValueError(f"mT: needs a matrix or a batch of matrices, got a {x.ndim}-D tensor of "
                         f"shape {tuple(x.shape)}; use .T or t() for fewer dimensions")
    return transpose(x, -2, -1)


Tensor.mT = property(_matrix_transpose, doc="The last two dimensions swapped.")


def _move(op, x, source, destination):
    try:
        src, dst = _dims_arg(op, source, x.ndim), _dims_arg(op, destination, x.ndim)
        if len(src) != len(dst):
            raise ValueError(f"{op}: source {tuple(src)} and destination {tuple(dst)} must name "
                             f"the same number of dimensions")
        rest = iter(i for i in range(x.ndim) if i not in src)
        moved = dict(zip(dst, src))
        return permute(x, [moved[i] if i in moved else next(rest) for i in range(x.ndim)])
    except Exception:
        require_tensors(op, input=x)
        raise


@register("movedim")
def movedim(x, source, destination):
    """x with dimension(s) ``source`` (an int or a sequence) moved to positions ``destination``
    (as many); the other dimensions keep their order."""
    return _move("movedim", x, source, destination)


@register("moveaxis")
def moveaxis(x, source, destination):
    """movedim under NumPy's name."""
    return _move("moveaxis", x, source, destination)


# ---------------------------------------------------------------------- joining and splitting
class Cat(Function):
    array_backward = True

    def forward(self, *xs, axis):
        self.axis = axis
        self.sizes = [x.shape[axis] for x in xs]
        return np.concatenate(xs, axis=axis)

    def backward(self, gy):
        bounds = np.cumsum([0] + self.sizes)
        return tuple(narrow(gy, self.axis, int(bounds[i]), s) if need else None
                     for i, (s, need) in enumerate(zip(self.sizes, self.needs_input_grad)))


def cat(tensors, dim=0):
    """Joins tensors along an existing dimension; all other sizes must match. Empty tensors of
    shape (0,) are left out, as torch does for such legacy placeholders among N-d tensors."""
    try:
        tensors = list(tensors)
    except TypeError:
        require_tensor_list("cat", tensors)
    if not tensors:
        raise ValueError("cat: expects a non-empty list of tensors")
    try:
        dtype = dtypes.result_type(*[t_.data for t_ in tensors])
        ref = next((t_ for t_ in tensors if t_.shape != (0,)), tensors[0])
        # only placeholders: an empty (0,) result whatever dim is, as in torch
        d = _check_dim(dim, ref.ndim, "cat") if ref.shape != (0,) else 0
        empty = ref.shape[:d] + (0,) + ref.shape[d + 1:]  # a (0,) placeholder, reshaped
        tensors = [reshape(t_, empty) if t_.shape == (0,) else t_ for t_ in tensors]
        for i, t_ in enumerate(tensors):
            if t_.ndim != ref.ndim or (t_.shape[:d] + t_.shape[d + 1:]
                                       != ref.shape[:d] + ref.shape[d + 1:]):
                raise ValueError(f"cat: tensor {i} has shape {tuple(t_.shape)}, which doesn't "
                                 f"match {tuple(ref.shape)} outside dimension {dim}")
        tensors = [t_ if t_.dtype == dtype else t_.to(dtype) for t_ in tensors]
        return Cat.apply(*tensors, axis=d)
    except Exception:
        require_tensor_list("cat", tensors)
        if tensors[0].ndim == 0:
            raise ValueError("cat: zero-dimensional tensors can't be concatenated; use stack, "
                             "or unsqueeze them first") from None
        raise


concatenate = concat = cat


def stack(tensors, dim=0):
    """Joins tensors of one shape along a new dimension ``dim``."""
    try:
        tensors = list(tensors)
    except TypeError:
        require_tensor_list("stack", tensors)
    if not tensors:
        raise ValueError("stack: expects a non-empty list of tensors")
    try:
        for i, t_ in enumerate(tensors):
            if t_.shape != tensors[0].shape:
                raise ValueError(f"stack: tensor {i} has shape {tuple(t_.shape)} but tensor 0 "
                                 f"has {tuple(tensors[0].shape)}; all must match")
        d = _check_dim(dim, tensors[0].ndim + 1, "stack")
    except Exception:
        require_tensor_list("stack", tensors)
        raise
    return cat([unsqueeze(t_, d) for t_ in tensors], d)


@register("narrow")
def narrow(x, dim, start, length):
    """The slice start:start+length of dimension ``dim``; a negative start counts from the end.

    start lies in [-size, size] and start + length (after wrapping start) in [start, size].
    """
    try:
        if x.ndim == 0:
            raise ValueError("narrow: can't be applied to a 0-d tensor")
        d = _check_dim(dim, x.ndim, "narrow")
        n, start, length = x.shape[d], int(start), int(length)
        if not -n <= start <= n:
            raise IndexError(f"narrow: start {start} is out of range [{-n}, {n}] for dimension "
                             f"{dim} of shape {tuple(x.shape)}")
        start = start + n if start < 0 else start
        if not 0 <= length <= n - start:
            raise ValueError(f"narrow: length {length} must be in [0, {n - start}] for start "
                             f"{start} in dimension {dim} of shape {tuple(x.shape)}")
        return x[(slice(None),) * d + (slice(start, start + length),)]
    except Exception:
        require_tensors("narrow", input=x)
        raise


@register("split")
def split(x, split_size_or_sections, dim=0):
    """Pieces of x along ``dim``: of equal size (the last may be smaller) or of the given sizes."""
    try:
        _require_ndim("split", x, 1)
        d = _check_dim(dim, x.ndim, "split")
        n = x.shape[d]
        if isinstance(split_size_or_sections, (int, np.integer)):
            if split_size_or_sections < 0 or (split_size_or_sections == 0 and n):
                raise ValueError(f"split: split size must be positive (or 0 for an empty "
                                 f"dimension), "
                                 f"got {split_size_or_sections} for dimension {dim} of size {n}")
            sizes = [builtins.min(split_size_or_sections, n - i)
                     for i in range(0, n, split_size_or_sections or 1)] or [0]
        else:
            try:
                sizes = list(split_size_or_sections)
                total = sum(sizes)
            except TypeError:
                raise TypeError(f"split: split_size_or_sections must be an int or a list of ints, "
                                f"got {split_size_or_sections!r}") from None
            if total != n:
                raise ValueError(f"split: sizes {sizes} sum to {total}, but dimension {dim} "
                                 f"has size {n}")
        out, start = [], 0
        try:
            for s in sizes:
                out.append(narrow(x, d, start, s))
                start += s
        except (ValueError, TypeError):
            if builtins.all(isinstance(s, (int, np.integer)) and s >= 0 for s in sizes):
                raise
            raise ValueError(f"split: sizes must be non-negative ints, got {sizes}") from None
        return tuple(out)
    except Exception:
        require_tensors("split", input=x)
        raise


@register("chunk")
def chunk(x, chunks, dim=0):
    """x split into ``chunks`` pieces of ceil(size / chunks) (fewer if the size runs out; an
    empty dimension gives ``chunks`` empty pieces, like torch)."""
    try:
        if chunks <= 0:
            raise ValueError(f"chunk: chunks must be positive, got {chunks}")
        _require_ndim("chunk", x, 1)
        n = x.shape[_check_dim(dim, x.ndim, "chunk")]
        return split(x, -(-n // chunks) if n else [0] * chunks, dim)
    except Exception:
        require_tensors("chunk", input=x)
        raise


def unbind(x, dim=0):
    try:
        _require_ndim("unbind", x, 1)
        d = _check_dim(dim, x.ndim, "unbind")
        if x.shape[d] == 0:  # no pieces (split gives one empty one)
            return ()
        return tuple(squeeze(p, d) for p in split(x, 1, d))
    except Exception:
        require_tensors("unbind", input=x)
        raise


register("unbind")(unbind)


@register("tensor_split")
def tensor_split(x, indices_or_sections, dim=0):
    """x split along ``dim`` into ``sections`` pieces (an int: the first size % sections of
    them one longer than the rest) or at ``indices`` (a sequence: x[:i0], x[i0:i1], ...,
    x[ik:] along dim, each read like a Python slice); a 0-d integer tensor counts as
    sections, a 1-D one as indices."""
    try:
        _require_ndim("tensor_split", x, 1)
        d = _check_dim(dim, x.ndim, "tensor_split")
        split_at = indices_or_sections
        if isinstance(split_at, Tensor):
            if split_at.dtype != dtypes.int64 or split_at.ndim > 1:
                raise TypeError(f"tensor_split: a tensor of indices or sections must be 0-d or "
                                f"1-D int64, got shape {tuple(split_at.shape)} and dtype "
                                f"{dtypes.dtype_name(split_at.dtype)}")
            split_at = split_at.tolist()
        if isinstance(split_at, (int, np.integer)):
            if split_at <= 0:
                raise ValueError(f"tensor_split: sections must be positive, got {split_at}")
            q, r = divmod(x.shape[d], int(split_at))
            split_at = np.cumsum([q + 1] * r + [q] * (split_at - r))[:-1].tolist()
        bounds = _shape_arg("tensor_split", (split_at,), "indices")
        return tuple(x[(slice(None),) * d + (slice(a, b),)]
                     for a, b in zip((None,) + bounds, bounds + (None,)))
    except Exception:
        require_tensors("tensor_split", input=x)
        raise


def _split_dim(op, x, split_at, ndim, dim):
    """tensor_split along ``dim`` of an x of at least ``ndim`` dimensions, where sections
    (an int) must divide the size evenly."""
    try:
        _require_ndim(op, x, ndim)
        n = x.shape[dim]
        if isinstance(split_at, (int, np.integer)) and (split_at <= 0 or n % split_at):
            raise ValueError(f"{op}: dimension {dim} of shape {tuple(x.shape)} can't be split "
                             f"into {split_at} equal parts")
        return tensor_split(x, split_at, dim)
    except Exception:
        require_tensors(op, input=x)
        raise


@register("hsplit")
def hsplit(x, indices_or_sections):
    """tensor_split along dimension 1 (0 for a 1-D x) into equal sections or at indices."""
    dim = 1 if isinstance(x, Tensor) and x.ndim > 1 else 0
    return _split_dim("hsplit", x, indices_or_sections, 1, dim)


@register("vsplit")
def vsplit(x, indices_or_sections):
    """tensor_split along dimension 0 of an x of at least 2 dimensions."""
    return _split_dim("vsplit", x, indices_or_sections, 2, 0)


@register("dsplit")
def dsplit(x, indices_or_sections):
    """tensor_split along dimension 2 of an x of at least 3 dimensions."""
    return _split_dim("dsplit", x, indices_or_sections, 3, 2)


def _atleast(x, n):
    """x with size-1 dimensions added up to n: in front, except that a 1-D or 2-D x gets its
    third one at the end (torch's and NumPy's rule: (m,) -> (1, m, 1), (a, b) -> (a, b, 1))."""
    if x.ndim >= n:
        return x  # torch returns x itself
    shape = (1,) * builtins.max(builtins.min(n, 2) - x.ndim, 0) + x.shape
    return reshape(x, shape + (1,) * (n - len(shape)))


def _atleast_each(op, n, tensors):
    """One tensor gives a tensor; several, or one list or tuple of them, give a tuple."""
    one = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    try:
        out = tuple(_atleast(t, n) for t in tensors)
    except Exception:
        require_tensor_list(op, tensors)
        raise
    return out[0] if one else out


def atleast_1d(*tensors):
    """Each tensor with at least 1 dimension: shape () becomes (1,)."""
    return _atleast_each("atleast_1d", 1, tensors)


def atleast_2d(*tensors):
    """Each tensor with at least 2 dimensions: () becomes (1, 1) and (m,) becomes (1, m)."""
    return _atleast_each("atleast_2d", 2, tensors)


def atleast_3d(*tensors):
    """Each tensor with at least 3 dimensions: () becomes (1, 1, 1), (m,) becomes (1, m, 1)
    and (a, b) becomes (a, b, 1)."""
    return _atleast_each("atleast_3d", 3, tensors)


def _join(op, tensors, prepare, dim):
    """cat of ``prepare(t)`` for each t of ``tensors`` along ``dim``."""
    if not isinstance(tensors, (list, tuple)) or not tensors:
        require_tensor_list(op, tensors)
        raise ValueError(f"{op}: expects a non-empty list of tensors")
    try:
        tensors = [prepare(t) for t in tensors]
        return cat(tensors, dim)
    except (AttributeError, TypeError, ValueError, IndexError) as e:
        require_tensor_list(op, tensors)
        raise prefixed(op, e) from None


def hstack(tensors):
    """The tensors joined along dimension 1, or 0 if they are 1-D (0-d ones count as 1-D)."""
    first = tensors[0] if isinstance(tensors, (list, tuple)) and tensors else None
    dim = 1 if isinstance(first, Tensor) and first.ndim > 1 else 0
    return _join("hstack", tensors, lambda t: _atleast(t, 1), dim)


def vstack(tensors):
    """The tensors, each made at least 2-D ((m,) -> (1, m)), joined along dimension 0."""
    return _join("vstack", tensors, lambda t: _atleast(t, 2), 0)


def dstack(tensors):
    """The tensors, each made at least 3-D (see atleast_3d), joined along dimension 2."""
    return _join("dstack", tensors, lambda t: _atleast(t, 3), 2)


def column_stack(tensors):
    """The tensors joined along dimension 1, each 0-d or 1-D one first made a column
    (shape (numel, 1))."""
    return _join("column_stack", tensors, lambda t: reshape(t, -1, 1) if t.ndim < 2 else t, 1)


class Flip(Function):
    array_backward = True

    def forward(self, x, axes):
        self.axes = axes
        return np.flip(x, axes).copy()  # a copy, like torch: writing to it leaves x as it was

    def backward(self, gy):
        return Flip.call(gy, axes=self.axes)


@register("flip")
def flip(x, dims, *more):
    """A copy of x reversed along ``dims``: an int, a tuple or list, x.flip((0, 1)), or ints as
    separate arguments, x.flip(0, 1); each dimension at most once."""
    try:
        dims = _dims_arg("flip", (dims,) + more if more else dims, x.ndim)
        return Flip.apply(x, axes=tuple(dims) if x.ndim else ())  # 0-d: dim 0 or -1, nothing to do
    except Exception:
        require_tensors("flip", input=x)
        raise


def _require_ndim(op, x, n):
    if x.ndim < n:
        raise ValueError(f"{op}: expects a tensor with at least {n} dimension"
                         f"{'s' if n > 1 else ''}, got shape {tuple(x.shape)}")


def _flip_dim(op, x, ndim, dim):
    try:
        _require_ndim(op, x, ndim)
        return flip(x, dim)
    except Exception:
        require_tensors(op, input=x)
        raise


@register("fliplr")
def fliplr(x):
    """x reversed along dimension 1 (left to right); x needs at least 2 dimensions."""
    return _flip_dim("fliplr", x, 2, 1)


@register("flipud")
def flipud(x):
    """x reversed along dimension 0 (up to down); x needs at least 1 dimension."""
    return _flip_dim("flipud", x, 1, 0)


@register("rot90")
def rot90(x, k=1, dims=(0, 1)):
    """x rotated by k quarter turns in the plane of the two ``dims``, from the first towards
    the second (negative k turns the other way); dims d0, d1 swap sizes when k is odd."""
    try:
        _require_ndim("rot90", x, 2)
        axes = _dims_arg("rot90", dims, x.ndim)
        if len(axes) != 2:
            raise ValueError(f"rot90: dims must name 2 dimensions, got {dims}")
        d0, d1 = axes
        k = operator.index(k) % 4
        if k == 1:
            return transpose(flip(x, d1), d0, d1)
        if k == 2:
            return flip(x, (d0, d1))
        if k == 3:
            return transpose(flip(x, d0), d0, d1)
        return clone(x)  # a copy, like torch's
    except Exception:
        require_tensors("rot90", input=x)
        require_int("rot90", "k", k)
        raise


class Roll(Function):
    array_backward = True

    def forward(self, x, shifts, axes):
        self.shifts, self.axes = shifts, axes
        return np.roll(x, shifts, axes)

    def backward(self, gy):
        return Roll.call(gy, shifts=tuple(-s for s in self.shifts), axes=self.axes)


@register("roll")
def roll(x, shifts, dims=None):
    """x with its entries moved ``shifts`` places along ``dims`` (an int or tuples of one
    length; a dim named twice adds up its shifts), those pushed past the end coming back at
    the start. With dims None, one shift of x flattened, the shape kept."""
    try:
        shifts = _shape_arg("roll", (shifts,), "shifts")
        axes = None if dims is None else _shape_arg("roll", (dims,), "dims")
        if not shifts or len(shifts) != (1 if axes is None else len(axes)):
            raise ValueError(f"roll: shifts {shifts} and dims {dims} must have the same length "
                             f"(one shift without dims), at least 1")
        if axes is not None:
            if not x.ndim:
                raise IndexError(f"roll: dims {dims} given for a 0-d tensor, which has none")
            axes = tuple(_check_dim(d, x.ndim, "roll") for d in axes)
        return Roll.apply(x, shifts=shifts, axes=axes)
    except Exception:
        require_tensors("roll", input=x)
        raise


class Repeat(Function):
    def forward(self, x, reps):
        self.reps, self.src = reps, x.shape
        return np.tile(x, reps)

    def backward(self, gy):
        # view gy as (r0, s0, r1, s1, ...) and sum over every repeat axis r_i
        src = (1,) * (len(self.reps) - len(self.src)) + tuple(self.src)
        split_shape = [v for pair in zip(self.reps, src) for v in pair]
        g = reshape(gy, split_shape).sum(dim=tuple(range(0, 2 * len(src), 2)))
        return reshape(g, self.src)


def _repeat(op, x, sizes):
    if builtins.any(s < 0 for s in sizes):
        raise ValueError(f"{op}: counts must be non-negative, got {sizes}")
    return Repeat.apply(x, reps=sizes)


@register("repeat")
def repeat(x, *sizes):
    """x tiled ``sizes[i]`` times along each dimension (torch.Tensor.repeat)."""
    try:
        sizes = _shape_arg("repeat", sizes)
        if len(sizes) < x.ndim:
            raise ValueError(f"repeat: got {len(sizes)} repeat counts for a tensor of shape "
                             f"{tuple(x.shape)}; give at least one per dimension")
        return _repeat("repeat", x, sizes)
    except Exception:
        require_tensors("repeat", input=x)
        raise


@register("tile")
def tile(x, *dims):
    """repeat, where fewer counts than dimensions are fine: the missing leading ones are 1."""
    try:
        dims = _shape_arg("tile", dims, "dims")
        return _repeat("tile", x, (1,) * (x.ndim - len(dims)) + dims)
    except Exception:
        require_tensors("tile", input=x)
        raise


@register("repeat_interleave")
def repeat_interleave(x, repeats=None, dim=None, *, output_size=None):
    """Each entry of x along ``dim`` repeated in place: ``repeats`` times (an int or a 0-d
    tensor) or repeats[i] times for entry i (a 1-D integer tensor); with dim None, x is
    flattened first. ``output_size``, if given, must be the resulting length.

    repeat_interleave(counts) with a 1-D integer tensor alone gives arange(len(counts)) so
    repeated (int64), as torch does.
    """
    try:
        if repeats is None:
            if x.ndim != 1 or x.dtype.kind not in "iu":
                raise ValueError(f"repeat_interleave: a lone argument must be a 1-D integer "
                                 f"tensor of counts, got shape {tuple(x.shape)} and dtype "
                                 f"{dtypes.dtype_name(x.dtype)}")
            xp = backend.array_module(x.data)
            return repeat_interleave(Tensor._make(xp.arange(len(x), dtype=dtypes.int64), False,
                                                  None), x)
        if dim is None:
            x, dim = reshape(x, -1), 0
        elif x.ndim == 0:
            raise IndexError(f"repeat_interleave: dim {dim} given for a 0-d tensor, which has "
                             f"none; use dim=None")
        d = _check_dim(dim, x.ndim, "repeat_interleave")
        n = x.shape[d]
        counts = np.asarray(repeats)
        if counts.dtype.kind not in "iu" or counts.ndim > 1:
            raise TypeError(f"repeat_interleave: repeats must be an int or a 0-d or 1-D integer "
                            f"tensor, got {repeats!r}")
        if counts.ndim and counts.size not in (1, n):
            raise ValueError(f"repeat_interleave: repeats has {counts.size} counts, but "
                             f"dimension {dim} of shape {tuple(x.shape)} has {n} entries")
        if counts.size and counts.min() < 0:
            raise ValueError(f"repeat_interleave: repeats must be non-negative, got {repeats}")
        index = np.repeat(np.arange(n), counts)
        if output_size is not None and output_size != len(index):
            raise ValueError(f"repeat_interleave: output_size is {output_size}, but the "
                             f"repeats give {len(index)}")
        return x[(slice(None),) * d + (index,)]
    except Exception:
        require_tensors("repeat_interleave", input=x)
        raise


class Pad(Function):
    array_backward = True

    def forward(self, x, widths, value):
        self.widths = widths
        return np.pad(x, widths or 0, mode="constant", constant_values=value)  # 0-d: no widths

    def backward(self, gy):
        key = tuple(slice(lo, gy.shape[i] - hi) for i, (lo, hi) in enumerate(self.widths))
        return gy[key]


@register("pad")
def pad(x, pad, mode="constant", value=0.0):
    """Constant padding; ``pad`` lists (left, right) pairs starting from the last dimension,
    like torch.nn.functional.pad."""
    try:
        if mode != "constant":
            raise ValueError(f"pad: mode {mode!r} is not supported; only 'constant'")
        pad = tuple(pad)
        try:
            pad = tuple(map(operator.index, pad))
        except TypeError:
            raise TypeError(f"pad: padding must be ints, got {pad}") from None
        if len(pad) % 2 or len(pad) // 2 > x.ndim:
            raise ValueError(f"pad: expects pairs (left, right) for at most {x.ndim} dimensions, "
                             f"got {pad}")
        if builtins.any(p < 0 for p in pad):
            raise ValueError(f"pad: negative padding {pad} is not supported")
        widths = [(0, 0)] * x.ndim
        for i in range(len(pad) // 2):
            widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
        return Pad.apply(x, widths=tuple(widths), value=value)
    except Exception:
        require_tensors("pad", input=x)
        raise


# ---------------------------------------------------------------------- grids and windows
def meshgrid(*tensors, indexing="ij"):
    """Coordinate grids from 0-d or 1-D tensors of sizes n1, n2, ... (as arguments or one
    list): for each, a tensor of shape (n1, n2, ...) holding its values along its own
    dimension. indexing 'xy' swaps the first two dimensions (NumPy's default: x varies along
    columns); 'ij' is the default here, where torch warns without one."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    try:
        if indexing not in ("ij", "xy"):
            raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
        if not tensors:
            raise ValueError("meshgrid: expects at least one tensor")
        for i, t in enumerate(tensors):
            if t.ndim > 1:
                raise ValueError(f"meshgrid: expects 0-d or 1-D tensors, got tensor {i} of "
                                 f"shape {tuple(t.shape)}")
            if t.dtype != tensors[0].dtype:
                raise ValueError(f"meshgrid: expects tensors of one dtype, got tensor {i} of "
                                 f"dtype {dtypes.dtype_name(t.dtype)} (tensor 0 has "
                                 f"{dtypes.dtype_name(tensors[0].dtype)})")
        axes = list(range(len(tensors)))  # the output dimension of each tensor
        if indexing == "xy" and len(axes) > 1:
            axes[0], axes[1] = 1, 0
        shape = tuple(tensors[a].numel() for a in axes)  # axes is its own inverse
        return tuple(broadcast_to(reshape(t, [-1 if j == a else 1 for j in range(len(axes))]),
                                  shape) for t, a in zip(tensors, axes))
    except Exception:
        require_tensor_list("meshgrid", tensors)
        raise


@register("unfold")
def unfold(x, dimension, size, step):
    """Windows of ``size`` entries, one starting every ``step`` along ``dimension``: that
    dimension becomes the window count (n - size) // step + 1 and a last dimension of
    ``size`` is added (a 0-d x counts as one entry and gives shape (size,))."""
    try:
        d = _check_dim(dimension, x.ndim, "unfold")
        n = x.shape[d] if x.ndim else 1
        size, step = operator.index(size), operator.index(step)
        if step <= 0 or not 0 <= size <= n:
            raise ValueError(f"unfold: needs 0 <= size <= {n} (the size of dimension "
                             f"{dimension}) and step > 0, got size {size} and step {step}")
        windows = np.arange(0, n - size + 1, step)[:, None] + np.arange(size)
        if not x.ndim:
            return reshape(x, 1)[windows[0]]
        return movedim(x[(slice(None),) * d + (windows,)], d + 1, -1)
    except Exception:
        require_tensors("unfold", input=x)
        raise


# ---------------------------------------------------------------------- rescaling
@register("renorm")
def renorm(x, p, dim, maxnorm):
    """x with each sub-tensor x.select(dim, i) whose p-norm exceeds ``maxnorm`` scaled by
    maxnorm / (norm + 1e-7), as torch does; the others unchanged. p > 0 (inf too), maxnorm >=
    0, x floating with at least 2 dimensions. Differentiable through the norm."""
    from .elementwise import where  # reduce imports this module
    from .reduce import norm
    try:
        if x.ndim < 2:
            raise ValueError(f"renorm: the input needs at least 2 dimensions, got shape "
                             f"{tuple(x.shape)}")
        d = _check_dim(dim, x.ndim, "renorm")
        if not p > 0:
            raise ValueError(f"renorm: p must be positive, got {p}")
        if not maxnorm >= 0:
            raise ValueError(f"renorm: maxnorm must be >= 0, got {maxnorm}")
        dims = tuple(i for i in range(x.ndim) if i != d)
        big = norm(x.detach(), p, dims, keepdim=True).data > maxnorm
        # the norm of the sub-tensors left as they are is never used: ones in their place keep
        # its gradient finite (a zero sub-tensor has no gradient of its norm)
        scaled = maxnorm / (norm(where(big, x, 1), p, dims, keepdim=True) + 1e-7)
        return x * where(big, scaled, 1)
    except Exception:
        require_tensors("renorm", input=x)
        for name, v in (("p", p), ("maxnorm", maxnorm)):
            if not isinstance(v, (int, float, np.integer, np.floating)) or isinstance(v, bool):
                raise TypeError(f"renorm: {name} must be a number, got {v!r}") from None
        raise
