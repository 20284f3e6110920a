"""One rate profile: how fast a room's temperature moves in one mode, against the weather.

beestat's "temperature profiles" fit indoor degrees per hour against the outdoor temperature,
for heat, cool and "resist" (the equipment off). A room is closer to a line in the difference
``x = outdoor - indoor``: with the equipment off a room drifts at ``gains + x / tau``, and
heating adds the delivered output. So a profile is a line ``rate = intercept + slope * x``
(kelvin per hour, ``x`` in kelvin), fitted to measured stretches.

Bounded and forgetting: stretches are kept in fixed bins of ``x`` (`BIN_K` wide, `BIN_COUNT`
of them), each holding its hours, mean ``x``, mean rate and mean indoor temperature. A bin holds
at most `BIN_MEMORY_H` hours: beyond that its old content is scaled down (an exponential
forgetting, so the model follows a season or a new window). The line is a weighted fit over
the bins' means, its slope pulled towards `PRIOR_SLOPE` (`PRIOR_WEIGHT`), so that data over a
narrow range of weather moves the level, not the slope; and it is blended with the mode's
conservative default by `DEFAULT_WEIGHT_H` hours, so little data moves it little. Below
`MIN_HOURS` of data the default is used as it is and flagged.

Everything here is in °C and kelvin; `learning` converts from and to the system's unit.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import Any, Final

from ..numbers import number_within

HEAT: Final = "heat"
COOL: Final = "cool"
RESIST: Final = "resist"  # the room's equipment off (beestat's word)
MODES: Final = (HEAT, COOL, RESIST)

BASIS_DEFAULT: Final = "default"  # not enough data: the conservative default
BASIS_LEARNED: Final = "learned"

BIN_K: Final = 2.5
X_MIN_K: Final = -50.0
BIN_COUNT: Final = 32  # x from -50 K to +30 K
BIN_MEMORY_H: Final = 24.0
MIN_HOURS: Final = 1.0  # of heat or cool data before the default gives way (resist: 3)
MIN_RESIST_HOURS: Final = 3.0
DEFAULT_WEIGHT_H: Final = 1.0
PRIOR_SLOPE: Final = 0.05  # 1/h: a room's time constant of 20 h
PRIOR_WEIGHT: Final = 10.0  # h·K²: a spread of about 3 K over an hour outweighs it
MAX_SLOPE: Final = 2.0  # 1/h: no room loses half its difference in under half an hour
SLOPE_FLOOR: Final = 0.005  # 1/h: below it the drift hardly depends on the weather
MAX_RATE_K_H: Final = 10.0  # a measured stretch faster than this is a sensor jump

# Conservative defaults (K/h): recovery slow (heating and cooling 1 K/h whatever the weather),
# drift fast for its weather (a 20 h time constant, no gains).
DEFAULT_LINES: Final = {HEAT: (1.0, 0.0), COOL: (-1.0, 0.0), RESIST: (0.0, PRIOR_SLOPE)}


@dataclass(frozen=True, slots=True)
class RateLine:
    """``rate = intercept + slope * (outdoor - indoor)``, K/h, and what it rests on."""

    intercept: float
    slope: float
    hours: float  # of data in the profile
    low_k: float | None = None  # the range of outdoor - indoor the data covers
    high_k: float | None = None
    indoor: float | None = None  # mean indoor temperature of the data, °C
    basis: str = BASIS_DEFAULT

    def rate(self, outdoor_minus_indoor: float) -> float:
        """The rate (K/h) at a difference ``outdoor - indoor`` (K)."""
        return self.intercept + self.slope * outdoor_minus_indoor

    def covers(self, outdoor_minus_indoor: float, margin_k: float = BIN_K) -> bool:
        """Whether the data reaches this difference (within ``margin_k``)."""
        if self.low_k is None or self.high_k is None:
            return False
        return self.low_k - margin_k <= outdoor_minus_indoor <= self.high_k + margin_k


def default_line(mode: str) -> RateLine:
    """The conservative line of a mode, before any data."""
    intercept, slope = DEFAULT_LINES[mode]
    return RateLine(intercept, slope, 0.0)


@dataclass(slots=True)
class _Bin:
    hours: float
    x: float  # mean outdoor - indoor, K
    rate: float  # mean K/h
    indoor: float  # mean °C


class RateProfile:
    """The bins of one mode of one room (see module)."""

    def __init__(self, mode: str) -> None:
        """An empty profile of ``mode`` (heat, cool or resist)."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self._bins: dict[int, _Bin] = {}

    @property
    def hours(self) -> float:
        """Hours of data held (each bin at most `BIN_MEMORY_H`)."""
        return sum(b.hours for b in self._bins.values())

    def learn(self, x: float, rate: float, hours: float, indoor: float) -> bool:
        """Add a stretch of ``hours`` at difference ``x`` (K) moving at ``rate`` (K/h) around
        ``indoor`` (°C); False (nothing changes) for values that are not plausible."""
        values = (
            number_within(x, -100.0, 100.0),
            number_within(rate, -MAX_RATE_K_H, MAX_RATE_K_H),
            number_within(hours, 1e-6, BIN_MEMORY_H),
            number_within(indoor, -30.0, 60.0),
        )
        if any(v is None for v in values):
            return False
        index = min(max(math.floor((x - X_MIN_K) / BIN_K), 0), BIN_COUNT - 1)
        old = self._bins.get(index)
        if old is None:
            self._bins[index] = _Bin(hours, x, rate, indoor)
            return True
        kept = min(old.hours, BIN_MEMORY_H - hours)  # forget the oldest beyond the memory
        total = kept + hours
        old.x = (old.x * kept + x * hours) / total
        old.rate = (old.rate * kept + rate * hours) / total
        old.indoor = (old.indoor * kept + indoor * hours) / total
        old.hours = total
        return True

    def line(self) -> RateLine:
        """The fitted line (see module); the default, flagged, while data is thin."""
        hours = self.hours
        minimum = MIN_RESIST_HOURS if self.mode == RESIST else MIN_HOURS
        if hours < minimum:
            return RateLine(*DEFAULT_LINES[self.mode], hours)
        bins = self._bins.values()
        mean_x = sum(b.hours * b.x for b in bins) / hours
        mean_y = sum(b.hours * b.rate for b in bins) / hours
        sxx = sum(b.hours * (b.x - mean_x) ** 2 for b in bins)
        sxy = sum(b.hours * (b.x - mean_x) * (b.rate - mean_y) for b in bins)
        slope = min(max((sxy + PRIOR_WEIGHT * PRIOR_SLOPE) / (sxx + PRIOR_WEIGHT), 0.0), MAX_SLOPE)
        intercept = mean_y - slope * mean_x
        default_intercept, default_slope = DEFAULT_LINES[self.mode]
        share = hours / (hours + DEFAULT_WEIGHT_H)
        return RateLine(
            intercept=share * intercept + (1.0 - share) * default_intercept,
            slope=share * slope + (1.0 - share) * default_slope,
            hours=hours,
            low_k=min(b.x for b in bins),
            high_k=max(b.x for b in bins),
            indoor=sum(b.hours * b.indoor for b in bins) / hours,
            basis=BASIS_LEARNED,
        )

    def to_dict(self) -> dict[str, list[float]]:
        """JSON form: ``{bin: [hours, x, rate, indoor]}``, rounded (a few hundred bytes)."""
        return {
            str(index): [round(b.hours, 4), round(b.x, 3), round(b.rate, 4), round(b.indoor, 2)]
            for index, b in sorted(self._bins.items())
        }

    @classmethod
    def from_dict(cls, mode: str, data: Any) -> RateProfile:
        """Read `to_dict`'s form; anything malformed is skipped (a bin, or all of it)."""
        profile = cls(mode)
        if not isinstance(data, dict):
            return profile
        for key, value in data.items():
            if not isinstance(value, list) or len(value) != 4:
                continue
            try:
                index = int(key)
            except (TypeError, ValueError):
                continue
            hours, x, rate, indoor = value
            x_number = number_within(x, -100.0, 100.0)
            if not 0 <= index < BIN_COUNT or x_number is None:
                continue
            if min(max(math.floor((x_number - X_MIN_K) / BIN_K), 0), BIN_COUNT - 1) != index:
                continue  # a bin must hold what it is named after
            profile.learn(x_number, rate, hours, indoor)
        return profile
