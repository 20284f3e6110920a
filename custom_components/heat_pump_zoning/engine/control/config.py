"""A system's engine configuration from its settings: defaults and the unit's scale decided here.

The Home Assistant layer reads the config entry's options and hands each setting over as it is
stored (`None` when it is missing or not a number); the engine benchmarks do the same with the demo
house's options, so both configure a controller the same way.
"""

from __future__ import annotations

from ..model import (
    COMMAND_INTERVAL_SECONDS,
    DEFAULT_MIN_AIRFLOW_PERCENT,
    DEFAULT_MIN_OFF_MINUTES,
    DEFAULT_MIN_RUN_MINUTES,
    DEFAULT_MODE_DWELL_MINUTES,
    HEAD_OFFSET_LIMIT_K,
    SOURCE_NUDGE_K,
    SystemConfig,
    Topology,
    ZoneConfig,
)
from ..units import default_tolerance, degrees


def system_config(
    topology: Topology,
    zones: tuple[ZoneConfig, ...],
    unit: str,
    *,
    source: str | None = None,
    min_airflow_percent: float | None = None,
    min_run_minutes: float | None = None,
    min_off_minutes: float | None = None,
    tolerance: float | None = None,
    mode_dwell_minutes: float | None = None,
    quiet_heads: bool = False,
) -> SystemConfig:
    """The engine configuration of a system in `unit` (°C or °F); None takes the default.

    The keyword arguments are named as the config entry stores the settings. The tuning constants
    (how far the ducted source's setpoint is nudged, the largest head offset) are kelvin, scaled
    to the unit's degree.
    """
    return SystemConfig(
        topology=topology,
        zones=zones,
        source=source,
        min_airflow_percent=_or(min_airflow_percent, DEFAULT_MIN_AIRFLOW_PERCENT),
        min_run=60.0 * _or(min_run_minutes, DEFAULT_MIN_RUN_MINUTES),
        min_off=60.0 * _or(min_off_minutes, DEFAULT_MIN_OFF_MINUTES),
        tolerance=_or(tolerance, default_tolerance(unit)),
        mode_dwell=60.0 * _or(mode_dwell_minutes, DEFAULT_MODE_DWELL_MINUTES),
        command_interval=COMMAND_INTERVAL_SECONDS,
        source_nudge=degrees(SOURCE_NUDGE_K, unit),
        head_offset_limit=degrees(HEAD_OFFSET_LIMIT_K, unit),
        quiet_heads=quiet_heads,
    )


def _or(value: float | None, default: float) -> float:
    return default if value is None else value
