"""Randomized differential tests of the autograd engine against PyTorch.

Hypothesis draws a small program: float64 leaves of mutually broadcastable shapes (0-d ones,
size-1 and now and then size-0 axes among them, some requiring grad), then steps that each apply
an op of a menu (arithmetic, exp, sin, pow, softmax, reductions, shape ops and views, indexing
with repeated indices, slicing, split, cat, stack, matmul, where, max, detach, a new leaf from a
detached node) to earlier nodes, so nodes are shared (diamonds) and some branches are detached
or built under ``no_grad()``. The same program runs in gradix and torch; every value, flag
(``requires_grad``, ``is_leaf``, ``grad_fn is None``, ``retains_grad``) and gradient must match:
``backward`` with and without ``gradient=`` and ``inputs=``, accumulation over calls,
``autograd.grad`` with several outputs, unused inputs and differentiable ``grad_outputs``, second
and third order, ``retain_grad`` and hooks (which ones run, and what they change), and the errors
of a second backward, of an output that doesn't require grad and of bad ``inputs=``. Scenarios
of the bugs these tests found close the file."""
import math
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gradix

torch = pytest.importorskip("torch", reason="needs PyTorch as the reference (not installed)")
# torch warns when .grad of a non-leaf is read (None unless retained; gradix's too), of the
# reference cycle backward(create_graph=True) makes between a leaf and its .grad, and of the
# strides of an empty .grad
pytestmark = pytest.mark.filterwarnings(
    "ignore:The .grad attribute of a Tensor that is not",
    "ignore:Using backward\\(\\) with create_graph=True",
    "ignore:grad and param do not obey the gradient layout contract")
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
RTOL = 1e-9


# ---------------------------------------------------------------------- programs
@dataclass
class Node:
    shape: tuple
    requires_grad: bool


@dataclass
class Step:
    op: str
    args: tuple         # indices of earlier nodes
    params: dict
    no_grad: bool = False


@dataclass
class Program:
    leaves: list        # (array, requires_grad)
    steps: list
    nodes: list         # Node per leaf and step: what the program computes, known before running

    def grad_nodes(self):
        return [i for i, n in enumerate(self.nodes) if n.requires_grad]


def _weights(seed, shape):
    return np.random.default_rng(seed).uniform(0.5, 1.5, shape) * np.random.default_rng(
        seed + 1).choice([-1.0, 1.0], shape)


def _index(m, a, dim, idx):
    return a[(slice(None),) * dim + (m.tensor(idx),)]


# op name -> f(m, *nodes, **params); m is gradix or torch
OPS = {
    "add": lambda m, a, b: a + b,
    "sub": lambda m, a, b: a - b,
    "mul": lambda m, a, b: a * b,
    "div": lambda m, a, b: a / (b * b + 1),
    "rdiv": lambda m, a: 1.5 / (a * a + 0.5),
    "scale": lambda m, a, c: a * c - c,
    "exp_tanh": lambda m, a: a.tanh().exp(),
    "sin": lambda m, a: a.sin(),
    "sum": lambda m, a, dim, keepdim: a.sum() if dim is None else a.sum(dim=dim, keepdim=keepdim),
    "mean": lambda m, a, dim, keepdim: a.mean() if dim is None else a.mean(dim=dim,
                                                                           keepdim=keepdim),
    "reshape": lambda m, a, shape: a.reshape(shape),
    "transpose": lambda m, a, d0, d1: a.transpose(d0, d1),
    "expand": lambda m, a, shape: a.expand(shape),
    "index": lambda m, a, dim, idx: _index(m, a, dim, idx),
    "cat": lambda m, a, b, dim: m.cat([a, b], dim=dim),
    "stack": lambda m, a, b, dim: m.stack([a, b], dim=dim),
    "matmul": lambda m, a, b: a @ b,
    "where": lambda m, a, b, mask: m.where(m.tensor(mask), a, b),
    "max": lambda m, a, dim, keepdim: a.max(dim=dim, keepdim=keepdim)[0],
    "detach": lambda m, a: a.detach(),
    "new_leaf": lambda m, a: a.detach().requires_grad_(),
    "pow": lambda m, a, p: a ** p,
    "softmax": lambda m, a, dim: a.softmax(dim=dim),
    "sum_dims": lambda m, a, dims: a.sum(dim=dims),
    "slice": lambda m, a, dim, start, step: a[(slice(None),) * dim + (slice(start, None, step),)],
    "split": lambda m, a, size, dim, i: a.split(size, dim)[i],
    "unsqueeze": lambda m, a, dim: a.unsqueeze(dim),
    "squeeze": lambda m, a, dim: a.squeeze(dim),
    "clone": lambda m, a: a.clone(),
}
VIEWS = ("reshape", "transpose", "expand", "detach", "new_leaf", "slice", "split", "unsqueeze",
         "squeeze")
# differentiable ops, smooth where the graph runs (max without ties, where with a fixed mask)
SMOOTH = [op for op in OPS if op not in ("detach", "new_leaf")]


def _broadcast(*shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def _matmul_shape(sa, sb):
    if not sa or not sb:
        return None
    try:
        return np.matmul(np.zeros(sa), np.zeros(sb)).shape
    except ValueError:
        return None


def _reshapes(shape):
    n = math.prod(shape)
    out = {(n,), (1, n), (n, 1), shape[::-1], shape + (1,)}
    if len(shape) >= 2:
        out.add(shape[:-2] + (shape[-2] * shape[-1],))
    if n == 1:
        out.add(())
    if n % 2 == 0 and n > 2:
        out.add((2, n // 2))
    return sorted(out)


@st.composite
def _step(draw, nodes, menu, seed):
    """One Step applicable to ``nodes`` and the Node it produces."""
    pairs = [(i, j) for i in range(len(nodes)) for j in range(len(nodes))]
    options = {}
    for op in menu:
        if op in ("add", "sub", "mul", "div"):
            ok = [(i, j) for i, j in pairs
                  if _broadcast(nodes[i].shape, nodes[j].shape) is not None]
            if ok:
                options[op] = ok
        elif op == "matmul":
            ok = [(i, j) for i, j in pairs if _matmul_shape(nodes[i].shape, nodes[j].shape)]
            if ok:
                options[op] = ok
        elif op == "where":
            ok = [(i, j) for i, j in pairs
                  if _broadcast(nodes[i].shape, nodes[j].shape) is not None]
            if ok:
                options[op] = ok
        elif op in ("cat", "stack"):
            ok = [(i, j) for i, j in pairs if nodes[i].shape == nodes[j].shape
                  and (op == "stack" or nodes[i].shape)]
            if ok:
                options[op] = ok
        elif op in ("transpose", "index", "max", "slice", "split"):
            ok = [(i,) for i, n in enumerate(nodes) if n.shape and
                  (op != "transpose" or len(n.shape) >= 2) and
                  (op == "transpose" or math.prod(n.shape) > 0)]
            if ok:
                options[op] = ok
        else:
            options[op] = [(i,) for i in range(len(nodes))]
    op = draw(st.sampled_from(sorted(options)))
    args = draw(st.sampled_from(options[op]))
    shapes = [nodes[i].shape for i in args]
    s = shapes[0]
    params = {}
    if op in ("add", "sub", "mul", "div"):
        shape = _broadcast(*shapes)
    elif op == "matmul":
        shape = _matmul_shape(*shapes)
    elif op == "where":
        full = _broadcast(*shapes)
        # the mask may broadcast too: some of its axes size 1, or fewer axes
        mshape = tuple(1 if draw(st.booleans()) else k for k in full)[draw(
            st.integers(0, len(full))):]
        params["mask"] = np.random.default_rng(seed).random(mshape) < 0.5
        shape = _broadcast(full, mshape)
    elif op in ("cat", "stack"):
        dim = draw(st.integers(-len(s) - (op == "stack"), len(s) - (op == "cat")))
        params["dim"] = dim
        if op == "cat":
            d = dim % len(s)
            shape = s[:d] + (2 * s[d],) + s[d + 1:]
        else:
            d = dim % (len(s) + 1)
            shape = s[:d] + (2,) + s[d:]
    elif op in ("sum", "mean"):
        dim = draw(st.none() | st.integers(-max(len(s), 1), max(len(s), 1) - 1))
        keepdim = draw(st.booleans())
        params.update(dim=dim, keepdim=keepdim)
        if dim is None or not s:
            shape = ()
        else:
            d = dim % len(s)
            shape = s[:d] + ((1,) if keepdim else ()) + s[d + 1:]
    elif op == "max":
        dim = draw(st.integers(-len(s), len(s) - 1))
        keepdim = draw(st.booleans())
        params.update(dim=dim, keepdim=keepdim)
        d = dim % len(s)
        shape = s[:d] + ((1,) if keepdim else ()) + s[d + 1:]
    elif op == "reshape":
        shape = draw(st.sampled_from(_reshapes(s)))
        params["shape"] = shape
    elif op == "transpose":
        d0, d1 = draw(st.integers(-len(s), len(s) - 1)), draw(st.integers(-len(s), len(s) - 1))
        params.update(d0=d0, d1=d1)
        shape = list(s)
        shape[d0], shape[d1] = shape[d1], shape[d0]
        shape = tuple(shape)
    elif op == "expand":
        grown = tuple(draw(st.sampled_from([2, 3])) if k == 1 else k for k in s)
        shape = tuple(draw(st.lists(st.sampled_from([1, 2]), max_size=2))) + grown
        params["shape"] = shape
    elif op == "index":
        dim = draw(st.integers(0, len(s) - 1))
        idx = draw(st.lists(st.integers(-s[dim], s[dim] - 1), min_size=1, max_size=4))
        params.update(dim=dim, idx=idx)
        shape = s[:dim] + (len(idx),) + s[dim + 1:]
    elif op == "pow":
        params["p"] = draw(st.sampled_from([2, 3]))
        shape = s
    elif op == "softmax":
        params["dim"] = draw(st.integers(-max(len(s), 1), max(len(s), 1) - 1))
        shape = s
    elif op == "sum_dims":
        dims = draw(st.lists(st.integers(0, len(s) - 1), unique=True, min_size=1)) if s else [0]
        params["dims"] = tuple(d - len(s) * draw(st.booleans()) for d in dims)
        shape = tuple(k for i, k in enumerate(s) if i not in dims)
    elif op == "slice":
        dim = draw(st.integers(0, len(s) - 1))
        start, step = draw(st.integers(0, s[dim] - 1)), draw(st.sampled_from([1, 2]))
        params.update(dim=dim, start=start, step=step)
        shape = s[:dim] + (len(range(start, s[dim], step)),) + s[dim + 1:]
    elif op == "split":
        dim = draw(st.integers(0, len(s) - 1))
        size = draw(st.integers(1, s[dim]))
        i = draw(st.integers(0, (s[dim] - 1) // size))
        params.update(size=size, dim=dim - len(s) * draw(st.booleans()), i=i)
        shape = s[:dim] + (min(size, s[dim] - i * size),) + s[dim + 1:]
    elif op == "unsqueeze":
        dim = draw(st.integers(-len(s) - 1, len(s)))
        params["dim"] = dim
        d = dim % (len(s) + 1)
        shape = s[:d] + (1,) + s[d:]
    elif op == "squeeze":
        dim = draw(st.integers(-max(len(s), 1), max(len(s), 1) - 1))
        params["dim"] = dim
        shape = s[:dim % len(s)] + s[dim % len(s) + 1:] if s and s[dim] == 1 else s
    elif op == "scale":
        params["c"] = draw(st.sampled_from([0.5, -1.25, 2.0]))
        shape = s
    else:  # element-wise unary, detach
        shape = s
    # not views: torch gives a view made under no_grad() its base's requires_grad (gradix
    # doesn't), though nothing flows back through it in either
    no_grad = op not in VIEWS and draw(st.sampled_from([False] * 7 + [True]))
    step = Step(op, tuple(args), params, no_grad)
    return step, Node(tuple(shape), _requires_grad(step, nodes))


def _requires_grad(step, nodes):
    """Whether the output of ``step`` requires grad, its inputs being ``nodes``."""
    return step.op == "new_leaf" or (step.op != "detach" and not step.no_grad
                                     and any(nodes[i].requires_grad for i in step.args))


@st.composite
def programs(draw, menu=tuple(OPS), max_leaves=4, max_steps=10, min_steps=1):
    n = draw(st.integers(1, max_leaves))
    empty = draw(st.sampled_from([False] * 7 + [True]))  # now and then a size-0 axis
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=n, max_dims=3, max_side=3,
                                                    min_side=0 if empty else 1))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    leaves, nodes = [], []
    for shape in shapes.input_shapes:
        rg = draw(st.sampled_from([True, True, False]))
        leaves.append((rng.standard_normal(shape), rg))
        nodes.append(Node(tuple(shape), rg))
    steps = []
    for k in range(draw(st.integers(min_steps, max_steps))):
        step, node = draw(_step(nodes, menu, seed + k))
        steps.append(step)
        nodes.append(node)
    return Program(leaves, steps, nodes)


def build(m, prog):
    """The tensors of ``prog`` run in library m: leaves first, then one per step."""
    dtype = m.float64
    nodes = [m.tensor(a, dtype=dtype, requires_grad=rg) for a, rg in prog.leaves]
    for step in prog.steps:
        with m.no_grad() if step.no_grad else nullcontext():
            nodes.append(OPS[step.op](m, *[nodes[i] for i in step.args], **step.params))
    return nodes


def both(prog):
    return build(gradix, prog), build(torch, prog)


# ---------------------------------------------------------------------- comparing
def _array(t):
    return None if t is None else t.detach().numpy()


def assert_same(g, t, what):
    """g (gradix) and t (torch): both None, or same shape, dtype and values."""
    assert (g is None) == (t is None), (what, "gradix", g, "torch", t)
    if t is None:
        return
    assert tuple(g.shape) == tuple(t.shape), (what, tuple(g.shape), tuple(t.shape))
    assert str(g.dtype).endswith("float64") and t.dtype == torch.float64, (what, g.dtype)
    a, b = _array(g), _array(t)
    scale = max(1.0, float(np.max(np.abs(b), initial=0.0)))
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-12 * scale, equal_nan=True, err_msg=what)


def assert_flags(g, t, what):
    assert g.requires_grad == t.requires_grad, (what, "requires_grad")
    assert g.is_leaf == t.is_leaf, (what, "is_leaf")
    assert (g.grad_fn is None) == (t.grad_fn is None), (what, "grad_fn")


def _loss(m, nodes, picks, seed):
    """sum_k (nodes[k] * W_k).sum(), random fixed weights: no gradient is all ones."""
    out = None
    for j, k in enumerate(picks):
        term = (nodes[k] * m.tensor(_weights(seed + j, tuple(nodes[k].shape)))).sum()
        out = term if out is None else out + term
    return out


@st.composite
def with_loss(draw, progs=None):
    """(program, picks, seed): a program and the nodes (some requiring grad) a loss sums."""
    prog = draw(programs() if progs is None else progs)
    grads = prog.grad_nodes()
    if not grads:  # the first leaf requires grad
        prog = _reflag(Program([(prog.leaves[0][0], True)] + prog.leaves[1:], prog.steps,
                               prog.nodes))
        grads = prog.grad_nodes()
    picks = draw(st.lists(st.sampled_from(range(len(prog.nodes))), max_size=3))
    picks.append(draw(st.sampled_from(grads)))
    return prog, picks, draw(st.integers(0, 2 ** 20))


def _reflag(prog):
    """prog with its nodes' requires_grad worked out again from its leaves'."""
    nodes = [Node(n.shape, rg) for n, (_, rg) in zip(prog.nodes, prog.leaves)]
    for step, n in zip(prog.steps, prog.nodes[len(prog.leaves):]):
        nodes.append(Node(n.shape, _requires_grad(step, nodes)))
    return Program(prog.leaves, prog.steps, nodes)


def _leaf_grads(gnodes, tnodes, what):
    for i, (g, t) in enumerate(zip(gnodes, tnodes)):
        if t.is_leaf:
            assert_same(g.grad, t.grad, f"{what}: .grad of node {i}")


def _all_grads(gnodes, tnodes, what):
    """.grad (leaves, retained nodes) and retains_grad of every node."""
    for i, (g, t) in enumerate(zip(gnodes, tnodes)):
        assert g.retains_grad == t.retains_grad, f"{what}: retains_grad of node {i}"
        assert_same(g.grad, t.grad, f"{what}: .grad of node {i}")


@dataclass
class Extras:
    """Hooks (node index, factor, whether removed again) that log their calls and scale the
    gradient (a factor None returns None: the gradient stays), and nodes whose gradient is
    retained."""
    hooks: list
    retained: list


def instrument(nodes, extras):
    """Registers ``extras`` on ``nodes`` (those that require grad); returns the hook log."""
    log = []
    for k, factor, removed in extras.hooks:
        if nodes[k].requires_grad:
            handle = nodes[k].register_hook(
                lambda g, k=k, factor=factor: log.append(k) or (
                    None if factor is None else g * factor))
            if removed:
                handle.remove()
    for k in extras.retained:
        if nodes[k].requires_grad:
            nodes[k].retain_grad()
    return log


def both_instrumented(prog, extras):
    gnodes, tnodes = both(prog)
    return gnodes, tnodes, instrument(gnodes, extras), instrument(tnodes, extras)


def _same_calls(glog, tlog, what):
    """The same hooks ran, as often (the order of independent nodes may differ)."""
    assert sorted(glog) == sorted(tlog), (what, "hook calls", glog, tlog)


# ---------------------------------------------------------------------- the checks
def check_forward_and_flags(prog):
    gnodes, tnodes = both(prog)
    for i, (g, t) in enumerate(zip(gnodes, tnodes)):
        assert_flags(g, t, f"node {i}")
        assert g.requires_grad == prog.nodes[i].requires_grad, f"node {i} requires_grad"
        assert tuple(g.shape) == prog.nodes[i].shape, f"node {i} shape"
        assert_same(g, t, f"node {i}")


def check_backward(prog, picks, seed, extras):
    """loss.backward() with hooks and retain_grad on some nodes."""
    gnodes, tnodes, glog, tlog = both_instrumented(prog, extras)
    _loss(gradix, gnodes, picks, seed).backward()
    _loss(torch, tnodes, picks, seed).backward()
    _all_grads(gnodes, tnodes, "backward()")
    _same_calls(glog, tlog, "backward()")


def check_backward_gradient(prog, k, seed):
    """nodes[k].backward(gradient=G) on a node of any shape."""
    gnodes, tnodes = both(prog)
    grad = _weights(seed, prog.nodes[k].shape)
    gnodes[k].backward(gradient=gradix.tensor(grad))
    tnodes[k].backward(gradient=torch.tensor(grad))
    _all_grads(gnodes, tnodes, "backward(gradient=)")


def check_backward_inputs(prog, picks, seed, inputs, extras):
    """loss.backward(inputs=...) fills only those (leaves or not, named twice or not), and a
    non-leaf among them retains its grad from then on, after its hooks."""
    gnodes, tnodes, glog, tlog = both_instrumented(prog, extras)
    _loss(gradix, gnodes, picks, seed).backward(inputs=[gnodes[k] for k in inputs])
    _loss(torch, tnodes, picks, seed).backward(inputs=[tnodes[k] for k in inputs])
    _all_grads(gnodes, tnodes, "backward(inputs=)")
    _same_calls(glog, tlog, "backward(inputs=)")


def check_accumulation(prog, picks, seed):
    """Two backward calls through one graph (retain_graph=True), then a third through a second
    loss: .grad sums them. Then backward(create_graph=True) makes .grad differentiable: the
    gradient of a function of the leaves' .grad (a double backward through .grad)."""
    gnodes, tnodes = both(prog)
    for m, nodes in ((gradix, gnodes), (torch, tnodes)):
        loss = _loss(m, nodes, picks, seed)
        loss.backward(retain_graph=True)
        loss.backward(retain_graph=True)
        (loss * loss).backward()
    _leaf_grads(gnodes, tnodes, "accumulated")
    gnodes, tnodes = both(prog)
    outs = []
    for m, nodes in ((gradix, gnodes), (torch, tnodes)):
        _loss(m, nodes, picks, seed).backward(create_graph=True)
        leaves = [x for x in nodes[:len(prog.leaves)] if x.grad is not None]
        terms = [(x.grad * x.grad * m.tensor(_weights(seed + 7, tuple(x.shape)))).sum()
                 for x in leaves if x.grad.requires_grad]
        outs.append((leaves, terms))
    (gleaves, gterms), (tleaves, tterms) = outs
    assert len(gleaves) == len(tleaves)
    for i, (g, t) in enumerate(zip(gleaves, tleaves)):
        assert_same(g.grad, t.grad, f"create_graph .grad of leaf {i}")
        assert g.grad.requires_grad == t.grad.requires_grad, f"leaf {i} .grad requires_grad"
    if tterms:
        ins = [i for i, x in enumerate(tleaves) if x.requires_grad]
        gs = gradix.autograd.grad(gterms, [gleaves[i] for i in ins], allow_unused=True)
        ts = torch.autograd.grad(tterms, [tleaves[i] for i in ins], allow_unused=True)
        for i, g, t in zip(ins, gs, ts):
            assert_same(g, t, f"gradient of a function of .grad, leaf {i}")


def _grad(m, outs, ins, seed, **kwargs):
    ups = [m.tensor(_weights(seed + j, tuple(o.shape))) for j, o in enumerate(outs)]
    return m.autograd.grad(outs, ins, grad_outputs=ups, allow_unused=True, **kwargs)


def check_grad(prog, outs, ins, seed, extras):
    """autograd.grad of several outputs (repeats allowed) with respect to nodes (leaves,
    intermediates, repeats, unused ones) with random grad_outputs, with hooks and retained
    nodes; no leaf's .grad changes."""
    gnodes, tnodes, glog, tlog = both_instrumented(prog, extras)
    for create_graph in (False, True):  # the graph was retained: the second call works
        gs = _grad(gradix, [gnodes[k] for k in outs], [gnodes[k] for k in ins], seed,
                   retain_graph=True, create_graph=create_graph)
        ts = _grad(torch, [tnodes[k] for k in outs], [tnodes[k] for k in ins], seed,
                   retain_graph=True, create_graph=create_graph)
        assert len(gs) == len(ts) == len(ins)
        for k, g, t in zip(ins, gs, ts):
            assert_same(g, t, f"grad of input node {k} (create_graph={create_graph})")
            assert g is None or create_graph or not g.requires_grad
        _all_grads(gnodes, tnodes, "grad()")
        _same_calls(glog, tlog, "grad()")


def check_grad_prunes(prog, picks, seed, k, extras):
    """grad(loss, node k) runs only what lies between them, as torch does: no hook or
    retain_grad behind node k, and the graph behind it isn't freed, so a backward through it
    works afterwards without retain_graph."""
    gnodes, tnodes, glog, tlog = both_instrumented(prog, extras)
    (g,) = gradix.autograd.grad(_loss(gradix, gnodes, picks, seed), gnodes[k], allow_unused=True)
    (t,) = torch.autograd.grad(_loss(torch, tnodes, picks, seed), tnodes[k], allow_unused=True)
    assert_same(g, t, f"grad with respect to node {k}")
    _all_grads(gnodes, tnodes, "grad()")
    _same_calls(glog, tlog, "grad()")
    _loss(gradix, gnodes, [k], seed + 1).backward()
    _loss(torch, tnodes, [k], seed + 1).backward()
    _all_grads(gnodes, tnodes, "backward() after grad()")
    _same_calls(glog, tlog, "backward() after grad()")


def check_higher_order(prog, picks, ins, seed, order):
    """grad(loss, ins, create_graph=True), then ``order - 1`` times the gradient of a function
    of the last gradients (Hessian-vector products and beyond)."""
    gnodes, tnodes = both(prog)
    gout = [_loss(gradix, gnodes, picks, seed)]
    tout = [_loss(torch, tnodes, picks, seed)]
    for level in range(order):
        last = level == order - 1
        gs = gradix.autograd.grad(gout, [gnodes[k] for k in ins], create_graph=not last,
                                  allow_unused=True)
        ts = torch.autograd.grad(tout, [tnodes[k] for k in ins], create_graph=not last,
                                 allow_unused=True)
        for k, g, t in zip(ins, gs, ts):
            assert_same(g, t, f"order {level + 1} gradient of node {k}")
            if t is not None:
                assert g.requires_grad == t.requires_grad, (
                    f"order {level + 1} gradient of node {k} requires_grad")
        # the next outputs: of each gradient that requires grad, a weighted sum plus its
        # squares (a Hessian-vector product, and the Hessian applied to the gradient)
        gout, tout = [], []
        for j, (g, t) in enumerate(zip(gs, ts)):
            if t is not None and t.requires_grad:
                w = _weights(seed + 100 * (level + 1) + j, tuple(t.shape))
                gout.append((g * gradix.tensor(w) + g * g).sum())
                tout.append((t * torch.tensor(w) + t * t).sum())
        if not tout:
            return


def check_grad_outputs_differentiable(prog, outs, ins, seed):
    """grad(outs, ins, grad_outputs=v, create_graph=True) with v requiring grad: the gradients
    are linear in v, and the gradient of a function of them reaches v and the inputs."""
    gnodes, tnodes = both(prog)
    res = []
    for m, nodes in ((gradix, gnodes), (torch, tnodes)):
        vs = [m.tensor(_weights(seed + j, tuple(nodes[k].shape)), requires_grad=True)
              for j, k in enumerate(outs)]
        gs = m.autograd.grad([nodes[k] for k in outs], [nodes[k] for k in ins], grad_outputs=vs,
                             create_graph=True, allow_unused=True)
        used = [g for g in gs if g is not None]
        out = None
        for j, g in enumerate(used):
            term = (g * g * m.tensor(_weights(seed + 50 + j, tuple(g.shape)))).sum()
            out = term if out is None else out + term
        hs = m.autograd.grad(out, vs + [nodes[k] for k in ins], allow_unused=True) if used else ()
        res.append((gs, hs))
    (ggs, ghs), (tgs, ths) = res
    for k, g, t in zip(ins, ggs, tgs):
        assert_same(g, t, f"gradient of node {k}")
    assert len(ghs) == len(ths)
    for i, (g, t) in enumerate(zip(ghs, ths)):
        assert_same(g, t, f"second gradient {i} (grad_outputs first)")


def _raises_in_both(what, gcall, tcall):
    for lib, call in (("gradix", gcall), ("torch", tcall)):
        try:
            call()
        except RuntimeError:
            continue
        pytest.fail(f"{what}: {lib} doesn't raise RuntimeError")


def check_errors(prog, picks, seed, k):
    """A second backward without retain_graph raises RuntimeError in gradix, and in torch
    where torch raises (torch lets it pass when no node saved anything: README); backward and
    grad of a node that doesn't require grad, a non-scalar backward without gradient, an empty
    or a non-differentiable inputs= raise RuntimeError in both."""
    gnodes, tnodes = both(prog)
    gloss, tloss = _loss(gradix, gnodes, picks, seed), _loss(torch, tnodes, picks, seed)
    _raises_in_both("empty inputs=", lambda: gloss.backward(inputs=[]),
                    lambda: tloss.backward(inputs=[]))
    gloss.backward()
    tloss.backward()
    with pytest.raises(RuntimeError, match="second time"):
        gloss.backward()
    try:
        tloss.backward()
    except RuntimeError:
        pass
    gnodes, tnodes = both(prog)
    g, t = gnodes[k], tnodes[k]
    leaf = next((i for i, (_, rg) in enumerate(prog.leaves) if rg), None)
    if not t.requires_grad:
        _raises_in_both("backward", lambda: g.sum().backward(), lambda: t.sum().backward())
        if leaf is not None:
            _raises_in_both("grad", lambda: gradix.autograd.grad(g.sum(), gnodes[leaf]),
                            lambda: torch.autograd.grad(t.sum(), tnodes[leaf]))
        _raises_in_both("register_hook", lambda: g.register_hook(lambda v: v),
                        lambda: t.register_hook(lambda v: v))
        if not t.is_leaf:
            _raises_in_both("retain_grad", g.retain_grad, t.retain_grad)
        if leaf is not None:
            gl, tl = _loss(gradix, gnodes, [leaf], seed), _loss(torch, tnodes, [leaf], seed)
            _raises_in_both("grad with respect to it",
                            lambda: gradix.autograd.grad(gl, [gnodes[leaf], g]),
                            lambda: torch.autograd.grad(tl, [tnodes[leaf], t]))
            _raises_in_both("backward(inputs=[it])",
                            lambda: gl.backward(inputs=[gnodes[leaf], g]),
                            lambda: tl.backward(inputs=[tnodes[leaf], t]))
    elif t.numel() != 1:
        _raises_in_both("non-scalar backward", g.backward, t.backward)


# ---------------------------------------------------------------------- strategies of checks
def _node_lists(prog, only_grad=False, min_size=0, max_size=4):
    pool = prog.grad_nodes() if only_grad else list(range(len(prog.nodes)))
    return st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size)


def _extras(draw, prog):
    grads = prog.grad_nodes()
    return Extras(draw(st.lists(st.tuples(st.sampled_from(grads),
                                          st.sampled_from([2.0, -0.5, 3.0, None]),
                                          st.sampled_from([False] * 4 + [True])), max_size=3)),
                  draw(_node_lists(prog, only_grad=True, max_size=3)))


@st.composite
def backward_cases(draw):
    prog, picks, seed = draw(with_loss())
    return prog, picks, seed, _extras(draw, prog)


@st.composite
def gradient_cases(draw):
    prog, _, seed = draw(with_loss())
    return prog, draw(st.sampled_from(prog.grad_nodes())), seed


@st.composite
def inputs_cases(draw):
    prog, picks, seed = draw(with_loss())
    inputs = draw(_node_lists(prog, only_grad=True, min_size=1))
    return prog, picks, seed, inputs, _extras(draw, prog)


@st.composite
def grad_cases(draw):
    prog, _, seed = draw(with_loss())
    outs = draw(_node_lists(prog, only_grad=True, min_size=1, max_size=3))
    ins = draw(_node_lists(prog, only_grad=True, min_size=1))
    return prog, outs, ins, seed, _extras(draw, prog)


@st.composite
def prune_cases(draw):
    prog, picks, seed = draw(with_loss())
    return prog, picks, seed, draw(st.sampled_from(prog.grad_nodes())), _extras(draw, prog)


@st.composite
def higher_cases(draw, order=2, menu=tuple(SMOOTH), max_steps=8):
    prog, picks, seed = draw(with_loss(programs(menu=menu, max_steps=max_steps)))
    return prog, picks, draw(_node_lists(prog, only_grad=True, min_size=1)), seed, order


@st.composite
def error_cases(draw):
    prog, picks, seed = draw(with_loss())
    return prog, picks, seed, draw(st.sampled_from(range(len(prog.nodes))))


THIRD_ORDER_MENU = ("add", "sub", "mul", "div", "exp_tanh", "sin", "sum", "reshape",
                    "transpose", "expand", "index", "matmul")


# ---------------------------------------------------------------------- tests
@SETTINGS
@given(prog=programs())
def test_values_and_flags_match_torch(prog):
    check_forward_and_flags(prog)


@SETTINGS
@given(case=backward_cases())
def test_backward_with_hooks_and_retain_grad_matches_torch(case):
    check_backward(*case)


@SETTINGS
@given(case=gradient_cases())
def test_backward_with_gradient_matches_torch(case):
    check_backward_gradient(*case)


@SETTINGS
@given(case=inputs_cases())
def test_backward_with_inputs_matches_torch(case):
    check_backward_inputs(*case)


@SETTINGS
@given(case=with_loss())
def test_grad_accumulates_like_torch(case):
    check_accumulation(*case)


@SETTINGS
@given(case=grad_cases())
def test_autograd_grad_matches_torch(case):
    check_grad(*case)


@SETTINGS
@given(case=prune_cases())
def test_autograd_grad_runs_only_the_nodes_it_needs_like_torch(case):
    check_grad_prunes(*case)


@SETTINGS
@given(case=grad_cases())
def test_gradient_through_grad_outputs_matches_torch(case):
    check_grad_outputs_differentiable(*case[:4])


@SETTINGS
@given(case=higher_cases())
def test_second_order_matches_torch(case):
    check_higher_order(*case)


@SETTINGS
@given(case=higher_cases(order=3, menu=THIRD_ORDER_MENU, max_steps=5))
def test_third_order_matches_torch(case):
    check_higher_order(*case)


@SETTINGS
@given(case=error_cases())
def test_errors_match_torch(case):
    check_errors(*case)


# ---------------------------------------------------------------------- regressions
# Each scenario runs in gradix and torch (``m``) and returns what must match: tensors (compared
# by value) or other values (compared with ==).
def _leaf(m, values=(1.0, 2.0, 3.0)):
    return m.tensor(values, dtype=m.float64, requires_grad=True)


def _same_shape_views(m):
    """A shape op that changes nothing still makes a new tensor: hooks, retain_grad and
    grad() apply to it, not to x, and under no_grad() nothing flows back through it."""
    out = []
    for view in (lambda x: x.reshape(3), lambda x: x.expand(3), lambda x: x.permute(0),
                 lambda x: x.transpose(0, 0), lambda x: x.squeeze(0),
                 lambda x: x.t(), lambda x: x.movedim(0, 0), lambda x: x.view_as(x)):
        x = _leaf(m)
        y = view(x)
        y.register_hook(lambda g: g * 10)
        z = (y * x).sum()
        out += [y.is_leaf, y.grad_fn is None, *m.autograd.grad(z, [y], retain_graph=True)]
        z.backward()
        with m.no_grad():
            c = view(x)
        ((x - c) ** 2 + x).sum().backward()
        out.append(x.grad)
    x = _leaf(m)
    out += [x.flatten() is x, m.atleast_1d(x) is x, m.broadcast_tensors(x, x)[0] is x]
    return out


def _retains_grad_after_backward(m):
    y = _leaf(m) * 2
    y.retain_grad()
    (y * y).sum().backward()
    return [y.retains_grad, y.grad]


def _backward_inputs(m):
    """inputs= named twice counts once; a non-leaf in it retains its grad after its hooks."""
    x = _leaf(m)
    y = x * 2
    y.register_hook(lambda g: g * 10)
    (y * y + x).sum().backward(inputs=[x, y, x])
    return [x.grad, y.grad, y.retains_grad]


def _backward_inputs_errors(m):
    x = _leaf(m)
    out = []
    for inputs in ([], [m.ones(3, dtype=m.float64)]):
        try:
            (x * x).sum().backward(inputs=inputs)
            out.append("no error")
        except RuntimeError:
            out.append("RuntimeError")
    return out


def _grad_of_hooked_target(m):
    """grad() takes a target's gradient after its hooks when nothing behind it is needed,
    before them when its backward must run for another target; the single output's hooks run
    even when it isn't on the way to a target."""
    x = _leaf(m)
    log = []
    y = x * 3
    y.register_hook(lambda g: log.append("y") or g * 5)
    z = x.exp()
    z.register_hook(lambda g: log.append("z") or g * 7)
    w = (y * y).sum() + z.sum()
    w.register_hook(lambda g: log.append("w") or g)
    out = [*m.autograd.grad(w, [y], retain_graph=True), *m.autograd.grad(w, [y, x],
                                                                           retain_graph=True)]
    out += [*m.autograd.grad([y.sum(), (y * 2).sum()], [y], retain_graph=True)]
    out += [m.autograd.grad(z.sum(), [y], allow_unused=True)[0] is None, log]
    return out


def _grad_runs_only_what_it_needs(m):
    """grad() with respect to an intermediate neither runs the hooks behind it nor frees the
    graph there: a backward through that part works afterwards."""
    x = _leaf(m)
    log = []
    x.register_hook(lambda g: log.append("x") or g)
    y = x.exp()
    y.register_hook(lambda g: log.append("y") or g)
    (g,) = m.autograd.grad((y * y).sum(), [y])
    (y * y).sum().backward()
    return [g, x.grad, log]


REGRESSIONS = [_same_shape_views, _retains_grad_after_backward, _backward_inputs,
               _backward_inputs_errors, _grad_of_hooked_target, _grad_runs_only_what_it_needs]


@pytest.mark.parametrize("scenario", REGRESSIONS, ids=lambda f: f.__name__.strip("_"))
def test_regressions_match_torch(scenario):
    ours, theirs = scenario(gradix), scenario(torch)
    assert len(ours) == len(theirs)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if isinstance(b, torch.Tensor):
            assert_same(a, b, f"value {i}")
        else:
            assert a == b, (i, a, b)
