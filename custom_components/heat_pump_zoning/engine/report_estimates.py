"""The report's two estimates, zoning savings and duct losses, and how sure they are.

Nobody publishes these from runtime logs (DOMAIN.md), so both are stated with their method and
assumptions and come with a confidence: "insufficient" (value None: too little data, never a
made-up number), "low", "medium" or "high". Neither estimate claims "high" until it has been
checked against the simulator's ground truth.

Zoning savings (`zoning_savings`, method id ``zone_loss_coefficients``)
    Plain language: *"Each room's heat loss is learnt from its own log: runtime it received per
    degree of indoor-outdoor difference on the days it asked for heat or cooling. The estimate
    then asks how long the system would have run to hold every room at the temperature of the
    most demanding room that day (the house without zoning), and compares that with the runtime
    it actually used."*

    Per mode (heat, cool) and day d, with daily mean temperatures, zone i's difference is
    D_id = s * (T_in,id - T_out,d), s = +1 heating, -1 cooling. Zone i's loss coefficient
    a_i = sum_d R_id / sum_d D_id (R = runtime attributed to the zone) over the days it called in
    that mode with D_id >= ``min_delta_t`` (the EPA connected-thermostat idea of runtime per
    degree, per zone). A zone that never called gets a_i from the others in proportion to its
    design airflow (ducts are sized to each room's design load; floor area or equal shares where
    airflow is meaningless). The unzoned house holds every room at T_c,d: the warmest room that
    called for heat (coolest for cooling), or the weight-averaged temperature of the calling
    rooms with ``comfort_reference="mean"``. Unzoned runtime U_d = sum_i a_i * s * (T_c,d -
    T_out,d) ("balanced" ducts) or, with ``unzoned="worst_zone"``, s * (T_c,d - T_out,d) *
    max_i a_i / f_i (unbalanced ducts: the system runs until the room with the smallest airflow
    share f_i is satisfied). Savings = 1 - sum of zoned runtime / sum of U_d over the usable
    days; energy saved assumes energy proportional to runtime at the same outdoor temperature.
    Assumptions: room losses are linear in the indoor-outdoor difference; heat moving between
    rooms is inside the learnt coefficients (the sum over rooms cancels it, to first order); solar
    and internal gains scale with the coefficients; runtime ~ energy at the same outdoor
    temperature.

Duct-loss share (`duct_loss`, method ids ``ductless_reference`` and ``duct_prior``)
    Plain language: *"Rooms served by ductless heads are the yardstick: they get all the heat their
    unit makes. A ducted room needing more energy per square metre and degree day than the
    ductless rooms (after allowing for the two units' efficiency) is assumed to lose the
    difference in its ducts. Without ductless rooms, the share comes from where the ducts run and
    how well they are sealed (published ranges), with low confidence."*

    L = 1 - (COP_ductless · e_ductless) / (COP_ducted · e_ducted), e = kWh / (degree day · m²),
    COP from each system's energy model at the period's mean outdoor temperature. Assumes the
    rooms on both sides lose about the same heat per m² and degree; it cannot tell duct losses
    from a leakier room, hence "medium" at best.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .energy import EnergyModel
from .ledger_days import DayBucket
from .model import Mode, SystemConfig, Topology

Confidence = Literal["insufficient", "low", "medium", "high"]

MIN_DAYS = 3.0
MIN_DEGREE_DAYS = 5.0

ZONING_METHOD = {
    "id": "zone_loss_coefficients",
    "description": (
        "Each room's heat loss is learnt from its own log: runtime it received per degree of "
        "indoor-outdoor difference on the days it asked for heat or cooling. The estimate asks "
        "how long the system would have run to hold every room at the temperature of the most "
        "demanding room that day (the house without zoning), and compares that with the runtime "
        "it actually used."
    ),
}
DUCT_DATA_METHOD = {
    "id": "ductless_reference",
    "description": (
        "Rooms served by ductless heads are the yardstick: they get all the heat their unit "
        "makes. A ducted room needing more energy per square metre and degree day than the "
        "ductless rooms (after allowing for the two units' efficiency) is assumed to lose the "
        "difference in its ducts."
    ),
}
DUCT_PRIOR_METHOD = {
    "id": "duct_prior",
    "description": (
        "Taken from where the ducts run and how well they are sealed, using published ranges "
        "(US DOE: 25-40 % lost from attic ducts; IECC-sealed ducts leak 4-8 %; unsealed 20-30 %; "
        "California's reference design assumes 80 % distribution efficiency). Not measured."
    ),
}

# Duct-loss prior (share of the unit's output lost before it reaches the rooms), by where the
# ducts run and how tight they are. Sources: DOMAIN.md (DOE 25-40 % attic; IECC sealed 4-8 %
# leakage, unsealed 20-30 %; Title 24 reference 80 % distribution efficiency). Leaks and
# conduction inside the conditioned space largely stay in the house, hence the small figures.
DUCT_LOCATIONS = ("conditioned", "basement", "crawlspace", "attic", "garage", "outside")
DUCT_LEAKAGE = ("sealed", "typical", "leaky")
DUCT_PRIOR: Mapping[str, Mapping[str, float]] = {
    "conditioned": {"sealed": 0.03, "typical": 0.06, "leaky": 0.10},
    "basement": {"sealed": 0.08, "typical": 0.15, "leaky": 0.22},
    "crawlspace": {"sealed": 0.12, "typical": 0.20, "leaky": 0.28},
    "attic": {"sealed": 0.15, "typical": 0.25, "leaky": 0.35},
    "garage": {"sealed": 0.12, "typical": 0.20, "leaky": 0.30},
    "outside": {"sealed": 0.18, "typical": 0.28, "leaky": 0.40},
}


@dataclass(frozen=True, slots=True)
class EstimateParams:
    """Knobs of the estimates (defaults are the documented method)."""

    min_days: float = MIN_DAYS  # observed days below which nothing is estimated
    min_degree_days: float = MIN_DEGREE_DAYS
    min_delta_t: float = 1.0  # smallest daily indoor-outdoor difference used (system unit)
    comfort_reference: Literal["extreme", "mean"] = "extreme"
    unzoned: Literal["balanced", "worst_zone"] = "balanced"
    duct_prior_weight: float = 0.0  # blend of the prior into a data-based duct-loss figure
    duct_disagreement: float = 0.15  # data vs prior gap that lowers confidence to "low"


DEFAULT_PARAMS = EstimateParams()


def degree_day_confidence(observed_days: float, degree_days: float) -> Confidence:
    """How far a per-degree-day figure can be trusted from the amount of data behind it."""
    if observed_days < MIN_DAYS or degree_days < MIN_DEGREE_DAYS:
        return "insufficient"
    if observed_days < 7.0 or degree_days < 20.0:
        return "low"
    if observed_days < 30.0 or degree_days < 100.0:
        return "medium"
    return "high"


def estimate(
    value: float | None,
    confidence: Confidence,
    method: Mapping[str, str],
    **extra: Any,
) -> dict[str, Any]:
    """The response shape of every estimate (value None whenever data are insufficient)."""
    if confidence == "insufficient" or value is None:
        value, confidence = None, "insufficient"
    return {
        "value": None if value is None else round(value, 4),
        "confidence": confidence,
        "method": dict(method),
        **extra,
    }


def _fallback_weights(config: SystemConfig) -> dict[str, float]:
    """Per-zone weights that stand in for a room's load when its log cannot tell."""
    zones = config.zones
    if config.topology is Topology.DUCTED:
        return {z.zone_id: max(z.airflow, 0.0) for z in zones}
    if zones and all(z.floor_area for z in zones):
        return {z.zone_id: float(z.floor_area or 0.0) for z in zones}
    return {z.zone_id: 1.0 for z in zones}


def zoning_savings(
    config: SystemConfig,
    buckets: Sequence[DayBucket],
    params: EstimateParams = DEFAULT_PARAMS,
) -> dict[str, Any]:
    """Zoning-savings estimate for one system over some days (see module docstring)."""
    weights = _fallback_weights(config)
    total_weight = sum(weights.values())
    observed_days = sum(b.system.observed_s for b in buckets) / 86400.0
    zoned_total = unzoned_total = kwh_total = degree_days = 0.0
    used_days = 0
    fallback_zones: set[str] = set()
    for mode in (Mode.HEAT, Mode.COOL):
        key, sign = mode.value, (1.0 if mode is Mode.HEAT else -1.0)
        # 1. Each zone's loss coefficient (runtime seconds per kelvin-day) from its calling days.
        runtime_sum: dict[str, float] = {}
        delta_sum: dict[str, float] = {}
        for bucket in buckets:
            outdoor = bucket.system.outdoor_mean
            for zone_id, zone in bucket.zones.items():
                indoor = zone.temperature_mean
                if outdoor is None or indoor is None or not zone.calling_s.get(key):
                    continue
                delta = sign * (indoor - outdoor)
                if delta >= params.min_delta_t:
                    runtime_sum[zone_id] = runtime_sum.get(zone_id, 0.0) + zone.runtime_s.get(
                        key, 0
                    )
                    delta_sum[zone_id] = delta_sum.get(zone_id, 0.0) + delta
        alpha = {z: runtime_sum[z] / delta_sum[z] for z in runtime_sum}
        if not alpha:
            continue
        known = [z for z in alpha if weights.get(z, 0.0) > 0.0]
        known_weight = sum(weights[z] for z in known)
        per_weight = sum(alpha[z] for z in known) / known_weight if known_weight else 0.0
        for zone_id, weight in weights.items():
            if zone_id not in alpha:
                alpha[zone_id] = per_weight * weight
                fallback_zones.add(zone_id)
        # 2. The unzoned runtime of every usable day against the zoned one.
        for bucket in buckets:
            outdoor = bucket.system.outdoor_mean
            temps: list[tuple[float, float]] = []
            for zone_id, zone in bucket.zones.items():
                indoor = zone.temperature_mean
                if zone.calling_s.get(key) and indoor is not None:
                    temps.append((indoor, weights.get(zone_id, 0.0) or 1.0))
            zoned = bucket.system.runtime_s.get(key, 0.0)
            if outdoor is None or not temps or zoned <= 0.0:
                continue
            if params.comfort_reference == "mean":
                comfort = sum(t * w for t, w in temps) / sum(w for _, w in temps)
            else:
                comfort = max(sign * t for t, _ in temps) * sign
            delta_c = max(0.0, sign * (comfort - outdoor))
            if params.unzoned == "worst_zone" and total_weight > 0.0:
                worst = max(
                    alpha[z] * total_weight / weights[z] for z in alpha if weights.get(z, 0.0) > 0
                )
                unzoned = delta_c * worst
            else:
                unzoned = delta_c * sum(alpha.values())
            zoned_total += zoned
            unzoned_total += unzoned
            kwh_total += bucket.system.kwh.get(key, 0.0)
            degree_days += bucket.system.hdd if mode is Mode.HEAT else bucket.system.cdd
            used_days += 1
    confidence: Confidence = degree_day_confidence(observed_days, degree_days)
    if len(weights) < 2 or used_days < params.min_days or degree_days < params.min_degree_days:
        confidence = "insufficient"
    elif confidence != "insufficient":
        confidence = "low" if fallback_zones or used_days < 14 or degree_days < 30 else "medium"
    value = 1.0 - zoned_total / unzoned_total if unzoned_total > 0.0 else None
    saved_kwh = None
    if value is not None and zoned_total > 0.0 and confidence != "insufficient":
        saved_kwh = round(kwh_total * (unzoned_total / zoned_total - 1.0), 3)
    return estimate(
        value,
        confidence,
        ZONING_METHOD,
        zoned_runtime_hours=round(zoned_total / 3600.0, 3),
        unzoned_runtime_hours=round(unzoned_total / 3600.0, 3),
        saved_kwh=saved_kwh,
        days_used=used_days,
        zones_without_own_data=sorted(fallback_zones),
        parameters={"comfort_reference": params.comfort_reference, "unzoned": params.unzoned},
    )


def duct_prior(location: str | None, leakage: str | None) -> float | None:
    """The published-range prior for a duct location and leakage class (None if unknown)."""
    if location is None or location not in DUCT_PRIOR:
        return None
    return DUCT_PRIOR[location].get(leakage or "typical", DUCT_PRIOR[location]["typical"])


@dataclass(frozen=True, slots=True)
class DuctSide:
    """Energy per degree day and m² of one side (ducted or ductless) for one mode."""

    kwh: float
    degree_day_area: float  # sum over systems of degree days x conditioned floor area
    cop: float  # energy-weighted COP of the side's units
    zones: int


def duct_loss(
    ducted: DuctSide | None,
    ductless: DuctSide | None,
    *,
    prior: float | None,
    observed_days: float,
    degree_days: float,
    params: EstimateParams = DEFAULT_PARAMS,
) -> dict[str, Any]:
    """Duct-loss share (0-1) of a ducted system's output (see module docstring)."""
    data_value: float | None = None
    if (
        ducted is not None
        and ductless is not None
        and ducted.kwh > 0.0
        and ductless.kwh > 0.0
        and ducted.degree_day_area > 0.0
        and ductless.degree_day_area > 0.0
    ):
        e_ducted = ducted.kwh / ducted.degree_day_area
        e_ductless = ductless.kwh / ductless.degree_day_area
        data_value = 1.0 - (ductless.cop * e_ductless) / (ducted.cop * e_ducted)
    enough = observed_days >= params.min_days and degree_days >= params.min_degree_days
    notes: list[str] = []
    if data_value is not None and enough and ducted is not None:
        raw = data_value
        value = min(0.6, max(0.0, raw))
        if raw != value:
            notes.append("data-based figure was outside 0-60 % and was clamped")
        confidence: Confidence = "low"
        if observed_days >= 14 and degree_days >= 30 and ducted.zones >= 2 and raw == value:
            confidence = "medium"
        if prior is not None:
            if abs(value - prior) > params.duct_disagreement:
                confidence = "low"
                notes.append("data-based figure disagrees with the duct prior")
            w = min(1.0, max(0.0, params.duct_prior_weight))
            value = (1.0 - w) * value + w * prior
        return estimate(
            value, confidence, DUCT_DATA_METHOD, prior=prior, raw=round(raw, 4), notes=notes
        )
    if prior is not None:
        if data_value is None:
            notes.append("no ductless rooms with floor area to compare with")
        else:
            notes.append("not enough days or degree days for the data-based figure")
        return estimate(prior, "low", DUCT_PRIOR_METHOD, prior=prior, raw=None, notes=notes)
    notes.append("needs ductless rooms with floor areas, or the duct location and leakage")
    return estimate(None, "insufficient", DUCT_DATA_METHOD, prior=None, raw=None, notes=notes)


def model_cop(model: EnergyModel | None, mode: Mode, outdoor: float | None) -> float:
    """A unit's COP at the period's mean outdoor temperature (1.0 without a model)."""
    return model.cop(mode, outdoor) if model is not None else 1.0
