"""Transformer layers against PyTorch's with weights copied through state_dict (the keys must
match), positional encodings, the 'transformer' model of gradix train, and the example."""
import importlib.util
import os

import numpy as np
import pytest

import gradix
from gradix import nn
from gradix.models import MODELS, build_model

from .torch_compare import TOL

rng = np.random.default_rng(0)
D, HEADS, FF = 16, 4, 24


def pair(torch, make):
    """(gradix module, torch module) of one architecture in float64, torch's weights copied."""
    tm = make(torch.nn).to(torch.float64)
    gm = make(nn).double()
    assert list(gm.state_dict()) == list(tm.state_dict())
    gm.load_state_dict({k: v.numpy() for k, v in tm.state_dict().items()})
    return gm, tm


def close(a, b, what=""):
    np.testing.assert_allclose(a, b, **TOL["float64"], err_msg=what)


def batch(batch_first, n=3, length=5):
    return rng.standard_normal((n, length, D) if batch_first else (length, n, D))


PADDING = np.zeros((3, 5), bool)
PADDING[1, 3:] = True


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_matches_torch_in_eval(torch, norm_first, activation, batch_first):
    gm, tm = pair(torch, lambda m: m.TransformerEncoderLayer(
        D, HEADS, FF, dropout=0.1, activation=activation, batch_first=batch_first,
        norm_first=norm_first))
    gm.eval(), tm.eval()
    x = batch(batch_first)
    with torch.no_grad():
        ref = tm(torch.tensor(x), src_key_padding_mask=torch.tensor(PADDING))
    with gradix.no_grad():
        out = gm(gradix.tensor(x), src_key_padding_mask=PADDING)
    close(out.numpy(), ref.numpy())


@pytest.mark.parametrize("norm_first", [False, True])
def test_encoder_layer_gradients_match_torch(torch, norm_first):
    """Training mode (dropout 0): outputs, input and parameter gradients, with a causal mask."""
    gm, tm = pair(torch, lambda m: m.TransformerEncoderLayer(
        D, HEADS, FF, dropout=0.0, activation="gelu", norm_first=norm_first))
    x, g = batch(False), rng.standard_normal((5, 3, D))
    mask = np.triu(np.ones((5, 5), bool), 1)
    gx, tx = gradix.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out = gm(gx, src_mask=mask, is_causal=True)
    ref = tm(tx, src_mask=torch.tensor(mask), is_causal=True)
    close(out.detach().numpy(), ref.detach().numpy())
    out.backward(gradix.tensor(g))
    ref.backward(torch.tensor(g))
    close(gx.grad.numpy(), tx.grad.numpy(), "input")
    tparams = dict(tm.named_parameters())
    for name, p in gm.named_parameters():
        close(p.grad.numpy(), tparams[name].grad.numpy(), name)


def test_encoder_stack_deep_copies_and_matches_torch(torch):
    def make(m):
        layer = m.TransformerEncoderLayer(D, HEADS, FF, batch_first=True, norm_first=True)
        extra = {"enable_nested_tensor": False} if m is torch.nn else {}  # torch only
        return m.TransformerEncoder(layer, 2, norm=m.LayerNorm(D), **extra)
    gm, tm = pair(torch, make)
    gm.eval(), tm.eval()
    assert gm.layers[0].linear1.weight is not gm.layers[1].linear1.weight
    x = batch(True)
    with torch.no_grad():
        ref = tm(torch.tensor(x))
    with gradix.no_grad():
        close(gm(gradix.tensor(x)).numpy(), ref.numpy())


@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_layer_and_stack_match_torch(torch, norm_first):
    def make(m):
        layer = m.TransformerDecoderLayer(D, HEADS, FF, dropout=0.0, norm_first=norm_first)
        return m.TransformerDecoder(layer, 2)
    gm, tm = pair(torch, make)
    tgt, memory, g = batch(False, length=4), batch(False, length=6), batch(False, length=4)
    memory_padding = np.zeros((3, 6), bool)
    memory_padding[2, 4:] = True
    causal = torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64)
    gt, tt = gradix.tensor(tgt, requires_grad=True), torch.tensor(tgt, requires_grad=True)
    gmem, tmem = gradix.tensor(memory, requires_grad=True), torch.tensor(memory,
                                                                          requires_grad=True)
    out = gm(gt, gmem, memory_key_padding_mask=memory_padding, tgt_is_causal=True)
    ref = tm(tt, tmem, tgt_mask=causal, memory_key_padding_mask=torch.tensor(memory_padding),
             tgt_is_causal=True)
    close(out.detach().numpy(), ref.detach().numpy())
    out.backward(gradix.tensor(g))
    ref.backward(torch.tensor(g))
    close(gt.grad.numpy(), tt.grad.numpy(), "tgt")
    close(gmem.grad.numpy(), tmem.grad.numpy(), "memory")


def test_layer_errors():
    with pytest.raises(ValueError, match="activation must be 'relu', 'gelu' or a callable"):
        nn.TransformerEncoderLayer(D, HEADS, activation="tanh")
    with pytest.raises(ValueError, match="num_layers must be at least 1"):
        nn.TransformerEncoder(nn.TransformerEncoderLayer(D, HEADS), 0)


def test_sinusoidal_positional_encoding():
    pe = nn.PositionalEncoding(6, max_len=10, batch_first=True)
    assert not pe.state_dict()  # a non-persistent buffer
    out = pe(gradix.zeros(2, 4, 6)).numpy()
    pos, i = np.arange(4)[:, None], np.arange(3)[None, :]
    angle = pos / 10000 ** (2 * i / 6)
    close(out[1, :, 0::2], np.sin(angle).astype(np.float32))
    close(out[1, :, 1::2], np.cos(angle).astype(np.float32))
    with pytest.raises(ValueError, match="L <= max_len = 10"):
        pe(gradix.zeros(2, 11, 6))


def test_learned_positional_embedding_trains():
    pe = nn.LearnedPositionalEmbedding(8, 4, dtype="float64")  # (L, N, E)
    x = gradix.tensor(rng.standard_normal((5, 2, 4)))
    out = pe(x)
    close(out.detach().numpy() - x.numpy(), np.broadcast_to(pe.weight.detach().numpy()[:5, None],
                                                            (5, 2, 4)))
    out.sum().backward()
    np.testing.assert_array_equal(pe.weight.grad.numpy()[:5], 2.0)
    np.testing.assert_array_equal(pe.weight.grad.numpy()[5:], 0.0)


def test_transformer_model_for_gradix_train():
    assert "transformer" in MODELS
    model = build_model("transformer", (1, 8, 8), 10, dropout=0.1)
    assert model(gradix.zeros(3, 1, 8, 8)).shape == (3, 10)
    with pytest.raises(ValueError, match="model 'transformer' needs image inputs"):
        build_model("transformer", (64,), 10)


def test_reverse_example_quick_run():
    path = os.path.join(os.path.dirname(__file__), "..", "..", "examples",
                        "transformer_reverse.py")
    spec = importlib.util.spec_from_file_location("transformer_reverse", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    metrics = example.train(example.QUICK_STEPS)
    assert metrics["token_accuracy"] > 0.95 and metrics["loss"] < 0.1  # chance: 0.1 and 2.3
