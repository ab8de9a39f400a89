"""Each example runs (a short version) and learns: accuracies only a working model reaches."""
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(autouse=True)
def examples_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))


def test_quickstart_fits_the_line(capsys):
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    w = float(out.split("w = ")[1].split(",")[0])
    b = float(out.split("b = ")[1].split(",")[0])
    assert w == pytest.approx(3.0, abs=0.05) and b == pytest.approx(-0.5, abs=0.05)


def test_digits_mlp_learns():
    import digits_mlp
    accuracies = digits_mlp.main(epochs=4)
    assert accuracies[-1] > 0.9  # chance is 0.1; the full 40-epoch run reaches ~97.5%


def test_digits_cnn_learns():
    import digits_cnn
    accuracies = digits_cnn.main(epochs=2)
    assert accuracies[-1] > 0.85  # the full 25-epoch run reaches ~98%
