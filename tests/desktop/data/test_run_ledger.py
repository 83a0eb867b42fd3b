"""The run ledger keeps every run, its figures and model file, and never stops training."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import numpy as np

from desktop.data.run_ledger import RunEnd, RunLedger, state_file
from desktop.data.user_database import DATABASE_NAME


def _finish(ledger: RunLedger, run_id: int, epochs: int = 3, size: int = 1000) -> None:
    path = ledger.model_path(run_id)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"m" * size)
    state_file(path).write_bytes(b"s" * size)
    figures = np.arange(2 * epochs, dtype=float).reshape(2, epochs)
    ledger.finish(run_id, RunEnd("finished", 1.5, ("loss", "accuracy"), figures,
                                 0.97, 0.95, np.eye(10, dtype=int), None, path.name))  # fmt: skip


def test_a_run_is_kept_with_its_figures_matrix_and_model(tmp_path) -> None:
    ledger = RunLedger(tmp_path)
    run_id = ledger.begin("train", {"epochs": 3}, {"samples": 100})
    assert run_id is not None
    assert ledger.runs()[0].ending == "running"
    _finish(ledger, run_id)

    again = RunLedger(tmp_path)  # another window, or the next start
    (run,) = again.runs()
    assert (run.ending, run.epochs, run.test_accuracy, run.config) == ("finished", 3, 0.97,
                                                                      {"epochs": 3})  # fmt: skip
    assert run.model_bytes == 2000
    assert np.array_equal(again.figures(run.id)["accuracy"], [3, 4, 5])
    assert np.array_equal(again.confusion(run.id), np.eye(10))
    again.change(run.id, name="wide", starred=True)
    assert ledger.run(run.id).title == "wide" and ledger.run(run.id).starred


def test_models_beyond_the_budget_go_oldest_first_and_starred_ones_stay(tmp_path) -> None:
    ledger = RunLedger(tmp_path)
    ids = [ledger.begin("train", {}, {}) for _ in range(4)]
    for run_id in ids:
        _finish(ledger, run_id)
    ledger.change(ids[0], starred=True)
    removed = ledger.keep_within(4000)  # room for two unstarred runs of 2000 bytes
    assert [run.id for run in removed] == [ids[1]]
    kept = {run.id: run.model_file for run in ledger.runs()}
    assert kept[ids[1]] is None and all(kept[i] for i in (ids[0], ids[2], ids[3]))
    assert not ledger.model_path(ids[1]).exists()
    assert ledger.figures(ids[1])  # the row and its figures stay
    ledger.delete([ledger.run(ids[2])])
    assert ids[2] not in {run.id for run in ledger.runs()}
    assert not ledger.model_path(ids[2]).exists()


def test_a_run_whose_process_is_gone_reads_as_interrupted(tmp_path) -> None:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    ledger = RunLedger(tmp_path)
    run_id = ledger.begin("train", {}, {})
    ledger.connection.execute("UPDATE runs SET pid = ? WHERE id = ?", (int(child.stdout), run_id))
    assert ledger.run(run_id).ending == "interrupted"


def test_an_unusable_database_says_why_and_training_goes_on(tmp_path) -> None:
    folder = tmp_path / "data"
    folder.write_text("a file where the folder should be")
    ledger = RunLedger(folder)
    assert ledger.problem and "unavailable" in ledger.problem
    assert ledger.begin("train", {}, {}) is None
    assert ledger.runs() == []

    writable = RunLedger(tmp_path)
    run_id = writable.begin("train", {}, {})
    other = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the database for too long
    try:
        writable.finish(run_id, RunEnd("finished", 1.0))  # no exception: noted
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert writable.problem and "locked" in writable.problem


WRITER = """
import sys
from desktop.data.run_ledger import RunEnd, RunLedger
ledger = RunLedger(sys.argv[1])
for n in range(40):
    run_id = ledger.begin("train", {"writer": sys.argv[2], "n": n}, {})
    ledger.finish(run_id, RunEnd("finished", 0.1))
assert ledger.problem is None, ledger.problem
"""


def test_two_processes_recording_at_once_lose_nothing(tmp_path) -> None:
    RunLedger(tmp_path).close()  # the database exists, as once a window has started
    writers = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(WRITER), str(tmp_path),
                                 name]) for name in "ab"]  # fmt: skip
    assert [writer.wait(60) for writer in writers] == [0, 0]
    runs = RunLedger(tmp_path).runs()
    assert sorted((r.config["writer"], r.config["n"]) for r in runs) == sorted(
        (w, n) for w in "ab" for n in range(40))  # fmt: skip
    assert all(run.ending == "finished" for run in runs)


def test_a_run_of_no_epoch_is_kept_with_empty_figures(tmp_path) -> None:
    from desktop.data.run_ledger import figure_rows

    names, rows = figure_rows({"loss": np.empty(0), "accuracy": np.empty(0)})
    assert names == ("loss", "accuracy") and rows.shape == (2, 0)
    ledger = RunLedger(tmp_path)
    run_id = ledger.begin("train", {}, {})
    ledger.finish(run_id, RunEnd("stopped", 0.1, names, rows, message="Stopped before it began."))
    assert ledger.run(run_id).ending == "stopped" and ledger.figures(run_id) == {}
