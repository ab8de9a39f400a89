"""Fixtures shared across test folders: a small classification problem, a run factory, and
PyTorch as the reference implementation (``torch``)."""
import numpy as np
import pytest

import gradix
from gradix import nn
from gradix.data import DataLoader, TensorDataset


@pytest.fixture
def blobs():
    """A small 3-class problem a linear model learns in a few epochs."""
    rng = np.random.default_rng(0)
    centers = rng.standard_normal((3, 4)) * 3
    y = rng.integers(0, 3, 240)
    x = (centers[y] + rng.standard_normal((240, 4))).astype(np.float32)
    return TensorDataset(x, y.astype(np.int64))


@pytest.fixture
def make_run(blobs):
    """(model, optimizer, train loader, val loader) built from one seed."""
    def make(seed=0, lr=0.05, dropout=0.2):
        gradix.manual_seed(seed)
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, 3))
        opt = gradix.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        train = DataLoader(gradix.data.Subset(blobs, np.arange(180)), batch_size=32, shuffle=True)
        val = DataLoader(gradix.data.Subset(blobs, np.arange(180, 240)), batch_size=64)
        return model, opt, train, val
    return make


@pytest.fixture(scope="session")
def torch():
    """PyTorch, the reference the comparison tests check gradix against. Ask for this fixture
    instead of importing torch at module level: only the tests that need it skip where torch
    isn't installed, and every other test in the file still runs."""
    return pytest.importorskip("torch", reason="needs PyTorch as the reference (not installed)")
