"""The layers are checks, not promises: imports run ui -> Qt-free parts -> nncore, never back.

Every module's imports are read from its source (``ast``), including imports inside
functions, so a lazy Qt import in a core module is caught too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6")
# The two public entry points of the public contract re-export the Qt window; they are
# one-line shims and import no Qt themselves.
CORE_PACKAGES = ("recognition", "data", "training", "build")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _is_under(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def qt_imports(path: Path) -> set[str]:
    """The Qt modules ``path`` imports directly."""
    return {name for name in _imports(path) if _is_under(name, QT_MODULES)}


CORE_MODULES = [
    path
    for path in _modules(ROOT / "desktop")
    if path.relative_to(ROOT / "desktop").parts[0] != "ui"
]


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outside_desktop_ui_imports_qt(path: Path) -> None:
    assert not qt_imports(path), f"{path.relative_to(ROOT)} imports Qt; move it to desktop/ui"


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_the_qt_free_packages_never_import_the_ui(package: str) -> None:
    for path in _modules(ROOT / "desktop" / package):
        ui = {name for name in _imports(path) if _is_under(name, ("desktop.ui", "desktop.app"))}
        assert not ui, f"{path.relative_to(ROOT)} imports {ui}"


def test_nncore_imports_numpy_and_itself_only() -> None:
    for path in _modules(ROOT / "nncore"):
        outside = {
            name
            for name in _imports(path)
            if not _is_under(name, ("nncore", "numpy", "__future__"))
            and name not in sys.stdlib_module_names
            and name.split(".")[0] not in sys.stdlib_module_names
        }
        assert not outside, f"{path.relative_to(ROOT)} imports {outside}"


def test_the_check_catches_a_qt_import(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text("def f():\n    from PySide6.QtCore import QObject\n    return QObject\n")
    assert qt_imports(module) == {"PySide6.QtCore"}


def test_the_training_process_and_the_build_load_no_qt() -> None:
    # What the child process and the command-line build import, measured in a fresh
    # interpreter: a transitive Qt import would slow them down and tie them to a display.
    code = (
        "import sys, desktop.training.server, desktop.build.model, desktop.build.corpus; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == "[]"


def test_every_package_folder_is_packaged() -> None:
    # pyproject.toml lists the packages by hand (resources/ is mapped into desktop), so
    # a new folder left off the list would be missing from every installed copy.
    tomllib = pytest.importorskip("tomllib")
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for root in ("nncore", "desktop")
        for init in (ROOT / root).rglob("__init__.py")
    }
    assert folders | {"desktop.resources"} == listed
