"""``gradix.save`` / ``gradix.load``: state dicts in safetensors files, never pickle.

A file holds each tensor of the (nested) object under its dotted key path, e.g.
``"state.0.exp_avg"``, and in the safetensors metadata the object's structure as JSON, with
tensors replaced by ``{"$tensor": name}``, plus a CRC32 of the tensor data that ``load`` checks.
Dicts with keys other than strings (optimizer state keyed by int) are stored as
``{"$dict": [[key, value], ...]}`` and tuples as ``{"$tuple": [...]}``, so both come back as
they went in.
"""
import json
import os
import tempfile
import zlib

import numpy as np
import safetensors
import safetensors.numpy

from . import backend
from .tensor import Tensor

FORMAT = "gradix/1"


def save(obj, path):
    """Writes ``obj`` to ``path`` atomically (the old file stays intact if writing fails).

    ``obj``: Tensors, arrays, numbers, strings, None, and lists, tuples and dicts (keys str or
    int) of them, nested to any depth.
    """
    tensors = {}
    structure = _encode(obj, (), tensors)
    metadata = {"format": FORMAT, "structure": json.dumps(structure),
                "crc32": str(_checksum(tensors))}
    write_atomic(path, safetensors.numpy.save(tensors, metadata=metadata))


def load(path):
    """The object saved at ``path``, with Tensors (on the CPU) where it held tensors or arrays.

    A safetensors file written by another program loads as a flat ``{name: Tensor}`` dict.
    Raises ValueError naming the file if it is truncated or corrupted.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"gradix.load: no such file: {path}")
    try:
        with safetensors.safe_open(path, framework="numpy") as f:
            metadata = f.metadata() or {}
            arrays = {name: f.get_tensor(name) for name in f.keys()}
        tensors = {name: Tensor._make(a, False, None) for name, a in arrays.items()}
        if "structure" not in metadata:
            return tensors
        if metadata.get("format") != FORMAT:
            raise ValueError(f"unknown format {metadata.get('format')!r} (this gradix reads "
                             f"{FORMAT})")
        if metadata.get("crc32") != str(_checksum(arrays)):
            raise ValueError("the tensor data does not match its checksum")
        return _decode(json.loads(metadata["structure"]), tensors)
    except (safetensors.SafetensorError, ValueError, KeyError, TypeError) as e:
        raise ValueError(f"gradix.load: {path} is not a valid gradix file (truncated or "
                         f"corrupted): {e}") from None


def write_atomic(path, data):
    """Writes ``data`` (bytes or str) to ``path`` so that the file holds either its old content
    or all of ``data``: a temporary file in the same folder is flushed, synced to disk and
    renamed over ``path``."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"can't write {path}: folder {folder} does not exist")
    if isinstance(data, str):
        data = data.encode()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it a normal file's mode
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _encode(value, path, tensors):
    """``value`` as JSON, its tensors moved into ``tensors`` under dotted names."""
    if isinstance(value, (Tensor, np.ndarray)):
        array = backend.to_device(value.data if isinstance(value, Tensor) else value, "cpu")
        name = ".".join(str(k) for k in path)
        if name in tensors:
            raise ValueError(f"gradix.save: two tensors would be stored under the name {name!r}; "
                             f"rename a key so that dotted key paths differ")
        tensors[name] = array if array.flags.c_contiguous else array.copy(order="C")
        return {"$tensor": name}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_encode(v, path + (i,), tensors) for i, v in enumerate(value)]
        return items if isinstance(value, list) else {"$tuple": items}
    if isinstance(value, dict):
        for k in value:
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                raise TypeError(f"gradix.save: key {k!r} at {_where(path)} is a "
                                f"{type(k).__name__}; keys must be str or int")
        items = [(k, _encode(v, path + (k,), tensors)) for k, v in value.items()]
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return dict(items)
        return {"$dict": [list(kv) for kv in items]}
    raise TypeError(f"gradix.save: can't store {_where(path)} of type {type(value).__name__}; "
                    f"use tensors, arrays, numbers, strings, None, and lists, tuples or dicts")


def _decode(value, tensors):
    if isinstance(value, list):
        return [_decode(v, tensors) for v in value]
    if not isinstance(value, dict):
        return value
    if "$tensor" in value:
        return tensors[value["$tensor"]]
    if "$tuple" in value:
        return tuple(_decode(v, tensors) for v in value["$tuple"])
    if "$dict" in value:
        return {k: _decode(v, tensors) for k, v in value["$dict"]}
    return {k: _decode(v, tensors) for k, v in value.items()}


def _where(path):
    return ".".join(str(k) for k in path) or "the top level"


def _checksum(arrays):
    crc = 0
    for name in sorted(arrays):
        crc = zlib.crc32(arrays[name], zlib.crc32(name.encode(), crc))
    return crc
