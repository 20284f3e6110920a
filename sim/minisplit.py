"""Multi-zone inverter mini-split: one outdoor unit shared by several heads.

Each head has its own thermostat reading the air near the ceiling (warmer than the
room in heat) and modulates with a PI law between its minimum and maximum capacity.
The outdoor unit runs in one mode at a time: "the first unit to turn on determines
which mode" (DOMAIN.md, Haier). A head commanded into the other mode does not run and
reports idle; the simulator records those seconds as mode conflict.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from sim.ducted import cooling_capacity_factor, cooling_cop_factor
from sim.performance import (
    SENSIBLE_HEAT_RATIO,
    defrost_fraction,
    heating_factor,
    startup_factor,
    startup_tau_for_cd,
)
from sim.spec import (
    HEAD_KI_PER_K_S,
    HEAD_KP_PER_K,
    HEAD_OFF_ABOVE_K,
    HEAD_ON_BELOW_K,
    HEAD_STRAT_HEATING_K,
    HEAD_STRAT_IDLE_K,
    HEAD_STRAT_TAU_S,
    MAX_SETPOINT_C,
    MIN_SETPOINT_C,
    SHORT_CYCLE_S,
    HeadSpec,
    HVACAction,
    HVACMode,
    MiniSplitSpec,
)
from sim.units import btuh_to_w, c_to_f, f_to_c

if TYPE_CHECKING:
    from sim.truth import HeadTruth, MiniSplitTruth, RoomTruth

# Variable-speed units keep ~69 % of 47 °F capacity at 17 °F, at ~74 % of the COP
# (DOMAIN.md).
VS_HEAT_CAPACITY_AT_17F = 0.69
VS_HEAT_COP_AT_17F = 0.74
# Minimum-speed COP relative to max-speed COP: 1.37x at 47 °F, 1.25x at 17 °F, 1.15x
# at 5 °F (DOMAIN.md, resdx/NEEP). Cooling uses the 47 °F figure (assumption).
MIN_SPEED_COP_GAIN = ((5.0, 1.15), (17.0, 1.25), (47.0, 1.37))
COOLING_MIN_SPEED_COP_GAIN = 1.37
# Cooling COP at 82 °F relative to 95 °F: 1 / 0.75 (DOMAIN.md, COP95 ≈ 75 % of COP82).


def vs_heating_capacity_factor(outdoor_c: float) -> float:
    """Max-speed heating capacity relative to 47 °F, before defrost."""
    return heating_factor(outdoor_c, VS_HEAT_CAPACITY_AT_17F, 0.2, 1.25)


def vs_heating_cop_factor(outdoor_c: float) -> float:
    """Max-speed heating COP relative to 47 °F."""
    return heating_factor(outdoor_c, VS_HEAT_COP_AT_17F, 0.3, 1.3)


def min_speed_cop_gain(outdoor_c: float) -> float:
    """Heating COP gain at minimum speed vs maximum speed (DOMAIN.md table)."""
    t_f = c_to_f(outdoor_c)
    pts = MIN_SPEED_COP_GAIN
    if t_f <= pts[0][0]:
        return pts[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        if t_f <= x1:
            return y0 + (y1 - y0) * (t_f - x0) / (x1 - x0)
    return pts[-1][1]


class MiniSplitHead:
    """An indoor head with its own thermostat (a HA ``climate`` entity)."""

    def __init__(
        self, spec: HeadSpec, room_index: int, temps: list[float], truth: HeadTruth
    ) -> None:
        self.id = spec.id
        self.room = spec.room
        self.spec = spec
        self.room_index = room_index
        self._temps = temps
        self._truth = truth
        self.hvac_mode = HVACMode.OFF
        self.target_temperature = 21.0
        self.commanded = False  # told something new since the last step (House counts it)
        self.output_w = 0.0  # sensible heat into the room, signed (cooling < 0)
        self.power_w = 0.0  # electrical power metered to this head (see `MiniSplit.step`)
        self.calling = False
        self.blocked = False  # commanded opposite to the outdoor unit's mode
        self._integral = 0.0
        self._strat = 0.0
        self._on_seq = 0
        self.max_w = btuh_to_w(spec.max_capacity_btuh)
        self.min_w = self.max_w * spec.min_fraction

    def set_mode(self, mode: HVACMode | str) -> None:
        """Set hvac_mode: "off", "heat" or "cool"."""
        new = HVACMode(mode)
        if new is not self.hvac_mode:
            self.commanded = True
            self.hvac_mode = new
            self._on_seq = _next_seq()
            self.calling = False
            self._integral = 0.0

    def set_setpoint(self, temperature_c: float) -> None:
        """Set the target temperature (°C), clamped to the head's range and rounded to the
        setpoints it accepts (its spec's step in °C, or whole °F)."""
        if not math.isfinite(temperature_c):
            raise ValueError("setpoint must be a finite number")
        value = min(max(float(temperature_c), MIN_SETPOINT_C), MAX_SETPOINT_C)
        spec = self.spec
        if spec.setpoint_in_f:
            value = f_to_c(round(c_to_f(value)))
        elif spec.setpoint_step_c > 0.0:
            value = round(value / spec.setpoint_step_c) * spec.setpoint_step_c
        self.commanded |= value != self.target_temperature
        self.target_temperature = value

    @property
    def current_temperature(self) -> float:
        """The head's own reading: room air plus ceiling stratification."""
        return self._temps[self.room_index] + self.stratification_k

    @property
    def stratification_k(self) -> float:
        """How much warmer the head's sensor is than the room air: ceiling stratification
        (warmer while heating), or its spec's own bias for the mode it is in."""
        bias = self.spec.sensor_bias_k
        if bias is not None:
            return bias[1] if self.hvac_mode is HVACMode.COOL else bias[0]
        return HEAD_STRAT_IDLE_K + HEAD_STRAT_HEATING_K * self._strat

    @property
    def target_temp_step(self) -> float:
        """The setpoint step its entity shows, °C (whole-°F heads: 0.5 °C, as Home Assistant
        shows them in a metric installation)."""
        step = self.spec.setpoint_step_c
        return 0.5 if self.spec.setpoint_in_f or step <= 0.0 else step

    @property
    def reports_action(self) -> bool:
        """Whether its integration exposes `hvac_action` (its spec says)."""
        return self.spec.reports_action

    @property
    def hvac_action(self) -> HVACAction:
        """off / heating / cooling / idle."""
        if self.hvac_mode is HVACMode.OFF:
            return HVACAction.OFF
        if self.output_w > 0.0:
            return HVACAction.HEATING
        if self.output_w < 0.0:
            return HVACAction.COOLING
        return HVACAction.IDLE

    @property
    def min_temp(self) -> float:
        """Lowest settable setpoint, °C."""
        return MIN_SETPOINT_C

    @property
    def max_temp(self) -> float:
        """Highest settable setpoint, °C."""
        return MAX_SETPOINT_C

    def _thermostat(self) -> float:
        """Update thermo-on/off; return the control error (positive = wants output)."""
        mode = self.hvac_mode
        reading = self._temps[self.room_index] + self.stratification_k
        if mode is HVACMode.HEAT:
            err = self.target_temperature - reading
        elif mode is HVACMode.COOL:
            err = reading - self.target_temperature
        else:
            self.calling = False
            return 0.0
        if self.calling:
            if err <= -HEAD_OFF_ABOVE_K:
                self.calling = False
                self._integral = 0.0
        elif err >= HEAD_ON_BELOW_K:
            self.calling = True
        return err

    def _request(self, err: float, dt: float, cap_factor: float) -> float:
        """Requested steady capacity (W) between min and max: PI modulation, or with a
        ``droop_k`` proportional only (full output at that error, no integral)."""
        droop = self.spec.droop_k
        if droop is not None:
            u = min(max(err / droop, 0.0), 1.0)
            return (self.min_w + (self.max_w - self.min_w) * u) * cap_factor
        integral = self._integral + HEAD_KI_PER_K_S * err * dt
        integral = min(max(integral, 0.0), 1.0)
        self._integral = integral
        u = HEAD_KP_PER_K * err + integral
        u = min(max(u, 0.0), 1.0)
        return (self.min_w + (self.max_w - self.min_w) * u) * cap_factor


_SEQ = [0]


def _next_seq() -> int:
    _SEQ[0] += 1
    return _SEQ[0]


class MiniSplit:
    """The shared outdoor unit of a multi-zone mini-split."""

    def __init__(
        self,
        spec: MiniSplitSpec,
        heads: list[MiniSplitHead],
        truth: MiniSplitTruth,
        head_truths: list[HeadTruth],
        room_truths: list[RoomTruth],
    ) -> None:
        self.id = spec.id
        self.spec = spec
        self.heads = heads
        self._truth = truth
        self._head_truths = head_truths
        self._room_truths = room_truths
        self.mode: HVACMode | None = None  # outdoor unit mode, set by the first head on
        self.running = False
        self.power_w = 0.0
        self.output_w = 0.0  # steady total (not sensible) capacity at the last step
        self.rated_w = btuh_to_w(spec.rated_capacity_btuh)
        self.cooling_cop82_max = spec.cooling_cop95_max / 0.75  # DOMAIN.md 75 % ratio
        self._tau = startup_tau_for_cd(spec.cd)
        self._on_time = 0.0
        self._off_time = math.inf
        self._strat_dt = -1.0
        self._strat_alpha = 0.0

    @property
    def hvac_action(self) -> HVACAction:
        """What the outdoor unit is doing."""
        if self.mode is None:
            return HVACAction.OFF
        if not self.running:
            return HVACAction.IDLE
        return HVACAction.HEATING if self.mode is HVACMode.HEAT else HVACAction.COOLING

    def capacity_limits_w(self, mode: HVACMode, outdoor_c: float) -> tuple[float, float]:
        """(minimum, maximum) steady outdoor-unit output at this outdoor temperature."""
        f = (
            vs_heating_capacity_factor(outdoor_c)
            if mode is HVACMode.HEAT
            else cooling_capacity_factor(outdoor_c)
        )
        return self.rated_w * self.spec.outdoor_min_fraction * f, self.rated_w * f

    def cop(self, mode: HVACMode, outdoor_c: float, load_share: float) -> float:
        """Steady COP at ``load_share`` = output / max output (≥ minimum share)."""
        smin = self.spec.outdoor_min_fraction
        x = min(max((1.0 - load_share) / (1.0 - smin), 0.0), 1.0)
        if mode is HVACMode.HEAT:
            base = self.spec.heating_cop47_max * vs_heating_cop_factor(outdoor_c)
            gain = min_speed_cop_gain(outdoor_c)
        else:
            base = self.cooling_cop82_max * cooling_cop_factor(outdoor_c)
            gain = COOLING_MIN_SPEED_COP_GAIN
        return base * (1.0 + (gain - 1.0) * x)

    def _arbitrate(self) -> None:
        mode = self.mode
        if mode is not None and any(h.hvac_mode is mode for h in self.heads):
            return
        if self.running:
            self._stop()
        owner: MiniSplitHead | None = None
        for h in self.heads:
            if h.hvac_mode is not HVACMode.OFF and (owner is None or h._on_seq < owner._on_seq):
                owner = h
        self.mode = owner.hvac_mode if owner is not None else None

    def _stop(self) -> None:
        self.running = False
        self._truth.cycles.record_stop(self._on_time, SHORT_CYCLE_S)
        self._off_time = 0.0

    # One physics step read top to bottom (the benchmarks' truth): left whole on purpose.
    def step(self, dt: float, q: list[float], outdoor_c: float) -> None:  # noqa: C901, PLR0912, PLR0915
        """Advance ``dt`` seconds, adding each head's sensible output (W) into ``q``.

        Per-head metering, as outdoor units that report consumption per indoor unit do it: each
        running head's ``power_w`` is the compressor power apportioned by the head's share of the
        requested output, plus its own fan; the heads' powers add up to the unit's ``power_w``.
        """
        self._arbitrate()
        mode = self.mode
        truth = self._truth
        head_truths = self._head_truths
        heat = mode is HVACMode.HEAT
        if heat:
            cap_f = vs_heating_capacity_factor(outdoor_c)
        elif mode is HVACMode.COOL:
            cap_f = cooling_capacity_factor(outdoor_c)
        else:
            cap_f = 1.0
        requests: list[tuple[int, MiniSplitHead, float]] = []
        for i, h in enumerate(self.heads):
            err = h._thermostat()
            h.output_w = 0.0
            h.power_w = 0.0
            blocked = h.hvac_mode is not HVACMode.OFF and h.hvac_mode is not mode
            h.blocked = blocked
            if blocked:
                ht = head_truths[i]
                ht.mode_conflict_s += dt
                truth.mode_conflict_s += dt
                if h.calling:
                    ht.mode_conflict_calling_s += dt
            elif h.calling:
                requests.append((i, h, h._request(err, dt, cap_f)))
        if self.running and not requests:
            self._stop()
        elif not self.running and requests and self._off_time >= self.spec.min_off_s:
            self.running = True
            self._on_time = 0.0
            truth.cycles.starts += 1
        if not self.running or mode is None:
            self._off_time += dt
            self.power_w = 0.0
            self.output_w = 0.0
            self._relax_strat(dt)
            return
        total = 0.0
        for _, _, r in requests:
            total += r
        qmin = self.rated_w * self.spec.outdoor_min_fraction * cap_f
        qmax = self.rated_w * cap_f
        if total > qmax:
            scale = qmax / total
            out = qmax
        elif total < qmin:
            # Below the outdoor unit's minimum: it runs at minimum and overheats the
            # calling rooms until their heads go thermo-off (the compressor cycles).
            scale = qmin / total
            out = qmin
            truth.below_minimum_s += dt
        else:
            scale = 1.0
            out = total
        self.output_w = out
        cop = self.cop(mode, outdoor_c, out / qmax)
        start = startup_factor(self._on_time, dt, self._tau)
        if heat:
            f = defrost_fraction(outdoor_c)
            deliver = (1.0 - 1.8 * f) * start * scale
            comp_w = out / cop * (1.0 - 0.3 * f)
            truth.defrost_s += f * dt
        else:
            deliver = -SENSIBLE_HEAT_RATIO * start * scale
            comp_w = out / cop
        fans_w = 0.0
        room_truths = self._room_truths
        for i, h, r in requests:
            w = r * deliver
            h.output_w = w
            h.power_w = comp_w * r / total + h.spec.fan_w
            q[h.room_index] += w
            fans_w += h.spec.fan_w
            ht = head_truths[i]
            ht.runtime_s += dt
            rt = room_truths[h.room_index]
            if w >= 0.0:
                ht.heat_j += w * dt
                rt.heat_j += w * dt
                truth.heat_output_j += w * dt
            else:
                ht.cool_j -= w * dt
                rt.cool_j -= w * dt
                truth.cool_output_j -= w * dt
        power = comp_w + fans_w
        self.power_w = power
        truth.compressor_j += comp_w * dt
        truth.fans_j += fans_w * dt
        truth.electrical_j += power * dt
        truth.cycles.runtime_s += dt
        self._on_time += dt
        self._relax_strat(dt)

    def _relax_strat(self, dt: float) -> None:
        if dt != self._strat_dt:
            self._strat_dt = dt
            self._strat_alpha = 1.0 - math.exp(-dt / HEAD_STRAT_TAU_S)
        a = self._strat_alpha
        for h in self.heads:
            target = 1.0 if h.output_w > 0.0 else 0.0
            h._strat += (target - h._strat) * a
