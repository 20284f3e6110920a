"""Random sequences against the controller: the safety invariants hold at every step.

The equipment obeys commands at once (unavailable entities ignore them); time, temperatures,
settings, availability and restarts (memory round trips) are random. Ducted systems, with
misbehaving dampers and clock jumps: `test_ducted_properties`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from engine.control.controller import Controller
from engine.model import (
    ClimateState,
    Decision,
    SetClimate,
    SystemConfig,
    SystemObservation,
    Topology,
    ZoneConfig,
    ZoneInput,
    ZoneMode,
    ZoneSettings,
)

from .control_helpers import apply

TEMPS = st.one_of(
    st.floats(min_value=10, max_value=32, allow_nan=False),
    st.none(),
    st.sampled_from([-1e9, 1e9]),
)
SETTINGS = st.builds(
    ZoneSettings,
    hvac_mode=st.sampled_from(list(ZoneMode)),
    target=st.floats(min_value=16, max_value=28),
    target_low=st.floats(min_value=16, max_value=22),
    target_high=st.floats(min_value=22, max_value=28),
)
PROPS = settings(
    max_examples=int(os.environ.get("HPZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


COMMON_EVENTS = ("time", "temp", "settings")


def common_event(
    data: st.DataObject, event: str, now: float, obs: SystemObservation
) -> tuple[float, SystemObservation]:
    """Time passes, or one zone's temperature or settings change at random."""
    if event == "time":
        return now + data.draw(st.sampled_from([1.0, 30.0, 61.0, 200.0, 400.0, 1300.0])), obs
    zid = data.draw(st.sampled_from(sorted(obs.zones)))
    zone = obs.zones[zid]
    if event == "temp":
        zone = replace(zone, temperature=data.draw(TEMPS))
    else:
        zone = replace(zone, settings=data.draw(SETTINGS))
    return now, replace(obs, zones={**obs.zones, zid: zone})


@dataclass
class CompressorWatch:
    """Starts and stops implied by the equipment state, checked against protection."""

    min_run: float
    min_off: float
    running: str | None = None
    last_start: float | None = None
    last_stop: float | None = None
    max_per_hour: int = 3
    starts: list[float] = field(default_factory=list)

    def observe(self, now: float, mode: str | None) -> None:
        if mode == self.running:
            return
        if self.running is not None:  # a stop (a reversal is a stop + start: caught below)
            assert self.last_start is None or now - self.last_start >= self.min_run - 1e-9
            self.last_stop = now
        if mode is not None:
            assert self.running is None, "heat<->cool reversal without a stop"
            assert self.last_stop is None or now - self.last_stop >= self.min_off - 1e-9
            self.last_start = now
            self.starts.append(now)
            recent = [t for t in self.starts if now - t < 3600.0 - 1e-9]
            assert len(recent) <= self.max_per_hour, f"{len(recent)} starts within an hour"
        self.running = mode


def check_idempotent(controller: Controller, now: float, obs: SystemObservation) -> Decision:
    """The same step again changes nothing: no command, no adoption. The world it sees is the
    first step's, with the settings that step adopted from a remote (the HA layer applies them
    before anything else can step: `coordinator`)."""
    first = controller.step(now, obs)
    zones = {zid: replace(obs.zones[zid], settings=new) for zid, new in first.adopted.items()}
    second = controller.step(now, replace(obs, zones={**obs.zones, **zones}))
    assert second.commands == ()
    assert not second.adopted  # adopted once, not again
    return first


def mini_system(data: st.DataObject) -> SystemConfig:
    n = data.draw(st.integers(1, 4), label="zones")
    zones = tuple(
        ZoneConfig(
            zone_id=f"z{i}",
            name=f"Z{i}",
            head=f"climate.h{i}",
            has_room_sensor=data.draw(st.booleans()),
            priority=data.draw(st.integers(0, 3)),
        )
        for i in range(n)
    )
    return SystemConfig(
        topology=Topology.MINI_SPLIT,
        zones=zones,
        min_run=data.draw(st.sampled_from([0.0, 120.0, 300.0])),
        min_off=data.draw(st.sampled_from([0.0, 180.0, 300.0])),
        mode_dwell=data.draw(st.sampled_from([0.0, 600.0])),
        quiet_heads=data.draw(st.booleans(), label="quiet"),
    )


def unit_mode(obs: SystemObservation) -> tuple[set[str], str | None]:
    modes = {h.hvac_mode for h in obs.heads.values() if h.hvac_mode in ("heat", "cool")}
    return modes, next(iter(modes)) if len(modes) == 1 else None


# A property test's loop of steps and invariants, read top to bottom.
@PROPS
@given(st.data(), st.booleans())
def test_mini_split_invariants(data: st.DataObject, remote: bool) -> None:  # noqa: C901, PLR0912
    config = mini_system(data)
    obs = SystemObservation(
        zones={z.zone_id: ZoneInput(data.draw(SETTINGS), 20.0) for z in config.zones},
        heads={
            z.head: ClimateState(hvac_mode="off", current_temperature=20.0)
            for z in config.zones
            if z.head
        },
    )
    now = 1000.0
    controller = Controller(config, now)
    watch = CompressorWatch(config.min_run, config.min_off, last_stop=now)
    events = ["time", "temp", "settings", "head", "headtemp", "restart"]
    if remote:
        events.append("remote")
    seen: set[str] = set()  # heads the controller has a baseline for (remote changes detectable)
    for _ in range(data.draw(st.integers(5, 30), label="steps")):
        event = data.draw(st.sampled_from(events))
        remote_heads: set[str] = set()
        if event in COMMON_EVENTS:
            now, obs = common_event(data, event, now, obs)
        elif event in ("head", "headtemp", "remote"):
            hid = data.draw(st.sampled_from(sorted(obs.heads)))
            state = obs.heads[hid]
            if event == "head":
                state = replace(state, available=not state.available)
            elif event == "headtemp":
                state = replace(state, current_temperature=data.draw(TEMPS))
            else:
                state = replace(
                    state,
                    hvac_mode=data.draw(st.sampled_from(["off", "heat", "cool", "fan_only"])),
                    target_temperature=data.draw(st.sampled_from([18.0, 22.0, 25.0])),
                )
                if state.available and hid in seen:
                    remote_heads.add(hid)
            obs = replace(obs, heads={**obs.heads, hid: state})
        else:
            controller = Controller(config, now, controller.memory())
            seen = set()
        # one step, then one more for the state change our commands cause (as the HA layer does)
        for _ in range(2):
            before = obs
            decision = check_idempotent(controller, now, obs)
            for zid, new in decision.adopted.items():
                zones = {**obs.zones, zid: replace(obs.zones[zid], settings=new)}
                obs = replace(obs, zones=zones)
            commanded = {
                c.entity_id: c.hvac_mode for c in decision.commands if isinstance(c, SetClimate)
            }
            assert not remote_heads & set(commanded), "a remote change was fought in the same step"
            assert (
                not remote_heads
                or decision.adopted
                or all(obs.heads[h].hvac_mode == "fan_only" or True for h in remote_heads)
            )
            remote_heads = set()
            obs = apply(obs, decision.commands)
            seen = {k for k, h in obs.heads.items() if h.available}
            # (2) never command a head into a mode while another head is in the opposite mode
            for hid, mode in commanded.items():
                if mode in ("heat", "cool"):
                    other = "cool" if mode == "heat" else "heat"
                    assert all(h.hvac_mode != other for k, h in obs.heads.items() if k != hid), (
                        before.heads,
                        decision.commands,
                    )
            if not remote:
                modes, single = unit_mode(obs)
                assert len(modes) <= 1
                watch.observe(now, single)
            assert decision.next_check is None or decision.next_check > now


@dataclass
class DeliveryWatch:
    """The outdoor unit as heads that report `hvac_action` show it, and the commands' effect.

    Heads start and stop delivering on their own (their built-in thermostat), which no controller
    can prevent; what the engine must never do is *cause* a start or a stop too early: turn a head
    on while none delivers before a start is allowed, or turn off the last delivering head before
    the minimum run time since the start it saw.
    """

    min_run: float
    min_off: float
    last_start: float | None = None
    last_stop: float | None = None
    starts: list[float] = field(default_factory=list)
    delivering: bool = False

    def see(self, now: float, delivering: bool) -> None:
        if delivering and not self.delivering:
            self.last_start = now
            self.starts.append(now)
        elif self.delivering and not delivering:
            self.last_stop = now
        self.delivering = delivering

    def check(self, now: float, before: SystemObservation, commands: tuple[object, ...]) -> None:
        ons = [c for c in commands if isinstance(c, SetClimate) and c.hvac_mode != "off"]
        offs = {c.entity_id for c in commands if isinstance(c, SetClimate) and c.hvac_mode == "off"}
        delivering = {k for k, h in before.heads.items() if h.hvac_action in ("heating", "cooling")}
        if not delivering and any(before.heads[c.entity_id].hvac_mode == "off" for c in ons):
            assert self.last_stop is None or now - self.last_stop >= self.min_off - 1e-9
            recent = [t for t in self.starts if now - t < 3600.0 - 1e-9]
            assert len(recent) < 3, f"a start would be the {len(recent) + 1}th within an hour"
        if delivering and delivering <= offs:
            assert self.last_start is None or now - self.last_start >= self.min_run - 1e-9


@PROPS
@given(st.data())
def test_mini_split_heads_with_own_thermostats(data: st.DataObject) -> None:
    """Heads report hvac_action and start/stop delivering at random while on."""
    config = mini_system(data)
    obs = SystemObservation(
        zones={z.zone_id: ZoneInput(data.draw(SETTINGS), 20.0) for z in config.zones},
        heads={
            z.head: ClimateState(hvac_mode="off", current_temperature=20.0, hvac_action="off")
            for z in config.zones
            if z.head
        },
    )
    now = 1000.0
    controller = Controller(config, now)
    watch = DeliveryWatch(config.min_run, config.min_off, last_stop=now)
    for _ in range(data.draw(st.integers(5, 40), label="steps")):
        event = data.draw(
            st.sampled_from(["time", "time", "temp", "temp", "own", "own", "settings", "restart"])
        )
        if event in COMMON_EVENTS:
            now, obs = common_event(data, event, now, obs)
        elif event == "own":  # a head's own thermostat starts or stops delivering
            hid = data.draw(st.sampled_from(sorted(obs.heads)))
            state = obs.heads[hid]
            if state.hvac_mode in ("heat", "cool"):
                acting = "heating" if state.hvac_mode == "heat" else "cooling"
                action = acting if state.hvac_action == "idle" else "idle"
                obs = replace(obs, heads={**obs.heads, hid: replace(state, hvac_action=action)})
        else:
            controller = Controller(config, now, controller.memory())
        watch.see(now, any(h.hvac_action in ("heating", "cooling") for h in obs.heads.values()))
        for _ in range(2):
            decision = check_idempotent(controller, now, obs)
            for zid, new in decision.adopted.items():
                zones = {**obs.zones, zid: replace(obs.zones[zid], settings=new)}
                obs = replace(obs, zones=zones)
            watch.check(now, obs, decision.commands)
            obs = apply(obs, decision.commands)
            # a head turned on reports idle until its own thermostat calls; off reports off
            heads = {
                k: replace(h, hvac_action="off")
                if h.hvac_mode == "off"
                else (
                    h
                    if h.hvac_action in ("heating", "cooling", "idle")
                    else replace(h, hvac_action="idle")
                )
                for k, h in obs.heads.items()
            }
            obs = replace(obs, heads=heads)
            watch.see(now, any(h.hvac_action in ("heating", "cooling") for h in heads.values()))
            assert decision.next_check is None or decision.next_check > now


def _own_rounding(value: float, kind: str) -> float:
    """What a head that keeps its own setpoint steps shows for `value` (°C)."""
    if kind == "fahrenheit":  # whole °F behind a 0.5 °C step
        return round((round(value * 1.8 + 32.0) - 32.0) / 1.8, 4)
    return float(round(value))  # whole °C behind a 0.5 °C step


@PROPS
@given(st.data())
def test_a_head_is_never_sent_again_what_it_shows_for_the_last_command(
    data: st.DataObject,
) -> None:
    """Heads that round setpoints their own way (whole °F or whole °C, while reporting a 0.5 °C
    step): a command identical to the last one sent, with the head still showing what it made of
    that one, changes nothing on the head; it is never sent (it would only beep)."""
    config = mini_system(data)
    kinds = {
        z.head: data.draw(st.sampled_from(["fahrenheit", "celsius"]))
        for z in config.zones
        if z.head
    }
    obs = SystemObservation(
        zones={z.zone_id: ZoneInput(data.draw(SETTINGS), 20.0) for z in config.zones},
        heads={h: ClimateState(hvac_mode="off", current_temperature=20.0) for h in kinds},
    )
    now = 1000.0
    controller = Controller(config, now)
    shown: dict[str, tuple[SetClimate, str | None, float | None]] = {}
    for _ in range(data.draw(st.integers(5, 40), label="steps")):
        event = data.draw(st.sampled_from(["time", "time", "temp", "head", "settings", "restart"]))
        if event in COMMON_EVENTS:
            now, obs = common_event(data, event, now, obs)
        elif event == "head":  # the head's own reading moves (its offset to the room)
            hid = data.draw(st.sampled_from(sorted(obs.heads)))
            reading = data.draw(st.floats(min_value=15, max_value=30))
            obs = replace(
                obs, heads={**obs.heads, hid: replace(obs.heads[hid], current_temperature=reading)}
            )
        else:  # a new controller knows nothing of what was sent: it may send once more
            controller = Controller(config, now, controller.memory())
            shown.clear()
        decision = controller.step(now, obs)
        for command in decision.commands:
            assert isinstance(command, SetClimate)
            head = obs.heads[command.entity_id]
            last = shown.get(command.entity_id)
            assert last is None or last != (command, head.hvac_mode, head.target_temperature), (
                f"{command} sent again to a head showing {head.target_temperature}"
            )
        for zid, new in decision.adopted.items():
            obs = replace(obs, zones={**obs.zones, zid: replace(obs.zones[zid], settings=new)})
        obs = apply(obs, decision.commands)
        heads = dict(obs.heads)
        for command in decision.commands:
            assert isinstance(command, SetClimate)
            state = heads[command.entity_id]
            if state.target_temperature is not None and command.target_temperature is not None:
                state = replace(
                    state,
                    target_temperature=_own_rounding(
                        command.target_temperature, kinds[command.entity_id]
                    ),
                )
            heads[command.entity_id] = state
            shown[command.entity_id] = (command, state.hvac_mode, state.target_temperature)
        obs = replace(obs, heads=heads)
