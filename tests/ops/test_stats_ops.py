"""Statistics, index helpers and sampling beyond the op table: integer results, errors,
and random ops checked statistically with fixed seeds and for gradix.manual_seed
reproducibility."""
import numpy as np
import pytest

import gradix


def _torch():
    return pytest.importorskip("torch")


# ---------------------------------------------------------------------- counting and indices
@pytest.mark.parametrize("call", [
    lambda m: m.bincount(m.tensor([1, 3, 1, 0])),
    lambda m: m.bincount(m.tensor([1, 3, 1]), minlength=6),
    lambda m: m.bincount(m.tensor([], dtype=m.int64)),
    lambda m: m.bincount(m.tensor([1, 3, 1]), weights=m.tensor([0.5, 1.0, 2.0])),
    lambda m: m.bincount(m.tensor([1, 3, 1]), weights=m.tensor([1, 2, 3])),
    lambda m: m.tensor([2, 0, 2], dtype=m.uint8).bincount(),
    lambda m: m.tril_indices(3, 4, 1),
    lambda m: m.triu_indices(3, 2, -1),
    lambda m: m.tril_indices(0, 3),
    lambda m: m.triu_indices(4, 4, dtype=m.int32),
    lambda m: m.unravel_index(m.tensor([4, 1, -1, 0]), (2, 3)),
    lambda m: m.unravel_index(m.tensor(7), (2, 2, 2)),
    lambda m: m.unravel_index(m.tensor([[1, 2]]), 3),
    lambda m: m.isin(m.tensor([1, 2, 3]), 2),
    lambda m: m.isin(2, m.tensor([1, 2])),
    lambda m: m.isin(m.tensor([[1, 5], [2, 7]]), m.tensor([7, 1]), invert=True),
    lambda m: m.vander(m.tensor([1, 2, 3])),
    lambda m: m.vander(m.tensor([True, False]), N=3),
    lambda m: m.combinations(m.tensor([1, 2, 3]), r=0),
    lambda m: m.combinations(m.tensor([1, 2, 3]), r=4),
    lambda m: m.combinations(m.tensor([4, 5, 6])),
    lambda m: m.trapezoid(m.tensor([1, 2, 4])),
    lambda m: m.trapezoid(m.tensor([1, 2, 4]), dx=2),
    lambda m: m.cov(m.arange(6).reshape(2, 3)),
    lambda m: m.corrcoef(m.tensor([[1.0, 2.0, 3.0], [2.0, 1.0, 5.0]])),
    lambda m: m.histc(m.tensor([1.0, 1.0]), bins=4),
    lambda m: m.histc(m.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3),
    lambda m: m.histogram(m.tensor([1.0, 2, 3, 7]), m.tensor([0.0, 2, 5])),
    lambda m: m.histogram(m.tensor([1.0, 2, 5, 7]), m.tensor([0.0, 2, 5]), density=True),
    lambda m: m.histogram(m.tensor([1.0, 1.0]), 4),
    lambda m: m.logspace(0, 2, 3),
    lambda m: m.logspace(-1, 2, 4, base=2, dtype=m.float64),
    lambda m: m.logspace(0, 2, 3, dtype=m.int64),
], ids=lambda c: None)
def test_matches_torch(call):
    torch = _torch()
    ours, theirs = call(gradix), call(torch)
    if not isinstance(theirs, tuple):
        ours, theirs = (ours,), (theirs,)
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        assert tuple(o.shape) == tuple(t.shape)
        assert o.dtype.name == str(t.dtype).replace("torch.", "")
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-6)
        assert not o.requires_grad


def test_histogram_matches_torch_on_random_data():
    torch = _torch()
    rng = np.random.default_rng(0)
    for trial in range(50):
        a = rng.standard_normal(40).astype(np.float32) * 3
        w = rng.uniform(0, 2, 40).astype(np.float32)
        kw = {"range": (-2.0, 2.5)} if trial % 2 else {}
        hg, eg = gradix.histogram(gradix.tensor(a), 7, weight=gradix.tensor(w), **kw)
        ht, et = torch.histogram(torch.tensor(a), 7, weight=torch.tensor(w), **kw)
        # the edges agree to float32 rounding (torch's float32 linspace rounds differently)
        np.testing.assert_allclose(eg.numpy(), et.numpy(), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(hg.numpy(), ht.numpy(), rtol=1e-5)
        hc = [m.histc(m.tensor(a), bins=9, min=-2, max=2).numpy() for m in (gradix, torch)]
        np.testing.assert_array_equal(*hc)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_small_helpers():
    assert gradix.broadcast_shapes((2, 1), (3,)) == (2, 3)
    assert gradix.broadcast_shapes(2, (3, 1)) == (3, 2)
    assert gradix.broadcast_shapes() == ()
    assert gradix.numel(gradix.zeros(2, 3)) == 6
    assert gradix.unravel_index(gradix.tensor(0), ()) == ()
    assert gradix.cov(gradix.empty(0, 3)).shape == (0, 0)
    with pytest.warns(UserWarning, match="degrees of freedom"):
        assert np.isnan(gradix.cov(gradix.empty(2, 0)).numpy()).all()
    with pytest.warns(UserWarning, match="degrees of freedom"):
        assert np.isnan(gradix.corrcoef(gradix.tensor([[1.0]])).item())


@pytest.mark.parametrize("call, error, match", [
    (lambda: gradix.quantile(gradix.tensor([1.0]), 1.5), RuntimeError, r"\[0, 1\]"),
    (lambda: gradix.quantile(gradix.empty(0), 0.5), RuntimeError, "non-empty"),
    (lambda: gradix.quantile(gradix.tensor([1, 2]), 0.5), RuntimeError, "float or double"),
    (lambda: gradix.quantile(gradix.tensor([1.0]), gradix.tensor([0.5], dtype=gradix.float64)),
     RuntimeError, "same dtype"),
    (lambda: gradix.quantile(gradix.ones(2), gradix.ones(1, 1) / 2), RuntimeError, "1D"),
    (lambda: gradix.quantile(gradix.ones(2), 0.5, interpolation="foo"), RuntimeError,
     "interpolation"),
    (lambda: gradix.quantile(gradix.ones(2), 0.5, dim=3), IndexError, "range"),
    (lambda: gradix.cov(gradix.zeros(2, 2, 2)), RuntimeError, "two or fewer"),
    (lambda: gradix.cov(gradix.rand(2, 3), fweights=gradix.tensor([1.0, 2, 3])), RuntimeError,
     "integral"),
    (lambda: gradix.cov(gradix.rand(2, 3), fweights=gradix.tensor([1, -2, 3])), RuntimeError,
     "negative"),
    (lambda: gradix.cov(gradix.rand(2, 3), aweights=gradix.tensor([1, 2, 3])), RuntimeError,
     "floating"),
    (lambda: gradix.cov(gradix.rand(2, 3), fweights=gradix.tensor([1, 2])), RuntimeError,
     "numel"),
    (lambda: gradix.bincount(gradix.tensor([-1, 2])), RuntimeError, "non-negative"),
    (lambda: gradix.bincount(gradix.tensor([[1, 2]])), RuntimeError, "1-d"),
    (lambda: gradix.bincount(gradix.tensor([1.0, 2])), NotImplementedError, "float32"),
    (lambda: gradix.bincount(gradix.tensor([1, 2]), minlength=-1), RuntimeError, "minlength"),
    (lambda: gradix.histc(gradix.tensor([1, 2]), bins=4), NotImplementedError, "int64"),
    (lambda: gradix.histc(gradix.tensor([1.0, 2]), bins=0), RuntimeError, "bins"),
    (lambda: gradix.histc(gradix.tensor([1.0, 2]), bins=3, min=3, max=1), RuntimeError, "max"),
    (lambda: gradix.histc(gradix.tensor([1.0, float("inf")]), bins=3), RuntimeError,
     "not finite"),
    (lambda: gradix.histogram(gradix.tensor([1.0]), 3, range=(2.0, 1.0)), RuntimeError, "min"),
    (lambda: gradix.tril_indices(-1, 3), RuntimeError, "non-negative"),
    (lambda: gradix.tril_indices(3, 3, dtype=gradix.float32), NotImplementedError, "float32"),
    (lambda: gradix.combinations(gradix.tensor([[1, 2]])), RuntimeError, "1D"),
    (lambda: gradix.combinations(gradix.tensor([1, 2]), r=-1), RuntimeError, "non-negative"),
    (lambda: gradix.vander(gradix.tensor(1.0)), RuntimeError, "one-dimensional"),
    (lambda: gradix.vander(gradix.tensor([1.0]), N=-1), RuntimeError, "non-negative"),
    (lambda: gradix.unravel_index(gradix.tensor([1.0]), (2, 3)), TypeError, "integer"),
    (lambda: gradix.unravel_index(gradix.tensor(1), (2, -3)), ValueError, "negative"),
    (lambda: gradix.unravel_index(gradix.tensor(6), (2, 3)), RuntimeError, "in \\[-6, 6\\)"),
    (lambda: gradix.broadcast_shapes((2,), (3,)), RuntimeError, "broadcast"),
    (lambda: gradix.trapezoid(gradix.ones(2, 3), gradix.ones(4)), RuntimeError, "one `x`"),
    (lambda: gradix.trapezoid(gradix.tensor(1.0)), IndexError, "no dimensions"),
    (lambda: gradix.logspace(0, 2, -1), RuntimeError, "non-negative"),
    (lambda: gradix.multinomial(gradix.tensor([0.0, 1]), 3), RuntimeError, "without replacement"),
    (lambda: gradix.multinomial(gradix.tensor([-1.0, 1]), 1), RuntimeError, "element < 0"),
    (lambda: gradix.multinomial(gradix.tensor([1.0, float("nan")]), 1), RuntimeError, "nan"),
    (lambda: gradix.multinomial(gradix.tensor([0.0, 0]), 1, True), RuntimeError, "sum"),
    (lambda: gradix.multinomial(gradix.tensor([1, 1]), 1), RuntimeError, "floating"),
    (lambda: gradix.multinomial(gradix.tensor([1.0, 1]), 0), RuntimeError, "n_sample <= 0"),
    (lambda: gradix.multinomial(gradix.ones(2, 2, 2), 1), RuntimeError, "1 or 2 dim"),
    (lambda: gradix.multinomial(gradix.tensor([1.0, 0, 0]), 2), RuntimeError,
     "not enough"),
    (lambda: gradix.bernoulli(gradix.tensor([1.5])), RuntimeError, r"\[0, 1\]"),
    (lambda: gradix.bernoulli(gradix.tensor([1, 0])), NotImplementedError, "int64"),
    (lambda: gradix.bernoulli(gradix.zeros(3), p=1.5), RuntimeError, "p=1.5"),
    (lambda: gradix.normal(0.0, -1.0, (2,)), RuntimeError, "std >= 0"),
    (lambda: gradix.normal(gradix.zeros(2), gradix.tensor([1.0, -1])), RuntimeError,
     "std >= 0"),
    (lambda: gradix.normal(gradix.zeros(2, dtype=gradix.int64), 1.0), NotImplementedError,
     "int64"),
    (lambda: gradix.normal(0.0, 1.0), TypeError, "size"),
    (lambda: gradix.randint_like(gradix.zeros(2), 5, 2), RuntimeError, "less than"),
])
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------- sampling
def _draw(f, seed=0):
    gradix.manual_seed(seed)
    return f().numpy()


SAMPLERS = [
    lambda: gradix.multinomial(gradix.tensor([0.2, 0.0, 0.5, 0.3]), 1000, True),
    lambda: gradix.multinomial(gradix.tensor([[0.2, 0.0, 0.5, 0.3], [1.0, 1, 1, 1]]), 3),
    lambda: gradix.bernoulli(gradix.full((500,), 0.3)),
    lambda: gradix.zeros(500).bernoulli(0.7),
    lambda: gradix.normal(gradix.zeros(3), gradix.ones(2, 1)),
    lambda: gradix.normal(1.0, 2.0, (100,)),
    lambda: gradix.randint_like(gradix.zeros(50), 3, 9),
]


@pytest.mark.parametrize("sampler", SAMPLERS)
def test_manual_seed_repeats(sampler):
    a, b, c = _draw(sampler, 7), _draw(sampler, 7), _draw(sampler, 8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    gradix.manual_seed(7)
    assert not sampler().requires_grad


def test_multinomial_with_replacement_frequencies():
    p = np.array([0.1, 0.0, 0.6, 0.3])
    gradix.manual_seed(0)
    s = gradix.multinomial(gradix.tensor(p * 5), 20000, replacement=True)
    assert s.shape == (20000,) and s.dtype == gradix.int64
    counts = np.bincount(s.numpy(), minlength=4)
    assert counts[1] == 0
    # chi-square with 2 dof (zero category excluded): 13.8 is its 0.999 quantile
    keep = p > 0
    expected = p[keep] * 20000
    assert ((counts[keep] - expected) ** 2 / expected).sum() < 13.8


def test_multinomial_without_replacement():
    gradix.manual_seed(1)
    s = gradix.multinomial(gradix.tensor([[1.0, 0, 2, 3, 4]] * 4000), 3).numpy()
    assert s.shape == (4000, 3)
    assert all(len(set(r)) == 3 for r in s[:200]) and not (s == 1).any()
    # the first draw follows the weights: P(first = 4) = 0.4
    first = np.bincount(s[:, 0], minlength=5) / 4000
    np.testing.assert_allclose(first, [0.1, 0, 0.2, 0.3, 0.4], atol=0.03)
    # all four positive categories drawn 4 at a time: each row is a permutation
    gradix.manual_seed(2)
    full = gradix.multinomial(gradix.tensor([1.0, 0, 2, 3, 4]), 4).numpy()
    assert sorted(full) == [0, 2, 3, 4]


def test_bernoulli_and_normal_statistics():
    gradix.manual_seed(3)
    p = gradix.tensor(np.linspace(0, 1, 5))
    draws = np.stack([gradix.bernoulli(p).numpy() for _ in range(4000)])
    assert set(np.unique(draws)) <= {0.0, 1.0}
    np.testing.assert_allclose(draws.mean(0), np.linspace(0, 1, 5), atol=0.03)
    assert gradix.bernoulli(gradix.zeros(3, dtype=gradix.int64), p=1.0).tolist() == [1, 1, 1]
    x = gradix.normal(gradix.tensor([[-2.0], [3.0]]), gradix.tensor([0.5, 2.0, 1.0]))
    assert x.shape == (2, 3)
    big = gradix.normal(gradix.full((20000,), 3.0, dtype=gradix.float64), 2.0).numpy()
    assert big.dtype == np.float64
    assert abs(big.mean() - 3) < 0.05 and abs(big.std() - 2) < 0.05
    f = gradix.normal(-1.0, 0.5, size=(20000,))
    assert f.dtype == gradix.float32
    assert abs(f.numpy().mean() + 1) < 0.02 and abs(f.numpy().std() - 0.5) < 0.02
    r = gradix.randint_like(gradix.zeros(5000, dtype=gradix.int32), 3, 9).numpy()
    assert r.dtype == np.int32 and r.min() == 3 and r.max() == 8
    assert gradix.randint_like(gradix.zeros(4), 5).dtype == gradix.float32


def test_quantile_q_gradient_and_no_grad_outputs():
    x = gradix.tensor([[0.0, 1.0, 3.0, 6.0]], dtype=gradix.float64, requires_grad=True)
    q = gradix.tensor([0.5], dtype=gradix.float64, requires_grad=True)
    y = gradix.quantile(x, q, dim=1)
    (gq,) = gradix.autograd.grad(y.sum(), [q])
    assert gq.item() == pytest.approx(3 * (3.0 - 1.0))  # (above - below) * (n - 1)
    assert not gradix.quantile(x.detach(), q, interpolation="lower").requires_grad
    assert not gradix.bincount(gradix.tensor([1, 2])).requires_grad
