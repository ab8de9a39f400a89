"""Shared timing for the benchmarks: best-of-N wall time, one process, both frameworks.

Run a benchmark with one thread on both sides for a stable ratio:
    OMP_NUM_THREADS=1 python benchmarks/bench_autograd.py
The thread count comes from ``--threads`` (default: OMP_NUM_THREADS, else 1); it must be set
before NumPy loads its BLAS, so each script calls ``setup_threads()`` before importing gradix.
"""
import argparse
import os
import sys
import time


def setup_threads(description):
    """Parses --threads/--repeat and pins BLAS/OpenMP threads before NumPy is imported."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", 1)))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    return args


def torch_or_none(threads):
    try:
        import torch
    except ImportError:
        print("torch is not installed: gradix times only", file=sys.stderr)
        return None
    torch.set_num_threads(threads)
    return torch


def sgd_stepper(lib, net, reference, loss, x, target):
    """A function running one SGD training step of ``net`` (a ``lib`` module, given the
    weights in ``reference``, a dict of NumPy arrays) with ``lib.nn.functional.<loss>``."""
    if lib.__name__ == "torch":
        reference = {k: lib.tensor(v) for k, v in reference.items()}
    net.load_state_dict(reference)
    opt = lib.optim.SGD(net.parameters(), lr=0.01)
    loss_fn = getattr(lib.nn.functional, loss)
    x, target = lib.tensor(x), lib.tensor(target)

    def step():
        opt.zero_grad()
        loss_fn(net(x), target).backward()
        opt.step()
    return step


def best_interleaved(steps, repeat):
    """Best time of each of ``steps`` ({name: fn}), alternating short rounds between them so
    that a load spike on a shared machine hits both frameworks alike."""
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(max(repeat // 5, 1)):
        for name, step in steps.items():
            best[name] = min(best[name], best_time(step, 5, warmup=1))
    return best


def best_time(fn, repeat, warmup=2):
    """Best wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def report(name, gradix_s, torch_s, target):
    """One line: both times, the ratio gradix/torch, and the target ratio."""
    if torch_s is None:
        print(f"{name:40s} gradix {gradix_s * 1e3:9.3f} ms")
        return
    ratio = gradix_s / torch_s
    verdict = "ok" if ratio <= target else "SLOWER THAN TARGET"
    print(f"{name:40s} gradix {gradix_s * 1e3:9.3f} ms  torch {torch_s * 1e3:9.3f} ms  "
          f"ratio {ratio:5.2f}x (target <= {target}x) {verdict}")
