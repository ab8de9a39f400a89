"""Shape ops: views, broadcasting, joining and splitting. Backward of each undoes its forward."""
import builtins
import operator

import numpy as np

from .. import dtypes
from ..autograd.function import Function
from ..tensor import Tensor, _check_dim, register
from ._errors import require_tensor_list, require_tensors


def _shape_arg(op, shape):
    """Accepts f(2, 3) and f((2, 3)) like PyTorch; every entry an int (a float is an error, as
    in torch, not truncated)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, np.ndarray)):
        shape = tuple(shape[0])
    if len(shape) == 1 and isinstance(shape[0], Tensor) and shape[0].ndim:
        shape = tuple(shape[0].tolist())
    try:
        return tuple(map(operator.index, shape))
    except TypeError:
        raise TypeError(f"{op}: shape must be integers, got {shape!r}") from None


def _dims_arg(op, dims, ndim):
    """Dimensions given as an int or a sequence of ints, each made non-negative; no repeats."""
    dims = [_check_dim(d, ndim, op) for d in _shape_arg(op, (dims,))]
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


def sum_to(x, shape):
    """Sums x over broadcast dimensions so that it has ``shape`` (the adjoint of broadcast_to)."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return SumTo.call(x, shape=shape)  # also on arrays, for the engine and backward rules


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
    """A read-only view of x repeated along broadcast dimensions to ``shape``; -1 keeps a
    dimension's size."""
    try:
        shape = tuple(shape)
        if x.shape == shape:
            return x
        if not isinstance(x, Tensor):  # an array inside a first-order backward
            return np.broadcast_to(x, shape)
        shape = _broadcast_target("broadcast_to", x.shape, shape)
        return x if x.shape == shape else BroadcastTo.apply(x, shape=shape)
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
    return tuple(broadcast_to(t, shape) for t in tensors)


# ---------------------------------------------------------------------- reshaping
class Reshape(Function):
    array_backward = True

    def forward(self, x, shape):
        self.src = x.shape
        return x.reshape(shape)

    def backward(self, gy):
        return gy.reshape(self.src)


def _resolve_shape(op, x, shape):
    size = x.data.size
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
            return x
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
        if x.ndim == 0:
            return reshape(x, 1)
        s, e = _check_dim(start_dim, x.ndim, "flatten"), _check_dim(end_dim, x.ndim, "flatten")
        if s > e:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        return reshape(x, x.shape[:s] + (-1,) + x.shape[e + 1:])
    except Exception:
        require_tensors("flatten", input=x)
        raise


@register("unflatten")
def unflatten(x, dim, sizes):
    """Splits dimension ``dim`` into ``sizes``."""
    try:
        d = _check_dim(dim, x.ndim, "unflatten")
        try:
            return reshape(x, x.shape[:d] + tuple(sizes) + x.shape[d + 1:])
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
            dims = [_check_dim(d, x.ndim, "squeeze") for d in (dim if isinstance(dim, (tuple, list))
                                                              else (dim,))]
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
        return x
    return Permute.call(x, dims=dims)


@register("transpose", "swapaxes")
def transpose(x, dim0, dim1):
    """x with dimensions dim0 and dim1 swapped; a 0-d x (dims 0 or -1) comes back unchanged."""
    try:
        d0, d1 = _check_dim(dim0, x.ndim, "transpose"), _check_dim(dim1, x.ndim, "transpose")
        if x.ndim == 0:
            return x
        dims = list(range(x.ndim))
        dims[d0], dims[d1] = dims[d1], dims[d0]
        return permute(x, dims)
    except Exception:
        require_tensors("transpose", input=x)
        raise


@register("t")
def t(x):
    """Transpose of a tensor with at most 2 dimensions."""
    try:
        if x.ndim > 2:
            raise ValueError(f"t: expects a tensor with <= 2 dimensions, got shape "
                             f"{tuple(x.shape)}")
        return x if x.ndim < 2 else transpose(x, 0, 1)
    except Exception:
        require_tensors("t", input=x)
        raise


Tensor.T = property(lambda x: permute(x, tuple(range(x.ndim))[::-1]),
                    doc="All dimensions reversed.")
Tensor.mT = property(lambda x: transpose(x, -2, -1), doc="The last two dimensions swapped.")


@register("movedim")
def movedim(x, source, destination):
    """x with dimension(s) ``source`` (an int or a sequence) moved to positions ``destination``
    (as many); the other dimensions keep their order."""
    try:
        src, dst = _dims_arg("movedim", source, x.ndim), _dims_arg("movedim", destination, x.ndim)
        if len(src) != len(dst):
            raise ValueError(f"movedim: source {tuple(src)} and destination {tuple(dst)} must name "
                             f"the same number of dimensions")
        rest = iter(i for i in range(x.ndim) if i not in src)
        moved = dict(zip(dst, src))
        return permute(x, [moved[i] if i in moved else next(rest) for i in range(x.ndim)])
    except Exception:
        require_tensors("movedim", input=x)
        raise


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
        tensors = [t_ for t_ in tensors if t_.shape != (0,)] or list(tensors)
        ref = tensors[0]
        d = _check_dim(dim, ref.ndim, "cat")
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


concatenate = cat


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
        n = x.shape[_check_dim(dim, x.ndim, "chunk")]
        return split(x, -(-n // chunks) if n else [0] * chunks, dim)
    except Exception:
        require_tensors("chunk", input=x)
        raise


def unbind(x, dim=0):
    try:
        d = _check_dim(dim, x.ndim, "unbind")
        return tuple(squeeze(p, d) for p in split(x, 1, d))
    except Exception:
        require_tensors("unbind", input=x)
        raise


register("unbind")(unbind)


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


@register("repeat")
def repeat(x, *sizes):
    """x tiled ``sizes[i]`` times along each dimension (torch.Tensor.repeat)."""
    try:
        sizes = _shape_arg("repeat", sizes)
        if len(sizes) < x.ndim:
            raise ValueError(f"repeat: got {len(sizes)} repeat counts for a tensor of shape "
                             f"{tuple(x.shape)}; give at least one per dimension")
        if builtins.any(s < 0 for s in sizes):
            raise ValueError(f"repeat: counts must be non-negative, got {sizes}")
        return Repeat.apply(x, reps=sizes)
    except Exception:
        require_tensors("repeat", input=x)
        raise


class Pad(Function):
    array_backward = True

    def forward(self, x, widths, value):
        self.widths = widths
        return np.pad(x, widths, mode="constant", constant_values=value)

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
