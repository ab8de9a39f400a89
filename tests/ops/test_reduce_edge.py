"""Reductions checked against PyTorch where a table row can't express the case: derivatives of
prod to any order at zeros, var/std's positional forms and correction >= N, norm with
0 < p < 1 at zeros, NaN extremes, empty slices, result
dtypes and the dtype argument."""
import numpy as np
import pytest

import gradix
from gradix.autograd import grad, gradcheck


def _tensor(lib, a, requires_grad=False):
    return lib.tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def _same(g, t):
    """A gradix result equal to a torch one: shape, dtype and values (NaN equal to NaN)."""
    assert tuple(g.shape) == tuple(t.shape)
    assert g.dtype.name == str(t.dtype).replace("torch.", "")
    np.testing.assert_allclose(g.detach().numpy(), t.detach().numpy(), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------- prod, any order
def _derivatives(lib, f, a, order):
    """All partial derivatives of the scalar f(x) of order ``order``, shape (x.size,) * order.
    A derivative that no longer depends on x (no graph) counts as constant: 0 beyond it."""
    autograd = gradix.autograd if lib is gradix else lib.autograd
    x = _tensor(lib, a, True)
    level = [f(lib, x)]
    for _ in range(order):
        nxt = []
        for y in level:
            if y.requires_grad:
                (g,) = autograd.grad(y, x, create_graph=True)
                nxt.extend(g.reshape(-1)[i] for i in range(x.numel()))
            else:
                nxt.extend(_tensor(lib, 0.0) for _ in range(x.numel()))
        level = nxt
    return np.array([y.item() for y in level]).reshape((x.numel(),) * order)


PROD = {"all": lambda m, x: x.prod(), "dim1": lambda m, x: (x.prod(dim=1) * m.tensor(
    [1.5, -2.0], dtype=x.dtype)).sum(), "dim0_keep": lambda m, x: x.prod(dim=0, keepdim=True).sum()}
ZEROS = {  # (2, 3) inputs with 0 to 4 zeros, in one slice and across slices
    0: [[1.5, -2.0, 0.5], [3.0, 1.25, -0.75]], 1: [[0.0, -2.0, 0.5], [3.0, 1.25, -0.75]],
    2: [[0.0, -2.0, 0.0], [3.0, 1.25, -0.75]], 3: [[0.0, 0.0, 0.0], [3.0, 1.25, -0.75]],
    4: [[0.0, 0.0, 0.0], [0.0, 1.25, -0.75]]}


@pytest.mark.parametrize("zeros", sorted(ZEROS))
@pytest.mark.parametrize("name", sorted(PROD))
@pytest.mark.parametrize("order", [1, 2, 3])
def test_prod_derivatives_match_torch_at_zeros(torch, name, zeros, order):
    f, a = PROD[name], ZEROS[zeros]
    np.testing.assert_allclose(_derivatives(gradix, f, a, order),
                               _derivatives(torch, f, a, order), rtol=1e-12, atol=1e-12)


def test_prod_third_derivative_with_three_zeros(torch):
    # the reported case: d3 prod / dx0 dx1 dx2 = x3, and likewise along a dim
    for a, f in [([0.0, 0.0, 0.0, 3.0], lambda m, x: x.prod()),
                 ([[0.0, 0.0, 0.0, 3.0]], lambda m, x: x.prod(dim=1).sum())]:
        d3 = _derivatives(gradix, f, a, 3)
        assert d3[0, 1, 2] == 3.0 and d3[2, 1, 0] == 3.0
        np.testing.assert_allclose(d3, _derivatives(torch, f, a, 3), rtol=0, atol=0)


def test_prod_fourth_derivative_of_four_zeros_is_one():
    d4 = _derivatives(gradix, lambda m, x: x.prod(), [0.0, 0.0, 0.0, 0.0], 4)
    assert d4[0, 1, 2, 3] == d4[3, 2, 1, 0] == 1.0 and d4[0, 0, 1, 2] == 0.0
    assert d4.sum() == 24  # the 4! orderings of four distinct indices


@pytest.mark.parametrize("zeros", sorted(ZEROS))
def test_prod_second_and_third_derivatives_match_finite_differences(zeros):
    x = _tensor(gradix, ZEROS[zeros], True)

    def first(t):
        return grad(t.prod(dim=1).sum() + t.prod(), t, create_graph=True)[0]

    def second(t):  # rows of the Hessian, each differentiated numerically by gradcheck
        g = first(t).reshape(-1)
        return tuple(grad(g[i], t, create_graph=True)[0] for i in range(t.numel()))

    # prod is linear in each input, so central differences are exact for any eps; a larger
    # one keeps y / x_i (the no-zero rule a perturbed zero takes) away from tiny x_i
    assert gradcheck(first, (x,), eps=1e-4, atol=1e-8, rtol=1e-7)
    assert gradcheck(second, (x,), eps=1e-4, atol=1e-8, rtol=1e-7)


def test_prod_gradient_of_a_zero_scalar():
    x = gradix.tensor(0.0, dtype=gradix.float64, requires_grad=True)
    x.prod().backward()
    assert x.grad.item() == 1.0


# ---------------------------------------------------------------------- var and std
VAR_CALLS = {
    "var(0, False)": lambda m, x: x.var(0, False),
    "var(1, True, True)": lambda m, x: x.var(1, True, True),
    "var(False)": lambda m, x: x.var(False),
    "var(unbiased=False)": lambda m, x: x.var(unbiased=False),
    "var(dim=1, correction=0, keepdim=True)": lambda m, x: x.var(dim=1, correction=0,
                                                                 keepdim=True),
    "var(1, keepdim=True, correction=2)": lambda m, x: x.var(1, keepdim=True, correction=2),
    "m.var(x, 1, False, True)": lambda m, x: m.var(x, 1, False, True),
    "std(0, False)": lambda m, x: x.std(0, False),
    "std(1, False, True)": lambda m, x: x.std(1, False, True),
    "std(True)": lambda m, x: x.std(True),
    "m.std(x, (0, 1), False)": lambda m, x: m.std(x, (0, 1), False),
}


@pytest.mark.parametrize("name", sorted(VAR_CALLS))
def test_var_std_positional_forms_match_torch(torch, name):
    call = VAR_CALLS[name]
    a = [[1.0, 2.0, 4.0], [3.0, -5.0, 9.5]]
    g, t = _tensor(gradix, a, True), _tensor(torch, a, True)
    gy, ty = call(gradix, g), call(torch, t)
    _same(gy, ty)
    up = np.random.default_rng(0).standard_normal(tuple(ty.shape))
    (gg,) = grad(gy, g, grad_outputs=gradix.tensor(up))
    (tg,) = torch.autograd.grad(ty, t, grad_outputs=torch.tensor(up))
    _same(gg, tg)


NO_DOF_CALLS = {  # N - correction <= 0: over all elements, and over given dims
    "var(correction=6)": lambda m, x: x.var(correction=6),
    "var(correction=7.5)": lambda m, x: x.var(correction=7.5),
    "var() of one element": lambda m, x: x[:1, :1].var(),
    "var(None, correction=6)": lambda m, x: x.var(None, correction=6),
    "var(1, correction=3)": lambda m, x: x.var(1, correction=3),
    "var(1, correction=4, keepdim)": lambda m, x: x.var(1, correction=4, keepdim=True),
    "var((0, 1), correction=6)": lambda m, x: x.var((0, 1), correction=6),
    "var(0)": lambda m, x: x[:1].var(0),
    "var(0) of a 0-d tensor": lambda m, x: x[0, 0].var(0),
    "std(correction=6)": lambda m, x: x.std(correction=6),
    "std() of one element": lambda m, x: x[0, :1].std(),
    "std(1, correction=3)": lambda m, x: x.std(1, correction=3),
    "std(1, correction=4, keepdim)": lambda m, x: x.std(1, correction=4, keepdim=True),
    "std(0, True, True)": lambda m, x: x[:1].std(0, True, True),
}


@pytest.mark.filterwarnings("ignore:var\\(\\)|std\\(\\):UserWarning")  # torch: dof <= 0
@pytest.mark.parametrize("name", sorted(NO_DOF_CALLS))
def test_var_std_with_correction_at_least_n_match_torch(torch, name):
    # inf (NaN for a constant slice, the second row) with torch's gradients: +-inf, NaN at
    # elements equal to the mean (the 2s), or finite where torch's rule for given dims divides
    # by a negative dof
    call = NO_DOF_CALLS[name]
    a = [[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]]
    g, t = _tensor(gradix, a, True), _tensor(torch, a, True)
    gy, ty = call(gradix, g), call(torch, t)
    _same(gy, ty)
    up = np.arange(1.0, 1.0 + ty.numel()).reshape(tuple(ty.shape)) * -1.5
    (gg,) = grad(gy, g, grad_outputs=gradix.tensor(up))
    (tg,) = torch.autograd.grad(ty, t, grad_outputs=torch.tensor(up))
    _same(gg, tg)


def test_var_rejects_unbiased_with_correction_and_non_bool_unbiased():
    x = gradix.tensor([1.0, 2.0, 4.0])
    with pytest.raises(TypeError, match="var: pass unbiased or correction, not both"):
        x.var(0, False, correction=0)
    with pytest.raises(TypeError, match=r"std: unbiased must be a bool, got 1; .*correction=k"):
        x.std(0, 1)
    with pytest.raises(TypeError, match="var: got unbiased twice"):
        x.var(True, unbiased=False)


# ---------------------------------------------------------------------- NaN extremes
NAN_CALLS = {
    "max()": lambda m, x: x.max(), "min()": lambda m, x: x.min(),
    "max(dim)": lambda m, x: x.max(dim=1)[0], "min(dim)": lambda m, x: x.min(dim=1)[0],
    "max(dim)-indices": lambda m, x: x.max(dim=1)[1], "min(dim)-indices": lambda m, x: x.min(1)[1],
    "amax()": lambda m, x: x.amax(), "amin()": lambda m, x: x.amin(),
    "amax(dim)": lambda m, x: x.amax(dim=1), "amin(dim, keepdim)": lambda m, x: x.amin(1, True),
}
NAN_INPUTS = {  # one NaN, two NaNs, a NaN beside a tie, and no NaN (a plain tie)
    "one": [[1.0, np.nan, 3.0], [2.0, 5.0, -1.0]], "two": [[np.nan, np.nan, 3.0], [2.0, 2.0, 1.0]],
    "tie": [[3.0, np.nan, 3.0], [np.nan, 7.0, 7.0]], "none": [[3.0, 1.0, 3.0], [0.5, 7.0, 7.0]]}


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # amax's 0/0, as torch's
@pytest.mark.parametrize("inputs", sorted(NAN_INPUTS))
@pytest.mark.parametrize("name", sorted(NAN_CALLS))
def test_extremes_with_nan_match_torch(torch, name, inputs):
    call, a = NAN_CALLS[name], NAN_INPUTS[inputs]
    g, t = _tensor(gradix, a, True), _tensor(torch, a, True)
    gy, ty = call(gradix, g), call(torch, t)
    _same(gy, ty)
    if not ty.requires_grad:
        return
    up = np.arange(1.0, 1.0 + ty.numel()).reshape(tuple(ty.shape))
    (gg,) = grad(gy, g, grad_outputs=gradix.tensor(up))
    (tg,) = torch.autograd.grad(ty, t, grad_outputs=torch.tensor(up))
    np.testing.assert_array_equal(gg.numpy(), tg.numpy())


@pytest.mark.parametrize("shape, dim, keepdim", [((0, 3), 1, False), ((0, 3), -1, True),
                                                 ((2, 0, 3), 2, False), ((2, 0, 3), 0, True)])
def test_max_min_argmax_along_a_nonempty_dim_of_an_empty_tensor(torch, shape, dim, keepdim):
    for name in ("max", "min"):
        g = getattr(gradix.zeros(shape, dtype=gradix.float64), name)(dim, keepdim)
        t = getattr(torch.zeros(shape, dtype=torch.float64), name)(dim, keepdim)
        _same(g.values, t.values)
        _same(g.indices, t.indices)
        _same(getattr(gradix.zeros(shape), "arg" + name)(dim, keepdim),
              getattr(torch.zeros(shape), "arg" + name)(dim, keepdim))


def test_max_along_an_empty_dim_raises():
    x = gradix.zeros(0, 3)
    with pytest.raises(ValueError, match=r"\bmax: can't reduce over dimension 0 of size 0"):
        x.max(0)
    with pytest.raises(ValueError, match=r"max: can't reduce over an empty dimension"):
        x.max()
    with pytest.raises(ValueError, match=r"argmin: can't reduce an empty tensor"):
        x.argmin()


# ---------------------------------------------------------------------- result dtypes
DTYPES = ["uint8", "int8", "int16", "int32", "int64", "bool", "float16", "float32", "float64"]
DTYPE_CALLS = {
    "prod()": lambda m, x: x.prod(), "prod(0)": lambda m, x: x.prod(0),
    "all()": lambda m, x: x.all(), "any()": lambda m, x: x.any(),
    "all(0, keepdim)": lambda m, x: x.all(0, keepdim=True), "any(1)": lambda m, x: x.any(1),
    "sum()": lambda m, x: x.sum(), "cumsum(1)": lambda m, x: x.cumsum(1),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(DTYPE_CALLS))
def test_reduction_result_dtypes_match_torch(torch, name, dtype):
    a = np.array([[1, 0, 3], [2, 2, 1]])
    call = DTYPE_CALLS[name]
    _same(call(gradix, gradix.tensor(a).to(getattr(gradix, dtype))),
          call(torch, torch.tensor(a).to(getattr(torch, dtype))))


DTYPE_ARG_CALLS = {
    "mean(dtype=float64) of int": (lambda m, x: x.mean(dtype=m.float64), "int64"),
    "mean(1, dtype=float64) of float32": (lambda m, x: x.mean(1, dtype=m.float64), "float32"),
    "cumsum(0, dtype=float32) of int": (lambda m, x: x.cumsum(0, dtype=m.float32), "int64"),
    "cumsum(1, dtype=int32) of float": (lambda m, x: x.cumsum(1, dtype=m.int32), "float64"),
    "prod(dtype=float64) of int32": (lambda m, x: x.prod(dtype=m.float64), "int32"),
    "sum(dtype=float32) of bool": (lambda m, x: x.sum(dtype=m.float32), "bool"),
}


@pytest.mark.parametrize("name", sorted(DTYPE_ARG_CALLS))
def test_dtype_arguments_match_torch(torch, name):
    call, dtype = DTYPE_ARG_CALLS[name]
    a = np.array([[1.5, 0.0, 3.25], [2.0, -2.5, 1.0]])
    _same(call(gradix, gradix.tensor(a).to(getattr(gradix, dtype))),
          call(torch, torch.tensor(a).to(getattr(torch, dtype))))


def test_dtype_arguments_keep_float_gradients(torch):
    a = [[1.5, 0.5, 3.25], [2.0, -2.5, 1.0]]
    for call in (lambda m, x: x.mean(1, dtype=m.float64), lambda m, x: x.prod(dtype=m.float64),
                 lambda m, x: x.cumsum(1, dtype=m.float64)):
        g = gradix.tensor(a, requires_grad=True)
        t = torch.tensor(a, requires_grad=True)
        call(gradix, g).sum().backward()
        call(torch, t).sum().backward()
        _same(g.grad, t.grad)


@pytest.mark.parametrize("dtype", ["int64", "bool"])
def test_norm_needs_a_floating_input(torch, dtype):
    x = np.array([3, 0, 4]).astype(dtype)
    with pytest.raises(RuntimeError, match="Expected a floating point"):
        torch.tensor(x).norm()
    with pytest.raises(TypeError, match=f"norm: needs a floating point tensor, got gradix.{dtype}"):
        gradix.tensor(x).norm(1)


def test_mean_rejects_an_integer_dtype():
    with pytest.raises(TypeError, match="mean: dtype must be a floating point dtype, got "
                                        "gradix.int64"):
        gradix.tensor([1, 2]).mean(dtype=gradix.int64)


# ---------------------------------------------------------------------- norm, 0 < p < 1
NORM_ZEROS = {  # zeros beside nonzeros, all zeros, a -0.0, along a dim
    "mixed": ([0.0, 1.0, -2.0], None), "all_zero": ([0.0, 0.0, 0.0], None),
    "negative_zero": ([-0.0, 2.0], None),
    "rows": ([[0.0, 3.0], [0.0, 0.0], [-0.0, -1.5]], 1),
    "columns_keepdim": ([[0.0, 3.0], [0.5, 0.0]], 0),
}


@pytest.mark.parametrize("p", [0.5, 0.3])
@pytest.mark.parametrize("case", sorted(NORM_ZEROS))
def test_norm_with_p_below_one_at_zeros_matches_torch(torch, p, case):
    a, dim = NORM_ZEROS[case]
    keepdim = case.endswith("keepdim")
    g, t = _tensor(gradix, a, True), _tensor(torch, a, True)
    gy, ty = g.norm(p, dim, keepdim), t.norm(p, dim, keepdim)
    _same(gy, ty)
    up = np.arange(1.0, 1.0 + ty.numel()).reshape(tuple(ty.shape))
    (gg,) = grad(gy, g, grad_outputs=gradix.tensor(up))
    (tg,) = torch.autograd.grad(ty, t, grad_outputs=torch.tensor(up))
    assert np.isfinite(gg.numpy()).all()
    _same(gg, tg)


@pytest.mark.parametrize("dim", [(), []])
@pytest.mark.parametrize("name", ["all", "any"])
def test_all_any_over_no_dims_reduce_nothing(torch, name, dim):
    """Unlike sum and amax, where no dims means all of them."""
    a = np.array([[1.5, 0.0, 2.0], [0.0, 0.0, 3.0]])
    for keepdim in (False, True):
        _same(getattr(gradix.tensor(a), name)(dim=dim, keepdim=keepdim),
              getattr(torch.tensor(a), name)(dim=dim, keepdim=keepdim))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin_refuse_bool_tensors_like_torch(torch, name):
    with pytest.raises(RuntimeError):
        getattr(torch.tensor([True, False]), name)()
    with pytest.raises(TypeError, match=rf"^{name}: bool tensors are not supported"):
        getattr(gradix.tensor([True, False]), name)(0)
    assert gradix.tensor([False, True]).max(0).indices.item() == 1  # max takes them
