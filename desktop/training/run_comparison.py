"""Telling runs apart: what differs between their settings, in a few words (no Qt)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# How each setting reads in a label or a comparison, in the form's words.
NAMES = {
    "hidden": "layers",
    "output": "output",
    "optimizer": "optimizer",
    "learning_rate": "learning rate",
    "epochs": "epochs",
    "batch_size": "batch",
    "l2": "L2",
    "validation_split": "validation",
    "seed": "seed",
    "sources": "data",
    "patience": "early stopping",
    "restore_best": "keep best",
}


def shown(key: str, value: Any) -> str:
    """A setting's value as the form would show it."""
    if key == "hidden" and isinstance(value, list):
        layers = [layer for layer in value if isinstance(layer, dict)]
        if not layers:
            return "none"
        activations = dict.fromkeys(str(layer.get("activation")) for layer in layers)
        return "-".join(str(layer.get("size")) for layer in layers) + " " + "/".join(activations)
    if key == "sources" and isinstance(value, list):
        return " + ".join(str(name) for name in value)
    if key == "validation_split" and isinstance(value, float | int):
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def differences(first: dict[str, Any], second: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The settings that differ: (setting, first's value, second's value), in form order."""
    keys = [key for key in NAMES if key in first or key in second]
    keys += sorted((set(first) | set(second)) - set(NAMES))
    return [(NAMES.get(key, key), shown(key, first.get(key)), shown(key, second.get(key)))
            for key in keys if first.get(key) != second.get(key)]  # fmt: skip


# In a plot's key, short: a value that says what it is stands alone ("adam", "256-128 relu").
SHORT = {**NAMES, "optimizer": "", "hidden": "", "output": "", "sources": "",
         "learning_rate": "lr", "validation_split": "validation"}  # fmt: skip


def labels(titles: Sequence[str], configs: Sequence[dict[str, Any]]) -> list[str]:
    """One label per run: its title and the settings in which the runs differ.

    For example "Run 3: momentum, lr 0.03" beside "Run 2: sgd, lr 0.1".
    """
    varying = [key for key in [*NAMES, *sorted({k for c in configs for k in c} - set(NAMES))]
               if len({repr(config.get(key)) for config in configs}) > 1]  # fmt: skip
    said = [", ".join(f"{SHORT.get(k, k)} {shown(k, config.get(k))}".strip() for k in varying)
            for config in configs]  # fmt: skip
    return [f"{title}: {text}" if text else title
            for title, text in zip(titles, said, strict=True)]  # fmt: skip
