"""Numerical stability where it matters: sigmoid, softplus and logsumexp at large |x|, values and
gradients compared with closed forms computed stably in NumPy (and torch when installed)."""
import numpy as np
import pytest

import gradix

BIG = np.array([-1e4, -50.0, -1.0, 0.0, 1.0, 50.0, 1e4])


def _stable_sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


@pytest.mark.parametrize("dtype", [gradix.float32, gradix.float64])
def test_sigmoid_large_inputs(dtype):
    x = gradix.tensor(BIG, dtype=dtype, requires_grad=True)
    with np.errstate(all="raise"):
        y = x.sigmoid()
        y.sum().backward()
    s = _stable_sigmoid(BIG)
    assert np.isfinite(y.detach().numpy()).all() and np.isfinite(x.grad.numpy()).all()
    np.testing.assert_allclose(y.detach().numpy(), s.astype(dtype), rtol=1e-6, atol=0)
    np.testing.assert_allclose(x.grad.numpy(), (s * (1 - s)).astype(dtype), rtol=1e-5, atol=1e-30)


@pytest.mark.parametrize("dtype", [gradix.float32, gradix.float64])
def test_softplus_large_inputs(dtype):
    x = gradix.tensor(BIG, dtype=dtype, requires_grad=True)
    y = gradix.softplus(x)
    y.sum().backward()
    expected = np.maximum(BIG, 0) + np.log1p(np.exp(-np.abs(BIG)))
    assert np.isfinite(y.detach().numpy()).all() and np.isfinite(x.grad.numpy()).all()
    np.testing.assert_allclose(y.detach().numpy(), expected.astype(dtype), rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(x.grad.numpy(), _stable_sigmoid(BIG).astype(dtype), rtol=1e-6,
                               atol=1e-30)


@pytest.mark.parametrize("dtype", [gradix.float32, gradix.float64])
def test_logsumexp_large_values(dtype):
    a = np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0], [1e4, 1e4, 1e4]])
    x = gradix.tensor(a, dtype=dtype, requires_grad=True)
    y = x.logsumexp(dim=1)
    g = np.array([0.5, -1.0, 2.0])
    y.backward(gradix.tensor(g, dtype=dtype))
    m = a.max(axis=1, keepdims=True)
    expected = (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]
    softmax = np.exp(a - expected[:, None])
    assert np.isfinite(y.detach().numpy()).all() and np.isfinite(x.grad.numpy()).all()
    np.testing.assert_allclose(y.detach().numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), g[:, None] * softmax, rtol=1e-5, atol=1e-7)


def test_std_of_constant_slice_has_zero_gradient_like_torch():
    x = gradix.tensor([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]], dtype=gradix.float64,
                      requires_grad=True)
    x.std(dim=1).sum().backward()
    a = x.detach().numpy()
    d = a[1] - a[1].mean()
    np.testing.assert_array_equal(x.grad.numpy()[0], 0.0)
    np.testing.assert_allclose(x.grad.numpy()[1], d / (2 * np.sqrt((d * d).sum() / 2)),
                               rtol=1e-12)


@pytest.mark.filterwarnings("ignore:divide by zero")  # log(0) of an all -inf slice
def test_logsumexp_with_minus_inf():
    x = gradix.tensor([[-np.inf, 0.0], [-np.inf, -np.inf]], dtype=gradix.float64)
    y = x.logsumexp(dim=1).numpy()
    assert y[0] == 0.0 and y[1] == -np.inf


def test_stability_matches_torch():
    torch = pytest.importorskip("torch")
    x = gradix.tensor(BIG, dtype=gradix.float64, requires_grad=True)
    tx = torch.tensor(BIG, requires_grad=True)
    y = x.sigmoid() + gradix.softplus(x) + x.reshape(1, -1).logsumexp(dim=1)
    ty = tx.sigmoid() + torch.nn.functional.softplus(tx) + tx.reshape(1, -1).logsumexp(dim=1)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-300)
