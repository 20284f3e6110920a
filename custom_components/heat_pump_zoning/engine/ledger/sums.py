"""Sums over ledger days, and the figures the HA sensors show (`totals_today`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .days import CycleStats, DayBucket, SystemDay, ZoneDay, add
from .degree_days import local_date

if TYPE_CHECKING:
    from .ledger import Ledger

MIN_DEGREE_DAYS_FOR_RATIO = 1.0  # below this a per-degree-day figure is noise: reported as None


def _add_map(target: dict[str, float], source: Mapping[str, float]) -> None:
    for key, value in source.items():
        add(target, key, value)


def merge_system(target: SystemDay, other: SystemDay) -> None:
    """Add one system day to another (in place)."""
    for name in (
        "observed_s",
        "unknown_s",
        "blower_s",
        "measured_kwh",
        "estimated_kwh",
        "unattributed_kwh",
        "hdd",
        "cdd",
        "outdoor_integral",
        "outdoor_s",
    ):
        setattr(target, name, getattr(target, name) + getattr(other, name))
    for name in (
        "runtime_s",
        "unattributed_s",
        "kwh",
        "comfort_s",
        "duct_s",
        "duct_dt_ks",
        "duct_outdoor_ks",
    ):
        _add_map(getattr(target, name), getattr(other, name))
    for key, stats in other.cycles.items():
        target.cycles.setdefault(key, CycleStats()).merge(stats)


def merge_zone(target: ZoneDay, other: ZoneDay) -> None:
    """Add one zone day to another (in place)."""
    for name in ("measured_kwh", "estimated_kwh", "temperature_integral", "temperature_s"):
        setattr(target, name, getattr(target, name) + getattr(other, name))
    for name in ("calling_s", "conditioned_s", "waiting_s", "runtime_s", "kwh", "comfort_gap_ks"):
        _add_map(getattr(target, name), getattr(other, name))


def merge_days(buckets: Iterable[DayBucket], label: date) -> DayBucket:
    """One bucket holding the sums of several days (dated ``label``)."""
    total = DayBucket(date=label)
    for bucket in buckets:
        merge_system(total.system, bucket.system)
        for zone_id, zone in bucket.zones.items():
            merge_zone(total.zone(zone_id), zone)
    return total


def all_cycles(system: SystemDay) -> CycleStats:
    """The cycles of every mode together."""
    total = CycleStats()
    for stats in system.cycles.values():
        total.merge(stats)
    return total


def energy_method(measured_kwh: float, estimated_kwh: float) -> str:
    """ "measured", "estimated", "mixed" (both), or "none" (no energy at all)."""
    if measured_kwh > 0.0 and estimated_kwh > 0.0:
        return "mixed"
    if measured_kwh > 0.0:
        return "measured"
    return "estimated" if estimated_kwh > 0.0 else "none"


def per_degree_day(amount: float, degree_days: float) -> float | None:
    """``amount`` per degree day, None when too few degree days make it meaningless."""
    return amount / degree_days if degree_days >= MIN_DEGREE_DAYS_FOR_RATIO else None


@dataclass(frozen=True, slots=True)
class RollingFigures:
    """Runtime (minutes) and energy (kWh) per degree day over the last N local days."""

    days: int
    heating_degree_days: float
    cooling_degree_days: float
    runtime_minutes_per_hdd: float | None
    runtime_minutes_per_cdd: float | None
    kwh_per_hdd: float | None
    kwh_per_cdd: float | None


@dataclass(frozen=True, slots=True)
class ZoneTotals:
    """What a zone's sensors show."""

    runtime_today_s: Mapping[str, float]
    calling_today_s: float
    conditioned_today_s: float
    waiting_today_s: float
    energy_today_kwh: float
    lifetime_runtime_s: float
    lifetime_kwh: float
    lifetime_conditioned_s: float


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """What the system's sensors show (today = the local date of ``now``)."""

    date: date
    runtime_today_s: Mapping[str, float]
    cycles_today: int
    short_cycles_today: int
    average_cycle_today_s: float | None
    duty_cycle_today: float | None  # runtime / observed time
    blower_today_s: float
    energy_today_kwh: float
    energy_method_today: str
    heating_degree_days_today: float
    cooling_degree_days_today: float
    lifetime_runtime_s: float
    lifetime_kwh: float
    lifetime_cycles: int
    rolling_7: RollingFigures
    rolling_30: RollingFigures
    zones: Mapping[str, ZoneTotals] = field(default_factory=dict)


def rolling(ledger: Ledger, today: date, days: int) -> RollingFigures:
    """Per-degree-day figures over the ``days`` local days ending ``today``."""
    total = merge_days(ledger.days(today - timedelta(days=days - 1), today), today).system
    heat_kwh, cool_kwh = total.kwh.get("heat", 0.0), total.kwh.get("cool", 0.0)
    return RollingFigures(
        days=days,
        heating_degree_days=total.hdd,
        cooling_degree_days=total.cdd,
        runtime_minutes_per_hdd=per_degree_day(total.runtime_s.get("heat", 0.0) / 60.0, total.hdd),
        runtime_minutes_per_cdd=per_degree_day(total.runtime_s.get("cool", 0.0) / 60.0, total.cdd),
        kwh_per_hdd=per_degree_day(heat_kwh, total.hdd),
        kwh_per_cdd=per_degree_day(cool_kwh, total.cdd),
    )


def totals_today(ledger: Ledger, now: float) -> LedgerTotals:
    """The sensor figures at ``now`` (call `Ledger.flush(now)` first to include the last sample)."""
    today = local_date(now, ledger.tz)
    bucket = ledger.day(today) or DayBucket(date=today)
    system = bucket.system
    cycles = all_cycles(system)
    lifetime = ledger.lifetime()
    zones: dict[str, ZoneTotals] = {}
    for zone_id in ledger.zone_ids:
        zone = bucket.zones.get(zone_id) or ZoneDay()
        life = ledger.zone_lifetime(zone_id)
        zones[zone_id] = ZoneTotals(
            runtime_today_s=dict(zone.runtime_s),
            calling_today_s=sum(zone.calling_s.values()),
            conditioned_today_s=sum(zone.conditioned_s.values()),
            waiting_today_s=sum(zone.waiting_s.values()),
            energy_today_kwh=zone.measured_kwh + zone.estimated_kwh,
            lifetime_runtime_s=life["runtime_s"],
            lifetime_kwh=life["kwh"],
            lifetime_conditioned_s=life["conditioned_s"],
        )
    return LedgerTotals(
        date=today,
        runtime_today_s=dict(system.runtime_s),
        cycles_today=cycles.starts,
        short_cycles_today=cycles.short,
        average_cycle_today_s=cycles.average_s,
        duty_cycle_today=(
            system.total_runtime_s / system.observed_s if system.observed_s > 0.0 else None
        ),
        blower_today_s=system.blower_s,
        energy_today_kwh=system.measured_kwh + system.estimated_kwh,
        energy_method_today=energy_method(system.measured_kwh, system.estimated_kwh),
        heating_degree_days_today=system.hdd,
        cooling_degree_days_today=system.cdd,
        lifetime_runtime_s=lifetime["runtime_s"],
        lifetime_kwh=lifetime["kwh"],
        lifetime_cycles=int(lifetime["cycles"]),
        rolling_7=rolling(ledger, today, 7),
        rolling_30=rolling(ledger, today, 30),
        zones=zones,
    )
