"""Heat Pump Zoning against the simulated demo house, inside a test Home Assistant.

Home Assistant's clock is frozen and moved in 60 s ticks; the house is stepped in lockstep, so
simulated time and Home Assistant time are the same (protection timers are honoured exactly).
With `speed` > 1 Home Assistant's clock moves `speed` times slower than the house's, as in the
demo (`scripts/develop`), where the simulator runs faster than real time.
Each tick: the house advances one step with the commands in force and its entities publish what
changed; then time moves, timers fire, the schedule switches presets, and everything settles once.

Used by the scenario tests and by `benchmarks/bench_control.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.helpers import event
from homeassistant.setup import async_setup_component
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    setup_test_component_platform,
)

from custom_components.heat_pump_zoning.const import DOMAIN
from sim import House
from sim.ha import SimClock, SimEntities, SystemSetup, build_entities, demo_systems
from sim.scenario import (
    DEMO_PLANS,
    Monitor,
    Season,
    build_season_house,
    scheduled_preset,
    season_mode,
)

STEP_S = 60.0


@dataclass
class Scenario:
    """A running scenario."""

    hass: HomeAssistant
    freezer: FrozenDateTimeFactory
    season: Season
    house: House
    entities: SimEntities
    clock: SimClock
    monitor: Monitor
    systems: list[SystemSetup]
    entries: list[MockConfigEntry]
    presets: dict[str, str] = field(default_factory=dict)  # zone entity id -> preset now
    ticks: int = 0
    speed: float = 1.0  # simulated seconds per Home Assistant second

    @property
    def zones(self) -> dict[str, str]:
        """Room id -> zone thermostat entity id."""
        return {z.room: z.entity_id for s in self.systems for z in s.zones}


async def async_start_scenario(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    season: Season,
    *,
    days: float,
    warmup_h: float,
    seed: int = 1,
    options: dict[str, Any] | None = None,
    quiet_h: float = 0.0,
    speed: float = 1.0,
    mode: str | None = None,
) -> Scenario:
    """Build the demo house, its entities and Heat Pump Zoning; zones on, schedule applied.

    `quiet_h`: hours the house runs from midnight with its equipment off first (the demo's
    `start_hour`); `speed`: see the module's docstring; `mode`: every zone's HVAC mode (the
    season's by default).
    """
    house = build_season_house(season, days + (quiet_h + warmup_h) / 24.0, seed)
    for _ in range(round(quiet_h * 3600.0 / STEP_S)):
        house.step(STEP_S)
    freezer.move_to(datetime.fromtimestamp(house.time, UTC))
    entities = build_entities(house, clock_sensors=False)
    for domain, platform in (
        ("climate", entities.climate),
        ("cover", entities.cover),
        ("sensor", entities.sensor),
    ):
        setup_test_component_platform(hass, domain, platform)
        assert await async_setup_component(hass, domain, {domain: {"platform": "test"}})
    await hass.async_block_till_done()

    systems = demo_systems(house, **(options or {}))
    entries: list[MockConfigEntry] = []
    for system in systems:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=system.title,
            data=system.data,
            options=system.options,
            subentries_data=[
                ConfigSubentryData(
                    data=zone.data, subentry_type="zone", title=zone.title, unique_id=None
                )
                for zone in system.zones
            ],
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        entries.append(entry)
    await hass.async_block_till_done()

    monitor = Monitor(house, season, score_from=house.time + warmup_h * 3600.0)
    clock = SimClock(entities, step_s=STEP_S, on_step=monitor.record)
    scenario = Scenario(
        hass, freezer, season, house, entities, clock, monitor, systems, entries, speed=speed
    )
    mode = mode or season_mode(season)
    for entity_id in scenario.zones.values():
        assert hass.states.get(entity_id) is not None, f"{entity_id} missing"
        await hass.services.async_call(
            "climate", "set_hvac_mode", {"entity_id": entity_id, "hvac_mode": mode}, blocking=True
        )
    await async_apply_schedule(scenario)
    await hass.async_block_till_done()
    return scenario


async def async_apply_schedule(scenario: Scenario) -> None:
    """Switch each zone to the preset its schedule wants now (only when it changes)."""
    site = scenario.house.weather.site
    for room, entity_id in scenario.zones.items():
        plan = DEMO_PLANS.get(room)
        if plan is None:
            continue
        preset = scheduled_preset(plan, scenario.house.time, site)
        if scenario.presets.get(entity_id) != preset:
            scenario.presets[entity_id] = preset
            await scenario.hass.services.async_call(
                "climate",
                "set_preset_mode",
                {"entity_id": entity_id, "preset_mode": preset},
                blocking=True,
            )


def fire_due_timers(hass: HomeAssistant) -> None:
    """Run the timers that are due at the frozen time now.

    What `async_fire_time_changed` of pytest-homeassistant-custom-component does (including its
    0.5 s allowance for time-interval jitter), with its two patches entered once per tick instead
    of once per timer: a third of the run time of a scenario otherwise.
    """
    utc = datetime.now(UTC) + timedelta(microseconds=event.RANDOM_MICROSECOND_MAX)
    timestamp = utc.timestamp()
    resolution = time.get_clock_info("monotonic").resolution
    due = [
        handle
        for handle in list(get_scheduled_timer_handles(hass.loop))
        if isinstance(handle, asyncio.TimerHandle)
        and not handle.cancelled()
        and timestamp - time.time() >= handle.when() - (hass.loop.time() + resolution)
    ]
    if not due:
        return
    with (
        patch("homeassistant.helpers.event.time_tracker_utcnow", return_value=utc),
        patch("homeassistant.helpers.event.time_tracker_timestamp", return_value=timestamp),
    ):
        for handle in due:
            if not handle.cancelled():
                handle._run()
                handle.cancel()


async def async_run(
    scenario: Scenario,
    hours: float,
    on_tick: Callable[[Scenario], None] | None = None,
) -> None:
    """Run `hours` of simulated (and Home Assistant) time in 60 s ticks."""
    hass = scenario.hass
    for _ in range(round(hours * 3600.0 / STEP_S)):
        scenario.clock.advance(STEP_S)
        scenario.freezer.tick(timedelta(seconds=STEP_S / scenario.speed))
        fire_due_timers(hass)
        await async_apply_schedule(scenario)
        await hass.async_block_till_done()
        scenario.ticks += 1
        if on_tick is not None:
            on_tick(scenario)


async def async_finish(scenario: Scenario) -> None:
    """Unload Heat Pump Zoning (its timers stop) before the test's Home Assistant stops."""
    for entry in scenario.entries:
        assert await scenario.hass.config_entries.async_unload(entry.entry_id)
    await scenario.hass.async_block_till_done()
