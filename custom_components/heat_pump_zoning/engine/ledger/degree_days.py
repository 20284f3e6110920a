"""Heating and cooling degree days, and local-day arithmetic for the runtime ledger.

Method: **integration**, not the daily mean. Over each interval of ``seconds`` during which the
outdoor temperature ``T`` holds (the ledger's zero-order hold: a sample holds until the next one),
heating degree days grow by ``max(0, base - T) * seconds / 86400`` and cooling degree days by
``max(0, T - base) * seconds / 86400``. With sub-daily data this is better than the daily-mean
method (beestat, CalTRACK), which reports zero degree days on a day that swings from 10 °C to 26 °C
around an 18 °C base although the house heated at night and cooled in the afternoon. With a
constant temperature both methods agree. `daily_mean_degree_days` gives the classic figure for
comparison.

Base: 18 °C or 65 °F (DOMAIN.md, `units.default_degree_day_base`), in the system's temperature
unit; the caller picks it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from ..numbers import number_within
from ..units import is_fahrenheit

SECONDS_PER_DAY = 86400.0

# Plausible outdoor temperatures; anything outside is a broken sensor and ignored.
# (Record lows/highs on Earth are about -89 °C / +57 °C.)
PLAUSIBLE_C = (-90.0, 65.0)
PLAUSIBLE_F = (-130.0, 150.0)

# The largest POSIX timestamp a local date can be computed for on every platform (9999-12-30).
MAX_TIMESTAMP = 253_402_128_000.0


def clean_temperature(value: float | None, unit: str = "°C") -> float | None:
    """The temperature if it is a finite, physically plausible outdoor reading, else None."""
    low, high = PLAUSIBLE_F if is_fahrenheit(unit) else PLAUSIBLE_C
    return number_within(value, low, high)


def degree_days(temperature: float, seconds: float, base: float) -> tuple[float, float]:
    """(heating, cooling) degree days accrued while ``temperature`` holds for ``seconds``."""
    if seconds <= 0.0:
        return 0.0, 0.0
    fraction = seconds / SECONDS_PER_DAY
    return max(0.0, base - temperature) * fraction, max(0.0, temperature - base) * fraction


def daily_mean_degree_days(mean_temperature: float, base: float) -> tuple[float, float]:
    """(heating, cooling) degree days of one day by the classic daily-mean method."""
    return max(0.0, base - mean_temperature), max(0.0, mean_temperature - base)


def local_date(timestamp: float, tz: tzinfo) -> date:
    """The local calendar date of a POSIX timestamp."""
    return datetime.fromtimestamp(timestamp, tz).date()


def next_midnight(timestamp: float, tz: tzinfo) -> float:
    """The POSIX timestamp of the first local midnight strictly after ``timestamp``.

    Robust to time zones whose DST change happens at midnight (the wall-clock midnight may not
    exist or exist twice): the result always lies on the next local date.
    """
    today = local_date(timestamp, tz)
    tomorrow = today + timedelta(days=1)
    boundary = datetime.combine(tomorrow, time(0), tzinfo=tz).timestamp()
    # A non-existent midnight can resolve to a time still on `today`: move forward by hours.
    while boundary <= timestamp or local_date(boundary, tz) < tomorrow:
        boundary += 3600.0
    # An ambiguous or shifted midnight may land after the real start of `tomorrow`: step back.
    while local_date(boundary - 3600.0, tz) == tomorrow and boundary - 3600.0 > timestamp:
        boundary -= 3600.0
    return boundary


def split_by_day(start: float, stop: float, tz: tzinfo) -> list[tuple[date, float]]:
    """Split [start, stop) into (local date, seconds) pieces at local midnights."""
    pieces: list[tuple[date, float]] = []
    cursor = start
    while cursor < stop:
        boundary = min(next_midnight(cursor, tz), stop)
        pieces.append((local_date(cursor, tz), boundary - cursor))
        cursor = boundary
    return pieces
