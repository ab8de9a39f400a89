"""nn.utils: gradient clipping against torch.nn.utils on the same gradients, flattening
parameters to a vector and back, and the L1/L2 penalties (values, finite differences)."""
import math

import numpy as np
import pytest

import gradix
import gradix.nn as nn
from gradix.nn import utils
from gradix.autograd import gradcheck

SHAPES = [(3, 4), (4,), (2, 2, 3)]


def _grads(dtype, scale=1.0, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(s) * scale).astype(dtype) for s in SHAPES]


def _params(T, grads, with_grad=(True, True, True)):
    params = []
    for g, has in zip(grads, with_grad):
        p = T.zeros(g.shape, dtype=getattr(T, str(g.dtype)), requires_grad=True)
        p.grad = T.tensor(g) if has else None
        params.append(p)
    return params


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(1)
        self.weight = nn.Parameter(gradix.tensor(rng.standard_normal((3, 2))))
        self.bias = nn.Parameter(gradix.tensor(rng.standard_normal(3)))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(max_norm, norm_type, dtype):
    torch = pytest.importorskip("torch")
    grads = _grads(dtype)
    gp, tp = _params(gradix, grads, (True, False, True)), _params(torch, grads, (True, False, True))
    total = utils.clip_grad_norm_(gp, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(tp, max_norm, norm_type)
    tol = dict(rtol=1e-12) if dtype == "float64" else dict(rtol=1e-6)
    assert total.shape == () and str(total.dtype) == dtype
    np.testing.assert_allclose(total.item(), expected.item(), **tol)
    assert gp[1].grad is None
    for g, t in zip([gp[0], gp[2]], [tp[0], tp[2]]):
        np.testing.assert_allclose(g.grad.numpy(), t.grad.numpy(), **tol)


def test_clip_grad_norm_scales_in_place_and_accepts_a_module():
    net = Net()
    net.weight.grad = gradix.ones(3, 2, dtype=gradix.float64)
    net.bias.grad = gradix.ones(3, dtype=gradix.float64)
    grad = net.weight.grad
    total = utils.clip_grad_norm_(net, 1.0)
    assert net.weight.grad is grad
    np.testing.assert_allclose(total.item(), 3.0)
    np.testing.assert_allclose(grad.numpy(), np.full((3, 2), 1 / (3 + 1e-6)))


def test_clip_grad_norm_without_grads_returns_zero():
    p = gradix.zeros(3, requires_grad=True)
    assert utils.clip_grad_norm_([p], 1.0).item() == 0.0


def test_clip_grad_norm_nonfinite():
    torch = pytest.importorskip("torch")
    grads = _grads("float64")
    grads[1][0] = np.nan
    gp, tp = _params(gradix, grads), _params(torch, grads)
    with pytest.raises(RuntimeError, match="total norm of order 2.0 of the gradients is "
                                           "non-finite"):
        utils.clip_grad_norm_(gp, 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(gp[0].grad.numpy(), grads[0])  # unchanged
    total = utils.clip_grad_norm_(gp, 1.0)
    expected = torch.nn.utils.clip_grad_norm_(tp, 1.0)
    assert np.isnan(total.item()) and np.isnan(expected.item())
    for g, t in zip(gp, tp):
        np.testing.assert_array_equal(g.grad.numpy(), t.grad.numpy())


def test_clip_grad_norm_rejects_bad_norm_type():
    with pytest.raises(ValueError, match="norm_type must be positive"):
        utils.clip_grad_norm_(_params(gradix, _grads("float64")), 1.0, norm_type=0)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_clip_grad_value_matches_torch(dtype):
    torch = pytest.importorskip("torch")
    grads = _grads(dtype, scale=2.0)
    gp, tp = _params(gradix, grads, (True, False, True)), _params(torch, grads, (True, False, True))
    assert utils.clip_grad_value_(gp, 0.7) is None
    torch.nn.utils.clip_grad_value_(tp, 0.7)
    for g, t in zip([gp[0], gp[2]], [tp[0], tp[2]]):
        np.testing.assert_array_equal(g.grad.numpy(), t.grad.numpy())


def test_parameters_to_vector_and_back_match_torch():
    torch = pytest.importorskip("torch")
    values = _grads("float64", seed=2)
    gp = [gradix.tensor(v, requires_grad=True) for v in values]
    tp = [torch.tensor(v, requires_grad=True) for v in values]
    vec = utils.parameters_to_vector(gp)
    np.testing.assert_array_equal(vec.detach().numpy(),
                                  torch.nn.utils.parameters_to_vector(tp).detach().numpy())
    v = gradix.tensor(np.random.default_rng(1).standard_normal(vec.shape[0]))
    vec.backward(v)  # differentiable: each parameter receives its slice
    np.testing.assert_array_equal(np.concatenate([p.grad.numpy().ravel() for p in gp]), v.numpy())
    new = np.arange(vec.shape[0], dtype=np.float64)
    utils.vector_to_parameters(gradix.tensor(new), gp)
    torch.nn.utils.vector_to_parameters(torch.tensor(new), tp)
    for g, t in zip(gp, tp):
        np.testing.assert_array_equal(g.detach().numpy(), t.detach().numpy())


def test_vector_to_parameters_errors():
    params = [gradix.zeros(2, 3, requires_grad=True)]
    with pytest.raises(ValueError, match="the vector has 5 elements but the parameters hold 6"):
        utils.vector_to_parameters(gradix.zeros(5), params)
    with pytest.raises(ValueError, match=r"expected a 1-D tensor, got shape \(2, 3\)"):
        utils.vector_to_parameters(gradix.zeros(2, 3), params)
    with pytest.raises(TypeError, match="expected a Tensor, got list"):
        utils.vector_to_parameters([0.0] * 6, params)


@pytest.mark.parametrize("penalty, ref", [(utils.l1_penalty, np.abs),
                                          (utils.l2_penalty, np.square)])
def test_penalties_cover_every_parameter(penalty, ref):
    net = Net()
    expected = ref(net.weight.detach().numpy()).sum() + ref(net.bias.detach().numpy()).sum()
    for source in (net, net.parameters(), list(net.parameters())):
        np.testing.assert_allclose(penalty(source).item(), expected, rtol=1e-12)
    assert gradcheck(lambda w, b: penalty([w, b]), [net.weight, net.bias])


def test_penalty_gradients():
    net = Net()
    (utils.l1_penalty(net) + utils.l2_penalty(net.weight)).backward()
    w, b = net.weight.detach().numpy(), net.bias.detach().numpy()
    np.testing.assert_allclose(net.weight.grad.numpy(), np.sign(w) + 2 * w)
    np.testing.assert_allclose(net.bias.grad.numpy(), np.sign(b))


def test_penalty_errors():
    with pytest.raises(ValueError, match="l2_penalty: there are no parameters to penalize"):
        utils.l2_penalty([])
    with pytest.raises(TypeError, match="l1_penalty: expected a Module or Tensors, got ndarray"):
        utils.l1_penalty([np.zeros(3)])
