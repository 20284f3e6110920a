"""The response of ``heat_pump_zoning.get_report`` and the flat rows of the export action.

`build_report` is a pure function of the systems' ledgers and configurations and a date range
(`resolve_period` turns "day"/"week"/"month" or explicit dates into one). Times are reported in
hours (cycle lengths in minutes), energy in kWh, per-degree-day figures as runtime minutes and kWh
per heating (HDD) or cooling (CDD) degree day. Every derived figure carries a ``confidence``;
with fewer than 3 observed days or 5 degree days it is "insufficient" and its value None.
The estimates (zoning savings, duct losses) are explained in `estimates`; `system_estimates` is
what a system's estimate sensors show. The export action's rows are in `export`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Any

from ..ledger.days import HISTOGRAM_LABELS, DayBucket, SystemDay, ZoneDay
from ..ledger.degree_days import local_date
from ..ledger.energy import EnergyModel
from ..ledger.ledger import Ledger
from ..ledger.sums import all_cycles, energy_bounds, energy_method, merge_days
from ..model import Mode, SystemConfig, Topology
from .duct_model import DEFAULT_DUCT_R_VALUE, MODELLED_LOCATIONS, Ducts, mode_losses
from .energy_star import energy_star_savings
from .estimates import (
    DEFAULT_PARAMS,
    DuctSide,
    EstimateParams,
    degree_day_confidence,
    duct_loss,
    duct_model_estimate,
    duct_prior,
    duct_prior_range,
    model_cop,
    zoning_savings,
)

PERIODS = {"day": 1, "week": 7, "month": 30}
MAX_PERIOD_DAYS = 800
ESTIMATE_WINDOW_DAYS = 30  # the sensors' estimates cover the last 30 days, today included
PER_DD_METHOD = {
    "id": "per_degree_day",
    "description": "Runtime or energy divided by the degree days of the same days "
    "(integrated from the outdoor temperature, base 18 °C / 65 °F).",
}
RANKING_METHOD = {
    "id": "kwh_per_degree_day",
    "description": "Energy attributed to the room divided by heating plus cooling degree days, "
    "per m² where the floor area is known; higher means costlier to condition.",
}


@dataclass(frozen=True, slots=True)
class SystemReportInput:
    """One system as the report sees it."""

    system_id: str
    name: str
    config: SystemConfig
    ledger: Ledger
    duct_location: str | None = None  # ducted: one of estimates.DUCT_LOCATIONS
    duct_leakage: str | None = None  # ducted: "sealed", "typical" or "leaky"
    duct_r_value: float = DEFAULT_DUCT_R_VALUE  # ducted: insulation, h·ft²·°F/Btu
    duct_space_measured: bool = False  # ducted: a sensor reads the duct space's temperature
    # the only system in its house: no other system's rooms for a warmer room to lose heat to
    # (the zoning-savings ratios differ, `estimates.SAVINGS_TRUTH_RATIO_ALONE`)
    alone: bool = False


def resolve_period(
    period: str, now: float, tz: tzinfo, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """(first, last) local date of a report period, both included.

    "day" is today so far, "week" the 7 days ending today, "month" the 30 days ending today;
    explicit ``start``/``end`` win over ``period`` (a missing end means today).
    """
    today = local_date(now, tz)
    if start is not None or end is not None:
        first, last = start or today, end or today
    elif period in PERIODS:
        first, last = today - timedelta(days=PERIODS[period] - 1), today
    else:
        raise ValueError(f"unknown period {period!r}")
    if first > last:
        raise ValueError("start is after end")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise ValueError(f"a report covers at most {MAX_PERIOD_DAYS} days")
    return first, last


def hours(seconds: float) -> float:
    """Seconds as hours, as the report and the export show them (3 decimals)."""
    return round(seconds / 3600.0, 3)


def rounded(value: float | None, digits: int = 3) -> float | None:
    """A figure as the report and the export show it (3 decimals unless told)."""
    return None if value is None else round(value, digits)


def _modes(values: dict[str, float], scale: float = 3600.0) -> dict[str, float]:
    out = {key: round(values.get(key, 0.0) / scale, 3) for key in ("heat", "cool")}
    out["total"] = round(sum(values.values()) / scale, 3)
    return out


def _sig(value: float | None) -> float | None:
    """4 significant digits: per-m² figures are small numbers."""
    return None if value is None else float(f"{value:.4g}")


def _per_dd(amount: float, dd: float, observed_days: float) -> dict[str, Any]:
    confidence = degree_day_confidence(observed_days, dd)
    value = amount / dd if dd > 0.0 else None
    return {
        "value": _sig(value) if confidence != "insufficient" else None,
        "confidence": confidence,
    }


def _zone_area(config: SystemConfig, zone_id: str) -> float | None:
    for zone in config.zones:
        if zone.zone_id == zone_id and zone.floor_area and zone.floor_area > 0:
            return float(zone.floor_area)
    return None


def estimate_ratios(system: SystemDay) -> tuple[float, float]:
    """The system's estimated energy's low and high ends over the estimate (1, 1 without one)."""
    bounds = energy_bounds(
        0.0, system.estimated_kwh, system.estimated_low_kwh, system.estimated_high_kwh
    )
    if bounds is None:
        return 1.0, 1.0
    return bounds[0] / system.estimated_kwh, bounds[1] / system.estimated_kwh


def _energy_interval(
    measured: float, estimated: float, ratios: tuple[float, float]
) -> dict[str, Any]:
    """The report's ``low_kwh`` and ``high_kwh`` (None when nothing is estimated)."""
    if estimated <= 0.0:
        return {"low_kwh": None, "high_kwh": None}
    return {
        "low_kwh": rounded(measured + estimated * ratios[0]),
        "high_kwh": rounded(measured + estimated * ratios[1]),
    }


def estimated_parts(model: EnergyModel | None, estimated_kwh: float) -> list[str]:
    """What an energy estimate takes from the model rather than from a meter."""
    if model is None or estimated_kwh <= 0.0:
        return []
    if model.inverter:
        return ["part_load_output", "cop"]
    return ["cop", "fan_power"]


def _zone_section(
    config: SystemConfig, zone_id: str, zone: ZoneDay, system: SystemDay, observed_days: float
) -> dict[str, Any]:
    names = {z.zone_id: z.name for z in config.zones}
    area = _zone_area(config, zone_id)
    heat_kwh, cool_kwh = zone.kwh.get("heat", 0.0), zone.kwh.get("cool", 0.0)
    per_dd = {
        "runtime_minutes_per_hdd": _per_dd(
            zone.runtime_s.get("heat", 0.0) / 60, system.hdd, observed_days
        ),
        "runtime_minutes_per_cdd": _per_dd(
            zone.runtime_s.get("cool", 0.0) / 60, system.cdd, observed_days
        ),
        "kwh_per_hdd": _per_dd(heat_kwh, system.hdd, observed_days),
        "kwh_per_cdd": _per_dd(cool_kwh, system.cdd, observed_days),
    }
    if area:
        per_dd["kwh_per_hdd_per_m2"] = _per_dd(heat_kwh / area, system.hdd, observed_days)
        per_dd["kwh_per_cdd_per_m2"] = _per_dd(cool_kwh / area, system.cdd, observed_days)
    return {
        "zone_id": zone_id,
        "name": names.get(zone_id, zone_id),
        "configured": zone_id in names,
        "floor_area_m2": area,
        "runtime_hours": _modes(zone.runtime_s),
        "calling_hours": _modes(zone.calling_s),
        "conditioned_hours": _modes(zone.conditioned_s),
        "waiting_hours": _modes(zone.waiting_s),
        "energy": {
            "kwh": rounded(zone.measured_kwh + zone.estimated_kwh),
            "heat_kwh": rounded(heat_kwh),
            "cool_kwh": rounded(cool_kwh),
            "measured_kwh": rounded(zone.measured_kwh),
            "estimated_kwh": rounded(zone.estimated_kwh),
            "method": energy_method(zone.measured_kwh, zone.estimated_kwh),
        }
        | _energy_interval(zone.measured_kwh, zone.estimated_kwh, estimate_ratios(system)),
        "mean_temperature": rounded(zone.temperature_mean, 2),
        "per_degree_day": per_dd,
    }


def _system_section(
    item: SystemReportInput, total: DayBucket, buckets: list[DayBucket], params: EstimateParams
) -> dict[str, Any]:
    system, config = total.system, item.config
    observed_days = system.observed_s / 86400.0
    cycles = all_cycles(system)
    zone_ids = list(dict.fromkeys([z.zone_id for z in config.zones] + sorted(total.zones)))
    zones = [
        _zone_section(config, z, total.zones.get(z) or ZoneDay(), system, observed_days)
        for z in zone_ids
    ]
    heat_kwh, cool_kwh = system.kwh.get("heat", 0.0), system.kwh.get("cool", 0.0)
    section: dict[str, Any] = {
        "system_id": item.system_id,
        "name": item.name,
        "topology": config.topology.value,
        "observed_hours": hours(system.observed_s),
        "unknown_hours": hours(system.unknown_s),
        "runtime_hours": _modes(system.runtime_s),
        "unattributed_runtime_hours": _modes(system.unattributed_s),
        "blower_hours": hours(system.blower_s),
        "duty_cycle": rounded(
            system.total_runtime_s / system.observed_s if system.observed_s else None
        ),
        "cycles": {
            "count": cycles.starts,
            "completed": cycles.completed,
            "average_minutes": rounded(None if cycles.average_s is None else cycles.average_s / 60),
            "min_minutes": rounded(None if cycles.min_s is None else cycles.min_s / 60),
            "max_minutes": rounded(None if cycles.max_s is None else cycles.max_s / 60),
            "short_cycles": cycles.short,
            "histogram_minutes": dict(zip(HISTOGRAM_LABELS, cycles.histogram, strict=True)),
        },
        "energy": {
            "kwh": rounded(system.measured_kwh + system.estimated_kwh),
            "heat_kwh": rounded(heat_kwh),
            "cool_kwh": rounded(cool_kwh),
            "standby_kwh": rounded(system.kwh.get("standby", 0.0)),
            "unattributed_kwh": rounded(system.unattributed_kwh),
            "measured_kwh": rounded(system.measured_kwh),
            "estimated_kwh": rounded(system.estimated_kwh),
            "method": energy_method(system.measured_kwh, system.estimated_kwh),
            "estimated_parts": estimated_parts(item.ledger.energy_model, system.estimated_kwh),
        }
        | _energy_interval(system.measured_kwh, system.estimated_kwh, estimate_ratios(system)),
        "degree_days": {
            "heating": rounded(system.hdd),
            "cooling": rounded(system.cdd),
            "base": item.ledger.degree_day_base,
            "method": "integral",
            "mean_outdoor_temperature": rounded(system.outdoor_mean, 2),
        },
        "per_degree_day": {
            "method": PER_DD_METHOD,
            "runtime_minutes_per_hdd": _per_dd(
                system.runtime_s.get("heat", 0.0) / 60, system.hdd, observed_days
            ),
            "runtime_minutes_per_cdd": _per_dd(
                system.runtime_s.get("cool", 0.0) / 60, system.cdd, observed_days
            ),
            "kwh_per_hdd": _per_dd(heat_kwh, system.hdd, observed_days),
            "kwh_per_cdd": _per_dd(cool_kwh, system.cdd, observed_days),
        },
        "zones": zones,
        "zoning_savings": zoning_savings(
            config, buckets, params, item.ledger.energy_model, alone=item.alone
        ),
        "energy_star_savings": energy_star_savings(buckets),
    }
    return section


def _side(
    items: Sequence[tuple[SystemReportInput, DayBucket]], mode: Mode
) -> tuple[DuctSide | None, float]:
    """Energy, degree-day x area and COP of one topology's zones with a floor area."""
    kwh = dd_area = cop_kwh = dd_total = 0.0
    zones = 0
    for item, total in items:
        dd = total.system.hdd if mode is Mode.HEAT else total.system.cdd
        dd_total += dd
        cop = model_cop(item.ledger.energy_model, mode, total.system.outdoor_mean)
        for zone_id, zone in total.zones.items():
            area = _zone_area(item.config, zone_id)
            energy = zone.kwh.get(mode.value, 0.0)
            if area is None or energy <= 0.0:
                continue
            kwh += energy
            dd_area += dd * area
            cop_kwh += cop * energy
            zones += 1
    if kwh <= 0.0 or dd_area <= 0.0:
        return None, dd_total
    return DuctSide(kwh=kwh, degree_day_area=dd_area, cop=cop_kwh / kwh, zones=zones), dd_total


def observed_span(days: float) -> str:
    """How much was observed, in the unit that reads naturally ("Only 40 minutes observed")."""
    minutes = days * 1440.0
    if minutes < 1.0:
        return "Nothing observed yet"
    if minutes < 60.0:
        return f"Only {minutes:.0f} minutes observed"
    if days < 1.0:
        return f"Only {days * 24.0:.1f} hours observed"
    return f"Only {days:.1f} days observed"


def _comparison(totals: Sequence[tuple[SystemReportInput, DayBucket]]) -> dict[str, Any]:
    """Ducted vs ductless, per degree day and per m² (each side's sums over its systems)."""
    out: dict[str, Any] = {"method": PER_DD_METHOD}
    for topology in Topology:
        side = [(i, t) for i, t in totals if i.config.topology is topology]
        if not side:
            continue
        observed = min(t.system.observed_s for _, t in side) / 86400.0
        figures: dict[str, Any] = {"systems": [i.system_id for i, _ in side]}
        for mode, dd_key in ((Mode.HEAT, "hdd"), (Mode.COOL, "cdd")):
            runtime = sum(t.system.runtime_s.get(mode.value, 0.0) for _, t in side)
            energy = sum(t.system.kwh.get(mode.value, 0.0) for _, t in side)
            dd = sum(getattr(t.system, dd_key) for _, t in side)
            figures[f"runtime_minutes_per_{dd_key}"] = _per_dd(runtime / 60, dd, observed)
            figures[f"kwh_per_{dd_key}"] = _per_dd(energy, dd, observed)
            area_side, _ = _side(side, mode)
            if area_side is not None:
                per_area = _per_dd(area_side.kwh, area_side.degree_day_area, observed)
            else:
                per_area = {"value": None, "confidence": "insufficient"}
            figures[f"kwh_per_{dd_key}_per_m2"] = per_area
        out[topology.value] = figures
    ducted, ductless = out.get(Topology.DUCTED.value), out.get(Topology.MINI_SPLIT.value)
    if ducted and ductless:
        ratios: dict[str, float | None] = {}
        for key in ("kwh_per_hdd_per_m2", "kwh_per_cdd_per_m2", "kwh_per_hdd", "kwh_per_cdd"):
            a, b = ducted[key]["value"], ductless[key]["value"]
            ratios[key] = rounded(a / b) if a is not None and b else None
        out["ducted_to_ductless_ratio"] = ratios
    return out


def _ranking(totals: Sequence[tuple[SystemReportInput, DayBucket]]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for item, total in totals:
        dd = total.system.hdd + total.system.cdd
        observed = total.system.observed_s / 86400.0
        names = {z.zone_id: z.name for z in item.config.zones}
        for zone in item.config.zones:
            day = total.zones.get(zone.zone_id) or ZoneDay()
            energy = day.kwh.get("heat", 0.0) + day.kwh.get("cool", 0.0)
            area = _zone_area(item.config, zone.zone_id)
            per_dd = _per_dd(energy, dd, observed)
            per_m2 = _per_dd(energy / area, dd, observed) if area else None
            rows.append(
                {
                    "system_id": item.system_id,
                    "zone_id": zone.zone_id,
                    "name": names[zone.zone_id],
                    "topology": item.config.topology.value,
                    "kwh_per_degree_day": per_dd["value"],
                    "kwh_per_degree_day_per_m2": None if per_m2 is None else per_m2["value"],
                    "confidence": per_dd["confidence"],
                }
            )
    with_area = [r for r in rows if r["kwh_per_degree_day_per_m2"] is not None]
    key = "kwh_per_degree_day_per_m2" if rows and len(with_area) == len(rows) else None
    key = key or "kwh_per_degree_day"
    ranked = sorted(rows, key=lambda r: (r[key] is None, -(r[key] or 0.0), r["name"]))
    for index, row in enumerate(ranked, start=1):
        row["rank"] = index if row[key] is not None else None
    return {"ranked_by": key, "method": RANKING_METHOD, "zones": ranked}


def _modelled_duct_loss(
    item: SystemReportInput,
    buckets: Sequence[DayBucket],
    prior: float | None,
    observed_days: float,
    reference: dict[str, Any],
    params: EstimateParams,
) -> dict[str, Any] | None:
    """The ASHRAE 152 duct-loss estimate, None where it cannot run (see `duct_model`).

    It needs ducts in a modelled location, the floor area of every zone the unit serves (the
    duct surface follows from it) and running time with the duct space's temperature known.
    """
    zones = item.config.zones
    if item.duct_location not in MODELLED_LOCATIONS or not zones:
        return None
    if not all(zone.floor_area and zone.floor_area > 0.0 for zone in zones):
        return None
    ducts = Ducts(
        floor_area_m2=sum(float(zone.floor_area or 0.0) for zone in zones),
        leakage=item.duct_leakage or "typical",
        r_value=item.duct_r_value,
    )
    model = item.ledger.energy_model or EnergyModel(unit=item.ledger.temperature_unit)
    losses = mode_losses(ducts, buckets, model, item.ledger.temperature_unit)
    return duct_model_estimate(
        losses,
        ducts,
        measured_space=item.duct_space_measured,
        prior=prior,
        observed_days=observed_days,
        reference=reference.get("raw"),
        params=params,
    )


def build_report(
    systems: Sequence[SystemReportInput],
    start: date,
    end: date,
    params: EstimateParams = DEFAULT_PARAMS,
) -> dict[str, Any]:
    """The structured report over the local dates ``start``..``end`` (JSON-safe)."""
    totals: list[tuple[SystemReportInput, DayBucket]] = []
    sections: list[dict[str, Any]] = []
    days: list[list[DayBucket]] = []
    for item in systems:
        buckets = item.ledger.days(start, end)
        total = merge_days(buckets, end)
        totals.append((item, total))
        days.append(buckets)
        sections.append(_system_section(item, total, buckets, params))
    observed_days = min((t.system.observed_s for _, t in totals), default=0.0) / 86400.0
    for section, (item, total), buckets in zip(sections, totals, days, strict=True):
        if item.config.topology is not Topology.DUCTED:
            continue
        ductless_items = [(i, t) for i, t in totals if i.config.topology is Topology.MINI_SPLIT]
        results = []
        for mode in (Mode.HEAT, Mode.COOL):
            ducted_side, dd = _side([(item, total)], mode)
            ductless_side, _ = _side(ductless_items, mode)
            results.append((dd, ducted_side, ductless_side))
        # The mode with more degree days speaks for the period.
        dd, ducted_side, ductless_side = max(results, key=lambda r: r[0])
        prior = duct_prior(item.duct_location, item.duct_leakage)
        own_days = total.system.observed_s / 86400.0
        reference = duct_loss(
            ducted_side,
            ductless_side,
            prior=prior,
            observed_days=min(observed_days, own_days),
            degree_days=dd,
            params=params,
            prior_range=duct_prior_range(item.duct_location),
        )
        # The model needs only this system's own days (not the ductless rooms' as well).
        modelled = _modelled_duct_loss(item, buckets, prior, own_days, reference, params)
        section["duct_loss"] = modelled or reference
    notes: list[str] = []
    if observed_days < params.min_days:
        notes.append(
            f"{observed_span(observed_days)}: per-degree-day figures and estimates "
            f"need at least {params.min_days:g} days and {params.min_degree_days:g} degree days."
        )
    return {
        "period": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "days": (end - start).days + 1,
        },
        "systems": sections,
        "comparison": _comparison(totals),
        "zone_ranking": _ranking(totals),
        "notes": notes,
    }


def system_estimates(systems: Sequence[SystemReportInput], now: float) -> dict[str, Any]:
    """The first system's zoning-savings, duct-loss and ENERGY STAR runtime-savings estimates,
    as its sensors show them.

    Over the `ESTIMATE_WINDOW_DAYS` local days ending today. Every other system takes part, so a
    mixed home's ductless rooms are the duct-loss cross-check (or fallback) of its ducted systems.
    """
    today = local_date(now, systems[0].ledger.tz)
    start = today - timedelta(days=ESTIMATE_WINDOW_DAYS - 1)
    section = build_report(systems, start, today)["systems"][0]
    return {
        "zoning_savings": section["zoning_savings"],
        "duct_loss": section.get("duct_loss"),
        "energy_star_savings": section["energy_star_savings"],
    }
