"""An equipment family: the demo house built with the imperfections real equipment has.

The demo house's equipment does what it is told: heads modulate without droop and read a
fixed stratification offset, dampers move at once, room sensors report every change. Real
ones do not. `family_spec(index)` gives the demo house's topology (four ducted rooms, two
mini-split heads) with, drawn reproducibly from `index` and `seed`:

- heads: proportional-only modulation that droops 0.5-1.5 K at full output; their own
  sensor offset -1…+3 K, different in heat and in cool; a minimum output of 20-45 % (below
  it they cycle on and off); setpoints in 0.5 °C, 1 °C or whole °F steps; one in three does
  not report what it is doing (no `hvac_action`);
- the ducted unit's wall thermostat: a band of 0.5-1 K, a minimum off time of 5-10 minutes,
  a setpoint range narrower than the default on some; start-up ramps (ducted Cd 0.15-0.35,
  mini-split Cd 0.25-0.5);
- dampers: a full stroke of 10-90 s, now and then stopping part-way or ignoring a
  command (up to 5 % of moves each);
- room sensors: a report every 5-15 minutes at 0.1, 0.2 or 0.5 K;
- the house: thermal mass ×0.6-1.6, exterior conductance (insulation) ×0.7-1.5, windows
  (sun) ×0.5-1.8.

`describe(index)` says what a variant is, for benchmark tables. Variant 0 is not special:
every variant is drawn the same way.

With ``duct_physics=True`` (the duct-loss benchmarks; off elsewhere, so the control figures do
not move) a variant's ducts also do what ASHRAE 152's steady equations, and so the duct-loss
estimate, do not model (`draw_ducts`, its own random stream): in the crawlspace or the attic;
supply leakage growing as dampers close (pressure exponent 0-0.5), 0-8 % of the return air drawn
from the duct space, and the ducts' heat capacity, 0-40 kJ/K.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
import math
import random

from sim.house import House
from sim.houses import demo_house_spec
from sim.scenario import INITIAL_TEMPERATURE_C, Season
from sim.spec import (
    AIR_CAPACITANCE_J_K_M2,
    ENVELOPE_CAPACITANCE_J_K_M2,
    EXTERIOR_UA_W_K_M2,
    DamperSpec,
    DuctedSpec,
    DuctLocation,
    HeadSpec,
    HouseSpec,
    MiniSplitSpec,
    RoomSpec,
    SensorSpec,
)
from sim.weather import synthetic_weather

SETPOINT_STEPS = ("0.5 °C", "1 °C", "1 °F")
THERMOSTAT_RANGES_C = ((7.0, 32.0), (10.0, 30.0), (15.5, 29.5))
SENSOR_RESOLUTIONS_K = (0.1, 0.2, 0.5)


@dataclass(frozen=True, slots=True)
class Variant:
    """What one member of the family draws (for building it and for describing it)."""

    index: int
    mass: float
    insulation: float
    sun: float
    heads: tuple[HeadSpec, ...]
    thermostat: tuple[float, float, float, tuple[float, float]]  # band K, min off s, Cd, range
    minisplit_cd: float
    dampers: tuple[DamperSpec, ...]
    sensors: tuple[SensorSpec, ...]


def _rng(index: int, seed: int) -> random.Random:
    return random.Random(f"hpz-family-{seed}-{index}")


def draw(index: int, seed: int = 1) -> Variant:
    """The variant `index` of the family `seed` (deterministic)."""
    rng = _rng(index, seed)
    base = demo_house_spec()
    mass = rng.uniform(0.6, 1.6)
    insulation = rng.uniform(0.7, 1.5)
    sun = rng.uniform(0.5, 1.8)
    heads: list[HeadSpec] = []
    for ms in base.minisplits:
        for head in ms.heads:
            step = rng.choice(SETPOINT_STEPS)
            heads.append(
                replace(
                    head,
                    droop_k=rng.uniform(0.5, 1.5),
                    sensor_bias_k=(rng.uniform(0.0, 3.0), rng.uniform(-1.0, 1.5)),
                    min_fraction=rng.uniform(0.2, 0.45),
                    setpoint_step_c={"0.5 °C": 0.5, "1 °C": 1.0, "1 °F": 0.0}[step],
                    setpoint_in_f=step == "1 °F",
                    reports_action=rng.random() >= 1.0 / 3.0,
                )
            )
    thermostat = (
        rng.uniform(0.5, 1.0),
        rng.uniform(300.0, 600.0),
        rng.uniform(0.15, 0.35),
        rng.choice(THERMOSTAT_RANGES_C),
    )
    minisplit_cd = rng.uniform(0.25, 0.5)
    dampers = tuple(
        replace(
            damper,
            travel_s=rng.uniform(10.0, 90.0),
            stall_chance=rng.uniform(0.0, 0.05),
            ignore_chance=rng.uniform(0.0, 0.05),
            seed=rng.randrange(1 << 30),
        )
        for unit in base.ducted
        for damper in unit.dampers
    )
    sensors = tuple(
        SensorSpec(
            interval_s=rng.uniform(300.0, 900.0),
            resolution_k=rng.choice(SENSOR_RESOLUTIONS_K),
            phase_s=rng.uniform(0.0, 300.0),
        )
        for _ in base.rooms
    )
    return Variant(
        index, mass, insulation, sun, tuple(heads), thermostat, minisplit_cd, dampers, sensors
    )


def draw_ducts(index: int, seed: int = 1) -> tuple[DuctLocation, dict[str, float]]:
    """Where variant `index`'s ducts run and their physics beyond ASHRAE 152 (`DuctedSpec`
    fields), from a stream of their own: the other draws do not move."""
    rng = random.Random(f"hpz-family-ducts-{seed}-{index}")
    location = rng.choice((DuctLocation.CRAWLSPACE, DuctLocation.ATTIC))
    return location, {
        "leakage_pressure_exponent": rng.uniform(0.0, 0.5),
        "return_leakage": rng.uniform(0.0, 0.08),
        "duct_mass_j_k": rng.uniform(0.0, 40_000.0),
    }


def family_spec(
    index: int, seed: int = 1, *, initial_c: float | None = None, duct_physics: bool = False
) -> HouseSpec:
    """The demo house's topology with variant `index`'s equipment and building (and, with
    `duct_physics`, its ducts: `draw_ducts`)."""
    v = draw(index, seed)
    location, physics = draw_ducts(index, seed) if duct_physics else (DuctLocation.CRAWLSPACE, {})
    base = demo_house_spec(location)
    rooms: list[RoomSpec] = []
    for room, sensor in zip(base.rooms, v.sensors, strict=True):
        area = room.floor_area_m2
        rooms.append(
            replace(
                room,
                air_capacitance_j_k=(room.air_capacitance_j_k or AIR_CAPACITANCE_J_K_M2 * area)
                * v.mass,
                envelope_capacitance_j_k=(
                    room.envelope_capacitance_j_k or ENVELOPE_CAPACITANCE_J_K_M2 * area
                )
                * v.mass,
                exterior_ua_w_k=(
                    room.exterior_ua_w_k
                    if room.exterior_ua_w_k is not None
                    else EXTERIOR_UA_W_K_M2 * area
                )
                * v.insulation,
                windows=tuple(replace(w, area_m2=w.area_m2 * v.sun) for w in room.windows),
                sensor=sensor,
                initial_temperature_c=room.initial_temperature_c
                if initial_c is None
                else initial_c,
            )
        )
    dampers = iter(v.dampers)
    band, min_off, cd, (low, high) = v.thermostat
    ducted: list[DuctedSpec] = [
        replace(
            unit,
            dampers=tuple(next(dampers) for _ in unit.dampers),
            hysteresis_k=band / 2.0,
            min_off_s=min_off,
            cd=cd,
            min_setpoint_c=low,
            max_setpoint_c=high,
            **physics,  # type: ignore[arg-type]
        )
        for unit in base.ducted
    ]
    heads = iter(v.heads)
    minisplits: list[MiniSplitSpec] = [
        replace(ms, heads=tuple(next(heads) for _ in ms.heads), cd=v.minisplit_cd)
        for ms in base.minisplits
    ]
    return replace(
        base,
        rooms=tuple(rooms),
        ducted=tuple(ducted),
        minisplits=tuple(minisplits),
        name=f"family-{seed}-{index}",
    )


def describe(index: int, seed: int = 1) -> str:
    """One line: what variant `index` draws."""
    v = draw(index, seed)
    heads = ", ".join(
        f"{h.id}: droop {h.droop_k:.1f} K, bias "
        f"{h.sensor_bias_k[0]:+.1f}/{h.sensor_bias_k[1]:+.1f} K, min {h.min_fraction:.0%}, step "
        f"{'1 °F' if h.setpoint_in_f else f'{h.setpoint_step_c:g} °C'}"
        f"{'' if h.reports_action else ', no action'}"
        for h in v.heads
        if h.droop_k is not None and h.sensor_bias_k is not None
    )
    band, min_off, cd, (low, high) = v.thermostat
    travel = [d.travel_s for d in v.dampers]
    return (
        f"#{index}: mass ×{v.mass:.2f}, UA ×{v.insulation:.2f}, sun ×{v.sun:.2f}; thermostat band "
        f"{band:.2f} K, min off {min_off / 60:.0f} min, Cd {cd:.2f}, {low:g}-{high:g} °C; dampers "
        f"{min(travel):.0f}-{max(travel):.0f} s; sensors "
        f"{min(s.interval_s for s in v.sensors) / 60:.0f}-"
        f"{max(s.interval_s for s in v.sensors) / 60:.0f} min; {heads}"
    )


def build_family_house(
    season: Season, days: float, index: int, *, seed: int = 1, duct_physics: bool = False
) -> House:
    """Variant `index` in `days` (rounded up, plus one) of `season`'s seeded weather (the
    weather seed is the family seed), from local midnight at the season's initial
    temperature, like `sim.scenario.build_season_house`."""
    spec = family_spec(
        index, seed, initial_c=INITIAL_TEMPERATURE_C[season], duct_physics=duct_physics
    )
    return House(spec, synthetic_weather(season, math.ceil(days) + 1, seed=seed))
