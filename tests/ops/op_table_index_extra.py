"""Op-table rows for more indexing and layout ops: select, select_scatter, slice_scatter, index_put,
scatter_reduce, put, as_strided, moveaxis, diagflat, diagonal_scatter, sum_to_size, renorm (see
op_table.py). Errors, integer dtypes, ties, in-place forms and strides are in
test_index_extra_ops.py."""
import numpy as np

from .op_table import op

M34 = [((3, 4),)]


def _copy_at(a, key, v):
    out = a.copy()
    out[key] = v
    return out


def _add_at(a, key, v):
    out = a.copy()
    np.add.at(out, key, v)
    return out


# ---------------------------------------------------------------------- select and *_scatter
op("select", lambda m, x: x.select(-1, -1), lambda a: a[..., -1], M34 + [((2, 3, 4),), ((1,),)])
op("select_dim0", lambda m, x: x.select(0, 2), lambda a: a[2], M34)  # (gradix.select: a package)
op("select_scatter", lambda m, x, s: m.select_scatter(x, s, 1, 0),
   lambda a, s: _copy_at(a, (slice(None), 0), s), [((3, 4), (3,)), ((3, 1), (3,))])
op("select_scatter_1d", lambda m, x, s: m.select_scatter(x, s, 0, -1),
   lambda a, s: _copy_at(a, -1, s), [((4,), ()), ((1,), ())])
op("select_scatter_method", lambda m, x, s: x.select_scatter(s, -1, -2),
   lambda a, s: _copy_at(a, (Ellipsis, -2), s), [((2, 3, 4), (2, 3))])
op("slice_scatter", lambda m, x, s: m.slice_scatter(x, s, 1, 0, None, 2),
   lambda a, s: _copy_at(a, (slice(None), slice(0, None, 2)), s), [((3, 4), (3, 2))])
op("slice_scatter_defaults", lambda m, x, s: x.slice_scatter(s),
   lambda a, s: s.copy(), [((3, 4), (3, 4)), ((0, 2), (0, 2))])
op("slice_scatter_clipped", lambda m, x, s: m.slice_scatter(x, s, -1, -3, 10),
   lambda a, s: _copy_at(a, (Ellipsis, slice(-3, 10)), s), [((2, 4), (2, 3)), ((2, 1), (2, 1))])
op("slice_scatter_empty_slice", lambda m, x, s: m.slice_scatter(x, s, 0, 2, 2),
   lambda a, s: a.copy(), [((3, 4), (0, 4))])
op("diagonal_scatter", lambda m, x, s: m.diagonal_scatter(x, s, 1),
   lambda a, s: _copy_at(a, (np.arange(3), np.arange(3) + 1), s), [((3, 4), (3,))])
op("diagonal_scatter_dims", lambda m, x, s: x.diagonal_scatter(s, 1, 2, 0),  # x[j + 1, :, j]
   lambda a, s: _copy_at(a, (np.arange(2) + 1, slice(None), np.arange(2)), s.T),
   [((3, 2, 2), (2, 2))])
op("diagonal_scatter_empty", lambda m, x, s: m.diagonal_scatter(x, s, 5),
   lambda a, s: a.copy(), [((3, 4), (0,))])

# ---------------------------------------------------------------------- index_put and put
I0, I1 = np.array([0, 2, 0, 0]), np.array([1, 3, 1, 2])
op("index_put", lambda m, x, v: m.index_put(x, (m.tensor(I0), m.tensor(I1)), v),
   lambda a, v: _copy_at(a, (I0[1:], I1[1:]), np.broadcast_to(v, (4,))[1:]),
   [((3, 4), ()), ((3, 4), (1,))], gradcheck=False)
# (above and below: a repeated index is written once, but every value gets the gradient of its
# place, torch's rule, which finite differences can't see; torch checks it)
op("index_put_rows_repeated", lambda m, x, v: x.index_put((m.tensor([2, 0, 2]),), v),
   lambda a, v: _copy_at(a, [2, 0], v[:2] if v.ndim == 2 and v.shape[0] == 3 else v),
   [((3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), ())], gradcheck=False)
op("index_put_accumulate", lambda m, x, v: m.index_put(x, (m.tensor(I0), m.tensor(I1)), v,
                                                       accumulate=True),
   lambda a, v: _add_at(a, (I0, I1), np.broadcast_to(v, (4,))), [((3, 4), (4,)), ((3, 4), ())])
op("index_put_accumulate_rows", lambda m, x, v: x.index_put([m.tensor([[1, 1], [0, 1]])], v,
                                                            accumulate=True),
   lambda a, v: _add_at(a, np.array([[1, 1], [0, 1]]),
                        np.broadcast_to(v, (2, 2) + a.shape[1:])),
   [((3, 4), (2, 2, 4)), ((3, 4), (4,)), ((2, 3, 4), (3, 4))])
op("index_put_mask", lambda m, x, v: m.index_put(x, (m.tensor([True, False, True]),), v),
   lambda a, v: _copy_at(a, np.array([True, False, True]), v), [((3, 4), (2, 4)), ((3, 4), ())])
op("index_put_empty", lambda m, x, v: m.index_put(x, (m.tensor(np.zeros(0, np.int64)),), v,
                                                  accumulate=True),
   lambda a, v: a.copy(), [((3, 4), (4,)), ((0, 4), ())])
op("put", lambda m, x, s: m.put(x, m.tensor([[5, -1], [0, 7]]), s),
   lambda a, s: _copy_at(a.reshape(-1), [5, -1, 0, 7], s.reshape(-1)).reshape(a.shape),
   [((3, 4), (4,)), ((3, 4), (2, 2))])
op("put_repeated", lambda m, x, s: x.put(m.tensor([3, 1]), s),
   lambda a, s: _copy_at(a.reshape(-1), [3, 1], s.reshape(-1)).reshape(a.shape),
   [((2, 3), (2,)), ((4,), (1, 2))])
op("put_accumulate", lambda m, x, s: x.put(m.tensor([0, -1, 0, 0]), s, accumulate=True),
   lambda a, s: _add_at(a.reshape(-1), [0, -1, 0, 0], s.reshape(-1)).reshape(a.shape),
   [((3, 4), (4,)), ((2, 2), (2, 2)), ((1,), (4,))])
op("put_0d", lambda m, x, s: x.put(m.tensor(0), s, accumulate=True),
   lambda a, s: a + s.reshape(()),
   [((), ()), ((), (1,))])


# ---------------------------------------------------------------------- scatter_reduce
def _scatter_reduce_ref(a, dim, index, src, reduce, include_self):
    """torch.scatter_reduce, one place at a time: each place's values (its own unless
    include_self is False, then every src entry whose index names it) reduced."""
    index = np.asarray(index)
    gathered = {}
    for pos in np.ndindex(index.shape):
        target = list(pos)
        target[dim] = index[pos]
        gathered.setdefault(tuple(target), []).append(src[pos])
    out = a.copy()
    f = {"sum": np.sum, "prod": np.prod, "mean": np.mean, "amax": np.max, "amin": np.min}[reduce]
    for target, values in gathered.items():
        out[target] = f(([a[target]] if include_self else []) + values)
    return out


IDX = [[0, 1, 0], [3, 3, 3], [2, 1, 0]]
for _red in ("sum", "prod", "mean", "amax", "amin"):
    for _inc in (True, False):
        _tag = f"[{_red},include_self={_inc}]"
        op("scatter_reduce" + _tag,
           lambda m, x, s, r=_red, i=_inc: x.scatter_reduce(1, m.tensor(IDX), s, r,
                                                            include_self=i),
           lambda a, s, r=_red, i=_inc: _scatter_reduce_ref(a, 1, IDX, s, r, i),
           [((3, 4), (3, 3))], ("distinct",))
        op("scatter_reduce_dim0" + _tag,
           lambda m, x, s, r=_red, i=_inc: m.scatter_reduce(x, 0, m.tensor([[1, 1], [0, 1]]), s,
                                                            r, include_self=i),
           lambda a, s, r=_red, i=_inc: _scatter_reduce_ref(a, 0, [[1, 1], [0, 1]], s, r, i),
           [((2, 3), (2, 2))], ("distinct",))
op("scatter_reduce_0d", lambda m, x, s: m.scatter_reduce(x, 0, m.tensor(0), s, "prod"),
   lambda a, s: a * s, [((), ())])
op("scatter_reduce_empty_index", lambda m, x, s: m.scatter_reduce(
    x, 1, m.tensor(np.zeros((3, 0), np.int64)), s, "amax", include_self=False),
   lambda a, s: a.copy(), [((3, 4), (3, 0))])
# ties: amax/amin share the gradient evenly among the entries equal to the result (as torch)
op("scatter_reduce_amax_ties", lambda m, x, s: x.scatter_reduce(0, m.tensor([0, 0, 1, 1]),
                                                                s * 0 + x[0], "amax"),
   lambda a, s: np.array([a[0], max(a[0], a[1])]), [((2,), (4,))], ("grid",),
   gradcheck=False)


def _with_zeros_src(rng, shape):  # values away from 0, then 0 at positions 0 and 3
    x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    x.reshape(-1)[[i for i in (0, 3) if i < x.size]] = 0.0
    return x


from .op_table import DOMAINS  # noqa: E402

DOMAINS.update(zeros_src=_with_zeros_src)
# prod with zeros: place 0 holds one and gets one from src, place 1 gets one from src (two
# zeros from src into one place: see test_index_extra_ops.py, torch has no second derivative)
for _inc in (True, False):
    op(f"scatter_reduce_prod_zeros[include_self={_inc}]",
       lambda m, x, s, i=_inc: m.scatter_reduce(x, 0, m.tensor([0, 0, 1, 1, 2]), s, "prod",
                                                include_self=i),
       lambda a, s, i=_inc: _scatter_reduce_ref(a, 0, [0, 0, 1, 1, 2], s, "prod", i),
       [((3,), (5,))], ("zeros_src",))


# ---------------------------------------------------------------------- as_strided
def _strided_ref(a, size, stride, offset=0):
    flat = np.ascontiguousarray(a).reshape(-1)
    return np.lib.stride_tricks.as_strided(flat[offset:], size,
                                           [s * flat.itemsize for s in stride]).copy()


op("as_strided", lambda m, x: m.as_strided(x, (3, 3), (1, 1), 2),  # overlapping windows
   lambda a: _strided_ref(a, (3, 3), (1, 1), 2), M34)
op("as_strided_transpose", lambda m, x: x.as_strided((4, 3), (1, 4)),
   lambda a: _strided_ref(a, (4, 3), (1, 4)), M34)
op("as_strided_zero_stride", lambda m, x: x.as_strided((2, 3, 2), (0, 2, 5), 1),
   lambda a: _strided_ref(a, (2, 3, 2), (0, 2, 5), 1), M34 + [((2, 6),)])
op("as_strided_0d_empty", lambda m, x: x.as_strided((), (), 11),
   lambda a: a.reshape(-1)[11], M34)
op("as_strided_empty", lambda m, x: x.as_strided((0, 2), (5, 5)),
   lambda a: np.zeros((0, 2), a.dtype), [((3, 4),), ((0, 3),)])

# ---------------------------------------------------------------------- layout and rescaling
op("moveaxis", lambda m, x: m.moveaxis(x, 0, -1), lambda a: np.moveaxis(a, 0, -1),
   [((2, 3, 4),), ((3,),), ((0, 2),)])
op("moveaxis_method", lambda m, x: x.moveaxis((0, 1), (2, 0)),
   lambda a: np.moveaxis(a, (0, 1), (2, 0)), [((2, 3, 4),)])
op("diagflat", lambda m, x: m.diagflat(x), lambda a: np.diagflat(a),
   [((3,),), ((2, 2),), ((),), ((0,),)])
op("diagflat_offset", lambda m, x: x.diagflat(-2), lambda a: np.diagflat(a, -2),
   [((3,),), ((1, 2),)])
for _size in [(1, 4), (4,), (3, 1), (1, 1), (3, 4)]:
    op(f"sum_to_size{list(_size)}", lambda m, x, s=_size: x.sum_to_size(*s),
       lambda a, s=_size: a.sum(axis=(0,) * (len(s) < 2) if len(s) < 2 else tuple(
           i for i, n in enumerate(s) if n == 1 and a.shape[i] != 1), keepdims=len(s) == 2)
       .reshape(s) if len(s) else a.sum(), M34)
op("sum_to_size_empty", lambda m, x: x.sum_to_size((1, 3)), lambda a: a.sum(0, keepdims=True),
   [((0, 3),)])


def _renorm_ref(a, p, dim, maxnorm):
    axes = tuple(i for i in range(a.ndim) if i != dim % a.ndim)
    if p == np.inf:
        norm = np.abs(a).max(axis=axes, keepdims=True)
    else:
        norm = (np.abs(a) ** p).sum(axis=axes, keepdims=True) ** (1 / p)
    return (a * np.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1)).astype(a.dtype)


for _p, _dim, _max in [(2, 0, 1.5), (1, 1, 2.0), (3, -1, 1.0), (np.inf, 1, 1.0),
                       (0.5, 0, 4.0), (2, 0, 0.0)]:
    op(f"renorm[p={_p},dim={_dim},maxnorm={_max}]",
       lambda m, x, p=_p, d=_dim, mx=_max: m.renorm(x, p, d, mx),
       lambda a, p=_p, d=_dim, mx=_max: _renorm_ref(a, p, d, mx),
       [((3, 4),), ((2, 3, 2),)], ("distinct" if _p == np.inf else "away0",))
# zero rows: torch's second derivative is NaN there (its norm's at 0), gradix's 0; the first
# derivative is compared with torch in test_index_extra_ops.py
op("renorm_method_zero_rows", lambda m, x: (x * m.tensor([[0.0], [1.0], [0.0]])).renorm(2, 0, 1),
   lambda a: _renorm_ref(a * np.array([[0.0], [1.0], [0.0]], a.dtype), 2, 0, 1), M34,
   torch_fn=False)
op("renorm_empty", lambda m, x: x.renorm(2, 1, 1.0), lambda a: a.copy(), [((0, 3),)])
