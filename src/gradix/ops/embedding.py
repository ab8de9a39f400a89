"""embedding (a lookup of rows) and one_hot."""
from .. import dtypes
from ..tensor import Tensor
from .elementwise import where
from .index import one_hot_array
from .shape import unsqueeze

__all__ = ["embedding", "one_hot"]


def _check_indices(op, index, n, what):
    if not isinstance(index, Tensor) or index.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be an integer tensor, got "
                        f"{getattr(index, 'dtype', type(index).__name__)}")
    if index.numel():
        lo, hi = int(index.data.min()), int(index.data.max())
        if lo < 0 or hi >= n:
            bad = lo if lo < 0 else hi
            raise IndexError(f"{op}: index {bad} is out of range for {what} "
                             f"(valid: 0 to {n - 1})")


def embedding(input, weight, padding_idx=None):  # noqa: A002
    """Rows of ``weight`` picked by ``input``, like torch.nn.functional.embedding.

    Shapes: input (*) of integers in [0, num_embeddings); weight (num_embeddings, dim);
    output (*, dim). The row at ``padding_idx`` receives no gradient.
    """
    if weight.ndim != 2:
        raise ValueError(f"embedding: weight must be 2-D (num_embeddings, embedding_dim), got "
                         f"{tuple(weight.shape)}")
    n = weight.shape[0]
    _check_indices("embedding", input, n, f"an embedding of {n} rows")
    rows = weight[input.data]
    if padding_idx is None:
        return rows
    if not -n <= padding_idx < n:
        raise ValueError(f"embedding: padding_idx {padding_idx} is out of range for an "
                         f"embedding of {n} rows (valid: {-n} to {n - 1})")
    padding_idx = padding_idx % n
    return where(unsqueeze(input == padding_idx, -1), rows.detach(), rows)


def one_hot(tensor, num_classes=-1):
    """int64 one-hot encoding: shape (*, num_classes); ``num_classes=-1`` uses max + 1.
    As in torch, the indices must be int64."""
    if isinstance(tensor, Tensor) and tensor.dtype.kind in "iu" and tensor.dtype != dtypes.int64:
        raise TypeError(f"one_hot: indices must be int64 (as in PyTorch), got "
                        f"{dtypes.dtype_name(tensor.dtype)}; convert with .long() first")
    if num_classes == -1:
        if not tensor.numel():
            raise ValueError("one_hot: can't infer the number of classes from an empty tensor; "
                             "pass num_classes")
        num_classes = int(tensor.data.max()) + 1
    _check_indices("one_hot", tensor, num_classes, f"num_classes={num_classes}")
    return Tensor._make(one_hot_array(tensor.data, num_classes, dtypes.int64), False, None)
