"""format_graph and to_dot: the recorded graph as text and as Graphviz source."""
import doctest
import re
import shutil
import subprocess

import pytest

import gradix
from gradix.autograd import format_graph, graph, to_dot


def _expression():
    x = gradix.tensor([1.0, 2.0], requires_grad=True)
    w = gradix.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    h = (w @ x).relu()
    y = (h * 2 + x.tanh() + h).sum()
    return x, w, y


def test_format_graph_tree_order_and_reuse():
    x, w, y = _expression()
    text = format_graph(y, names={"x": x, "w": w})
    assert text == "\n".join([
        "[1] Sum -> ()",
        "└── [2] Add -> (2,)",
        "    ├── [3] Add -> (2,)",
        "    │   ├── [5] Mul -> (2,)",
        "    │   │   ├── [6] Relu -> (2,)",
        "    │   │   │   └── [7] MatMul -> (2,)",
        "    │   │   │       ├── w (2, 2) requires_grad",
        "    │   │   │       └── x (2,) requires_grad",
        "    │   │   └── constant 2",
        "    │   └── [4] Tanh -> (2,)",
        "    │       └── x (2,) requires_grad",
        "    └── [6] Relu (see above)",
    ])


def test_numbers_follow_the_engine_visit_order():
    """[k] is the step at which backward calls the node: check it by wrapping backward."""
    y = _expression()[2]
    visits = []
    for m in re.finditer(r"\[(\d+)\] (\w+) ->", format_graph(y)):
        visits.append((int(m.group(1)), m.group(2)))
    expected = [name for _, name in sorted(visits)]
    seen = []
    nodes, stack = set(), [y._ctx]
    while stack:
        n = stack.pop()
        if n in nodes:
            continue
        nodes.add(n)
        stack += [i._ctx for i in n.inputs if i._ctx is not None]
    originals = {}
    for n in nodes:
        originals[n] = n.backward

        def spy(gy, n=n):
            seen.append(type(n).__name__)
            return originals[n](gy)
        n.backward = spy
    y.backward()
    assert seen == expected


def test_leaf_constant_and_freed_graph():
    x = gradix.tensor(3.0, requires_grad=True)
    assert format_graph(x) == "leaf () requires_grad"
    c = gradix.ones(2, 3)
    assert format_graph(c, names={"c": c}) == "c (2, 3) constant"
    assert format_graph(gradix.zeros(4)) == "constant (4,)"
    y = x * x
    y.backward()
    assert format_graph(y) == "[1] Mul -> () (freed)"
    assert "style=dashed" in to_dot(y)


def test_to_dot_structure():
    x, w, y = _expression()
    dot = to_dot(y, names={"x": x, "w": w})
    assert dot.startswith("digraph gradix {") and dot.rstrip().endswith("}")
    ops = re.findall(r'(op\d+) \[label="\[(\d+)\] (\w+)"', dot)
    assert sorted(name for _, _, name in ops) == sorted(
        ["Sum", "Add", "Add", "Mul", "Relu", "MatMul", "Tanh"])
    # one edge per input of each op plus one edge to each op's output
    edges = re.findall(r"^  (\w+) -> (\w+);$", dot, flags=re.MULTILINE)
    assert len(edges) == 7 + 2 + 2 + 2 + 1 + 2 + 1 + 1  # outputs + inputs of each op
    assert 'label="x (2,) requires_grad"' in dot and "fillcolor=palegreen" in dot
    assert to_dot(y, names={"x": x, "w": w}) == dot  # deterministic
    assert "rankdir=TB" in to_dot(y, rankdir="TB")


@pytest.mark.parametrize("render", [to_dot, format_graph], ids=["dot", "text"])
def test_deep_graph_renders_without_recursion(render):
    x = gradix.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y + 1
    assert render(y).count("Add") == 3000


def test_bad_argument():
    with pytest.raises(TypeError, match="format_graph: expected a Tensor"):
        format_graph([1.0])
    with pytest.raises(TypeError, match="to_dot: expected a Tensor"):
        to_dot(None)


def test_module_doctest():
    assert doctest.testmod(graph).failed == 0


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_accepts_the_source(tmp_path):
    _, _, y = _expression()
    out = subprocess.run(["dot", "-Tsvg"], input=to_dot(y), capture_output=True, text=True,
                         check=True).stdout
    assert "<svg" in out

