"""Randomized differential tests of Tensor basics against PyTorch, as in
tests/ops/test_random_core_vs_torch.py (which covers indexing, reductions, shape ops,
broadcasting arithmetic between tensors, matmul and einsum): creation (``tensor()`` from nested
lists, NumPy arrays and scalars; zeros, ones, full, empty, arange, linspace, eye, the ``*_like``
functions and the random ones), conversion (``to(dtype)`` and its shorthands, ``item``,
``tolist``, ``int()``/``float()``/``bool()``, ``len``, ``numpy``, ``size``), operators with
Python numbers, NumPy scalars and NumPy arrays on either side, bitwise and unary operators, and
augmented assignments (``+=``, ``&=``, ...) with torch's casting rules. The same call runs in
both libraries: gradix must raise (a built-in exception) where torch raises, and otherwise give
the same type, dtype, shape, values and requires_grad."""
import cmath
import math
import operator
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from ops._random_helpers import (
    RARELY, SEEDS, WARNINGS, _dtype, _same, case_registry, dims, mostly, shapes, torch)

import gradix

pytestmark = [WARNINGS, pytest.mark.filterwarnings(
    "ignore:(overflow|invalid value) encountered in cast:RuntimeWarning",
    "ignore:Converting a tensor with requires_grad=True to a scalar:UserWarning")]

SUPPORTED = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
             "float64"]  # gradix/dtypes.py
# torch has these, gradix refuses them (with a TypeError naming the dtype)
UNSUPPORTED = ["uint16", "uint32", "uint64", "complex64", "complex128"]
DTYPES = st.sampled_from(SUPPORTED)
INTEGER = {"uint8", "int8", "int16", "int32", "int64"}


@dataclass
class Call:
    """``fn(m)`` for m in (gradix, torch); ``text`` tells what it does in a failure report."""
    fn: object
    text: str

    def __repr__(self):
        return self.text


def _leaf(g, t, what):
    """The same Python value: same type (bool, int, float) and value (NaN equal to NaN)."""
    assert type(g) is type(t), (what, g, t)
    assert g == t or (isinstance(g, (float, complex)) and cmath.isnan(g) and cmath.isnan(t)), \
        (what, g, t)


def _match(g, t, what="result"):
    if isinstance(t, torch.Tensor):
        assert isinstance(g, gradix.Tensor), (what, type(g))
        _same(g, t, what)
        assert g.requires_grad == t.requires_grad, (what, "requires_grad")
    elif isinstance(t, (list, tuple)):  # tolist(), shapes (torch.Size is a tuple)
        assert isinstance(g, (list, tuple)) and len(g) == len(t), (what, g, t)
        for i, (a, b) in enumerate(zip(g, t, strict=True)):
            _match(a, b, f"{what}[{i}]")
    elif isinstance(t, torch.dtype):
        assert _dtype(gradix.ones(1, dtype=g)) == str(t).replace("torch.", ""), (what, g, t)
    elif isinstance(t, np.ndarray):  # numpy()
        assert isinstance(g, np.ndarray) and g.dtype == t.dtype, (what, g, t)
        np.testing.assert_array_equal(g, t, err_msg=what)
    else:
        _leaf(g, t, what)


def compare(call):
    """gradix raises a built-in exception where torch raises, else gives torch's result."""
    try:
        expected = call.fn(torch)
    except Exception:  # noqa: BLE001  (whatever torch refuses, gradix must refuse too)
        with pytest.raises(Exception) as e:
            call.fn(gradix)
        assert type(e.value).__module__ == "builtins" and str(e.value), repr(e.value)
        return
    _match(call.fn(gradix), expected)


CASES, case = case_registry()


def dtype_of(m, name):
    return None if name is None else getattr(m, name)


def _array(m, a):
    """A NumPy operand: for torch, whose handling of them is erratic, as a tensor."""
    return torch.from_numpy(a) if m is torch else a


# ---------------------------------------------------------------------- creation from data
INTS = st.integers(-300, 300) | st.sampled_from(
    [2 ** 31, -2 ** 31 - 1, 2 ** 62, -2 ** 63, 2 ** 63 - 1, 127, 128, -128, -129, 255, 256])
FLOATS = st.floats(-1e3, 1e3) | st.sampled_from(
    [math.nan, math.inf, -math.inf, -0.0, 0.5, -0.5, 2.5, 127.9, 255.0, 1e20, 1e40])
KINDS = {"bool": st.booleans(), "int": INTS, "float": FLOATS}
KIND_MIXES = st.sampled_from([["float"], ["int"], ["bool"], ["int", "float"], ["bool", "int"],
                              ["bool", "int", "float"], ["bool", "float"]])


def _nest(flat, shape):
    if not shape:
        return flat[0]
    step = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


@case
def tensor_from_lists(draw):
    # nested lists of Python numbers, kinds mixed, with or without dtype= and requires_grad
    shape = draw(shapes(0, 3))
    kinds = draw(KIND_MIXES)
    n = math.prod(shape)
    flat = draw(st.lists(st.one_of(*[KINDS[k] for k in kinds]), min_size=n, max_size=n))
    if draw(RARELY):  # an int beyond int64's range, alone or among bools: both refuse it
        # (among other ints NumPy makes a float64 array, so gradix a float tensor, where torch
        # refuses)
        flat = [draw(st.sampled_from([2 ** 63, 2 ** 64, -2 ** 63 - 1]))] + [
            v for v in flat if type(v) is bool]
        shape = (len(flat),) if len(flat) > 1 or draw(st.booleans()) else ()
    dtype = draw(st.sampled_from([None] * 3 + SUPPORTED))
    if dtype == "uint8" and "float" in kinds:
        # torch checks each number by its own type (an int -1 wraps to 255, a float -1.0 is
        # refused), gradix the whole list's: they disagree on negative ints among floats
        flat = [abs(v) if type(v) is int else v for v in flat]
    if dtype in INTEGER and "float" in kinds:
        # a list with floats becomes float64 in NumPy, which rounds ints beyond 2 ** 53, where
        # torch converts each number by itself
        flat = [v if type(v) is not int or abs(v) < 2 ** 53 else 2 ** 40 for v in flat]
    data = _nest(flat, shape)
    grad = draw(RARELY)
    return Call(lambda m: m.tensor(data, dtype=dtype_of(m, dtype), requires_grad=grad),
                f"tensor({data!r}, dtype={dtype}, requires_grad={grad})")


@st.composite
def ragged(draw):
    """Nested lists with one row longer, shorter or deeper than its siblings, or a number
    in place of a row."""
    shape = draw(st.lists(st.integers(2, 3), min_size=2, max_size=3))
    data = _nest(list(range(math.prod(shape))), shape)
    depth = draw(st.integers(1, len(shape) - 1))  # of the row that changes
    parent = data
    for size in shape[:depth - 1]:
        parent = parent[draw(st.integers(0, size - 1))]
    i = draw(st.integers(0, len(parent) - 1))
    row = parent[i]
    parent[i] = draw(st.sampled_from([row + row[-1:], row[:-1], 7, [row]]))
    return data


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=ragged())
def test_ragged_lists_raise(data):
    # (torch takes [[], [1]] as an empty (2, 0) tensor, reading the shape from the first row:
    # gradix refuses it too)
    with pytest.raises((ValueError, TypeError)):
        torch.tensor(data)
    with pytest.raises(ValueError, match="tensor: the nested sequences don't form a "
                                         "rectangular array"):
        gradix.tensor(data)


def array_values(rng, shape, dtype, special=False):
    """Values of ``dtype`` (a name): bools, integers over much of the dtype's range, floats of
    several magnitudes, with ``special`` NaN, infinities and -0.0 among them."""
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype in INTEGER:
        info = np.iinfo(dtype)
        return np.asarray(rng.integers(max(info.min, -1000), min(info.max, 1000), shape,
                                       endpoint=True)).astype(dtype)
    a = np.asarray(rng.standard_normal(shape) * rng.choice([0.5, 10, 300], shape))
    if special and a.size:
        flat = a.reshape(-1)
        flat[rng.integers(0, a.size, 2)] = rng.choice([np.nan, np.inf, -np.inf, -0.0], 2)
    return a.astype(dtype)


@case
def tensor_from_arrays(draw):
    # NumPy arrays of every supported dtype (0-d too, NumPy scalars, non-contiguous views);
    # now and then dtype= (a cast, which wraps integers as torch's does)
    dtype = draw(DTYPES)
    base = array_values(np.random.default_rng(draw(SEEDS)), draw(shapes(0, 3)), dtype,
                        special=True)
    layout = draw(st.sampled_from(["plain", "plain", "transposed", "strided", "scalar"]))
    if layout == "scalar" and not base.size or layout == "strided" and not base.ndim:
        layout = "plain"
    view = {"plain": lambda b: b, "transposed": lambda b: b.T, "strided": lambda b: b[::2],
            "scalar": lambda b: b.reshape(-1)[0]}[layout]  # scalar: np.float32(...), ...
    to = draw(st.sampled_from([None] * 4 + SUPPORTED))
    if layout == "scalar" and (dtype in ("float16", "float32") and to in INTEGER | {"bool"}
                               or dtype == "bool" and to in INTEGER):
        to = None  # torch refuses these NumPy scalars for an integer (or bool) dtype
    if to in INTEGER and base.dtype.kind == "f":  # NaN, inf and big floats: C's UB
        base = np.nan_to_num(base, posinf=0, neginf=0).clip(-100, 100).astype(dtype)
        if to == "uint8":
            base = abs(base)

    def make(m):
        b = base.copy()
        t = m.tensor(view(b), dtype=dtype_of(m, to))
        b[...] = 0  # tensor() copies: changing the array afterwards doesn't matter
        return t
    return Call(make, f"tensor({view(base)!r}, dtype={to})  # {layout}")


@settings(max_examples=20, deadline=None, derandomize=True)
@given(dtype=st.sampled_from(UNSUPPORTED), shape=shapes(0, 2))
def test_unsupported_array_dtypes_raise(dtype, shape):
    a = np.zeros(shape, dtype)
    torch.tensor(a)  # torch has them
    with pytest.raises(TypeError, match=rf"tensor: .*{dtype}"):
        gradix.tensor(a)


# ---------------------------------------------------------------------- creation functions
SIZES = shapes(0, 3)
FILLS = st.sampled_from([1.5, -2, 0, True, False, 7, -0.5, 2.7, math.nan, math.inf, 300, -1,
                         -256, 1e20, np.float64(2.5), np.int64(3)])


def _size_args(draw, shape):
    """``shape`` as torch takes it: f(2, 3), f((2, 3)), f([2, 3]) or f(size=(2, 3)) (f()
    raises in torch, gradix makes a 0-d tensor)."""
    form = draw(st.sampled_from(["varargs", "tuple", "list", "size"]))
    if form == "varargs" and shape:
        return shape, {}
    if form == "size":
        return (), {"size": shape}
    return ((shape if form == "tuple" else list(shape)),), {}


@case
def constant(draw):
    name = draw(st.sampled_from(["zeros", "ones", "empty", "full"]))
    shape = draw(mostly(SIZES, (2, -1)))
    dtype = draw(st.sampled_from([None] * 3 + SUPPORTED))
    grad = draw(RARELY)
    kwargs = {"requires_grad": grad}
    if name == "full":
        fill = draw(FILLS)
        if dtype == "float16" and fill == 1e20:
            fill = 1e4  # torch refuses it where there are 2 values or more, not 0 or 1
        args, text = (shape, fill), f"full({shape}, {fill!r}"
    else:
        args, size = _size_args(draw, shape)
        kwargs.update(size)
        text = f"{name}(*{args}, **{size}"

    def make(m):
        t = getattr(m, name)(*args, dtype=dtype_of(m, dtype), **kwargs)
        return (tuple(t.shape), t.dtype, t.requires_grad) if name == "empty" else t
    return Call(make, f"{text}, dtype={dtype}, requires_grad={grad})")


@case
def like(draw):
    name = draw(st.sampled_from(["zeros_like", "ones_like", "full_like", "empty_like",
                                 "rand_like", "randn_like"]))
    shape, src = draw(SIZES), draw(DTYPES)
    if name in ("rand_like", "randn_like") and not math.prod(shape):
        shape = (2,)  # torch checks the dtype only where it draws a value
    dtype = draw(st.sampled_from([None] * 3 + SUPPORTED))
    grad = draw(RARELY)
    fill = (draw(FILLS),) if name == "full_like" else ()
    if fill == (1e20,) and (dtype or src) == "float16":
        fill = (1e4,)  # torch refuses it where there are 2 values or more, not 0 or 1

    def make(m):
        t = getattr(m, name)(m.zeros(shape, dtype=getattr(m, src)), *fill,
                             dtype=dtype_of(m, dtype), requires_grad=grad)
        if name in ("full_like", "zeros_like", "ones_like"):
            return t
        return tuple(t.shape), t.dtype, t.requires_grad
    return Call(make, f"{name}(zeros({shape}, dtype={src}), *{fill}, dtype={dtype}, "
                      f"requires_grad={grad})")


ARANGE_NUMBERS = st.integers(-6, 6) | st.sampled_from([0.5, -2.5, 1.25, 3.7, -0.3, 5.9])


@case
def arange(draw):
    # int and float arguments, negative steps, empty ranges, steps that are 0 or point away
    # from end (which raise), and dtype=; an integer dtype truncates float arguments
    count = draw(st.integers(1, 3))
    args = [draw(ARANGE_NUMBERS) for _ in range(count)]
    if count == 3 and args[2] == 0 and not draw(RARELY):
        args[2] = draw(st.sampled_from([1, -1, 0.5]))
    if count == 3 and draw(st.booleans()):  # a step that points from start to end
        args[2] = math.copysign(abs(args[2]) or 1, args[1] - args[0]) if isinstance(
            args[2], float) else (abs(args[2]) or 1) * (1 if args[1] >= args[0] else -1)
    dtype = draw(st.sampled_from([None] * 3 + ["int64", "int32", "float32", "float64",
                                               "int16"]))
    if dtype in ("int32", "int16"):
        # torch truncates float arguments for int64 only: for narrower dtypes it counts the
        # values in floating point but steps by the truncated step (a step of 0.5 repeats
        # start); gradix truncates for every integer dtype
        args = [int(a) for a in args]
        if count == 3 and args[2] == 0:
            args[2] = 1

    def make(m):
        return m.arange(*args, dtype=dtype_of(m, dtype))
    return Call(make, f"arange(*{args}, dtype={dtype})")


@case
def linspace(draw):
    start, end = draw(ARANGE_NUMBERS), draw(ARANGE_NUMBERS)
    steps = draw(mostly(st.integers(0, 6), -1))
    dtype = draw(st.sampled_from([None] * 3 + ["float64", "float32", "int64", "int32"]))
    if dtype in ("int64", "int32") and steps > 1:
        # torch truncates start and end, then computes the values in floating point in chunks
        # as wide as the CPU's vectors: they are platform-dependent unless the steps are
        # integers, so end - start is a multiple of steps - 1 here (gradix's the same then)
        end = int(start) + draw(st.integers(-3, 3)) * (steps - 1)
        end += math.copysign(draw(st.sampled_from([0, 0.5])), end) if end else 0
    return Call(lambda m: m.linspace(start, end, steps, dtype=dtype_of(m, dtype)),
                f"linspace({start}, {end}, {steps}, dtype={dtype})")


@case
def eye(draw):
    n = draw(mostly(st.integers(0, 4), -1))
    m_ = draw(st.none() | mostly(st.integers(0, 4), -1))
    dtype = draw(st.sampled_from([None] * 3 + SUPPORTED))
    args = (n,) if m_ is None else (n, m_)
    return Call(lambda m: m.eye(*args, dtype=dtype_of(m, dtype)), f"eye(*{args}, dtype={dtype})")


@case
def random(draw):
    # values can't match torch's: the dtype, shape and requires_grad do, and for randint the
    # range (checked on gradix's values), or the error where the range doesn't fit the dtype
    name = draw(st.sampled_from(["rand", "randn", "randint"]))
    shape = draw(SIZES)
    dtype = draw(st.sampled_from([None] * 3 + SUPPORTED))
    if name != "randint":
        grad = draw(RARELY)
        if not math.prod(shape):
            shape = (3,)  # torch checks the dtype only where it draws a value
        args, size = _size_args(draw, shape)

        def make(m):
            t = getattr(m, name)(*args, dtype=dtype_of(m, dtype), requires_grad=grad, **size)
            if m is gradix and name == "rand" and t.numel():
                assert 0 <= t.detach().numpy().min() and t.detach().numpy().max() < 1
            return tuple(t.shape), t.dtype, t.requires_grad
        return Call(make, f"{name}(*{args}, **{size}, dtype={dtype}, requires_grad={grad})")
    low = draw(st.sampled_from([0, -3, 5, -200, 100]))
    high = low + draw(mostly(st.sampled_from([1, 2, 10, 300]), 0, -1))

    def make(m):
        t = m.randint(low, high, shape, dtype=dtype_of(m, dtype))
        if m is gradix:  # the values lie in [low, high)
            values = t.numpy().astype(np.float64)
            assert ((low <= values) & (values < high)).all(), (low, high, values)
        return tuple(t.shape), t.dtype, t.requires_grad
    return Call(make, f"randint({low}, {high}, {shape}, dtype={dtype})")


# ---------------------------------------------------------------------- conversion
METHODS = {"float": "float32", "double": "float64", "long": "int64", "int": "int32",
           "bool": "bool"}


@case
def convert(draw):
    # x.to(dtype), x.float(), ... from every dtype to every dtype: floats truncate toward zero
    # into integers (in range: beyond it C leaves the value undefined), integers wrap into
    # narrower ones, NaN and inf go into floats and bools; requires_grad survives a float to
    # float conversion only; a conversion to x's own dtype returns x itself
    src = draw(DTYPES)
    how = draw(st.sampled_from(["to"] * 4 + list(METHODS) + ["to_tensor", "type"]))
    dst = METHODS.get(how) or draw(DTYPES)
    shape = draw(shapes(0, 3))
    rng = np.random.default_rng(draw(SEEDS))
    a = array_values(rng, shape, src, special=dst not in INTEGER)
    if src.startswith("float") and dst in INTEGER:
        info = np.iinfo(dst)
        a = (rng.uniform(max(info.min, -1000), min(info.max, 1000), shape)).astype(src)
        a = np.where(np.abs(a) < 10, rng.uniform(-2, 2, shape), a).astype(src)
        if dst == "uint8":
            a = np.abs(a)
    grad = src.startswith("float") and draw(st.booleans())

    def make(m):
        x = m.tensor(a, requires_grad=grad)
        if how == "to":
            y = x.to(getattr(m, dst))
        elif how == "to_tensor":
            y = x.to(m.zeros(1, dtype=getattr(m, dst)))
        elif how == "type":
            y = x.type(getattr(m, dst))
        else:
            y = getattr(x, how)()
        return y, (y is x)
    return Call(make, f"tensor({a!r}, requires_grad={grad}).{how} -> {dst}")


@case
def to_python(draw):
    # item(), tolist(), int(), float(), bool(), complex(), len(), numpy(), and the shape
    # queries size(dim), numel(), ndim, dim()
    dtype = draw(DTYPES)
    shape = draw(st.sampled_from([(), (1,), (1, 1), (1, 1, 1)]) | shapes(0, 3))
    rng = np.random.default_rng(draw(SEEDS))
    a = array_values(rng, shape, dtype, special=True)
    what = draw(st.sampled_from(["item", "tolist", "int", "float", "bool", "complex", "len",
                                 "numpy", "size", "numel", "ndim", "dim", "shape", "index"]))
    grad = dtype.startswith("float") and draw(RARELY)
    dim = draw(dims(len(shape)))
    nograd = draw(st.booleans())

    def make(m):
        x = m.tensor(a, requires_grad=grad)
        if what == "size":
            return x.size(dim), x.size(dim=dim), x.size()
        if what == "numpy":
            if nograd:
                with m.no_grad():
                    return x.numpy()
            return x.numpy()
        if what in ("ndim", "shape"):
            return getattr(x, what)
        if what in ("item", "tolist", "numel", "dim"):
            return getattr(x, what)()
        if what == "index":
            return operator.index(x)
        return {"int": int, "float": float, "bool": bool, "complex": complex, "len": len}[what](x)
    return Call(make, f"{what} of tensor({a!r}, requires_grad={grad}) (dim {dim}, "
                      f"no_grad {nograd})")


# ---------------------------------------------------------------------- operators
BINARY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "==": operator.eq,
          "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
          ">=": operator.ge, "&": operator.and_, "|": operator.or_, "^": operator.xor}
# no float16 (torch rounds its arithmetic differently), and no NumPy bool scalar among the
# numbers (torch takes np.True_ for a float)
OPERAND_DTYPES = st.sampled_from(["float64", "float64", "float32", "int64", "int32", "bool",
                                  "uint8", "int8"])
SCALARS = st.sampled_from([2, -3, 0, 1, 2.5, -0.5, 0.0, True, False, 40, -1, 300, math.inf,
                           math.nan, -math.inf, np.float64(1.5), np.float32(-2.0),
                           np.int64(-2), np.int32(3), np.int64(0)])


def small_values(rng, shape, dtype):
    """Small integers (zeros and ties among them, so 0 / 0, x // 0 and equal pairs occur),
    now and then with halves, in ``dtype``."""
    a = rng.integers(-3, 4, shape) + (rng.random(shape) < 0.3) * 0.5
    if dtype == "uint8":
        a = np.abs(a)
    return np.asarray(a > 0 if dtype == "bool" else a).astype(dtype)


@case
def with_number_or_array(draw):
    # tensor (op) number / NumPy scalar / NumPy array, either side. torch's own handling of a
    # NumPy array operand is erratic (ndarray + tensor raises, a bool array becomes uint8), so
    # torch gets torch.from_numpy(array), which is how gradix takes one: as a tensor (a 0-d
    # array as a 0-d tensor)
    name = draw(st.sampled_from(sorted(BINARY)))
    shapes_ = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    rng = np.random.default_rng(draw(SEEDS))
    dtype = draw(OPERAND_DTYPES)
    x = small_values(rng, shapes_.input_shapes[0], dtype)
    kind = draw(st.sampled_from(["scalar", "scalar", "array", "0-d array"]))
    if kind == "scalar":
        other = draw(SCALARS)
    else:
        odt = draw(OPERAND_DTYPES)
        other = small_values(rng, () if kind == "0-d array" else shapes_.input_shapes[1], odt)
        if name == "**" and kind == "0-d array" and x.dtype.kind in "biu":
            # torch refuses a negative 0-d NumPy array as an integer exponent, gradix takes
            # it as the 0-d tensor it is (whose negative powers torch takes)
            other = np.abs(other)
    if name == "**" and x.dtype == np.bool_ and np.asarray(other).dtype == np.bool_:
        x = x.astype(np.int64)  # torch has no kernel for bool ** bool
    left = draw(st.booleans())
    # torch marks x // y as requiring grad (its backward then raises), gradix doesn't
    grad = x.dtype.kind == "f" and name != "//" and draw(RARELY)

    def make(m):
        t = m.tensor(x, requires_grad=grad)
        o = _array(m, other) if isinstance(other, np.ndarray) else other
        return BINARY[name](t, o) if left else BINARY[name](o, t)
    side = f"x {name} {other!r}" if left else f"{other!r} {name} x"
    return Call(make, f"{side} with x = tensor({x!r}, requires_grad={grad})")


@case
def unary(draw):
    name = draw(st.sampled_from(["~", "-", "+", "abs", "abs()"]))
    dtype = draw(DTYPES)
    shape = draw(shapes(0, 3))
    a = array_values(np.random.default_rng(draw(SEEDS)), shape, dtype, special=True)
    if dtype == "int8" and a.size:
        a.reshape(-1)[0] = -128  # abs(-128) and -(-128) wrap around in both
    grad = dtype.startswith("float") and draw(RARELY)
    fn = {"~": operator.invert, "-": operator.neg, "+": operator.pos, "abs": abs,
          "abs()": lambda x: x.abs()}[name]
    return Call(lambda m: fn(m.tensor(a, requires_grad=grad)),
                f"{name} tensor({a!r}, requires_grad={grad})")


# ---------------------------------------------------------------------- augmented assignment
IN_PLACE = {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul,
            "/=": operator.itruediv, "//=": operator.ifloordiv, "%=": operator.imod,
            "**=": operator.ipow, "&=": operator.iand, "|=": operator.ior,
            "^=": operator.ixor}


@case
def augmented(draw):
    # x op= y changes x itself (the same object, its dtype kept); torch refuses a result that
    # can't be cast back (a float into an integer tensor, an integer into a bool one),
    # integers wrap into narrower or unsigned ones, and x's shape can't grow
    name = draw(st.sampled_from(sorted(IN_PLACE)))
    shapes_ = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    rng = np.random.default_rng(draw(SEEDS))
    x = small_values(rng, shapes_.input_shapes[0], draw(OPERAND_DTYPES))
    kind = draw(st.sampled_from(["scalar", "tensor", "tensor", "0-d tensor", "array"]))
    if kind == "scalar":
        other = draw(SCALARS)
    else:
        shape = () if kind == "0-d tensor" else shapes_.input_shapes[1]
        other = small_values(rng, shape, draw(OPERAND_DTYPES))
    if name == "**=" and x.dtype == np.bool_ and np.asarray(other).dtype == np.bool_:
        x = x.astype(np.int64)  # torch has no kernel for bool ** bool
    grad = x.dtype.kind == "f" and draw(RARELY)  # refused in grad mode

    def make(m):
        t = m.tensor(x, requires_grad=grad)
        before = t
        if kind == "array":
            o = _array(m, other)
        else:
            o = other if kind == "scalar" else m.tensor(other)
        t = IN_PLACE[name](t, o)
        assert t is before, "not in place"
        return t
    return Call(make, f"x {name} {kind} {other!r} with x = tensor({x!r}, requires_grad={grad})")


@settings(max_examples=100, deadline=None, derandomize=True)
@given(data=st.data())
@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name, data):
    compare(data.draw(CASES[name], label=name))


# ---------------------------------------------------------------------- regressions
FIXED = [  # (call, the pattern of gradix's error where both raise) for bugs these tests found
    # Python ints beyond int64 wrapped around, and numbers out of an integer dtype's range
    # (or NaN, inf) were cast silently: torch refuses them
    (lambda m: m.tensor(2 ** 63), r"^tensor: 9223372036854775808 doesn't fit in gradix\.int64"),
    (lambda m: m.tensor([True, 2 ** 63]), "doesn't fit in gradix.int64"),
    (lambda m: m.tensor([1, -2 ** 63 - 1]), "doesn't fit in gradix.int64"),
    (lambda m: m.tensor([2 ** 64], dtype=m.float64), None),
    (lambda m: m.tensor([1, 300], dtype=m.uint8), r"^tensor: 300 doesn't fit in gradix\.uint8"),
    (lambda m: m.tensor([-1, 255], dtype=m.uint8), None),  # -1 wraps to 255, as in torch
    (lambda m: m.tensor([[0.5], [math.nan]], dtype=m.int64), "tensor: nan doesn't fit"),
    (lambda m: m.tensor(-math.inf, dtype=m.int32), "tensor: -inf doesn't fit"),
    (lambda m: m.tensor(127.9, dtype=m.int8), "tensor: 127.9 doesn't fit in gradix.int8"),
    (lambda m: m.tensor(np.int16(702), dtype=m.uint8), "tensor: 702 doesn't fit"),
    (lambda m: m.full((2,), math.nan, dtype=m.int64), "full: nan doesn't fit"),
    (lambda m: m.full((2,), -1, dtype=m.uint8), None),
    (lambda m: m.full_like(m.zeros(2, dtype=m.int8), 200), "full_like: 200 doesn't fit"),
    # randint gave values outside [low, high) when the range didn't fit the dtype
    (lambda m: m.randint(-5, 5, (3,), dtype=m.uint8), r"randint: the range \[-5, 5\)"),
    (lambda m: m.randint(0, 3, (3,), dtype=m.bool), "doesn't fit in gradix.bool"),
    # linspace with an integer dtype truncates start and end first
    (lambda m: m.linspace(-1, -2.5, 4, dtype=m.int64), None),
    # an error of NumPy's ("tuple index out of range")
    (lambda m: m.tensor(1.0).size(-1),
     "size: dimension specified as -1 but the tensor has no dimensions"),
    # a negative NumPy integer exponent of an integer tensor gave zeros, and one beyond the
    # tensor's dtype was taken
    (lambda m: m.tensor([2, 3]) ** np.int64(-2), "pow: .*negative integer power"),
    (lambda m: m.tensor([2, 3], dtype=m.int8) ** 128, "pow: 128 doesn't fit in gradix.int8"),
    (lambda m: m.tensor([2, 3], dtype=m.uint8) ** 255, None),
    # bool % bool gave int8
    (lambda m: m.tensor([True, False]) % m.tensor([True, True]),
     "remainder: not supported for gradix.bool"),
    (lambda m: m.fmod(m.tensor([True]), True), "fmod: not supported for gradix.bool"),
    # a bool NumPy array was subtracted
    (lambda m: m.ones(2) - _array(m, np.array([True, False])), "sub: bool operands"),
]


def _in_place(op, x, y):
    """``op(tensor(x), y)`` (y a number or a NumPy array), which must give the tensor back."""
    def call(m):
        t = m.tensor(x)
        before = t
        t = op(t, _array(m, y) if isinstance(y, np.ndarray) else y)
        assert t is before
        return t
    return call


FIXED += [
    # NumPy's casting rules refused these, torch wraps the integers around
    (_in_place(operator.iadd, np.array([5, 200], np.uint8), -3), None),
    (_in_place(operator.imul, np.array([5, 200], np.uint8), np.array([3, -1])), None),
    (_in_place(operator.isub, np.array([5, -7], np.int8), np.array(300)), None),
    # ... and refuse these with their own message
    (_in_place(operator.iadd, np.array([1, 2]), 1.5),
     r"^add_: the result is gradix\.float32, which can't be written into a gradix\.int64"),
    (_in_place(operator.itruediv, np.array([1, 2]), 2), "div_: the result"),
    (_in_place(operator.imul, np.array([True]), 2), "mul_: the result"),
    # -= took a bool operand
    (_in_place(operator.isub, np.array([1.5]), True), "sub: bool operands"),
    (_in_place(operator.isub, np.array([1.5]), np.array([True])), "sub: bool operands"),
    # **=, //=, %=, &=, |=, ^= made a new tensor, of another dtype where the result's differs
    (_in_place(operator.ipow, np.array([1.5, 2.0]), 2), None),
    (_in_place(operator.ifloordiv, np.array([7, -7]), 2), None),
    (_in_place(operator.imod, np.array([7.5, -7.5]), 2), None),
    (_in_place(operator.iand, np.array([6, 7], np.int32), np.array([3, 5])), None),
    (_in_place(operator.ior, np.array([6, 7], np.uint8), np.array([3, 5])), None),
    (_in_place(operator.ixor, np.array([True, False]), np.array([True, True])), None),
    (_in_place(operator.iand, np.array([True, False]), 1), "bitwise_and_: .* gradix.int64"),
    (_in_place(operator.ifloordiv, np.array([7, -7]), 2.5), "floor_divide_: .* gradix.float32"),
    # an in-place op grew x's shape by leading 1s
    (_in_place(operator.imod, np.array(7), np.array([2])), "remainder_: could not broadcast"),
    (lambda m: m.ones(3).atan2_(m.ones(1, 3)), "atan2_: could not broadcast"),
]


@pytest.mark.parametrize("call, error", FIXED)
def test_fixed_bugs(call, error):
    compare(Call(call, ""))
    if error is not None:
        with pytest.raises(Exception, match=error):
            call(gradix)
