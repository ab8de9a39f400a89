"""History: what each epoch of ``fit`` measured, as rows and as columns."""
import csv
import json
import math
import os

from ..io import write_atomic


class History:
    """One dict per epoch: epoch, loss, metrics, val_* of each, lr, time (seconds).

    ``history["val_loss"]`` is a column (a list over epochs); ``history.rows`` the raw rows.
    ``stop_reason`` says why training ended early (early stopping, divergence, interrupt).
    """

    def __init__(self, rows=None):
        self.rows = list(rows or [])
        self.stop_reason = None

    def append(self, row):
        self.rows.append(dict(row))

    def __getitem__(self, key):
        return [row.get(key) for row in self.rows]

    def __len__(self):
        return len(self.rows)

    @property
    def last(self):
        return self.rows[-1] if self.rows else {}

    def keys(self):
        seen = {}
        for row in self.rows:
            seen.update(dict.fromkeys(row))
        return list(seen)

    def best(self, monitor, mode="min"):
        """The row where ``monitor`` was best."""
        rows = [r for r in self.rows if r.get(monitor) is not None
                and not math.isnan(r[monitor])]
        if not rows:
            raise KeyError(f"History.best: no epoch recorded {monitor!r}; have {self.keys()}")
        pick = min if mode == "min" else max
        return pick(rows, key=lambda r: r[monitor])

    def to_json(self, path):
        data = {"epochs": self.rows, "stop_reason": self.stop_reason}
        write_atomic(path, json.dumps(data, indent=2).encode())

    def to_csv(self, path):
        import io
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.keys())
        writer.writeheader()
        writer.writerows(self.rows)
        write_atomic(path, buf.getvalue().encode())

    def plot(self, path):
        """Draws loss and every metric, train and validation, per epoch, into ``path`` (PNG)."""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        names = [k for k in self.keys() if k not in ("epoch", "lr", "time")
                 and not k.startswith("val_")]
        fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.6), squeeze=False)
        epochs = self["epoch"]
        for ax, name in zip(axes[0], names):
            ax.plot(epochs, self[name], marker="o", ms=3, label=f"train {name}")
            if f"val_{name}" in self.keys():
                ax.plot(epochs, self[f"val_{name}"], marker="o", ms=3, label=f"validation {name}")
            ax.set_xlabel("epoch")
            ax.set_title(name)
            ax.grid(alpha=0.3)
            ax.legend()
        fig.tight_layout()
        tmp = f"{path}.tmp.png"
        fig.savefig(tmp, dpi=110)
        plt.close(fig)
        os.replace(tmp, path)
