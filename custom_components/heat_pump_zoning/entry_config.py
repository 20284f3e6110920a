"""A system's config entry read into the engine's terms: its zones, settings and ledger options.

The entry stores what the forms wrote (`config_flow`, checked by `validation`); this module only
reads it. A setting that is missing or not a number is handed to the engine as None, and the
engine's default applies (`engine.system_config`, `engine.Ledger`, `engine.EnergyModel`), so the
defaults live in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.util import dt as dt_util

from .const import (
    CONF_AIRFLOW,
    CONF_AREA,
    CONF_BOOST_MINUTES,
    CONF_COMFORT_PRESET,
    CONF_DAMPERS,
    CONF_DEGREE_DAY_BASE,
    CONF_DUCT_LEAKAGE,
    CONF_DUCT_LOCATION,
    CONF_DUCT_R_VALUE,
    CONF_DUCT_TEMPERATURE_SENSOR,
    CONF_FLOOR_AREA,
    CONF_HEAD,
    CONF_HEAD_CONTROL,
    CONF_HEAD_OUTPUT_SENSOR,
    CONF_HSPF2,
    CONF_HUMIDITY_SENSOR,
    CONF_MIN_AIRFLOW_PERCENT,
    CONF_MIN_OFF_MINUTES,
    CONF_MIN_RUN_MINUTES,
    CONF_MODE_DWELL_MINUTES,
    CONF_NAME,
    CONF_OUTDOOR_TEMPERATURE_SENSOR,
    CONF_POWER_SENSOR,
    CONF_PRESETS,
    CONF_PRIORITY,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_RATED_COOLING_CAPACITY_KW,
    CONF_RATED_HEATING_CAPACITY_KW,
    CONF_RETENTION_DAYS,
    CONF_SCHEDULE,
    CONF_SEER2,
    CONF_SETBACK_PRESET,
    CONF_SOURCE,
    CONF_TEMPERATURE_SENSOR,
    CONF_TOLERANCE,
    CONF_TOPOLOGY,
    DEFAULT_AIRFLOW,
    DEFAULT_BOOST_MINUTES,
    DEFAULT_COMFORT_PRESET,
    DEFAULT_DUCT_R_VALUE,
    DEFAULT_HSPF2,
    DEFAULT_PRIORITY,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_SEER2,
    DEFAULT_SETBACK_PRESET,
    EDITABLE_PRESETS,
    HEAD_CONTROL_QUIET,
    SUBENTRY_ZONE,
)
from .engine import (
    DEFAULT_CAPACITY_W,
    EnergyModel,
    Ledger,
    SystemConfig,
    SystemReportInput,
    Topology,
    ZoneConfig,
    finite,
    positive,
    system_config,
)


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    """A zone as configured: the engine's view plus what only the HA layer needs."""

    config: ZoneConfig
    temperature_sensor: str | None
    humidity_sensor: str | None
    area_id: str | None
    head_output_sensor: str | None = None  # mini-split: the head's power (W/kW) or level (%)
    presets: dict[str, float] = field(default_factory=dict)
    boost_minutes: float = DEFAULT_BOOST_MINUTES
    schedule: str | None = None  # a `schedule` helper: on = comfort preset, off = setback
    comfort_preset: str = DEFAULT_COMFORT_PRESET
    setback_preset: str = DEFAULT_SETBACK_PRESET
    quiet_hours: tuple[int, int] | None = None  # mini-split: (start, end), minutes of the day


def quiet_window(start: Any, end: Any) -> tuple[int, int] | None:
    """Quiet hours from stored times of day ("HH:MM[:SS]") as minutes of the day; None when
    either is missing or not a time, or both are the same minute (an empty window)."""
    minutes: list[int] = []
    for value in (start, end):
        parsed = dt_util.parse_time(value) if isinstance(value, str) else None
        if parsed is None:
            return None
        minutes.append(parsed.hour * 60 + parsed.minute)
    first, last = minutes
    return None if first == last else (first, last)


def _number(value: Any, default: float) -> float:
    number = finite(value)
    return default if number is None else number


def _preset(value: Any, default: str) -> str:
    return value if value in EDITABLE_PRESETS else default


def build_zones(entry: ConfigEntry) -> dict[str, ZoneSpec]:
    """The zones of an entry, keyed by subentry id (which is also the engine's zone id)."""
    zones: dict[str, ZoneSpec] = {}
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_ZONE:
            continue
        data = subentry.data
        sensor = data.get(CONF_TEMPERATURE_SENSOR) or None
        zones[subentry_id] = ZoneSpec(
            config=ZoneConfig(
                zone_id=subentry_id,
                name=str(data.get(CONF_NAME, subentry.title)),
                dampers=tuple(data.get(CONF_DAMPERS) or ()),
                airflow=_number(data.get(CONF_AIRFLOW), DEFAULT_AIRFLOW),
                head=data.get(CONF_HEAD) or None,
                has_room_sensor=sensor is not None,
                priority=int(_number(data.get(CONF_PRIORITY), DEFAULT_PRIORITY)),
                floor_area=_number(data.get(CONF_FLOOR_AREA), 0.0) or None,
            ),
            temperature_sensor=sensor,
            humidity_sensor=data.get(CONF_HUMIDITY_SENSOR) or None,
            area_id=data.get(CONF_AREA) or None,
            head_output_sensor=data.get(CONF_HEAD_OUTPUT_SENSOR) or None,
            presets={k: float(v) for k, v in (data.get(CONF_PRESETS) or {}).items()},
            boost_minutes=_number(data.get(CONF_BOOST_MINUTES), DEFAULT_BOOST_MINUTES),
            schedule=data.get(CONF_SCHEDULE) or None,
            comfort_preset=_preset(data.get(CONF_COMFORT_PRESET), DEFAULT_COMFORT_PRESET),
            setback_preset=_preset(data.get(CONF_SETBACK_PRESET), DEFAULT_SETBACK_PRESET),
            quiet_hours=quiet_window(data.get(CONF_QUIET_START), data.get(CONF_QUIET_END)),
        )
    return zones


def build_config(entry: ConfigEntry, zones: Mapping[str, ZoneSpec], unit: str) -> SystemConfig:
    """The engine configuration of an entry, in the system's temperature unit."""
    options = entry.options
    return system_config(
        Topology(entry.data[CONF_TOPOLOGY]),
        tuple(zone.config for zone in zones.values()),
        unit,
        source=options.get(CONF_SOURCE),
        min_airflow_percent=finite(options.get(CONF_MIN_AIRFLOW_PERCENT)),
        min_run_minutes=finite(options.get(CONF_MIN_RUN_MINUTES)),
        min_off_minutes=finite(options.get(CONF_MIN_OFF_MINUTES)),
        tolerance=finite(options.get(CONF_TOLERANCE)),
        mode_dwell_minutes=finite(options.get(CONF_MODE_DWELL_MINUTES)),
        quiet_heads=options.get(CONF_HEAD_CONTROL) == HEAD_CONTROL_QUIET,
    )


def watched_entities(entry: ConfigEntry, zones: Mapping[str, ZoneSpec]) -> set[str]:
    """Every other integration's entity the system reads (a deleted one is a repair issue)."""
    ids: set[str] = set()
    for key in (
        CONF_SOURCE,
        CONF_OUTDOOR_TEMPERATURE_SENSOR,
        CONF_POWER_SENSOR,
        CONF_DUCT_TEMPERATURE_SENSOR,
    ):
        if value := entry.options.get(key):
            ids.add(value)
    for zone in zones.values():
        ids.update(zone.config.dampers)
        for entity_id in (
            zone.config.head,
            zone.temperature_sensor,
            zone.humidity_sensor,
            zone.head_output_sensor,
            zone.schedule,
        ):
            if entity_id:
                ids.add(entity_id)
    return ids


def energy_model(
    options: Mapping[str, Any], unit: str, topology: Topology = Topology.DUCTED
) -> EnergyModel:
    """The capacity/COP model of a system from its options (defaults: 2.5 t, 7.5/14.3); a
    mini-split is an inverter (its part load is estimated)."""
    return EnergyModel(
        heating_capacity_w=1000.0
        * positive(options.get(CONF_RATED_HEATING_CAPACITY_KW), DEFAULT_CAPACITY_W / 1000.0),
        cooling_capacity_w=1000.0
        * positive(options.get(CONF_RATED_COOLING_CAPACITY_KW), DEFAULT_CAPACITY_W / 1000.0),
        hspf2=positive(options.get(CONF_HSPF2), DEFAULT_HSPF2),
        seer2=positive(options.get(CONF_SEER2), DEFAULT_SEER2),
        unit=unit,
        inverter=topology is Topology.MINI_SPLIT,
    )


def new_ledger(
    entry: ConfigEntry, config: SystemConfig, unit: str, tz: tzinfo, data: Any = None
) -> Ledger:
    """The system's ledger with the entry's report settings: new, or read from stored `data`.

    A completed cycle shorter than the minimum run time counts as a short cycle. Raises
    `LedgerDataError` for stored data that cannot be read.
    """
    options = entry.options
    base = options.get(CONF_DEGREE_DAY_BASE)
    settings: dict[str, Any] = {
        "retention_days": max(
            1, int(positive(options.get(CONF_RETENTION_DAYS), DEFAULT_RETENTION_DAYS))
        ),
        "degree_day_base": None if base is None else float(base),
        "temperature_unit": unit,
        "energy_model": energy_model(options, unit, config.topology),
        "short_cycle": config.min_run,
    }
    zone_ids = [zone.zone_id for zone in config.zones]
    if data is None:
        return Ledger(zone_ids, tz, **settings)
    return Ledger.from_dict(data, zone_ids, tz, **settings)


def report_input(
    entry: ConfigEntry, config: SystemConfig, ledger: Ledger, *, alone: bool = False
) -> SystemReportInput:
    """A system as the report sees it (`alone`: the only system Heat Pump Zoning runs)."""
    options = entry.options
    return SystemReportInput(
        system_id=entry.entry_id,
        name=entry.title,
        config=config,
        ledger=ledger,
        duct_location=options.get(CONF_DUCT_LOCATION),
        duct_leakage=options.get(CONF_DUCT_LEAKAGE),
        duct_r_value=_number(options.get(CONF_DUCT_R_VALUE), DEFAULT_DUCT_R_VALUE),
        duct_space_measured=bool(options.get(CONF_DUCT_TEMPERATURE_SENSOR)),
        alone=alone,
    )
