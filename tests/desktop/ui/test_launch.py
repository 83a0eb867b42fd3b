"""The command line: --version says the version the changelog describes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import desktop
from desktop.ui.launch import main

ROOT = Path(__file__).resolve().parents[3]


def test_version_is_printed_and_is_the_changelogs_newest(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"digit-pad {desktop.__version__}"
    newest = re.search(r"^## \[(.+?)\]", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert newest is not None and newest.group(1) == desktop.__version__


def test_self_check_trains_and_fine_tunes_in_the_training_process(capsys) -> None:
    assert main(["--self-check"]) == 0
    said = capsys.readouterr().out
    assert "self-check passed: trained 2 epochs" in said and "fine-tuned on 20" in said
