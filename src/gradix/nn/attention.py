"""Multi-head attention: MultiheadAttention (PyTorch's parameters and masks) and
SparseMultiheadAttention (local, global and mixed patterns, linear in sequence length)."""
import numpy as np

from .. import creation, dtypes
from ..ops.attention import _attend, bool_to_additive, sparse_attention
from ..tensor import as_tensor
from . import functional as F
from . import init
from .linear import Linear
from .module import Module
from .parameter import Parameter

__all__ = ["MultiheadAttention", "SparseMultiheadAttention"]


class MultiheadAttention(Module):
    """Attention over ``num_heads`` heads of size embed_dim / num_heads, like
    torch.nn.MultiheadAttention (same parameter names, layout and initialization).

    Args:
        embed_dim: E, the model width; num_heads: it must divide E.
        dropout: dropout probability on the attention weights (training only).
        bias: whether the input and output projections have biases.
        batch_first: inputs (N, L, E) instead of (L, N, E).
        kdim, vdim: feature sizes of key and value (default E).
    Attributes: in_proj_weight (3E, E) and in_proj_bias (3E,); when kdim or vdim differ from E,
        q_proj_weight (E, E), k_proj_weight (E, kdim), v_proj_weight (E, vdim) instead of
        in_proj_weight; out_proj, a Linear(E, E).
    Shape: query (L, N, E), key (S, N, kdim), value (S, N, vdim), or batch first, or unbatched
        (L, E), (S, kdim), (S, vdim); output like query.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, batch_first=False,
                 kdim=None, vdim=None, dtype=None):
        super().__init__()
        name = self._get_name()
        if num_heads <= 0 or embed_dim <= 0 or embed_dim % num_heads:
            raise ValueError(f"{name}: embed_dim ({embed_dim}) must be a positive multiple of "
                             f"num_heads ({num_heads})")
        if not 0 <= dropout < 1:
            raise ValueError(f"{name}: dropout must be in [0, 1), got {dropout}")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.head_dim, self.batch_first = embed_dim // num_heads, batch_first
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        names = ("q_proj_weight", "k_proj_weight", "v_proj_weight")
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(creation.empty(3 * embed_dim, embed_dim, dtype=dtype))
            for n in names:
                self.register_parameter(n, None)
        else:
            for n, d in zip(names, (embed_dim, self.kdim, self.vdim)):
                setattr(self, n, Parameter(creation.empty(embed_dim, d, dtype=dtype)))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(creation.empty(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        self.reset_parameters()

    def reset_parameters(self):
        """torch's: Xavier-uniform input projections, zero biases (out_proj's weight keeps
        Linear's initialization)."""
        for w in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight,
                  self.v_proj_weight):
            if w is not None:
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)

    # ------------------------------------------------------------------ shared steps
    def _check_inputs(self, query, key, value):
        """Raises unless the shapes fit; returns whether the inputs are batched."""
        name, shapes = self._get_name(), [tuple(t.shape) for t in (query, key, value)]
        ok = query.ndim in (2, 3) and key.ndim == value.ndim == query.ndim \
            and (query.shape[-1], key.shape[-1], value.shape[-1]) == (
                self.embed_dim, self.kdim, self.vdim) \
            and key.shape[:-1] == value.shape[:-1]
        if ok and query.ndim == 3:
            batch = 0 if self.batch_first else 1
            ok = query.shape[batch] == key.shape[batch]
        if not ok:
            layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
            raise ValueError(f"{name}: expects query {layout} or unbatched (L, E) with "
                             f"E = {self.embed_dim}, and key and value of one length and batch "
                             f"with kdim = {self.kdim} and vdim = {self.vdim} features; got "
                             f"query {shapes[0]}, key {shapes[1]}, value {shapes[2]}")
        return query.ndim == 3

    def _heads(self, x, batched):
        """(L, N, E), (N, L, E) or (L, E) -> (N, H, L, head_dim)."""
        if not batched:
            x = x[None] if self.batch_first else x[:, None]
        x = x.reshape(x.shape[:2] + (self.num_heads, self.head_dim))
        return x.permute(0, 2, 1, 3) if self.batch_first else x.permute(1, 2, 0, 3)

    def _project(self, query, key, value):
        """The input projections, split into heads: three (N, H, L or S, head_dim) tensors."""
        batched = self._check_inputs(query, key, value)
        e, b = self.embed_dim, self.in_proj_bias
        biases = (None,) * 3 if b is None else (b[:e], b[e:2 * e], b[2 * e:])
        if self._qkv_same_embed_dim:
            w = self.in_proj_weight
            weights = (w[:e], w[e:2 * e], w[2 * e:])
        else:
            weights = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        return tuple(self._heads(F.linear(x, w, bias), batched)
                     for x, w, bias in zip((query, key, value), weights, biases))

    def _merge(self, out, batched):
        """(N, H, L, head_dim) -> the output projection, in the input's layout."""
        out = out.permute(0, 2, 1, 3) if self.batch_first else out.permute(2, 0, 1, 3)
        out = self.out_proj(out.reshape(out.shape[:2] + (self.embed_dim,)))
        if not batched:
            out = out[0] if self.batch_first else out[:, 0]
        return out

    def _additive(self, what, mask, dtype):
        """A bool (True = masked) or float mask as a float Tensor added to the scores."""
        mask = as_tensor(mask)
        if mask.dtype == dtypes.bool_:
            return bool_to_additive(~mask.data, dtype)
        if mask.dtype.kind != "f":
            raise TypeError(f"{self._get_name()}: {what} must be bool or floating, got "
                            f"{dtypes.dtype_name(mask.dtype)}")
        return mask.to(dtype)

    def _mask(self, attn_mask, key_padding_mask, is_causal, n, length, s, dtype):
        """attn_mask (L, S) or (N*H, L, S) and key_padding_mask (N, S) (unbatched: (S,)) merged
        into one additive mask broadcastable to (N, H, L, S), or None."""
        name, h = self._get_name(), self.num_heads
        if attn_mask is None and is_causal:
            attn_mask = np.triu(np.ones((length, s), dtypes.bool_), 1)
        mask = None
        if attn_mask is not None:
            mask = self._additive("attn_mask", attn_mask, dtype)
            if mask.shape not in ((length, s), (n * h, length, s)):
                raise ValueError(f"{name}: attn_mask must have shape {(length, s)} or "
                                 f"{(n * h, length, s)} (batch * heads, L, S), got "
                                 f"{tuple(mask.shape)}")
            mask = mask.reshape((n, h, length, s)) if mask.ndim == 3 else mask
        if key_padding_mask is not None:
            pad = self._additive("key_padding_mask", key_padding_mask, dtype)
            if pad.numel() != n * s or pad.ndim not in (1, 2) or pad.shape[-1] != s:
                raise ValueError(f"{name}: key_padding_mask must have shape {(n, s)} (N, S), "
                                 f"or ({s},) unbatched, got {tuple(pad.shape)}")
            pad = pad.reshape((n, 1, 1, s))
            mask = pad if mask is None else mask + pad
        return mask

    # ------------------------------------------------------------------ forward
    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        """Returns (output, weights). Masks follow torch: bool True marks a position that may
        NOT be attended, a float mask is added to the scores. ``is_causal`` without attn_mask
        applies the causal mask (torch requires attn_mask; it is only a hint there). weights
        are (N, L, S) averaged over heads, (N, H, L, S) if not ``average_attn_weights``
        (unbatched: no N), or None without ``need_weights``."""
        q, k, v = self._project(query, key, value)
        n, _, length, _ = q.shape
        mask = self._mask(attn_mask, key_padding_mask, is_causal, n, length, k.shape[2],
                          q.dtype)
        out, weights = _attend(q, k, v, mask, self.dropout if self.training else 0.0,
                               need_weights=need_weights)
        out = self._merge(out, query.ndim == 3)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(1)
        return out, (weights if query.ndim == 3 else weights[0])

    def extra_repr(self):
        return (f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, "
                f"dropout={self.dropout}, batch_first={self.batch_first}")


class SparseMultiheadAttention(MultiheadAttention):
    """Multi-head self-attention on a sparse pattern, in time and memory linear in L: a local
    band of ``window`` keys on each side (None: no band), ``global_positions`` that see and
    are seen by every position (e.g. a [CLS] token at 0), and optionally ``causal``.

    Parameters and shapes as MultiheadAttention (kdim = vdim = embed_dim); query, key and
    value have one length L. ``forward`` returns (output, weights) where weights is a
    ``SparseAttentionWeights`` over (N, H) when ``need_weights``, else None.
    """

    def __init__(self, embed_dim, num_heads, window=None, global_positions=(), causal=False,
                 dropout=0.0, bias=True, batch_first=False, dtype=None):
        if window is None and not len(global_positions):
            raise ValueError(f"{type(self).__name__}: give a window, global_positions or both")
        if window is not None and (not isinstance(window, int) or window < 0):
            raise ValueError(f"{type(self).__name__}: window must be a non-negative int or "
                             f"None, got {window!r}")
        super().__init__(embed_dim, num_heads, dropout, bias, batch_first, dtype=dtype)
        self.window, self.causal = window, causal
        self.global_positions = tuple(int(p) for p in global_positions)

    def forward(self, query, key=None, value=None, need_weights=False):
        key = query if key is None else key
        value = key if value is None else value
        q, k, v = self._project(query, key, value)
        out, weights = sparse_attention(q, k, v, self.window, self.global_positions,
                                        self.causal, self.dropout if self.training else 0.0,
                                        need_weights=True)
        return self._merge(out, query.ndim == 3), (weights if need_weights else None)

    def extra_repr(self):
        return (super().extra_repr() + f", window={self.window}, "
                f"global_positions={self.global_positions}, causal={self.causal}")
