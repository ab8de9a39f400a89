import json
import os
import pickle

import numpy as np
import pytest
import safetensors
import safetensors.numpy

import gradix


def state():
    return {
        "model": {"linear": {"weight": gradix.tensor(np.arange(6, dtype=np.float32).reshape(2, 3)),
                             "bias": np.array([0.5, -1.0], np.float64)},
                  "steps": gradix.tensor(7),
                  "order": np.arange(6).reshape(2, 3).T},  # int64, not contiguous
        "optimizer": {"state": {0: {"step": 3, "exp_avg": gradix.zeros(2, 3)}},
                      "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "params": [0, 1],
                                        "nesterov": False, "name": None}]},
        "epoch": 4,
        "$odd": "kept",
    }


def test_round_trip_nested_state(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    gradix.save(state(), path)
    loaded = gradix.load(path)
    w = loaded["model"]["linear"]["weight"]
    assert isinstance(w, gradix.Tensor) and w.dtype == gradix.float32
    np.testing.assert_array_equal(w.numpy(), np.arange(6.0).reshape(2, 3))
    bias = loaded["model"]["linear"]["bias"]
    assert isinstance(bias, gradix.Tensor) and bias.dtype == gradix.float64
    steps = loaded["model"]["steps"]
    assert steps.dtype == gradix.int64 and steps.shape == () and steps.item() == 7
    np.testing.assert_array_equal(loaded["model"]["order"].numpy(), [[0, 3], [1, 4], [2, 5]])
    opt = loaded["optimizer"]
    assert list(opt["state"]) == [0] and opt["state"][0]["step"] == 3
    assert opt["state"][0]["exp_avg"].shape == (2, 3)
    assert opt["param_groups"] == [{"lr": 1e-3, "betas": (0.9, 0.999), "params": [0, 1],
                                    "nesterov": False, "name": None}]
    assert loaded["epoch"] == 4 and loaded["$odd"] == "kept"
    assert list(loaded) == list(state())


def test_tensors_are_stored_under_dotted_names(tmp_path):
    path = tmp_path / "m.safetensors"
    gradix.save(state(), path)
    with safetensors.safe_open(path, framework="numpy") as f:
        assert sorted(f.keys()) == ["model.linear.bias", "model.linear.weight", "model.order",
                                    "model.steps",
                                    "optimizer.state.0.exp_avg"]
        json.loads(f.metadata()["structure"])


def test_plain_safetensors_file_loads_flat(tmp_path):
    path = tmp_path / "plain.safetensors"
    path.write_bytes(safetensors.numpy.save({"a.b": np.ones(3, np.float32)}))
    loaded = gradix.load(path)
    assert list(loaded) == ["a.b"] and loaded["a.b"].tolist() == [1, 1, 1]


def test_unsupported_values_and_name_clashes(tmp_path):
    with pytest.raises(TypeError, match=r"can't store model.fn of type function"):
        gradix.save({"model": {"fn": lambda: 0}}, tmp_path / "x")
    with pytest.raises(ValueError, match="two tensors would be stored under the name 'a.b'"):
        gradix.save({"a.b": np.zeros(1), "a": {"b": np.zeros(1)}}, tmp_path / "x")
    assert not os.listdir(tmp_path)


def test_failed_write_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.safetensors"
    gradix.save({"w": gradix.ones(3)}, path)

    def crash(fd):
        raise OSError("simulated crash before the data reached the disk")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="simulated crash"):
        gradix.save({"w": gradix.zeros(1000)}, path)
    monkeypatch.undo()
    assert gradix.load(path)["w"].tolist() == [1, 1, 1]
    assert os.listdir(tmp_path) == ["model.safetensors"]  # no temporary file left behind


def test_save_into_missing_folder_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="folder .*nowhere does not exist"):
        gradix.save({}, tmp_path / "nowhere" / "m.safetensors")


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip_data", "empty"])
def test_damaged_file_error_names_file(tmp_path, damage):
    path = tmp_path / "runs" / "model.safetensors"
    path.parent.mkdir()
    gradix.save(state(), path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "garbage":
        data = bytearray(b"not a checkpoint at all")
    elif damage == "flip_data":
        data[-1] ^= 0xFF  # the header stays valid; only the tensor bytes change
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=f"gradix.load: {path} is not a valid gradix file "
                                         r"\(truncated or corrupted\)"):
        gradix.load(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="gradix.load: no such file: .*absent"):
        gradix.load(tmp_path / "absent")


def test_no_pickle_involved(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("pickle was used")

    for name in ("loads", "load", "dumps", "dump"):
        monkeypatch.setattr(pickle, name, forbidden)
    path = tmp_path / "m.safetensors"
    gradix.save(state(), path)
    assert gradix.load(path)["epoch"] == 4
    assert path.read_bytes()[8:9] == b"{"  # a safetensors file: header length, then JSON
