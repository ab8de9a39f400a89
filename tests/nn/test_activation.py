"""Activations against PyTorch (forward and input gradient, float64 and float32),
finite differences (first and second order), large logits, module reprs and error messages."""
import warnings

import numpy as np
import pytest

import gradix
import gradix.nn as nn
import gradix.nn.functional as F

from .torch_compare import check_gradcheck, check_vs_torch


def away(x, kinks, gap=0.1):
    """x moved at least ``gap`` away from each kink (finite differences need smooth points)."""
    for k in kinks:
        near = np.abs(x - k) < gap
        x = np.where(near, k + np.where(x >= k, gap, -gap) * 2, x)
    return x


def normal(rng, shape=(3, 4, 5), scale=2.0):
    return rng.standard_normal(shape) * scale


# name -> (gradix fn, torch fn of (torch.nn.functional, x), input maker)
CASES = {
    "softmax_dim0": (lambda x: F.softmax(x, 0), lambda T, x: T.softmax(x, 0), normal),
    "softmax_dim1": (lambda x: F.softmax(x, 1), lambda T, x: T.softmax(x, 1), normal),
    "softmax_dim-1": (lambda x: F.softmax(x, -1), lambda T, x: T.softmax(x, -1), normal),
    "log_softmax_dim0": (lambda x: F.log_softmax(x, 0), lambda T, x: T.log_softmax(x, 0), normal),
    "log_softmax_dim1": (lambda x: F.log_softmax(x, 1), lambda T, x: T.log_softmax(x, 1), normal),
    "log_softmax_dim-1": (lambda x: F.log_softmax(x, -1), lambda T, x: T.log_softmax(x, -1),
                          normal),
    "gelu": (F.gelu, lambda T, x: T.gelu(x), normal),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"),
                  lambda T, x: T.gelu(x, approximate="tanh"), normal),
    "silu": (F.silu, lambda T, x: T.silu(x), normal),
    "elu": (F.elu, lambda T, x: T.elu(x), lambda r: away(normal(r), [0])),
    "elu_alpha0.5": (lambda x: F.elu(x, 0.5), lambda T, x: T.elu(x, 0.5),
                     lambda r: away(normal(r), [0])),
    "leaky_relu": (F.leaky_relu, lambda T, x: T.leaky_relu(x), lambda r: away(normal(r), [0])),
    "leaky_relu_0.2": (lambda x: F.leaky_relu(x, 0.2), lambda T, x: T.leaky_relu(x, 0.2),
                       lambda r: away(normal(r), [0])),
    "hardtanh": (F.hardtanh, lambda T, x: T.hardtanh(x), lambda r: away(normal(r), [-1, 1])),
    "hardtanh_-2_3": (lambda x: F.hardtanh(x, -2.0, 3.0), lambda T, x: T.hardtanh(x, -2.0, 3.0),
                      lambda r: away(normal(r), [-2, 3])),
    "relu6": (F.relu6, lambda T, x: T.relu6(x), lambda r: away(normal(r, scale=4), [0, 6])),
    "logsigmoid": (F.logsigmoid, lambda T, x: T.logsigmoid(x), normal),
    "relu": (F.relu, lambda T, x: T.relu(x), lambda r: away(normal(r), [0])),
    "sigmoid": (F.sigmoid, lambda T, x: T.sigmoid(x), normal),
    "tanh": (F.tanh, lambda T, x: T.tanh(x), normal),
    "softplus": (lambda x: F.softplus(x, beta=2.0, threshold=3.0),
                 lambda T, x: T.softplus(x, beta=2.0, threshold=3.0),
                 lambda r: away(normal(r), [1.5])),
}


def _input(name):
    return CASES[name][2](np.random.default_rng(len(name)))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", CASES)
def test_matches_torch(name, dtype):
    torch = pytest.importorskip("torch")
    gfn, tfn, _ = CASES[name]
    check_vs_torch(gfn, lambda x: tfn(torch.nn.functional, x), [_input(name)], dtype)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name", CASES)
def test_gradcheck(name, order):
    check_gradcheck(CASES[name][0], [_input(name)], order=order)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_large_logits(fn, dtype):
    torch = pytest.importorskip("torch")
    x = np.array([[1e4, -1e4, 0.0, 1e4 - 1], [-1e4, -1e4, -1e4 + 3, -1e4]])
    gfn = getattr(F, fn)
    check_vs_torch(lambda t: gfn(t, 1), lambda t: getattr(torch, fn)(t, 1), [x], dtype)
    y = gfn(gradix.tensor(x.astype(dtype)), 1)
    assert np.isfinite(y.numpy()).all()


def test_softmax_implicit_dim_warns_like_torch():
    x = gradix.tensor(np.random.default_rng(0).standard_normal((2, 3)))
    with pytest.warns(UserWarning, match="implicit dimension"):
        y = F.softmax(x)
    np.testing.assert_allclose(y.sum(1).numpy(), np.ones(2))


def test_softmax_dim_out_of_range():
    with pytest.raises(IndexError, match=r"softmax: dimension out of range .*\[-2, 1\].* 2"):
        F.softmax(gradix.zeros(2, 3), 2)


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh', got 'erf'"):
        F.gelu(gradix.zeros(2), approximate="erf")
    with pytest.raises(ValueError, match="GELU: approximate"):
        nn.GELU("fast")


def test_hardtanh_rejects_inverted_bounds():
    with pytest.raises(ValueError, match=r"min_val \(2\) must not exceed max_val \(1\)"):
        F.hardtanh(gradix.zeros(2), 2, 1)


# ---------------------------------------------------------------------- modules
MODULES = [("ReLU", ()), ("ReLU", (True,)), ("LeakyReLU", ()), ("LeakyReLU", (0.2, True)),
           ("Sigmoid", ()), ("Tanh", ()), ("GELU", ()), ("GELU", ("tanh",)), ("SiLU", ()),
           ("ELU", ()), ("ELU", (0.5,)), ("Softplus", ()), ("Softplus", (2.0, 1.0)),
           ("Softmax", (1,)), ("LogSoftmax", (-1,))]


@pytest.mark.parametrize("name, args", MODULES, ids=[f"{n}{a}" for n, a in MODULES])
def test_module_matches_torch(name, args):
    torch = pytest.importorskip("torch")
    gm, tm = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(gm) == repr(tm)
    x = away(np.random.default_rng(3).standard_normal((4, 5)) * 2, [0, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a module with an explicit dim must not warn
        check_vs_torch(gm, lambda t: tm(t.clone()), [x], "float64")


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape, dim", [((0, 3), 0), ((0, 3), 1), ((2, 0), 1), ((2, 0), 0)])
def test_softmax_of_empty_tensors_like_torch(fn, shape, dim):
    torch = pytest.importorskip("torch")
    x = gradix.zeros(*shape, requires_grad=True)
    y = getattr(F, fn)(x, dim=dim)
    assert y.shape == tuple(getattr(torch.nn.functional, fn)(torch.zeros(*shape), dim=dim).shape)
    y.sum().backward()
    assert x.grad.shape == shape
