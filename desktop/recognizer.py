"""Public entry of recognition (DESIGN.md's contract): ``desktop.recognizer.Recognizer``.

The recogniser lives in :mod:`desktop.recognition.recognizer`; this module holds no Qt.
"""

from desktop.recognition.recognizer import Prediction, Recognizer

__all__ = ["Prediction", "Recognizer"]
