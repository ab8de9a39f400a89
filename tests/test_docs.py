"""docs/concepts.md runs: every ```python block is executed and its printed output compared
with the ```text block that follows it; docs/make_figures.py runs in its fast mode.

The convention (stated at the top of concepts.md): all blocks run in order in one namespace,
like a notebook; a ```text block right after a ```python block is that block's expected
standard output. Numbers may differ from the printed ones by a relative
1e-3 (BLAS libraries round float32 sums differently); all other text must match exactly.
"""
import contextlib
import io
import math
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "concepts.md"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _sections():
    """[(title, [(code, expected output or None, line number)])] for each ``## `` section."""
    text = GUIDE.read_text()
    heads = [(m.start(), m.group(1)) for m in re.finditer(r"^## (.+)$", text, re.MULTILINE)]
    sections = []
    for k, (start, title) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(text)
        body = text[start:end]
        blocks = [(m.group(1), m.group(2), m.start(), m.end()) for m in FENCE.finditer(body)]
        snippets = []
        for i, (lang, code, pos, stop) in enumerate(blocks):
            if lang != "python":
                continue
            expected = None
            if i + 1 < len(blocks) and blocks[i + 1][0] == "text" \
                    and not body[stop:blocks[i + 1][2]].strip():
                expected = blocks[i + 1][1]
            snippets.append((code, expected, text.count("\n", 0, start + pos) + 1))
        sections.append((title, snippets))
    return sections


SECTIONS = _sections()
CONCEPTS = [(t, s) for t, s in SECTIONS if re.match(r"\d+\. ", t)]


def _same(got, expected):
    got = "\n".join(line.rstrip() for line in got.strip("\n").splitlines())
    expected = "\n".join(line.rstrip() for line in expected.strip("\n").splitlines())
    if got == expected:
        return True
    if NUMBER.sub("#", got) != NUMBER.sub("#", expected):
        return False
    return all(math.isclose(float(a), float(b), rel_tol=1e-3, abs_tol=1e-6)
               for a, b in zip(NUMBER.findall(got), NUMBER.findall(expected)))


def test_the_guide_has_sixteen_concepts_in_order():
    numbers = [int(t.split(".")[0]) for t, _ in CONCEPTS]
    assert numbers == list(range(1, 17))
    for title, snippets in CONCEPTS:
        assert snippets, f"concept {title!r} has no runnable snippet"
        assert any(e is not None for _, e, _ in snippets), f"{title!r} shows no output"


def test_every_snippet_prints_what_the_guide_shows(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # snippets that write files write them here
    namespace = {"__name__": "__concepts__"}  # one session, like a notebook
    for title, snippets in SECTIONS:
        for code, expected, line in snippets:
            out = io.StringIO()
            with contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a snippet that shows a warning prints it
                exec(compile(code, f"{GUIDE}:{line}", "exec"), namespace)  # noqa: S102
            if expected is not None:
                assert _same(out.getvalue(), expected), (
                    f"docs/concepts.md line {line} ({title}) printed:\n{out.getvalue()}\n"
                    f"but the guide shows:\n{expected}")


def test_links_and_figures_exist():
    text = GUIDE.read_text()
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if not re.match(r"\w+://", t)]
    assert local, "the guide links no code"
    missing = [t for t in local if not (GUIDE.parent / t).exists()]
    assert not missing, f"broken links in docs/concepts.md: {missing}"


def test_make_figures_fast(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    run = subprocess.run([sys.executable, str(ROOT / "docs" / "make_figures.py"), "--fast",
                          "--out", str(tmp_path)], capture_output=True, text=True, env=env,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    made = sorted(p.name for p in tmp_path.glob("*.png"))
    committed = sorted(p.name for p in (ROOT / "docs" / "figures").glob("*.png"))
    assert made == committed, f"fast mode made {made}, the repository has {committed}"
    referenced = set(re.findall(r"figures/([\w-]+\.png)", GUIDE.read_text()))
    assert referenced <= set(committed), f"missing figures: {referenced - set(committed)}"


def test_the_ops_list_is_complete_and_true():
    """docs/ops.md names every public function of gradix, and only names that exist."""
    import inspect

    import gradix

    named = set(re.findall(r"`\.?(\w+)`", (ROOT / "docs" / "ops.md").read_text()))
    public = {n for n, v in vars(gradix).items() if not n.startswith("_") and callable(v)
              and not inspect.isclass(v) and not inspect.ismodule(v)}
    assert not public - named, f"public functions missing from docs/ops.md: {public - named}"
    unknown = {n for n in named if not hasattr(gradix, n) and not hasattr(gradix.Tensor, n)}
    assert not unknown, f"docs/ops.md names what gradix lacks: {unknown}"
