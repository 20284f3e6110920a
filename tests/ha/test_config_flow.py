"""Tests of the config flow, options flow, reconfigure flow and zone subentry flow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData, section
from homeassistant.helpers import config_validation as cv, entity_registry as er
from homeassistant.helpers.selector import EntitySelector
from homeassistant.setup import async_setup_component
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.heat_pump_zoning import validation
from custom_components.heat_pump_zoning.config_flow import system_schema, zone_schema
from custom_components.heat_pump_zoning.const import DOMAIN, SUBENTRY_ZONE
from custom_components.heat_pump_zoning.engine.report.estimates import DUCT_LEAKAGE, DUCT_LOCATIONS
from custom_components.heat_pump_zoning.entry_config import build_config

pytestmark = pytest.mark.usefixtures("mock_setup_entry", "house")

EN = json.loads(
    (
        Path(__file__).parents[2] / "custom_components/heat_pump_zoning/translations/en.json"
    ).read_text(encoding="utf-8")
)


def serialize_form(schema: vol.Schema) -> list[dict[str, Any]]:
    """The fields the frontend renders, converted as Home Assistant's flow API converts them.

    `probatio.to_field_list` from 2026.10, `voluptuous_serialize.convert` before.
    """
    try:
        from probatio import to_field_list as convert
    except ImportError:
        from voluptuous_serialize import convert
    fields: list[dict[str, Any]] = convert(schema, custom_serializer=cv.custom_serializer)
    return fields


DEFAULT_PRESETS_C = {
    "home_heat": 21.0,
    "home_cool": 24.0,
    "away_heat": 16.0,
    "away_cool": 28.0,
    "sleep_heat": 18.0,
    "sleep_cool": 25.0,
    "eco_heat": 19.0,
    "eco_cool": 26.0,
}
# The presets a schedule uses, shown in the presets section (stored with a schedule only).
SCHEDULE_PRESETS = {"comfort_preset": "home", "setback_preset": "eco"}
SCHEDULE_KEYS = ("schedule", "comfort_preset", "setback_preset")

# Runtime-report settings stored with every system (the form section's defaults, °C).
# What the system form fills in when left alone (mode dwell, and the report section's settings).
REPORT_DEFAULTS = {
    "mode_dwell_minutes": 20.0,
    "degree_day_base": 18.0,
    "retention_days": 400,
    "hspf2": 7.5,
    "seer2": 14.3,
}
DUCTED_REPORT_DEFAULTS = REPORT_DEFAULTS | {"duct_leakage": "typical", "duct_r_value": 6.0}

LIVING_ZONE = {
    "name": "Living room",
    "temperature_sensor": "sensor.living_temperature",
    "dampers": ["cover.living_damper"],
    "airflow": 120.0,
    "priority": 2,
    "presets": DEFAULT_PRESETS_C,
    "boost_minutes": 60,
}
HEAD_ZONE = {
    "name": "Studio",
    "head": "climate.head_studio",
    "priority": 0,
    "presets": DEFAULT_PRESETS_C,
    "boost_minutes": 60,
}


@pytest.fixture
def house(hass: HomeAssistant) -> None:
    """Entities of other integrations that a user would pick from."""
    temperature = {"device_class": "temperature", "unit_of_measurement": "°C"}
    for entity_id in (
        "sensor.living_temperature",
        "sensor.bedroom_temperature",
        "sensor.outdoor_temperature",
    ):
        hass.states.async_set(entity_id, "20.5", temperature)
    hass.states.async_set(
        "sensor.living_humidity", "45", {"device_class": "humidity", "unit_of_measurement": "%"}
    )
    hass.states.async_set(
        "sensor.heat_pump_power", "800", {"device_class": "power", "unit_of_measurement": "W"}
    )
    hass.states.async_set("sensor.plain", "3", {})
    # Head output sensors: power in W or kW, or a level in % without a device class.
    hass.states.async_set(
        "sensor.head_studio_power", "450", {"device_class": "power", "unit_of_measurement": "W"}
    )
    hass.states.async_set("sensor.head_bedroom_kw", "0.3", {"unit_of_measurement": "kW"})
    hass.states.async_set("sensor.head_bedroom_level", "40", {"unit_of_measurement": "%"})
    hass.states.async_set("weather.home", "sunny", {"temperature": 4})
    for entity_id in (
        "climate.central",
        "climate.upstairs",
        "climate.head_living",
        "climate.head_bedroom",
        "climate.head_studio",
    ):
        hass.states.async_set(entity_id, "heat", {"current_temperature": 20.0})
    for entity_id in ("cover.living_damper", "cover.kitchen_damper"):
        hass.states.async_set(entity_id, "open", {})
    hass.states.async_set("valve.bedroom_damper", "open", {})
    hass.states.async_set("switch.office_damper", "on", {})
    hass.states.async_set("light.kitchen", "on", {})
    registry = er.async_get(hass)
    # Registered but not loaded yet: known only to the entity registry.
    registry.async_get_or_create(
        "sensor",
        "other",
        "attic",
        suggested_object_id="attic_temperature",
        original_device_class="temperature",
    )
    # A state without a device class whose registry entry carries one (user override).
    registry.async_get_or_create(
        "sensor", "other", "garage", suggested_object_id="garage_temperature"
    )
    registry.async_update_entity("sensor.garage_temperature", device_class="temperature")
    hass.states.async_set("sensor.garage_temperature", "12", {})
    registry.async_get_or_create("sensor", "other", "shed", suggested_object_id="shed_value")
    # Heat Pump Zoning's own entities: a zone thermostat and a runtime sensor of another system.
    registry.async_get_or_create("climate", DOMAIN, "zone_studio", suggested_object_id="studio")
    hass.states.async_set("climate.studio", "heat", {"current_temperature": 20.0})
    registry.async_get_or_create(
        "sensor",
        DOMAIN,
        "zone_studio_temperature",
        suggested_object_id="studio_average_temperature",
        original_device_class="temperature",
    )
    registry.async_get_or_create(
        "sensor",
        "other",
        "den_head",
        suggested_object_id="head_den_power",
        original_device_class="power",
        unit_of_measurement="W",
    )


def _ducted_entry(
    hass: HomeAssistant,
    *,
    source: str = "climate.central",
    zones: tuple[dict[str, Any], ...] = (),
    title: str = "Downstairs",
    **options: Any,
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={"topology": "ducted"},
        options={
            "source": source,
            "min_airflow_percent": 40.0,
            "min_run_minutes": 5.0,
            "min_off_minutes": 5.0,
            "tolerance": 0.3,
            **options,
        },
        subentries_data=[
            {
                "subentry_id": f"zone_{index}",
                "subentry_type": SUBENTRY_ZONE,
                "title": zone["name"],
                "unique_id": None,
                "data": zone,
            }
            for index, zone in enumerate(zones)
        ],
    )
    entry.add_to_hass(hass)
    return entry


def _mini_split_entry(
    hass: HomeAssistant, *, zones: tuple[dict[str, Any], ...] = (), title: str = "Bedrooms"
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        data={"topology": "mini_split"},
        options={"min_run_minutes": 3.0, "min_off_minutes": 3.0, "tolerance": 0.3},
        subentries_data=[
            {
                "subentry_id": f"split_{index}",
                "subentry_type": SUBENTRY_ZONE,
                "title": zone["name"],
                "unique_id": None,
                "data": zone,
            }
            for index, zone in enumerate(zones)
        ],
    )
    entry.add_to_hass(hass)
    return entry


def _suggested(schema: vol.Schema) -> dict[str, Any]:
    """Return the suggested values of a form schema (sections as nested dicts)."""
    values: dict[str, Any] = {}
    for key, value in schema.schema.items():
        if isinstance(value, section):
            if inner := _suggested(value.schema):
                values[key.schema] = inner
        elif key.description and "suggested_value" in key.description:
            values[key.schema] = key.description["suggested_value"]
    return values


def _default(schema: vol.Schema, name: str) -> Any:
    for key, value in schema.schema.items():
        if isinstance(value, section):
            with_default = {k.schema: k.default() for k in value.schema.schema}
            if name in with_default:
                return with_default[name]
        elif key.schema == name:
            return key.default()
    raise KeyError(name)


def _assert_kept(result: dict[str, Any], user_input: dict[str, Any]) -> None:
    """The form came back with everything the user typed."""
    suggested = _suggested(result["data_schema"])
    for key, value in user_input.items():
        if isinstance(value, dict):
            assert suggested[key] | value == suggested[key], key
        else:
            assert suggested[key] == value, key


async def _start_user(hass: HomeAssistant, name: str, topology: str) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": name, "topology": topology}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == topology
    assert result["errors"] == {}
    return result


# --- system: create --------------------------------------------------------------------------


async def test_create_ducted(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    """A ducted system stores topology in data and every setting in options."""
    result = await _start_user(hass, "  Main floor ", "ducted")
    assert result["description_placeholders"] == {"name": "Main floor"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "source": "climate.central",
            "min_airflow_percent": 35,
            "outdoor_temperature_sensor": "weather.home",
            "power_sensor": "sensor.heat_pump_power",
            "min_run_minutes": 6,
            "min_off_minutes": 4,
            "tolerance": 0.4,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Main floor"
    assert result["data"] == {"topology": "ducted"}
    assert result["options"] == {
        "source": "climate.central",
        "min_airflow_percent": 35.0,
        "outdoor_temperature_sensor": "weather.home",
        "power_sensor": "sensor.heat_pump_power",
        "min_run_minutes": 6.0,
        "min_off_minutes": 4.0,
        "tolerance": 0.4,
        **DUCTED_REPORT_DEFAULTS,
    }
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1


async def test_create_mini_split_with_defaults(hass: HomeAssistant) -> None:
    """A mini-split system has no source; optional settings are absent when not set."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert _default(result["data_schema"], "name") == "Heat pump"
    assert _default(result["data_schema"], "topology") == "ducted"
    result = await _start_user(hass, "Bedrooms", "mini_split")
    schema_keys = {key.schema for key in result["data_schema"].schema}
    assert "source" not in schema_keys
    assert "min_airflow_percent" not in schema_keys
    assert _default(result["data_schema"], "head_control") == "tight"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Bedrooms"
    assert result["data"] == {"topology": "mini_split"}
    assert result["options"] == {
        "min_run_minutes": 5.0,
        "min_off_minutes": 5.0,
        "tolerance": 0.5,
        "head_control": "tight",
        **REPORT_DEFAULTS,
    }


async def test_create_imperial_default_tolerance(hass: HomeAssistant) -> None:
    """In °F the default tolerance is 1.0 and the unit follows the installation."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    result = await _start_user(hass, "Heat pump", "ducted")
    assert _default(result["data_schema"], "tolerance") == 1.0
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"source": "climate.central"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {
        "source": "climate.central",
        "min_airflow_percent": 40.0,
        "min_run_minutes": 5.0,
        "min_off_minutes": 5.0,
        "tolerance": 1.0,
        **DUCTED_REPORT_DEFAULTS,
        "degree_day_base": 65.0,
    }


async def test_create_blank_name(hass: HomeAssistant) -> None:
    """A blank name is refused on its field and the form keeps the input."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    user_input = {"name": "   ", "topology": "mini_split"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"name": "name_required"}
    _assert_kept(result, user_input)


async def test_create_source_already_configured(hass: HomeAssistant) -> None:
    """The same central unit cannot become a second system: an error on its field, and the
    form keeps what was typed (no abort that loses it)."""
    _ducted_entry(hass)
    result = await _start_user(hass, "Again", "ducted")
    user_input = {"source": "climate.central", "min_airflow_percent": 55.0}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"source": "source_in_use"}
    _assert_kept(result, user_input)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input | {"source": "climate.upstairs"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


DUCTED_OK = {
    "source": "climate.upstairs",
    "min_airflow_percent": 40.0,
    "min_run_minutes": 5.0,
    "min_off_minutes": 5.0,
    "tolerance": 0.3,
}


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"source": "climate.missing"}, "source", "entity_not_found"),
        ({"source": "light.kitchen"}, "source", "wrong_domain"),
        ({"source": "climate.head_living"}, "source", "source_in_use"),
        ({"min_airflow_percent": 5}, "min_airflow_percent", "min_airflow_out_of_range"),
        ({"min_airflow_percent": 101}, "min_airflow_percent", "min_airflow_out_of_range"),
        (
            {"outdoor_temperature_sensor": "sensor.missing"},
            "outdoor_temperature_sensor",
            "entity_not_found",
        ),
        (
            {"outdoor_temperature_sensor": "light.kitchen"},
            "outdoor_temperature_sensor",
            "wrong_domain",
        ),
        (
            {"outdoor_temperature_sensor": "sensor.living_humidity"},
            "outdoor_temperature_sensor",
            "wrong_device_class",
        ),
        (
            {"outdoor_temperature_sensor": "sensor.plain"},
            "outdoor_temperature_sensor",
            "wrong_device_class",
        ),
        (
            {"outdoor_temperature_sensor": "sensor.shed_value"},
            "outdoor_temperature_sensor",
            "wrong_device_class",
        ),
        ({"power_sensor": "sensor.living_temperature"}, "power_sensor", "wrong_device_class"),
        ({"min_run_minutes": -1}, "min_run_minutes", "min_minutes_invalid"),
        ({"min_off_minutes": 61}, "min_off_minutes", "min_minutes_invalid"),
        ({"mode_dwell_minutes": 61}, "mode_dwell_minutes", "min_minutes_invalid"),
        ({"tolerance": 0}, "tolerance", "tolerance_invalid"),
        ({"tolerance": 5.5}, "tolerance", "tolerance_invalid"),
    ],
)
async def test_create_ducted_errors(
    hass: HomeAssistant, changes: dict[str, Any], field: str, error: str
) -> None:
    """Each bad setting is reported on its field, the input is kept, and fixing it works."""
    _mini_split_entry(hass, zones=({**HEAD_ZONE, "head": "climate.head_living"},))
    result = await _start_user(hass, "Upstairs", "ducted")
    user_input = DUCTED_OK | changes
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "ducted"
    assert result["errors"] == {field: error}
    _assert_kept(result, user_input)

    result = await hass.config_entries.flow.async_configure(result["flow_id"], DUCTED_OK)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == DUCTED_OK | DUCTED_REPORT_DEFAULTS


@pytest.mark.parametrize(
    "outdoor",
    ["sensor.outdoor_temperature", "weather.home", "sensor.attic_temperature"],
)
async def test_create_outdoor_sensor_kinds(hass: HomeAssistant, outdoor: str) -> None:
    """A temperature sensor (also one only in the registry) or a weather entity is fine."""
    result = await _start_user(hass, "Bedrooms", "mini_split")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"outdoor_temperature_sensor": outdoor}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"]["outdoor_temperature_sensor"] == outdoor


async def test_device_class_from_registry_override(hass: HomeAssistant) -> None:
    """A state without device class falls back to the registry's (user-set) one."""
    assert validation.entity_device_class(hass, "sensor.garage_temperature") == "temperature"
    assert validation.entity_device_class(hass, "sensor.attic_temperature") == "temperature"
    assert validation.entity_device_class(hass, "sensor.shed_value") is None
    assert validation.entity_device_class(hass, "sensor.nothing") is None
    assert (
        validation.check_entity(
            hass, "sensor.garage_temperature", validation.TEMPERATURE_SENSOR_RULE
        )
        is None
    )


REPORT_INPUT = {
    "degree_day_base": 16.5,
    "retention_days": 90,
    "rated_heating_capacity_kw": 7.0,
    "rated_cooling_capacity_kw": 6.2,
    "hspf2": 9.0,
    "seer2": 18.0,
    "duct_location": "attic",
    "duct_leakage": "leaky",
    "duct_r_value": 8.0,
    "duct_temperature_sensor": "sensor.attic_temperature",
}


async def test_create_ducted_with_report_settings(hass: HomeAssistant) -> None:
    """The report section's settings are stored flat; the options form shows them again."""
    result = await _start_user(hass, "Main floor", "ducted")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"source": "climate.central", "report": REPORT_INPUT}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == {
        "source": "climate.central",
        "min_airflow_percent": 40.0,
        "min_run_minutes": 5.0,
        "min_off_minutes": 5.0,
        "mode_dwell_minutes": 20.0,
        "tolerance": 0.5,
        **REPORT_INPUT,
    }
    entry = result["result"]
    result = await hass.config_entries.options.async_init(entry.entry_id)
    suggested = _suggested(result["data_schema"])
    assert suggested["report"] == REPORT_INPUT
    assert "degree_day_base" not in suggested


def _report_default(hass: HomeAssistant, topology: str, name: str) -> Any:
    report = next(
        value for key, value in system_schema(hass, topology).schema.items() if key == "report"
    )
    return next(key.default() for key in report.schema.schema if key.schema == name)


async def test_report_section_is_collapsed_with_unit_defaults(hass: HomeAssistant) -> None:
    """The section is collapsed; the degree-day base follows the unit; no duct keys for splits."""
    system = serialize_form(system_schema(hass, "ducted"))
    report = next(field for field in system if field["name"] == "report")
    assert report["type"] == "expandable"
    assert report["expanded"] is False
    assert {field["name"] for field in report["schema"]} >= {
        "duct_location",
        "duct_leakage",
        "duct_r_value",
        "duct_temperature_sensor",
    }
    assert _report_default(hass, "ducted", "degree_day_base") == 18.0
    assert _report_default(hass, "ducted", "duct_leakage") == "typical"
    assert _report_default(hass, "ducted", "duct_r_value") == 6.0
    hass.config.units = US_CUSTOMARY_SYSTEM
    assert _report_default(hass, "mini_split", "degree_day_base") == 65.0
    split = serialize_form(system_schema(hass, "mini_split"))
    report = next(field for field in split if field["name"] == "report")
    assert {field["name"] for field in report["schema"]} == {
        "degree_day_base",
        "retention_days",
        "rated_heating_capacity_kw",
        "rated_cooling_capacity_kw",
        "hspf2",
        "seer2",
    }
    assert set(EN["selector"]["duct_location"]["options"]) == set(DUCT_LOCATIONS)
    assert set(EN["selector"]["duct_leakage"]["options"]) == set(DUCT_LEAKAGE)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"degree_day_base": -1}, "degree_day_base_invalid"),
        ({"degree_day_base": 31}, "degree_day_base_invalid"),
        ({"retention_days": 29}, "retention_days_invalid"),
        ({"retention_days": 3651}, "retention_days_invalid"),
        ({"rated_heating_capacity_kw": 0}, "capacity_invalid"),
        ({"rated_cooling_capacity_kw": 250}, "capacity_invalid"),
        ({"hspf2": 3}, "hspf2_invalid"),
        ({"seer2": 41}, "seer2_invalid"),
        ({"duct_r_value": -1}, "duct_r_value_invalid"),
        ({"duct_r_value": 31}, "duct_r_value_invalid"),
        ({"duct_temperature_sensor": "sensor.missing"}, "entity_not_found"),
        ({"duct_temperature_sensor": "sensor.living_humidity"}, "wrong_device_class"),
    ],
)
async def test_report_settings_errors(
    hass: HomeAssistant, changes: dict[str, Any], error: str
) -> None:
    """A bad report setting is shown on the section, in the create and the options flow."""
    result = await _start_user(hass, "Main floor", "ducted")
    user_input = {"source": "climate.central", "report": REPORT_INPUT | changes}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"report": error}
    _assert_kept(result, user_input)

    split_input = {key: value for key, value in changes.items() if not key.startswith("duct")}
    if not split_input:
        return  # duct settings: ducted systems only
    entry = _mini_split_entry(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"report": split_input}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"report": error}


def test_fahrenheit_degree_day_base_range(hass: HomeAssistant) -> None:
    """In °F the base must lie between 32 and 86 °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    options = {"min_run_minutes": 5.0, "min_off_minutes": 5.0, "tolerance": 0.5}
    assert (
        validation.validate_system_options(hass, "mini_split", options | {"degree_day_base": 65.0})
        == {}
    )
    assert validation.validate_system_options(
        hass, "mini_split", options | {"degree_day_base": 20.0}
    ) == {"degree_day_base": "degree_day_base_invalid"}


# --- system: options ---------------------------------------------------------------------------


async def test_options_ducted(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    """The options flow starts from the current settings and reloads on change."""
    entry = _ducted_entry(hass, outdoor_temperature_sensor="weather.home")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert len(mock_setup_entry.mock_calls) == 1

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert _suggested(result["data_schema"]) == dict(entry.options)

    new_options = {
        "source": "climate.central",
        "min_airflow_percent": 50.0,
        "power_sensor": "sensor.heat_pump_power",
        "min_run_minutes": 10.0,
        "min_off_minutes": 8.0,
        "tolerance": 0.2,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], new_options)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    # The outdoor sensor was cleared, so it is gone.
    assert dict(entry.options) == new_options | DUCTED_REPORT_DEFAULTS
    assert entry.data == {"topology": "ducted"}
    assert len(mock_setup_entry.mock_calls) == 2


async def test_options_mini_split(hass: HomeAssistant) -> None:
    """A mini-split system's options have no source or airflow settings."""
    entry = _mini_split_entry(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert {key.schema for key in result["data_schema"].schema} == {
        "outdoor_temperature_sensor",
        "power_sensor",
        "min_run_minutes",
        "min_off_minutes",
        "mode_dwell_minutes",
        "tolerance",
        "head_control",
        "report",
    }
    assert not build_config(entry, {}, "°C").quiet_heads  # no setting: tight
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"outdoor_temperature_sensor": "sensor.outdoor_temperature", "head_control": "quiet"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(entry.options) == {
        "outdoor_temperature_sensor": "sensor.outdoor_temperature",
        "min_run_minutes": 5.0,
        "min_off_minutes": 5.0,
        "tolerance": 0.5,
        "head_control": "quiet",
        **REPORT_DEFAULTS,
    }
    assert build_config(entry, {}, "°C").quiet_heads


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"source": "climate.upstairs"}, "source", "source_in_use"),
        ({"source": "climate.head_living"}, "source", "source_in_use"),
        ({"min_airflow_percent": 9}, "min_airflow_percent", "min_airflow_out_of_range"),
        ({"power_sensor": "sensor.plain"}, "power_sensor", "wrong_device_class"),
        ({"min_run_minutes": 90}, "min_run_minutes", "min_minutes_invalid"),
    ],
)
async def test_options_errors(
    hass: HomeAssistant, changes: dict[str, Any], field: str, error: str
) -> None:
    """Options errors are shown on the field with the user's input kept."""
    entry = _ducted_entry(hass)
    _ducted_entry(hass, source="climate.upstairs", title="Upstairs")
    _mini_split_entry(hass, zones=({**HEAD_ZONE, "head": "climate.head_living"},))
    result = await hass.config_entries.options.async_init(entry.entry_id)
    user_input = dict(entry.options) | changes
    result = await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: error}
    _assert_kept(result, user_input)


# --- system: reconfigure -----------------------------------------------------------------------


async def test_reconfigure(hass: HomeAssistant, mock_setup_entry: AsyncMock) -> None:
    """Reconfigure renames the system and replaces its settings, then reloads."""
    entry = _ducted_entry(hass, power_sensor="sensor.heat_pump_power")
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert _suggested(result["data_schema"]) == {"name": "Downstairs", **entry.options}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "name": " Ground floor ",
            "source": "climate.central",
            "min_airflow_percent": 30,
            "outdoor_temperature_sensor": "sensor.outdoor_temperature",
            "min_run_minutes": 5,
            "min_off_minutes": 5,
            "tolerance": 0.3,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.title == "Ground floor"
    assert entry.data == {"topology": "ducted"}
    assert dict(entry.options) == {
        "source": "climate.central",
        "min_airflow_percent": 30.0,
        "outdoor_temperature_sensor": "sensor.outdoor_temperature",
        "min_run_minutes": 5.0,
        "min_off_minutes": 5.0,
        "tolerance": 0.3,
        **DUCTED_REPORT_DEFAULTS,
    }
    assert len(mock_setup_entry.mock_calls) == 2


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"name": ""}, {"name": "name_required"}),
        ({"source": "climate.upstairs"}, {"source": "source_in_use"}),
        (
            {"name": " ", "tolerance": -0.1},
            {"name": "name_required", "tolerance": "tolerance_invalid"},
        ),
    ],
)
async def test_reconfigure_errors(
    hass: HomeAssistant, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    """Reconfigure errors keep the input."""
    entry = _ducted_entry(hass)
    _ducted_entry(hass, source="climate.upstairs", title="Upstairs")
    result = await entry.start_reconfigure_flow(hass)
    user_input = {"name": "Downstairs", **entry.options} | changes
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    _assert_kept(result, user_input)


async def test_reconfigure_mini_split(hass: HomeAssistant) -> None:
    """A mini-split system is reconfigured without a source."""
    entry = _mini_split_entry(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Sleeping rooms", "tolerance": 0.2}
    )
    assert result["type"] is FlowResultType.ABORT
    assert entry.title == "Sleeping rooms"
    assert dict(entry.options) == {
        "min_run_minutes": 5.0,
        "min_off_minutes": 5.0,
        "tolerance": 0.2,
        "head_control": "tight",
        **REPORT_DEFAULTS,
    }


# --- zones -------------------------------------------------------------------------------------


async def _start_zone(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_ZONE), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == entry.data["topology"]  # each topology has its own form
    assert result["description_placeholders"] == {"system": entry.title}
    assert _suggested(result["data_schema"]) == {}
    return result


def _new_subentry(entry: MockConfigEntry, known: set[str]) -> Any:
    (subentry_id,) = set(entry.subentries) - known
    return entry.subentries[subentry_id]


async def test_add_ducted_zone(hass: HomeAssistant) -> None:
    """A ducted zone stores sensor, dampers, airflow, presets and boost length."""
    entry = _ducted_entry(hass)
    result = await _start_zone(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": " Kitchen ",
            "temperature_sensor": "sensor.living_temperature",
            "dampers": ["cover.kitchen_damper", "switch.office_damper", "cover.kitchen_damper"],
            "airflow": 80,
            "humidity_sensor": "sensor.living_humidity",
            "area": "kitchen",
            "priority": 3,
            "floor_area": 14.5,
            "presets": {"home_heat": 20.5, "boost_minutes": 30},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Kitchen"
    subentry = _new_subentry(entry, set())
    assert subentry.subentry_type == "zone"
    assert subentry.title == "Kitchen"
    assert subentry.unique_id is None
    assert dict(subentry.data) == {
        "name": "Kitchen",
        "temperature_sensor": "sensor.living_temperature",
        "humidity_sensor": "sensor.living_humidity",
        "area": "kitchen",
        "dampers": ["cover.kitchen_damper", "switch.office_damper"],
        "airflow": 80.0,
        "priority": 3,
        "floor_area": 14.5,
        "boost_minutes": 30,
        "presets": DEFAULT_PRESETS_C | {"home_heat": 20.5},
    }


async def test_add_mini_split_zone(hass: HomeAssistant) -> None:
    """A mini-split zone stores its head; the temperature sensor is optional."""
    entry = _mini_split_entry(hass)
    result = await _start_zone(hass, entry)
    schema_keys = {key.schema for key in result["data_schema"].schema}
    assert "dampers" not in schema_keys
    assert "airflow" not in schema_keys
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Studio", "head": "climate.head_studio", "presets": {}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(_new_subentry(entry, set()).data) == HEAD_ZONE


@pytest.mark.parametrize(
    "sensor",
    [
        "sensor.head_studio_power",  # W, device class power
        "sensor.head_bedroom_kw",  # kW, no device class
        "sensor.head_bedroom_level",  # %, no device class
        "sensor.head_den_power",  # not loaded yet: unit and class from the entity registry
    ],
)
async def test_add_mini_split_zone_with_head_output_sensor(
    hass: HomeAssistant, sensor: str
) -> None:
    """A head's power (W, kW) or output level (%) is accepted and stored."""
    entry = _mini_split_entry(hass)
    result = await _start_zone(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Studio",
            "head": "climate.head_studio",
            "head_output_sensor": sensor,
            "presets": {},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(_new_subentry(entry, set()).data) == HEAD_ZONE | {"head_output_sensor": sensor}


async def test_add_mini_split_zone_with_quiet_hours(hass: HomeAssistant) -> None:
    """Quiet hours are stored as the times of day the form gives."""
    entry = _mini_split_entry(hass)
    result = await _start_zone(hass, entry)
    assert {"quiet_start", "quiet_end"} <= {key.schema for key in result["data_schema"].schema}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Studio",
            "head": "climate.head_studio",
            "quiet_start": "22:30:00",
            "quiet_end": "06:45:00",
            "presets": {},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(_new_subentry(entry, set()).data) == HEAD_ZONE | {
        "quiet_start": "22:30:00",
        "quiet_end": "06:45:00",
    }


async def test_reconfigure_mini_split_zone_head_output_sensor(hass: HomeAssistant) -> None:
    """Editing a zone shows its head output sensor, can change it and can clear it."""
    zone = HEAD_ZONE | {"head_output_sensor": "sensor.head_studio_power"}
    entry = _mini_split_entry(hass, zones=(zone,))
    result = await entry.start_subentry_reconfigure_flow(hass, "split_0")
    suggested = _suggested(result["data_schema"])
    assert suggested["head_output_sensor"] == "sensor.head_studio_power"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], suggested | {"head_output_sensor": "sensor.living_humidity"}
    )
    assert result["errors"] == {"head_output_sensor": "head_output_invalid"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], suggested | {"head_output_sensor": "sensor.head_bedroom_level"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert entry.subentries["split_0"].data["head_output_sensor"] == "sensor.head_bedroom_level"
    result = await entry.start_subentry_reconfigure_flow(hass, "split_0")
    suggested = _suggested(result["data_schema"])
    del suggested["head_output_sensor"]
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], suggested)
    assert result["type"] is FlowResultType.ABORT
    assert dict(entry.subentries["split_0"].data) == HEAD_ZONE


async def test_add_zone_imperial_presets(hass: HomeAssistant) -> None:
    """Preset defaults and bounds follow the installation's unit (°F)."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    entry = _mini_split_entry(hass)
    result = await _start_zone(hass, entry)
    assert _default(result["data_schema"], "home_heat") == 70.0
    assert _default(result["data_schema"], "home_cool") == 75.0
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Studio", "head": "climate.head_studio", "presets": {"eco_cool": 96}},
    )
    assert result["errors"] == {"presets": "preset_range_invalid"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Studio", "head": "climate.head_studio", "presets": {"eco_cool": 95}},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert _new_subentry(entry, set()).data["presets"] == {
        "home_heat": 70.0,
        "home_cool": 75.0,
        "away_heat": 61.0,
        "away_cool": 82.0,
        "sleep_heat": 64.0,
        "sleep_cool": 77.0,
        "eco_heat": 66.0,
        "eco_cool": 95.0,
    }


async def test_reconfigure_ducted_zone(hass: HomeAssistant) -> None:
    """Editing a zone starts from its values (boost inside the presets section)."""
    entry = _ducted_entry(hass, zones=(LIVING_ZONE,))
    result = await entry.start_subentry_reconfigure_flow(hass, "zone_0")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure_ducted"
    suggested = _suggested(result["data_schema"])
    assert suggested == {
        "name": "Living room",
        "temperature_sensor": "sensor.living_temperature",
        "dampers": ["cover.living_damper"],
        "airflow": 120.0,
        "priority": 2,
        "presets": DEFAULT_PRESETS_C | SCHEDULE_PRESETS | {"boost_minutes": 60},
    }
    # Keep the own dampers, change the name's case, add a damper.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        suggested
        | {
            "name": "LIVING ROOM",
            "dampers": ["cover.living_damper", "valve.bedroom_damper"],
            "presets": suggested["presets"] | {"sleep_heat": 17.0, "boost_minutes": 90},
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    subentry = entry.subentries["zone_0"]
    assert subentry.title == "LIVING ROOM"
    assert dict(subentry.data) == LIVING_ZONE | {
        "name": "LIVING ROOM",
        "dampers": ["cover.living_damper", "valve.bedroom_damper"],
        "presets": DEFAULT_PRESETS_C | {"sleep_heat": 17.0},
        "boost_minutes": 90,
    }


async def test_reconfigure_mini_split_zone_without_presets(hass: HomeAssistant) -> None:
    """A zone stored without presets is prefilled with the defaults."""
    entry = _mini_split_entry(hass, zones=({"name": "Studio", "head": "climate.head_studio"},))
    result = await entry.start_subentry_reconfigure_flow(hass, "split_0")
    suggested = _suggested(result["data_schema"])
    assert suggested["presets"] == DEFAULT_PRESETS_C | SCHEDULE_PRESETS | {"boost_minutes": 60}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], suggested | {"temperature_sensor": "sensor.bedroom_temperature"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert dict(entry.subentries["split_0"].data) == HEAD_ZONE | {
        "temperature_sensor": "sensor.bedroom_temperature"
    }


async def _async_schedules(hass: HomeAssistant) -> None:
    """Two real schedule helpers."""
    assert await async_setup_component(
        hass,
        "schedule",
        {
            "schedule": {
                "workdays": {"name": "Workdays", "monday": [{"from": "07:00", "to": "22:00"}]},
                "nights": {"name": "Nights"},
            }
        },
    )


@pytest.mark.usefixtures("remove_schedules_at_end")
async def test_zone_with_a_schedule(hass: HomeAssistant) -> None:
    """A schedule and its two presets are stored; editing shows them; removing it drops them."""
    await _async_schedules(hass)
    entry = _ducted_entry(hass)
    result = await _start_zone(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Bedroom",
            "temperature_sensor": "sensor.bedroom_temperature",
            "dampers": ["valve.bedroom_damper"],
            "schedule": "schedule.workdays",
            "presets": {"setback_preset": "sleep"},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    subentry = _new_subentry(entry, set())
    assert {key: subentry.data.get(key) for key in SCHEDULE_KEYS} == {
        "schedule": "schedule.workdays",
        "comfort_preset": "home",
        "setback_preset": "sleep",
    }
    result = await entry.start_subentry_reconfigure_flow(hass, subentry.subentry_id)
    suggested = _suggested(result["data_schema"])
    assert suggested["schedule"] == "schedule.workdays"
    assert suggested["presets"] == DEFAULT_PRESETS_C | {
        "comfort_preset": "home",
        "setback_preset": "sleep",
        "boost_minutes": 60,
    }
    without = {key: value for key, value in suggested.items() if key != "schedule"}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], without)
    assert result["type"] is FlowResultType.ABORT
    assert not set(SCHEDULE_KEYS) & set(entry.subentries[subentry.subentry_id].data)


@pytest.mark.usefixtures("remove_schedules_at_end")
async def test_zone_schedule_errors(hass: HomeAssistant) -> None:
    """Not a schedule, no such entity, or the same preset for comfort and setback."""
    await _async_schedules(hass)
    entry = _ducted_entry(hass, zones=(LIVING_ZONE,))
    result = await entry.start_subentry_reconfigure_flow(hass, "zone_0")
    suggested = _suggested(result["data_schema"])
    for schedule, errors in (
        ("sensor.living_temperature", {"schedule": "not_a_schedule"}),
        ("schedule.nope", {"schedule": "entity_not_found"}),
        (
            "schedule.nights",
            {"presets": "schedule_presets_same"},
        ),
    ):
        user_input = suggested | {
            "schedule": schedule,
            "presets": suggested["presets"] | {"setback_preset": "home"}
            if schedule == "schedule.nights"
            else suggested["presets"],
        }
        result = await hass.config_entries.subentries.async_configure(result["flow_id"], user_input)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == errors
        _assert_kept(result, user_input)
    # The same presets without a schedule are no error: they are not used (nor stored).
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        suggested | {"presets": suggested["presets"] | {"setback_preset": "home"}},
    )
    assert result["type"] is FlowResultType.ABORT
    assert dict(entry.subentries["zone_0"].data) == LIVING_ZONE


async def test_remove_zone(hass: HomeAssistant) -> None:
    """Removing a zone subentry frees its name and dampers."""
    entry = _ducted_entry(hass, zones=(LIVING_ZONE,))
    assert hass.config_entries.async_remove_subentry(entry, "zone_0")
    assert entry.subentries == {}
    result = await _start_zone(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": "Living room",
            "temperature_sensor": "sensor.living_temperature",
            "dampers": ["cover.living_damper"],
            "presets": {},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


ZONE_INPUT = {
    "name": "Office",
    "temperature_sensor": "sensor.bedroom_temperature",
    "dampers": ["switch.office_damper"],
    "airflow": 60.0,
    "priority": 1.0,
    "presets": DEFAULT_PRESETS_C | {"boost_minutes": 45.0},
}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"name": " living ROOM "}, {"name": "duplicate_name"}),
        ({"name": "  "}, {"name": "name_required"}),
        ({"temperature_sensor": "sensor.gone"}, {"temperature_sensor": "entity_not_found"}),
        ({"temperature_sensor": "climate.upstairs"}, {"temperature_sensor": "wrong_domain"}),
        (
            {"temperature_sensor": "sensor.living_humidity"},
            {"temperature_sensor": "wrong_device_class"},
        ),
        ({"dampers": []}, {"dampers": "dampers_required"}),
        ({"dampers": ["switch.office_damper", "cover.gone"]}, {"dampers": "entity_not_found"}),
        ({"dampers": ["light.kitchen"]}, {"dampers": "wrong_domain"}),
        (
            {"dampers": ["switch.office_damper", "cover.living_damper"]},
            {"dampers": "damper_in_use"},
        ),
        ({"dampers": ["valve.bedroom_damper"]}, {"dampers": "damper_in_use"}),
        ({"airflow": 0}, {"airflow": "airflow_invalid"}),
        ({"airflow": -10}, {"airflow": "airflow_invalid"}),
        (
            {"humidity_sensor": "sensor.living_temperature"},
            {"humidity_sensor": "wrong_device_class"},
        ),
        ({"floor_area": 0}, {"floor_area": "floor_area_invalid"}),
        (
            {"presets": DEFAULT_PRESETS_C | {"home_heat": 24.5, "boost_minutes": 45.0}},
            {"presets": "preset_range_invalid"},
        ),
        (
            {"presets": DEFAULT_PRESETS_C | {"away_heat": 4.0, "boost_minutes": 45.0}},
            {"presets": "preset_range_invalid"},
        ),
    ],
)
async def test_ducted_zone_errors(
    hass: HomeAssistant, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    """Each zone problem is reported on its field and the form keeps the input."""
    entry = _ducted_entry(hass, zones=(LIVING_ZONE,))
    _ducted_entry(
        hass,
        source="climate.upstairs",
        title="Upstairs",
        zones=({**LIVING_ZONE, "name": "Bedroom", "dampers": ["valve.bedroom_damper"]},),
    )
    result = await _start_zone(hass, entry)
    user_input = {key: value for key, value in (ZONE_INPUT | changes).items() if value is not None}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "ducted"
    assert result["errors"] == errors
    _assert_kept(result, user_input)

    result = await hass.config_entries.subentries.async_configure(result["flow_id"], ZONE_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY


MINI_INPUT = {
    "name": "Guest room",
    "head": "climate.head_bedroom",
    "priority": 0.0,
    "presets": DEFAULT_PRESETS_C | {"boost_minutes": 60.0},
}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"name": "studio"}, {"name": "duplicate_name"}),
        ({"head": "climate.gone"}, {"head": "entity_not_found"}),
        ({"head": "sensor.living_temperature"}, {"head": "wrong_domain"}),
        ({"head": "climate.head_studio"}, {"head": "head_in_use"}),
        ({"head": "climate.head_living"}, {"head": "head_in_use"}),
        ({"head": "climate.central"}, {"head": "head_in_use"}),
        ({"temperature_sensor": "weather.home"}, {"temperature_sensor": "wrong_domain"}),
        ({"temperature_sensor": "sensor.plain"}, {"temperature_sensor": "wrong_device_class"}),
        ({"humidity_sensor": "sensor.gone"}, {"humidity_sensor": "entity_not_found"}),
        ({"head_output_sensor": "sensor.gone"}, {"head_output_sensor": "entity_not_found"}),
        ({"head_output_sensor": "climate.head_studio"}, {"head_output_sensor": "wrong_domain"}),
        (
            {"head_output_sensor": "sensor.living_humidity"},
            {"head_output_sensor": "head_output_invalid"},
        ),
        (
            {"head_output_sensor": "sensor.living_temperature"},
            {"head_output_sensor": "head_output_invalid"},
        ),
        ({"head_output_sensor": "sensor.plain"}, {"head_output_sensor": "head_output_invalid"}),
        (
            {"head_output_sensor": "sensor.shed_value"},
            {"head_output_sensor": "head_output_invalid"},
        ),
        ({"quiet_start": "22:00:00"}, {"quiet_end": "quiet_hours_incomplete"}),
        ({"quiet_end": "07:00:00"}, {"quiet_start": "quiet_hours_incomplete"}),
        (
            {"quiet_start": "22:00:00", "quiet_end": "22:00:30"},
            {"quiet_end": "quiet_hours_invalid"},
        ),
    ],
)
async def test_mini_split_zone_errors(
    hass: HomeAssistant, changes: dict[str, Any], errors: dict[str, str]
) -> None:
    """Heads are unique across all systems and never a central source."""
    entry = _mini_split_entry(hass, zones=(HEAD_ZONE,))
    _mini_split_entry(
        hass, title="Other", zones=({**HEAD_ZONE, "name": "Den", "head": "climate.head_living"},)
    )
    _ducted_entry(hass)
    result = await _start_zone(hass, entry)
    user_input = {key: value for key, value in (MINI_INPUT | changes).items() if value is not None}
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    _assert_kept(result, user_input)

    result = await hass.config_entries.subentries.async_configure(result["flow_id"], MINI_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_reconfigure_zone_errors(hass: HomeAssistant) -> None:
    """Editing a zone cannot take a sibling's name or another zone's damper."""
    entry = _ducted_entry(
        hass,
        zones=(
            LIVING_ZONE,
            {**LIVING_ZONE, "name": "Bedroom", "dampers": ["valve.bedroom_damper"]},
        ),
    )
    result = await entry.start_subentry_reconfigure_flow(hass, "zone_1")
    user_input = _suggested(result["data_schema"]) | {
        "name": "Living Room",
        "dampers": ["cover.living_damper"],
    }
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure_ducted"
    assert result["errors"] == {"name": "duplicate_name", "dampers": "damper_in_use"}
    _assert_kept(result, user_input)


def test_in_use_ignores_foreign_subentries(hass: HomeAssistant) -> None:
    """Only zone subentries count; the edited zone and source can be left out."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        data={"topology": "ducted"},
        options={"source": "climate.central"},
        subentries_data=[
            {
                "subentry_id": "zone_a",
                "subentry_type": SUBENTRY_ZONE,
                "title": "A",
                "unique_id": None,
                "data": {"name": "A", "dampers": ["cover.living_damper"]},
            },
            {
                "subentry_id": "other",
                "subentry_type": "schedule",
                "title": "Night",
                "unique_id": None,
                "data": {"name": "Night", "head": "climate.head_living", "dampers": ["x.y"]},
            },
        ],
    )
    entry.add_to_hass(hass)
    used = validation.entities_in_use(hass)
    assert used == validation.EntitiesInUse(
        sources=frozenset({"climate.central"}),
        heads=frozenset(),
        dampers=frozenset({"cover.living_damper"}),
    )
    used = validation.entities_in_use(hass, ignore_source_of=entry.entry_id, ignore_zone="zone_a")
    assert used == validation.EntitiesInUse(frozenset(), frozenset(), frozenset())
    assert validation.zone_names(entry) == {"a"}


# --- our own entities ------------------------------------------------------------------------


def _entity_selectors(schema: vol.Schema) -> dict[str, dict[str, Any]]:
    """Every entity selector's config in a form (sections included), by field."""
    found: dict[str, dict[str, Any]] = {}
    for key, value in schema.schema.items():
        if isinstance(value, section):
            found |= _entity_selectors(value.schema)
        elif isinstance(value, EntitySelector):
            found[key.schema] = dict(value.config)
    return found


@pytest.mark.parametrize("topology", ["ducted", "mini_split"])
async def test_own_entities_are_never_offered_as_equipment(
    hass: HomeAssistant, topology: str
) -> None:
    """No picker of a system or zone form lists a zone thermostat or runtime sensor of ours,
    and the flow refuses one sent anyway (the form never offers it)."""
    own = ["climate.studio", "sensor.studio_average_temperature"]
    for schema in (system_schema(hass, topology), zone_schema(hass, topology)):
        selectors = _entity_selectors(schema)
        assert selectors
        for field, config in selectors.items():
            assert config["exclude_entities"] == own, field
    result = await _start_user(hass, "Copy", topology)
    if topology == "ducted":
        with pytest.raises(InvalidData):
            await hass.config_entries.flow.async_configure(
                result["flow_id"], DUCTED_OK | {"source": "climate.studio"}
            )
    entry = _ducted_entry(hass) if topology == "ducted" else _mini_split_entry(hass)
    result = await _start_zone(hass, entry)
    field = "temperature_sensor" if topology == "ducted" else "head"
    with pytest.raises(InvalidData):
        await hass.config_entries.subentries.async_configure(
            result["flow_id"],
            (ZONE_INPUT if topology == "ducted" else MINI_INPUT) | {field: own[0]},
        )


async def test_own_entities_fail_validation(hass: HomeAssistant) -> None:
    """The rule behind the pickers, shared with the runtime checks: ours are `own_entity`."""
    errors = validation.validate_system_options(
        hass, "ducted", DUCTED_OK | {"source": "climate.studio"}
    )
    assert errors == {"source": "own_entity"}
    entry = _mini_split_entry(hass)
    zone = {
        **HEAD_ZONE,
        "head": "climate.studio",
        "temperature_sensor": "sensor.studio_average_temperature",
    }
    assert validation.validate_zone(hass, entry, zone) == {
        "head": "own_entity",
        "temperature_sensor": "own_entity",
    }
    assert validation.is_own_entity(hass, "climate.studio")
    assert not validation.is_own_entity(hass, "climate.central")


async def test_validation_requires_the_equipment(hass: HomeAssistant) -> None:
    """The forms mark a zone's equipment required; the shared rule checks it as well, for
    callers that do not go through a form."""
    ducted = _ducted_entry(hass)
    bare = {"name": "Bare", "airflow": 100.0, "presets": DEFAULT_PRESETS_C}
    assert validation.validate_zone(hass, ducted, bare) == {
        "temperature_sensor": "temperature_sensor_required",
        "dampers": "dampers_required",
    }
    mini_split = _mini_split_entry(hass)
    assert validation.validate_zone(hass, mini_split, bare) == {"head": "head_required"}


async def test_no_own_entities_no_exclusion(hass: HomeAssistant) -> None:
    """Before the first zone exists there is nothing to leave out of the pickers."""
    registry = er.async_get(hass)
    for entity_id in ("climate.studio", "sensor.studio_average_temperature"):
        registry.async_remove(entity_id)
    for field, config in _entity_selectors(zone_schema(hass, "ducted")).items():
        assert "exclude_entities" not in config, field


# --- strings -----------------------------------------------------------------------------------


def test_every_error_is_translated() -> None:
    """Every error key a check can return has a text where it can be shown."""
    error_keys = {
        value
        for name, value in vars(validation).items()
        if name.startswith("ERROR_") and isinstance(value, str)
    }
    system_errors = set(EN["config"]["error"])
    zone_errors = set(EN["config_subentries"]["zone"]["error"])
    assert error_keys == system_errors | zone_errors
    assert set(EN["options"]["error"]) == system_errors - {"name_required"}
    assert set(EN["config"]["abort"]) == {"reconfigure_successful"}


@pytest.mark.parametrize("topology", ["ducted", "mini_split"])
def test_every_field_is_labelled_and_described(hass: HomeAssistant, topology: str) -> None:
    """Each form field has a label and a data_description in every step that shows it."""
    system_steps = [
        EN["config"]["step"][topology],
        EN["config"]["step"]["reconfigure"],
        EN["options"]["step"]["init"],
    ]
    for key, value in system_schema(hass, topology).schema.items():
        for step in system_steps:
            if isinstance(value, section):
                report = step["sections"][key.schema]
                assert report["name"]
                for inner in value.schema.schema:
                    assert inner.schema in report["data"]
                    assert inner.schema in report["data_description"]
            else:
                assert key.schema in step["data"]
                assert key.schema in step["data_description"]
    zone = EN["config_subentries"]["zone"]
    for key, value in zone_schema(hass, topology).schema.items():
        for step_id in (topology, f"reconfigure_{topology}"):
            step = zone["step"][step_id]
            if isinstance(value, section):
                presets = step["sections"][key.schema]
                for inner in value.schema.schema:
                    assert inner.schema in presets["data"]
                    assert inner.schema in presets["data_description"]
            else:
                assert key.schema in step["data"]
                assert key.schema in step["data_description"]
    assert set(EN["selector"]["topology"]["options"]) == {"ducted", "mini_split"}


@pytest.mark.parametrize("topology", ["ducted", "mini_split"])
def test_forms_serialize_for_the_frontend(hass: HomeAssistant, topology: str) -> None:
    """The forms convert to the JSON the frontend renders (selectors, section, defaults)."""
    zone = serialize_form(zone_schema(hass, topology))
    presets = next(field for field in zone if field["name"] == "presets")
    assert presets["type"] == "expandable"
    assert presets["expanded"] is False
    assert {field["name"] for field in presets["schema"]} >= {"home_heat", "boost_minutes"}
    system = serialize_form(system_schema(hass, topology))
    tolerance = next(field for field in system if field["name"] == "tolerance")
    assert tolerance["selector"]["number"]["unit_of_measurement"] == "°C"
