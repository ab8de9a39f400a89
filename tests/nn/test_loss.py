"""Every loss with its options against PyTorch (output and input gradients, float64 and
float32, each reduction), finite differences, logits of +-1e4, modules, and error messages."""
import warnings

import numpy as np
import pytest

import gradix
import gradix.nn as nn
import gradix.nn.functional as F

from .torch_compare import check_gradcheck, check_vs_torch

REDUCTIONS = ["mean", "sum", "none"]


def _rng(name):
    return np.random.default_rng(sum(map(ord, name)))


def _away(x, kinks, gap=0.1):
    for k in kinks:
        x = np.where(np.abs(x - k) < gap, k + np.sign(x - k + 1e-300) * 2 * gap, x)
    return x


def _log_softmax(x, axis):
    z = x - x.max(axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis, keepdims=True))


def _probs(r, shape, axis):
    return np.exp(_log_softmax(r.standard_normal(shape), axis))


# ---------------------------------------------------------------------- input makers
def regression(r, kinks=()):
    x = r.standard_normal((4, 3)) * 2
    d = _away(r.standard_normal((4, 3)) * 2, kinks)
    return [x, x - d]


def classes(r, shape=(5, 4), ignore=None, every=3):
    """Logits of ``shape`` (N, C, d...) and class indices, every ``every``-th one ``ignore``."""
    x = r.standard_normal(shape) * 3
    c = shape[0] if len(shape) == 1 else shape[1]
    t_shape = () if len(shape) == 1 else shape[:1] + shape[2:]
    t = r.integers(0, c, t_shape)
    if ignore is not None:
        t.reshape(-1)[::every] = ignore
    return [x, t]


def probabilities(r, shape=(5, 4)):
    axis = 0 if len(shape) == 1 else 1
    return [r.standard_normal(shape) * 3, _probs(r, shape, axis)]


def binary(r):
    return [r.uniform(0.05, 0.95, (4, 3)), r.uniform(0, 1, (4, 3))]


def margins(r, shape=(5, 4), margin=1.0):
    x = r.standard_normal(shape)
    t = r.integers(0, shape[-1], shape[:-1])
    # keep every margin - x[t] + x[j] away from the hinge at 0
    for _ in range(20):
        xt = np.take_along_axis(x.reshape(-1, shape[-1]), t.reshape(-1, 1), 1)
        z = margin - xt + x.reshape(-1, shape[-1])
        if (np.abs(z) > 0.05).all():
            break
        x = r.standard_normal(shape)
    return [x, t]


def hinge(r, margin=1.0):
    return [_away(r.standard_normal((4, 3)) * 2, [margin]), r.choice([-1.0, 1.0], (4, 3))]


def kl(r, log_target=False):
    p = _probs(r, (4, 3), 1)
    return [_log_softmax(r.standard_normal((4, 3)), 1), np.log(p) if log_target else p]


W4 = np.array([0.5, 2.0, 1.0, 1.5])
W3 = np.array([0.3, 1.0, 2.5])


def w(values):
    """A constant weight: the same values as a gradix and a torch tensor of the input dtype."""
    def make(T, like):
        return T.tensor(values.astype(str(like.dtype).removeprefix("torch.")))
    return make


# name -> (loss, kwargs, input maker, gradient inputs); kwargs values made by ``w`` become
# tensors of the input's dtype in each framework
CASES = {
    "mse": ("mse_loss", {}, regression, None),
    "mse_weight": ("mse_loss", {"weight": w(np.arange(1.0, 13).reshape(4, 3) / 6)}, regression,
                   [0, 1]),
    "l1": ("l1_loss", {}, lambda r: regression(r, [0]), None),
    "l1_weight": ("l1_loss", {"weight": w(np.arange(1.0, 13).reshape(4, 3) / 6)},
                  lambda r: regression(r, [0]), [0, 1]),
    "smooth_l1": ("smooth_l1_loss", {}, lambda r: regression(r, [0, -1, 1]), None),
    "smooth_l1_beta0.5": ("smooth_l1_loss", {"beta": 0.5},
                          lambda r: regression(r, [0, -0.5, 0.5]), None),
    "smooth_l1_beta0": ("smooth_l1_loss", {"beta": 0.0}, lambda r: regression(r, [0]), None),
    "huber": ("huber_loss", {}, lambda r: regression(r, [0, -1, 1]), None),
    "huber_delta2": ("huber_loss", {"delta": 2.0}, lambda r: regression(r, [0, -2, 2]), None),
    "huber_weight": ("huber_loss", {"weight": w(np.arange(1.0, 13).reshape(4, 3) / 6)},
                     lambda r: regression(r, [0, -1, 1]), [0, 1]),
    "ce": ("cross_entropy", {}, classes, None),
    "ce_unbatched": ("cross_entropy", {}, lambda r: classes(r, (4,)), None),
    "ce_4d": ("cross_entropy", {}, lambda r: classes(r, (2, 4, 3, 2)), None),
    "ce_weight": ("cross_entropy", {"weight": w(W4)}, classes, None),
    "ce_ignore": ("cross_entropy", {}, lambda r: classes(r, ignore=-100), None),
    "ce_ignore_class": ("cross_entropy", {"ignore_index": 2},
                        lambda r: classes(r, ignore=2, every=2), None),
    "ce_weight_ignore_4d": ("cross_entropy", {"weight": w(W4), "ignore_index": 3},
                            lambda r: classes(r, (2, 4, 3, 2), ignore=3), None),
    "ce_smoothing": ("cross_entropy", {"label_smoothing": 0.2}, classes, None),
    "ce_smoothing_weight_ignore": (
        "cross_entropy", {"label_smoothing": 0.3, "weight": w(W4), "ignore_index": -1},
        lambda r: classes(r, ignore=-1), None),
    "ce_smoothing_4d_unbatched": ("cross_entropy", {"label_smoothing": 0.1},
                                  lambda r: classes(r, (4,)), None),
    "ce_probs": ("cross_entropy", {}, probabilities, None),
    "ce_probs_unbatched": ("cross_entropy", {}, lambda r: probabilities(r, (4,)), None),
    "ce_probs_4d_weight_smoothing": ("cross_entropy", {"weight": w(W4), "label_smoothing": 0.2},
                                     lambda r: probabilities(r, (2, 4, 3, 2)), None),
    "nll": ("nll_loss", {}, classes, None),
    "nll_unbatched": ("nll_loss", {}, lambda r: classes(r, (4,)), None),
    "nll_weight_ignore_4d": ("nll_loss", {"weight": w(W4), "ignore_index": 1},
                             lambda r: classes(r, (2, 4, 3, 2), ignore=1), None),
    "bce": ("binary_cross_entropy", {}, binary, None),
    "bce_weight_row": ("binary_cross_entropy", {"weight": w(W3)}, binary, None),
    "bce_weight_full": ("binary_cross_entropy", {"weight": w(np.arange(1.0, 13).reshape(4, 3))},
                        binary, None),
    "bce_logits": ("binary_cross_entropy_with_logits", {}, probabilities, None),
    "bce_logits_weight_pos_weight": ("binary_cross_entropy_with_logits",
                                     {"weight": w(W4), "pos_weight": w(W4[::-1].copy())},
                                     probabilities, None),
    "multi_margin": ("multi_margin_loss", {}, margins, None),
    "multi_margin_p2_margin0.5_weight": ("multi_margin_loss",
                                         {"p": 2, "margin": 0.5, "weight": w(W4)},
                                         lambda r: margins(r, margin=0.5), None),
    "multi_margin_unbatched": ("multi_margin_loss", {"p": 2}, lambda r: margins(r, (4,)), None),
    "hinge_embedding": ("hinge_embedding_loss", {}, hinge, [0]),
    "hinge_embedding_margin2": ("hinge_embedding_loss", {"margin": 2.0},
                                lambda r: hinge(r, 2.0), [0]),
    "kl_div": ("kl_div", {}, kl, None),
    "kl_div_log_target": ("kl_div", {"log_target": True}, lambda r: kl(r, True), None),
}


def _kwargs(kwargs, T, like):
    return {k: v(T, like) if callable(v) else v for k, v in kwargs.items()}


def _reductions(name):
    return REDUCTIONS + (["batchmean"] if CASES[name][0] == "kl_div" else [])


PARAMS = [(n, r) for n in CASES for r in _reductions(n)]
IDS = [f"{n}-{r}" for n, r in PARAMS]


def _call(T, module, name, reduction):
    fn_name, kwargs, _, _ = CASES[name]
    fn = getattr(module, fn_name)

    def call(x, t):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "reduction: 'mean' divides")  # kl_div's advice
            return fn(x, t, reduction=reduction, **_kwargs(kwargs, T, x))
    return call


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, reduction", PARAMS, ids=IDS)
def test_matches_torch(name, reduction, dtype):
    torch = pytest.importorskip("torch")
    arrays = CASES[name][2](_rng(name))
    check_vs_torch(_call(gradix, F, name, reduction),
                   _call(torch, torch.nn.functional, name, reduction), arrays, dtype,
                   grad=CASES[name][3])


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name, reduction", PARAMS, ids=IDS)
def test_gradcheck(name, reduction, order):
    check_gradcheck(_call(gradix, F, name, reduction), CASES[name][2](_rng(name)),
                    grad=CASES[name][3], order=order)


# ---------------------------------------------------------------------- large logits
BIG = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4 - 5, -1e4]])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", ["indices", "probabilities", "smoothing", "bce_logits"])
def test_large_logits_are_stable(case, dtype):
    torch = pytest.importorskip("torch")
    if case == "bce_logits":
        arrays = [BIG, np.array([[1.0, 0, 0.5], [0, 1, 1], [0.2, 0.8, 1]])]
        name, kwargs = "binary_cross_entropy_with_logits", {}
    else:
        target = (np.array([1, 0, 2]) if case != "probabilities"
                  else np.array([[0.1, 0.8, 0.1], [0.5, 0.0, 0.5], [0, 1.0, 0]]))
        arrays = [BIG, target]
        name, kwargs = "cross_entropy", ({"label_smoothing": 0.1} if case == "smoothing" else {})
    for reduction in REDUCTIONS:
        gfn = lambda x, t: getattr(F, name)(x, t, reduction=reduction, **kwargs)  # noqa: E731
        tfn = lambda x, t: getattr(torch.nn.functional, name)(  # noqa: E731
            x, t, reduction=reduction, **kwargs)
        check_vs_torch(gfn, tfn, arrays, dtype, grad=[0])
        x = gradix.tensor(BIG.astype(dtype), requires_grad=True)
        loss = gfn(x, gradix.tensor(arrays[1].astype(dtype) if case != "indices" and
                                    case != "smoothing" else arrays[1]))
        loss.sum().backward()
        assert np.isfinite(loss.detach().numpy()).all() and np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_bce_at_zero_and_one_clamps_log_like_torch(dtype):
    torch = pytest.importorskip("torch")
    x, t = np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    for reduction in REDUCTIONS:
        # input gradients only: at x = 0 or 1 PyTorch's target gradient is +-inf, while gradix
        # gives the derivative of the clamped loss it computes (finite)
        check_vs_torch(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction),
                       lambda a, b: torch.nn.functional.binary_cross_entropy(
                           a, b, reduction=reduction), [x, t], dtype, grad=[0])
    xt = gradix.tensor(x, requires_grad=True)
    tt = gradix.tensor(t, requires_grad=True)
    F.binary_cross_entropy(xt, tt, reduction="sum").backward()
    np.testing.assert_array_equal(tt.grad.numpy(), [100, -100, 100, -100, 0])


@pytest.mark.filterwarnings("ignore:invalid value encountered in divide")
def test_all_targets_ignored_gives_nan_mean_like_torch():
    torch = pytest.importorskip("torch")
    x, t = np.zeros((2, 3)), np.array([-100, -100])
    check_vs_torch(F.cross_entropy, torch.nn.functional.cross_entropy, [x, t], "float64",
                   grad=[])


# ---------------------------------------------------------------------- errors
def _t(a, dtype=None):
    return gradix.tensor(a, dtype=dtype)


LOGITS = _t(np.zeros((4, 10)))
ERRORS = [
    (lambda: F.cross_entropy(LOGITS, _t([0, 1, 12, 3])), IndexError,
     r"cross_entropy: target 12 is out of range for 10 classes \[0, 9\]"),
    (lambda: F.cross_entropy(LOGITS, _t([0, -3, 1, 3])), IndexError,
     r"cross_entropy: target -3 is out of range for 10 classes \[0, 9\]"),
    (lambda: F.cross_entropy(LOGITS, _t([0, 1, 2])), ValueError,
     r"expected target of shape \(4,\) for input of shape \(4, 10\).*got \(3,\)"),
    (lambda: F.cross_entropy(LOGITS, _t([0.0, 1, 2, 3])), TypeError,
     r"target must hold class indices \(an integer tensor of shape \(4,\)\), or class "
     r"probabilities of the input's shape \(4, 10\); got gradix.float32 of shape \(4,\)"),
    (lambda: F.cross_entropy(LOGITS, _t([0, 1, 2, 3]), _t(np.ones(9))), ValueError,
     r"weight must be a 1-D tensor with one entry per class \(10\), got shape \(9,\)"),
    (lambda: F.cross_entropy(LOGITS, _t([0, 1, 2, 3]), label_smoothing=1.5), ValueError,
     r"label_smoothing must be in \[0, 1\], got 1.5"),
    (lambda: F.cross_entropy(LOGITS, _t(np.full((4, 10), 0.1)), ignore_index=0), ValueError,
     r"ignore_index \(0\) applies to class-index targets only"),
    (lambda: F.cross_entropy(LOGITS, _t([0, 1, 2, 3]), reduction="avg"), ValueError,
     r"cross_entropy: reduction must be one of 'none', 'mean', 'sum', got 'avg'"),
    (lambda: F.cross_entropy(_t(1.0), _t(0)), ValueError,
     "input must have a class dimension"),
    (lambda: F.nll_loss(_t(np.zeros((2, 3, 4))), _t([[0, 3, 1, 0], [1, 1, 1, 1]])), IndexError,
     r"nll_loss: target 3 is out of range for 3 classes \[0, 2\]"),
    (lambda: F.nll_loss(_t(np.zeros((2, 3, 4))), _t([0, 1])), ValueError,
     r"expected target of shape \(2, 4\) for input of shape \(2, 3, 4\); got \(2,\)"),
    (lambda: F.multi_margin_loss(LOGITS, _t([0, 1, 10, 3])), IndexError,
     r"multi_margin_loss: target 10 is out of range for 10 classes \[0, 9\]"),
    (lambda: F.multi_margin_loss(LOGITS, _t([0, 1, 2, 3]), p=3), ValueError,
     "p must be 1 or 2, got 3"),
    (lambda: F.multi_margin_loss(_t(np.zeros((2, 3, 4))), _t([0, 1])), ValueError,
     r"input must be \(N, C\) or \(C,\), got shape \(2, 3, 4\)"),
    (lambda: F.binary_cross_entropy(_t([0.5, 1.5]), _t([0.0, 1.0])), ValueError,
     r"input values must be probabilities in \[0, 1\], got 1.5"),
    (lambda: F.binary_cross_entropy(_t([0.5, 0.5]), _t([0.0, 2.0])), ValueError,
     r"target values must be probabilities in \[0, 1\], got 2.0"),
    (lambda: F.binary_cross_entropy(_t([0.5, 0.5]), _t([[0.0, 1.0]])), ValueError,
     r"target shape \(1, 2\) must equal the input shape \(2,\)"),
    (lambda: F.binary_cross_entropy(_t([0.5, 0.5]), _t([0.0, 1.0]), _t([1.0, 2, 3])), ValueError,
     r"weight of shape \(3,\) can't be broadcast to the input shape \(2,\)"),
    (lambda: F.binary_cross_entropy_with_logits(_t(np.zeros((2, 3))), _t(np.zeros(3))),
     ValueError, r"target shape \(3,\) must equal the input shape \(2, 3\)"),
    (lambda: F.binary_cross_entropy_with_logits(_t(np.zeros((2, 3))), _t(np.zeros((2, 3))),
                                                pos_weight=_t(np.ones(2))), ValueError,
     r"pos_weight of shape \(2,\) can't be broadcast to the input shape \(2, 3\)"),
    (lambda: F.hinge_embedding_loss(_t([0.5, 0.5]), _t([1.0, 0.0])), ValueError,
     "target values must be 1 or -1, got 0.0"),
    (lambda: F.mse_loss(_t(np.zeros((2, 3))), _t(np.zeros(4))), ValueError,
     r"mse_loss: target shape \(4,\) can't be broadcast to the input shape \(2, 3\)"),
    (lambda: F.mse_loss(_t(np.zeros(3)), _t(np.zeros(3)), weight=_t(np.ones(2))), ValueError,
     r"weight shape \(2,\) must equal the input shape \(3,\)"),
    (lambda: F.mse_loss(_t(np.zeros(3)), _t(np.zeros(3)), reduction="batchmean"), ValueError,
     "reduction must be one of 'none', 'mean', 'sum', got 'batchmean'"),
    (lambda: F.smooth_l1_loss(_t([1.0]), _t([1.0]), beta=-1), ValueError,
     "beta must be non-negative, got -1"),
    (lambda: F.huber_loss(_t([1.0]), _t([1.0]), delta=0), ValueError,
     "delta must be positive, got 0"),
    (lambda: F.kl_div(_t([1.0]), _t([1.0]), reduction="batch"), ValueError,
     "reduction must be one of 'none', 'mean', 'sum', 'batchmean', got 'batch'"),
    (lambda: nn.CrossEntropyLoss(reduction="avg"), ValueError,
     "CrossEntropyLoss: reduction must be one of"),
    (lambda: nn.MultiMarginLoss(p=3), ValueError, "MultiMarginLoss: p must be 1 or 2, got 3"),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[m[:40] for _, _, m in ERRORS])
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_kl_div_mean_warns_like_torch():
    with pytest.warns(UserWarning, match="reduction: 'mean' divides the total loss by both"):
        F.kl_div(_t([[-1.0, -0.5]]), _t([[0.5, 0.5]]))


def test_broadcast_target_warns_like_torch():
    with pytest.warns(UserWarning, match=r"target shape \(3,\) differs from input shape \(2, 3\)"):
        F.mse_loss(_t(np.zeros((2, 3))), _t(np.zeros(3)))


# ---------------------------------------------------------------------- modules
MODULES = [
    ("MSELoss", {}, "mse"), ("L1Loss", {"reduction": "sum"}, "l1"),
    ("SmoothL1Loss", {"beta": 0.5}, "smooth_l1_beta0.5"), ("HuberLoss", {"delta": 2.0},
                                                           "huber_delta2"),
    ("CrossEntropyLoss", {"weight": W4, "ignore_index": 3, "label_smoothing": 0.1},
     "ce_weight_ignore_4d"),
    ("NLLLoss", {"weight": W4, "ignore_index": 1, "reduction": "none"}, "nll_weight_ignore_4d"),
    ("BCELoss", {"weight": W3}, "bce"),
    ("BCEWithLogitsLoss", {"weight": W4, "pos_weight": W4[::-1].copy()},
     "bce_logits_weight_pos_weight"),
    ("MultiMarginLoss", {"p": 2, "margin": 0.5, "weight": W4},
     "multi_margin_p2_margin0.5_weight"),
    ("HingeEmbeddingLoss", {"margin": 2.0}, "hinge_embedding_margin2"),
    ("KLDivLoss", {"reduction": "batchmean", "log_target": True}, "kl_div_log_target"),
]


@pytest.mark.parametrize("name, kwargs, case", MODULES, ids=[m[0] for m in MODULES])
def test_module_matches_torch(name, kwargs, case):
    torch = pytest.importorskip("torch")

    def build(T, module):
        return getattr(module, name)(**{k: T.tensor(v) if isinstance(v, np.ndarray) else v
                                        for k, v in kwargs.items()})
    gm, tm = build(gradix, nn), build(torch, torch.nn)
    assert repr(gm) == repr(tm)
    assert list(gm.state_dict()) == list(tm.state_dict())
    check_vs_torch(gm, tm, CASES[case][2](_rng(case)), "float64", grad=CASES[case][3])
