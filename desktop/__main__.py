"""Entry point of ``digit-pad`` and ``python -m desktop``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Start the application (not built yet: only the nncore library exists so far)."""
    sys.stderr.write(
        "Digit Pad: only the nncore library is built so far; the window is not there yet.\n"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
