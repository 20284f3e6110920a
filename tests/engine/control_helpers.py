"""Builders and a tiny command applier for the control engine tests (no Home Assistant)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from engine.control.controller import Controller
from engine.model import (
    ClimateState,
    Command,
    ControllerMemory,
    DamperState,
    Decision,
    SetClimate,
    SetDamper,
    SystemConfig,
    SystemObservation,
    Topology,
    ZoneConfig,
    ZoneInput,
    ZoneMode,
    ZoneSettings,
)

SOURCE = "climate.source"
STOPPED = ControllerMemory(running=False, last_stop=-1000.0)  # long enough ago: no min off


def ducted_config(n: int = 3, dampers_per_zone: int = 1, **kwargs: object) -> SystemConfig:
    """`n` equal zones z0..z{n-1}, each with `dampers_per_zone` dampers cover.z{i}_{j}."""
    zones = tuple(
        ZoneConfig(
            zone_id=f"z{i}",
            name=f"Zone {i}",
            dampers=tuple(f"cover.z{i}_{j}" for j in range(dampers_per_zone)),
        )
        for i in range(n)
    )
    kwargs.setdefault("tolerance", 0.3)  # the engine tests' numbers were written for 0.3
    return SystemConfig(topology=Topology.DUCTED, zones=zones, source=SOURCE, **kwargs)  # type: ignore[arg-type]


def mini_config(n: int = 3, **kwargs: object) -> SystemConfig:
    """`n` zones z0..z{n-1} with heads climate.h{i} and room sensors."""
    zones = tuple(
        ZoneConfig(zone_id=f"z{i}", name=f"Zone {i}", head=f"climate.h{i}") for i in range(n)
    )
    kwargs.setdefault("tolerance", 0.3)
    return SystemConfig(topology=Topology.MINI_SPLIT, zones=zones, **kwargs)  # type: ignore[arg-type]


def heat(target: float = 21.0) -> ZoneSettings:
    """A zone in HEAT."""
    return ZoneSettings(hvac_mode=ZoneMode.HEAT, target=target)


def cool(target: float = 24.0) -> ZoneSettings:
    """A zone in COOL."""
    return ZoneSettings(hvac_mode=ZoneMode.COOL, target=target)


def auto(low: float = 20.0, high: float = 24.0) -> ZoneSettings:
    """A zone in HEAT_COOL."""
    return ZoneSettings(hvac_mode=ZoneMode.HEAT_COOL, target_low=low, target_high=high)


OFF = ZoneSettings()


def zones(*pairs: tuple[ZoneSettings, float | None]) -> dict[str, ZoneInput]:
    """Zone inputs z0.. from (settings, temperature) pairs."""
    return {f"z{i}": ZoneInput(s, t) for i, (s, t) in enumerate(pairs)}


def ducted_obs(
    config: SystemConfig,
    zone_inputs: Mapping[str, ZoneInput],
    source: ClimateState | None = None,
    position: float = 100.0,
    positionable: bool = True,
) -> SystemObservation:
    """Ducted observation with all dampers at `position`, source off at 20 degrees by default."""
    dampers = {
        d: DamperState(position=position, positionable=positionable)
        for z in config.zones
        for d in z.dampers
    }
    if source is None:
        source = ClimateState(hvac_mode="off", current_temperature=20.0, target_temperature=20.0)
    return SystemObservation(zones=dict(zone_inputs), source=source, dampers=dampers)


def mini_obs(
    config: SystemConfig,
    zone_inputs: Mapping[str, ZoneInput],
    head_temperature: float | None = 20.0,
) -> SystemObservation:
    """Mini-split observation with every head off."""
    heads = {
        z.head: ClimateState(hvac_mode="off", current_temperature=head_temperature)
        for z in config.zones
        if z.head
    }
    return SystemObservation(zones=dict(zone_inputs), heads=heads)


def apply(obs: SystemObservation, commands: Iterable[Command]) -> SystemObservation:
    """The observation after the equipment obeyed every command (unavailable ones ignore them)."""
    source = obs.source
    heads = dict(obs.heads)
    dampers = dict(obs.dampers)
    for command in commands:
        if isinstance(command, SetDamper):
            state = dampers.get(command.entity_id)
            if state is not None and state.available:
                dampers[command.entity_id] = replace(state, position=command.position)
            continue
        assert isinstance(command, SetClimate)
        if source is not None and command.entity_id == SOURCE:
            if source.available:
                source = _obey(source, command)
        elif command.entity_id in heads and heads[command.entity_id].available:
            heads[command.entity_id] = _obey(heads[command.entity_id], command)
    return replace(obs, source=source, heads=heads, dampers=dampers)


def step(
    controller: Controller, now: float, obs: SystemObservation
) -> tuple[SystemObservation, Decision]:
    """One control step; returns the observation after it and the decision.

    After it: the equipment obeyed every command and the zones took up any adopted remote change.
    """
    decision = controller.step(now, obs)
    for zid, new in decision.adopted.items():
        obs = replace(obs, zones={**obs.zones, zid: replace(obs.zones[zid], settings=new)})
    return apply(obs, decision.commands), decision


def started(
    config: SystemConfig, obs: SystemObservation, memory: ControllerMemory | None = None
) -> tuple[Controller, SystemObservation, Decision]:
    """A controller created at 0 (`STOPPED` by default) after its first `step` on `obs`.

    Returns the controller, the observation after that step and its decision.
    """
    controller = Controller(config, 0.0, STOPPED if memory is None else memory)
    after, decision = step(controller, 0.0, obs)
    return controller, after, decision


def _obey(state: ClimateState, command: SetClimate) -> ClimateState:
    target = state.target_temperature
    if command.target_temperature is not None:
        target = command.target_temperature
    return replace(state, hvac_mode=command.hvac_mode, target_temperature=target)


def open_share(
    config: SystemConfig, obs: SystemObservation, decision: Decision | None = None
) -> float:
    """Position-weighted open airflow of all zones / their total (after the decision).

    Physical: the blower moves the same air whether or not a room's sensor works.
    """
    after = apply(obs, decision.commands) if decision is not None else obs
    total = 0.0
    flow = 0.0
    for zone in config.zones:
        total += zone.airflow
        if not zone.dampers:
            flow += zone.airflow
            continue
        positions = [
            (after.dampers[d].position or 0.0) if after.dampers[d].available else 0.0
            for d in zone.dampers
            if d in after.dampers
        ]
        flow += zone.airflow * sum(positions) / len(zone.dampers) / 100
    return 1.0 if total == 0 else flow / total


def climate_commands(decision: Decision) -> list[SetClimate]:
    """The climate commands of a decision."""
    return [c for c in decision.commands if isinstance(c, SetClimate)]


def damper_commands(decision: Decision) -> dict[str, float]:
    """Damper commands of a decision by entity."""
    return {c.entity_id: c.position for c in decision.commands if isinstance(c, SetDamper)}
