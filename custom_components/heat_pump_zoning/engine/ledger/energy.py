"""Electric energy of a heat pump: from a power sensor when there is one, else from a model.

Measured energy: the ledger integrates the power sensor by the **left Riemann sum** (the reading
at the start of an interval holds until the next sample, at most the ledger's ``max_gap``, default
15 min), which matches how Home Assistant reports a power sensor (a new state when it changes).
`clean_power` drops None, NaN, negative and absurd readings (above ``max_power_w``); those
intervals fall back to the estimate, so a flaky sensor leaves a hole filled by the model, never a
spike.

Estimated energy (`EnergyModel`): input power = delivered capacity / COP, both functions of the
outdoor temperature, with the defaults of a US federal minimum 14.3 SEER2 / 7.5 HSPF2 unit
(DOMAIN.md). It is an estimate and is always kept apart from measured energy.

Heating, in °F (resdx/NEEP figures from DOMAIN.md):

- COP at 47 °F = ``heating_cop_47`` if given, else ``1.5 x HSPF2 / 3.412``. HSPF2 is a seasonal
  Btu/Wh figure that already includes cold-weather, defrost and cycling losses, so the steady-state
  COP at the 47 °F rating point is higher than the seasonal one; the 1.5 factor gives COP 3.3 for
  7.5 HSPF2 (typical of catalogue data) and is an assumption.
- COP falls linearly to 74 % of that at 17 °F (variable-speed mean), extrapolated beyond, never
  below ``min_cop`` (1.0: the unit is then no better than resistance heat) nor above 1.3 x COP47.
- Capacity falls linearly to ``capacity_17_ratio`` (69 %) of the rated capacity at 17 °F, never
  below 25 %.
- Defrost below 40 °F: f = clamp(0.134 - 0.003·T, 0, 0.08); capacity x (1 - 1.8 f),
  power x (1 - 0.3 f).

Cooling: COP at 82 °F = ``cooling_cop_82`` if given, else ``SEER2 / 3.412`` (SEER2's rating is
dominated by the 82 °F test point), falling linearly to 75 % of that at 95 °F, clamped to
[``min_cop``, 1.5 x COP82]; capacity is taken as rated.

``load_fraction`` (default 1.0) is the share of rated capacity the unit delivers while on: 1.0 for
a single-stage unit; an inverter at part load uses less (DOMAIN.md: down to about 27 % at minimum
speed, with a higher COP), so set it lower for inverter equipment. Fan-only and standby power are
flat user figures (default 0 W: the fan's power during heating/cooling is already inside the
SEER2/HSPF2 ratings). ``inverter`` marks a modulating unit: the ledger then estimates its part
load and every estimate's bounds with `part_load.PartLoad`.
"""

from __future__ import annotations

from dataclasses import dataclass
import math

from ..model import Mode
from ..numbers import number_within
from ..units import to_fahrenheit

BTU_PER_WH = 3.412
DEFAULT_SEER2 = 14.3
DEFAULT_HSPF2 = 7.5
DEFAULT_CAPACITY_W = 8800.0  # 2.5 ton (30 kBtu/h): a common size for a 2,000 ft² house
DEFAULT_MAX_POWER_W = 100_000.0  # no residential heat pump draws 100 kW: such readings are garbage
HEATING_COP_47_PER_SEASONAL = 1.5
COP_17_RATIO = 0.74
CAPACITY_17_RATIO = 0.69
COOLING_COP_95_RATIO = 0.75
DEFROST_BELOW_F = 40.0


def clean_power(value: float | None, max_power_w: float = DEFAULT_MAX_POWER_W) -> float | None:
    """The reading in W if finite, not negative and below ``max_power_w``, else None."""
    return number_within(value, 0.0, max_power_w)


def kwh(power_w: float, seconds: float) -> float:
    """Energy in kWh of ``power_w`` held for ``seconds``."""
    return power_w * seconds / 3_600_000.0


def defrost_fraction(outdoor_f: float) -> float:
    """Share of time spent defrosting (resdx): 0 at or above 40 °F, at most 8 %."""
    if outdoor_f >= DEFROST_BELOW_F:
        return 0.0
    return min(0.08, max(0.0, 0.134 - 0.003 * outdoor_f))


@dataclass(frozen=True, slots=True)
class EnergyModel:
    """A documented capacity/COP model for estimating a heat pump's input power (see module)."""

    heating_capacity_w: float = DEFAULT_CAPACITY_W  # rated at 47 °F
    cooling_capacity_w: float = DEFAULT_CAPACITY_W  # rated at 95 °F
    hspf2: float = DEFAULT_HSPF2
    seer2: float = DEFAULT_SEER2
    heating_cop_47: float | None = None  # overrides the HSPF2-derived figure
    cooling_cop_82: float | None = None  # overrides the SEER2-derived figure
    load_fraction: float = 1.0
    capacity_17_ratio: float = CAPACITY_17_RATIO
    min_cop: float = 1.0
    fan_only_w: float = 0.0
    standby_w: float = 0.0
    unit: str = "°C"  # unit of the outdoor temperatures passed in
    # An inverter (every mini-split) modulates: without a power sensor the ledger estimates its
    # part load (`part_load`) instead of booking full capacity whenever it runs.
    inverter: bool = False

    def __post_init__(self) -> None:
        """Reject settings that would make every estimate meaningless."""
        for name in ("heating_capacity_w", "cooling_capacity_w", "hspf2", "seer2", "min_cop"):
            value = getattr(self, name)
            if not math.isfinite(value) or value <= 0.0:
                raise ValueError(f"{name} must be a positive number, not {value!r}")
        for name in ("heating_cop_47", "cooling_cop_82"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value <= 0.0):
                raise ValueError(f"{name} must be a positive number, not {value!r}")
        if not 0.0 < self.load_fraction <= 1.0:
            raise ValueError("load_fraction must be in (0, 1]")
        if not 0.0 < self.capacity_17_ratio <= 1.0:
            raise ValueError("capacity_17_ratio must be in (0, 1]")
        if self.fan_only_w < 0.0 or self.standby_w < 0.0:
            raise ValueError("fan_only_w and standby_w must not be negative")

    @property
    def rated_heating_cop(self) -> float:
        """Steady-state COP at 47 °F."""
        if self.heating_cop_47 is not None:
            return self.heating_cop_47
        return HEATING_COP_47_PER_SEASONAL * self.hspf2 / BTU_PER_WH

    @property
    def rated_cooling_cop(self) -> float:
        """Steady-state COP at 82 °F."""
        if self.cooling_cop_82 is not None:
            return self.cooling_cop_82
        return self.seer2 / BTU_PER_WH

    def cop(self, mode: Mode, outdoor: float | None) -> float:
        """Effective COP (defrost included) at an outdoor temperature (rating point if None)."""
        if mode is Mode.HEAT:
            cop47 = self.rated_heating_cop
            if outdoor is None:
                return cop47
            t_f = to_fahrenheit(outdoor, self.unit)
            slope = cop47 * (1.0 - COP_17_RATIO) / 30.0
            cop = min(cop47 * 1.3, max(self.min_cop, cop47 + slope * (t_f - 47.0)))
            f = defrost_fraction(t_f)
            return max(self.min_cop, cop * (1.0 - 1.8 * f) / (1.0 - 0.3 * f))
        cop82 = self.rated_cooling_cop
        if outdoor is None:
            return cop82
        t_f = to_fahrenheit(outdoor, self.unit)
        slope = cop82 * (1.0 - COOLING_COP_95_RATIO) / 13.0
        return min(cop82 * 1.5, max(self.min_cop, cop82 - slope * (t_f - 82.0)))

    def capacity_w(self, mode: Mode, outdoor: float | None) -> float:
        """Delivered capacity at full load (defrost included) at an outdoor temperature."""
        if mode is Mode.COOL:
            return self.cooling_capacity_w
        if outdoor is None:
            return self.heating_capacity_w
        t_f = to_fahrenheit(outdoor, self.unit)
        slope = (1.0 - self.capacity_17_ratio) / 30.0
        ratio = min(1.2, max(0.25, 1.0 + slope * (t_f - 47.0)))
        return self.heating_capacity_w * ratio * (1.0 - 1.8 * defrost_fraction(t_f))

    def power_w(
        self, *, running: bool, mode: Mode | None, blower: bool, outdoor: float | None
    ) -> float:
        """Estimated electric input power in W for one state of the system."""
        if not running or mode is None:
            return self.fan_only_w if blower else self.standby_w
        return self.load_fraction * self.capacity_w(mode, outdoor) / self.cop(mode, outdoor)
