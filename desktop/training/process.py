"""The parent's handle on the warm training process (:mod:`desktop.training.server`), no Qt.

:meth:`TrainingProcess.start` returns at once; the process imports in the background and
says "ready". One job runs at a time: :meth:`submit` sends it, :meth:`receive` reads its
replies (from a worker thread), :meth:`control` asks it to stop or pause (from any
thread). Every wait is bounded; a process that dies at any point is a
:class:`TrainingProcessError` with its exit code and the last lines it wrote, and the next
:meth:`start` starts a fresh one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

SERVER_COMMAND = (sys.executable, "-m", "desktop.training.server")
PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # the folder that holds desktop/
READY_TIMEOUT = 30.0  # seconds for a fresh process to import numpy and nncore
QUIT_TIMEOUT = 0.5


class TrainingProcessError(RuntimeError):
    """The training process could not start, or ended unexpectedly; in plain words."""


class TrainingProcess:
    """A warm training process, started on demand and reused by every job."""

    def __init__(self, command: Sequence[str] = SERVER_COMMAND) -> None:
        self.command = tuple(command)
        self._process: subprocess.Popen[bytes] | None = None
        self._inbox: Connection | None = None  # replies from the child
        self._outbox: Connection | None = None  # jobs and requests to the child
        self._errors: Any = None  # the child's standard error, a temporary file
        self._ready = False
        self._send_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self.busy = threading.Lock()  # held by whoever runs a job

    @property
    def alive(self) -> bool:
        """True while the process runs."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the process unless it runs; returns without waiting for it to be ready."""
        with self._start_lock:  # the window's warm-up and a job's thread may both ask
            self._start()

    def _start(self) -> None:
        if self.alive:
            return
        self._discard()
        self._errors = tempfile.TemporaryFile()
        # The child must import this very copy of desktop/ (a checkout or an install).
        # ``python -m`` puts the working folder first on sys.path, so the child starts in
        # the folder that holds this package: started anywhere else (say, a clone beside
        # an installed copy), it would import whatever desktop/ that folder has.
        try:
            self._process = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._errors, env={**os.environ, **_thread_limits()},
                cwd=PACKAGE_PARENT, close_fds=True,
            )  # fmt: skip
        except OSError as error:
            raise TrainingProcessError(
                f"The training process could not start: {error}. The next job tries again."
            ) from None
        assert self._process.stdin is not None and self._process.stdout is not None
        self._outbox = Connection(os.dup(self._process.stdin.fileno()))
        self._inbox = Connection(os.dup(self._process.stdout.fileno()))
        self._process.stdin.close()
        self._process.stdout.close()
        self._ready = False

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Start if needed and wait until the process has said "ready" (bounded)."""
        self.start()
        deadline = time.monotonic() + timeout
        while not self._ready:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise TrainingProcessError(
                    f"The training process did not start within {timeout:.0f} s."
                )
            message = self.receive(min(left, 0.1))
            if message is not None and message[0] != "ready":
                raise TrainingProcessError(
                    f"The training process said {message[0]!r} before 'ready'."
                )

    def submit(self, kind: str, payload: tuple[Any, ...]) -> None:
        """Send a job (the caller holds :attr:`busy`)."""
        self.wait_ready()
        self._send((kind, payload))

    def control(self, word: str) -> None:
        """Ask the running job to "stop", "pause" or "resume" (safe from any thread)."""
        if self.alive:
            try:
                self._send((word,))
            except TrainingProcessError:
                pass  # it died: the job's reader reports that

    def receive(self, timeout: float) -> tuple[Any, ...] | None:
        """The next reply within ``timeout`` seconds, or None ("ready" is noted, and returned)."""
        inbox = self._inbox
        if inbox is None:
            raise TrainingProcessError("The training process is not running.")
        try:
            if inbox.poll(timeout):
                message: tuple[Any, ...] = inbox.recv()
                if message[0] == "ready":
                    self._ready = True
                return message
        except (EOFError, OSError):
            pass
        else:
            if self.alive:
                return None
        raise TrainingProcessError(self._death_notice())

    def kill(self) -> None:
        """End the process at once (a job in progress is lost)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(QUIT_TIMEOUT * 4)

    def close(self) -> None:
        """Ask the process to quit, wait at most ``QUIT_TIMEOUT``, then kill it."""
        if self.alive:
            self.control("quit")
            try:
                assert self._process is not None
                self._process.wait(QUIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        self._discard()

    def _send(self, message: tuple[Any, ...]) -> None:
        outbox = self._outbox
        if outbox is None:
            raise TrainingProcessError("The training process is not running.")
        try:
            with self._send_lock:
                outbox.send(message)
        except (OSError, ValueError):
            raise TrainingProcessError(self._death_notice()) from None

    def _death_notice(self) -> str:
        process = self._process
        code = None
        if process is not None:
            try:
                code = process.wait(QUIT_TIMEOUT)
            except subprocess.TimeoutExpired:  # alive but its channel is broken: end it
                process.kill()
                code = process.wait(QUIT_TIMEOUT * 4)
        last = ""
        if self._errors is not None:
            self._errors.seek(0)
            lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
            last = f" It said: {lines[-1]}" if lines else ""
        verb = "could not start" if not self._ready else "ended unexpectedly"
        return (
            f"The training process {verb} (exit code {code}).{last} The next job starts a new one."
        )

    def _discard(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self.kill()  # never leave a process behind unwatched
        for connection in (self._inbox, self._outbox):
            if connection is not None:
                connection.close()
        if self._errors is not None:
            self._errors.close()
        self._inbox = self._outbox = self._errors = None
        self._process = None
        self._ready = False


def _thread_limits() -> dict[str, str]:
    """Thread limits for the child's BLAS: every core but one, so the window keeps one.

    BLAS threads busy-wait on every core they have; with both cores of a 2-core machine
    the GUI thread missed frames (stalls of 30+ ms while training), at a cost of 15 %
    slower training with one thread fewer.
    """
    threads = str(max(1, (os.cpu_count() or 2) - 1))
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    return dict.fromkeys(names, threads)
