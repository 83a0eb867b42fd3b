"""The window's handle on the warm training process (:mod:`desktop.training.server`), no Qt.

:meth:`TrainingProcess.start` returns at once; the process imports in the background and
says "ready". One job runs at a time: :meth:`submit` sends it, :meth:`receive` reads its
replies (from a worker thread), :meth:`control` asks it to stop or pause (from any
thread, never blocking). Messages travel over the child's standard pipes
(:mod:`desktop.training.channel`). The child says "alive" twice a second; one silent
for :data:`FROZEN_AFTER` seconds is frozen, and :meth:`receive` ends it. Every wait is
bounded; a process that dies, freezes or sends garbage is a
:class:`TrainingProcessError` in plain words, and the next :meth:`start` starts afresh.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from desktop.training.channel import ChannelError, Inbox, Outbox

PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # the folder that holds desktop/
READY_TIMEOUT = 30.0  # seconds for a fresh process to import numpy and nncore
QUIT_TIMEOUT = 0.5
FROZEN_AFTER = 3.0  # seconds without a word (the child says "alive" every 0.5 s)
# Replies that say the process is there but belong to no job.
NO_JOB_WORDS = ("ready", "alive")


def server_command() -> tuple[str, ...]:
    """How to start the training process: this interpreter, or a bundle's own executable."""
    if getattr(sys, "frozen", False):  # a bundle has no "python -m": it runs itself
        return (sys.executable, "--training-process")
    return (sys.executable, "-m", "desktop.training.server")


class TrainingProcessError(RuntimeError):
    """The training process could not start, ended, froze or garbled; in plain words."""


class TrainingProcess:
    """A warm training process, started on demand and reused by every job."""

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self.command = tuple(command) if command is not None else server_command()
        self._process: subprocess.Popen[bytes] | None = None
        self._inbox: Inbox | None = None  # replies from the child
        self._outbox: Outbox | None = None  # jobs and requests to the child
        self._errors: IO[bytes] | None = None  # the child's standard error
        self._ready = False
        self._start_lock = threading.Lock()
        self.busy = threading.Lock()  # held by whoever runs a job

    @property
    def alive(self) -> bool:
        """True while the process runs."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The process's id while it runs, else None."""
        return self._process.pid if self.alive and self._process is not None else None

    def start(self) -> None:
        """Start the process unless it runs; returns without waiting for it to be ready."""
        with self._start_lock:  # the window's warm-up and a job's thread may both ask
            self._start()

    def _start(self) -> None:
        if self.alive:
            return
        self._discard()
        self._errors = tempfile.TemporaryFile()
        # The child must import this very copy of desktop/ (a checkout or an install):
        # ``python -m`` puts the working folder first on sys.path, so the child starts in
        # the folder that holds this package (docs/decisions/0003).
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
        self._inbox = Inbox(self._process.stdout, "training-process replies")
        self._outbox = Outbox(self._process.stdin, "training-process requests")
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
            if message is not None:  # a job's reply before "ready": not our process
                self.kill()
                raise TrainingProcessError(
                    f"The training process said {message[0]!r} before 'ready'; it was ended."
                )

    def submit(self, kind: str, payload: tuple[Any, ...]) -> None:
        """Send a job (the caller holds :attr:`busy`)."""
        self.wait_ready()
        self._send((kind, payload))

    def control(self, word: str) -> None:
        """Ask the running job to "stop", "pause" or "resume" (any thread; never blocks)."""
        if self.alive and self._outbox is not None:
            self._outbox.put((word,))

    def receive(self, timeout: float) -> tuple[Any, ...] | None:
        """The next reply to a job within ``timeout`` seconds, or None.

        "ready" and "alive" are noted, not returned. A process silent for
        :data:`FROZEN_AFTER` seconds, or one that sent something that is no message, is
        ended: :class:`TrainingProcessError`, as for one that died.
        """
        inbox = self._inbox
        if inbox is None:
            raise TrainingProcessError("The training process is not running.")
        try:
            message = inbox.get(timeout)
        except ChannelError as error:
            self.kill()
            raise TrainingProcessError(
                f"The training process sent something that is not a message ({error}); "
                "it was ended. The next job starts a new one."
            ) from None
        except EOFError:
            raise TrainingProcessError(self._death_notice()) from None
        if message is None:
            if time.monotonic() - inbox.last_heard > FROZEN_AFTER and self._ready:
                self.kill()
                raise TrainingProcessError(
                    f"The training process stopped answering for {FROZEN_AFTER:.0f} s "
                    "(frozen); it was ended. The next job starts a new one."
                )
            return None
        if message[0] == "ready":
            self._ready = True
        return None if message[0] in NO_JOB_WORDS else message

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
        if self._outbox is None or not self.alive:
            raise TrainingProcessError(self._death_notice())
        self._outbox.put(message)

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
        if self._outbox is not None:
            self._outbox.close()
        if self._process is not None:
            for pipe in (self._process.stdin, self._process.stdout):
                if pipe is not None:
                    try:
                        pipe.close()
                    except OSError:
                        pass  # a write cut short by the child's end: nothing to keep
        if self._errors is not None:
            self._errors.close()
        self._inbox = self._outbox = self._errors = None
        self._process = None
        self._ready = False


def _thread_limits() -> dict[str, str]:
    """Thread limits for the child's BLAS: every core but one, so the window keeps one.

    BLAS threads busy-wait on every core they have; with both cores of a 2-core machine
    the window missed frames while training, for a training only somewhat faster.
    """
    threads = str(max(1, (os.cpu_count() or 2) - 1))
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    return dict.fromkeys(names, threads)
