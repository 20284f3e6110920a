"""`RoomModels`: each zone's rate profiles, learnt from the ledger's samples.

The HA layer hands every `SystemSample` it books to `RoomModels.record` too (on control time,
which a wall-clock change does not move). Per zone, the samples are cut into stretches of one
state:

- *heat* / *cool*: the zone calls for the mode the unit runs in and receives it (its dampers'
  air, or its head delivering). A zone given air it does not call for (relief, top-up) or a head
  holding the room at low output says nothing about how fast a recovery goes, and is skipped;
- *resist*: the zone receives nothing (its equipment off, beestat's word).

Like beestat, a stretch is measured only from `SETTLE_S` after its state began (the supply air
and the sensor catch up), over at least `MIN_STRETCH_S` (room sensors report every 5-15 minutes
in steps of 0.1-0.5 K) and at most `MAX_STRETCH_S` (a long run gives several points). The rate
is the temperature change over the stretch, at the mean ``outdoor - indoor`` of its two ends.

What cannot be trusted is dropped, never learnt: a temperature or outdoor reading that is
missing or implausible ends the stretch; a gap of more than `MAX_GAP_S` between samples (a
restart, a stalled timer) or time going backwards drops it; a rate faster than
`profile.MAX_RATE_K_H` is a sensor jump. `resume` (after a restart) drops every stretch.

How the zone's early starts came out is kept here too (`outcomes`, `LeadOutcomes`): what an
early start plans on is `recovery_time(..., early_start=True)`, the recovery times the lead
factor they taught.

Readings come in the system's unit; the profiles keep °C and kelvin, so a change of Home
Assistant's unit system leaves them valid. Rates, balance points and recoveries are given back
in the system's unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
import math
from typing import Any, Final

from ..ledger.degree_days import clean_temperature
from ..ledger.samples import SystemSample, ZoneSample
from ..model import Mode
from ..units import CELSIUS, degrees, is_fahrenheit
from .outcomes import LeadOutcomes
from .profile import (
    BASIS_DEFAULT,
    COOL,
    HEAT,
    MODES,
    RESIST,
    SLOPE_FLOOR,
    RateLine,
    RateProfile,
)
from .recovery import recovery_hours

SCHEMA: Final = 1
SETTLE_S: Final = 300.0
# Ten minutes: a ducted unit's runs last 10-20 minutes in mild weather. With twenty, summer's
# cooling went unlearnt for days on the equipment family and the recoveries learnt were the
# long ones (`bench_room_model --family 8`: summer's median error 21 minutes, 5 with ten);
# the sensors' coarse steps average out over many stretches, each weighted by its length.
MIN_STRETCH_S: Final = 600.0
MAX_STRETCH_S: Final = 3600.0
MAX_GAP_S: Final = 900.0


@dataclass(slots=True)
class _Stretch:
    state: str  # heat, cool or resist
    since: float  # when the state began
    last: float  # the last sample's time
    anchor: tuple[float, float, float | None] | None = None  # (time, indoor °C, outdoor °C)


@dataclass(frozen=True, slots=True)
class Recovery:
    """A predicted recovery: ``seconds`` (None: the model says it is never reached).

    ``basis`` is ``"default"`` while the mode has too little data (the conservative default
    answers), else ``"learned"``; ``hours`` is the data it rests on; ``covered`` whether that
    data reaches the weather asked about (else the line is extrapolated).
    """

    seconds: float | None
    basis: str
    hours: float
    covered: bool

    @property
    def learned(self) -> bool:
        """Whether it rests on learnt data (not the conservative default)."""
        return self.basis != BASIS_DEFAULT


@dataclass(frozen=True, slots=True)
class ZoneRates:
    """A zone's rates now, in degrees of the system's unit per hour, and its balance point."""

    heat: float
    cool: float
    resist: float
    balance_point: float | None


class RoomModels:
    """The rate profiles of a system's zones (see module)."""

    def __init__(self, zone_ids: Iterable[str], unit: str = CELSIUS) -> None:
        """Empty profiles for ``zone_ids``; readings will come in ``unit``."""
        self.unit = unit
        self._profiles: dict[str, dict[str, RateProfile]] = {}
        self._stretches: dict[str, _Stretch] = {}
        self.outcomes = LeadOutcomes()  # how early starts came out (`outcomes`)
        self.set_zones(zone_ids)

    @property
    def zone_ids(self) -> tuple[str, ...]:
        """The zones modelled."""
        return tuple(self._profiles)

    def set_zones(self, zone_ids: Iterable[str]) -> None:
        """Model these zones: new ones start empty, removed ones are forgotten (bounded)."""
        wanted = tuple(dict.fromkeys(zone_ids))
        self._profiles = {
            zone_id: self._profiles.get(zone_id) or {mode: RateProfile(mode) for mode in MODES}
            for zone_id in wanted
        }
        self._stretches = {k: v for k, v in self._stretches.items() if k in self._profiles}
        self.outcomes.set_zones(set(self._profiles))

    # -- learning ------------------------------------------------------------------------------

    def record(self, now: float, sample: SystemSample) -> None:
        """A sample at ``now`` (seconds, a clock that only jumps when something is wrong)."""
        if isinstance(now, bool) or not isinstance(now, int | float) or not math.isfinite(now):
            return
        outdoor = self._celsius(sample.outdoor_temperature)
        mode = sample.mode if sample.running else None
        for zone_id in self._profiles:
            zone = sample.zones.get(zone_id)
            indoor = None if zone is None else self._celsius(zone.temperature)
            state = None if zone is None or indoor is None else _state(zone, mode)
            self._observe(zone_id, now, state, indoor, outdoor)

    def resume(self) -> None:
        """Nobody watched the rooms since the last sample (a restart): drop every stretch, and
        every early start being followed."""
        self._stretches.clear()
        self.outcomes.resume()

    def _observe(
        self,
        zone_id: str,
        now: float,
        state: str | None,
        indoor: float | None,
        outdoor: float | None,
    ) -> None:
        stretch = self._stretches.get(zone_id)
        if stretch is not None and not 0.0 <= now - stretch.last <= MAX_GAP_S:
            stretch = None  # a gap or the clock going back: what came before is not comparable
        if stretch is not None and stretch.state == state and indoor is not None:
            stretch.last = now
            if stretch.anchor is None:
                if now - stretch.since >= SETTLE_S:
                    stretch.anchor = (now, indoor, outdoor)
            elif now - stretch.anchor[0] >= MAX_STRETCH_S:
                self._learn(zone_id, stretch, now, indoor, outdoor)
                stretch.anchor = (now, indoor, outdoor)
            return
        if stretch is not None and indoor is not None:
            # The temperature at a change of state is where the previous state brought it.
            self._learn(zone_id, stretch, now, indoor, outdoor)
        if state is None:
            self._stretches.pop(zone_id, None)
        else:
            self._stretches[zone_id] = _Stretch(state, now, now)

    def _learn(
        self, zone_id: str, stretch: _Stretch, now: float, indoor: float, outdoor: float | None
    ) -> None:
        if stretch.anchor is None:
            return
        start, start_indoor, start_outdoor = stretch.anchor
        seconds = now - start
        known = [t for t in (start_outdoor, outdoor) if t is not None]
        if seconds < MIN_STRETCH_S or not known:
            return
        mean_indoor = (start_indoor + indoor) / 2.0
        hours = seconds / 3600.0
        self._profiles[zone_id][stretch.state].learn(
            sum(known) / len(known) - mean_indoor,
            (indoor - start_indoor) / hours,
            hours,
            mean_indoor,
        )

    def _celsius(self, value: float | None) -> float | None:
        temperature = clean_temperature(value, self.unit)
        if temperature is None or not is_fahrenheit(self.unit):
            return temperature
        return (temperature - 32.0) * 5.0 / 9.0

    def _in_unit(self, celsius: float) -> float:
        return celsius * 1.8 + 32.0 if is_fahrenheit(self.unit) else celsius

    # -- answers -------------------------------------------------------------------------------

    def line(self, zone_id: str, mode: str) -> RateLine:
        """The zone's line in ``mode`` (heat, cool, resist), in °C and K/h."""
        profiles = self._profiles.get(zone_id)
        if profiles is None:
            return RateProfile(mode).line()
        return profiles[mode].line()

    def recovery_time(
        self,
        zone_id: str,
        mode: Mode,
        start: float,
        target: float,
        outdoor: float | None,
        *,
        early_start: bool = False,
    ) -> Recovery:
        """How long the zone takes from ``start`` to ``target`` (system unit) while it calls
        for ``mode`` and receives it, at ``outdoor`` (None: unknown, the weather of its data).
        With ``early_start``, what an early start plans on: that times the zone's lead factor
        in ``mode``, learnt from how its early starts came out (`outcomes`).

        Thin data answers with the conservative default (slow), flagged ``basis="default"``.
        """
        recovery = self._time(self.line(zone_id, mode.value), mode.value, start, target, outdoor)
        if not early_start or recovery.seconds is None:
            return recovery
        factor = self.outcomes.factor(zone_id, mode.value)
        return replace(recovery, seconds=recovery.seconds * factor)

    def drift_time(
        self, zone_id: str, start: float, edge: float, outdoor: float | None, *, falling: bool
    ) -> Recovery:
        """How long the zone, its equipment off, takes to drift from ``start`` down (``falling``)
        or up to ``edge`` (system unit) at ``outdoor``: what coasting asks. ``seconds`` is 0
        when the room is at or past the edge already, None when it never gets there in this
        weather.

        Thin data answers with the conservative default (a fast drift), ``basis="default"``.
        """
        direction = COOL if falling else HEAT
        return self._time(self.line(zone_id, RESIST), direction, start, edge, outdoor)

    def _time(
        self, line: RateLine, direction: str, start: float, target: float, outdoor: float | None
    ) -> Recovery:
        """The time along ``line`` from ``start`` to ``target`` (system unit), warming
        (``direction`` heat) or cooling, with the data's range and what it rests on."""
        begin, end = self._celsius(start), self._celsius(target)
        if begin is None or end is None:
            raise ValueError(f"not a temperature: {start!r} -> {target!r}")
        weather = self._celsius(outdoor)
        if weather is None:
            mid = 0.0 if line.low_k is None or line.high_k is None else (line.low_k + line.high_k)
            weather = (begin + end) / 2.0 + mid / 2.0
        hours = recovery_hours(line, direction, begin, end, weather)
        mean_x = weather - (begin + end) / 2.0
        return Recovery(
            seconds=None if hours is None else hours * 3600.0,
            basis=line.basis,
            hours=line.hours,
            covered=line.covers(mean_x),
        )

    def rates(self, zone_id: str, indoor: float | None, outdoor: float | None) -> ZoneRates | None:
        """The zone's rates at these temperatures (system unit), None when either is unknown."""
        room, weather = self._celsius(indoor), self._celsius(outdoor)
        if room is None or weather is None:
            return None
        per_hour = degrees(1.0, self.unit)
        return ZoneRates(
            heat=self.line(zone_id, HEAT).rate(weather - room) * per_hour,
            cool=self.line(zone_id, COOL).rate(weather - room) * per_hour,
            resist=self.line(zone_id, RESIST).rate(weather - room) * per_hour,
            balance_point=self.balance_point(zone_id),
        )

    def balance_point(self, zone_id: str) -> float | None:
        """The outdoor temperature (system unit) at which the room, at the mean indoor
        temperature of its data, neither warms nor cools with its equipment off; None before
        the drift is learnt or when it hardly depends on the weather."""
        line = self.line(zone_id, RESIST)
        if line.basis == BASIS_DEFAULT or line.indoor is None or line.slope < SLOPE_FLOOR:
            return None
        return self._in_unit(line.indoor - line.intercept / line.slope)

    def summary(self) -> dict[str, Any]:
        """What diagnostics show: per zone and mode the line (K/h against outdoor - indoor in
        K), the hours and range of data it rests on, and whether it is the default."""
        return {
            "unit": str(self.unit),
            "zones": {
                zone_id: {mode: _line_summary(self.line(zone_id, mode)) for mode in MODES}
                | {
                    "balance_point": self.balance_point(zone_id),
                    "early_start_factor": {
                        mode: round(self.outcomes.factor(zone_id, mode), 3) for mode in (HEAT, COOL)
                    },
                }
                for zone_id in self._profiles
            },
        }

    # -- persistence ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the storage file (bounded: bins per zone and mode)."""
        return {
            "schema": SCHEMA,
            "zones": {
                zone_id: {mode: profile.to_dict() for mode, profile in profiles.items()}
                for zone_id, profiles in self._profiles.items()
            },
            "early_start_factors": self.outcomes.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any, zone_ids: Iterable[str], unit: str = CELSIUS) -> RoomModels:
        """Read `to_dict`'s form for ``zone_ids``; whatever is malformed starts empty (a model
        only ever falls back to its defaults, it never stops a system from starting)."""
        models = cls(zone_ids, unit)
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            return models
        zones = data.get("zones")
        if not isinstance(zones, dict):
            return models
        for zone_id, profiles in models._profiles.items():
            stored = zones.get(zone_id)
            if isinstance(stored, dict):
                for mode in MODES:
                    profiles[mode] = RateProfile.from_dict(mode, stored.get(mode))
        models.outcomes = LeadOutcomes.from_dict(
            data.get("early_start_factors"), set(models._profiles)
        )
        return models


def _state(zone: ZoneSample, mode: Mode | None) -> str | None:
    """The stretch a zone is in (see module); None: one that is not learnt from."""
    if not zone.conditioned:
        return RESIST
    if mode is not None and zone.calling == mode:
        return HEAT if mode is Mode.HEAT else COOL
    return None


def _line_summary(line: RateLine) -> dict[str, Any]:
    return {
        "intercept_k_h": round(line.intercept, 4),
        "slope_per_h": round(line.slope, 5),
        "hours": round(line.hours, 2),
        "outdoor_minus_indoor_k": None
        if line.low_k is None or line.high_k is None
        else [round(line.low_k, 2), round(line.high_k, 2)],
        "basis": line.basis,
    }
