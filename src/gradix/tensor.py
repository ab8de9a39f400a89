"""class Tensor: an array, its gradient, and the node of the graph that produced it.

The ops live in ``gradix.ops``; each one attaches itself to Tensor as a method or operator with
``@register``, so this file holds only what a tensor *is*: data, grad, flags, conversions.
"""
import numbers

import numpy as np

from . import backend, dtypes
from .autograd import grad_mode


def to_arguments(args, dtype=None, device=None):
    """(dtype, device) from ``to``'s positional arguments (a dtype, a device string, or a tensor
    whose dtype and device to take) and its keywords: shared by Tensor.to and Module.to."""
    for a in args:
        if isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        elif isinstance(a, str) and (a == "cpu" or a.startswith("cuda")):
            device = a
        else:
            dtype = a
    return dtype, device


class Tensor:
    """An n-dimensional array that can record the ops applied to it.

    Attributes:
        data: the backend array (``numpy.ndarray``, or ``cupy.ndarray`` on a GPU).
        grad: the accumulated gradient, a Tensor of the same shape, dtype and device, or
            None.
        requires_grad: whether ops on this tensor are recorded for backpropagation.
    """

    __slots__ = ("data", "_grad", "requires_grad", "_ctx", "_hooks", "__weakref__")
    # ndarray (op) Tensor defers to Tensor's reflected operator, and an in-place NumPy update
    # of an array with a Tensor operand (``p.data -= lr * p.grad``) raises a TypeError instead
    # of silently putting a Tensor into ``p.data``.
    __array_ufunc__ = None

    def __init__(self, data, dtype=None, requires_grad=False, device=None):
        t = tensor(data, dtype=dtype, requires_grad=requires_grad, device=device)
        self.data, self.grad, self.requires_grad, self._ctx = t.data, None, t.requires_grad, None

    @staticmethod
    def _make(data, requires_grad, ctx):
        """Wraps an array without checks: the hot path of every op."""
        t = object.__new__(Tensor)
        t.data = data
        t._grad = None
        t.requires_grad = requires_grad
        t._ctx = ctx
        return t

    # ------------------------------------------------------------------ attributes
    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def device(self):
        return backend.device_of(self.data)

    @property
    def is_leaf(self):
        return self._ctx is None

    @property
    def grad_fn(self):
        return self._ctx

    @property
    def grad(self):
        """The gradient backward accumulates here: a Tensor of this tensor's shape, dtype and
        device, or None; assigning anything else raises, as in torch."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            _check_grad(self, value)
        self._grad = value

    def dim(self):
        return self.data.ndim

    ndimension = dim

    def size(self, dim=None):
        if dim is None:
            return self.data.shape
        d = _check_dim(dim, self.data.ndim, "size")
        if not self.data.ndim:  # _check_dim takes 0 and -1 for a 0-d tensor, which has no size
            raise IndexError(f"size: dimension specified as {dim} but the tensor has no "
                             f"dimensions")
        return self.data.shape[d]

    def numel(self):
        return int(self.data.size)

    nelement = numel

    def is_floating_point(self):
        return self.data.dtype.kind == "f"

    def element_size(self):
        return self.data.itemsize

    def is_contiguous(self):
        """Whether the data is laid out in C order without gaps (views such as transposes,
        strided slices and expanded dimensions aren't)."""
        return bool(self.data.flags.c_contiguous)

    def stride(self, dim=None):
        """The step, in entries, between neighbours along each dimension (or ``dim``): torch's
        contiguous strides (a dimension of size 0 or 1 counting as 1) where the data is
        contiguous (an empty view too, whose strides torch keeps from its base), else those of
        the NumPy view gradix holds (a transpose's, 0 where expanded)."""
        if self.data.flags.c_contiguous:
            strides, step = [], 1
            for n in reversed(self.data.shape):
                strides.append(step)
                step *= max(n, 1)
            strides = tuple(strides[::-1])
        else:
            strides = tuple(s // self.data.itemsize for s in self.data.strides)
        if dim is None:
            return strides
        d = _check_dim(dim, self.data.ndim, "stride")
        if not self.data.ndim:
            raise IndexError(f"stride: dimension specified as {dim} but the tensor has no "
                             f"dimensions")
        return strides[d]

    # ------------------------------------------------------------------ conversion
    def numpy(self):
        """The data as a NumPy array (shared memory on the CPU)."""
        if self.requires_grad and grad_mode._enabled:
            raise RuntimeError("numpy(): can't call numpy() on a tensor that requires grad; "
                               "use tensor.detach().numpy()")
        return backend.to_device(self.data, "cpu")

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item(): only a tensor with one element can be converted to a "
                             f"Python scalar, got shape {tuple(self.shape)}")
        return self.data.reshape(()).item()

    def tolist(self):
        return backend.to_device(self.data, "cpu").tolist()

    def __array__(self, dtype=None, copy=None):
        array = backend.to_device(self.data, "cpu")
        if dtype is not None and dtype != array.dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    def __bool__(self):
        if self.data.size != 1:
            raise RuntimeError(f"Boolean value of a tensor with {self.data.size} values is "
                               f"ambiguous; use .any() or .all()")
        return bool(self.item())

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.data.dtype.kind not in "iub" or self.data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def __format__(self, spec):
        if self.data.ndim == 0 and spec:
            return format(self.item(), spec)
        return format(repr(self), spec)

    __hash__ = object.__hash__

    def __repr__(self):
        array = backend.to_device(self.data, "cpu")
        body = np.array2string(array, separator=", ", prefix="tensor(", precision=4,
                               threshold=1000, edgeitems=3)
        extras = []
        if array.dtype not in (dtypes.float32, dtypes.int64, dtypes.bool_) or array.size == 0:
            extras.append(f"dtype={dtypes.dtype_name(array.dtype)}")
        if self.device != "cpu":
            extras.append(f"device='{self.device}'")
        if self._ctx is not None:
            extras.append(f"grad_fn=<{self._ctx.name()}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + body + "".join(", " + e for e in extras) + ")"

    # ------------------------------------------------------------------ autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulates the gradient of this tensor with respect to each leaf into ``leaf.grad``.

        A tensor with one element needs no ``gradient``; any other needs one of its shape.
        The graph is freed afterwards unless ``retain_graph=True``.
        """
        engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def register_hook(self, hook):
        """Calls ``hook(grad)`` each time backward computes this tensor's gradient; a Tensor it
        returns replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        return hooks.register_hook(self, hook)

    def retain_grad(self):
        """Keeps this non-leaf tensor's gradient in ``.grad`` on backward (leaves always do)."""
        hooks.retain_grad(self)

    @property
    def retains_grad(self):
        return hooks.retains_grad(self)

    def detach(self):
        """The same data, cut from the graph."""
        return Tensor._make(self.data, False, None)

    def detach_(self):
        self._ctx = None
        self.requires_grad = False
        return self

    def requires_grad_(self, requires_grad=True):
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"requires_grad_: requires_grad must be a bool, got "
                            f"{requires_grad!r} ({type(requires_grad).__name__})")
        if self._ctx is not None and not requires_grad:
            raise RuntimeError("requires_grad_(False) on a non-leaf tensor; use detach()")
        if requires_grad and self.data.dtype.kind != "f":
            raise RuntimeError(f"requires_grad_: only floating point tensors can require "
                               f"gradients, got {dtypes.dtype_name(self.data.dtype)}")
        self.requires_grad = bool(requires_grad)
        return self

    # ------------------------------------------------------------------ dtype and device
    def to(self, *args, dtype=None, device=None):
        """``to(dtype)``, ``to(device)``, ``to(other_tensor)`` or keywords; differentiable."""
        dtype, device = to_arguments(args, dtype, device)
        out = self
        if dtype is not None and dtypes.as_dtype(dtype) != self.data.dtype:
            out = cast(out, dtypes.as_dtype(dtype))
        if device is not None and backend.parse_device(device) != self.device:
            out = to_device(out, device)
        return out

    def float(self):
        return self.to(dtypes.float32)

    def double(self):
        return self.to(dtypes.float64)

    def half(self):
        return self.to(dtypes.float16)

    def long(self):
        return self.to(dtypes.int64)

    def short(self):
        return self.to(dtypes.int16)

    def int(self):
        return self.to(dtypes.int32)

    def bool(self):
        return self.to(dtypes.bool_)

    def type(self, dtype=None):
        return self.dtype if dtype is None else self.to(dtype)

    def cpu(self):
        return self.to(device="cpu")

    def cuda(self):
        return self.to(device="cuda")

    def type_as(self, other):
        """This tensor converted to ``other``'s dtype and device (differentiable)."""
        if not isinstance(other, Tensor):
            raise TypeError(f"type_as: other must be a Tensor, got {type(other).__name__}")
        return self.to(other)

    # ------------------------------------------------------------------ new tensors like this one
    def _new_options(self, dtype, device, requires_grad):
        """The creation keywords of the new_* methods: this tensor's dtype and device unless
        given."""
        return {"dtype": self.dtype if dtype is None else dtype,
                "device": self.device if device is None else device,
                "requires_grad": requires_grad}

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        """A new leaf tensor holding a copy of ``data``, with this tensor's dtype and device
        unless given (the data's own dtype doesn't count, as in torch)."""
        return tensor(data, **self._new_options(dtype, device, requires_grad))

    def new_zeros(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        """``zeros(*sizes)`` with this tensor's dtype and device unless given."""
        return creation.zeros(*sizes, size=size,
                              **self._new_options(dtype, device, requires_grad))

    def new_ones(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        """``ones(*sizes)`` with this tensor's dtype and device unless given."""
        return creation.ones(*sizes, size=size, **self._new_options(dtype, device, requires_grad))

    def new_empty(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        """``empty(*sizes)`` with this tensor's dtype and device unless given."""
        return creation.empty(*sizes, size=size,
                              **self._new_options(dtype, device, requires_grad))

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        """``full(size, fill_value)`` with this tensor's dtype and device unless given (the
        value's type doesn't count)."""
        return creation.full(size, fill_value, **self._new_options(dtype, device, requires_grad))

    # ------------------------------------------------------------------ in-place (no graph)
    def _in_place(self, name, value, change):
        """Runs ``change(self.data)``, op ``name`` with operand ``value``, after checking that
        it may run, then stamps the memory as changed: a backward through ops that saved it
        refuses to run (see autograd/inplace.py). Returns self."""
        if grad_mode._enabled:
            if self.requires_grad:
                raise RuntimeError(f"{name}: a tensor that requires grad can't be changed in "
                                   f"place while grad mode is on (the graph may need its old "
                                   f"values); wrap the update in gradix.no_grad() or use the "
                                   f"out-of-place op")
            if isinstance(value, Tensor) and value.requires_grad:
                raise RuntimeError(f"{name}: the value requires grad, but in-place changes "
                                   f"aren't recorded in the graph, so its gradient would be "
                                   f"lost; build the result out of place (gradix.where, "
                                   f"gradix.cat, index ops), or pass value.detach()")
        try:
            change(self.data)
        except (ValueError, TypeError, OverflowError) as e:  # NumPy's broadcasting, casting,
            # index or out-of-range (300 into int8) error
            from .ops._errors import prefixed
            raise prefixed(name, e, f" (tensor of shape {tuple(self.shape)} and dtype "
                                    f"{dtypes.dtype_name(self.dtype)})") from None
        inplace.mark_changed(self.data, name)
        return self

    def _operand(self, value):
        return value.data if isinstance(value, Tensor) else value

    def _values(self, op, value):
        """The array to write for ``value`` of ``x[key] = value`` or ``copy_``: a Tensor's data;
        other data (lists, arrays) converted to this tensor's dtype first, since NumPy converts
        a list element by element into the target, so a bad element (a string, None, an int
        out of range) would raise after the ones before it were written, or turn into NaN."""
        if isinstance(value, Tensor):
            return value.data
        if value.__class__ in (float, int, bool):
            return value
        cant = TypeError(f"{op}: can't assign a {type(value).__name__} to a "
                         f"{dtypes.dtype_name(self.dtype)} tensor; assign a number, a tensor or "
                         f"an array of numbers")
        if value is None or isinstance(value, str):
            raise cant
        try:
            return _infer_array(value, self.dtype)
        except TypeError:  # strings, None or objects in a list
            raise cant from None
        except (ValueError, OverflowError) as e:  # worded for tensor(): reword
            raise type(e)(f"{op}: {str(e).removeprefix('tensor: ')} (writing into a "
                          f"{dtypes.dtype_name(self.dtype)} tensor of shape "
                          f"{tuple(self.shape)})") from None

    def __setitem__(self, key, value):
        from .ops.index import assign
        array = self._values("__setitem__", value)
        self._in_place("__setitem__", value, lambda a: assign(a, key, array))

    def zero_(self):
        return self._in_place("zero_", None, lambda a: a.fill(0))

    def fill_(self, value):
        array = as_fill_value("fill_", value, self.dtype)
        return self._in_place("fill_", value, lambda a: a.fill(array))

    def copy_(self, src):
        array = self._values("copy_", src)

        def copy(a):
            try:  # NumPy would also drop the source's leading 1s: (1, 3) into (3,)
                if np.broadcast_shapes(np.shape(array), a.shape) != a.shape:
                    raise ValueError
                a[...] = backend.to_device(array, self.device)
            except ValueError:
                raise RuntimeError(f"copy_: source of shape {tuple(array.shape)} can't be "
                                   f"broadcast to the destination's shape "
                                   f"{tuple(self.shape)}") from None
        return self._in_place("copy_", src, copy)

    def _ufunc_(self, name, ufunc, other, alpha=1):
        refuse_sequence(name, other)
        if alpha.__class__ is not int:
            require_number(name, "alpha", alpha)
        if ufunc is np.subtract:
            _check_sub(self, other)
        operand = self._operand(other) if alpha == 1 else self._operand(other) * alpha

        def change(a):
            try:
                ufunc(a, operand, out=a, casting="same_kind")
            except (TypeError, OverflowError):  # NumPy's casting rules refused, see torch's
                b = np.asarray(operand)
                if b.dtype.kind not in "biuf":  # not a number
                    raise TypeError(f"{name}: other must be a Tensor or a number, got "
                                    f"{type(other).__name__}") from None
                dtype = dtypes.result_type(a, operand)
                if ufunc is np.true_divide and dtype.kind != "f":
                    dtype = dtypes.default_float
                dtypes.check_cast(name, dtype, a.dtype)
                # integers wrap around into a narrower or unsigned tensor, as in torch
                ufunc(a, b.astype(dtype), out=a, casting="unsafe")
        return self._in_place(name, other, change)

    def add_(self, other, alpha=1):
        return self._ufunc_("add_", np.add, other, alpha)

    def sub_(self, other, alpha=1):
        return self._ufunc_("sub_", np.subtract, other, alpha)

    def mul_(self, other):
        return self._ufunc_("mul_", np.multiply, other)

    def div_(self, other):
        return self._ufunc_("div_", np.true_divide, other)

    def clamp_(self, min=None, max=None):  # noqa: A002  (torch's names)
        if min is None and max is None:
            raise ValueError("clamp_: at least one of min and max must be given")
        refuse_sequence("clamp_", min)
        refuse_sequence("clamp_", max)
        lo, hi = self._operand(min), self._operand(max)
        # the in-place check looks at one operand: the bound that requires grad, if any
        value = max if isinstance(max, Tensor) and max.requires_grad else min
        return self._in_place("clamp_", value, lambda a: np.clip(a, lo, hi, out=a))

    def _check_floating(self, name):
        if self.data.dtype.kind != "f":  # checked before the generator draws anything
            raise TypeError(f"{name}: needs a floating point tensor, got "
                            f"{dtypes.dtype_name(self.dtype)} (as in PyTorch)")

    def uniform_(self, a=0.0, b=1.0):
        self._check_floating("uniform_")
        return self._in_place("uniform_", None, lambda x: x.__setitem__(
            ..., random.generator().uniform(a, b, x.shape)))

    def normal_(self, mean=0.0, std=1.0):
        self._check_floating("normal_")
        return self._in_place("normal_", None, lambda x: x.__setitem__(
            ..., random.generator().normal(mean, std, x.shape)))

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_


def register(*names):
    """Attaches an op to Tensor under each of ``names`` (methods and operators)."""
    def attach(fn):
        for name in names:
            setattr(Tensor, name, fn)
        return fn
    return attach


def as_fill_value(op, value, dtype):
    """The fill value of full, full_like, fill_ and fill_diagonal_ as a 0-d array of ``dtype``:
    a number or a 0-d tensor (as in torch; NumPy would write None as NaN and cycle a
    sequence's values), converted as torch converts a Python number (see check_fits)."""
    if isinstance(value, Tensor):
        if value.data.ndim:
            raise ValueError(f"{op}: value must be a number or a 0-d tensor, got a tensor of "
                             f"shape {tuple(value.shape)}")
        value = value.data
    else:
        require_number(op, "value", value)
    value = np.asarray(value)
    check_fits(op, value, dtype)
    return value.astype(dtype)


def _check_dim(dim, ndim, op):
    if dim.__class__ is not int and not isinstance(dim, numbers.Integral):
        raise TypeError(f"{op}: dim must be an int, got {dim!r} ({type(dim).__name__})")
    rank = max(ndim, 1)
    if not -rank <= dim < rank:
        raise IndexError(f"{op}: dimension out of range (expected to be in range of "
                         f"[{-rank}, {rank - 1}], but got {dim})")
    return dim % rank


# ---------------------------------------------------------------------- creation from data
def _infer_array(data, dtype):
    if isinstance(data, Tensor):
        array = data.data
    elif backend.array_module(data) is not np:
        array = data
    else:
        was_array = isinstance(data, (np.ndarray, np.generic))  # NumPy scalars keep dtype too
        try:
            array = np.asarray(data)
        except ValueError as e:  # ragged nested lists
            raise ValueError(f"tensor: the nested sequences don't form a rectangular array "
                             f"(every row must have the same length): {e}") from None
        if not was_array and (array.dtype == np.uint64 or array.dtype == object):
            array = _big_ints(array, dtype)
        if dtype is not None and not isinstance(data, np.ndarray):  # numbers (NumPy's too)
            check_fits("tensor", array, dtypes.as_dtype(dtype))
        elif dtype is None and not was_array:
            if array.dtype.kind == "f":
                array = array.astype(dtypes.default_float)
            elif array.dtype.kind in "iu":
                array = array.astype(dtypes.int64)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"tensor: can't make a tensor from data of type {array.dtype} "
                            f"({type(data).__name__}); use numbers, nested lists or arrays")
    if dtype is not None:
        array = array.astype(dtypes.as_dtype(dtype), copy=False)
    elif array.dtype not in dtypes._NAMES:
        raise TypeError(f"tensor: NumPy dtype {array.dtype} is not supported; gradix has "
                        f"{', '.join(dtypes.dtype_name(d) for d in dtypes._NAMES)} (pass dtype= "
                        f"to convert)")
    return array


def _big_ints(array, dtype):
    """``array`` (uint64 or object, made from Python numbers) converted to ``dtype`` where it
    holds ints beyond int64's range and ``dtype`` is floating or bool, as torch converts them;
    raises OverflowError for any other dtype; returns other arrays as they are."""
    big = next((v for v in array.flat if isinstance(v, numbers.Integral)
                and not -2 ** 63 <= v < 2 ** 63), None)
    if big is None:
        return array
    dtype = dtypes.as_dtype(dtype) or dtypes.int64
    if dtype.kind in "fb":
        return array.astype(dtype)
    raise OverflowError(f"tensor: {big} doesn't fit in {dtypes.dtype_name(dtype)} (from "
                        f"{np.iinfo(dtype).min} to {np.iinfo(dtype).max}); pass a float, or a "
                        f"floating dtype")


def check_fits(op, values, dtype):
    """Raises OverflowError, as torch does for Python numbers, where one of ``values`` (an
    array made from Python numbers) doesn't fit in ``dtype``: an integer dtype takes floats
    within its range (not NaN or inf) and integers within its range, an unsigned one also
    negative integers down to -max, which wrap around as in torch (-1 is 255 in uint8)."""
    if dtype.kind not in "iu" or values.dtype.kind not in "iuf":
        return
    info = np.iinfo(dtype)
    low = -info.max if dtype.kind == "u" and values.dtype.kind != "f" else info.min
    with np.errstate(invalid="ignore"):
        bad = ~((values >= low) & (values <= info.max))
    if bad.any():
        raise OverflowError(f"{op}: {values[bad].flat[0]} doesn't fit in "
                            f"{dtypes.dtype_name(dtype)} (from {low} to {info.max})")


def _check_grad(t, g):
    """Raises, as torch does, when ``g`` can't be the gradient of ``t``: not a Tensor, ``t``
    itself, or of another shape, dtype or device."""
    if not isinstance(g, Tensor):
        raise TypeError(f"grad: the gradient must be a Tensor or None, got {type(g).__name__}")
    if g is t:
        raise RuntimeError("grad: can't assign a tensor as its own gradient")
    if g.shape != t.shape:
        raise RuntimeError(f"grad: can't assign a gradient of shape {tuple(g.shape)} to a "
                           f"tensor of shape {tuple(t.shape)}; the shapes must match")
    if g.dtype != t.dtype:
        raise RuntimeError(f"grad: can't assign a {dtypes.dtype_name(g.dtype)} gradient to a "
                           f"{dtypes.dtype_name(t.dtype)} tensor; the dtypes must match")
    if g.device != t.device:
        raise RuntimeError(f"grad: can't assign a gradient on {g.device} to a tensor on "
                           f"{t.device}; the devices must match")


def tensor(data, dtype=None, requires_grad=False, device=None):
    """A new leaf tensor holding a copy of ``data`` (scalars, nested lists, arrays, tensors).

    Floating data becomes float32 and integer data int64 unless ``dtype`` says otherwise;
    a NumPy array or NumPy scalar keeps its dtype.
    """
    array = _infer_array(data, dtype)
    array = backend.to_device(array, device).copy()
    t = Tensor._make(array, False, None)
    if requires_grad:
        t.requires_grad_(True)
    return t


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory with it where it can (no copy of a matching array)."""
    if isinstance(data, Tensor) and dtype is None and device is None:
        return data
    array = backend.to_device(_infer_array(data, dtype), device)
    return Tensor._make(array, False, None)


def zero_grads(params, set_to_none=True):
    """Clears each parameter's ``.grad`` as torch's ``zero_grad`` does: sets it to None, or cuts
    it from any graph and fills it with zeros in place."""
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            p.grad.detach_()
            p.grad.zero_()


def from_numpy(array):
    """A tensor sharing memory with a NumPy array (its dtype kept)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    return Tensor._make(_infer_array(array, None), False, None)


from . import creation, random  # noqa: E402
from .autograd import engine, hooks, inplace  # noqa: E402
from .ops._errors import refuse_sequence, require_number  # noqa: E402
from .ops.elementwise import _check_sub, cast, to_device  # noqa: E402
