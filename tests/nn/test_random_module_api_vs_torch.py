"""Randomized differential tests of the nn.Module API against PyTorch: the same random tree of
modules (Sequential / ModuleList / ModuleDict / custom modules holding layers, buffers,
shared parameters and modules, None entries) is built in both libraries, then traversal,
state_dict, load_state_dict, modes, dtype moves, the containers' operations, attribute
assignment, gradient clipping and the initializers are compared."""
import math
import re
import warnings
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gradix

torch = pytest.importorskip("torch", reason="needs PyTorch as the reference (not installed)")

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
LIBS = (gradix, torch)


def _numpy(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.data)


def _tensor(lib, array):
    return gradix.tensor(array) if lib is gradix else torch.tensor(array)


def _set(t, array):
    """Writes ``array`` into the parameter or buffer ``t`` of either library, in place."""
    with (gradix.no_grad() if isinstance(t, gradix.Tensor) else torch.no_grad()):
        t.copy_(_tensor(gradix if isinstance(t, gradix.Tensor) else torch, array))


def _custom_class(lib):
    class Custom(lib.nn.Module):
        def forward(self, x):
            return x
    return Custom


CUSTOM = {lib: _custom_class(lib) for lib in LIBS}


# ------------------------------------------------------------------ random module trees
NAMES = ["a", "b", "blk", "head", "w", "scale", "stats", "0x"]


@st.composite
def specs(draw, depth=0):
    """A nested description of a module, built by ``build`` in both libraries."""
    leaves = [("linear", draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.booleans())),
              ("conv", draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.booleans())),
              ("bn", draw(st.integers(1, 3)), draw(st.booleans())), ("relu",), ("shared",)]
    kinds = ["leaf"] * 2 + (["seq", "named_seq", "list", "dict", "custom"] if depth < 3 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "leaf":
        return draw(st.sampled_from(leaves))
    children = st.lists(specs(depth + 1), min_size=0, max_size=3)
    if kind in ("seq", "list"):
        return (kind, draw(children))
    names = draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True))
    kids = [(n, draw(specs(depth + 1))) for n in names]
    if kind in ("named_seq", "dict"):
        return (kind, kids)
    kids = [(n, ("nonemod",) if draw(st.integers(0, 5)) == 0 else s) for n, s in kids]
    params, buffers = [], []
    for name in draw(st.lists(st.sampled_from(["p", "q", "r"]), max_size=2, unique=True)):
        params.append((name, draw(st.sampled_from(["new", "none", "shared", "frozen"])),
                       draw(st.sampled_from([(2,), (2, 3), ()]))))
    for name in draw(st.lists(st.sampled_from(["u", "v", "cnt"]), max_size=2, unique=True)):
        buffers.append((name, draw(st.sampled_from(["float", "int", "none"])),
                        draw(st.booleans())))
    return ("custom", kids, params, buffers)


class Builder:
    """Builds a spec in both libraries with equal values; 'shared' entries reuse an earlier
    module or parameter (the same object twice in the tree)."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.modules = {lib: [] for lib in LIBS}
        self.params = {lib: [] for lib in LIBS}

    def _fill(self, pairs):
        """Equal random values for the matching (gradix, torch) tensors."""
        for g, t in pairs:
            if g is None:
                continue
            kind = np.asarray(g.data).dtype.kind
            values = (self.rng.integers(0, 5, tuple(g.shape)) if kind == "i"
                      else self.rng.standard_normal(tuple(g.shape)))
            _set(g, values)
            _set(t, values)

    def build(self, spec):
        kind = spec[0]
        out = {}
        if kind == "shared":
            if self.modules[gradix]:
                i = int(self.rng.integers(len(self.modules[gradix])))
                return self.modules[gradix][i], self.modules[torch][i]
            spec, kind = ("relu",), "relu"
        for lib in LIBS:
            nn = lib.nn
            if kind == "linear":
                out[lib] = nn.Linear(spec[1], spec[2], bias=spec[3])
            elif kind == "conv":
                out[lib] = nn.Conv2d(spec[1], spec[2], 2, bias=spec[3])
            elif kind == "bn":
                out[lib] = nn.BatchNorm2d(spec[1], affine=spec[2])
            elif kind == "relu":
                out[lib] = nn.ReLU()
        if kind in ("linear", "conv", "bn"):
            g, t = out[gradix], out[torch]
            self._fill([(g._parameters[n], t._parameters[n]) for n in t._parameters]
                       + [(g._buffers[n], t._buffers[n]) for n in t._buffers])
        if kind in ("seq", "list"):
            kids = [self.build(s) for s in spec[1]]
            out[gradix] = (gradix.nn.Sequential if kind == "seq" else gradix.nn.ModuleList)(
                *([[g for g, _ in kids]] if kind == "list" else [g for g, _ in kids]))
            out[torch] = (torch.nn.Sequential if kind == "seq" else torch.nn.ModuleList)(
                *([[t for _, t in kids]] if kind == "list" else [t for _, t in kids]))
        elif kind in ("named_seq", "dict"):
            kids = [(n, self.build(s)) for n, s in spec[1]]
            for j, lib in enumerate(LIBS):
                pairs = OrderedDict((n, m[j]) for n, m in kids)
                out[lib] = lib.nn.Sequential(pairs) if kind == "named_seq" else lib.nn.ModuleDict(
                    pairs)
        elif kind == "custom":
            for lib in LIBS:
                out[lib] = CUSTOM[lib]()
            for name, sub in spec[1]:
                if sub == ("nonemod",):
                    for lib in LIBS:
                        out[lib].add_module(name, None)
                    continue
                g, t = self.build(sub)
                setattr(out[gradix], name, g)
                setattr(out[torch], name, t)
            for name, how, shape in spec[2]:
                if how == "shared" and self.params[gradix]:
                    i = int(self.rng.integers(len(self.params[gradix])))
                    pair = self.params[gradix][i], self.params[torch][i]
                elif how == "none":
                    pair = None, None
                else:
                    values = self.rng.standard_normal(shape)
                    pair = tuple(lib.nn.Parameter(_tensor(lib, values),
                                                  requires_grad=how != "frozen") for lib in LIBS)
                    self.params[gradix].append(pair[0])
                    self.params[torch].append(pair[1])
                for lib, p in zip(LIBS, pair):
                    out[lib].register_parameter(name, p)
            for name, how, persistent in spec[3]:
                values = None if how == "none" else (
                    self.rng.integers(0, 9, (3,)) if how == "int" else self.rng.standard_normal(2))
                for lib in LIBS:
                    out[lib].register_buffer(
                        name, None if values is None else _tensor(lib, values), persistent)
        self.modules[gradix].append(out[gradix])
        self.modules[torch].append(out[torch])
        return out[gradix], out[torch]


trees = st.tuples(specs(), st.integers(0, 2 ** 16)).map(
    lambda st_: Builder(st_[1]).build(("custom", [("root", st_[0])], [], [])))


def _same_members(gpairs, tpairs, values=True):
    """The same names in the same order, the same objects repeated at the same places, and
    (for tensors) the same values, dtypes and requires_grad."""
    gpairs, tpairs = list(gpairs), list(tpairs)
    assert [n for n, _ in gpairs] == [n for n, _ in tpairs]
    assert _identity([v for _, v in gpairs]) == _identity([v for _, v in tpairs])
    for (name, g), (_, t) in zip(gpairs, tpairs):
        assert type(g).__name__ == type(t).__name__, name
        if values and isinstance(t, torch.Tensor):
            _same_tensor(g, t, name)


def _same_tensor(g, t, name=""):
    assert tuple(g.shape) == tuple(t.shape), name
    assert np.dtype(g.dtype) == np.dtype(str(t.dtype).replace("torch.", "")), (name, g.dtype)
    assert g.requires_grad == t.requires_grad, name
    np.testing.assert_allclose(_numpy(g), _numpy(t), rtol=1e-6, atol=1e-7, err_msg=name)


def _identity(objects):
    """Each object as the position of its first appearance: the sharing pattern."""
    first = {}
    return [first.setdefault(id(o), i) for i, o in enumerate(objects)]


# ------------------------------------------------------------------ traversal and state_dict
@SETTINGS
@given(tree=trees, prefix=st.sampled_from(["", "net"]), recurse=st.booleans(),
       remove_duplicate=st.booleans())
def test_traversal_matches_torch(tree, prefix, recurse, remove_duplicate):
    g, t = tree
    for sub_g, sub_t in [(g, t), (g.root, t.root)]:
        kw = dict(prefix=prefix, recurse=recurse, remove_duplicate=remove_duplicate)
        _same_members(sub_g.named_parameters(**kw), sub_t.named_parameters(**kw))
        _same_members(sub_g.named_buffers(**kw), sub_t.named_buffers(**kw))
        _same_members(enumerate(sub_g.parameters(recurse)), enumerate(sub_t.parameters(recurse)))
        _same_members(enumerate(sub_g.buffers(recurse)), enumerate(sub_t.buffers(recurse)))
        _same_members(sub_g.named_children(), sub_t.named_children())
        _same_members(enumerate(sub_g.children()), enumerate(sub_t.children()))
        _same_members(sub_g.named_modules(prefix=prefix, remove_duplicate=remove_duplicate),
                      sub_t.named_modules(prefix=prefix, remove_duplicate=remove_duplicate))
        _same_members(enumerate(sub_g.modules()), enumerate(sub_t.modules()))
        assert repr(sub_g) == repr(sub_t)
        own = set(sub_t._parameters) | set(sub_t._buffers) | set(sub_t._modules)
        assert {n for n in dir(sub_g) if n in own} == {n for n in dir(sub_t) if n in own}


@SETTINGS
@given(tree=trees, keep_vars=st.booleans(), prefix=st.sampled_from(["", "m."]))
def test_state_dict_matches_torch(tree, keep_vars, prefix):
    g, t = tree
    gsd = g.state_dict(keep_vars=keep_vars, prefix=prefix)
    tsd = t.state_dict(keep_vars=keep_vars, prefix=prefix)
    assert isinstance(gsd, OrderedDict)
    _same_members(gsd.items(), tsd.items())
    owned = {id(x) for x in list(g.parameters()) + list(g.buffers())}
    for v in gsd.values():  # the tensors themselves, or detached views of them
        assert (id(v) in owned) == keep_vars
        if not keep_vars:
            assert not v.requires_grad
    if not keep_vars and gsd:
        name, v = next(iter(gsd.items()))
        name = name[len(prefix):]
        before = _numpy(g.state_dict()[name]).copy()
        with gradix.no_grad():
            v.add_(1)  # shares memory with the model's tensor, as in torch
        np.testing.assert_allclose(_numpy(g.state_dict()[name]), before + 1)


def _messages(err):
    """The key lists and size-mismatch keys of a load_state_dict error message."""
    text = str(err)
    found = {}
    for what in ("Missing", "Unexpected"):
        m = re.search(what + r' key\(s\) in state_dict: (.*?)\. ', text)
        found[what] = re.findall(r'"([^"]*)"', m.group(1)) if m else []
    found["size"] = re.findall(r"size mismatch for (\S+):", text)
    return found, text.split("\n")[0]


@SETTINGS
@given(tree=trees, strict=st.booleans(), data=st.data())
def test_load_state_dict_matches_torch(tree, strict, data):
    g, t = tree
    entries = [(k, _numpy(v).copy()) for k, v in t.state_dict().items()]
    rng = np.random.default_rng(data.draw(st.integers(0, 99), label="seed"))
    mutated = []
    for k, v in entries:
        action = data.draw(st.sampled_from(["keep"] * 4 + ["drop", "reshape"]), label=k)
        # (torch's BatchNorm fills in a missing num_batches_tracked when the state_dict has no
        # version metadata, for checkpoints older than torch 0.4.1; gradix reports it missing)
        if action == "drop" and not k.endswith("num_batches_tracked"):
            continue
        if action == "reshape" and v.ndim >= 1:  # (not 0-d: torch loads a (1,) into it)
            v = np.zeros((v.shape[0] + 1,) + v.shape[1:], v.dtype)
        elif v.dtype.kind == "f":  # another float dtype is cast on copy, as in torch
            v = rng.standard_normal(v.shape).astype(data.draw(
                st.sampled_from([v.dtype, np.float64, np.float16]), label="dtype"))
        elif data.draw(st.booleans(), label="float into int"):
            v = v + rng.uniform(0, 0.9, v.shape)
        mutated.append((k, v))
    modules = [n for n, _ in t.named_modules()]
    for _ in range(data.draw(st.integers(0, 3), label="extra")):
        where = data.draw(st.sampled_from(modules), label="under")
        leaf = data.draw(st.sampled_from(["zz", "weight", "running_mean", "u"]), label="leaf")
        mutated.insert(data.draw(st.integers(0, len(mutated)), label="at"),
                       ((where + "." if where else "") + leaf, np.ones(2, np.float32)))
    # torch ignores a key under a None sub-module, gradix reports it: keep away from them
    nones = [(n + "." if n else "") + child + "." for n, mod in t.named_modules()
             for child, m in mod._modules.items() if m is None]
    mutated = OrderedDict((k, v) for k, v in mutated if not k.startswith(tuple(nones)))
    before = [(k, _numpy(v).copy()) for k, v in g.state_dict().items()]
    results = {}
    for lib, model in ((gradix, g), (torch, t)):
        sd = OrderedDict((k, _tensor(lib, v)) for k, v in mutated.items())
        try:
            results[lib] = ("ok", model.load_state_dict(sd, strict=strict))
        except RuntimeError as e:
            results[lib] = ("error", _messages(e))
    assert results[gradix][0] == results[torch][0], (results, list(mutated))
    if results[torch][0] == "ok":
        gk, tk = results[gradix][1], results[torch][1]
        assert list(gk.missing_keys) == list(tk.missing_keys)
        assert list(gk.unexpected_keys) == list(tk.unexpected_keys)
        _same_members(g.state_dict().items(), t.state_dict().items())
    else:
        (gfound, gfirst), (tfound, tfirst) = results[gradix][1], results[torch][1]
        assert gfound == tfound
        assert gfirst == tfirst  # "Error(s) in loading state_dict for Custom:"
        after = [(k, _numpy(v)) for k, v in g.state_dict().items()]
        for (k, v), (_, w) in zip(before, after):  # nothing changed
            np.testing.assert_array_equal(v, w, err_msg=k)


def test_load_state_dict_refuses_what_torch_refuses():
    for lib in LIBS:
        m = lib.nn.Linear(2, 3)
        with pytest.raises(TypeError):  # not a mapping
            m.load_state_dict([("weight", lib.zeros(3, 2)), ("bias", lib.zeros(3))])
    # unexpected keys are listed module by module, depth first, as in torch
    keys = ["b.x", "a.y", "z", "a.0.q"]
    for_lib = {}
    for lib in LIBS:
        m = lib.nn.Sequential(OrderedDict(a=lib.nn.Sequential(lib.nn.ReLU()), b=lib.nn.ReLU()))
        for_lib[lib] = m.load_state_dict({k: lib.zeros(1) for k in keys}, strict=False)
    assert for_lib[gradix].unexpected_keys == for_lib[torch].unexpected_keys == [
        "z", "a.y", "a.0.q", "b.x"]


# ------------------------------------------------------------------ modes, grads, dtypes
@SETTINGS
@given(tree=trees, data=st.data())
def test_modes_grads_and_apply_match_torch(tree, data):
    g, t = tree
    gmods, tmods = list(g.modules()), list(t.modules())
    for _ in range(data.draw(st.integers(1, 4), label="n")):
        i = data.draw(st.integers(0, len(gmods) - 1), label="module")
        op = data.draw(st.sampled_from(["train", "eval", "train_false", "freeze", "thaw"]))
        for m in (gmods[i], tmods[i]):
            out = {"train": lambda: m.train(), "eval": lambda: m.eval(),
                   "train_false": lambda: m.train(False),
                   "freeze": lambda: m.requires_grad_(False),
                   "thaw": lambda: m.requires_grad_()}[op]()
            assert out is m
        assert [m.training for m in gmods] == [m.training for m in tmods]
        _same_members(g.named_parameters(), t.named_parameters())
    # gradients, then zero_grad
    rng = np.random.default_rng(0)
    for (_, gp), (_, tp) in zip(g.named_parameters(), t.named_parameters()):
        if data.draw(st.booleans(), label="has grad"):
            values = rng.standard_normal(tuple(gp.shape))
            gp.grad, tp.grad = gradix.tensor(values, dtype=gp.dtype), torch.tensor(
                values, dtype=tp.dtype)
    set_to_none = data.draw(st.booleans(), label="set_to_none")
    g.root.zero_grad(set_to_none)
    t.root.zero_grad(set_to_none)
    for (name, gp), (_, tp) in zip(g.named_parameters(), t.named_parameters()):
        assert (gp.grad is None) == (tp.grad is None), name
        if tp.grad is not None:
            _same_tensor(gp.grad, tp.grad, name)
    # apply visits children first, then the module itself
    seen = {gradix: [], torch: []}
    for lib, m, mods in ((gradix, g, gmods), (torch, t, tmods)):
        index = {id(x): i for i, x in enumerate(mods)}
        assert m.apply(lambda x: seen[lib].append(index[id(x)])) is m
    assert seen[gradix] == seen[torch]


@SETTINGS
@given(tree=trees, steps=st.lists(st.sampled_from(["double", "float", "half", "to64", "to32",
                                                     "to_cpu", "to_tensor"]),
                                   min_size=1, max_size=3))
def test_dtype_moves_match_torch(tree, steps):
    g, t = tree
    for p in list(g.parameters()):
        p.grad = gradix.ones_like(p)
    for p in list(t.parameters()):
        p.grad = torch.ones_like(p)
    # torch keeps the parameters and replaces the buffers; gradix keeps both
    gobjs, tparams = list(g.parameters()) + list(g.buffers()), list(t.parameters())
    for step in steps:
        for lib, m in ((gradix, g), (torch, t)):
            out = {"double": lambda: m.double(), "float": lambda: m.float(),
                   "half": lambda: m.half(), "to64": lambda: m.to(lib.float64),
                   "to32": lambda: m.to(dtype=lib.float32), "to_cpu": lambda: m.to("cpu"),
                   "to_tensor": lambda: m.to(lib.zeros(1, dtype=lib.float64))}[step]()
            assert out is m
        # the same objects, converted in place; integer buffers untouched; grads follow
        assert all(a is b for a, b in zip(gobjs, list(g.parameters()) + list(g.buffers())))
        _same_members(g.state_dict().items(), t.state_dict().items())
        for (name, gp), (_, tp) in zip(g.named_parameters(), t.named_parameters()):
            _same_tensor(gp.grad, tp.grad, name)
    assert all(a is b for a, b in zip(tparams, t.parameters()))
    for lib in LIBS:
        with pytest.raises(TypeError):
            (g if lib is gradix else t).to(lib.int64)


# ------------------------------------------------------------------ containers
def _labels(container):
    """(key, label) for each entry: a Linear is labelled by its in_features, None by None."""
    items = container.items() if hasattr(container, "items") else enumerate(container)
    return [(k, None if m is None else m.in_features) for k, m in items]


def _registry(m):
    return [(k, None if v is None else v.in_features) for k, v in m._modules.items()]


SEQ_OPS = ["append", "extend", "insert", "del", "del_slice", "setitem", "getitem", "slice",
           "pop", "iadd", "add"]


@SETTINGS
@given(kind=st.sampled_from(["seq", "named_seq", "list"]), data=st.data())
def test_sequential_and_module_list_ops_match_torch(kind, data):
    n0 = data.draw(st.integers(0, 4), label="n0")
    counter = [n0 + 1]

    def fresh():
        counter[0] += 1
        return {lib: lib.nn.Linear(counter[0], 1) for lib in LIBS}

    first = [{lib: lib.nn.Linear(i + 1, 1) for lib in LIBS} for i in range(n0)]
    box = {}
    for lib in LIBS:
        if kind == "list":
            box[lib] = lib.nn.ModuleList([f[lib] for f in first])
        elif kind == "seq":
            box[lib] = lib.nn.Sequential(*[f[lib] for f in first])
        else:
            box[lib] = lib.nn.Sequential(OrderedDict((f"l{i}", f[lib]) for i, f in
                                                     enumerate(first)))
    for _ in range(data.draw(st.integers(1, 6), label="steps")):
        op = data.draw(st.sampled_from(SEQ_OPS), label="op")
        n = len(box[torch])
        if op in ("del", "setitem", "getitem", "pop") and n == 0:
            continue
        if kind == "named_seq" and op in ("insert", "append", "extend", "iadd", "add"):
            continue  # torch numbers the new modules by position, which may clash with names
        i = data.draw(st.integers(-n, max(n - 1, -n)), label="i")
        j = data.draw(st.integers(0, n), label="insert at")  # torch's insert wraps wrongly < 0
        sl = slice(data.draw(st.integers(-n - 1, n + 1)), data.draw(st.integers(-n - 1, n + 1)),
                   data.draw(st.sampled_from([None, 1, 2, -1])))
        new, more = fresh(), [fresh() for _ in range(data.draw(st.integers(0, 2)))]
        out = {}
        for lib in LIBS:
            b = box[lib]
            if op == "append":
                out[lib] = b.append(new[lib]) is b
            elif op == "extend":
                out[lib] = b.extend([m[lib] for m in more]) is b
            elif op == "insert":
                b.insert(j, new[lib])
            elif op == "del":
                del b[i]
            elif op == "del_slice":
                del b[sl]
            elif op == "setitem":
                b[i] = new[lib]
            elif op == "getitem":
                out[lib] = b[i].in_features
            elif op == "slice":
                s = b[sl]
                out[lib] = (type(s).__name__, _registry(s))
            elif op == "pop":
                out[lib] = b.pop(i).in_features
            elif op == "iadd":
                other = [m[lib] for m in more]
                if kind != "list":
                    other = lib.nn.Sequential(*other)
                b += other
                out[lib] = b is box[lib]
                box[lib] = b
            elif op == "add":
                other = type(b)(*([[m[lib] for m in more]] if kind == "list" else
                                  [m[lib] for m in more]))
                s = b + other
                out[lib] = (type(s).__name__, _registry(s), _registry(b))
        assert out.get(gradix) == out.get(torch), op
        assert _registry(box[gradix]) == _registry(box[torch]), op
        assert len(box[gradix]) == len(box[torch])
        assert [m.in_features for m in box[gradix]] == [m.in_features for m in box[torch]]
        for lib in LIBS:
            with pytest.raises(IndexError):
                box[lib][len(box[lib])]
            with pytest.raises(IndexError):
                box[lib][-len(box[lib]) - 1]


@SETTINGS
@given(data=st.data())
def test_module_dict_ops_match_torch(data):
    keys = st.sampled_from(["a", "b", "c", "d"])
    counter = [0]

    def fresh():
        counter[0] += 1
        return {lib: lib.nn.Linear(counter[0], 1) for lib in LIBS}

    box = {lib: lib.nn.ModuleDict() for lib in LIBS}
    for _ in range(data.draw(st.integers(1, 8), label="steps")):
        op = data.draw(st.sampled_from(["setitem", "update_dict", "update_pairs", "pop", "del",
                                        "contains", "get", "clear"]), label="op")
        key = data.draw(keys, label="key")
        new = fresh()
        pairs = [(data.draw(keys), fresh()) for _ in range(data.draw(st.integers(0, 3)))]
        out = {}
        for lib in LIBS:
            d = box[lib]
            try:
                if op == "setitem":
                    d[key] = new[lib]
                elif op == "update_dict":
                    d.update(OrderedDict((k, m[lib]) for k, m in pairs))
                elif op == "update_pairs":
                    d.update([(k, m[lib]) for k, m in pairs])
                elif op == "pop":
                    out[lib] = d.pop(key).in_features
                elif op == "del":
                    del d[key]
                elif op == "contains":
                    out[lib] = key in d
                elif op == "get":
                    out[lib] = d[key].in_features
                elif op == "clear":
                    d.clear()
            except KeyError:
                out[lib] = "KeyError"
        assert out.get(gradix) == out.get(torch), op
        assert _labels(box[gradix]) == _labels(box[torch])
        assert list(box[gradix]) == list(box[torch]) == list(box[torch].keys()) == list(
            box[gradix].keys())
        assert [m.in_features for m in box[gradix].values()] == [
            m.in_features for m in box[torch].values()]
        assert len(box[gradix]) == len(box[torch])
    for lib in LIBS:
        with pytest.raises(TypeError):
            lib.nn.ModuleDict().update(5)
        with pytest.raises(ValueError):
            lib.nn.ModuleDict().update([("a", lib.nn.ReLU(), 1)])
        with pytest.raises(TypeError):
            lib.nn.ModuleDict()["a"] = 5


# ------------------------------------------------------------------ attribute semantics
ATTR_OPS = ["param", "module", "tensor", "none", "int", "buffer", "buffer_np", "reg_param",
            "reg_param_none", "add_module", "delattr", "getattr"]


def _describe(m):
    def kind(v):
        return None if v is None else type(v).__name__.replace("FloatTensor", "Tensor")
    return ([(k, kind(v)) for k, v in m._parameters.items()],
            [(k, kind(v)) for k, v in m._buffers.items()],
            [(k, kind(v)) for k, v in m._modules.items()],
            list(m.state_dict()), sorted(k for k in vars(m) if k in ("a", "b", "weight")))


def _value(lib, what):
    nn = lib.nn
    return {"param": lambda: nn.Parameter(lib.zeros(2)), "module": lambda: nn.ReLU(),
            "tensor": lambda: lib.zeros(2), "none": lambda: None, "int": lambda: 3}[what]()


@SETTINGS
@given(ops=st.lists(st.tuples(st.sampled_from(ATTR_OPS), st.sampled_from(["a", "b", "weight"])),
                    min_size=1, max_size=8))
def test_attribute_semantics_match_torch(ops):
    mods = {lib: lib.nn.Linear(2, 2, bias=False) for lib in LIBS}
    for op, name in ops:
        outcome = {}
        for lib, m in mods.items():
            try:
                if op in ("param", "module", "tensor", "none", "int"):
                    setattr(m, name, _value(lib, op))
                elif op in ("buffer", "buffer_np"):
                    m.register_buffer(name, lib.ones(3), persistent=op == "buffer")
                elif op == "reg_param":
                    m.register_parameter(name, _value(lib, "param"))
                elif op == "reg_param_none":
                    m.register_parameter(name, None)
                elif op == "add_module":
                    m.add_module(name, lib.nn.Tanh())
                elif op == "delattr":
                    delattr(m, name)
                elif op == "getattr":
                    v = getattr(m, name)
                    outcome[lib] = None if v is None else type(v).__name__.replace(
                        "Tensor", "").replace("Float", "") or "Tensor"
            except (TypeError, KeyError, AttributeError) as e:
                outcome[lib] = type(e).__name__
        assert outcome.get(gradix) == outcome.get(torch), (op, name)
        assert _describe(mods[gradix]) == _describe(mods[torch]), (op, name)


def test_setattr_and_register_errors_match_torch():
    for lib in LIBS:
        m = lib.nn.Linear(2, 3)
        with pytest.raises(TypeError):  # a module over a parameter
            m.weight = lib.nn.ReLU()
        with pytest.raises(KeyError):  # a buffer over a parameter
            m.register_buffer("weight", lib.zeros(1))
        with pytest.raises(KeyError):
            m.add_module("bias", lib.nn.ReLU())
        m.register_buffer("s", lib.zeros(1))
        with pytest.raises(KeyError):
            m.register_parameter("s", None)
        m.s = lib.nn.Parameter(lib.zeros(1))  # setattr may replace it
        assert list(m._parameters) == ["weight", "bias", "s"] and not m._buffers
        assert [n for n, _ in m.named_parameters()] == ["weight", "bias", "s"]
        assert "weight" in dir(m) and "s" in dir(m)
        p = lib.nn.Parameter()  # an empty one
        assert tuple(p.shape) == (0,) and p.requires_grad and p.dtype == lib.float32


# ------------------------------------------------------------------ nn.utils
@st.composite
def grad_sets(draw):
    dtype = draw(st.sampled_from(["float32", "float64", "float16"]))
    shapes = draw(st.lists(st.lists(st.integers(0, 3), max_size=3), min_size=0, max_size=4))
    rng = np.random.default_rng(draw(st.integers(0, 99)))
    scale = draw(st.sampled_from([1e-3, 1.0, 50.0]))
    grads = []
    for s in shapes:
        if draw(st.integers(0, 4)) == 0:
            grads.append((tuple(s), None))
            continue
        v = (rng.standard_normal(s) * scale).astype(  # float16: 50 ** 2 overflows it
            dtype if draw(st.integers(0, 4)) else draw(st.sampled_from(["float32", "float64"])))
        if v.size and draw(st.integers(0, 6)) == 0:
            v.flat[0] = draw(st.sampled_from([np.inf, -np.inf, np.nan]))
        grads.append((tuple(s), v))
    return dtype, grads


def _grad_params(lib, dtype, grads):
    params = []
    for shape, g in grads:
        p = lib.nn.Parameter(lib.zeros(shape, dtype=getattr(lib, dtype if g is None else
                                                          str(g.dtype))))
        if g is not None:
            p.grad = _tensor(lib, g)
        params.append(p)
    return params


@SETTINGS
@given(grads=grad_sets(), max_norm=st.sampled_from([-1.0, 0.0, 0.1, 1.0, 3.0, 1e6]),
       norm_type=st.sampled_from([1, 2, 2.0, 3.5, 0.5, math.inf, "inf"]),
       error=st.booleans(), foreach=st.sampled_from([None, False]))
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_clip_grad_norm_matches_torch(grads, max_norm, norm_type, error, foreach):
    dtype, grads = grads
    if norm_type in (math.inf, "inf"):  # torch refuses the inf-norm of an empty gradient
        grads = [(s, g) for s, g in grads if g is None or g.size]
    results = {}
    for lib in LIBS:
        params = _grad_params(lib, dtype, grads)
        try:
            total = lib.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type,
                                                 error_if_nonfinite=error, foreach=foreach)
            results[lib] = (total, params)
        except RuntimeError:
            results[lib] = ("error", params)
    (gt, gps), (tt, tps) = results[gradix], results[torch]
    assert (isinstance(gt, str)) == (isinstance(tt, str))
    if not isinstance(tt, str):
        assert gt.shape == () and np.dtype(gt.dtype) == np.dtype(str(tt.dtype)[6:])
        rtol = 2e-3 if gt.dtype == np.float16 else 2e-6
        np.testing.assert_allclose(_numpy(gt), _numpy(tt), rtol=rtol)
    for gp, tp in zip(gps, tps):  # unchanged after an error
        assert (gp.grad is None) == (tp.grad is None)
        if tp.grad is not None:
            rtol = 2e-3 if gp.grad.dtype == np.float16 else 3e-6
            np.testing.assert_allclose(_numpy(gp.grad), _numpy(tp.grad), rtol=rtol, atol=1e-30)


@SETTINGS
@given(grads=grad_sets(), clip=st.sampled_from([0.0, 0.01, 1.0, 2.5]))
def test_clip_grad_value_and_vectors_match_torch(grads, clip):
    dtype, grads = grads
    out = {}
    for lib in LIBS:
        params = _grad_params(lib, dtype, grads)
        if any(p.grad is not None for p in params):  # (torch's foreach fails without any)
            assert lib.nn.utils.clip_grad_value_(params, clip, foreach=None) is None
        vec = lib.nn.utils.parameters_to_vector(params) if params else None
        out[lib] = ([None if p.grad is None else _numpy(p.grad) for p in params],
                    None if vec is None else _numpy(vec))
        if params:  # writes back, in order
            n = sum(p.numel() for p in params)
            lib.nn.utils.vector_to_parameters(
                _tensor(lib, np.arange(n, dtype=dtype)), params)
            out[lib] += ([_numpy(p).copy() for p in params],)
    for a, b in zip(out[gradix], out[torch]):
        if isinstance(b, list):
            assert len(a) == len(b)
            for x, y in zip(a, b):
                assert (x is None) == (y is None)
                if y is not None:
                    np.testing.assert_array_equal(x, y)
        elif b is not None:
            np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ nn.init
GAINS = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
         "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu", "gelu", "Relu"]


@pytest.mark.parametrize("name", GAINS)
@pytest.mark.parametrize("param", [None, 0.2, 1, 0, True, "x"])
def test_calculate_gain_matches_torch(name, param):
    try:
        expected = torch.nn.init.calculate_gain(name, param)
    except ValueError:
        with pytest.raises(ValueError):
            gradix.nn.init.calculate_gain(name, param)
        return
    assert gradix.nn.init.calculate_gain(name, param) == pytest.approx(expected, rel=1e-15)


INITS = {
    "xavier_uniform_": ("uniform", lambda f, g: g * math.sqrt(6.0 / (f[0] + f[1]))),
    "xavier_normal_": ("normal", lambda f, g: g * math.sqrt(2.0 / (f[0] + f[1]))),
    "kaiming_uniform_": ("uniform", None), "kaiming_normal_": ("normal", None),
}


@SETTINGS
@given(name=st.sampled_from(sorted(INITS)),
       shape=st.lists(st.integers(0, 12), min_size=0, max_size=4),
       mode=st.sampled_from(["fan_in", "fan_out", "FAN_OUT", "Fan_In"]),
       nonlinearity=st.sampled_from(["relu", "leaky_relu", "tanh", "linear"]),
       a=st.sampled_from([0, 0.2, math.sqrt(5)]), gain=st.sampled_from([1.0, 0.5, 3.0]))
def test_initializers_match_torch_formulas(name, shape, mode, nonlinearity, a, gain):
    kind, formula = INITS[name]
    kw = (dict(gain=gain) if name.startswith("xavier") else
          dict(a=a, mode=mode, nonlinearity=nonlinearity))
    shape = tuple(shape)
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        try:
            getattr(torch.nn.init, name)(torch.zeros(shape), **kw)
            terr = None
        except (ValueError, ZeroDivisionError) as e:
            terr = type(e)
    gt = gradix.zeros(*shape) if shape else gradix.zeros(())
    with warnings.catch_warnings(record=True) as gw:
        warnings.simplefilter("always")
        if terr is not None:
            with pytest.raises(terr):
                getattr(gradix.nn.init, name)(gt, **kw)
            return
        assert getattr(gradix.nn.init, name)(gt, **kw) is gt
    assert [str(w.message) for w in gw] == [str(w.message) for w in tw]
    if gt.numel():  # torch has no integer kernels for random fills
        for lib in LIBS:
            with pytest.raises(NotImplementedError):
                getattr(lib.nn.init, name)(lib.zeros(shape, dtype=lib.int64), **kw)
    if gt.numel() < 2:
        return
    fans = torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))
    if formula is None:
        fan = fans[0] if mode.lower() == "fan_in" else fans[1]
        std = torch.nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    else:
        std = formula(fans, gain)
    if kind == "uniform":  # the formula gives the bound; std = bound / sqrt(3)
        bound = std if formula is not None else std * math.sqrt(3.0)
        assert np.abs(_numpy(gt)).max() <= bound * (1 + 1e-6)
        std = bound / math.sqrt(3.0)
    if gt.numel() >= 500:  # the sample's spread is the formula's
        assert np.std(_numpy(gt)) == pytest.approx(std, rel=0.2)
