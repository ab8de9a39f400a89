"""A dtype matrix against PyTorch: the ops of docs/ops.md (unary math, reductions, cumulative,
sorting, shape and layout, indexing, comparison and logic), as functions and, where torch has
one, as Tensor methods, each called with inputs of every gradix dtype, 0-d, 1-D and 2-D, and the
simplest valid extra arguments. gradix must raise where torch raises (with a message naming the
op), and otherwise give outputs of torch's dtypes, shapes and values. Mixed-dtype arithmetic is
covered by test_random_core_vs_torch.py, float inputs by the op tables."""
import math

import numpy as np
import pytest

import gradix

torch = pytest.importorskip("torch", reason="needs PyTorch as the reference (not installed)")
pytestmark = pytest.mark.filterwarnings(
    "ignore:(divide by zero|invalid value|overflow):RuntimeWarning",
    "ignore:.*degrees of freedom is <= 0:UserWarning",
    "ignore:torch.meshgrid. in an upcoming release:UserWarning",
    "ignore:reduction. 'mean' divides the total loss:UserWarning")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SHAPES = [(), (3,), (2, 3)]
INTS = {"uint8", "int8", "int16", "int32", "int64"}
FLOATS = {"float16", "float32", "float64"}


def make_input(dtype, shape):
    """Small values with ties, zeros and (for signed dtypes) negatives; floats have fractions."""
    n = math.prod(shape)
    a = np.arange(n) % 5
    if dtype == "bool":
        return (a % 2).astype(bool).reshape(shape)
    if dtype != "uint8":
        a = a - 2
    return (a * (0.75 if dtype in FLOATS else 1)).astype(dtype).reshape(shape)


def _t(m, a):
    return gradix.tensor(np.asarray(a)) if m is gradix else torch.tensor(np.asarray(a))


def _other(x):
    """A second operand of x's dtype and shape: x reversed."""
    return x.flip(0) if x.ndim else x


def _first(x):
    """x[:1] (x itself if 0-d)."""
    return x.narrow(0, 0, 1) if x.ndim else x


def _zeros_index(m, x):
    return _t(m, np.zeros(x.shape, dtype=np.int64))


# (name, extra positional arguments after x given (m, x), keyword arguments); the function is
# m.name(x, *args, **kwargs), the method x.name(*args, **kwargs) where torch.Tensor has it
def _none(m, x):
    return ()


UNARY = ["abs", "absolute", "neg", "negative", "positive", "reciprocal", "square", "sqrt",
         "rsqrt", "sign", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos",
         "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
         "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "erf", "erfc", "erfinv",
         "sigmoid", "relu", "floor", "ceil", "round", "trunc", "fix", "frac", "nan_to_num",
         "isnan", "isinf", "isfinite", "logical_not", "bitwise_not"]
REDUCE = ["sum", "mean", "prod", "var", "std", "var_mean", "std_mean", "norm", "max", "min",
          "amax", "amin", "aminmax", "argmax", "argmin", "all", "any", "count_nonzero", "nansum",
          "nanmean", "median", "nanmedian", "mode", "logsumexp"]
CUMULATIVE = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"]
BINARY = ["eq", "ne", "lt", "le", "gt", "ge", "isclose", "logical_and", "logical_or",
          "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "maximum", "minimum",
          "fmax", "fmin", "atan2", "arctan2", "hypot", "logaddexp", "xlogy", "allclose",
          "equal", "floor_divide", "remainder", "fmod"]

OPS = [(n, _none, {}) for n in UNARY]
# README: logsumexp reduces over everything without a dim, where torch needs one
OPS += [(n, _none, {}) for n in REDUCE if n != "logsumexp"]
OPS += [(n, lambda m, x: (0,), {}) for n in REDUCE + CUMULATIVE]
OPS += [(n, lambda m, x: (_other(x),), {}) for n in BINARY]
OPS += [
    ("sum", _none, {"dtype": "float64"}),
    ("cumsum", lambda m, x: (0,), {"dtype": "int32"}),
    ("norm", lambda m, x: (1,), {"dim": 0}),
    ("diff", _none, {}),
    ("sort", _none, {}), ("sort", lambda m, x: (0,), {"descending": True}),
    ("argsort", _none, {}), ("msort", _none, {}),
    ("topk", lambda m, x: (1,), {}), ("kthvalue", lambda m, x: (1,), {}),
    ("unique", _none, {}), ("unique", _none, {"return_inverse": True, "return_counts": True}),
    ("unique", _none, {"dim": 0}), ("unique_consecutive", _none, {"return_counts": True}),
    ("searchsorted", lambda m, x: (x,), {}),
    ("clamp", lambda m, x: (0, 2), {}), ("clamp", lambda m, x: (0.5,), {}),
    ("clip", lambda m, x: (0, 2), {}),
    ("clamp_min", lambda m, x: (1,), {}), ("clamp_max", lambda m, x: (1,), {}),
    ("lerp", lambda m, x: (_other(x), 0.5), {}),
    ("softmax", lambda m, x: (0,), {}), ("log_softmax", lambda m, x: (0,), {}),
    ("eq", lambda m, x: (1,), {}), ("lt", lambda m, x: (0.5,), {}),
    ("where", lambda m, x: (x, 0), {}),
    ("masked_fill", lambda m, x: (_other(x) > 0, 1), {}),
    ("masked_select", lambda m, x: (x > 0,), {}),
    ("masked_scatter", lambda m, x: (x > 0, _other(x)), {}),
    # shape and layout
    ("reshape", lambda m, x: ((-1,),), {}), ("flatten", _none, {}), ("ravel", _none, {}),
    ("unflatten", lambda m, x: (0, (1, -1)), {}),
    ("squeeze", _none, {}), ("squeeze", lambda m, x: (0,), {}),
    ("unsqueeze", lambda m, x: (0,), {}),
    ("transpose", lambda m, x: (0, -1), {}), ("swapaxes", lambda m, x: (0, -1), {}),
    ("swapdims", lambda m, x: (0, -1), {}), ("t", _none, {}),
    ("permute", lambda m, x: (tuple(range(x.ndim))[::-1],), {}),
    ("movedim", lambda m, x: (0, -1), {}),
    ("expand", lambda m, x: ((2,) + tuple(x.shape),), {}),
    ("broadcast_to", lambda m, x: ((2,) + tuple(x.shape),), {}),
    ("atleast_1d", _none, {}), ("atleast_2d", _none, {}), ("atleast_3d", _none, {}),
    ("flip", lambda m, x: ((0,),), {}), ("fliplr", _none, {}), ("flipud", _none, {}),
    ("rot90", _none, {}), ("roll", lambda m, x: (1, 0), {}),
    ("repeat_interleave", lambda m, x: (2,), {}), ("repeat_interleave", lambda m, x: (2, 0), {}),
    ("tile", lambda m, x: ((2,),), {}),
    ("split", lambda m, x: (1,), {}), ("chunk", lambda m, x: (2,), {}),
    ("tensor_split", lambda m, x: (2,), {}), ("hsplit", lambda m, x: (1,), {}),
    ("vsplit", lambda m, x: (1,), {}), ("unbind", _none, {}),
    ("narrow", lambda m, x: (0, 0, 1), {}),
    ("diag", _none, {}), ("diagonal", _none, {}), ("diag_embed", _none, {}), ("trace", _none, {}),
    ("tril", _none, {}), ("triu", _none, {}),
    # indexing
    ("index_select", lambda m, x: (0, _t(m, [0])), {}),
    ("gather", lambda m, x: (0, _zeros_index(m, x)), {}),
    ("take", lambda m, x: (_t(m, [0]),), {}),
    ("take_along_dim", lambda m, x: (_zeros_index(m, x), 0), {}),
    ("nonzero", _none, {}), ("nonzero", _none, {"as_tuple": True}), ("argwhere", _none, {}),
    ("scatter", lambda m, x: (0, _zeros_index(m, x), x), {}),
    ("scatter_add", lambda m, x: (0, _zeros_index(m, x), x), {}),
    ("index_add", lambda m, x: (0, _t(m, [0]), _first(x)), {}),
    ("index_copy", lambda m, x: (0, _t(m, [0]), _first(x)), {}),
    ("index_fill", lambda m, x: (0, _t(m, [0]), 1), {}),
    ("outer", lambda m, x: (x,), {}), ("dot", lambda m, x: (x,), {}),
    # bool has no kernel in torch for these; softmax and softplus need a floating input
    ("matmul", lambda m, x: (x.t(),), {}), ("__matmul__", lambda m, x: (x.t(),), {}),
    ("mm", lambda m, x: (x.t(),), {}),
    ("softmax", lambda m, x: (0,), {"dtype": "float64"}), ("softplus", _none, {}),
    ("half", _none, {}), ("int", _none, {}), ("bool", _none, {}), ("float", _none, {}),
    ("double", _none, {}), ("long", _none, {}),
]
# functions that take a list of tensors
LIST_OPS = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack",
            "column_stack", "broadcast_tensors", "meshgrid"]

# The op named in gradix's message where it is another spelling of the op called
ERROR_NAME = {"absolute": "abs", "negative": "neg", "fix": "trunc", "clip": "clamp",
              "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
              "arccosh": "acosh", "arctanh": "atanh", "arctan2": "atan2", "concat": "cat",
              "concatenate": "cat", "swapaxes": "transpose", "swapdims": "transpose",
              "__matmul__": "matmul", "relu6": "hardtanh"}


def _excluded(name, kwargs, dtype):
    """Why the case is left out, or None: where gradix accepts what torch refuses (kept for
    now, undocumented), or differs as README.md says."""
    if name == "where" and dtype != "bool":
        return "README: where takes only a bool condition (x is the condition here)"
    return None


def _cases():
    """A case per op and form; the dtypes are looped over inside the test (to keep it fast)."""
    cases = []
    for name, args, kwargs in OPS:
        forms = [f for f, lib in (("function", torch), ("method", torch.Tensor))
                 if hasattr(lib, name) or name == "softplus" and f == "function"]
        if name == "where":  # torch's x.where(condition, y) is another op
            forms.remove("method")
        if name in ("half", "int", "bool", "float", "double", "long"):  # torch.half: a dtype
            forms.remove("function")
        for form in forms:
            kw = ",".join(f"{k}={v}" for k, v in kwargs.items())
            cases.append(pytest.param(name, args, kwargs, form, id=f"{form}-{name}({kw})"))
    return cases


def _flatten(out, m):
    """[(dtype name, array)] of an op's outputs (a tensor, a tuple of them, or a Python
    value)."""
    if isinstance(out, (bool, int, float)):
        return [(type(out).__name__, np.asarray(out))]
    if not isinstance(out, (gradix.Tensor, torch.Tensor)):
        return [o for part in out for o in _flatten(part, m)]
    if m is gradix:
        return [(out.dtype.name, out.numpy())]
    return [(str(out.dtype).replace("torch.", ""), out.detach().numpy())]


def _run(m, name, args, kwargs, x, form):
    x = _t(m, x)
    kwargs = {k: getattr(m, v) if k == "dtype" else v for k, v in kwargs.items()}
    if name == "softplus":
        return _flatten(m.nn.functional.softplus(x), m)
    if form == "method":
        return _flatten(getattr(x, name)(*args(m, x), **kwargs), m)
    return _flatten(getattr(m, name)(x, *args(m, x), **kwargs), m)


def _compare(gouts, touts, what):
    assert len(gouts) == len(touts), (what, "number of outputs")
    for i, ((gd, g), (td, t)) in enumerate(zip(gouts, touts)):
        assert gd == td, (what, f"output {i} dtype", gd, td)
        assert g.shape == t.shape, (what, f"output {i} shape", g.shape, t.shape)
        if td in FLOATS:
            tol = {"float16": 2e-3, "float32": 1e-5, "float64": 1e-12}[td]
            np.testing.assert_allclose(g.astype(np.float64), t.astype(np.float64), rtol=tol,
                                       atol=tol, equal_nan=True, err_msg=f"{what} output {i}")
        else:
            np.testing.assert_array_equal(g, t, err_msg=f"{what} output {i}")


def check(run, name, what):
    """gradix raises where torch raises, naming the op, and otherwise matches torch."""
    try:
        touts = run(torch)
    except Exception:  # noqa: BLE001  (whatever torch refuses, gradix must refuse too)
        with pytest.raises(Exception) as info:
            run(gradix)
        assert str(info.value).startswith(ERROR_NAME.get(name, name)), (what, str(info.value))
        return
    _compare(run(gradix), touts, what)


@pytest.mark.parametrize("name, args, kwargs, form", _cases())
def test_op_dtype_matrix(name, args, kwargs, form):
    for dtype in DTYPES:
        if _excluded(name, kwargs, dtype) is not None:
            continue
        for shape in SHAPES:
            x = make_input(dtype, shape)
            check(lambda m, x=x: _run(m, name, args, kwargs, x, form), name,
                  f"{form} {name}{kwargs} of {dtype} {shape}")


@pytest.mark.parametrize("name", LIST_OPS)
def test_list_op_dtype_matrix(name):
    for dtype in DTYPES:
        for shape in SHAPES:
            x = make_input(dtype, shape)
            check(lambda m, x=x: _flatten(getattr(m, name)([_t(m, x), _t(m, x)]), m), name,
                  f"{name} of {dtype} {shape}")


@pytest.mark.parametrize("shape, dim", [((0,), 0), ((0, 3), 0), ((2, 0), 1), ((2, 0), 0)])
def test_unbind_of_an_empty_dimension(shape, dim):
    """One piece per entry along dim: none for an empty one."""
    x = make_input("int64", shape)
    check(lambda m: _flatten(m.unbind(_t(m, x), dim), m) + [("n", np.asarray(len(
        m.unbind(_t(m, x), dim))))], "unbind", f"unbind of {shape} along {dim}")


@pytest.mark.parametrize("seq, values", [("bool", "bool"), ("bool", "int64"), ("int64", "bool"),
                                         ("bool", True), ("bool", 1), ("int64", True)])
def test_search_of_bools(seq, values):
    """torch searches only where the sequence or the values aren't bool."""
    s = np.array([False, False, True])
    v = np.array([True, False]) if values == "bool" else np.array([1, 0, 2])
    s = s.astype(seq)
    for name in ("searchsorted", "bucketize"):
        def run(m, name=name):
            vs = v if isinstance(values, str) else values
            vs = _t(m, vs) if isinstance(values, str) else vs
            a, b = (_t(m, s), vs) if name == "searchsorted" else (vs, _t(m, s))
            return _flatten(getattr(m, name)(a, b), m)
        check(run, name, f"{name} of {seq} and {values!r}")


@pytest.mark.parametrize("sa, sb", [((2, 0), (0, 2)), ((0, 3), (3,)), ((0,), (0,)),
                                    ((1, 2, 0), (0, 2)), ((2,), (2,))])
def test_bool_products_of_empty_tensors(sa, sb):
    """torch skips its (missing) bool kernel where an operand is empty, except for a dot."""
    a, b = np.zeros(sa, bool), np.zeros(sb, bool)
    check(lambda m: _flatten(m.matmul(_t(m, a), _t(m, b)), m), "matmul", f"matmul {sa} {sb}")


EINSUM = [("i->", [(3,)]), ("...->", [(3,)]), ("...->", [()]), ("->", [()]), ("ij->", [(2, 3)]),
          ("ij->i", [(2, 1)]), ("i->", [(1,)]), ("ii->", [(2, 2)]), ("ii->i", [(2, 2)]),
          ("ij->ji", [(2, 3)]), ("i,i->", [(3,), (3,)]), ("i,i->", [(1,), (1,)]),
          ("i,i->", [(3,), (1,)]), ("i,i->i", [(3,), (3,)]), ("i,j->ij", [(3,), (2,)]),
          ("i,j->", [(3,), (2,)]), ("ij,jk->ik", [(2, 3), (3, 2)]),
          ("ij,jk->ik", [(2, 1), (1, 2)]), ("ij,j->", [(2, 3), (3,)]),
          ("ij,k->k", [(2, 3), (2,)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
          ("ij,jk,k->", [(2, 3), (3, 2), (2,)]), ("i,i,i->i", [(3,), (3,), (3,)]),
          ("...,...->", [(3,), (3,)])]


@pytest.mark.parametrize("equation, shapes", EINSUM)
def test_einsum_dtype(equation, shapes):
    """torch sums a letter one operand alone has to int64 (as sum does), so a reduction of
    bool or small integers is int64, and a product of bools or of int64 with a smaller integer
    type raises."""
    for dtype in DTYPES:
        arrays = [make_input(dtype, s) for s in shapes]
        check(lambda m: _flatten(m.einsum(equation, *[_t(m, a) for a in arrays]), m), "einsum",
              f"einsum {equation!r} of {dtype} {shapes}")


@pytest.mark.parametrize("seed", [0, 7, 1.5, 2.0, True, False, np.int64(7), np.int32(-3),
                                  np.uint64(2**64 - 1), -1, -2**63, 2**64 - 1, "3", np.float64(2.5),
                                  -2**63 - 1, 2**64, 2**70, None, "x", [1]])
def test_manual_seed_takes_what_torch_takes(seed):
    """torch seeds with int(seed) in [-2**63, 2**64), a negative seed being seed + 2**64;
    gradix takes the same seeds, and the same seed modulo 2**64 gives the same stream."""
    try:
        with torch.random.fork_rng():  # torch's global generator is left as it was
            expected = torch.manual_seed(seed).initial_seed()
    except Exception:  # noqa: BLE001  (whatever torch refuses, gradix must refuse too)
        with pytest.raises((TypeError, ValueError), match="^manual_seed: "):
            gradix.manual_seed(seed)
        return
    assert gradix.manual_seed(seed) == expected
    first = gradix.rand(3).numpy()
    gradix.manual_seed(expected)
    np.testing.assert_array_equal(gradix.rand(3).numpy(), first)


# nn.functional with integer and bool inputs: torch has only floating kernels for most
# activations, losses, normalization, pooling means and attention, and refuses the rest; a
# few ops keep integers (relu, hardtanh, max_pool2d, int64 avg_pool2d, pad, conv/linear of
# one integer dtype). Each row: name, and the call given (F, x (2, 2), x4 (2, 2, 2, 2), t)
# where t makes a tensor of the module's library; targets and parameters are float32 unless
# the row tests their dtype.
def _f32(t, a):
    return t(np.asarray(a, np.float32))


_P = np.array([[0.25, 0.5], [0.75, 0.0]])
FUNCTIONAL = [
    *[(n, lambda F, x, x4, t, n=n: getattr(F, n)(x)) for n in [
        "relu", "sigmoid", "tanh", "softplus", "logsigmoid", "gelu", "silu", "elu",
        "leaky_relu", "hardtanh", "relu6"]],
    ("hardtanh", lambda F, x, x4, t: F.hardtanh(x, -1.5, 1.5)),
    ("hardtanh", lambda F, x, x4, t: F.hardtanh(x, 0.5, 2.5)),
    ("gelu", lambda F, x, x4, t: F.gelu(x, approximate="tanh")),
    ("softmax", lambda F, x, x4, t: F.softmax(x, 1)),
    ("log_softmax", lambda F, x, x4, t: F.log_softmax(x, 1)),
    ("dropout", lambda F, x, x4, t: F.dropout(x, 0.5) * 0),  # * 0: the mask is random
    ("dropout", lambda F, x, x4, t: F.dropout(x, 0.5, training=False)),
    ("dropout", lambda F, x, x4, t: F.dropout(x, 0.0)),
    ("dropout", lambda F, x, x4, t: F.dropout(x, 1.0)),
    ("layer_norm", lambda F, x, x4, t: F.layer_norm(x, (2,))),
    ("layer_norm", lambda F, x, x4, t: F.layer_norm(_f32(t, _P), (2,), x[0], x[1])),
    ("batch_norm", lambda F, x, x4, t: F.batch_norm(x, _f32(t, [0, 0]), _f32(t, [1, 1]))),
    ("batch_norm", lambda F, x, x4, t: F.batch_norm(x, None, None, training=True)),
    ("batch_norm", lambda F, x, x4, t: F.batch_norm(_f32(t, _P), x[0], x[1] * x[1])),
    ("batch_norm", lambda F, x, x4, t: F.batch_norm(_f32(t, _P), _f32(t, [0, 0]),
                                                    _f32(t, [1, 1]), x[0], x[1])),
    *[(n, lambda F, x, x4, t, n=n, r=r: getattr(F, n)(*a(x, t), reduction=r))
      for n in ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div",
                "binary_cross_entropy", "binary_cross_entropy_with_logits"]
      for a in [lambda x, t: (x, _f32(t, _P)), lambda x, t: (_f32(t, _P), x),
                lambda x, t: (x, x)]
      for r in ["mean", "sum"]],
    ("l1_loss", lambda F, x, x4, t: F.l1_loss(x, x.flip(0), reduction="none")),
    ("hinge_embedding_loss", lambda F, x, x4, t: F.hinge_embedding_loss(x, t([[1, -1], [1, 1]]))),
    ("hinge_embedding_loss", lambda F, x, x4, t: F.hinge_embedding_loss(
        _f32(t, _P), (x != 0).long() * 2 - 1)),
    ("hinge_embedding_loss", lambda F, x, x4, t: F.hinge_embedding_loss(
        _f32(t, _P), ((x != 0).long() * 2 - 1).int())),
    ("binary_cross_entropy", lambda F, x, x4, t: F.binary_cross_entropy(
        _f32(t, _P), _f32(t, _P), weight=x)),
    ("binary_cross_entropy_with_logits", lambda F, x, x4, t: F.binary_cross_entropy_with_logits(
        _f32(t, _P), _f32(t, _P), weight=x, pos_weight=x[0])),
    *[(n, lambda F, x, x4, t, n=n: getattr(F, n)(x, t([0, 1])))
      for n in ["cross_entropy", "nll_loss", "multi_margin_loss"]],
    *[(n, lambda F, x, x4, t, n=n: getattr(F, n)(_f32(t, _P), (x[0] != 0).to(x.dtype)))
      for n in ["cross_entropy", "nll_loss", "multi_margin_loss"]],
    *[(n, lambda F, x, x4, t, n=n: getattr(F, n)(_f32(t, _P), t([0, 1]), weight=x[0]))
      for n in ["cross_entropy", "nll_loss", "multi_margin_loss"]],
    ("cross_entropy", lambda F, x, x4, t: F.cross_entropy(_f32(t, _P), x)),
    ("linear", lambda F, x, x4, t: F.linear(x, x)),
    ("linear", lambda F, x, x4, t: F.linear(x, x, x[0])),
    ("conv2d", lambda F, x, x4, t: F.conv2d(x4, x4[:, :, :1, :1])),
    ("conv1d", lambda F, x, x4, t: F.conv1d(x4[0], x4[0, :, :, :1], x4[0, 0, 0])),
    ("max_pool2d", lambda F, x, x4, t: F.max_pool2d(x4, 2)),
    ("avg_pool2d", lambda F, x, x4, t: F.avg_pool2d(x4, 2)),
    ("avg_pool2d", lambda F, x, x4, t: F.avg_pool2d(x4, 2, 1, 1, count_include_pad=False)),
    ("avg_pool2d", lambda F, x, x4, t: F.avg_pool2d(x4, 2, 1, 1, divisor_override=3)),
    ("adaptive_avg_pool2d", lambda F, x, x4, t: F.adaptive_avg_pool2d(x4, 1)),
    ("adaptive_avg_pool2d", lambda F, x, x4, t: F.adaptive_avg_pool2d(x4, 2)),
    ("pad", lambda F, x, x4, t: F.pad(x, (1, 1))),
    ("pad", lambda F, x, x4, t: F.pad(x, (1, 1), value=1.5)),
    ("embedding", lambda F, x, x4, t: F.embedding(t([0, 1]), x)),
    ("embedding", lambda F, x, x4, t: F.embedding((x != 0).to(x.dtype), _f32(t, _P))),
    ("one_hot", lambda F, x, x4, t: F.one_hot((x != 0).to(x.dtype))),
    ("scaled_dot_product_attention", lambda F, x, x4, t: F.scaled_dot_product_attention(
        x4, x4, x4)),
]


@pytest.mark.parametrize("name, call", [pytest.param(n, c, id=f"{n}-{i}")
                                        for i, (n, c) in enumerate(FUNCTIONAL)])
def test_functional_dtype_matrix(name, call):
    """gradix.nn.functional raises where torch raises and keeps or converts dtypes as torch
    does, for int64, int32 and bool inputs (and float32, as a control)."""
    for dtype in ["int64", "int32", "bool", "float32"]:
        x = np.array([[1, -2], [3, 0]]).astype(dtype)
        x4 = np.tile((np.arange(4).reshape(2, 2) - 1).astype(dtype), (2, 2, 1, 1))
        check(lambda m: _flatten(call(m.nn.functional, _t(m, x), _t(m, x4),
                                      lambda a, m=m: _t(m, a)), m),
              name, f"{name} of {dtype}")
