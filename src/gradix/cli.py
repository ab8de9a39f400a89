"""The ``gradix`` command: train, eval, predict, cv, tune, info.

``gradix train`` with no arguments trains a small CNN on scikit-learn's digits (shipped, no
download) with augmentation, Adam, a validation split and early stopping, and writes a run
folder with the checkpoint, metrics, the resolved config and a plot of the curves.
"""
import argparse
import json
import os
import sys
import time
import zipfile

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

import numpy as np

# (type, default, help) of every training option; config files use the same keys
OPTIONS = {
    "model": (str, "cnn", "model architecture: mlp, cnn or transformer"),
    "dataset": (str, "digits", "a shipped dataset name, or a .npz/.csv file"),
    "target": (str, "y", "target column of a .csv dataset (or target array key of a .npz)"),
    "epochs": (int, 30, "maximum number of epochs"),
    "batch_size": (int, 64, "samples per batch"),
    "optimizer": (str, "adam", "sgd, adam, adamw, rmsprop or adagrad"),
    "lr": (float, 3e-3, "learning rate"),
    "weight_decay": (float, 1e-4, "L2 penalty (decoupled for adamw)"),
    "momentum": (float, 0.9, "momentum for sgd and rmsprop"),
    "scheduler": (str, "cosine", "learning-rate schedule: none, cosine, step or onecycle"),
    "dropout": (float, 0.25, "dropout probability"),
    "augment": (bool, True, "random rotation, shift, scale and noise on image training batches"),
    "patience": (int, 8, "early-stopping patience in epochs (0 disables early stopping)"),
    "val_fraction": (float, 0.15, "fraction of the data held out for validation"),
    "test_fraction": (float, 0.2, "fraction of the data held out for the final test"),
    "seed": (int, 0, "random seed for splits, initialization, shuffling and augmentation"),
    "out": (str, "runs", "folder that holds run folders"),
    "name": (str, "", "run folder name; empty means MODEL-DATASET-TIMESTAMP"),
    "progress": (bool, True, "show a progress bar per epoch (on a terminal)"),
}
OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad")
SCHEDULERS = ("none", "cosine", "step", "onecycle")
CHOICES = {"optimizer": OPTIMIZERS, "scheduler": SCHEDULERS}
LIMITS = {"epochs": (1, None), "batch_size": (1, None), "patience": (0, None), "lr": (0.0, None),
          "weight_decay": (0.0, None), "dropout": (0.0, 0.999), "val_fraction": (0.0, 0.9),
          "test_fraction": (0.0, 0.9), "momentum": (0.0, 1.0)}


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit status 2."""


# ---------------------------------------------------------------------- configuration
def _parse_bool(text):
    if isinstance(text, bool):
        return text
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


def _convert(kind, value):
    if kind is bool:
        return _parse_bool(value)
    if kind is int:
        number = float(value) if not isinstance(value, bool) else None
        if number is None or number != int(number):
            raise ValueError
        return int(number)
    return kind(value)


_KIND_NAMES = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}


def _check_value(key, value):
    kind = OPTIONS[key][0]
    try:
        value = _convert(kind, value)
    except (TypeError, ValueError):
        raise UsageError(f"option {key!r}: expected {_KIND_NAMES[kind]}, got {value!r}") from None
    low, high = LIMITS.get(key, (None, None))
    if (low is not None and value < low) or (high is not None and value > high) or \
            (key == "lr" and value <= 0):
        raise UsageError(f"option {key!r}: {value} is out of range "
                         f"[{low}, {'inf' if high is None else high}]"
                         + (" (must be > 0)" if key == "lr" else ""))
    if key in CHOICES and value not in CHOICES[key]:
        raise UsageError(f"option {key!r}: unknown value {value!r}; valid: "
                         f"{', '.join(CHOICES[key])}")
    if key == "model":
        from .models import MODELS
        if value not in MODELS:
            raise UsageError(f"unknown model {value!r}; valid models: {', '.join(MODELS)}")
    return value


def read_config(path):
    """A TOML file of training options, checked key by key."""
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        raise UsageError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"config file {path} is not valid TOML: {e}") from None
    config = {}
    for key, value in raw.items():
        if key not in OPTIONS:
            raise UsageError(f"config file {path}: unknown key {key!r}; valid keys: "
                             f"{', '.join(OPTIONS)}")
        config[key] = _check_value(key, value)
    return config


def write_config(config, path):
    """The resolved options as flat TOML (strings, numbers and booleans only)."""
    from .io import write_atomic

    lines = []
    for key, value in config.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, str):
            text = json.dumps(value)  # a JSON string is a valid TOML basic string
        else:
            text = repr(value)
        lines.append(f"{key} = {text}")
    write_atomic(path, ("\n".join(lines) + "\n").encode())


def resolve_config(args):
    """Defaults, then the --config file, then the flags given on the command line."""
    config = {k: v[1] for k, v in OPTIONS.items()}
    if getattr(args, "config", None):
        config.update(read_config(args.config))
    for key in OPTIONS:
        value = getattr(args, key, None)
        if value is not None:
            config[key] = _check_value(key, value)
    return config


# ---------------------------------------------------------------------- data
def load_data(name, target="y"):
    """A LabeledDataset from a shipped name or a .npz/.csv path."""
    from .data import datasets

    if name.endswith(".npz") or name.endswith(".csv"):
        if not os.path.exists(name):
            raise UsageError(f"dataset file {name} does not exist")
        try:
            if name.endswith(".npz"):
                return datasets.load_npz(name, y_key=target)
            return datasets.load_csv(name, target=target)
        except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
            raise UsageError(f"dataset file {name} can't be read: {e}") from None
    if name not in datasets.DATASETS:
        raise UsageError(f"unknown dataset {name!r}; valid datasets: "
                         f"{', '.join(datasets.DATASETS)} (or a path to a .npz or .csv file)")
    return datasets.DATASETS[name]()


class Prepared:
    """A dataset split into train/val/test arrays, with the preprocessing fitted on train."""

    def __init__(self, dataset, config):
        from sklearn.model_selection import train_test_split

        x, y = (t.numpy() for t in dataset.tensors)
        self.classification = dataset.task == "classification"
        self.num_outputs = dataset.num_classes if self.classification else 1
        self.image = x.ndim == 4
        strat = y if self.classification else None
        idx = np.arange(len(y))
        seed, tf, vf = config["seed"], config["test_fraction"], config["val_fraction"]
        rest, test = (train_test_split(idx, test_size=tf, random_state=seed, stratify=strat)
                      if tf > 0 else (idx, idx[:0]))
        strat = y[rest] if self.classification else None
        train, val = (train_test_split(rest, test_size=vf / (1 - tf), random_state=seed,
                                       stratify=strat) if vf > 0 else (rest, rest[:0]))
        if self.image:  # pixels are already in [0, 1]
            self.mean, self.std = np.zeros(1, np.float32), np.ones(1, np.float32)
        else:
            self.mean = x[train].mean(axis=0).astype(np.float32)
            self.std = (x[train].std(axis=0) + 1e-8).astype(np.float32)
        self.x, self.y = x, y
        self.split = {"train": train, "val": val, "test": test}
        self.in_shape = x.shape[1:]

    def arrays(self, part):
        idx = self.split[part]
        return self.preprocess(self.x[idx]), self.y[idx]

    def preprocess(self, x):
        return ((np.asarray(x, np.float32) - self.mean) / self.std).astype(np.float32)

    def loader(self, part, batch_size, shuffle=False, transform=None):
        from .data import DataLoader, TensorDataset

        x, y = self.arrays(part)
        if len(y) == 0:
            return None
        if not self.classification:
            y = y.reshape(-1, 1).astype(np.float32)
        return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle,
                          transform=transform)


def _augmentation(config, prepared):
    if not (config["augment"] and prepared.image):
        return None
    from .data import transforms as T
    return T.Compose([T.RandomAffine(degrees=10, translate=(0.1, 0.1), scale=(0.9, 1.1)),
                      T.GaussianNoise(0.02)])


def _loss_fn(prepared):
    from .nn import functional as F
    return F.cross_entropy if prepared.classification else F.mse_loss


def _metrics(prepared):
    return ("accuracy", "f1") if prepared.classification else ("mae", "r2")


def _optimizer(config, params):
    from . import optim

    name, lr, wd = config["optimizer"], config["lr"], config["weight_decay"]
    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=config["momentum"], weight_decay=wd)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr, momentum=config["momentum"], weight_decay=wd)
    cls = {"adam": optim.Adam, "adamw": optim.AdamW, "adagrad": optim.Adagrad}[name]
    return cls(params, lr=lr, weight_decay=wd)


def _scheduler(config, optimizer, steps_per_epoch):
    from .optim import lr_scheduler as S

    kind, epochs = config["scheduler"], config["epochs"]
    if kind == "cosine":
        return S.CosineAnnealingLR(optimizer, T_max=epochs)
    if kind == "step":
        return S.StepLR(optimizer, step_size=max(epochs // 3, 1), gamma=0.1)
    if kind == "onecycle":
        return S.OneCycleLR(optimizer, max_lr=config["lr"], epochs=epochs,
                            steps_per_epoch=steps_per_epoch)
    return None


def _build(config, prepared):
    from .models import build_model
    from . import random

    random.manual_seed(config["seed"])
    try:
        return build_model(config["model"], prepared.in_shape, prepared.num_outputs,
                           config["dropout"])
    except ValueError as e:
        raise UsageError(str(e)) from None


# ---------------------------------------------------------------------- commands
def _run_dir(config):
    dataset = os.path.splitext(os.path.basename(config["dataset"]))[0]
    name = config["name"] or f"{config['model']}-{dataset}-{time.strftime('%Y%m%d-%H%M%S')}"
    path = os.path.join(config["out"], name)
    base, k = path, 2
    while os.path.exists(path):
        path, k = f"{base}-{k}", k + 1
    os.makedirs(path)
    return path


def cmd_train(args):
    from .train import EarlyStopping, OverfittingDetector, ProgressBar, fit

    if args.resume:
        run_dir = args.resume
        cfg_path = os.path.join(run_dir, "config.toml")
        if not os.path.exists(cfg_path):
            raise UsageError(f"--resume: {run_dir} is not a run folder (no config.toml)")
        config = read_config(cfg_path)
        for key in ("epochs", "progress"):  # the only options a resumed run may change
            if getattr(args, key, None) is not None:
                config[key] = _check_value(key, getattr(args, key))
    else:
        config = resolve_config(args)
    prepared = Prepared(load_data(config["dataset"], config["target"]), config)
    model = _build(config, prepared)
    optimizer = _optimizer(config, model.parameters())
    train = prepared.loader("train", config["batch_size"], shuffle=True,
                            transform=_augmentation(config, prepared))
    val = prepared.loader("val", 512)
    scheduler = _scheduler(config, optimizer, len(train))
    if not args.resume:
        run_dir = _run_dir(config)
        write_config(config, os.path.join(run_dir, "config.toml"))
    ckpt = os.path.join(run_dir, "checkpoint.safetensors")
    if args.resume and not os.path.exists(ckpt):
        raise UsageError(f"--resume: {ckpt} does not exist")
    callbacks = [OverfittingDetector()]
    if config["patience"] and val is not None:
        callbacks.append(EarlyStopping("val_loss", patience=config["patience"]))
    print(f"training {config['model']} on {config['dataset']} "
          f"({len(prepared.split['train'])} train / {len(prepared.split['val'])} val / "
          f"{len(prepared.split['test'])} test) -> {run_dir}", flush=True)
    callbacks.append(ProgressBar(bar=None if config["progress"] else False))
    start = time.perf_counter()
    history = fit(model, _loss_fn(prepared), optimizer, train, val, epochs=config["epochs"],
                  scheduler=scheduler, callbacks=callbacks, metrics=_metrics(prepared),
                  checkpoint=ckpt, resume=ckpt if args.resume else None)
    elapsed = time.perf_counter() - start
    return _finish_run(run_dir, model, prepared, history, elapsed)


def _finish_run(run_dir, model, prepared, history, elapsed):
    """Writes the run folder's metrics, curves and final model, and prints the summary."""
    from . import io
    from .train import evaluate

    reason = history.stop_reason or ""
    interrupted, diverged = reason.startswith("interrupted"), reason.startswith("diverged")
    test_logs = {}
    # mid-epoch or diverged weights are no result: the checkpoint's last complete epoch counts
    if not (interrupted or diverged):
        io.save({"model": model.state_dict(),
                 "preprocess": {"mean": prepared.mean, "std": prepared.std}},
                os.path.join(run_dir, "model.safetensors"))
        test = prepared.loader("test", 512)
        test_logs = evaluate(model, test, _loss_fn(prepared), _metrics(prepared)) if test else {}
    history.to_csv(os.path.join(run_dir, "metrics.csv"))
    io.write_atomic(os.path.join(run_dir, "metrics.json"), json.dumps(
        {"epochs": history.rows, "stop_reason": history.stop_reason,
         "test": test_logs, "train_seconds": elapsed}, indent=2).encode())
    if len(history):
        history.plot(os.path.join(run_dir, "curves.png"))
    if history.stop_reason:
        print(history.stop_reason)
    epochs = f"{len(history)} epoch{'' if len(history) == 1 else 's'}"
    if interrupted:
        print(f"stopped after {epochs}; resume with: gradix train --resume {run_dir}")
        return 130
    if diverged:
        ckpt = os.path.join(run_dir, "checkpoint.safetensors")
        print(f"no model saved; {ckpt} holds the state after {epochs}")
        return 1
    summary = "  ".join(f"test {k} {v:.4f}" for k, v in test_logs.items())
    print(f"done in {elapsed:.1f}s after {epochs}.  {summary}")
    print(f"run folder: {run_dir} (model.safetensors, checkpoint.safetensors, metrics.json, "
          f"metrics.csv, config.toml, curves.png)")
    return 0


def _load_run(run_dir):
    from . import io

    cfg_path = os.path.join(run_dir, "config.toml")
    model_path = os.path.join(run_dir, "model.safetensors")
    for path in (cfg_path, model_path):
        if not os.path.exists(path):
            raise UsageError(f"{run_dir} is not a finished run folder: {path} does not exist")
    config = read_config(cfg_path)
    try:
        saved = io.load(model_path)
    except (ValueError, RuntimeError, OSError) as e:
        raise UsageError(str(e)) from None
    return config, saved


def _restore(config, saved, prepared):
    model = _build(config, prepared)
    model.load_state_dict(saved["model"])
    prepared.mean = np.asarray(saved["preprocess"]["mean"], np.float32)
    prepared.std = np.asarray(saved["preprocess"]["std"], np.float32)
    return model


def cmd_eval(args):
    from .train import evaluate

    config, saved = _load_run(args.run_dir)
    prepared = Prepared(load_data(config["dataset"], config["target"]), config)
    model = _restore(config, saved, prepared)
    if args.dataset:
        other = Prepared(load_data(args.dataset, config["target"]),
                         dict(config, test_fraction=0.0, val_fraction=0.0))
        if other.in_shape != prepared.in_shape:
            raise UsageError(f"dataset {args.dataset} has inputs of shape {other.in_shape}, but "
                             f"the model takes {prepared.in_shape}")
        other.mean, other.std = prepared.mean, prepared.std
        prepared, part = other, "train"
    else:
        part = "test"
    logs = evaluate(model, prepared.loader(part, 512), _loss_fn(prepared), _metrics(prepared))
    for k, v in logs.items():
        print(f"{k:10s} {v:.4f}")
    return 0


def cmd_predict(args):
    from .train import predict

    config, saved = _load_run(args.run_dir)
    prepared = Prepared(load_data(config["dataset"], config["target"]), config)
    model = _restore(config, saved, prepared)
    try:
        with np.load(args.input, allow_pickle=False) as f:
            keys = list(f.keys())
            key = "x" if "x" in keys else (keys[0] if len(keys) == 1 else None)
            if key is None:
                raise UsageError(f"{args.input}: expected an array named 'x', found {keys}")
            x = f[key]
    except FileNotFoundError:
        raise UsageError(f"input file {args.input} does not exist") from None
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
        raise UsageError(f"{args.input} is not a readable .npz file: {e}") from None
    if x.shape[1:] != prepared.in_shape:
        raise UsageError(f"{args.input}: array {key!r} of shape {x.shape} holds inputs of shape "
                         f"{x.shape[1:]} per sample, but the model takes {prepared.in_shape}")
    out = predict(model, prepared.preprocess(x)).numpy()
    result = {"outputs": out}
    if prepared.classification:
        result["predictions"] = out.argmax(axis=1)
    if args.output:
        from .io import write_atomic
        import io as _io
        buf = _io.BytesIO()
        np.savez(buf, **result)
        write_atomic(args.output, buf.getvalue())
        print(f"wrote {args.output} ({', '.join(result)})")
    shown = result.get("predictions", out.reshape(-1))
    print(" ".join(str(v) for v in np.asarray(shown)[:50]) + (" ..." if len(shown) > 50 else ""))
    return 0


def cmd_cv(args):
    from .select import KFold, LeaveOneOut, StratifiedKFold, cross_validate

    config = resolve_config(args)
    prepared = Prepared(load_data(config["dataset"], config["target"]),
                        dict(config, test_fraction=0.0, val_fraction=0.0))
    from .data import TensorDataset
    x, y = prepared.arrays("train")
    if args.limit:
        x, y = x[:args.limit], y[:args.limit]
    if not prepared.classification:
        y = y.reshape(-1, 1).astype(np.float32)
    metrics = _metrics(prepared)
    if args.loo:
        cv, what = LeaveOneOut(), f"leave-one-out ({len(y)} folds)"
        if not prepared.classification:
            metrics = ("mae",)  # R2 of a single held-out sample is undefined
    elif not 2 <= args.folds <= len(y):
        raise UsageError(f"--folds must be between 2 and the number of samples ({len(y)}), "
                         f"got {args.folds}")
    elif prepared.classification:
        cv, what = StratifiedKFold(args.folds, shuffle=True, random_state=config["seed"]), \
            f"stratified {args.folds}-fold"
    else:
        cv, what = KFold(args.folds, shuffle=True, random_state=config["seed"]), \
            f"{args.folds}-fold"
    print(f"{what} cross-validation of {config['model']} on {config['dataset']} "
          f"({len(y)} samples, {config['epochs']} epochs per fold)", flush=True)
    result = cross_validate(lambda: _build(config, prepared), TensorDataset(x, y),
                            _loss_fn(prepared), lambda p: _optimizer(config, p), cv=cv,
                            epochs=config["epochs"], batch_size=config["batch_size"],
                            metrics=metrics, seed=config["seed"])
    print(result.table())
    return 0


def cmd_tune(args):
    from .select import Choice, LogUniform, Uniform, tune
    from .train import fit

    config = resolve_config(args)
    prepared = Prepared(load_data(config["dataset"], config["target"]), config)
    if prepared.loader("val", 512) is None:
        raise UsageError("tune needs a validation split: --val-fraction must be > 0")
    space = {"lr": LogUniform(1e-4, 3e-2), "weight_decay": LogUniform(1e-6, 1e-2),
             "dropout": Uniform(0.0, 0.5), "batch_size": Choice([32, 64, 128])}
    monitor = "val_accuracy" if prepared.classification else "val_r2"

    def objective(params, report):
        cfg = dict(config, **params)
        model = _build(cfg, prepared)
        optimizer = _optimizer(cfg, model.parameters())
        from .train import Callback

        class Report(Callback):
            def on_epoch_end(self, state, logs):
                report(state.epoch, logs[monitor])

        history = fit(model, _loss_fn(prepared), optimizer,
                      prepared.loader("train", cfg["batch_size"], shuffle=True),
                      prepared.loader("val", 512), epochs=cfg["epochs"],
                      metrics=_metrics(prepared), callbacks=[Report()])
        return max(history[monitor])

    try:
        result = tune(objective, space, n_trials=args.trials, storage=args.storage,
                      study_name=args.study_name, seed=config["seed"])
    except ImportError as e:
        raise UsageError(str(e)) from None
    print(result.table())
    print(f"best {monitor} {result.best_score:.4f} with {result.best_params}")
    return 0


def cmd_info(args):
    import platform

    import gradix
    print(f"gradix {gradix.__version__} (Python {platform.python_version()}, "
          f"NumPy {np.__version__})")
    blas = gradix.blas.name()  # first: with MKL in use, OpenBLAS runs on one thread
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            print(f"{pool['user_api']}: {pool['internal_api']} {pool.get('version')} "
                  f"({pool.get('architecture')}), {pool['num_threads']} threads")
    except ImportError:
        pass
    mkl = gradix.blas.mkl_version()
    print(f"matrix products: {blas} " + (f"({mkl})" if blas == "mkl" else
                                         "(MKL installed, not in use)" if mkl else
                                         "(pip install 'gradix[mkl]' for MKL)"))
    try:
        import cupy
        print(f"cuda: CuPy {cupy.__version__}, {cupy.cuda.runtime.getDeviceCount()} device(s)")
    except Exception:  # noqa: BLE001  (no CuPy, or CuPy without a driver: either way no GPU)
        print("cuda: not available (pip install 'gradix[gpu]' on a machine with a CUDA GPU)")
    print(f"cpu cores: {os.cpu_count()}")
    return 0


# ---------------------------------------------------------------------- parser
def _add_training_options(p):
    p.add_argument("--config", metavar="FILE.toml", help="read options from a TOML file "
                   "(flags given here override it)")
    for key, (kind, default, text) in OPTIONS.items():
        flag = "--" + key.replace("_", "-")
        if kind is bool:
            p.add_argument(flag, dest=key, action=argparse.BooleanOptionalAction, default=None,
                           help=f"{text} (default: {default})")
        else:
            p.add_argument(flag, dest=key, type=str, default=None, metavar=key.upper(),
                           help=f"{text} (default: {default})")


def build_parser():
    parser = argparse.ArgumentParser(prog="gradix", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("train", help="train a model and write a run folder")
    _add_training_options(p)
    p.add_argument("--resume", metavar="RUN_DIR", help="continue an interrupted run")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="evaluate a finished run on its test split or a dataset")
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("--dataset", help="evaluate on this dataset (name or .npz/.csv) instead")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("predict", help="predict for the inputs in an .npz file")
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("input", metavar="INPUT.npz")
    p.add_argument("--output", metavar="OUT.npz", help="write outputs and predictions here")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("cv", help="k-fold or leave-one-out cross-validation")
    _add_training_options(p)
    p.add_argument("--folds", type=int, default=5, help="number of folds (default: 5)")
    p.add_argument("--loo", action="store_true", help="leave-one-out instead of k-fold")
    p.add_argument("--limit", type=int, default=0,
                   help="use only the first N samples (leave-one-out trains N models)")
    p.set_defaults(func=cmd_cv)

    p = sub.add_parser("tune", help="hyperparameter search with Optuna")
    _add_training_options(p)
    p.add_argument("--trials", type=int, default=20, help="number of trials (default: 20)")
    p.add_argument("--storage", help="Optuna storage URL shared by workers, e.g. "
                   "sqlite:///study.db")
    p.add_argument("--study-name", default="gradix", help="study name (default: gradix)")
    p.set_defaults(func=cmd_tune)

    p = sub.add_parser("info", help="version, backends and threads")
    p.set_defaults(func=cmd_info)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as e:
        print(f"gradix {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"gradix {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
