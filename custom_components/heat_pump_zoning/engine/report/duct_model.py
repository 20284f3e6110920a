"""Duct losses from the ducts' physics: ASHRAE Standard 152's delivery effectiveness.

Plain language: *"While the unit runs, air leaves it at a temperature set by its capacity and
airflow. On the way through an attic, crawlspace or garage some of that air leaks out and the
rest exchanges heat with the space through the duct walls. How much is lost is computed minute
by minute from the temperatures the log kept (the rooms the air returns from, the space the
ducts run through, outdoors for the unit's capacity) and from the ducts' declared size,
insulation and tightness."*

ASHRAE Standard 152 (*Method of Test for Determining the Design and Seasonal Efficiencies of
Residential Thermal Distribution Systems*) gives the delivery effectiveness of supply ducts in an
unconditioned space, with return ducts inside the house:

    DE = a·B - a·(1 - B)·ΔT_s/ΔT_e,      loss share L = 1 - DE

- a = 1 - supply leakage (share of the supply air that leaks out before the registers);
- B = exp(-U·A_s / (ṁ·c_p)), the conduction fraction kept by the supply ducts (U-value of the
  insulated duct wall, A_s its surface, ṁ·c_p the heat capacity flow of the supply air);
- ΔT_s = T_return - T_space (the air returning from the rooms against the duct space);
- ΔT_e = Q / (ṁ·c_p), the temperature change across the unit, Q its sensible output (negative
  in cooling).

L is linear in ΔT_s/ΔT_e, so over any stretch of running time (constant airflow)

    L = (1 - a·B) + a·(1 - B)·ṁ·c_p·∫ΔT_s dt / ∫Q dt,

which is what the ledger keeps per mode and day (`SystemDay.duct_s`, ``duct_dt_ks``,
``duct_outdoor_ks``): ∫ΔT_s dt directly, and ∫Q dt from the unit's capacity model
(`energy.EnergyModel.capacity_w`) at the outdoor temperature of those minutes, the sensible share
of it in cooling. Q and ṁ·c_p both scale with the unit's size, so a wrong rated capacity moves
the result little; the airflow per ton does not cancel and is taken at 400 CFM/ton.

Defaults and assumptions (each a published figure or stated as an assumption):

- supply duct surface A_s = 27 % of the floor area the unit serves (ASHRAE 152's default for
  a one-storey house);
- insulation R-6 (h·ft²·°F/Btu, the usual minimum for ducts outside the conditioned space) plus
  0.2 m²K/W of air films: U ≈ 0.8 W/(m²K) (the R-value is a setting);
- supply leakage by the declared class: sealed 3 %, typical 10 %, leaky 15 % of the supply air,
  half of the total (supply + return) leakage of DOMAIN.md's figures (IECC-sealed 4-8 %, ENERGY
  STAR's "about 20 %", unsealed 20-30 %), the other half being on the return side;
- airflow 400 CFM per ton of rated cooling capacity, constant while the unit runs (a variable-
  speed blower holds it; a fixed-speed one loses some as dampers close);
- sensible heat ratio 0.75 in cooling (assumption, typical of residential coils);
- the return ducts' conduction is not counted (their leaks are, below); losses to the duct
  space are lost (no regain from a basement or crawlspace that warms the floor above).

Beyond the steady equations. Real ducts lose more than the steady supply-side equations count,
through three effects the log can see but whose size it cannot measure:

- return leaks: a return share r of the air is drawn from the duct space, and the unit must heat
  or cool it from there, L_r = r·ṁ·c_p·∫ΔT_s dt / ∫Q dt (ASHRAE 152's return term; a gain, and not
  counted, where the space helps, e.g. a cool crawlspace in summer). r is taken at half of the
  class's return-side leakage (sealed 1.5 %, typical 5 %, leaky 7.5 %: half the return air is
  assumed to come through a grille and duct inside the house), anywhere from 0 to twice that;
- the ducts' heat capacity C: at every start their walls swing from the space's temperature to
  the supply air's (ΔT_s + ΔT_e), and after the stop that heat is lost to the space. The ledger
  counts the starts, each by how far the walls had relaxed since the last stop
  (`SystemDay.duct_cold_starts`), so L_c = C·Σcold·(ΔT_s + ΔT_e) / ∫Q dt. C is 300-1,900 J/(K·m²)
  of duct surface (assumption: flex duct, a thin liner in a glass-fibre wrap, up to 0.5 mm
  galvanised steel, 3.9 kg/m² at 0.46 kJ/(kg·K), with part of its wrap);
- leakage rising as dampers close and the static pressure rises, and airflow falling with it on
  a fixed-speed blower: not modelled. On the simulator's ducts that follow the steady equations
  but whose airflow falls as dampers close and whose unit ramps up at each start, the truth was
  1.06-1.34 times the steady figure (docs/BENCHMARKS.md); that factor is taken as 1.0-1.35.

`loss_range` spreads each part evenly over its range: the figure is the sum of the midpoints and
the 80 % interval ±1.28 standard deviations of the sum. It assumes the declared tightness class
and duct size; a wrong class moves the figure by more than the interval says.

The temperature of the duct space comes from a sensor there (`duct_temperature_sensor`). Without
one, an attic, garage or outdoor run is taken at the outdoor temperature, which misses the sun
on the roof (an attic runs 10-25 K above outdoors on sunny afternoons, so cooling losses come
out too low); a crawlspace or basement cannot be guessed and needs the sensor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
import math

from ..ledger.days import DayBucket
from ..ledger.energy import EnergyModel
from ..model import Mode
from ..units import kelvin_per_degree

# Published defaults (module docstring).
SUPPLY_AREA_SHARE = 0.27
DEFAULT_DUCT_R_VALUE = 6.0  # h·ft²·°F/Btu
M2K_W_PER_R_VALUE = 0.1761  # 1 h·ft²·°F/Btu in m²·K/W
AIR_FILMS_M2K_W = 0.2
SUPPLY_LEAKAGE: Mapping[str, float] = {"sealed": 0.03, "typical": 0.10, "leaky": 0.15}
CFM_PER_TON = 400.0
W_PER_TON = 3516.85
AIR_W_K_PER_CFM = 0.000471947 * 1.2 * 1006.0  # m³/s per CFM x ρ·c_p of air
SENSIBLE_HEAT_RATIO = 0.75
# What the steady supply-side equations leave out (module docstring, "Beyond the steady
# equations"): each an assumption with a range, spread evenly over it for the interval.
RETURN_LEAKAGE: Mapping[str, float] = {"sealed": 0.015, "typical": 0.05, "leaky": 0.075}
DUCT_HEAT_CAPACITY_J_K_M2 = (300.0, 1900.0)  # flex duct only .. sheet metal with its wrap
STEADY_TRUTH_RATIO = (1.0, 1.35)  # truth over the steady figure on steady ducts
Z80 = 1.2816  # a normal distribution's 90th percentile: an 80 % interval is ±1.28 sd
# Where the ducts can be modelled, and where the outdoor temperature stands in for the space.
MODELLED_LOCATIONS = ("attic", "garage", "outside", "crawlspace", "basement")
OUTDOOR_LIKE_LOCATIONS = ("attic", "garage", "outside")


def duct_space_temperature(
    location: str | None, reading: float | None, *, has_sensor: bool, outdoor: float | None
) -> float | None:
    """What the ledger books as the duct space's temperature (module docstring).

    The sensor's reading when there is a sensor (None while it has none); without one, the
    outdoor temperature for ducts in an attic, a garage or outdoors; otherwise unknown.
    """
    if has_sensor:
        return reading
    return outdoor if location in OUTDOOR_LIKE_LOCATIONS else None


@dataclass(frozen=True, slots=True)
class Ducts:
    """The declared supply ducts of one unit (module docstring for the defaults)."""

    floor_area_m2: float  # floor area the unit serves
    leakage: str = "typical"
    r_value: float = DEFAULT_DUCT_R_VALUE

    @property
    def supply_leakage(self) -> float:
        """Share of the supply air leaking out (the class's figure)."""
        return SUPPLY_LEAKAGE.get(self.leakage, SUPPLY_LEAKAGE["typical"])

    @property
    def return_leakage(self) -> float:
        """Share of the return air drawn from the duct space (expected; the class's figure)."""
        return RETURN_LEAKAGE.get(self.leakage, RETURN_LEAKAGE["typical"])

    @property
    def area_m2(self) -> float:
        """Surface of the supply ducts, m²."""
        return SUPPLY_AREA_SHARE * self.floor_area_m2

    @property
    def ua_w_k(self) -> float:
        """Conductance of the supply ducts' walls, W/K."""
        return self.area_m2 / (max(self.r_value, 0.0) * M2K_W_PER_R_VALUE + AIR_FILMS_M2K_W)


@dataclass(frozen=True, slots=True)
class ModeLoss:
    """The model's result for one mode over a period."""

    share: float  # of the unit's sensible output, lost from the ducts (steady supply side)
    output_kwh: float  # the unit's modelled sensible output (magnitude) over those minutes
    hours: float  # running time with every temperature known
    # Beyond the steady equations, per unit of what is not known: the share lost per unit of
    # return leakage (drawn from the duct space), and per J/K of the ducts' heat capacity.
    per_return_leak: float = 0.0
    per_heat_capacity: float = 0.0


def airflow_w_k(model: EnergyModel) -> float:
    """ṁ·c_p of the unit's air at 400 CFM per ton of rated cooling capacity, W/K."""
    return CFM_PER_TON * model.cooling_capacity_w / W_PER_TON * AIR_W_K_PER_CFM


def mode_losses(
    ducts: Ducts,
    buckets: Sequence[DayBucket],
    model: EnergyModel,
    unit: str,
) -> dict[Mode, ModeLoss]:
    """ASHRAE 152 loss share per mode over the buckets' modelled running time (module), with
    the sensitivities to return leaks and to the ducts' heat capacity (`ModeLoss`)."""
    mcp = airflow_w_k(model)
    kept = math.exp(-ducts.ua_w_k / mcp)  # B
    a = 1.0 - ducts.supply_leakage
    k = kelvin_per_degree(unit)
    result: dict[Mode, ModeLoss] = {}
    for mode in (Mode.HEAT, Mode.COOL):
        key = mode.value
        output_j = dt_ks = seconds = cold = 0.0
        for bucket in buckets:
            system = bucket.system
            duct_s = system.duct_s.get(key, 0.0)
            if duct_s <= 0.0:
                continue
            outdoor = system.duct_outdoor_ks.get(key, 0.0) / duct_s
            capacity = model.load_fraction * model.capacity_w(mode, outdoor)
            if mode is Mode.COOL:
                capacity = -SENSIBLE_HEAT_RATIO * capacity
            output_j += capacity * duct_s
            dt_ks += system.duct_dt_ks.get(key, 0.0) * k
            seconds += duct_s
            cold += system.duct_cold_starts.get(key, 0.0)
        if seconds <= 0.0 or output_j == 0.0:
            continue
        share = (1.0 - a * kept) + a * (1.0 - kept) * mcp * dt_ks / output_j
        # The ducts' walls swing from the space's temperature to the supply air's at a cold
        # start: return air over the space plus the unit's temperature rise (ΔT_s + ΔT_e).
        swing = dt_ks / seconds + output_j / (mcp * seconds)
        result[mode] = ModeLoss(
            share=share,
            output_kwh=abs(output_j) / 3.6e6,
            hours=seconds / 3600.0,
            per_return_leak=max(mcp * dt_ks / output_j, 0.0),
            per_heat_capacity=max(cold * swing / output_j, 0.0),
        )
    return result


@dataclass(frozen=True, slots=True)
class LossRange:
    """The duct-loss share over a period: ASHRAE 152's steady figure and the expected loss with
    its 80 % interval (module docstring, "Beyond the steady equations")."""

    steady: float
    value: float
    low: float
    high: float


def loss_range(losses: Mapping[Mode, ModeLoss], ducts: Ducts) -> LossRange | None:
    """The modes' loss with what the steady equations leave out (None without any output).

    Each of the three parts is taken as spread evenly over its range, independently: the value
    is the sum of their midpoints and the interval ±1.28 standard deviations of the sum.
    """
    output = sum(loss.output_kwh for loss in losses.values())
    if output <= 0.0:
        return None

    def mean(part: str) -> float:
        total = sum(float(getattr(loss, part)) * loss.output_kwh for loss in losses.values())
        return total / output

    steady, per_leak = mean("share"), mean("per_return_leak")
    per_capacity = mean("per_heat_capacity")
    parts = (
        (steady * STEADY_TRUTH_RATIO[0], steady * STEADY_TRUTH_RATIO[1]),
        (0.0, 2.0 * ducts.return_leakage * per_leak),
        tuple(j_k_m2 * ducts.area_m2 * per_capacity for j_k_m2 in DUCT_HEAT_CAPACITY_J_K_M2),
    )
    value = sum(0.5 * (low + high) for low, high in parts)
    spread = Z80 * math.sqrt(sum((high - low) ** 2 / 12.0 for low, high in parts))
    return LossRange(steady, value, max(value - spread, 0.0), min(value + spread, 1.0))
