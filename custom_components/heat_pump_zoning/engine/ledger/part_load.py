"""Electric power without a power sensor: an inverter's part load, and bounds on every estimate.

The capacity/COP model (`energy.EnergyModel`) gives a unit's output and COP at *full* load.
A single-stage unit runs at full load whenever it runs, so that is its estimate. An inverter
(every mini-split) does not: it modulates down to a minimum output and, below that, cycles
(DOMAIN.md). Booking its full capacity whenever it runs books several times the energy it used.
`PartLoad` estimates, for each piece of booked time, what an inverter delivers and draws, from
what the ledger sees without a meter: whether the unit runs, how much of the last half hour it
ran (its duty), the indoor-outdoor temperature difference, and the unit's ratings.

**Output while on** (part-load ratio PLR = output / full-load output at that outdoor
temperature):

- *Cycling* (the unit ran less than `CONTINUOUS_DUTY` of the recent past, a running mean with a
  `DUTY_TAU_S` time constant): an inverter that stops and starts is at or near its minimum
  output, so PLR = `MIN_OUTPUT`, 35 %. DOMAIN.md: a head's minimum output is often 25-35 % of
  its maximum (NEEP minimum speed 27 %), and the outdoor unit has its own minimum, which binds
  when few heads run (example: 12,600 Btu/h, 35 % of a 3-ton outdoor unit, more of a smaller
  one). The first choice, 30 % (the heads' middle), read about 30 % low in `bench_energy`.
- *Running continuously*: the load is at least the minimum and the unit follows it. The load
  comes from an energy balance learnt in cycling weather: the heat delivered while cycling
  (minimum output x runtime) per kelvin-second of indoor-outdoor difference is the house's loss
  coefficient as this unit sees it (kept per mode, forgetting with a `LEARN_TAU_S` time
  constant). PLR = that coefficient x the difference now / full-load output, between the
  minimum and 1. Before anything is learnt, halfway between the minimum and full load.

**COP at part load**: the model's full-load COP at the outdoor temperature, times a gain that
rises linearly from 1 at full load to the minimum-speed gain at the minimum output: 1.37 at
47 °F, 1.25 at 17 °F, 1.15 at 5 °F (DOMAIN.md, NEEP/resdx means); in cooling 1.37 (an
assumption: DOMAIN.md gives heating figures only).

**Bounds** (`PowerEstimate.low`, `.high`): every estimated piece carries a low and a high
power, so every estimated energy has an interval. What each end allows for:

- the rated COP: ±`COP_SPREAD` (the HSPF2-to-COP conversion is an assumption, and field
  COPs differ from ratings);
- an inverter's output while cycling: minimum output from `MIN_OUTPUT_LOW` to
  `MIN_OUTPUT_HIGH` (an outside controller that switches the heads runs them above their
  minimum at times); while running continuously, from the minimum to full load;
- a single-stage unit's fan: the rating includes the indoor fan at a low static pressure;
  the high end adds a blower of `FAN_W_PER_CFM` at `CFM_PER_TON` (Title 24 reference
  figures, DOMAIN.md);
- runtime taken at the controller's word (`SystemSample.inferred`: equipment that does not say
  whether it delivers): the low end is the unit idle.

Pure Python; the caller passes every time span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import itertools
import math
from typing import Any

from ..model import Mode
from ..numbers import number_within
from ..units import to_fahrenheit
from .energy import EnergyModel

MIN_OUTPUT = 0.35
MIN_OUTPUT_LOW = 0.25
MIN_OUTPUT_HIGH = 0.50
# Minimum-speed COP / full-speed COP by outdoor °F (DOMAIN.md); cooling: an assumption.
MIN_SPEED_COP_GAIN_F = ((5.0, 1.15), (17.0, 1.25), (47.0, 1.37))
COOLING_MIN_SPEED_COP_GAIN = 1.37
COP_SPREAD = 0.15
DUTY_TAU_S = 1800.0
CONTINUOUS_DUTY = 0.95
LEARN_TAU_S = 7 * 86400.0
FAN_W_PER_CFM = 0.8  # DOMAIN.md, Title 24 reference design
CFM_PER_TON = 400.0  # DOMAIN.md: design airflow 350-400 CFM per ton
W_PER_TON = 3516.85  # 12,000 Btu/h


@dataclass(frozen=True, slots=True)
class PowerEstimate:
    """Electric power of one piece of time, W: the estimate and its bounds (low ≤ it ≤ high)."""

    nominal: float
    low: float
    high: float


def min_speed_cop_gain(mode: Mode, outdoor: float | None, unit: str) -> float:
    """COP at minimum speed over COP at full speed (DOMAIN.md), at an outdoor temperature."""
    if mode is Mode.COOL:
        return COOLING_MIN_SPEED_COP_GAIN
    points = MIN_SPEED_COP_GAIN_F
    if outdoor is None:
        return points[-1][1]
    t_f = to_fahrenheit(outdoor, unit)
    if t_f <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if t_f <= x1:
            return y0 + (y1 - y0) * (t_f - x0) / (x1 - x0)
    return points[-1][1]


def inverter_power(
    model: EnergyModel, mode: Mode, outdoor: float | None, plr: float, minimum: float
) -> float:
    """Input power, W, of an inverter delivering ``plr`` of its full-load output, whose minimum
    output is ``minimum`` (COP gain linear from full load to the minimum)."""
    full = model.capacity_w(mode, outdoor)
    gain = min_speed_cop_gain(mode, outdoor, model.unit)
    x = min(1.0, max(0.0, (1.0 - plr) / (1.0 - minimum))) if minimum < 1.0 else 0.0
    cop = model.cop(mode, outdoor) * (1.0 + (gain - 1.0) * x)
    return plr * full / cop


def blower_w(model: EnergyModel, mode: Mode) -> float:
    """A ducted unit's blower at the reference design's airflow and fan power (DOMAIN.md)."""
    capacity = model.cooling_capacity_w if mode is Mode.COOL else model.heating_capacity_w
    return FAN_W_PER_CFM * CFM_PER_TON * capacity / W_PER_TON


@dataclass(slots=True)
class PartLoad:
    """What the estimate remembers between pieces: the duty and the learnt loss coefficient.

    ``learnt[mode] = [heat delivered while cycling, J; indoor-outdoor difference, K·s]``, both
    decaying with `LEARN_TAU_S`.
    """

    duty: float = 0.0
    mode: Mode | None = None  # the mode of the last run
    learnt: dict[str, list[float]] = field(default_factory=dict)

    def estimate(
        self,
        model: EnergyModel,
        seconds: float,
        *,
        running: bool,
        mode: Mode | None,
        blower: bool,
        outdoor: float | None,
        indoor: float | None,
        inferred: bool = False,
    ) -> PowerEstimate:
        """The power of the next ``seconds`` (then remembered in the duty and the learning)."""
        idle = model.power_w(running=False, mode=None, blower=blower, outdoor=outdoor)
        if running and mode is not None:
            self.mode = mode
        continuous = self.duty >= CONTINUOUS_DUTY
        difference = _difference(self.mode, indoor, outdoor)
        if not running or mode is None:
            result = PowerEstimate(idle, idle, idle)
        elif model.inverter:
            result = self._inverter(model, mode, outdoor, difference, continuous=continuous)
        else:
            nominal = model.power_w(running=True, mode=mode, blower=blower, outdoor=outdoor)
            result = PowerEstimate(
                nominal,
                nominal * (1.0 - COP_SPREAD),
                nominal * (1.0 + COP_SPREAD) + blower_w(model, mode),
            )
        if inferred and running:
            result = PowerEstimate(result.nominal, idle, result.high)
        self._remember(model, seconds, running, mode, outdoor, difference, continuous=continuous)
        return result

    def _inverter(
        self,
        model: EnergyModel,
        mode: Mode,
        outdoor: float | None,
        difference: float | None,
        *,
        continuous: bool,
    ) -> PowerEstimate:
        low = inverter_power(model, mode, outdoor, MIN_OUTPUT_LOW, MIN_OUTPUT_LOW)
        if not continuous:
            nominal = inverter_power(model, mode, outdoor, MIN_OUTPUT, MIN_OUTPUT)
            high = inverter_power(model, mode, outdoor, MIN_OUTPUT_HIGH, MIN_OUTPUT_HIGH)
        else:
            plr = (1.0 + MIN_OUTPUT) / 2.0
            learnt = self.learnt.get(mode.value)
            if learnt is not None and learnt[1] > 0.0 and difference is not None:
                load = learnt[0] / learnt[1] * difference
                plr = min(1.0, max(MIN_OUTPUT, load / model.capacity_w(mode, outdoor)))
            nominal = inverter_power(model, mode, outdoor, plr, MIN_OUTPUT)
            high = inverter_power(model, mode, outdoor, 1.0, MIN_OUTPUT)
        return PowerEstimate(nominal, low * (1.0 - COP_SPREAD), high * (1.0 + COP_SPREAD))

    def _remember(
        self,
        model: EnergyModel,
        seconds: float,
        running: bool,
        mode: Mode | None,
        outdoor: float | None,
        difference: float | None,
        *,
        continuous: bool,
    ) -> None:
        """Update the duty and, while cycling, the loss coefficient of the last run's mode."""
        if seconds <= 0.0:
            return
        keep = math.exp(-seconds / DUTY_TAU_S)
        self.duty = self.duty * keep + (1.0 - keep) * (1.0 if running else 0.0)
        if self.mode is None or difference is None or continuous:
            return
        forget = math.exp(-seconds / LEARN_TAU_S)
        learnt = self.learnt.setdefault(self.mode.value, [0.0, 0.0])
        delivered = 0.0
        if running and mode is self.mode:
            delivered = MIN_OUTPUT * model.capacity_w(mode, outdoor) * seconds
        learnt[0] = learnt[0] * forget + delivered
        learnt[1] = learnt[1] * forget + difference * seconds

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {
            "duty": self.duty,
            "mode": None if self.mode is None else self.mode.value,
            "learnt": {k: list(v) for k, v in self.learnt.items()},
        }

    @classmethod
    def from_dict(cls, data: Any) -> PartLoad:
        """Read `to_dict`'s form; anything unreadable starts afresh (it is only a running mean)."""
        state = cls()
        if not isinstance(data, dict):
            return state
        state.duty = number_within(data.get("duty"), 0.0, 1.0) or 0.0
        if data.get("mode") in (Mode.HEAT.value, Mode.COOL.value):
            state.mode = Mode(data["mode"])
        learnt = data.get("learnt")
        if isinstance(learnt, dict):
            for key in (Mode.HEAT.value, Mode.COOL.value):
                pair = learnt.get(key)
                if not isinstance(pair, list) or len(pair) != 2:
                    continue
                numbers = [number_within(v, 0.0, math.inf) for v in pair]
                if numbers[0] is not None and numbers[1] is not None:
                    state.learnt[key] = [numbers[0], numbers[1]]
        return state


def _difference(mode: Mode | None, indoor: float | None, outdoor: float | None) -> float | None:
    """How far outdoors is from indoors in the direction the unit works against (≥ 0)."""
    if mode is None or indoor is None or outdoor is None:
        return None
    return max(0.0, indoor - outdoor if mode is Mode.HEAT else outdoor - indoor)
