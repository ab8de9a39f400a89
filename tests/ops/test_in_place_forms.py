"""The in-place forms of out-of-place ops (gradix/ops/in_place.py): each writes into the
tensor's own memory, returns it, agrees with torch's in-place op, and refuses what in-place
changes refuse (grad mode with grad, an integer tensor receiving floats, broadcasting x up)."""
import numpy as np
import pytest

import gradix
from gradix.ops.in_place import FORMS

X = np.array([[0.15, 0.7, 0.45], [0.3, 0.85, 0.6]])  # in (0, 1): inside every op's domain
OTHER = np.array([[0.4, 0.2, 0.9], [0.65, 0.1, 0.35]])
MASK = np.array([[True, False, True], [False, False, True]])
INDEX = np.array([2, 0, 2])
SCATTER_INDEX = np.array([[1, 0, 1]])
INTS = np.array([[5, -3, 12], [7, 0, -8]])


def _args(m, name):
    """(input array, positional args) of ``m.Tensor.<name>_`` for framework ``m``."""
    t = m.tensor
    binary = {"pow": 2.5, "fmod": 0.25, "remainder": 0.25, "clamp_min": 0.5, "clamp_max": 0.5}
    if name in binary:
        return X, (binary[name],)
    if name in ("atan2", "arctan2", "hypot", "xlogy", "true_divide", "floor_divide",
                "multiply", "divide", "subtract", "logical_and", "logical_or", "logical_xor",
                "eq", "ne", "lt", "le", "gt", "ge"):
        return X, (t(OTHER),)
    if name.startswith("bitwise"):
        return INTS, (() if name == "bitwise_not" else (t(INTS[::-1].copy()),))
    if name in ("acosh", "arccosh"):
        return X + 1.0, ()
    return X, {
        "clip": (0.3, 0.6), "lerp": (t(OTHER), 0.3),
        "cumsum": (1,), "cumprod": (0,), "tril": (), "triu": (1,),
        "masked_fill": (t(MASK), -1.0), "masked_scatter": (t(MASK), t(OTHER * 10)),
        "index_add": (1, t(INDEX), t(OTHER)), "index_copy": (1, t(np.array([2, 0, 1])),
                                                             t(OTHER)),
        "index_fill": (1, t(INDEX), -2.0), "scatter": (0, t(SCATTER_INDEX), t(OTHER)),
        "scatter_add": (0, t(SCATTER_INDEX), t(OTHER)),
    }.get(name, ())


@pytest.mark.parametrize("name", FORMS)
def test_writes_into_the_tensor_like_torch(name):
    torch = pytest.importorskip("torch")
    if not hasattr(torch.Tensor, name + "_"):
        pytest.skip(f"torch has no {name}_")
    array, g_args = _args(gradix, name)
    _, t_args = _args(torch, name)
    x = gradix.tensor(array)
    memory = x.data
    out = getattr(x, name + "_")(*g_args)
    assert out is x and x.data is memory
    expected = getattr(torch.tensor(array), name + "_")(*t_args)
    assert x.dtype.name == str(expected.dtype).removeprefix("torch.")
    np.testing.assert_allclose(x.numpy(), expected.numpy(), rtol=1e-12, atol=1e-12)


def test_a_view_changes_its_base():
    x = gradix.tensor(X)
    x[0].exp_()
    np.testing.assert_allclose(x.numpy(), np.vstack([np.exp(X[0]), X[1]]))


def test_refused_in_grad_mode_with_grad_and_allowed_under_no_grad():
    w = gradix.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match="sqrt_: a tensor that requires grad"):
        w.sqrt_()
    np.testing.assert_array_equal(w.detach().numpy(), X)  # unchanged
    x = gradix.tensor(X)
    with pytest.raises(RuntimeError, match="lerp_: the value requires grad"):
        x.lerp_(gradix.tensor(OTHER, requires_grad=True), 0.5)
    with gradix.no_grad():
        w.sqrt_()
    np.testing.assert_allclose(w.detach().numpy(), np.sqrt(X))


def test_dtype_and_shape_rules_follow_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        torch.tensor(INTS).exp_()
    with pytest.raises(TypeError, match="exp_: the result is gradix.float32, which can't be "
                                        "written into a gradix.int64 tensor"):
        gradix.tensor(INTS).exp_()
    with pytest.raises(RuntimeError):
        torch.tensor(X[0]).atan2_(torch.tensor(X))
    with pytest.raises(ValueError, match="atan2_: could not broadcast"):
        gradix.tensor(X[0]).atan2_(gradix.tensor(X))
    x = gradix.tensor(X)
    x.lt_(0.5)  # a bool result is written as 0 and 1, as in torch
    np.testing.assert_array_equal(x.numpy(), (X < 0.5).astype(float))


def test_samplers_are_seeded_and_in_range():
    gradix.manual_seed(3)
    a = gradix.empty(1000).uniform_(-2.0, 3.0)
    gradix.manual_seed(3)
    b = gradix.empty(1000).uniform_(-2.0, 3.0)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert a.min().item() >= -2.0 and a.max().item() < 3.0
    n = gradix.empty(20000, dtype=gradix.float64).normal_(1.5, 0.5)
    assert abs(n.mean().item() - 1.5) < 0.02 and abs(n.std().item() - 0.5) < 0.02


@pytest.mark.parametrize("shape, wrap", [((3, 3), False), ((5, 2), False), ((7, 2), True),
                                         ((2, 4), False), ((3, 3, 3), False)])
def test_fill_diagonal_like_torch(shape, wrap):
    torch = pytest.importorskip("torch")
    x = gradix.zeros(*shape).fill_diagonal_(2.5, wrap=wrap)
    t = torch.zeros(*shape).fill_diagonal_(2.5, wrap=wrap)
    np.testing.assert_array_equal(x.numpy(), t.numpy())


def test_fill_diagonal_needs_equal_dimensions():
    with pytest.raises(ValueError, match=r"fill_diagonal_: .* got shape \(2, 3, 3\)"):
        gradix.zeros(2, 3, 3).fill_diagonal_(1.0)
