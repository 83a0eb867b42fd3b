"""Writing the user's files so that a crash or a full disk never leaves half a file behind.

The application's own copy of the technique ``nncore`` uses for model files: ``nncore``
stands alone as a library, and the app's files (samples, desktop entries) are not its
business.
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def write_atomically(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data``; a crash leaves the old file or the new, never half.

    The bytes go to a temporary file in the same folder (created if missing), are flushed
    to disk, and the file is renamed over ``path``. The new file keeps the old one's
    permissions, or gets those of any new file of the user. An ``OSError`` names ``path``.
    """
    path = Path(path)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")  # fmt: skip
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as error:
        raise OSError(error.errno, error.strerror or str(error), str(path)) from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The permission bits ``path`` should have: its current ones, else 0666 less umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    with _UMASK_LOCK:  # reading the umask means setting it: keep that moment private
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask
