"""Broadcasting in binary ops, over shapes drawn by hypothesis: forward vs NumPy, gradients summed
back to each input's shape (vs NumPy's sum over the broadcast axes), and the error for shapes that
can't broadcast naming both shapes."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gradix

BINARY = {
    "add": (lambda a, b: a + b, np.add, lambda a, b, g: (g, g)),
    "mul": (lambda a, b: a * b, np.multiply, lambda a, b, g: (g * b, g * a)),
    "sub": (lambda a, b: gradix.sub(a, b), np.subtract, lambda a, b, g: (g, -g)),
    "div": (lambda a, b: a / b, np.divide, lambda a, b, g: (g / b, -g * a / b ** 2)),
}


def _reduce_to(g, shape):
    """NumPy reference of the adjoint of broadcasting: sum g down to ``shape``."""
    lead = g.ndim - len(shape)
    g = g.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape)


@settings(max_examples=25, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                max_side=3),
       name=st.sampled_from(sorted(BINARY)), seed=st.integers(0, 2 ** 16))
def test_binary_broadcasting_forward_and_backward(shapes, name, seed):
    fn, ref, ref_grads = BINARY[name]
    rng = np.random.default_rng(seed)
    sa, sb = shapes.input_shapes
    a = rng.uniform(0.5, 1.5, sa) * rng.choice([-1.0, 1.0], sa)
    b = rng.uniform(0.5, 1.5, sb) * rng.choice([-1.0, 1.0], sb)
    ta = gradix.tensor(a, requires_grad=True)
    tb = gradix.tensor(b, requires_grad=True)
    out = fn(ta, tb)
    expected = ref(a, b)
    assert out.shape == expected.shape == shapes.result_shape
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12)
    g = rng.standard_normal(out.shape)
    out.backward(gradix.tensor(g))
    ga, gb = ref_grads(a, b, g)
    assert ta.grad.shape == a.shape and tb.grad.shape == b.shape
    np.testing.assert_allclose(ta.grad.numpy(), _reduce_to(np.broadcast_to(ga, g.shape), sa),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tb.grad.numpy(), _reduce_to(np.broadcast_to(gb, g.shape), sb),
                               rtol=1e-12, atol=1e-12)


@st.composite
def _incompatible(draw):
    shape = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    other = list(shape)
    i = draw(st.integers(0, len(shape) - 1))
    other[i] = shape[i] + draw(st.integers(1, 2))
    return tuple(shape), tuple(draw(st.lists(st.integers(1, 3), max_size=1))) + tuple(other)


@settings(max_examples=15, deadline=None)
@given(shapes=_incompatible(), op=st.sampled_from(["add", "mul", "sub", "div", "maximum",
                                                     "pow", "eq", "lt"]))
def test_broadcast_error_names_both_shapes(shapes, op):
    sa, sb = shapes
    a, b = gradix.ones(sa), gradix.ones(sb)
    with pytest.raises(ValueError) as e:
        getattr(gradix, op)(a, b)
    msg = str(e.value)
    assert op in msg and str(sa) in msg and str(sb) in msg, msg


@settings(max_examples=15, deadline=None)
@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3),
       seed=st.integers(0, 2 ** 16))
def test_where_broadcasts_all_three(shape, seed):
    rng = np.random.default_rng(seed)
    cond = rng.random(shape[-1:] if shape else ()) > 0.5
    a = rng.standard_normal(shape)
    b = rng.standard_normal((1,) * len(shape))
    ta, tb = gradix.tensor(a, requires_grad=True), gradix.tensor(b, requires_grad=True)
    out = gradix.where(gradix.tensor(cond), ta, tb)
    expected = np.where(cond, a, b)
    np.testing.assert_array_equal(out.detach().numpy(), expected)
    out.sum().backward()
    full = np.broadcast_to(cond, expected.shape)
    np.testing.assert_array_equal(ta.grad.numpy(), _reduce_to(full * 1.0, a.shape))
    np.testing.assert_array_equal(tb.grad.numpy(), _reduce_to(~full * 1.0, b.shape))
