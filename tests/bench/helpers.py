"""What the benchmark scripts share."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

TESTS = Path(__file__).resolve().parent.parent


def tests_module(name: str) -> ModuleType:
    """Import tests/<name>.py by its path: putting tests/ on sys.path would let the folder
    tests/nncore shadow the nncore package."""
    spec = importlib.util.spec_from_file_location(name, TESTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
