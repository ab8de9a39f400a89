"""The gradix command: a short default-style run end to end, and its error paths."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from gradix import cli


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gradix.cli", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    code = cli.main(["train", "--epochs", "3", "--out", str(out), "--name", "r",
                     "--no-progress", "--patience", "0"])
    assert code == 0
    return os.path.join(out, "r")


def test_train_writes_the_run_folder(trained):
    for name in ("config.toml", "checkpoint.safetensors", "model.safetensors", "metrics.json",
                 "metrics.csv", "curves.png"):
        assert os.path.exists(os.path.join(trained, name)), name
    metrics = json.load(open(os.path.join(trained, "metrics.json")))
    assert len(metrics["epochs"]) == 3
    assert metrics["test"]["accuracy"] > 0.8  # 3 epochs of the default CNN on digits
    config = open(os.path.join(trained, "config.toml")).read()
    assert 'model = "cnn"' in config and 'dataset = "digits"' in config


def test_resume_continues_to_more_epochs(trained, capsys):
    assert cli.main(["train", "--resume", trained, "--epochs", "4", "--no-progress"]) == 0
    metrics = json.load(open(os.path.join(trained, "metrics.json")))
    assert [e["epoch"] for e in metrics["epochs"]] == [1, 2, 3, 4]


def test_eval_and_predict(trained, tmp_path, capsys):
    assert cli.main(["eval", trained]) == 0
    assert "accuracy" in capsys.readouterr().out
    from gradix.data import load_digits
    x = load_digits().tensors[0].numpy()[:5]
    np.savez(tmp_path / "in.npz", x=x)
    out = tmp_path / "out.npz"
    assert cli.main(["predict", trained, str(tmp_path / "in.npz"), "--output", str(out)]) == 0
    with np.load(out) as f:
        assert f["predictions"].shape == (5,) and f["outputs"].shape == (5, 10)


def test_cv_prints_folds_and_mean(capsys):
    code = cli.main(["cv", "--model", "mlp", "--dataset", "iris", "--folds", "3",
                     "--epochs", "5", "--no-progress"])
    assert code == 0
    out = capsys.readouterr().out
    assert "stratified 3-fold" in out and "mean" in out
    assert len([line for line in out.splitlines() if line.strip()[:1].isdigit()]) == 3


def test_info(capsys):
    assert cli.main(["info"]) == 0
    assert "gradix" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["train", "--model", "resnet"], "unknown model 'resnet'; valid models: mlp, cnn"),
    (["train", "--dataset", "mnist"], "unknown dataset 'mnist'; valid datasets: digits"),
    (["train", "--epochs", "zero"], "option 'epochs': expected an integer"),
    (["train", "--lr", "-1"], "option 'lr': -1.0 is out of range"),
    (["train", "--dataset", "nope.npz"], "dataset file nope.npz does not exist"),
    (["train", "--config", "missing.toml"], "config file missing.toml does not exist"),
    (["train", "--model", "cnn", "--dataset", "iris", "--epochs", "1"],
     "model 'cnn' needs image inputs"),
    (["eval", "no/such/run"], "not a finished run folder"),
    (["cv", "--dataset", "wine", "--folds", "1"], "--folds must be between 2 and the number"),
    (["cv", "--dataset", "wine", "--folds", "500"], "--folds must be between 2 and the number"),
])
def test_usage_errors_exit_2_without_traceback(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_config_key_and_value(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('epochs = 2\nlearning_rate = 0.1\n')
    assert cli.main(["train", "--config", str(bad)]) == 2
    assert "unknown key 'learning_rate'; valid keys: model" in capsys.readouterr().err
    bad.write_text('epochs = "many"\n')
    assert cli.main(["train", "--config", str(bad)]) == 2
    assert "option 'epochs': expected an integer, got 'many'" in capsys.readouterr().err


def test_corrupt_model_file_is_named(trained, tmp_path, capsys):
    import shutil
    broken = tmp_path / "broken"
    shutil.copytree(trained, broken)
    path = broken / "model.safetensors"
    path.write_bytes(path.read_bytes()[:100])
    assert cli.main(["eval", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "model.safetensors" in err and "Traceback" not in err


def test_corrupt_npz_is_named(tmp_path, capsys):
    good = tmp_path / "good.npz"
    np.savez(good, x=np.zeros((4, 3), np.float32), y=np.arange(4))
    bad = tmp_path / "bad.npz"
    bad.write_bytes(good.read_bytes()[:100])
    assert cli.main(["train", "--model", "mlp", "--dataset", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.npz can't be read" in err and "Traceback" not in err


def test_ctrl_c_keeps_the_checkpoint_and_resumes(tmp_path, monkeypatch, capsys):
    from gradix.train import OverfittingDetector

    original = OverfittingDetector.on_epoch_end

    def interrupt_in_epoch_3(self, state, logs):
        if state.epoch == 3:
            raise KeyboardInterrupt
        original(self, state, logs)
    monkeypatch.setattr(OverfittingDetector, "on_epoch_end", interrupt_in_epoch_3)
    args = ["train", "--model", "mlp", "--dataset", "iris", "--epochs", "4", "--out",
            str(tmp_path), "--name", "r", "--no-progress"]
    assert cli.main(args) == 130
    out = capsys.readouterr().out
    run = tmp_path / "r"
    assert "interrupted during epoch 3" in out and f"gradix train --resume {run}" in out
    assert not (run / "model.safetensors").exists()  # mid-epoch weights are no result
    assert len(json.load(open(run / "metrics.json"))["epochs"]) == 2
    monkeypatch.setattr(OverfittingDetector, "on_epoch_end", original)
    assert cli.main(["train", "--resume", str(run), "--no-progress"]) == 0
    assert [e["epoch"] for e in json.load(open(run / "metrics.json"))["epochs"]] == [1, 2, 3, 4]
    assert (run / "model.safetensors").exists()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow that makes it diverge
def test_diverged_run_saves_no_model(tmp_path, capsys):
    args = ["train", "--model", "mlp", "--dataset", "iris", "--lr", "1e30", "--epochs", "2",
            "--out", str(tmp_path), "--name", "r", "--no-progress"]
    assert cli.main(args) == 1
    run = tmp_path / "r"
    assert "diverged" in capsys.readouterr().out
    assert not (run / "model.safetensors").exists()
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["stop_reason"].startswith("diverged") and metrics["test"] == {}


def test_argparse_errors_exit_2():
    result = run_cli("train", "--no-such-flag")
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr
