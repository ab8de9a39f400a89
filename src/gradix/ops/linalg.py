"""Matrix products: matmul (1-D, 2-D, batched with broadcasting), einsum, outer."""
import string

import numpy as np

from .. import blas, dtypes
from ..autograd.function import BinaryFunction, Function
from ..tensor import Tensor, register
from ._errors import prefixed, require_tensors
from .elementwise import _no_kernel, promote
from .shape import broadcast_to, reshape, sum_to, unsqueeze


class MatMul(BinaryFunction):
    array_backward = True

    def forward(self, a, b):
        return blas.matmul(a, b)

    def backward(self, gy):
        a, b = self.args
        na, nb = self.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:
            return (gy * b if na else None), (gy * a if nb else None)
        # lift 1-D operands to matrices, then ga = gy b^T and gb = a^T gy; the engine sums
        # broadcast batch dimensions back to each input's shape
        a2 = a.reshape((1,) + a.shape) if a.ndim == 1 else a
        b2 = b.reshape(b.shape + (1,)) if b.ndim == 1 else b
        g2 = gy
        if a.ndim == 1:
            g2 = g2.reshape(g2.shape[:-1] + (1,) + g2.shape[-1:])
        if b.ndim == 1:
            g2 = g2.reshape(g2.shape + (1,))
        ga = blas.matmul(g2, b2.mT) if na else None
        gb = blas.matmul(a2.mT, g2) if nb else None
        if na and a.ndim == 1:
            ga = ga.reshape(ga.shape[:-2] + ga.shape[-1:])
        if nb and b.ndim == 1:
            gb = gb.reshape(gb.shape[:-1])
        return ga, gb


@register("__matmul__", "matmul")
def matmul(a, b):
    """Matrix product with NumPy/PyTorch semantics: 1-D operands are vectors, leading dims
    broadcast."""
    a, b = promote("matmul", a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul: both arguments need at least 1 dimension, got shapes "
                         f"{tuple(a.shape)} and {tuple(b.shape)}")
    _no_bool_product("matmul", a, b)
    k_a = a.shape[-1]
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if k_a != k_b:
        raise ValueError(f"matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} don't align "
                         f"({k_a} != {k_b}); the last dim of the first must equal the "
                         f"{'only' if b.ndim == 1 else 'second-to-last'} dim of the second")
    if a.ndim > 2 or b.ndim > 2:
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            raise ValueError(f"matmul: batch dimensions of {tuple(a.shape)} and "
                             f"{tuple(b.shape)} can't be broadcast") from None
    return MatMul.apply(a, b)


@register("__rmatmul__")
def rmatmul(a, b):
    return matmul(b, a)


def _fixed_rank(op, ndim, a, b):
    """matmul(a, b) for mm (ndim 2) and bmm (ndim 3), which take only ndim-D tensors, and
    (bmm) batches of one size: unlike matmul, they don't broadcast."""
    try:
        fits = a.ndim == ndim and b.ndim == ndim and (ndim == 2 or a.shape[0] == b.shape[0])
    except AttributeError:
        require_tensors(op, input=a, mat2=b)
        raise
    if fits:
        _no_bool_product(op, a, b)
    else:
        kind = "a matrix (2-D)" if ndim == 2 else "a batch of matrices (3-D)"
        for name, t in (("input", a), ("mat2", b)):
            if t.ndim != ndim:
                raise ValueError(f"{op}: {name} must be {kind}, got shape {tuple(t.shape)}")
        raise ValueError(f"{op}: batch sizes {a.shape[0]} and {b.shape[0]} differ (shapes "
                         f"{tuple(a.shape)} and {tuple(b.shape)}); use matmul to broadcast")
    return matmul(a, b)


def _no_bool_product(op, a, b):
    """Raises for a product of two bool tensors, which torch has no kernel for (unless one is
    empty and not a vector dot: then torch skips the kernel)."""
    if a.dtype == dtypes.bool_ and b.dtype == dtypes.bool_ and (
            a.ndim == b.ndim == 1 or (a.data.size and b.data.size)):
        _no_kernel(op, a.data.dtype)


@register("mm")
def mm(a, b):
    """The product of two matrices (2-D tensors)."""
    return _fixed_rank("mm", 2, a, b)


@register("bmm")
def bmm(a, b):
    """The products a[i] @ b[i] of two batches of matrices (3-D tensors) of one batch size."""
    return _fixed_rank("bmm", 3, a, b)


@register("dot")
def dot(a, b):
    """The inner product of two 1-D tensors of the same size."""
    try:
        if a.ndim == 1 and b.ndim == 1:
            _no_bool_product("dot", a, b)
            return matmul(a, b)
    except Exception:
        require_tensors("dot", input=a, other=b)
        if a.shape == b.shape:
            raise
    raise ValueError(f"dot: expects two 1-D tensors of the same size, got shapes "
                     f"{tuple(a.shape)} and {tuple(b.shape)}") from None


@register("outer")
def outer(a, b):
    """The outer product of two vectors: out[i, j] = a[i] * b[j]."""
    try:
        if a.ndim != 1 or b.ndim != 1:
            raise ValueError(f"outer: expects 1-D tensors, got {tuple(a.shape)} and "
                             f"{tuple(b.shape)}")
        return unsqueeze(a, 1) * unsqueeze(b, 0)
    except Exception:
        require_tensors("outer", input=a, other=b)
        raise


# ---------------------------------------------------------------------- einsum
def _parse_einsum(equation, shapes):
    """The equation with '...' spelled out as letters, as (input subscripts, output)."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) != len(shapes):
        raise ValueError(f"einsum: equation {equation!r} names {len(ins)} operands but "
                         f"{len(shapes)} were given")
    used = set(eq) - set(",->.")
    spare = [c for c in string.ascii_letters if c not in used]
    ell_rank = max((len(s) - (len(sub) - 3) for sub, s in zip(ins, shapes) if "..." in sub),
                   default=0)
    ell = "".join(spare[:ell_rank])
    full = []
    for i, (sub, s) in enumerate(zip(ins, shapes)):
        given = sub
        if "..." in sub:
            n = len(s) - (len(sub) - 3)
            sub = sub.replace("...", ell[ell_rank - n:] if n else "")
        if len(sub) != len(s):
            if "." in given.replace("...", "", 1):
                raise ValueError(f"einsum: subscripts {given!r} of operand {i} hold a '.' that "
                                 f"is not part of one '...' ({equation!r})")
            raise ValueError(f"einsum: subscripts {given!r} name {len(given)} dimensions, but "
                             f"operand {i} has shape {tuple(s)} ({equation!r}); use one letter "
                             f"per dimension, or '...' for the rest")
        full.append(sub)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        letters = "".join(full)
        out = ell + "".join(sorted(c for c in set(letters) if letters.count(c) == 1
                                   and c not in ell))
    return full, out


class Einsum(Function):
    def forward(self, *arrays, subs, out):
        self.subs, self.out = subs, out
        return np.einsum(",".join(subs) + "->" + out, *arrays, optimize=len(arrays) > 2)

    def backward(self, gy):
        grads = []
        for i, need in enumerate(self.needs_input_grad):
            if not need:
                grads.append(None)
                continue
            sub = self.subs[i]
            shape = self.inputs[i].shape
            unique = "".join(dict.fromkeys(sub))  # a diagonal ('ii') lists a letter twice
            others = [t for j, t in enumerate(self.inputs) if j != i]
            other_subs = [s for j, s in enumerate(self.subs) if j != i]
            present = set(self.out).union(*other_subs) if other_subs else set(self.out)
            kept = "".join(c for c in unique if c in present)
            g = einsum_subs([self.out] + other_subs, kept, gy, *others)
            sizes = {c: shape[sub.index(c)] for c in unique}
            # a letter of size 1 here or elsewhere broadcasts: summed back, or spread out
            g = sum_to(g, [1 if sizes[c] == 1 else n for c, n in zip(kept, g.shape)])
            g = broadcast_to(g, [sizes[c] for c in kept])
            if kept != unique:  # letters only this operand had: its gradient is constant there
                g = reshape(g, [sizes[c] if c in present else 1 for c in unique])
                g = broadcast_to(g, [sizes[c] for c in unique])
            if unique != sub:
                g = _onto_diagonal(g, unique, sub, shape, set(self.out).union(*self.subs))
            grads.append(g)
        return tuple(grads)


def _onto_diagonal(g, unique, sub, shape, used):
    """g (subscripts ``unique``) written onto the diagonals of an operand with subscripts
    ``sub`` (zero elsewhere): each repeat of a letter becomes a fresh letter tied to the first
    by an identity matrix."""
    fresh = iter(c for c in string.ascii_letters if c not in used)
    seen, distinct, eyes, eye_subs = set(), "", [], []
    for c, n in zip(sub, shape):
        if c in seen:
            f = next(fresh)
            eyes.append(Tensor._make(np.eye(n, dtype=g.dtype), False, None))
            eye_subs.append(c + f)
            c = f
        seen.add(c)
        distinct += c
    return einsum_subs([unique] + eye_subs, distinct, g, *eyes)


def einsum_subs(subs, out, *tensors):
    return Einsum.apply(*tensors, subs=tuple(subs), out=out)


def einsum(equation, *operands_):
    """Einstein summation, e.g. einsum('bij,bjk->bik', a, b); '...' is supported."""
    if len(operands_) == 1 and isinstance(operands_[0], (list, tuple)):
        operands_ = tuple(operands_[0])
    tensors = [t if isinstance(t, Tensor) else _operand(t, i) for i, t in enumerate(operands_)]
    dtype = dtypes.result_type(*[t.data for t in tensors])
    tensors = [t if t.dtype == dtype else t.to(dtype) for t in tensors]
    subs, out = _parse_einsum(equation, [t.shape for t in tensors])
    sizes = {}
    for sub, t in zip(subs, tensors):
        for c, n in zip(sub, t.shape):
            if sizes.setdefault(c, n) != n and n != 1 and sizes[c] != 1:
                raise ValueError(f"einsum: subscript {c!r} has size {sizes[c]} in one operand "
                                 f"and {n} in another ({equation!r})")
    missing = set(out) - set("".join(subs))
    if missing:
        if not all(c.isalpha() for c in missing):
            raise ValueError(f"einsum: the output {out!r} of {equation!r} isn't letters; an "
                             f"equation has at most one '->'")
        raise ValueError(f"einsum: output subscripts {sorted(missing)} appear in no input "
                         f"({equation!r})")
    result_dtype = _einsum_dtype(equation, subs, out, [t.shape for t in tensors], dtype)
    if result_dtype != dtype:
        tensors = [t.to(result_dtype) for t in tensors]
    try:
        return einsum_subs(subs, out, *tensors)
    except ValueError as e:  # NumPy's checks of the letters, such as a repeated output one
        raise prefixed("einsum", e, f" ({equation!r})") from None


def _einsum_dtype(equation, subs, out, shapes, dtype):
    """The result dtype torch gives for bool or integer operands of ``dtype``, or its error.

    torch sums out a letter with ``sum`` (to int64) where one operand alone has it (size > 1),
    multiplies where no letter is left to contract, and contracts the rest with a matrix
    product, which needs one dtype and has no bool kernel. Operands go left to right, each
    letter being dealt with at the last operand where its size isn't 1. (With an empty
    operand torch's dtypes follow other paths; these aren't matched.)"""
    if dtype.kind not in "biu" or dtype == dtypes.int64 and len(shapes) > 1:
        return dtype
    summed = lambda d: dtypes.int64 if d.kind in "biu" else d  # noqa: E731  (sum's dtype)
    sizes = [dict(zip(sub, shape)) for sub, shape in zip(subs, shapes)]
    letters = [c for c in dict.fromkeys("".join(subs)) if c not in out]
    if len(shapes) == 1:
        return summed(dtype) if letters else dtype
    last = {c: max([i for i, s in enumerate(sizes) if s.get(c, 1) != 1], default=0)
            for c in letters}
    result = summed(dtype) if any(last[c] == 0 and sizes[0].get(c, 1) != 1
                                  for c in letters) else dtype
    for i in range(1, len(shapes)):
        operand, contract = dtype, False
        for c in letters:
            if last[c] == i:
                if max(s.get(c, 1) for s in sizes[:i]) == 1:
                    operand = summed(dtype)
                else:
                    contract = True
        if not contract:
            result = np.promote_types(result, operand)
        elif result == dtypes.bool_ and operand == dtypes.bool_:
            _no_kernel("einsum", dtypes.bool_)
        elif result != operand:
            raise RuntimeError(
                f"einsum: {equation!r} of {dtypes.dtype_name(dtype)} operands sums a letter of "
                f"one operand to int64 (as torch's sum does) and then contracts it with a "
                f"{dtypes.dtype_name(dtype)} operand, which torch refuses; cast the operands "
                f"to int64 first")
    return result


def _operand(value, i):
    """A non-Tensor einsum operand (an array, list or number) as a tensor."""
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"einsum: operand {i} ({type(value).__name__}) has dtype {array.dtype}; "
                        f"operands must be tensors, or arrays of bool, integer or floating "
                        f"values")
    return Tensor._make(array, False, None)
