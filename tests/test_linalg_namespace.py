"""gradix.linalg's products (cross, vecdot, multi_dot) against PyTorch and finite differences;
the decompositions are in tests/ops (op_table_decomposition.py)."""
import numpy as np
import pytest

import gradix
from gradix.autograd import gradcheck, gradgradcheck

rng = np.random.default_rng(0)
CASES = {
    "cross": (lambda L, a, b: L.linalg.cross(a, b), [(4, 3), (1, 3)]),
    "cross_dim0": (lambda L, a, b: L.linalg.cross(a, b, dim=0), [(3, 2), (3, 1)]),
    "vecdot": (lambda L, a, b: L.linalg.vecdot(a, b), [(4, 3), (2, 1, 3)]),
    "vecdot_dim": (lambda L, a, b: L.linalg.vecdot(a, b, dim=0), [(3, 2), (3, 2)]),
    "multi_dot": (lambda L, a, b, c: L.linalg.multi_dot([a, b, c]), [(3,), (3, 4), (4,)]),
    "multi_dot_matrices": (lambda L, a, b, c: L.linalg.multi_dot((a, b, c)),
                           [(2, 3), (3, 4), (4, 5)]),
}


@pytest.mark.parametrize("name", CASES)
def test_matches_torch_forward_and_backward(torch, name):
    fn, shapes = CASES[name]
    arrays = [rng.standard_normal(s) for s in shapes]
    results = []
    for lib in (gradix, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        out = fn(lib, *xs)
        g = np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape))
        out.backward(lib.tensor(g))
        results.append([out.detach().numpy()] + [x.grad.numpy() for x in xs])
    for mine, ref in zip(*results):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_gradients_match_finite_differences(name):
    fn, shapes = CASES[name]
    xs = [gradix.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    assert gradcheck(lambda *t: fn(gradix, *t), xs)
    assert gradgradcheck(lambda *t: fn(gradix, *t), xs)


@pytest.mark.parametrize("tensors, message", [
    ([np.ones(3)], "expected at least 2 tensors, got 1"),
    ([np.ones((2, 3, 3)), np.ones((3, 3))], "must be 1-D or 2-D and the others 2-D"),
    ([np.ones((2, 3)), np.ones(3), np.ones((3, 2))], "must be 1-D or 2-D and the others 2-D"),
])
def test_multi_dot_refuses_what_torch_refuses(torch, tensors, message):
    with pytest.raises(ValueError, match=message):
        gradix.linalg.multi_dot([gradix.tensor(t) for t in tensors])
    with pytest.raises(RuntimeError):
        torch.linalg.multi_dot([torch.tensor(t) for t in tensors])


def test_cross_needs_the_same_number_of_dims_as_torch(torch):
    a, b = np.ones((4, 3)), np.ones((2, 1, 3))
    with pytest.raises(ValueError, match="same number of dimensions"):
        gradix.linalg.cross(gradix.tensor(a), gradix.tensor(b))
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        torch.linalg.cross(torch.tensor(a), torch.tensor(b))
