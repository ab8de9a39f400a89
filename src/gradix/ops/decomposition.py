"""Determinants, inverses, solves and matrix decompositions with their gradients (public as
gradix.linalg).

Every op works on a matrix or a batch of them, (..., n, n) or (..., m, n). The forward runs
NumPy's or SciPy's LAPACK routines on the whole batch; the backward is written with gradix ops
(the rules of PyTorch's derivatives.yaml), so gradients of every order work. A decomposition
with several outputs (eigh, qr, svd, slogdet) records one node per output, each with the part
of the rule that its own gradient drives: the rules are linear in the output gradients, so the
engine's sum over the nodes is the whole rule. Gradients of eigenvectors and singular vectors
hold where the eigenvalues (singular values) are distinct, as in torch.
"""
import numbers
from collections import namedtuple

import numpy as np
import scipy.linalg

from .. import dtypes
from ..autograd import grad_mode
from ..autograd.function import Function
from ..tensor import Tensor, register
from ._errors import require_tensors
from .diagonal import diag_embed, diagonal, tril
from .elementwise import where
from .linalg import matmul
from .reduce import amax, amin, sum
from .reduce import norm as _vector_2norm
from .shape import cat, movedim, squeeze, unsqueeze

slogdet_result = namedtuple("slogdet", ["sign", "logabsdet"])
eigh_result = namedtuple("eigh", ["eigenvalues", "eigenvectors"])
qr_result = namedtuple("qr", ["Q", "R"])
svd_result = namedtuple("svd", ["U", "S", "Vh"])


# ---------------------------------------------------------------------- checks and helpers
def _matrices(op, a, square=True, any_dtype=False):
    """Checks that ``a`` is a floating (float32/float64) tensor of matrices, square ones with
    ``square``, as torch does; ``any_dtype`` lets every dtype through (products only)."""
    try:
        dtype, shape = a.dtype, a.shape
    except AttributeError:
        require_tensors(op, A=a)
        raise
    if not any_dtype and dtype.kind != "f":
        raise TypeError(f"{op}: expects a floating point tensor, got "
                        f"{dtypes.dtype_name(dtype)} (as torch, integer and bool tensors are "
                        f"refused); convert it with .float() or .double()")
    if not any_dtype and dtype.itemsize < 4:
        raise TypeError(f"{op}: low precision dtypes are not supported, got "
                        f"{dtypes.dtype_name(dtype)}; use float32 or float64")
    if len(shape) < 2:
        raise ValueError(f"{op}: A must have at least 2 dimensions (a matrix or a batch of "
                         f"matrices), got shape {tuple(shape)}")
    if square and shape[-1] != shape[-2]:
        raise ValueError(f"{op}: A must be a square matrix or a batch of them, got "
                         f"{shape[-2]} by {shape[-1]} matrices (shape {tuple(shape)})")


def _const(array):
    return Tensor._make(array, False, None)


def _eye_like(a, n):
    return _const(np.eye(n, dtype=a.dtype))


def _rows(x):
    """(..., n) -> (..., n, 1) is ``unsqueeze(x, -1)``; (..., n) -> (..., 1, n) this."""
    return unsqueeze(x, -2)


def _singular(op):
    return RuntimeError(f"{op}: the input matrix is singular (or numerically so), so it has no "
                        f"inverse; check the matrix, or use linalg.pinv or linalg.lstsq-like "
                        f"least squares instead")


# ---------------------------------------------------------------------- inv
class Inv(Function):
    def forward(self, a, op):
        try:
            self.y = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise _singular(op) from None
        return self.y

    def backward(self, gy):
        y = self.output(self.y)  # d(A^-1) = -A^-1 dA A^-1
        return -matmul(matmul(y.mT, gy), y.mT)


def inv(A):
    """The inverse of a square matrix (or of each in a batch); raises for a singular one."""
    _matrices("linalg.inv", A)
    return Inv.apply(A, op="linalg.inv")


@register("inverse")
def inverse(A):
    """The inverse of a square matrix (or of each in a batch), as linalg.inv."""
    _matrices("inverse", A)
    return Inv.apply(A, op="inverse")


# ---------------------------------------------------------------------- det, slogdet, logdet
def _cofactor(a):
    """The cofactor matrix det(A) A^-T of each matrix of ``a``, singular ones included, from
    the SVD A = U S Vh: det(U) det(Vh) U diag(prod_{j != i} s_j) Vh."""
    n = a.shape[-1]
    if n == 0 or a.size == 0:
        return np.zeros_like(a)
    u, s, vh = np.linalg.svd(a)
    ones = np.ones(s.shape[:-1] + (1,), a.dtype)
    left = np.cumprod(np.concatenate([ones, s[..., :-1]], -1), -1)   # prod_{j < i} s_j
    right = np.cumprod(np.concatenate([ones, s[..., :0:-1]], -1), -1)[..., ::-1]  # j > i
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return (u * (left * right * sign[..., None])[..., None, :]) @ vh


class Det(Function):
    def forward(self, a):
        self.y = np.linalg.det(a).astype(a.dtype)
        return self.y

    def backward(self, gy):
        a, = self.inputs
        g = unsqueeze(unsqueeze(gy, -1), -1)
        if grad_mode.is_grad_enabled():  # d det = det tr(A^-1 dA), itself differentiable
            y = unsqueeze(unsqueeze(self.output(self.y), -1), -1)
            return g * y * inv(a).mT
        return g * _const(_cofactor(a.data))  # first order: singular matrices too


@register("det")
def det(A):
    """The determinant of a square matrix (or of each in a batch); 0 for a singular one."""
    _matrices("linalg.det", A)
    return Det.apply(A)


class _SlogdetSign(Function):
    """The sign output of slogdet: piecewise constant, so its gradient is 0 (torch still marks
    it as requiring grad)."""

    def forward(self, a, sign):
        return sign

    def backward(self, gy):
        return self.inputs[0] * 0


class _Logabsdet(Function):
    def forward(self, a, logabsdet):
        return logabsdet

    def backward(self, gy):  # d log|det A| = tr(A^-1 dA)
        return unsqueeze(unsqueeze(gy, -1), -1) * inv(self.inputs[0]).mT


@register("slogdet")
def slogdet(A):
    """(sign, logabsdet): the sign of det(A) (0 if singular) and log |det(A)| (-inf if
    singular), computed without overflow."""
    _matrices("linalg.slogdet", A)
    sign, logabs = np.linalg.slogdet(A.data)
    sign, logabs = sign.astype(A.dtype), logabs.astype(A.dtype)
    return slogdet_result(_SlogdetSign.apply(A, sign=np.asarray(sign)),
                          _Logabsdet.apply(A, logabsdet=np.asarray(logabs)))


@register("logdet")
def logdet(A):
    """log det(A): NaN where det(A) < 0, -inf where it is 0 (as torch.logdet)."""
    _matrices("logdet", A)
    sign, logabs = slogdet(A)
    return where(_const(sign.data < 0), _const(np.array(np.nan, A.dtype)), logabs)


# ---------------------------------------------------------------------- solve
class Solve(Function):
    def forward(self, a, b):
        try:
            self.x = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise _singular("linalg.solve") from None
        return self.x

    def backward(self, gy):  # X = A^-1 B: gB = A^-T gX, gA = -gB X^T
        a = self.inputs[0]
        gb = Solve.apply(a.mT, gy)
        ga = -matmul(gb, self.output(self.x).mT) if self.needs_input_grad[0] else None
        return ga, gb


def solve(A, B, *, left=True):
    """The solution X of A X = B for a square, invertible A (batches broadcast). B is a batch of
    vectors when it is 1-D or has A's shape without the last dim, else of matrices."""
    _matrices("linalg.solve", A)
    try:
        b_dtype, b_shape = B.dtype, tuple(B.shape)
    except AttributeError:
        require_tensors("linalg.solve", B=B)
        raise
    if left is not True:
        raise NotImplementedError("linalg.solve: only left=True (A X = B) is supported; solve "
                                  "X A = B as linalg.solve(A.mT, B.mT).mT")
    if b_dtype != A.dtype:
        raise TypeError(f"linalg.solve: A and B must have the same dtype, got "
                        f"{dtypes.dtype_name(A.dtype)} and {dtypes.dtype_name(b_dtype)}")
    n = A.shape[-1]
    vector = len(b_shape) == 1 or (len(b_shape) == A.ndim - 1 and b_shape == tuple(A.shape[:-1]))
    rows = b_shape[-1] if vector else (b_shape[-2] if len(b_shape) >= 2 else None)
    if rows != n:
        raise ValueError(f"linalg.solve: B of shape {b_shape} doesn't fit A of shape "
                         f"{tuple(A.shape)}: B's {'last' if vector else 'second-to-last'} dim "
                         f"must be {n}")
    b = unsqueeze(B, -1) if vector else B
    try:
        np.broadcast_shapes(tuple(A.shape[:-2]), tuple(b.shape[:-2]))
    except ValueError:
        raise ValueError(f"linalg.solve: the batch dims of A {tuple(A.shape)} and B {b_shape} "
                         f"can't be broadcast") from None
    x = Solve.apply(A, b)
    return squeeze(x, -1) if vector else x


# ---------------------------------------------------------------------- cholesky
class Cholesky(Function):
    def forward(self, a, op, upper):
        self.upper = upper
        try:
            low = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise RuntimeError(f"{op}: the factorization could not be completed because the "
                               f"input is not positive-definite (of shape {a.shape}); "
                               f"cholesky needs a symmetric positive-definite matrix") from None
        self.y = low.swapaxes(-1, -2) if upper else low
        return self.y

    def backward(self, gy):
        # A = L L^T: gA = sym(L^-T phi(L^T gL) L^-1), phi = tril with half the diagonal
        low, g = self.output(self.y), gy
        if self.upper:
            low, g = low.mT, g.mT
        phi = tril(matmul(low.mT, g))
        phi = phi - diag_embed(diagonal(phi, 0, -2, -1)) * 0.5
        li = inv(low)
        ga = matmul(matmul(li.mT, phi), li)
        return (ga + ga.mT) * 0.5


def linalg_cholesky(A, *, upper=False):
    """linalg.cholesky: the Cholesky factor L (lower triangular, A = L L^T) of a symmetric
    positive-definite matrix, or U = L^T with ``upper=True``; raises where A isn't
    positive-definite. Only the lower triangle of A is read."""
    _matrices("linalg.cholesky", A)
    return Cholesky.apply(A, op="linalg.cholesky", upper=bool(upper))


@register("cholesky")
def cholesky(A, upper=False):
    """torch.cholesky / Tensor.cholesky: linalg.cholesky with ``upper`` positional."""
    _matrices("cholesky", A)
    return Cholesky.apply(A, op="cholesky", upper=bool(upper))


# ---------------------------------------------------------------------- factor outputs
class _Factor(Function):
    """One output of a decomposition computed once for all of them. ``rule(A, factors, grads)``
    is the decomposition's backward with ``grads`` (one per output) None except this output's;
    ``factors`` are constants in a first-order backward and recomputed from A (so recorded)
    when the backward itself is differentiated."""

    def forward(self, a, factors, index, rule, recompute):
        self.factors, self.index, self.rule, self.recompute = factors, index, rule, recompute
        return factors[index]

    def backward(self, gy):
        a, = self.inputs
        if grad_mode.is_grad_enabled():
            factors = self.recompute(a)
        else:
            factors = [_const(f) for f in self.factors]
        grads = [None] * len(factors)
        grads[self.index] = gy
        return self.rule(a, factors, grads)


def _factors(a, arrays, rule, recompute):
    return tuple(_Factor.apply(a, factors=arrays, index=i, rule=rule, recompute=recompute)
                 for i in range(len(arrays)))


def _off_diagonal_inverse(e):
    """1 / e off the diagonal of the last two dims, 0 on it."""
    n = e.shape[-1]
    mask = _const(np.eye(n, dtype=bool))
    return where(mask, 0.0, 1 / where(mask, 1.0, e))


# ---------------------------------------------------------------------- eigh
def _eigh_rule(a, factors, grads):
    # A = Q diag(L) Q^T: gA = Q (diag(gL) + F o skew(Q^T gQ) / 2) Q^T, F_ij = 1 / (L_j - L_i)
    values, q = factors
    g_values, g_q = grads
    if g_values is not None:
        inner = diag_embed(g_values)
    else:
        e = _rows(values) - unsqueeze(values, -1)
        qhgq = matmul(q.mT, g_q)  # its skew part: the gradient is symmetric, as torch's
        inner = (qhgq - qhgq.mT) * 0.5 * _off_diagonal_inverse(e)
    return matmul(matmul(q, inner), q.mT)


def eigh(A, UPLO="L"):
    """(eigenvalues, eigenvectors) of a symmetric matrix, eigenvalues ascending, A = Q diag(L)
    Q^T; only the triangle named by UPLO ('L' or 'U') is read. The eigenvectors' signs are
    arbitrary, and their gradient holds for distinct eigenvalues."""
    _matrices("linalg.eigh", A)
    uplo = _uplo("linalg.eigh", UPLO)
    values, vectors = np.linalg.eigh(A.data, uplo)
    return eigh_result(*_factors(A, (values, vectors), _eigh_rule,
                                 lambda a: tuple(eigh(a, uplo))))


def eigvalsh(A, UPLO="L"):
    """The eigenvalues of a symmetric matrix, ascending (see eigh)."""
    _matrices("linalg.eigvalsh", A)
    uplo = _uplo("linalg.eigvalsh", UPLO)
    values, vectors = np.linalg.eigh(A.data, uplo)
    return _Factor.apply(A, factors=(values, vectors), index=0, rule=_eigh_rule,
                         recompute=lambda a: tuple(eigh(a, uplo)))


def _uplo(op, uplo):
    if uplo not in ("L", "U", "l", "u"):
        raise ValueError(f"{op}: UPLO must be 'L' or 'U', got {uplo!r}")
    return uplo.upper()


# ---------------------------------------------------------------------- qr
def _copyltu(m):
    low = tril(m, -1)
    return low + low.mT + diag_embed(diagonal(m, 0, -2, -1))


def _qr_square_rule(q, r, gq, gr):
    """gA for A = QR with m >= n (Q m x n, R n x n): (gQ + Q copyltu(M)) R^-T,
    M = R gR^T - gQ^T Q."""
    if gq is None:
        m, b = matmul(r, gr.mT), matmul(q, _copyltu(matmul(r, gr.mT)))
    else:
        m = -matmul(gq.mT, q) if gr is None else matmul(r, gr.mT) - matmul(gq.mT, q)
        b = gq + matmul(q, _copyltu(m))
    return solve(r, b.mT).mT  # b R^-T


def _qr_rule(mode):
    def rule(a, factors, grads):
        if mode == "r":
            raise RuntimeError("linalg.qr: the derivative of linalg.qr depends on Q, which is "
                               "not computed when mode='r'; use mode='reduced' to "
                               "differentiate through it")
        q, r = factors
        gq, gr = grads
        rows, cols = a.shape[-2], a.shape[-1]
        if rows >= cols:
            if mode == "complete" and rows > cols:
                raise RuntimeError("linalg.qr: the QR decomposition is not differentiable "
                                   "when mode='complete' and A has more rows than columns")
            return _qr_square_rule(q, r, gq, gr)
        # m < n: A = [X | Y] with X = Q U square, R = [U | V], Y = Q V
        u = r[..., :, :rows]
        if gr is None:
            gx = _qr_square_rule(q, u, gq, None)
            return cat([gx, a[..., :, rows:] * 0], -1)
        gu, gv = gr[..., :, :rows], gr[..., :, rows:]
        y = a[..., :, rows:]
        gx = _qr_square_rule(q, u, matmul(y, gv.mT), gu)
        return cat([gx, matmul(q, gv)], -1)
    return rule


def qr(A, mode="reduced"):
    """(Q, R) with A = Q R, Q with orthonormal columns and R upper triangular: mode 'reduced'
    (Q m x k, R k x n, k = min(m, n)), 'complete' (Q m x m, R m x n) or 'r' (R only; Q is
    empty)."""
    _matrices("linalg.qr", A, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"linalg.qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    batch = A.shape[:-2]
    if A.data.size == 0 and not batch:  # NumPy can't factor an empty matrix
        m, n = A.shape[-2], A.shape[-1]
        k = m if mode == "complete" else min(m, n)
        q, r = np.eye(m, k, dtype=A.dtype), np.zeros((k, n), A.dtype)
    else:
        q, r = np.linalg.qr(A.data, "complete" if mode == "complete" else "reduced")
    if mode == "r":
        q = np.zeros((0,), A.dtype)
    return qr_result(*_factors(A, (q, r), _qr_rule(mode), lambda a: tuple(qr(a, mode))))


# ---------------------------------------------------------------------- svd
def _svd_rule(a, factors, grads):
    # Townsend's rule (torch's svd_backward) on the first k = min(m, n) singular vectors
    u, s, vh = factors
    gu, gs, gvh = grads
    k = s.shape[-1]
    u, vh = u[..., :, :k], vh[..., :k, :]
    if gs is not None:
        return matmul(u * _rows(gs), vh)
    v = vh.mT
    e = _rows(s * s) - unsqueeze(s * s, -1)  # E_ij = s_j^2 - s_i^2
    f = _off_diagonal_inverse(e)
    s_row = _rows(s)
    if gu is not None:
        gu = gu[..., :, :k]
        uhgu = matmul(u.mT, gu)
        inner = (uhgu - uhgu.mT) * f * s_row  # (skew(U^T gU) o F) S
        out = matmul(matmul(u, inner), vh)
        if a.shape[-2] > k:  # (I - U U^T) gU S^-1 V^T
            out = out + matmul((gu - matmul(u, uhgu)) / s_row, vh)
        return out
    gv = gvh[..., :k, :].mT
    vhgv = matmul(v.mT, gv)
    inner = unsqueeze(s, -1) * ((vhgv - vhgv.mT) * f)  # S (skew(V^T gV) o F)
    out = matmul(matmul(u, inner), vh)
    if a.shape[-1] > k:  # U S^-1 gV^T (I - V V^T)
        out = out + matmul(u / s_row, (gv - matmul(v, vhgv)).mT)
    return out


def _svd_arrays(a, full_matrices):
    m, n = a.shape[-2], a.shape[-1]
    if a.size == 0:
        k = min(m, n)
        batch = a.shape[:-2]
        mu, nv = (m, n) if full_matrices else (k, k)
        eye_u = np.broadcast_to(np.eye(m, mu, dtype=a.dtype), batch + (m, mu)).copy()
        eye_v = np.broadcast_to(np.eye(nv, n, dtype=a.dtype), batch + (nv, n)).copy()
        return eye_u, np.zeros(batch + (k,), a.dtype), eye_v
    return np.linalg.svd(a, full_matrices=full_matrices)


def svd(A, full_matrices=True):
    """(U, S, Vh) with A = U diag(S) Vh, S descending; full_matrices=False gives the reduced
    U (m x k) and Vh (k x n), k = min(m, n). The singular vectors' signs are arbitrary, and
    their gradient holds for distinct nonzero singular values."""
    _matrices("linalg.svd", A, square=False)
    full = bool(full_matrices)
    return svd_result(*_factors(A, _svd_arrays(A.data, full), _svd_rule,
                                lambda a: tuple(svd(a, full))))


def svdvals(A):
    """The singular values of A, descending (see svd)."""
    _matrices("linalg.svdvals", A, square=False)
    return _Factor.apply(A, factors=_svd_arrays(A.data, False), index=1, rule=_svd_rule,
                         recompute=lambda a: tuple(svd(a, False)))


# ---------------------------------------------------------------------- pinv
class Pinv(Function):
    def forward(self, a, atol, rtol, hermitian):
        m, n = a.shape[-2], a.shape[-1]
        if rtol is None:
            rtol = np.finfo(a.dtype).eps * max(m, n) if atol is None or atol <= 0 else 0.0
        atol = 0.0 if atol is None else atol
        if a.size == 0:
            self.y = np.zeros(a.shape[:-2] + (n, m), a.dtype)
            return self.y
        if hermitian:
            values, q = np.linalg.eigh(a)
            top = np.max(np.abs(values), -1, keepdims=True)
            keep = np.abs(values) > np.maximum(atol, rtol * top)
            inv_values = np.where(keep, 1 / np.where(keep, values, 1), 0)
            self.y = (q * inv_values[..., None, :]) @ q.swapaxes(-1, -2)
        else:
            u, s, vh = np.linalg.svd(a, full_matrices=False)
            keep = s > np.maximum(atol, rtol * s[..., :1])
            inv_s = np.where(keep, 1 / np.where(keep, s, 1), 0)
            self.y = (vh.swapaxes(-1, -2) * inv_s[..., None, :]) @ u.swapaxes(-1, -2)
        self.y = self.y.astype(a.dtype)
        return self.y

    def backward(self, gy):
        # dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P (constant rank)
        a, = self.inputs
        p = self.output(self.y)
        g = gy
        ap, pa = matmul(a, p), matmul(p, a)
        out = -matmul(matmul(p.mT, g), p.mT)
        out = out + matmul(g.mT - matmul(ap, g.mT), matmul(p, p.mT))
        return out + matmul(matmul(p.mT, p), g.mT - matmul(g.mT, pa))


def pinv(A, *, atol=None, rtol=None, hermitian=False):
    """The Moore-Penrose pseudo-inverse, from the SVD (the eigendecomposition with
    ``hermitian``): singular values at most max(atol, rtol * largest) count as zero; rtol
    defaults to eps * max(m, n) when neither is given (0 when only atol > 0 is)."""
    _matrices("linalg.pinv", A, square=bool(hermitian))
    for name, value in (("atol", atol), ("rtol", rtol)):
        if value is not None and not isinstance(value, numbers.Real):
            raise TypeError(f"linalg.pinv: {name} must be a number or None, got {value!r}")
    return Pinv.apply(A, atol=atol, rtol=rtol, hermitian=bool(hermitian))


@register("pinverse")
def pinverse(input, rcond=1e-15):  # noqa: A002  (torch's name)
    """The pseudo-inverse, as linalg.pinv(input, rtol=rcond)."""
    _matrices("pinverse", input, square=False)
    return Pinv.apply(input, atol=None, rtol=float(rcond), hermitian=False)


# ---------------------------------------------------------------------- matrix_power, matrix_exp
@register("matrix_power")
def matrix_power(A, n):
    """A multiplied by itself n times (the identity for n = 0; powers of inv(A) for n < 0).
    As in torch, n >= 0 takes any dtype that matmul takes, n < 0 a float32/float64 A."""
    _matrices("linalg.matrix_power", A, any_dtype=n >= 0 if isinstance(n, numbers.Integral)
              else False)
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"linalg.matrix_power: n must be an int, got {n!r} "
                        f"({type(n).__name__})")
    if n == 0:  # the identity, with a zero gradient (as torch)
        eye = _eye_like(A.data, A.shape[-1])
        return A * 0 + eye if A.dtype.kind == "f" else _const(
            np.broadcast_to(eye.data, A.shape).copy())
    if n == 1:
        return A.clone()
    base = inv(A) if n < 0 else A
    n = abs(int(n))
    result = None
    while n:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result


class MatrixExp(Function):
    def forward(self, a):
        if a.size == 0:
            return a.copy()
        return np.asarray(scipy.linalg.expm(a)).astype(a.dtype)

    def backward(self, gy):
        # the upper-right block of exp([[A^T, G], [0, A^T]]) (torch's rule)
        a, = self.inputs
        n = a.shape[-1]
        at = a.mT
        big = cat([cat([at, gy], -1), cat([at * 0, at], -1)], -2)
        return matrix_exp(big)[..., :n, n:]


@register("matrix_exp")
def matrix_exp(A):
    """The matrix exponential sum_k A^k / k! (SciPy's Pade approximation)."""
    _matrices("linalg.matrix_exp", A)
    return MatrixExp.apply(A)


# ---------------------------------------------------------------------- norms
def _dims(op, x, dim, count):
    dims = (dim,) if isinstance(dim, numbers.Integral) else tuple(dim)
    if len(dims) != count:
        raise ValueError(f"{op}: dim must name {count} dimension(s), got {dim!r}")
    rank = max(x.ndim, 1)
    out = []
    for d in dims:
        if not isinstance(d, numbers.Integral) or not -rank <= d < rank:
            raise IndexError(f"{op}: dim {d!r} is out of range for a tensor of shape "
                             f"{tuple(x.shape)} (expected an int in [{-rank}, {rank - 1}])")
        out.append(int(d) % rank)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: dims {dim!r} name one dimension twice")
    return tuple(out)


def _norm_input(op, x, dtype):
    try:
        kind = x.dtype.kind
    except AttributeError:
        require_tensors(op, x=x)
        raise
    if dtype is not None:
        x = x.to(dtype)
    elif kind != "f":
        raise TypeError(f"{op}: expects a floating point tensor, got "
                        f"{dtypes.dtype_name(x.dtype)}; convert it with .float()")
    return x


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):  # noqa: A002
    """The vector ord-norm over ``dim`` (an int, a tuple, or None for all elements): ord inf
    (largest |x|), -inf (smallest), 0 (number of nonzeros) or any other real p:
    (sum |x|^p)^(1/p)."""
    x = _norm_input("linalg.vector_norm", x, dtype)
    if isinstance(ord, str) or not isinstance(ord, numbers.Real):
        raise TypeError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    if dim is not None:
        dim = _dims("linalg.vector_norm", x, dim, 1 if isinstance(dim, numbers.Integral)
                    else len(dim))
    # all dims for dim None or (), and a 0-d x takes dim 0 or -1
    axes = range(x.ndim) if not dim or x.ndim == 0 else dim
    if int(np.prod([x.shape[d] for d in axes])) == 0 and (ord < 0 or ord == float("inf")):
        raise ValueError(f"linalg.vector_norm: the ord={ord} norm over an empty dimension is "
                         f"undefined (the operation has no identity), shape {tuple(x.shape)}")
    if ord >= 0 or ord == float("-inf"):
        return _vector_2norm(x, ord, dim, keepdim)
    # a negative p: (sum |x|^p)^(1/p), and 0 (with gradient 0, as torch) where a slice holds 0
    zero = x == 0
    has_zero = sum(zero, dim, keepdim) > 0
    r = sum(where(zero, 1.0, x.abs()) ** ord, dim, keepdim) ** (1.0 / ord)
    return where(has_zero, 0.0, r)


_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf"))


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):  # noqa: A002
    """The matrix ord-norm over the two dims ``dim``: 'fro' (Frobenius), 'nuc' (sum of singular
    values), 2 / -2 (largest / smallest singular value), 1 / -1 (largest / smallest column sum
    of |A|), inf / -inf (largest / smallest row sum)."""
    A = _norm_input("linalg.matrix_norm", A, dtype)
    if A.ndim < 2:
        raise ValueError(f"linalg.matrix_norm: A must have at least 2 dimensions, got shape "
                         f"{tuple(A.shape)}")
    if isinstance(ord, bool) or ord not in _MATRIX_ORDS:
        raise ValueError(f"linalg.matrix_norm: ord must be one of 'fro', 'nuc', inf, -inf, 1, "
                         f"-1, 2, -2, got {ord!r}")
    rows, cols = _dims("linalg.matrix_norm", A, dim, 2)
    if ord == "fro":
        return _vector_2norm(A, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):
        s = svdvals(movedim(A, (rows, cols), (-2, -1)))
        # nuc, and 2 of no singular values (an empty matrix): 0, as torch
        empty = ord == 2 and s.shape[-1] == 0
        out = sum(s, -1) if ord == "nuc" or empty else (amax if ord == 2 else amin)(s, -1)
        if keepdim:
            for d in sorted((rows, cols)):
                out = unsqueeze(out, d)
        return out
    if ord in (1, -1):  # column sums, then the extreme over columns
        rows, cols = cols, rows
    pick = amax if ord in (1, float("inf")) else amin
    if pick is amax and A.shape[rows] == 0:  # the largest of no sums: 0, as torch
        pick = sum
    out = pick(sum(A.abs(), cols, keepdim=True), rows, keepdim=True)
    return out if keepdim else squeeze(squeeze(out, max(rows, cols)), min(rows, cols))


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):  # noqa: A002
    """linalg.norm: a vector norm (dim an int, or ord given for a 1-D A, or neither given: the
    2-norm of all elements) or a matrix norm (dim two dims, or ord given for a 2-D A)."""
    if dim is not None:
        matrix = not isinstance(dim, numbers.Integral) and len(dim) == 2
    else:
        ndim = getattr(A, "ndim", None)
        if ord is not None and ndim not in (1, 2):
            raise ValueError(f"linalg.norm: without dim, ord needs a 1-D or 2-D input, got "
                             f"shape {tuple(getattr(A, 'shape', ()))}")
        matrix = ord is not None and ndim == 2
    if matrix:
        return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim,
                           keepdim, dtype=dtype)
    if isinstance(ord, str):
        raise ValueError(f"linalg.norm: ord {ord!r} is a matrix norm, but the norm asked for "
                         f"is a vector norm; pass dim with two dims")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
