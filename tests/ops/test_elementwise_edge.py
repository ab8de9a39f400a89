"""Elementwise cases checked against PyTorch beyond the op table: casts that end the graph, and
maximum/minimum gradients at NaN and at ties."""
import numpy as np
import pytest

import gradix

CASTS = {
    "long()": lambda m, x: x.long(), "int()": lambda m, x: x.int(),
    "bool()": lambda m, x: x.bool(), "to(int64)": lambda m, x: x.to(m.int64),
    "to(uint8)": lambda m, x: x.to(m.uint8), "type(int16)": lambda m, x: x.type(m.int16),
    "to(dtype=int8)": lambda m, x: x.to(dtype=m.int8),
}


@pytest.mark.parametrize("name", sorted(CASTS))
def test_casting_to_an_integer_or_bool_dtype_ends_the_graph(torch, name):
    cast = CASTS[name]
    a = [1.5, -2.0, 3.0]
    g = cast(gradix, gradix.tensor(a, requires_grad=True))
    t = cast(torch, torch.tensor(a, requires_grad=True))
    assert g.dtype.name == str(t.dtype).replace("torch.", "")
    np.testing.assert_array_equal(g.numpy(), t.numpy())
    assert g.requires_grad is t.requires_grad is False
    assert g.grad_fn is None and t.grad_fn is None
    for lib, y in ((torch, t), (gradix, g)):
        with pytest.raises(RuntimeError, match="does not require grad"):
            (y.float() * 3).sum().backward()


@pytest.mark.parametrize("name", ["double()", "half()->float()", "to(float64)"])
def test_floating_casts_stay_differentiable(torch, name):
    cast = {"double()": lambda m, x: x.double(),
            "half()->float()": lambda m, x: x.to(m.float16).float(),
            "to(float64)": lambda m, x: x.to(m.float64)}[name]
    g = gradix.tensor([1.5, -2.0, 3.0], requires_grad=True)
    t = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
    (cast(gradix, g) * gradix.tensor([1.0, 2.0, 3.0])).sum().backward()
    (cast(torch, t) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert g.grad.dtype == gradix.float32 and t.grad.dtype == torch.float32
    np.testing.assert_array_equal(g.grad.numpy(), t.grad.numpy())


NAN = np.nan
PAIRS = {  # a NaN on one side, on both, beside a tie, and broadcast against a scalar
    "nan-left": ([1.0, NAN, 3.0, NAN, 2.0], [2.0, 2.0, 2.0, 2.0, 2.0]),
    "nan-right": ([2.0, 2.0, 2.0, 1.0], [1.0, NAN, 3.0, NAN]),
    "nan-both": ([NAN, NAN, 1.0], [NAN, 0.0, NAN]),
    "ties": ([1.0, 2.0, 3.0], [1.0, 5.0, 3.0]),
    "broadcast": ([[1.0, NAN, 3.0], [2.0, 2.0, -1.0]], [2.0]),
}


@pytest.mark.parametrize("op", ["maximum", "minimum"])
@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_maximum_minimum_gradients_at_nan_and_ties_match_torch(torch, op, pair):
    a, b = PAIRS[pair]
    ga, gb = (gradix.tensor(v, dtype=gradix.float64, requires_grad=True) for v in (a, b))
    ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
    gy, ty = getattr(gradix, op)(ga, gb), getattr(torch, op)(ta, tb)
    np.testing.assert_array_equal(gy.detach().numpy(), ty.detach().numpy())
    up = np.arange(1.0, 1.0 + ty.numel()).reshape(tuple(ty.shape))
    gy.backward(gradix.tensor(up))
    ty.backward(torch.tensor(up))
    np.testing.assert_array_equal(ga.grad.numpy(), ta.grad.numpy())
    np.testing.assert_array_equal(gb.grad.numpy(), tb.grad.numpy())
