"""Public entry of recognition (the public contract): ``desktop.recognizer.Recognizer``.

The recogniser lives in :mod:`desktop.recognition.recognizer`; this module holds no Qt.
"""

from desktop.recognition.numbers import NumberReading
from desktop.recognition.recognizer import Prediction, Recognizer

__all__ = ["NumberReading", "Prediction", "Recognizer"]
