"""Drawing the recorded graph: DOT source for Graphviz, or an indented text tree.

The graph behind a tensor is what ``backward`` will walk: each op node (a ``Function``) keeps
its input tensors, a leaf is a tensor no recorded op produced. Both renderings number the op
nodes in the order ``backward`` visits them: newest node first (reverse topological order), so
``[1]`` is the op that produced the tensor itself.

    >>> import gradix
    >>> x = gradix.tensor([1.0, 2.0], requires_grad=True)
    >>> print(format_graph((x * x).sum(), names={"x": x}))
    [1] Sum -> ()
    └── [2] Mul -> (2,)
        ├── x (2,) requires_grad
        └── x (2,) requires_grad

``to_dot`` returns Graphviz source; ``dot -Tpng`` (the Graphviz program, when installed)
turns it into an image. Nothing here needs Graphviz itself.
"""

__all__ = ["format_graph", "to_dot"]


def _label_leaf(t, names):
    name = names.get(id(t))
    shape = tuple(t.shape)
    if t.requires_grad:
        return f"{name or 'leaf'} {shape} requires_grad"
    if name is not None:
        return f"{name} {shape} constant"
    if t.data.size == 1:  # a scalar folded into the graph, e.g. the 2 of `2 * x`
        return f"constant {t.data.reshape(()).item():g}"
    return f"constant {shape}"


def _nodes(root):
    """The op nodes reachable from ``root``, mapped to their visit number in backward."""
    seen, stack = {}, [root._ctx] if root._ctx is not None else []
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen[node] = None
        for x in node.inputs or ():
            if x._ctx is not None and x._ctx not in seen:
                stack.append(x._ctx)
    order = sorted(seen, key=lambda n: -n.seq)  # the engine's heap order
    return {node: i for i, node in enumerate(order, 1)}


def _check(tensor, where):
    from ..tensor import Tensor

    if not isinstance(tensor, Tensor):
        raise TypeError(f"{where}: expected a Tensor, got {type(tensor).__name__}")


def _names(names):
    return {id(t): str(n) for n, t in (names or {}).items()}


def format_graph(tensor, names=None):
    """The graph that produced ``tensor`` as an indented text tree, output at the top.

    Each op line reads ``[k] Name -> shape``: ``Name`` is the op's class (``Mul`` for the node
    whose ``name()`` is ``MulBackward0``), ``k`` the step at which ``backward`` calls that op's
    backward, ``shape`` the shape of the tensor it produced. Leaves show their name
    (from ``names``, a dict ``{name: tensor}``), shape and whether they require grad. An op
    reached a second time (its output used twice) is shown once, then as ``[k] Name (see
    above)``. A node whose graph was freed by a ``backward`` call prints ``(freed)``.
    """
    _check(tensor, "format_graph")
    labels, order = _names(names), _nodes(tensor)
    lines, shown = [], set()
    stack = [(tensor, "", "", False)]  # (tensor, indent, branch glyph, siblings follow)
    while stack:  # a loop, not recursion: deep graphs stay clear of the recursion limit
        t, prefix, branch, more = stack.pop()
        node = t._ctx
        if node is None:
            lines.append(prefix + branch + _label_leaf(t, labels))
            continue
        name = labels.get(id(t))
        head = f"[{order[node]}] {type(node).__name__}" + (f" ({name})" if name else "")
        if node in shown:
            lines.append(prefix + branch + head + " (see above)")
            continue
        shown.add(node)
        lines.append(prefix + branch + head + f" -> {tuple(t.shape)}"
                     + ("" if node.inputs is not None else " (freed)"))
        inputs = node.inputs or ()
        child = prefix + ("" if not branch else ("│   " if more else "    "))
        for i in reversed(range(len(inputs))):
            last = i == len(inputs) - 1
            stack.append((inputs[i], child, "└── " if last else "├── ", not last))
    return "\n".join(lines)


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(tensor, names=None, rankdir="LR"):
    """Graphviz DOT source of the graph that produced ``tensor``.

    Tensors are ellipses (leaves that require grad in blue, constants in grey, the output in
    green), op nodes are boxes labelled ``[k] Name`` with ``k`` the backward visit order;
    edges follow the forward computation, so ``backward`` walks them in reverse. ``names``
    is a dict ``{name: tensor}`` for labelling leaves; ``rankdir`` is Graphviz's layout
    direction ("LR": inputs on the left, "TB": top to bottom).

    Render with the Graphviz program: ``dot -Tpng graph.dot -o graph.png``.
    """
    _check(tensor, "to_dot")
    labels, order = _names(names), _nodes(tensor)
    ids, lines = {}, ["digraph gradix {", f"  rankdir={rankdir};",
                      '  node [fontname="Helvetica", fontsize=11];']

    def tensor_id(t):
        if id(t) not in ids:
            ids[id(t)] = f"t{len(ids)}"
            if t._ctx is None:
                color = "lightblue" if t.requires_grad else "lightgrey"
                text = _label_leaf(t, labels)
            else:
                color = "palegreen" if t is tensor else "white"
                name = labels.get(id(t))
                text = (f"{name} " if name else "") + f"{tuple(t.shape)}"
            lines.append(f"  {ids[id(t)]} [label={_quote(text)}, shape=ellipse, "
                         f"style=filled, fillcolor={color}];")
        return ids[id(t)]

    node_ids, edges = {}, []
    stack = [tensor]
    while stack:  # a loop, not recursion: deep graphs stay clear of the recursion limit
        t = stack.pop()
        out = tensor_id(t)
        node = t._ctx
        if node is None or node in node_ids:
            continue
        node_ids[node] = f"op{order[node]}"
        freed = node.inputs is None
        label = f"[{order[node]}] {type(node).__name__}"
        lines.append(f"  {node_ids[node]} [label={_quote(label)}, "
                     f"shape=box, style={'dashed' if freed else 'rounded'}];")
        edges.append(f"  {node_ids[node]} -> {out};")
        for x in node.inputs or ():
            edges.append(f"  {tensor_id(x)} -> {node_ids[node]};")
            stack.append(x)
    # a tensor used twice by one op gets one edge per use; DOT draws both
    return "\n".join(lines + edges + ["}"]) + "\n"
