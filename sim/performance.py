"""Heat-pump performance relations shared by the ducted unit and the mini-split.

Pure functions of outdoor temperature (°C) and load; no state. Figures come from
/work/shared/DOMAIN.md unless a comment says otherwise.
"""

from __future__ import annotations

import math

from sim.units import c_to_f

# resdx defrost model (DOMAIN.md, "Defrost (resdx)"): active below 40 °F.
DEFROST_THRESHOLD_F = 40.0
# f = clamp(0.134 - 0.003·T°F, 0, 0.08) (DOMAIN.md, resdx).
DEFROST_INTERCEPT = 0.134
DEFROST_SLOPE_PER_F = 0.003
DEFROST_MAX_FRACTION = 0.08
# capacity x (1 - 1.8 f), power x (1 - 0.3 f) (DOMAIN.md, resdx).
DEFROST_CAPACITY_COEFF = 1.8
DEFROST_POWER_COEFF = 0.3

# Rating default cycling degradation coefficient Cd = 0.25 (DOMAIN.md, AHRI 210/240).
CD_RATING_DEFAULT = 0.25
# Inverters cycling below minimum speed: Cd ≈ 0.40 (DOMAIN.md, "Cycling loss").
CD_INVERTER_BELOW_MIN = 0.40
# Cyclic test used to define Cd: 6 min on, 24 min off (DOE test procedure 10 CFR 430
# Subpart B App. M1, cyclic "D" test; not in DOMAIN.md).
CYCLIC_TEST_ON_S = 360.0
CYCLIC_TEST_PERIOD_S = 1800.0

# Sensible heat ratio in cooling: sensible share of total capacity. Typical 0.7-0.8 for
# residential DX coils (engineering assumption, not in DOMAIN.md). Only sensible heat
# enters the thermal model; latent removal is not modelled.
SENSIBLE_HEAT_RATIO = 0.75


def defrost_fraction(outdoor_c: float) -> float:
    """Fraction of runtime spent defrosting (resdx); 0 at or above 40 °F."""
    t_f = c_to_f(outdoor_c)
    if t_f >= DEFROST_THRESHOLD_F:
        return 0.0
    f = DEFROST_INTERCEPT - DEFROST_SLOPE_PER_F * t_f
    return min(max(f, 0.0), DEFROST_MAX_FRACTION)


def defrost_capacity_factor(outdoor_c: float) -> float:
    """Multiplier on heating capacity for defrost (resdx: 1 - 1.8 f)."""
    return 1.0 - DEFROST_CAPACITY_COEFF * defrost_fraction(outdoor_c)


def defrost_power_factor(outdoor_c: float) -> float:
    """Multiplier on electrical power for defrost (resdx: 1 - 0.3 f)."""
    return 1.0 - DEFROST_POWER_COEFF * defrost_fraction(outdoor_c)


def part_load_factor(plr: float, cd: float = CD_RATING_DEFAULT) -> float:
    """PLF = 1 - Cd·(1 - PLR) (DOMAIN.md, AHRI 210/240)."""
    return 1.0 - cd * (1.0 - min(max(plr, 0.0), 1.0))


def _cd_of_tau(tau_s: float) -> float:
    """Cd that a capacity ramp 1 - exp(-t/τ) (power at full from the start) yields in
    the cyclic test: x = lost share of on-cycle output; Cd = x / (1 - CLF)."""
    if tau_s <= 0.0:
        return 0.0
    x = tau_s / CYCLIC_TEST_ON_S * (1.0 - math.exp(-CYCLIC_TEST_ON_S / tau_s))
    clf = CYCLIC_TEST_ON_S / CYCLIC_TEST_PERIOD_S * (1.0 - x)
    return x / (1.0 - clf)


def heating_factor(outdoor_c: float, ratio_at_17f: float, low: float, high: float) -> float:
    """A heating capacity or COP relative to 47 °F, linear in °F through `ratio_at_17f` at 17 °F
    (the two AHRI heating rating points), clamped to [low, high]."""
    t_f = c_to_f(outdoor_c)
    f = 1.0 + (1.0 - ratio_at_17f) / 30.0 * (t_f - 47.0)
    return min(max(f, low), high)


def startup_tau_for_cd(cd: float) -> float:
    """Time constant (s) of the start-up capacity ramp equivalent to a given Cd.

    Instead of applying PLF to hourly averages, the time-stepping model ramps capacity
    as 1 - exp(-t/τ) after each compressor start while drawing full power; τ is chosen
    so that the DOE cyclic test would measure the same Cd. Cd = 0.25 gives τ ≈ 77 s.
    """
    if cd <= 0.0:
        return 0.0
    if cd >= 0.95:
        raise ValueError("cd must be below 0.95")
    lo, hi = 0.0, 100.0 * CYCLIC_TEST_ON_S
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if _cd_of_tau(mid) < cd:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def startup_factor(on_time_s: float, dt_s: float, tau_s: float) -> float:
    """Mean of 1 - exp(-t/τ) over [on_time, on_time + dt]: the share of steady
    capacity delivered during a step that starts ``on_time_s`` after compressor start."""
    if tau_s <= 0.0:
        return 1.0
    a = on_time_s / tau_s
    if a > 30.0:
        return 1.0
    return 1.0 - tau_s / dt_s * (math.exp(-a) - math.exp(-a - dt_s / tau_s))


def interp(x: float, x0: float, y0: float, x1: float, y1: float) -> float:
    """Linear interpolation/extrapolation through (x0, y0) and (x1, y1)."""
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
