"""In-place forms of out-of-place ops, under torch's names: ``x.exp_()``, ``x.clamp_min_(0)``,
``x.index_add_(0, index, source)``, ... each writes the op's result into x's memory and
returns x. Plus ``fill_diagonal_``.

Like every in-place change in gradix (``Tensor._in_place``), they aren't recorded in the
graph: they refuse to run in grad mode on a tensor or with an operand that requires grad. The
result is cast to x's dtype as torch casts it: a float result can't go into an integer tensor,
and x's shape can't grow by broadcasting.
"""
import numpy as np

from .. import dtypes
from ..autograd import grad_mode
from ..tensor import Tensor, as_fill_value, register

# Ops whose result has x's shape; add_, sub_, mul_, div_ and clamp_ are Tensor's own methods.
FORMS = """abs absolute neg negative exp exp2 expm1 log log2 log10 log1p sqrt rsqrt square
reciprocal sign sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh arcsin arccos arctan
arcsinh arccosh arctanh sigmoid relu erf erfc erfinv floor ceil round trunc fix frac nan_to_num
clip clamp_min clamp_max pow fmod remainder atan2 arctan2 hypot lerp xlogy true_divide
floor_divide multiply divide subtract logical_and logical_or logical_xor logical_not
bitwise_and bitwise_or bitwise_xor bitwise_not eq ne lt le gt ge cumsum cumprod tril triu
masked_fill masked_scatter index_add index_copy index_fill scatter scatter_add""".split()


def in_place_form(name):
    """``x.<name>_(*args, **kwargs)``: ``x.<name>(*args, **kwargs)`` written into x."""
    def method(self, *args, **kwargs):
        value = next((v for v in (*args, *kwargs.values())
                      if isinstance(v, Tensor) and v.requires_grad), None)
        with grad_mode.no_grad():
            out = getattr(Tensor._make(self.data, False, None), name)(*args, **kwargs).data
        dtypes.check_cast(name + "_", out.dtype, self.dtype)
        if out.shape != self.shape:  # copyto would drop a result's leading 1s
            raise ValueError(f"{name}_: could not broadcast the result of shape "
                             f"{tuple(out.shape)} into the tensor's shape {tuple(self.shape)}; "
                             f"an in-place op can't change the shape")
        return self._in_place(name + "_", value,
                              lambda a: np.copyto(a, out, casting="unsafe"))
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"In place: x.{name}(...) written into x; returns x."
    return method


for _name in FORMS:
    register(_name + "_")(in_place_form(_name))
# the augmented assignments Tensor doesn't define itself (+=, -=, *=, /= are add_, ...): in
# place too, as in torch, instead of Python's fallback x = x ** y, which makes a new tensor
for _name, _dunder in [("pow", "__ipow__"), ("floor_divide", "__ifloordiv__"),
                       ("remainder", "__imod__"), ("bitwise_and", "__iand__"),
                       ("bitwise_or", "__ior__"), ("bitwise_xor", "__ixor__")]:
    register(_dunder)(getattr(Tensor, _name + "_"))


@register("fill_diagonal_")
def fill_diagonal_(x, fill_value, wrap=False):
    """Writes ``fill_value`` on the main diagonal of x (2-D, or n-D with all sizes equal); with
    ``wrap``, a tall matrix's diagonal restarts every ncols + 1 rows. Returns x."""
    if x.ndim < 2 or (x.ndim > 2 and len(set(x.shape)) != 1):
        raise ValueError(f"fill_diagonal_: needs a 2-D tensor or one whose dimensions are all "
                         f"equal, got shape {tuple(x.shape)}")
    array = as_fill_value("fill_diagonal_", fill_value, x.dtype)
    return x._in_place("fill_diagonal_", fill_value,
                       lambda d: np.fill_diagonal(d, array, wrap=wrap))
