"""Everything the user makes, in one SQLite database in the user's data folder, without Qt.

SQLite, not files rewritten whole: a change is one transaction on one row, so keeping a
sample costs the same at 10 or 10,000 samples, and two windows in two processes that
write at once both keep what they wrote (WAL journal; a writer waits up to
:data:`BUSY_TIMEOUT_S` for the other). The schema has a version (``PRAGMA user_version``)
and a list of migrations, each applied once, in one transaction. A database that cannot
be opened, or fails its integrity check, is moved aside (never deleted) and a fresh one
is started; the caller is given a note in plain words to show.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "digit-pad.sqlite3"
BUSY_TIMEOUT_S = 5.0  # another window's transaction: wait this long before giving up
# MIGRATIONS[i] takes the schema from version i to i + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE samples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
            features BLOB NOT NULL,  -- 64 bytes, 0..16, row by row
            strokes TEXT NOT NULL,   -- JSON: [[[x, y], ...], ...] in canvas units
            created REAL NOT NULL    -- seconds since the epoch
        )""",
    ),
    (  # the run ledger: desktop.data.run_ledger
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,            -- train, continue, fine-tune, lr-test
            parent INTEGER,                -- the run a "continue" went on from
            name TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            starred INTEGER NOT NULL DEFAULT 0,
            config TEXT NOT NULL,          -- JSON: the TrainingConfig
            data TEXT NOT NULL,            -- JSON: sources and sample counts
            started REAL NOT NULL,         -- seconds since the epoch
            seconds REAL NOT NULL DEFAULT 0,
            ended TEXT NOT NULL,           -- running, finished, stopped, diverged, failed
            pid INTEGER,                   -- the process recording it while running
            figure_names TEXT NOT NULL DEFAULT '[]',  -- JSON: the rows of figures
            figures BLOB,                  -- float32 (len(figure_names), epochs), NaN: none
            epochs INTEGER NOT NULL DEFAULT 0,
            test_accuracy REAL,
            drawn_accuracy REAL,
            confusion TEXT,                -- JSON 10x10 on the drawn digits (else the test)
            best_epoch INTEGER,
            model_file TEXT,               -- in the runs folder; NULL: none or removed
            model_bytes INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL DEFAULT ''  -- an error, or a learning-rate suggestion
        )""",
    ),
)


class UserDataError(OSError):
    """The user's data could not be read or written; the message says why, plainly."""


def open_database(
    folder: str | Path | None, *, checked: bool = True
) -> tuple[sqlite3.Connection, str | None]:
    """The user's database in ``folder`` (made if missing), and a note if it was reset.

    ``folder`` None: a database in memory, for a session whose folder cannot be written.
    ``checked`` False skips the integrity check (a second connection in the same start:
    the check reads the whole file, a second of a large one).
    """
    if folder is None:
        return _open(":memory:", checked), None
    path = Path(folder) / DATABASE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _open(path, checked), None
    except (sqlite3.OperationalError, OSError) as error:  # the folder, not the file
        raise UserDataError(f"Your data in {path} cannot be opened: {error}.") from None
    except sqlite3.DatabaseError as error:  # not a database, damaged, or from the future
        reason = str(error)
    aside = _move_aside(path)
    note = (
        f"Your data file could not be opened ({reason}). It was moved aside, not deleted, "
        f"to {aside}, and a new one was started."
    )
    try:
        return _open(path, checked), note
    except (sqlite3.Error, OSError) as error:
        raise UserDataError(f"Your data in {path} cannot be opened: {error}.") from None


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it lands or none; taken at once, so writers queue."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise UserDataError(f"Your data could not be written: {error}.") from None
    try:
        yield connection
        connection.execute("COMMIT")
    except BaseException as error:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the connection itself failed: SQLite rolled back already
        if isinstance(error, sqlite3.Error):
            raise UserDataError(f"Your data could not be written: {error}.") from None
        raise


def _open(path: Path | str, checked: bool = True) -> sqlite3.Connection:
    """Open and migrate; retried while another process holds the file (bounded)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return _open_once(path, checked)
        except sqlite3.OperationalError as error:
            # Switching a new file to WAL does not wait for a busy handler: two windows
            # creating the database at once see "locked" and try again.
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _open_once(path: Path | str, checked: bool) -> sqlite3.Connection:
    # Autocommit (isolation_level=None): transactions are begun explicitly, above.
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
        connection.execute("PRAGMA foreign_keys=ON")
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0] if checked else "ok"
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"it failed its integrity check: {verdict}")
        if connection.execute("PRAGMA user_version").fetchone()[0] > len(MIGRATIONS):
            raise sqlite3.DatabaseError("a newer version of Digit Pad wrote it")
        with transaction(connection):  # two windows starting together migrate in turn
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            for steps in MIGRATIONS[version:]:
                for statement in steps:
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
    except BaseException:
        connection.close()
        raise
    return connection


def _move_aside(path: Path) -> Path:
    """Rename the database (and its journal files) out of the way; the new name."""
    aside = path.with_name(f"{path.name}.unusable-{int(time.time())}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{aside}{suffix}"))
    return aside
