"""Samples to and from files: the UCI optdigits text format and JSON lines, chosen by name.

- optdigits text (``.tra``, ``.tes``, ``.txt``, ``.csv``, anything else): one line per
  sample, 64 integers 0..16 and the class, separated by commas. Other tools read it; the
  strokes are lost.
- JSON lines (``.jsonl``): one object per line with ``label``, ``features`` (64 counts),
  ``strokes`` (lists of [x, y] in canvas units) and ``created`` (seconds since 1970): the
  whole sample, so a drawing can be read again with another model or preprocessing.

Reading is all or nothing: the first bad line is named in a ``ValueError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from desktop.data.sample import Sample, check_sample
from desktop.files import write_atomically

JSONL_SUFFIX = ".jsonl"


def write_samples(samples: Sequence[Sample], path: str | Path) -> int:
    """Write ``samples`` to ``path`` atomically, in the format its name asks for; how many."""
    lines = [_WRITERS[_format(path)](sample) for sample in samples]
    write_atomically(Path(path), "".join(line + "\n" for line in lines).encode("utf-8"))
    return len(lines)


def read_samples(path: str | Path) -> list[Sample]:
    """The samples in ``path``; ``ValueError`` naming the first bad line, or if none."""
    read_line = _READERS[_format(path)]
    samples = []
    with open(path, encoding="utf-8", errors="replace") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                samples.append(read_line(line.strip().removeprefix("\ufeff")))
            except ValueError as error:  # each reader says what is wrong with the line
                raise ValueError(f"line {number}{error}") from None
    if not samples:
        raise ValueError("the file holds no samples")
    return samples


def _format(path: str | Path) -> str:
    return "jsonl" if Path(path).suffix.lower() == JSONL_SUFFIX else "optdigits"


def _optdigits_line(sample: Sample) -> str:
    return ",".join(str(int(v)) for v in sample.features.ravel()) + f",{sample.label}"


def _read_optdigits_line(line: str) -> Sample:
    try:
        values = [int(part) for part in line.split(",")]
    except ValueError:
        raise ValueError(" is not 65 whole numbers separated by commas") from None
    if len(values) != 65:
        raise ValueError(f" has {len(values)} numbers, not 65")
    features, label = np.array(values[:64], dtype=np.float64), values[64]
    _checked(label, features)
    return Sample(label, features.reshape(8, 8))


def _read_json_line(line: str) -> Sample:
    try:
        sample = Sample.from_json(line)
    except (KeyError, TypeError, RecursionError, json.JSONDecodeError) as error:
        raise ValueError(f" is not a sample in JSON ({type(error).__name__})") from None
    except ValueError as error:
        raise ValueError(f": {error}") from None
    return sample


def _checked(label: int, features: np.ndarray) -> None:
    try:
        check_sample(label, features)
    except ValueError as error:
        raise ValueError(f": {error}") from None


_WRITERS: dict[str, Callable[[Sample], str]] = {
    "optdigits": _optdigits_line,
    "jsonl": Sample.to_json,
}
_READERS: dict[str, Callable[[str], Sample]] = {
    "optdigits": _read_optdigits_line,
    "jsonl": _read_json_line,
}
