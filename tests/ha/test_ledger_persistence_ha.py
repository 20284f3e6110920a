"""The ledger in Home Assistant: saved within a minute, on unload and on the final write,
restored on start, and a damaged file starts a new ledger with a repair issue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest

from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.diagnostics import async_get_config_entry_diagnostics

from .fakes import set_temperature_sensor
from .helpers import async_ducted_house, async_move_time, async_set_zone


def stored(hass_storage: dict[str, Any], entry_id: str) -> dict[str, Any]:
    """The data of an entry's storage file."""
    data: dict[str, Any] = hass_storage[f"{DOMAIN}.{entry_id}"]["data"]
    return data


def number(hass: HomeAssistant, entity_id: str) -> float:
    """A sensor's numeric state."""
    state = hass.states.get(entity_id)
    assert state is not None
    return float(state.state)


async def heat_living(hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float) -> None:
    """Living calls heat; the unit runs `minutes` after its 5-minute minimum off time."""
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    await async_move_time(hass, freezer, 300 + 60 * minutes)


async def test_ledger_saved_within_a_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """What ran is in the storage file at most a minute later, next to the controller memory."""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer, 10)
    await async_move_time(hass, freezer, 61)
    data = stored(hass_storage, house.entry.entry_id)
    assert "memory" in data
    ledger = data["ledger"]
    assert ledger["schema"] == 2
    assert ledger["lifetime"]["runtime_s"] >= 10 * 60
    assert ledger["last"]["sample"]["running"] is True


async def test_saved_within_a_minute_while_readings_arrive_every_20_s(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """Every decision asks for a save; asking again must not push the write back. With a room
    sensor reporting every 20 s, the file is written within 60 s of the first change after
    each write, round after round (it used to wait for a quiet minute that never came)."""
    house = await async_ducted_house(hass)
    key = f"{DOMAIN}.{house.entry.entry_id}"
    await heat_living(hass, freezer, 2)
    reading = 20.0
    for _round in range(6):
        await async_move_time(hass, freezer, 61)  # any pending write has happened
        hass_storage.pop(key, None)
        written_after: int | None = None
        for elapsed in (20, 40, 60):  # a change at 0 (the first after the write), 20 and 40 s
            reading = 20.1 if reading == 20.0 else 20.0
            set_temperature_sensor(hass, "sensor.bedroom_temperature", reading)
            await async_move_time(hass, freezer, 20, step=20)
            if key in hass_storage:
                written_after = elapsed
                break
        assert written_after is not None, "not written within 60 s of the first change"
        assert stored(hass_storage, house.entry.entry_id)["ledger"]["lifetime"]["runtime_s"] > 0


async def test_energy_never_drops_across_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """Reloading the entry restores the ledger: lifetime energy and today's runtime continue."""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer, 20)
    energy = number(hass, "sensor.living_energy")
    runtime = number(hass, "sensor.living_runtime_today")
    assert energy > 0
    await hass.config_entries.async_reload(house.entry.entry_id)
    await hass.async_block_till_done()
    assert number(hass, "sensor.living_energy") >= energy
    assert number(hass, "sensor.living_runtime_today") >= runtime
    assert stored(hass_storage, house.entry.entry_id)["ledger"]["lifetime"]["kwh"] >= energy
    await async_move_time(hass, freezer, 120)
    assert number(hass, "sensor.living_energy") > energy


async def test_ledger_restored_from_storage(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A ledger written by an earlier run is read back: its lifetime energy shows at once."""
    house = await async_ducted_house(hass, setup=False)
    zone_id = next(sid for sid, sub in house.entry.subentries.items() if sub.title == "Office")
    hass_storage[f"{DOMAIN}.{house.entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{house.entry.entry_id}",
        "data": {
            "memory": None,
            "ledger": {
                "schema": 1,
                "lifetime": {"kwh": 12.5, "runtime_s": 7200.0, "cycles": 3},
                "zone_lifetime": {zone_id: {"kwh": 4.25, "runtime_s": 3600.0}},
            },
        },
    }
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    assert number(hass, "sensor.main_floor_energy") == 12.5
    assert number(hass, "sensor.office_energy") == 4.25
    assert number(hass, "sensor.living_energy") == 0


@pytest.mark.parametrize(
    "ledger",
    [
        "garbage",
        {"schema": "one"},
        {"schema": 1, "lifetime": {"kwh": -5}},
        {"schema": 1, "days": {"not a date": {}}},
    ],
)
async def test_damaged_ledger_starts_fresh_with_repair(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    ledger: Any,
) -> None:
    """Unreadable ledger data: a new ledger, a warning and a repair issue; control carries on."""
    house = await async_ducted_house(hass, setup=False)
    key = f"{DOMAIN}.{house.entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {"memory": None, "ledger": ledger},
    }
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    assert "cannot be read" in caplog.text
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"ledger_reset_{house.entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == "ledger_reset"
    assert issue.translation_placeholders == {"system": "Main floor"}
    assert number(hass, "sensor.main_floor_energy") == 0
    assert hass.states.get("climate.living") is not None


@pytest.mark.parametrize("data", ["a string", [1, 2, 3], 42, True])
async def test_storage_file_that_is_not_an_object_starts_fresh_with_repair(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    data: Any,
) -> None:
    """Valid JSON that is not an object: the system loads with a fresh ledger and no protection
    memory, a warning and a repair say so, every zone is there, and the next save repairs it."""
    house = await async_ducted_house(hass, setup=False)
    key = f"{DOMAIN}.{house.entry.entry_id}"
    hass_storage[key] = {"version": 2, "minor_version": 1, "key": key, "data": data}
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    assert "cannot be read" in caplog.text
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"storage_reset_{house.entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == "storage_reset"
    assert issue.translation_placeholders == {"system": "Main floor"}
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state != "unavailable"
    assert number(hass, "sensor.main_floor_energy") == 0
    await heat_living(hass, freezer, 5)
    await async_move_time(hass, freezer, 61)
    saved = stored(hass_storage, house.entry.entry_id)
    assert saved["ledger"]["lifetime"]["runtime_s"] > 0
    assert saved["memory"]["last_start"] is not None


@pytest.mark.parametrize("pending", [True, False])
async def test_final_write_saves_the_last_minute(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    pending: bool,
) -> None:
    """On Home Assistant's final write the ledger is booked up to then and written, once.

    With a delayed save pending (a sample booked since the last write) and without one.
    """
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer, 10)
    await async_move_time(hass, freezer, 61)
    if pending:
        await async_move_time(hass, freezer, 40, step=40)
    saved = stored(hass_storage, house.entry.entry_id)["ledger"]["lifetime"]["runtime_s"]
    hass.set_state(CoreState.stopping)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    freezer.tick(30)  # nothing runs while stopping: the final write books these seconds
    hass.set_state(CoreState.final_write)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    hass.set_state(CoreState.running)
    data = stored(hass_storage, house.entry.entry_id)
    assert data["ledger"]["lifetime"]["runtime_s"] >= saved + (70 if pending else 30)
    assert "Unable to remove unknown job listener" not in caplog.text


async def test_diagnostics_include_ledger_summary(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Diagnostics show days kept, settings and lifetime counters of the ledger."""
    house = await async_ducted_house(hass, options={"retention_days": 90, "degree_day_base": 16})
    await heat_living(hass, freezer, 5)
    diagnostics = await async_get_config_entry_diagnostics(hass, house.entry)
    ledger = diagnostics["runtime"]["ledger"]
    assert ledger["days_kept"] >= 1
    assert ledger["retention_days"] == 90
    assert ledger["degree_day_base"] == 16
    assert ledger["lifetime"]["runtime_s"] == pytest.approx(300, abs=60)
    assert set(ledger["zone_lifetime"]) == set(house.entry.subentries)


def v1_day(living: str, office: str) -> dict[str, Any]:
    """A day as storage version 1 wrote it: full-precision floats, verbose keys."""
    return {
        "system": {
            "observed_s": 86400.0,
            "blower_s": 7200.43,
            "runtime_s": {"heat": 7200.43},
            "cycles": {"heat": {"starts": 3, "completed": 3, "total_s": 7200.43, "min_s": 1200.21,
                                "max_s": 3600.14, "histogram": [0, 0, 1, 1, 1, 0]}},
            "measured_kwh": 3.1415926,
            "kwh": {"heat": 3.1415926},
            "hdd": 10.1234567,
            "outdoor_integral": 682933.47,
            "outdoor_s": 86400.0,
        },
        "zones": {
            living: {
                "calling_s": {"heat": 9000.74},
                "conditioned_s": {"heat": 7200.43},
                "runtime_s": {"heat": 5400.32},
                "measured_kwh": 2.3561944,
                "kwh": {"heat": 2.3561944},
                "temperature_integral": 1814400.56,
                "temperature_s": 86400.0,
            },
            office: {
                "conditioned_s": {"heat": 7200.43},
                "runtime_s": {"heat": 1800.11},
                "measured_kwh": 0.7853982,
                "kwh": {"heat": 0.7853982},
            },
        },
    }  # fmt: skip


async def test_version_1_file_is_migrated_with_the_same_totals(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """A file written by storage version 1 loads with the same figures and is then compacted."""
    house = await async_ducted_house(hass, setup=False)
    ids = {sub.title: sid for sid, sub in house.entry.subentries.items()}
    today = dt_util.now().date()
    first, second = today - timedelta(days=3), today - timedelta(days=2)
    key = f"{DOMAIN}.{house.entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {
            "memory": None,
            "ledger": {
                "schema": 1,
                "lifetime": {"kwh": 12.5, "measured_kwh": 12.5, "runtime_s": 14400.8},
                "zone_lifetime": {ids["Office"]: {"kwh": 4.25, "runtime_s": 3600.2}},
                "days": {
                    day.isoformat(): v1_day(ids["Living"], ids["Office"]) for day in (first, second)
                },
            },
        },
    }
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[key]["version"] == 2

    async def report() -> dict[str, Any]:
        response = await hass.services.async_call(
            DOMAIN,
            "get_report",
            {"start": first.isoformat(), "end": second.isoformat()},
            blocking=True,
            return_response=True,
        )
        assert response is not None
        (system,) = response["systems"]
        assert isinstance(system, dict)
        return system

    system = await report()
    # The figures version 1 showed for these two days.
    assert system["observed_hours"] == 48.0
    assert system["runtime_hours"]["heat"] == 4.0
    assert system["blower_hours"] == 4.0
    assert system["energy"]["kwh"] == 6.283
    assert system["energy"]["method"] == "measured"
    assert system["degree_days"]["heating"] == 20.247
    assert system["degree_days"]["mean_outdoor_temperature"] == 7.9
    assert system["cycles"]["count"] == 6
    assert system["cycles"]["average_minutes"] == 40.002
    zones = {zone["name"]: zone for zone in system["zones"]}
    assert zones["Living"]["runtime_hours"]["heat"] == 3.0
    assert zones["Living"]["calling_hours"]["heat"] == 5.0
    assert zones["Living"]["energy"]["kwh"] == 4.712
    assert zones["Living"]["mean_temperature"] == 21.0
    assert zones["Office"]["runtime_hours"]["heat"] == 1.0
    assert zones["Office"]["energy"]["kwh"] == 1.571
    assert number(hass, "sensor.main_floor_energy") == 12.5
    assert number(hass, "sensor.office_energy") == 4.25

    # The next save writes the past days compact; a reload shows the same report.
    await async_move_time(hass, freezer, 61)
    ledger = stored(hass_storage, house.entry.entry_id)["ledger"]
    assert ledger["schema"] == 2
    assert isinstance(ledger["days"][first.isoformat()], str)
    assert set(ledger["zones"]) == {ids["Living"], ids["Office"]}
    await hass.config_entries.async_reload(house.entry.entry_id)
    await hass.async_block_till_done()
    assert await report() == system
    assert number(hass, "sensor.main_floor_energy") == 12.5


async def test_a_newer_file_is_left_alone(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A file from a newer version of the integration is not overwritten: setup fails."""
    house = await async_ducted_house(hass, setup=False)
    key = f"{DOMAIN}.{house.entry.entry_id}"
    newer = {"version": 3, "minor_version": 1, "key": key, "data": {"ledger": "future"}}
    hass_storage[key] = newer
    assert not await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[key] == newer
