"""gradix: tensors and reverse-mode automatic differentiation on NumPy, with PyTorch's API."""
from . import autograd, backend, dtypes, ops  # noqa: F401  (ops attaches the methods to Tensor)
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (arange, empty, empty_like, eye, full, full_like, linspace, ones,
                       ones_like, rand, rand_like, randint, randn, randn_like, randperm, zeros,
                       zeros_like)
from .dtypes import (bool_ as bool, double, float, float16, float32, float64, half, int,  # noqa: A004
                     int8, int16, int32, int64, long, uint8)
from .ops.elementwise import (abs, add, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, ceil,
                              clamp, clone, cos, div, eq, exp, expm1, floor, floor_divide, fmod, ge,
                              gt, isfinite, isinf, isnan, le, log, log1p, logical_and,
                              logical_not, logical_or, logical_xor, lt, maximum, minimum, mul,
                              ne, neg, pow, relu, remainder, round, rsqrt, sigmoid, sign, sin,
                              softplus, sqrt, square, sub, tanh, where)
from .ops.index import gather, index_select, masked_fill, scatter_add
from .ops.linalg import bmm, dot, einsum, matmul, mm, outer
from .ops.reduce import (all, amax, amin, any, argmax, argmin, cumsum, logsumexp, max, mean, min,
                         norm, prod, std, sum, var)
from .ops.shape import (broadcast_tensors, broadcast_to, cat, chunk, concatenate, expand, flatten,
                        flip, movedim, narrow, pad, permute, repeat, reshape, split, squeeze,
                        stack, transpose, unbind, unflatten, unsqueeze)
from .ops.elementwise import (absolute, allclose, clamp_max, clamp_min, divide, equal, erf, erfc,
                              erfinv, exp2, fix, fmax, fmin, frac, isclose, lerp, log2, log10,
                              logaddexp, multiply, nan_to_num, negative, positive, reciprocal,
                              subtract, true_divide, trunc, xlogy)
from .ops.trig import (acos, acosh, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh,
                       asin, asinh, atan, atan2, atanh, cosh, hypot, sinh, tan)
from .ops.diagonal import diag, diag_embed, diagonal, trace, tril, triu
from .ops.index import (argwhere, index_add, index_copy, index_fill, masked_scatter,
                        masked_select, nonzero, scatter, take, take_along_dim)
from .ops.shape import (atleast_1d, atleast_2d, atleast_3d, column_stack, concat, dsplit,
                        dstack, fliplr, flipud, hsplit, hstack, meshgrid, repeat_interleave,
                        roll, rot90, swapaxes, swapdims, t, tensor_split, tile, vsplit, vstack)
# MORE-SORT-EXPORTS
from .random import manual_seed
from .tensor import Tensor, as_tensor, from_numpy, tensor
from . import data, nn, optim, select, train  # noqa: F401,E402
from .io import load, save  # noqa: E402

clip = clamp
__version__ = "0.1.0"
backend.keep_freed_memory()


def get_default_dtype():
    return dtypes.default_float
