"""Presets and boost: pure functions from a zone's settings to new settings.

A preset is a pair of setpoints (heat, cool). Choosing it rewrites the zone's targets for the zone's
mode: the heat setpoint in HEAT, the cool setpoint in COOL, both as the range in HEAT_COOL. Boost is
time-limited: it pushes the targets `delta` degrees towards more conditioning and remembers what to
go back to; the caller owns the clock and calls `end_boost` when the time is up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..model import ZoneMode, ZoneSettings


@dataclass(frozen=True, slots=True)
class Boost:
    """A running boost: when it ends, and what the zone goes back to."""

    until: float
    saved: ZoneSettings
    saved_preset: str | None


def preset_setpoints(presets: Mapping[str, float], name: str) -> tuple[float, float] | None:
    """The (heat, cool) setpoints of preset `name`, or None when the zone has none for it."""
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
