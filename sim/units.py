"""Unit conversions and physical constants used across the simulator.

Everything inside the simulator is SI: °C, W, J, m², m³/s, seconds. US figures from
DOMAIN.md (°F, Btu/h, CFM) are converted here, once.
"""

from __future__ import annotations

# Density of air near 20 °C at sea level, kg/m³ (standard textbook value).
AIR_DENSITY_KG_M3 = 1.2
# Specific heat of dry air at constant pressure, J/(kg·K) (standard textbook value).
AIR_CP_J_KG_K = 1005.0
# Volumetric heat capacity of air, J/(m³·K): rho·cp.
AIR_VOLUMETRIC_HEAT_J_M3_K = AIR_DENSITY_KG_M3 * AIR_CP_J_KG_K

# 1 Btu/h = 0.29307107 W (definition of the International Table Btu).
W_PER_BTUH = 0.29307107
# 1 ft³/min = 0.00047194745 m³/s (exact from 1 ft = 0.3048 m).
M3S_PER_CFM = 0.00047194745
# 1 ft² = 0.09290304 m² (exact).
M2_PER_FT2 = 0.09290304
SECONDS_PER_HOUR = 3600.0
SECONDS_PER_DAY = 86400.0
J_PER_KWH = 3.6e6


def f_to_c(temp_f: float) -> float:
    """Convert °F to °C."""
    return (temp_f - 32.0) / 1.8


def c_to_f(temp_c: float) -> float:
    """Convert °C to °F."""
    return temp_c * 1.8 + 32.0


def btuh_to_w(btuh: float) -> float:
    """Convert Btu/h to W."""
    return btuh * W_PER_BTUH


def cfm_to_m3s(cfm: float) -> float:
    """Convert ft³/min to m³/s."""
    return cfm * M3S_PER_CFM


def m3h_to_w_per_k(m3_per_h: float) -> float:
    """Heat-transfer conductance (W/K) of an air exchange given in m³/h."""
    return m3_per_h / SECONDS_PER_HOUR * AIR_VOLUMETRIC_HEAT_J_M3_K
