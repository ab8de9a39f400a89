"""A small CNN on scikit-learn's 8x8 digits, trained with Adam.

conv 1->16 3x3 pad 1, ReLU, conv 16->32 3x3 pad 1, ReLU, maxpool 2, linear 512->10.

    python examples/digits_cnn.py            # full run: 25 epochs, about 98% test accuracy
    python examples/digits_cnn.py --epochs 3 # a quick look
"""
import argparse

import gradix
from gradix import nn

from digits_mlp import digits_split, train


def make_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 4 * 4, 10))


def main(epochs=25, seed=0):
    gradix.manual_seed(seed)
    train_set, test_set = digits_split(seed)
    return train(make_cnn(), train_set, test_set, epochs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=25)
    accuracies = main(parser.parse_args().epochs)
    print(f"test accuracy after {len(accuracies)} epochs: {accuracies[-1]:.4f}")
