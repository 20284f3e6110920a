"""Degree days by integration, and local-day splitting (DST included)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from engine.ledger.degree_days import (
    clean_temperature,
    daily_mean_degree_days,
    degree_days,
    local_date,
    next_midnight,
    split_by_day,
)
from engine.ledger.ledger import Ledger
from engine.ledger.samples import SystemSample
from engine.units import default_degree_day_base as default_base, is_fahrenheit

NY = ZoneInfo("America/New_York")


def ts(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=NY).timestamp()


def test_constant_temperature_gives_base_minus_t() -> None:
    assert degree_days(8.0, 86400.0, 18.0) == (10.0, 0.0)
    assert degree_days(25.0, 43200.0, 18.0) == (0.0, 3.5)
    assert degree_days(25.0, 0.0, 18.0) == (0.0, 0.0)
    assert daily_mean_degree_days(8.0, 18.0) == (10.0, 0.0)
    assert daily_mean_degree_days(20.0, 18.0) == (0.0, 2.0)


def test_integral_beats_daily_mean_on_a_swinging_day() -> None:
    # 12 h at 10 °C and 12 h at 26 °C: mean 18 -> 0 by the daily mean, 4 + 4 by integration.
    heating_a, cooling_a = degree_days(10.0, 43200.0, 18.0)
    heating_b, cooling_b = degree_days(26.0, 43200.0, 18.0)
    assert (heating_a + heating_b, cooling_a + cooling_b) == (4.0, 4.0)
    assert daily_mean_degree_days(18.0, 18.0) == (0.0, 0.0)


def test_units_and_bases() -> None:
    assert default_base("°F") == 65.0
    assert default_base("F") == 65.0
    assert default_base("°C") == 18.0
    assert is_fahrenheit(" °F")
    assert not is_fahrenheit("°C")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (5.0, "°C", 5.0),
        (None, "°C", None),
        (float("nan"), "°C", None),
        (float("inf"), "°C", None),
        (1e9, "°C", None),
        (-1e9, "°F", None),
        (120.0, "°F", 120.0),
        (120.0, "°C", None),
        (True, "°C", None),
        ("12", "°C", 12.0),
        ("garbage", "°C", None),
    ],
)
def test_clean_temperature(value: object, unit: str, expected: float | None) -> None:
    assert clean_temperature(value, unit) == expected  # type: ignore[arg-type]


def test_split_by_day_at_local_midnight() -> None:
    start = ts(2024, 1, 10, 23, 30)
    pieces = split_by_day(start, start + 3600.0, NY)
    assert pieces == [(date(2024, 1, 10), 1800.0), (date(2024, 1, 11), 1800.0)]
    assert split_by_day(start, start, NY) == []


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2024, 3, 10), 23.0), (date(2024, 11, 3), 25.0), (date(2024, 6, 1), 24.0)],
)
def test_dst_days_have_their_real_length(day: date, hours: float) -> None:
    start = ts(day.year, day.month, day.day)
    assert next_midnight(start, NY) - start == hours * 3600.0
    assert local_date(start, NY) == day
    assert local_date(next_midnight(start, NY), NY) > day


def test_midnight_that_does_not_exist() -> None:
    # America/Santiago: clocks jumped 00:00 -> 01:00 on 2022-09-11.
    tz = ZoneInfo("America/Santiago")
    before = datetime(2022, 9, 10, 22, 0, tzinfo=tz).timestamp()
    boundary = next_midnight(before, tz)
    assert local_date(boundary, tz) == date(2022, 9, 11)
    assert local_date(boundary - 1.0, tz) == date(2022, 9, 10)


def test_midnight_that_exists_twice() -> None:
    # America/Havana leaves DST at 01:00 -> 00:00 (2022-11-06): midnight happens twice.
    tz = ZoneInfo("America/Havana")
    before = datetime(2022, 11, 5, 22, 0, tzinfo=tz).timestamp()
    boundary = next_midnight(before, tz)
    assert local_date(boundary, tz) == date(2022, 11, 6)
    assert local_date(boundary - 1.0, tz) == date(2022, 11, 5)


def integrate_samples(
    samples: list[tuple[float, float | None]],
    tz: tzinfo,
    base: float,
    *,
    end: float | None = None,
    max_hold: float = 900.0,
) -> dict[date, tuple[float, float]]:
    """Degree days per local date from (time, outdoor) samples, as the ledger books them: each
    sample holds until the next (at most `max_hold`), split at local midnights."""
    result: dict[date, tuple[float, float]] = {}
    for index, (start, temperature) in enumerate(samples):
        stop = samples[index + 1][0] if index + 1 < len(samples) else end
        if stop is None or temperature is None:
            continue
        for day, seconds in split_by_day(start, min(stop, start + max_hold), tz):
            heating, cooling = degree_days(temperature, seconds, base)
            old_heating, old_cooling = result.get(day, (0.0, 0.0))
            result[day] = (old_heating + heating, old_cooling + cooling)
    return result


def ledger_degree_days(
    samples: list[tuple[float, float | None]], tz: tzinfo, base: float, end: float
) -> dict[date, tuple[float, float]]:
    """Degree days per local date booked by a `Ledger` from the same samples."""
    ledger = Ledger(["a"], tz, degree_day_base=base, estimate_energy=False)
    for time, temperature in samples:
        ledger.record(time, SystemSample(running=False, outdoor_temperature=temperature))
    ledger.flush(end)
    return {b.date: (b.system.hdd, b.system.cdd) for b in ledger.days(date.min, date.max)}


def test_the_ledger_books_degree_days_by_integration() -> None:
    t0 = ts(2024, 1, 10, 22, 0)
    samples: list[tuple[float, float | None]] = [
        (t0 + i * 600.0, 8.0 + i) for i in range(18)
    ]  # 22:00 .. 00:50, every 10 min, 8 .. 25 °C
    samples.append((t0 + 18 * 600.0, None))
    booked = ledger_degree_days(samples, NY, 18.0, t0 + 19 * 600.0)
    expected = integrate_samples(samples, NY, 18.0, end=t0 + 19 * 600.0)
    assert booked.keys() == expected.keys()
    for day, (heating, cooling) in expected.items():
        # a closed day is stored to 1e-5 degree days (ledger.store)
        assert booked[day] == (pytest.approx(heating, abs=1e-5), pytest.approx(cooling, abs=1e-5))


def test_integrate_samples_per_local_day() -> None:
    t0 = ts(2024, 1, 10, 23, 0)
    samples: list[tuple[float, float | None]] = [
        (t0 + i * 600.0, 8.0) for i in range(12)
    ]  # 23:00 .. 00:50, every 10 min
    samples.append((t0 + 12 * 600.0, None))
    result = integrate_samples(samples, NY, 18.0, end=t0 + 13 * 600.0)
    assert result[date(2024, 1, 10)][0] == pytest.approx(10.0 * 3600 / 86400)
    assert result[date(2024, 1, 11)][0] == pytest.approx(10.0 * 3600 / 86400)


def test_integrate_samples_caps_the_hold_and_needs_an_end() -> None:
    t0 = datetime(2024, 1, 10, 12, tzinfo=UTC).timestamp()
    result = integrate_samples([(t0, 8.0), (t0 + 7200.0, 8.0)], UTC, 18.0, max_hold=900.0)
    assert result == {date(2024, 1, 10): pytest.approx((10.0 * 900 / 86400, 0.0))}


class OneShift(tzinfo):
    """One offset change at ``change`` (UTC), resolving ambiguous and missing wall times the
    *other* way round from zoneinfo (fold=0 -> the later offset), as some tz libraries do."""

    def __init__(self, change: datetime, before: timedelta, after: timedelta) -> None:
        self.change, self.before, self.after = change.replace(tzinfo=None), before, after

    def utcoffset(self, dt: datetime | None) -> timedelta:
        assert dt is not None
        wall = dt.replace(tzinfo=None)
        first_ok = wall - self.before < self.change
        second_ok = wall - self.after >= self.change
        if first_ok != second_ok:
            return self.before if first_ok else self.after
        return self.after if dt.fold == 0 else self.before

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        return (utc + (self.before if utc < self.change else self.after)).replace(tzinfo=self)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "X"


def test_next_midnight_with_other_fold_conventions() -> None:
    hour = timedelta(hours=1)
    # Clocks jump 00:00 -> 01:00 at 04:00 UTC on 2022-09-11.
    spring = OneShift(datetime(2022, 9, 11, 4), -4 * hour, -3 * hour)
    before = datetime(2022, 9, 10, 22, tzinfo=UTC).timestamp()
    boundary = next_midnight(before, spring)
    assert boundary == datetime(2022, 9, 11, 4, tzinfo=UTC).timestamp()
    # Clocks go back 01:00 -> 00:00 at 04:00 UTC: midnight happens at 03:00 and 04:00 UTC.
    autumn = OneShift(datetime(2022, 11, 6, 4), -3 * hour, -4 * hour)
    before = datetime(2022, 11, 5, 22, tzinfo=UTC).timestamp()
    assert next_midnight(before, autumn) == datetime(2022, 11, 6, 3, tzinfo=UTC).timestamp()
