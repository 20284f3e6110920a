"""How long a room takes from one temperature to another: what early start asks the model.

With a profile's line ``dT/dt = intercept + slope * (outdoor - T)`` (K/h) and the outdoor
temperature held, the room approaches ``T_eq = outdoor + intercept / slope`` exponentially:

    hours = ln((T_eq - start) / (T_eq - target)) / slope

(``(target - start) / intercept`` when the slope is zero). A target at or beyond ``T_eq`` is
never reached in that mode and weather: the answer is None. Everything in °C / kelvin.
"""

from __future__ import annotations

import math

from .profile import COOL, HEAT, RateLine

SLOPE_EPSILON = 1e-6


def recovery_hours(
    line: RateLine, mode: str, start: float, target: float, outdoor: float
) -> float | None:
    """Hours from ``start`` to ``target`` (°C) in ``mode`` (heat or cool) at ``outdoor`` (°C);
    0 when the room is there already, None when the line never gets there."""
    if mode not in (HEAT, COOL):
        raise ValueError(f"a recovery is in heat or cool, not {mode!r}")
    sign = 1.0 if mode == HEAT else -1.0
    if (target - start) * sign <= 0.0:
        return 0.0
    if line.slope <= SLOPE_EPSILON:
        rate = line.intercept
        if rate * sign <= 0.0:
            return None
        return (target - start) / rate
    equilibrium = outdoor + line.intercept / line.slope
    if (equilibrium - target) * sign <= 0.0:
        return None
    return math.log((equilibrium - start) / (equilibrium - target)) / line.slope
