"""Op-table rows for more elementwise and special functions: addcmul, addcdiv, lgamma, digamma,
polygamma, mvlgamma, i0, logit, sinc, float_power, ldexp, copysign, ... (see op_table.py).
Cases the table can't express (integer and bool inputs, poles, in-place forms, errors) are in
test_special_ops.py."""
import numpy as np
from scipy import special

from .op_table import BCAST, DOMAINS, UNARY, op


def _prob(rng, shape):  # inside (0, 1), away from logit's poles
    return rng.uniform(0.05, 0.95, shape)


def _clamped(rng, shape):  # logit with eps=0.25: inside and outside [0.25, 0.75], never near
    return rng.choice([0.1, 0.15, 0.4, 0.6, 0.85, 0.9], shape) + rng.uniform(-0.03, 0.03, shape)


def _above2(rng, shape):  # mvlgamma's domain for p <= 3 is x > 1
    return rng.uniform(2.0, 4.0, shape)


def _specials(rng, shape):  # real values with +-inf, NaN and signed zeros among them
    x = rng.standard_normal(shape)
    x.reshape(-1)[:5] = [np.inf, -np.inf, np.nan, -0.0, 0.0][:x.size]
    return x


def _exponents(rng, shape):  # .long() gives 0 to 3 (torch's gradient is wrong below 0, see
    # test_special_ops.py), never near the integers where truncation jumps
    return rng.integers(0, 4, shape) + rng.uniform(0.2, 0.8, shape)


DOMAINS.update(prob=_prob, clamped=_clamped, above2=_above2, specials=_specials,
               exponents=_exponents)

EDGE2 = [((), ()), ((1, 1), (0,))]  # both 0-d; empty against size 1
TERNARY = [((3, 4), (3, 4), (3, 4)), ((3, 1), (4,), (2, 1, 1)), ((), (5,), ()),
           ((0, 3), (1, 3), (3,)), ((), (), ()), ((1, 1), (0,), (1,))]


def _same(f):
    """A reference ``f`` whose result keeps its first input's dtype (SciPy's may widen)."""
    return lambda a, *rest: np.asarray(f(a, *rest)).astype(a.dtype)


def _mvlgamma(a, p):
    return (sum(special.gammaln(a - i / 2) for i in range(p))
            + p * (p - 1) / 4 * np.log(np.pi)).astype(a.dtype)


def _logit(a, eps=None):
    z = a if eps is None else np.clip(a, eps, 1 - eps)
    return np.log(z / (1 - z))


def _as_int(a):
    return (a * 4).astype(np.int64)


# ---------------------------------------------------------------------- addcmul, addcdiv
op("addcmul", lambda m, a, b, c: m.addcmul(a, b, c), lambda a, b, c: a + b * c, TERNARY)
op("addcmul_value", lambda m, a, b, c: a.addcmul(b, c, value=-0.5),
   lambda a, b, c: a - 0.5 * b * c, TERNARY[:2])
op("addcdiv", lambda m, a, b, c: m.addcdiv(a, b, c), lambda a, b, c: a + b / c, TERNARY,
   ("real", "real", "away0"))
op("addcdiv_value", lambda m, a, b, c: a.addcdiv(b, c, value=2.5),
   lambda a, b, c: a + 2.5 * b / c, TERNARY[:2], ("real", "real", "away0"))

# ---------------------------------------------------------------------- the gamma family, i0
op("lgamma", lambda m, x: x.lgamma(), _same(special.gammaln), UNARY, ("positive",))
op("lgamma_negative", lambda m, x: m.lgamma(x), _same(special.gammaln), UNARY[:1],
   ("offgrid",))  # -1.75, -0.25, ...: between the poles
op("digamma", lambda m, x: m.digamma(x), _same(special.psi), UNARY, ("positive",))
op("digamma_negative", lambda m, x: x.digamma(), _same(special.psi), UNARY[:1], ("offgrid",))
for _n in (0, 1, 2, 3):
    # torch's trigamma (n=1) is accurate to about 1e-9 only (SciPy's to 1e-15): compared with
    # torch in test_special_ops.py instead
    op(f"polygamma[n={_n}]", lambda m, x, n=_n: m.polygamma(n, x),
       lambda a, n=_n: special.polygamma(n, a).astype(a.dtype), UNARY, ("positive",),
       torch_fn=False if _n == 1 else None)
op("polygamma_method", lambda m, x: x.polygamma(2),
   lambda a: special.polygamma(2, a).astype(a.dtype), UNARY[:1], ("offgrid",))
for _p in (1, 2, 3):
    op(f"mvlgamma[p={_p}]", lambda m, x, p=_p: m.mvlgamma(x, p=p),
       lambda a, p=_p: _mvlgamma(a, p), UNARY, ("above2",))
op("mvlgamma_method", lambda m, x: x.mvlgamma(4), lambda a: _mvlgamma(a, 4), UNARY[:1],
   ("above2",))
op("i0", lambda m, x: m.i0(x), _same(special.i0), UNARY, rtol=1e-5)
op("i0_method", lambda m, x: (x * 3).i0(), lambda a: special.i0(a * 3).astype(a.dtype),
   UNARY[:1])

# ---------------------------------------------------------------------- logit, sinc, angles
op("logit", lambda m, x: m.logit(x), _logit, UNARY, ("prob",))
op("logit_eps", lambda m, x: x.logit(eps=0.25), lambda a: _logit(a, 0.25), UNARY,
   ("clamped",))
op("sinc", lambda m, x: m.sinc(x), np.sinc, UNARY)
op("deg2rad", lambda m, x: x.deg2rad(), np.deg2rad, UNARY)
op("rad2deg", lambda m, x: m.rad2deg(x), np.rad2deg, UNARY)

# ---------------------------------------------------------------------- powers and signs
op("float_power", lambda m, a, b: m.float_power(a, b),
   lambda a, b: np.power(a.astype(np.float64), b.astype(np.float64)), BCAST + EDGE2,
   ("positive", "real"))
op("float_power_scalar", lambda m, x: x.float_power(2.5),
   lambda a: np.power(a.astype(np.float64), 2.5), UNARY, ("positive",))
op("float_power_scalar_base", lambda m, x: m.float_power(3, x),
   lambda a: np.power(3.0, a.astype(np.float64)), UNARY[:2])
op("logaddexp2", lambda m, a, b: m.logaddexp2(a, b), np.logaddexp2, BCAST + EDGE2)
op("logaddexp2_method", lambda m, a, b: a.logaddexp2(b * 30), lambda a, b: np.logaddexp2(a, b * 30),
   BCAST[:1])
op("ldexp", lambda m, a, b: m.ldexp(a, b), lambda a, b: a * np.exp2(b), BCAST + EDGE2)
op("ldexp_int", lambda m, a, b: a.ldexp(b.long()),
   lambda a, b: a * np.exp2(b.astype(np.int64)).astype(a.dtype), BCAST[:2],
   ("real", "exponents"))
op("copysign", lambda m, a, b: m.copysign(a, b), np.copysign, BCAST + EDGE2, ("away0",))
op("copysign_scalar", lambda m, x: x.copysign(-1.0), lambda a: np.copysign(a, -1.0), UNARY,
   ("away0",))
op("sgn", lambda m, x: x.sgn(), np.sign, UNARY, ("away0",),
   torch_fn=lambda m, x: x.sign())  # torch's sgn has a ZeroTensor gradient the test can't read

# ---------------------------------------------------------------------- not differentiable
op("heaviside", lambda m, a, b: m.heaviside(a, b), np.heaviside, BCAST + EDGE2, ("grid", "real"),
   grad=False)
op("nextafter", lambda m, a, b: m.nextafter(a, b), np.nextafter, BCAST + EDGE2, ("grid",),
   grad=False)
op("signbit", lambda m, x: x.signbit(), np.signbit, UNARY + [((5, 2),)], ("specials",),
   grad=False)
op("isneginf", lambda m, x: m.isneginf(x), np.isneginf, UNARY + [((5, 2),)], ("specials",),
   grad=False)
op("isposinf", lambda m, x: x.isposinf(), np.isposinf, UNARY + [((5, 2),)], ("specials",),
   grad=False)
op("isreal", lambda m, x: m.isreal(x), np.isreal, UNARY, grad=False)
op("gcd", lambda m, a, b: m.gcd((a * 4).long(), (b * 4).long()),
   lambda a, b: np.gcd(_as_int(a), _as_int(b)), BCAST + EDGE2, ("grid",), grad=False)
op("lcm", lambda m, a, b: (a * 4).long().lcm((b * 4).long()),
   lambda a, b: np.lcm(_as_int(a), _as_int(b)), BCAST + EDGE2, ("grid",), grad=False)
for _name, _np in [("greater", np.greater), ("greater_equal", np.greater_equal),
                   ("less", np.less), ("less_equal", np.less_equal),
                   ("not_equal", np.not_equal)]:
    op(_name, lambda m, a, b, n=_name: getattr(m, n)(a, b), _np, BCAST[:3], ("grid",),
       grad=False)
    op(_name + "_method", lambda m, a, b, n=_name: getattr(a, n)(b), _np, BCAST[3:5],
       ("grid",), grad=False)
