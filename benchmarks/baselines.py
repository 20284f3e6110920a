"""The controllers a user could pick instead of Heat Pump Zoning, driving the simulator directly.

Each is called before every simulator step with the house (as a controller sampling its sensors
once a minute would be) and commands the simulated equipment. Room readings are rounded to 0.1 °C,
as the room sensors that Heat Pump Zoning reads in Home Assistant are.

- `Unzoned`: every damper open; the central thermostat (in the living room) holds the occupied
  setpoint day and night (`follow_schedule=False`) or follows the living room's schedule.
- `NaiveZoning`: a room opens its damper while it calls (start `TOLERANCE` past the target, stop at
  the target, like Heat Pump Zoning's zone calls); the central unit runs whenever any damper is
  open; no airflow minimum, no cycle protection beyond the equipment's own.
- `HeadsOnOwn`: every mini-split head on its built-in sensor and its own mode, following its room's
  schedule (heat in winter, cool in summer, and in shoulder weather each head switches itself:
  heat below the heat setpoint, cool above the cool setpoint, as "auto" on the head would).
In shoulder weather the central thermostat of the unzoned house changes over automatically
(heat → cool above the cool setpoint − 0.5, cool → heat below the heat setpoint + 0.5).
"""

from __future__ import annotations

from sim import House
from sim.scenario import (
    DEMO_PLANS,
    Season,
    ZonePlan,
    preset_setpoints,
    scheduled_preset,
    season_mode,
)

TOLERANCE = 0.3
CHANGEOVER_MARGIN = 0.5


def reading(value: float) -> float:
    """A room sensor's reading."""
    return round(value, 1)


def setpoints(plan: ZonePlan, house: House) -> tuple[float, float]:
    """The room's (heat, cool) setpoints now, from its schedule."""
    return preset_setpoints(plan, scheduled_preset(plan, house.time, house.weather.site))


class Unzoned:
    """All dampers open, one thermostat."""

    def __init__(self, season: Season, system: str = "main", *, follow_schedule: bool) -> None:
        """`follow_schedule`: the thermostat follows its room's schedule instead of holding home."""
        self.season = season
        self.system = system
        self.follow_schedule = follow_schedule
        self.mode = "heat" if season != "summer" else "cool"

    def __call__(self, house: House) -> None:
        """Command the thermostat and keep every damper open."""
        unit = house.ducted[self.system]
        for damper in unit.dampers:
            if damper.position != 100:
                damper.set_position(100)
        plan = DEMO_PLANS[unit.spec.thermostat_room]
        heat, cool = setpoints(plan, house) if self.follow_schedule else plan.home
        mode = season_mode(self.season)
        if mode == "heat_cool":
            now = unit.current_temperature
            if self.mode == "heat" and now > cool - CHANGEOVER_MARGIN:
                self.mode = "cool"
            elif self.mode == "cool" and now < heat + CHANGEOVER_MARGIN:
                self.mode = "heat"
            mode = self.mode
        if unit.hvac_mode != mode:
            unit.set_mode(mode)
        unit.set_setpoint(heat if mode == "heat" else cool)


def naive_call(
    temperature: float, heat: float, cool: float, mode: str, previous: str | None
) -> str | None:
    """A room's call with the same hysteresis as Heat Pump Zoning's zones."""
    wants_heat = mode in ("heat", "heat_cool")
    wants_cool = mode in ("cool", "heat_cool")
    if previous == "heat" and wants_heat and temperature < heat:
        return "heat"
    if previous == "cool" and wants_cool and temperature > cool:
        return "cool"
    if wants_heat and temperature < heat - TOLERANCE:
        return "heat"
    if wants_cool and temperature > cool + TOLERANCE:
        return "cool"
    return None


class NaiveZoning:
    """Dampers follow room calls; the central unit runs while any damper is open."""

    def __init__(self, season: Season, system: str = "main") -> None:
        """Start with no calls."""
        self.season = season
        self.system = system
        self.calls: dict[str, str | None] = {}
        self.serving: str | None = None

    def __call__(self, house: House) -> None:
        """Update calls, dampers and the central unit."""
        unit = house.ducted[self.system]
        mode = season_mode(self.season)
        for damper in unit.dampers:
            heat, cool = setpoints(DEMO_PLANS[damper.room], house)
            temperature = reading(house.rooms[damper.room].temperature)
            self.calls[damper.room] = naive_call(
                temperature, heat, cool, mode, self.calls.get(damper.room)
            )
        wanted = [c for c in self.calls.values() if c is not None]
        if self.serving not in wanted:
            self.serving = wanted[0] if wanted else None
        for damper in unit.dampers:
            calling = self.serving is not None and self.calls[damper.room] == self.serving
            position = 100 if calling else 0
            if damper.position != position:
                damper.set_position(position)
        if self.serving is None:
            if unit.hvac_mode != "off":
                unit.set_mode("off")
            return
        if unit.hvac_mode != self.serving:
            unit.set_mode(self.serving)
        # Push the setpoint past the thermostat's reading so the unit runs until told otherwise.
        unit.set_setpoint(unit.max_temp if self.serving == "heat" else unit.min_temp)


class HeadsOnOwn:
    """Each head on its own sensor and its own mode."""

    def __init__(self, season: Season, system: str = "upstairs") -> None:
        """Heads start off."""
        self.season = season
        self.system = system

    def __call__(self, house: House) -> None:
        """Set each head's mode and setpoint from its room's schedule."""
        mode = season_mode(self.season)
        for head in house.minisplits[self.system].heads:
            heat, cool = setpoints(DEMO_PLANS[head.room], house)
            if mode == "heat_cool":
                own = head.current_temperature
                current = str(head.hvac_mode)
                if current == "off":
                    current = "heat" if own < (heat + cool) / 2 else "cool"
                elif current == "heat" and own > cool:
                    current = "cool"
                elif current == "cool" and own < heat:
                    current = "heat"
                head_mode = current
            else:
                head_mode = mode
            if str(head.hvac_mode) != head_mode:
                head.set_mode(head_mode)
            target = heat if head_mode == "heat" else cool
            if head.target_temperature != target:
                head.set_setpoint(target)
