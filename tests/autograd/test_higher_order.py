"""Second-order gradients: every backward rule is itself differentiable. Double backward is checked
against finite differences of the first gradient (always) and Hessian-vector products against
PyTorch (when installed)."""
import zlib

import numpy as np
import pytest

import gradix
from gradix.autograd import grad, gradcheck

F64 = gradix.float64
RNG = np.random.default_rng(1234)
W1 = RNG.standard_normal((4, 5)) * 0.5
B1 = RNG.standard_normal(5) * 0.1
W2 = RNG.standard_normal((5, 3)) * 0.5


def _mlp(m, x):
    """A small MLP-like function of x (constant weights): tanh, sigmoid, softplus, logsumexp."""
    h = (x @ m.tensor(W1) + m.tensor(B1)).tanh()
    z = h @ m.tensor(W2)
    return (z.sigmoid() * z).sum() + z.logsumexp(dim=1).sum() + (h * h).mean()


# f(m, x): written with ops gradix and torch share; x has shape SHAPES[name]
FUNCTIONS = {
    "cube": (lambda m, x: (x ** 3).sum(), (4,)),
    "tanh_chain": (lambda m, x: x.tanh().tanh().mul(x).tanh().sum(), (2, 3)),
    "mlp": (_mlp, (2, 4)),
    "sigmoid_log": (lambda m, x: (x.sigmoid() + 1).log().sum(), (5,)),
    "exp_div": (lambda m, x: (x.exp() / (x * x + 1)).sum(), (3,)),
    "sqrt_rsqrt": (lambda m, x: ((x * x + 1).sqrt() * (x * x + 2).rsqrt()).sum(), (4,)),
    "sin_cos": (lambda m, x: (x.sin() * x.cos() + x.abs() ** 1.5).sum(), (4,)),
    "relu_square": (lambda m, x: (x.relu() * x).sum(), (5,)),
    "matmul_self": (lambda m, x: (x @ x.T @ x).sum(), (3, 2)),
    "var_std": (lambda m, x: x.var(dim=1).sum() + x.std() * x.sum(), (3, 4)),
    "prod": (lambda m, x: x.prod(dim=1).sum(), (3, 3)),
    "prod_zeros": (lambda m, x: (x.prod(dim=1) * m.tensor([1.0, -2.0, 0.5, 3.0])).sum()
                   + x[:2].prod(), (4, 4)),
    "indexing": (lambda m, x: (x[[0, 0, 2]] ** 2).sum() + x[1:, ::2].exp().sum(), (3, 4)),
    "max_dim": (lambda m, x: (x.max(dim=1)[0] ** 2).sum() + (x.amax(dim=0) ** 3).sum(), (3, 4)),
    "pow_tensor": (lambda m, x: (x.abs() + 0.5).pow(x).sum(), (4,)),
    "div_tensor": (lambda m, x: (x[0] / (x[1] ** 2 + 1)).sum(), (2, 3)),
    "cumsum_flip": (lambda m, x: (x.cumsum(0).flip(0) ** 2 * x).sum(), (4,)),
    "einsum": (lambda m, x: m.einsum("ij,jk->ik", x, x.T).tanh().sum(), (2, 3)),
    "softplus_clamp": (lambda m, x: m.nn.functional.softplus(x * 2).pow(2).sum()
                       if m.__name__ == "torch" else gradix.softplus(x * 2).pow(2).sum(),
                       (5,)),
    "maximum": (lambda m, x: (m.maximum(x, x.flip(0) + 0.1) ** 2).sum(), (4,)),
    "where": (lambda m, x: m.where(x > 0, x ** 3, x.exp()).sum(), (5,)),
}


def _input(name):
    shape = FUNCTIONS[name][1]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    a = rng.uniform(0.3, 1.2, shape) * rng.choice([-1.0, 1.0], shape)
    if name == "prod_zeros":  # rows with no, one, two and three zeros
        a[1, 2] = 0.0
        a[2, 0] = a[2, 3] = 0.0
        a[3, :3] = 0.0
    if name in ("maximum", "max_dim"):  # no ties anywhere
        a = (rng.permutation(int(np.prod(shape))).reshape(shape) - 2) * 0.37 + 0.05
    return a


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_double_backward_matches_finite_differences(name):
    f = FUNCTIONS[name][0]
    x = gradix.tensor(_input(name), requires_grad=True)

    def first_grad(t):
        return grad(f(gradix, t), t, create_graph=True)[0]

    assert gradcheck(first_grad, (x,), eps=1e-6, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_hessian_vector_product_matches_torch(name):
    torch = pytest.importorskip("torch")
    f = FUNCTIONS[name][0]
    a = _input(name)
    v = np.random.default_rng(7).standard_normal(a.shape)

    x = gradix.tensor(a, requires_grad=True)
    (g,) = grad(f(gradix, x), x, create_graph=True)
    (hv,) = grad(g, x, grad_outputs=gradix.tensor(v))

    tx = torch.tensor(a, requires_grad=True)
    (tg,) = torch.autograd.grad(f(torch, tx), tx, create_graph=True)
    (thv,) = torch.autograd.grad(tg, tx, grad_outputs=torch.tensor(v))

    np.testing.assert_allclose(g.detach().numpy(), tg.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hv.numpy(), thv.numpy(), rtol=1e-9, atol=1e-12)


def test_hvp_two_parameters_vs_numpy_closed_form():
    # f(w, b) = sum((x w + b)^3): H v has a closed form
    rng = np.random.default_rng(3)
    xa, wa, ba = rng.standard_normal((4, 3)), rng.standard_normal(3), rng.standard_normal(())
    w = gradix.tensor(wa, requires_grad=True)
    b = gradix.tensor(ba, requires_grad=True)
    f = ((gradix.tensor(xa) @ w + b) ** 3).sum()
    gw, gb = grad(f, [w, b], create_graph=True)
    vw, vb = rng.standard_normal(3), 0.7
    hvw, hvb = grad((gw * gradix.tensor(vw)).sum() + gb * vb, [w, b])
    z = xa @ wa + ba
    dz = xa @ vw + vb
    np.testing.assert_allclose(hvw.numpy(), xa.T @ (6 * z * dz), rtol=1e-12)
    np.testing.assert_allclose(hvb.numpy(), np.sum(6 * z * dz), rtol=1e-12)


def test_third_order_of_cube():
    x = gradix.tensor([0.5, -2.0], dtype=F64, requires_grad=True)
    (g1,) = grad((x ** 3).sum(), x, create_graph=True)
    (g2,) = grad(g1.sum(), x, create_graph=True)
    (g3,) = grad(g2.sum(), x)
    np.testing.assert_allclose(g1.detach().numpy(), [0.75, 12.0])
    np.testing.assert_allclose(g2.detach().numpy(), [3.0, -12.0])
    np.testing.assert_allclose(g3.numpy(), [6.0, 6.0])
