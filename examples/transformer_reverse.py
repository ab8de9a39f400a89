"""Reverses digit sequences with a small Transformer encoder trained by gradix.

Each input is 8 random digits; the target is the same digits in reverse order, so output
position i must copy the token at input position 7 - i. No per-position rule can do this:
the model has to attend to the mirrored position, which it finds through learned position
embeddings. Model: digit embedding + learned positions, 2 pre-LN encoder layers (d_model 64,
4 heads, MLP 128), a linear read-out per position; Adam, cross-entropy, fresh random batches.

Measured on 2,000 unseen sequences (seed 0, one CPU core): the full run (1,000 steps of 64
sequences, about 11 s) reaches loss 0.0007, token and whole-sequence accuracy 1.000; ``--quick``
(150 steps, about 2 s) reaches loss 0.008 and accuracy 1.000 too. The tests run the quick one.

    python examples/transformer_reverse.py [--quick] [--steps N] [--seed S]
"""
import argparse

import numpy as np

import gradix
from gradix import nn

LENGTH, DIGITS = 8, 10
QUICK_STEPS = 150


class Reverser(nn.Module):
    """Digits (N, L) -> logits (N, L, 10) for the reversed sequence."""

    def __init__(self, d_model=64, nhead=4, num_layers=2, dim_feedforward=128):
        super().__init__()
        self.embed = nn.Embedding(DIGITS, d_model)
        self.position = nn.LearnedPositionalEmbedding(LENGTH, d_model, batch_first=True)
        nn.init.normal_(self.position.weight)  # as large as the digit embeddings: positions
        # are what attention must match here, and tiny ones stall training for hundreds of steps
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout=0.0,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(d_model))
        self.out = nn.Linear(d_model, DIGITS)

    def forward(self, digits):
        return self.out(self.encoder(self.position(self.embed(digits))))


def sequences(rng, n):
    """(inputs, targets): n random digit sequences and their reversals, int64 (n, L)."""
    x = rng.integers(0, DIGITS, (n, LENGTH))
    return gradix.tensor(x), gradix.tensor(np.ascontiguousarray(x[:, ::-1]))


def evaluate(model, x, y):
    """Loss, token accuracy and whole-sequence accuracy of ``model`` on (x, y)."""
    model.eval()
    with gradix.no_grad():
        logits = model(x)
        loss = nn.functional.cross_entropy(logits.reshape(-1, DIGITS), y.reshape(-1)).item()
    right = logits.argmax(-1).numpy() == y.numpy()
    model.train()
    return {"loss": loss, "token_accuracy": float(right.mean()),
            "sequence_accuracy": float(right.all(1).mean())}


def train(steps=1000, batch_size=64, lr=2e-3, seed=0, log_every=0):
    """Trains a Reverser from ``seed`` and returns its metrics on 2,000 unseen sequences."""
    gradix.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Reverser()
    opt = gradix.optim.Adam(model.parameters(), lr=lr)
    sched = gradix.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    for step in range(1, steps + 1):
        x, y = sequences(rng, batch_size)
        loss = nn.functional.cross_entropy(model(x).reshape(-1, DIGITS), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if log_every and step % log_every == 0:
            print(f"step {step:5d}  loss {loss.item():.4f}", flush=True)
    return evaluate(model, *sequences(np.random.default_rng(seed + 1), 2000))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (150 steps)")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    steps = QUICK_STEPS if args.quick else args.steps
    metrics = train(steps, seed=args.seed, log_every=max(steps // 10, 1))
    print("  ".join(f"{k} {v:.4f}" for k, v in metrics.items()))


if __name__ == "__main__":
    main()
