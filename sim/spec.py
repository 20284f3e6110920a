"""Declarative description of a house: rooms, links, ducted units, mini-splits.

Specs are frozen dataclasses; :class:`sim.house.House` turns them into a running model.
Defaults describe a typical US house; every figure names its source (DOMAIN.md is
/work/shared/DOMAIN.md) or says it is an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sim.units import J_PER_KWH, M2_PER_FT2, m3h_to_w_per_k

# --- envelope defaults ------------------------------------------------------------------

# 3R2C example house (DOMAIN.md, Sperber/Frey/Bertsch 2020): 158 m², Ci = 2.02 kWh/K,
# Ce = 16.39 kWh/K, Rie = 0.53 K/kW, Rea = 13.26 K/kW, Ria = 24.38 K/kW, UA ≈ 114 W/K.
_SPERBER_AREA_M2 = 158.0
_SPERBER_CI_J_K = 2.02 * J_PER_KWH
_SPERBER_CE_J_K = 16.39 * J_PER_KWH
_SPERBER_G_IE_W_K = 1000.0 / 0.53
_SPERBER_G_EA_W_K = 1000.0 / 13.26
_SPERBER_G_IA_W_K = 1000.0 / 24.38
# Fast (air + furniture + interior surfaces) capacitance per floor area, J/(K·m²).
AIR_CAPACITANCE_J_K_M2 = _SPERBER_CI_J_K / _SPERBER_AREA_M2  # ≈ 46 kJ/(K·m²)
# Slow envelope/structure capacitance per floor area, J/(K·m²).
ENVELOPE_CAPACITANCE_J_K_M2 = _SPERBER_CE_J_K / _SPERBER_AREA_M2  # ≈ 373 kJ/(K·m²)
# Air-to-structure conductance per floor area, W/(K·m²).
AIR_ENVELOPE_G_W_K_M2 = _SPERBER_G_IE_W_K / _SPERBER_AREA_M2  # ≈ 11.9 W/(K·m²)
# Share of the exterior UA that bypasses the structure (windows, infiltration): the
# Ria path's share of total UA in the 3R2C example (≈ 0.36).
_SPERBER_UA = _SPERBER_G_IA_W_K + 1.0 / (1.0 / _SPERBER_G_IE_W_K + 1.0 / _SPERBER_G_EA_W_K)
DIRECT_UA_SHARE = _SPERBER_G_IA_W_K / _SPERBER_UA
# Exterior UA per floor area of a typical US house: 2,000 ft² with UA ≈ 225-300 W/K
# (DOMAIN.md) → midpoint 262.5 W/K over 185.8 m² ≈ 1.41 W/(K·m²). The Sperber house is
# a renovated German house (0.72 W/(K·m²)); we keep its capacitances, not its UA.
EXTERIOR_UA_W_K_M2 = 262.5 / (2000.0 * M2_PER_FT2)
# Ground-floor slab/basement coupling, W/(K·m²) (assumption: ISO 13370-style ground
# floor U-values of 0.2-0.5 W/(m²K) for uninsulated slabs/basements).
GROUND_U_W_K_M2 = 0.3
# Deep-ground temperature ≈ annual mean air temperature (assumption; ≈ 13 °C for the
# default mid-Atlantic site, a little lower under a slab edge).
GROUND_TEMPERATURE_C = 12.0

# Interior partition: uninsulated 2x4 stud wall with gypsum both sides, U ≈ 2.5 W/(m²K)
# incl. surface films (assumption, not in DOMAIN.md).
PARTITION_U_W_K_M2 = 2.5
# Floor/ceiling between storeys, uninsulated joists with carpet, U ≈ 1.4 W/(m²K)
# (assumption, not in DOMAIN.md).
INTERFLOOR_U_W_K_M2 = 1.4
# Air exchange through a mostly closed interior door (undercut + occasional opening):
# 60 m³/h (assumption; an open doorway's buoyancy flow is several hundred m³/h at 1 K).
DOOR_AIR_M3_H = 60.0
# Air exchange through an open stairwell: 150 m³/h (assumption).
STAIR_AIR_M3_H = 150.0

# Internal gains: ANSI/RESNET/ICC 301 reference home IGain = 17,900 + 23.8·CFA +
# 4,104·Nbr Btu/day; 2,000 ft², 3 bedrooms → ≈ 950 W ≈ 5 W/m² daily mean (not in
# DOMAIN.md).
INTERNAL_GAIN_W_M2 = 5.0
# Window solar heat gain coefficient incl. typical interior shading (assumption: NFRC
# labels of double-pane low-e windows range 0.25-0.6).
WINDOW_SHGC = 0.4
# Share of transmitted solar absorbed by the fast node (furniture, surfaces); the rest
# goes into the structure node (assumption).
SOLAR_TO_AIR_SHARE = 0.7
# Default initial temperature of every node, °C.
INITIAL_TEMPERATURE_C = 21.0

# Hourly internal-gain shape per room kind: multipliers of the daily mean, local time
# 00..23. Each sums to 24 (assumption: occupants asleep at night, meals, evenings).
GAIN_PROFILES: dict[str, tuple[float, ...]] = {
    "living": (0.3,) * 7
    + (0.6, 0.8, 0.7, 0.6, 0.7, 0.8, 0.7, 0.7, 0.8, 1.2, 2.0, 2.4, 2.6)
    + (2.6, 2.3, 1.6, 0.4),
    "kitchen": (0.4,) * 6
    + (0.8, 2.2, 1.8, 0.6, 0.5, 0.9, 1.8, 1.0, 0.5, 0.5, 0.8, 2.6)
    + (3.0, 1.6, 0.8, 0.6, 0.5, 0.4),
    "bedroom": (1.6,) * 7
    + (1.2, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4)
    + (0.5, 0.6, 0.8, 1.4, 1.6, 1.6),
    "office": (0.2,) * 8
    + (1.5, 2.2, 2.2, 2.2, 1.2, 2.0, 2.2, 2.2, 1.6, 0.6)
    + (0.2, 0.2, 0.2, 0.2, 0.2, 0.2),
    "other": (1.0,) * 24,
}


# Compass azimuths of vertical surfaces, degrees.
NORTH = 0.0
EAST = 90.0
SOUTH = 180.0
WEST = 270.0


@dataclass(frozen=True, slots=True)
class Window:
    """A window; ``azimuth_deg`` None means a skylight (horizontal)."""

    azimuth_deg: float | None
    area_m2: float
    shgc: float = WINDOW_SHGC


@dataclass(frozen=True, slots=True)
class SensorSpec:
    """How a room's temperature sensor reports: a reading every ``interval_s``, starting
    ``phase_s`` into the run, rounded to ``resolution_k`` (battery sensors report every
    5-15 minutes, or on a change, at 0.1-0.5 K)."""

    interval_s: float = 600.0
    resolution_k: float = 0.1
    phase_s: float = 0.0


@dataclass(frozen=True, slots=True)
class RoomSpec:
    """One room: a fast air+furniture node and a slow envelope node.

    ``None`` parameters take per-area defaults (module constants above).
    """

    id: str
    floor_area_m2: float
    name: str = ""
    kind: str = "other"  # key of GAIN_PROFILES
    storey: int = 0  # 0 = ground floor (coupled to the ground)
    windows: tuple[Window, ...] = ()
    exterior_ua_w_k: float | None = None
    air_capacitance_j_k: float | None = None
    envelope_capacitance_j_k: float | None = None
    internal_gain_w: float | None = None  # daily mean
    initial_temperature_c: float = INITIAL_TEMPERATURE_C
    sensor: SensorSpec | None = None  # None: the room's sensor shows the air as it is

    @property
    def display_name(self) -> str:
        """Human name (``name`` or the id title-cased)."""
        return self.name or self.id.replace("_", " ").title()


@dataclass(frozen=True, slots=True)
class Link:
    """Heat exchange between two rooms' air nodes: U·A plus an air-exchange term."""

    a: str
    b: str
    ua_w_k: float
    air_m3_h: float = 0.0

    @property
    def conductance_w_k(self) -> float:
        """Total conductance, W/K."""
        return self.ua_w_k + m3h_to_w_per_k(self.air_m3_h)


def partition(a: str, b: str, wall_m2: float, door_m3_h: float = DOOR_AIR_M3_H) -> Link:
    """Two rooms side by side sharing ``wall_m2`` of partition and a door."""
    return Link(a, b, PARTITION_U_W_K_M2 * wall_m2, door_m3_h)


def interfloor(lower: str, upper: str, area_m2: float, stair_m3_h: float = 0.0) -> Link:
    """A room above another: ceiling/floor area and optional stair air exchange."""
    return Link(lower, upper, INTERFLOOR_U_W_K_M2 * area_m2, stair_m3_h)


# --- equipment --------------------------------------------------------------------------


class HVACMode(StrEnum):
    """Commanded mode; values match Home Assistant's ``HVACMode``."""

    OFF = "off"
    HEAT = "heat"
    COOL = "cool"


class HVACAction(StrEnum):
    """What the equipment is doing; values match Home Assistant's ``HVACAction``."""

    OFF = "off"
    HEATING = "heating"
    COOLING = "cooling"
    IDLE = "idle"


class DuctLocation(StrEnum):
    """Where the supply ducts run."""

    CONDITIONED = "conditioned"
    ATTIC = "attic"
    CRAWLSPACE = "crawlspace"


@dataclass(frozen=True, slots=True)
class DamperSpec:
    """A motorised damper serving ``room`` with its outlets' design airflow (CFM).

    The defaults move instantly and always obey. Real dampers and smart vents take
    ``travel_s`` for a full stroke, now and then stop part-way (``stall_chance`` per move)
    or ignore a command altogether (``ignore_chance``), drawn from ``seed``.
    """

    id: str
    room: str
    design_cfm: float
    travel_s: float = 0.0
    stall_chance: float = 0.0
    ignore_chance: float = 0.0
    seed: int = 0


# Supply leakage never exceeds this share of the air, however closed the dampers (assumption).
MAX_LEAKAGE = 0.35
# Air-side conductance between the supply air and the duct walls, per W/K of the ducts'
# insulation UA (assumption: film coefficient ≈ 20 W/(m²K) against an R-6 wall's 0.8).
DUCT_WALL_FILM_RATIO = 25.0
# Setpoint limits, °C (typical thermostat range 45-90 °F).
MIN_SETPOINT_C = 7.0
MAX_SETPOINT_C = 32.0

# Single-stage ducted heat pump defaults. Rated capacity is the nominal tonnage at
# 47 °F (heating) and 95 °F (cooling).
# Design airflow 350-400 CFM per ton (DOMAIN.md); 12,000 Btu/h per ton.
CFM_PER_TON = 400.0
# Blower power 0.8 W/CFM (DOMAIN.md, Title 24 reference design).
BLOWER_W_PER_CFM = 0.8
# Duct leakage fraction of supply air: between IECC-sealed (4-8 %) and unsealed
# (20-30 %) ducts (DOMAIN.md).
DUCT_LEAKAGE = 0.10
# Supply-duct surface area as a share of the floor area served: 27 % (ASHRAE Standard
# 152 default for a one-storey house, as recalled; not in DOMAIN.md).
DUCT_AREA_SHARE = 0.27
# R-6 (h·ft²·°F/Btu) flex duct incl. films, U ≈ 0.8 W/(m²K) (assumption: R-6 is the
# common minimum for ducts outside conditioned space).
DUCT_U_W_K_M2 = 0.8
# Thermostat half-band: on at setpoint - 0.25 K, off at setpoint + 0.25 K (≈ ±0.5 °F,
# typical of residential thermostats; assumption).
THERMOSTAT_HYSTERESIS_K = 0.25
# Minimum off time 5 min (DOMAIN.md, Honeywell) and minimum on time 4 min
# (DOMAIN.md, White-Rodgers heat).
MIN_OFF_S = 300.0
MIN_ON_S = 240.0
# A run shorter than this counts as a short cycle (the 5-minute timeguard, DOMAIN.md).
SHORT_CYCLE_S = 300.0
# Open-damper share of design airflow under which the blower is "starved"; DESIGN.md
# default min_airflow_percent = 40 (Arzel's tiny zone: 15-20 %, DOMAIN.md).
LOW_AIRFLOW_SHARE = 0.4
# Federal minimum 14.3 SEER2 / 7.5 HSPF2 (DOMAIN.md).
SEER2_MIN = 14.3
HSPF2_MIN = 7.5
# Heating COP at 47 °F of a 7.5 HSPF2 single-stage unit ≈ 3.5 (assumption: typical
# AHRI listings of minimum-efficiency units show COP47 ≈ 3.3-3.7).
DUCTED_HEATING_COP47 = 3.5


@dataclass(frozen=True, slots=True)
class DuctedSpec:
    """A single-stage ducted heat pump with an air handler and zone dampers."""

    id: str
    thermostat_room: str
    dampers: tuple[DamperSpec, ...]
    rated_capacity_btuh: float = 24000.0
    rated_cfm: float | None = None  # default CFM_PER_TON per ton
    duct_location: DuctLocation = DuctLocation.ATTIC
    duct_leakage: float = DUCT_LEAKAGE
    duct_area_m2: float | None = None  # default DUCT_AREA_SHARE x served floor area
    seer2: float = SEER2_MIN
    heating_cop47: float = DUCTED_HEATING_COP47
    cd: float = 0.25  # DOMAIN.md rating default
    blower_w_per_cfm: float = BLOWER_W_PER_CFM
    hysteresis_k: float = THERMOSTAT_HYSTERESIS_K
    min_on_s: float = MIN_ON_S
    min_off_s: float = MIN_OFF_S
    low_airflow_share: float = LOW_AIRFLOW_SHARE
    thermostat_offset_k: float = 0.0  # sensor bias of the wall thermostat
    min_setpoint_c: float = MIN_SETPOINT_C  # the thermostat refuses setpoints outside
    max_setpoint_c: float = MAX_SETPOINT_C
    # Duct physics beyond ASHRAE 152's steady equations (all off by default):
    # ``leakage_pressure_exponent``: supply leakage grows as dampers close and the static
    # pressure rises, as ``duct_leakage x open_share^-exponent`` (0.5: orifice flow at a
    # pressure ∝ 1/open share), at most ``MAX_LEAKAGE`` of the air; ``return_leakage``: the
    # share of return air drawn from the duct space (return ducts outside); ``duct_mass_j_k``:
    # the ducts' heat capacity, warmed (or cooled) at every start and lost to the duct space
    # after every stop.
    leakage_pressure_exponent: float = 0.0
    return_leakage: float = 0.0
    duct_mass_j_k: float = 0.0


# Mini-split defaults.
# Minimum-speed capacity ≈ 27 % of maximum at 47 °F (DOMAIN.md, resdx/NEEP).
HEAD_MIN_FRACTION = 0.27
# Outdoor-unit minimum output as a share of its rated capacity: DOMAIN.md example of
# 12,600 Btu/h outdoor minimum, taken for a 36,000 Btu/h (3-ton) outdoor unit → 0.35.
OUTDOOR_MIN_FRACTION = 12600.0 / 36000.0
# Max-speed COPs of a good inverter mini-split (assumption: ~20 SEER2 / 10 HSPF2 class
# listings, COP ≈ 3.0-3.3 at full speed at 47 °F heating and 95 °F cooling).
MINISPLIT_HEATING_COP47_MAX = 3.2
MINISPLIT_COOLING_COP95_MAX = 3.1
# Head fan power while running (assumption: ECM head fans draw 15-50 W).
HEAD_FAN_W = 30.0
# Head reading vs room air: warm air pools at the ceiling in heat (DOMAIN.md: the head
# reads the air near the ceiling; brief: +1…2 K). Idle offset 0.5 K, +1.0 K more while
# heating, reached with a 10-minute time constant (assumption).
HEAD_STRAT_IDLE_K = 0.5
HEAD_STRAT_HEATING_K = 1.0
HEAD_STRAT_TAU_S = 600.0
# Head thermostat: thermo-on 0.5 K below setpoint, thermo-off 1.0 K above (assumption,
# inverter heads keep running at minimum until they overshoot).
HEAD_ON_BELOW_K = 0.5
HEAD_OFF_ABOVE_K = 1.0
# PI modulation gains: full output at ~2.5 K error; integral time 30 min (assumption).
HEAD_KP_PER_K = 0.4
HEAD_KI_PER_K_S = 0.4 / 1800.0
# Compressor restart delay of inverter outdoor units: 3 min (assumption; typical
# manufacturer anti-short-cycle delay).
MINISPLIT_MIN_OFF_S = 180.0


@dataclass(frozen=True, slots=True)
class HeadSpec:
    """An indoor head in ``room``; capacities are nominal (47 °F heat / 95 °F cool)."""

    id: str
    room: str
    max_capacity_btuh: float = 12000.0
    min_fraction: float = HEAD_MIN_FRACTION
    fan_w: float = HEAD_FAN_W
    # How real heads differ from the default (a PI head reading warm by stratification):
    # ``droop_k``: proportional-only modulation reaching full output at this error, so under
    # load it settles short of its setpoint; ``sensor_bias_k``: its own sensor's offset from
    # the room air (heating, cooling), replacing stratification; ``setpoint_step_c``: the
    # setpoints it accepts (0.5 or 1 °C; ``setpoint_in_f``: whole °F); ``reports_action``:
    # whether its entity says what it is doing (many integrations do not).
    droop_k: float | None = None
    sensor_bias_k: tuple[float, float] | None = None
    setpoint_step_c: float = 0.0
    setpoint_in_f: bool = False
    reports_action: bool = True


@dataclass(frozen=True, slots=True)
class MiniSplitSpec:
    """A multi-zone inverter mini-split: one outdoor unit, several heads."""

    id: str
    heads: tuple[HeadSpec, ...]
    rated_capacity_btuh: float = 18000.0
    outdoor_min_fraction: float = OUTDOOR_MIN_FRACTION
    heating_cop47_max: float = MINISPLIT_HEATING_COP47_MAX
    cooling_cop95_max: float = MINISPLIT_COOLING_COP95_MAX
    cd: float = 0.40  # DOMAIN.md: inverters cycling below minimum speed
    min_off_s: float = MINISPLIT_MIN_OFF_S


@dataclass(frozen=True, slots=True)
class HouseSpec:
    """Everything needed to build a :class:`sim.house.House`."""

    rooms: tuple[RoomSpec, ...]
    links: tuple[Link, ...] = ()
    ducted: tuple[DuctedSpec, ...] = ()
    minisplits: tuple[MiniSplitSpec, ...] = ()
    ground_temperature_c: float = GROUND_TEMPERATURE_C
    name: str = "house"
    extra: dict[str, str] = field(default_factory=dict)
