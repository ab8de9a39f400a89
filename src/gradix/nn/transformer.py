"""Transformer layers with PyTorch's arguments and parameter names (encoder and decoder layers
and stacks), and sinusoidal and learned positional encodings."""
import copy
import math

import numpy as np

from .. import creation, dtypes
from ..tensor import as_tensor
from . import functional as F
from . import init
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm
from .parameter import Parameter

__all__ = [
    "LearnedPositionalEmbedding",
    "PositionalEncoding",
    "TransformerDecoder",
    "TransformerDecoderLayer",
    "TransformerEncoder",
    "TransformerEncoderLayer",
]

_ACTIVATIONS = {"relu": F.relu, "gelu": F.gelu}


def _activation(owner, activation):
    if callable(activation):
        return activation
    if activation not in _ACTIVATIONS:
        raise ValueError(f"{owner}: activation must be 'relu', 'gelu' or a callable, got "
                         f"{activation!r}")
    return _ACTIVATIONS[activation]


class _Layer(Module):
    """What encoder and decoder layers share: the feed-forward block, norms and dropouts."""

    def __init__(self, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                 batch_first, norm_first, bias, dtype, num_blocks):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout, bias, batch_first,
                                            dtype=dtype)
        if num_blocks == 3:
            self.multihead_attn = MultiheadAttention(d_model, nhead, dropout, bias, batch_first,
                                                     dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias, dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias, dtype)
        self.norm_first = norm_first
        for i in range(1, num_blocks + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, layer_norm_eps, bias=bias, dtype=dtype))
        for i in range(1, num_blocks + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = _activation(self._get_name(), activation)

    def _residual(self, x, block, norm):
        """Pre-LN: x + block(norm(x)); post-LN: norm(x + block(x))."""
        return x + block(norm(x)) if self.norm_first else norm(x + block(x))

    def _attention(self, attn, dropout, x, mem, mask, padding_mask, is_causal):
        return dropout(attn(x, mem, mem, key_padding_mask=padding_mask, need_weights=False,
                            attn_mask=mask, is_causal=is_causal)[0])

    def _ff(self, dropout, x):
        return dropout(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerEncoderLayer(_Layer):
    """Self-attention and a feed-forward block, each with a residual connection and layer norm,
    like torch.nn.TransformerEncoderLayer (same arguments and state_dict keys).

    Args:
        d_model: width E; nhead: attention heads; dim_feedforward: hidden width of the MLP.
        dropout: on attention weights, inside the MLP and on each residual branch.
        activation: 'relu', 'gelu' or a callable. layer_norm_eps: LayerNorm's eps.
        batch_first: (N, L, E) instead of (L, N, E). norm_first: pre-LN (x + f(norm(x)))
            instead of post-LN (norm(x + f(x))). bias: biases in linears and norms.
    Shape: src (L, N, E), (N, L, E) or (L, E) -> the same.
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 dtype=None):
        super().__init__(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                         batch_first, norm_first, bias, dtype, num_blocks=2)

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        """Masks as in MultiheadAttention (bool True = may not attend)."""
        x = self._residual(src, lambda y: self._attention(
            self.self_attn, self.dropout1, y, y, src_mask, src_key_padding_mask, is_causal),
            self.norm1)
        return self._residual(x, lambda y: self._ff(self.dropout2, y), self.norm2)


class TransformerDecoderLayer(_Layer):
    """Self-attention on the target, attention to the encoder's memory, and a feed-forward
    block, each with a residual connection and layer norm, like torch.nn.TransformerDecoderLayer
    (same arguments and state_dict keys). ``tgt_is_causal=True`` (or a causal ``tgt_mask``)
    makes the self-attention causal.

    Shape: tgt (T, N, E), memory (S, N, E) (batch first or unbatched as in the encoder layer)
    -> like tgt.
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 dtype=None):
        super().__init__(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                         batch_first, norm_first, bias, dtype, num_blocks=3)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        x = self._residual(tgt, lambda y: self._attention(
            self.self_attn, self.dropout1, y, y, tgt_mask, tgt_key_padding_mask, tgt_is_causal),
            self.norm1)
        x = self._residual(x, lambda y: self._attention(
            self.multihead_attn, self.dropout2, y, memory, memory_mask, memory_key_padding_mask,
            memory_is_causal), self.norm2)
        return self._residual(x, lambda y: self._ff(self.dropout3, y), self.norm3)


class _Stack(Module):
    """``num_layers`` deep copies of one layer (as torch does), then an optional norm."""

    def __init__(self, layer, num_layers, norm):
        super().__init__()
        if num_layers < 1:
            raise ValueError(f"{self._get_name()}: num_layers must be at least 1, got "
                             f"{num_layers}")
        self.layers = ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def _finish(self, x):
        return x if self.norm is None else self.norm(x)


class TransformerEncoder(_Stack):
    """A stack of ``num_layers`` copies of ``encoder_layer`` and an optional final ``norm``
    (use one with pre-LN layers), like torch.nn.TransformerEncoder."""

    def __init__(self, encoder_layer, num_layers, norm=None):
        super().__init__(encoder_layer, num_layers, norm)

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=False):
        for layer in self.layers:
            src = layer(src, mask, src_key_padding_mask, is_causal)
        return self._finish(src)


class TransformerDecoder(_Stack):
    """A stack of ``num_layers`` copies of ``decoder_layer`` and an optional final ``norm``,
    like torch.nn.TransformerDecoder."""

    def __init__(self, decoder_layer, num_layers, norm=None):
        super().__init__(decoder_layer, num_layers, norm)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        for layer in self.layers:
            tgt = layer(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask,
                        memory_key_padding_mask, tgt_is_causal, memory_is_causal)
        return self._finish(tgt)


# ---------------------------------------------------------------------- positions
class _Positions(Module):
    """Adds a (max_len, d_model) table of position vectors to a sequence, then dropout."""

    def __init__(self, d_model, max_len, dropout, batch_first):
        super().__init__()
        self.d_model, self.max_len, self.batch_first = d_model, max_len, batch_first
        self.dropout = Dropout(dropout)

    def forward(self, x):
        """x (L, N, E), or (N, L, E) if batch_first -> the same, plus the positions."""
        axis = 1 if self.batch_first else 0
        if x.ndim != 3 or x.shape[-1] != self.d_model or x.shape[axis] > self.max_len:
            layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
            raise ValueError(f"{self._get_name()}: expects {layout} with E = {self.d_model} "
                             f"and L <= max_len = {self.max_len}, got {tuple(x.shape)}")
        table = self.table()[:x.shape[axis]]
        return self.dropout(x + (table[None] if self.batch_first else table[:, None]))

    def extra_repr(self):
        return f"{self.d_model}, max_len={self.max_len}, batch_first={self.batch_first}"


class PositionalEncoding(_Positions):
    """The sinusoidal encoding of "Attention is all you need": position p, feature 2i gets
    sin(p / 10000^(2i/E)) and feature 2i+1 cos(p / 10000^(2i/E)); then dropout.
    The table is a non-persistent buffer ``pe`` (max_len, E), so it is not in state_dict."""

    def __init__(self, d_model, max_len=5000, dropout=0.0, batch_first=False, dtype=None):
        super().__init__(d_model, max_len, dropout, batch_first)
        position = np.arange(max_len)[:, None]
        freq = np.exp(np.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = np.zeros((max_len, d_model))
        pe[:, 0::2] = np.sin(position * freq)
        pe[:, 1::2] = np.cos(position * freq[:d_model // 2])
        self.register_buffer("pe", as_tensor(pe, dtype=dtype or dtypes.default_float),
                             persistent=False)

    def table(self):
        return self.pe


class LearnedPositionalEmbedding(_Positions):
    """A learned vector per position, ``weight`` (max_len, E) starting as N(0, 0.02^2), added
    to the input; then dropout."""

    def __init__(self, max_len, d_model, dropout=0.0, batch_first=False, dtype=None):
        super().__init__(d_model, max_len, dropout, batch_first)
        self.weight = Parameter(creation.empty(max_len, d_model, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        init.normal_(self.weight, std=0.02)

    def table(self):
        return self.weight
