"""Draws every figure of docs/concepts.md from gradix itself into docs/figures/*.png.

    python docs/make_figures.py            # the committed figures (a few minutes on a CPU)
    python docs/make_figures.py --fast     # small sizes and few epochs, into a temporary folder
    python docs/make_figures.py --out DIR [--only NAME ...]

The autograd graph is drawn by Graphviz's ``dot`` when it is installed, else as the text tree
of ``gradix.autograd.format_graph``.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import gradix
import gradix.nn.functional as F
from gradix import nn, optim
from gradix.autograd import format_graph, to_dot
from gradix.data import DataLoader, Subset, TensorDataset, load_digits
from gradix.data import transforms as T
from gradix.train import evaluate, fit

FAST = False
OUT = Path(__file__).resolve().parent / "figures"
FIGURES = {}


def figure(fn):
    FIGURES[fn.__name__] = fn
    return fn


def save(fig, name):
    fig.tight_layout()
    fig.savefig(OUT / f"{name}.png", dpi=70 if FAST else 100)
    plt.close(fig)


def digits_split(n_train, n_val=500):
    digits = load_digits()
    order = np.random.default_rng(0).permutation(len(digits))
    return digits, order[:n_train], order[1000:1000 + n_val]


# ---------------------------------------------------------------------- 2. broadcasting
@figure
def broadcasting():
    a = gradix.tensor([[0.0], [10.0], [20.0]])
    b = gradix.tensor([1.0, 2.0, 3.0, 4.0])
    c = (a + b).numpy()
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.2))
    panels = [(np.broadcast_to(a.numpy(), (3, 4)), "a: (3, 1) -> (3, 4)",
               [(i, 0) for i in range(3)]),
              (np.broadcast_to(b.numpy(), (3, 4)), "b: (4,) -> (1, 4) -> (3, 4)",
               [(0, j) for j in range(4)]),
              (c, "a + b: (3, 4)", [(i, j) for i in range(3) for j in range(4)])]
    for ax, (values, title, real) in zip(axes, panels):
        for i in range(3):
            for j in range(4):
                stored = (i, j) in real
                ax.add_patch(plt.Rectangle((j, 2 - i), 1, 1, fill=True, ec="black",
                                           fc="#9ecae1" if stored else "#f0f0f0",
                                           ls="-" if stored else "--"))
                ax.text(j + 0.5, 2.5 - i, f"{values[i, j]:g}", ha="center", va="center",
                        color="black" if stored else "grey")
        ax.set_xlim(0, 4), ax.set_ylim(0, 3), ax.set_aspect("equal"), ax.axis("off")
        ax.set_title(title, fontsize=10)
    fig.suptitle("Shapes align from the right; size-1 (or missing) axes are repeated "
                 "(grey: not stored, only read again)", fontsize=9)
    save(fig, "broadcasting")


# ---------------------------------------------------------------------- 3. autograd graph
@figure
def autograd_graph():
    x = gradix.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = gradix.tensor([0.5, -1.0, 0.25], requires_grad=True)
    b = gradix.tensor(0.1, requires_grad=True)
    y = ((w * x).sum() + b).tanh()
    names = {"x": x, "w": w, "b": b}
    path = OUT / "autograd_graph.png"
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tpng", "-Gdpi=90", "-o", str(path)], input=to_dot(y, names),
                       text=True, check=True)
        return
    fig = plt.figure(figsize=(6, 3))  # no Graphviz: draw the text rendering instead
    fig.text(0.02, 0.95, format_graph(y, names), family="monospace", va="top", fontsize=10)
    save(fig, "autograd_graph")


# ---------------------------------------------------------------------- 5. optimizers
def _line_data():
    gradix.manual_seed(0)
    xs = gradix.rand(64) * 4
    ys = 1.5 * xs - 1.0 + 0.3 * gradix.randn(64)
    return xs, ys


def _path(make_opt, xs, ys, steps, batch=None, start=(-2.0, 4.0)):
    theta = gradix.tensor(list(start), requires_grad=True)
    opt = make_opt([theta])
    path = [theta.detach().numpy().copy()]
    for _ in range(steps):
        idx = gradix.randint(0, len(xs), (batch,)) if batch else slice(None)
        opt.zero_grad()
        (theta[0] * xs[idx] + theta[1] - ys[idx]).square().mean().backward()
        opt.step()
        path.append(theta.detach().numpy().copy())
    return np.array(path)


def _surface(ax, xs, ys, lim=((-2.5, 3.0), (-4.0, 5.0))):
    a, b = np.meshgrid(np.linspace(*lim[0], 200), np.linspace(*lim[1], 200))
    x, y = xs.numpy(), ys.numpy()
    loss = ((a[..., None] * x + b[..., None] - y) ** 2).mean(-1)
    ax.contour(a, b, np.log(loss), levels=25, cmap="viridis", linewidths=0.7)
    ax.set_xlabel("a (slope)"), ax.set_ylabel("b (intercept)")
    ax.set_xlim(*lim[0]), ax.set_ylim(*lim[1])


@figure
def optimizers():
    xs, ys = _line_data()
    steps = 30 if FAST else 100
    runs = [("gradient descent", lambda p: optim.SGD(p, lr=0.05), None),
            ("SGD, batches of 8", lambda p: optim.SGD(p, lr=0.05), 8),
            ("momentum 0.9", lambda p: optim.SGD(p, lr=0.05, momentum=0.9), None),
            ("Adam", lambda p: optim.Adam(p, lr=0.1), None)]
    fig, ax = plt.subplots(figsize=(7, 5.5))
    _surface(ax, xs, ys)
    for name, make_opt, batch in runs:
        p = _path(make_opt, xs, ys, steps, batch)
        ax.plot(p[:, 0], p[:, 1], ".-", ms=3, lw=1, label=name)
    ax.plot([-2.0], [4.0], "ko", label="start")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(f"{steps} steps on the MSE of fitting y = a x + b (log-loss contours)")
    save(fig, "optimizers")


@figure
def learning_rates():
    xs, ys = _line_data()
    steps = 15 if FAST else 40
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
    for ax, (lr, title) in zip(axes, [(0.01, "too small: crawls"), (0.1, "about right"),
                                      (0.17, "too large: diverges (lr > 2/λmax = 0.165)")]):
        _surface(ax, xs, ys, lim=((-6, 8), (-10, 14)))
        p = _path(lambda q, lr=lr: optim.SGD(q, lr=lr), xs, ys, steps)
        p = p[np.all(np.abs(p) < 1e3, axis=1)]
        ax.plot(p[:, 0], p[:, 1], "r.-", ms=4, lw=1)
        ax.set_title(f"lr = {lr}: {title}", fontsize=10)
    fig.suptitle(f"Gradient descent, {steps} steps from (-2, 4)")
    save(fig, "learning_rates")


# ---------------------------------------------------------------------- 6. activations
@figure
def activations():
    x = gradix.linspace(-4, 4, 81 if FAST else 401, requires_grad=True)
    fns = [("sigmoid", F.sigmoid), ("tanh", F.tanh), ("ReLU", F.relu),
           ("leaky ReLU (0.1)", lambda t: F.leaky_relu(t, 0.1)), ("GELU", F.gelu),
           ("SiLU", F.silu)]
    fig, axes = plt.subplots(2, 3, figsize=(11, 6))
    for ax, (name, f) in zip(axes.ravel(), fns):
        x.grad = None
        y = f(x)
        y.sum().backward()  # elementwise: x.grad[i] = f'(x[i])
        ax.plot(x.detach().numpy(), y.detach().numpy(), label="f(x)")
        ax.plot(x.detach().numpy(), x.grad.numpy(), "--", label="f'(x) (autograd)")
        ax.axhline(0, color="grey", lw=0.5), ax.axvline(0, color="grey", lw=0.5)
        ax.set_title(name), ax.legend(fontsize=8), ax.set_ylim(-1.5, 4)
    save(fig, "activations")


# ---------------------------------------------------------------------- 7-8. conv, pooling
@figure
def edge_detection():
    digits = load_digits()
    digit = digits.tensors[0][0:1]
    sobel = gradix.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    edges = F.conv2d(digit, gradix.stack([sobel, sobel.T]).unsqueeze(1), padding=1)[0]
    magnitude = (edges.square().sum(dim=0)).sqrt()
    panels = [(digit[0, 0], "digit (8 x 8)", "gray_r"), (sobel, "Sobel kernel (x)", "coolwarm"),
              (edges[0], "vertical edges (x kernel)", "coolwarm"),
              (edges[1], "horizontal edges (kernel transposed)", "coolwarm"),
              (magnitude, "edge strength", "magma")]
    fig, axes = plt.subplots(1, 5, figsize=(14, 3.2))
    for ax, (img, title, cmap) in zip(axes, panels):
        img = img.numpy()
        lim = np.abs(img).max() if cmap == "coolwarm" else None
        ax.imshow(img, cmap=cmap, vmin=-lim if lim else None, vmax=lim)
        ax.set_title(title, fontsize=9), ax.set_xticks([]), ax.set_yticks([])
    save(fig, "edge_detection")


@figure
def pooling():
    digits = load_digits()
    sobel = gradix.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    fmap = F.relu(F.conv2d(digits.tensors[0][0:1], sobel.reshape(1, 1, 3, 3), padding=1))
    panels = [(fmap, "feature map 8 x 8 (ReLU of an edge filter)"),
              (F.max_pool2d(fmap, 2), "max pool 2x2 -> 4 x 4"),
              (F.avg_pool2d(fmap, 2), "average pool 2x2 -> 4 x 4")]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6))
    vmax = float(fmap.max())
    for ax, (t, title) in zip(axes, panels):
        img = t[0, 0].numpy()
        ax.imshow(img, cmap="viridis", vmin=0, vmax=vmax)
        for (i, j), v in np.ndenumerate(img):
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", color="w", fontsize=7)
        ax.set_title(title, fontsize=9), ax.set_xticks([]), ax.set_yticks([])
    save(fig, "pooling")


@figure
def cnn_filters():
    digits, tr, va = digits_split(1400 if not FAST else 300, 397)
    gradix.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(128, 10))
    history = fit(model, F.cross_entropy, optim.Adam(model.parameters(), lr=0.01),
                  DataLoader(Subset(digits, tr), batch_size=32, shuffle=True),
                  DataLoader(Subset(digits, va), batch_size=400), epochs=2 if FAST else 20,
                  metrics=["accuracy"])
    w = model[0].weight.detach().numpy()[:, 0]
    x = digits.tensors[0][va[:1]]
    with gradix.no_grad():
        maps = F.relu(model[0](x))[0].numpy()
    fig, axes = plt.subplots(2, 9, figsize=(14, 3.6))
    axes[0, 0].imshow(x[0, 0].numpy(), cmap="gray_r"), axes[0, 0].set_title("input", fontsize=9)
    axes[1, 0].axis("off")
    for i in range(8):
        lim = np.abs(w[i]).max()
        axes[0, i + 1].imshow(w[i], cmap="coolwarm", vmin=-lim, vmax=lim)
        axes[0, i + 1].set_title(f"filter {i}", fontsize=9)
        axes[1, i + 1].imshow(maps[i], cmap="viridis")
        axes[1, i + 1].set_title("its feature map", fontsize=8)
    for ax in axes.ravel():
        ax.set_xticks([]), ax.set_yticks([])
    fig.suptitle(f"First-layer 3x3 filters after training (validation accuracy "
                 f"{history['val_accuracy'][-1]:.2f}); red +, blue -", fontsize=10)
    save(fig, "cnn_filters")


# ---------------------------------------------------------------------- 11-12. overfitting
def _small_mlp_run(epochs, dropout=0.0, weight_decay=0.0, l1=0.0):
    digits, tr, va = digits_split(60)
    train = DataLoader(Subset(digits, tr), batch_size=20, shuffle=True)
    val = DataLoader(Subset(digits, va), batch_size=500)
    gradix.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 256), nn.ReLU(), nn.Dropout(dropout),
                          nn.Linear(256, 10))
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=weight_decay)

    def loss_fn(out, y):
        loss = F.cross_entropy(out, y)
        return loss + l1 * gradix.nn.utils.l1_penalty(model) if l1 else loss
    rows = []

    class Track(gradix.train.Callback):  # the plain cross-entropy on both sets, every epoch
        def on_epoch_end(self, state, logs):
            rows.append((evaluate(model, train, F.cross_entropy)["loss"],
                         evaluate(model, val, F.cross_entropy)["loss"]))
    fit(model, loss_fn, opt, train, val, epochs=epochs, callbacks=[Track()])
    return model, np.array(rows)


@figure
def overfitting():
    import warnings
    epochs = 15 if FAST else 100
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        digits, tr, va = digits_split(60)
        gradix.manual_seed(0)
        model = nn.Sequential(nn.Flatten(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
        history = fit(model, F.cross_entropy,
                      optim.SGD(model.parameters(), lr=0.05, momentum=0.9),
                      DataLoader(Subset(digits, tr), batch_size=20, shuffle=True),
                      DataLoader(Subset(digits, va), batch_size=500), epochs=epochs,
                      callbacks=[gradix.train.OverfittingDetector(patience=3)])
    fig, ax = plt.subplots(figsize=(7, 4))
    ep = history["epoch"]
    ax.plot(ep, history["loss"], label="training loss (60 digits)")
    ax.plot(ep, history["val_loss"], label="validation loss (500 digits)")
    best = int(np.argmin(history["val_loss"]))
    ax.axvline(ep[best], color="grey", ls=":", label=f"lowest validation loss (epoch {ep[best]})")
    warned = [w for w in caught if issubclass(w.category, gradix.train.OverfittingWarning)]
    if warned:
        ax.set_title("OverfittingDetector warned: validation loss rose 3 epochs in a row",
                     fontsize=10)
    ax.set_yscale("log"), ax.set_xlabel("epoch"), ax.legend()
    save(fig, "overfitting")


@figure
def regularization():
    epochs = 10 if FAST else 100
    runs = [("none", {}), ("L1 3e-4", {"l1": 3e-4}), ("L2 wd 1e-2", {"weight_decay": 1e-2}),
            ("dropout 0.5", {"dropout": 0.5})]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for name, kw in runs:
        model, rows = _small_mlp_run(epochs, **kw)
        line, = axes[0].plot(rows[:, 1], label=f"{name}: validation")
        axes[0].plot(rows[:, 0], ls=":", color=line.get_color())
        w = np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])
        axes[1].hist(np.abs(w), bins=np.logspace(-6, 0, 40), histtype="step", label=name)
    axes[0].set_yscale("log"), axes[0].set_xlabel("epoch")
    axes[0].set_title("cross-entropy: validation (solid), training (dotted)", fontsize=10)
    axes[0].legend(fontsize=8)
    axes[1].set_xscale("log"), axes[1].set_xlabel("|weight|"), axes[1].legend(fontsize=8)
    axes[1].set_title("distribution of the weights' sizes after training", fontsize=10)
    save(fig, "regularization")


# ---------------------------------------------------------------------- 13. batch norm
@figure
def batchnorm():
    digits, tr, _ = digits_split(1400 if not FAST else 200, 397)
    epochs = 2 if FAST else 15
    fig, ax = plt.subplots(figsize=(7, 4))
    for bn in (False, True):
        gradix.manual_seed(0)
        layers, size = [nn.Flatten()], 64
        for _ in range(8):
            layers += [nn.Linear(size, 64)] + ([nn.BatchNorm1d(64)] if bn else []) + [nn.Tanh()]
            size = 64
        model = nn.Sequential(*layers, nn.Linear(64, 10))
        losses = []

        class PerBatch(gradix.train.Callback):
            def on_batch_end(self, state, logs, losses=losses):
                losses.append(logs["loss"])
        fit(model, F.cross_entropy, optim.SGD(model.parameters(), lr=0.05),
            DataLoader(Subset(digits, tr), batch_size=50, shuffle=True), epochs=epochs,
            callbacks=[PerBatch()])
        per_epoch = len(losses) / epochs
        ax.plot(np.arange(len(losses)) / per_epoch, losses,
                label="with batch norm" if bn else "without batch norm")
    ax.axhline(np.log(10), color="grey", ls=":", label="chance (log 10)")
    ax.set_xlabel("epoch"), ax.set_ylabel("training loss (per batch)")
    ax.set_title("8 tanh layers of 64 units, SGD lr 0.05, same initialization", fontsize=10)
    ax.legend()
    save(fig, "batchnorm")


# ---------------------------------------------------------------------- 14. augmentation
@figure
def augmentation():
    digits = load_digits()
    batch = digits.tensors[0][:6]
    gradix.manual_seed(0)
    rows = [("original", None), ("rotation ±20°", T.RandomRotation(20)),
            ("scaling 0.8-1.2", T.RandomAffine(0, scale=(0.8, 1.2))),
            ("crop (pad 1)", T.RandomCrop(8, padding=1)),
            ("resized crop", T.RandomResizedCrop(8, scale=(0.6, 1.0))),
            ("noise σ=0.1", T.GaussianNoise(0.1))]
    fig = plt.figure(figsize=(12, 7.5))
    grid = fig.add_gridspec(len(rows), 10)
    for r, (name, t) in enumerate(rows):
        out = batch if t is None else t(batch)
        for c in range(6):
            ax = fig.add_subplot(grid[r, c])
            ax.imshow(out[c, 0].numpy(), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([]), ax.set_yticks([])
            if c == 0:
                ax.set_ylabel(name, fontsize=8)
    # effect on validation accuracy (plain and rotated validation digits)
    order = np.random.default_rng(0).permutation(len(digits))
    vx, vy = digits.tensors[0][order[1000:1500]], digits.tensors[1][order[1000:1500]]
    gradix.manual_seed(123)
    vals = [DataLoader(TensorDataset(vx, vy), batch_size=500),
            DataLoader(TensorDataset(T.RandomRotation(15)(vx), vy), batch_size=500)]
    choices = [("none", None),
               ("crop+noise", T.Compose([T.RandomCrop(8, padding=1), T.GaussianNoise(0.1)])),
               ("rotation", T.RandomRotation(15)),
               ("all", T.Compose([T.RandomAffine(15, scale=(0.9, 1.1)),
                                  T.GaussianNoise(0.05)]))]
    seeds, epochs = (1, 3) if FAST else (3, 60)
    results = []
    for name, t in choices:
        accs = []
        for seed in range(seeds):
            gradix.manual_seed(seed)
            model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Flatten(), nn.Linear(128, 10))
            fit(model, F.cross_entropy, optim.Adam(model.parameters(), lr=0.01),
                DataLoader(Subset(digits, order[:150]), batch_size=25, shuffle=True,
                           transform=t), epochs=epochs)
            accs.append([evaluate(model, v, metrics=["accuracy"])["accuracy"] for v in vals])
        results.append(np.mean(accs, axis=0))
    ax = fig.add_subplot(grid[:, 7:])
    pos = np.arange(len(choices))
    results = np.array(results)
    ax.bar(pos - 0.2, results[:, 0], 0.4, label="validation digits")
    ax.bar(pos + 0.2, results[:, 1], 0.4, label="rotated validation digits")
    ax.set_xticks(pos, [c for c, _ in choices], fontsize=8)
    ax.set_ylim(0.6, 1.0), ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"CNN on 150 digits, {epochs} epochs, mean of {seeds} seeds", fontsize=9)
    for p, (a, b) in zip(pos, results):
        ax.text(p - 0.2, a + 0.005, f"{a:.3f}", ha="center", fontsize=7)
        ax.text(p + 0.2, b + 0.005, f"{b:.3f}", ha="center", fontsize=7)
    save(fig, "augmentation")


# ---------------------------------------------------------------------- 15. tuning
@figure
def tuning():
    from gradix.data import load_iris
    from gradix.select import KFold, cross_validate, grid_search

    iris = load_iris()
    lrs = [0.001, 0.01, 0.1] if FAST else [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]
    hidden = [4, 16] if FAST else [2, 4, 8, 16, 32]
    epochs = 3 if FAST else 15

    def objective(p):
        cv = cross_validate(
            lambda: nn.Sequential(nn.Linear(4, p["hidden"]), nn.ReLU(), nn.Linear(p["hidden"], 3)),
            iris, F.cross_entropy, lambda params: optim.Adam(params, lr=p["lr"]),
            cv=KFold(3, shuffle=True, random_state=0), epochs=epochs, batch_size=16)
        return cv.mean("accuracy")
    result = grid_search(objective, {"lr": lrs, "hidden": hidden})
    table = np.zeros((len(hidden), len(lrs)))
    for t in result.trials:
        table[hidden.index(t["params"]["hidden"]), lrs.index(t["params"]["lr"])] = t["score"]
    fig, ax = plt.subplots(figsize=(7, 4))
    im = ax.imshow(table, cmap="viridis", vmin=0.3, vmax=1.0)
    for (i, j), v in np.ndenumerate(table):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center",
                color="black" if v > 0.75 else "white")
    ax.set_xticks(range(len(lrs)), [str(v) for v in lrs]), ax.set_xlabel("learning rate")
    ax.set_yticks(range(len(hidden)), [str(v) for v in hidden]), ax.set_ylabel("hidden units")
    ax.set_title(f"Grid search on iris: 3-fold CV accuracy, {epochs} epochs (best "
                 f"{result.best_params})", fontsize=9)
    fig.colorbar(im)
    save(fig, "tuning")


# ---------------------------------------------------------------------- 16. attention
@figure
def attention_maps():
    gradix.manual_seed(0)
    L, d = 32, 16
    # a toy sequence with structure: neighbouring positions are similar
    base = gradix.randn(L, d).numpy()
    x = gradix.tensor((base + np.roll(base, 1, 0) + np.roll(base, -1, 0)) / 3)
    full = F.softmax(x @ x.T / d ** 0.5, dim=-1)
    _, local = F.local_attention(x, x, x, window=3, need_weights=True)
    _, glob = F.global_attention(x, x, x, global_positions=[0, 16], need_weights=True)
    _, mixed = F.mixed_attention(x, x, x, window=3, global_positions=[0, 16], need_weights=True)
    panels = [(full, "full (global): L x L"), (local.dense(), "local, window 3"),
              (glob.dense(), "global tokens 0 and 16"),
              (mixed.dense(), "mixed: window 3 + global 0, 16")]
    fig, axes = plt.subplots(1, 4, figsize=(15, 4))
    for ax, (w, title) in zip(axes, panels):
        im = ax.imshow(w.numpy(), cmap="magma", vmin=0)
        ax.set_title(title, fontsize=10), ax.set_xlabel("key j"), ax.set_ylabel("query i")
        fig.colorbar(im, ax=ax, fraction=0.046)
    fig.suptitle("Attention weights softmax(Q Kᵀ/√d) row by row (black: not attended)")
    save(fig, "attention_maps")


@figure
def attention_cost():
    lengths = [128, 256, 512] if FAST else [256, 512, 1024, 2048, 4096]
    d, w, g = 32, 16, 2
    patterns = {"full": F.scaled_dot_product_attention,
                "local": lambda q, k, v: F.local_attention(q, k, v, w),
                "global": lambda q, k, v: F.global_attention(q, k, v, list(range(g))),
                "mixed": lambda q, k, v: F.mixed_attention(q, k, v, w, list(range(g)))}
    times = {name: [] for name in patterns}
    for L in lengths:
        gradix.manual_seed(0)
        q = gradix.randn(1, L, d)
        for name, f in patterns.items():
            f(q, q, q)
            best = np.inf
            for _ in range(1 if FAST else 3):
                start = time.perf_counter()
                f(q, q, q)
                best = min(best, time.perf_counter() - start)
            times[name].append(best)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for name in patterns:
        window, pos = {"full": (None, range(lengths[0])), "local": (w, ()),
                       "global": (None, range(g)), "mixed": (w, range(g))}[name]
        counts = [L * L if name == "full" else
                  int(F.sparse_attention_mask(L, window, pos).sum()) for L in lengths]
        axes[0].plot(lengths, counts, "o-", label=name)
        axes[1].plot(lengths, np.array(times[name]) * 1e3, "o-", label=name)
    for ax, title in zip(axes, ["scores computed", "forward time (ms, this machine)"]):
        ax.set_xscale("log", base=2), ax.set_yscale("log"), ax.set_xlabel("sequence length L")
        ax.set_title(title), ax.legend(), ax.grid(alpha=0.3)
    fig.suptitle(f"Cost as the sequence grows (d = {d}, window {w}, {g} global positions): "
                 f"full is quadratic, the sparse patterns linear")
    save(fig, "attention_cost")


# ---------------------------------------------------------------------- README: gradix train
@figure
def train_curves():
    """The curves.png of the default ``gradix train`` run (README.md shows it)."""
    from gradix import cli

    with tempfile.TemporaryDirectory() as runs:
        args = ["train", "--out", runs, "--name", "run", "--no-progress"]
        if FAST:
            args += ["--epochs", "2"]
        if cli.main(args) != 0:
            raise RuntimeError("gradix train failed")
        shutil.copy(Path(runs) / "run" / "curves.png", OUT / "train_curves.png")


def main(argv=None):
    global FAST, OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast", action="store_true",
                        help="tiny sizes and epochs, written to a temporary folder")
    parser.add_argument("--out", help="output folder (default docs/figures, or a temporary "
                        "folder with --fast)")
    parser.add_argument("--only", nargs="+", choices=sorted(FIGURES), help="draw only these")
    args = parser.parse_args(argv)
    FAST = args.fast
    if args.out:
        OUT = Path(args.out)
    elif FAST:
        OUT = Path(tempfile.mkdtemp(prefix="gradix-figures-"))
    OUT.mkdir(parents=True, exist_ok=True)
    for name in args.only or FIGURES:
        start = time.perf_counter()
        FIGURES[name]()
        print(f"{name:16s} {time.perf_counter() - start:6.1f}s  -> {OUT / name}.png",
              flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.exit(main())
