"""Issue 2 benchmarks: per-op overhead on tiny tensors, and an MLP training step.

    OMP_NUM_THREADS=1 python benchmarks/bench_autograd.py [--threads N] [--repeat R]

gradix multiplies matrices with MKL when ``gradix[mkl]`` is installed (torch's CPU builds use
MKL too), else with NumPy's OpenBLAS; GRADIX_BLAS=numpy picks OpenBLAS with MKL installed.
"""
from _harness import best_interleaved, report, setup_threads, torch_or_none

args = setup_threads(__doc__)
import numpy as np  # noqa: E402  (after the thread settings)

import gradix  # noqa: E402

torch = torch_or_none(args.threads)


def chain(x, w, b):
    """1,000 chained elementwise ops on a (16,) tensor, then backward."""
    y = x
    for _ in range(250):
        y = y * w
        y = y + b
        y = y.tanh()
        y = y * 0.5
    y.sum().backward()


def mlp(lib, weights):
    """A 784-1024-1024-10 ReLU MLP of ``lib``'s nn modules, holding ``weights``."""
    nn = lib.nn
    net = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                        nn.Linear(1024, 10))
    net.load_state_dict({k: lib.tensor(v) for k, v in weights.items()})
    return net


def mlp_step(lib, net, x, target):
    """Forward + backward of the MLP on a batch of 256 with cross-entropy."""
    loss = lib.nn.functional.cross_entropy(net(x), target)
    loss.backward()
    for p in net.parameters():
        p.grad = None


def arrays(seed=0):
    rng = np.random.default_rng(seed)
    chain_in = [rng.standard_normal(16).astype(np.float32) for _ in range(3)]
    sizes = {"0.weight": (1024, 784), "0.bias": (1024,), "2.weight": (1024, 1024),
             "2.bias": (1024,), "4.weight": (10, 1024), "4.bias": (10,)}
    weights = {k: (rng.standard_normal(s) * 0.03).astype(np.float32) for k, s in sizes.items()}
    batch = (rng.standard_normal((256, 784)).astype(np.float32), rng.integers(0, 10, 256))
    return chain_in, weights, batch


def workloads(lib, make, raw, mm):
    """The three workloads with ``lib``, as {name: fn}; ``make(array, requires_grad)`` builds
    its tensors, ``raw(array)`` its plain arrays (NumPy's for gradix) and ``mm(a, b)``
    multiplies two of those."""
    chain_in, weights, (x, y) = arrays()
    a, w, b = (make(v, rg) for v, rg in zip(chain_in, (True, False, False)))
    net, xt, yt = mlp(lib, weights), make(x, False), make(y, False)
    raw_weights, raw_x = {k: raw(v) for k, v in weights.items()}, raw(x)
    return {"chain": lambda: chain(a, w, b), "mlp": lambda: mlp_step(lib, net, xt, yt),
            "blas": lambda: products(raw_weights, raw_x, mm)}


def products(weights, x, mm):
    """The MLP step's eight matrix products alone, on plain arrays: the floor that the BLAS
    library sets for the step."""
    h1 = mm(x, weights["0.weight"].T)
    h2 = mm(h1, weights["2.weight"].T)
    out = mm(h2, weights["4.weight"].T)
    g2 = mm(out, weights["4.weight"])
    g1 = mm(g2, weights["2.weight"])
    return mm(out.T, h2), mm(g2.T, h1), mm(g1.T, x)


libs = {"gradix": workloads(gradix, lambda a, rg: gradix.tensor(a, requires_grad=rg),
                            lambda a: a, gradix.blas.matmul)}
if torch:
    libs["torch"] = workloads(torch, lambda a, rg: torch.tensor(a, requires_grad=rg),
                              torch.from_numpy, torch.matmul)
# Each workload alternates between the frameworks, so a load spike on a shared machine hits
# both alike; the chain is short, so it gets more rounds.
best = {work: best_interleaved({lib: fns[work] for lib, fns in libs.items()},
                               args.repeat * (5 if work == "chain" else 1))
        for work in ("chain", "mlp", "blas")}
print(f"threads={args.threads}, gradix's BLAS: {gradix.blas.name()}")
for work, name, target in (("chain", "per-op: 1000 chained ops (16,) + backward", 0.5),
                           ("mlp", "MLP step 256x784-1024-1024-10", 1.1),
                           ("blas", "  its 8 matrix products alone (BLAS)", 1.1)):
    report(name, best[work]["gradix"], best[work].get("torch"), target)
