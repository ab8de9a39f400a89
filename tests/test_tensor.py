"""Tensor creation, dtypes and promotion, attributes and conversion, and error messages."""
import itertools

import numpy as np
import pytest

import gradix

# ---------------------------------------------------------------------- creation from data


@pytest.mark.parametrize("data, dtype, shape", [
    (1.5, gradix.float32, ()),
    (3, gradix.int64, ()),
    (True, gradix.bool, ()),
    ([1.0, 2.0], gradix.float32, (2,)),
    ([[1, 2], [3, 4]], gradix.int64, (2, 2)),
    ([1, 2.5], gradix.float32, (2,)),
    ([True, False], gradix.bool, (2,)),
    ([], gradix.float32, (0,)),
    (np.array([1, 2], np.int32), gradix.int32, (2,)),
    (np.array([1.0], np.float64), gradix.float64, (1,)),
    (np.array([[1]], np.uint8), gradix.uint8, (1, 1)),
    (np.float64(2.0), gradix.float64, ()),
    (np.int32(2), gradix.int32, ()),
])
def test_tensor_dtype_inference(data, dtype, shape):
    t = gradix.tensor(data)
    assert t.dtype == dtype and t.shape == shape
    np.testing.assert_array_equal(t.numpy(), np.asarray(data))


def test_tensor_explicit_dtype_and_copy():
    a = np.array([1.0, 2.0])
    t = gradix.tensor(a, dtype=gradix.float32)
    assert t.dtype == gradix.float32
    t2 = gradix.tensor(a)
    a[0] = 9.0
    assert t2.numpy()[0] == 1.0  # tensor() copies
    assert gradix.from_numpy(a).numpy()[0] == 9.0  # from_numpy shares
    assert gradix.tensor(t2) is not t2 and gradix.tensor(t2).tolist() == [1.0, 2.0]


def test_tensor_dtype_inference_matches_torch():
    torch = pytest.importorskip("torch")
    for data in [1.5, 3, True, [1.0, 2.0], [[1, 2]], [1, 2.5], [True, False],
                 np.array([1, 2], np.int32), np.array([1.0], np.float64), np.float64(2.0)]:
        assert gradix.tensor(data).dtype.name == str(torch.tensor(data).dtype)[6:], data


@pytest.mark.parametrize("data", [["a", "b"], None, {"a": 1}])
def test_tensor_from_bad_data_raises(data):
    with pytest.raises(TypeError, match="tensor"):
        gradix.tensor(data)


def test_tensor_requires_grad_flag():
    t = gradix.tensor([1.0], requires_grad=True)
    assert t.requires_grad and t.is_leaf and t.grad is None
    with pytest.raises(RuntimeError, match="floating point"):
        gradix.tensor([1], requires_grad=True)


# ---------------------------------------------------------------------- creation functions
@pytest.mark.parametrize("fn, np_fn", [(gradix.zeros, np.zeros), (gradix.ones, np.ones)])
def test_zeros_ones(fn, np_fn):
    for args in [(2, 3), ((2, 3),), ([4],), ()]:
        t = fn(*args)
        assert t.dtype == gradix.float32
        np.testing.assert_array_equal(t.numpy(), np_fn(args[0] if len(args) == 1 else args))
    assert fn(2, dtype=gradix.int64).dtype == gradix.int64
    assert fn(2, requires_grad=True).requires_grad


def test_full_empty_eye():
    np.testing.assert_array_equal(gradix.full((2, 3), 1.5).numpy(), np.full((2, 3), 1.5))
    assert gradix.full((2,), 1.5).dtype == gradix.float32
    assert gradix.full((2,), 7).dtype == gradix.int64
    assert gradix.full((2,), True).dtype == gradix.bool
    assert gradix.full((2,), 7, dtype=gradix.float64).dtype == gradix.float64
    e = gradix.empty(2, 3)
    assert e.shape == (2, 3) and e.dtype == gradix.float32
    np.testing.assert_array_equal(gradix.eye(3).numpy(), np.eye(3))
    np.testing.assert_array_equal(gradix.eye(2, 3).numpy(), np.eye(2, 3))


@pytest.mark.parametrize("args, kwargs", [((5,), {}), ((1, 7, 2), {}), ((0, 1, 0.25), {}),
                                          ((5, 0, -1), {}), ((0, 1, 0.1), {}),
                                          ((3,), {"dtype": gradix.float64}), ((2.5,), {})])
def test_arange(args, kwargs):
    t = gradix.arange(*args, **kwargs)
    expected = np.arange(*args)
    assert t.shape == expected.shape
    np.testing.assert_allclose(t.numpy(), expected, rtol=1e-6)
    torch = pytest.importorskip("torch")
    assert t.dtype.name == str(torch.arange(*args, **{k: getattr(torch, v.name)
                                                       for k, v in kwargs.items()}).dtype)[6:]


def test_linspace():
    for start, end, steps in [(0, 1, 5), (-2.0, 3.0, 7), (1, 1, 1), (0, 1, 0)]:
        t = gradix.linspace(start, end, steps)
        assert t.dtype == gradix.float32
        np.testing.assert_allclose(t.numpy(), np.linspace(start, end, steps), rtol=1e-6)


def test_like_functions():
    x = gradix.tensor([[1.0, 2.0]], dtype=gradix.float64)
    for fn, value in [(gradix.zeros_like, 0), (gradix.ones_like, 1)]:
        t = fn(x)
        assert t.shape == x.shape and t.dtype == gradix.float64
        np.testing.assert_array_equal(t.numpy(), value)
    f = gradix.full_like(x, 3.5)
    assert f.dtype == gradix.float64 and f.tolist() == [[3.5, 3.5]]
    assert gradix.zeros_like(x, dtype=gradix.int64).dtype == gradix.int64
    assert gradix.ones_like(x, requires_grad=True).requires_grad
    r = gradix.rand_like(x)
    assert r.shape == x.shape and r.dtype == gradix.float64
    assert gradix.randn_like(x).shape == x.shape


def test_random_ranges_and_dtypes():
    gradix.manual_seed(0)
    r = gradix.rand(1000)
    assert r.dtype == gradix.float32 and 0 <= r.numpy().min() and r.numpy().max() < 1
    n = gradix.randn(4000, dtype=gradix.float64)
    assert n.dtype == gradix.float64 and abs(n.numpy().mean()) < 0.1 and \
        abs(n.numpy().std() - 1) < 0.1
    i = gradix.randint(3, 7, (500,))
    assert i.dtype == gradix.int64 and set(i.tolist()) == {3, 4, 5, 6}
    assert set(gradix.randint(2, (50,)).tolist()) <= {0, 1}


def test_manual_seed_reproducibility():
    def draw():
        return (gradix.rand(3).tolist(), gradix.randn(2, 2).tolist(),
                gradix.randint(0, 100, (4,)).tolist(),
                gradix.rand_like(gradix.zeros(2)).tolist())
    gradix.manual_seed(123)
    first = draw()
    gradix.manual_seed(123)
    assert draw() == first
    gradix.manual_seed(124)
    assert draw() != first


# ---------------------------------------------------------------------- dtypes and promotion
def test_dtype_objects():
    assert gradix.float32 == np.float32 and gradix.float64 == np.float64
    assert gradix.int64 == np.int64 and gradix.int32 == np.int32 and gradix.bool == np.bool_
    assert gradix.float is gradix.float32 and gradix.double is gradix.float64
    assert gradix.long is gradix.int64


@pytest.mark.parametrize("a, b, expected", [
    (gradix.ones(2), 2.0, gradix.float32),          # a Python float doesn't upcast float32
    (gradix.ones(2), 2, gradix.float32),
    (gradix.tensor([1, 2]), 2.5, gradix.float32),   # int64 * float scalar -> default float
    (gradix.tensor([1, 2]), 2, gradix.int64),
    (gradix.ones(2), gradix.ones(2, dtype=gradix.float64), gradix.float64),
    (gradix.tensor([True]), gradix.tensor([1]), gradix.int64),
    (gradix.tensor([True]), 1.5, gradix.float32),
    (gradix.tensor([1], dtype=gradix.int32), gradix.tensor(5), gradix.int32),  # 0-d doesn't win
    (gradix.tensor([1], dtype=gradix.int32), gradix.tensor([5]), gradix.int64),
    (gradix.ones(2), gradix.tensor(2.0, dtype=gradix.float64), gradix.float32),
    (gradix.tensor([1, 2]), gradix.tensor(2.0, dtype=gradix.float64), gradix.float64),
])
def test_promotion(a, b, expected):
    assert (a * b).dtype == expected
    assert (b * a).dtype == expected


def test_int_division_gives_float32():
    assert (gradix.tensor([1, 2]) / gradix.tensor([2, 2])).dtype == gradix.float32
    assert (gradix.tensor([3]) / 2).tolist() == [1.5]
    assert (3 / gradix.tensor([2])).dtype == gradix.float32
    assert gradix.tensor([1, 2]).exp().dtype == gradix.float32
    assert gradix.tensor([7]) // 2 == 3


_DTYPES = ["bool", "int32", "int64", "float32", "float64"]
_SCALARS = [True, 3, 2.5]


def test_promotion_matches_torch_result_type():
    torch = pytest.importorskip("torch")

    def pair(name, zero_dim):
        shape = () if zero_dim else (2,)
        return (gradix.ones(shape, dtype=getattr(gradix, name)),
                torch.ones(shape, dtype=getattr(torch, name)))

    for (n1, z1), (n2, z2) in itertools.product(itertools.product(_DTYPES, [False, True]),
                                                repeat=2):
        (g1, t1), (g2, t2) = pair(n1, z1), pair(n2, z2)
        expected = str(torch.result_type(t1, t2))[6:]
        assert gradix.add(g1, g2).dtype.name == expected, (n1, z1, n2, z2)
        assert gradix.mul(g1, g2).dtype.name == expected, (n1, z1, n2, z2)
    for (n, z), s in itertools.product(itertools.product(_DTYPES, [False, True]), _SCALARS):
        g, t = pair(n, z)
        expected = str(torch.result_type(t, s))[6:]
        assert (g * s).dtype.name == expected and (s * g).dtype.name == expected, (n, z, s)


def test_to_float_double_long():
    x = gradix.tensor([1.7, -2.2])
    assert x.to(gradix.float64).dtype == gradix.float64
    assert x.double().dtype == gradix.float64 and x.double().float().dtype == gradix.float32
    assert x.long().tolist() == [1, -2] and x.long().dtype == gradix.int64
    assert x.to("float64").dtype == gradix.float64
    assert x.to(gradix.ones(1, dtype=gradix.float64)).dtype == gradix.float64
    assert x.to(gradix.float32) is x
    assert x.bool().dtype == gradix.bool and x.int().dtype == gradix.int32


def test_to_is_differentiable_between_floats():
    x = gradix.tensor([1.5, 2.0], requires_grad=True)
    (x.double() * gradix.tensor([2.0, 3.0], dtype=gradix.float64)).sum().backward()
    assert x.grad.dtype == gradix.float32
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 3.0])


# ---------------------------------------------------------------------- attributes
def test_attributes():
    x = gradix.zeros(2, 3, 4)
    assert x.shape == (2, 3, 4) and x.ndim == 3 and x.dim() == 3
    assert x.size() == (2, 3, 4) and x.size(1) == 3 and x.size(-1) == 4
    assert x.numel() == 24 and len(x) == 2
    assert gradix.tensor(5.0).numel() == 1


def test_conversions():
    x = gradix.tensor([[1.5, 2.0]])
    a = x.numpy()
    assert isinstance(a, np.ndarray) and a.dtype == np.float32
    assert np.shares_memory(a, x.data)
    assert x.tolist() == [[1.5, 2.0]]
    assert gradix.tensor(2.5).item() == 2.5 and isinstance(gradix.tensor(3).item(), int)
    assert gradix.tensor([[4.0]]).item() == 4.0
    assert np.asarray(x).dtype == np.float32
    assert np.array(x, dtype=np.float64).dtype == np.float64
    assert float(gradix.tensor(1.5)) == 1.5 and int(gradix.tensor(3)) == 3
    assert list(range(10))[gradix.tensor(3)] == 3


def test_repr_shows_values_and_requires_grad():
    r = repr(gradix.tensor([1.5, -2.0], requires_grad=True))
    assert "1.5" in r and "-2." in r and "requires_grad=True" in r
    r = repr(gradix.tensor([1.0, 2.0], dtype=gradix.float64))
    assert "float64" in r and "requires_grad" not in r
    r = repr(gradix.tensor([1.0], requires_grad=True) * 2)
    assert r.endswith("grad_fn=<MulBackward0>)")
    assert "3" in repr(gradix.tensor(3))


@pytest.mark.parametrize("fn", [lambda x: x * 2, lambda x: x + 1, lambda x: x.sum(),
                                lambda x: x.exp(), lambda x: -x])
def test_grad_fn_name_and_reprs_follow_torch(torch, fn):
    g, t = fn(gradix.ones(2, requires_grad=True)), fn(torch.ones(2, requires_grad=True))
    assert g.grad_fn.name() == t.grad_fn.name()
    assert repr(g.grad_fn) == f"<{t.grad_fn.name()}>"
    assert repr(g).split("grad_fn=")[1] == repr(t).split("grad_fn=")[1]


def test_len_of_0d_raises():
    with pytest.raises(TypeError, match="0-d"):
        len(gradix.tensor(1.0))


# ---------------------------------------------------------------------- error messages
def _raises(exc, fn, *fragments):
    with pytest.raises(exc) as e:
        fn()
    msg = str(e.value)
    for f in fragments:
        assert f in msg, f"{f!r} not in {msg!r}"


def test_broadcast_error_names_op_and_both_shapes():
    a, b = gradix.ones(2, 3), gradix.ones(4)
    _raises(ValueError, lambda: a + b, "add", "(2, 3)", "(4,)")
    _raises(ValueError, lambda: a * b, "mul", "(2, 3)", "(4,)")
    _raises(ValueError, lambda: gradix.maximum(a, b), "maximum", "(2, 3)", "(4,)")
    _raises(ValueError, lambda: gradix.where(gradix.ones(5) > 0, a, 1.0), "where", "(5,)",
            "(2, 3)")
    _raises(ValueError, lambda: a + np.ones(4), "add", "(2, 3)", "(4,)")


def test_matmul_errors_name_shapes():
    _raises(ValueError, lambda: gradix.ones(2, 3) @ gradix.ones(4, 5), "matmul", "(2, 3)",
            "(4, 5)")
    _raises(ValueError, lambda: gradix.ones(3) @ gradix.ones(4), "matmul", "(3,)", "(4,)")
    _raises(ValueError, lambda: gradix.ones(2, 2, 3) @ gradix.ones(3, 3, 2), "matmul",
            "(2, 2, 3)", "(3, 3, 2)")
    _raises(ValueError, lambda: gradix.tensor(2.0) @ gradix.ones(2), "matmul", "()")
    _raises(ValueError, lambda: gradix.outer(gradix.ones(2, 2), gradix.ones(2)), "outer",
            "(2, 2)")
    _raises(ValueError, lambda: gradix.einsum("ij,jk->ik", gradix.ones(2, 3), gradix.ones(4, 5)),
            "einsum", "'j'")


@pytest.mark.parametrize("op, a, b", [
    ("mm", (3,), (3, 4)), ("mm", (2, 3), (3,)), ("mm", (5, 2, 3), (3, 4)),
    ("bmm", (2, 3), (5, 3, 4)), ("bmm", (5, 2, 3), (3, 4)), ("bmm", (1, 2, 3), (5, 3, 4)),
])
def test_mm_and_bmm_refuse_what_matmul_would_broadcast_like_torch(torch, op, a, b):
    with pytest.raises(RuntimeError):
        getattr(torch, op)(torch.zeros(a), torch.zeros(b))
    with pytest.raises(ValueError, match=rf"^{op}: "):
        getattr(gradix, op)(gradix.zeros(a), gradix.zeros(b))


def test_reshape_errors():
    x = gradix.ones(2, 3)
    _raises(ValueError, lambda: x.reshape(4, 2), "reshape", "(4, 2)", "(2, 3)")
    _raises(ValueError, lambda: x.reshape(-1, 4), "reshape", "(-1, 4)", "(2, 3)")
    _raises(ValueError, lambda: x.reshape(-1, -1), "reshape", "-1")
    _raises(ValueError, lambda: x.view(5), "(5,)", "(2, 3)")
    _raises(ValueError, lambda: x.expand(4, 3), "broadcast_to", "(2, 3)", "(4, 3)")
    _raises(ValueError, lambda: x.permute(0, 0), "permute", "(0, 0)")
    _raises(ValueError, lambda: gradix.cat([x, gradix.ones(3, 3)], dim=1), "cat", "(3, 3)",
            "(2, 3)")
    _raises(ValueError, lambda: gradix.stack([x, gradix.ones(3, 2)]), "stack", "(3, 2)",
            "(2, 3)")
    _raises(ValueError, lambda: x.split([1, 1], dim=1), "split", "[1, 1]", "3")


@pytest.mark.parametrize("call, op", [
    (lambda x: x.sum(dim=3), "sum"), (lambda x: x.mean(dim=-4), "mean"),
    (lambda x: x.sum(dim=(0, 5)), "sum"), (lambda x: x.amax(dim=3), "amax"),
    (lambda x: x.transpose(0, 3), "transpose"), (lambda x: x.squeeze(5), "squeeze"),
    (lambda x: x.unsqueeze(5), "unsqueeze"), (lambda x: x.max(dim=3), "max"),
    (lambda x: x.argmax(dim=3), "argmax"), (lambda x: x.cumsum(3), "cumsum"),
    (lambda x: x.flip(3), "flip"), (lambda x: gradix.cat([x, x], dim=3), "cat"),
    (lambda x: gradix.stack([x, x], dim=5), "stack"), (lambda x: x.size(3), "size"),
    (lambda x: x.var(dim=-4), "var"), (lambda x: x.logsumexp(dim=3), "logsumexp"),
])
def test_bad_dim_raises_index_error(call, op):
    x = gradix.ones(2, 3, 4)
    with pytest.raises(IndexError) as e:
        call(x)
    msg = str(e.value)
    assert op in msg and ("[-3, 2]" in msg or "[-4, 3]" in msg), msg


def test_bad_dtype_raises():
    _raises(TypeError, lambda: gradix.zeros(2, dtype="complex64"), "complex64")
    _raises(TypeError, lambda: gradix.ones(2).to("banana"), "banana")
    _raises(TypeError, lambda: gradix.tensor([1.0], dtype=object), "dtype")
    _raises(TypeError, lambda: gradix.tensor([1, 2]).mean(), "mean", "int64")
    _raises(TypeError, lambda: gradix.where(gradix.ones(2), 1.0, 0.0), "where", "bool")


def test_item_on_many_elements_raises():
    _raises(ValueError, lambda: gradix.ones(2, 3).item(), "item", "(2, 3)")


def test_numpy_on_requires_grad_raises():
    x = gradix.ones(2, requires_grad=True)
    _raises(RuntimeError, lambda: x.numpy(), "numpy", "detach")
    assert x.detach().numpy().tolist() == [1.0, 1.0]


@pytest.mark.parametrize("op", [lambda x: x.zero_(), lambda x: x.add_(1.0),
                                lambda x: x.mul_(2.0), lambda x: x.fill_(0.0),
                                lambda x: x.copy_(gradix.zeros(2))])
def test_inplace_on_leaf_requiring_grad_raises(op):
    x = gradix.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad.*in place"):
        op(x)
    with gradix.no_grad():
        op(x)


def test_inplace_ops_without_grad():
    x = gradix.tensor([1.0, 2.0])
    x.add_(1.0).mul_(2.0)
    x += 1
    x -= gradix.tensor([1.0, 1.0])
    x *= 0.5
    x /= 2
    np.testing.assert_allclose(x.numpy(), [(4.0 + 1 - 1) * 0.5 / 2, (6.0 + 1 - 1) * 0.5 / 2])
    _raises(RuntimeError, lambda: x.copy_(gradix.ones(3)), "copy_", "(3,)", "(2,)")


def test_bool_of_many_elements_raises():
    _raises(RuntimeError, lambda: bool(gradix.ones(2)), "ambiguous")
    assert bool(gradix.tensor([1.0])) and not bool(gradix.tensor(0))
