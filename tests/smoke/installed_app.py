"""Smoke test of an installed Digit Pad: train and fine-tune through the real process.

Run by ``.ci/run`` with the interpreter of a ``pip install .`` virtual environment, from
the clone's root, as a user following the README would: the process started in a folder
that holds another ``desktop/`` must still import the installed one. No Qt.
"""

from __future__ import annotations

import desktop
from desktop.training.self_check import self_check

if __name__ == "__main__":
    assert "site-packages" in desktop.__file__, f"not the installed copy: {desktop.__file__}"
    print(f"installed app: {self_check()}")
