"""Attention: scaled_dot_product_attention and MultiheadAttention against PyTorch (weights
copied) for outputs and gradients with every mask kind; local, global and mixed attention
against full attention with the equivalent dense mask; finite differences in float64."""
import tracemalloc

import numpy as np
import pytest

import gradix
import gradix.nn.functional as F
from gradix import nn
from gradix.autograd import gradcheck

from .torch_compare import TOL, check_gradcheck, check_vs_torch

rng = np.random.default_rng(0)


def randn(*shape):
    return rng.standard_normal(shape)


# ---------------------------------------------------------------------- scaled dot product
# (id, arrays: q, k, v[, mask], keyword arguments); the same call runs in both frameworks
SDPA_CASES = [
    ("plain", [randn(2, 5, 4), randn(2, 6, 4), randn(2, 6, 3)], {}),
    ("4d-scale", [randn(2, 3, 5, 4), randn(2, 3, 6, 4), randn(2, 3, 6, 4)], {"scale": 0.3}),
    ("batch-broadcast", [randn(2, 3, 5, 4), randn(3, 6, 4), randn(3, 6, 2)], {}),
    ("bool-mask", [randn(2, 3, 5, 4), randn(2, 3, 6, 4), randn(2, 3, 6, 4),
                   rng.random((5, 6)) > 0.3], {}),
    ("bool-mask-per-batch", [randn(2, 3, 5, 4), randn(2, 3, 6, 4), randn(2, 3, 6, 4),
                             rng.random((2, 1, 5, 6)) > 0.3], {}),
    ("additive-mask", [randn(2, 3, 5, 4), randn(2, 3, 6, 4), randn(2, 3, 6, 4),
                       randn(3, 5, 6)], {}),
    ("causal", [randn(2, 3, 6, 4), randn(2, 3, 6, 4), randn(2, 3, 6, 4)], {"is_causal": True}),
    ("causal-rectangular", [randn(2, 4, 4), randn(2, 6, 4), randn(2, 6, 4)],
     {"is_causal": True}),
    ("fully-masked-row", [randn(1, 3, 4), randn(1, 3, 4), randn(1, 3, 4),
                          np.array([[True, False, False], [False] * 3, [True] * 3])], {}),
]


def sdpa(nn_functional, **kwargs):
    def fn(q, k, v, mask=None):
        return nn_functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, **kwargs)
    return fn


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("arrays, kwargs", [c[1:] for c in SDPA_CASES],
                         ids=[c[0] for c in SDPA_CASES])
def test_sdpa_matches_torch(torch, arrays, kwargs, dtype):
    check_vs_torch(sdpa(F, **kwargs), sdpa(torch.nn.functional, **kwargs), arrays, dtype)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("case", ["additive-mask", "causal"])
def test_sdpa_gradcheck(case, order):
    arrays, kwargs = next(c[1:] for c in SDPA_CASES if c[0] == case)
    check_gradcheck(sdpa(F, **kwargs), arrays, order=order)


def test_sdpa_second_order_matches_torch(torch):
    q, k, v, m = randn(2, 5, 4), randn(2, 6, 4), randn(2, 6, 3), randn(5, 6)

    def second(lib, fn):
        xs = [lib.tensor(a, requires_grad=True) for a in (q, k, v)]
        out = fn(*xs, lib.tensor(m))
        grads = lib.autograd.grad((out * lib.tensor(np.cos(out.detach().numpy()))).sum(), xs,
                                  create_graph=True)
        return lib.autograd.grad(sum((g * g).sum() for g in grads), xs)

    for g, t in zip(second(gradix, sdpa(F)), second(torch, sdpa(torch.nn.functional))):
        np.testing.assert_allclose(g.numpy(), t.numpy(), **TOL["float64"])


def test_sdpa_dropout_is_seeded_and_differentiable():
    q, k, v = (gradix.tensor(randn(2, 5, 4), requires_grad=True) for _ in range(3))

    def dropped(q, k, v):
        gradix.manual_seed(3)
        return F.scaled_dot_product_attention(q, k, v, dropout_p=0.4)

    a, b = dropped(q, k, v).detach(), dropped(q, k, v).detach()
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.allclose(a.numpy(), F.scaled_dot_product_attention(q, k, v).detach().numpy())
    assert gradcheck(dropped, [q, k, v])


@pytest.mark.parametrize("args, kwargs, message", [
    ((randn(2, 5, 4), randn(2, 6, 3), randn(2, 6, 3)), {}, "expects query"),
    ((randn(5, 4), randn(6, 4), randn(6, 3)), {"attn_mask": np.ones((5, 6), bool),
                                               "is_causal": True}, "not both"),
    ((randn(5, 4), randn(6, 4), randn(6, 3)), {"attn_mask": np.ones((4, 6), bool)},
     "can't be broadcast"),
    ((randn(5, 4), randn(6, 4), randn(6, 3)), {"dropout_p": 1.0}, "dropout_p"),
])
def test_sdpa_errors(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        F.scaled_dot_product_attention(*(gradix.tensor(a) for a in args), **kwargs)


# ---------------------------------------------------------------------- MultiheadAttention
E, HEADS, L, S, N = 8, 2, 5, 6, 3
PADDING = np.zeros((N, S), bool)
PADDING[1, 4:] = True
# (id, constructor keywords, forward keywords); inputs follow batch_first, kdim and vdim
MHA_CASES = [
    ("plain", {}, {}),
    ("batch-first", {"batch_first": True}, {"average_attn_weights": False}),
    ("kdim-vdim", {"kdim": 4, "vdim": 3, "batch_first": True}, {}),
    ("no-bias", {"bias": False}, {}),
    ("key-padding-bool", {}, {"key_padding_mask": PADDING}),
    ("key-padding-float", {}, {"key_padding_mask": randn(N, S)}),
    ("attn-mask-bool", {}, {"attn_mask": rng.random((L, S)) > 0.7}),
    ("attn-mask-float-per-head", {}, {"attn_mask": randn(N * HEADS, L, S)}),
    ("both-masks", {"batch_first": True}, {"attn_mask": rng.random((L, S)) > 0.7,
                                           "key_padding_mask": PADDING}),
    ("causal", {}, {"attn_mask": np.triu(np.ones((L, S), bool), 1), "is_causal": True}),
    ("no-weights", {}, {"need_weights": False, "key_padding_mask": PADDING}),
]


def mha_pair(torch, **kwargs):
    tm = torch.nn.MultiheadAttention(E, HEADS, dtype=torch.float64, **kwargs)
    gm = nn.MultiheadAttention(E, HEADS, dtype="float64", **kwargs)
    assert list(gm.state_dict()) == list(tm.state_dict())
    gm.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    return gm, tm


def mha_inputs(kwargs, batched=True):
    kdim, vdim = kwargs.get("kdim", E), kwargs.get("vdim", E)
    if not batched:
        return [randn(L, E), randn(S, kdim), randn(S, vdim)]
    bf = kwargs.get("batch_first", False)
    return [randn(*((N, n, d) if bf else (n, N, d))) for n, d in ((L, E), (S, kdim), (S, vdim))]


def compare_mha(torch, gm, tm, arrays, forward_kwargs):
    gx = [gradix.tensor(a, requires_grad=True) for a in arrays]
    tx = [torch.tensor(a, requires_grad=True) for a in arrays]
    tkw = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v
           for k, v in forward_kwargs.items()}
    (go, gw), (to, tw) = gm(*gx, **forward_kwargs), tm(*tx, **tkw)
    assert (gw is None) == (tw is None)
    np.testing.assert_allclose(go.detach().numpy(), to.detach().numpy(), **TOL["float64"])
    gloss, tloss = (go * np.cos(arrays[0])).sum(), (to * torch.tensor(np.cos(arrays[0]))).sum()
    if gw is not None:
        assert gw.shape == tuple(tw.shape)
        np.testing.assert_allclose(gw.detach().numpy(), tw.detach().numpy(), **TOL["float64"])
        weight = randn(*gw.shape)
        gloss, tloss = gloss + (gw * weight).sum(), tloss + (tw * torch.tensor(weight)).sum()
    gloss.backward()
    tloss.backward()
    for i, (a, b) in enumerate(zip(gx, tx)):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **TOL["float64"],
                                   err_msg=f"input {i}")
    tparams = dict(tm.named_parameters())
    for name, p in gm.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), tparams[name].grad.numpy(), **TOL["float64"],
                                   err_msg=name)


@pytest.mark.parametrize("init_kwargs, forward_kwargs", [c[1:] for c in MHA_CASES],
                         ids=[c[0] for c in MHA_CASES])
def test_multihead_attention_matches_torch(torch, init_kwargs, forward_kwargs):
    gm, tm = mha_pair(torch, **init_kwargs)
    compare_mha(torch, gm, tm, mha_inputs(init_kwargs), forward_kwargs)


def test_multihead_attention_unbatched_matches_torch(torch):
    gm, tm = mha_pair(torch)
    compare_mha(torch, gm, tm, mha_inputs({}, batched=False),
                {"key_padding_mask": np.array([0.0] * 5 + [-np.inf]),
                 "attn_mask": randn(HEADS, L, S), "average_attn_weights": False})


def test_multihead_attention_self_attention_and_is_causal_alone(torch):
    gm, tm = mha_pair(torch, batch_first=True)
    x = randn(N, L, E)
    causal = np.triu(np.ones((L, L), bool), 1)
    gx, tx = gradix.tensor(x), torch.tensor(x)
    out = gm(gx, gx, gx, is_causal=True, need_weights=False)[0]  # torch needs the mask too
    ref = tm(tx, tx, tx, attn_mask=torch.tensor(causal), is_causal=True, need_weights=False)[0]
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), **TOL["float64"])


def test_multihead_attention_errors():
    with pytest.raises(ValueError, match="multiple of num_heads"):
        nn.MultiheadAttention(10, 3)
    m = nn.MultiheadAttention(E, HEADS)
    x = gradix.tensor(randn(L, N, E))
    with pytest.raises(ValueError, match="MultiheadAttention: expects query"):
        m(x, gradix.tensor(randn(S, N, E + 1)), gradix.tensor(randn(S, N, E)))
    with pytest.raises(ValueError, match="attn_mask must have shape"):
        m(x, x, x, attn_mask=np.zeros((L, L + 1), bool))
    with pytest.raises(ValueError, match="key_padding_mask must have shape"):
        m(x, x, x, key_padding_mask=np.zeros((N, L + 1), bool))


# ---------------------------------------------------------------------- sparse patterns
# (id, length, window, global positions, causal)
SPARSE_CASES = [
    ("local", 13, 2, (), False),
    ("local-causal", 13, 3, (), True),
    ("local-window-0", 7, 0, (), False),
    ("local-window-over-length", 6, 9, (), False),
    ("local-exact-blocks", 12, 4, (), False),
    ("global", 11, None, (0, 6), False),
    ("global-causal", 11, None, (4,), True),
    ("mixed", 17, 3, (0, -1), False),
    ("mixed-causal", 17, 2, (1, 9), True),
]


def sparse_case(length):
    return [randn(2, 3, length, 4), randn(2, 3, length, 4), randn(2, 3, length, 5)]


@pytest.mark.parametrize("length, window, positions, causal", [c[1:] for c in SPARSE_CASES],
                         ids=[c[0] for c in SPARSE_CASES])
def test_sparse_attention_equals_masked_full_attention(torch, length, window, positions,
                                                        causal):
    mask = F.sparse_attention_mask(length, window, positions, causal)
    check_vs_torch(lambda q, k, v: F.sparse_attention(q, k, v, window, positions, causal),
                   lambda q, k, v: torch.nn.functional.scaled_dot_product_attention(
                       q, k, v, attn_mask=torch.tensor(mask.numpy())),
                   sparse_case(length), "float64")


@pytest.mark.parametrize("length, window, positions, causal", [c[1:] for c in SPARSE_CASES],
                         ids=[c[0] for c in SPARSE_CASES])
def test_sparse_attention_weights_densify_to_the_full_weights(length, window, positions,
                                                              causal):
    q, k, v = (gradix.tensor(a) for a in sparse_case(length))
    _, weights = F.sparse_attention(q, k, v, window, positions, causal, need_weights=True)
    mask = F.sparse_attention_mask(length, window, positions, causal)
    scores = (q @ k.mT).numpy() / 2
    scores[..., ~mask.numpy()] = -np.inf
    expected = np.exp(scores - scores.max(-1, keepdims=True, initial=-1e300))
    expected /= np.maximum(expected.sum(-1, keepdims=True), 1e-300)  # a blind query: zeros
    np.testing.assert_allclose(weights.dense().numpy(), expected, **TOL["float64"])


def test_named_variants_and_gradcheck():
    q, k, v = sparse_case(10)
    for order in (1, 2):
        check_gradcheck(lambda q, k, v: F.local_attention(q, k, v, 2, causal=True), [q, k, v],
                        order=order)
        check_gradcheck(lambda q, k, v: F.mixed_attention(q, k, v, 2, [0]), [q, k, v],
                        order=order)
    gq, gk, gv = (gradix.tensor(a) for a in (q, k, v))
    for out, ref in [(F.global_attention(gq, gk, gv, [3]), F.sparse_attention(
            gq, gk, gv, None, [3])), (F.local_attention(gq, gk, gv, 1), F.sparse_attention(
            gq, gk, gv, 1))]:
        np.testing.assert_array_equal(out.numpy(), ref.numpy())


def peak_memory(length, window):
    """Peak NumPy bytes of local attention's forward and backward, and its band's shape."""
    q, k, v = (gradix.tensor(randn(1, length, 8).astype(np.float32), requires_grad=True)
               for _ in range(3))
    tracemalloc.start()
    out, weights = F.local_attention(q, k, v, window, need_weights=True)
    out.sum().backward()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, weights.band.shape


def test_local_attention_memory_is_linear_in_length():
    """Blocks of `window` rows meet 3 * window keys; doubling L at most about doubles the peak
    memory, which stays far below that of one (L, L) score matrix (64 MiB at L = 4096)."""
    (small, _), (large, band) = peak_memory(2048, 32), peak_memory(4096, 32)
    assert band == (1, 128, 32, 96)
    assert large / small < 2.3
    assert large < 4096 * 4096 * 4 / 4


def test_sparse_attention_errors():
    q = gradix.tensor(randn(1, 6, 4))
    with pytest.raises(ValueError, match="give a window, global positions or both"):
        F.sparse_attention(q, q, q)
    with pytest.raises(ValueError, match=r"global_positions must be .* \[-6, 5\]"):
        F.global_attention(q, q, q, [6])
    with pytest.raises(ValueError, match="window must be a non-negative int"):
        F.local_attention(q, q, q, -1)
    with pytest.raises(ValueError, match="query and key"):
        F.local_attention(q, gradix.tensor(randn(1, 5, 4)), q, 2)


@pytest.mark.parametrize("window, positions, causal", [(2, (), False), (None, (0,), False),
                                                       (2, (0, 4), True)])
def test_sparse_multihead_attention_equals_masked_multihead_attention(window, positions,
                                                                      causal):
    gradix.manual_seed(0)
    sparse = nn.SparseMultiheadAttention(E, HEADS, window, positions, causal, batch_first=True,
                                         dtype="float64")
    full = nn.MultiheadAttention(E, HEADS, batch_first=True, dtype="float64")
    full.load_state_dict(sparse.state_dict())
    x = randn(N, 9, E)
    xs, xf = gradix.tensor(x, requires_grad=True), gradix.tensor(x, requires_grad=True)
    out, weights = sparse(xs, need_weights=True)
    blocked = ~F.sparse_attention_mask(9, window, positions, causal).numpy()
    ref, ref_weights = full(xf, xf, xf, attn_mask=blocked, average_attn_weights=False)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), **TOL["float64"])
    np.testing.assert_allclose(weights.dense().numpy(), ref_weights.detach().numpy(),
                               **TOL["float64"])
    g = randn(*out.shape)
    out.backward(gradix.tensor(g))
    ref.backward(gradix.tensor(g))
    np.testing.assert_allclose(xs.grad.numpy(), xf.grad.numpy(), **TOL["float64"])
    for (name, a), b in zip(sparse.named_parameters(), full.parameters()):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **TOL["float64"],
                                   err_msg=name)
