"""An MLP on scikit-learn's 8x8 digits: 64 -> 128 -> 64 -> 10 with ReLU, trained with Adam.

    python examples/digits_mlp.py            # full run: 40 epochs, about 98% test accuracy
    python examples/digits_mlp.py --epochs 3 # a quick look
"""
import argparse

import numpy as np
from sklearn.model_selection import train_test_split

import gradix
from gradix import nn
from gradix.data import DataLoader, TensorDataset, load_digits
from gradix.nn import functional as F


def digits_split(seed=0):
    """Train and test TensorDatasets of the digits (x scaled to [0, 1]), stratified 75/25."""
    x, y = (t.numpy() for t in load_digits().tensors)
    tr, te = train_test_split(np.arange(len(y)), test_size=0.25, random_state=seed, stratify=y)
    return TensorDataset(x[tr], y[tr]), TensorDataset(x[te], y[te])


def train(model, train_set, test_set, epochs, lr=2e-3, batch_size=32):
    """Trains with Adam (learning rate annealed on a cosine) and cross-entropy; returns the
    test accuracy after each epoch."""
    opt = gradix.optim.Adam(model.parameters(), lr=lr)
    schedule = gradix.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    x_test, y_test = test_set.tensors
    accuracies = []
    for _ in range(epochs):
        model.train()
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        schedule.step()
        model.eval()
        with gradix.no_grad():
            pred = model(x_test).argmax(dim=1)
        accuracies.append((pred == y_test).float().mean().item())
    return accuracies


def main(epochs=40, seed=0):
    gradix.manual_seed(seed)
    train_set, test_set = digits_split(seed)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(),
                          nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    return train(model, train_set, test_set, epochs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=40)
    accuracies = main(parser.parse_args().epochs)
    print(f"test accuracy after {len(accuracies)} epochs: {accuracies[-1]:.4f}")
