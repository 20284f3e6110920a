"""Readings from other integrations as numbers: one place decides what counts as one."""

from __future__ import annotations

import math
from typing import Any


def number_within(value: Any, low: float, high: float) -> float | None:
    """``value`` as a float if it is a finite number in ``[low, high]``, else None.

    Strings that parse as numbers count (Home Assistant states are strings); None, booleans,
    NaN, infinities and anything unparsable do not.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not low <= number <= high:
        return None
    return number


def positive(value: Any, default: float) -> float:
    """``value`` as a float if it is a finite number above zero, else ``default``."""
    number = number_within(value, 0.0, math.inf)
    return number if number is not None and number > 0.0 else default


def finite(value: Any) -> float | None:
    """``value`` as a float if it is a finite number (not a boolean), else None."""
    return number_within(value, -math.inf, math.inf)
