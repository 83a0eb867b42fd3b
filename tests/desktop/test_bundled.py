"""The bundled model and corpus are found however Digit Pad's code was imported."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def test_a_checkout_imported_as_plain_source_reads_its_own_resources(tmp_path) -> None:
    # `python -m desktop` inside a clone imports the clone's desktop/, which has no
    # desktop.resources (only packaging maps resources/ there). -S skips site's .pth
    # files, so no editable install's mapping helps; numpy still comes from site-packages.
    script = (
        "import desktop.bundled, desktop.recognizer, desktop.data.corpus as c;"
        "assert 'site-packages' not in desktop.bundled.__file__;"
        "print(desktop.recognizer.Recognizer.default().network.n_inputs,"
        " sum(c.Corpus.bundled().sizes().values()) > 1000)"
    )
    path = os.pathsep.join([str(CHECKOUT), sysconfig.get_paths()["purelib"]])
    done = subprocess.run(
        [sys.executable, "-S", "-c", script], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": path}, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["64", "True"]
