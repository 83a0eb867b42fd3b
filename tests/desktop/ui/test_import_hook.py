"""PySide6's import hook, made faster, still tells modules that use PySide6 from others."""

from __future__ import annotations

import inspect
import sys

from desktop.ui import import_hook


def _pyside_rule(module) -> bool:
    """PySide6's own check (shibokensupport.feature): the module's source names PySide6."""
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


def test_the_faster_check_is_in_place_once_pyside6_is_loaded() -> None:
    feature = sys.modules[import_hook.FEATURE_MODULE]
    assert getattr(feature, import_hook.CHECK_NAME) is import_hook.uses_pyside
    assert import_hook.speed_up_pyside_import_hook() is False  # in place already


def test_modules_imported_after_pyside6_are_told_apart(tmp_path, monkeypatch) -> None:
    (tmp_path / "digitpad_probe_qt.py").write_text("from PySide6 import QtCore\n")
    (tmp_path / "digitpad_probe_plain.py").write_text("import math\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    feature = sys.modules[import_hook.FEATURE_MODULE]
    try:
        __import__("digitpad_probe_qt")  # the import statement's way, which PySide6 hooks
        __import__("digitpad_probe_plain")
        assert feature.pyside_feature_dict["digitpad_probe_qt"] == 0  # uses PySide6
        assert feature.pyside_feature_dict["digitpad_probe_plain"] == -1  # left alone
    finally:
        for name in ("digitpad_probe_qt", "digitpad_probe_plain"):
            sys.modules.pop(name, None)
            feature.pyside_feature_dict.pop(name, None)


def test_the_same_answer_as_pyside6s_own_check_for_every_module_the_app_loads() -> None:
    import pyqtgraph  # noqa: F401  (the Train tab's plots)
    import sklearn.datasets  # noqa: F401  (the load_digits fallback)

    import desktop.app  # noqa: F401

    modules = [(name, module) for name, module in list(sys.modules.items()) if module]
    assert len(modules) > 1000
    differ = [name for name, module in modules
              if import_hook.uses_pyside(module) != _pyside_rule(module)]  # fmt: skip
    assert differ == []
