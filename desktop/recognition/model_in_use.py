"""The model the Draw tab uses: its recogniser, where it came from, and its figures (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.recognition.recognizer import Recognizer

BUNDLED = "bundled model"
# The figures a model file may record about itself, and how to say them.
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
        path = Path(path).resolve()
        return cls(Recognizer.from_file(path), f"model {path.name}", path)

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
