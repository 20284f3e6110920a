"""Actions: get_report and export_ledger, happy paths and every validation error."""

from __future__ import annotations

import csv
from datetime import timedelta
import io
import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.heat_pump_zoning.const import DOMAIN

from .helpers import async_ducted_house, async_mini_split_house, async_move_time, async_set_zone

EN = json.loads(
    (
        Path(__file__).parents[2] / "custom_components/heat_pump_zoning/translations/en.json"
    ).read_text(encoding="utf-8")
)


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    """Call one of our actions and return its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def heat_living(hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float) -> None:
    """Living calls heat; the unit runs `minutes` after its 5-minute minimum off time."""
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    await async_move_time(hass, freezer, 300 + 60 * minutes)


async def test_report_of_today(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """The day's report: runtime and energy per system and zone; estimates say insufficient."""
    house = await async_ducted_house(hass, options={"duct_location": "attic"})
    await heat_living(hass, freezer, 20)
    report = await call(hass, "get_report", period="day")
    today = dt_util.now().date().isoformat()
    assert report["period"] == {"start": today, "end": today, "days": 1}
    (system,) = report["systems"]
    assert system["system_id"] == house.entry.entry_id
    assert system["name"] == "Main floor"
    assert system["topology"] == "ducted"
    assert system["runtime_hours"]["heat"] == pytest.approx(20 / 60, abs=0.02)
    assert system["cycles"]["count"] == 1
    assert system["energy"]["method"] == "estimated"
    zones = {zone["name"]: zone for zone in system["zones"]}
    assert set(zones) == {"Living", "Bedroom", "Office"}
    assert zones["Living"]["runtime_hours"]["heat"] == pytest.approx(20 / 60, abs=0.02)
    assert zones["Living"]["per_degree_day"]["kwh_per_hdd"] == {
        "value": None,
        "confidence": "insufficient",
    }
    assert system["zoning_savings"]["value"] is None
    assert system["zoning_savings"]["confidence"] == "insufficient"
    assert system["zoning_savings"]["method"]["id"] == "comfort_gap_regression"
    assert system["energy_star_savings"]["confidence"] == "insufficient"
    assert system["duct_loss"]["method"]["id"] == "duct_prior"
    assert system["duct_loss"]["confidence"] == "low"
    assert report["zone_ranking"]["zones"][0]["confidence"] == "insufficient"
    assert report["notes"]  # too little data is said, not hidden
    assert "ducted" in report["comparison"]


async def test_report_compares_a_mixed_home(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Every loaded system is in the report; config_entry_id narrows it."""
    ducted = await async_ducted_house(hass)
    mini = await async_mini_split_house(hass)
    await async_move_time(hass, freezer, 120)
    report = await call(hass, "get_report", period="week")
    assert report["period"]["days"] == 7
    assert {s["topology"] for s in report["systems"]} == {"ducted", "mini_split"}
    assert {"ducted", "mini_split"} <= set(report["comparison"])
    assert len(report["zone_ranking"]["zones"]) == 5
    only = await call(hass, "get_report", period="month", config_entry_id=mini.entry.entry_id)
    assert [s["system_id"] for s in only["systems"]] == [mini.entry.entry_id]
    assert only["period"]["days"] == 30
    both = await call(
        hass,
        "get_report",
        period="day",
        config_entry_id=[ducted.entry.entry_id, mini.entry.entry_id],
    )
    assert len(both["systems"]) == 2


async def test_report_with_dates(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Explicit dates: a start alone runs to today; start and end are both included."""
    await async_ducted_house(hass)
    await heat_living(hass, freezer, 10)
    today = dt_util.now().date()
    report = await call(hass, "get_report", start=str(today - timedelta(days=2)))
    assert report["period"]["days"] == 3
    assert report["period"]["end"] == today.isoformat()
    report = await call(
        hass, "get_report", start=str(today - timedelta(days=9)), end=str(today - timedelta(days=1))
    )
    assert report["period"]["days"] == 9
    assert report["systems"][0]["runtime_hours"]["total"] == 0


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"period": "day", "start": "2026-01-01"}, "period_and_dates"),
        ({"period": "week", "end": "2026-01-01"}, "period_and_dates"),
        ({}, "period_or_dates"),
        ({"end": "2026-01-01"}, "period_or_dates"),
        ({"start": "+2", "end": "+1"}, "start_after_end"),
        ({"start": "-1", "end": "+1"}, "future_date"),
        ({"start": "-500"}, "range_too_long"),
        ({"period": "day", "config_entry_id": "nope"}, "entry_not_found"),
        ({"period": "day", "config_entry_id": "other_domain"}, "entry_not_found"),
        ({"period": "day", "config_entry_id": "unloaded"}, "entry_not_loaded"),
    ],
)
async def test_report_validation(hass: HomeAssistant, data: dict[str, Any], key: str) -> None:
    """Each bad input raises a translated ServiceValidationError."""
    await async_ducted_house(hass)
    unloaded = MockConfigEntry(domain=DOMAIN, title="Loft", data={"topology": "mini_split"})
    unloaded.add_to_hass(hass)
    other = MockConfigEntry(domain="demo", title="Other")
    other.add_to_hass(hass)
    today = dt_util.now().date()
    data = dict(data)
    for field in ("start", "end"):
        if isinstance(data.get(field), str) and data[field][0] in "+-":
            data[field] = str(today + timedelta(days=int(data[field])))
    ids = {"unloaded": unloaded.entry_id, "other_domain": other.entry_id}
    if "config_entry_id" in data:
        data["config_entry_id"] = ids.get(data["config_entry_id"], data["config_entry_id"])
    for service in ("get_report", "export_ledger"):
        if service == "export_ledger" and key == "period_or_dates" and not data:
            continue  # export defaults to every day kept
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, **data)
        assert err.value.translation_key == key
        assert err.value.translation_domain == DOMAIN
        assert key in EN["exceptions"]


async def test_no_systems_loaded(hass: HomeAssistant) -> None:
    """Without any loaded system the actions say so."""
    assert await async_setup_component(hass, DOMAIN, {})
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "get_report", period="day")
    assert err.value.translation_key == "no_systems"


async def test_export_json_and_csv(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Daily rows per system and zone, as JSON rows or CSV text; all days kept by default."""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer, 20)
    export = await call(hass, "export_ledger", format="json")
    today = dt_util.now().date().isoformat()
    assert export["format"] == "json"
    assert export["start"] == export["end"] == today
    rows = export["rows"]
    system_row = next(r for r in rows if r["zone"] == "")
    assert system_row["system"] == house.entry.entry_id
    assert system_row["system_name"] == "Main floor"
    assert system_row["runtime_heat_min"] == pytest.approx(20, abs=1)
    living = next(r for r in rows if r["zone_name"] == "Living")
    assert living["runtime_heat_min"] == pytest.approx(20, abs=1)
    assert set(export["columns"]) == set(living)

    export = await call(hass, "export_ledger", format="csv", period="week")
    assert export["format"] == "csv"
    parsed = list(csv.DictReader(io.StringIO(export["csv"])))
    assert len(parsed) == len(rows)
    assert {r["zone_name"] for r in parsed} >= {"Living", ""}


async def test_export_to_file(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, tmp_path: Path
) -> None:
    """With a file name the export is written to the allowed heat_pump_zoning folder."""
    await async_ducted_house(hass)
    await heat_living(hass, freezer, 5)
    hass.config.config_dir = str(tmp_path)
    folder = tmp_path / "heat_pump_zoning"

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "export_ledger", format="csv", filename="ledger.csv")
    assert err.value.translation_key == "path_not_allowed"

    hass.config.allowlist_external_dirs = {str(folder)}
    export = await call(hass, "export_ledger", format="csv", filename="ledger.csv")
    assert export["path"] == str(folder / "ledger.csv")
    assert (folder / "ledger.csv").read_text(encoding="utf-8") == export["csv"]

    await hass.services.async_call(
        DOMAIN, "export_ledger", {"filename": "ledger.json"}, blocking=True
    )
    written = json.loads((folder / "ledger.json").read_text(encoding="utf-8"))
    assert written["rows"]

    for bad in ("../ledger.csv", "sub/ledger.csv", ".hidden", ""):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "export_ledger", filename=bad)
        assert err.value.translation_key == "invalid_filename"

    with (
        patch(
            "custom_components.heat_pump_zoning.services._write",
            side_effect=OSError("disk full"),
        ),
        pytest.raises(HomeAssistantError) as failed,
    ):
        await call(hass, "export_ledger", filename="ledger.csv")
    assert failed.value.translation_key == "write_failed"


@pytest.mark.parametrize("name", ["ledger.csv\n", "ledger\n", "\nledger.csv"])
async def test_export_file_name_is_checked_whole(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, tmp_path: Path, name: str
) -> None:
    """A name with a line break (even a trailing one) is refused, and nothing is written."""
    await async_ducted_house(hass)
    await heat_living(hass, freezer, 5)
    hass.config.config_dir = str(tmp_path)
    folder = tmp_path / "heat_pump_zoning"
    hass.config.allowlist_external_dirs = {str(folder)}
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "export_ledger", format="csv", filename=name)
    assert err.value.translation_key == "invalid_filename"
    assert not folder.exists()


def test_services_yaml_fields_are_translated() -> None:
    """Every action and field in services.yaml has a name and description in en.json."""
    import yaml

    services = yaml.safe_load(
        (Path(__file__).parents[2] / "custom_components/heat_pump_zoning/services.yaml").read_text(
            encoding="utf-8"
        )
    )
    for service, spec in services.items():
        translated = EN["services"][service]
        assert translated["name"]
        assert translated["description"]
        for field in spec["fields"]:
            assert translated["fields"][field]["name"]
            assert translated["fields"][field]["description"]
