"""Sums over ledger days: several days as one, every mode's cycles as one, per degree day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from .days import CycleStats, DayBucket, SystemDay, ZoneDay, add

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
        "estimated_low_kwh",
        "estimated_high_kwh",
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
        "duct_cold_starts",
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


def energy_bounds(
    measured_kwh: float, estimated_kwh: float, low_kwh: float, high_kwh: float
) -> tuple[float, float] | None:
    """(low, high) total energy, kWh, when part of it is estimated; None when none is.

    ``low_kwh`` and ``high_kwh`` bound ``estimated_kwh`` (`part_load`); a ledger day written
    before the bounds existed reads 0 for both, which widens the interval to (0, estimate)."""
    if estimated_kwh <= 0.0:
        return None
    return measured_kwh + min(low_kwh, estimated_kwh), measured_kwh + max(high_kwh, estimated_kwh)


def share_of_bounds(
    kwh: float, total_kwh: float, bounds: tuple[float, float] | None
) -> tuple[float, float] | None:
    """A part's (low, high) when the whole's interval is spread over it in proportion."""
    if bounds is None or total_kwh <= 0.0:
        return None
    return kwh * bounds[0] / total_kwh, kwh * bounds[1] / total_kwh


def per_degree_day(amount: float, degree_days: float) -> float | None:
    """``amount`` per degree day, None when too few degree days make it meaningless."""
    return amount / degree_days if degree_days >= MIN_DEGREE_DAYS_FOR_RATIO else None
