"""linear: y = x W^T + b over any number of leading dimensions."""
from .. import blas
from ..autograd.function import Function
from .elementwise import _no_kernel, promote
from .shape import reshape

__all__ = ["linear"]


class Linear(Function):
    """y (N, out) = x (N, in) @ w (out, in)^T + b (out,); one op, so a layer costs one
    matrix multiply and one in-place bias add, and its backward three products."""
    array_backward = True

    def forward(self, x, w, b=None):
        y = blas.matmul(x, w.T)
        if b is not None:
            y += b
        return y

    def backward(self, gy):
        x, w = self.args[:2]
        need = self.needs_input_grad
        gx = blas.matmul(gy, w) if need[0] else None
        gw = blas.matmul(gy.mT, x) if need[1] else None
        gb = gy.sum(0) if len(need) == 3 and need[2] else None
        return gx, gw, gb


def linear(input, weight, bias=None):  # noqa: A002
    """x W^T + b, like torch.nn.functional.linear.

    Shapes: input (*, in_features); weight (out_features, in_features); bias (out_features,);
    output (*, out_features).
    """
    if weight.ndim != 2 or input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise ValueError(f"linear: input of shape {tuple(input.shape)} and weight of shape "
                         f"{tuple(weight.shape)} don't fit; the input's last dim must equal "
                         f"weight.shape[1]")
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise ValueError(f"linear: bias must have shape ({weight.shape[0]},), got "
                         f"{tuple(bias.shape)}")
    input, weight = promote("linear", input, weight)
    if weight.dtype.kind == "b":  # torch has no bool product
        _no_kernel("linear", weight.dtype)
    if bias is not None and bias.dtype != weight.dtype:
        bias = bias.to(weight.dtype)
    lead = input.shape[:-1]
    x = reshape(input, (-1, input.shape[-1])) if input.ndim != 2 else input
    y = Linear.apply(x, weight) if bias is None else Linear.apply(x, weight, bias)
    return reshape(y, lead + (weight.shape[0],)) if input.ndim != 2 else y
