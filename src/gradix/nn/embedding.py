"""Embedding."""
from .. import creation
from ..autograd.grad_mode import no_grad
from . import functional as F, init
from .module import Module
from .parameter import Parameter


class Embedding(Module):
    """A lookup table: integer indices (*) -> rows of ``weight``, shape (*, embedding_dim).

    ``weight`` (num_embeddings, embedding_dim) starts as N(0, 1); the row at ``padding_idx``
    (negative counts from the end) starts at zero and gets no gradient.
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, dtype=None):
        super().__init__()
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx {padding_idx} must be within "
                                 f"[{-num_embeddings}, {num_embeddings - 1}]")
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = padding_idx
        self.weight = Parameter(creation.empty(num_embeddings, embedding_dim, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0

    def forward(self, input):  # noqa: A002
        return F.embedding(input, self.weight, self.padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        return s + (f", padding_idx={self.padding_idx}" if self.padding_idx is not None else "")
