"""Op-table rows for elementwise math: trigonometric, hyperbolic, logarithms, erf, lerp, ... (see
op_table.py). Cases the table can't express (integer inputs, NaN, ties, Python-bool results,
errors) are in test_math_ops.py."""
import numpy as np
from scipy import special

from .op_table import BCAST, DOMAINS, UNARY, op


def _unit(rng, shape):  # inside (-1, 1), away from the poles of asin' and atanh: asin, erfinv
    return rng.uniform(-0.9, 0.9, shape)


def _above1(rng, shape):  # acosh's domain, away from its pole at 1
    return rng.uniform(1.2, 3.0, shape)


def _nonfinite(rng, shape):  # real values, with NaN, inf and -inf among them (nan_to_num)
    x = rng.standard_normal(shape)
    x.reshape(-1)[:3] = [np.nan, np.inf, -np.inf][:x.size]
    return x


DOMAINS.update(unit=_unit, above1=_above1, nonfinite=_nonfinite)


EDGE = [((),), ((0, 3),), ((2, 1, 3),)]  # 0-d, empty, a size-1 axis
EDGE2 = [((), ()), ((1, 1), (0,))]  # both 0-d; empty against size 1
BCAST_EDGE = BCAST + EDGE2


def _lerp(a, b, w):
    return a + w * (b - a)


# ---------------------------------------------------------------------- unary
op("tan", lambda m, x: x.tan(), np.tan, UNARY, ("unit",))
op("asin", lambda m, x: x.asin(), np.arcsin, UNARY, ("unit",))
op("acos", lambda m, x: x.acos(), np.arccos, UNARY, ("unit",))
op("atan", lambda m, x: x.atan(), np.arctan, UNARY)
op("sinh", lambda m, x: x.sinh(), np.sinh, UNARY)
op("cosh", lambda m, x: x.cosh(), np.cosh, UNARY)
op("asinh", lambda m, x: x.asinh(), np.arcsinh, UNARY)
op("acosh", lambda m, x: x.acosh(), np.arccosh, UNARY, ("above1",))
op("atanh", lambda m, x: x.atanh(), np.arctanh, UNARY, ("unit",))
op("arcsin_fn", lambda m, x: m.arcsin(x), np.arcsin, UNARY[:1], ("unit",))
op("arccosh_fn", lambda m, x: m.arccosh(x), np.arccosh, UNARY[:1], ("above1",))
op("reciprocal", lambda m, x: x.reciprocal(), np.reciprocal, UNARY, ("away0",))
op("trunc", lambda m, x: x.trunc(), np.trunc, UNARY, ("frac",))
op("fix", lambda m, x: m.fix(x), np.trunc, UNARY[:1], ("frac",))
op("frac", lambda m, x: x.frac(), lambda a: a - np.trunc(a), UNARY, ("frac",))
op("exp2", lambda m, x: x.exp2(), np.exp2, UNARY)
op("log2", lambda m, x: x.log2(), np.log2, UNARY, ("positive",))
op("log10", lambda m, x: m.log10(x), np.log10, UNARY, ("positive",))
op("erf", lambda m, x: x.erf(), special.erf, UNARY)
op("erfc", lambda m, x: m.erfc(x), special.erfc, UNARY)
op("erfinv", lambda m, x: x.erfinv(), special.erfinv, UNARY, ("unit",))
op("nan_to_num", lambda m, x: x.nan_to_num(), np.nan_to_num, [((3, 4),), ((4,),)] + EDGE,
   ("nonfinite",), gradcheck=False)  # f(x) near 1e308 swamps the finite differences
op("nan_to_num_values", lambda m, x: m.nan_to_num(x, nan=1.5, posinf=9.0, neginf=-9.0),
   lambda a: np.nan_to_num(a, nan=1.5, posinf=9.0, neginf=-9.0), [((3, 4),)] + EDGE,
   ("nonfinite",))
op("clamp_min_fn", lambda m, x: m.clamp_min(x, -0.5), lambda a: np.maximum(a, -0.5),
   UNARY[:2], ("offgrid",))
op("clamp_max_method", lambda m, x: x.clamp_max(0.5), lambda a: np.minimum(a, 0.5), UNARY[:2],
   ("offgrid",))
op("clamp_min_tensor", lambda m, x, lo: x.clamp_min(lo), np.maximum, BCAST[:3],
   ("offgrid", "grid"))

# ---------------------------------------------------------------------- binary and ternary
op("atan2", lambda m, a, b: m.atan2(a, b), np.arctan2, BCAST_EDGE, ("away0",))
op("arctan2_method", lambda m, a, b: a.arctan2(b), np.arctan2, BCAST[:1], ("away0",))
op("hypot", lambda m, a, b: a.hypot(b), np.hypot, BCAST_EDGE, ("away0",))
op("logaddexp", lambda m, a, b: m.logaddexp(a, b), np.logaddexp, BCAST_EDGE)
op("xlogy", lambda m, a, b: a.xlogy(b), special.xlogy, BCAST_EDGE, ("real", "positive"))
op("xlogy_zeros", lambda m, a, b: m.xlogy(a, b), special.xlogy, BCAST[:2],
   ("zeros", "positive"))  # torch's gradient in a at a == 0 is log b
op("xlogy_scalar", lambda m, b: m.xlogy(2.0, b), lambda b: special.xlogy(b.dtype.type(2), b),
   UNARY, ("positive",))
op("fmax", lambda m, a, b: m.fmax(a, b), np.fmax, BCAST_EDGE, ("grid", "offgrid"))
op("fmin", lambda m, a, b: a.fmin(b), np.fmin, BCAST_EDGE, ("grid", "offgrid"))
op("fmax_ties", lambda m, a, b: a.fmax(b), np.fmax, BCAST[:2], ("grid",), gradcheck=False)
op("fmin_ties", lambda m, a, b: m.fmin(a, b), np.fmin, BCAST[:2], ("grid",), gradcheck=False)
op("isclose", lambda m, a, b: m.isclose(a, b, rtol=0.1, atol=0.6),
   lambda a, b: np.isclose(a, b, rtol=0.1, atol=0.6), BCAST_EDGE, ("grid",), grad=False)
op("isclose_default", lambda m, a, b: a.isclose(b), np.isclose, BCAST[:2], ("grid",),
   grad=False)
op("lerp", lambda m, a, b, w: m.lerp(a, b, w), _lerp,
   [((3, 4), (3, 4), (3, 4)), ((3, 1), (4,), (2, 1, 1)), ((), (5,), ()), ((0, 3), (1, 3), (3,)),
    ((2, 3), (3,), ()), ((), (), ()), ((1, 1), (0,), (1,))])
op("lerp_method", lambda m, a, b, w: a.lerp(b, w), _lerp, [((4,), (4,), (4,))],
   ("real", "real", "unit"))
op("lerp_scalar", lambda m, a, b: m.lerp(a, b, 0.3), lambda a, b: _lerp(a, b, 0.3),
   BCAST[:3] + EDGE2)
op("lerp_scalar_far_end", lambda m, a, b: a.lerp(b, 0.8), lambda a, b: _lerp(a, b, 0.8),
   BCAST[:2])
