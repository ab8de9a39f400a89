"""Op-table rows for gradix.linalg: determinants, inverses, solves and decompositions (see
op_table.py). Eigenvectors and singular vectors have arbitrary signs, so their rows look at
sign-free functions of them (squares, products like U Vh), as torch's own tests do; eigh reads
one triangle, so its rows symmetrize the input first. Errors, integer dtypes and the rest are
in test_decomposition_ops.py."""
import warnings

import numpy as np

from .op_table import DOMAINS, op


def _wellcond(rng, shape):
    """Random matrices, shifted by 3 I where square: far from singular, distinct values."""
    x = rng.standard_normal(shape)
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        x = x + 3 * np.eye(shape[-1])
    return x


DOMAINS.update(wellcond=_wellcond)

SQ = [((3, 3),), ((2, 3, 3),), ((0, 3, 3),), ((1, 1),), ((0, 0),)]
SQ_SMALL = [((3, 3),), ((2, 3, 3),)]
RECT = [((4, 3),), ((3, 3),), ((3, 5),), ((2, 4, 3),)]
MAT = [((2, 3, 4),), ((3, 3),)]
W = ("wellcond",)
INF = float("inf")


def _spd(m, x):  # symmetric positive-definite
    return x @ x.mT + m.eye(x.shape[-1], dtype=x.dtype)


def _spd_np(a):
    return a @ a.swapaxes(-1, -2) + np.eye(a.shape[-1], dtype=a.dtype)


def _sym(x):
    return x + x.mT


def _sym_np(a):
    return a + a.swapaxes(-1, -2)


def _L(m):
    return m.linalg


def _slogdet(a):
    return tuple(np.linalg.slogdet(a))


def _logdet(a):
    s, v = np.linalg.slogdet(a)
    return np.where(s < 0, np.nan, v).astype(a.dtype)


# ---------------------------------------------------------------------- det, inv, solve
op("linalg_det", lambda m, x: _L(m).det(x), np.linalg.det, SQ, W)
op("det_method", lambda m, x: x.det(), np.linalg.det, SQ_SMALL, W)
op("linalg_slogdet", lambda m, x: tuple(_L(m).slogdet(x)), _slogdet, SQ, W)
op("slogdet_fn", lambda m, x: tuple(m.slogdet(x)), _slogdet, SQ_SMALL, W)
op("logdet", lambda m, x: m.logdet(_spd(m, x)), lambda a: _logdet(_spd_np(a)), SQ)
op("logdet_method", lambda m, x: x.logdet(), _logdet, SQ_SMALL, W)
op("linalg_inv", lambda m, x: _L(m).inv(x), np.linalg.inv, SQ, W)
op("inverse", lambda m, x: x.inverse(), np.linalg.inv, SQ_SMALL, W)
op("inverse_fn", lambda m, x: m.inverse(x), np.linalg.inv, SQ_SMALL[:1], W)
op("linalg_solve", lambda m, a, b: _L(m).solve(a, b), np.linalg.solve,
   [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 4)), ((2, 3, 3), (3, 1)), ((3, 3), (2, 3, 2)),
    ((0, 3, 3), (0, 3, 2)), ((1, 1), (1, 3))], W)
op("linalg_solve_vector", lambda m, a, b: _L(m).solve(a, b),
   lambda a, b: np.linalg.solve(a, b[..., None])[..., 0] if b.ndim > 1
   else np.linalg.solve(a, b), [((3, 3), (3,)), ((2, 3, 3), (2, 3)), ((2, 3, 3), (3,))], W)

# ---------------------------------------------------------------------- cholesky
op("linalg_cholesky", lambda m, x: _L(m).cholesky(_spd(m, x)),
   lambda a: np.linalg.cholesky(_spd_np(a)), SQ)
op("linalg_cholesky_upper", lambda m, x: _L(m).cholesky(_spd(m, x), upper=True),
   lambda a: np.linalg.cholesky(_spd_np(a)).swapaxes(-1, -2), SQ_SMALL)
def _old_cholesky(m, x):
    """x's old-style Tensor.cholesky(upper=True), without torch's deprecation warning for it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".*torch.cholesky is deprecated")
        return _spd(m, x).cholesky(True)


op("cholesky_method", _old_cholesky,
   lambda a: np.linalg.cholesky(_spd_np(a)).swapaxes(-1, -2), SQ_SMALL[:1])

# ---------------------------------------------------------------------- qr
op("linalg_qr", lambda m, x: tuple(_L(m).qr(x)), lambda a: tuple(np.linalg.qr(a)), RECT)
op("linalg_qr_complete", lambda m, x: tuple(_L(m).qr(x, mode="complete")),
   lambda a: tuple(np.linalg.qr(a, "complete")), [((3, 3),), ((3, 5),), ((2, 2, 4),)])
op("linalg_qr_r", lambda m, x: _L(m).qr(x, mode="r").R, lambda a: np.linalg.qr(a, "r"),
   [((4, 3),)], grad=False)
op("linalg_qr_Q", lambda m, x: _L(m).qr(x).Q, lambda a: np.linalg.qr(a)[0], RECT[:3])
op("linalg_qr_R", lambda m, x: _L(m).qr(x).R, lambda a: np.linalg.qr(a)[1], RECT[:3])

# ---------------------------------------------------------------------- eigh


def _eigh_np(a, uplo="L"):
    values, vectors = np.linalg.eigh(_sym_np(a), uplo)
    return values, vectors ** 2


op("linalg_eigh", lambda m, x: (_L(m).eigh(_sym(x))[0], _L(m).eigh(_sym(x))[1] ** 2),
   _eigh_np, [((3, 3),), ((2, 4, 4),), ((0, 3, 3),), ((1, 1),)])
op("linalg_eigh_vectors", lambda m, x: _L(m).eigh(_sym(x)).eigenvectors ** 2,
   lambda a: _eigh_np(a)[1], SQ_SMALL)
op("linalg_eigh_upper", lambda m, x: tuple(_L(m).eigh(_sym(x), UPLO="U"))[1] ** 2,
   lambda a: _eigh_np(a, "U")[1], SQ_SMALL[:1])
op("linalg_eigvalsh", lambda m, x: _L(m).eigvalsh(_sym(x)),
   lambda a: np.linalg.eigvalsh(_sym_np(a)), SQ)
op("linalg_eigh_triangle", lambda m, x: _L(m).eigh(x)[1] ** 2,
   lambda a: np.linalg.eigh(a)[1] ** 2, SQ_SMALL[:1], gradcheck=False)
op("linalg_eigvalsh_triangle", lambda m, x: _L(m).eigvalsh(x, UPLO="U"),
   lambda a: np.linalg.eigvalsh(a, "U"), SQ_SMALL[:1],
   gradcheck=False)  # reads one triangle; its gradient is the symmetric one, as torch's

# ---------------------------------------------------------------------- svd


def _svd_parts(m, x, full):
    u, s, vh = _L(m).svd(x, full_matrices=full)
    k = s.shape[-1]
    return s, u[..., :k] ** 2, vh[..., :k, :] ** 2, u[..., :k] @ vh[..., :k, :]


def _svd_parts_np(a, full):
    u, s, vh = np.linalg.svd(a, full_matrices=full)
    k = s.shape[-1]
    return s, u[..., :k] ** 2, vh[..., :k, :] ** 2, u[..., :k] @ vh[..., :k, :]


op("linalg_svd", lambda m, x: _svd_parts(m, x, False), lambda a: _svd_parts_np(a, False),
   RECT + [((0, 3, 2),)])
op("linalg_svd_full", lambda m, x: _svd_parts(m, x, True), lambda a: _svd_parts_np(a, True),
   RECT + [((1, 1),), ((3, 1),)])
op("linalg_svd_U", lambda m, x: _svd_parts(m, x, False)[1], lambda a: _svd_parts_np(a, False)[1],
   RECT[:3])
op("linalg_svd_Vh", lambda m, x: _svd_parts(m, x, False)[2],
   lambda a: _svd_parts_np(a, False)[2], RECT[:3])
op("linalg_svdvals", lambda m, x: _L(m).svdvals(x), lambda a: np.linalg.svd(a, compute_uv=False),
   RECT + [((0, 3, 2),)])

# ---------------------------------------------------------------------- pinv, powers, exp
op("linalg_pinv", lambda m, x: _L(m).pinv(x), np.linalg.pinv, RECT + [((0, 3, 2),)])
op("pinverse", lambda m, x: x.pinverse(), np.linalg.pinv, RECT[:1])
op("linalg_pinv_hermitian", lambda m, x: _L(m).pinv(_sym(x), hermitian=True),
   lambda a: np.linalg.pinv(_sym_np(a), hermitian=True), SQ_SMALL, W)
for _n in (0, 1, 2, 3, -1, -2):
    op(f"linalg_matrix_power_{_n}".replace("-", "m"),
       lambda m, x, n=_n: _L(m).matrix_power(x, n),
       lambda a, n=_n: np.linalg.matrix_power(a, n), SQ_SMALL + [((0, 2, 2),)], W)
op("matrix_power_method", lambda m, x: x.matrix_power(3),
   lambda a: np.linalg.matrix_power(a, 3), SQ_SMALL[:1], W)


def _expm(a):
    import scipy.linalg
    return np.asarray(scipy.linalg.expm(a)).astype(a.dtype) if a.size else a.copy()


op("linalg_matrix_exp", lambda m, x: _L(m).matrix_exp(x), _expm, SQ)
op("matrix_exp_method", lambda m, x: x.matrix_exp(), _expm, SQ_SMALL[:1])

# ---------------------------------------------------------------------- norms


def _matrix_norm_np(a, o, dims=(-2, -1), keepdims=False):
    return np.linalg.norm(a, o, axis=dims, keepdims=keepdims)


for _o in ("fro", "nuc", 1, -1, 2, -2, INF, -INF):
    op(f"linalg_matrix_norm_{_o}", lambda m, x, o=_o: _L(m).matrix_norm(x, o),
       lambda a, o=_o: _matrix_norm_np(a, o), MAT)
op("linalg_matrix_norm_dims", lambda m, x: _L(m).matrix_norm(x, 1, dim=(2, 0), keepdim=True),
   lambda a: _matrix_norm_np(a, 1, (2, 0), True), MAT[:1])
op("linalg_matrix_norm_nuc_dims", lambda m, x: _L(m).matrix_norm(x, "nuc", (0, 2), True),
   lambda a: _matrix_norm_np(a, "nuc", (0, 2), True), MAT[:1])


def _vector_norm_np(a, o, axis=None, keepdims=False):
    axis = tuple(range(a.ndim)) if axis is None else axis
    if o == 0:
        return np.sum(a != 0, axis=axis, keepdims=keepdims).astype(a.dtype)
    if o in (INF, -INF):
        return (np.max if o > 0 else np.min)(np.abs(a), axis=axis, keepdims=keepdims)
    return (np.sum(np.abs(a) ** o, axis=axis, keepdims=keepdims) ** (1 / o)).astype(a.dtype)


for _o in (2, 1, 3, 0.5, INF, -INF, -1, -2.5):
    op(f"linalg_vector_norm_{_o}", lambda m, x, o=_o: _L(m).vector_norm(x, o),
       lambda a, o=_o: _vector_norm_np(a, o), [((2, 3, 4),), ((),), ((5,),)],
       ("away0",))
op("linalg_vector_norm_dim", lambda m, x: _L(m).vector_norm(x, 3, dim=(0, 2), keepdim=True),
   lambda a: _vector_norm_np(a, 3, (0, 2), True), [((2, 3, 4),), ((2, 0, 4),)])
op("linalg_vector_norm_0", lambda m, x: _L(m).vector_norm(x, 0, 1),
   lambda a: _vector_norm_np(a, 0, 1), [((2, 3, 4),)], ("zeros",))
op("linalg_norm", lambda m, x: _L(m).norm(x), lambda a: _vector_norm_np(a, 2),
   [((2, 3, 4),), ((0, 3),), ((),)])
op("linalg_norm_matrix", lambda m, x: _L(m).norm(x, "nuc"), lambda a: _matrix_norm_np(a, "nuc"),
   [((3, 4),)])
op("linalg_norm_dims", lambda m, x: _L(m).norm(x, INF, dim=(1, 2)),
   lambda a: _matrix_norm_np(a, INF, (1, 2)), [((2, 3, 4),)])
op("linalg_norm_vector", lambda m, x: _L(m).norm(x, 3, dim=-1, keepdim=True),
   lambda a: _vector_norm_np(a, 3, -1, True), [((2, 3, 4),)], ("away0",))
