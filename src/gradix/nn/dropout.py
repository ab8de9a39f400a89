"""Dropout."""
from . import functional as F
from .module import Module


class Dropout(Module):
    """Inverted dropout in training (zeroes with probability ``p``, scales by 1 / (1 - p));
    the identity in eval mode. Any shape. Seeded by ``gradix.manual_seed``."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError(f"Dropout: probability p must be between 0 and 1, got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):  # noqa: A002
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
