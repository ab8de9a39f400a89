"""Shared checks for the nn tests: run one function in gradix and in PyTorch on the same
arrays and compare the output and every input gradient (random upstream gradient)."""
import numpy as np
import pytest

import gradix
from gradix.autograd import gradcheck, gradgradcheck

TOL = {"float64": dict(rtol=1e-10, atol=1e-12), "float32": dict(rtol=2e-5, atol=2e-6)}


def cast(arrays, dtype):
    return [a.astype(dtype) if a.dtype.kind == "f" else a for a in arrays]


def floating(arrays, grad):
    """Indices of the inputs to differentiate: ``grad``, or every floating array."""
    return [i for i, a in enumerate(arrays) if a.dtype.kind == "f"] if grad is None else grad


def check_vs_torch(gfn, tfn, arrays, dtype, grad=None, seed=0):
    """gfn(*gradix tensors) and tfn(*torch tensors) agree in shape, dtype, values and in the
    gradients of the inputs listed in ``grad`` (default: every floating input)."""
    torch = pytest.importorskip("torch")
    arrays = cast(arrays, dtype)
    grad = floating(arrays, grad)
    gx = [gradix.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    tx = [torch.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    gy, ty = gfn(*gx), tfn(*tx)
    assert gy.shape == tuple(ty.shape)
    assert str(gy.dtype) == str(ty.dtype).removeprefix("torch.")
    np.testing.assert_allclose(gy.detach().numpy(), ty.detach().numpy(), **TOL[dtype])
    if not grad:
        return
    v = np.random.default_rng(seed).standard_normal(gy.shape).astype(dtype)
    ggs = gradix.autograd.grad(gy, [gx[i] for i in grad], gradix.tensor(v), allow_unused=True)
    tgs = torch.autograd.grad(ty, [tx[i] for i in grad], torch.tensor(v), allow_unused=True)
    for i, gg, tg in zip(grad, ggs, tgs):
        assert (gg is None) == (tg is None), f"input {i}: gradient present in one framework only"
        if gg is not None:
            np.testing.assert_allclose(gg.numpy(), tg.numpy(), **TOL[dtype],
                                       err_msg=f"gradient of input {i}")


def check_gradcheck(gfn, arrays, grad=None, order=1):
    """Finite differences (float64) of the derivatives of order 1 (gradcheck) or 2
    (gradgradcheck) in the inputs listed in ``grad``."""
    arrays = cast(arrays, "float64")
    grad = floating(arrays, grad)
    xs = [gradix.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    assert (gradcheck if order == 1 else gradgradcheck)(gfn, xs)
