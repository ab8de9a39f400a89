"""Backpropagation: reverse topological order, gradient accumulation, graph freeing."""
import heapq
from operator import attrgetter

import numpy as np

from . import grad_mode, hooks, inplace

_seq = attrgetter("seq")
_FREED = ("Trying to backward through the graph a second time (or to use values its "
          "backward already freed); pass retain_graph=True to the first backward call")


def run_backward(outputs, grad_outputs, retain_graph=False, create_graph=False, targets=None):
    """Backpropagates ``grad_outputs`` from ``outputs`` through the recorded graph.

    Without ``targets``, gradients accumulate into the ``.grad`` of the leaves that require
    them. With ``targets`` (a list of Tensors), their gradients are returned instead and no
    ``.grad`` is touched.
    """
    from ..ops.shape import sum_to

    # First-order gradients flow as raw arrays: a node whose backward runs on arrays gets one,
    # any other node gets it wrapped in a Tensor. With create_graph they flow as Tensors.
    on_arrays = not create_graph
    if on_arrays:
        grad_outputs = [g.data for g in grad_outputs]
    grads = {}        # node -> gradient of its output, summed over all its consumers
    leaf_grads = {}   # id(leaf) -> (leaf, gradient)
    for out, g in zip(outputs, grad_outputs):
        if out._ctx is None:
            leaf_grads[id(out)] = (out, g if id(out) not in leaf_grads
                                   else leaf_grads[id(out)][1] + g)
        else:
            grads[out._ctx] = grads[out._ctx] + g if out._ctx in grads else g
    wanted = needed = None
    if targets is not None:
        # As torch's engine: only the nodes a target lies behind run their backward (and
        # hooks, retain_grad and graph freeing); a target node that none lies behind is
        # reached, its hooks run, and its gradient is taken after them. So is a single
        # output (torch runs it as the root of the graph), whether a target or not.
        wanted = {x._ctx for x in targets if x._ctx is not None}
        wanted_leaves = {id(x) for x in targets if x._ctx is None}
        needed = _needed(grads, wanted, wanted_leaves)
        single = len(outputs) == 1
        grads = {n: g for n, g in grads.items() if single or n in needed or n in wanted}
        leaf_grads = {k: v for k, v in leaf_grads.items() if single or k in wanted_leaves}
    captured = {}

    # Nodes are visited from the newest down: every consumer of a node was created after it,
    # so when a node comes off the heap its gradient has received every contribution.
    # A loop, not recursion: graphs of any depth stay clear of Python's recursion limit.
    for node in grads:
        if node.inputs is None and (needed is None or node in needed):
            raise RuntimeError(_FREED)
    heap = [(-node.seq, node) for node in grads]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    prev = grad_mode._enabled
    grad_mode._enabled = create_graph
    try:
        node = pop(heap)[1] if heap else None
        gy = grads.pop(node, None)
        changed = inplace.latest  # nodes older than the newest in-place change get checked
        hooked = hooks.used
        while node is not None:
            if needed is not None and node not in needed:  # nothing lies behind: a target,
                if hooked and node._hooks is not None:       # or the single output
                    gy = _after_hooks(node, gy)
                if node in wanted:
                    captured[node] = gy
                node = pop(heap)[1] if heap else None
                gy = grads.pop(node, None)
                continue
            if changed and node.seq < changed:
                inplace.check_saved(node)
            if wanted is not None and node in wanted:
                captured[node] = gy  # before its hooks, as torch's grad() when the node runs
            if hooked and node._hooks is not None:
                gy = _after_hooks(node, gy)
            unwrap = on_arrays and not node.array_backward
            if unwrap:
                gy = _make(np.asarray(gy), False, None)
            gxs = node.backward(gy)
            if gxs.__class__ is not tuple:
                gxs = (gxs,)
            # ``fresh`` is the first node this one gives its first gradient, kept aside from
            # ``grads``: in a chain it is the next node, and nothing else is pending.
            fresh = fresh_g = None
            k = 0  # gxs[k] is the gradient of x (a counter: zip's call costs more per node)
            for x in node.inputs:
                gx = gxs[k]
                k += 1
                if gx is None or not x.requires_grad:
                    continue
                if unwrap and isinstance(gx, Tensor):
                    gx = gx.data
                parent = x._ctx
                if needed is not None and (id(x) not in wanted_leaves if parent is None
                                           else parent not in needed and parent not in wanted):
                    continue  # no target lies behind x
                if gx.shape != x.data.shape:
                    gx = sum_to(gx, x.data.shape)
                if parent is None:
                    key = id(x)
                    leaf_grads[key] = (x, gx if key not in leaf_grads else leaf_grads[key][1] + gx)
                elif parent is fresh:
                    fresh_g = fresh_g + gx
                elif parent in grads:
                    grads[parent] = grads[parent] + gx
                else:
                    if parent.inputs is None:  # freed by an earlier backward: checked before
                        raise RuntimeError(_FREED)  # it enters the heap (its seq is gone)
                    if fresh is None:
                        fresh, fresh_g = parent, gx
                    else:
                        grads[parent] = gx
                        push(heap, (-parent.seq, parent))
            if not retain_graph:
                kept = node.__dict__ if hooked and node._hooks is not None else None
                node.__dict__ = {}  # drops inputs and saved arrays; inputs reads None again
                if kept is not None:  # the tensor's hooks and retain_grad outlive the graph,
                    node._hooks = kept["_hooks"]  # as in torch (retains_grad stays True)
                    if "_retained" in kept:
                        node._retained = kept["_retained"]
            # The next node is the newest pending one: the fresh one if nothing on the heap
            # is newer, which in a chain skips the heap and the dict altogether.
            if fresh is not None and (not heap or fresh.seq > -heap[0][0]):
                node, gy = fresh, fresh_g
            else:
                if fresh is not None:
                    grads[fresh] = fresh_g
                    push(heap, (-fresh.seq, fresh))
                node = pop(heap)[1] if heap else None
                gy = grads.pop(node, None)
    finally:
        grad_mode._enabled = prev

    if hooked:  # a leaf's hooks see its whole gradient, before it is returned or kept
        for key, (x, g) in leaf_grads.items():
            if getattr(x, "_hooks", None) is not None:
                leaf_grads[key] = (x, hooks.run(x, _as_tensor_grad(g)))
    if targets is not None:
        found = []
        for x in targets:
            if x._ctx is None:
                g = leaf_grads[id(x)][1] if id(x) in leaf_grads else None
            else:
                g = captured.get(x._ctx)
            found.append(_as_tensor_grad(g))
        return found
    # the arrays .grad must not alias: the caller's gradients, then each .grad stored
    owned = {id(g.data if isinstance(g, Tensor) else g) for g in grad_outputs}
    for x, g in leaf_grads.values():
        if not x.requires_grad:
            continue
        g = _as_tensor_grad(g)
        if not create_graph:
            g = g.detach()
        if x._grad is None:  # _grad: the engine's gradients fit, unlike a user's assignment
            # an add passes gy to both inputs, a reshape returns a view: .grad must own its data
            if id(g.data) in owned or g.data.base is not None:
                g = g.clone()
            owned.add(id(g.data))
            x._grad = g
        else:
            _add_to_grad(x, g, create_graph)
    return None


def _needed(roots, wanted, wanted_leaves):
    """The nodes reachable from ``roots`` with a target (a node in ``wanted`` or a leaf whose
    id is in ``wanted_leaves``) among their inputs or further behind. A node already freed
    counts as needed: backward reaching it raises."""
    seen, stack = set(roots), list(roots)
    while stack:
        inputs = stack.pop().inputs
        if inputs:
            for x in inputs:
                parent = x._ctx
                if parent is not None and parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
    needed = set()
    for node in sorted(seen, key=_seq):  # every node after its inputs
        inputs = node.inputs
        if inputs is None:
            needed.add(node)
            continue
        for x in inputs:
            parent = x._ctx
            if (id(x) in wanted_leaves) if parent is None else (
                    parent in needed or parent in wanted):
                needed.add(node)
                break
    return needed


def _after_hooks(node, gy):
    """The gradient of ``node``'s output after the hooks of that tensor (hooks take and give
    Tensors; gy may be an array)."""
    if isinstance(gy, Tensor):
        return hooks.run(node, gy)
    return hooks.run(node, _make(np.asarray(gy), False, None)).data


def _add_to_grad(x, g, create_graph):
    """Adds ``g`` to the existing ``x.grad`` as torch does: in place (a reference to .grad
    sees the new sum), unless the sum itself must be differentiable."""
    if create_graph or x._grad.requires_grad:
        x._grad = x._grad + g
    else:
        # on the array, so unlike x.grad.add_(g) not stamped as an in-place change (see
        # autograd/inplace.py): graphs don't save a .grad, and a stamp after every backward
        # would make the next one check its nodes
        x._grad.data += g.data


def _as_tensor_grad(g):
    """A gradient (array, NumPy scalar or Tensor) as a Tensor."""
    if g is None or isinstance(g, Tensor):
        return g
    return _make(np.asarray(g), False, None)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulates the gradient of ``tensors`` (one or a sequence) with respect to each leaf
    into the leaf's ``.grad`` (torch.autograd.backward; ``tensor.backward()`` for one tensor).
    Several tensors add up, each weighted by its entry of ``grad_tensors``, which a tensor
    with one element may leave as None."""
    single = isinstance(tensors, Tensor)
    tensors = [tensors] if single else list(tensors)
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    elif single or isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors]
    else:
        grad_tensors = list(grad_tensors)
    if not tensors or len(grad_tensors) != len(tensors):
        raise ValueError(f"backward: got {len(tensors)} tensors and {len(grad_tensors)} "
                         f"grad_tensors; give at least one tensor and one gradient (or None) "
                         f"for each")
    for i, t in enumerate(tensors):
        if not t.requires_grad:
            which = "the tensor" if single else f"tensor {i}"
            raise RuntimeError(f"backward: {which} does not require grad and has no grad_fn; "
                               f"create its inputs with requires_grad=True")
    argument = "gradient=" if single else "grad_tensors="
    gradients = [_root_grad(t, g, "backward", argument) for t, g in zip(tensors, grad_tensors)]
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
        if not inputs:
            raise RuntimeError("backward: inputs= is empty; leave it out to fill every leaf")
        inputs = list({id(x): x for x in inputs}.values())  # one named twice gets it once
        for i, x in enumerate(inputs):
            if not x.requires_grad:
                raise RuntimeError(f"backward: input {i} of inputs= does not require grad")
            # as torch: a non-leaf named in inputs= retains its grad (after its hooks) from now on
            hooks.retain_grad(x)
        found = run_backward(tensors, gradients, retain_graph, create_graph, targets=inputs)
        for x, g in zip(inputs, found):
            if g is not None and x._ctx is None:
                g = g if create_graph else g.detach()
                if x._grad is None:
                    x._grad = g.clone()
                else:
                    _add_to_grad(x, g, create_graph)
        return
    run_backward(tensors, gradients, retain_graph, create_graph)


def _ones_like(array):
    out = array.copy()
    out.fill(1)
    return out


def _root_grad(out, gradient, where, argument):
    """The gradient that starts backpropagation from ``out``: ones for a one-element output,
    else the given one, checked against ``out``'s shape and cast to its dtype."""
    if gradient is None:
        if out.data.size != 1:
            raise RuntimeError(f"{where}: grad can be implicitly created only for scalar "
                               f"outputs, got shape {tuple(out.shape)}; pass {argument}")
        return Tensor._make(_ones_like(out.data), False, None)
    return _as_grad(gradient, out, where)


def _as_grad(gradient, like, where):
    from ..tensor import as_tensor

    g = gradient if isinstance(gradient, Tensor) else as_tensor(gradient, dtype=like.dtype)
    if g.shape != like.shape:
        raise RuntimeError(f"{where}: gradient has shape {tuple(g.shape)} but the output has "
                           f"shape {tuple(like.shape)}; they must match")
    if g.dtype != like.dtype:
        g = g.to(like.dtype)  # cast to the output's dtype (an int or float32 one too), like torch
    return g


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Gradients of ``outputs`` with respect to ``inputs``, as a tuple (torch.autograd.grad).

    ``.grad`` of no tensor is changed. With ``create_graph=True`` the returned gradients are
    themselves differentiable (Hessian-vector products, gradient penalties).
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad: got {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    gs = []
    for out, g in zip(outputs, grad_outputs):
        if not out.requires_grad:
            raise RuntimeError("grad: an output does not require grad; nothing connects it "
                               "to the inputs")
        gs.append(_root_grad(out, g, "grad", "grad_outputs="))
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"grad: input {i} does not require grad")
    if retain_graph is None:
        retain_graph = create_graph
    found = run_backward(outputs, gs, retain_graph, create_graph, targets=inputs)
    result = []
    for i, (x, g) in enumerate(zip(inputs, found)):
        if g is None and not allow_unused:
            raise RuntimeError(f"grad: input {i} was not used to compute the outputs; "
                               f"pass allow_unused=True to get None for it")
        if g is not None and not create_graph:
            g = g.detach()
        result.append(g)
    return tuple(result)


from ..tensor import Tensor  # noqa: E402  (tensor.py imports this module)

_make = Tensor._make
