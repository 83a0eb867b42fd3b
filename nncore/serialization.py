"""Save and load a network as one ``.npz`` file: a JSON header plus float arrays.

The header (UTF-8 JSON stored as a uint8 array) holds the format version, the layers,
the loss and free-form metadata (preprocessing settings, training details). Loading never
unpickles, checks sizes before decompressing anything, and checks every array's dtype,
shape and values against the header, so a malformed or hostile file is refused with a
:class:`ModelFileError` rather than a traceback from deep inside NumPy.
"""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nncore.errors import ModelFileError
from nncore.files import atomic_write
from nncore.layer import Layer
from nncore.training import TrainingState

FORMAT_NAME = "nncore.network"
FORMAT_VERSION = 1
STATE_FORMAT_NAME = "nncore.training-state"  # a run's optimizer and generator: to resume
MAX_HEADER_BYTES = 1 << 20  # 1 MiB of JSON is far more than any real header needs.
MAX_FILE_BYTES = 256 << 20
ZIP_ENCRYPTED = 0x1  # a zip member's flag bit: encrypted; never written by np.savez
NPY_OVERHEAD = 4096  # generous room for the .npy preamble of each array
MAX_MEMBERS = 2 * 64 + 1  # a header and two arrays for each of at most 64 layers
# np.savez writes stored or deflated members; others (bzip2, lzma) inflate unbounded.
READABLE_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
END_OF_DIRECTORY = b"PK\x05\x06"  # the zip's last record: it counts the members


@dataclass(frozen=True)
class ModelFile:
    """A model file's contents: ``arrays`` holds (weights, biases) per non-input layer."""

    layers: list[Layer]
    loss: str
    dtype: str
    metadata: dict[str, Any]
    arrays: list[tuple[np.ndarray, np.ndarray]]


def write_model(
    path: str | Path,
    layers: Sequence[Layer],
    loss: str,
    dtype: str,
    metadata: dict[str, Any],
    arrays: Sequence[tuple[np.ndarray, np.ndarray]],
) -> None:
    """Write a model to ``path`` atomically (a temporary file renamed into place)."""
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "layers": [{"size": layer.size, "activation": layer.activation} for layer in layers],
        "loss": loss,
        "dtype": dtype,
        "metadata": metadata,
    }
    try:
        header_bytes = json.dumps(header, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as error:
        raise ValueError(f"network.metadata must be plain JSON data: {error}") from None
    named = {"header": np.frombuffer(header_bytes, dtype=np.uint8)}
    for i, (W, b) in enumerate(arrays):
        named[f"weights_{i}"], named[f"biases_{i}"] = W, b
    atomic_write(path, lambda stream: np.savez(stream, allow_pickle=False, **named))


def read_model(path: str | Path) -> ModelFile:
    """Read and check a file written by :func:`write_model`; :class:`ModelFileError` if bad."""
    path = Path(path)
    try:
        return _read(path)
    except ModelFileError as error:
        raise ModelFileError(f"cannot load model {str(path)!r}: {error}") from None
    # zipfile raises NotImplementedError for a version or compression method it lacks
    # (a flipped byte in a header can claim either).
    except (
        OSError,
        EOFError,
        zipfile.BadZipFile,
        ValueError,
        KeyError,
        NotImplementedError,
    ) as error:
        reason = str(error) or type(error).__name__
        raise ModelFileError(f"cannot load model {str(path)!r}: {reason}") from None


def _read(path: Path) -> ModelFile:
    if not path.is_file():
        raise ModelFileError("no such file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ModelFileError(f"the file is larger than {MAX_FILE_BYTES >> 20} MiB")
    if not zipfile.is_zipfile(path):
        raise ModelFileError("not an .npz model file (not a zip archive)")
    _check_member_count(path)
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: info for info in archive.infolist()}
        header = _read_header(archive, members)
        layers, loss, dtype = _layers_from_header(header)
        shapes = [(a.size, b.size) for a, b in itertools.pairwise(layers)]
        weights = sum((n_in + 1) * n_out for n_in, n_out in shapes)
        if weights * 4 > MAX_FILE_BYTES:  # even in float32, more than a file may hold
            raise ModelFileError(f"the layers declare {weights:,} weights, too many for a model")
        expected = {"header.npy"}
        for i in range(len(shapes)):
            expected |= {f"weights_{i}.npy", f"biases_{i}.npy"}
        if set(members) != expected:
            extra, missing = sorted(set(members) - expected), sorted(expected - set(members))
            raise ModelFileError(f"unexpected contents (extra: {extra}, missing: {missing})")
        arrays = [
            (
                _read_array(archive, members, f"weights_{i}", (n_in, n_out)),
                _read_array(archive, members, f"biases_{i}", (n_out,)),
            )
            for i, (n_in, n_out) in enumerate(shapes)
        ]
    return ModelFile(layers, loss, dtype, header.get("metadata") or {}, arrays)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> np.ndarray:
    # The declared size is checked before decompressing, so an honest zip bomb is never
    # inflated; one that lies about its size is read in bounded steps (``read(n)`` inflates
    # at most n bytes, where ``read()`` would inflate the whole member first).
    if info.file_size > limit:
        raise ModelFileError(f"{info.filename} is {info.file_size} bytes, more than {limit}")
    if info.flag_bits & ZIP_ENCRYPTED:  # zipfile would ask for a password (RuntimeError)
        raise ModelFileError(f"{info.filename} is encrypted")
    if info.compress_type not in READABLE_COMPRESSION:
        raise ModelFileError(f"{info.filename} uses a compression model files never use")
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ModelFileError(f"{info.filename} holds more than {limit} bytes")
    return _array_in(data, info.filename)


def _read_header(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], kind: str = FORMAT_NAME
) -> dict[str, Any]:
    if "header.npy" not in members:
        raise ModelFileError("no header: this is not a model saved by Digit Pad / nncore")
    raw = _read_member(archive, members["header.npy"], MAX_HEADER_BYTES + NPY_OVERHEAD)
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError("the header is not a byte string")
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"the header is not valid JSON: {error}") from None
    except RecursionError:  # the JSON reader recurses once per level of nesting
        raise ModelFileError("the header is nested too deeply to be a model's") from None
    if not isinstance(header, dict) or header.get("format") != kind:
        raise ModelFileError(f"the header does not describe an {kind!r} file")
    if header.get("version") != FORMAT_VERSION:
        raise ModelFileError(
            f"format version {header.get('version')!r} is not supported "
            f"(this program reads version {FORMAT_VERSION})"
        )
    if not isinstance(header.get("metadata", {}), dict):
        raise ModelFileError("the header's metadata must be a JSON object")
    return header


def _layers_from_header(header: dict[str, Any]) -> tuple[list[Layer], str, str]:
    entries = header.get("layers")
    if not isinstance(entries, list) or not 2 <= len(entries) <= 64:
        raise ModelFileError("the header must list between 2 and 64 layers")
    layers = []
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"size", "activation"}:
            raise ModelFileError(f"malformed layer entry {entry!r}")
        size = entry["size"]
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 1_000_000:
            raise ModelFileError(f"layer size must be an integer in 1..1000000, got {size!r}")
        layers.append(Layer(size, entry["activation"]))  # unknown names raise ValueError
    loss = header.get("loss")
    dtype = header.get("dtype", "float64")
    if not isinstance(loss, str) or not isinstance(dtype, str):
        raise ModelFileError(f"loss and dtype must be names, got {loss!r} and {dtype!r}")
    return layers, loss, dtype


def _read_array(
    archive: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    name: str,
    shape: tuple[int, ...],
) -> np.ndarray:
    limit = int(np.prod(shape)) * 8 + NPY_OVERHEAD
    array = _read_member(archive, members[f"{name}.npy"], limit)
    if array.dtype.kind != "f":
        raise ModelFileError(f"{name} must hold floating-point numbers, got dtype {array.dtype}")
    if array.shape != shape:
        raise ModelFileError(f"{name} must have shape {shape}, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ModelFileError(f"{name} contains NaN or infinite values")
    return array


def _check_member_count(path: Path) -> None:
    """Refuse an archive of more members than a model has, before zipfile lists them all."""
    with open(path, "rb") as stream:
        stream.seek(max(0, path.stat().st_size - (1 << 16) - 22))
        tail = stream.read()
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) < at + 12:
        raise ModelFileError("not an .npz model file (no end of its zip directory)")
    members = int.from_bytes(tail[at + 10 : at + 12], "little")
    if members > MAX_MEMBERS:  # 0xFFFF means "see the zip64 record": never a model
        count = "65,535 or more" if members == 0xFFFF else f"{members:,}"
        raise ModelFileError(f"the archive has {count} members, more than a model has")


def _array_in(data: bytes, name: str) -> np.ndarray:
    """The array a ``.npy`` member holds: a read-only view of ``data``, never a copy.

    The preamble is checked first: NumPy allocates the declared shape before reading, so
    a few bytes declaring a terabyte would exhaust memory instead of failing; an object
    array would need unpickling.
    """
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        shape, fortran_order, dtype = (
            np.lib.format.read_array_header_1_0(stream)
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0(stream)
        )
        count = int(np.prod(shape, dtype=object))
        declared = count * dtype.itemsize
    except (ValueError, TypeError, OverflowError) as error:
        raise ModelFileError(f"{name} is not a plain numeric array: {error}") from None
    if dtype.hasobject:
        raise ModelFileError(f"{name} is not a plain numeric array: it holds Python objects")
    if declared > len(data) - stream.tell():
        raise ModelFileError(f"{name} declares {declared:,} bytes but holds {len(data):,}")
    flat = np.frombuffer(data, dtype=dtype, count=count, offset=stream.tell())
    return flat.reshape(shape, order="F" if fortran_order else "C")


def save_training_state(path: str | Path, state: TrainingState) -> None:
    """Write a run's :class:`TrainingState` to one ``.npz`` file, atomically."""
    header = {
        "format": STATE_FORMAT_NAME,
        "version": FORMAT_VERSION,
        "optimizer": state.optimizer,
        "steps": state.steps,
        "rng": state.rng,  # JSON keeps the generator's 128-bit integers exact
        "epochs_done": state.epochs_done,
        "arrays": sorted(state.arrays),
    }
    header_bytes = json.dumps(header).encode("utf-8")
    named = {"header": np.frombuffer(header_bytes, dtype=np.uint8), **state.arrays}
    atomic_write(path, lambda stream: np.savez(stream, allow_pickle=False, **named))


def load_training_state(path: str | Path) -> TrainingState:
    """Read :func:`save_training_state`'s file; :class:`ModelFileError` in plain words if bad."""
    path = Path(path)
    try:
        if not path.is_file():
            raise ModelFileError("no such file")
        if path.stat().st_size > MAX_FILE_BYTES or not zipfile.is_zipfile(path):
            raise ModelFileError("not a training-state file of a usable size")
        _check_member_count(path)
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
            header = _read_header(archive, members, STATE_FORMAT_NAME)
            names = header.get("arrays")
            if not isinstance(names, list) or set(members) != {
                "header.npy",
                *(f"{name}.npy" for name in names),
            }:
                raise ModelFileError("its arrays are not the ones its header lists")
            arrays = {name: _read_member(archive, members[f"{name}.npy"], MAX_FILE_BYTES)
                      for name in names}  # fmt: skip
        steps, epochs, rng = header.get("steps"), header.get("epochs_done"), header.get("rng")
        if not (isinstance(steps, int) and isinstance(epochs, int) and isinstance(rng, dict)):
            raise ModelFileError("its header lacks the steps, epochs or generator state")
        return TrainingState(str(header.get("optimizer")), steps, arrays, rng, epochs)
    except ModelFileError as error:
        raise ModelFileError(f"cannot load training state {str(path)!r}: {error}") from None
    except (OSError, EOFError, zipfile.BadZipFile, ValueError, KeyError,
            NotImplementedError) as error:  # fmt: skip
        reason = str(error) or type(error).__name__
        raise ModelFileError(f"cannot load training state {str(path)!r}: {reason}") from None
