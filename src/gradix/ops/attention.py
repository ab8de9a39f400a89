"""Attention: scaled dot-product attention with PyTorch's semantics, and sparse patterns whose
time and memory are linear in the sequence length: local (sliding window), global, and mixed
local + global (the Longformer pattern).

Full attention forms the (L, S) score matrix. The sparse patterns never do. Local attention
splits the sequence into blocks of c = min(window, L) rows; each block of queries meets only the
keys of its own and its neighbouring blocks (Longformer's sliding chunks), so the scores take
(L, 3c) memory ((L, 2c) when causal) and masking happens inside those blocks only. Global
positions add g columns (every query on the global keys) and g rows (the global queries on all
keys): O(L (3c + g)) time and memory in all. The sparse patterns are composed of
differentiable gradix ops (pad, slices, cat, matmul, softmax), so gradients of every order come
for free. Full attention is one fused op (Attention) whose backward recomputes the weights with
gradix ops when a graph of the gradient is wanted.
"""
import math

import numpy as np

from .. import backend, blas, dtypes, random
from ..autograd.function import Function
from ..tensor import Tensor, as_tensor
from .activation import Softmax
from .dropout import dropout
from .elementwise import float_input, floating, where
from .linalg import matmul
from .shape import cat, pad, reshape, sum_to

__all__ = [
    "SparseAttentionWeights",
    "global_attention",
    "local_attention",
    "mixed_attention",
    "scaled_dot_product_attention",
    "sparse_attention",
    "sparse_attention_mask",
]

_NEG_INF = -math.inf


def _safe_softmax(s):
    """Softmax over the last axis of ``s``, in place; a row of all -inf (a query with nothing
    to attend to) gives zeros, as in torch's scaled_dot_product_attention, instead of NaN."""
    m = np.max(s, axis=-1, keepdims=True)
    m[~np.isfinite(m)] = 0
    s -= m
    np.exp(s, out=s)
    total = np.sum(s, axis=-1, keepdims=True)
    total[total == 0] = 1
    s /= total
    return s


class SafeSoftmax(Softmax):
    """Softmax over the last axis with zeros on rows that are all -inf (see _safe_softmax)."""

    def forward(self, x):
        self.axis = -1
        self.y = _safe_softmax(np.array(x, dtype=x.dtype))
        return self.y


def _softmax(scores, dropout_p):
    p = SafeSoftmax.apply(scores)
    return dropout(p, dropout_p) if dropout_p else p


def _weights(q, k, mask, scale):
    """softmax(q k^T scale + mask) composed of gradix ops: differentiable in q, k and mask."""
    scores = matmul(q * scale, k.mT)
    return SafeSoftmax.apply(scores if mask is None else scores + mask)


class Attention(Function):
    """softmax(q k^T scale + mask) v as one op: q (*, L, E), k (*, S, E), v (*, S, Ev) and an
    optional additive mask broadcastable to (*, L, S). ``keep`` is dropout's scaled keep mask
    on the weights, or None. Only the weights are kept for backward; with create_graph they are
    recomputed from gradix ops, so higher-order gradients flow through them."""
    array_backward = True

    def forward(self, q, k, v, mask=None, scale=1.0, keep=None):
        self.scale, self.keep = scale, keep
        s = blas.matmul(q, k.mT)
        s *= s.dtype.type(scale)
        if mask is not None:
            s = s + mask
        self.p = _safe_softmax(s)
        return blas.matmul(self.p if keep is None else self.p * keep, v)

    def backward(self, gy):
        q, k, v, *mask = self.args
        if isinstance(q, Tensor):  # create_graph: weights from gradix ops, differentiable
            p = _weights(q, k, mask[0] if mask else None, self.scale)
        else:
            p = self.p
        dropped = p if self.keep is None else p * self.keep
        gdrop = blas.matmul(gy, v.mT)
        gp = gdrop if self.keep is None else gdrop * self.keep
        gs = p * (gp - sum_to(gp * p, gp.shape[:-1] + (1,)))
        need = self.needs_input_grad
        return (blas.matmul(gs, k) * self.scale if need[0] else None,
                blas.matmul(gs.mT, q) * self.scale if need[1] else None,
                blas.matmul(dropped.mT, gy) if need[2] else None) + ((gs,) if mask else ())


def _attend(q, k, v, mask=None, dropout_p=0.0, scale=None, need_weights=False):
    """(softmax(q k^T scale + mask) v, the weights or None). ``mask`` is None or a float Tensor
    added to the scores, broadcastable to (*, L, S). The weights (after dropout) are a
    differentiable Tensor when ``need_weights``; otherwise the fused Attention op runs."""
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    q, k, v = (float_input(x) for x in (q, k, v))
    mask = None if mask is None else mask.to(q.dtype)
    if need_weights:
        p = _weights(q, k, mask, scale)
        p = dropout(p, dropout_p) if dropout_p else p
        return matmul(p, v), p
    keep = None
    if dropout_p:
        shape = np.broadcast_shapes(q.shape[:-2], k.shape[:-2]) + (q.shape[-2], k.shape[-2])
        keep = (random.generator().random(shape) >= dropout_p).astype(q.dtype) / (1 - dropout_p)
        keep = backend.to_device(keep, q.device)
    inputs = (q, k, v) if mask is None else (q, k, v, mask)
    return Attention.apply(*inputs, scale=scale, keep=keep), None


def bool_to_additive(allowed, dtype):
    """A bool array (True = may attend) as a constant float mask of 0 and -inf, on its device."""
    xp = backend.array_module(allowed)
    return as_tensor(xp.where(allowed, 0, -xp.inf).astype(dtype))


def _check_dropout(op, p):
    if not 0 <= p < 1:
        raise ValueError(f"{op}: dropout_p must be in [0, 1), got {p}")


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None):
    """softmax(Q K^T scale + mask) V, like torch.nn.functional.scaled_dot_product_attention.

    Shapes: query (*, L, E), key (*, S, E), value (*, S, Ev), leading dims broadcast; output
    (*, L, Ev). ``attn_mask`` broadcasts to (*, L, S): bool (True = may attend) or float (added
    to the scores). ``is_causal`` lets query i see keys j <= i (no attn_mask then). ``scale``
    defaults to 1 / sqrt(E). ``dropout_p`` drops attention weights on every call, as in torch
    (pass 0 in evaluation). A query that may attend to nothing gets a zero output.
    """
    op = "scaled_dot_product_attention"
    for name, t in (("query", query), ("key", key), ("value", value)):
        floating(op, t, name)
    if min(query.ndim, key.ndim, value.ndim) < 2 or query.shape[-1] != key.shape[-1] \
            or key.shape[-2] != value.shape[-2]:
        raise ValueError(f"{op}: expects query (*, L, E), key (*, S, E) and value (*, S, Ev), "
                         f"got {tuple(query.shape)}, {tuple(key.shape)} and "
                         f"{tuple(value.shape)}")
    _check_dropout(op, dropout_p)
    size = (query.shape[-2], key.shape[-2])
    if is_causal:
        if attn_mask is not None:
            raise ValueError(f"{op}: pass either attn_mask or is_causal=True, not both")
        xp = backend.array_module(query.data)
        attn_mask = as_tensor(xp.tril(xp.ones(size, dtypes.bool_)))
    elif attn_mask is not None:
        attn_mask = as_tensor(attn_mask)
        if attn_mask.dtype != dtypes.bool_ and attn_mask.dtype.kind != "f":
            raise TypeError(f"{op}: attn_mask must be bool or floating, got "
                            f"{dtypes.dtype_name(attn_mask.dtype)}")
        try:
            np.broadcast_shapes(attn_mask.shape, size)
        except ValueError:
            raise ValueError(f"{op}: attn_mask of shape {tuple(attn_mask.shape)} can't be "
                             f"broadcast to (L, S) = {size}") from None
    if attn_mask is not None and attn_mask.dtype == dtypes.bool_:
        attn_mask = bool_to_additive(attn_mask.data, query.dtype)
    return _attend(query, key, value, attn_mask, dropout_p, scale)[0]


# ---------------------------------------------------------------------- sparse patterns
def sparse_attention_mask(length, window=None, global_positions=(), causal=False):
    """The dense (L, L) bool mask (True = may attend) of a sparse pattern, for references and
    plots: query i sees key j when |i - j| <= window (no band when ``window`` is None), or i or
    j is a global position; and, if ``causal``, only when j <= i."""
    i, j = np.arange(length)[:, None], np.arange(length)[None, :]
    is_global = np.zeros(length, dtypes.bool_)
    is_global[_positions("sparse_attention_mask", global_positions, length)] = True
    ok = is_global[:, None] | is_global[None, :]
    if window is not None:
        ok = ok | (np.abs(i - j) <= window)
    return as_tensor(ok & (j <= i) if causal else ok)


def _positions(op, positions, length):
    """Sorted unique global positions in [0, L) (negative ones count from the end)."""
    g = np.asarray(positions.data if isinstance(positions, Tensor) else positions, np.int64)
    if g.ndim > 1 or ((g < -length) | (g >= length)).any():
        raise ValueError(f"{op}: global_positions must be a list of positions in "
                         f"[{-length}, {length - 1}], got {g.tolist()}")
    return np.unique(g % length) if g.size else g.reshape(0)


class _Layout:
    """Block geometry of one sparse pattern: blocks of c rows, neighbour block offsets, and for
    the local band the (nb, c, n*c) positions of each score's query and key and whether it is
    allowed (in the window, inside the sequence, causal, and not a global key)."""

    def __init__(self, length, window, causal, is_global):
        self.length = length
        self.c = max(1, min(window, length)) if window is not None else length
        self.nb = -(-length // self.c)
        if window is None:
            self.offsets = ()
            return
        self.offsets = (-1, 0) if causal else (-1, 0, 1)
        b = np.arange(self.nb)[:, None, None] * self.c
        self.qpos, self.kpos = np.broadcast_arrays(
            b + np.arange(self.c)[None, :, None],
            b + np.arange(len(self.offsets) * self.c)[None, None, :] - self.c)
        inside = (self.kpos >= 0) & (self.kpos < length)
        ok = inside & (np.abs(self.kpos - self.qpos) <= window)
        if causal:
            ok &= self.kpos <= self.qpos
        self.allowed = ok & ~is_global[np.clip(self.kpos, 0, length - 1)]

    def rows(self, x):
        """(*, L, d) -> (*, nb, c, d): x's rows in blocks, zero-padded at the end."""
        lead, (n, d) = x.shape[:-2], x.shape[-2:]
        return reshape(pad(x, (0, 0, 0, self.nb * self.c - n)), lead + (self.nb, self.c, d))

    def neighbours(self, x):
        """(*, L, d) -> (*, nb, n*c, d): for each block, the rows of the blocks at
        ``offsets`` (previous, itself, next), zero past either end."""
        lead, (n, d) = x.shape[:-2], x.shape[-2:]
        after = self.nb * self.c - n + (self.c if 1 in self.offsets else 0)
        padded = pad(x, (0, 0, self.c, after))
        blocks = reshape(padded, lead + (padded.shape[-2] // self.c, self.c, d))
        return cat([blocks[..., 1 + o:1 + o + self.nb, :, :] for o in self.offsets], dim=-2)

    def unblock(self, x):
        """(*, nb, c, d) -> (*, L, d): the inverse of ``rows``."""
        lead = x.shape[:-3]
        return reshape(x, lead + (self.nb * self.c, x.shape[-1]))[..., :self.length, :]


class SparseAttentionWeights:
    """The weights of a sparse attention call in compact form (memory linear in L), and
    ``dense()`` for plotting them (small L).

    Attributes:
        band: (*, nb, c, n*c) weights on the local keys, in blocks (None without a window).
        global_keys: (*, nb, c, g) weights of every query on the global keys (None if g = 0).
        global_rows: (*, g, L) weights of the global queries on all keys (None if g = 0).
        global_positions: the g global positions, sorted.
    The entries of global queries in ``band`` and ``global_keys`` are not used: their rows
    come from ``global_rows``.
    """

    def __init__(self, layout, positions, band, global_keys, global_rows):
        self._layout, self.global_positions = layout, positions
        self.band, self.global_keys, self.global_rows = band, global_keys, global_rows

    def dense(self):
        """The weights as one (*, L, L) Tensor (row i: query i's weights on every key)."""
        lay, g = self._layout, self.global_positions
        some = next(t for t in (self.band, self.global_keys) if t is not None)
        out = np.zeros(some.shape[:-3] + (lay.length, lay.length), some.dtype)
        if self.band is not None:
            keep = lay.allowed & (lay.qpos < lay.length)
            out[..., lay.qpos[keep], lay.kpos[keep]] = self.band.data[..., keep]
        if g.size:
            keys = self.global_keys.data
            out[..., g] = keys.reshape(keys.shape[:-3] + (-1, g.size))[..., :lay.length, :]
            out[..., g, :] = self.global_rows.data
        return as_tensor(out)


def sparse_attention(query, key, value, window=None, global_positions=(), causal=False,
                     dropout_p=0.0, scale=None, need_weights=False):
    """Attention restricted to a sparse pattern, in time and memory linear in L.

    Query i sees key j when |i - j| <= ``window`` (no local band when None), or when i or j is
    one of ``global_positions``; with ``causal`` only keys j <= i. The result equals
    ``scaled_dot_product_attention`` with ``sparse_attention_mask(L, window, global_positions,
    causal)``, without ever forming the (L, L) scores.

    Shapes: query, key (*, L, E); value (*, L, Ev); output (*, L, Ev). ``scale`` defaults to
    1 / sqrt(E); ``dropout_p`` drops attention weights. With ``need_weights`` returns
    (output, SparseAttentionWeights).
    """
    op = "sparse_attention"
    if min(query.ndim, key.ndim, value.ndim) < 2 or query.shape != key.shape \
            or key.shape[:-1] != value.shape[:-1]:
        raise ValueError(f"{op}: expects query and key (*, L, E) of one shape and value "
                         f"(*, L, Ev), got {tuple(query.shape)}, {tuple(key.shape)} and "
                         f"{tuple(value.shape)}")
    if window is not None and (not isinstance(window, (int, np.integer)) or window < 0):
        raise ValueError(f"{op}: window must be a non-negative int or None, got {window!r}")
    _check_dropout(op, dropout_p)
    length = query.shape[-2]
    g = _positions(op, global_positions, length)
    if window is None and not g.size:
        raise ValueError(f"{op}: give a window, global positions or both; with neither no "
                         f"query could attend to anything")
    is_global = np.zeros(length, dtypes.bool_)
    is_global[g] = True
    lay = _Layout(length, window, causal, is_global)
    q = query * (1 / math.sqrt(query.shape[-1]) if scale is None else scale)

    # every query on its band of local keys and on the global keys, in blocks of c rows
    scores, values = [], []
    if window is not None:
        scores.append(where(as_tensor(lay.allowed), matmul(lay.rows(q), lay.neighbours(key).mT),
                            _NEG_INF))
        values.append(lay.neighbours(value))
    if g.size:
        s = matmul(q, key[..., g, :].mT)
        if causal:
            s = where(as_tensor(g[None, :] <= np.arange(length)[:, None]), s, _NEG_INF)
        scores.append(lay.rows(s))
        values.append(value[..., g, :][..., None, :, :])
    p = _softmax(cat(scores, dim=-1) if len(scores) > 1 else scores[0], dropout_p)
    parts, start = [], 0
    for s, v in zip(scores, values):
        parts.append(p[..., start:start + s.shape[-1]])
        start += s.shape[-1]
    out = matmul(parts[0], values[0])
    for w, v in zip(parts[1:], values[1:]):
        out = out + matmul(w, v)
    out = lay.unblock(out)

    # the global queries on all keys, replacing their rows
    rows = None
    if g.size:
        s = matmul(q[..., g, :], key.mT)
        if causal:
            s = where(as_tensor(np.arange(length)[None, :] <= g[:, None]), s, _NEG_INF)
        rows = _softmax(s, dropout_p)
        take = np.arange(length)
        take[g] = length + np.arange(g.size)
        out = cat([out, matmul(rows, value)], dim=-2)[..., take, :]
    if not need_weights:
        return out
    band = parts[0] if window is not None else None
    return out, SparseAttentionWeights(lay, g, band, parts[-1] if g.size else None, rows)


def local_attention(query, key, value, window, causal=False, dropout_p=0.0, scale=None,
                    need_weights=False):
    """Sliding-window attention: query i sees keys j with |i - j| <= ``window`` (and j <= i if
    ``causal``). Linear in L; see ``sparse_attention`` for shapes and the other arguments."""
    return sparse_attention(query, key, value, window, (), causal, dropout_p, scale,
                            need_weights)


def global_attention(query, key, value, global_positions, causal=False, dropout_p=0.0,
                     scale=None, need_weights=False):
    """Global attention: the ``global_positions`` see every key and are seen by every query;
    other queries see only them. Linear in L for a fixed number of global positions; see
    ``sparse_attention``."""
    return sparse_attention(query, key, value, None, global_positions, causal, dropout_p, scale,
                            need_weights)


def mixed_attention(query, key, value, window, global_positions, causal=False, dropout_p=0.0,
                    scale=None, need_weights=False):
    """Longformer's pattern: a local band of ``window`` keys on each side plus global positions
    that see and are seen by all. Linear in L; see ``sparse_attention``."""
    return sparse_attention(query, key, value, window, global_positions, causal, dropout_p,
                            scale, need_weights)
