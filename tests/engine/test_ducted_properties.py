"""Random sequences against a ducted controller in a hostile home.

Dampers go offline, get stuck (ignore commands), become slow (a command lands only when time next
passes) or close by themselves; the central unit drops off; the wall clock jumps back and forward
(NTP); Home Assistant restarts (the memory goes through storage on the wall clock, the clock may
be set back while it is down); temperatures and settings change. The controller is driven the way
the Home Assistant layer drives it: control time from a monotonic clock (`ControlClock`).

At every step:
- the unit never runs while the open design airflow seen is below the floor (less the 1-point
  dead band): not after the decision, nor after any prefix of its commands;
- compressor protection holds in elapsed (monotonic) time: minimum off time and starts per hour
  always; the minimum run time unless the floor was lost (even counting every closing not yet
  seen as landed), when airflow comes first;
- clock jumps never force a run: the unit starts only for a zone that calls, and with no zone
  calling it is stopped once the minimum run (from its start or the last restart) and the
  command interval are over;
- quiet: a damper never gets the same position twice within its grace time unless something
  happened to it, and one reported stuck gets at most `RETRIES` commands while it stays so;
- a zone whose dampers are all offline is unavailable; a calling zone whose dampers cannot take
  air says `damper`; a repeated step sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from engine.control.clock import ControlClock, memory_to_wall
from engine.control.controller import Controller
from engine.control.dampers import RETRIES
from engine.model import (
    ClimateState,
    Command,
    DamperState,
    DamperStatus,
    Decision,
    SetClimate,
    SetDamper,
    SystemConfig,
    SystemObservation,
    Topology,
    WaitReason,
    ZoneConfig,
    ZoneInput,
)

from .control_helpers import SOURCE, apply
from .test_controller_properties import SETTINGS, TEMPS, check_idempotent

PROPS = settings(
    max_examples=int(os.environ.get("HPZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEAD_BAND = 0.01  # of the total: what the floor may be missed by as seen (99 for 100)
INTERVAL = 60.0  # the command interval of SystemConfig
JUMPS = [-86400.0, -3600.0, -600.0, -60.0, 60.0, 600.0, 3600.0, 86400.0]
EVENTS = [
    "time", "time", "time", "time", "time", "temp", "temp", "settings", "settings", "source",
    "offline", "stuck", "stuck", "stuck", "slow", "drift", "jump", "jump", "restart",
]  # fmt: skip


def ducted_system(data: st.DataObject) -> SystemConfig:
    """1–4 zones of 1–2 dampers, random airflows, floors and protection times."""
    n = data.draw(st.integers(1, 4), label="zones")
    zones = tuple(
        ZoneConfig(
            zone_id=f"z{i}",
            name=f"Z{i}",
            dampers=tuple(f"cover.z{i}_{j}" for j in range(data.draw(st.integers(1, 2)))),
            airflow=data.draw(st.floats(min_value=10, max_value=400)),
            priority=data.draw(st.integers(-1, 3)),
        )
        for i in range(n)
    )
    return SystemConfig(
        topology=Topology.DUCTED,
        zones=zones,
        source=SOURCE,
        min_airflow_percent=data.draw(st.sampled_from([10.0, 40.0, 65.0, 100.0])),
        min_run=data.draw(st.sampled_from([0.0, 120.0, 300.0])),
        min_off=data.draw(st.sampled_from([0.0, 180.0, 300.0])),
        mode_dwell=data.draw(st.sampled_from([0.0, 600.0])),
    )


def share(config: SystemConfig, dampers: dict[str, DamperState]) -> float:
    """Open design airflow seen, as a share of the total (offline or unknown: closed)."""
    total = flow = 0.0
    for zone in config.zones:
        total += zone.airflow
        seen = [
            min(max(s.position or 0.0, 0.0), 100.0) if (s := dampers[d]).available else 0.0
            for d in zone.dampers
        ]
        flow += zone.airflow * sum(seen) / len(zone.dampers) / 100
    return flow / total


@dataclass
class House:
    """The equipment as it really behaves, and true (monotonic) time."""

    config: SystemConfig
    obs: SystemObservation
    t: float = 1000.0  # true elapsed time
    skew: float = 0.0  # wall clock - true time
    stuck: set[str] = field(default_factory=set)  # ignore every command
    slow: set[str] = field(default_factory=set)  # commands land when time next passes
    pending: dict[str, float] = field(default_factory=dict)  # slow dampers' positions to come

    @property
    def wall(self) -> float:
        return self.t + self.skew

    def obey(self, commands: tuple[Command, ...]) -> SystemObservation:
        """The state after `commands` (stuck dampers ignore theirs, slow ones take time)."""
        later = [c for c in commands if isinstance(c, SetDamper) and c.entity_id in self.slow]
        for command in later:
            self.pending[command.entity_id] = command.position
        now = tuple(
            c
            for c in commands
            if not (isinstance(c, SetDamper) and c.entity_id in self.stuck | self.slow)
        )
        return apply(self.obs, now)

    def land(self) -> None:
        """Time passes: slow dampers arrive (unless offline or stuck meanwhile)."""
        dampers = dict(self.obs.dampers)
        for damper, position in self.pending.items():
            state = dampers[damper]
            if state.available and damper not in self.stuck:
                dampers[damper] = replace(state, position=position)
        self.pending.clear()
        self.obs = replace(self.obs, dampers=dampers)

    def set_damper(self, damper: str, **changes: object) -> None:
        self.obs = replace(
            self.obs,
            dampers={**self.obs.dampers, damper: replace(self.obs.dampers[damper], **changes)},  # type: ignore[arg-type]
        )


@dataclass
class Watch:
    """What the checks remember, in true time."""

    config: SystemConfig
    running: str | None = None
    last_start: float | None = None
    last_stop: float | None = None
    starts: list[float] = field(default_factory=list)
    restart: float = 0.0
    source_command: float = -1e9
    lowered: dict[str, float] = field(default_factory=dict)  # lowest closing not yet landed
    sent: dict[str, tuple[float, float]] = field(default_factory=dict)  # damper: (position, t)
    touched: set[str] = field(default_factory=set)  # dampers something happened to
    stuck_commands: dict[str, int] = field(default_factory=dict)

    def pessimistic(self, house: House) -> float:
        """The share seen, with every closing not yet seen taken as landed."""
        dampers = dict(house.obs.dampers)
        for damper, position in self.lowered.items():
            state = dampers[damper]
            if state.available and (state.position or 0.0) > position:
                dampers[damper] = replace(state, position=position)
        return share(self.config, dampers)

    def see(self, t: float, mode: str | None, airflow_lost: bool) -> None:
        """The source's mode after a step: starts and stops against protection."""
        if mode == self.running:
            return
        cfg = self.config
        if self.running is not None:
            assert self.running is not None and mode is None, "reversal without a stop"
            run = t - (self.last_start or -1e9)
            assert run >= cfg.min_run - 1e-6 or airflow_lost, f"stopped after {run} s"
            self.last_stop = t
        else:
            assert self.last_stop is None or t - self.last_stop >= cfg.min_off - 1e-6
            self.starts.append(t)
            recent = [s for s in self.starts if t - s < 3600.0 - 1e-6]
            assert len(recent) <= cfg.max_starts_per_hour, f"{len(recent)} starts in an hour"
            self.last_start = t
        self.running = mode


def check_decision(house: House, watch: Watch, before: SystemObservation, d: Decision) -> None:
    """The invariants of one decision (the source is available)."""
    cfg, t = house.config, house.t
    floor = cfg.min_airflow_percent / 100 - DEAD_BAND - 1e-9
    for command in d.commands:
        assert not isinstance(command, SetClimate) or command.entity_id == SOURCE
    # Never running below the floor as seen: after any prefix of the commands, and after all.
    for k in range(1, len(d.commands) + 1) if d.commands else (0,):
        state = replace(house, obs=before).obey(d.commands[:k])
        assert state.source is not None
        if state.source.hvac_mode in ("heat", "cool"):
            assert share(cfg, dict(state.dampers)) >= floor, (k, d.commands)
    served = {
        zid
        for zid, status in d.zones.items()
        if status.calling is not None and status.waiting is not WaitReason.DAMPER
    }
    after = house.obey(d.commands)
    assert after.source is not None
    was_on = before.source is not None and before.source.hvac_mode in ("heat", "cool")
    on = after.source.hvac_mode in ("heat", "cool")
    if on and not was_on:
        assert any(d.zones[z].calling == after.source.hvac_mode for z in served), "start, no call"
    if on and not served:
        held = t - max(watch.last_start or -1e9, watch.restart)
        assert held < cfg.min_run + 1e-6 or t < watch.source_command + INTERVAL, (
            f"running {held} s with no call"
        )
    # Zones: all dampers offline -> unavailable; calling but no damper takes air -> `damper`.
    for zone in cfg.zones:
        status = d.zones[zone.zone_id]
        states = [before.dampers[x] for x in zone.dampers]
        if not any(s.available for s in states):
            assert not status.available
        health = [d.dampers[x] for x in zone.dampers]
        dead = all(
            h.status is DamperStatus.UNAVAILABLE
            or (h.status is DamperStatus.STUCK and not h.position)
            for h in health
        )
        if status.available and dead and status.calling is not None:
            assert status.waiting is WaitReason.DAMPER
        if not status.available:
            assert status.action.value in ("idle", "off")


def note_commands(house: House, watch: Watch, d: Decision) -> None:
    """Quiet: the same position not twice within the grace time; stuck ones on backoff."""
    t, grace = house.t, house.config.damper_grace
    for command in d.commands:
        if isinstance(command, SetClimate):
            watch.source_command = t
            continue
        damper = command.entity_id
        last = watch.sent.get(damper)
        if last is not None and damper not in watch.touched:
            position, at = last
            assert position != command.position or t >= at + grace - 1e-6, (
                f"{damper} told {position} again after {t - at} s"
            )
        watch.sent[damper] = (command.position, t)
        watch.touched.discard(damper)
        if command.position < (house.obs.dampers[damper].position or 0.0):
            watch.lowered[damper] = min(watch.lowered.get(damper, 100.0), command.position)
        if d.dampers[damper].status is DamperStatus.STUCK:
            watch.stuck_commands[damper] = watch.stuck_commands.get(damper, 0) + 1
            assert watch.stuck_commands[damper] <= RETRIES, f"{damper}: retries unbounded"
    for damper, health in d.dampers.items():
        if health.status is not DamperStatus.STUCK:
            watch.stuck_commands.pop(damper, None)


# A property test's loop of steps and invariants, read top to bottom.
@PROPS
@given(st.data())
def test_ducted_invariants_in_a_hostile_home(data: st.DataObject) -> None:  # noqa: C901, PLR0912, PLR0915
    config = ducted_system(data)
    dampers = {
        d: DamperState(
            position=data.draw(st.sampled_from([0.0, 50.0, 100.0])),
            positionable=data.draw(st.booleans()),
        )
        for z in config.zones
        for d in z.dampers
    }
    house = House(
        config,
        SystemObservation(
            zones={z.zone_id: ZoneInput(data.draw(SETTINGS), 20.0) for z in config.zones},
            source=ClimateState(hvac_mode="off", current_temperature=20.0),
            dampers=dampers,
        ),
    )
    mono_base = 0.0  # the monotonic clock reads t - mono_base (it restarts with the machine)
    clock = ControlClock(house.wall, house.t - mono_base)
    controller = Controller(config, clock.now(house.t - mono_base))
    watch = Watch(config, last_stop=house.t)
    names = sorted(dampers)
    for _ in range(data.draw(st.integers(10, 60), label="steps")):
        event = data.draw(st.sampled_from(EVENTS))
        obs = house.obs
        if event == "time":
            house.t += data.draw(st.sampled_from([1.0, 30.0, 61.0, 130.0, 400.0, 1300.0]))
            house.land()
        elif event in ("temp", "settings"):
            zid = data.draw(st.sampled_from(sorted(obs.zones)))
            zone = obs.zones[zid]
            if event == "temp":
                zone = replace(zone, temperature=data.draw(TEMPS))
            else:
                zone = replace(zone, settings=data.draw(SETTINGS))
            house.obs = replace(obs, zones={**obs.zones, zid: zone})
        elif event == "source":
            assert obs.source is not None
            house.obs = replace(obs, source=replace(obs.source, available=not obs.source.available))
        elif event in ("offline", "stuck", "slow", "drift"):
            damper = data.draw(st.sampled_from(names))
            watch.touched.add(damper)
            if event == "offline":
                house.set_damper(damper, available=not obs.dampers[damper].available)
            elif event == "drift":  # it closes by itself
                house.set_damper(damper, position=0.0)
            else:
                group = house.stuck if event == "stuck" else house.slow
                group.symmetric_difference_update({damper})
        elif event == "jump":  # the wall clock is set; elapsed time does not jump
            house.skew += data.draw(st.sampled_from(JUMPS))
        else:  # restart: stored on the wall clock, down a while, maybe set back meanwhile
            memory = memory_to_wall(controller.memory(), clock.now(house.t - mono_base), house.wall)
            house.t += data.draw(st.sampled_from([5.0, 60.0, 600.0]))
            house.land()
            house.skew -= data.draw(st.sampled_from([0.0, 0.0, 3600.0, 86400.0]))
            mono_base = house.t  # a new boot: the monotonic clock starts again
            clock = ControlClock(house.wall, 0.0)
            controller = Controller(config, clock.now(0.0), memory)
            watch.restart = house.t
            watch.sent.clear()  # a new controller knows nothing of what was sent
            watch.stuck_commands.clear()
        before = house.obs
        airflow_lost = watch.pessimistic(house) < config.min_airflow_percent / 100 - 1e-9
        now = clock.now(house.t - mono_base)
        decision = check_idempotent(controller, now, before)
        assert decision.next_check is None or decision.next_check > now
        if before.source is not None and before.source.available:
            check_decision(house, watch, before, decision)
            note_commands(house, watch, decision)
        else:
            assert decision.commands == ()
        house.obs = house.obey(decision.commands)
        for damper, state in house.obs.dampers.items():
            last = watch.sent.get(damper, (-9.0, 0.0))[0]
            if state.available and abs((state.position or 0.0) - last) <= 1:
                watch.lowered.pop(damper, None)  # seen where it was last told
        assert house.obs.source is not None
        mode = house.obs.source.hvac_mode
        watch.see(house.t, mode if mode in ("heat", "cool") else None, airflow_lost)
