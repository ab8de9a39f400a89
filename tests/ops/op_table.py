"""The op table: every op described once, consumed by test_op_table.py.

An ``Op`` names the op, calls it as ``fn(m, *tensors)`` where ``m`` is the ``gradix`` or the
``torch`` module (so one call serves both frameworks, written with methods and operators both
share), gives a NumPy reference ``ref(*arrays)``, the input shapes of each sample, and the input
domain of each input (positive for log, away from kinks, ties and integers where an op is not
smooth). Non-tensor arguments (dims, indices, constant arrays) are baked into the lambdas.
"""
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

# ---------------------------------------------------------------------- input domains
# Each domain maps (rng, shape) to a float64 array; the tests cast it to the dtype under test.


def _real(rng, shape):
    return rng.standard_normal(shape)


def _positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def _away0(rng, shape):  # |x| >= 0.2: no kink of abs/relu/sign, no pole of 1/x
    return rng.uniform(0.2, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def _grid(rng, shape):  # multiples of 0.5: two grid inputs tie often (comparisons)
    return rng.integers(-4, 5, shape) * 0.5


def _offgrid(rng, shape):  # multiples of 0.5 plus 0.25: never within 0.25 of a grid value
    return rng.integers(-4, 4, shape) * 0.5 + 0.25


def _lo(rng, shape):  # clamp lower bounds on the grid, <= -0.5
    return rng.integers(-4, 0, shape) * 0.5


def _hi(rng, shape):  # clamp upper bounds on the grid, >= 0.5
    return rng.integers(1, 5, shape) * 0.5


def _frac(rng, shape):  # away from integers and from halves (floor, ceil, round)
    f = rng.choice([0.2, 0.3, 0.7, 0.8], shape) + rng.uniform(-0.05, 0.05, shape)
    return rng.integers(-3, 3, shape) + f


def _distinct(rng, shape):  # all values at least 0.3 apart: no ties in max/min/argmax
    n = int(np.prod(shape))
    return ((rng.permutation(n) - n / 2) * 0.3 + rng.uniform(-0.05, 0.05)).reshape(shape)


def _large(rng, shape):  # logsumexp far beyond exp's float range
    return rng.standard_normal(shape) + 1000.0


def _with_zeros(rng, shape):
    """Nonzero values, then exact zeros: row 1 has one zero, row 2 has two (for prod)."""
    x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    if len(shape) == 2 and shape[0] >= 3 and shape[1] >= 3:
        x[1, 1] = 0.0
        x[2, 0] = x[2, 2] = 0.0
    elif len(shape) >= 1 and x.size:
        x.reshape(-1)[1 % x.size] = 0.0
    return x


def _frac_tenths(rng, shape):  # x * 10 away from integers and halves (round, decimals=1)
    return _frac(rng, shape) / 10


DOMAINS = {"real": _real, "positive": _positive, "away0": _away0, "grid": _grid,
           "offgrid": _offgrid, "lo": _lo, "hi": _hi, "frac": _frac, "distinct": _distinct,
           "large": _large, "zeros": _with_zeros, "frac_tenths": _frac_tenths}


@dataclass
class Op:
    name: str
    fn: Callable            # fn(m, *tensors), m = gradix or torch
    ref: Callable           # ref(*arrays) -> array or tuple of arrays
    shapes: list            # samples: each a tuple of input shapes
    domain: tuple = ("real",)  # one per input (the last one repeats)
    grad: bool = True       # False: not differentiable (comparisons, argmax, ...)
    torch_fn: Callable = None  # when torch's spelling differs; False: no torch equivalent
    dtypes: tuple = ("float32", "float64")
    rtol: float = 1e-5      # float32 forward tolerances (float64 uses 1e-10)
    atol: float = 1e-6
    gradcheck: bool = True  # False: not differentiable at the sample (ties), torch still checks
    tags: tuple = field(default_factory=tuple)

    def make(self, rng, shapes, dtype):
        arrays = []
        for i, shape in enumerate(shapes):
            name = self.domain[min(i, len(self.domain) - 1)]
            arrays.append(DOMAINS[name](rng, shape).astype(dtype))
        return arrays


OPS = []


def op(*args, **kwargs):
    OPS.append(Op(*args, **kwargs))


def kw(dim, keepdim):
    """Reduction keywords, leaving dim out when it is None (torch's amax/logsumexp want a dim)."""
    return {"keepdim": keepdim} if dim is None else {"dim": dim, "keepdim": keepdim}


UNARY = [((3, 4),), ((),), ((0, 3),), ((2, 1, 3),)]
BCAST = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (5,)), ((3, 1), ()),
         ((0, 3), (1, 3)), ((1,), (2, 3))]
ARR64 = np.array([0.5, -1.25, 2.0, 3.5])            # a NumPy operand: float64, shape (4,)
ARR32 = np.array([1.5, -0.75, 0.25, 2.0], np.float32)
MASK34 = np.array([[True, False, True, True], [False, False, True, False],
                   [True, True, False, True]])


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


def _softplus(a, beta=1.0):
    return (np.logaddexp(0, beta * a) / beta).astype(a.dtype)


def _logsumexp(a, axis=None, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis if axis is not None
                                           else tuple(range(a.ndim)))


def _F(m):
    """torch.nn.functional for torch; gradix keeps pad and softplus at the top level."""
    return m.nn.functional if m.__name__ == "torch" else m


# ---------------------------------------------------------------------- elementwise: unary
op("neg", lambda m, x: -x, np.negative, UNARY)
op("neg_fn", lambda m, x: m.neg(x), np.negative, UNARY[:1])
op("exp", lambda m, x: x.exp(), np.exp, UNARY)
op("log", lambda m, x: x.log(), np.log, UNARY, ("positive",))
op("log1p", lambda m, x: x.log1p(), np.log1p, UNARY, ("positive",))
op("sqrt", lambda m, x: x.sqrt(), np.sqrt, UNARY, ("positive",))
op("rsqrt", lambda m, x: x.rsqrt(), lambda a: 1 / np.sqrt(a), UNARY, ("positive",))
op("abs", lambda m, x: x.abs(), np.abs, UNARY, ("away0",))
op("abs_builtin", lambda m, x: abs(x), np.abs, UNARY[:1], ("away0",))
op("sin", lambda m, x: x.sin(), np.sin, UNARY)
op("cos", lambda m, x: x.cos(), np.cos, UNARY)
op("tanh", lambda m, x: x.tanh(), np.tanh, UNARY)
op("sigmoid", lambda m, x: m.sigmoid(x), _sigmoid, UNARY)
op("relu", lambda m, x: x.relu(), lambda a: np.maximum(a, 0), UNARY, ("away0",))
op("softplus", lambda m, x: _F(m).softplus(x), _softplus, UNARY)
op("softplus_beta", lambda m, x: _F(m).softplus(x, beta=2.0), lambda a: _softplus(a, 2.0),
   UNARY[:1])
op("square", lambda m, x: x.square(), np.square, UNARY[:1])
op("sign", lambda m, x: x.sign(), np.sign, UNARY, ("away0",))
op("floor", lambda m, x: x.floor(), np.floor, UNARY, ("frac",))
op("ceil", lambda m, x: x.ceil(), np.ceil, UNARY, ("frac",))
op("round", lambda m, x: x.round(), np.round, UNARY, ("frac",))
op("round_decimals", lambda m, x: m.round(x, decimals=1), lambda a: np.round(a, 1), UNARY,
   ("frac_tenths",))

# ---------------------------------------------------------------------- elementwise: binary
op("add", lambda m, a, b: a + b, np.add, BCAST)
op("add_fn", lambda m, a, b: m.add(a, b), np.add, BCAST[:3])
op("add_alpha", lambda m, a, b: m.add(a, b, alpha=2.5), lambda a, b: a + 2.5 * b, BCAST[:2])
op("sub", lambda m, a, b: a - b, np.subtract, BCAST)
op("mul", lambda m, a, b: a * b, np.multiply, BCAST)
op("div", lambda m, a, b: a / b, np.divide, BCAST, ("real", "away0"))
op("div_trunc", lambda m, x: m.div(x, 2.0, rounding_mode="trunc"), lambda a: np.trunc(a / 2),
   UNARY, ("frac",))
op("div_floor", lambda m, x: x.div(-2.0, rounding_mode="floor"), lambda a: np.floor(a / -2),
   UNARY, ("frac",))
op("fmod", lambda m, a, b: m.fmod(a, b), np.fmod, BCAST, ("real", "away0"))
op("remainder", lambda m, a, b: a % b, np.remainder, BCAST, ("real", "away0"))
op("fmod_scalar", lambda m, x: x.fmod(0.75), lambda a: np.fmod(a, 0.75), UNARY[:2])
op("pow", lambda m, a, b: a ** b, np.power, BCAST, ("positive", "real"))
op("pow_fn", lambda m, a, b: m.pow(a, b), np.power, BCAST[:3], ("positive", "real"))
op("maximum", lambda m, a, b: m.maximum(a, b), np.maximum, BCAST, ("grid", "offgrid"))
op("minimum", lambda m, a, b: m.minimum(a, b), np.minimum, BCAST, ("grid", "offgrid"))
op("maximum_ties", lambda m, a, b: m.maximum(a, b), np.maximum, BCAST[:2], ("grid",),
   gradcheck=False)
op("minimum_ties", lambda m, a, b: m.minimum(a, b), np.minimum, BCAST[:2], ("grid",),
   gradcheck=False)
op("max_binary", lambda m, a, b: m.max(a, b), np.maximum, BCAST[:2], ("grid", "offgrid"))
op("where", lambda m, a, b: m.where(a > 0, a, b), lambda a, b: np.where(a > 0, a, b), BCAST,
   ("away0", "real"))
op("where_mask", lambda m, a, b: m.where(m.tensor(MASK34), a, b),
   lambda a, b: np.where(MASK34, a, b), [((3, 1), (4,)), ((3, 4), ())])
op("where_method", lambda m, a, b: a.where(a > 0, b), lambda a, b: np.where(a > 0, a, b), BCAST,
   ("away0", "real"))
op("where_scalar", lambda m, a: m.where(a > 0, a, 0.5), lambda a: np.where(a > 0, a, 0.5),
   UNARY[:2], ("away0",))
op("clamp", lambda m, x: x.clamp(-0.5, 0.5), lambda a: np.clip(a, -0.5, 0.5), UNARY,
   ("offgrid",))
op("clamp_min", lambda m, x: x.clamp(min=-0.5), lambda a: np.maximum(a, -0.5), UNARY[:2],
   ("offgrid",))
op("clamp_max", lambda m, x: m.clamp(x, max=0.5), lambda a: np.minimum(a, 0.5), UNARY[:2],
   ("offgrid",))
op("clamp_int_float_bounds", lambda m, x: (x * 4).long().clamp(0.5, 2.5),
   lambda a: np.clip((a * 4).astype(np.int64), 0.5, 2.5).astype(np.float32), UNARY[:1],
   grad=False)
op("clamp_int", lambda m, x: (x * 4).long().clamp(-1, 2),
   lambda a: np.clip((a * 4).astype(np.int64), -1, 2), UNARY[:1], grad=False)
op("clamp_tensor", lambda m, x, lo, hi: m.clamp(x, lo, hi), np.clip,
   [((3, 4), (3, 4), (3, 4)), ((3, 4), (4,), (3, 1))], ("offgrid", "lo", "hi"))

# reflected operators: Python scalars and NumPy arrays on either side
op("add_scalar", lambda m, x: x + 2.0, lambda a: a + 2.0, UNARY)
op("radd_scalar", lambda m, x: 2.0 + x, lambda a: 2.0 + a, UNARY[:2])
op("sub_int", lambda m, x: x - 3, lambda a: a - 3, UNARY[:2])
op("rsub_int", lambda m, x: 3 - x, lambda a: 3 - a, UNARY[:2])
op("rmul_scalar", lambda m, x: 2.5 * x, lambda a: 2.5 * a, UNARY[:2])
op("div_int", lambda m, x: x / 4, lambda a: a / 4, UNARY[:2])
op("rdiv_scalar", lambda m, x: 1.5 / x, lambda a: 1.5 / a, UNARY[:2], ("away0",))
op("pow_2", lambda m, x: x ** 2, lambda a: a ** 2, UNARY)
op("pow_3_negative_base", lambda m, x: x ** 3, lambda a: a ** 3, UNARY[:2])
op("pow_half", lambda m, x: x ** 0.5, lambda a: a ** 0.5, UNARY[:2], ("positive",))
op("rpow_scalar", lambda m, x: 2.0 ** x, lambda a: 2.0 ** a, UNARY[:2])
op("add_ndarray", lambda m, x: x + ARR64, lambda a: a + ARR64, [((3, 4),), ((4,),)],
   torch_fn=lambda m, x: x + m.as_tensor(ARR64))
op("radd_ndarray", lambda m, x: ARR64 + x, lambda a: ARR64 + a, [((3, 4),)],
   torch_fn=lambda m, x: m.as_tensor(ARR64) + x)
op("rsub_ndarray", lambda m, x: ARR32 - x, lambda a: ARR32 - a, [((3, 4),)],
   torch_fn=lambda m, x: m.as_tensor(ARR32) - x)
op("rmul_ndarray", lambda m, x: ARR32 * x, lambda a: ARR32 * a, [((3, 4),)],
   torch_fn=lambda m, x: m.as_tensor(ARR32) * x)
op("rdiv_ndarray", lambda m, x: ARR64 / x, lambda a: ARR64 / a, [((3, 4),)], ("away0",),
   torch_fn=lambda m, x: m.as_tensor(ARR64) / x)
op("div_ndarray", lambda m, x: x / ARR32, lambda a: a / ARR32, [((3, 4),)],
   torch_fn=lambda m, x: x / m.as_tensor(ARR32))

# comparisons and logical ops: bool results, not differentiable
for _name, _f, _np in [("lt", lambda a, b: a < b, np.less), ("le", lambda a, b: a <= b,
                                                            np.less_equal),
                       ("gt", lambda a, b: a > b, np.greater),
                       ("ge", lambda a, b: a >= b, np.greater_equal),
                       ("eq", lambda a, b: a == b, np.equal),
                       ("ne", lambda a, b: a != b, np.not_equal)]:
    op(_name, lambda m, a, b, f=_f: f(a, b), _np, BCAST, ("grid",), grad=False)
op("gt_scalar", lambda m, x: x > 0, lambda a: a > 0, UNARY, ("grid",), grad=False)
op("reflected_lt_scalar", lambda m, x: 0.5 < x, lambda a: 0.5 < a, UNARY[:2], ("grid",),
   grad=False)
op("eq_scalar", lambda m, x: x == 0.5, lambda a: a == 0.5, UNARY[:1], ("grid",), grad=False)
op("logical_and", lambda m, a, b: m.logical_and(a > 0, b > 0),
   lambda a, b: np.logical_and(a > 0, b > 0), BCAST[:4], ("grid",), grad=False)
op("logical_or", lambda m, a, b: m.logical_or(a > 0, b > 0),
   lambda a, b: np.logical_or(a > 0, b > 0), BCAST[:4], ("grid",), grad=False)
op("logical_xor", lambda m, a, b: m.logical_xor(a > 0, b > 0),
   lambda a, b: np.logical_xor(a > 0, b > 0), BCAST[:4], ("grid",), grad=False)
op("logical_not", lambda m, x: m.logical_not(x > 0), lambda a: ~(a > 0), UNARY, ("grid",),
   grad=False)
op("and_op", lambda m, a, b: (a > 0) & (b < 0), lambda a, b: (a > 0) & (b < 0), BCAST[:3],
   ("grid",), grad=False)
op("or_op", lambda m, a, b: (a > 0) | (b < 0), lambda a, b: (a > 0) | (b < 0), BCAST[:3],
   ("grid",), grad=False)
op("xor_op", lambda m, a, b: (a > 0) ^ (b < 0), lambda a, b: (a > 0) ^ (b < 0), BCAST[:3],
   ("grid",), grad=False)
op("invert_op", lambda m, x: ~(x > 0), lambda a: ~(a > 0), UNARY[:2], ("grid",), grad=False)

# ---------------------------------------------------------------------- reductions
R3 = [((2, 3, 4),)]
DIMS = [(None, False), (None, True), (1, False), (-1, True), ((0, 2), False), ((0, 2), True)]
for _d, _k in DIMS:
    _tag = f"[dim={_d},keepdim={_k}]"
    op("sum" + _tag, lambda m, x, d=_d, k=_k: x.sum(dim=d, keepdim=k),
       lambda a, d=_d, k=_k: np.sum(a, axis=d, keepdims=k), R3)
    op("mean" + _tag, lambda m, x, d=_d, k=_k: x.mean(dim=d, keepdim=k),
       lambda a, d=_d, k=_k: np.mean(a, axis=d, keepdims=k), R3)
    op("amax" + _tag, lambda m, x, d=_d, k=_k: x.amax(**kw(d, k)),
       lambda a, d=_d, k=_k: np.max(a, axis=d, keepdims=k), R3, ("distinct",))
    op("amin" + _tag, lambda m, x, d=_d, k=_k: x.amin(**kw(d, k)),
       lambda a, d=_d, k=_k: np.min(a, axis=d, keepdims=k), R3, ("distinct",))
    if _d is not None:
        op("logsumexp" + _tag, lambda m, x, d=_d, k=_k: x.logsumexp(d, keepdim=k),
           lambda a, d=_d, k=_k: _logsumexp(a, d, k), R3)
        op("all" + _tag, lambda m, x, d=_d, k=_k: (x > 0).all(dim=d, keepdim=k),
           lambda a, d=_d, k=_k: np.all(a > 0, axis=d, keepdims=k), R3, ("grid",), grad=False)
        op("any" + _tag, lambda m, x, d=_d, k=_k: (x > 1).any(dim=d, keepdim=k),
           lambda a, d=_d, k=_k: np.any(a > 1, axis=d, keepdims=k), R3, ("grid",), grad=False)
    for _c in (0, 1, 2):
        op(f"var[correction={_c}]" + _tag,
           lambda m, x, d=_d, k=_k, c=_c: x.var(dim=d, keepdim=k, correction=c),
           lambda a, d=_d, k=_k, c=_c: np.var(a, axis=d, keepdims=k, ddof=c), R3)
    op("std" + _tag, lambda m, x, d=_d, k=_k: x.std(dim=d, keepdim=k),
       lambda a, d=_d, k=_k: np.std(a, axis=d, keepdims=k, ddof=1), R3)
op("std[correction=0]", lambda m, x: m.std(x, dim=0, correction=0),
   lambda a: np.std(a, axis=0), [((4, 3),)])
op("sum_0d", lambda m, x: x.sum(), np.sum, [((),)])
op("sum_empty", lambda m, x: x.sum(dim=0), lambda a: np.sum(a, axis=0), [((0, 3),)])
op("sum_empty_all", lambda m, x: x.sum(), np.sum, [((0, 3),)])
op("sum_size1", lambda m, x: x.sum(dim=(0, 2)), lambda a: np.sum(a, axis=(0, 2)),
   [((1, 3, 1),)])
op("mean_0d", lambda m, x: x.mean(), np.mean, [((),)])
op("logsumexp_large", lambda m, x: x.logsumexp(dim=1), lambda a: _logsumexp(a, 1),
   [((3, 4),)], ("large",))
op("logsumexp_all", lambda m, x: m.logsumexp(x, dim=(0, 1)), lambda a: _logsumexp(a),
   [((3, 4),)])
op("all_bool", lambda m, x: (x > -2).all(), lambda a: np.all(a > -2), [((3, 4),), ((),)],
   ("grid",), grad=False)
op("any_bool", lambda m, x: (x > 1.5).any(), lambda a: np.any(a > 1.5), [((3, 4),), ((0,),)],
   ("grid",), grad=False)
for _name in ("max", "min"):
    _np, _arg = (np.max, np.argmax) if _name == "max" else (np.min, np.argmin)
    op(_name, lambda m, x, n=_name: getattr(x, n)(), _np, [((2, 3, 4),), ((),)],
       ("distinct",))
    for _d, _k in [(0, False), (1, True), (-1, False)]:
        op(f"{_name}[dim={_d},keepdim={_k}]",
           lambda m, x, n=_name, d=_d, k=_k: tuple(getattr(x, n)(dim=d, keepdim=k)),
           lambda a, f=_np, g=_arg, d=_d, k=_k: (f(a, axis=d, keepdims=k),
                                                 g(a, axis=d, keepdims=k)),
           R3, ("distinct",))
    op(f"{_name}_dim_0d", lambda m, x, n=_name: tuple(getattr(x, n)(dim=0)),
       lambda a: (a, np.array(0)), [((),)])
    op(f"arg{_name}", lambda m, x, n=_name: getattr(x, "arg" + n)(), _arg, R3, ("distinct",),
       grad=False)
    for _d, _k in [(1, False), (-1, True)]:
        op(f"arg{_name}[dim={_d},keepdim={_k}]",
           lambda m, x, n=_name, d=_d, k=_k: getattr(x, "arg" + n)(dim=d, keepdim=k),
           lambda a, g=_arg, d=_d, k=_k: g(a, axis=d, keepdims=k), R3, ("distinct",),
           grad=False)
# ties: the gradient is split evenly (torch's rule); finite differences see a kink there
op("max_ties", lambda m, x: x.max(), np.max, [((3, 4),)], ("grid",), gradcheck=False)
op("amin_ties", lambda m, x: x.amin(dim=1), lambda a: np.min(a, axis=1), [((3, 4),)], ("grid",),
   gradcheck=False)
op("prod", lambda m, x: x.prod(), np.prod, [((2, 3),), ((),), ((0,),)])
op("prod_zeros", lambda m, x: x.prod(), np.prod, [((5,),), ((2, 3),)], ("zeros",))
op("prod_two_zeros", lambda m, x: x.prod(), np.prod, [((3, 4),)], ("zeros",))
op("prod_dim_zeros", lambda m, x: x.prod(dim=1), lambda a: np.prod(a, axis=1), [((3, 4),)],
   ("zeros",))
op("prod_dim_keep", lambda m, x: x.prod(dim=0, keepdim=True),
   lambda a: np.prod(a, axis=0, keepdims=True), [((3, 4),)], ("zeros",))
op("prod_dims", lambda m, x: x.prod(dim=(0, 2)), lambda a: np.prod(a, axis=(0, 2)), R3,
   torch_fn=lambda m, x: x.prod(dim=2).prod(dim=0))
def _vector_norm(a, p, axis=None, keepdims=False):
    """torch.norm's vector p-norm over ``axis`` (np.linalg.norm takes a 2-tuple as a matrix)."""
    x, p = np.abs(a), 2 if p == "fro" else p
    if p in (np.inf, -np.inf):
        return (np.max if p > 0 else np.min)(x, axis=axis, keepdims=keepdims)
    if p == 0:
        return np.sum(x != 0, axis=axis, keepdims=keepdims).astype(a.dtype)
    return (np.sum(x ** p, axis=axis, keepdims=keepdims) ** (1 / p)).astype(a.dtype)


for _p in (2, "fro", 1, 3, np.inf, -np.inf, 0):
    for _d in (None, 1, (0, 2)):
        op(f"norm[p={_p},dim={_d}]", lambda m, x, p=_p, d=_d: x.norm(p, d),
           lambda a, p=_p, d=_d: _vector_norm(a, p, d), R3, ("distinct",))
op("norm_fn_keepdim", lambda m, x: m.norm(x, "fro", 1, True),
   lambda a: _vector_norm(a, 2, 1, True), [((3, 4),)])
for _d in (0, 1, -1):
    op(f"cumsum[dim={_d}]", lambda m, x, d=_d: x.cumsum(d), lambda a, d=_d: np.cumsum(a, d),
       [((3, 4),), ((2, 0),)])
op("cumsum_fn", lambda m, x: m.cumsum(x, dim=0), lambda a: np.cumsum(a, 0), [((5,),)])

# ---------------------------------------------------------------------- shape ops
S234 = [((2, 3, 4),)]
op("reshape", lambda m, x: x.reshape(4, -1), lambda a: a.reshape(4, -1), S234)
op("reshape_tuple", lambda m, x: x.reshape((6, 4)), lambda a: a.reshape(6, 4), S234)
op("reshape_0d", lambda m, x: x.reshape(1, 1), lambda a: a.reshape(1, 1), [((),)])
op("reshape_to_0d", lambda m, x: x.reshape(()), lambda a: a.reshape(()), [((1, 1),)])
op("reshape_empty", lambda m, x: x.reshape(3, 0), lambda a: a.reshape(3, 0), [((0, 3),)])
op("view", lambda m, x: x.view(-1), lambda a: a.reshape(-1), S234)
op("view_fn", lambda m, x: m.reshape(x, (3, 8)), lambda a: a.reshape(3, 8), S234)
op("transpose", lambda m, x: x.transpose(0, 2), lambda a: a.swapaxes(0, 2), S234)
op("transpose_neg", lambda m, x: m.transpose(x, -1, -2), lambda a: a.swapaxes(-1, -2), S234)
op("permute", lambda m, x: x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1), S234)
op("permute_fn", lambda m, x: m.permute(x, (1, 2, 0)), lambda a: a.transpose(1, 2, 0), S234)
op("T_2d", lambda m, x: x.T, lambda a: a.T, [((3, 4),)])
op("T_3d", lambda m, x: x.T, lambda a: a.T, S234, torch_fn=lambda m, x: x.permute(2, 1, 0))
op("squeeze_all", lambda m, x: x.squeeze(), np.squeeze, [((1, 3, 1),), ((1,),)])
op("squeeze_dim", lambda m, x: x.squeeze(2), lambda a: a.squeeze(2), [((1, 3, 1),)])
op("squeeze_non1", lambda m, x: x.squeeze(1), lambda a: a, [((1, 3, 1),)])  # a no-op
op("squeeze_dims", lambda m, x: x.squeeze((0, 2)), lambda a: a.squeeze((0, 2)),
   [((1, 3, 1),)])
op("unsqueeze", lambda m, x: x.unsqueeze(0), lambda a: a[None], [((3, 4),), ((),)])
op("unsqueeze_neg", lambda m, x: m.unsqueeze(x, -1), lambda a: a[..., None], [((3, 4),)])
op("unsqueeze_mid", lambda m, x: x.unsqueeze(1), lambda a: a[:, None], [((3, 4),)])
op("expand", lambda m, x: x.expand(3, -1, 4), lambda a: np.broadcast_to(a, (3, 2, 4)),
   [((1, 2, 1),)])
op("expand_new_dims", lambda m, x: x.expand(2, 3, 4), lambda a: np.broadcast_to(a, (2, 3, 4)),
   [((3, 1),), ((),)])
op("broadcast_to", lambda m, x: m.broadcast_to(x, (2, 3, 4)),
   lambda a: np.broadcast_to(a, (2, 3, 4)), [((4,),), ((3, 1),), ((1, 1, 1),)])
op("broadcast_to_keep", lambda m, x: m.broadcast_to(x, (2, -1, 4)),
   lambda a: np.broadcast_to(a, (2, 3, 4)), [((3, 1),), ((1, 3, 4),)])
op("broadcast_to_method_keep", lambda m, x: x.broadcast_to((-1, 4)),
   lambda a: np.broadcast_to(a, (3, 4)), [((3, 1),)])
op("broadcast_to_int", lambda m, x: x.broadcast_to(3), lambda a: np.broadcast_to(a, 3),
   [((1,),), ((),)])
op("flatten", lambda m, x: x.flatten(), lambda a: a.reshape(-1), S234 + [((),)])
op("flatten_from1", lambda m, x: x.flatten(1), lambda a: a.reshape(2, -1), S234)
op("flatten_range", lambda m, x: m.flatten(x, 0, 1), lambda a: a.reshape(6, 4), S234)
op("ravel", lambda m, x: m.ravel(x), np.ravel, S234 + [((),), ((5,),), ((2, 0),)])
op("mT", lambda m, x: x.mT, lambda a: np.swapaxes(a, -2, -1), S234 + [((2, 3),)])
op("cat", lambda m, a, b: m.cat([a, b], dim=1), lambda a, b: np.concatenate([a, b], 1),
   [((2, 3), (2, 1)), ((2, 0), (2, 2))])
op("cat3", lambda m, a, b, c: m.cat((a, b, c)), lambda a, b, c: np.concatenate([a, b, c]),
   [((1, 3), (2, 3), (0, 3))])
op("cat_neg_dim", lambda m, a, b: m.cat([a, b], dim=-1),
   lambda a, b: np.concatenate([a, b], -1), [((2, 2, 3), (2, 2, 2))])
op("stack", lambda m, a, b: m.stack([a, b]), lambda a, b: np.stack([a, b]),
   [((2, 3), (2, 3)), ((), ())])
op("stack_dim", lambda m, a, b, c: m.stack([a, b, c], dim=1),
   lambda a, b, c: np.stack([a, b, c], 1), [((2, 3),) * 3])
op("stack_last", lambda m, a, b: m.stack([a, b], dim=-1), lambda a, b: np.stack([a, b], -1),
   [((2, 3), (2, 3))])
op("split", lambda m, x: x.split(2, dim=1), lambda a: tuple(np.split(a, [2, 4], 1)),
   [((3, 5),)])
op("split_sizes", lambda m, x: m.split(x, [1, 4], dim=1), lambda a: tuple(np.split(a, [1], 1)),
   [((3, 5),)])
op("split_dim0", lambda m, x: x.split(3), lambda a: tuple(np.split(a, [3], 0)), [((4, 2),)])
op("chunk", lambda m, x: x.chunk(3), lambda a: tuple(np.split(a, [3, 6], 0)), [((7, 2),)])
op("chunk_dim", lambda m, x: m.chunk(x, 2, dim=-1), lambda a: tuple(np.split(a, [2], -1)),
   [((3, 4),)])
op("flip", lambda m, x: x.flip(0), lambda a: np.flip(a, 0), S234)
op("flip_dims", lambda m, x: m.flip(x, (0, 2)), lambda a: np.flip(a, (0, 2)), S234)
op("flip_varargs", lambda m, x: x.flip(0, 2), lambda a: np.flip(a, (0, 2)), S234)
op("flip_list", lambda m, x: x.flip([-1, 0]), lambda a: np.flip(a, (0, 2)), S234)
op("flip_0d", lambda m, x: x.flip(-1), lambda a: a, [((),)])
op("narrow", lambda m, x: x.narrow(1, 1, 2), lambda a: a[:, 1:3], S234)
op("narrow_neg_start", lambda m, x: x.narrow(1, -2, 2), lambda a: a[:, 1:3], [((2, 3),)])
op("narrow_neg_start_whole", lambda m, x: m.narrow(x, -1, -4, 4), lambda a: a, S234)
op("narrow_empty_at_end", lambda m, x: x.narrow(0, 2, 0), lambda a: a[2:2], S234)
op("movedim_int", lambda m, x: x.movedim(0, -1), lambda a: np.moveaxis(a, 0, -1), S234)
op("movedim_tuples", lambda m, x: x.movedim((0, 1), (2, 0)),
   lambda a: np.moveaxis(a, (0, 1), (2, 0)), S234)
op("movedim_lists_neg", lambda m, x: m.movedim(x, [-1, 0], [0, -1]),
   lambda a: np.moveaxis(a, (-1, 0), (0, -1)), S234)
op("transpose_0d", lambda m, x: x.transpose(0, -1), lambda a: a, [((),)])
op("split_zero_on_empty", lambda m, x: x.split(0), lambda a: (a,), [((0, 2),)])
op("chunk_empty", lambda m, x: x.chunk(2), lambda a: (a, a), [((0,),), ((0, 3),)])
op("chunk_empty_dim1", lambda m, x: x.chunk(3, 1), lambda a: (a, a, a), [((2, 0),)])
op("cat_legacy_empty", lambda m, a, b, c: m.cat([a, b, c]),
   lambda a, b, c: np.concatenate([a, c]), [((2, 3), (0,), (1, 3))])
op("cat_legacy_empty_neg_dim", lambda m, a, b: m.cat([a, b], -1), lambda a, b: b,
   [((0,), (2, 3))])
op("repeat", lambda m, x: x.repeat(2, 1, 3), lambda a: np.tile(a, (2, 1, 3)), [((2, 3),)])
op("repeat_same_rank", lambda m, x: x.repeat(1, 2), lambda a: np.tile(a, (1, 2)), [((2, 3),)])
op("repeat_0d", lambda m, x: x.repeat(3), lambda a: np.tile(a, 3), [((),)])
op("pad", lambda m, x: _F(m).pad(x, (1, 2)), lambda a: np.pad(a, ((0, 0), (1, 2))),
   [((2, 3),)])
op("pad_2d_value", lambda m, x: _F(m).pad(x, (1, 0, 0, 2), value=0.5),
   lambda a: np.pad(a, ((0, 0), (0, 2), (1, 0)), constant_values=0.5), S234)

# ---------------------------------------------------------------------- indexing
IDX = [((4, 5),)]
_IDX_CASES = {
    "int": (lambda x: x[1], IDX),
    "neg_int": (lambda x: x[-1], IDX),
    "int_int": (lambda x: x[1, 2], IDX),
    "slice": (lambda x: x[1:3], IDX),
    "slice_step": (lambda x: x[::2, 1::2], IDX),
    "slice_neg_step": (lambda x: x[::-1], IDX),
    "slice_neg_step2": (lambda x: x[3:0:-2, ::-3], IDX),
    "none": (lambda x: x[:, None], IDX),
    "ellipsis": (lambda x: x[..., 1], [((2, 3, 4),)]),
    "none_ellipsis": (lambda x: x[None, ..., ::-1], [((2, 3, 4),)]),
    "list_repeated": (lambda x: x[[0, 2, 0, 0]], IDX),
    "ndarray_2d_repeated": (lambda x: x[np.array([[0, 1], [1, 1]])], IDX),
    "pairs_repeated": (lambda x: x[[0, 0, 1], [2, 2, 2]], IDX),
    "cols_repeated": (lambda x: x[:, [1, 1, 0]], IDX),
    "adv_split_by_slice": (lambda x: x[[0, 0], :, [1, 1]], [((2, 3, 4),)]),
    "neg_indices": (lambda x: x[[-1, -1, 0]], IDX),
    "ndarray_bool": (lambda x: x[np.array([True, False, True, True])], IDX),
    "empty_list": (lambda x: x[np.array([], dtype=np.int64)], IDX),
    "0d": (lambda x: x[...], [((),)]),
}
_TORCH_IDX = {  # torch has no negative slice steps: the same selection with flip
    "slice_neg_step": lambda m, x: x.flip(0),
    "slice_neg_step2": lambda m, x: x.flip((0, 1))[:3:2, ::3],
    "none_ellipsis": lambda m, x: x.flip(-1)[None],
}
for _name, (_f, _shapes) in _IDX_CASES.items():
    op("getitem_" + _name, lambda m, x, f=_f: f(x), _f, _shapes,
       torch_fn=_TORCH_IDX.get(_name))
op("getitem_tensor_repeated", lambda m, x: x[m.tensor([1, 1, 3, 1])],
   lambda a: a[np.array([1, 1, 3, 1])], IDX)
op("getitem_tensor_2d", lambda m, x: x[m.tensor([[0, 3], [3, 3]]), 1:],
   lambda a: a[np.array([[0, 3], [3, 3]]), 1:], IDX)
op("getitem_mask_values", lambda m, x: x[x > 0], lambda a: a[a > 0], IDX, ("away0",))
op("getitem_mask_tensor", lambda m, x: x[m.tensor(MASK34)], lambda a: a[MASK34], [((3, 4),)])
op("index_select", lambda m, x: m.index_select(x, 1, m.tensor([2, 0, 2])),
   lambda a: a[:, [2, 0, 2]], IDX)
op("gather", lambda m, x: m.gather(x, 1, m.tensor([[0, 0], [1, 0], [4, 4], [2, 3]])),
   lambda a: np.take_along_axis(a, np.array([[0, 0], [1, 0], [4, 4], [2, 3]]), 1), IDX)


def _gather_ref(a, dim, index):
    """torch.gather: out[i][j] = a[i][index[i][j]] for dim 1, where index may be smaller than a
    outside dim (only a's leading part there is read)."""
    index = np.asarray(index)
    if a.ndim == 0:
        return a.copy()
    lead = tuple(slice(None) if i == dim % a.ndim else slice(0, n)
                 for i, n in enumerate(index.shape))
    return np.take_along_axis(a[lead], index, dim)


def _scatter_add_ref(a, dim, index, src):
    """torch.scatter_add, one entry at a time: out[i][index[i][j]] += src[i][j] for dim 1."""
    out, index = a.copy(), np.asarray(index)
    for pos in np.ndindex(index.shape):
        target = list(pos)
        if target:
            target[dim] = index[pos]
        out[tuple(target)] += src[pos]
    return out


_GATHERS = [  # (name, input shape, dim, index): index smaller than the input, repeats, 0-d
    ("smaller_index", (3, 3), 0, [[1], [0]]),
    ("smaller_repeated", (3, 4), 1, [[2, 2, 0], [1, 1, 1]]),
    ("longer_along_dim", (3, 2), 0, [[0, 1], [1, 1], [2, 0], [0, 0], [2, 2]]),
    ("3d_neg_dim", (2, 3, 4), -1, [[[3, 0, 3]], [[1, 1, 2]]]),
    ("1d_repeated", (4,), 0, [3, 3, 0, 3]),
    ("0d", (), 0, 0),
    ("empty", (2, 3), 1, np.zeros((0, 5), np.int64)),
]
for _name, _shape, _dim, _index in _GATHERS:
    op("gather_" + _name, lambda m, x, d=_dim, i=_index: x.gather(d, m.tensor(i)),
       lambda a, d=_dim, i=_index: _gather_ref(a, d, i), [(_shape,)])

_SCATTER_ADDS = [  # (name, input shape, dim, index, src shape): src of index's shape
    ("smaller_index", (2, 3), 1, [[0, 1]], (1, 2)),
    ("repeated", (3, 3), 0, [[1, 1, 0], [1, 0, 0]], (2, 3)),
    ("3d_repeated", (2, 3, 4), 1, [[[0, 0, 2]], [[2, 2, 2]]], (2, 1, 3)),
    ("1d_repeated", (3,), -1, [2, 0, 2, 2], (4,)),
    ("0d", (), 0, 0, ()),
]
for _name, _shape, _dim, _index, _src in _SCATTER_ADDS:
    op("scatter_add_" + _name,
       lambda m, x, s, d=_dim, i=_index: m.scatter_add(x, d, m.tensor(i), s),
       lambda a, s, d=_dim, i=_index: _scatter_add_ref(a, d, i, s), [(_shape, _src)])


def _legacy_list(x, key):
    """x[key] for a list that torch reads as a tuple of indices (it warns that it's deprecated)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return x[key]


S345 = [((3, 4, 5),)]
MASK5 = np.array([True, False, True, True, False])
_TORCH_KEYS = {  # where torch's reading differs from NumPy's: ints select first; lists as tuples
    "int_slice_tensor": (lambda m, x: x[0, :, m.tensor([0, 2])], lambda a: a[0][:, [0, 2]]),
    "int_slice_list": (lambda m, x: x[1, :, [4, 0, 4]], lambda a: a[1][:, [4, 0, 4]]),
    "0d_tensor_slice_tensor": (lambda m, x: x[m.tensor(2), :, m.tensor([4, 0])],
                               lambda a: a[2][:, [4, 0]]),
    "none_int_slice_tensor": (lambda m, x: x[None, 0, :, m.tensor([1, 1])],
                              lambda a: a[None, 0][:, :, [1, 1]]),
    "int_none_tensor": (lambda m, x: x[0, None, m.tensor([3, 0])], lambda a: a[0][None][:, [3, 0]]),
    "int_ellipsis_tensor": (lambda m, x: x[0, ..., m.tensor([0, 2])], lambda a: a[0][..., [0, 2]]),
    "slice_tensor_ellipsis_int": (lambda m, x: x[:, m.tensor([3, 1]), ..., 0],
                                  lambda a: a[..., 0][:, [3, 1]]),
    "slice_tensor2d_int": (lambda m, x: x[:, m.tensor([[0, 1], [3, 3]]), 2],
                           lambda a: a[:, :, 2][:, [[0, 1], [3, 3]]]),
    "int_slice_mask": (lambda m, x: x[1, :, m.tensor(MASK5)], lambda a: a[1][:, MASK5]),
    "slice_int_mask": (lambda m, x: x[:, 2, m.tensor(MASK5)], lambda a: a[:, 2][:, MASK5]),
    "mask_int": (lambda m, x: x[m.tensor(MASK5[:3]), 1], lambda a: a[:, 1][MASK5[:3]]),
    "tensor_int_tensor": (lambda m, x: x[m.tensor([2, 0]), 3, m.tensor([1, 1])],
                          lambda a: a[:, 3][[2, 0], [1, 1]]),
    "true_int_slice_tensor": (lambda m, x: x[0, True, :, m.tensor([4, 1])],
                              lambda a: a[0][None][[0], :, [4, 1]]),
    "0d_tensor": (lambda m, x: x[m.tensor(1)], lambda a: a[1]),
    "list_of_lists": (lambda m, x: _legacy_list(x, [[0, 1], [1, 0]]), lambda a: a[[0, 1], [1, 0]]),
    "list_of_tensors": (lambda m, x: _legacy_list(x, [m.tensor([2, 2]), m.tensor([0, 3])]),
                        lambda a: a[[2, 2], [0, 3]]),
    "list_of_one_tensor": (lambda m, x: _legacy_list(x, [m.tensor([2, 0, 2])]),
                           lambda a: a[[2, 0, 2]]),
    "list_int_slice": (lambda m, x: _legacy_list(x, [1, slice(None), 2]), lambda a: a[1, :, 2]),
    "list_int_none": (lambda m, x: _legacy_list(x, [1, None]), lambda a: a[1, None]),
    "list_int_slice_list": (lambda m, x: _legacy_list(x, [0, slice(None), [0, 2]]),
                            lambda a: a[0][:, [0, 2]]),
    "list_of_ints": (lambda m, x: x[[2, 0, 2]], lambda a: a[[2, 0, 2]]),
    "list_of_33_ints": (lambda m, x: x[[1] * 33], lambda a: a[[1] * 33]),
    "list_of_33_lists": (lambda m, x: x[[[1]] * 33], lambda a: a[np.ones((33, 1), np.int64)]),
    # a later Ellipsis skips as many dimensions as the first: nothing may follow it unless none
    "two_ellipses": (lambda m, x: x[..., ...], lambda a: a[...]),
    "ellipsis_int_ellipsis": (lambda m, x: x[..., 0, ...], lambda a: a[..., 0]),
    "ellipsis_none_ellipsis": (lambda m, x: x[..., None, ...], lambda a: a[..., None]),
    "ellipsis_tensor_ellipsis": (lambda m, x: x[..., m.tensor([4, 0, 4]), ...],
                                 lambda a: a[..., [4, 0, 4]]),
    "ellipses_covering_none": (lambda m, x: x[1, ..., 2, ..., 3, ...], lambda a: a[1, 2, 3]),
}
for _name, (_f, _ref) in _TORCH_KEYS.items():
    op("getitem_" + _name, _f, _ref, S345)

# ---------------------------------------------------------------------- linear algebra
op("matmul", lambda m, a, b: a @ b, np.matmul,
   [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((2, 2, 3), (3, 4)),
    ((2, 1, 2, 3), (3, 3, 2)), ((3,), (2, 3, 4)), ((2, 2, 3), (3,)), ((1, 2, 3), (2, 3, 2)),
    ((0, 3), (3, 2))])
op("matmul_fn", lambda m, a, b: m.matmul(a, b), np.matmul, [((2, 3), (3, 4))])
op("mm", lambda m, a, b: m.mm(a, b), np.matmul, [((2, 3), (3, 4))])
op("bmm", lambda m, a, b: m.bmm(a, b), np.matmul, [((2, 2, 3), (2, 3, 4))])
op("dot", lambda m, a, b: m.dot(a, b), np.dot, [((4,), (4,))])
op("outer", lambda m, a, b: m.outer(a, b), np.outer, [((3,), (4,)), ((1,), (0,))])
for _eq, _shapes in [("ij,jk->ik", ((2, 3), (3, 4))), ("bij,bjk->bik", ((2, 2, 3), (2, 3, 4))),
                     ("...ij,...jk->...ik", ((2, 2, 3), (3, 4))),
                     ("b...i,b...i->b...", ((2, 3, 4), (2, 3, 4))),
                     ("i,i->", ((4,), (4,))), ("ij,j->i", ((3, 4), (4,))),
                     ("bi,bj->bij", ((2, 3), (2, 4))), ("ij,ij", ((2, 3), (2, 3))),
                     ("ij,jk", ((2, 3), (3, 4))),
                     ("...ij,...jk->...ik", ((1, 2, 3), (4, 3, 2))),  # broadcast batch
                     ("iij,jk->ik", ((3, 3, 2), (2, 4))), ("ii,i->i", ((3, 3), (3,)))]:
    op(f"einsum[{_eq}]", lambda m, a, b, e=_eq: m.einsum(e, a, b),
       lambda a, b, e=_eq: np.einsum(e, a, b), [_shapes])
for _eq, _shape in [("ij->j", (3, 4)), ("ij->ji", (3, 4)), ("ij->", (3, 4)),
                    ("...i->...", (2, 3, 4)), ("i->i", (5,)),
                    ("ii->i", (3, 3)), ("ii", (3, 3)), ("iji->j", (2, 3, 2))]:  # diagonals
    op(f"einsum[{_eq}]", lambda m, a, e=_eq: m.einsum(e, a), lambda a, e=_eq: np.einsum(e, a),
       [(_shape,)])
op("einsum3", lambda m, a, b, c: m.einsum("ij,jk,kl->il", a, b, c),
   lambda a, b, c: np.einsum("ij,jk,kl->il", a, b, c), [((2, 3), (3, 4), (4, 2))])


# ---------------------------------------------------------------------- beyond the list
# More of torch's tensor API, one module per family, each adding its rows with op() above.
from . import op_table_math, op_table_layout, op_table_sort  # noqa: E402,F401
from . import (op_table_decomposition, op_table_index_extra, op_table_products,  # noqa: E402,F401
               op_table_special, op_table_stats)


def cases():
    """(op, shapes) pairs with readable ids."""
    out = []
    for o in OPS:
        for shapes in o.shapes:
            out.append((o, shapes))
    return out


def case_id(case):
    o, shapes = case
    return o.name + "-" + "x".join(str(tuple(s)).replace(" ", "") for s in shapes)
