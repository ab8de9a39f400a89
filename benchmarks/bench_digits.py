"""Issue 3 benchmark: one training epoch of the digits CNN from examples/digits_cnn.py.

1,347 training images of 1x8x8 in batches of 32 (43 steps): conv 1->16, ReLU, conv 16->32,
ReLU, maxpool 2, linear 512->10, cross-entropy, Adam. Target: at most 1.2x PyTorch's time.

    OMP_NUM_THREADS=1 python benchmarks/bench_digits.py [--threads N] [--repeat R]
"""
import sys
from pathlib import Path

from _harness import best_interleaved, report, setup_threads, torch_or_none

args = setup_threads(__doc__)

import gradix  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from digits_cnn import make_cnn  # noqa: E402
from digits_mlp import digits_split  # noqa: E402

torch = torch_or_none(args.threads)


def torch_cnn():
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 4 * 4, 10))


def epoch_runner(lib, model, batches):
    opt = lib.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = lib.nn.functional.cross_entropy

    def epoch():
        for x, y in batches:
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return epoch


gradix.manual_seed(0)
train_set, _ = digits_split()
x_all, y_all = (t.numpy() for t in train_set.tensors)
cuts = range(0, len(y_all), 32)
g_model = make_cnn()
weights = {k: v.numpy().copy() for k, v in g_model.state_dict().items()}
g_batches = [(gradix.tensor(x_all[i:i + 32]), gradix.tensor(y_all[i:i + 32])) for i in cuts]
epochs = {"gradix": epoch_runner(gradix, g_model, g_batches)}
if torch:
    t_model = torch_cnn()
    t_model.load_state_dict({k: torch.tensor(v) for k, v in weights.items()})
    t_batches = [(torch.tensor(x_all[i:i + 32]), torch.tensor(y_all[i:i + 32])) for i in cuts]
    epochs["torch"] = epoch_runner(torch, t_model, t_batches)
best = best_interleaved(epochs, args.repeat)  # alternating, so load spikes hit both alike
print(f"threads={args.threads}")
report("digits CNN epoch (43 steps of 32)", best["gradix"], best.get("torch"), 1.2)
