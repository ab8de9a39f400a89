"""gradix: tensors and reverse-mode automatic differentiation on NumPy, with PyTorch's API."""
from . import autograd, backend, blas, dtypes, ops  # noqa: F401  (ops attaches the methods to Tensor)
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .creation import (arange, empty, empty_like, eye, full, full_like, linspace, logspace, ones,
                       ones_like, rand, rand_like, randint, randint_like, randn, randn_like,
                       randperm, zeros, zeros_like)
from .dtypes import (bool_ as bool, double, float, float16, float32, float64, half, int,  # noqa: A004
                     int8, int16, int32, int64, long, uint8)
from .ops.activation import log_softmax, softmax
from .ops.decomposition import (cholesky, det, inverse, logdet, matrix_exp, matrix_power,
                                pinverse, slogdet)
from .ops.diagonal import (diag, diag_embed, diagflat, diagonal, diagonal_scatter, trace, tril,
                           triu)
from .ops.elementwise import (abs, absolute, add, allclose, bitwise_and, bitwise_not, bitwise_or,
                              bitwise_xor, ceil, clamp, clamp_max, clamp_min, clone, cos, div,
                              divide, eq, equal, erf, erfc, erfinv, exp, exp2, expm1, fix, floor,
                              floor_divide, fmax, fmin, fmod, frac, ge, gt, isclose, isfinite,
                              isinf, isnan, le, lerp, log, log10, log1p, log2, logaddexp,
                              logical_and, logical_not, logical_or, logical_xor, lt, maximum,
                              minimum, mul, multiply, nan_to_num, ne, neg, negative, positive, pow,
                              reciprocal, relu, remainder, round, rsqrt, sigmoid, sign, sin,
                              softplus, sqrt, square, sub, subtract, tanh, true_divide, trunc,
                              where, xlogy)
from .ops.index import (argwhere, as_strided, gather, index_add, index_copy, index_fill,
                        index_put, index_put_, index_select, masked_fill, masked_scatter,
                        masked_select, nonzero, put, scatter, scatter_add, scatter_reduce,
                        select_scatter, slice_scatter, take, take_along_dim)
from .ops.linalg import (addbmm, addmm, addmv, addr, baddbmm, block_diag, bmm,
                         cartesian_prod, cdist, cross, dist, dot, einsum, ger, inner, kron,
                         matmul, mm, mv, outer, tensordot, vdot)
from .ops.reduce import (all, amax, amin, aminmax, any, argmax, argmin, count_nonzero, cummax,
                         cummin, cumprod, cumsum, diff, logcumsumexp, logsumexp, max, mean, min,
                         nanmean, nansum, norm, prod, std, std_mean, sum, var, var_mean)
from .ops.shape import (atleast_1d, atleast_2d, atleast_3d, broadcast_tensors, broadcast_to, cat,
                        chunk, column_stack, concat, concatenate, dsplit, dstack, expand, flatten,
                        flip, fliplr, flipud, hsplit, hstack, meshgrid, moveaxis, movedim, narrow,
                        pad, permute, ravel, renorm, repeat, repeat_interleave, reshape, roll,
                        rot90, split, squeeze, stack, swapaxes, swapdims, t, tensor_split, tile,
                        transpose, unbind, unflatten, unsqueeze, vsplit, vstack)
from .ops.sort import (argsort, bucketize, kthvalue, median, mode, msort, nanmedian, searchsorted,
                       sort, topk, unique, unique_consecutive)
from .ops.special import (addcdiv, addcmul, copysign, deg2rad, digamma, float_power, gcd, greater,
                          greater_equal, heaviside, i0, is_complex, isneginf, isposinf, isreal,
                          lcm, ldexp, less, less_equal, lgamma, logaddexp2, logit, mvlgamma,
                          nextafter, not_equal, polygamma, rad2deg, sgn, signbit, sinc)
from .ops.stats import (bernoulli, bincount, broadcast_shapes, combinations, corrcoef, cov,
                        cumulative_trapezoid, histc, histogram, isin, multinomial, nanquantile,
                        normal, numel, quantile, trapezoid, tril_indices, triu_indices,
                        unravel_index, vander)
from .ops.trig import (acos, acosh, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh,
                       asin, asinh, atan, atan2, atanh, cosh, hypot, sinh, tan)
from .random import manual_seed
from .tensor import Tensor, as_tensor, from_numpy, tensor
from . import data, linalg, nn, optim, select, train  # noqa: F401,E402
from .io import load, save  # noqa: E402

clip = clamp
__version__ = "0.1.0"
backend.keep_freed_memory()


def get_default_dtype():
    return dtypes.default_float
