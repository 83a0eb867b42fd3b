"""Every training run, kept: the run ledger in the user's database, without Qt.

One row per run (Train tab, continued run, fine-tuning, learning-rate test): its
settings, data, per-epoch figures, final figures, confusion matrix, duration, how it
ended, and its model file in the ``runs`` folder beside the database. Starred runs keep
their model for ever; the others keep theirs within a size budget, newest first (the
row, with its figures, stays when a model file goes).

History must never stop training: a database that cannot be opened or written makes
the ledger :attr:`~RunLedger.problem` say why, and its methods then do nothing and
return None. Each write is one transaction, so two windows recording at once lose
nothing (see :mod:`desktop.data.user_database`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from desktop.data.user_database import UserDataError, open_database, transaction

RUNS_FOLDER = "runs"
DEFAULT_BUDGET_MB = 200
# Another window's transactions take milliseconds; one held longer is not waited for on
# the GUI thread: the record is given up (and said) rather than the window frozen.
BUSY_MS = 500
STATE_SUFFIX = ".state.npz"  # beside a run's model: its optimizer, to continue it
Result = TypeVar("Result")
# What the table lists: everything but the figures and the matrix (read when asked).
LISTED = (
    "id, kind, parent, name, note, starred, config, data, started, seconds, ended, pid, "
    "epochs, test_accuracy, drawn_accuracy, best_epoch, model_file, model_bytes, message"
)

FINISH = (
    "UPDATE runs SET ended = ?, seconds = ?, figure_names = ?, figures = ?, epochs = ?, "
    "test_accuracy = ?, drawn_accuracy = ?, confusion = ?, best_epoch = ?, model_file = ?, "
    "model_bytes = ?, message = ?, pid = NULL WHERE id = ?"
)


@dataclass(frozen=True)
class RunEnd:
    """How a run ended, as the ledger keeps it (``figures``: one row per name)."""

    ended: str  # finished, stopped, diverged, failed
    seconds: float
    figure_names: tuple[str, ...] = ()
    figures: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))
    test_accuracy: float | None = None
    drawn_accuracy: float | None = None
    confusion: np.ndarray | None = None
    best_epoch: int | None = None
    model_file: str | None = None  # its name in the runs folder
    message: str = ""


@dataclass(frozen=True)
class RunRecord:
    """One row of the ledger (figures and matrix are read with :meth:`RunLedger.figures`)."""

    id: int
    kind: str
    parent: int | None
    name: str
    note: str
    starred: bool
    config: dict[str, Any]
    data: dict[str, Any]
    started: float
    seconds: float
    ended: str
    pid: int | None
    epochs: int
    test_accuracy: float | None
    drawn_accuracy: float | None
    best_epoch: int | None
    model_file: str | None
    model_bytes: int
    message: str

    @property
    def ending(self) -> str:
        """How it ended; "interrupted" for a run whose process is gone before its end."""
        if self.ended == "running" and self.pid is not None and not _alive(self.pid):
            return "interrupted"
        return self.ended

    @property
    def title(self) -> str:
        """The name the user gave it, else "Run <id>"."""
        return self.name or f"Run {self.id}"


class RunLedger:
    """The runs kept in ``folder``'s database (None: in memory, for this session only)."""

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) / RUNS_FOLDER if folder is not None else None
        self.problem: str | None = None  # why history is unavailable, in plain words
        self.connection: sqlite3.Connection | None = None
        self._version: int | None = None  # PRAGMA data_version when last asked
        try:
            # The samples' store opened (and checked) the same database at this start.
            self.connection, _ = open_database(folder, checked=False)
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        except UserDataError as error:
            self._unavailable(error)

    def _unavailable(self, error: Exception) -> None:
        self.problem = f"Run history is unavailable: {error} Training works as before."

    def _use(self, action: Callable[[sqlite3.Connection], Result]) -> Result | None:
        """``action`` on the database; None (and :attr:`problem` said) when it fails."""
        if self.connection is None:
            return None
        try:
            return action(self.connection)
        except (UserDataError, sqlite3.Error) as error:
            self._unavailable(error)
            return None

    def _write(self, action: Callable[[sqlite3.Connection], Result]) -> Result | None:
        def in_transaction(connection: sqlite3.Connection) -> Result:
            with transaction(connection):
                return action(connection)

        return self._use(in_transaction)

    def changed_elsewhere(self) -> bool:
        """True when another connection (another window) wrote since the last call."""
        row = self._use(lambda c: c.execute("PRAGMA data_version").fetchone())
        version = None if row is None else row[0]
        changed, self._version = version != self._version, version
        return changed

    def runs(self) -> list[RunRecord]:
        """Every run, newest first (empty when history is unavailable)."""
        rows = self._use(lambda c: c.execute(f"SELECT {LISTED} FROM runs ORDER BY id DESC"))
        return [_record(row) for row in rows or []]

    def run(self, run_id: int) -> RunRecord | None:
        """One run, or None."""
        query = f"SELECT {LISTED} FROM runs WHERE id = ?"
        row = self._use(lambda c: c.execute(query, (run_id,)).fetchone())
        return _record(row) if row else None

    def begin(self, kind: str, config: dict[str, Any], data: dict[str, Any],
              parent: int | None = None) -> int | None:  # fmt: skip
        """Record a run that starts now; its id (None when history is unavailable)."""
        values = (kind, parent, json.dumps(config), json.dumps(data), time.time(), os.getpid())
        return self._write(lambda c: c.execute(
            "INSERT INTO runs (kind, parent, config, data, started, ended, pid) "
            "VALUES (?, ?, ?, ?, ?, 'running', ?)", values).lastrowid)  # fmt: skip

    def model_path(self, run_id: int) -> Path | None:
        """Where run ``run_id``'s model file goes (None: nowhere, a ledger in memory)."""
        return None if self.folder is None else self.folder / f"run-{run_id}.npz"

    def model_of(self, run: RunRecord) -> Path | None:
        """``run``'s model file, or None when it has none (never kept, or removed)."""
        if run.model_file is None or self.folder is None:
            return None
        return self.folder / run.model_file

    def finish(self, run_id: int, end: RunEnd) -> None:
        """Record how run ``run_id`` ended (its figures, matrix and model file)."""
        figures = np.asarray(end.figures, dtype=np.float32)
        confusion = None if end.confusion is None else json.dumps(end.confusion.tolist())
        model_bytes = 0
        if end.model_file is not None and self.folder is not None:
            model = self.folder / end.model_file
            model_bytes = _size(model) + _size(state_file(model))
        values = (
            end.ended, end.seconds, json.dumps(list(end.figure_names)), figures.tobytes(),
            figures.shape[1] if figures.ndim == 2 else 0, end.test_accuracy,
            end.drawn_accuracy, confusion, end.best_epoch, end.model_file, model_bytes,
            end.message, run_id,
        )  # fmt: skip
        self._write(lambda c: c.execute(FINISH, values))

    def figures(self, run_id: int) -> dict[str, np.ndarray]:
        """Run ``run_id``'s per-epoch figures by name (empty if none)."""
        query = "SELECT figure_names, figures, epochs FROM runs WHERE id = ?"
        row = self._use(lambda c: c.execute(query, (run_id,)).fetchone())
        if not row or not row[1]:
            return {}
        names = json.loads(row[0])
        values = np.frombuffer(row[1], dtype=np.float32).reshape(len(names), row[2])
        return {name: values[i].astype(float) for i, name in enumerate(names)}

    def confusion(self, run_id: int) -> np.ndarray | None:
        """Run ``run_id``'s confusion matrix (10, 10), or None."""
        row = self._use(lambda c: c.execute(
            "SELECT confusion FROM runs WHERE id = ?", (run_id,)).fetchone())  # fmt: skip
        return np.array(json.loads(row[0]), dtype=int) if row and row[0] else None

    def change(self, run_id: int, **values: object) -> None:
        """Set the ``name``, ``note`` or ``starred`` of a run."""
        allowed = {"name": str, "note": str, "starred": bool}
        for key, value in values.items():
            if key not in allowed or not isinstance(value, allowed[key]):
                raise ValueError(f"a run's {key!r} cannot be set to {value!r}")
        assignments = ", ".join(f"{key} = ?" for key in values)
        self._write(lambda c: c.execute(
            f"UPDATE runs SET {assignments} WHERE id = ?", (*values.values(), run_id)))  # fmt: skip

    def delete(self, runs: Sequence[RunRecord]) -> None:
        """Forget ``runs`` and remove their model files."""
        if self._write(lambda c: c.executemany(
                "DELETE FROM runs WHERE id = ?", [(r.id,) for r in runs])) is None:  # fmt: skip
            return
        for run in runs:
            self._remove_files(run)

    def keep_within(self, budget_bytes: int) -> list[RunRecord]:
        """Remove the model files of the oldest unstarred runs beyond ``budget_bytes``.

        The newest runs keep theirs; starred runs always do. Returns the runs whose file
        went (their rows and figures stay).
        """
        total, removed = 0, []
        for run in self.runs():  # newest first
            if run.model_file is None or run.starred:
                continue
            total += run.model_bytes
            if total > budget_bytes:
                removed.append(run)
        if removed and self._write(lambda c: c.executemany(
                "UPDATE runs SET model_file = NULL, model_bytes = 0 WHERE id = ?",
                [(r.id,) for r in removed])) is not None:  # fmt: skip
            for run in removed:
                self._remove_files(run)
        return removed

    def kept_bytes(self) -> int:
        """The bytes of every kept model file (starred ones included)."""
        row = self._use(lambda c: c.execute("SELECT SUM(model_bytes) FROM runs").fetchone())
        return int(row[0] or 0) if row else 0

    def _remove_files(self, run: RunRecord) -> None:
        model = self.model_of(run)
        if model is not None:
            for path in (model, state_file(model)):
                path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the database."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def figure_rows(figures: dict[str, np.ndarray]) -> tuple[tuple[str, ...], np.ndarray]:
    """Named figures of equal length as the ledger keeps them: names, and one row each."""
    count = len(next(iter(figures.values()))) if figures else 0
    rows = np.array(list(figures.values()), dtype=float)
    return tuple(figures), rows.reshape(len(figures), count)  # (n, 0) too: a run of no epoch


def state_file(model: Path) -> Path:
    """Where the training state that continues ``model`` is kept: beside it."""
    return model.with_name(model.stem + STATE_SUFFIX)


def _record(row: Sequence[Any]) -> RunRecord:
    values = list(row)
    values[5] = bool(values[5])
    values[6], values[7] = _json_object(values[6]), _json_object(values[7])
    return RunRecord(*values)


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _alive(pid: int) -> bool:
    """True while process ``pid`` runs (this process always does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but is someone else's
        return True
    return True
