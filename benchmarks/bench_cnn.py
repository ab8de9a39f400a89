"""Issue 3 benchmark: one CNN training step, gradix vs PyTorch on the same workload.

Batch 64 of 1x28x28; conv 1->16 3x3 pad 1, ReLU, maxpool 2, conv 16->32 3x3 pad 1, ReLU,
maxpool 2, linear 1568->10, cross-entropy, SGD step. Target: at most 1.5x PyTorch's time.

    OMP_NUM_THREADS=1 python benchmarks/bench_cnn.py [--threads N] [--repeat R]

gradix allocates fresh NumPy arrays per op; it keeps freed memory in the heap (see
gradix.backend.keep_freed_memory) so that they don't pay page faults again at every step.
GRADIX_KEEP_FREED_MEMORY=0 shows what that is worth.
"""
from _harness import best_interleaved, report, setup_threads, sgd_stepper, torch_or_none

args = setup_threads(__doc__)
import numpy as np  # noqa: E402  (after the thread settings)

import gradix  # noqa: E402

torch = torch_or_none(args.threads)


def model(nn):
    """The same architecture in gradix.nn or torch.nn."""
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1568, 10))


def stepper(lib, x, y):
    """A function running one training step of a fresh model built with ``lib``."""
    return sgd_stepper(lib, model(lib.nn), reference, "cross_entropy", x, y)


rng = np.random.default_rng(0)
images = rng.standard_normal((64, 1, 28, 28)).astype(np.float32)
labels = rng.integers(0, 10, 64)
gradix.manual_seed(0)
reference = {k: v.numpy() for k, v in model(gradix.nn).state_dict().items()}

steps = {"gradix": stepper(gradix, images, labels)}
if torch:
    steps["torch"] = stepper(torch, images, labels)
best = best_interleaved(steps, args.repeat)
gradix_s, torch_s = best["gradix"], best.get("torch")
report("CNN training step (batch 64, 28x28)", gradix_s, torch_s, target=1.5)
