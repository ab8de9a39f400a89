"""Elementwise cases checked against PyTorch beyond the op table: casts that end the graph,
maximum/minimum gradients at NaN and at ties, comparisons with None, lists and tuples,
arithmetic refusing list and tuple operands, bool and integer dtypes (sign, square, pow, uint8
with negative Python ints, the ops torch has no bool kernel for), round's decimals, div's
rounding modes and fmod."""
import numpy as np
import pytest

import gradix

CASTS = {
    "long()": lambda m, x: x.long(), "int()": lambda m, x: x.int(),
    "bool()": lambda m, x: x.bool(), "to(int64)": lambda m, x: x.to(m.int64),
    "to(uint8)": lambda m, x: x.to(m.uint8), "type(int16)": lambda m, x: x.type(m.int16),
    "to(dtype=int8)": lambda m, x: x.to(dtype=m.int8),
}


@pytest.mark.parametrize("name", sorted(CASTS))
def test_casting_to_an_integer_or_bool_dtype_ends_the_graph(torch, name):
    cast = CASTS[name]
    a = [1.5, -2.0, 3.0]
    g = cast(gradix, gradix.tensor(a, requires_grad=True))
    t = cast(torch, torch.tensor(a, requires_grad=True))
    assert g.dtype.name == str(t.dtype).replace("torch.", "")
    np.testing.assert_array_equal(g.numpy(), t.numpy())
    assert g.requires_grad is t.requires_grad is False
    assert g.grad_fn is None and t.grad_fn is None
    for lib, y in ((torch, t), (gradix, g)):
        with pytest.raises(RuntimeError, match="does not require grad"):
            (y.float() * 3).sum().backward()


@pytest.mark.parametrize("name", ["double()", "half()->float()", "to(float64)"])
def test_floating_casts_stay_differentiable(torch, name):
    cast = {"double()": lambda m, x: x.double(),
            "half()->float()": lambda m, x: x.to(m.float16).float(),
            "to(float64)": lambda m, x: x.to(m.float64)}[name]
    g = gradix.tensor([1.5, -2.0, 3.0], requires_grad=True)
    t = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
    (cast(gradix, g) * gradix.tensor([1.0, 2.0, 3.0])).sum().backward()
    (cast(torch, t) * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert g.grad.dtype == gradix.float32 and t.grad.dtype == torch.float32
    np.testing.assert_array_equal(g.grad.numpy(), t.grad.numpy())


NAN = np.nan
PAIRS = {  # a NaN on one side, on both, beside a tie, and broadcast against a scalar
    "nan-left": ([1.0, NAN, 3.0, NAN, 2.0], [2.0, 2.0, 2.0, 2.0, 2.0]),
    "nan-right": ([2.0, 2.0, 2.0, 1.0], [1.0, NAN, 3.0, NAN]),
    "nan-both": ([NAN, NAN, 1.0], [NAN, 0.0, NAN]),
    "ties": ([1.0, 2.0, 3.0], [1.0, 5.0, 3.0]),
    "broadcast": ([[1.0, NAN, 3.0], [2.0, 2.0, -1.0]], [2.0]),
}


@pytest.mark.parametrize("op", ["maximum", "minimum"])
@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_maximum_minimum_gradients_at_nan_and_ties_match_torch(torch, op, pair):
    a, b = PAIRS[pair]
    ga, gb = (gradix.tensor(v, dtype=gradix.float64, requires_grad=True) for v in (a, b))
    ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
    gy, ty = getattr(gradix, op)(ga, gb), getattr(torch, op)(ta, tb)
    np.testing.assert_array_equal(gy.detach().numpy(), ty.detach().numpy())
    up = np.arange(1.0, 1.0 + ty.numel()).reshape(tuple(ty.shape))
    gy.backward(gradix.tensor(up))
    ty.backward(torch.tensor(up))
    np.testing.assert_array_equal(ga.grad.numpy(), ta.grad.numpy())
    np.testing.assert_array_equal(gb.grad.numpy(), tb.grad.numpy())


def assert_same(g, t):
    """gradix tensor ``g`` equals torch tensor ``t``: dtype, shape, values, NaNs, signed zeros."""
    assert g.dtype.name == str(t.dtype).replace("torch.", ""), (g.dtype, t.dtype)
    assert tuple(g.shape) == tuple(t.shape)
    ours, expected = g.detach().numpy(), t.detach().numpy()
    np.testing.assert_array_equal(ours, expected)
    if expected.dtype.kind == "f":  # -0.0 vs 0.0 (a NaN's sign bit carries no meaning)
        number = ~np.isnan(expected)
        np.testing.assert_array_equal(np.signbit(ours[number]), np.signbit(expected[number]))


def _both(torch, fn, *arrays, requires_grad=False):
    """fn(m, *tensors) in gradix and in torch, on the same arrays: (gradix result, inputs),
    (torch result, inputs)."""
    out = []
    for m in (gradix, torch):
        xs = [m.tensor(a, requires_grad=requires_grad) for a in arrays]
        out.append((fn(m, *xs), xs))
    return out


@pytest.mark.parametrize("expr", ["x == None", "x != None", "None == x", "None != x",
                                  "x == 'a'", "x != object()"])
def test_eq_ne_with_a_non_tensor_operand_give_python_bools(torch, expr):
    results = [eval(expr, {"x": m.tensor([1.0, 2.0])}) for m in (gradix, torch)]
    assert results[0] is results[1] and isinstance(results[0], bool)


@pytest.mark.parametrize("expr", ["x == [1, 2]", "x != [1, 2]", "x == (1, 2)", "x != (1, 2)",
                                  "[1, 2] == x", "(1, 2) != x", "x == []", "x != [[1, 2]]"])
def test_eq_ne_with_a_list_or_tuple_give_python_bools(torch, expr):
    # torch doesn't compare a tensor with a list or tuple: Python falls back to identity
    results = [eval(expr, {"x": m.tensor([1, 2])}) for m in (gradix, torch)]
    assert results[0] is results[1] and isinstance(results[0], bool)


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
@pytest.mark.parametrize("other", ["[1, 2]", "(1, 2)"])
def test_ordering_with_a_list_or_tuple_raises_type_error_like_torch(torch, op, other):
    for expr in (f"x {op} {other}", f"{other} {op} x"):
        messages = []
        for m in (gradix, torch):
            with pytest.raises(TypeError, match="not supported between instances") as info:
                eval(expr, {"x": m.tensor([1, 2])})
            messages.append(str(info.value))
        assert messages[0] == messages[1]


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^"])
@pytest.mark.parametrize("other", ["[1, 2]", "(1, 2)"])
def test_arithmetic_with_a_list_or_tuple_raises_type_error_like_torch(torch, op, other):
    for code in (f"x {op} {other}", f"{other} {op} x", f"x {op}= {other}"):
        with pytest.raises(TypeError):
            exec(code, {"x": torch.tensor([1, 2])})  # noqa: S102
        with pytest.raises(TypeError, match=r"unsupported operand of type (list|tuple)"):
            exec(code, {"x": gradix.tensor([1, 2])})  # noqa: S102


@pytest.mark.parametrize("call", [
    "m.add(x, [1, 2])", "m.mul([1, 2], x)", "x.sub((1, 2))", "x.div([1, 2])", "x.pow([1, 2])",
    "m.maximum(x, [1, 2])", "m.where(x > 1, x, [1, 2])", "x.add_([1, 2])", "x.mul_((1, 2))",
])
def test_functions_with_a_list_or_tuple_operand_raise_type_error_like_torch(torch, call):
    with pytest.raises(TypeError):
        eval(call, {"m": torch, "x": torch.tensor([1.0, 2.0])})
    with pytest.raises(TypeError, match=r"^\w+: unsupported operand of type (list|tuple)"):
        eval(call, {"m": gradix, "x": gradix.tensor([1.0, 2.0])})


NO_BOOL_KERNEL = {  # torch: NotImplementedError, "abs_cpu" not implemented for 'Bool'
    "abs": lambda m, x: x.abs(), "abs_fn": lambda m, x: m.abs(x), "abs()": lambda m, x: abs(x),
    "floor": lambda m, x: x.floor(), "floor_fn": lambda m, x: m.floor(x),
    "ceil": lambda m, x: x.ceil(), "ceil_fn": lambda m, x: m.ceil(x),
    "round": lambda m, x: x.round(), "round_fn": lambda m, x: m.round(x),
    "round_decimals": lambda m, x: x.round(decimals=1),
}


@pytest.mark.parametrize("name", sorted(NO_BOOL_KERNEL))
def test_abs_floor_ceil_round_of_a_bool_tensor_raise_like_torch(torch, name):
    call = NO_BOOL_KERNEL[name]
    with pytest.raises(NotImplementedError, match="not implemented for 'Bool'"):
        call(torch, torch.tensor([True, False]))
    op = name.split("_")[0].rstrip("()")
    with pytest.raises(NotImplementedError, match=rf"^{op}: not implemented for gradix\.bool "):
        call(gradix, gradix.tensor([True, False]))


def test_ordering_and_eq_function_with_none_raise_type_error(torch):
    for m in (gradix, torch):
        x = m.tensor([1.0, 2.0])
        with pytest.raises(TypeError):
            x < None  # noqa: B015
        with pytest.raises(TypeError):
            m.eq(x, None)


BOOLS = {
    "sign": lambda m, x: x.sign(), "sign_fn": lambda m, x: m.sign(x),
    "square": lambda m, x: x.square(), "pow_true": lambda m, x: x ** True,
    "pow_false": lambda m, x: x ** False, "pow_2": lambda m, x: x ** 2,
    "pow_2.0": lambda m, x: x ** 2.0, "rpow_2": lambda m, x: 2 ** x,
}


@pytest.mark.parametrize("name", sorted(BOOLS))
def test_bool_tensor_dtypes_match_torch(torch, name):
    (g, _), (t, _) = _both(torch, BOOLS[name], np.array([[True, False], [False, True]]))
    assert_same(g, t)


def test_square_keeps_integer_dtypes(torch):
    for dtype in ("uint8", "int8", "int32", "int64"):
        (g, _), (t, _) = _both(torch, lambda m, x: m.square(x), np.array([1, 2, 11], dtype))
        assert_same(g, t)


ROUND_VALUES = [0.5, 1.5, 2.5, -0.5, -2.5, 0.125, -0.125, 1.25, 2.675, 1.005, 1234.5678,
                -9876.54321, 0.0, -0.0, 3e-7, 65504.0, 1e30, -3e38, np.inf, -np.inf, np.nan]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 6, -1, -2, -5, 40])
def test_round_decimals_matches_torch_bit_for_bit(torch, dtype, decimals):
    with np.errstate(over="ignore"):
        a = np.array(ROUND_VALUES, dtype)
    (g, _), (t, _) = _both(torch, lambda m, x: m.round(x, decimals=decimals), a)
    assert_same(g, t)
    (g, _), (t, _) = _both(torch, lambda m, x: x.round(decimals=decimals), a)
    assert_same(g, t)


def test_round_decimals_gradient_is_zero_like_torch(torch):
    a = np.array([1.234, -2.5, 0.05])
    (g, gx), (t, tx) = _both(torch, lambda m, x: x.round(decimals=1) * x, a, requires_grad=True)
    g.sum().backward()
    t.sum().backward()
    np.testing.assert_allclose(gx[0].grad.numpy(), tx[0].grad.numpy(), rtol=1e-15)


def test_round_of_an_integer_tensor():
    x = gradix.tensor([15, -25])
    assert x.round().dtype == gradix.int64
    with pytest.raises(TypeError, match="round: decimals=1 needs a floating tensor"):
        x.round(decimals=1)


A7 = np.array([[7, -7, 7, -7, 0, 9], [5, -5, 6, -6, 1, -1]])
B7 = np.array([2, 2, -2, -2, 3, -4])
DIVISIONS = {  # (a, b): integer, floating, mixed, broadcast, Python scalars on either side
    "int": (A7, B7), "float": (A7 * 1.5, B7 * 0.5), "int8": (A7.astype(np.int8), B7[:1]),
    "uint8": (np.abs(A7).astype(np.uint8), np.uint8(3)), "int_float": (A7, B7 * 0.75),
    "int_scalar": (A7, 4), "int_neg_scalar": (A7, -3), "float_scalar": (A7 * 0.7, 2.5),
    "scalar_int": (7, B7), "float32_col": (np.float32(A7 * 1.25), np.float32([[2.0], [-0.5]])),
    "specials": (np.array([np.inf, -5.0, 5.0, 1.0, -1.0, 0.0, -0.0, 5.0]),
                 np.array([2.0, np.inf, np.inf, -np.inf, -2.0, 3.0, 3.0, -0.0])),
}


def _operands(m, a, b):
    return tuple(m.tensor(v) if isinstance(v, np.ndarray) else v for v in (a, b))


@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
@pytest.mark.parametrize("case", sorted(DIVISIONS))
def test_div_rounding_modes_match_torch(torch, case, mode):
    a, b = DIVISIONS[case]
    with np.errstate(divide="ignore", invalid="ignore"):
        g = gradix.div(*_operands(gradix, a, b), rounding_mode=mode)
        t = torch.div(*_operands(torch, a, b), rounding_mode=mode)
        assert_same(g, t)
        if isinstance(a, np.ndarray):
            x, y = _operands(gradix, a, b)
            assert_same(x.div(y, rounding_mode=mode), t)


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_div_rounding_mode_gradients_are_zero_like_torch(torch, mode):
    a, b = np.array([[3.7, -3.7, 5.0], [0.3, -8.2, 1.1]]), np.array([1.5, -2.0, 0.4])
    grads = []
    for m in (gradix, torch):
        x, y = m.tensor(a, requires_grad=True), m.tensor(b, requires_grad=True)
        out = m.div(x, y, rounding_mode=mode)
        assert out.requires_grad
        (out * x).sum().backward()
        grads.append((x.grad.numpy(), y.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_array_equal(ours, theirs)


def test_div_errors():
    with pytest.raises(ValueError, match="div: rounding_mode must be None, 'trunc' or 'floor'"):
        gradix.div(gradix.tensor([1.0]), 2.0, rounding_mode="round")
    b = gradix.tensor([True, False])
    with pytest.raises(TypeError, match="div: rounding down .* got gradix.bool"):
        gradix.div(b, True, rounding_mode="trunc")  # torch: not implemented for bool either


@pytest.mark.parametrize("fn", ["div_trunc", "div_floor", "fmod", "remainder", "floordiv"])
def test_integer_division_by_zero_raises_like_torch(torch, fn):
    call = {"div_trunc": lambda m, a, b: m.div(a, b, rounding_mode="trunc"),
            "div_floor": lambda m, a, b: m.div(a, b, rounding_mode="floor"),
            "fmod": lambda m, a, b: m.fmod(a, b), "remainder": lambda m, a, b: a % b,
            "floordiv": lambda m, a, b: a // b}[fn]
    for m in (gradix, torch):
        with pytest.raises(RuntimeError, match="ZeroDivisionError|division by zero"):
            call(m, m.tensor([3, 4]), m.tensor([1, 0]))


@pytest.mark.parametrize("case", sorted(set(DIVISIONS) - {"scalar_int"}))  # torch: tensor first
def test_fmod_matches_torch(torch, case):
    a, b = DIVISIONS[case]
    if np.asarray(b).dtype.kind != "f" and not np.all(b):
        pytest.skip("integer division by zero")
    with np.errstate(invalid="ignore"):
        assert_same(gradix.fmod(*_operands(gradix, a, b)), torch.fmod(*_operands(torch, a, b)))
        x, y = _operands(gradix, a, b)
        assert_same(x.fmod(y), torch.fmod(*_operands(torch, a, b)))


def test_fmod_gradients_match_torch(torch):
    a, b = np.array([[3.7, -3.7, 5.0], [0.3, -8.2, 1.1]]), np.array([1.5, -2.0, 0.4])
    up = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]])
    (g, gx), (t, tx) = _both(torch, lambda m, x, y: m.fmod(x, y), a, b, requires_grad=True)
    assert_same(g, t)
    g.backward(gradix.tensor(up))
    t.backward(torch.tensor(up))
    for ours, theirs in zip(gx, tx):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-15)


U8 = np.array([0, 5, 200, 255], np.uint8)
NEGATIVE_INTS = {  # a uint8 tensor with Python ints outside 0..255 wraps around, like torch
    "add": lambda m, x: x + -1, "radd": lambda m, x: -1 + x, "sub": lambda m, x: x - 300,
    "rsub": lambda m, x: -1 - x, "mul": lambda m, x: x * -1, "mod": lambda m, x: x % -3,
    "floordiv": lambda m, x: x // -2, "add_256": lambda m, x: x + 256,
    "eq": lambda m, x: x == -1, "ne": lambda m, x: x != -1, "lt": lambda m, x: x < -1,
    "ge": lambda m, x: x >= -1, "eq_256": lambda m, x: x == 256, "lt_1000": lambda m, x: x < 1000,
    "int8_add": lambda m, x: x.to(m.int8) + 200, "int8_lt": lambda m, x: x.to(m.int8) < 200,
    "where": lambda m, x: m.where(x > 0, x, -1), "div": lambda m, x: x / -2,
    "eq_float": lambda m, x: x == -1.0,
}


@pytest.mark.parametrize("name", sorted(NEGATIVE_INTS))
def test_small_integer_dtypes_with_out_of_range_python_ints_match_torch(torch, name):
    (g, _), (t, _) = _both(torch, NEGATIVE_INTS[name], U8)
    assert_same(g, t)


INT_POWERS = {
    "tensor_tensor": (np.array([2, -1, 1, 0, -2, 3, -1, 5]),
                      np.array([-1, -3, -5, -1, -2, -1, -2, 2])),
    "scalar_base": (2, np.array([-1, 2, 0])), "negative_scalar_base": (-1, np.array([-1, -2, 3])),
    "0d_exponent": (np.array([2, 1, -1]), np.array(-3)),
    "int8": (np.array([2, -1, 1], np.int8), np.array([-1, -3, -2], np.int8)),
}


@pytest.mark.parametrize("case", sorted(INT_POWERS))
def test_integer_pow_with_negative_tensor_exponents_matches_torch(torch, case):
    a, b = INT_POWERS[case]
    assert_same(gradix.pow(*_operands(gradix, a, b)), torch.pow(*_operands(torch, a, b)))
    x, y = _operands(gradix, a, b)
    assert_same(x ** y, torch.pow(*_operands(torch, a, b)))


@pytest.mark.parametrize("dtype", ["int64", "int8", "bool"])
def test_integer_tensor_to_a_negative_python_int_raises_like_torch(torch, dtype):
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        torch.tensor([2, 3]).to(getattr(torch, dtype)) ** -1
    x = gradix.tensor([2, 3]).to(getattr(gradix, dtype))
    with pytest.raises(RuntimeError, match=r"pow: a gradix\.\w+ tensor can't be raised to a "
                                           r"negative integer power \(-2\)"):
        x ** -2
    with pytest.raises(RuntimeError, match="pow:"):
        gradix.pow(x, -1)


@pytest.mark.parametrize("call", [
    lambda m: m.tensor([1.5]) - m.tensor([True]),
    lambda m: m.tensor([True]) - m.tensor([2]),
    lambda m: m.tensor([1.5]) - True,
    lambda m: True - m.tensor([1.5]),
    lambda m: m.sub(m.tensor([True, False]), m.tensor([True, True])),
])
def test_subtraction_with_a_bool_operand_raises_like_torch(torch, call):
    with pytest.raises(RuntimeError, match="Subtraction"):
        call(torch)
    with pytest.raises(TypeError, match="sub: "):
        call(gradix)
