"""gradix.blas: the choice between NumPy's BLAS and MKL, and MKL's products in every layout.

The MKL tests skip where the optional ``mkl`` package is not installed (pip install
'gradix[mkl]'). Most lower MKL's size threshold so that small arrays take its path, and count
the gemm calls to show that they did; their float results are held to the textbook error
bound of a float dot product, |error| <= k * eps * (|a| @ |b|), against a float64 product.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

import gradix
from gradix import blas

needs_mkl = pytest.mark.skipif(blas.mkl_version() is None,
                               reason="needs MKL (pip install 'gradix[mkl]')")
rng = np.random.default_rng(0)


@pytest.fixture
def use():
    """blas.use, with the choice in force before the test restored after it."""
    before = blas.name()
    yield blas.use
    blas.use(before)


@pytest.fixture
def gemm_calls(use, monkeypatch):
    """MKL in use; a list that records each gemm call it makes."""
    use("mkl")
    calls = []
    for gemm in ("_gemm", "_gemm_batch"):
        real = getattr(blas, gemm)
        monkeypatch.setattr(blas, gemm, lambda *args, real=real, gemm=gemm: (
            calls.append(gemm), real(*args))[1])
    return calls


@pytest.fixture
def mkl(gemm_calls, monkeypatch):
    """MKL in use for products of any size; the list of its gemm calls."""
    monkeypatch.setattr(blas, "_MIN_WORK", 1)
    return gemm_calls


def _name_in_subprocess(**env):
    """blas.name() in a fresh process with ``env`` added, or the last line of its error."""
    code = "from gradix import blas; print(blas.name())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, **env})
    return out.stdout.strip() if out.returncode == 0 else out.stderr.strip().splitlines()[-1]


def test_use_refuses_an_unknown_blas(use):
    with pytest.raises(ValueError, match="'openblas' is not a BLAS; use 'mkl' or 'numpy'"):
        use("openblas")


@pytest.mark.skipif(blas.mkl_version() is not None, reason="MKL is installed here")
def test_use_mkl_without_mkl_says_how_to_install_it(use):
    with pytest.raises(RuntimeError, match=r"pip install 'gradix\[mkl\]'"):
        use("mkl")
    assert blas.name() == "numpy"


def test_mkl_is_the_default_exactly_when_installed_and_the_environment_can_refuse_it():
    env = {k: v for k, v in os.environ.items() if k != "GRADIX_BLAS"}
    expected = "numpy" if blas.mkl_version() is None else "mkl"
    out = subprocess.run([sys.executable, "-c", "from gradix import blas; print(blas.name())"],
                         capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == expected
    assert _name_in_subprocess(GRADIX_BLAS="numpy") == "numpy"
    assert _name_in_subprocess(GRADIX_BLAS="NumPy") == "numpy"
    assert _name_in_subprocess(GRADIX_BLAS="openblas") == (
        "ValueError: GRADIX_BLAS=openblas: blas.use: 'openblas' is not a BLAS; use 'mkl' or "
        "'numpy'")
    if blas.mkl_version() is None:
        assert _name_in_subprocess(GRADIX_BLAS="mkl").startswith(
            "RuntimeError: GRADIX_BLAS=mkl: blas.use('mkl'): MKL is not installed; pip install")
    else:
        assert _name_in_subprocess(GRADIX_BLAS="mkl") == "mkl"


def test_numpy_blas_is_numpys_matmul(use):
    use("numpy")
    a, b = rng.standard_normal((70, 80)), rng.standard_normal((80, 90))
    assert np.array_equal(blas.matmul(a, b), a @ b)
    assert np.array_equal(blas.matmul(a.astype(np.float32), b.T.T), a.astype(np.float32) @ b)


def _check_product(out, a, b):
    """``out`` is a @ b within the dot-product error bound, as a fresh C-ordered array."""
    k = a.shape[-1]
    ref = a.astype(np.float64) @ b.astype(np.float64)
    bound = k * np.finfo(out.dtype).eps * (np.abs(a).astype(np.float64) @ np.abs(b))
    assert out.shape == ref.shape and out.dtype == np.result_type(a, b)
    assert out.flags.c_contiguous and out.flags.writeable
    assert np.all(np.abs(out - ref) <= bound)


def _matrix(shape, dtype, order):
    """A random matrix of ``shape`` laid out as ``order`` says."""
    m, n = shape
    if order == "C":
        return rng.standard_normal(shape).astype(dtype)
    if order == "F":
        return np.asfortranarray(rng.standard_normal(shape).astype(dtype))
    if order == "column slice":
        return rng.standard_normal((m, n + 7)).astype(dtype)[:, 3:3 + n]
    if order == "row step":
        return rng.standard_normal((2 * m, n)).astype(dtype)[::2]
    if order == "column step":  # no leading dimension fits: copied
        return rng.standard_normal((m, 2 * n)).astype(dtype)[:, ::2]
    if order == "reversed":
        return rng.standard_normal(shape).astype(dtype)[::-1]
    if order == "transposed slice":
        return rng.standard_normal((n + 5, m)).astype(dtype)[2:2 + n].T
    raise ValueError(order)


ORDERS = ["C", "F", "column slice", "row step", "column step", "reversed", "transposed slice"]


@needs_mkl
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order_a", ORDERS)
@pytest.mark.parametrize("order_b", ["C", "F", "column slice", "reversed"])
def test_mkl_products_in_every_layout(mkl, dtype, order_a, order_b):
    a, b = _matrix((96, 80), dtype, order_a), _matrix((80, 112), dtype, order_b)
    before = a.copy(), b.copy()
    _check_product(blas.matmul(a, b), a, b)
    assert mkl == ["_gemm"]
    assert np.array_equal(a, before[0]) and np.array_equal(b, before[1])


@needs_mkl
@pytest.mark.parametrize("shape_a, shape_b", [((1, 700), (700, 600)), ((600, 700), (700, 1)),
                                              ((600, 1), (1, 700)), ((1, 600), (600, 1000))])
def test_mkl_products_with_size_one_dimensions(mkl, shape_a, shape_b):
    a = rng.standard_normal(shape_a).astype(np.float32)
    b = rng.standard_normal(shape_b).astype(np.float32)
    _check_product(blas.matmul(a, b), a, b)
    # a size-1 axis with an odd stride is still C-contiguous under NumPy's relaxed strides
    odd = np.lib.stride_tricks.as_strided(a, a.shape, (a.strides[0], 12345 * 4)
                                          if a.shape[1] == 1 else (7 * 4, a.strides[1]))
    _check_product(blas.matmul(odd, b), odd, b)
    assert mkl == ["_gemm"] * 2


def _batch(shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


BATCHES = {
    "batch @ matrix": lambda: (_batch((4, 96, 80)), _batch((80, 112))),
    "matrix @ batch": lambda: (_batch((96, 80)), _batch((4, 80, 112))),
    "both batched": lambda: (_batch((4, 96, 80)), _batch((4, 80, 112))),
    "broadcast both ways": lambda: (_batch((2, 1, 64, 48)), _batch((1, 3, 48, 72))),
    "transposed matrices": lambda: (_batch((4, 80, 96)).mT, _batch((4, 112, 80)).mT),
    "reversed batch": lambda: (_batch((4, 96, 80))[::-1], _batch((4, 80, 112))),
    "batch step": lambda: (_batch((8, 96, 80))[::2], _batch((80, 112))),
    "batch axis inside": lambda: (_batch((96, 4, 80)).transpose(1, 0, 2), _batch((80, 112))),
    "one column": lambda: (_batch((6, 300, 200)), _batch((6, 200, 1))),
    "float64": lambda: (_batch((4, 96, 80), np.float64), _batch((1, 80, 112), np.float64)),
}


@needs_mkl
@pytest.mark.parametrize("case", BATCHES)
def test_mkl_batched_products(mkl, case):
    a, b = BATCHES[case]()
    before = a.copy(), b.copy()
    _check_product(blas.matmul(a, b), a, b)
    assert mkl == ["_gemm_batch"]
    assert np.array_equal(a, before[0]) and np.array_equal(b, before[1])


@needs_mkl
def test_mkl_products_propagate_nan_and_inf(mkl):
    a = rng.standard_normal((80, 80)).astype(np.float32)
    b = rng.standard_normal((80, 80)).astype(np.float32)
    a[3, 5], b[7, 9] = np.nan, np.inf
    out = blas.matmul(a, b)
    assert mkl == ["_gemm"]
    assert np.all(np.isnan(out[3])) and np.all(np.isnan(a @ b)[3])
    assert np.array_equal(np.isinf(out), np.isinf(a @ b))
    assert np.array_equal(np.isnan(out), np.isnan(a @ b))


@needs_mkl
@pytest.mark.parametrize("a, b", [
    (np.ones((80, 80), np.float32), np.ones((80, 80), np.float64)),         # mixed dtypes
    (np.ones((80, 80), np.int64), np.ones((80, 80), np.int64)),             # integers
    (np.ones((80, 80), ">f4"), np.ones((80, 80), ">f4")),                   # big-endian
    (np.ones(80, np.float32), np.ones((80, 80), np.float32)),               # a vector
    (np.ones((0, 80), np.float32), np.ones((80, 80), np.float32)),          # empty
], ids=["mixed", "int", "big-endian", "vector", "empty"])
def test_what_mkl_does_not_take_is_numpys_matmul(mkl, a, b):
    out = blas.matmul(a, b)
    assert mkl == [] and out.dtype == (a @ b).dtype and np.array_equal(out, a @ b)


@needs_mkl
def test_mkl_takes_products_from_its_size_threshold_up(gemm_calls):
    """2^23 multiply-adds per matrix, where MKL starts to beat OpenBLAS on this project's CPU."""
    a, b = rng.standard_normal((256, 256)), rng.standard_normal((256, 128))  # 2^23 exactly
    a_less, b_less = a[:, :255], b[:255]
    assert np.array_equal(blas.matmul(a_less, b_less), a_less @ b_less)
    assert np.array_equal(blas.matmul(np.stack([a_less] * 3), b_less),
                          np.stack([a_less] * 3) @ b_less)
    assert gemm_calls == []
    _check_product(blas.matmul(a, b), a, b)
    _check_product(blas.matmul(np.stack([a] * 3), b), np.stack([a] * 3), b)
    assert gemm_calls == ["_gemm", "_gemm_batch"]


@needs_mkl
def test_mismatched_shapes_raise_numpys_error_under_mkl(use):
    use("mkl")
    with pytest.raises(ValueError, match="mismatch"):
        blas.matmul(np.ones((80, 80), np.float32), np.ones((81, 80), np.float32))
    with pytest.raises(ValueError, match="broadcast"):
        blas.matmul(np.ones((2, 80, 80), np.float32), np.ones((3, 80, 80), np.float32))


@needs_mkl
@pytest.mark.parametrize("op", ["linear", "matmul"])
def test_linear_and_matmul_forward_and_backward_under_mkl(mkl, op):
    x = rng.standard_normal((128, 96)).astype(np.float32)
    w = rng.standard_normal((112, 96)).astype(np.float32)
    g = rng.standard_normal((128, 112)).astype(np.float32)
    xt, wt = gradix.tensor(x, requires_grad=True), gradix.tensor(w, requires_grad=True)
    y = gradix.nn.functional.linear(xt, wt) if op == "linear" else xt @ wt.T
    y.backward(gradix.tensor(g))
    _check_product(y.detach().numpy(), x, w.T)
    _check_product(xt.grad.numpy(), g, w)
    _check_product(wt.grad.numpy(), g.T, x)
    assert mkl == ["_gemm"] * 3


@needs_mkl
def test_mkl_leaves_openblas_one_thread_and_numpy_gives_its_threads_back(use):
    """With MKL in use, OpenBLAS's idle threads would spin on the cores MKL's threads need."""
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def openblas_threads():
        return [p["num_threads"] for p in threadpoolctl.threadpool_info()
                if p["internal_api"] == "openblas"]
    use("numpy")
    before = openblas_threads()
    use("mkl")
    assert openblas_threads() == [1] * len(before)
    use("numpy")
    assert openblas_threads() == before
