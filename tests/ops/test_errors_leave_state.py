"""Bad input to anything that changes a tensor in place (``x[key] = v``, ``copy_``, ``fill_``,
``add_`` and the other arithmetic, the in-place forms of ops/in_place.py, ``clamp_``,
``requires_grad_``, the ``.grad`` setter, ``uniform_``/``normal_``, ``manual_seed``) raises an
error that names the op and the shapes or values involved, before anything is changed: the
tensor's data, dtype, shape, requires_grad and grad, and the random generator's state, are as
they were. Where torch is importable it must refuse the same call (the kinds of error may
differ: torch raises RuntimeError where gradix raises ValueError or TypeError)."""
import operator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gradix
from gradix import random as grandom

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)
X = np.arange(6.0).reshape(2, 3)
V = np.arange(5.0)


def _t(m, a, **kw):
    return m.tensor(np.asarray(a), **kw)


def _x(m):
    return _t(m, X)


def _v(m):
    return _t(m, V)


def _ints(m, dtype="int64"):
    return m.zeros(3, dtype=getattr(m, dtype))


def _square(m):
    return m.zeros(3, 3, dtype=m.float64)


def _leaf(m):
    return _t(m, X, requires_grad=True)


def _nonleaf(m):
    return _t(m, X, requires_grad=True) * 2


def _ones(m, *shape, grad=False):
    return m.ones(*shape, dtype=m.float64, requires_grad=grad)


def _state(x):
    """What an error must leave as it was."""
    return (x.data, x.data.copy(), x.dtype, tuple(x.shape), x.requires_grad, x.is_leaf,
            None if x.grad is None else (x.grad, x.grad.data.copy()))


def _assert_unchanged(x, before):
    memory, data, dtype, shape, requires_grad, is_leaf, grad = before
    assert x.data is memory and x.dtype == dtype and tuple(x.shape) == shape
    np.testing.assert_array_equal(x.data, data)
    assert x.requires_grad == requires_grad and x.is_leaf == is_leaf
    if grad is None:
        assert x.grad is None
    else:
        assert x.grad is grad[0]
        np.testing.assert_array_equal(x.grad.data, grad[1])


# (id, make(m), call(m, x), gradix's error, pattern of its message, torch): torch is "same"
# where torch raises the same kind of error, "raises" where it raises another kind, None where
# it accepts the call (a documented difference, README "Where gradix differs from PyTorch").
CASES = [
    # x[key] = value
    ("setitem index array, last out of range", _v,
     lambda m, x: x.__setitem__(_t(m, [0, 1, 7]), 9.0),
     IndexError, r"__setitem__: index 7 is out of bounds .* size 5", "same"),
    ("setitem python list of indices", _v, lambda m, x: x.__setitem__([0, -1, 5], 9.0),
     IndexError, r"__setitem__: index 5 is out of bounds .* size 5", "same"),
    ("setitem negative index out of range", _v,
     lambda m, x: x.__setitem__(_t(m, [0, -6]), _t(m, [1.0, 2.0])),
     IndexError, r"__setitem__: index -6 is out of bounds .* size 5", "same"),
    ("setitem two index arrays", _x,
     lambda m, x: x.__setitem__((_t(m, [0, 1]), _t(m, [0, 3])), 9.0),
     IndexError, r"__setitem__: index 3 is out of bounds .* size 3", "same"),
    ("setitem int then index array", _x, lambda m, x: x.__setitem__((1, _t(m, [2, 3])), 9.0),
     IndexError, r"__setitem__: index 3 is out of bounds .* size 3", "same"),
    ("setitem float index", _x, lambda m, x: x.__setitem__(_t(m, [0.0]), 9.0),
     IndexError, r"__setitem__: .*integer", "same"),
    ("setitem mask of the wrong shape", _v,
     lambda m, x: x.__setitem__(_t(m, [True, False, True]), 9.0),
     IndexError, r"__setitem__: boolean index .* 5 .* 3", "same"),
    ("setitem 2-d mask of the wrong shape", _x,
     lambda m, x: x.__setitem__(_t(m, [[True, False], [True, True]]), 9.0),
     IndexError, r"__setitem__: boolean index .* 3 .* 2", "same"),
    ("setitem value of another shape", _x, lambda m, x: x.__setitem__(0, _t(m, [1.0, 2.0])),
     ValueError, r"__setitem__: .*\(2,\) into shape \(3,\).*tensor shape \(2, 3\)", "raises"),
    ("setitem value of another shape, slice", _x,
     lambda m, x: x.__setitem__(slice(None), _ones(m, 2, 2)),
     ValueError, r"__setitem__: .*\(2,2\) into shape \(2,3\).*value shape \(2, 2\)", "raises"),
    ("setitem value that requires grad", _x, lambda m, x: x.__setitem__(0, _ones(m, 3, grad=True)),
     RuntimeError, r"__setitem__: the value requires grad", None),
    ("setitem on a tensor that requires grad", _leaf, lambda m, x: x.__setitem__(0, 1.0),
     RuntimeError, r"__setitem__: a tensor that requires grad", "same"),
    ("setitem str", _x, lambda m, x: x.__setitem__(0, "a"),
     TypeError, r"__setitem__: can't assign a str to a gradix\.float64 tensor", "same"),
    ("setitem None", _x, lambda m, x: x.__setitem__(0, None),
     TypeError, r"__setitem__: can't assign a NoneType to a gradix\.float64 tensor", "same"),
    # NumPy wrote a list element by element: 7.0 went in before "a" (or None, or 300) raised
    ("setitem list with a string after numbers", _x,
     lambda m, x: x.__setitem__(0, [7.0, "a", 3.0]),
     TypeError, r"__setitem__: can't assign a list to a gradix\.float64 tensor", "same"),
    ("setitem list with None after numbers", _x,
     lambda m, x: x.__setitem__(0, [7.0, None, 3.0]),
     TypeError, r"__setitem__: can't assign a list to a gradix\.float64 tensor", "same"),
    ("setitem list with an int too big for int8", lambda m: _ints(m, "int8"),
     lambda m, x: x.__setitem__(slice(None), [7, 300, 3]),
     OverflowError, r"__setitem__: 300 doesn't fit in gradix\.int8", "raises"),
    ("setitem list with an int too big for int64", _ints,
     lambda m, x: x.__setitem__(slice(None), [7, 2 ** 70, 3]),
     OverflowError, r"__setitem__: 1180591620717411303424 doesn't fit in gradix\.int64", "raises"),
    ("setitem ragged list", _x, lambda m, x: x.__setitem__(0, [7.0, [1.0], 3.0]),
     ValueError, r"__setitem__: the nested sequences don't form a rectangular array", "raises"),
    ("setitem number too big for int8", lambda m: _ints(m, "int8"),
     lambda m, x: x.__setitem__(0, 300),
     OverflowError, r"__setitem__: .*300.*int8.*shape \(3,\)", "raises"),
    # copy_
    ("copy_ source of another shape", _x, lambda m, x: x.copy_(_ones(m, 4)),
     RuntimeError, r"copy_: source of shape \(4,\) can't be broadcast .* \(2, 3\)", "same"),
    ("copy_ source with a leading 1 too many", _v, lambda m, x: x.copy_(_ones(m, 1, 5)),
     RuntimeError, r"copy_: source of shape \(1, 5\) can't be broadcast .* \(5,\)", "same"),
    ("copy_ source that requires grad", _x, lambda m, x: x.copy_(_ones(m, 3, grad=True)),
     RuntimeError, r"copy_: the value requires grad", None),
    ("copy_ into a tensor that requires grad", _leaf, lambda m, x: x.copy_(_ones(m, 3)),
     RuntimeError, r"copy_: a tensor that requires grad", "same"),
    ("copy_ None", _x, lambda m, x: x.copy_(None),
     TypeError, r"copy_: can't assign a NoneType", "same"),
    ("copy_ list with a string after numbers", _v,
     lambda m, x: x.copy_(["7", "a", "3", "4", "5"]),
     TypeError, r"copy_: can't assign a list to a gradix\.float64 tensor", "same"),
    # fill_, zero_
    ("fill_ None", _x, lambda m, x: x.fill_(None),
     TypeError, r"fill_: value must be a number, got None", "same"),
    ("fill_ list", _x, lambda m, x: x.fill_([1.0]),
     TypeError, r"fill_: value must be a number, got \[1\.0\]", "same"),
    ("fill_ 1-d tensor", _x, lambda m, x: x.fill_(_ones(m, 3)),
     ValueError, r"fill_: value must be a number or a 0-d tensor, got .* shape \(3,\)", "raises"),
    ("fill_ str", _x, lambda m, x: x.fill_("a"),
     TypeError, r"fill_: value must be a number, got 'a'", "raises"),
    ("fill_ int too big for int8", lambda m: _ints(m, "int8"), lambda m, x: x.fill_(300),
     OverflowError, r"fill_: 300 doesn't fit in gradix\.int8 \(from -128 to 127\)", "raises"),
    ("fill_ NaN into int64", _ints, lambda m, x: x.fill_(float("nan")),
     OverflowError, r"fill_: nan doesn't fit in gradix\.int64", "raises"),
    ("fill_ value that requires grad", _x,
     lambda m, x: x.fill_(m.tensor(1.0, dtype=m.float64, requires_grad=True)),
     RuntimeError, r"fill_: the value requires grad", None),
    ("zero_ a tensor that requires grad", _leaf, lambda m, x: x.zero_(),
     RuntimeError, r"zero_: a tensor that requires grad", "same"),
    # arithmetic
    ("add_ of another shape", _x, lambda m, x: x.add_(_ones(m, 4)),
     ValueError, r"add_: .*\(4,\).*tensor of shape \(2, 3\)", "raises"),
    ("add_ that would grow the tensor", _x, lambda m, x: x.add_(_ones(m, 2, 2, 3)),
     ValueError, r"add_: .*\(2,2,3\).*tensor of shape \(2, 3\)", "raises"),
    ("+= of another shape", _x, lambda m, x: operator.iadd(x, _ones(m, 4)),
     ValueError, r"add_: .*\(4,\)", "raises"),
    ("add_ list", _x, lambda m, x: x.add_([1.0, 2.0, 3.0]),
     TypeError, r"add_: unsupported operand of type list", "same"),
    ("add_ None", _x, lambda m, x: x.add_(None),
     TypeError, r"add_: other must be a Tensor or a number, got NoneType", "same"),
    ("add_ alpha str", _x, lambda m, x: x.add_(_ones(m, 3), alpha="a"),
     TypeError, r"add_: alpha must be a number, got 'a'", "same"),
    ("add_ a value that requires grad", _x, lambda m, x: x.add_(_ones(m, 3, grad=True)),
     RuntimeError, r"add_: the value requires grad", None),
    ("sub_ bools", lambda m: _t(m, [True, False]), lambda m, x: x.sub_(_t(m, [True, True])),
     TypeError, r"sub: bool operands", "raises"),
    ("mul_ a float into int64", _ints, lambda m, x: x.mul_(0.5),
     TypeError, r"mul_: .*float32.*can't be written into a gradix\.int64", "raises"),
    ("div_ int64", _ints, lambda m, x: x.div_(2),
     TypeError, r"div_: .*float32.*int64", "raises"),
    ("*= a str", _x, lambda m, x: operator.imul(x, "a"),
     TypeError, r"mul_: other must be a Tensor or a number, got str", "same"),
    ("**= a float into int64", _ints, lambda m, x: operator.ipow(x, 0.5),
     TypeError, r"pow_: the result is gradix\.float32.*int64", "raises"),
    ("%= of another shape", _x, lambda m, x: operator.imod(x, _ones(m, 4)),
     ValueError, r"remainder: shapes \(2, 3\) and \(4,\)", "raises"),
    ("//= 0 of int64", _ints, lambda m, x: operator.ifloordiv(x, 0),
     RuntimeError, r"floor_divide: integer division by zero", "same"),
    ("&= of a float tensor", _x, lambda m, x: operator.iand(x, 1),
     TypeError, r"bitwise_and: .*float64", "raises"),
    # clamp_
    ("clamp_ without bounds", _x, lambda m, x: x.clamp_(),
     ValueError, r"clamp_: at least one of min and max", "raises"),
    ("clamp_ min that requires grad", _x, lambda m, x: x.clamp_(_ones(m, 3, grad=True)),
     RuntimeError, r"clamp_: the value requires grad", None),
    ("clamp_ max that requires grad", _x, lambda m, x: x.clamp_(max=_ones(m, 3, grad=True)),
     RuntimeError, r"clamp_: the value requires grad", None),
    ("clamp_ list", _x, lambda m, x: x.clamp_([0.0, 1.0, 2.0]),
     TypeError, r"clamp_: unsupported operand of type list", "same"),
    ("clamp_ of another shape", _x, lambda m, x: x.clamp_(_ones(m, 4)),
     ValueError, r"clamp_: .*\(4,\).*tensor of shape \(2, 3\)", "raises"),
    # the in-place forms
    ("exp_ of int64", _ints, lambda m, x: x.exp_(),
     TypeError, r"exp_: the result is gradix\.float32.*int64", "raises"),
    ("sqrt_ of a tensor that requires grad", _leaf, lambda m, x: x.sqrt_(),
     RuntimeError, r"sqrt_: a tensor that requires grad", "same"),
    ("cumsum_ dim out of range", _x, lambda m, x: x.cumsum_(3),
     IndexError, r"cumsum: dimension out of range .*\[-2, 1\].* 3", "same"),
    ("index_add_ index out of range", _x,
     lambda m, x: x.index_add_(1, _t(m, [0, 1, 3]), _ones(m, 2, 3)),
     IndexError, r"index_add: index out of range \[0, 2\] for dimension 1", "raises"),
    ("index_add_ source of the wrong shape", _x,
     lambda m, x: x.index_add_(1, _t(m, [0, 1]), _ones(m, 2, 3)),
     ValueError, r"index_add: source has shape \(2, 3\).*must have shape \(2, 2\)", "raises"),
    ("index_copy_ index out of range", _x,
     lambda m, x: x.index_copy_(1, _t(m, [0, 1, 3]), _ones(m, 2, 3)),
     IndexError, r"index_copy: index out of range \[0, 2\] for dimension 1", "same"),
    ("index_fill_ index out of range", _x,
     lambda m, x: x.index_fill_(1, _t(m, [0, 3]), 1.0),
     IndexError, r"index_fill: index out of range .* dimension 1", "same"),
    ("index_fill_ 1-d value", _x,
     lambda m, x: x.index_fill_(1, _t(m, [0, 1]), _ones(m, 2)),
     ValueError, r"index_fill: value must be a number or a 0-d tensor, got shape \(2,\)",
     "raises"),
    ("scatter_ index out of range at its end", _x,
     lambda m, x: x.scatter_(0, _t(m, [[1, 0, 2]]), _ones(m, 1, 3)),
     IndexError, r"scatter: index out of range \[0, 1\] for dimension 0", "raises"),
    ("scatter_ value, index out of range", _x,
     lambda m, x: x.scatter_(0, _t(m, [[1, 0, -1]]), value=1.0),
     IndexError, r"scatter: index out of range \[0, 1\] for dimension 0", "raises"),
    ("scatter_add_ index out of range", _x,
     lambda m, x: x.scatter_add_(0, _t(m, [[1, 0, 2]]), _ones(m, 1, 3)),
     IndexError, r"scatter_add: index out of range \[0, 1\] for dimension 0", "raises"),
    ("scatter_ source that requires grad", _x,
     lambda m, x: x.scatter_(0, _t(m, [[1, 0, 1]]), _ones(m, 1, 3, grad=True)),
     RuntimeError, r"scatter_: the value requires grad", None),
    ("masked_fill_ mask of the wrong shape", _x,
     lambda m, x: x.masked_fill_(_t(m, [True, False]), 1.0),
     ValueError, r"masked_fill: mask of shape \(2,\) can't be broadcast .* \(2, 3\)", "raises"),
    ("masked_fill_ float mask", _x, lambda m, x: x.masked_fill_(_t(m, [1.0, 0.0, 1.0]), 1.0),
     TypeError, r"masked_fill: mask must be a bool tensor, got gradix\.float64", "raises"),
    ("masked_scatter_ too few source values", _x,
     lambda m, x: x.masked_scatter_(_t(m, [True, True, True]), _ones(m, 5)),
     ValueError, r"masked_scatter: source has 5 entries, fewer than the 6 places", "raises"),
    ("masked_scatter_ mask of the wrong shape", _x,
     lambda m, x: x.masked_scatter_(_t(m, [True, True]), _ones(m, 6)),
     ValueError, r"masked_scatter: mask of shape \(2,\) can't be broadcast .* \(2, 3\)",
     "raises"),
    ("tril_ of a vector", _v, lambda m, x: x.tril_(),
     ValueError, r"tril: .*at least 2 dimensions, got shape \(5,\)", "raises"),
    ("triu_ float diagonal", _x, lambda m, x: x.triu_(0.5),
     TypeError, r"triu: diagonal must be an int, got 0\.5", "same"),
    ("fill_diagonal_ of a vector", _v, lambda m, x: x.fill_diagonal_(1.0),
     ValueError, r"fill_diagonal_: .*shape \(5,\)", "raises"),
    ("fill_diagonal_ of a 2x3x3 tensor", lambda m: m.zeros(2, 3, 3),
     lambda m, x: x.fill_diagonal_(1.0),
     ValueError, r"fill_diagonal_: .*shape \(2, 3, 3\)", "raises"),
    # NumPy's fill_diagonal cycled a sequence's values along the diagonal and wrote None as NaN
    ("fill_diagonal_ 1-d tensor", _square, lambda m, x: x.fill_diagonal_(_ones(m, 2)),
     ValueError, r"fill_diagonal_: value must be a number or a 0-d tensor, got .* \(2,\)",
     "raises"),
    ("fill_diagonal_ list", _square, lambda m, x: x.fill_diagonal_([1.0, 2.0]),
     TypeError, r"fill_diagonal_: value must be a number, got \[1\.0, 2\.0\]", "same"),
    ("fill_diagonal_ None", _square, lambda m, x: x.fill_diagonal_(None),
     TypeError, r"fill_diagonal_: value must be a number, got None", "same"),
    ("fill_diagonal_ of a tensor that requires grad",
     lambda m: m.zeros(3, 3, requires_grad=True), lambda m, x: x.fill_diagonal_(1.0),
     RuntimeError, r"fill_diagonal_: a tensor that requires grad", "same"),
    # requires_grad_ and .grad
    ("requires_grad_ of int64", _ints, lambda m, x: x.requires_grad_(),
     RuntimeError, r"requires_grad_: only floating point .*int64", "same"),
    ("requires_grad_(False) of a non-leaf", _nonleaf, lambda m, x: x.requires_grad_(False),
     RuntimeError, r"requires_grad_\(False\) on a non-leaf", "same"),
    ("requires_grad_ str", _x, lambda m, x: x.requires_grad_("yes"),
     TypeError, r"requires_grad_: requires_grad must be a bool, got 'yes'", "same"),
    ("requires_grad_ None", _leaf, lambda m, x: x.requires_grad_(None),
     TypeError, r"requires_grad_: requires_grad must be a bool, got None", "same"),
    ("requires_grad_ 1", _x, lambda m, x: x.requires_grad_(1),
     TypeError, r"requires_grad_: requires_grad must be a bool, got 1", "same"),
    ("grad of another shape", _leaf, lambda m, x: setattr(x, "grad", _ones(m, 3)),
     RuntimeError, r"grad: .*shape \(3,\) to a tensor of shape \(2, 3\)", "same"),
    ("grad of another dtype", _leaf,
     lambda m, x: setattr(x, "grad", m.ones(2, 3, dtype=m.float32)),
     RuntimeError, r"grad: .*float32 gradient to a gradix\.float64 tensor", "same"),
    ("grad list", _leaf, lambda m, x: setattr(x, "grad", [1.0]),
     TypeError, r"grad: the gradient must be a Tensor or None, got list", "same"),
    ("grad itself", _leaf, lambda m, x: setattr(x, "grad", x),
     RuntimeError, r"grad: can't assign a tensor as its own gradient", "same"),
    # uniform_ and normal_ (the generator must not move either: see test_random_state_kept)
    ("uniform_ of int64", _ints, lambda m, x: x.uniform_(),
     TypeError, r"uniform_: needs a floating point tensor, got gradix\.int64", "raises"),
    ("normal_ of int64", _ints, lambda m, x: x.normal_(),
     TypeError, r"normal_: needs a floating point tensor, got gradix\.int64", "raises"),
    ("normal_ negative std", _x, lambda m, x: x.normal_(0.0, -1.0),
     ValueError, r"normal_: scale < 0 .*shape \(2, 3\)", "raises"),
    ("uniform_ from above to", _x, lambda m, x: x.uniform_(2.0, 1.0),
     ValueError, r"uniform_: high - low < 0 .*shape \(2, 3\)", "raises"),
    ("uniform_ of a tensor that requires grad", _leaf, lambda m, x: x.uniform_(),
     RuntimeError, r"uniform_: a tensor that requires grad", "same"),
]
IDS = [c[0] for c in CASES]


def _with_grad(x):
    """x, given a gradient where it may have one, so that the check covers .grad too."""
    if x.is_leaf and x.dtype.kind == "f" and x.grad is None:
        x.grad = gradix.tensor(np.full(x.shape, 0.5), dtype=x.dtype)
    return x


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_refused_with_a_clear_error_and_nothing_changed(case):
    _, make, call, kind, pattern, _ = case
    x = _with_grad(make(gradix))
    before = _state(x)
    generator = grandom.get_rng_state()
    with pytest.raises(kind, match=pattern) as info:
        call(gradix, x)
    assert type(info.value).__module__ == "builtins"  # not NumPy's own types
    _assert_unchanged(x, before)
    assert grandom.get_rng_state() == generator


@pytest.mark.parametrize("case", [c for c in CASES if c[5]], ids=[c[0] for c in CASES if c[5]])
def test_torch_refuses_it_too(case):
    torch = pytest.importorskip("torch")
    _, make, call, kind, _, torch_kind = case
    with pytest.raises(Exception) as info:  # torch may have written part of it by then:
        call(torch, make(torch))  # x[[0, 1, 7]] = 9 sets x[0] and x[1] before it raises
    if torch_kind == "same":
        assert isinstance(info.value, kind), info.value


def test_the_table_covers_every_in_place_form_family():
    """A new family of in-place forms (ops/in_place.py) gets rows here too."""
    named = {c[0].split()[0].rstrip("_") for c in CASES}
    for name in ("index_add", "index_copy", "index_fill", "scatter", "scatter_add",
                 "masked_fill", "masked_scatter", "tril", "triu", "fill_diagonal", "exp",
                 "cumsum", "sqrt"):
        assert name in named, name


@pytest.mark.parametrize("seed", [2**64, -2**63 - 1, "x", None, [1]])  # those torch refuses
def test_manual_seed_refuses_a_bad_seed_and_keeps_the_generator(seed):
    gradix.manual_seed(123)
    gradix.rand(2)  # somewhere inside the stream
    state = grandom.get_rng_state()
    generator = grandom.generator()
    with pytest.raises((TypeError, ValueError), match=r"^manual_seed: seed must be "):
        gradix.manual_seed(seed)
    assert grandom.generator() is generator and grandom.get_rng_state() == state
    expected = gradix.rand(3).numpy()
    gradix.manual_seed(123)
    gradix.rand(2)
    np.testing.assert_array_equal(gradix.rand(3).numpy(), expected)


# ---------------------------------------------------------------------- randomized
@st.composite
def _index_with_one_out_of_range(draw):
    """(size, index entries, position of the bad one): valid entries around one out of range."""
    size = draw(st.integers(1, 6))
    entries = draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=8))
    bad = draw(st.one_of(st.integers(size, size + 20), st.integers(-size - 20, -size - 1)))
    at = draw(st.integers(0, len(entries)))
    return size, entries[:at] + [bad] + entries[at:], bad


@SETTINGS
@given(_index_with_one_out_of_range(), st.sampled_from(["scalar", "array", "rows", "pair"]))
def test_setitem_with_an_out_of_range_index_writes_nothing(drawn, form):
    size, entries, bad = drawn
    x = gradix.tensor(np.arange(size * 3.0).reshape(size, 3))
    before = _state(x)
    index = gradix.tensor(entries)
    key, value = {
        "scalar": (index, -1.0),
        "array": (index, gradix.tensor(np.full((len(entries), 3), -1.0))),
        "rows": ((index, slice(None)), -1.0),
        "pair": ((index, gradix.zeros(len(entries), dtype=gradix.int64)), -1.0),
    }[form]
    with pytest.raises(IndexError, match=rf"__setitem__: index {bad} is out of bounds for "
                                         rf"axis 0 with size {size}"):
        x[key] = value
    _assert_unchanged(x, before)


@SETTINGS
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.data())
def test_setitem_with_a_mask_of_the_wrong_shape_writes_nothing(shape, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    wrong = list(shape)
    # not 0: NumPy (so gradix) reads an empty mask as selecting nothing whatever the tensor's
    # shape, where torch raises; nothing is written either way
    wrong[axis] = data.draw(st.integers(1, 5).filter(lambda n: n != shape[axis]))
    mask = data.draw(st.lists(st.booleans(), min_size=int(np.prod(wrong)),
                              max_size=int(np.prod(wrong))))
    x = gradix.tensor(np.arange(float(np.prod(shape))).reshape(shape))
    before = _state(x)
    with pytest.raises(IndexError, match=rf"__setitem__: boolean index did not match .* axis "
                                         rf"{axis}; size of axis is {shape[axis]} .* is "
                                         rf"{wrong[axis]}"):
        x[gradix.tensor(np.array(mask, dtype=bool).reshape(wrong))] = -1.0
    _assert_unchanged(x, before)


@SETTINGS
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.data())
def test_masked_scatter_with_too_few_source_values_writes_nothing(shape, data):
    n = int(np.prod(shape))
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    places = int(mask.sum())
    if places == 0:
        mask[data.draw(st.integers(0, n - 1))] = True
        places = 1
    given_values = data.draw(st.integers(0, places - 1))
    x = gradix.tensor(np.arange(float(n)).reshape(shape))
    before = _state(x)
    with pytest.raises(ValueError, match=rf"masked_scatter: source has {given_values} entries, "
                                         rf"fewer than the {places} places"):
        x.masked_scatter_(gradix.tensor(mask.reshape(shape)),
                          gradix.tensor(np.full(given_values, -1.0)))
    _assert_unchanged(x, before)


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 1), st.data(),
       st.sampled_from(["scatter", "scatter_add", "index_add", "index_copy", "index_fill"]))
def test_an_index_out_of_range_only_at_its_end_writes_nothing(rows, cols, dim, data, op):
    shape = (rows, cols)
    x = gradix.tensor(np.arange(rows * cols, dtype=float).reshape(shape))
    before = _state(x)
    size = shape[dim]
    bad = data.draw(st.integers(size, size + 10))
    if op.startswith("scatter"):
        index_shape = tuple(data.draw(st.integers(1, s)) for s in shape)
        index = np.array(data.draw(st.lists(st.integers(0, size - 1),
                                            min_size=int(np.prod(index_shape)),
                                            max_size=int(np.prod(index_shape)))))
        index[-1] = bad  # valid everywhere but at the last entry
        args = (dim, gradix.tensor(index.reshape(index_shape)), gradix.ones(*index_shape,
                                                                           dtype=gradix.float64))
        valid = rf"\[0, {size - 1}\]"
    else:
        entries = data.draw(st.lists(st.integers(0, size - 1), min_size=0, max_size=4))
        index = gradix.tensor(entries + [bad])
        source = list(shape)
        source[dim] = len(entries) + 1
        last = -1.0 if op == "index_fill" else gradix.ones(*source, dtype=gradix.float64)
        args = (dim, index, last)
        valid = rf"\[-?\d+, {size - 1}\]"
    with pytest.raises(IndexError, match=rf"{op}: index out of range {valid} for dimension "
                                         rf"{dim}"):
        getattr(x, op + "_")(*args)
    _assert_unchanged(x, before)


@SETTINGS
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3),
       st.lists(st.integers(1, 5), min_size=1, max_size=3),
       st.sampled_from(["copy_", "add_", "mul_", "__setitem__"]))
def test_a_value_that_does_not_broadcast_writes_nothing(shape, value_shape, op):
    shape, value_shape = tuple(shape), tuple(value_shape)
    value = gradix.ones(*value_shape, dtype=gradix.float64)
    while op == "__setitem__" and value_shape[:1] == (1,):  # x[...] = v drops v's leading 1s,
        value_shape = value_shape[1:]  # as torch's does
    try:
        fits = np.broadcast_shapes(shape, value_shape) == shape
    except ValueError:
        fits = False
    if fits:
        return
    x = gradix.tensor(np.arange(float(np.prod(shape))).reshape(shape))
    before = _state(x)
    with pytest.raises((RuntimeError, ValueError), match=rf"^{op}: ") as info:
        if op == "__setitem__":
            x[...] = value
        else:
            getattr(x, op)(value)
    message = str(info.value).replace(" ", "")
    assert str(value_shape).replace(" ", "") in message, message
    _assert_unchanged(x, before)
