"""Drive a simulated house with the pure zoning engine (no Home Assistant), and meter the truth.

Lives in `benchmarks/`, not `sim/`: `sim` must not import the engine (`mypy
custom_components/heat_pump_zoning sim` would see the engine's files under two module names). It
imports the engine as the top-level package `engine`, without Home Assistant (the package
`benchmarks` puts the integration's folder on the path; docs/ARCHITECTURE.md). `scripts/test`
type-checks it that way (``MYPYPATH=custom_components/heat_pump_zoning mypy
--explicit-package-bases benchmarks/engine_bridge.py``).

The adapter does what the Home Assistant layer does, with the simulator's objects in place of
entities:

- `system_configs` builds one engine `SystemConfig` per HVAC system of the house: a ducted unit's
  zones are its dampers' rooms (airflow = the damper's design CFM, floor area from the room), its
  source the unit's wall thermostat; a mini-split's zones are its heads' rooms (room sensor on).
  ``unzoned=True`` gives the *unzoned* baseline of a ducted unit: one zone, in the thermostat
  room, that owns every damper (all open whenever the unit runs).
- `observe` translates the sim's state into a `SystemObservation` (room sensors, the source's or
  heads' `ClimateState`, the dampers' `DamperState`, each head's output sensor: its metered
  electrical power in whole watts, as `sim.ha` exposes it); `apply` sends the decision's commands
  (`SetClimate` -> set_mode/set_setpoint, `SetDamper` -> set_position).
- `EngineDriver` runs one `Controller` per system, every zone following a `ZonePlan` schedule
  (home setpoints while occupied and one hour before, eco otherwise), and books a `Ledger` per
  system with `system_sample` (the same function the HA layer uses), the system's electrical
  power and the outdoor temperature. With ``attribution_baselines=True`` it also books each
  mini-split into one more ledger per `Attribution` baseline from the same run: ``"equal"`` (no
  head output sensors: equal split between running heads) and ``"level"`` (heads reporting an
  output level in % of their own capacity instead of power).
- `TruthMeter` accumulates per-room truth the simulator does not keep itself (see its
  docstring for the definitions).

Timing. The simulator decides each step's equipment state at the start of the step and only
reports it (``hvac_action``, power) after the step. Home Assistant sees a state change when it
happens, so the ledger sample for the step ``[t, t + dt]`` is built from the state observed right
after the step and booked from ``t`` (`EngineDriver.after_step`); booking it one step late
(``lagged=True``) shows what a sampling delay costs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta, timezone
import math
from typing import Literal

from engine.control.controller import Controller
from engine.ledger.energy import EnergyModel
from engine.ledger.ledger import Ledger
from engine.ledger.sampling import system_sample
from engine.model import (
    ClimateState,
    Command,
    DamperState,
    Decision,
    HeadOutput,
    OutputKind,
    SetDamper,
    SystemConfig,
    SystemObservation,
    Topology,
    ZoneConfig,
    ZoneInput,
    ZoneMode,
    ZoneSettings,
)
from engine.report.build import SystemReportInput
from engine.report.duct_model import duct_space_temperature
from sim.house import House
from sim.houses import demo_house_spec
from sim.spec import DuctLocation, HVACMode
from sim.units import SECONDS_PER_HOUR, btuh_to_w
from sim.weather import Site, synthetic_weather

type Season = Literal["winter", "summer"]
type Baseline = Literal["every_room", "one_zone"]
# What each mini-split head's output sensor shows: metered power (the integration's configured
# path), output level in % of the head's own capacity, or nothing (equal split).
type Attribution = Literal["power", "level", "equal"]
ATTRIBUTION_BASELINES: tuple[Attribution, ...] = ("equal", "level")

SETPOINT_STEP = 0.5  # °C, a typical thermostat/head step (HA `target_temp_step`)
PRECONDITION_H = 1.0  # home setpoints start this long before an occupied period
# Where a season's runs start (air and structure), °C: near what the house holds then.
INITIAL_TEMPERATURE_C: dict[Season, float] = {"winter": 20.5, "summer": 24.5}


def source_entity(system_id: str) -> str:
    """Entity id of a ducted unit's wall thermostat."""
    return f"climate.{system_id}"


def head_entity(head_id: str) -> str:
    """Entity id of a mini-split head."""
    return f"climate.head_{head_id}"


def damper_entity(damper_id: str) -> str:
    """Entity id of a damper."""
    return f"cover.{damper_id}"


# ---------------------------------------------------------------------------------------------
# Schedules


@dataclass(frozen=True, slots=True)
class ZonePlan:
    """A room's occupancy (local hour ranges, may wrap midnight) and (heat, cool) setpoints."""

    occupied: tuple[tuple[float, float], ...]
    home: tuple[float, float] = (21.0, 24.0)
    eco: tuple[float, float] = (18.0, 27.0)

    def is_occupied(self, hour: float) -> bool:
        """Whether local ``hour`` (0-24) falls in an occupied range."""
        for start, end in self.occupied:
            inside = start <= hour < end if start <= end else hour >= start or hour < end
            if inside:
                return True
        return False

    def home_at(self, t: float, site: Site) -> bool:
        """Home setpoints at ``t``: occupied now or within `PRECONDITION_H`."""
        hour = local_hour(t, site)
        return self.is_occupied(hour) or self.is_occupied((hour + PRECONDITION_H) % 24.0)

    def setpoints(self, t: float, site: Site) -> tuple[float, float]:
        """(heat, cool) setpoints in force at ``t``."""
        return self.home if self.home_at(t, site) else self.eco


# The demo house's occupancy: living areas mornings and evenings, bedrooms at night, the office
# in the day, the study day and evening (illustrative).
DEMO_PLANS: dict[str, ZonePlan] = {
    "living": ZonePlan(((6.5, 9.0), (17.0, 22.5))),
    "kitchen": ZonePlan(((6.5, 9.0), (17.0, 22.5))),
    "bedroom": ZonePlan(((22.5, 6.5),)),
    "office": ZonePlan(((9.0, 17.0),)),
    "bedroom2": ZonePlan(((22.5, 6.5),)),
    "study": ZonePlan(((9.0, 22.5),)),
}


def local_hour(t: float, site: Site) -> float:
    """Hour of the day (0-24) at POSIX ``t`` in the site's standard time."""
    return ((t + site.utc_offset_h * SECONDS_PER_HOUR) % 86400.0) / SECONDS_PER_HOUR


def site_timezone(site: Site) -> timezone:
    """The site's standard time as a tzinfo (the ledger's local days)."""
    return timezone(timedelta(hours=site.utc_offset_h))


def zone_settings(season: Season, setpoints: tuple[float, float]) -> ZoneSettings:
    """A zone thermostat in the season's mode at the given (heat, cool) setpoints."""
    heat, cool = setpoints
    if season == "winter":
        return ZoneSettings(hvac_mode=ZoneMode.HEAT, target=heat, target_low=heat, target_high=cool)
    return ZoneSettings(hvac_mode=ZoneMode.COOL, target=cool, target_low=heat, target_high=cool)


def most_demanding(season: Season, plans: Iterable[ZonePlan], t: float, site: Site) -> ZonePlan:
    """A plan that is always at the most demanding of ``plans``' setpoints at ``t``."""
    points = [p.setpoints(t, site) for p in plans]
    heat = max(p[0] for p in points)
    cool = min(p[1] for p in points)
    return ZonePlan(((0.0, 24.0),), home=(heat, cool), eco=(heat, cool))


def build_season_house(
    season: Season,
    days: float,
    seed: int = 1,
    duct_location: DuctLocation | None = None,
    ducts: Mapping[str, float] | None = None,
) -> House:
    """The demo house in seeded weather of ``season`` (``days`` rounded up, plus one), starting
    at local midnight with every node at the season's initial temperature (ducts in the demo's
    crawlspace unless ``duct_location`` says otherwise; ``ducts``: `DuctedSpec` fields to change,
    such as the duct physics the estimate does not model)."""
    spec = demo_house_spec() if duct_location is None else demo_house_spec(duct_location)
    if ducts:
        spec = replace(spec, ducted=tuple(replace(unit, **ducts) for unit in spec.ducted))  # type: ignore[arg-type]
    start = INITIAL_TEMPERATURE_C[season]
    spec = replace(spec, rooms=tuple(replace(r, initial_temperature_c=start) for r in spec.rooms))
    return House(spec, synthetic_weather(season, math.ceil(days) + 1, seed=seed))


# ---------------------------------------------------------------------------------------------
# Configuration, observation, commands


def system_configs(house: House, *, unzoned: bool = False) -> dict[str, SystemConfig]:
    """One engine configuration per HVAC system (see module docstring)."""
    configs: dict[str, SystemConfig] = {}
    for sid, unit in house.ducted.items():
        if unzoned:
            room = house.spec.ducted[list(house.ducted).index(sid)].thermostat_room
            zones: tuple[ZoneConfig, ...] = (
                ZoneConfig(
                    zone_id=room,
                    name=house.rooms[room].name,
                    dampers=tuple(damper_entity(d.id) for d in unit.dampers),
                    airflow=sum(d.design_cfm for d in unit.dampers),
                    floor_area=sum(house.rooms[d.room].floor_area_m2 for d in unit.dampers),
                ),
            )
        else:
            zones = tuple(
                ZoneConfig(
                    zone_id=d.room,
                    name=house.rooms[d.room].name,
                    dampers=(damper_entity(d.id),),
                    airflow=d.design_cfm,
                    floor_area=house.rooms[d.room].floor_area_m2,
                )
                for d in unit.dampers
            )
        configs[sid] = SystemConfig(
            topology=Topology.DUCTED,
            zones=zones,
            source=source_entity(sid),
            min_run=300.0,
            min_off=300.0,
        )
    for sid, ms in house.minisplits.items():
        configs[sid] = SystemConfig(
            topology=Topology.MINI_SPLIT,
            zones=tuple(
                ZoneConfig(
                    zone_id=h.room,
                    name=house.rooms[h.room].name,
                    head=head_entity(h.id),
                    floor_area=house.rooms[h.room].floor_area_m2,
                )
                for h in ms.heads
            ),
            min_run=300.0,
            min_off=300.0,
        )
    return configs


def head_output(house: House, zone: ZoneConfig, attribution: Attribution) -> HeadOutput | None:
    """What the output sensor of a zone's head shows (None: no head or no sensor)."""
    if zone.head is None or attribution == "equal":
        return None
    head = house.heads[_head_id(zone.head)]
    if attribution == "power":
        return HeadOutput(OutputKind.POWER, float(round(head.power_w)))
    return HeadOutput(
        OutputKind.LEVEL, float(min(100, round(100.0 * abs(head.output_w) / head.max_w)))
    )


def observe(
    house: House,
    config: SystemConfig,
    settings: Mapping[str, ZoneSettings],
    attribution: Attribution = "power",
) -> SystemObservation:
    """What Home Assistant would show the engine for one system now."""
    zones = {
        z.zone_id: ZoneInput(
            settings=settings[z.zone_id],
            temperature=house.rooms[z.zone_id].reading,
            output=head_output(house, z, attribution),
        )
        for z in config.zones
    }
    if config.topology is Topology.DUCTED:
        sid = _ducted_id(house, config)
        unit = house.ducted[sid]
        source = ClimateState(
            hvac_mode=unit.hvac_mode.value,
            hvac_action=unit.hvac_action.value,
            current_temperature=unit.current_temperature,
            target_temperature=unit.target_temperature,
            min_temp=unit.min_temp,
            max_temp=unit.max_temp,
            target_temp_step=SETPOINT_STEP,
        )
        dampers = {
            damper_entity(d.id): DamperState(position=d.position, positionable=True)
            for d in unit.dampers
        }
        return SystemObservation(zones=zones, source=source, dampers=dampers)
    heads: dict[str, ClimateState] = {}
    for z in config.zones:
        if z.head is None:
            continue
        head = house.heads[_head_id(z.head)]
        heads[z.head] = ClimateState(
            hvac_mode=head.hvac_mode.value,
            hvac_action=head.hvac_action.value if head.reports_action else None,
            current_temperature=head.current_temperature,
            target_temperature=head.target_temperature,
            min_temp=head.min_temp,
            max_temp=head.max_temp,
            target_temp_step=head.target_temp_step,
        )
    return SystemObservation(zones=zones, heads=heads)


def apply(house: House, commands: Iterable[Command]) -> None:
    """Send the engine's commands to the simulated equipment."""
    for command in commands:
        if isinstance(command, SetDamper):
            house.dampers[command.entity_id.removeprefix("cover.")].set_position(command.position)
            continue
        name = command.entity_id.removeprefix("climate.")
        unit = house.heads[name.removeprefix("head_")] if name.startswith("head_") else None
        if unit is None:
            target = house.ducted[name]
            target.set_mode(HVACMode(command.hvac_mode))
            if command.target_temperature is not None:
                target.set_setpoint(command.target_temperature)
            continue
        unit.set_mode(HVACMode(command.hvac_mode))
        if command.target_temperature is not None:
            unit.set_setpoint(command.target_temperature)


def _ducted_id(house: House, config: SystemConfig) -> str:
    if config.source is None:
        raise ValueError("a ducted configuration needs a source")
    return config.source.removeprefix("climate.")


def _head_id(entity_id: str) -> str:
    return entity_id.removeprefix("climate.head_")


def energy_model(house: House, system_id: str) -> EnergyModel:
    """The unit's nameplate figures as a user would enter them (capacity, rated COPs)."""
    if system_id in house.ducted:
        d = house.ducted[system_id]
        return EnergyModel(
            heating_capacity_w=d.rated_w,
            cooling_capacity_w=d.rated_w,
            heating_cop_47=d.heating_cop47,
            seer2=d.spec.seer2,
        )
    ms = house.minisplits[system_id].spec
    return EnergyModel(
        heating_capacity_w=btuh_to_w(ms.rated_capacity_btuh),
        cooling_capacity_w=btuh_to_w(ms.rated_capacity_btuh),
        heating_cop_47=ms.heating_cop47_max,
        cooling_cop_82=ms.cooling_cop95_max / 0.75,
        inverter=True,
    )


# ---------------------------------------------------------------------------------------------
# Ground truth the simulator does not accumulate per room


@dataclass(slots=True)
class RoomMeter:
    """Per-room truth of one system (seconds, joules)."""

    runtime_s: float = (
        0.0  # ducted: runtime x air share; mini-split: outdoor runtime x output share
    )
    own_runtime_s: float = 0.0  # ducted: runtime with air reaching the room; heads: head runtime
    electrical_j: float = 0.0  # system electrical energy x the room's share of delivered heat
    delivered_j: float = 0.0  # sensible heat (or cooling) delivered to the room by the system


@dataclass(slots=True)
class SystemMeter:
    """One system's truth totals over the metered steps."""

    runtime_s: float = 0.0
    electrical_j: float = 0.0
    unattributed_s: float = 0.0  # running with nothing delivered (e.g. every damper shut)
    unattributed_j: float = 0.0
    rooms: dict[str, RoomMeter] = field(default_factory=dict)


class TruthMeter:
    """Per-room truth, one step at a time (call `record(dt)` right after `house.step(dt)`).

    Ducted unit, per step while it runs: the room's air share is its damper's design airflow x
    position over the open total (how the simulator splits the air); runtime truth = dt x air
    share; energy truth = electrical energy of the step x the room's share of the heat the unit
    delivered that step (from the room's own truth accumulator). Mini-split, per step while the
    outdoor unit runs: a head's output share is |its output| over the heads' total; runtime truth
    = dt x output share, the head's own runtime = dt while it delivers; energy truth = electrical
    energy of the step x output share. Each room must be served by one system only.
    """

    def __init__(self, house: House) -> None:
        """Start metering from now."""
        self.house = house
        self.systems: dict[str, SystemMeter] = {}
        seen: set[str] = set()
        for sid, unit in house.ducted.items():
            rooms = [d.room for d in unit.dampers]
            self.systems[sid] = SystemMeter(rooms={r: RoomMeter() for r in rooms})
            seen.update(rooms)
        for sid, ms in house.minisplits.items():
            rooms = [h.room for h in ms.heads]
            if seen & set(rooms):
                raise ValueError("a room is served by two systems: truth cannot be split")
            self.systems[sid] = SystemMeter(rooms={r: RoomMeter() for r in rooms})
        self._room_heat = self._room_heat_now()

    def _room_heat_now(self) -> dict[str, float]:
        truth = self.house.truth.rooms
        return {rid: truth[rid].heat_j + truth[rid].cool_j for rid in truth}

    def record(self, dt: float) -> None:
        """Account for the step of ``dt`` seconds that just ended."""
        house = self.house
        heat_now = self._room_heat_now()
        for sid, unit in house.ducted.items():
            meter = self.systems[sid]
            energy = unit.power_w * dt
            meter.electrical_j += energy
            if not unit.running:
                continue
            meter.runtime_s += dt
            open_cfm = sum(d.design_cfm * d.position for d in unit.dampers)
            delivered = {d.room: heat_now[d.room] - self._room_heat[d.room] for d in unit.dampers}
            total = sum(delivered.values())
            if open_cfm <= 0.0 or total <= 0.0:
                meter.unattributed_s += dt
                meter.unattributed_j += energy
                continue
            for d in unit.dampers:
                room = meter.rooms[d.room]
                share = d.design_cfm * d.position / open_cfm
                room.runtime_s += dt * share
                if share > 0.0:
                    room.own_runtime_s += dt
                room.electrical_j += energy * delivered[d.room] / total
                room.delivered_j += delivered[d.room]
        for sid, ms in house.minisplits.items():
            meter = self.systems[sid]
            energy = ms.power_w * dt
            meter.electrical_j += energy
            if not ms.running:
                continue
            meter.runtime_s += dt
            outputs = {h.room: abs(h.output_w) for h in ms.heads}
            total = sum(outputs.values())
            if total <= 0.0:
                meter.unattributed_s += dt
                meter.unattributed_j += energy
                continue
            for h in ms.heads:
                room = meter.rooms[h.room]
                share = outputs[h.room] / total
                room.runtime_s += dt * share
                if outputs[h.room] > 0.0:
                    room.own_runtime_s += dt
                room.electrical_j += energy * share
                room.delivered_j += outputs[h.room] * dt
        self._room_heat = heat_now


# ---------------------------------------------------------------------------------------------
# The closed loop


@dataclass(slots=True)
class _System:
    config: SystemConfig
    controller: Controller
    ledger: Ledger
    settings: dict[str, ZoneSettings] = field(default_factory=dict)
    obs: SystemObservation | None = None
    decision: Decision | None = None


class EngineDriver:
    """One engine `Controller` and one `Ledger` per system of ``house``, in a closed loop.

    Per step: ``before_step()`` (observe, decide, command), ``house.step(dt)``, then
    ``after_step(dt)`` (book the step into the ledgers). `run` does the three for a duration.
    ``baseline``: None runs each zone on its own plan. ``"every_room"`` conditions every room:
    each zone holds, all the time, the most demanding setpoint of its system's plans at that
    moment (same zones, same controller). ``"one_zone"`` is a conventional unzoned system: a
    ducted unit runs as one zone in the thermostat room owning every damper (all open while it
    runs, see `system_configs`), at that most demanding setpoint; heads as ``"every_room"``.
    """

    def __init__(
        self,
        house: House,
        season: Season,
        plans: Mapping[str, ZonePlan] | None = None,
        *,
        baseline: Baseline | None = None,
        lagged: bool = False,
        attribution_baselines: bool = False,
        duct_sensor: bool = True,
    ) -> None:
        """Create controllers and empty ledgers starting at the house's current time.

        ``duct_sensor``: the ducted units' duct space has a temperature sensor (the simulator's
        reading is booked); without one the ledger gets what the HA layer books without one.
        """
        self.house = house
        self.duct_sensor = duct_sensor
        self.season: Season = season
        self.plans = dict(plans or DEMO_PLANS)
        self.baseline: Baseline | None = baseline
        self.lagged = lagged
        self.site = house.weather.site
        self.tz = site_timezone(self.site)
        now = house.time
        self.systems: dict[str, _System] = {}
        for sid, config in system_configs(house, unzoned=baseline == "one_zone").items():
            ledger = Ledger(
                [z.zone_id for z in config.zones], self.tz, energy_model=energy_model(house, sid)
            )
            self.systems[sid] = _System(config, Controller(config, now), ledger)
        # Attribution baseline -> mini-split system id -> its ledger booked that way.
        self.attribution_ledgers: dict[Attribution, dict[str, Ledger]] = {
            attribution: {
                sid: Ledger(
                    [z.zone_id for z in system.config.zones],
                    self.tz,
                    energy_model=energy_model(house, sid),
                )
                for sid, system in self.systems.items()
                if system.config.topology is Topology.MINI_SPLIT
            }
            for attribution in (ATTRIBUTION_BASELINES if attribution_baselines else ())
        }
        self._served = {
            sid: [d.room for d in unit.dampers] for sid, unit in house.ducted.items()
        } | {sid: [h.room for h in ms.heads] for sid, ms in house.minisplits.items()}
        self.booking = False  # ledgers are fed only once `start_booking` is called

    def start_booking(self) -> None:
        """Start feeding the ledgers from the next step (after a warm-up, say)."""
        self.booking = True

    def settings_now(self, system_id: str) -> dict[str, ZoneSettings]:
        """Each zone's settings now (its plan, or the most demanding plan for a baseline)."""
        t = self.house.time
        config = self.systems[system_id].config
        if self.baseline is not None:
            rooms = self._served[system_id]
            plan = most_demanding(self.season, [self._plan(r) for r in rooms], t, self.site)
            return {
                z.zone_id: zone_settings(self.season, plan.setpoints(t, self.site))
                for z in config.zones
            }
        return {
            z.zone_id: zone_settings(self.season, self._plan(z.zone_id).setpoints(t, self.site))
            for z in config.zones
        }

    def _plan(self, room: str) -> ZonePlan:
        return self.plans.get(room) or ZonePlan(((0.0, 24.0),))

    def before_step(self) -> None:
        """Observe every system, step its controller, apply the commands."""
        now = self.house.time
        for sid, system in self.systems.items():
            system.settings = self.settings_now(sid)
            obs = observe(self.house, system.config, system.settings)
            decision = system.controller.step(now, obs)
            apply(self.house, decision.commands)
            system.obs, system.decision = obs, decision

    def after_step(self, dt: float) -> None:
        """Book the step that just ended (``[now - dt, now]``) into each system's ledger."""
        if not self.booking:
            return
        house = self.house
        start = house.time - dt
        for sid, system in self.systems.items():
            if system.decision is None:
                continue
            after = observe(house, system.config, system.settings)
            sample = system_sample(
                system.config,
                after,
                system.decision,
                power_w=house.power_w(sid),
                outdoor_temperature=house.weather.temperature_at(start),
                duct_temperature=self._duct_temperature(sid, start),
            )
            # A one-step sampling delay (`lagged`) books this step's state from `now`.
            at = house.time if self.lagged else start
            system.ledger.record(at, sample)
            for attribution, ledgers in self.attribution_ledgers.items():
                if sid in ledgers:
                    seen = observe(house, system.config, system.settings, attribution)
                    ledgers[sid].record(
                        at,
                        replace(
                            sample, zones=system_sample(system.config, seen, system.decision).zones
                        ),
                    )

    def _duct_temperature(self, system_id: str, at: float) -> float | None:
        """The duct space's temperature as the HA layer would book it (sensor or stand-in)."""
        if system_id not in self.house.ducted:
            return None
        return duct_space_temperature(
            self.house.ducted[system_id].spec.duct_location.value,
            self.house.duct_space_temperature(system_id),
            has_sensor=self.duct_sensor,
            outdoor=self.house.weather.temperature_at(at),
        )

    def finish(self) -> None:
        """Book the last sample up to now (call before reading the ledgers)."""
        for system in self.systems.values():
            system.ledger.flush(self.house.time)
        for ledgers in self.attribution_ledgers.values():
            for ledger in ledgers.values():
                ledger.flush(self.house.time)

    def run(self, duration_s: float, dt: float = 60.0, meter: TruthMeter | None = None) -> None:
        """Run the closed loop for ``duration_s`` seconds (``meter`` records each step)."""
        house = self.house
        for _ in range(round(duration_s / dt)):
            self.before_step()
            house.step(dt)
            if meter is not None:
                meter.record(dt)
            self.after_step(dt)

    def ledger(self, system_id: str) -> Ledger:
        """The ledger of one system."""
        return self.systems[system_id].ledger

    def config(self, system_id: str) -> SystemConfig:
        """The engine configuration of one system."""
        return self.systems[system_id].config


def report_inputs(
    driver: EngineDriver, *, location: str, leakage: str, sensor: bool = True
) -> list[SystemReportInput]:
    """The report's inputs for every system the driver booked, as Home Assistant passes them:
    the ducted ones with their ducts in `location`, declared `leakage`, and (`sensor`) the
    simulator's duct-space sensor, as `sim.ha` exposes it."""
    ducted = driver.house.ducted
    return [
        SystemReportInput(
            system_id=sid,
            name=sid,
            config=system.config,
            ledger=system.ledger,
            duct_location=location if sid in ducted else None,
            duct_leakage=leakage if sid in ducted else None,
            duct_space_measured=sensor and sid in ducted,
        )
        for sid, system in driver.systems.items()
    ]
