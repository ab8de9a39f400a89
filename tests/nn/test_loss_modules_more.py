"""The loss modules over the functional losses added last (margin ranking, soft margin, cosine
embedding, triplet margin, Poisson and Gaussian NLL) against PyTorch's modules: values, the
first input's gradient and reprs, for every reduction."""
import numpy as np
import pytest

import gradix

rng = np.random.default_rng(0)
A, B, C = (rng.standard_normal((5, 4)) for _ in range(3))
SIGNS = np.where(rng.standard_normal(5) > 0, 1.0, -1.0)
CASES = {
    "MarginRankingLoss": (dict(margin=0.3), (A[:, 0], B[:, 0], SIGNS)),
    "SoftMarginLoss": ({}, (A, np.sign(B))),
    "CosineEmbeddingLoss": (dict(margin=0.2), (A, B, SIGNS)),
    "TripletMarginLoss": (dict(margin=0.5, p=1.5, swap=True), (A, B, C)),
    "PoissonNLLLoss": (dict(full=True), (A, rng.poisson(2, (5, 4)).astype(float))),
    "GaussianNLLLoss": (dict(full=True), (A, B, rng.uniform(0.5, 2, (5, 4)))),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", CASES)
def test_matches_torchs_module(torch, name, reduction):
    kwargs, arrays = CASES[name]
    results = []
    for lib in (gradix, torch):
        inputs = [lib.tensor(a, requires_grad=i == 0) for i, a in enumerate(arrays)]
        module = getattr(lib.nn, name)(**kwargs, reduction=reduction)
        out = module(*inputs)
        out.sum().backward()
        results.append((out.detach().numpy(), inputs[0].grad.numpy(), repr(module)))
    (out, grad, text), (ref_out, ref_grad, ref_text) = results
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12, atol=1e-12)
    assert text == ref_text


def test_an_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction"):
        gradix.nn.TripletMarginLoss(reduction="average")
