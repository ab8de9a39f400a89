"""Every op of the table, checked five ways: forward vs NumPy (float32 and float64), gradients vs
finite differences (float64, random upstream gradients, gradix.autograd.gradcheck), second
derivatives the same way (gradgradcheck), forward and first and second derivatives vs PyTorch
(skipped without torch), and non-contiguous inputs."""
import zlib

import numpy as np
import pytest

import gradix
from gradix.autograd import gradcheck, gradgradcheck

from .op_table import case_id, cases

CASES = cases()
IDS = [case_id(c) for c in CASES]


def _rng(case, salt=""):
    return np.random.default_rng(zlib.crc32((case_id(case) + salt).encode()))


def as_list(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _inputs(arrays, requires_grad):
    return [gradix.tensor(a, requires_grad=requires_grad) for a in arrays]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_matches_numpy(case, dtype):
    spec, shapes = case
    if dtype not in spec.dtypes:
        pytest.skip(f"{spec.name} does not run in {dtype}")
    arrays = spec.make(_rng(case), shapes, dtype)
    xs = _inputs(arrays, False)
    outs = as_list(spec.fn(gradix, *xs))
    refs = as_list(spec.ref(*[a.copy() for a in arrays]))
    assert len(outs) == len(refs), f"{spec.name}: {len(outs)} outputs, reference has {len(refs)}"
    rtol, atol = (spec.rtol, spec.atol) if dtype == "float32" else (1e-10, 1e-12)
    for out, ref in zip(outs, refs):
        ref = np.asarray(ref)
        assert isinstance(out, gradix.Tensor)
        assert out.shape == ref.shape, f"{spec.name}: shape {out.shape} != {ref.shape}"
        assert out.dtype == ref.dtype, f"{spec.name}: dtype {out.dtype} != {ref.dtype}"
        np.testing.assert_allclose(out.numpy(), ref, rtol=rtol, atol=atol)
    for x, a in zip(xs, arrays):  # inputs are never written
        np.testing.assert_array_equal(x.numpy(), a)


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck], ids=["first", "second"])
@pytest.mark.parametrize("case", [c for c in CASES if c[0].grad and c[0].gradcheck],
                         ids=[i for c, i in zip(CASES, IDS) if c[0].grad and c[0].gradcheck])
def test_gradcheck(case, check):
    """First derivatives (gradcheck) and second ones (gradgradcheck) vs finite differences."""
    spec, shapes = case
    xs = _inputs(spec.make(_rng(case), shapes, "float64"), True)
    assert check(lambda *t: tuple(as_list(spec.fn(gradix, *t))), xs, eps=1e-6, atol=1e-6,
                 rtol=1e-5)


def _torch_dtype_name(t):
    return str(t.dtype).replace("torch.", "")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_torch(case):
    torch = pytest.importorskip("torch")
    spec, shapes = case
    if spec.torch_fn is False:
        pytest.skip(f"{spec.name} has no torch equivalent")
    torch_fn = spec.torch_fn or spec.fn
    arrays = spec.make(_rng(case), shapes, "float64")
    gx = _inputs(arrays, spec.grad)
    tx = [torch.tensor(a, requires_grad=spec.grad) for a in arrays]
    gouts = as_list(spec.fn(gradix, *gx))
    touts = as_list(torch_fn(torch, *tx))
    assert len(gouts) == len(touts)
    for g, t in zip(gouts, touts):
        assert tuple(g.shape) == tuple(t.shape), f"{spec.name}: {g.shape} vs torch {t.shape}"
        assert g.dtype.name == _torch_dtype_name(t), f"{spec.name}: {g.dtype} vs torch {t.dtype}"
        np.testing.assert_allclose(g.detach().numpy(), t.detach().numpy(), rtol=1e-10,
                                   atol=1e-12)
    if not spec.grad:
        return
    rng = _rng(case, "upstream")
    pairs = [(g, t) for g, t in zip(gouts, touts) if t.requires_grad]
    assert [g.requires_grad for g in gouts] == [t.requires_grad for t in touts]
    ups = [rng.standard_normal(g.shape) for g, _ in pairs]
    ggrads = gradix.autograd.grad([g for g, _ in pairs], gx,
                                  grad_outputs=[gradix.tensor(u) for u in ups],
                                  allow_unused=True)
    tgrads = torch.autograd.grad([t for _, t in pairs], tx,
                                 grad_outputs=[torch.tensor(u) for u in ups], allow_unused=True)
    for i, (g, t, a) in enumerate(zip(ggrads, tgrads, arrays)):
        g = np.zeros_like(a) if g is None else g.numpy()
        t = np.zeros_like(a) if t is None else t.numpy()
        assert g.shape == a.shape
        np.testing.assert_allclose(g, t, rtol=1e-9, atol=1e-12,
                                   err_msg=f"{spec.name}: gradient of input {i}")


@pytest.mark.parametrize("case", [c for c in CASES if c[0].grad], ids=[
    i for c, i in zip(CASES, IDS) if c[0].grad])
def test_second_derivatives_match_torch(case):
    """d/d(x, v) of <u, grad(f(x), x, v)>, the double backward, in both frameworks."""
    torch = pytest.importorskip("torch")
    spec, shapes = case
    if spec.torch_fn is False:
        pytest.skip(f"{spec.name} has no torch equivalent")
    arrays = spec.make(_rng(case), shapes, "float64")
    results = []
    for m, fn in ((gradix, spec.fn), (torch, spec.torch_fn or spec.fn)):
        rng = _rng(case, "second")
        xs = [m.tensor(a, requires_grad=True) for a in arrays]
        outs = [o for o in as_list(fn(m, *xs)) if o.requires_grad]
        vs = [m.tensor(rng.standard_normal(tuple(o.shape)), requires_grad=True) for o in outs]
        gs = m.autograd.grad(outs, xs, grad_outputs=vs, create_graph=True, allow_unused=True)
        terms = [(g * m.tensor(rng.standard_normal(a.shape))).sum()
                 for g, a in zip(gs, arrays) if g is not None and g.requires_grad]
        if not terms:
            results.append(None)
            continue
        seconds = m.autograd.grad(terms, xs + vs, allow_unused=True)
        force = {"force": True} if m is torch else {}  # torch may return a ZeroTensor
        results.append([np.zeros(tuple(t.shape)) if s is None else s.detach().numpy(**force)
                        for s, t in zip(seconds, xs + vs)])
    ours, theirs = results
    if theirs is None or ours is None:
        assert ours is None or all(not r.any() for r in ours), spec.name
        assert theirs is None or all(not r.any() for r in theirs), spec.name
        return
    for i, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12,
                                   err_msg=f"{spec.name}: second derivative {i}")


def _noncontiguous(a):
    """A leaf tensor holding ``a`` in a non-contiguous array (transposed, or strided)."""
    if a.ndim >= 2 and a.shape[-1] > 1 and a.shape[-2] > 1:
        view = np.ascontiguousarray(a.swapaxes(-1, -2)).swapaxes(-1, -2)
    else:
        base = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
        base[..., ::2] = a
        view = base[..., ::2]
    assert not view.flags.c_contiguous
    return gradix.from_numpy(view)


@pytest.mark.parametrize("case", [c for c in CASES if any(
    len(s) >= 1 and 0 not in s and np.prod(s) > 1 for s in c[1])],
    ids=[i for c, i in zip(CASES, IDS) if any(len(s) >= 1 and 0 not in s and np.prod(s) > 1
                                              for s in c[1])])
def test_noncontiguous_inputs(case):
    spec, shapes = case
    arrays = spec.make(_rng(case), shapes, "float64")
    dense = _inputs(arrays, spec.grad)
    strided = [_noncontiguous(a) if a.ndim and a.size > 1 else gradix.tensor(a)
               for a in arrays]
    if spec.grad:
        for t in strided:
            t.requires_grad_()
    outs_d = as_list(spec.fn(gradix, *dense))
    outs_s = as_list(spec.fn(gradix, *strided))
    for d, s in zip(outs_d, outs_s):
        assert d.shape == s.shape and d.dtype == s.dtype
        np.testing.assert_allclose(s.detach().numpy(), d.detach().numpy(), rtol=1e-12,
                                   atol=1e-12)
    if not spec.grad:
        return
    rng = _rng(case, "upstream")
    diff = [i for i, d in enumerate(outs_d) if d.requires_grad]
    ups = [gradix.tensor(rng.standard_normal(outs_d[i].shape)) for i in diff]
    gd = gradix.autograd.grad([outs_d[i] for i in diff], dense, ups, allow_unused=True)
    gs = gradix.autograd.grad([outs_s[i] for i in diff], strided, ups, allow_unused=True)
    for a, b in zip(gd, gs):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-12, atol=1e-12)
    for t, a in zip(strided, arrays):
        np.testing.assert_array_equal(t.detach().numpy(), a)


ISSUE_OPS = """neg exp log log1p sqrt rsqrt abs sin cos tanh sigmoid relu softplus maximum minimum
where clamp sign floor ceil round add sub mul div pow lt le gt ge eq ne logical_and logical_or
logical_xor logical_not sum mean var std max min amax amin prod logsumexp argmax argmin cumsum
all any reshape view transpose permute T_ squeeze unsqueeze expand broadcast_to flatten cat stack
split chunk flip repeat pad getitem matmul einsum outer""".split()


def test_every_op_the_issue_names_has_a_row():
    from .op_table import OPS
    names = [o.name for o in OPS]
    missing = [op for op in ISSUE_OPS if not any(n.startswith(op) for n in names)]
    assert not missing, f"ops without a row in the op table: {missing}"
