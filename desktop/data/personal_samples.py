"""The user's own labelled drawings, kept in the user's database without Qt.

Each sample is the drawing's strokes (canvas units), its 8x8 features and the digit the
user says it is: one row of :mod:`desktop.data.user_database`, written in a transaction
of its own, so keeping one costs the same however many there are, and two windows that
keep samples at once lose none (each sees the other's after :meth:`SampleStore.refresh`).
The JSON-lines file of earlier versions is imported once and kept as a backup. Samples
are exported to and imported from files by :mod:`desktop.data.sample_files`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from desktop.data.sample import Sample, check_sample
from desktop.data.sample_files import read_samples, write_samples
from desktop.data.user_database import UserDataError, open_database, transaction
from desktop.files import write_atomically
from desktop.words import counted, plural

FILE_NAME = "samples.jsonl"  # where earlier versions kept samples: imported once


class UnsavedSamples(UserDataError):
    """New samples were kept in memory, but the database would not take them yet."""

    def __init__(self, message: str, samples: list[Sample]) -> None:
        super().__init__(message)
        self.samples = samples  # as kept: they count and train, and are saved later


class SampleStore:
    """The user's samples in ``folder``'s database; every change is saved before it returns.

    Raises :class:`~desktop.data.user_database.UserDataError` (plain words) when the
    database cannot be opened or written. Samples kept while it cannot be written (a full
    or read-only disk) stay in memory as :attr:`unsaved`, count and train like the others,
    and are saved with the next write that succeeds (or :meth:`save_unsaved`).
    """

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.connection, self.database_note = open_database(self.folder)  # None: in memory
        # When lines of an imported file could not be read: how many, and where they went.
        self.set_aside: tuple[int, Path] | None = None
        if self.folder is not None:
            self._import_earlier_file(self.folder / FILE_NAME)
        self.unsaved: list[Sample] = []  # kept, but not yet in the database
        self.samples: list[Sample] = self._load()

    def refresh(self) -> bool:
        """Read the samples again (another window may have changed them); True if changed.

        Unsaved samples are tried first: the disk may have room again.
        """
        before = _identities(self.samples)
        self.save_unsaved()
        self.samples = self._load()
        return _identities(self.samples) != before

    def save_unsaved(self) -> bool:
        """Try again to write the samples the database did not take; True when none are left."""
        if self.unsaved:
            try:
                self._write([])
            except UserDataError:
                return False
        return True

    def set_aside_note(self) -> str | None:
        """What to tell the user about lines set aside when the file was read, or None."""
        if self.set_aside is None:
            return None
        count, side = self.set_aside
        if not self.samples:  # nothing in it was a sample: random bytes, another file
            return (
                f"Your samples file could not be read: none of its {counted(count, 'line')} "
                f"is a sample. It was set aside, not deleted, in {side}."
            )
        return (
            f"{counted(count, 'line')} of your samples file could not be read and "
            f"{plural(count, 'was', 'were')} set aside, not deleted, in {side}. Your other "
            f"{counted(len(self.samples), 'sample')} {plural(len(self.samples), 'is', 'are')} "
            "loaded."
        )

    def notes(self) -> list[str]:
        """What opening the store found that the user should hear about (said once)."""
        return [note for note in (self.database_note, self.set_aside_note()) if note]

    def counts(self) -> np.ndarray:
        """Number of samples of each digit, shape (10,)."""
        return np.bincount([s.label for s in self.samples], minlength=10)

    def add(self, label: int, features: np.ndarray, strokes: Sequence[np.ndarray] = ()) -> Sample:
        """Keep a labelled drawing."""
        return self.add_all([(label, features, strokes)])[0]

    def add_all(
        self, drawings: Sequence[tuple[int, np.ndarray, Sequence[np.ndarray]]]
    ) -> list[Sample]:
        """Keep several labelled drawings (label, features, strokes), all in one write.

        When the write fails they are kept in memory (:attr:`unsaved`) and
        :class:`UnsavedSamples` is raised for the caller to tell the user.
        """
        now = time.time()
        new = []
        for label, features, strokes in drawings:
            check_sample(label, np.asarray(features))
            new.append(Sample(
                int(label),
                np.asarray(features, dtype=np.float64).reshape(8, 8),
                tuple(np.asarray(s, dtype=np.float64) for s in strokes),
                now,
            ))  # fmt: skip
        return self._write(new)

    def remove(self, *samples: Sample) -> None:
        """Forget these very samples (an undone "keep", a delete), all or none."""
        gone = set(_identities(samples))
        rows = [(s.id,) for s in samples if s.id is not None]
        if rows:  # unsaved ones have no row: taking them back needs no write
            with transaction(self.connection) as connection:
                connection.executemany("DELETE FROM samples WHERE id = ?", rows)
        self.unsaved = [s for s in self.unsaved if _identity(s) not in gone]
        self.samples = [s for s in self.samples if _identity(s) not in gone]

    def restore(self, samples: Sequence[Sample]) -> None:
        """Bring back deleted ``samples`` (an undone delete), under their old rows."""
        with transaction(self.connection) as connection:
            for sample in samples:
                _insert(connection, sample, keep_id=True)
        self.samples = self._load()

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Features (n, 8, 8) and labels (n,)."""
        if not self.samples:
            return np.zeros((0, 8, 8)), np.zeros(0, dtype=np.int64)
        return (
            np.array([s.features for s in self.samples]),
            np.array([s.label for s in self.samples], dtype=np.int64),
        )

    def export(self, path: str | Path) -> int:
        """Write the samples to ``path`` (JSON lines for ``.jsonl``, else optdigits text)."""
        return write_samples(self.samples, path)

    def import_file(self, path: str | Path) -> tuple[int, int]:
        """Add the samples of an optdigits text or JSON-lines file; all or nothing.

        Returns (added, skipped): a sample the store already holds (same digit, same
        8x8 counts) is skipped, so importing a file twice adds nothing the second time.
        Raises ``ValueError`` naming the first bad line (and keeps the store unchanged).
        """
        imported = read_samples(path)
        self.refresh()
        seen = {_key(s) for s in self.samples}
        added = []
        for sample in imported:
            if _key(sample) not in seen:
                seen.add(_key(sample))
                added.append(replace(sample, created=sample.created or time.time()))
        self._write(added)
        return len(added), len(imported) - len(added)

    def _write(self, new: list[Sample]) -> list[Sample]:
        """Insert the unsaved samples and ``new`` in one transaction; the new ones as kept."""
        try:
            with transaction(self.connection) as connection:
                saved = [_insert(connection, sample) for sample in self.unsaved]
                kept = [_insert(connection, sample) for sample in new]
        except UserDataError as error:
            self.unsaved.extend(new)
            self.samples.extend(new)
            raise UnsavedSamples(str(error), new) from None
        if saved:  # the unsaved ones now have rows: swap them in (rare, so O(n) is fine)
            waiting = {id(sample) for sample in self.unsaved}
            self.samples = [s for s in self.samples if id(s) not in waiting] + saved
            self.unsaved = []
        self.samples.extend(kept)
        return kept

    def _load(self) -> list[Sample]:
        try:
            rows = self.connection.execute(
                "SELECT id, label, features, strokes, created FROM samples ORDER BY id"
            ).fetchall()
        except sqlite3.Error as error:
            raise UserDataError(f"Your samples could not be read: {error}.") from None
        return [_sample(row) for row in rows] + self.unsaved

    def _import_earlier_file(self, path: Path) -> None:
        """Move the samples of an earlier version's file into the database, once.

        Every readable line is imported; unreadable ones (a torn write, a byte that is
        not UTF-8) go to a side file, never lost. The file itself is renamed, kept as a
        backup. Two windows starting together import it once: the second finds it gone.
        """
        with transaction(self.connection) as connection:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                return
            except OSError as error:
                raise UserDataError(f"{path} cannot be read: {error}.") from None
            good, bad = [], []
            for number, raw in enumerate(data.splitlines()):
                line = raw.removeprefix(b"\xef\xbb\xbf") if number == 0 else raw  # a BOM
                if not line.strip():
                    continue
                try:  # a byte that is not UTF-8 costs its line only
                    good.append(Sample.from_json(line.decode("utf-8")))
                except (ValueError, KeyError, TypeError, RecursionError):
                    bad.append(raw)
            for sample in good:
                _insert(connection, sample)
            try:  # a full or read-only disk: nothing imported, the file left as it is
                if bad:
                    side = path.with_name(f"{FILE_NAME}.unreadable-{int(time.time())}")
                    write_atomically(side, b"".join(line + b"\n" for line in bad))
                    self.set_aside = (len(bad), side)
                os.replace(path, path.with_name(f"{FILE_NAME}.imported"))
            except OSError as error:
                raise UserDataError(f"{path} could not be imported: {error}.") from None


def _insert(connection: sqlite3.Connection, sample: Sample, keep_id: bool = False) -> Sample:
    """Write ``sample`` as a new row (under its old id with ``keep_id``); the sample kept."""
    values = (sample.label, sample.features.astype(np.uint8).tobytes(),
              sample.strokes_json(), sample.created)  # fmt: skip
    if keep_id and sample.id is not None:
        connection.execute(
            "INSERT OR IGNORE INTO samples (id, label, features, strokes, created) "
            "VALUES (?, ?, ?, ?, ?)", (sample.id, *values),
        )  # fmt: skip
        return sample
    cursor = connection.execute(
        "INSERT INTO samples (label, features, strokes, created) VALUES (?, ?, ?, ?)", values
    )
    return replace(sample, id=cursor.lastrowid)


def _sample(row: tuple[int, int, bytes, str, float]) -> Sample:
    identifier, label, features, strokes, created = row
    return Sample(
        int(label),
        np.frombuffer(features, dtype=np.uint8).astype(np.float64).reshape(8, 8),
        strokes,  # JSON, read when first asked for
        float(created),
        int(identifier),
    )


def _identity(sample: Sample) -> tuple[str, int]:
    """Its row, or (unsaved, with no row yet) the object itself."""
    return ("row", sample.id) if sample.id is not None else ("unsaved", id(sample))


def _identities(samples: Sequence[Sample]) -> list[tuple[str, int]]:
    return [_identity(s) for s in samples]


def _key(sample: Sample) -> tuple[int, bytes]:
    """What makes two samples the same: the digit and the 8x8 counts."""
    return sample.label, sample.features.astype(np.uint8).tobytes()


def open_store(folder: str | Path) -> tuple[SampleStore, list[str]]:
    """The user's samples, and notes to tell them; never fails.

    A folder that cannot hold the database (read-only, full, not a folder) gives a store
    in memory: samples kept this session work, and the note says they will not last.
    """
    try:
        store = SampleStore(folder)
    except UserDataError as error:
        note = (
            f"{error} The samples you keep now last until you close Digit Pad; fix the "
            "folder and start it again to keep them for good."
        )
        return SampleStore(None), [note]
    return store, store.notes()
