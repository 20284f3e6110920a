"""Zone calls: which mode a room asks for, with hysteresis, and how strongly.

A zone starts calling HEAT when it is `tolerance` or more below its heat target (inclusive, as Home
Assistant's generic thermostat does) and keeps calling until it is half a tolerance above it
(`SATISFIED_PAST`): with the 0.5 °C default the room swings from 0.5 below to 0.25 above the target.
The asymmetry is deliberate. Every start of a heat pump costs a start-up transient (and the
compressor allows only a few an hour), so a start waits for a real need; once the compressor runs,
carrying the room a little past the target buys a longer pause before the next start, while
stopping well short of a full tolerance past it keeps the overshoot (and its extra losses) small.
COOL is the mirror image. The hysteresis memory (the previous call) is owned by the caller; after a
restart it is empty, so a zone inside the band waits until it leaves it again, which is the
conservative choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import Mode, ZoneConfig, ZoneMode, ZoneSettings

# The smallest weight a priority can give a zone's demand: a negative priority makes a zone weigh
# less, never nothing (its call must still be able to start the system).
MIN_WEIGHT = 0.1
# A calling zone is satisfied this share of the tolerance past its target.
SATISFIED_PAST = 0.5


def held_short(tolerance: float) -> float:
    """How far short of its target a room held by this hysteresis sits on average (degrees).

    It swings between `tolerance` short (a call starts) and `SATISFIED_PAST` x tolerance past the
    target (the call ends): the middle of that swing.
    """
    return tolerance * (1.0 - SATISFIED_PAST) / 2.0


def opposite(mode: Mode) -> Mode:
    """The other conditioning mode."""
    return Mode.COOL if mode is Mode.HEAT else Mode.HEAT


def heat_target(settings: ZoneSettings) -> float | None:
    """The temperature below which the zone wants heat, or None if it never wants heat."""
    if settings.hvac_mode is ZoneMode.HEAT:
        return settings.target
    if settings.hvac_mode is ZoneMode.HEAT_COOL:
        return settings.target_low
    return None


def cool_target(settings: ZoneSettings) -> float | None:
    """The temperature above which the zone wants cooling, or None if it never wants cooling."""
    if settings.hvac_mode is ZoneMode.COOL:
        return settings.target
    if settings.hvac_mode is ZoneMode.HEAT_COOL:
        return settings.target_high
    return None


def target_for(settings: ZoneSettings, mode: Mode) -> float | None:
    """The zone's target when served in `mode` (None if the zone does not accept that mode)."""
    return heat_target(settings) if mode is Mode.HEAT else cool_target(settings)


def accepts(settings: ZoneSettings, mode: Mode) -> bool:
    """True when the zone's mode allows it to be conditioned in `mode`."""
    return target_for(settings, mode) is not None


def shortfall(settings: ZoneSettings, temperature: float, mode: Mode) -> float | None:
    """Degrees the zone is short of its target in `mode` (positive = needs it), None if N/A."""
    target = target_for(settings, mode)
    if target is None:
        return None
    return target - temperature if mode is Mode.HEAT else temperature - target


def zone_call(
    settings: ZoneSettings,
    temperature: float | None,
    tolerance: float,
    previous: Mode | None,
) -> Mode | None:
    """The mode the zone calls for now, given the call it had before (hysteresis).

    An OFF zone or a zone without a temperature never calls. A call that is still valid (the zone
    still accepts that mode and is not yet `SATISFIED_PAST` x tolerance past its target) is kept
    before a new one is considered,
    so a badly configured HEAT_COOL band (low above high) cannot flip the call every step.
    """
    if temperature is None or settings.hvac_mode is ZoneMode.OFF:
        return None
    if previous is not None:
        still = shortfall(settings, temperature, previous)
        if still is not None and still > -tolerance * SATISFIED_PAST + 1e-9:
            return previous
    for mode in (Mode.HEAT, Mode.COOL):
        short = shortfall(settings, temperature, mode)
        if short is not None and short >= tolerance - 1e-9:  # 21 - 20.5 >= 0.5 in floats
            return mode
    return None


def weight(priority: int) -> float:
    """How much a zone's shortfall counts in mode arbitration: 1 + priority, at least MIN_WEIGHT."""
    return max(1.0 + priority, MIN_WEIGHT)


def call_demand(
    settings: ZoneSettings, temperature: float, mode: Mode, tolerance: float, priority: int
) -> float:
    """Demand of one calling zone: (1 + priority) x degrees beyond target (at least `tolerance`).

    The floor keeps a zone that is still calling inside the hysteresis band from weighing nothing.
    """
    short = shortfall(settings, temperature, mode) or 0.0
    return weight(priority) * max(short, tolerance, 0.0)


@dataclass(frozen=True, slots=True)
class ZoneView:
    """One zone as the engine sees it in one step."""

    index: int  # position in the configuration (stable tie-breaker)
    config: ZoneConfig
    settings: ZoneSettings
    temperature: float | None
    available: bool
    call: Mode | None

    @property
    def on(self) -> bool:
        """The user has not turned the zone off."""
        return self.settings.hvac_mode is not ZoneMode.OFF


def build_views(
    zones: tuple[ZoneConfig, ...],
    settings: Mapping[str, ZoneSettings],
    temperatures: Mapping[str, float | None],
    available: Mapping[str, bool],
    calls: dict[str, Mode],
    tolerance: float,
) -> list[ZoneView]:
    """Evaluate every zone's call and update the hysteresis memory `calls` in place.

    A zone absent from `settings` is unavailable (and OFF); an unavailable zone never calls.
    """
    views: list[ZoneView] = []
    for index, zone in enumerate(zones):
        zid = zone.zone_id
        zone_settings = settings.get(zid, ZoneSettings())
        temperature = temperatures.get(zid)
        ok = available.get(zid, False) and temperature is not None and zid in settings
        call = zone_call(zone_settings, temperature if ok else None, tolerance, calls.get(zid))
        if call is None:
            calls.pop(zid, None)
        else:
            calls[zid] = call
        views.append(ZoneView(index, zone, zone_settings, temperature, ok, call))
    return views


def demand_by_mode(views: list[ZoneView], tolerance: float) -> dict[Mode, float]:
    """Total demand of each mode (0 when no zone calls it)."""
    demand = {Mode.HEAT: 0.0, Mode.COOL: 0.0}
    for view in views:
        if view.call is not None and view.temperature is not None:
            demand[view.call] += call_demand(
                view.settings, view.temperature, view.call, tolerance, view.config.priority
            )
    return demand
