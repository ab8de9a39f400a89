"""Finite-difference checks (float64, small shapes) of the first and second derivatives of the
layer ops in gradix.nn.functional (gradcheck, gradgradcheck), and their argument errors."""
import numpy as np
import pytest

import gradix
from gradix.nn import functional as F

from .torch_compare import check_gradcheck, check_vs_torch


def arrays(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes]


CONV2D = [  # (x shape, w shape, kwargs)
    ((2, 2, 5, 5), (3, 2, 3, 3), dict(stride=1, padding=1)),
    ((1, 4, 6, 5), (4, 2, 2, 3), dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)),
    ((1, 2, 5, 6), (2, 2, 2, 2), dict(padding="same", dilation=2)),
    ((1, 3, 7, 7), (3, 1, 3, 3), dict(stride=3, padding="valid", groups=3)),
    ((2, 4, 5, 6), (6, 2, 3, 2), dict(stride=1, padding=(1, 2), dilation=(2, 1), groups=2)),
]
CASES = [  # (id, gradix function, arrays)
    *[(f"conv2d-{i}", lambda x, w, b, kw=kw: F.conv2d(x, w, b, **kw), arrays(xs, ws, ws[:1]))
      for i, (xs, ws, kw) in enumerate(CONV2D)],
    ("conv1d", lambda x, w: F.conv1d(x, w, stride=2, padding=2, dilation=2, groups=2),
     arrays((2, 4, 7), (2, 2, 3))),
    ("max_pool2d", lambda x: F.max_pool2d(x, 2), arrays((2, 2, 4, 5))),
    ("max_pool2d-overlap", lambda x: F.max_pool2d(x, 3, 2, 1, dilation=(2, 1)),
     arrays((1, 2, 6, 5))),
    ("avg_pool2d", lambda x: F.avg_pool2d(x, 3, 2, 1), arrays((1, 2, 5, 6))),
    ("avg_pool2d-exclude-pad", lambda x: F.avg_pool2d(x, 2, 1, 1, count_include_pad=False),
     arrays((1, 2, 4, 4))),
    ("adaptive_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, (2, 3)), arrays((2, 2, 5, 4))),
    ("linear", F.linear, arrays((2, 3, 4), (5, 4), (5,))),
    ("batch_norm-train", lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
     arrays((4, 3, 2), (3,), (3,))),
    ("batch_norm-eval", lambda x, m, v, w, b: F.batch_norm(x, m, v * v + 0.5, w, b),
     arrays((4, 3, 2, 2), (3,), (3,), (3,), (3,))),
    ("layer_norm", lambda x, w, b: F.layer_norm(x, (2, 3), w, b), arrays((2, 2, 3), (2, 3),
                                                                          (2, 3))),
    ("embedding", lambda w: F.embedding(gradix.tensor([[0, 3], [3, 1]]), w),
     arrays((4, 3))),
    ("dropout", lambda x: (gradix.manual_seed(0), F.dropout(x, 0.4))[1], arrays((3, 4))),
]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("fn, xs", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_gradcheck(fn, xs, order):
    """First derivatives, and second ones: the hand-written backwards of convolution, pooling
    and the fused Linear and Normalize ops are differentiable too."""
    check_gradcheck(fn, xs, order=order)


def test_conv_second_derivative_matches_torch():
    """d/dx of ||d conv / dw||^2 against torch (a mixed second derivative)."""
    torch = pytest.importorskip("torch")

    def fn(lib, conv):
        def run(x, w):
            gw, = lib.autograd.grad((conv(x, w, stride=2, padding=1) ** 2).sum(), [w],
                                    create_graph=True)
            return gw * gw
        return run
    check_vs_torch(fn(gradix, F.conv2d), fn(torch, torch.nn.functional.conv2d),
                   arrays((2, 3, 6, 5), (4, 3, 3, 3)), "float64")


def test_one_hot():
    torch = pytest.importorskip("torch")
    idx = np.array([[0, 3], [2, 1]])
    for n in (-1, 6):
        np.testing.assert_array_equal(F.one_hot(gradix.tensor(idx), n).numpy(),
                                      torch.nn.functional.one_hot(torch.tensor(idx), n).numpy())
    assert F.one_hot(gradix.tensor(idx)).dtype == gradix.int64
    with pytest.raises(IndexError, match="index 3 is out of range for num_classes=3"):
        F.one_hot(gradix.tensor(idx), 3)
    with pytest.raises(TypeError, match="integer tensor"):
        F.one_hot(gradix.tensor([0.5]), 3)


@pytest.mark.parametrize("call, match", [
    (lambda x: F.conv2d(x, gradix.zeros(2, 3, 3)), "weight with 4 dimensions"),
    (lambda x: F.conv2d(x, gradix.zeros(2, 3, 3, 3), padding="full"), "'same' or 'valid'"),
    (lambda x: F.conv2d(x, gradix.zeros(2, 3, 3, 3), stride=2, padding="same"),
     "needs stride 1"),
    (lambda x: F.conv2d(x, gradix.zeros(2, 3, 3, 3), gradix.zeros(3)),
     r"bias must have shape \(2,\)"),
    (lambda x: F.conv2d(x, gradix.zeros(2, 3, 3, 3), stride=0), "stride must be positive"),
    (lambda x: F.conv2d(x, gradix.zeros(2, 3, 3, 3), padding=(1, 2, 3)), "tuple of 2 ints"),
    (lambda x: F.max_pool2d(x, 2, ceil_mode=True), "ceil_mode=True is not supported"),
    (lambda x: F.avg_pool2d(x[0, 0], 2), r"\(N, C, H, W\) or \(C, H, W\), got \(5, 5\)"),
    (lambda x: F.adaptive_avg_pool2d(x, 0), "must be positive"),
    (lambda x: F.batch_norm(x, None, None), "needed when not training"),
])
def test_functional_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call(gradix.zeros(1, 3, 5, 5))


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1)])
def test_max_pool2d_ties_send_the_gradient_to_the_first_maximum(kw):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).integers(0, 3, (2, 2, 6, 6)).astype("float64")  # many ties
    check_vs_torch(lambda x: F.max_pool2d(x, **kw), lambda x: torch.nn.functional.max_pool2d(
        x, **kw), [x], "float64")
