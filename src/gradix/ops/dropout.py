"""dropout: inverted dropout drawing its mask from gradix's seeded generator."""
from .. import backend, random
from ..tensor import Tensor
from .elementwise import floating

__all__ = ["dropout"]


def dropout(input, p=0.5, training=True, inplace=False):  # noqa: A002
    """Zeroes each element with probability ``p`` and scales the rest by 1 / (1 - p), so the
    expectation is unchanged; the identity when not ``training``. Any shape. ``inplace``
    overwrites ``input`` (only allowed where it needs no gradient)."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout: probability p must be between 0 and 1, got {p}")
    if not training or p == 0:
        return input
    if p == 1:  # zeros of any dtype, as in torch
        mask = backend.array_module(input.data).zeros(input.shape, input.dtype)
    else:
        floating("dropout", input)  # 1 / (1 - p) has no integer form: torch refuses too
        keep = random.generator().random(input.shape) >= p
        mask = backend.to_device(keep.astype(input.dtype) * input.dtype.type(1 / (1 - p)),
                                 input.device)
    return input.mul_(mask) if inplace else input * Tensor._make(mask, False, None)
