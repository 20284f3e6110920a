"""Zones following a real `schedule` helper: its periods, manual holds, restarts, repairs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant, State
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import mock_restore_cache_with_extra_data

from custom_components.heat_pump_zoning.const import DOMAIN

from .helpers import async_ducted_house, async_mini_split_house, async_move_time, async_set_zone

pytestmark = pytest.mark.usefixtures("remove_schedules_at_end")

SCHEDULE = "schedule.living_hours"
LIVING = "climate.living"
EVERY_DAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def local(hour: int, minute: int = 0, day: int = 12) -> datetime:
    """A local time on Monday 12 January 2026 (or another day of that week)."""
    return datetime(2026, 1, day, hour, minute, tzinfo=dt_util.get_default_time_zone())


async def async_schedule(hass: HomeAssistant, *ranges: tuple[str, str]) -> None:
    """The YAML schedule `schedule.living_hours`, the same every day."""
    periods = [{"from": start, "to": end} for start, end in ranges]
    assert await async_setup_component(
        hass,
        "schedule",
        {
            "schedule": {
                "living_hours": {"name": "Living hours", **dict.fromkeys(EVERY_DAY, periods)}
            }
        },
    )
    await hass.async_block_till_done()


async def async_house(hass: HomeAssistant, **zone: Any) -> None:
    """The ducted house, every zone following `schedule.living_hours` (heating)."""
    await async_ducted_house(hass, zone_data={"schedule": SCHEDULE, **zone})
    await async_set_zone(hass, LIVING, hvac_mode="heat")


def attributes(hass: HomeAssistant) -> dict[str, Any]:
    """The living room thermostat's attributes."""
    state = hass.states.get(LIVING)
    assert state is not None
    return dict(state.attributes)


def living_schedule(hass: HomeAssistant) -> Any:
    """The living room's schedule as the coordinator holds it."""
    coordinator = hass.config_entries.async_entries(DOMAIN)[0].runtime_data
    (zone_id,) = (z for z, spec in coordinator.zones.items() if spec.config.name == "Living")
    return coordinator.schedules[zone_id]


async def async_preset(hass: HomeAssistant, preset: str) -> None:
    await async_preset_of(hass, LIVING, preset)


async def async_preset_of(hass: HomeAssistant, entity_id: str, preset: str) -> None:
    await hass.services.async_call(
        "climate", "set_preset_mode", {"entity_id": entity_id, "preset_mode": preset}, blocking=True
    )
    await hass.async_block_till_done()


async def test_the_zone_follows_its_schedule(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Setback (eco) while the schedule is off, comfort (home) while it is on, at its changes."""
    freezer.move_to(local(6))
    await async_schedule(hass, ("07:00", "22:00"))
    await async_house(hass)
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["temperature"]) == ("eco", 19.0)
    assert shown["schedule"] == SCHEDULE
    assert shown["following_schedule"] is True
    assert shown["schedule_period"] == "setback"
    assert shown["next_schedule_change"] == local(7).astimezone(dt_util.UTC).isoformat()
    assert shown["hold_until"] is None
    # What early start builds on: the coordinator knows when comfort begins.
    schedule = living_schedule(hass)
    assert schedule is not None
    assert schedule.next_comfort_start == local(7).timestamp()
    assert schedule.next_setback_start is None

    await async_move_time(hass, freezer, 3600, step=600)
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["temperature"]) == ("home", 21.0)
    assert shown["schedule_period"] == "comfort"
    assert shown["next_schedule_change"] == local(22).astimezone(dt_util.UTC).isoformat()

    await async_move_time(hass, freezer, 15 * 3600, step=1800)
    assert (attributes(hass)["preset_mode"], attributes(hass)["temperature"]) == ("eco", 19.0)


async def test_a_manual_change_holds_until_the_next_scheduled_change(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A setpoint or another preset holds until the schedule changes; its own preset resumes."""
    freezer.move_to(local(8))
    await async_schedule(hass, ("07:00", "22:00"))
    await async_house(hass)
    assert attributes(hass)["preset_mode"] == "home"
    await async_set_zone(hass, LIVING, temperature=23.0)
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["temperature"]) == ("none", 23.0)
    assert shown["following_schedule"] is False
    assert shown["hold_until"] == local(22).astimezone(dt_util.UTC).isoformat()
    # A change of mode is no manual change of the targets: the hold stays as it was.
    await async_set_zone(hass, LIVING, hvac_mode="off")
    assert attributes(hass)["hold_until"] == local(22).astimezone(dt_util.UTC).isoformat()
    await async_set_zone(hass, LIVING, hvac_mode="heat", temperature=23.0)
    await async_move_time(hass, freezer, 14 * 3600 - 60, step=1800)
    assert attributes(hass)["temperature"] == 23.0  # held all day
    await async_move_time(hass, freezer, 60)
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["temperature"]) == ("eco", 19.0)
    assert (shown["following_schedule"], shown["hold_until"]) == (True, None)

    # Another preset holds too; choosing the period's own preset returns to the schedule.
    await async_preset(hass, "away")
    assert attributes(hass)["hold_until"] == local(7, day=13).astimezone(dt_util.UTC).isoformat()
    await async_preset(hass, "eco")
    assert (attributes(hass)["following_schedule"], attributes(hass)["temperature"]) == (True, 19.0)


async def test_the_schedule_presets_are_the_zones_choice(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A bedroom sleeps instead of eco while its schedule is off."""
    freezer.move_to(local(23))
    await async_schedule(hass, ("07:00", "22:00"))
    await async_house(hass, comfort_preset="home", setback_preset="sleep")
    assert (attributes(hass)["preset_mode"], attributes(hass)["temperature"]) == ("sleep", 18.0)


async def test_a_boost_runs_on_across_a_change_and_returns_to_the_new_period(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Boost started in the setback: at the comfort start it goes on, then ends on home. (Before
    06:30: the room model has learnt nothing, so the zone would start half an hour early.)"""
    freezer.move_to(local(6, 20))
    await async_schedule(hass, ("07:00", "22:00"))
    await async_house(hass)
    await async_preset(hass, "boost")
    assert attributes(hass)["temperature"] == 21.0  # eco 19 + 2
    await async_move_time(hass, freezer, 45 * 60, step=300)
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["schedule_period"]) == ("boost", "comfort")
    await async_move_time(hass, freezer, 20 * 60, step=300)
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["temperature"]) == ("home", 21.0)
    assert shown["following_schedule"] is True


async def test_the_hold_survives_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Reloaded (as at a restart) the zone keeps its hold, and it still ends at the change."""
    freezer.move_to(local(8))
    await async_schedule(hass, ("07:00", "22:00"))
    await async_house(hass)
    await async_set_zone(hass, LIVING, temperature=23.5)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    shown = attributes(hass)
    assert (shown["temperature"], shown["following_schedule"]) == (23.5, False)
    assert shown["hold_until"] == local(22).astimezone(dt_util.UTC).isoformat()
    await async_move_time(hass, freezer, 14 * 3600, step=1800)
    assert (attributes(hass)["preset_mode"], attributes(hass)["temperature"]) == ("eco", 19.0)


def _stored(hold: dict[str, Any] | None, last_on: bool | None = True) -> dict[str, Any]:
    return {
        "settings": {"hvac_mode": "heat", "target": 23.0, "target_low": 23.0, "target_high": 24.0},
        "preset": "none",
        "last_on_mode": "heat",
        "boost": None,
        "schedule": {"entity_id": SCHEDULE, "last_on": last_on, "hold": hold},
    }


async def test_home_assistant_down_across_a_change_catches_up(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Stored in the comfort period with a hold; started in the setback: the schedule applies."""
    freezer.move_to(local(23))
    hold = {"on": True, "until": local(22).timestamp()}
    mock_restore_cache_with_extra_data(hass, [(State(LIVING, "heat"), _stored(hold))])
    await async_schedule(hass, ("07:00", "22:00"))
    await async_ducted_house(hass, zone_data={"schedule": SCHEDULE})
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["temperature"], shown["hold_until"]) == ("eco", 19.0, None)


async def test_a_stored_hold_of_another_schedule_or_unreadable_is_dropped(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A hold stored for another schedule, or one that cannot be read, does not hold."""
    freezer.move_to(local(8))
    other = _stored({"on": True, "until": None}) | {
        "schedule": {"entity_id": "schedule.other", "last_on": True, "hold": None}
    }
    mock_restore_cache_with_extra_data(
        hass,
        [
            (State(LIVING, "heat"), other),
            (State("climate.bedroom", "heat"), _stored({"on": "yes"}, last_on=None)),
            (State("climate.office", "heat"), _stored({"on": True, "until": None})),
        ],
    )
    await async_schedule(hass, ("07:00", "22:00"))
    await async_ducted_house(hass, zone_data={"schedule": SCHEDULE})
    assert attributes(hass)["temperature"] == 21.0  # the schedule applies at once
    bedroom = hass.states.get("climate.bedroom")
    assert bedroom is not None
    assert bedroom.attributes["temperature"] == 21.0
    office = hass.states.get("climate.office")
    assert office is not None
    # Held, with no announced end: until the period changes.
    assert (office.attributes["temperature"], office.attributes["following_schedule"]) == (
        23.0,
        False,
    )


async def test_an_unavailable_schedule_is_a_repair_and_changes_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Unavailable: a repair, the target stays; back in another period: that period applies."""
    freezer.move_to(local(21, 30))
    await async_schedule(hass, ("07:00", "22:00"))
    await async_house(hass)
    assert attributes(hass)["temperature"] == 21.0
    hass.states.async_set(SCHEDULE, "unavailable")
    await hass.async_block_till_done()
    shown = attributes(hass)
    assert (shown["temperature"], shown["schedule_period"], shown["following_schedule"]) == (
        21.0,
        None,
        False,
    )
    assert shown["next_schedule_change"] is None
    issues = [
        issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith("schedule_unavailable")
    ]
    assert len(issues) == 3  # one per zone following it
    assert {issue.translation_placeholders["zone"] for issue in issues} == {  # type: ignore[index]
        "Living",
        "Bedroom",
        "Office",
    }
    # A manual change while it is unavailable simply stays (no change to hold until).
    await async_set_zone(hass, LIVING, temperature=20.5)
    assert attributes(hass)["hold_until"] is None
    # The schedule writes its state again at its next change (22:00): setback.
    await async_move_time(hass, freezer, 1800, step=600)
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["temperature"]) == ("eco", 19.0)
    assert not [
        issue_id
        for (domain, issue_id) in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith("schedule_unavailable")
    ]


async def test_a_missing_schedule_is_a_missing_entity_repair(hass: HomeAssistant) -> None:
    """A deleted schedule: the missing-entity repair, the zone keeps its target."""
    await async_ducted_house(hass, zone_data={"schedule": "schedule.gone"})
    await async_set_zone(hass, LIVING, hvac_mode="heat", temperature=20.5)
    shown = attributes(hass)
    assert (shown["temperature"], shown["schedule_period"]) == (20.5, None)
    issue_ids = {issue_id for (domain, issue_id) in ir.async_get(hass).issues if domain == DOMAIN}
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert f"missing_entity_{entry.entry_id}_schedule.gone" in issue_ids
    assert not [i for i in issue_ids if i.startswith("schedule_unavailable")]


async def test_a_change_on_the_heads_remote_holds_too(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A mini-split head set on its own remote: adopted, and held until the next change."""
    freezer.move_to(local(8))
    await async_schedule(hass, ("07:00", "22:00"))
    house = await async_mini_split_house(hass, zone_data={"schedule": SCHEDULE})
    await async_set_zone(hass, "climate.study", hvac_mode="heat")
    await async_preset_of(hass, "climate.study", "home")
    await async_move_time(hass, freezer, 990, step=60)  # commanded, and quiet since
    house.study.remote(target=24.0)
    await hass.async_block_till_done()
    await async_move_time(hass, freezer, 120)
    study = hass.states.get("climate.study")
    assert study is not None
    assert (study.attributes["temperature"], study.attributes["preset_mode"]) == (24.0, "none")
    assert study.attributes["hold_until"] == local(22).astimezone(dt_util.UTC).isoformat()


async def test_schedules_are_followed_once_home_assistant_has_started(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """While Home Assistant starts nothing is applied (nor a repair raised); then it is."""
    freezer.move_to(local(23))
    await async_schedule(hass, ("07:00", "22:00"))
    hass.set_state(CoreState.not_running)
    await async_ducted_house(hass, zone_data={"schedule": SCHEDULE})
    hass.states.async_set(SCHEDULE, "unavailable")  # an event before the start: ignored
    await hass.async_block_till_done()
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["schedule_period"]) == ("home", None)
    hass.states.async_set(SCHEDULE, "off", {"next_event": local(7, day=13)})
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()
    shown = attributes(hass)
    assert (shown["preset_mode"], shown["schedule_period"]) == ("eco", "setback")


async def test_the_schedule_repair_goes_with_the_system(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Unloading the system (a zone edited, the schedule removed) clears its schedule repairs."""
    freezer.move_to(local(8))
    await async_schedule(hass, ("07:00", "22:00"))
    await async_house(hass)
    hass.states.async_set(SCHEDULE, "unknown")
    await hass.async_block_till_done()
    assert schedule_issues(hass)
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert not schedule_issues(hass)


def schedule_issues(hass: HomeAssistant) -> list[str]:
    """The ids of the schedule repairs raised now."""
    return [
        issue_id
        for (domain, issue_id) in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith("schedule_unavailable")
    ]
