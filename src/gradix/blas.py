"""Which BLAS multiplies matrices on the CPU: NumPy's (OpenBLAS in NumPy's wheels) or Intel MKL.

With the optional ``mkl`` package installed (``pip install 'gradix[mkl]'``, about 1 GB), large
float32/float64 products of matrices and batches of them run on MKL's gemm, the BLAS inside
PyTorch's CPU builds; on Intel CPUs it is 8-12% faster than OpenBLAS at the sizes of a dense
layer. Everything else, and every product without MKL, is NumPy's ``@``; while MKL is in use,
NumPy's OpenBLAS runs on one thread. ``GRADIX_BLAS=numpy`` in the environment, or
``use("numpy")``, keeps NumPy's BLAS with MKL installed.
"""
import ctypes
import functools
import importlib.metadata
import math
import os
import warnings

import numpy as np

__all__ = ["matmul", "mkl_version", "name", "use"]

# MKL wins from about 2^23 multiply-adds per matrix (256 x 256 x 128) up; below that its
# fixed cost (and the ctypes call's) outweighs its faster kernel.
_MIN_WORK = 1 << 23
_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_INT_MAX = 2 ** 31 - 1  # MKL's LP64 interface takes 32-bit dimensions
_GEMMS = {np.dtype(np.float32): "cblas_sgemm", np.dtype(np.float64): "cblas_dgemm"}
_choice = {"name": None}  # "mkl" or "numpy"; None until the first product or use()


@functools.cache
def _mkl():
    """libmkl_rt from the installed ``mkl`` package, with its gemms typed; None without it."""
    try:
        files = importlib.metadata.distribution("mkl").files or []
    except importlib.metadata.PackageNotFoundError:
        return None
    paths = [f.locate() for f in files if f.name.startswith(("libmkl_rt.so", "mkl_rt."))]
    if not paths:
        return None
    try:
        lib = ctypes.CDLL(str(paths[0]))
    except OSError as e:
        warnings.warn(f"gradix: the mkl package is installed but {paths[0]} does not load "
                      f"({e}); matrix products use NumPy's BLAS", RuntimeWarning, stacklevel=3)
        return None
    i, p = ctypes.c_int, ctypes.c_void_p
    for dtype, gemm in _GEMMS.items():
        real = np.ctypeslib.as_ctypes_type(dtype)
        getattr(lib, gemm).argtypes = [i, i, i, i, i, i, real, p, i, p, i, real, p, i]
        # the batched form takes every argument but the layout and group count by pointer
        getattr(lib, gemm + "_batch").argtypes = [i] + [p] * 13 + [i, p]
        for fn in (getattr(lib, gemm), getattr(lib, gemm + "_batch")):
            fn.restype = None
    return lib


def use(blas):
    """Chooses the BLAS for matrix products: "mkl" (needs ``pip install 'gradix[mkl]'``) or
    "numpy"."""
    if blas not in ("mkl", "numpy"):
        raise ValueError(f"blas.use: {blas!r} is not a BLAS; use 'mkl' or 'numpy'")
    if blas == "mkl" and _mkl() is None:
        raise RuntimeError("blas.use('mkl'): MKL is not installed; pip install 'gradix[mkl]' "
                           "(Linux or Windows on x86-64)")
    _choose(blas)


def name():
    """The BLAS in use for matrix products: "mkl" or "numpy". Until ``use`` is called, the
    environment variable GRADIX_BLAS decides, and without it MKL when it is installed."""
    if _choice["name"] is None:
        wanted = os.environ.get("GRADIX_BLAS", "")
        if wanted:
            try:
                use(wanted.lower())
            except (ValueError, RuntimeError) as e:
                raise type(e)(f"GRADIX_BLAS={wanted}: {e}") from None
        else:
            _choose("mkl" if _mkl() is not None else "numpy")
    return _choice["name"]


def _choose(blas):
    """Puts ``blas`` in use. With MKL, NumPy's OpenBLAS keeps only the small products, so it
    runs them on one thread: its idle threads spin for a while after each call, on the cores
    that MKL's threads then need (that made an MLP step on two cores twice as slow)."""
    if _choice.get("openblas_limit") is not None:
        _choice.pop("openblas_limit").restore_original_limits()
    if blas == "mkl":
        from threadpoolctl import ThreadpoolController  # scikit-learn's dependency
        _choice["openblas_limit"] = ThreadpoolController().select(
            internal_api="openblas").limit(limits=1)
    _choice["name"] = blas


def mkl_version():
    """MKL's version string, or None when MKL is not installed."""
    if _mkl() is None:
        return None
    text = ctypes.create_string_buffer(256)
    _mkl().MKL_Get_Version_String(text, len(text))
    return text.value.decode()


def matmul(a, b):
    """``a @ b``. When MKL is in use, a product of two float32 or two float64 NumPy arrays
    (matrices or broadcast batches of them) of at least 2^23 multiply-adds per matrix runs on
    MKL's gemm; anything else (Tensors, CuPy arrays, vectors, small or mixed-dtype operands) is
    plain ``@``.

    Shapes: a (*, M, K), b (*, K, N) -> (*, M, N), the batch dims broadcast.
    """
    if (_choice["name"] or name()) == "numpy":  # without MKL, ops pay only this check
        return a @ b
    if (type(a) is np.ndarray and type(b) is np.ndarray and a.ndim >= 2 and b.ndim >= 2
            and a.dtype == b.dtype and a.dtype in _GEMMS and a.shape[-1] == b.shape[-2]):
        try:
            batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            return a @ b  # NumPy's error names the shapes
        (m, k), n, count = a.shape[-2:], b.shape[-1], math.prod(batch)
        if m * n * k >= _MIN_WORK and max(m, n, k, count) <= _INT_MAX:
            return _gemm_batch(a, b, batch) if batch else _gemm(a, b)
    return a @ b


def _layout(x):
    """(transpose flag, leading dimension, array) that tell a row-major gemm how to read each
    of x's matrices (its last two dims); x is copied into C order when its strides fit
    neither."""
    (r, c), (sr, sc), size = x.shape[-2:], x.strides[-2:], x.itemsize
    if x.flags.aligned:
        if (c == 1 or sc == size) and (r == 1 or sr % size == 0 and c * size <= sr <= _INT_MAX):
            return _NO_TRANS, sr // size if r > 1 else c, x
        if (r == 1 or sr == size) and (c == 1 or sc % size == 0 and r * size <= sc <= _INT_MAX):
            return _TRANS, sc // size if c > 1 else r, x
    return _layout(np.ascontiguousarray(x))


def _gemm(a, b):
    """a (M, K) @ b (K, N) by one MKL gemm call into a new C-ordered array."""
    (m, k), n = a.shape, b.shape[1]
    (ta, lda, a), (tb, ldb, b) = _layout(a), _layout(b)
    c = np.empty((m, n), a.dtype)
    getattr(_mkl(), _GEMMS[a.dtype])(_ROW_MAJOR, ta, tb, m, n, k, 1.0, a.ctypes.data, lda,
                                      b.ctypes.data, ldb, 0.0, c.ctypes.data, n)
    return c


def _gemm_batch(a, b, batch):
    """a (*, M, K) @ b (*, K, N), batch dims broadcast to ``batch``, by one MKL batched gemm
    call that reads every operand matrix where it lies (no broadcast copies)."""
    (m, k), n = a.shape[-2:], b.shape[-1]
    (ta, lda, a), (tb, ldb, b) = _layout(a), _layout(b)
    c = np.empty(batch + (m, n), a.dtype)
    ints = [np.array([v], np.intc) for v in (ta, tb, m, n, k, lda, ldb, n, math.prod(batch))]
    scalars = np.array([1.0, 0.0], a.dtype)
    pointers = [_addresses(x, batch) for x in (a, b, c)]
    getattr(_mkl(), _GEMMS[a.dtype] + "_batch")(
        _ROW_MAJOR, *(v.ctypes.data for v in ints[:5]), scalars.ctypes.data,
        pointers[0].ctypes.data, ints[5].ctypes.data, pointers[1].ctypes.data,
        ints[6].ctypes.data, scalars[1:].ctypes.data, pointers[2].ctypes.data,
        ints[7].ctypes.data, 1, ints[8].ctypes.data)
    return c


def _addresses(x, batch):
    """The address of each of x's matrices, with x broadcast over ``batch``, in C order."""
    strides = np.broadcast_to(x, batch + x.shape[-2:]).strides[:len(batch)]
    addresses = np.full(batch, x.ctypes.data, np.int64)
    for axis, (size, stride) in enumerate(zip(batch, strides)):
        addresses += np.arange(size).reshape((size,) + (1,) * (len(batch) - axis - 1)) * stride
    return addresses.ravel()
