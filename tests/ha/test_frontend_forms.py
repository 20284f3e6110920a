"""The flows' forms as the frontend receives and submits them, through Home Assistant's HTTP API.

A flow test that posts complete input cannot see what the frontend does with a form: it fills
each field from the serialized schema (`suggested_value`, else `default`; a section from its
fields), refuses to submit while a required field is empty, and drops empty values. `Frontend`
below follows the frontend's own code for that (Home Assistant 2026.2:
`compute-initial-ha-form-data.ts` and `step-flow-form.ts`), so these tests catch a form that
cannot be submitted as it opens, quickly and on every Home Assistant version. The browser tests
in `e2e/` check the same in the real frontend.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.heat_pump_zoning.const import DOMAIN, SUBENTRY_ZONE

FLOW = "/api/config/config_entries/flow"
OPTIONS_FLOW = "/api/config/config_entries/options/flow"
SUBENTRY_FLOW = "/api/config/config_entries/subentries/flow"

DUCTED_DEFAULTS = {
    "source": "climate.central",
    "min_airflow_percent": 40.0,
    "min_run_minutes": 5.0,
    "min_off_minutes": 5.0,
    "mode_dwell_minutes": 20.0,
    "tolerance": 0.5,
    "degree_day_base": 18.0,
    "retention_days": 400,
    "hspf2": 7.5,
    "seer2": 14.3,
    "duct_leakage": "typical",
    "duct_r_value": 6.0,
}


def initial_data(schema: list[dict[str, Any]]) -> dict[str, Any]:
    """What the frontend puts in a form before the user touches it."""
    data: dict[str, Any] = {}
    for field in schema:
        name = field["name"]
        suggested = (field.get("description") or {}).get("suggested_value")
        if suggested is not None:
            data[name] = suggested
        elif "default" in field:
            data[name] = field["default"]
        elif field.get("type") == "expandable":
            inner = initial_data(field["schema"])
            if field.get("required") or inner:
                data[name] = inner
        elif field.get("required"):
            selector = field.get("selector", {})
            if "entity" in selector:
                data[name] = [] if selector["entity"].get("multiple") else ""
            elif "text" in selector:
                data[name] = ""
            elif "number" in selector:
                data[name] = selector["number"].get("min", 0)
    return data


def complete(schema: list[dict[str, Any]], data: dict[str, Any]) -> bool:
    """The frontend's check before it submits: no required field empty, sections too."""
    for field in schema:
        value = data.get(field["name"])
        if field.get("required") and value in ("", None):
            return False
        skipped = not field.get("required") and value is None  # an optional section not sent
        if (
            field.get("type") == "expandable"
            and not skipped
            and not complete(field["schema"], value or {})
        ):
            return False
    return True


def payload(data: dict[str, Any]) -> dict[str, Any]:
    """What the frontend posts: empty values left out."""
    return {key: value for key, value in data.items() if value not in ("", None)}


def required_fields(schema: list[dict[str, Any]]) -> set[str]:
    """Names of the required fields (sections included)."""
    names: set[str] = set()
    for field in schema:
        if field.get("type") == "expandable":
            names |= required_fields(field["schema"])
        elif field.get("required"):
            names.add(field["name"])
    return names


class Frontend:
    """Posts to the flow views like the frontend does."""

    def __init__(self, client: Any) -> None:
        """Use an authenticated test client."""
        self.client = client

    async def post(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST and return the JSON answer (a flow step)."""
        answer = await self.client.post(url, json=body)
        assert answer.status == 200, await answer.text()
        result: dict[str, Any] = await answer.json()
        return result

    async def submit_as_opened(
        self, url: str, step: dict[str, Any], choices: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Submit `step` with what the form shows, plus the user's `choices`."""
        assert step["type"] == "form", step
        data = initial_data(step["data_schema"]) | (choices or {})
        assert complete(step["data_schema"], data), (
            f"the frontend would refuse to submit {step['step_id']}: {data}"
        )
        return await self.post(f"{url}/{step['flow_id']}", payload(data))


@pytest.fixture
async def frontend(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, mock_setup_entry: AsyncMock
) -> Frontend:
    """Equipment to choose, and the config views behind an authenticated client."""
    hass.states.async_set("climate.central", "heat", {"current_temperature": 20.0})
    hass.states.async_set("climate.head", "heat", {"current_temperature": 20.0})
    for entity_id in ("sensor.living_temperature", "sensor.crawlspace_temperature"):
        hass.states.async_set(
            entity_id, "20.5", {"device_class": "temperature", "unit_of_measurement": "°C"}
        )
    hass.states.async_set("cover.living_damper", "open", {})
    assert await async_setup_component(hass, "config", {})
    return Frontend(await hass_client())


async def test_system_forms_submit_as_they_open(hass: HomeAssistant, frontend: Frontend) -> None:
    """Both topologies: only the ducted central unit needs choosing; the rest is default."""
    step = await frontend.post(FLOW, {"handler": DOMAIN})
    step = await frontend.submit_as_opened(FLOW, step, {"name": "Main floor"})
    assert step["step_id"] == "ducted"
    assert required_fields(step["data_schema"]) >= {"source", "tolerance", "degree_day_base"}
    report = next(field for field in step["data_schema"] if field["name"] == "report")
    assert "default" not in report  # a section default hides its fields' own defaults
    step = await frontend.submit_as_opened(FLOW, step, {"source": "climate.central"})
    assert step["type"] == "create_entry", step
    entry = hass.config_entries.async_get_entry(step["result"]["entry_id"])
    assert entry is not None
    assert dict(entry.options) == DUCTED_DEFAULTS

    step = await frontend.post(FLOW, {"handler": DOMAIN})
    step = await frontend.submit_as_opened(
        FLOW, step, {"name": "Upstairs", "topology": "mini_split"}
    )
    step = await frontend.submit_as_opened(FLOW, step)
    assert step["type"] == "create_entry", step


async def test_options_form_shows_and_keeps_the_saved_settings(
    hass: HomeAssistant, frontend: Frontend
) -> None:
    """Configure, saved unchanged, stores exactly what was stored (optional settings too)."""
    options = DUCTED_DEFAULTS | {
        "duct_location": "crawlspace",
        "duct_temperature_sensor": "sensor.crawlspace_temperature",
        "rated_cooling_capacity_kw": 7.0,
        "tolerance": 0.4,
    }
    entry = MockConfigEntry(domain=DOMAIN, data={"topology": "ducted"}, options=options)
    entry.add_to_hass(hass)
    step = await frontend.post(OPTIONS_FLOW, {"handler": entry.entry_id})
    assert initial_data(step["data_schema"])["report"]["duct_location"] == "crawlspace"
    step = await frontend.submit_as_opened(OPTIONS_FLOW, step)
    assert step["type"] == "create_entry", step
    assert dict(entry.options) == options


@pytest.mark.parametrize(
    ("topology", "required", "choices"),
    [
        (
            "ducted",
            {"name", "temperature_sensor", "dampers", "airflow"},
            {
                "temperature_sensor": "sensor.living_temperature",
                "dampers": ["cover.living_damper"],
            },
        ),
        ("mini_split", {"name", "head"}, {"head": "climate.head"}),
    ],
)
async def test_zone_forms_mark_the_equipment_required(
    hass: HomeAssistant,
    frontend: Frontend,
    topology: str,
    required: set[str],
    choices: dict[str, Any],
) -> None:
    """The frontend asks for a zone's equipment before submitting (no error afterwards)."""
    options = DUCTED_DEFAULTS if topology == "ducted" else {"tolerance": 0.5}
    entry = MockConfigEntry(domain=DOMAIN, data={"topology": topology}, options=options)
    entry.add_to_hass(hass)
    step = await frontend.post(SUBENTRY_FLOW, {"handler": [entry.entry_id, SUBENTRY_ZONE]})
    assert step["step_id"] == topology
    top_level = {field["name"] for field in step["data_schema"] if field.get("required")}
    assert top_level - {"priority", "presets"} == required
    assert not complete(step["data_schema"], initial_data(step["data_schema"]) | {"name": "A"})
    step = await frontend.submit_as_opened(SUBENTRY_FLOW, step, {"name": "Room"} | choices)
    assert step["type"] == "create_entry", step


async def test_the_ui_speaks_of_systems_and_zones(hass: HomeAssistant) -> None:
    """The buttons Home Assistant shows say "Add system" and "Add zone to a system", and each zone
    form describes the temperature sensor for its own kind of system (read as Home Assistant
    resolves the translations, so a misplaced key fails here)."""
    config = await async_get_translations(hass, "en", "config", [DOMAIN])
    subentries = await async_get_translations(hass, "en", "config_subentries", [DOMAIN])
    prefix = f"component.{DOMAIN}"
    assert config[f"{prefix}.config.initiate_flow.user"] == "Add system"
    zone = f"{prefix}.config_subentries.{SUBENTRY_ZONE}"
    assert subentries[f"{zone}.initiate_flow.user"] == "Add zone to a system"
    for step in ("ducted", "reconfigure_ducted"):
        help_text = subentries[f"{zone}.step.{step}.data_description.temperature_sensor"]
        assert "head" not in help_text and not help_text.startswith("Optional"), help_text
    for step in ("mini_split", "reconfigure_mini_split"):
        help_text = subentries[f"{zone}.step.{step}.data_description.temperature_sensor"]
        assert help_text.startswith("Optional") and "head" in help_text, help_text
