"""Invariants through a real Home Assistant, over random event sequences.

Random room, outdoor and duct-space readings (including `unknown`, `unavailable`, text and absurd
numbers), zone mode and setpoint changes, the central unit dropping off, dampers that go offline,
get stuck, refuse commands or close by themselves, the wall clock set back and forward, restarts
and time moving. At every point:
- while the unit runs, the design airflow seen open (offline dampers closed) meets the floor;
- the compressor keeps its minimum off time and, unless a damper fault just took the floor away,
  its minimum run time, in elapsed time (also across restarts and clock jumps);
- with no zone calling, the unit is off once its minimum run and the command interval are over;
- the ledger's duct time fits in the runtime of its mode, and nothing raises.

A wall-clock jump moves `freezer` and holds the integration's monotonic reading still (a real
monotonic clock does not jump); Home Assistant's own timers in the harness do follow `freezer`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
import logging
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.heat_pump_zoning import coordinator as coordinator_module

from .fakes import set_temperature_sensor
from .helpers import (
    DUCT_SPACE_SENSOR,
    OUTDOOR_SENSOR,
    DuctedHouse,
    async_ducted_house_with_ducts,
    async_move_time,
    async_settle,
)

ZONES = ("living", "bedroom", "office")
AIRFLOW = {"cover.living_damper": 200, "cover.bedroom_damper": 100, "switch.office_damper": 100}
PLAUSIBLE = st.floats(min_value=5, max_value=35).map(lambda v: round(v, 1))
READINGS = st.one_of(
    PLAUSIBLE,
    PLAUSIBLE,
    PLAUSIBLE,
    st.sampled_from(["unknown", "unavailable", "warm", "1e9", "-1e9", "nan", "inf"]),
)
WAIT = st.tuples(st.just("wait"), st.integers(min_value=1, max_value=900))
READING = st.tuples(st.just("reading"), st.sampled_from(ZONES), READINGS)
AMBIENT = (OUTDOOR_SENSOR, DUCT_SPACE_SENSOR)
MODE = st.tuples(
    st.just("mode"), st.sampled_from(ZONES), st.sampled_from(["heat", "cool", "heat", "off"])
)
DAMPER = st.sampled_from(sorted(AIRFLOW))
# A damper misbehaves for a while (seconds), then works again; or closes by itself. "stuck":
# it jams shut and ignores commands; "refuse": its service raises; "offline": unavailable.
FAULT = st.tuples(
    st.sampled_from(["stuck", "refuse", "offline"]),
    DAMPER,
    st.integers(min_value=10, max_value=1800),
)
DRIFT = st.tuples(st.just("drift"), DAMPER)
FLOOR_FAULTS = ("offline", "drift", "stuck")  # what a damper reports changes: the floor may go
JUMP = st.tuples(st.just("jump"), st.sampled_from([-600, -60, 60, 600, 3600]))
# Branches repeat to weight them: time and readings move often, restarts and outages are rarer.
EVENTS = st.one_of(
    WAIT,
    WAIT,
    WAIT,
    WAIT,
    READING,
    READING,
    MODE,
    MODE,
    MODE,
    st.tuples(st.just("target"), st.sampled_from(ZONES), st.integers(min_value=16, max_value=28)),
    st.tuples(st.just("outage"), st.integers(min_value=1, max_value=600)),
    st.tuples(st.just("restart")),
    st.tuples(st.just("ambient"), st.sampled_from(AMBIENT), READINGS),
    FAULT,
    DRIFT,
    JUMP,
)


class Checker:
    """Follows the central unit's commands and the dampers, asserting the invariants."""

    def __init__(self, house: DuctedHouse) -> None:
        self.house = house
        self.seen = 0
        self.running = house.source.hvac_mode in ("heat", "cool")
        self.mode: str | None = house.source.hvac_mode if self.running else None
        self.changed: float | None = None  # elapsed time of the last start or stop
        self.started: float | None = None
        self.skew = 0.0  # wall clock - elapsed time (the sum of the clock jumps)
        self.restart = 0.0  # elapsed time of the last restart
        self.transitions = 0  # starts and stops seen
        self.running_checks = 0  # airflow checks made while the unit ran

    def elapsed(self, wall: datetime | None = None) -> float:
        """Elapsed (monotonic) time of a wall-clock moment (now by default)."""
        return (wall or dt_util.utcnow()).timestamp() - self.skew

    def check(self, airflow_fault: bool = False) -> None:
        """After an event; `airflow_fault`: it changed what a damper reports (offline, drift)."""
        house = self.house
        new = zip(
            house.source.calls[self.seen :], house.source.call_times[self.seen :], strict=True
        )
        for (_name, data), at in new:
            now = self.elapsed(at)
            mode = str(data.get("hvac_mode"))
            running = mode in ("heat", "cool")
            if running == self.running and (not running or mode == self.mode):
                continue
            if self.changed is not None:
                elapsed = now - self.changed
                # Minimum run (before a stop) and minimum off (before a start) are both 5 min;
                # a damper fault that takes the floor away stops the unit at once.
                assert running != self.running, "reversal without passing through off"
                early_stop_allowed = not running and airflow_fault
                assert elapsed >= 300 - 1 or early_stop_allowed, (
                    f"{'start' if running else 'stop'} after {elapsed}s"
                )
            self.running, self.mode, self.changed = running, mode if running else None, now
            if running:
                self.started = now
            self.transitions += 1
        self.seen = len(house.source.calls)
        if house.source.hvac_mode in ("heat", "cool"):
            total = sum(AIRFLOW.values())
            flow = sum(AIRFLOW[d] * house.dampers.position(d) / 100 for d in AIRFLOW)
            assert flow / total >= 0.4 - 0.01 - 1e-9, f"{flow / total:.0%} seen open while running"
            self.running_checks += 1
            calling = [
                z
                for z in ZONES
                if (s := self.hass.states.get(f"climate.{z}")) and s.attributes.get("calling")
            ]
            since = max(self.started or 0.0, self.restart)
            if not calling and house.source.available:
                assert self.elapsed() - since < 300 + 60 + 1, "running with no call"

    @property
    def hass(self) -> HomeAssistant:
        return self.house.source.hass


def sequences(
    count: int, events: st.SearchStrategy[tuple[Any, ...]]
) -> list[list[tuple[Any, ...]]]:
    """Event sequences drawn by hypothesis (reproducible; its edge-case bias included).

    Hypothesis cannot drive an async Home Assistant test itself, so it generates the sequences
    up front and the test replays them.
    """
    drawn: list[list[tuple[Any, ...]]] = []

    @settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(sequence=st.lists(events, min_size=10, max_size=40))
    def collect(sequence: list[tuple[Any, ...]]) -> None:
        drawn.append(sequence)

    collect()
    return drawn


@pytest.fixture
def still_monotonic() -> Iterator[dict[str, float]]:
    """The integration's monotonic reading, less `held` (a wall-clock jump adds to it)."""
    held = {"held": 0.0}
    with patch.object(
        coordinator_module, "monotonic", side_effect=lambda: time.monotonic() - held["held"]
    ):
        yield held


async def test_random_event_sequences(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: Any,
    still_monotonic: dict[str, float],
) -> None:
    """Many random sequences on one running system (each continues where the last stopped)."""
    house = await async_ducted_house_with_ducts(hass)
    checker = Checker(house)
    for events in sequences(40, EVENTS):
        for event in events:
            if event[0] == "jump":
                checker.skew += event[1]
                still_monotonic["held"] += event[1]
            if event[0] == "restart":
                checker.restart = checker.elapsed()
            await apply(hass, freezer, house, event, checker)
            checker.check(airflow_fault=event[0] in FLOOR_FAULTS)
    ledger = house.entry.runtime_data.ledger
    booked = 0.0
    for day in ledger.days(date(2000, 1, 1), date(2100, 1, 1)):
        for key, seconds in day.system.duct_s.items():
            assert seconds <= day.system.runtime_s[key] + 1e-6
            booked += seconds
    assert booked > 0.0  # the duct integrals were really exercised
    # The sequences must really exercise the unit, or this test could not fail.
    assert checker.transitions >= 10
    assert checker.running_checks >= 50
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()


# One random action of the invariant test per branch.
async def apply(  # noqa: C901, PLR0912
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    house: DuctedHouse,
    event: tuple[Any, ...],
    checker: Checker,
) -> None:
    """Carry out one event (the invariants are checked every minute of a long one)."""
    kind = event[0]

    async def move(seconds: int) -> None:
        while seconds > 0:
            await async_move_time(hass, freezer, min(seconds, 60), step=60)
            checker.check(airflow_fault=kind in FLOOR_FAULTS)
            seconds -= 60

    if kind == "reading":
        set_temperature_sensor(hass, f"sensor.{event[1]}_temperature", event[2])
    elif kind == "ambient":
        set_temperature_sensor(hass, event[1], event[2])
    elif kind == "mode":
        await hass.services.async_call(
            "climate",
            "set_hvac_mode",
            {"entity_id": f"climate.{event[1]}", "hvac_mode": event[2]},
            blocking=False,
        )
    elif kind == "target":
        state = hass.states.get(f"climate.{event[1]}")
        if state is not None and state.state in ("heat", "cool"):
            await hass.services.async_call(
                "climate",
                "set_temperature",
                {"entity_id": f"climate.{event[1]}", "temperature": event[2]},
                blocking=False,
            )
    elif kind == "wait":
        await move(event[1])
    elif kind == "outage":  # the central unit drops off the network for a while
        house.source._attr_available = False
        house.source.async_write_ha_state()
        await move(event[1])
        house.source._attr_available = True
        house.source.async_write_ha_state()
    elif kind in ("stuck", "refuse"):  # a damper ignores or refuses commands for a while
        group = house.dampers.frozen if kind == "stuck" else house.dampers.failing
        state = hass.states.get(event[1])
        if kind == "stuck" and state is not None and state.state != "unavailable":
            house.dampers.add(event[1], position=0)  # it jams shut
        group.add(event[1])
        await move(event[2])
        group.discard(event[1])
    elif kind == "drift":  # a damper closes by itself (unless it is offline)
        state = hass.states.get(event[1])
        if state is not None and state.state != "unavailable":
            house.dampers.add(event[1], position=0)
    elif kind == "offline":  # a damper drops off the network for a while, comes back where it was
        state = hass.states.get(event[1])
        assert state is not None
        if state.state != "unavailable":
            hass.states.async_set(event[1], "unavailable")
            await move(event[2])
            hass.states.async_set(event[1], state.state, state.attributes)
    elif kind == "jump":  # the wall clock is set (NTP); elapsed time does not jump
        freezer.tick(timedelta(seconds=event[1]))
        async_fire_time_changed(hass)
    else:
        await hass.config_entries.async_reload(house.entry.entry_id)
    await async_settle(hass)


SPLIT_ZONES = ("bedroom_2", "study")
SPLIT_EVENTS = st.one_of(
    WAIT,
    WAIT,
    st.tuples(st.just("reading"), st.just("bedroom_2"), READINGS),
    st.tuples(st.just("head_reading"), st.sampled_from(SPLIT_ZONES), PLAUSIBLE),
    st.tuples(
        st.just("mode"), st.sampled_from(SPLIT_ZONES), st.sampled_from(["off", "heat", "cool"])
    ),
    st.tuples(
        st.just("remote"), st.sampled_from(SPLIT_ZONES), st.sampled_from(["off", "heat", "cool"])
    ),
    st.tuples(st.just("restart")),
)


async def test_mini_split_heads_never_commanded_into_opposite_modes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, caplog: Any
) -> None:
    """Whatever happens, no head is told to heat while another cools (or the reverse)."""
    from .helpers import async_mini_split_house

    house = await async_mini_split_house(hass)
    heads = {"bedroom_2": house.bedroom, "study": house.study}
    commanded: list[str] = []
    for name, head in heads.items():
        other = heads["study" if name == "bedroom_2" else "bedroom_2"]
        original = head.async_set_temperature

        async def guarded(original: Any = original, other: Any = other, **kwargs: Any) -> None:
            mode = kwargs.get("hvac_mode")
            if mode in ("heat", "cool"):
                opposite = "cool" if mode == "heat" else "heat"
                assert other.hvac_mode != opposite, (
                    f"{mode} commanded while another head {opposite}s"
                )
                commanded.append(mode)
            await original(**kwargs)

        head.async_set_temperature = guarded  # type: ignore[method-assign]

    for events in sequences(30, SPLIT_EVENTS):
        for event in events:
            kind = event[0]
            if kind == "head_reading":
                heads[event[1]].reading(event[2])
            elif kind == "remote":
                heads[event[1]].remote(mode=event[2])
            elif kind == "reading":
                set_temperature_sensor(hass, "sensor.bedroom_2_temperature", event[2])
            elif kind == "mode":
                await hass.services.async_call(
                    "climate",
                    "set_hvac_mode",
                    {"entity_id": f"climate.{event[1]}", "hvac_mode": event[2]},
                    blocking=False,
                )
            elif kind == "wait":
                await async_move_time(hass, freezer, event[1], step=60)
            else:
                await hass.config_entries.async_reload(house.entry.entry_id)
            await async_settle(hass)
    assert len(commanded) >= 5  # heads were really driven
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()
