"""Bad input gets a clear error: each row is a call, the exception type it must raise and a
pattern its message must match (the op's name and the shapes or values involved), never a raw
NumPy or Python message such as "operands could not be broadcast" or "'list' object has no
attribute 'ndim'"."""

import re

import numpy as np
import pytest

import gradix as G


def _x():
    return G.ones(2, 3)


def _idx(*shape, fill=0):
    return G.full(shape, fill, dtype=G.int64)


def _setitem(key, value):
    G.ones(2, 3)[key] = value


NOT_TENSOR = r"argument '{}' must be a Tensor, got {}"

ROWS = [
    # creation
    (
        "zeros negative",
        lambda: G.zeros(2, -3),
        ValueError,
        r"zeros: sizes must be non-negative, got \(2, -3\)",
    ),
    (
        "ones negative",
        lambda: G.ones(-1),
        ValueError,
        r"ones: sizes must be non-negative, got \(-1,\)",
    ),
    ("empty negative", lambda: G.empty(-1), ValueError, r"empty: sizes must be non-negative"),
    ("rand negative", lambda: G.rand(-1), ValueError, r"rand: sizes must be non-negative"),
    ("randn negative", lambda: G.randn(2, -1), ValueError, r"randn: sizes must be non-negative"),
    (
        "randint negative",
        lambda: G.randint(0, 5, (-1,)),
        ValueError,
        r"randint: sizes must be non-negative",
    ),
    (
        "zeros float size",
        lambda: G.zeros(2.5),
        TypeError,
        r"zeros: shape must be integers, got \(2\.5,\)",
    ),
    ("full negative", lambda: G.full((-1,), 1.0), ValueError, r"full: sizes must be non-negative"),
    (
        "full str",
        lambda: G.full((2,), "x"),
        TypeError,
        r"full: fill_value must be a number, got 'x'",
    ),
    (
        "full_like str",
        lambda: G.full_like(_x(), "x"),
        TypeError,
        r"full_like: fill_value must be a number",
    ),
    ("arange str", lambda: G.arange("a"), TypeError, r"arange: end must be a number, got 'a'"),
    (
        "arange nan",
        lambda: G.arange(float("nan")),
        ValueError,
        r"arange: .*must be finite.*end=nan",
    ),
    (
        "arange inf",
        lambda: G.arange(0, float("inf")),
        ValueError,
        r"arange: .*must be finite.*end=inf",
    ),
    (
        "linspace float steps",
        lambda: G.linspace(0, 1, 2.5),
        TypeError,
        r"linspace: steps must be an int, got 2\.5",
    ),
    ("eye negative", lambda: G.eye(-1), ValueError, r"eye: n must be at least 0, got -1"),
    ("eye float", lambda: G.eye(2.5), TypeError, r"eye: n must be an int, got 2\.5"),
    ("eye negative m", lambda: G.eye(2, -1), ValueError, r"eye: m must be at least 0, got -1"),
    ("randperm float", lambda: G.randperm(2.5), TypeError, r"randperm: n must be an int, got 2\.5"),
    ("randperm negative", lambda: G.randperm(-1), ValueError, r"randperm: n must be at least 0"),
    (
        "rand integer dtype",
        lambda: G.rand(2, dtype=G.int64),
        NotImplementedError,
        r"rand: not implemented for gradix\.int64 tensors \(as in PyTorch\); use a floating dtype",
    ),
    (
        "zeros_like list",
        lambda: G.zeros_like([1, 2]),
        TypeError,
        r"zeros_like: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "randn_like list",
        lambda: G.randn_like([1.0]),
        TypeError,
        r"randn_like: " + NOT_TENSOR.format("input", "list"),
    ),
    # indexing
    (
        "getitem zero step",
        lambda: _x()[::0],
        ValueError,
        r"__getitem__: slice step cannot be zero \(tensor shape \(2, 3\)\)",
    ),
    (
        "getitem out of range",
        lambda: _x()[0, 5],
        IndexError,
        r"__getitem__: index 5 .*size 3 \(tensor shape \(2, 3\)\)",
    ),
    (
        "setitem out of range",
        lambda: _setitem((0, 5), 1.0),
        IndexError,
        r"__setitem__: index 5 .*size 3 \(tensor shape \(2, 3\)\)",
    ),
    (
        "setitem too many",
        lambda: _setitem((1, 2, 3), 1.0),
        IndexError,
        r"__setitem__: too many indices.*\(tensor shape \(2, 3\)\)",
    ),
    (
        "setitem bad mask",
        lambda: _setitem(G.tensor([True, False, True]), 1.0),
        IndexError,
        r"__setitem__: boolean index.*\(tensor shape \(2, 3\)\)",
    ),
    (
        "setitem float index",
        lambda: _setitem(G.tensor([0.0]), 1.0),
        IndexError,
        r"__setitem__: .*integer \(or boolean\)",
    ),
    (
        "setitem shape",
        lambda: _setitem(slice(None), G.ones(2)),
        ValueError,
        r"__setitem__: could not broadcast .*\(2,\) into shape \(2, ?3\)",
    ),
    (
        "setitem str",
        lambda: _setitem(0, "a"),
        TypeError,
        r"__setitem__: can't assign a str to a gradix\.float32 tensor",
    ),
    (
        "index_select out of range",
        lambda: G.index_select(_x(), 1, G.tensor([5])),
        IndexError,
        r"index_select: index out of range \[0, 2\] for dimension 1 of shape \(2, 3\)",
    ),
    (
        "index_select float",
        lambda: G.index_select(_x(), 1, G.tensor([0.0])),
        TypeError,
        r"index_select: index must be an integer tensor, got gradix\.float32",
    ),
    (
        "index_select dim",
        lambda: G.index_select(_x(), 5, G.tensor([0])),
        IndexError,
        r"index_select: dimension out of range",
    ),
    (
        "masked_fill shape",
        lambda: _x().masked_fill(G.ones(2).bool(), 0.0),
        ValueError,
        r"masked_fill: mask of shape \(2,\) can't be broadcast to the input's shape \(2, 3\)",
    ),
    (
        "masked_fill list",
        lambda: G.masked_fill(_x(), [True], 0.0),
        TypeError,
        r"masked_fill: " + NOT_TENSOR.format("mask", "list"),
    ),
    (
        "gather list",
        lambda: G.gather(_x(), 1, [[0], [1]]),
        TypeError,
        r"gather: " + NOT_TENSOR.format("index", "list"),
    ),
    (
        "scatter_add float src",
        lambda: G.scatter_add(_x(), 1, _idx(2, 3), 1.0),
        TypeError,
        r"scatter_add: " + NOT_TENSOR.format("src", "float"),
    ),
    # shape ops
    (
        "reshape float",
        lambda: _x().reshape(2.5),
        TypeError,
        r"reshape: shape must be integers, got \(2\.5,\)",
    ),
    (
        "reshape list",
        lambda: G.reshape([1.0, 2.0], (2,)),
        TypeError,
        r"reshape: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "permute out of range",
        lambda: _x().permute(0, 5),
        IndexError,
        r"permute: dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)",
    ),
    (
        "permute ndarray",
        lambda: G.permute([[1.0]], (0, 1)),
        TypeError,
        r"permute: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "broadcast_tensors",
        lambda: G.broadcast_tensors(_x(), G.ones(4)),
        ValueError,
        r"broadcast_tensors: shapes \(2, 3\), \(4,\) can't be broadcast",
    ),
    (
        "broadcast_to list",
        lambda: G.broadcast_to([1.0], (2,)),
        TypeError,
        r"broadcast_to: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "broadcast_to leading -1",
        lambda: G.broadcast_to(_x(), (-1, 2, 3)),
        ValueError,
        r"broadcast_to: -1 \(keep the size\) isn't allowed in a new leading dimension, got "
        r"\(-1, 2, 3\) for shape \(2, 3\)",
    ),
    (
        "expand fewer dims",
        lambda: _x().expand(3),
        ValueError,
        r"broadcast_to: the target \(3,\) has fewer dimensions than the tensor's shape \(2, 3\)",
    ),
    (
        "unflatten sizes",
        lambda: _x().unflatten(1, (2, 2)),
        ValueError,
        r"unflatten: sizes \(2, 2\) don't multiply to 3, the size of dimension 1 of shape \(2, 3\)",
    ),
    (
        "mT of a vector",
        lambda: G.ones(3).mT,
        ValueError,
        r"mT: needs a matrix or a batch of matrices, got a 1-D tensor of shape \(3,\)",
    ),
    (
        "cat 0-d",
        lambda: G.cat([G.tensor(1.0), G.tensor(2.0)]),
        ValueError,
        r"cat: zero-dimensional tensors can't be concatenated",
    ),
    (
        "cat list element",
        lambda: G.cat([G.ones(2), [1.0, 2.0]]),
        TypeError,
        r"cat: " + NOT_TENSOR.format(r"tensors\[1\]", "list"),
    ),
    (
        "cat None",
        lambda: G.cat(None),
        TypeError,
        r"cat: expects a list or tuple of Tensors, got NoneType",
    ),
    (
        "stack list element",
        lambda: G.stack([G.ones(2), [1.0, 2.0]]),
        TypeError,
        r"stack: " + NOT_TENSOR.format(r"tensors\[1\]", "list"),
    ),
    (
        "split negative",
        lambda: G.ones(5).split([6, -1]),
        ValueError,
        r"split: sizes must be non-negative ints, got \[6, -1\]",
    ),
    (
        "split float",
        lambda: G.ones(5).split(2.5),
        TypeError,
        r"split: split_size_or_sections must be an int or a list of ints, got 2\.5",
    ),
    (
        "pad float",
        lambda: G.pad(G.ones(3), (1.5, 1)),
        TypeError,
        r"pad: padding must be ints, got \(1\.5, 1\)",
    ),
    (
        "squeeze list",
        lambda: G.squeeze([1.0]),
        TypeError,
        r"squeeze: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "unsqueeze ndarray",
        lambda: G.unsqueeze(np.ones(2), 0),
        TypeError,
        r"unsqueeze: " + NOT_TENSOR.format("input", "ndarray"),
    ),
    (
        "flip list",
        lambda: G.flip([1.0], (0,)),
        TypeError,
        r"flip: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "view_as list",
        lambda: _x().view_as([1.0]),
        TypeError,
        r"view_as: " + NOT_TENSOR.format("other", "list"),
    ),
    # reductions
    (
        "sum duplicate dims",
        lambda: _x().sum((0, 0)),
        ValueError,
        r"sum: dims \(0, 0\) name a dimension more than once \(shape \(2, 3\)\)",
    ),
    (
        "sum aliased dims",
        lambda: _x().sum((0, -2)),
        ValueError,
        r"sum: dims \(0, -2\) name a dimension more than once",
    ),
    (
        "mean duplicate dims",
        lambda: _x().mean((1, 1)),
        ValueError,
        r"mean: dims \(1, 1\) name a dimension more than once",
    ),
    ("amax duplicate dims", lambda: G.amax(_x(), (0, 0)), ValueError, r"amax: dims \(0, 0\) name"),
    ("any duplicate dims", lambda: _x().any((0, 0)), ValueError, r"any: dims \(0, 0\) name"),
    (
        "sum str dim",
        lambda: _x().sum("a"),
        TypeError,
        r"sum: dim must be an int, a tuple of ints or None, got 'a'",
    ),
    (
        "sum float dim",
        lambda: _x().sum(1.5),
        TypeError,
        r"sum: dim must be an int, a tuple of ints or None, got 1\.5",
    ),
    (
        "sum dim out of range",
        lambda: _x().sum(5),
        IndexError,
        r"sum: dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)",
    ),
    ("max dim out of range", lambda: _x().max(5), IndexError, r"^max: dimension out of range"),
    (
        "max tuple dim",
        lambda: _x().max((0, 1)),
        TypeError,
        r"^max: dim must be an int, got \(0, 1\)",
    ),
    (
        "argmax tuple dim",
        lambda: _x().argmax((0, 1)),
        TypeError,
        r"argmax: dim must be an int, got \(0, 1\)",
    ),
    ("cumsum None", lambda: _x().cumsum(None), TypeError, r"cumsum: dim must be an int, got None"),
    (
        "sum list",
        lambda: G.sum([1.0, 2.0]),
        TypeError,
        r"sum: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "var list",
        lambda: G.var([1.0, 2.0]),
        TypeError,
        r"var: " + NOT_TENSOR.format("input", "list"),
    ),
    ("prod list", lambda: G.prod([1.0]), TypeError, r"prod: " + NOT_TENSOR.format("input", "list")),
    (
        "argmax list",
        lambda: G.argmax([1.0]),
        TypeError,
        r"argmax: " + NOT_TENSOR.format("input", "list"),
    ),
    ("max list", lambda: G.max([1.0], 0), TypeError, r"max: " + NOT_TENSOR.format("input", "list")),
    ("all list", lambda: G.all([True]), TypeError, r"all: " + NOT_TENSOR.format("input", "list")),
    # elementwise
    (
        "add str",
        lambda: _x() + "a",
        TypeError,
        r"add: unsupported operand of type str \(dtype <U1\); operands must be tensors, numbers",
    ),
    (
        "add None",
        lambda: G.add(None, _x()),
        TypeError,
        r"add: unsupported operand of type NoneType",
    ),
    (
        "relu None",
        lambda: G.relu(None),
        TypeError,
        r"relu: " + NOT_TENSOR.format("input", "NoneType"),
    ),
    ("neg list", lambda: G.neg([1.0]), TypeError, r"neg: " + NOT_TENSOR.format("input", "list")),
    (
        "isnan None",
        lambda: G.isnan(None),
        TypeError,
        r"isnan: " + NOT_TENSOR.format("input", "NoneType"),
    ),
    (
        "floor list",
        lambda: G.floor([1.5]),
        TypeError,
        r"floor: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "clone list",
        lambda: G.clone([1.0]),
        TypeError,
        r"clone: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "clamp str bound",
        lambda: G.clamp(_x(), "a"),
        TypeError,
        r"clamp: min must be a number, got 'a'",
    ),
    # products
    (
        "dot sizes",
        lambda: G.dot(G.ones(3), G.ones(4)),
        ValueError,
        r"dot: expects two 1-D tensors of the same size, got shapes \(3,\) and \(4,\)",
    ),
    (
        "dot list",
        lambda: G.dot([1.0], G.ones(1)),
        TypeError,
        r"dot: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "mm vector",
        lambda: G.mm(G.ones(3), G.ones(3, 4)),
        ValueError,
        r"mm: input must be a matrix \(2-D\), got shape \(3,\)",
    ),
    (
        "bmm matrix",
        lambda: G.bmm(G.ones(5, 2, 3), G.ones(3, 4)),
        ValueError,
        r"bmm: mat2 must be a batch of matrices \(3-D\), got shape \(3, 4\)",
    ),
    (
        "bmm batch sizes",
        lambda: G.bmm(G.ones(1, 2, 3), G.ones(5, 3, 4)),
        ValueError,
        r"bmm: batch sizes 1 and 5 differ \(shapes \(1, 2, 3\) and \(5, 3, 4\)\)",
    ),
    (
        "mm list",
        lambda: G.mm([[1.0]], _x()),
        TypeError,
        r"mm: " + NOT_TENSOR.format("input", "list"),
    ),
    (
        "outer list",
        lambda: G.outer(G.ones(2), [1.0]),
        TypeError,
        r"outer: " + NOT_TENSOR.format("other", "list"),
    ),
    (
        "einsum bad letter",
        lambda: G.einsum("i1,1k->ik", G.ones(2, 3), G.ones(3, 5)),
        ValueError,
        r"einsum: invalid subscript '1'.*\('i1,1k->ik'\)",
    ),
    (
        "einsum repeated output",
        lambda: G.einsum("ij,jk->ii", G.ones(2, 3), G.ones(3, 2)),
        ValueError,
        r"einsum: .*output subscript 'i' multiple times",
    ),
    (
        "einsum two arrows",
        lambda: G.einsum("ij->j->i", _x()),
        ValueError,
        r"einsum: the output 'j->i' of 'ij->j->i' isn't letters",
    ),
    (
        "einsum two ellipses",
        lambda: G.einsum("...i...->i", _x()),
        ValueError,
        r"einsum: subscripts '\.\.\.i\.\.\.' of operand 0 hold a '\.'",
    ),
    (
        "einsum stray dots",
        lambda: G.einsum("..i->i", _x()),
        ValueError,
        r"einsum: subscripts '\.\.i' of operand 0 hold a '\.'",
    ),
    (
        "einsum rank",
        lambda: G.einsum("i->i", _x()),
        ValueError,
        r"einsum: subscripts 'i' name 1 dimensions, but operand 0 has shape \(2, 3\)",
    ),
    (
        "einsum str operand",
        lambda: G.einsum("i->i", "a"),
        TypeError,
        r"einsum: operand 0 \(str\) has dtype <U1",
    ),
    # in-place ops, ragged data and dims that aren't ints
    (
        "add_ broadcast",
        lambda: G.ones(3).add_(G.ones(2, 3)),
        ValueError,
        r"add_: .*\(2,3\).*tensor of shape \(3,\)",
    ),
    ("fill_ str", lambda: G.ones(3).fill_("a"), TypeError,
     r"fill_: value must be a number, got 'a'"),
    (
        "mul_ cast",
        lambda: G.ones(3, dtype=G.int64).mul_(0.5),
        TypeError,
        r"mul_: the result is gradix\.float32, which can't be written into a gradix\.int64 tensor",
    ),
    ("ragged lists", lambda: G.tensor([[1, 2], [3]]), ValueError, r"tensor: .*rectangular"),
    ("unsqueeze str dim", lambda: _x().unsqueeze("a"), TypeError, r"unsqueeze: dim must be an int"),
    ("transpose float dim", lambda: _x().transpose(0, 1.5), TypeError, r"transpose: dim .*1\.5"),
]


@pytest.mark.parametrize("call, error, pattern", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_error_message(call, error, pattern):
    with pytest.raises(error) as e:
        call()
    assert type(e.value).__module__ == "builtins", f"{type(e.value)} is not a built-in type"
    assert re.search(pattern, str(e.value)), f"{pattern!r} not in {str(e.value)!r}"


def test_failed_setitem_leaves_the_tensor_unchanged():
    x = G.arange(6.0).reshape(2, 3)
    before = x.numpy().copy()
    for key, value in (((0, 5), 9.0), (slice(None), G.ones(2)), (0, "a")):
        with pytest.raises((IndexError, ValueError, TypeError)):
            x[key] = value
    np.testing.assert_array_equal(x.numpy(), before)


def test_valid_dims_still_work():
    x = G.arange(6.0).reshape(2, 3)
    assert x.sum((0, 1)).item() == 15.0
    assert x.sum((-1,)).shape == (2,)
    assert x.permute(-1, 0).shape == (3, 2)
    assert G.tensor(2.0).sum((0,)).item() == 2.0
    assert G.zeros(np.int64(2), G.tensor(3)).shape == (2, 3)
