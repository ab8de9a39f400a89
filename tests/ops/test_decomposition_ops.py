"""gradix.linalg beyond the op table: errors as torch raises them (non-square, singular, not
positive-definite, integer dtypes), the named results, decompositions that rebuild their input,
determinants of singular matrices and their gradients, and gradients the table can't pose."""
import numpy as np
import pytest

import gradix
from gradix import linalg

RNG = np.random.default_rng(7)
A33 = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
SINGULAR = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])


def t(a, grad=False):
    return gradix.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _SQUARE_POWER(x):
    return linalg.matrix_power(x, 2)


SQUARE_OPS = [linalg.det, linalg.inv, linalg.slogdet, linalg.cholesky, linalg.eigh,
              linalg.eigvalsh, linalg.matrix_exp, gradix.logdet, gradix.inverse, _SQUARE_POWER,
              lambda x: linalg.solve(x, x)]


@pytest.mark.parametrize("fn", SQUARE_OPS)
def test_non_square_and_1d_inputs_are_refused(fn):
    with pytest.raises(ValueError, match="square"):
        fn(t(np.ones((2, 3))))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        fn(t(np.ones(3)))


@pytest.mark.parametrize("n", [0, 1, 2, -1])
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "float16"])
def test_matrix_power_takes_what_torch_takes(torch, n, dtype):
    """n >= 0 is a product, of any dtype matmul takes; n < 0 needs inv, so a float32/64 A."""
    a = np.array([[1, 2], [0, 1]])
    try:
        expected = torch.linalg.matrix_power(torch.tensor(a).to(getattr(torch, dtype)), n)
    except RuntimeError:
        with pytest.raises((TypeError, NotImplementedError)):
            linalg.matrix_power(gradix.tensor(a).to(getattr(gradix, dtype)), n)
        return
    got = linalg.matrix_power(gradix.tensor(a).to(getattr(gradix, dtype)), n)
    assert str(got.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


@pytest.mark.parametrize("fn", [f for f in SQUARE_OPS if f is not _SQUARE_POWER]
                         + [linalg.qr, linalg.svd, linalg.svdvals, linalg.pinv])
@pytest.mark.parametrize("dtype", [gradix.int64, gradix.int32, gradix.bool, gradix.float16])
def test_integer_bool_and_half_inputs_are_refused(fn, dtype):
    x = gradix.eye(3).to(dtype)
    with pytest.raises(TypeError, match="linalg|inverse|logdet"):
        fn(x)


def test_non_tensor_input_is_refused():
    with pytest.raises(TypeError, match="must be a Tensor"):
        linalg.det([[1.0, 0.0], [0.0, 1.0]])


def test_singular_matrices_raise_for_inv_and_solve_as_torch():
    for fn in (linalg.inv, gradix.inverse, lambda x: linalg.solve(x, t(np.ones(3))),
               lambda x: linalg.matrix_power(x, -2)):
        with pytest.raises(RuntimeError, match="singular"):
            fn(t(SINGULAR))


def test_cholesky_refuses_a_matrix_that_is_not_positive_definite():
    with pytest.raises(RuntimeError, match="positive-definite"):
        linalg.cholesky(t(-np.eye(2)))
    with pytest.raises(RuntimeError, match="positive-definite"):
        gradix.cholesky(t([[1.0, 2.0], [2.0, 1.0]]))


def test_argument_errors():
    with pytest.raises(ValueError, match="mode"):
        linalg.qr(t(A33), mode="full")
    with pytest.raises(ValueError, match="UPLO"):
        linalg.eigh(t(A33), UPLO="X")
    with pytest.raises(TypeError, match="n must be an int"):
        linalg.matrix_power(t(A33), 1.5)
    with pytest.raises(ValueError, match="doesn't fit"):
        linalg.solve(t(A33), t(np.ones((4, 2))))
    with pytest.raises(ValueError, match="ord"):
        linalg.matrix_norm(t(A33), 3)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        linalg.norm(t(np.ones((2, 2, 2))), ord=2)
    with pytest.raises(ValueError, match="empty"):
        linalg.vector_norm(t(np.ones((0, 3))), float("inf"))
    with pytest.raises(NotImplementedError, match="left=True"):
        linalg.solve(t(A33), t(A33), left=False)


def test_det_of_a_singular_matrix_is_zero_with_the_cofactor_gradient():
    x = t(SINGULAR, grad=True)
    d = linalg.det(x)
    assert d.item() == pytest.approx(0.0, abs=1e-12)
    d.backward()
    # the cofactor matrix (adjugate transposed), computed by hand
    cof = np.array([[np.linalg.det(np.delete(np.delete(SINGULAR, i, 0), j, 1)) * (-1) ** (i + j)
                     for j in range(3)] for i in range(3)])
    np.testing.assert_allclose(x.grad.numpy(), cof, atol=1e-12)
    sign, logabs = linalg.slogdet(t(SINGULAR))
    assert sign.item() == 0 and logabs.item() == -np.inf


def test_logdet_of_a_negative_determinant_is_nan():
    assert np.isnan(gradix.logdet(t(np.diag([1.0, -2.0]))).item())
    assert gradix.logdet(t(np.zeros((2, 2)))).item() == -np.inf


def test_named_results_and_dtypes():
    x = gradix.tensor(A33.astype(np.float32))
    s = linalg.slogdet(x)
    assert s.sign.dtype == gradix.float32 and s.logabsdet.dtype == gradix.float32
    e = linalg.eigh(x + x.mT)
    assert e.eigenvalues.shape == (3,) and e.eigenvectors.dtype == gradix.float32
    q = linalg.qr(x)
    assert q.Q.shape == (3, 3) and q.R.dtype == gradix.float32
    u = linalg.svd(gradix.tensor(np.ones((4, 2), np.float32)))
    assert (u.U.shape, u.S.shape, u.Vh.shape) == ((4, 4), (2,), (2, 2))
    assert linalg.qr(x, mode="r").Q.shape == (0,)
    for fn in (linalg.det, linalg.inv, linalg.matrix_exp, linalg.pinv, linalg.svdvals):
        assert fn(x).dtype == gradix.float32


def test_decompositions_rebuild_their_input():
    a = RNG.standard_normal((2, 4, 3))
    u, s, vh = linalg.svd(t(a), full_matrices=False)
    np.testing.assert_allclose(((u * s.unsqueeze(-2)) @ vh).numpy(), a, atol=1e-12)
    q, r = linalg.qr(t(a), mode="complete")
    np.testing.assert_allclose((q @ r).numpy(), a, atol=1e-12)
    np.testing.assert_allclose(r.numpy(), np.triu(r.numpy()))
    sym = a[0, :3] + a[0, :3].T
    values, vectors = linalg.eigh(t(sym))
    np.testing.assert_allclose((vectors * values.unsqueeze(-2) @ vectors.mT).numpy(), sym,
                               atol=1e-12)
    low = linalg.cholesky(t(sym @ sym.T + np.eye(3)))
    np.testing.assert_allclose((low @ low.mT).numpy(), sym @ sym.T + np.eye(3), atol=1e-12)
    np.testing.assert_allclose((linalg.inv(t(A33)) @ t(A33)).numpy(), np.eye(3), atol=1e-12)


def test_gauge_invariant_gradients_match_torch():
    """Gradients of sign-free functions of eigenvectors and singular vectors (torch's own
    test), on random inputs with distinct values."""
    torch = pytest.importorskip("torch")
    a = RNG.standard_normal((2, 4, 3))
    w = RNG.standard_normal((2, 4, 3))
    results = []
    for m in (gradix, torch):
        x = m.tensor(a, requires_grad=True)
        u, s, vh = m.linalg.svd(x, full_matrices=False)
        values, vectors = m.linalg.eigh(x.mT @ x)
        loss = ((u @ vh) * m.tensor(w)).sum() + (vectors.abs() * m.tensor(w[:, :3])).sum() \
            + (values * s).sum()
        results.append(m.autograd.grad(loss, x)[0].detach().numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-9, atol=1e-12)


def test_qr_backward_errors_as_torch():
    x = t(RNG.standard_normal((4, 3)), grad=True)
    with pytest.raises(RuntimeError, match="mode='r'"):
        linalg.qr(x, mode="r").R.sum().backward()
    with pytest.raises(RuntimeError, match="complete"):
        linalg.qr(x, mode="complete").R.sum().backward()


def test_pinv_tolerances_match_torch():
    torch = pytest.importorskip("torch")
    a = np.diag([3.0, 1e-3, 1e-9])
    for kwargs in ({}, {"atol": 1e-2}, {"rtol": 1e-2}, {"atol": 1e-12, "rtol": 0.0}):
        ours = linalg.pinv(t(a), **kwargs).numpy()
        theirs = torch.linalg.pinv(torch.tensor(a), **kwargs).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, err_msg=str(kwargs))
    np.testing.assert_allclose(gradix.pinverse(t(a), rcond=1e-2).numpy(),
                               torch.pinverse(torch.tensor(a), rcond=1e-2).numpy())


def test_matrix_power_zero_and_one_are_new_tensors():
    x = t(A33, grad=True)
    one = linalg.matrix_power(x, 1)
    assert one is not x
    np.testing.assert_array_equal(one.detach().numpy(), A33)
    eye = linalg.matrix_power(x, 0)
    np.testing.assert_array_equal(eye.detach().numpy(), np.eye(3))
    eye.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((3, 3)))


def test_negative_vector_norm_with_a_zero_is_zero_with_zero_gradient():
    x = t([[0.0, 1.0], [2.0, 4.0]], grad=True)
    y = linalg.vector_norm(x, -1.5, 1)
    y.sum().backward()
    assert y[0].item() == 0.0
    assert np.isfinite(x.grad.numpy()).all() and not x.grad.numpy()[0].any()
