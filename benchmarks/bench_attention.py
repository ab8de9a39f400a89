"""Issue 5 benchmarks: a Transformer encoder block training step against PyTorch, and the
time and memory of local (sliding-window) attention as the sequence grows.

1. Pre-LN encoder layer (batch 16, seq 64, d_model 128, 4 heads, MLP 512, no dropout):
   forward, MSE loss, backward, SGD step. Target: at most 1.3x PyTorch's time.
2. Local attention (window 64, head size 64, 4 heads), forward + backward at L = 1k ... 16k:
   best time and NumPy peak memory (tracemalloc) per length, and full attention for the
   lengths where its (L, L) scores fit. Doubling L should cost at most ~2.3x for local.

    OMP_NUM_THREADS=1 python benchmarks/bench_attention.py [--threads N] [--repeat R]
"""
import itertools
import tracemalloc

from _harness import (best_interleaved, best_time, report, setup_threads, sgd_stepper,
                      torch_or_none)

args = setup_threads(__doc__)
import numpy as np  # noqa: E402  (after the thread settings)

import gradix  # noqa: E402
import gradix.nn.functional as F  # noqa: E402

torch = torch_or_none(args.threads)


# ---------------------------------------------------------------------- encoder step
def stepper(lib, x, target):
    """A function running one training step of a fresh pre-LN encoder layer built with lib."""
    layer = lib.nn.TransformerEncoderLayer(128, 4, 512, dropout=0.0, batch_first=True,
                                           norm_first=True)
    return sgd_stepper(lib, layer, reference, "mse_loss", x, target)


rng = np.random.default_rng(0)
tokens = rng.standard_normal((16, 64, 128)).astype(np.float32)
targets = rng.standard_normal((16, 64, 128)).astype(np.float32)
gradix.manual_seed(0)
reference = {k: v.numpy() for k, v in gradix.nn.TransformerEncoderLayer(
    128, 4, 512, batch_first=True, norm_first=True).state_dict().items()}

steps = {"gradix": stepper(gradix, tokens, targets)}
if torch:
    steps["torch"] = stepper(torch, tokens, targets)
best = best_interleaved(steps, args.repeat)
print(f"threads={args.threads}")
report("encoder step (16x64, d 128, 4 heads)", best["gradix"], best.get("torch"), target=1.3)


# ---------------------------------------------------------------------- scaling in L
HEADS, DIM, WINDOW = 4, 64, 64
LENGTHS = (1024, 2048, 4096, 8192, 16384)
FULL_MAX = 4096  # full attention's (H, L, L) scores and their gradients: ~1 GiB at 4k


def measure(attend, length):
    """(best seconds, peak NumPy bytes) of forward + backward of ``attend(q, k, v)``."""
    data = np.random.default_rng(1).standard_normal((3, 1, HEADS, length, DIM)).astype(np.float32)
    q, k, v = (gradix.tensor(a, requires_grad=True) for a in data)

    def run():
        attend(q, k, v).sum().backward()
        q.grad = k.grad = v.grad = None
    seconds = best_time(run, max(args.repeat // 4, 3), warmup=1)  # the long lengths are noisy
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


variants = {"local": lambda q, k, v: F.local_attention(q, k, v, WINDOW),
            "full": F.scaled_dot_product_attention}
rows = {name: [measure(fn, n) if name == "local" or n <= FULL_MAX else None for n in LENGTHS]
        for name, fn in variants.items()}
print(f"\nforward + backward, {HEADS} heads of size {DIM}, window {WINDOW} "
      f"(x2: ratio to the previous length)")
print(f"{'L':>6}  " + "  ".join(f"{n + ' ms':>10} {'x2':>5} {n + ' MiB':>10} {'x2':>5}"
                                for n in variants))
for i, length in enumerate(LENGTHS):
    cells = []
    for name in variants:
        now, before = rows[name][i], rows[name][i - 1] if i else None
        if now is None:
            cells.append(f"{'-':>10} {'':>5} {'-':>10} {'':>5}")
            continue
        ratios = [f"{a / b:5.2f}" if before else f"{'':>5}" for a, b in
                  zip(now, before or now)]
        cells.append(f"{now[0] * 1e3:10.1f} {ratios[0]} {now[1] / 2 ** 20:10.1f} {ratios[1]}")
    print(f"{length:>6}  " + "  ".join(cells))
local = rows["local"]
worst = max(max(b[0] / a[0], b[1] / a[1]) for a, b in itertools.pairwise(local))
print(f"local attention: worst doubling ratio {worst:.2f}x (target <= 2.3x) "
      f"{'ok' if worst <= 2.3 else 'ABOVE TARGET'}")
