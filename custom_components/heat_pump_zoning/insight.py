"""What the runtime sensors show, read from a system's ledger, and the ledger's settings.

Kept apart from `runtime.py` so that the figures (per zone and per system, today and rolling) are
plain functions of a `Ledger` and a time. Nothing here imports Home Assistant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .const import (
    CONF_DEGREE_DAY_BASE,
    CONF_HSPF2,
    CONF_RATED_COOLING_CAPACITY_KW,
    CONF_RATED_HEATING_CAPACITY_KW,
    CONF_RETENTION_DAYS,
    CONF_SEER2,
    DEFAULT_HSPF2,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_SEER2,
)
from .engine.ledger.degree_days import default_base, local_date
from .engine.ledger.energy import DEFAULT_CAPACITY_W, EnergyModel
from .engine.ledger.ledger import Ledger
from .engine.ledger.sums import LedgerTotals, energy_method, merge_days, per_degree_day
from .engine.numbers import positive

ROLLING_WINDOWS = (7, 30)


def energy_model(options: Mapping[str, Any], unit: str) -> EnergyModel:
    """The capacity/COP model of a system from its options (defaults: 2.5 t, 7.5/14.3)."""
    return EnergyModel(
        heating_capacity_w=1000.0
        * positive(options.get(CONF_RATED_HEATING_CAPACITY_KW), DEFAULT_CAPACITY_W / 1000.0),
        cooling_capacity_w=1000.0
        * positive(options.get(CONF_RATED_COOLING_CAPACITY_KW), DEFAULT_CAPACITY_W / 1000.0),
        hspf2=positive(options.get(CONF_HSPF2), DEFAULT_HSPF2),
        seer2=positive(options.get(CONF_SEER2), DEFAULT_SEER2),
        unit=unit,
    )


def ledger_settings(options: Mapping[str, Any], unit: str, short_cycle: float) -> dict[str, Any]:
    """Keyword arguments for `Ledger` / `Ledger.from_dict` from a system's options."""
    base = options.get(CONF_DEGREE_DAY_BASE)
    return {
        "retention_days": max(
            1, int(positive(options.get(CONF_RETENTION_DAYS), DEFAULT_RETENTION_DAYS))
        ),
        "degree_day_base": float(base) if base is not None else default_base(unit),
        "temperature_unit": unit,
        "energy_model": energy_model(options, unit),
        "short_cycle": short_cycle,
    }


@dataclass(frozen=True, slots=True)
class ZoneRolling:
    """A zone's runtime (minutes) and energy (kWh) per degree day over the last N days."""

    runtime_minutes_per_hdd: float | None = None
    runtime_minutes_per_cdd: float | None = None
    kwh_per_hdd: float | None = None
    kwh_per_cdd: float | None = None


@dataclass(frozen=True, slots=True)
class ZoneInsight:
    """What a zone's sensors show."""

    runtime_today_s: float
    conditioned_today_s: float
    calling_today_s: float
    waiting_today_s: float
    share_today: float | None  # percent of the system's runtime today
    lifetime_kwh: float
    rolling: Mapping[int, ZoneRolling]


@dataclass(frozen=True, slots=True)
class Insight:
    """What the system's and zones' sensors show at one time."""

    time: float
    totals: LedgerTotals
    lifetime_energy_method: str
    zones: Mapping[str, ZoneInsight] = field(default_factory=dict)


def _zone_rolling(ledger: Ledger, now: float) -> dict[str, dict[int, ZoneRolling]]:
    today = local_date(now, ledger.tz)
    out: dict[str, dict[int, ZoneRolling]] = {zone_id: {} for zone_id in ledger.zone_ids}
    for days in ROLLING_WINDOWS:
        total = merge_days(ledger.days(today - timedelta(days=days - 1), today), today)
        hdd, cdd = total.system.hdd, total.system.cdd
        for zone_id in ledger.zone_ids:
            zone = total.zones.get(zone_id)
            if zone is None:
                out[zone_id][days] = ZoneRolling()
                continue
            out[zone_id][days] = ZoneRolling(
                runtime_minutes_per_hdd=per_degree_day(zone.runtime_s.get("heat", 0.0) / 60, hdd),
                runtime_minutes_per_cdd=per_degree_day(zone.runtime_s.get("cool", 0.0) / 60, cdd),
                kwh_per_hdd=per_degree_day(zone.kwh.get("heat", 0.0), hdd),
                kwh_per_cdd=per_degree_day(zone.kwh.get("cool", 0.0), cdd),
            )
    return out


def build_insight(ledger: Ledger, now: float) -> Insight:
    """Every sensor figure at ``now`` (the ledger should have been recorded or flushed to now)."""
    totals = ledger.totals_today(now)
    system_runtime = sum(totals.runtime_today_s.values())
    rolling = _zone_rolling(ledger, now)
    zones: dict[str, ZoneInsight] = {}
    for zone_id, zone in totals.zones.items():
        runtime = sum(zone.runtime_today_s.values())
        zones[zone_id] = ZoneInsight(
            runtime_today_s=runtime,
            conditioned_today_s=zone.conditioned_today_s,
            calling_today_s=zone.calling_today_s,
            waiting_today_s=zone.waiting_today_s,
            share_today=100.0 * runtime / system_runtime if system_runtime > 0.0 else None,
            lifetime_kwh=zone.lifetime_kwh,
            rolling=rolling[zone_id],
        )
    lifetime = ledger.lifetime()
    return Insight(
        time=now,
        totals=totals,
        lifetime_energy_method=energy_method(lifetime["measured_kwh"], lifetime["estimated_kwh"]),
        zones=zones,
    )


def ledger_summary(ledger: Ledger) -> dict[str, Any]:
    """A small summary of the ledger for diagnostics."""
    first = ledger.first_day
    return {
        "first_day": first.isoformat() if first else None,
        "days_kept": len(ledger.days(first, date.max)) if first else 0,
        "retention_days": ledger.retention_days,
        "degree_day_base": ledger.degree_day_base,
        "temperature_unit": ledger.temperature_unit,
        "energy_model": None if ledger.energy_model is None else repr(ledger.energy_model),
        "short_cycle_s": ledger.short_cycle,
        "clock_jumps": ledger.clock_jumps,
        "lifetime": ledger.lifetime(),
        "zone_lifetime": {zone_id: ledger.zone_lifetime(zone_id) for zone_id in ledger.zone_ids},
    }
