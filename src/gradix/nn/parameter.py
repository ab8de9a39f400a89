"""Parameter: a Tensor that a Module registers as one of its learnable weights."""
from .. import creation
from ..tensor import Tensor, as_tensor


class Parameter(Tensor):
    """A leaf Tensor that requires grad by default and that ``Module`` registers on assignment.

    ``Parameter(t)`` shares ``t``'s array (no copy), like ``torch.nn.Parameter``.

    Args:
        data: a Tensor, NumPy array or nested list (floating, unless ``requires_grad=False``);
            None (the default) gives an empty tensor of the default dtype, as in torch.
        requires_grad: whether the parameter is trained (default True).
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        self.data = creation.empty(0).data if data is None else as_tensor(data).data
        self.grad = None
        self._ctx = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
