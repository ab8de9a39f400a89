"""Op-table rows for layout ops: diagonals and triangles, roll, tile, stacking, selection by
mask or index (see op_table.py). Cases the table can't express (errors, integer and bool
dtypes, repeated writes, calling conventions) are in test_layout_ops.py."""
import numpy as np

from .op_table import MASK34, op

M23 = [((2, 3),)]
M34 = [((3, 4),)]
S234 = [((2, 3, 4),)]
EDGE2 = [((0, 3),), ((3, 0),), ((2, 0, 0),), ((1, 1),), ((1, 4),)]  # empty, size-1 matrices


# ---------------------------------------------------------------------- diagonals and triangles
def _diag_embed(a, offset=0, dim1=-2, dim2=-1):
    """np.diag of each last-dimension vector, the two new dimensions moved to dim1, dim2."""
    rows = [np.diag(v, offset) for v in a.reshape(int(np.prod(a.shape[:-1])), a.shape[-1])]
    m = a.shape[-1] + abs(offset)
    out = np.stack(rows).reshape(a.shape[:-1] + (m, m)) if rows else np.zeros(a.shape[:-1] + (m, m))
    return np.moveaxis(out, (-2, -1), (dim1, dim2)).astype(a.dtype)


for _k in (0, 1, -2, 5):
    op(f"diag_vector[{_k}]", lambda m, x, k=_k: m.diag(x, k), lambda a, k=_k: np.diag(a, k),
       [((3,),), ((0,),)])
    op(f"diag_matrix[{_k}]", lambda m, x, k=_k: x.diag(k), lambda a, k=_k: np.diag(a, k),
       M34 + [((4, 3),), ((0, 3),), ((1, 1),)])
for _off, _d1, _d2 in [(0, 0, 1), (1, 1, 0), (-1, -1, 0), (2, 0, 2), (9, 0, 1)]:
    op(f"diagonal[{_off},{_d1},{_d2}]",
       lambda m, x, o=_off, a=_d1, b=_d2: m.diagonal(x, o, a, b),
       lambda x, o=_off, a=_d1, b=_d2: np.diagonal(x, o, a, b), S234)
    op(f"diag_embed[{_off},{_d1},{_d2}]",
       lambda m, x, o=_off, a=_d1, b=_d2: m.diag_embed(x, o, a, b),
       lambda x, o=_off, a=_d1, b=_d2: _diag_embed(x, o, a, b), [((2, 3),)])
op("diagonal_method", lambda m, x: x.diagonal(offset=-1), lambda a: np.diagonal(a, -1), M34)
op("diagonal_edge", lambda m, x: m.diagonal(x, 1), lambda a: np.diagonal(a, 1),
   [((0, 3),), ((1, 1),), ((3, 1),), ((2, 0, 4),)])
op("diag_embed_default", lambda m, x: x.diag_embed(), _diag_embed,
   S234 + [((3,),), ((0,),), ((2, 0),), ((1,),)])
op("trace", lambda m, x: m.trace(x), np.trace, M34 + [((4, 3),), ((0, 2),), ((1, 1),)])
op("trace_method", lambda m, x: x.trace(), np.trace, [((3, 3),)])
for _k in (0, 1, -1, 4):
    op(f"tril[{_k}]", lambda m, x, k=_k: m.tril(x, k), lambda a, k=_k: np.tril(a, k),
       M34 + S234 + EDGE2)
    op(f"triu[{_k}]", lambda m, x, k=_k: x.triu(diagonal=k), lambda a, k=_k: np.triu(a, k),
       M34 + S234 + EDGE2)

# ---------------------------------------------------------------------- rearranging
op("roll_flat", lambda m, x: m.roll(x, 5), lambda a: np.roll(a, 5), M34 + [((),), ((0, 3),)])
op("roll_dim", lambda m, x: x.roll(-1, 1), lambda a: np.roll(a, -1, 1),
   S234 + [((2, 0, 4),), ((2, 1, 4),)])
op("roll_dims", lambda m, x: m.roll(x, (1, -5), (0, 2)), lambda a: np.roll(a, (1, -5), (0, 2)),
   S234)
op("roll_same_dim_twice", lambda m, x: x.roll([1, 2], [-1, -1]),
   lambda a: np.roll(a, 3, -1), M34)
op("rot90", lambda m, x: m.rot90(x), np.rot90, M34 + [((0, 2),), ((1, 3),)])
for _k in (-1, 2, 3, 4):
    op(f"rot90[k={_k}]", lambda m, x, k=_k: x.rot90(k, (2, 0)),
       lambda a, k=_k: np.rot90(a, k, (2, 0)), S234)
op("fliplr", lambda m, x: m.fliplr(x), np.fliplr, M34 + S234 + [((0, 3),), ((3, 0),), ((1, 1),)])
op("flipud", lambda m, x: x.flipud(), np.flipud, [((4,),)] + S234 + [((0,),), ((0, 3),), ((1,),)])
op("t", lambda m, x: m.t(x), lambda a: a.T, M34 + [((3,),), ((),)])
op("swapaxes", lambda m, x: m.swapaxes(x, 0, -1), lambda a: np.swapaxes(a, 0, -1), S234)
op("swapdims", lambda m, x: x.swapdims(1, 2), lambda a: np.swapaxes(a, 1, 2), S234)

# ---------------------------------------------------------------------- repeating
op("repeat_interleave_flat", lambda m, x: m.repeat_interleave(x, 2),
   lambda a: np.repeat(a, 2), M23 + [((),), ((0, 3),)])
op("repeat_interleave_dim", lambda m, x: x.repeat_interleave(3, dim=-1),
   lambda a: np.repeat(a, 3, -1), M23 + [((2, 0),), ((2, 1),)])
op("repeat_interleave_counts", lambda m, x: x.repeat_interleave(m.tensor([2, 0, 3]), 1),
   lambda a: np.repeat(a, [2, 0, 3], 1), M23)
op("repeat_interleave_one_count", lambda m, x: m.repeat_interleave(x, m.tensor([2]), dim=0),
   lambda a: np.repeat(a, 2, 0), M23)
op("repeat_interleave_output_size",
   lambda m, x: x.repeat_interleave(m.tensor(2), dim=0, output_size=4),
   lambda a: np.repeat(a, 2, 0), M23)
op("tile", lambda m, x: m.tile(x, (2,)), lambda a: np.tile(a, 2), M23 + [((),), ((0, 3),)])
op("tile_more", lambda m, x: x.tile(2, 1, 2), lambda a: np.tile(a, (2, 1, 2)),
   M23 + [((),), ((0,),), ((1, 1),)])

# ---------------------------------------------------------------------- joining and splitting
op("hstack", lambda m, a, b: m.hstack([a, b]), lambda a, b: np.hstack([a, b]),
   [((2, 3), (2, 1)), ((3,), ()), ((2,), (0,))])
op("vstack", lambda m, a, b: m.vstack((a, b)), lambda a, b: np.vstack([a, b]),
   [((3,), (2, 3)), ((), ()), ((2, 2, 3), (1, 2, 3))])
op("dstack", lambda m, a, b: m.dstack([a, b]), lambda a, b: np.dstack([a, b]),
   [((3,), (3,)), ((2, 3), (2, 3, 2)), ((), ())])
op("column_stack", lambda m, a, b, c: m.column_stack([a, b, c]),
   lambda a, b, c: np.column_stack([a, b, c]), [((3,), (3, 2), (3,)), ((), (), ())])
op("concat", lambda m, a, b: m.concat([a, b], dim=-1), lambda a, b: np.concatenate([a, b], -1),
   [((2, 3), (2, 1))])
op("atleast_1d", lambda m, x: m.atleast_1d(x), np.atleast_1d, [((),), ((3,),)])
op("atleast_2d", lambda m, a, b: m.atleast_2d(a, b), lambda a, b: np.atleast_2d(a, b),
   [((), (3,)), ((2, 3), (1, 2, 3))])
op("atleast_3d", lambda m, a, b, c: m.atleast_3d([a, b, c]),
   lambda a, b, c: tuple(np.atleast_3d(a, b, c)), [((), (3,), (2, 3)), ((1, 2, 3, 1),) * 3])
op("tensor_split_sections", lambda m, x: m.tensor_split(x, 3), lambda a: np.array_split(a, 3),
   [((7,),), ((2, 3),), ((0, 2),)])
op("tensor_split_more_sections", lambda m, x: x.tensor_split(4, dim=1),
   lambda a: np.array_split(a, 4, 1), M23)
op("tensor_split_indices", lambda m, x: m.tensor_split(x, [-6, 2, 1, 9], dim=-1),
   lambda a: np.array_split(a, [-6, 2, 1, 9], -1), [((2, 7),), ((1, 7),), ((2, 0),)])
op("tensor_split_tensor", lambda m, x: x.tensor_split(m.tensor([1, 3])),
   lambda a: np.array_split(a, [1, 3]), [((4, 2),)])
op("tensor_split_tensor_sections", lambda m, x: x.tensor_split(m.tensor(2), 1),
   lambda a: np.array_split(a, 2, 1), M23)
op("hsplit", lambda m, x: m.hsplit(x, 2), lambda a: np.hsplit(a, 2),
   [((3, 4),), ((6,),), ((0, 4),), ((0,),), ((1, 2),)])
op("hsplit_indices", lambda m, x: x.hsplit([1, 3]), lambda a: np.hsplit(a, [1, 3]),
   S234 + [((2, 0, 4),), ((2, 1, 4),)])
op("vsplit", lambda m, x: m.vsplit(x, [1]), lambda a: np.vsplit(a, [1]),
   M34 + S234 + [((0, 3),), ((1, 4),)])
op("dsplit", lambda m, x: x.dsplit(2), lambda a: np.dsplit(a, 2),
   S234 + [((2, 3, 0),), ((1, 1, 2),)])
op("meshgrid", lambda m, a, b: m.meshgrid(a, b), lambda a, b: np.meshgrid(a, b, indexing="ij"),
   [((3,), (2,)), ((), (4,)), ((0,), (3,)), ((1,), ())],
   torch_fn=lambda m, a, b: m.meshgrid(a, b, indexing="ij"))
op("meshgrid_xy", lambda m, a, b, c: m.meshgrid([a, b, c], indexing="xy"),
   lambda a, b, c: np.meshgrid(a, b, c), [((3,), (2,), (4,)), ((0,), (2,), (1,))])
op("meshgrid_one", lambda m, x: m.meshgrid(x, indexing="xy"), lambda a: np.meshgrid(a),
   [((3,),)])


def _unfold(a, dim, size, step):
    """Tensor.unfold: sliding windows along dim, every step-th one, the window last."""
    if a.ndim == 0:
        return np.broadcast_to(a, (size,)).copy()
    windows = np.lib.stride_tricks.sliding_window_view(a, size, axis=dim)
    return windows[(slice(None),) * (dim % a.ndim) + (slice(None, None, step),)]


for _dim, _size, _step in [(0, 2, 1), (1, 2, 2), (-1, 3, 1), (-1, 4, 3), (1, 0, 1), (0, 2, 5)]:
    op(f"unfold[{_dim},{_size},{_step}]",
       lambda m, x, d=_dim, n=_size, s=_step: x.unfold(d, n, s),
       lambda a, d=_dim, n=_size, s=_step: _unfold(a, d, n, s), S234)
op("unfold_0d", lambda m, x: x.unfold(0, 1, 2), lambda a: _unfold(a, 0, 1, 2), [((),)])
op("unfold_edge", lambda m, x: x.unfold(0, 1, 2), lambda a: _unfold(a, 0, 1, 2),
   [((3, 0),), ((1, 4),)])

# ---------------------------------------------------------------------- selecting
op("nonzero", lambda m, x: m.nonzero(x), np.argwhere,
   M34 + S234 + [((),), ((0, 3),), ((1, 1),), ((2, 0, 3),)], ("grid",), grad=False)
op("nonzero_tuple", lambda m, x: x.nonzero(as_tuple=True), np.nonzero, M34 + S234,
   ("grid",), grad=False)
op("argwhere", lambda m, x: m.argwhere(x > 0), lambda a: np.argwhere(a > 0),
   M34 + [((),), ((0, 3),), ((1, 1),)], ("grid",), grad=False)
op("masked_select", lambda m, x: m.masked_select(x, x > 0), lambda a: a[a > 0],
   M34 + [((),), ((0, 3),), ((1,),)], ("away0",))
op("masked_select_broadcast", lambda m, x: x.masked_select(m.tensor(MASK34)),
   lambda a: np.broadcast_to(a, (3, 4))[MASK34], [((4,),), ((3, 1),), ((3, 4),)])
op("take", lambda m, x: m.take(x, m.tensor([[0, 11], [-1, 3], [3, 3]])),
   lambda a: np.take(a, [[0, 11], [-1, 3], [3, 3]]), M34)
op("take_0d_index", lambda m, x: x.take(m.tensor(-2)), lambda a: np.take(a, -2), M23)
op("take_from_0d", lambda m, x: x.take(m.tensor([0, 0, -1])), lambda a: np.take(a, [0, 0, -1]),
   [((),)])
op("take_empty_index", lambda m, x: m.take(x, m.tensor(np.zeros((2, 0), np.int64))),
   lambda a: np.take(a, np.zeros((2, 0), np.int64)), M34 + [((0,),), ((),)])
def _take_along_ref(a, indices, dim):
    """np.take_along_axis, with a and indices read flattened when dim is None."""
    if dim is None:
        a, indices, dim = a.reshape(-1), np.reshape(indices, -1), 0
    return np.take_along_axis(a, np.asarray(indices), dim)


_ALONG = [  # (name, input shape, indices, dim): broadcasting, negative and repeated indices
    ("row", (3, 4), [[0, -1, 2, 2]], 1),
    ("broadcast", (3, 1, 4), [[[0], [3]]], 2),
    ("same_shape", (3, 4), [[2, 1, 0, 0], [1, 1, 1, 1], [0, 2, 2, -3]], 0),
    ("flat", (3, 4), [5, 11, 5], None),
    ("flat_0d", (), 0, None),
    ("flat_empty", (0, 2), np.zeros(0, np.int64), None),
    ("empty_index", (3, 4), np.zeros((3, 0), np.int64), 1),
    ("empty_input", (0, 3), [[0, 2]], 1),
    ("size1_broadcast", (1, 3), [[0], [2]], 1),
]
for _name, _shape, _idx, _dim in _ALONG:
    op("take_along_dim_" + _name,
       lambda m, x, i=_idx, d=_dim: m.take_along_dim(x, m.tensor(i), d),
       lambda a, i=_idx, d=_dim: _take_along_ref(a, i, d), [(_shape,)])


def _scatter_ref(a, dim, index, src):
    """torch.scatter, one entry at a time: out[i][index[i][j]] = src[i][j] for dim 1 (src a
    number or an array at least as large as index)."""
    out, index = a.copy(), np.asarray(index)
    for pos in np.ndindex(index.shape):
        target = list(pos)
        target[dim] = index[pos]
        out[tuple(target)] = src if np.isscalar(src) else src[pos]
    return out


_SCATTERS = [  # (name, input shape, dim, index, src shape): no repeated target in one slice
    ("rows", (3, 4), 0, [[0, 1, 2, 0], [2, 0, 1, 1]], (2, 4)),
    ("smaller_index", (3, 4), 1, [[3, 0], [1, 2]], (2, 2)),
    ("3d_neg_dim", (2, 3, 4), -1, [[[3, 0]], [[1, 2]]], (2, 1, 2)),
    ("0d", (), 0, 0, ()),
    ("0d_index", (3,), 0, 1, ()),  # a 0-d input, index or src reads as 1-D, as in torch
    ("into_0d", (), 0, [0], (1,)),
    ("empty_index", (3, 4), 1, np.zeros((3, 0), np.int64), (3, 0)),
    ("empty_input", (0, 3), 0, np.zeros((0, 3), np.int64), (0, 3)),
]
for _name, _shape, _dim, _index, _src in _SCATTERS:
    op("scatter_" + _name,
       lambda m, x, s, d=_dim, i=_index: m.scatter(x, d, m.tensor(i), s),
       lambda a, s, d=_dim, i=_index: _scatter_ref(np.atleast_1d(a), d, np.atleast_1d(i),
                                                   np.atleast_1d(s)).reshape(a.shape),
       [(_shape, _src)])
# gather, scatter_add and index_select (their other rows are in op_table.py) with 0-d tensors
op("gather_0d_index", lambda m, x: x.gather(0, m.tensor(2)), lambda a: a[2], [((3,),)])
op("gather_from_0d", lambda m, x: m.gather(x, 0, m.tensor([0, 0])), lambda a: np.repeat(a, 2),
   [((),)])
op("scatter_add_0d_index", lambda m, x, s: x.scatter_add(0, m.tensor(1), s),
   lambda a, s: a + np.array([0, 1, 0], a.dtype) * s, [((3,), ())])
op("scatter_add_into_0d", lambda m, x, s: m.scatter_add(x, 0, m.tensor([0, 0]), s),
   lambda a, s: a + s.sum(), [((), (2,))])
op("scatter_add_empty_index",
   lambda m, x, s: x.scatter_add(1, m.tensor(np.zeros((3, 0), np.int64)), s), lambda a, s: a,
   [((3, 4), (3, 0))])
op("index_select_0d", lambda m, x: x.index_select(0, m.tensor([0])), lambda a: a, [((),)])
op("index_select_0d_index", lambda m, x: m.index_select(x, -1, m.tensor(0)), lambda a: a, [((),)])
# torch's backward fails here (it returns src's gradient in index's shape); ours pads it
op("scatter_larger_src", lambda m, x, s: x.scatter(1, m.tensor([[2, 0], [1, 3]]), s),
   lambda a, s: _scatter_ref(a, 1, [[2, 0], [1, 3]], s), [((3, 4), (3, 3))], torch_fn=False)
op("scatter_value", lambda m, x: m.scatter(x, 1, m.tensor([[0, 0, 2], [3, 3, 3]]), 2.5),
   lambda a: _scatter_ref(a, 1, [[0, 0, 2], [3, 3, 3]], 2.5), M34)
op("scatter_value_keyword", lambda m, x: x.scatter(0, m.tensor([[1, 1, 1, 0]]), value=-1),
   lambda a: _scatter_ref(a, 0, [[1, 1, 1, 0]], -1), M34)


def _index_add_ref(a, dim, index, src, alpha=1):
    out = np.moveaxis(a.copy(), dim, 0)
    np.add.at(out, np.asarray(index).reshape(-1), alpha * np.moveaxis(src, dim, 0))
    return np.moveaxis(out, 0, dim)


def _index_copy_ref(a, dim, index, src):
    out = np.moveaxis(a.copy(), dim, 0)
    out[np.asarray(index).reshape(-1)] = np.moveaxis(src, dim, 0)
    return np.moveaxis(out, 0, dim)


_INDEX_ADDS = [  # (name, input shape, dim, index, source shape)
    ("repeated", (3, 4), 0, [0, 2, 0, 0], (4, 4)),
    ("dim1", (3, 4), 1, [3, 1, 3], (3, 3)),
    ("neg_dim_3d", (2, 3, 4), -2, [2, 2], (2, 2, 4)),
    ("0d_index", (3, 4), 0, 1, (1, 4)),
    ("0d", (), 0, [0], ()),
    ("empty_index", (3, 4), 0, np.zeros(0, np.int64), (0, 4)),
    ("empty_input", (3, 0), 0, [2, 2], (2, 0)),
]
for _name, _shape, _dim, _index, _src in _INDEX_ADDS:
    op("index_add_" + _name,
       lambda m, x, s, d=_dim, i=_index: m.index_add(x, d, m.tensor(i), s),
       lambda a, s, d=_dim, i=_index: _index_add_ref(np.atleast_1d(a), d, i,
                                                    np.atleast_1d(s)).reshape(a.shape),
       [(_shape, _src)])
op("index_add_alpha", lambda m, x, s: x.index_add(1, m.tensor([0, 0]), s, alpha=-1.5),
   lambda a, s: _index_add_ref(a, 1, [0, 0], s, -1.5), [((3, 4), (3, 2))])
op("index_copy", lambda m, x, s: m.index_copy(x, 0, m.tensor([2, 0]), s),
   lambda a, s: _index_copy_ref(a, 0, [2, 0], s), [((3, 4), (2, 4))])
op("index_copy_3d", lambda m, x, s: x.index_copy(-1, m.tensor([3, 1, 0]), s),
   lambda a, s: _index_copy_ref(a, -1, [3, 1, 0], s), [((2, 3, 4), (2, 3, 3))])
op("index_copy_0d_index", lambda m, x, s: x.index_copy(1, m.tensor(2), s),
   lambda a, s: _index_copy_ref(a, 1, [2], s), [((3, 4), (3, 1))])
op("index_copy_0d_source", lambda m, x, s: m.index_copy(x, 0, m.tensor(1), s),
   lambda a, s: _index_copy_ref(a, 0, [1], s.reshape(1)), [((3,), ())])  # torch takes it for 1-D x
op("index_copy_into_0d", lambda m, x, s: x.index_copy(0, m.tensor([0]), s),
   lambda a, s: s.reshape(()), [((), ()), ((), (1,))])
op("index_copy_empty_index", lambda m, x, s: x.index_copy(1, m.tensor(np.zeros(0, np.int64)), s),
   lambda a, s: a, [((3, 4), (3, 0)), ((0, 2), (0, 0))])


def _index_fill_ref(a, dim, index, value):
    out = np.moveaxis(a.copy(), dim, 0)
    out[np.asarray(index).reshape(-1)] = value
    return np.moveaxis(out, 0, dim)


op("index_fill", lambda m, x: m.index_fill(x, -1, m.tensor([0, 3, 0, -1]), -2.0),
   lambda a: _index_fill_ref(a, -1, [0, 3, 0, -1], -2.0), M34 + S234)
op("index_fill_tensor_value", lambda m, x, v: x.index_fill(0, m.tensor([2, 0, 2]), v),
   lambda a, v: _index_fill_ref(a, 0, [2, 0, 2], v), [((3, 4), ()), ((3,), ())])
op("index_fill_0d", lambda m, x: x.index_fill(0, m.tensor(0), 1.5), lambda a: np.full_like(a, 1.5),
   [((),)])
op("index_fill_empty_index", lambda m, x: x.index_fill(0, m.tensor(np.zeros(0, np.int64)), 1.5),
   lambda a: a, M34 + [((0, 4),), ((),)])
op("index_fill_empty_input", lambda m, x: m.index_fill(x, 1, m.tensor([1, 1]), 1.5), lambda a: a,
   [((0, 3),)])


def _masked_scatter_ref(a, mask, src):
    out = np.broadcast_to(a, np.broadcast_shapes(a.shape, mask.shape)).copy()
    mask = np.broadcast_to(mask, out.shape)
    out[mask] = src.reshape(-1)[:mask.sum()]
    return out


op("masked_scatter", lambda m, x, s: x.masked_scatter(m.tensor(MASK34), s),
   lambda a, s: _masked_scatter_ref(a, MASK34, s), [((3, 4), (7,)), ((3, 4), (3, 4)),
                                                    ((4,), (2, 5)), ((3, 1), (8,))])
op("masked_scatter_fn", lambda m, x, s: m.masked_scatter(x, x > 0, s),
   lambda a, s: _masked_scatter_ref(a, a > 0, s), [((3, 4), (12,))], ("away0", "real"))
op("masked_scatter_0d_mask", lambda m, x, s: x.masked_scatter(m.tensor(True), s),
   lambda a, s: _masked_scatter_ref(a, np.array(True), s), [((), ()), ((), (2,)), ((3,), (3,))])
op("masked_scatter_empty",
   lambda m, x, s: m.masked_scatter(x, m.tensor(np.zeros((0, 3), bool)), s),
   lambda a, s: _masked_scatter_ref(a, np.zeros((0, 3), bool), s),
   [((3,), (2,)), ((1, 3), (0,)), ((0, 3), ())])
