"""What the runtime sensors show: one model of a system's figures at one time, from its ledger.

The Home Assistant layer builds a `SensorFigures` at most once a minute (after booking the ledger
up to then) and every sensor reads its value from it. Today is the local date of ``now``;
fractions are 0-1 (the sensors show them in %). Per-degree-day figures cover the last 7 and 30
local days, today included, and are None below one degree day (`sums.per_degree_day`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from .days import DayBucket, ZoneDay
from .degree_days import local_date
from .ledger import Ledger
from .sums import (
    all_cycles,
    energy_bounds,
    energy_method,
    merge_days,
    per_degree_day,
    share_of_bounds,
)

ROLLING_WINDOWS: Final = (7, 30)  # days


@dataclass(frozen=True, slots=True)
class PerDegreeDay:
    """A zone's runtime (minutes) and energy (kWh) per degree day over a window of days."""

    runtime_minutes_per_hdd: float | None = None
    runtime_minutes_per_cdd: float | None = None
    kwh_per_hdd: float | None = None
    kwh_per_cdd: float | None = None


@dataclass(frozen=True, slots=True)
class ZoneFigures:
    """What a zone's sensors show."""

    runtime_today_s: float  # attributed runtime, every mode
    conditioned_today_s: float
    calling_today_s: float
    waiting_today_s: float
    share_today: float | None  # fraction of the system's runtime today (None: it did not run)
    lifetime_kwh: float
    per_degree_day: Mapping[int, PerDegreeDay]  # by window, `ROLLING_WINDOWS`
    # (low, high) of lifetime_kwh when part of it is estimated (the system's interval, shared)
    lifetime_kwh_bounds: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class SensorFigures:
    """What a system's sensors and its zones' sensors show."""

    runtime_today_s: Mapping[str, float]  # compressor runtime by mode key
    blower_today_s: float
    cycles_today: int
    short_cycles_today: int
    average_cycle_today_s: float | None
    duty_cycle_today: float | None  # fraction of the observed time the compressor ran
    heating_degree_days_today: float
    cooling_degree_days_today: float
    lifetime_kwh: float
    lifetime_energy_method: str  # "measured", "estimated", "mixed" or "none"
    zones: Mapping[str, ZoneFigures]
    lifetime_kwh_bounds: tuple[float, float] | None = None  # when part of it is estimated


def sensor_figures(ledger: Ledger, now: float) -> SensorFigures:
    """Every sensor figure at ``now`` (book the ledger up to ``now`` first: `Ledger.flush`)."""
    today = local_date(now, ledger.tz)
    bucket = ledger.day(today) or DayBucket(date=today)
    system = bucket.system
    system_runtime = sum(system.runtime_s.values())
    per_dd = _per_degree_day(ledger, now)
    lifetime = ledger.lifetime()
    bounds = energy_bounds(
        lifetime["measured_kwh"],
        lifetime["estimated_kwh"],
        lifetime["estimated_low_kwh"],
        lifetime["estimated_high_kwh"],
    )
    zones: dict[str, ZoneFigures] = {}
    for zone_id in ledger.zone_ids:
        zone = bucket.zones.get(zone_id) or ZoneDay()
        runtime = sum(zone.runtime_s.values())
        zone_kwh = ledger.zone_lifetime(zone_id)["kwh"]
        zones[zone_id] = ZoneFigures(
            runtime_today_s=runtime,
            conditioned_today_s=sum(zone.conditioned_s.values()),
            calling_today_s=sum(zone.calling_s.values()),
            waiting_today_s=sum(zone.waiting_s.values()),
            share_today=runtime / system_runtime if system_runtime > 0.0 else None,
            lifetime_kwh=zone_kwh,
            per_degree_day=per_dd[zone_id],
            lifetime_kwh_bounds=share_of_bounds(zone_kwh, lifetime["kwh"], bounds),
        )
    cycles = all_cycles(system)
    return SensorFigures(
        runtime_today_s=dict(system.runtime_s),
        blower_today_s=system.blower_s,
        cycles_today=cycles.starts,
        short_cycles_today=cycles.short,
        average_cycle_today_s=cycles.average_s,
        duty_cycle_today=(
            system.total_runtime_s / system.observed_s if system.observed_s > 0.0 else None
        ),
        heating_degree_days_today=system.hdd,
        cooling_degree_days_today=system.cdd,
        lifetime_kwh=lifetime["kwh"],
        lifetime_energy_method=energy_method(lifetime["measured_kwh"], lifetime["estimated_kwh"]),
        zones=zones,
        lifetime_kwh_bounds=bounds,
    )


def _per_degree_day(ledger: Ledger, now: float) -> dict[str, dict[int, PerDegreeDay]]:
    """Each zone's per-degree-day figures over each window ending today."""
    today = local_date(now, ledger.tz)
    out: dict[str, dict[int, PerDegreeDay]] = {zone_id: {} for zone_id in ledger.zone_ids}
    for days in ROLLING_WINDOWS:
        total = merge_days(ledger.days(today - timedelta(days=days - 1), today), today)
        hdd, cdd = total.system.hdd, total.system.cdd
        for zone_id in ledger.zone_ids:
            zone = total.zones.get(zone_id)
            if zone is None:
                out[zone_id][days] = PerDegreeDay()
                continue
            out[zone_id][days] = PerDegreeDay(
                runtime_minutes_per_hdd=per_degree_day(zone.runtime_s.get("heat", 0.0) / 60, hdd),
                runtime_minutes_per_cdd=per_degree_day(zone.runtime_s.get("cool", 0.0) / 60, cdd),
                kwh_per_hdd=per_degree_day(zone.kwh.get("heat", 0.0), hdd),
                kwh_per_cdd=per_degree_day(zone.kwh.get("cool", 0.0), cdd),
            )
    return out
