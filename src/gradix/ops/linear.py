"""linear: y = x W^T + b over any number of leading dimensions."""
from .linalg import matmul
from .shape import reshape

__all__ = ["linear"]


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
    lead = input.shape[:-1]
    x = reshape(input, (-1, input.shape[-1])) if input.ndim != 2 else input
    y = matmul(x, weight.mT)
    if bias is not None:
        y = y + bias
    return reshape(y, lead + (weight.shape[0],)) if input.ndim != 2 else y
