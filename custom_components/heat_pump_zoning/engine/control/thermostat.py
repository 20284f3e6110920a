"""The zone thermostat's rules: its modes, mode changes, presets and boost (pure functions).

The zone's climate entity in Home Assistant owns the user's settings and only asks these
functions what they become:

- `zone_modes`: the modes a zone offers are those its equipment can do (the ducted source's or
  the head's `hvac_modes`; `auto` and `heat_cool` can do both), heat_cool only where both are
  possible; equipment that is unknown or reports neither can do both.
- `with_mode`: on a change to heat or cool the single target becomes that end of the range, so a
  zone switched from heat_cool to cool keeps its cooling setpoint.
- `turn_on_mode`: turning on returns to the last mode that was not off, if still offered.
- A preset is a pair of setpoints (heat, cool). Choosing it rewrites the zone's targets for the
  zone's mode: the heat setpoint in HEAT, the cool setpoint in COOL, both as the range in
  HEAT_COOL. Defaults are in °C and taken to whole °F (`units.setpoint_from_celsius`).
- Boost is time-limited: it pushes the targets `BOOST_DELTA_K` towards more conditioning and
  remembers what to go back to; the caller owns the clock and calls `end_boost` when the time is
  up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from ..model import ClimateState, SystemConfig, Topology, ZoneMode, ZoneSettings
from ..units import degrees, setpoint_from_celsius

PRESET_HOME: Final = "home"
PRESET_AWAY: Final = "away"
PRESET_SLEEP: Final = "sleep"
PRESET_ECO: Final = "eco"
PRESET_BOOST: Final = "boost"
PRESET_NONE: Final = "none"
EDITABLE_PRESETS: Final = (PRESET_HOME, PRESET_AWAY, PRESET_SLEEP, PRESET_ECO)
# (heat setpoint, cool setpoint) per preset, °C.
DEFAULT_PRESET_SETPOINTS_C: Final[Mapping[str, tuple[float, float]]] = {
    PRESET_HOME: (21.0, 24.0),
    PRESET_AWAY: (16.0, 28.0),
    PRESET_SLEEP: (18.0, 25.0),
    PRESET_ECO: (19.0, 26.0),
}
DEFAULT_BOOST_MINUTES: Final = 60
# Boost pushes the target this many kelvin in the direction of the active mode.
BOOST_DELTA_K: Final = 2.0
_HEATS = frozenset({"heat", "heat_cool", "auto"})
_COOLS = frozenset({"cool", "heat_cool", "auto"})


def equipment_entity(config: SystemConfig, zone_id: str) -> str | None:
    """The climate entity whose modes a zone can use: its head (mini-split) or the source."""
    if config.topology is Topology.DUCTED:
        return config.source
    return next((zone.head for zone in config.zones if zone.zone_id == zone_id), None)


def zone_modes(equipment: ClimateState | None) -> tuple[ZoneMode, ...]:
    """The modes a zone offers with this equipment (off first, heat_cool last when offered)."""
    heat = cool = True
    if equipment is not None and equipment.available:
        modes = set(equipment.hvac_modes)
        heat, cool = bool(modes & _HEATS), bool(modes & _COOLS)
        if not heat and not cool:
            heat = cool = True
    offered = [ZoneMode.OFF]
    if heat:
        offered.append(ZoneMode.HEAT)
    if cool:
        offered.append(ZoneMode.COOL)
    if heat and cool:
        offered.append(ZoneMode.HEAT_COOL)
    return tuple(offered)


def with_mode(settings: ZoneSettings, mode: ZoneMode) -> ZoneSettings:
    """`settings` in another mode: heat or cool from another mode takes that end of the range."""
    changed = replace(settings, hvac_mode=mode)
    if mode is ZoneMode.COOL and settings.hvac_mode is not ZoneMode.COOL:
        changed = replace(changed, target=settings.target_high)
    elif mode is ZoneMode.HEAT and settings.hvac_mode is not ZoneMode.HEAT:
        changed = replace(changed, target=settings.target_low)
    return changed


def turn_on_mode(last_on: ZoneMode, offered: Sequence[ZoneMode]) -> ZoneMode:
    """The mode turning a zone on goes to: the last one that was on, else the richest offered."""
    return last_on if last_on in offered else offered[-1]


def default_presets(unit: str) -> dict[str, float]:
    """The default presets of a zone in `unit`, as a zone stores them (`home_heat`, ...)."""
    presets: dict[str, float] = {}
    for name, (heat, cool) in DEFAULT_PRESET_SETPOINTS_C.items():
        presets[f"{name}_heat"] = setpoint_from_celsius(heat, unit)
        presets[f"{name}_cool"] = setpoint_from_celsius(cool, unit)
    return presets


def boost_delta(unit: str) -> float:
    """How far a boost moves the targets, in degrees of `unit`."""
    return degrees(BOOST_DELTA_K, unit)


@dataclass(frozen=True, slots=True)
class Boost:
    """A running boost: when it ends, and what the zone goes back to."""

    until: float
    saved: ZoneSettings
    saved_preset: str | None


def preset_setpoints(presets: Mapping[str, float], name: str) -> tuple[float, float] | None:
    """The (heat, cool) setpoints of preset `name` in a zone's presets (`default_presets`' form),
    or None when the zone has none for it."""
    heat = presets.get(f"{name}_heat")
    cool = presets.get(f"{name}_cool")
    if heat is None or cool is None:
        return None
    return float(heat), float(cool)


def apply_preset(settings: ZoneSettings, heat: float, cool: float) -> ZoneSettings:
    """Settings with the preset's setpoints applied for the zone's current mode."""
    target = cool if settings.hvac_mode is ZoneMode.COOL else heat
    return replace(settings, target=target, target_low=heat, target_high=cool)


def start_boost(
    settings: ZoneSettings, preset: str | None, now: float, minutes: float, delta: float
) -> tuple[ZoneSettings, Boost]:
    """Boosted settings and the record needed to undo them at `now + minutes`."""
    if settings.hvac_mode is ZoneMode.COOL:
        target = settings.target - delta
    else:
        target = settings.target + delta
    boosted = replace(
        settings,
        target=target,
        target_low=settings.target_low + delta,
        target_high=settings.target_high - delta,
    )
    if boosted.target_low > boosted.target_high:
        # A narrow range cannot be pushed both ways: keep it valid, centred where it was.
        middle = (settings.target_low + settings.target_high) / 2
        boosted = replace(boosted, target_low=middle, target_high=middle)
    return boosted, Boost(until=now + minutes * 60.0, saved=settings, saved_preset=preset)


def end_boost(current: ZoneSettings, boost: Boost) -> ZoneSettings:
    """The settings to return to after a boost, keeping a mode the user changed meanwhile."""
    return replace(boost.saved, hvac_mode=current.hvac_mode)
