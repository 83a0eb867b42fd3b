"""The Train tab's Qt-free parts: configuration limits and JSON, the epoch series, the clock."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.training.config import LIMITS, HiddenLayer, TrainingConfig
from desktop.training.run_clock import RunClock
from desktop.training.series import EpochSeries
from desktop.training.session import EpochFigures
from nncore import EpochReport


def test_a_configuration_survives_json() -> None:
    config = TrainingConfig(hidden=(HiddenLayer(20, "tanh"),), epochs=7, seed=3, l2=0.5)
    assert TrainingConfig.from_json(config.to_json()) == config


@pytest.mark.parametrize("text", ["", "[]", "{", '{"epochs": "many"}', '{"hidden": [{"units": 1}]}',
                                  '{"epochs": 0}'])  # fmt: skip
def test_unusable_json_gives_none(text: str) -> None:
    assert TrainingConfig.from_json(text) is None


def test_json_from_another_version_keeps_what_it_can() -> None:
    old = '{"epochs": 12, "test_share": 0.2, "hidden": [{"size": 8, "activation": "relu"}]}'
    config = TrainingConfig.from_json(old)
    assert config is not None and config.epochs == 12 and config.hidden == (HiddenLayer(8),)


@pytest.mark.parametrize("name", ["epochs", "batch_size", "l2", "validation_split", "seed"])
def test_the_limits_are_the_checks(name: str) -> None:
    limit = LIMITS[name]
    kind = type(getattr(TrainingConfig(), name))
    assert not TrainingConfig().with_changes(**{name: kind(limit.high)}).problems()
    too_big = TrainingConfig().with_changes(**{name: kind(limit.high * 2 + 1)})
    assert any(limit.rule in problem for problem in too_big.problems())


def test_the_time_left_is_not_guessed_from_the_first_epoch() -> None:
    now = [0.0]
    clock = RunClock(lambda: now[0])
    now[0] = 5.0  # the first epoch includes starting the process and loading the data
    assert clock.remaining(1, 40) is None
    assert "left" not in clock.progress_text(1, 40)
    now[0] = 6.0  # then 0.5 s per epoch
    assert clock.remaining(3, 40) == pytest.approx(0.5 * 37)
    assert "left" not in clock.progress_text(40, 40)


def test_a_paused_run_does_not_age() -> None:
    now = [0.0]
    clock = RunClock(lambda: now[0])
    now[0] = 2.0
    clock.pause()
    now[0] = 60.0
    assert clock.elapsed() == 2.0
    clock.resume()
    now[0] = 61.0
    assert clock.elapsed() == 3.0


def test_epoch_series_memory_grows_geometrically_not_per_epoch() -> None:
    series = EpochSeries()
    figures = EpochFigures(EpochReport(1, 10, 0.5, 0.9, None, None, 0.01), 0.95)
    for _ in range(100):
        series.extend([figures] * 1000)
    assert series.count == 100_000
    assert series.capacity < 2 * series.count + 1024
    assert np.isnan(series["val_loss"]).all() and (series["loss"] == 0.5).all()
    assert (series["drawn_accuracy"] == 0.95).all()


def test_each_epoch_keeps_its_own_figures_and_missing_ones_are_nan() -> None:
    series = EpochSeries()
    series.extend([])
    series.extend([
        EpochFigures(EpochReport(1, 3, 0.9, None, 1.1, None, 0.01), 0.5),
        EpochFigures(EpochReport(2, 3, 0.6, 0.7, 0.8, 0.75, 0.01), None),
    ])  # fmt: skip
    series.extend([EpochFigures(EpochReport(3, 3, 0.4, 0.8, 0.7, 0.85, 0.01), 0.9)])
    assert series.count == 3
    np.testing.assert_array_equal(series["loss"], [0.9, 0.6, 0.4])
    np.testing.assert_array_equal(series["val_loss"], [1.1, 0.8, 0.7])
    np.testing.assert_array_equal(series["accuracy"], [np.nan, 0.7, 0.8])
    np.testing.assert_array_equal(series["val_accuracy"], [np.nan, 0.75, 0.85])
    np.testing.assert_array_equal(series["drawn_accuracy"], [0.5, np.nan, 0.9])


def test_chart_ranges_are_round_and_change_rarely() -> None:
    import numpy as np

    from desktop.training.chart_ranges import epoch_axis, nice_step, value_range

    assert [nice_step(span) for span in (1, 7, 30, 0.4)] == [0.2, 2, 10, 0.1]
    assert epoch_axis(3, 20) == (0.0, 20.0)  # a short run: the whole run from the start
    assert epoch_axis(300, 100_000) == (0.0, 512.0)  # a long one: doubling as it grows
    assert epoch_axis(513, 100_000) == (0.0, 1024.0)
    first = value_range(np.array([0.93, 1.37]), None)
    assert first is not None and first[0] <= 0.93 and first[1] >= 1.37
    assert value_range(np.array([1.0, 1.2]), first) == first  # still fits: unchanged
    assert value_range(np.array([np.nan]), first) == first  # nothing finite: unchanged
    grown = value_range(np.array([0.5, 2.3]), first)
    assert grown is not None and grown[0] <= 0.5 and grown[1] >= 2.3


def test_the_form_allows_only_networks_whose_model_file_can_be_opened_again() -> None:
    from desktop.training.config import MODEL_FILE_LIMIT
    from nncore.serialization import MAX_FILE_BYTES

    assert MODEL_FILE_LIMIT == MAX_FILE_BYTES  # one limit: the form's, Save's and Open's
    assert TrainingConfig().weight_count() == 65 * 256 + 257 * 128 + 129 * 10
    huge = TrainingConfig(hidden=(HiddenLayer(4096, "relu"),) * 6)
    [problem] = huge.problems()
    assert "84,213,770 weights" in problem and "256 MiB" in problem
    assert not TrainingConfig(hidden=(HiddenLayer(4096, "relu"),) * 2).problems()
