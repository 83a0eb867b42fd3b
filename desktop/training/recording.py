"""What the run ledger keeps of a Train tab run (:mod:`desktop.data.run_ledger`), no Qt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from desktop.data.corpus import MY_SAMPLES
from desktop.data.run_ledger import RunEnd, RunLedger, RunRecord, figure_rows
from desktop.training import fine_tuning
from desktop.training.config import TrainingConfig
from desktop.training.fine_tuning import FineTuneResult
from desktop.training.outcome import TrainingResult
from desktop.training.series import EpochSeries


def run_data(config: TrainingConfig, sizes: dict[str, int]) -> dict[str, object]:
    """The data a run trains on: its sources and how many samples each holds."""
    return {"sources": {name: sizes.get(name, 0) for name in config.sources},
            "samples": sum(sizes.get(name, 0) for name in config.sources)}  # fmt: skip


def run_end(result: TrainingResult, series: EpochSeries, seconds: float) -> RunEnd:
    """The ledger's record of a run that produced ``result`` (figures from ``series``)."""
    if result.error:
        ended = "diverged"
    elif result.stopped:
        ended = "stopped"
    else:
        ended = "finished"
    shown = result.drawn or result.test  # the matrix of the digits that matter most
    message = result.error or result.keep_error or ""
    if result.stopped_early and result.best_epoch:
        message = f"Stopped early; kept epoch {result.best_epoch}'s weights. {message}".strip()
    names, figures = figure_rows(series.table())
    return RunEnd(
        ended=ended,
        seconds=seconds,
        figure_names=names,
        figures=figures,
        test_accuracy=result.test.accuracy,
        drawn_accuracy=None if result.drawn is None else result.drawn.accuracy,
        confusion=shown.confusion,
        best_epoch=result.best_epoch,
        model_file=result.model_file,
        message=message,
    )


def unfinished_end(message: str, series: EpochSeries, seconds: float,
                   ended: str = "failed") -> RunEnd:  # fmt: skip
    """The ledger's record of a run with no result (the epochs it did are kept)."""
    return RunEnd(ended, seconds, *figure_rows(series.table()), message=message)


def fine_tune_end(result: FineTuneResult, seconds: float) -> RunEnd:
    """The ledger's record of a fine-tuning that produced ``result``."""
    said = (f"On the {result.samples} samples it was tuned on (cross-validated): "
            f"{result.yours_before:.0%} before, {result.yours_after:.0%} after.")  # fmt: skip
    return RunEnd("finished", seconds, test_accuracy=result.test_after,
                  drawn_accuracy=result.drawn_after, model_file=result.model_file,
                  message=said)  # fmt: skip


class RunRecorder:
    """Records the Train tab's runs, one at a time, in ``ledger``."""

    def __init__(self, ledger: RunLedger) -> None:
        self.ledger = ledger
        self.run_id: int | None = None  # the run being recorded

    def begin(self, kind: str, config: TrainingConfig, sizes: dict[str, int],
              parent: int | None = None) -> Path | None:  # fmt: skip
        """Record a run that starts; where its model should be kept (None: nowhere)."""
        self.run_id = self.ledger.begin(kind, config.to_dict(), run_data(config, sizes), parent)
        return None if self.run_id is None else self.ledger.model_path(self.run_id)

    def begin_fine_tune(self, samples: int) -> Path | None:
        """Record a fine-tuning on ``samples`` of the user's; where its model should go."""
        settings = {"optimizer": "adam", "learning_rate": fine_tuning.LEARNING_RATE,
                    "epochs": fine_tuning.EPOCHS, "batch_size": fine_tuning.BATCH_SIZE,
                    "renderings": fine_tuning.RENDERINGS,
                    "user_share": fine_tuning.USER_SHARE}  # fmt: skip
        data = {"sources": {MY_SAMPLES: samples, "rehearsal": fine_tuning.REHEARSAL_SIZE}}
        self.run_id = self.ledger.begin("fine-tune", settings, data)
        return None if self.run_id is None else self.ledger.model_path(self.run_id)

    def end(self, end: RunEnd) -> None:
        """Record how the run ended."""
        if self.run_id is not None:
            self.ledger.finish(self.run_id, end)
        self.run_id = None


@dataclass(frozen=True)
class Continuation:
    """A kept run to train for more epochs: what to train, from which model, drawn after what.

    ``config`` trains the epochs more; ``recorded`` is what the ledger keeps (all epochs).
    """

    config: TrainingConfig
    recorded: TrainingConfig
    model: Path
    before: EpochSeries
    parent: int  # the kept run's id


def settings_of(run: RunRecord) -> TrainingConfig | None:
    """The form's settings ``run`` was trained with (None: unreadable by this version)."""
    return TrainingConfig.from_json(json.dumps(run.config))


def continuation(ledger: RunLedger, run: RunRecord, more: int) -> Continuation | str:
    """How to train ``run`` for ``more`` epochs, or why it cannot be, in plain words."""
    config = settings_of(run)
    model = ledger.model_of(run)
    if config is None:
        return "Its settings cannot be read by this version of Digit Pad."
    if model is None or not model.is_file():
        return "Its model is no longer kept (removed to keep within the size budget, or missing)."
    return Continuation(config.with_changes(epochs=more),
                        config.with_changes(epochs=run.epochs + more), model,
                        EpochSeries.of(ledger.figures(run.id)), run.id)  # fmt: skip
