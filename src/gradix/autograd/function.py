"""The Function base: one recorded op, its forward on arrays and its backward in gradix ops."""
import itertools

import numpy as np

from . import grad_mode


class Function:
    """One differentiable op.

    Subclasses define ``forward(self, *arrays, **params)``, which returns one array and may keep
    on ``self`` what backward needs (parameters, an output array), and ``backward(self, gy)``,
    which receives the upstream gradient as a Tensor and returns one Tensor (or None) per input.
    Backward is written with gradix ops, so it is itself differentiable: the engine runs it in
    no-grad mode for first-order gradients and records it when ``create_graph=True``.

    A backward written only with operators and the helpers that accept arrays as well as
    Tensors (``where``, ``sum_to``, ``broadcast_to``, ``permute``, ``cast``, ``Function.call``)
    reads its inputs through ``self.args`` and its output through ``self.output``; its class
    sets ``array_backward = True``. The engine then runs it directly on NumPy arrays for
    first-order gradients, skipping the Tensor wrapping that dominates small ops, while the
    same rule still builds a graph of Tensors when ``create_graph=True``.

    The gradient a backward returns may have the broadcast shape of the op's output; the engine
    sums it back to each input's shape, once, for every op.
    """

    inputs = None  # the input Tensors, set only when the op is recorded
    seq = 0        # creation order: a node is always created after the nodes it consumes
    array_backward = False  # whether backward may run on arrays (see above)
    _hooks = None  # hooks of the output tensor, a list once one is registered (hooks.py)

    @classmethod
    def apply(cls, *inputs, **params):
        """Runs the op on Tensors and records it when grad mode is on and an input needs grad."""
        fn = cls()
        data = fn.forward(*[x.data for x in inputs], **params)
        return _result(fn, data, inputs, grad_mode._enabled and any(
            [x.requires_grad for x in inputs]))

    @classmethod
    def call(cls, *args, **params):
        """``apply`` on Tensors; on arrays (inside a first-order backward), just the forward."""
        if isinstance(args[0], Tensor):
            return cls.apply(*args, **params)
        return cls().forward(*args, **params)

    @property
    def args(self):
        """The inputs for backward: arrays when it runs on arrays, else the input Tensors."""
        if self.array_backward and not grad_mode._enabled:
            return [x.data for x in self.inputs]
        return self.inputs

    @property
    def needs_input_grad(self):
        """One bool per input: whether backward must compute its gradient."""
        return tuple([x.requires_grad for x in self.inputs])

    def output(self, data):
        """The op's output for backward rules that use it: the array itself when backward runs
        on arrays, else a Tensor attached to this node (so second derivatives flow through it)."""
        if self.array_backward and not grad_mode._enabled:
            return data
        if data.__class__ is not _ndarray and isinstance(data, np.generic):
            data = np.asarray(data)  # a NumPy scalar would promote like a Python scalar
        return _make(data, True, self)

    def forward(self, *arrays, **params):
        raise NotImplementedError

    def backward(self, gy):
        raise NotImplementedError(f"{type(self).__name__} is not differentiable")

    def name(self):
        """The node's name in torch's scheme: the op's class name + "Backward0" ("MulBackward0")."""
        return type(self).__name__ + "Backward0"

    def __repr__(self):
        return f"<{self.name()}>"


class UnaryFunction(Function):
    """A Function of exactly one Tensor and no parameters (exp, tanh, relu, ...).

    Its ``apply``, ``call`` and ``args`` are Function's specialized to that signature: these
    ops run most often on small tensors, where packing arguments and building lists are a
    noticeable share of the cost.
    """

    @classmethod
    def apply(cls, x):
        fn = cls()
        return _result(fn, fn.forward(x.data), (x,), x.requires_grad and grad_mode._enabled)

    @classmethod
    def call(cls, x):
        if x.__class__ is _ndarray or not isinstance(x, Tensor):
            return cls().forward(x)
        return cls.apply(x)

    @property
    def args(self):
        if self.array_backward and not grad_mode._enabled:
            return (self.inputs[0].data,)
        return self.inputs


class BinaryFunction(Function):
    """A Function of exactly two Tensors and no parameters (add, mul, matmul, ...), with
    ``apply``, ``call`` and ``args`` specialized like UnaryFunction's."""

    @classmethod
    def apply(cls, a, b):
        fn = cls()
        return _result(fn, fn.forward(a.data, b.data), (a, b),
                       grad_mode._enabled and (a.requires_grad or b.requires_grad))

    @classmethod
    def call(cls, a, b):
        if a.__class__ is _ndarray or not isinstance(a, Tensor):
            return cls().forward(a, b)
        return cls.apply(a, b)

    @property
    def args(self):
        if self.array_backward and not grad_mode._enabled:
            a, b = self.inputs
            return a.data, b.data
        return self.inputs


def _result(fn, data, inputs, record):
    """The Tensor holding ``data``, the output of ``fn``; with ``record``, ``fn`` becomes its
    node in the graph."""
    if data.__class__ is not _ndarray and isinstance(data, np.generic):
        data = np.asarray(data)  # NumPy returns scalars for 0-d results
    out = _new(Tensor)
    out.data = data
    out._grad = None
    out.requires_grad = record
    if record:
        fn.inputs = inputs
        fn.seq = next(_counter)
        out._ctx = fn
    else:
        out._ctx = None
    return out


from ..tensor import Tensor  # noqa: E402  (tensor.py imports this module)

_make = Tensor._make
_new = object.__new__
_ndarray = np.ndarray
_counter = itertools.count(1)
