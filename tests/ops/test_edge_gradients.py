"""Gradients and results at edge values where a naive rule gives NaN or a wrong answer,
each checked against PyTorch."""
import numpy as np
import pytest

import gradix
from gradix.nn import functional as F


def _grads(lib, make, fn, *values):
    xs = [make(v) for v in values]
    fn(lib, *xs).sum().backward()
    return [x.grad.numpy() for x in xs]


def _compare(torch, fn, *values):
    g = _grads(gradix, lambda v: gradix.tensor(v, requires_grad=True), fn, *values)
    t = _grads(torch, lambda v: torch.tensor(v, requires_grad=True), fn, *values)
    for a, b in zip(g, t):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)
        assert np.isfinite(a).all()


@pytest.mark.parametrize("fn", [
    lambda m, x: x ** 0,
    lambda m, x: x ** m.zeros(3, dtype=x.dtype),
    lambda m, x: x.norm(),
    lambda m, x: x.norm(p=3),
    lambda m, x: x.std(),
], ids=["pow-0", "pow-tensor-0", "norm2", "norm3", "std"])
def test_no_nan_gradient_at_zero(torch, fn):
    _compare(torch, fn, np.zeros(3))


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # 0/0: no element is the max
def test_amax_gradient_with_a_nan_extreme_matches_torch(torch):
    x = np.array([1.0, np.nan, 3.0])  # both give NaN everywhere: no element equals the NaN
    g = _grads(gradix, lambda v: gradix.tensor(v, requires_grad=True), lambda m, t: t.amax(), x)
    t = _grads(torch, lambda v: torch.tensor(v, requires_grad=True), lambda m, t: t.amax(), x)
    np.testing.assert_array_equal(g[0], t[0])


def test_sum_over_no_dims_reduces_everything(torch):
    x = np.arange(6.0).reshape(2, 3)
    assert gradix.tensor(x).sum(dim=()).shape == tuple(torch.tensor(x).sum(dim=()).shape) == ()


def test_masked_fill_with_a_tensor_value_passes_its_gradient(torch):
    mask = np.array([True, False, True])

    def fill(m, x, v):
        return x.masked_fill(m.tensor(mask), v)
    _compare(torch, fill, np.array([1.0, 2.0, 3.0]), np.array(5.0))
    with pytest.raises(TypeError, match="masked_fill: mask must be a bool tensor"):
        gradix.zeros(3).masked_fill(gradix.tensor([1, 0, 1]), 0.0)


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # 1 / -0.0, on purpose
def test_negative_zero_constants_keep_their_sign():
    x = gradix.tensor([1.0])
    assert (x * 0.0).item() == 0.0
    assert (1 / (x * -0.0)).item() == -np.inf


def test_gather_rejects_negative_indices():
    with pytest.raises(IndexError, match=r"gather: index out of range \[0, 2\]"):
        gradix.zeros(2, 3).gather(1, gradix.tensor([[0, -1], [1, 2]]))


def test_cumsum_of_a_scalar_is_a_new_tensor():
    x = gradix.tensor(2.0)
    y = x.cumsum(0)
    assert y is not x and y.item() == 2.0


def test_linear_promotes_mixed_dtypes():
    w = gradix.randn(3, 4, requires_grad=True)
    y = F.linear(gradix.randn(2, 4, dtype=gradix.float64), w)
    y.sum().backward()
    assert y.dtype == gradix.float64 and w.grad.dtype == gradix.float32


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # 0 ** -0.5, log(0)
def test_pow_gradient_in_the_exponent_at_a_zero_base_matches_torch(torch):
    """0 where b >= 0, but inf * log(0) = -inf where b < 0."""
    a, b = np.array([0.0, 0.0, 0.0, 2.0]), np.array([-0.5, 0.0, 1.5, -1.0])
    g = _grads(gradix, lambda v: gradix.tensor(v, requires_grad=True), lambda m, x, y: x ** y,
               a, b)
    t = _grads(torch, lambda v: torch.tensor(v, requires_grad=True), lambda m, x, y: x ** y, a, b)
    np.testing.assert_allclose(g[1], t[1], rtol=1e-12)
    assert g[1][0] == -np.inf


@pytest.mark.parametrize("equation, shapes", [
    ("i,i->i", [(1,), (3,)]), ("l,l", [(1,), (2,)]), ("k,i,ij->", [(2,), (1,), (0, 2)]),
    ("...,...,...i->...", [(), (2, 1), (1, 1, 2)]), ("ii,i->i", [(1, 1), (3,)]),
])
def test_einsum_gradients_where_a_letter_of_size_1_broadcasts_match_torch(torch, equation,
                                                                          shapes):
    values = [np.random.default_rng(i).standard_normal(s) for i, s in enumerate(shapes)]
    g = _grads(gradix, lambda v: gradix.tensor(v, requires_grad=True),
               lambda m, *xs: m.einsum(equation, *xs), *values)
    t = _grads(torch, lambda v: torch.tensor(v, requires_grad=True),
               lambda m, *xs: m.einsum(equation, *xs), *values)
    for a, b in zip(g, t):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
