"""One running Digit Pad per user: a second launch brings the first window to the front.

The first instance listens on a local socket (``QLocalServer``: a Unix socket here, a
named pipe on Windows); a later launch that can connect sends one word and exits. A
socket left by a crashed instance answers nobody: it is removed and claimed anew.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

CONNECT_TIMEOUT_MS = 500  # an instance that takes longer to answer is taken as gone
WRITE_TIMEOUT_MS = 500
RAISE = b"raise\n"


def instance_name(environment: Mapping[str, str] | None = None) -> str:
    """The socket's name: in the user's runtime folder where there is one, else per user."""
    env = os.environ if environment is None else environment
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if sys.platform != "win32" and os.path.isabs(runtime):
        return str(Path(runtime) / "digit-pad.socket")
    return f"digit-pad-{getpass.getuser()}"


class InstanceGuard(QObject):
    """Claims the single instance; ``raise_requested`` when a later launch asks for it."""

    raise_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        # No socket options: with them Qt replaces a socket already there instead of
        # failing, so two instances could both listen. The socket is the user's anyway
        # (in the user's runtime folder, or made writable by its owner only).
        self._server = QLocalServer(self)
        self._server.newConnection.connect(self._on_server_new_connection)

    def claim(self) -> bool:
        """True if this is now the running instance.

        False if another instance runs and was asked to come to the front: this launch
        should then exit.
        """
        if self._server.listen(self.name):
            return True
        if self._ask_running_instance():
            return False
        QLocalServer.removeServer(self.name)  # left by an instance that is gone
        return self._server.listen(self.name)

    def _ask_running_instance(self) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(RAISE)
        written = socket.waitForBytesWritten(WRITE_TIMEOUT_MS)
        socket.disconnectFromServer()
        return written

    def _on_server_new_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._on_socket_ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():  # the word may have come with the connection
                self._on_socket_ready_read(socket)

    def _on_socket_ready_read(self, socket: QLocalSocket | None = None) -> None:
        source = socket if socket is not None else self.sender()
        if isinstance(source, QLocalSocket) and RAISE.strip() in bytes(source.readAll().data()):
            self.raise_requested.emit()


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` on top, restored if it was minimised (another launch asked for it)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
