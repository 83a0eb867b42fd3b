"""nncore: a small fully connected neural network library written from scratch in NumPy.

>>> from nncore import Network, Layer
>>> network = Network([Layer(64, activation="input"), Layer(50), Layer(10, activation="softmax")])
"""

from __future__ import annotations

from nncore.activations import ACTIVATIONS
from nncore.data import OneHotEncoder, train_test_split
from nncore.ensembles import merge, split
from nncore.errors import ModelFileError, TrainingDiverged
from nncore.history import EpochReport, History
from nncore.layer import Layer
from nncore.losses import LOSSES
from nncore.metrics import accuracy_score, calibration_error, confusion_matrix
from nncore.network import Network
from nncore.optimizers import OPTIMIZERS, SGD, Adam, Momentum, Nesterov, Optimizer
from nncore.serialization import load_training_state, save_training_state
from nncore.training import TrainingRun, TrainingState, run_epoch

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "OPTIMIZERS",
    "SGD",
    "Adam",
    "EpochReport",
    "History",
    "Layer",
    "ModelFileError",
    "Momentum",
    "Nesterov",
    "Network",
    "OneHotEncoder",
    "Optimizer",
    "TrainingDiverged",
    "TrainingRun",
    "TrainingState",
    "accuracy_score",
    "calibration_error",
    "confusion_matrix",
    "load_training_state",
    "merge",
    "run_epoch",
    "save_training_state",
    "split",
    "train_test_split",
]
