"""Which BLAS multiplies matrices on the CPU: NumPy's (OpenBLAS in NumPy's wheels) or Intel MKL.

With the optional ``mkl`` package installed (``pip install 'gradix[mkl]'``, about 1 GB), large
2-D float32/float64 products run on MKL's gemm, the BLAS inside PyTorch's CPU builds; on Intel
CPUs it is 10-15% faster than OpenBLAS at the sizes of a dense layer. Everything else, and
every product without MKL, is NumPy's ``@``. ``GRADIX_BLAS=numpy`` in the environment, or
``use("numpy")``, keeps NumPy's BLAS with MKL installed.
"""
import ctypes
import functools
import importlib.metadata
import os
import warnings

import numpy as np

__all__ = ["matmul", "mkl_version", "name", "use"]

# Below about 64^3 multiply-adds the ctypes call costs more than MKL saves.
_MIN_WORK = 1 << 18
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
        getattr(lib, gemm).restype = None
    return lib


def use(blas):
    """Chooses the BLAS for matrix products: "mkl" (needs ``pip install 'gradix[mkl]'``) or
    "numpy"."""
    if blas not in ("mkl", "numpy"):
        raise ValueError(f"blas.use: {blas!r} is not a BLAS; use 'mkl' or 'numpy'")
    if blas == "mkl" and _mkl() is None:
        raise RuntimeError("blas.use('mkl'): MKL is not installed; pip install 'gradix[mkl]' "
                           "(Linux or Windows on x86-64)")
    _choice["name"] = blas


def name():
    """The BLAS in use for matrix products: "mkl" or "numpy"."""
    if _choice["name"] is None:
        wanted = os.environ.get("GRADIX_BLAS", "").lower()
        _choice["name"] = "mkl" if wanted != "numpy" and _mkl() is not None else "numpy"
    return _choice["name"]


def mkl_version():
    """MKL's version string, or None when MKL is not installed."""
    if _mkl() is None:
        return None
    text = ctypes.create_string_buffer(256)
    _mkl().MKL_Get_Version_String(text, len(text))
    return text.value.decode()


def matmul(a, b):
    """``a @ b``. A 2-D NumPy product of two float32 or two float64 matrices of at least 2^18
    multiply-adds runs on MKL's gemm when MKL is in use; anything else (Tensors, CuPy arrays,
    batches, vectors, small or mixed-dtype operands) is plain ``@``.

    Shapes: a (M, K), b (K, N) -> (M, N) on the MKL path; NumPy's matmul rules otherwise.
    """
    if (type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 2 and b.ndim == 2
            and a.dtype == b.dtype and a.shape[1] == b.shape[0]
            and a.shape[0] * a.shape[1] * b.shape[1] >= _MIN_WORK
            and max(a.shape + b.shape) <= _INT_MAX and name() == "mkl"):
        gemm = _GEMMS.get(a.dtype)
        if gemm is not None:
            return _gemm(getattr(_mkl(), gemm), a, b)
    return a @ b


def _layout(x):
    """(transpose flag, leading dimension, array) that describe matrix ``x`` to a row-major
    gemm; an array in neither C nor Fortran order is copied into C order first."""
    if not (x.flags.c_contiguous or x.flags.f_contiguous):
        x = np.ascontiguousarray(x)
    if x.flags.c_contiguous:
        return _NO_TRANS, max(1, x.shape[1]), x
    return _TRANS, max(1, x.shape[0]), x


def _gemm(gemm, a, b):
    """a (M, K) @ b (K, N) by one MKL gemm call into a new C-ordered array."""
    (m, k), n = a.shape, b.shape[1]
    (ta, lda, a), (tb, ldb, b) = _layout(a), _layout(b)
    c = np.empty((m, n), a.dtype)
    gemm(_ROW_MAJOR, ta, tb, m, n, k, 1.0, a.ctypes.data, lda, b.ctypes.data, ldb, 0.0,
         c.ctypes.data, max(1, n))
    return c
