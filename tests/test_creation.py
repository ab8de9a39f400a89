"""Creation functions checked against PyTorch: arange with float arguments and integer dtypes,
its errors, the size= keyword, and the random functions' dtypes and sizes."""
import numpy as np
import pytest

import gradix

ARANGE = [  # float arguments truncate toward zero for an integer dtype (int64, as torch)
    ((-2.5, 2, 1), "int64"), ((0, 5, 2.5), "int64"), ((0.5, 3, 1), "int64"),
    ((-0.5, 3.7, 1.5), "int64"), ((5, -2.5, -1), "int64"), ((5.9, 0, -1.9), "int64"),
    ((0, 5.5, 1), "int64"), ((1, 10, 3.99), "int64"), ((0.9,), "int64"), ((5, 5), "int64"),
    ((-2, 2), "uint8"), ((0, 10, 3), "int32"), ((0.0, 5, 1), None), ((3,), None),
    ((0, 1, 0.25), None), ((1, 2.5, 0.5), "float64"),
]


@pytest.mark.parametrize("args, dtype", ARANGE, ids=[f"{a}-{d}" for a, d in ARANGE])
def test_arange_matches_torch(torch, args, dtype):
    g = gradix.arange(*args, **({} if dtype is None else {"dtype": getattr(gradix, dtype)}))
    t = torch.arange(*args, **({} if dtype is None else {"dtype": getattr(torch, dtype)}))
    assert g.dtype.name == str(t.dtype).replace("torch.", "")
    assert tuple(g.shape) == tuple(t.shape)
    np.testing.assert_allclose(g.numpy(), t.numpy(), rtol=1e-6)


@pytest.mark.parametrize("args, dtype, match", [
    ((0.5, 3, 0.5), "int64", (r"arange: step must be nonzero, got 0.5 \(it truncates to 0 "
                              r"for gradix.int64\)")),
    ((0, 3, 0.9), "int64", "arange: step must be nonzero"),
    ((0, 3, 0), None, "arange: step must be nonzero, got 0$"),
    ((5, 0), None, r"arange: end \(0\) is on the wrong side of start \(5\) for step 1"),
    ((0, 5, -1), "float32", r"arange: end \(5\) is on the wrong side"),
    ((-0.5,), "int64", "on the wrong side"),
])
def test_arange_errors_where_torch_raises(torch, args, dtype, match):
    kwargs = {} if dtype is None else {"dtype": getattr(torch, dtype)}
    with pytest.raises((RuntimeError, ValueError)):
        torch.arange(*args, **kwargs)
    with pytest.raises(ValueError, match=match):
        gradix.arange(*args, **({} if dtype is None else {"dtype": getattr(gradix, dtype)}))


def test_arange_rejects_bool():
    with pytest.raises(TypeError, match="arange: dtype gradix.bool is not supported"):
        gradix.arange(3, dtype=gradix.bool)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "rand", "randn"])
def test_size_keyword_matches_torch(torch, name):
    for size in [(2, 3), [4], ()]:
        g, t = getattr(gradix, name)(size=size), getattr(torch, name)(size=size)
        assert tuple(g.shape) == tuple(t.shape) and g.dtype.name == "float32"
    with pytest.raises(TypeError, match=f"{name}: got the size twice"):
        getattr(gradix, name)(2, size=(3,))


RANDOM_DTYPES = {
    "rand": lambda m, dtype: m.rand(2, dtype=dtype),
    "randn": lambda m, dtype: m.randn(2, 3, dtype=dtype),
    "rand_like": lambda m, dtype: m.rand_like(m.zeros(2, dtype=dtype)),
    "randn_like": lambda m, dtype: m.randn_like(m.zeros(2), dtype=dtype),
}


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("name", sorted(RANDOM_DTYPES))
def test_rand_and_randn_refuse_integer_and_bool_dtypes_like_torch(torch, name, dtype):
    call = RANDOM_DTYPES[name]
    with pytest.raises(NotImplementedError):
        call(torch, getattr(torch, dtype))
    with pytest.raises(NotImplementedError, match=rf"^{name}: not implemented for gradix.{dtype}"):
        call(gradix, getattr(gradix, dtype))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("name", sorted(RANDOM_DTYPES))
def test_rand_and_randn_give_floating_dtypes_like_torch(torch, name, dtype):
    call = RANDOM_DTYPES[name]
    g, t = call(gradix, getattr(gradix, dtype)), call(torch, getattr(torch, dtype))
    assert g.dtype.name == str(t.dtype).replace("torch.", "") and tuple(g.shape) == t.shape


def test_randperm_sizes_like_torch(torch):
    with pytest.raises(RuntimeError):
        torch.randperm(-1)
    with pytest.raises(ValueError, match=r"randperm: n must be at least 0, got -1"):
        gradix.randperm(-1)
    assert gradix.randperm(0).shape == tuple(torch.randperm(0).shape) == (0,)
    assert sorted(gradix.randperm(5).tolist()) == sorted(torch.randperm(5).tolist())
    assert sorted(gradix.randperm(gradix.tensor(4)).tolist()) == sorted(
        torch.randperm(torch.tensor(4)).tolist())
    for n in (True, 4.0):
        with pytest.raises(TypeError):
            torch.randperm(n)
        with pytest.raises(TypeError, match="randperm: n must be an int"):
            gradix.randperm(n)


def test_randperm_dtype_must_hold_n_like_torch(torch):
    assert gradix.randperm(256, dtype=gradix.uint8).max().item() == torch.randperm(
        256, dtype=torch.uint8).max().item() == 255
    assert gradix.randperm(3, dtype=gradix.float32).dtype == gradix.float32
    with pytest.raises(RuntimeError):
        torch.randperm(300, dtype=torch.uint8)
    with pytest.raises(ValueError, match="n = 300 doesn.t fit in gradix.uint8"):
        gradix.randperm(300, dtype=gradix.uint8)
    with pytest.raises(NotImplementedError):
        torch.randperm(3, dtype=torch.bool)
    with pytest.raises(NotImplementedError, match="randperm: not implemented for bool"):
        gradix.randperm(3, dtype=gradix.bool)
