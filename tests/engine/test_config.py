"""A system's engine configuration from its settings (`engine.system_config`)."""

from __future__ import annotations

import pytest

from engine.control.config import system_config
from engine.model import SystemConfig, Topology, ZoneConfig

ZONES = (ZoneConfig("a", "A", dampers=("cover.a",)),)


def test_missing_settings_take_the_defaults() -> None:
    config = system_config(Topology.DUCTED, ZONES, "°C", source="climate.unit")
    assert config == SystemConfig(Topology.DUCTED, ZONES, source="climate.unit")
    assert (config.min_airflow_percent, config.min_run, config.min_off) == (40.0, 300.0, 300.0)
    assert (config.tolerance, config.mode_dwell, config.command_interval) == (0.5, 1200.0, 60.0)
    assert (config.source_nudge, config.head_offset_limit) == (2.0, 3.0)


def test_settings_in_minutes_become_seconds() -> None:
    config = system_config(
        Topology.MINI_SPLIT,
        (),
        "°C",
        min_airflow_percent=30,
        min_run_minutes=8,
        min_off_minutes=0,
        tolerance=0.3,
        mode_dwell_minutes=45,
    )
    assert (config.min_airflow_percent, config.min_run, config.min_off) == (30, 480.0, 0.0)
    assert (config.tolerance, config.mode_dwell) == (0.3, 2700.0)


def test_fahrenheit_scales_the_tuning_constants_and_the_default_tolerance() -> None:
    """The nudge (2 K) and the largest head offset (3 K) are in °F; the tolerance is 1 °F."""
    config = system_config(Topology.DUCTED, ZONES, "°F")
    assert config.source_nudge == pytest.approx(3.6)
    assert config.head_offset_limit == pytest.approx(5.4)
    assert config.tolerance == 1.0
    assert system_config(Topology.DUCTED, ZONES, "°F", tolerance=2.0).tolerance == 2.0
