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

    The gradient a backward returns may have the broadcast shape of the op's output; the engine
    sums it back to each input's shape, once, for every op.
    """

    inputs = None  # the input Tensors, set only when the op is recorded
    seq = 0        # creation order: a node is always created after the nodes it consumes

    @classmethod
    def apply(cls, *inputs, **params):
        """Runs the op on Tensors and records it when grad mode is on and an input needs grad."""
        fn = cls()
        data = fn.forward(*[x.data for x in inputs], **params)
        if data.__class__ is not _ndarray and isinstance(data, np.generic):
            data = np.asarray(data)
        out = _new(Tensor)
        out.data = data
        out.grad = None
        if grad_mode._enabled:
            for x in inputs:
                if x.requires_grad:
                    fn.inputs = inputs
                    fn.seq = next(_counter)
                    out.requires_grad = True
                    out._ctx = fn
                    return out
        out.requires_grad = False
        out._ctx = None
        return out

    @property
    def needs_input_grad(self):
        """One bool per input: whether backward must compute its gradient."""
        return tuple([x.requires_grad for x in self.inputs])

    def output(self, data):
        """The op's output as a Tensor attached to this node (for backward rules that use it)."""
        if data.__class__ is not _ndarray and isinstance(data, np.generic):
            data = np.asarray(data)  # a NumPy scalar would promote like a Python scalar
        return _make(data, True, self)

    def forward(self, *arrays, **params):
        raise NotImplementedError

    def backward(self, gy):
        raise NotImplementedError(f"{type(self).__name__} is not differentiable")

    @property
    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{self.name}>"


from ..tensor import Tensor  # noqa: E402  (tensor.py imports this module)

_make = Tensor._make
_new = object.__new__
_ndarray = np.ndarray
_counter = itertools.count(1)
