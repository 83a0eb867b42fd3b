"""Where the Train tab's parts go: the form, the run's controls over the plots, the pages.

Three columns: the form (scrolling on its own), the run (its buttons, status and plots)
and, as two pages, the last run's result and every run kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from desktop.ui.train.runs_panel import RunsPanel
from desktop.ui.train.training_results import TrainingResults
from desktop.ui.widgets.controls import button_row


def lay_out(page: QWidget, form: QWidget, middle: QVBoxLayout, side: QWidget) -> None:
    """Put the three columns on ``page``, the middle one the widest."""
    layout = QHBoxLayout(page)
    layout.addWidget(form, 0)
    layout.addLayout(middle, 3)
    layout.addWidget(side, 2)


def controls_over(buttons: Sequence[QWidget], status: QWidget, switch: QWidget,
                  plots: QWidget) -> QVBoxLayout:  # fmt: skip
    """The run's buttons, its status and the plots' switch, over the plots."""
    middle = QVBoxLayout()
    middle.addLayout(button_row(*buttons))
    # The log-scale switch sits beside the status, not the buttons, so that the middle
    # column (and the window) can be narrow.
    line = QHBoxLayout()
    line.addWidget(status, 1)
    line.addWidget(switch, 0, Qt.AlignmentFlag.AlignTop)
    middle.addLayout(line)
    middle.addWidget(plots, 1)
    return middle


def side_pages(results: TrainingResults, runs: RunsPanel) -> QTabWidget:
    """The last run's result and every run kept, as pages: the history first if there is one.

    The Train tab shows the result page when a run ends.
    """
    pages = QTabWidget()
    pages.setObjectName("resultPages")
    pages.addTab(results, "Result")
    pages.addTab(runs, "Runs")
    pages.setCurrentWidget(runs if runs.model.runs else results)
    return pages
