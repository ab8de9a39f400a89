"""Op-table rows for statistics, histograms, index helpers and random sampling: quantile, cov,
bincount, histc, isin, tril_indices, ... (see op_table.py). Cases the table can't express
(integer inputs, errors, sampling) are in test_stats_ops.py."""
import warnings

import numpy as np

from .op_table import DOMAINS, op

M35 = [((3, 5),)]
INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")
Q = np.array([0.0, 0.3, 0.5, 0.875, 1.0])


def _with_nans(rng, shape):  # distinct values, every third one (from the second) NaN
    x = DOMAINS["distinct"](rng, shape)
    x.reshape(-1)[1::3] = np.nan
    return x


def _probs(rng, shape):  # quantile levels away from the rank grid's kinks
    return rng.uniform(0.05, 0.95, shape)


DOMAINS.update(stats_nans=_with_nans, probs=_probs)


def _np_quantile(a, q, axis=None, keepdims=False, method="linear", nan=False):
    """NumPy's quantile with torch's nearest (half to even, which NumPy's 'nearest' also
    uses) and torch's layout: q's dimension first."""
    f = np.nanquantile if nan else np.quantile
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(f(a, q, axis=axis, keepdims=keepdims, method=method)).astype(a.dtype)


# ---------------------------------------------------------------------- quantiles
for _it in INTERPOLATIONS:
    op(f"quantile[{_it}]", lambda m, x, i=_it: m.quantile(x, 0.3, dim=1, interpolation=i),
       lambda a, i=_it: _np_quantile(a, 0.3, 1, method=i), M35 + [((4, 1),), ((2, 3, 4),)],
       ("distinct",))
    op(f"quantile_q_tensor[{_it}]",
       lambda m, x, i=_it: x.quantile(m.tensor(Q, dtype=x.dtype), dim=0, keepdim=True,
                                      interpolation=i),
       lambda a, i=_it: _np_quantile(a, Q.astype(a.dtype), 0, True, method=i), M35,
       ("distinct",))
    op(f"quantile_all[{_it}]", lambda m, x, i=_it: m.quantile(x, 0.625, interpolation=i),
       lambda a, i=_it: _np_quantile(a, 0.625, method=i), M35 + [((),), ((1,),)],
       ("distinct",))
    op(f"nanquantile[{_it}]", lambda m, x, i=_it: x.nanquantile(0.4, dim=1, interpolation=i),
       lambda a, i=_it: _np_quantile(a, 0.4, 1, method=i, nan=True), [((4, 6),)],
       ("stats_nans",))
op("quantile_nan", lambda m, x: m.quantile(x, 0.4, dim=0),
   lambda a: _np_quantile(a, 0.4, 0), [((3, 4),)], ("stats_nans",))
op("quantile_keepdim_all", lambda m, x: m.quantile(x, 0.5, keepdim=True),
   lambda a: _np_quantile(a, 0.5, keepdims=True), [((2, 3),)], ("distinct",))
op("quantile_0d_dim", lambda m, x: m.quantile(x, 0.5, dim=0), lambda a: a.copy(), [((),)])
op("quantile_grad_q", lambda m, x, q: m.quantile(x, q, dim=1),
   lambda a, q: _np_quantile(a, q, 1), [((3, 5), (4,)), ((3, 5), ())], ("distinct", "probs"))
op("nanquantile_grad_q", lambda m, x, q: m.nanquantile(x, q),
   lambda a, q: _np_quantile(a, q, nan=True), [((4, 6), (3,))], ("stats_nans", "probs"))

# ---------------------------------------------------------------------- covariance
FW = np.array([1, 2, 0, 3, 1])


def _np_cov(a, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.asarray(np.cov(a, **kw)).astype(np.result_type(a, *[
            w for w in kw.values() if isinstance(w, np.ndarray) and w.dtype.kind == "f"]))


op("cov", lambda m, x: m.cov(x), lambda a: _np_cov(a), M35 + [((5,),), ((1, 4),), ((4, 2),)])
op("cov_correction", lambda m, x: x.cov(correction=0), lambda a: _np_cov(a, ddof=0), M35)
op("cov_weights", lambda m, x, w: m.cov(x, fweights=m.tensor(FW), aweights=w, correction=2),
   lambda a, w: _np_cov(a, fweights=FW, aweights=w, ddof=2), [((3, 5), (5,)), ((5,), (5,))],
   ("real", "positive"))
op("cov_aweights", lambda m, x, w: m.cov(x, aweights=w), lambda a, w: _np_cov(a, aweights=w),
   [((2, 5), (5,))], ("real", "positive"))
op("corrcoef", lambda m, x: m.corrcoef(x).triu(1),
   lambda a: np.triu(np.corrcoef(a), 1).astype(a.dtype), M35 + [((2, 4),)])
op("corrcoef_1d", lambda m, x: x.corrcoef(), lambda a: np.array(1.0, a.dtype), [((5,),)])

# ---------------------------------------------------------------------- integration
op("trapezoid", lambda m, y: m.trapezoid(y), lambda a: np.trapezoid(a, axis=-1),
   M35 + [((4,),), ((2, 1),), ((3, 0, 2),)])
op("trapezoid_dx", lambda m, y: m.trapezoid(y, dx=0.25, dim=0),
   lambda a: np.trapezoid(a, dx=0.25, axis=0), M35)
op("trapezoid_x", lambda m, y, x: m.trapezoid(y, x, dim=0),
   lambda a, b: np.trapezoid(a, b, axis=0), [((3, 5), (3,)), ((3, 5), (3, 1)), ((4,), (4,))])
op("trapezoid_x_bcast", lambda m, y, x: m.trapezoid(y, x),
   lambda a, b: np.trapezoid(a, np.broadcast_to(b, a.shape), axis=-1), [((3, 5), (1, 5))])
op("cumulative_trapezoid", lambda m, y: m.cumulative_trapezoid(y),
   lambda a: np.cumsum((a[..., 1:] + a[..., :-1]) / 2, -1), M35 + [((4,),), ((2, 1),), ((2, 0),)])
op("cumulative_trapezoid_x", lambda m, y, x: m.cumulative_trapezoid(y, x, dim=0),
   lambda a, b: np.cumsum((a[1:] + a[:-1]) * np.diff(b)[:, None] / 2, 0), [((3, 5), (3,))])
op("cumulative_trapezoid_dx", lambda m, y: m.cumulative_trapezoid(y, dx=0.5),
   lambda a: np.cumsum((a[..., 1:] + a[..., :-1]) * 0.25, -1), M35)

# ---------------------------------------------------------------------- index helpers


def _torch_vander(m, x, N=None, increasing=False):  # noqa: N803
    """torch.vander's own backward writes in place (it fails); its formula, out of place."""
    n = x.shape[0] if N is None else N
    out = m.cat([m.ones(x.shape[0], min(n, 1), dtype=x.dtype),
                 m.cumprod(x.unsqueeze(1).expand(x.shape[0], max(n - 1, 0)), 1)], 1)
    return out if increasing else out.flip(1)


op("vander", lambda m, x: m.vander(x), lambda a: np.vander(a).astype(a.dtype),
   [((4,),), ((1,),), ((0,),)], torch_fn=_torch_vander)
op("vander_n_increasing", lambda m, x: m.vander(x, N=3, increasing=True),
   lambda a: np.vander(a, 3, increasing=True).astype(a.dtype), [((4,),)], ("zeros",),
   torch_fn=lambda m, x: _torch_vander(m, x, 3, True))
op("combinations", lambda m, x: m.combinations(x),
   lambda a: np.array([[a[i], a[j]] for i in range(len(a)) for j in range(i + 1, len(a))],
                      a.dtype).reshape(-1, 2), [((4,),), ((1,),), ((0,),)])
op("combinations_r3_replacement", lambda m, x: m.combinations(x, 3, with_replacement=True),
   lambda a: np.array([[a[i], a[j], a[k]] for i in range(len(a)) for j in range(i, len(a))
                       for k in range(j, len(a))], a.dtype).reshape(-1, 3), [((3,),)])
op("isin", lambda m, x, y: m.isin(x, y), np.isin, [((3, 4), (5,)), ((), (2, 2)), ((0,), (3,))],
   ("grid",), grad=False)
op("isin_invert_scalar", lambda m, x: m.isin(x, 0.5, invert=True),
   lambda a: ~np.isin(a, 0.5), [((3, 4),)], ("grid",), grad=False)
op("histc", lambda m, x: m.histc(x, bins=6, min=-2, max=2),
   lambda a: np.histogram(a, 6, (-2, 2))[0].astype(a.dtype), [((5, 4),), ((0,),), ((),)],
   ("offgrid",), grad=False)
op("histogram_edges", lambda m, x: m.histogram(x, m.tensor([-2.0, -0.6, 0.1, 1.0, 2.0],
                                                           dtype=x.dtype)),
   lambda a: tuple(v.astype(a.dtype) for v in np.histogram(a, [-2.0, -0.6, 0.1, 1.0, 2.0])),
   [((5, 4),)], ("offgrid",), grad=False)
