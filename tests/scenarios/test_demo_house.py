"""Heat Pump Zoning runs the simulated demo house for a day in each season.

A ducted main floor (four rooms, dampers, a central thermostat in the living room) and a two-head
mini-split upstairs, on the demo schedule (home while occupied, eco otherwise, an hour of
preconditioning). Six hours of warm-up, then 24 scored hours, moved in 60 s ticks.
"""

from __future__ import annotations

from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
import yaml

from sim.scenario import MIN_AIRFLOW_SHARE, Season

from .harness import Scenario, async_finish, async_run, async_start_scenario

ROOT = Path(__file__).resolve().parents[2]
WARMUP_H = 6.0
SCORED_H = 24.0
# Comfort: kelvin-hours outside ±0.5 K of the occupied target, per system and day, and the
# largest excursion beyond that band in any occupied minute.
MAX_COMFORT_KH = 2.0
MAX_EXCURSION_K = 1.0
MAX_CYCLES_PER_HOUR = 3.0


class Invariants:
    """Checked after every tick; every breach is kept with its tick for the failure message."""

    def __init__(self) -> None:
        """No breach yet."""
        self.breaches: list[str] = []

    def __call__(self, sc: Scenario) -> None:
        """Check the tick that just ended."""
        house = sc.house
        unit = house.ducted["main"]
        if unit.running and unit.airflow_share < MIN_AIRFLOW_SHARE - 1e-9:
            self.breaches.append(f"{sc.ticks}: blower at {unit.airflow_share:.0%} airflow")
        if any(head.blocked for head in house.heads.values()):
            self.breaches.append(f"{sc.ticks}: heads in opposite modes")
        for room, entity_id in sc.zones.items():
            state = sc.hass.states.get(entity_id)
            assert state is not None
            action = state.attributes.get("hvac_action")
            if action not in ("heating", "cooling"):
                continue
            # hvac_action is truthful: conditioned air really reaches the room.
            if room in house.dampers:
                delivered = unit.running and house.dampers[room].position > 0
            else:
                delivered = house.heads[room].output_w != 0
            if not delivered:
                self.breaches.append(f"{sc.ticks}: {room} says {action} but gets nothing")


@pytest.mark.parametrize("season", ["winter", "summer", "shoulder"])
async def test_demo_house_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, season: Season
) -> None:
    """Rooms reach and hold their targets; airflow, modes and the compressor are protected."""
    sc = await async_start_scenario(hass, freezer, season, days=SCORED_H / 24, warmup_h=WARMUP_H)
    invariants = Invariants()
    await async_run(sc, WARMUP_H + SCORED_H, invariants)
    await async_finish(sc)

    assert invariants.breaches == []
    truth = sc.house.truth
    assert truth.ducted["main"].low_airflow_s == 0
    assert truth.ducted["main"].no_airflow_s == 0
    assert truth.mode_conflict_s == 0
    scores = sc.monitor.result()
    for system, score in scores.items():
        report = f"{season} {system}: {score}"
        assert score.hours == pytest.approx(SCORED_H)
        assert score.comfort_total_kh <= MAX_COMFORT_KH, report
        assert max(score.worst_k.values()) <= MAX_EXCURSION_K, report
        assert score.short_cycles == 0, report
        assert score.cycles_per_hour <= MAX_CYCLES_PER_HOUR, report
        assert score.low_airflow_min == 0, report
        assert score.mode_conflict_min == 0, report
    for system in ("main", "upstairs"):
        cycles = (truth.ducted.get(system) or truth.minisplits[system]).cycles
        assert cycles.short_cycles == 0, f"{system}: runs {cycles.run_lengths_s}"
    if season != "shoulder":
        # Real work was done in both systems.
        assert scores["main"].energy_kwh > 1.0
        assert scores["upstairs"].energy_kwh > 0.5


async def test_demo_house_dampers_follow_calls(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Winter evening: living calls, the office (eco) closes, and dampers all open when idle."""
    sc = await async_start_scenario(hass, freezer, "winter", days=1, warmup_h=0)
    seen_closed: set[str] = set()
    seen_idle_open = False

    def watch(scn: Scenario) -> None:
        nonlocal seen_idle_open
        house = scn.house
        if house.ducted["main"].running:
            seen_closed.update(d for d, damper in house.dampers.items() if damper.is_closed)
        elif all(d.position == 100 for d in house.dampers.values()):
            seen_idle_open = True

    await async_run(sc, 12, watch)
    states = {room: hass.states.get(entity_id) for room, entity_id in sc.zones.items()}
    await async_finish(sc)
    assert seen_closed, "zoning never closed a damper while running"
    assert seen_idle_open, "dampers were not all open while the unit was idle"
    assert all(state is not None and state.state == "heat" for state in states.values())


def _entity_ids(node: object) -> set[str]:
    """Every `entity:` (or plain entity id in an `entities:` list) of a dashboard."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "entity" and isinstance(value, str):
                found.add(value)
            elif key == "entities" and isinstance(value, list):
                found |= {item for item in value if isinstance(item, str)}
            found |= _entity_ids(value)
    elif isinstance(node, list):
        for item in node:
            found |= _entity_ids(item)
    return found


async def test_demo_dashboard_shows_only_entities_that_exist(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """`scripts/develop`'s dashboard names entities of the demo that exist (and are enabled)."""
    dashboard = yaml.safe_load((ROOT / "config" / "ui-lovelace.yaml").read_text(encoding="utf-8"))
    wanted = _entity_ids(dashboard)
    sc = await async_start_scenario(hass, freezer, "winter", days=1 / 24, warmup_h=0)
    await async_run(sc, 1.0)
    # The harness leaves out the demo's clock sensors (`sensor.simulated_*`), which only the
    # demo's own real-time clock drives.
    missing = sorted(
        entity_id
        for entity_id in wanted
        if hass.states.get(entity_id) is None and not entity_id.startswith("sensor.simulated_")
    )
    await async_finish(sc)
    assert len(wanted) > 40
    assert missing == []
