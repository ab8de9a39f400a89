"""Op-table rows for the products beyond matmul: addmm, baddbmm, addbmm, addmv, addr, mv,
inner, vdot, ger, tensordot, kron, cross, block_diag, cdist, dist, cartesian_prod (see
op_table.py). Errors, integer and bool inputs, cross without dim, cdist against torch.cdist
itself and the in-place forms are in test_products_ops.py."""
import numpy as np
import scipy.linalg

from .op_table import BCAST, op

INF = float("inf")


def _pnorm(d, p, axis=None):
    """The p-norm of d over axis (all of d when None), as the sum or extreme it is."""
    a = np.abs(d)
    if p == INF:
        out = np.max(a, axis=axis, initial=0)
    elif p == -INF:
        out = np.min(a, axis=axis, initial=INF)
    elif p == 0:
        out = np.sum(a != 0, axis=axis)
    else:
        out = np.sum(a ** p, axis=axis) ** (1 / p)
    return np.asarray(out, d.dtype)


def _cdist(x1, x2, p):
    return _pnorm(x1[..., :, None, :] - x2[..., None, :, :], p, -1)


def _cdist_torch(p):
    """torch's cdist as a composition (its own backward has no derivative: torch's
    _cdist_backward has none), for the rows' second-derivative check; torch.cdist itself is
    compared in test_products_ops.py."""
    def f(m, x1, x2):
        return m.linalg.vector_norm(x1.unsqueeze(-2) - x2.unsqueeze(-3), ord=p, dim=-1)
    return f


# ---------------------------------------------------------------------- addmm and its kin
ADDMM = [((2, 4), (2, 3), (3, 4)), ((4,), (2, 3), (3, 4)), ((), (2, 3), (3, 4)),
         ((2, 1), (2, 3), (3, 4)), ((1, 4), (2, 0), (0, 4)), ((0, 4), (0, 3), (3, 4)),
         ((1,), (1, 1), (1, 1))]
op("addmm", lambda m, c, a, b: m.addmm(c, a, b), lambda c, a, b: c + a @ b, ADDMM)
op("addmm_scaled", lambda m, c, a, b: c.addmm(a, b, beta=0.5, alpha=-2),
   lambda c, a, b: 0.5 * c + -2 * (a @ b), ADDMM[:4])
op("addmm_beta0", lambda m, c, a, b: m.addmm(c, a, b, beta=0, alpha=1.5),
   lambda c, a, b: (1.5 * (a @ b)).astype(a.dtype), ADDMM[:3])
BADDBMM = [((2, 2, 4), (2, 2, 3), (2, 3, 4)), ((4,), (2, 2, 3), (2, 3, 4)),
           ((1, 1, 4), (2, 2, 3), (2, 3, 4)), ((), (2, 2, 3), (2, 3, 4)),
           ((2, 4), (0, 2, 3), (0, 3, 4)), ((1, 2, 4), (1, 2, 0), (1, 0, 4))]
op("baddbmm", lambda m, c, a, b: m.baddbmm(c, a, b), lambda c, a, b: c + a @ b, BADDBMM)
op("baddbmm_scaled", lambda m, c, a, b: c.baddbmm(a, b, beta=-1, alpha=0.25),
   lambda c, a, b: -c + 0.25 * (a @ b), BADDBMM[:3])
ADDBMM = [((2, 4), (3, 2, 5), (3, 5, 4)), ((4,), (3, 2, 5), (3, 5, 4)),
          ((), (3, 2, 5), (3, 5, 4)), ((2, 1), (0, 2, 5), (0, 5, 4)),
          ((1, 1), (1, 1, 1), (1, 1, 1))]
op("addbmm", lambda m, c, a, b: m.addbmm(c, a, b),
   lambda c, a, b: c + (a @ b).sum(0), ADDBMM)
op("addbmm_scaled", lambda m, c, a, b: c.addbmm(a, b, beta=2, alpha=-0.5),
   lambda c, a, b: 2 * c - 0.5 * (a @ b).sum(0), ADDBMM[:3])
ADDMV = [((2,), (2, 3), (3,)), ((), (2, 3), (3,)), ((1,), (2, 3), (3,)),
         ((2,), (2, 0), (0,)), ((0,), (0, 3), (3,))]
op("addmv", lambda m, c, a, v: m.addmv(c, a, v), lambda c, a, v: c + a @ v, ADDMV)
op("addmv_scaled", lambda m, c, a, v: c.addmv(a, v, beta=3, alpha=0.5),
   lambda c, a, v: 3 * c + 0.5 * (a @ v), ADDMV[:3])
ADDR = [((2, 3), (2,), (3,)), ((3,), (2,), (3,)), ((), (2,), (3,)), ((2, 1), (2,), (3,)),
        ((0, 3), (0,), (3,)), ((1, 1), (1,), (1,))]
op("addr", lambda m, c, a, b: m.addr(c, a, b), lambda c, a, b: c + np.outer(a, b), ADDR)
op("addr_scaled", lambda m, c, a, b: c.addr(a, b, beta=0.5, alpha=2),
   lambda c, a, b: 0.5 * c + 2 * np.outer(a, b), ADDR[:4])
op("addr_beta0", lambda m, c, a, b: m.addr(c, a, b, beta=0),
   lambda c, a, b: np.outer(a, b), ADDR[:2])

# ---------------------------------------------------------------------- vector products
op("mv", lambda m, a, v: m.mv(a, v), np.matmul,
   [((2, 3), (3,)), ((0, 3), (3,)), ((2, 0), (0,)), ((1, 1), (1,))])
op("mv_method", lambda m, a, v: a.mv(v), np.matmul, [((4, 3), (3,))])
op("inner", lambda m, a, b: m.inner(a, b), np.inner,
   [((2, 3), (4, 3)), ((3,), (3,)), ((), (2, 3)), ((2, 3), ()), ((2, 1, 3), (3,)),
    ((0, 3), (2, 3)), ((2, 0), (0,)), ((1,), (2, 1))])
op("inner_method", lambda m, a, b: a.inner(b), np.inner, [((2, 3), (2, 3))])
op("vdot", lambda m, a, b: m.vdot(a, b), np.vdot, [((4,), (4,)), ((0,), (0,)), ((1,), (1,))])
op("vdot_method", lambda m, a, b: a.vdot(b), np.vdot, [((3,), (3,))])
op("ger", lambda m, a, b: m.ger(a, b), np.outer, [((3,), (4,)), ((0,), (2,))])
op("ger_method", lambda m, a, b: a.ger(b), np.outer, [((2,), (1,))])

# ---------------------------------------------------------------------- tensordot, kron
_TENSORDOTS = [  # (dims, shapes, NumPy's axes)
    (2, ((2, 3, 4), (3, 4, 5)), 2), (1, ((2, 3), (3, 4)), 1), (0, ((2,), (3,)), 0),
    (0, ((), (3,)), 0), (0, ((), ()), 0), (2, ((3, 4), (3, 4)), 2),
    (1, ((2, 0), (0, 3)), 1), (1, ((0, 2), (2, 3)), 1),
    (([1, 0], [0, 2]), ((3, 4, 5), (4, 6, 3)), ([1, 0], [0, 2])),
    (([-1], [-2]), ((2, 3), (3, 4)), ([1], [0])),
    (([2, 0], [1, 2]), ((2, 1, 3), (4, 3, 2)), ([2, 0], [1, 2])),
    (((0,), (0,)), ((3, 2), (3,)), ([0], [0])),
    (([], []), ((2,), (3,)), 0),
]
for _dims, _shapes, _axes in _TENSORDOTS:
    op(f"tensordot[{_dims}]", lambda m, a, b, d=_dims: m.tensordot(a, b, dims=d),
       lambda a, b, x=_axes: np.tensordot(a, b, x), [_shapes])
op("tensordot_default", lambda m, a, b: m.tensordot(a, b), np.tensordot,
   [((2, 3, 4), (3, 4, 2))])
# a contracted size of 1 broadcasts against the other's size (the other is summed there)
op("tensordot_size1", lambda m, a, b: m.tensordot(a, b, dims=([1], [0])),
   lambda a, b: np.tensordot(a.sum(1, keepdims=True), b, ([1], [0])),
   [((2, 3), (1, 4)), ((2, 1), (1, 4))])
op("tensordot_size1_other", lambda m, a, b: m.tensordot(a, b, dims=([0, 1], [1, 0])),
   lambda a, b: np.tensordot(a, b.sum(0, keepdims=True), ([0, 1], [1, 0])),
   [((2, 1), (3, 2))])
op("kron", lambda m, a, b: m.kron(a, b), np.kron,
   [((2, 3), (4,)), ((), (4,)), ((3,), ()), ((2,), (3,)), ((2, 1, 2), (3, 2)),
    ((0, 2), (2, 2)), ((2, 2), (2, 3)), ((1,), (1, 1))])
op("kron_method", lambda m, a, b: a.kron(b), np.kron, [((2, 2), (2, 2))])

# ---------------------------------------------------------------------- cross
for _dim, _shapes in [(-1, [((4, 3), (4, 3)), ((4, 3), (1, 3)), ((2, 0, 3), (2, 0, 3)),
                            ((2, 1, 3), (1, 4, 3))]),
                      (0, [((3,), (3,)), ((3, 2), (3, 1)), ((3, 1), (3, 2))]),
                      (1, [((2, 3, 2), (2, 3, 2)), ((1, 3), (4, 3))])]:
    op(f"cross[dim={_dim}]", lambda m, a, b, d=_dim: m.cross(a, b, dim=d),
       lambda a, b, d=_dim: np.cross(a, b, axis=d), _shapes)
op("cross_method", lambda m, a, b: a.cross(b, dim=-1), lambda a, b: np.cross(a, b),
   [((2, 3), (2, 3))])

# ---------------------------------------------------------------------- block_diag
for _shapes in [((2, 3), (3,), (), (0, 2)), ((2, 2),), ((1, 1), (2, 3)), ((0,), (2, 0)),
                ((3,), (2,))]:
    op(f"block_diag{len(_shapes)}", lambda m, *ts: m.block_diag(*ts), scipy.linalg.block_diag,
       [_shapes])

# ---------------------------------------------------------------------- distances
for _p in [2.0, 1.0, INF, 3.0, 0.5]:
    op(f"cdist[p={_p}]", lambda m, a, b, p=_p: m.cdist(a, b, p=p),
       lambda a, b, p=_p: _cdist(a, b, p),
       [((4, 3), (5, 3)), ((2, 1, 4, 3), (3, 5, 3)), ((0, 3), (2, 3)), ((1, 1), (1, 1)),
        ((2, 3, 2), (2, 0, 2))], torch_fn=_cdist_torch(_p))
# over 25 rows, p=2 takes the matrix-product path (torch.cdist's too)
op("cdist_mm", lambda m, a, b: m.cdist(a, b), lambda a, b: _cdist(a, b, 2),
   [((30, 3), (4, 3)), ((2, 3, 3), (1, 27, 3))])
op("cdist_p0", lambda m, a, b: m.cdist(a, b, p=0), lambda a, b: _cdist(a, b, 0),
   [((4, 3), (5, 3))], torch_fn=_cdist_torch(0))
def _dist_torch(p):
    """torch's dist as vector_norm: torch's own dist has no gradient at p=0 (its backward
    returns an undefined tensor there)."""
    return lambda m, a, b: m.linalg.vector_norm(a - b, ord=p)


EMPTY_BCAST = ((0, 3), (1, 3))
for _p in [2, 1, INF, -INF, 3, 0.5, 0]:
    # no empty case for inf and -inf (refused, as torch refuses it), nor for p=3, where torch's
    # second derivative with respect to the upstream gradient is NaN instead of 0
    op(f"dist[p={_p}]", lambda m, a, b, p=_p: m.dist(a, b, p=p),
       lambda a, b, p=_p: _pnorm(a - b, p),
       [s for s in BCAST if s != EMPTY_BCAST or _p in (2, 1, 0.5, 0)],
       torch_fn=_dist_torch(0) if _p == 0 else None)
op("dist_method", lambda m, a, b: a.dist(b), lambda a, b: _pnorm(a - b, 2), [((3, 4), (4,))])

# ---------------------------------------------------------------------- cartesian_prod
for _shapes in [((2,), (3,)), ((2,), (3,), (2,)), ((4,),), ((0,), (2,)), ((1,), (1,))]:
    op(f"cartesian_prod{len(_shapes)}", lambda m, *ts: m.cartesian_prod(*ts),
       lambda *xs: (xs[0] if len(xs) == 1 else np.stack(
           np.meshgrid(*xs, indexing="ij"), -1).reshape(-1, len(xs))), [_shapes])
