"""Issue 2 benchmarks: per-op overhead on tiny tensors, and an MLP training step.

    OMP_NUM_THREADS=1 python benchmarks/bench_autograd.py [--threads N] [--repeat R]
"""
from _harness import best_time, report, setup_threads, torch_or_none

args = setup_threads(__doc__)
import numpy as np  # noqa: E402  (after the thread settings)

import gradix  # noqa: E402

torch = torch_or_none(args.threads)


def chain(lib, x, w, b):
    """1,000 chained elementwise ops on a (16,) tensor, then backward."""
    y = x
    for _ in range(250):
        y = y * w
        y = y + b
        y = y.tanh()
        y = y * 0.5
    y.sum().backward()


def mlp_step(lib, x, target, params):
    """Forward + backward of a 784-1024-1024-10 ReLU MLP on a batch of 256."""
    w1, b1, w2, b2, w3, b3 = params
    h = (x @ w1 + b1).relu()
    h = (h @ w2 + b2).relu()
    out = h @ w3 + b3
    loss = ((out - target) ** 2).mean()
    loss.backward()
    for p in params:
        p.grad = None


def arrays(seed=0):
    rng = np.random.default_rng(seed)
    chain_in = [rng.standard_normal(16).astype(np.float32) for _ in range(3)]
    sizes = [(784, 1024), (1024,), (1024, 1024), (1024,), (1024, 10), (10,)]
    mlp_params = [(rng.standard_normal(s) * 0.03).astype(np.float32) for s in sizes]
    mlp_in = [rng.standard_normal((256, 784)).astype(np.float32),
              rng.standard_normal((256, 10)).astype(np.float32)]
    return chain_in, mlp_params, mlp_in


def run(lib, make):
    chain_in, mlp_params, mlp_in = arrays()
    x, w, b = make(chain_in[0], True), make(chain_in[1], False), make(chain_in[2], False)
    t_chain = best_time(lambda: chain(lib, x, w, b), args.repeat)
    params = [make(p, True) for p in mlp_params]
    xin, target = make(mlp_in[0], False), make(mlp_in[1], False)
    t_mlp = best_time(lambda: mlp_step(lib, xin, target, params), max(args.repeat // 2, 3))
    return t_chain, t_mlp


g = run(gradix, lambda a, rg: gradix.tensor(a, requires_grad=rg))
t = run(torch, lambda a, rg: torch.tensor(a, requires_grad=rg)) if torch else (None, None)
print(f"threads={args.threads}")
report("per-op: 1000 chained ops (16,) + backward", g[0], t[0], 0.5)
report("MLP step 256x784-1024-1024-10", g[1], t[1], 1.1)
