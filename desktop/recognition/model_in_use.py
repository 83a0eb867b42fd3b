"""The model the Draw tab uses: its recogniser, where it came from, and its figures (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.recognition.recognizer import Recognizer

BUNDLED = "bundled model"
# What a model file may record about itself, and how to say it.
DETAILS = (
    ("how", "Made"),
    ("architecture", "Architecture"),
    ("sources", "Trained on"),
    ("samples", "Training samples"),
    ("drawn_digits_accuracy", "Drawn digits of unseen writers"),
    ("load_digits_test_accuracy", "load_digits test split"),
    ("date", "Date"),
)
FIGURES = (
    ("drawn_digits_accuracy", "of drawn digits of unseen writers"),
    ("load_digits_test_accuracy", "on the load_digits test split"),
)


@dataclass(frozen=True)
class ModelInUse:
    """A recogniser and its origin: ``source`` in words, ``path`` when it is a file."""

    recognizer: Recognizer
    source: str = BUNDLED
    path: Path | None = None

    @classmethod
    def bundled(cls) -> ModelInUse:
        """The model that ships with Digit Pad."""
        return cls(Recognizer.default())

    @classmethod
    def from_file(cls, path: str | Path) -> ModelInUse:
        """A model file; raises ``ModelFileError``/``ValueError`` when it cannot serve."""
        try:
            path = Path(path).resolve()
        except (OSError, RuntimeError) as error:  # a loop of links, a name too long
            raise ValueError(f"{str(path)[:200]}: {error}") from None
        return cls(Recognizer.from_file(path), f"model {path.name}", path)

    @classmethod
    def restore(cls, last: str) -> tuple[ModelInUse, str | None]:
        """The model file used last (a path, or "" for the bundled one) if it still serves.

        Otherwise the bundled model, and a note in plain words saying why.
        """
        if not last:
            return cls.bundled(), None
        shown = last if len(last) <= 200 else f"{last[:200]}…"
        try:
            return cls.from_file(last), None
        except (ValueError, OSError, RecursionError, MemoryError) as error:
            # Any file may be left where the last model was: nothing it holds may stop
            # the app from starting (a loop of links, a huge name, a hostile header).
            try:
                gone = not Path(last).exists()
            except OSError:
                gone = True
            reason = "it is gone" if gone else f"it cannot be read ({str(error)[:300]})"
            return cls.bundled(), f"{shown}: {reason}. Digit Pad uses its bundled model."

    def summary(self) -> str:
        """One line for the status bar, with the test figures the file records."""
        training = self.recognizer.network.metadata.get("training", {})
        training = training if isinstance(training, dict) else {}
        figures = [
            f"{value:.1%} {what}"
            for key, what in FIGURES
            if isinstance(value := training.get(key), float)
        ]
        return f"Using the {self.source}" + (f" ({', '.join(figures)})" if figures else "")

    def details(self) -> str:
        """What the model file says about itself, a fact a line (for a tooltip or a box)."""
        training = self.recognizer.network.metadata.get("training", {})
        training = training if isinstance(training, dict) else {}
        lines = [self.source[:1].upper() + self.source[1:]]
        for key, label in DETAILS:
            value = training.get(key)
            if isinstance(value, float):
                lines.append(f"{label}: {value:.1%}")
            elif isinstance(value, list):
                lines.append(f"{label}: {', '.join(str(v) for v in value)}")
            elif isinstance(value, str | int):
                lines.append(
                    f"{label}: {value:,}" if isinstance(value, int) else f"{label}: {value}"
                )
        if len(lines) == 1:
            lines.append("The file says nothing about how it was trained.")
        return "\n".join(lines)
