"""nn.init: PyTorch's formulas (bounds and standard deviations), gains, seeding."""
import math

import numpy as np
import pytest

import gradix
from gradix.nn import init

SHAPE = (300, 200, 3)  # fan_in 600, fan_out 900


def filled(fn, *args, **kwargs):
    gradix.manual_seed(0)
    t = gradix.empty(*SHAPE)
    assert fn(t, *args, **kwargs) is t
    return t.numpy()


@pytest.mark.parametrize("fn, kwargs, bound", [
    (init.uniform_, dict(a=-2.0, b=3.0), None),
    (init.xavier_uniform_, dict(gain=2.0), 2.0 * math.sqrt(6 / 1500)),
    (init.kaiming_uniform_, dict(a=math.sqrt(5)), math.sqrt(3) * math.sqrt(2 / 6) / math.sqrt(600)),
    (init.kaiming_uniform_, dict(mode="fan_out", nonlinearity="relu"),
     math.sqrt(3) * math.sqrt(2) / math.sqrt(900)),
])
def test_uniform_bounds_and_spread(fn, kwargs, bound):
    lo, hi = (-2.0, 3.0) if bound is None else (-bound, bound)
    t = filled(fn, **kwargs)
    assert t.min() >= lo and t.max() <= hi
    assert abs(t.min() - lo) < 0.01 * (hi - lo) and abs(t.max() - hi) < 0.01 * (hi - lo)
    assert abs(t.std() - (hi - lo) / math.sqrt(12)) < 0.01 * (hi - lo)


@pytest.mark.parametrize("fn, kwargs, mean, std", [
    (init.normal_, dict(mean=1.5, std=0.5), 1.5, 0.5),
    (init.xavier_normal_, dict(gain=3.0), 0, 3.0 * math.sqrt(2 / 1500)),
    (init.kaiming_normal_, dict(nonlinearity="relu"), 0, math.sqrt(2 / 600)),
    (init.kaiming_normal_, dict(a=0.2, mode="fan_out"), 0, math.sqrt(2 / 1.04 / 900)),
])
def test_normal_mean_and_std(fn, kwargs, mean, std):
    t = filled(fn, **kwargs)
    assert abs(t.mean() - mean) < 0.01 * std + 1e-3 and abs(t.std() / std - 1) < 0.01


def test_constants_and_orthogonal():
    t = gradix.empty(3, 4)
    assert not init.zeros_(t).numpy().any()
    assert (init.ones_(t).numpy() == 1).all() and (init.constant_(t, 2.5).numpy() == 2.5).all()
    for shape in ((5, 3), (3, 2, 4)):
        q = init.orthogonal_(gradix.empty(*shape, dtype=gradix.float64), gain=2.0).numpy()
        q = q.reshape(shape[0], -1)
        small = q.T @ q if shape[0] > q.shape[1] else q @ q.T
        np.testing.assert_allclose(small, 4 * np.eye(len(small)), atol=1e-12)


def test_calculate_gain_matches_torch():
    torch = pytest.importorskip("torch")
    for args in [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",), ("leaky_relu",),
                 ("leaky_relu", 0.2), ("selu",)]:
        assert init.calculate_gain(*args) == pytest.approx(torch.nn.init.calculate_gain(*args))
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


def test_seeded_and_in_place_on_parameters():
    from gradix import nn
    gradix.manual_seed(7)
    a = nn.Linear(4, 3).weight.detach().numpy()
    gradix.manual_seed(7)
    b = nn.Linear(4, 3).weight.detach().numpy()
    np.testing.assert_array_equal(a, b)
    p = nn.Parameter(gradix.zeros(3, 4))
    init.kaiming_normal_(p)  # a parameter that requires grad is filled without complaint
    assert p.requires_grad and p.detach().numpy().any()


def test_fan_errors():
    with pytest.raises(ValueError, match=r"at least 2 dimensions, got shape \(5,\)"):
        init.xavier_uniform_(gradix.empty(5))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_uniform_(gradix.empty(2, 2), mode="fan")
