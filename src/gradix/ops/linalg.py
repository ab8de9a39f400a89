"""Matrix products: matmul (1-D, 2-D, batched with broadcasting), einsum, outer, and the
products beyond them (addmm and its kin, tensordot, kron, cross, block_diag, cdist, ...)."""
import math
import numbers
import string
import warnings

import numpy as np

from .. import backend, blas, dtypes
from ..autograd.function import BinaryFunction, Function
from ..tensor import Tensor, _check_dim, register
from ._errors import prefixed, require_number, require_tensor_list, require_tensors
from .elementwise import _check_broadcast, _no_kernel, clamp_min, promote, sqrt, where
from .in_place import in_place_form
from .reduce import norm
from .reduce import sum as reduce_sum
from .shape import (broadcast_to, cat, meshgrid, permute, reshape, roll, stack, sum_to,
                    transpose, unsqueeze)


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


# ---------------------------------------------------------------------- products beyond matmul
def _common_dtype(*tensors):
    """``tensors`` cast to their promoted dtype, as matmul promotes (see README)."""
    dtype = dtypes.result_type(*[np.empty(0, t.data.dtype) for t in tensors])
    return [t if t.data.dtype == dtype else t.to(dtype) for t in tensors]


def _scalar(op, name, value, dtype):
    """beta or alpha as a Python number; a float one is refused for integer tensors (torch
    truncates it silently in addmm and raises in addr)."""
    if isinstance(value, Tensor):
        require_number(op, name, value)
        value = value.item()
    require_number(op, name, value)
    if dtype.kind in "biu" and not isinstance(value, (numbers.Integral, np.bool_)):
        raise TypeError(f"{op}: {name} must be an int for {dtypes.dtype_name(dtype)} tensors, "
                        f"got {value!r}; a floating {name} needs floating tensors")
    return value


def _add_scaled(op, input, product, beta, alpha):
    """beta * input + alpha * product, input broadcast to product's shape; with beta 0, input
    is ignored (NaN and inf in it too) and gets a zero gradient, as in torch."""
    beta = _scalar(op, "beta", beta, product.dtype)
    alpha = _scalar(op, "alpha", alpha, product.dtype)
    try:
        fits = np.broadcast_shapes(input.shape, product.shape) == tuple(product.shape)
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"{op}: input of shape {tuple(input.shape)} can't be broadcast to the "
                         f"product's shape {tuple(product.shape)}")
    if product.dtype == dtypes.bool_:  # addr of bool tensors: logical and / or
        return (input & bool(beta)) | (product & bool(alpha))
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        ignored = Tensor._make(np.zeros(input.shape, bool), False, None)
        return product + where(ignored, input, 0)
    return product + (input if beta == 1 else input * beta)


def _addmm_like(op, names, input, a, b, beta, alpha, product):
    """The checks and dtype of addmm, addmv, addr, baddbmm and addbmm, then
    beta * input + alpha * product(a, b)."""
    try:
        input, a, b = _common_dtype(input, a, b)
    except AttributeError:
        require_tensors(op, **dict(zip(names, (input, a, b))))
        raise
    return _add_scaled(op, input, product(a, b), beta, alpha)


def _need_ndim(op, name, t, ndim):
    if t.ndim != ndim:
        kind = {1: "a vector (1-D)", 2: "a matrix (2-D)", 3: "a batch of matrices (3-D)"}[ndim]
        raise ValueError(f"{op}: {name} must be {kind}, got shape {tuple(t.shape)}")


def _mm_checked(op, names, ndim):
    """The product of ``op``: mm (ndim 2) or bmm (3) with the op's own argument names (with
    ``check_only``, just the checks)."""
    def product(a, b, check_only=False):
        _need_ndim(op, names[0], a, ndim)
        _need_ndim(op, names[1], b, ndim)
        if ndim == 3 and a.shape[0] != b.shape[0]:
            raise ValueError(f"{op}: {names[0]} and {names[1]} must hold the same number of "
                             f"matrices, got shapes {tuple(a.shape)} and {tuple(b.shape)}")
        if a.shape[-1] != b.shape[-2]:
            raise ValueError(f"{op}: {names[0]} and {names[1]} shapes cannot be multiplied "
                             f"({'x'.join(map(str, a.shape))} and "
                             f"{'x'.join(map(str, b.shape))})")
        _no_bool_product(op, a, b)
        return None if check_only else matmul(a, b)
    return product


@register("addmm")
def addmm(input, mat1, mat2, *, beta=1, alpha=1):  # noqa: A002  (torch's names)
    """beta * input + alpha * (mat1 @ mat2): mat1 (n, m), mat2 (m, p), input broadcastable to
    (n, p)."""
    return _addmm_like("addmm", ("input", "mat1", "mat2"), input, mat1, mat2, beta, alpha,
                       _mm_checked("addmm", ("mat1", "mat2"), 2))


@register("baddbmm")
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):  # noqa: A002
    """beta * input + alpha * bmm(batch1, batch2): batch1 (b, n, m), batch2 (b, m, p), input
    broadcastable to (b, n, p)."""
    return _addmm_like("baddbmm", ("input", "batch1", "batch2"), input, batch1, batch2, beta,
                       alpha, _mm_checked("baddbmm", ("batch1", "batch2"), 3))


@register("addbmm")
def addbmm(input, batch1, batch2, *, beta=1, alpha=1):  # noqa: A002
    """beta * input + alpha * the sum over i of batch1[i] @ batch2[i]: batch1 (b, n, m),
    batch2 (b, m, p), input broadcastable to (n, p). One matrix product of (n, b*m) and
    (b*m, p)."""
    bmm_ = _mm_checked("addbmm", ("batch1", "batch2"), 3)

    def product(a, b):
        bmm_(a, b, check_only=True)
        n, bm, p = a.shape[1], a.shape[0] * a.shape[2], b.shape[2]
        return matmul(reshape(permute(a, (1, 0, 2)), (n, bm)), reshape(b, (bm, p)))
    return _addmm_like("addbmm", ("input", "batch1", "batch2"), input, batch1, batch2, beta,
                       alpha, product)


def _mv_checked(op, names):
    def product(m, v):
        _need_ndim(op, names[0], m, 2)
        _need_ndim(op, names[1], v, 1)
        if m.shape[1] != v.shape[0]:
            raise ValueError(f"{op}: size mismatch, {names[0]} of shape {tuple(m.shape)} and "
                             f"{names[1]} of size {v.shape[0]} (it needs {m.shape[1]})")
        _no_bool_product(op, m, v)
        return matmul(m, v)
    return product


@register("addmv")
def addmv(input, mat, vec, *, beta=1, alpha=1):  # noqa: A002
    """beta * input + alpha * (mat @ vec): mat (n, m), vec (m,), input broadcastable to
    (n,)."""
    return _addmm_like("addmv", ("input", "mat", "vec"), input, mat, vec, beta, alpha,
                       _mv_checked("addmv", ("mat", "vec")))


@register("addr")
def addr(input, vec1, vec2, *, beta=1, alpha=1):  # noqa: A002
    """beta * input + alpha * outer(vec1, vec2): vec1 (n,), vec2 (p,), input broadcastable to
    (n, p). Bool tensors: (beta and input) or (alpha and the outer product)."""
    def product(a, b):
        _need_ndim("addr", "vec1", a, 1)
        _need_ndim("addr", "vec2", b, 1)
        return outer(a, b)
    return _addmm_like("addr", ("input", "vec1", "vec2"), input, vec1, vec2, beta, alpha,
                       product)


@register("mv")
def mv(input, vec):  # noqa: A002
    """The product of a matrix (n, m) and a vector (m,): a vector (n,)."""
    try:
        input, vec = _common_dtype(input, vec)
    except AttributeError:
        require_tensors("mv", input=input, vec=vec)
        raise
    return _mv_checked("mv", ("input", "vec"))(input, vec)


@register("vdot")
def vdot(input, other):  # noqa: A002
    """The inner product of two 1-D tensors of the same size (for real tensors, as dot)."""
    try:
        ok = input.ndim == 1 and other.ndim == 1 and input.shape == other.shape
    except AttributeError:
        require_tensors("vdot", input=input, other=other)
        raise
    if not ok:
        raise ValueError(f"vdot: expects two 1-D tensors of the same size, got shapes "
                         f"{tuple(input.shape)} and {tuple(other.shape)}")
    return dot(input, other)


ger = outer
register("ger")(outer)


@register("inner")
def inner(input, other):  # noqa: A002
    """The sum of products over the last dimension of both: shape input.shape[:-1] +
    other.shape[:-1]; a 0-d operand multiplies the other."""
    try:
        input, other = _common_dtype(input, other)
    except AttributeError:
        require_tensors("inner", input=input, other=other)
        raise
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise ValueError(f"inner: the last dimension must match on both tensors, got shapes "
                         f"{tuple(input.shape)} and {tuple(other.shape)}")
    return tensordot(input, other, ([-1], [-1]))


def _tensordot_dims(a, b, dims):
    """(dims of a, dims of b) to contract, from an int n (a's last n, b's first n) or a pair
    of lists."""
    if isinstance(dims, Tensor):
        dims = dims.item() if dims.numel() == 1 else dims.tolist()
    if isinstance(dims, numbers.Integral) and not isinstance(dims, bool):
        if dims < 0:
            raise ValueError(f"tensordot: dims must be at least 0, got {dims}")
        if dims > min(a.ndim, b.ndim):
            raise ValueError(f"tensordot: dims={dims} is more than the dimensions of the "
                             f"tensors (shapes {tuple(a.shape)} and {tuple(b.shape)})")
        return list(range(a.ndim - dims, a.ndim)), list(range(dims))
    if not (isinstance(dims, (list, tuple)) and len(dims) == 2 and all(
            isinstance(d, (list, tuple)) and all(
                isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in d)
            for d in dims)):
        raise TypeError(f"tensordot: dims must be an int or a pair of lists of dims, such as "
                        f"([1, 0], [0, 2]), got {dims!r}")
    if len(dims[0]) != len(dims[1]):
        raise ValueError(f"tensordot: both lists of dims must have the same length, got "
                         f"{list(dims[0])} and {list(dims[1])}")
    out = []
    for t, ds in zip((a, b), dims):
        ds = [_check_dim(d, t.ndim, "tensordot") for d in ds]
        ds = [d % t.ndim if t.ndim else 0 for d in ds]
        if len(set(ds)) != len(ds):
            raise ValueError(f"tensordot: a dim appears more than once in {list(ds)}")
        out.append(ds)
    return out


def tensordot(a, b, dims=2):
    """Sums the products of a and b over the dims ``dims`` names: an int n (a's last n with b's
    first n) or a pair of lists ([dims of a], [dims of b]); a contracted size of 1 broadcasts
    against the other's. One matrix product."""
    try:
        a, b = _common_dtype(a, b)
    except AttributeError:
        require_tensors("tensordot", a=a, b=b)
        raise
    da, db = _tensordot_dims(a, b, dims)
    for i, j in zip(da, db):
        if a.shape[i] != b.shape[j] and 1 not in (a.shape[i], b.shape[j]):
            raise ValueError(f"tensordot: contracted dimensions must match, but a has size "
                             f"{a.shape[i]} in dim {i} and b has size {b.shape[j]} in dim {j}")
    # a contracted size 1 against n: the other operand summed over that dim first
    sum_a = [i for i, j in zip(da, db) if a.shape[i] != 1 and b.shape[j] == 1]
    sum_b = [j for i, j in zip(da, db) if b.shape[j] != 1 and a.shape[i] == 1]
    if sum_a:
        a = reduce_sum(a, sum_a, keepdim=True)
    if sum_b:
        b = reduce_sum(b, sum_b, keepdim=True)
    free_a = [i for i in range(a.ndim) if i not in da]
    free_b = [j for j in range(b.ndim) if j not in db]
    k = math.prod(a.shape[i] for i in da)
    _no_bool_product("tensordot", a, b)
    out = matmul(reshape(permute(a, free_a + da), (math.prod(a.shape[i] for i in free_a), k)),
                 reshape(permute(b, db + free_b), (k, math.prod(b.shape[j] for j in free_b))))
    return reshape(out, [a.shape[i] for i in free_a] + [b.shape[j] for j in free_b])


@register("kron")
def kron(input, other):  # noqa: A002
    """The Kronecker product: for tensors of n dims (the fewer-dimensional one gets leading
    1s), out[i * q + k, ...] = input[i, ...] * other[k, ...], shape (p0 q0, p1 q1, ...)."""
    try:
        n = max(input.ndim, other.ndim)
        sa = (1,) * (n - input.ndim) + tuple(input.shape)
        sb = (1,) * (n - other.ndim) + tuple(other.shape)
        a = reshape(input, [s for d in sa for s in (d, 1)])
        b = reshape(other, [s for d in sb for s in (1, d)])
        return reshape(a * b, [p * q for p, q in zip(sa, sb)])
    except Exception:
        require_tensors("kron", input=input, other=other)
        raise


@register("cross")
def cross(input, other, dim=None):  # noqa: A002
    """The cross product of 3-vectors along ``dim`` (torch.linalg.cross): both tensors have the
    same number of dims, size 3 along ``dim`` and broadcast elsewhere. Without ``dim``, the
    first dimension of size 3 of input, with torch's warning that this default is
    deprecated."""
    try:
        same = input.ndim == other.ndim
    except AttributeError:
        require_tensors("cross", input=input, other=other)
        raise
    if not same:
        raise ValueError(f"cross: inputs must have the same number of dimensions, got shapes "
                         f"{tuple(input.shape)} and {tuple(other.shape)}")
    if dim is None:
        dim = next((i for i, s in enumerate(input.shape) if s == 3), None)
        if dim is None:
            raise ValueError(f"cross: no dimension of size 3 in input of shape "
                             f"{tuple(input.shape)}; pass dim")
        warnings.warn("cross: using cross without specifying the dim arg is deprecated (as in "
                      "PyTorch); pass dim explicitly or use the first dimension of size 3 "
                      "yourself", UserWarning, stacklevel=2)
    d = _check_dim(dim, input.ndim, "cross") % max(input.ndim, 1)
    if input.ndim == 0 or input.shape[d] != 3 or other.shape[d] != 3:
        raise ValueError(f"cross: dimension {dim} of both inputs must have length 3, got shapes "
                         f"{tuple(input.shape)} and {tuple(other.shape)}")
    _check_broadcast("cross", input.shape, other.shape)
    a, b = _common_dtype(input, other)
    if a.dtype == dtypes.bool_:
        _no_kernel("cross", a.data.dtype)
    # component i is a[i+1] b[i+2] - a[i+2] b[i+1] (indices mod 3): rolled copies
    return roll(a, -1, d) * roll(b, -2, d) - roll(a, -2, d) * roll(b, -1, d)


class BlockDiag(Function):
    def forward(self, *arrays, spans, dtype):
        self.spans = spans
        rows, cols = spans[-1][1], spans[-1][3]
        out = backend.array_module(arrays[0]).zeros((rows, cols), dtype)
        for a, (r0, r1, c0, c1) in zip(arrays, spans):
            out[r0:r1, c0:c1] = a.reshape(r1 - r0, c1 - c0)
        return out

    def backward(self, gy):
        return tuple(reshape(gy[r0:r1, c0:c1], x.shape) if need else None
                     for x, need, (r0, r1, c0, c1) in zip(self.inputs, self.needs_input_grad,
                                                          self.spans))


def block_diag(*tensors):
    """The matrix holding the tensors (0-d, 1-D as one row, 2-D) as blocks on its diagonal,
    zero elsewhere, in their promoted dtype; no tensors give an empty (1, 0) float matrix."""
    require_tensor_list("block_diag", tensors)
    if not tensors:
        return Tensor._make(np.zeros((1, 0), dtypes.default_float), False, None)
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise ValueError(f"block_diag: tensors must have 2 or fewer dimensions, tensor {i} "
                             f"has shape {tuple(t.shape)}")
    tensors = _common_dtype(*tensors)
    spans, r, c = [], 0, 0
    for t in tensors:
        h, w = (1, 1) if t.ndim == 0 else (1, t.shape[0]) if t.ndim == 1 else t.shape
        spans.append((r, r + h, c, c + w))
        r, c = r + h, c + w
    return BlockDiag.apply(*tensors, spans=tuple(spans), dtype=tensors[0].data.dtype)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distances between the rows of x1 (..., P, M) and of x2 (..., R, M), batch
    dims broadcast: shape (..., P, R). p = 2 uses a matrix product, as torch does, when P or R
    is over 25 (compute_mode is accepted and ignored); the gradient at a zero distance is 0."""
    try:
        ok = x1.ndim >= 2 and x2.ndim >= 2
    except AttributeError:
        require_tensors("cdist", x1=x1, x2=x2)
        raise
    if not ok:
        raise ValueError(f"cdist: x1 and x2 must have at least 2 dimensions, got shapes "
                         f"{tuple(x1.shape)} and {tuple(x2.shape)}")
    for name, t in (("x1", x1), ("x2", x2)):
        if t.dtype.kind != "f":
            raise TypeError(f"cdist: only floating tensors are supported, {name} has dtype "
                            f"{dtypes.dtype_name(t.data.dtype)}")
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"cdist: x1 and x2 must have the same number of columns, got shapes "
                         f"{tuple(x1.shape)} and {tuple(x2.shape)}")
    require_number("cdist", "p", p)
    if p < 0:
        raise ValueError(f"cdist: p must be at least 0, got {p}")
    _check_broadcast("cdist", x1.shape[:-2], x2.shape[:-2])
    x1, x2 = _common_dtype(x1, x2)
    if p == 2 and (x1.shape[-2] > 25 or x2.shape[-2] > 25):
        # |x|^2 - 2 x.y + |y|^2 as one product, clamped at 0 (torch's _euclidean_dist)
        n1 = reduce_sum(x1 * x1, -1, keepdim=True)
        n2 = reduce_sum(x2 * x2, -1, keepdim=True)
        a = cat([x1 * -2, n1, _ones(n1)], -1)
        b = cat([x2, _ones(n2), n2], -1)
        d2 = clamp_min(matmul(a, transpose(b, -1, -2)), 0)
        zero = d2 == 0
        return where(zero, 0, sqrt(where(zero, 1, d2)))
    diff = unsqueeze(x1, -2) - unsqueeze(x2, -3)
    if x1.shape[-1] == 0:  # no coordinates: every distance is 0 (inf's too)
        return reduce_sum(diff, -1)
    return norm(diff, p, -1)


def _ones(like):
    xp = backend.array_module(like.data)
    return Tensor._make(xp.ones(like.shape, like.data.dtype), False, None)


@register("dist")
def dist(input, other, p=2):  # noqa: A002
    """The p-norm of input - other (broadcast), over all elements: p = 2, 1, inf, -inf, 0 or
    any positive number."""
    try:
        diff = input - other
    except Exception:
        require_tensors("dist", input=input, other=other)
        raise
    require_number("dist", "p", p)
    if p < 0 and p != -math.inf:
        raise ValueError(f"dist: p must be a non-negative number, inf or -inf, got {p}")
    if diff.dtype.kind != "f":
        raise TypeError(f"dist: only floating tensors are supported, got "
                        f"{dtypes.dtype_name(diff.data.dtype)}")
    if diff.numel() == 0 and p in (math.inf, -math.inf):
        raise ValueError(f"dist: the {p} norm of an empty difference (shape "
                         f"{tuple(diff.shape)}) is undefined: max and min have no identity")
    return norm(diff, p)


def cartesian_prod(*tensors):
    """The Cartesian product of 1-D tensors of one dtype: shape (n1 * n2 * ..., k), rows in
    lexicographic order; one tensor is returned as it is."""
    require_tensor_list("cartesian_prod", tensors)
    for i, t in enumerate(tensors):
        if t.ndim != 1:
            raise ValueError(f"cartesian_prod: expects 1-D tensors, got tensor {i} of shape "
                             f"{tuple(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    if not tensors:
        raise ValueError("cartesian_prod: expects at least one tensor")
    return stack([reshape(g, -1) for g in meshgrid(*tensors, indexing="ij")], 1)


for _name in ("addmm", "baddbmm", "addbmm", "addmv", "addr"):
    register(_name + "_")(in_place_form(_name))
