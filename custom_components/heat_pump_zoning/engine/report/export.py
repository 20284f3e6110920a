"""The flat rows of the export action: one per system and day, one per zone and day.

``estimated_low_kwh`` and ``estimated_high_kwh`` bound ``estimated_kwh`` (`ledger.part_load`); a
zone's are its share of the system's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..ledger.ledger import Ledger
from ..ledger.sums import all_cycles
from .build import estimate_ratios, hours, rounded


def export_rows(
    ledger: Ledger, start: date, end: date, *, system_id: str = "system"
) -> list[dict[str, Any]]:
    """Flat daily rows (one per system and day, one per zone and day) with the same columns."""
    rows: list[dict[str, Any]] = []
    for bucket in ledger.days(start, end):
        system = bucket.system
        cycles = all_cycles(system)
        low, high = estimate_ratios(system)
        base = dict.fromkeys(EXPORT_COLUMNS)
        rows.append(
            base
            | {
                "date": bucket.date.isoformat(),
                "system": system_id,
                "zone": "",
                "runtime_heat_min": rounded(system.runtime_s.get("heat", 0.0) / 60),
                "runtime_cool_min": rounded(system.runtime_s.get("cool", 0.0) / 60),
                "unattributed_min": rounded(sum(system.unattributed_s.values()) / 60),
                "blower_min": rounded(system.blower_s / 60),
                "cycles": cycles.starts,
                "short_cycles": cycles.short,
                "average_cycle_min": rounded(
                    None if cycles.average_s is None else cycles.average_s / 60
                ),
                "measured_kwh": rounded(system.measured_kwh, 4),
                "estimated_kwh": rounded(system.estimated_kwh, 4),
                "estimated_low_kwh": rounded(system.estimated_kwh * low, 4),
                "estimated_high_kwh": rounded(system.estimated_kwh * high, 4),
                "heat_kwh": rounded(system.kwh.get("heat", 0.0), 4),
                "cool_kwh": rounded(system.kwh.get("cool", 0.0), 4),
                "hdd": rounded(system.hdd),
                "cdd": rounded(system.cdd),
                "mean_temperature": rounded(system.outdoor_mean, 2),
                "observed_h": hours(system.observed_s),
                "unknown_h": hours(system.unknown_s),
            }
        )
        for zone_id in sorted(bucket.zones):
            zone = bucket.zones[zone_id]
            rows.append(
                base
                | {
                    "date": bucket.date.isoformat(),
                    "system": system_id,
                    "zone": zone_id,
                    "runtime_heat_min": rounded(zone.runtime_s.get("heat", 0.0) / 60),
                    "runtime_cool_min": rounded(zone.runtime_s.get("cool", 0.0) / 60),
                    "calling_min": rounded(sum(zone.calling_s.values()) / 60),
                    "conditioned_min": rounded(sum(zone.conditioned_s.values()) / 60),
                    "waiting_min": rounded(sum(zone.waiting_s.values()) / 60),
                    "measured_kwh": rounded(zone.measured_kwh, 4),
                    "estimated_kwh": rounded(zone.estimated_kwh, 4),
                    "estimated_low_kwh": rounded(zone.estimated_kwh * low, 4),
                    "estimated_high_kwh": rounded(zone.estimated_kwh * high, 4),
                    "heat_kwh": rounded(zone.kwh.get("heat", 0.0), 4),
                    "cool_kwh": rounded(zone.kwh.get("cool", 0.0), 4),
                    "mean_temperature": rounded(zone.temperature_mean, 2),
                }
            )
    return rows


EXPORT_COLUMNS = (
    "date",
    "system",
    "zone",
    "runtime_heat_min",
    "runtime_cool_min",
    "unattributed_min",
    "calling_min",
    "conditioned_min",
    "waiting_min",
    "blower_min",
    "cycles",
    "short_cycles",
    "average_cycle_min",
    "measured_kwh",
    "estimated_kwh",
    "estimated_low_kwh",
    "estimated_high_kwh",
    "heat_kwh",
    "cool_kwh",
    "hdd",
    "cdd",
    "mean_temperature",
    "observed_h",
    "unknown_h",
)
