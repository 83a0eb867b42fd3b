"""``python -m desktop`` starts Digit Pad (the ``digit-pad`` command runs the same ``main``)."""

import sys

from desktop.ui.launch import main

if __name__ == "__main__":
    sys.exit(main())
