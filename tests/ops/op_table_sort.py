"""Op-table rows for sorting and order statistics, cumulative and nan-aware reductions (see
op_table.py). Cases the table can't express (integer and bool inputs, ties, errors, the Tensor
conveniences) are in test_sort_ops.py."""
import warnings

import numpy as np

from .op_table import DOMAINS, R3, UNARY, op


def _with_nans(rng, shape):  # real values, every third one (from the second) NaN
    x = rng.standard_normal(shape)
    x.reshape(-1)[1::3] = np.nan
    return x


def _very_negative(rng, shape):  # logcumsumexp far below exp's float range
    return rng.standard_normal(shape) - 1000.0


DOMAINS.update(with_nans=_with_nans, very_negative=_very_negative)

M34 = [((3, 4),)]
EDGE = [((),), ((0, 3),), ((1, 4),)]  # 0-d, empty, a size-1 axis


def _sorted(a, axis=-1, descending=False):
    """(values, indices) of a stable sort along axis, NaN last (first when descending), as
    torch's: Python's sorted, row by row."""
    if a.ndim == 0:
        return a.copy(), np.array(0)
    rows = np.moveaxis(a, axis, -1)

    def order(row):
        if descending:
            return sorted(range(row.size), key=lambda i: (not np.isnan(row[i]), -row[i]))
        return sorted(range(row.size), key=lambda i: (bool(np.isnan(row[i])), row[i]))
    flat = rows.reshape(int(np.prod(rows.shape[:-1])), rows.shape[-1])
    i = np.moveaxis(np.array([order(r) for r in flat], np.int64).reshape(rows.shape), -1, axis)
    return np.take_along_axis(a, i, axis), i


def _first(pair, axis, start, stop):
    return tuple(np.take(p, range(start, stop), axis) for p in pair)


def _lower_median(a, ignore_nan=False):
    """The lower median of all of a: NaN when a holds NaN (with ignore_nan, none else) or is
    empty."""
    flat = np.sort(a.reshape(-1))
    if ignore_nan:
        flat = flat[~np.isnan(flat)]
    if not flat.size or np.isnan(flat[-1]):
        return np.array(np.nan, a.dtype)
    return flat[(flat.size - 1) // 2]


def _median_dim(a, axis, keepdims=False):
    """(values, indices) of the lower median along axis (no NaN: see test_sort_ops.py)."""
    values, indices = _first(_sorted(a, axis), axis, (a.shape[axis] - 1) // 2,
                             (a.shape[axis] + 1) // 2)
    return (values, indices) if keepdims else (values.squeeze(axis), indices.squeeze(axis))


def _rows(pick, a):
    """(values, indices) of ``pick(row) -> (value, index)`` over each row of a's last axis."""
    picked = [pick(row) for row in a.reshape(-1, a.shape[-1])]
    return (np.array([v for v, _ in picked], a.dtype).reshape(a.shape[:-1]),
            np.array([i for _, i in picked], np.int64).reshape(a.shape[:-1]))


def _mode_row(row):
    """The smallest of the most frequent values, and its last index (torch's CPU kernel)."""
    u, c = np.unique(row, return_counts=True)
    return u[np.argmax(c)], np.flatnonzero(row == u[np.argmax(c)])[-1]


def _nanmedian_row(row):  # distinct values, not all NaN
    v = _lower_median(row, ignore_nan=True)
    return v, np.flatnonzero(row == v)[0]


def _running(ufunc, a, axis):
    """(values, indices) of cummax / cummin: the last index of the running extreme so far."""
    values = ufunc.accumulate(a, axis)
    indices = np.zeros(a.shape, np.int64)
    for pos in np.ndindex(a.shape):
        prefix = list(pos)
        prefix[axis] = slice(0, pos[axis] + 1)
        hits = np.flatnonzero((a[tuple(prefix)] == values[pos]) | np.isnan(a[tuple(prefix)]))
        indices[pos] = hits[-1]
    return values, indices


def _cumprod_ref(a, axis):
    return np.cumprod(a, axis).astype(a.dtype).reshape(a.shape)  # 0-d stays 0-d


def _var_mean(a, axis=None, ddof=1, keepdims=False, root=False):
    v = (np.std if root else np.var)(a, axis=axis, ddof=ddof, keepdims=keepdims)
    return v, np.mean(a, axis=axis, keepdims=keepdims)


def _no_dof_warning(f):
    """f(m, x) without torch's warning that var of an empty tensor has no degrees of freedom
    (the row checks the result)."""
    def call(m, x):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", ".*degrees of freedom is <= 0")
            return f(m, x)
    return call


BOUNDS = np.array([-1.0, -0.25, 0.5, 1.5])  # bucket boundaries, none on the grid of _offgrid
SORTED_ROWS = np.array([[-1.0, 0.0, 0.5], [-0.5, 1.5, 2.0], [0.0, 0.5, 1.0]])

# ---------------------------------------------------------------------- sorting
for _d, _desc in [(-1, False), (0, True), (1, True)]:
    op(f"sort[dim={_d},descending={_desc}]",
       lambda m, x, d=_d, s=_desc: tuple(x.sort(d, s)),
       lambda a, d=_d, s=_desc: _sorted(a, d, s), M34 + [((2, 0),), ((4, 1),)], ("distinct",))
op("sort_fn_stable", lambda m, x: tuple(m.sort(x, stable=True)), _sorted,
   [((5,),), ((),), ((2, 3, 4),), ((0,),), ((1,),)], ("distinct",))
op("sort_ties", lambda m, x: tuple(m.sort(x, dim=0, stable=True)), lambda a: _sorted(a, 0),
   M34, ("grid",), gradcheck=False)
op("sort_nan", lambda m, x: tuple(x.sort(stable=True, descending=True)),
   lambda a: _sorted(a, -1, True), M34, ("with_nans",), gradcheck=False)
op("argsort", lambda m, x: x.argsort(dim=0), lambda a: _sorted(a, 0)[1], M34 + EDGE,
   ("distinct",), grad=False)
op("argsort_descending_ties", lambda m, x: m.argsort(x, descending=True, stable=True),
   lambda a: _sorted(a, -1, True)[1], M34 + [((),)], ("grid",), grad=False)
op("msort", lambda m, x: m.msort(x), lambda a: _sorted(a, 0)[0], M34 + [((4,),)] + EDGE,
   ("distinct",))
op("topk", lambda m, x: tuple(x.topk(2)), lambda a: _first(_sorted(a, -1, True), -1, 0, 2),
   M34 + [((2, 3, 4),), ((0, 3),), ((1, 2),)], ("distinct",))
op("topk_smallest_dim0", lambda m, x: tuple(m.topk(x, 3, dim=0, largest=False)),
   lambda a: _first(_sorted(a, 0), 0, 0, 3), M34 + [((3, 0),), ((3, 1),)], ("distinct",))
op("topk_all", lambda m, x: tuple(x.topk(4, sorted=True)),
   lambda a: _sorted(a, -1, True), M34, ("distinct",))
op("topk_none", lambda m, x: tuple(x.topk(0, dim=1)),
   lambda a: _first(_sorted(a, 1, True), 1, 0, 0), M34 + [((3, 0),), ((0, 2),)], ("distinct",))
op("topk_0d", lambda m, x: tuple(x.topk(1)), _sorted, [((),)])
op("kthvalue", lambda m, x: tuple(x.kthvalue(2)),
   lambda a: tuple(p[..., 1] for p in _sorted(a)), M34 + [((0, 3),), ((1, 2),)], ("distinct",))
op("kthvalue_dim_keepdim", lambda m, x: tuple(m.kthvalue(x, 3, dim=0, keepdim=True)),
   lambda a: _first(_sorted(a, 0), 0, 2, 3), M34 + [((3, 0),), ((3, 1),)], ("distinct",))
op("kthvalue_0d", lambda m, x: tuple(x.kthvalue(1, 0)), _sorted, [((),)])
op("kthvalue_size1", lambda m, x: tuple(x.kthvalue(1)),
   lambda a: tuple(p[..., 0] for p in _sorted(a)), [((4, 1),), ((1,),)])

# ---------------------------------------------------------------------- medians and mode
op("median", lambda m, x: x.median(), _lower_median, M34 + [((5,),), ((),), ((1, 1),)],
   ("distinct",))
op("median_ties", lambda m, x: m.median(x), _lower_median, M34, ("grid",), gradcheck=False)
op("median_nan", lambda m, x: x.median(), _lower_median, M34, ("with_nans",), gradcheck=False)
op("nanmedian", lambda m, x: x.nanmedian(), lambda a: _lower_median(a, True),
   M34 + [((),), ((1, 2),)], ("with_nans",))
for _d, _k in [(1, False), (0, True), (-1, False)]:
    op(f"median[dim={_d},keepdim={_k}]", lambda m, x, d=_d, k=_k: tuple(x.median(d, k)),
       lambda a, d=_d, k=_k: _median_dim(a, d, k), R3 + M34, ("distinct",))
op("median_dim_0d", lambda m, x: tuple(m.median(x, 0)), lambda a: (a, np.array(0)), [((),)])
op("median_dim_edge", lambda m, x: tuple(x.median(-1)), lambda a: _median_dim(a, -1),
   [((0, 3),), ((2, 0, 3),), ((4, 1),)], ("distinct",))
op("nanmedian_dim", lambda m, x: tuple(m.nanmedian(x, 1)), lambda a: _rows(_nanmedian_row, a),
   M34 + [((0, 3),), ((1, 4),)], ("with_nans",))
op("nanmedian_dim_0d", lambda m, x: tuple(x.nanmedian(-1, True)), lambda a: (a, np.array(0)),
   [((),)])
# the mode's index is the last of equal values: finite differences can't see its gradient
op("mode", lambda m, x: tuple(x.mode()), lambda a: _rows(_mode_row, a),
   [((3, 6),), ((4, 5),), ((0, 3),), ((4, 1),)], ("grid",), gradcheck=False)
op("mode_dim0_keepdim", lambda m, x: tuple(m.mode(x, 0, True)),
   lambda a: tuple(p[None] for p in _rows(_mode_row, a.T)), [((7, 3),), ((7, 0),), ((1, 3),)],
   ("grid",), gradcheck=False)
op("mode_0d", lambda m, x: tuple(x.mode(0)), lambda a: (a, np.array(0)), [((),)])

# ---------------------------------------------------------------------- distinct values, searching
op("unique", lambda m, x: m.unique(x, return_inverse=True, return_counts=True),
   lambda a: np.unique(a, return_inverse=True, return_counts=True),
   [((3, 4),), ((0,),), ((0, 3),), ((1,),)], ("grid",), grad=False)
op("unique_values", lambda m, x: x.unique(sorted=False), np.unique, M34 + [((),)], ("grid",),
   grad=False)
op("unique_dim", lambda m, x: m.unique((x > 0).long(), dim=1, return_inverse=True),
   lambda a: np.unique((a > 0).astype(np.int64), axis=1, return_inverse=True),
   [((2, 6),), ((2, 0),), ((1, 6),)], ("grid",), grad=False)


def _consecutive(a, axis=None):
    """unique_consecutive's (values, inverse, counts), along axis or of the flattened a."""
    rows = a.reshape(-1) if axis is None else np.moveaxis(a, axis, 0)
    starts = np.ones(len(rows), bool)
    starts[1:] = (rows[1:] != rows[:-1]).any(axis=tuple(range(1, rows.ndim)))
    values = rows[starts] if axis is None else np.compress(starts, a, axis)
    inverse = (np.cumsum(starts) - 1).reshape(a.shape if axis is None else -1)
    return values, inverse, np.diff(np.r_[np.flatnonzero(starts), len(rows)])


op("unique_consecutive", lambda m, x: m.unique_consecutive(
    x.clamp(0, 0.5), return_inverse=True, return_counts=True),
    lambda a: _consecutive(np.clip(a, 0, 0.5)), [((3, 4),), ((),), ((0, 3),)], ("grid",),
    grad=False)
op("unique_consecutive_dim", lambda m, x: x.clamp(0, 0.5).unique_consecutive(
    return_counts=True, return_inverse=True, dim=0),
    lambda a: _consecutive(np.clip(a, 0, 0.5), 0), [((6, 2),), ((0, 2),), ((1, 2),)],
    ("grid",), grad=False)
op("searchsorted", lambda m, x: m.searchsorted(m.tensor(BOUNDS), x),
   lambda a: np.searchsorted(BOUNDS, a), M34 + [((),), ((0, 3),), ((1,),)], ("offgrid",),
   grad=False)
op("searchsorted_right_rows", lambda m, x: m.searchsorted(
    m.tensor(SORTED_ROWS), x, right=True, out_int32=True),
    lambda a: np.stack([np.searchsorted(s, r, "right") for s, r in zip(SORTED_ROWS, a)])
    .astype(np.int32), [((3, 5),), ((3, 0),), ((3, 1),)], ("grid",), grad=False)
op("bucketize", lambda m, x: m.bucketize(x, m.tensor(BOUNDS), right=True),
   lambda a: np.searchsorted(BOUNDS, a, "right"), M34 + EDGE, ("offgrid",), grad=False)
for _n in (0, 1):  # no boundaries, or one: every value in bucket 0, or in 0 or 1
    op(f"searchsorted[{_n}_bounds]", lambda m, x, n=_n: m.searchsorted(m.tensor(BOUNDS[:n]), x),
       lambda a, n=_n: np.searchsorted(BOUNDS[:n], a), [((3,),), ((),)], ("offgrid",),
       grad=False)
    op(f"bucketize[{_n}_bounds]", lambda m, x, n=_n: m.bucketize(x, m.tensor(BOUNDS[:n])),
       lambda a, n=_n: np.searchsorted(BOUNDS[:n], a), [((3,),), ((),)], ("offgrid",),
       grad=False)

# ---------------------------------------------------------------------- cumulative
for _d in (0, 1, -1):
    op(f"cumprod[dim={_d}]", lambda m, x, d=_d: x.cumprod(d),
       lambda a, d=_d: _cumprod_ref(a, d), M34 + [((2, 0),), ((1, 4),)])
    op(f"cumprod_zeros[dim={_d}]", lambda m, x, d=_d: m.cumprod(x, d),
       lambda a, d=_d: _cumprod_ref(a, d), M34 + [((5, 5),)], ("zeros",))
    for _name, _ufunc in (("cummax", np.maximum), ("cummin", np.minimum)):
        op(f"{_name}[dim={_d}]", lambda m, x, n=_name, d=_d: tuple(getattr(x, n)(d)),
           lambda a, u=_ufunc, d=_d: _running(u, a, d), M34 + [((1, 4),)], ("distinct",))
    op(f"logcumsumexp[dim={_d}]", lambda m, x, d=_d: x.logcumsumexp(d),
       lambda a, d=_d: np.logaddexp.accumulate(a, d), M34 + [((2, 0),), ((1, 4),)])
op("cumprod_1d", lambda m, x: m.cumprod(x, 0), lambda a: _cumprod_ref(a, 0), [((6,),), ((),)],
   ("zeros",))
for _name, _ufunc in (("cummax", np.maximum), ("cummin", np.minimum)):
    op(f"{_name}_ties", lambda m, x, n=_name: tuple(getattr(m, n)(x, 1)),
       lambda a, u=_ufunc: _running(u, a, 1), M34, ("grid",), gradcheck=False)
    op(f"{_name}_nan", lambda m, x, n=_name: tuple(getattr(m, n)(x, 1)),
       lambda a, u=_ufunc: _running(u, a, 1), M34, ("with_nans",), gradcheck=False)
    op(f"{_name}_0d", lambda m, x, n=_name: tuple(getattr(x, n)(0)),
       lambda a: (a, np.array(0)), [((),)])
op("logcumsumexp_very_negative", lambda m, x: m.logcumsumexp(x, 0),
   lambda a: np.logaddexp.accumulate(a, 0), [((5,),)], ("very_negative",))
op("logcumsumexp_large", lambda m, x: m.logcumsumexp(x, 1),
   lambda a: np.logaddexp.accumulate(a, 1), M34, ("large",))
op("logcumsumexp_0d", lambda m, x: x.logcumsumexp(-1), lambda a: a, [((),)])

# ------------------------------------------------------------------ nan-aware and other reductions
for _d, _k in [(None, False), (1, False), ((0, 2), True)]:
    _tag = f"[dim={_d},keepdim={_k}]"
    op("nansum" + _tag, lambda m, x, d=_d, k=_k: x.nansum(dim=d, keepdim=k),
       lambda a, d=_d, k=_k: np.nansum(a, axis=d, keepdims=k), R3, ("with_nans",))
    op("nanmean" + _tag, lambda m, x, d=_d, k=_k: m.nanmean(x, dim=d, keepdim=k),
       lambda a, d=_d, k=_k: np.nanmean(a, axis=d, keepdims=k), R3, ("with_nans",))
    op("count_nonzero" + _tag, lambda m, x, d=_d: x.count_nonzero(d),
       lambda a, d=_d: np.asarray(np.count_nonzero(a, axis=d)), R3, ("grid",), grad=False)
    for _c in (0, 1):
        op(f"var_mean[correction={_c}]" + _tag,
           lambda m, x, d=_d, k=_k, c=_c: m.var_mean(x, d, keepdim=k, correction=c),
           lambda a, d=_d, k=_k, c=_c: _var_mean(a, d, c, k), R3)
        op(f"std_mean[correction={_c}]" + _tag,
           lambda m, x, d=_d, k=_k, c=_c: m.std_mean(x, dim=d, keepdim=k, correction=c),
           lambda a, d=_d, k=_k, c=_c: _var_mean(a, d, c, k, root=True), R3)
op("nansum_plain", lambda m, x: m.nansum(x), np.sum, UNARY)
op("nansum_dim_edge", lambda m, x: x.nansum(-1), lambda a: np.nansum(a, -1),
   [((),), ((3, 0),), ((0, 3),), ((2, 1, 3),)], ("with_nans",))
op("nanmean_plain", lambda m, x: x.nanmean(), np.mean, UNARY[:2])
# an empty slice's mean is NaN: see test_sort_ops.py
op("nanmean_dim_edge", lambda m, x: m.nanmean(x, 0, keepdim=True),
   lambda a: np.mean(a, 0, keepdims=True) if a.ndim else a, [((),), ((3, 0),), ((1, 4),)])
op("count_nonzero_edge", lambda m, x: m.count_nonzero(x, -1),
   lambda a: np.asarray(np.count_nonzero(a, -1)), [((),), ((0, 3),), ((3, 0),), ((2, 1, 3),)],
   ("grid",), grad=False)
op("count_nonzero_all_edge", lambda m, x: x.count_nonzero(),
   lambda a: np.asarray(np.count_nonzero(a)), [((),), ((0, 3),), ((1,),)], ("grid",), grad=False)
# var is NaN or inf where N - correction <= 0, std has a kink where it is 0: see test_sort_ops.py
op("var_mean_0d", lambda m, x: m.var_mean(x, correction=0), lambda a: _var_mean(a, ddof=0),
   [((),)])
op("var_mean_edge", _no_dof_warning(lambda m, x: m.var_mean(x, -1)), lambda a: _var_mean(a, -1),
   [((0, 3),), ((1, 4),), ((2, 1, 3),)])
op("std_mean_edge", _no_dof_warning(lambda m, x: m.std_mean(x, 0, keepdim=True)),
   lambda a: _var_mean(a, 0, keepdims=True, root=True), [((3, 0),), ((4, 1),)])
op("var_mean_unbiased_false", lambda m, x: m.var_mean(x, 1, False),
   lambda a: _var_mean(a, 1, 0), M34)
op("std_mean_unbiased", lambda m, x: m.std_mean(x, True), lambda a: _var_mean(a, root=True), M34)
for _d, _k in [(None, False), (None, True), (1, False), (0, True), (-1, False)]:
    op(f"aminmax[dim={_d},keepdim={_k}]",
       lambda m, x, d=_d, k=_k: tuple(x.aminmax(dim=d, keepdim=k)),
       lambda a, d=_d, k=_k: (np.min(a, axis=d, keepdims=k), np.max(a, axis=d, keepdims=k)),
       R3, ("distinct",))
op("aminmax_ties", lambda m, x: tuple(m.aminmax(x, dim=1)),
   lambda a: (np.min(a, axis=1), np.max(a, axis=1)), M34, ("grid",), gradcheck=False)
op("aminmax_0d", lambda m, x: tuple(m.aminmax(x)), lambda a: (a, a), [((),)])
op("aminmax_dim_edge", lambda m, x: tuple(x.aminmax(dim=-1)),
   lambda a: (np.min(a, axis=-1), np.max(a, axis=-1)), [((0, 3),), ((4, 1),)], ("distinct",))
op("diff", lambda m, x: x.diff(), lambda a: np.diff(a), M34 + [((1,),), ((2, 0),), ((0, 3),)])
op("diff_n2_dim0", lambda m, x: m.diff(x, n=2, dim=0), lambda a: np.diff(a, 2, 0),
   M34 + [((2, 3),)])
op("diff_n_beyond", lambda m, x: m.diff(x, 5), lambda a: np.diff(a, 5), M34)
op("diff_prepend_append", lambda m, x, p, q: m.diff(x, dim=0, prepend=p, append=q),
   lambda a, p, q: np.diff(np.concatenate([p, a, q]), axis=0), [((3, 4), (1, 4), (2, 4))])
op("diff_prepend", lambda m, x, p: m.diff(x, 2, prepend=p), lambda a, p: np.diff(a, 2, prepend=p),
   [((3, 4), (3, 2))])

# ---------------------------------------------------------------------- top-level softmax
op("softmax_fn", lambda m, x: m.softmax(x, 1), lambda a: np.exp(a) / np.exp(a).sum(
    1, keepdims=True), M34)
op("log_softmax_fn", lambda m, x: m.log_softmax(x, dim=0),
   lambda a: a - np.log(np.exp(a).sum(0, keepdims=True)), M34)
