"""Checks on what a user configures, shared by the config flows and the runtime layer.

Every check returns an error key (translated under `config.error`, `options.error` and
`config_subentries.zone.error` in `translations/en.json`) or `None` when the value is fine,
so the same rules can back a form field, a service call or a repair issue.

The functions read Home Assistant's state machine and registries but never change anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.helpers import entity_registry as er

from .const import (
    CAPACITY_KW_RANGE,
    CONF_AIRFLOW,
    CONF_COMFORT_PRESET,
    CONF_DAMPERS,
    CONF_DEGREE_DAY_BASE,
    CONF_DUCT_R_VALUE,
    CONF_DUCT_TEMPERATURE_SENSOR,
    CONF_FLOOR_AREA,
    CONF_HEAD,
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
    DEGREE_DAY_BASE_RANGE_C,
    DOMAIN,
    DUCT_R_VALUE_RANGE,
    EDITABLE_PRESETS,
    HSPF2_RANGE,
    MIN_AIRFLOW_PERCENT_RANGE,
    RETENTION_DAYS_RANGE,
    SEER2_RANGE,
    SUBENTRY_ZONE,
    TOPOLOGY_DUCTED,
)
from .engine import (
    default_degree_day_base as unit_degree_day_base,
    default_presets,
    default_tolerance as unit_tolerance,
    setpoint_from_celsius,
)
from .entry_config import quiet_window

# Error keys (one translation each).
ERROR_ENTITY_NOT_FOUND: Final = "entity_not_found"
ERROR_WRONG_DOMAIN: Final = "wrong_domain"
ERROR_WRONG_DEVICE_CLASS: Final = "wrong_device_class"
ERROR_OWN_ENTITY: Final = "own_entity"
ERROR_SOURCE_IN_USE: Final = "source_in_use"
ERROR_HEAD_IN_USE: Final = "head_in_use"
ERROR_DAMPER_IN_USE: Final = "damper_in_use"
ERROR_DUPLICATE_NAME: Final = "duplicate_name"
ERROR_NAME_REQUIRED: Final = "name_required"
ERROR_AIRFLOW_INVALID: Final = "airflow_invalid"
ERROR_FLOOR_AREA_INVALID: Final = "floor_area_invalid"
ERROR_MIN_AIRFLOW_OUT_OF_RANGE: Final = "min_airflow_out_of_range"
ERROR_DAMPERS_REQUIRED: Final = "dampers_required"
ERROR_TEMPERATURE_SENSOR_REQUIRED: Final = "temperature_sensor_required"
ERROR_HEAD_REQUIRED: Final = "head_required"
ERROR_PRESET_RANGE_INVALID: Final = "preset_range_invalid"
ERROR_MIN_MINUTES_INVALID: Final = "min_minutes_invalid"
ERROR_TOLERANCE_INVALID: Final = "tolerance_invalid"
ERROR_DEGREE_DAY_BASE_INVALID: Final = "degree_day_base_invalid"
ERROR_RETENTION_DAYS_INVALID: Final = "retention_days_invalid"
ERROR_CAPACITY_INVALID: Final = "capacity_invalid"
ERROR_HSPF2_INVALID: Final = "hspf2_invalid"
ERROR_SEER2_INVALID: Final = "seer2_invalid"
ERROR_DUCT_R_VALUE_INVALID: Final = "duct_r_value_invalid"
ERROR_HEAD_OUTPUT_INVALID: Final = "head_output_invalid"
ERROR_NOT_A_SCHEDULE: Final = "not_a_schedule"
ERROR_SCHEDULE_PRESETS_SAME: Final = "schedule_presets_same"
ERROR_QUIET_HOURS_INCOMPLETE: Final = "quiet_hours_incomplete"
ERROR_QUIET_HOURS_INVALID: Final = "quiet_hours_invalid"

MAX_MIN_MINUTES: Final = 60.0
MAX_TOLERANCE: Final = 5.0
# Setpoints outside this band (°C) are typing mistakes, not preferences.
PRESET_SETPOINT_RANGE_C: Final = (5.0, 35.0)

# What an entity may be: domain -> allowed device classes (None: any device class).
type EntityRule = Mapping[str, frozenset[str] | None]

CLIMATE_RULE: Final[EntityRule] = {"climate": None}
TEMPERATURE_SENSOR_RULE: Final[EntityRule] = {"sensor": frozenset({"temperature"})}
HUMIDITY_SENSOR_RULE: Final[EntityRule] = {"sensor": frozenset({"humidity"})}
POWER_SENSOR_RULE: Final[EntityRule] = {"sensor": frozenset({"power"})}
OUTDOOR_SENSOR_RULE: Final[EntityRule] = {"sensor": frozenset({"temperature"}), "weather": None}
DAMPER_RULE: Final[EntityRule] = {"cover": None, "valve": None, "switch": None}
SCHEDULE_RULE: Final[EntityRule] = {"schedule": None}
# A head output sensor: its unit -> the device classes it may have (None: no device class).
HEAD_OUTPUT_UNITS: Final[Mapping[str, frozenset[str | None]]] = {
    UnitOfPower.WATT: frozenset({"power", None}),
    UnitOfPower.KILO_WATT: frozenset({"power", None}),
    PERCENTAGE: frozenset({None}),
}


def temperature_unit(hass: HomeAssistant) -> UnitOfTemperature:
    """Return the unit the system's setpoints and tolerance are expressed in."""
    return hass.config.units.temperature_unit


def default_tolerance(hass: HomeAssistant) -> float:
    """Return the default hysteresis in the installation's temperature unit."""
    return unit_tolerance(temperature_unit(hass))


def default_degree_day_base(hass: HomeAssistant) -> float:
    """Return the conventional degree-day base, 18 °C or 65 °F, in the installation's unit."""
    return unit_degree_day_base(temperature_unit(hass))


def default_preset_setpoints(unit: UnitOfTemperature) -> dict[str, float]:
    """Return the default `presets` mapping (`home_heat`, `home_cool`, ...) in `unit`."""
    return default_presets(unit)


def entity_device_class(hass: HomeAssistant, entity_id: str) -> str | None:
    """Return the device class from the state, else from the entity registry."""
    if (state := hass.states.get(entity_id)) is not None and (
        device_class := state.attributes.get(ATTR_DEVICE_CLASS)
    ):
        return str(device_class)
    if (entry := er.async_get(hass).async_get(entity_id)) is not None:
        return entry.device_class or entry.original_device_class
    return None


def entity_exists(hass: HomeAssistant, entity_id: str) -> bool:
    """Return True if the entity has a state or is registered (e.g. not loaded yet)."""
    return hass.states.get(entity_id) is not None or (
        er.async_get(hass).async_get(entity_id) is not None
    )


def own_entities(hass: HomeAssistant) -> list[str]:
    """This integration's own entities (zone thermostats, runtime sensors), sorted."""
    registry = er.async_get(hass)
    return sorted(
        entry.entity_id for entry in registry.entities.values() if entry.platform == DOMAIN
    )


def is_own_entity(hass: HomeAssistant, entity_id: str) -> bool:
    """True for an entity of this integration: never equipment or a sensor of a zone."""
    entry = er.async_get(hass).async_get(entity_id)
    return entry is not None and entry.platform == DOMAIN


def check_entity(hass: HomeAssistant, entity_id: str, rule: EntityRule) -> str | None:
    """Check that `entity_id` exists, is not our own, and has an allowed domain and class."""
    if not entity_exists(hass, entity_id):
        return ERROR_ENTITY_NOT_FOUND
    if is_own_entity(hass, entity_id):
        return ERROR_OWN_ENTITY
    domain = split_entity_id(entity_id)[0]
    if domain not in rule:
        return ERROR_WRONG_DOMAIN
    device_classes = rule[domain]
    if device_classes is not None and entity_device_class(hass, entity_id) not in device_classes:
        return ERROR_WRONG_DEVICE_CLASS
    return None


def entity_unit(hass: HomeAssistant, entity_id: str) -> str | None:
    """Return the unit of measurement from the state, else from the entity registry."""
    if (state := hass.states.get(entity_id)) is not None and (
        unit := state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    ):
        return str(unit)
    if (entry := er.async_get(hass).async_get(entity_id)) is not None:
        return entry.unit_of_measurement
    return None


def check_head_output_sensor(hass: HomeAssistant, entity_id: str) -> str | None:
    """Check a head output sensor: a sensor of power (W, kW) or of an output level (%).

    A % sensor must not carry a device class (a humidity or battery sensor is no output level).
    """
    if error := check_entity(hass, entity_id, {"sensor": None}):
        return error
    allowed = HEAD_OUTPUT_UNITS.get(entity_unit(hass, entity_id) or "")
    if allowed is None or entity_device_class(hass, entity_id) not in allowed:
        return ERROR_HEAD_OUTPUT_INVALID
    return None


def check_min_airflow_percent(value: float) -> str | None:
    """Check the lowest share of design airflow that must stay open."""
    low, high = MIN_AIRFLOW_PERCENT_RANGE
    return None if low <= value <= high else ERROR_MIN_AIRFLOW_OUT_OF_RANGE


def check_min_minutes(value: float) -> str | None:
    """Check a compressor protection time (minimum run or off time)."""
    return None if 0 <= value <= MAX_MIN_MINUTES else ERROR_MIN_MINUTES_INVALID


def check_tolerance(value: float) -> str | None:
    """Check the hysteresis around the target: positive and small."""
    return None if 0 < value <= MAX_TOLERANCE else ERROR_TOLERANCE_INVALID


def check_degree_day_base(value: float, unit: UnitOfTemperature) -> str | None:
    """Check a degree-day base temperature (0–30 °C, 32–86 °F)."""
    low, high = (setpoint_from_celsius(limit, unit) for limit in DEGREE_DAY_BASE_RANGE_C)
    return None if low <= value <= high else ERROR_DEGREE_DAY_BASE_INVALID


def check_retention_days(value: float) -> str | None:
    """Check how many days of the runtime ledger are kept."""
    low, high = RETENTION_DAYS_RANGE
    return None if low <= value <= high else ERROR_RETENTION_DAYS_INVALID


def check_capacity(value: float) -> str | None:
    """Check a rated heating or cooling capacity in kW."""
    low, high = CAPACITY_KW_RANGE
    return None if low <= value <= high else ERROR_CAPACITY_INVALID


def check_duct_r_value(value: float) -> str | None:
    """Check a duct insulation R-value (h·ft²·°F/Btu)."""
    low, high = DUCT_R_VALUE_RANGE
    return None if low <= value <= high else ERROR_DUCT_R_VALUE_INVALID


def check_efficiency(value: float, key: str) -> str | None:
    """Check a seasonal efficiency rating (`hspf2` or `seer2`) against its plausible range."""
    low, high = HSPF2_RANGE if key == CONF_HSPF2 else SEER2_RANGE
    if low <= value <= high:
        return None
    return ERROR_HSPF2_INVALID if key == CONF_HSPF2 else ERROR_SEER2_INVALID


def check_airflow(value: float) -> str | None:
    """Check a zone's design airflow (any consistent unit, must be positive)."""
    return None if value > 0 else ERROR_AIRFLOW_INVALID


def check_floor_area(value: float) -> str | None:
    """Check a zone's floor area in m² (must be positive)."""
    return None if value > 0 else ERROR_FLOOR_AREA_INVALID


def check_presets(presets: Mapping[str, float], unit: UnitOfTemperature) -> str | None:
    """Check every preset: heat setpoint <= cool setpoint, both within a sane band."""
    low, high = (setpoint_from_celsius(limit, unit) for limit in PRESET_SETPOINT_RANGE_C)
    for preset in EDITABLE_PRESETS:
        heat = presets[f"{preset}_heat"]
        cool = presets[f"{preset}_cool"]
        if not low <= heat <= cool <= high:
            return ERROR_PRESET_RANGE_INVALID
    return None


@dataclass(frozen=True, slots=True)
class EntitiesInUse:
    """Entities that Heat Pump Zoning already controls, across all its entries."""

    sources: frozenset[str]
    heads: frozenset[str]
    dampers: frozenset[str]


def entities_in_use(
    hass: HomeAssistant,
    *,
    ignore_source_of: str | None = None,
    ignore_zone: str | None = None,
) -> EntitiesInUse:
    """Collect sources, heads and dampers of all entries of this integration.

    `ignore_source_of` (an entry id) leaves out that entry's own source, `ignore_zone`
    (a subentry id) leaves out that zone: the thing being edited may keep its entities.
    """
    sources: set[str] = set()
    heads: set[str] = set()
    dampers: set[str] = set()
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.entry_id != ignore_source_of and (source := entry.options.get(CONF_SOURCE)):
            sources.add(source)
        for subentry in entry.subentries.values():
            if subentry.subentry_type != SUBENTRY_ZONE or subentry.subentry_id == ignore_zone:
                continue
            if head := subentry.data.get(CONF_HEAD):
                heads.add(head)
            dampers.update(subentry.data.get(CONF_DAMPERS, ()))
    return EntitiesInUse(frozenset(sources), frozenset(heads), frozenset(dampers))


def validate_system_options(
    hass: HomeAssistant,
    topology: str,
    options: Mapping[str, Any],
    *,
    entry_id: str | None = None,
) -> dict[str, str]:
    """Validate an entry's system settings (stored `entry.options` shape).

    `entry_id` is the entry being edited (None while creating one). Returns field -> error key.
    """
    errors: dict[str, str] = {}
    if topology == TOPOLOGY_DUCTED:
        source: str = options[CONF_SOURCE]
        if error := check_entity(hass, source, CLIMATE_RULE):
            errors[CONF_SOURCE] = error
        else:
            used = entities_in_use(hass, ignore_source_of=entry_id)
            if source in used.sources or source in used.heads:
                errors[CONF_SOURCE] = ERROR_SOURCE_IN_USE
        if error := check_min_airflow_percent(options[CONF_MIN_AIRFLOW_PERCENT]):
            errors[CONF_MIN_AIRFLOW_PERCENT] = error
    for key, rule in (
        (CONF_OUTDOOR_TEMPERATURE_SENSOR, OUTDOOR_SENSOR_RULE),
        (CONF_POWER_SENSOR, POWER_SENSOR_RULE),
    ):
        if (entity_id := options.get(key)) and (error := check_entity(hass, entity_id, rule)):
            errors[key] = error
    for key in (CONF_MIN_RUN_MINUTES, CONF_MIN_OFF_MINUTES, CONF_MODE_DWELL_MINUTES):
        # mode dwell is absent from entries created before it was a setting
        if key in options and (error := check_min_minutes(options[key])):
            errors[key] = error
    if error := check_tolerance(options[CONF_TOLERANCE]):
        errors[CONF_TOLERANCE] = error
    return errors | _report_errors(hass, options)


def _report_errors(hass: HomeAssistant, options: Mapping[str, Any]) -> dict[str, str]:
    """Errors of the runtime-report settings (each is optional in the stored options)."""
    checks: dict[str, Callable[[float], str | None]] = {
        CONF_DEGREE_DAY_BASE: lambda v: check_degree_day_base(v, temperature_unit(hass)),
        CONF_RETENTION_DAYS: check_retention_days,
        CONF_RATED_HEATING_CAPACITY_KW: check_capacity,
        CONF_RATED_COOLING_CAPACITY_KW: check_capacity,
        CONF_HSPF2: lambda v: check_efficiency(v, CONF_HSPF2),
        CONF_SEER2: lambda v: check_efficiency(v, CONF_SEER2),
        CONF_DUCT_R_VALUE: check_duct_r_value,
    }
    errors: dict[str, str] = {}
    for key, check in checks.items():
        if (value := options.get(key)) is not None and (error := check(value)):
            errors[key] = error
    if (entity_id := options.get(CONF_DUCT_TEMPERATURE_SENSOR)) and (
        error := check_entity(hass, entity_id, TEMPERATURE_SENSOR_RULE)
    ):
        errors[CONF_DUCT_TEMPERATURE_SENSOR] = error
    return errors


def zone_names(entry: ConfigEntry, *, ignore_zone: str | None = None) -> set[str]:
    """Return the casefolded names of an entry's zones, leaving out `ignore_zone`."""
    return {
        str(subentry.data.get(CONF_NAME, subentry.title)).strip().casefold()
        for subentry in entry.subentries.values()
        if subentry.subentry_type == SUBENTRY_ZONE and subentry.subentry_id != ignore_zone
    }


def validate_zone(
    hass: HomeAssistant,
    entry: ConfigEntry,
    zone: Mapping[str, Any],
    *,
    subentry_id: str | None = None,
) -> dict[str, str]:
    """Validate one zone (stored subentry `data` shape) of the system `entry`.

    `subentry_id` is the zone being edited (None while adding one). Returns field -> error
    key; preset problems are reported on the `presets` section.
    """
    errors: dict[str, str] = {}
    name = str(zone.get(CONF_NAME, "")).strip()
    if not name:
        errors[CONF_NAME] = ERROR_NAME_REQUIRED
    elif name.casefold() in zone_names(entry, ignore_zone=subentry_id):
        errors[CONF_NAME] = ERROR_DUPLICATE_NAME
    used = entities_in_use(hass, ignore_zone=subentry_id)
    if entry.data[CONF_TOPOLOGY] == TOPOLOGY_DUCTED:
        errors |= _ducted_zone_errors(hass, zone, used)
    else:
        errors |= _mini_split_zone_errors(hass, zone, used)
    for key, rule in (
        (CONF_TEMPERATURE_SENSOR, TEMPERATURE_SENSOR_RULE),
        (CONF_HUMIDITY_SENSOR, HUMIDITY_SENSOR_RULE),
    ):
        if (entity_id := zone.get(key)) and (error := check_entity(hass, entity_id, rule)):
            errors[key] = error
    if (floor_area := zone.get(CONF_FLOOR_AREA)) is not None and (
        error := check_floor_area(floor_area)
    ):
        errors[CONF_FLOOR_AREA] = error
    if error := check_presets(zone[CONF_PRESETS], temperature_unit(hass)):
        errors[CONF_PRESETS] = error
    return errors | _schedule_errors(hass, zone) | _quiet_hours_errors(zone)


def _quiet_hours_errors(zone: Mapping[str, Any]) -> dict[str, str]:
    """Quiet hours: a start and an end, both times of day, not the same."""
    start, end = zone.get(CONF_QUIET_START), zone.get(CONF_QUIET_END)
    if not start and not end:
        return {}
    if not start or not end:
        return {CONF_QUIET_END if start else CONF_QUIET_START: ERROR_QUIET_HOURS_INCOMPLETE}
    if quiet_window(start, end) is None:
        return {CONF_QUIET_END: ERROR_QUIET_HOURS_INVALID}
    return {}


def _schedule_errors(hass: HomeAssistant, zone: Mapping[str, Any]) -> dict[str, str]:
    """A schedule helper, and a comfort preset other than the setback preset."""
    if not (schedule := zone.get(CONF_SCHEDULE)):
        return {}
    errors: dict[str, str] = {}
    if error := check_entity(hass, schedule, SCHEDULE_RULE):
        errors[CONF_SCHEDULE] = ERROR_NOT_A_SCHEDULE if error == ERROR_WRONG_DOMAIN else error
    if zone.get(CONF_COMFORT_PRESET) == zone.get(CONF_SETBACK_PRESET):
        errors[CONF_PRESETS] = ERROR_SCHEDULE_PRESETS_SAME
    return errors


def _ducted_zone_errors(
    hass: HomeAssistant, zone: Mapping[str, Any], used: EntitiesInUse
) -> dict[str, str]:
    """A ducted zone: a room sensor, dampers no other zone uses, a positive airflow."""
    errors: dict[str, str] = {}
    if not zone.get(CONF_TEMPERATURE_SENSOR):
        errors[CONF_TEMPERATURE_SENSOR] = ERROR_TEMPERATURE_SENSOR_REQUIRED
    if dampers := list(zone.get(CONF_DAMPERS, ())):
        if error := _first_error(hass, dampers, DAMPER_RULE):
            errors[CONF_DAMPERS] = error
        elif used.dampers.intersection(dampers):
            errors[CONF_DAMPERS] = ERROR_DAMPER_IN_USE
    else:
        errors[CONF_DAMPERS] = ERROR_DAMPERS_REQUIRED
    if error := check_airflow(zone[CONF_AIRFLOW]):
        errors[CONF_AIRFLOW] = error
    return errors


def _mini_split_zone_errors(
    hass: HomeAssistant, zone: Mapping[str, Any], used: EntitiesInUse
) -> dict[str, str]:
    """A mini-split zone: a head no system uses, and a valid head output sensor if any."""
    errors: dict[str, str] = {}
    if head := zone.get(CONF_HEAD):
        if error := check_entity(hass, head, CLIMATE_RULE):
            errors[CONF_HEAD] = error
        elif head in used.heads or head in used.sources:
            errors[CONF_HEAD] = ERROR_HEAD_IN_USE
    else:
        errors[CONF_HEAD] = ERROR_HEAD_REQUIRED
    if (output := zone.get(CONF_HEAD_OUTPUT_SENSOR)) and (
        error := check_head_output_sensor(hass, output)
    ):
        errors[CONF_HEAD_OUTPUT_SENSOR] = error
    return errors


def _first_error(hass: HomeAssistant, entity_ids: list[str], rule: EntityRule) -> str | None:
    """Return the first entity error among `entity_ids`."""
    for entity_id in entity_ids:
        if error := check_entity(hass, entity_id, rule):
            return error
    return None
