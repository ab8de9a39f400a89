"""Every layer against its torch.nn twin after copying torch's weights into it: outputs,
input gradients, parameter gradients and buffers after a training step, float64 and float32."""
import numpy as np
import pytest

import gradix
from gradix import nn

from .torch_compare import TOL

# (id, constructor taking an nn namespace, input shape); the same call builds both layers
LAYERS = [
    ("linear", lambda m: m.Linear(5, 3), (2, 4, 5)),
    ("linear-2d-nobias", lambda m: m.Linear(5, 3, bias=False), (6, 5)),
    ("conv1d", lambda m: m.Conv1d(4, 6, 3, stride=2, padding=1), (2, 4, 9)),
    ("conv1d-same-groups", lambda m: m.Conv1d(4, 6, 4, padding="same", dilation=2, groups=2),
     (2, 4, 9)),
    ("conv2d", lambda m: m.Conv2d(4, 6, 3, stride=2, padding=1), (2, 4, 7, 8)),
    ("conv2d-same", lambda m: m.Conv2d(4, 6, (3, 2), padding="same", dilation=(2, 1), groups=2,
                                       bias=False), (2, 4, 6, 5)),
    ("conv2d-depthwise", lambda m: m.Conv2d(3, 6, 3, groups=3, stride=(2, 1), padding=(0, 2)),
     (2, 3, 7, 6)),
    ("conv2d-valid-unbatched", lambda m: m.Conv2d(2, 3, 2, padding="valid"), (2, 5, 5)),
    ("maxpool2d", lambda m: m.MaxPool2d(2), (2, 3, 6, 7)),
    ("maxpool2d-overlap", lambda m: m.MaxPool2d(3, stride=2, padding=1, dilation=(1, 2)),
     (2, 3, 7, 9)),
    ("avgpool2d", lambda m: m.AvgPool2d(3, 2, 1), (2, 3, 7, 8)),
    ("avgpool2d-exclude-pad", lambda m: m.AvgPool2d(3, (1, 2), 1, count_include_pad=False),
     (2, 3, 5, 6)),
    ("avgpool2d-divisor", lambda m: m.AvgPool2d(2, divisor_override=3), (1, 2, 4, 4)),
    ("adaptive-avgpool2d", lambda m: m.AdaptiveAvgPool2d((3, 2)), (2, 3, 7, 5)),
    ("adaptive-avgpool2d-global", lambda m: m.AdaptiveAvgPool2d(1), (2, 3, 4, 5)),
    ("flatten", lambda m: m.Flatten(), (2, 3, 4)),
    ("unflatten", lambda m: m.Unflatten(1, (2, 3)), (4, 6, 2)),
    ("batchnorm1d", lambda m: m.BatchNorm1d(3), (8, 3)),
    ("batchnorm1d-3d", lambda m: m.BatchNorm1d(3, momentum=0.3), (4, 3, 5)),
    ("batchnorm2d", lambda m: m.BatchNorm2d(3), (4, 3, 5, 5)),
    ("batchnorm2d-cumulative", lambda m: m.BatchNorm2d(3, affine=False, momentum=None),
     (4, 3, 3, 3)),
    ("batchnorm2d-no-stats", lambda m: m.BatchNorm2d(3, track_running_stats=False),
     (4, 3, 3, 3)),
    ("layernorm", lambda m: m.LayerNorm(5), (2, 3, 5)),
    ("layernorm-2d-plain", lambda m: m.LayerNorm((3, 5), elementwise_affine=False), (2, 3, 5)),
    ("layernorm-nobias", lambda m: m.LayerNorm(5, bias=False), (4, 5)),
    ("identity", lambda m: m.Identity(7), (2, 3)),
    ("dropout-eval", lambda m: m.Dropout(0.5).eval(), (4, 5)),
]


def pair_of(torch, make, dtype):
    """(gradix layer, torch layer) of one architecture, torch's random weights copied over."""
    tl = make(torch.nn).to(getattr(torch, dtype))
    gl = make(nn).to(dtype)
    gl.load_state_dict({k: v.numpy() for k, v in tl.state_dict().items()})
    gl.train(tl.training)
    return gl, tl


def assert_close(a, b, dtype, what):
    np.testing.assert_allclose(np.asarray(a), b.detach().numpy(), **TOL[dtype], err_msg=what)


def step(torch, gl, tl, x, dtype, seed):
    """One forward/backward with a random upstream gradient; compares everything after it."""
    gx = gradix.tensor(x, requires_grad=x.dtype.kind == "f")
    tx = torch.tensor(x, requires_grad=x.dtype.kind == "f")
    gy, ty = gl(gx), tl(tx)
    assert gy.shape == tuple(ty.shape) and str(gy.dtype) == str(ty.dtype)[6:]
    assert_close(gy.detach().numpy(), ty, dtype, "output")
    v = np.random.default_rng(seed).standard_normal(gy.shape).astype(dtype)
    gy.backward(gradix.tensor(v))
    ty.backward(torch.tensor(v))
    if gx.requires_grad:
        assert_close(gx.grad.numpy(), tx.grad, dtype, "input gradient")
    tparams = dict(tl.named_parameters())
    for name, p in gl.named_parameters():
        assert_close(p.grad.numpy(), tparams[name].grad, dtype, f"gradient of {name}")
    tbufs = dict(tl.named_buffers())
    assert [n for n, _ in gl.named_buffers()] == list(tbufs)
    for name, b in gl.named_buffers():
        assert_close(b.numpy(), tbufs[name], dtype, f"buffer {name}")


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # torch's note on its own speed
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("make, shape", [case[1:] for case in LAYERS],
                         ids=[case[0] for case in LAYERS])
def test_layer_matches_torch(torch, make, shape, dtype):
    gl, tl = pair_of(torch, make, dtype)
    x = np.random.default_rng(1).standard_normal(shape).astype(dtype)
    step(torch, gl, tl, x, dtype, seed=2)
    if any(True for _ in tl.buffers()):  # a second step, then inference on running stats
        step(torch, gl, tl, x * 2 + 1, dtype, seed=3)
        gl.eval(), tl.eval()
        step(torch, gl, tl, x, dtype, seed=4)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_embedding_matches_torch(torch, dtype):
    gl, tl = pair_of(torch, lambda m: m.Embedding(10, 4, padding_idx=-8), dtype)
    idx = np.array([[1, 2, 2, 9], [0, 2, 5, 1]])
    step(torch, gl, tl, idx, dtype, seed=0)
    assert not gl.weight.grad.numpy()[2].any()


def test_cnn_training_step_matches_torch(torch):
    """A small CNN with every conv/pool/norm layer: one SGD step changes weights identically."""
    def make(m):
        return m.Sequential(m.Conv2d(2, 4, 3, padding=1), m.BatchNorm2d(4), m.MaxPool2d(2),
                            m.Conv2d(4, 4, 3, padding="same", groups=2), m.AvgPool2d(2),
                            m.AdaptiveAvgPool2d(2), m.Flatten(), m.LayerNorm(16),
                            m.Linear(16, 3))
    gl, tl = pair_of(torch, make, "float64")
    x = np.random.default_rng(0).standard_normal((3, 2, 8, 8))
    step(torch, gl, tl, x, "float64", seed=1)
    with gradix.no_grad():
        for p in gl.parameters():
            p -= 0.1 * p.grad
    with torch.no_grad():
        for p in tl.parameters():
            p -= 0.1 * p.grad
    for (name, a), b in zip(gl.state_dict().items(), tl.state_dict().values()):
        assert_close(a.numpy(), b, "float64", name)


def test_default_initialization_follows_torch_formulas():
    gradix.manual_seed(0)
    lin, conv = nn.Linear(400, 300), nn.Conv2d(20, 300, 5)
    for layer, fan_in in ((lin, 400), (conv, 500)):
        bound = 1 / np.sqrt(fan_in)
        w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
        assert w.dtype == np.float32 and np.abs(w).max() <= bound and np.abs(b).max() <= bound
        assert abs(w.std() - bound / np.sqrt(3)) < 0.02 * bound
    emb = nn.Embedding(200, 300, padding_idx=0)
    assert not emb.weight.detach().numpy()[0].any()
    assert abs(emb.weight.detach().numpy()[1:].std() - 1) < 0.02


def test_dropout_masks_scales_and_is_seeded():
    x = gradix.ones(200, 300, requires_grad=True)
    layer = nn.Dropout(0.25)
    gradix.manual_seed(3)
    y = layer(x)
    gradix.manual_seed(3)
    np.testing.assert_array_equal(y.detach().numpy(), layer(x).detach().numpy())
    values = y.detach().numpy()
    assert set(np.unique(values)) == {0.0, np.float32(1 / 0.75)}
    assert abs((values == 0).mean() - 0.25) < 0.01
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)
    assert layer.eval()(x) is x
    assert not nn.Dropout(1.0)(x).detach().numpy().any()
    with pytest.raises(ValueError, match="between 0 and 1, got 1.5"):
        nn.Dropout(1.5)


@pytest.mark.parametrize("make, x_shape, match", [
    (lambda: nn.Conv2d(3, 4, 3), (2, 2, 5, 5), "3 channels|2 channels"),
    (lambda: nn.Conv2d(3, 4, 5), (1, 3, 3, 3), "smaller than the kernel"),
    (lambda: nn.Linear(3, 4), (2, 5), r"input of shape \(2, 5\) and weight of shape \(4, 3\)"),
    (lambda: nn.BatchNorm2d(3), (2, 3, 4), "expected 4D input"),
    (lambda: nn.BatchNorm1d(3), (1, 3), "more than 1 value per channel"),
    (lambda: nn.LayerNorm(4), (2, 5), r"doesn't end with normalized_shape \(4,\)"),
    (lambda: nn.MaxPool2d(2, padding=2), (1, 1, 4, 4), "at most half the kernel"),
])
def test_layer_errors_name_the_problem(make, x_shape, match):
    with pytest.raises(ValueError, match=match):
        make()(gradix.zeros(*x_shape))


def test_constructor_errors():
    with pytest.raises(ValueError, match="groups=4 must be positive and divide in_channels=6"):
        nn.Conv2d(6, 8, 3, groups=4)
    with pytest.raises(ValueError, match="'same' needs stride 1"):
        nn.Conv2d(2, 2, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding_idx 5 must be within"):
        nn.Embedding(5, 2, padding_idx=5)
    with pytest.raises(IndexError, match="index 7 is out of range .* 0 to 4"):
        nn.Embedding(5, 2)(gradix.tensor([1, 7]))
