"""Single-stage ducted heat pump with an air handler, zone dampers and a wall thermostat.

The unit behaves like real equipment under a conventional thermostat: it runs in the
commanded mode only while its *own* sensor (in the thermostat room) is outside the
hysteresis band around its setpoint. A zoning controller therefore has to nudge the
setpoint to make it run or stop, and open the dampers of the rooms that should get air.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

from sim.performance import (
    SENSIBLE_HEAT_RATIO,
    defrost_capacity_factor,
    defrost_fraction,
    defrost_power_factor,
    heating_factor,
    startup_factor,
    startup_tau_for_cd,
)
from sim.spec import (
    DUCT_AREA_SHARE,
    DUCT_U_W_K_M2,
    DUCT_WALL_FILM_RATIO,
    MAX_LEAKAGE,
    SHORT_CYCLE_S,
    DamperSpec,
    DuctedSpec,
    DuctLocation,
    HVACAction,
    HVACMode,
)
from sim.units import AIR_VOLUMETRIC_HEAT_J_M3_K, btuh_to_w, c_to_f, cfm_to_m3s

if TYPE_CHECKING:
    from sim.truth import DuctedTruth, RoomTruth

# Single-speed units keep ~63 % of their 47 °F heating capacity at 17 °F (DOMAIN.md).
HEAT_CAPACITY_AT_17F = 0.63
# COP at 17 °F relative to 47 °F: DOMAIN.md gives ~74 % for variable-speed units; used
# here for single-speed too (assumption).
HEAT_COP_AT_17F = 0.74
# Cooling capacity at 82 °F relative to 95 °F: +6 % (assumption, typical catalogue
# data of single-stage condensers).
COOL_CAPACITY_AT_82F = 1.06
# Cooling COP at 95 °F is ~75 % of COP at 82 °F (DOMAIN.md).
COOL_COP_95_OVER_82 = 0.75
# SEER of a single-speed unit = EER at 82 °F (B test) x PLF(0.5) (DOE test procedure,
# 10 CFR 430 App. M1; not in DOMAIN.md). 3.412 Btu/h per W converts EER to COP.
BTUH_PER_W = 3.412
# Indoor fan power included in rated COPs, W/CFM (assumption, of the order of the DOE
# App. M1 default fan power for coil-only ratings). The model subtracts it and adds the
# installed blower power instead.
RATING_FAN_W_PER_CFM = 0.4
# Attic air above outdoor: +2 K at night, plus 0.025 K per W/m² of sun (≈ +25 K on a
# sunny summer afternoon; assumption in line with measured attic studies).
ATTIC_NIGHT_OFFSET_K = 2.0
ATTIC_SOLAR_K_PER_W_M2 = 0.025
# Vented crawlspace temperature as a blend of outdoor air and ground (assumption).
CRAWLSPACE_OUTDOOR_WEIGHT = 0.4


def heating_capacity_factor(outdoor_c: float) -> float:
    """Steady heating capacity relative to 47 °F, before defrost (linear in °F)."""
    return heating_factor(outdoor_c, HEAT_CAPACITY_AT_17F, 0.15, 1.3)


def heating_cop_factor(outdoor_c: float) -> float:
    """Steady heating COP relative to 47 °F (linear in °F)."""
    return heating_factor(outdoor_c, HEAT_COP_AT_17F, 0.3, 1.3)


def cooling_capacity_factor(outdoor_c: float) -> float:
    """Steady total cooling capacity relative to 95 °F (linear in °F)."""
    t_f = c_to_f(outdoor_c)
    f = 1.0 + (COOL_CAPACITY_AT_82F - 1.0) / 13.0 * (95.0 - t_f)
    return min(max(f, 0.6), 1.25)


def cooling_cop_factor(outdoor_c: float) -> float:
    """Steady cooling COP relative to 82 °F: 1 at 82 °F, 0.75 at 95 °F (linear in °F)."""
    t_f = c_to_f(outdoor_c)
    f = 1.0 - (1.0 - COOL_COP_95_OVER_82) / 13.0 * (t_f - 82.0)
    return min(max(f, 0.35), 1.5)


class Damper:
    """A zone damper; position 0 (closed) … 100 (open), like a HA ``cover``.

    By default it moves at once and always obeys. A ``DamperSpec`` can give it a stroke
    time, and chances to stop part-way or to ignore a command (seeded, reproducible).
    """

    __slots__ = (
        "_position",
        "_rng",
        "_stop_at",
        "_target",
        "commanded",
        "design_cfm",
        "id",
        "room",
        "room_index",
        "spec",
    )

    def __init__(self, spec: DamperSpec, room_index: int) -> None:
        self.id = spec.id
        self.room = spec.room
        self.room_index = room_index
        self.design_cfm = spec.design_cfm
        self.spec = spec
        self._position = 100.0
        self._target = 100.0  # the last position it was told and took as its goal
        self._stop_at = 100.0  # where the move under way ends (part-way if it stalls)
        self.commanded = False  # told a new position since the last step (House counts it)
        faulty = spec.stall_chance > 0.0 or spec.ignore_chance > 0.0
        self._rng = random.Random(spec.seed) if faulty else None

    @property
    def position(self) -> float:
        """Current position, 0..100."""
        return self._position

    @property
    def target(self) -> float:
        """The position it is heading for (its last accepted command)."""
        return self._target

    @property
    def moving(self) -> bool:
        """True while the blade travels."""
        return self._position != self._stop_at

    def set_position(self, position: float) -> None:
        """Command a position, clamped to 0..100 (instant unless the spec says otherwise)."""
        goal = min(max(float(position), 0.0), 100.0)
        self.commanded |= goal != self._target
        spec = self.spec
        rng = self._rng
        if rng is not None and rng.random() < spec.ignore_chance:
            return  # the command never arrives (a sleepy vent, a lost radio message)
        self._target = goal
        stop = goal
        if rng is not None and goal != self._position and rng.random() < spec.stall_chance:
            stop = self._position + (goal - self._position) * rng.random()
        self._stop_at = stop
        if spec.travel_s <= 0.0:
            self._position = stop

    def advance(self, dt: float) -> None:
        """Travel for ``dt`` seconds towards where the current move ends."""
        gap = self._stop_at - self._position
        if gap == 0.0:
            return
        stride = 100.0 * dt / self.spec.travel_s
        self._position = (
            self._stop_at if abs(gap) <= stride else self._position + math.copysign(stride, gap)
        )

    @property
    def is_closed(self) -> bool:
        """True when fully closed."""
        return self._position <= 0.0


class DuctedHeatPump:
    """A single-stage ducted heat pump driven by its own wall thermostat.

    Thermostat interface (mirrors a HA ``climate`` entity): :meth:`set_mode`,
    :meth:`set_setpoint`, :attr:`hvac_mode`, :attr:`target_temperature`,
    :attr:`current_temperature`, :attr:`hvac_action`.
    """

    def __init__(
        self,
        spec: DuctedSpec,
        dampers: list[Damper],
        thermostat_index: int,
        served_floor_area_m2: float,
        temps: list[float],
        truth: DuctedTruth,
        room_truths: list[RoomTruth],
    ) -> None:
        self.id = spec.id
        self.spec = spec
        self.dampers = dampers
        self._temps = temps
        self._tstat = thermostat_index
        self._truth = truth
        self._room_truths = room_truths
        self.hvac_mode = HVACMode.OFF
        self.target_temperature = 21.0
        self.commanded = False  # told something new since the last step (House counts it)
        self.running = False
        self.power_w = 0.0
        self.airflow_share = 0.0
        self.supply_temperature: float | None = None
        self._run_mode = HVACMode.OFF
        self._on_time = 0.0
        self._off_time = math.inf

        self.rated_w = btuh_to_w(spec.rated_capacity_btuh)
        tons = spec.rated_capacity_btuh / 12000.0
        self.rated_cfm = spec.rated_cfm if spec.rated_cfm is not None else 400.0 * tons
        self._mcp_rated = cfm_to_m3s(self.rated_cfm) * AIR_VOLUMETRIC_HEAT_J_M3_K
        self.blower_w = self.rated_cfm * spec.blower_w_per_cfm
        self._rating_fan_w = self.rated_cfm * RATING_FAN_W_PER_CFM
        self.cooling_cop82 = spec.seer2 / BTUH_PER_W / (1.0 - 0.5 * spec.cd)
        self.heating_cop47 = spec.heating_cop47
        self._tau = startup_tau_for_cd(spec.cd)
        area = spec.duct_area_m2
        if area is None:
            area = DUCT_AREA_SHARE * served_floor_area_m2
        self._duct_ua = area * DUCT_U_W_K_M2
        self._wall_temperature: float | None = None  # duct walls (with `duct_mass_j_k`)
        total_design = sum(d.design_cfm for d in dampers)
        if total_design <= 0.0:
            raise ValueError(f"ducted unit {spec.id}: dampers need design airflow")
        self._total_design = total_design
        # Central return: mixed air from served rooms, weighted by design airflow; duct
        # losses in conditioned space are spread over the same rooms.
        self._design_weights = [(d.room_index, d.design_cfm / total_design) for d in dampers]

    # --- thermostat interface ----------------------------------------------------------

    def set_mode(self, mode: HVACMode | str) -> None:
        """Set hvac_mode: "off", "heat" or "cool"."""
        new = HVACMode(mode)
        self.commanded |= new is not self.hvac_mode
        self.hvac_mode = new

    def set_setpoint(self, temperature_c: float) -> None:
        """Set the target temperature (°C), clamped to the thermostat's range."""
        if not math.isfinite(temperature_c):
            raise ValueError("setpoint must be a finite number")
        low, high = self.spec.min_setpoint_c, self.spec.max_setpoint_c
        new = min(max(float(temperature_c), low), high)
        self.commanded |= new != self.target_temperature
        self.target_temperature = new

    @property
    def current_temperature(self) -> float:
        """The wall thermostat's own reading (thermostat room air + sensor offset)."""
        return self._temps[self._tstat] + self.spec.thermostat_offset_k

    @property
    def hvac_action(self) -> HVACAction:
        """off / heating / cooling / idle, as a HA climate entity reports it."""
        if self.hvac_mode is HVACMode.OFF:
            return HVACAction.OFF
        if self.running:
            return HVACAction.HEATING if self._run_mode is HVACMode.HEAT else HVACAction.COOLING
        return HVACAction.IDLE

    @property
    def min_temp(self) -> float:
        """Lowest settable setpoint, °C."""
        return self.spec.min_setpoint_c

    @property
    def max_temp(self) -> float:
        """Highest settable setpoint, °C."""
        return self.spec.max_setpoint_c

    # --- performance -------------------------------------------------------------------

    def steady_capacity_w(self, mode: HVACMode, outdoor_c: float) -> float:
        """Steady total capacity (W) incl. defrost in heat; cooling is total (not sensible)."""
        if mode is HVACMode.HEAT:
            return (
                self.rated_w
                * heating_capacity_factor(outdoor_c)
                * defrost_capacity_factor(outdoor_c)
            )
        if mode is HVACMode.COOL:
            return self.rated_w * cooling_capacity_factor(outdoor_c)
        return 0.0

    def steady_power_w(self, mode: HVACMode, outdoor_c: float) -> float:
        """Steady electrical power (W) of compressor + outdoor fan + installed blower."""
        if mode is HVACMode.HEAT:
            cap = self.rated_w * heating_capacity_factor(outdoor_c)
            cop = self.heating_cop47 * heating_cop_factor(outdoor_c)
            comp = max(cap / cop - self._rating_fan_w, 0.5 * cap / cop)
            return comp * defrost_power_factor(outdoor_c) + self.blower_w
        if mode is HVACMode.COOL:
            cap = self.rated_w * cooling_capacity_factor(outdoor_c)
            cop = self.cooling_cop82 * cooling_cop_factor(outdoor_c)
            return max(cap / cop - self._rating_fan_w, 0.5 * cap / cop) + self.blower_w
        return 0.0

    # --- time step ---------------------------------------------------------------------

    def _thermostat(self) -> None:
        mode = self.hvac_mode
        reading = self._temps[self._tstat] + self.spec.thermostat_offset_k
        sp = self.target_temperature
        h = self.spec.hysteresis_k
        if self.running and (
            mode is not self._run_mode
            or (
                self._on_time >= self.spec.min_on_s
                and (
                    (mode is HVACMode.HEAT and reading >= sp + h)
                    or (mode is HVACMode.COOL and reading <= sp - h)
                )
            )
        ):
            self._stop()
        if (
            not self.running
            and self._off_time >= self.spec.min_off_s
            and (
                (mode is HVACMode.HEAT and reading <= sp - h)
                or (mode is HVACMode.COOL and reading >= sp + h)
            )
        ):
            self.running = True
            self._run_mode = mode
            self._on_time = 0.0
            self._truth.cycles.starts += 1

    def _stop(self) -> None:
        self.running = False
        self._truth.cycles.record_stop(self._on_time, SHORT_CYCLE_S)
        self._off_time = 0.0

    def duct_space_temperature(self, outdoor_c: float, ghi: float, ground_c: float) -> float | None:
        """Air temperature around the supply ducts, °C (None: inside the conditioned space)."""
        location = self.spec.duct_location
        if location is DuctLocation.ATTIC:
            return outdoor_c + ATTIC_NIGHT_OFFSET_K + ATTIC_SOLAR_K_PER_W_M2 * ghi
        if location is DuctLocation.CRAWLSPACE:
            return (
                CRAWLSPACE_OUTDOOR_WEIGHT * outdoor_c + (1 - CRAWLSPACE_OUTDOOR_WEIGHT) * ground_c
            )
        return None

    # One physics step read top to bottom (the benchmarks' truth): left whole on purpose.
    def step(  # noqa: C901, PLR0912, PLR0915
        self, dt: float, q: list[float], outdoor_c: float, ghi: float, ground_c: float
    ) -> None:
        """Advance ``dt`` seconds: decide on/off, add delivered heat (W) into ``q``."""
        for damper in self.dampers:
            if damper.moving:
                damper.advance(dt)
        self._thermostat()
        if not self.running:
            self._off_time += dt
            self.power_w = 0.0
            self.supply_temperature = None
            if self.spec.duct_mass_j_k:
                self._relax_ducts(dt, self.duct_space_temperature(outdoor_c, ghi, ground_c))
            return
        truth = self._truth
        heat = self._run_mode is HVACMode.HEAT
        open_cfm = 0.0
        for d in self.dampers:
            open_cfm += d.design_cfm * d._position
        open_cfm *= 0.01
        share = open_cfm / self._total_design
        self.airflow_share = share
        if share < self.spec.low_airflow_share:
            truth.low_airflow_s += dt
        blower_w = self.blower_w
        if share <= 0.0:
            # All dampers shut: no airflow, the pressure switch keeps the compressor off.
            truth.no_airflow_s += dt
            self.power_w = blower_w
            truth.blower_j += blower_w * dt
            truth.electrical_j += blower_w * dt
            self._advance_on(dt)
            return
        # Airflow falls as dampers close and duct resistance rises: flow ∝ √(open share)
        # (square-law duct resistance on a flat fan curve; simplification).
        mcp = self._mcp_rated * math.sqrt(share) if share < 1.0 else self._mcp_rated
        start = startup_factor(self._on_time, dt, self._tau)
        if heat:
            cap_f = heating_capacity_factor(outdoor_c)
            defrost = defrost_fraction(outdoor_c)
            cap = self.rated_w * cap_f * (1.0 - 1.8 * defrost)
            cop = self.heating_cop47 * heating_cop_factor(outdoor_c)
            full = self.rated_w * cap_f
            comp_w = max(full / cop - self._rating_fan_w, 0.5 * full / cop) * (1.0 - 0.3 * defrost)
            truth.defrost_s += defrost * dt
            sensible = cap * start
        else:
            cap = self.rated_w * cooling_capacity_factor(outdoor_c)
            cop = self.cooling_cop82 * cooling_cop_factor(outdoor_c)
            comp_w = max(cap / cop - self._rating_fan_w, 0.5 * cap / cop)
            sensible = -SENSIBLE_HEAT_RATIO * cap * start
        temps = self._temps
        t_ret = 0.0
        for idx, w in self._design_weights:
            t_ret += temps[idx] * w
        spec = self.spec
        location = spec.duct_location
        t_amb = self.duct_space_temperature(outdoor_c, ghi, ground_c)
        if t_amb is None:
            t_amb = t_ret
        # Return ducts outside draw some air from the duct space: the coil sees it, the rooms pay.
        t_coil = t_ret + spec.return_leakage * (t_amb - t_ret)
        t_sup = t_coil + sensible / mcp
        self.supply_temperature = t_sup
        # Supply-duct conduction, ASHRAE 152 style: air leaves at
        # t_amb + (t_sup - t_amb)·exp(-UA/ṁcp).
        t_sup2 = t_amb + (t_sup - t_amb) * math.exp(-self._duct_ua / mcp)
        conduction = mcp * (t_sup - t_sup2)
        leakage = spec.duct_leakage
        if spec.leakage_pressure_exponent:
            leakage = min(leakage * share**-spec.leakage_pressure_exponent, MAX_LEAKAGE)
        leak = leakage * mcp * (t_sup2 - t_ret)
        return_loss = mcp * (t_ret - t_coil)  # heat that warming the duct-space air took
        storage = self._duct_storage(dt, t_sup, t_amb) if spec.duct_mass_j_k else 0.0
        delivered = sensible - conduction - leak - return_loss - storage
        lost = conduction + leak + return_loss + storage
        room_truths = self._room_truths
        sign = 1.0 if heat else -1.0
        if location is DuctLocation.CONDITIONED:
            truth.duct_loss_conditioned_j += sign * lost * dt
            for idx, w in self._design_weights:
                q[idx] += lost * w
                self._credit(room_truths[idx], lost * w * dt)
        else:
            truth.duct_loss_j += sign * lost * dt
        per_cfm = delivered / (open_cfm * 100.0)
        for d in self.dampers:
            pos = d._position
            if pos > 0.0:
                w_room = per_cfm * d.design_cfm * pos
                q[d.room_index] += w_room
                self._credit(room_truths[d.room_index], w_room * dt)
        power = comp_w + blower_w
        self.power_w = power
        truth.compressor_j += comp_w * dt
        truth.blower_j += blower_w * dt
        truth.electrical_j += power * dt
        if heat:
            truth.heat_output_j += sensible * dt
            truth.delivered_heat_j += delivered * dt
        else:
            truth.cool_output_j -= sensible * dt
            truth.delivered_cool_j -= delivered * dt
        self._advance_on(dt)

    def _duct_storage(self, dt: float, t_sup: float, t_amb: float) -> float:
        """Heat the duct walls take from the supply air this step (W): they start at the duct
        space's temperature and approach the air's while it runs (what they hold is lost to the
        space after the stop: see `_relax_ducts`)."""
        film = self._duct_ua * DUCT_WALL_FILM_RATIO
        capacity = self.spec.duct_mass_j_k
        if self._wall_temperature is None:
            self._wall_temperature = t_amb
        wall = self._wall_temperature
        # Exact exponential approach over the step towards the air temperature.
        new = wall + (t_sup - wall) * (1.0 - math.exp(-film * dt / capacity))
        self._wall_temperature = new
        return capacity * (new - wall) / dt

    def _relax_ducts(self, dt: float, t_amb: float | None) -> None:
        """While off, the duct walls settle to the duct space (their heat is lost there)."""
        if self._wall_temperature is None or t_amb is None:
            return
        alpha = 1.0 - math.exp(-self._duct_ua * dt / self.spec.duct_mass_j_k)
        self._wall_temperature += (t_amb - self._wall_temperature) * alpha

    @staticmethod
    def _credit(room: RoomTruth, joules: float) -> None:
        if joules >= 0.0:
            room.heat_j += joules
        else:
            room.cool_j -= joules

    def _advance_on(self, dt: float) -> None:
        self._on_time += dt
        self._truth.cycles.runtime_s += dt
