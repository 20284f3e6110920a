"""The report's two estimates, zoning savings and duct losses, and how sure they are.

Nobody publishes these from runtime logs (DOMAIN.md), so both are stated with their method and
assumptions and come with a confidence: "insufficient" (value None: too little data, never a
made-up number), "low", "medium" or "high". Checked against the simulator's ground truth
(`benchmarks/bench_accuracy.py`): each section below says how they fare and why.

Zoning savings (`zoning_savings`, method id ``comfort_gap_regression``)
    Plain language: *"For every minute the log keeps how far each room was from the temperature
    the house would have been held at without zoning (the most demanding room's target). How much
    energy one more degree indoors costs is learnt from the log: the extra energy the system
    used on colder (or, in cooling, hotter) days per degree of indoor-outdoor difference. The
    savings are the energy those missing degrees would have cost, against the energy used plus
    that; the cost is multiplied by a factor measured in simulated houses for the heat a warmer
    room also loses to the ground and to other systems' rooms, which the weather cannot show."*

    Per mode (heat, cool; s = +1 heating, -1 cooling) and usable day d (outdoor mean known, a
    comfort temperature recorded, energy used in that mode):

    - Comfort gap G_id (K·day): the ledger's integral of max(0, s·(T*_t - T_i,t)) dt / 1 day,
      where T*_t is the most demanding zone target in force at t less a quarter of the tolerance
      (where the controller holds a room on average, `sampling.comfort_temperatures`). Rooms the
      sun keeps warmer than T* have no gap, as they would not in an unzoned house either.
    - Output proxy y_d = E_d · COP(T_out,d): the day's energy in that mode times the unit's COP
      from its energy model at the day's mean outdoor temperature (1 without a model), so colder
      days' lower COP is not mistaken for more heat loss.
    - Zone weights w_i (sum 1): each zone's share of sum_d y_id / sum_d D_id, the energy it was
      attributed per degree of indoor-outdoor difference D_id = s·(T_i,d - T_out,d) on the days it
      called with D_id >= ``min_delta_t`` (the EPA connected-thermostat coefficient, per zone). A
      zone that never called gets a weight from its design airflow (ducts are sized to each
      room's design load), else floor area, else an equal share.
    - Marginal cost of a degree b (output per kelvin-day): the slope of the least-squares line
      y_d = b · x_d + c across days, x_d = sum_i w_i·D_id. The slope, not the ratio y/x, because
      solar and internal gains (and heat from the ground or other floors) are an offset c: a
      through-origin ratio understates what a degree costs in heating and overstates it in
      cooling (demo house: 0.64x the slope in winter, 7x in summer). Without a line (fewer than
      ``min_fit_days`` usable days, no spread of outdoor temperature, or a slope that is not
      positive) the mode is left out with a note, and with no mode left the estimate is
      "insufficient".
    - Savings = dE / (E + dE), E = sum_d E_d, dE = sum_d b · sum_i w_i·G_id / COP(T_out,d).

    Assumptions: losses linear in the indoor-outdoor difference; heat moving between zones of the
    system cancels in the sum; energy ~ output / COP at the same outdoor temperature. Known
    limit, measured in the simulator (docs/BENCHMARKS.md): day-to-day outdoor swings only show
    the conductance to outdoors, damped by the building's mass. A room held warmer also loses
    heat to the ground and to rooms of *other* systems (floors, stairs), which no outdoor
    regression can see; in the demo house those paths are about as large as the outdoor one, and
    the estimate comes out at about half the truth. Hence its confidence is "low" at best.
    Measuring instead (alternate blocks of days holding every room) was tried in the simulator and
    does no better over a month: the weather leaves a standard error of 3-6 points
    (`benchmarks/bench_switchback.py`).

    The figure and its interval (`value`, `low`, `high`, 80 %; `savings_interval`): the gap's
    cost dE is scaled by what those blind spots were measured to add in the simulator (the
    median truth over the estimate, `SAVINGS_TRUTH_RATIO`); the interval combines, in
    quadrature on a log scale and on each side, the spread of that ratio (its 10th and 90th
    percentiles) with the slopes' t intervals (the weather's part); before a fit, it is
    `SAVINGS_PRIOR`. Where it is wider than the estimate the value is withheld (None) and
    `days_to_narrow` says how many more days would narrow it (None: more days will not).
    `benchmarks/bench_savings.py` scores its coverage.

Duct-loss share from the ducts' physics (``ashrae152_delivery_effectiveness``)
    ASHRAE Standard 152's delivery effectiveness over the logged running minutes (`duct_model`
    has the method, its defaults and assumptions). It is the report's figure wherever it can run
    (ducts outside the living space, every zone's floor area known, 10 running hours with the
    duct space's temperature); "medium" with a sensor in the duct space, "low" with outdoors
    standing in for it. In the simulator its steady figure is within 2-3 pp of the truth
    (docs/BENCHMARKS.md), but the simulator's ducts follow the same equations: that checks the
    bookkeeping, not the declared duct figures. Real ducts lose more than those steady equations
    count: return leaks that draw the duct space's air, the heat the ducts' walls take at every
    start and lose after it, leakage rising as dampers close. The figure (``value``, unclamped
    ``raw``; the steady equations' alone as ``steady``) adds the first two from typical figures
    and the log's starts, and ``low``/``high`` (80 %) spread each part over its range
    (`duct_model.loss_range`). The two methods below remain as the
    cross-check (the data-based one is returned as ``ductless_reference``) and the fallback.

Duct-loss share, fallbacks (`duct_loss`, method ids ``ductless_reference`` and ``duct_prior``)
    Plain language: *"Rooms served by ductless heads are the yardstick: they get all the heat their
    unit makes. A ducted room needing more energy per square metre and degree day than the
    ductless rooms (after allowing for the two units' efficiency) is assumed to lose the
    difference in its ducts. Without ductless rooms, the share comes from where the ducts run and
    how well they are sealed (published ranges), with low confidence."*

    L = 1 - (COP_ductless · e_ductless) / (COP_ducted · e_ducted), e = kWh / (degree day · m²),
    COP from each system's energy model at the period's mean outdoor temperature. Assumes the
    rooms on both sides lose about the same heat per m² and degree, and that the energy models'
    COPs are the installed ones. Neither can be checked from the log, and in the simulator both
    fail by more than the duct loss itself (30 days, seed 1): the ductless rooms upstairs (under
    the roof, one corner room) need 1.6x (winter) and 1.4x (summer) the heat per m² of the
    ducted rooms, and the ducted unit delivers 33 % (winter) / 25 % (summer) less per kWh than
    its nameplate model (installed blower power, 7-8 minute cycles losing output at every start).
    With the simulator's true COPs the formula gives about -28 % / -19 % against 21 % / 13 %;
    with the model COPs the two errors cancel to 16 % / 20 %. Hence "low" confidence only: the
    figure is a comparison to read with the prior, not a measurement of the ducts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
import math
from typing import Any, Final, Literal

from ..ledger.days import DayBucket
from ..ledger.energy import EnergyModel
from ..model import Mode, SystemConfig, Topology
from .duct_model import Z80, Ducts, ModeLoss, loss_range

Confidence = Literal["insufficient", "low", "medium", "high"]

MIN_DAYS = 3.0
MIN_DEGREE_DAYS = 5.0
# What the method's blind spots do to the gap's cost. It cannot see the heat a warmer room
# loses to the ground and to other systems' rooms, so it reads low: the truth over the
# estimate (in kWh of the gap's cost) over the calibration set's 32 fitted 30-day lines (the
# demo house on 2 seeds and 6 family variants, winter and summer, both systems; `bench_savings`
# prints it) had its 10th percentile, median and 90th percentile here. The figure is the
# estimate times the median; the interval spreads it by the other two (docs/METHODS.md).
SAVINGS_TRUTH_RATIO: Final = (1.37, 1.97, 2.64)
# The same for a system that is the only one in its house (`alone`), measured on those houses
# with their floors' heat exchange removed (no other system's rooms to lose heat to; the
# ground is still there): the line reads about right in winter and high in summer.
SAVINGS_TRUTH_RATIO_ALONE: Final = (0.44, 0.99, 1.50)
# Before a cost of a degree can be fitted: what zoning saved over the demo house's eight lines
# (2.7-19.8 %, 30 days), rounded out. An 80 % range like the fitted interval, not the whole
# plausible one (0-35 % held the truth in 96-100 % of the family's runs: an interval that says
# nothing; docs/BENCHMARKS.md). Published claims are too weak to set it (DOMAIN.md).
SAVINGS_PRIOR: Final = (0.025, 0.20)
SAVINGS_HORIZON_DAYS: Final = 365  # the longest wait the report names for a narrower interval
# t quantiles for a two-sided 80 % interval, by degrees of freedom (normal beyond 30)
_T80: Final = {
    1: 3.078,
    2: 1.886,
    3: 1.638,
    4: 1.533,
    5: 1.476,
    6: 1.440,
    7: 1.415,
    8: 1.397,
    9: 1.383,
    10: 1.372,
    12: 1.356,
    15: 1.341,
    20: 1.325,
    30: 1.310,
}

ZONING_METHOD = {
    "id": "comfort_gap_regression",
    "description": (
        "For every minute the log keeps how far each room was from the temperature the house "
        "would have been held at without zoning (the most demanding room's target). What one "
        "more degree indoors costs is learnt from the log: the extra energy used on colder (or, "
        "in cooling, hotter) days per degree of indoor-outdoor difference. The savings are the "
        "energy those missing degrees would have cost, against the energy used plus that; the "
        "cost is multiplied by a factor measured in simulated houses for the heat a warmer room "
        "also loses to the ground and to other systems' rooms, which the weather cannot show "
        f"({SAVINGS_TRUTH_RATIO[1]:g} in a house with other systems, "
        f"{SAVINGS_TRUTH_RATIO_ALONE[1]:g} for the only one)."
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
DUCT_MODEL_METHOD = {
    "id": "ashrae152_delivery_effectiveness",
    "description": (
        "Computed from the ducts' physics (ASHRAE Standard 152): while the unit runs, part of "
        "its air leaks out of the supply ducts and the rest exchanges heat with the space they "
        "run through. The log keeps the temperatures of the rooms, of that space and outdoors "
        "for every running minute; the ducts' size, insulation and tightness are the declared "
        "or default figures, not measured. Real ducts also lose through return leaks and the "
        "heat their walls take at every start (counted from the log's starts); those come from "
        "typical figures, with a range."
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
    min_fit_days: int = 7  # days needed to fit the cost of a degree (else runtime per degree)
    duct_prior_weight: float = 0.0  # blend of the prior into a data-based duct-loss figure
    duct_disagreement: float = 0.15  # data vs prior gap that adds a note
    # The savings interval (80 %): what the method's blind spots do to it, as the truth over
    # the estimate (docs/METHODS.md#zoning-savings), and the range before a fit.
    savings_truth_low: float = SAVINGS_TRUTH_RATIO[0]
    savings_truth_mid: float = SAVINGS_TRUTH_RATIO[1]
    savings_truth_high: float = SAVINGS_TRUTH_RATIO[2]
    savings_truth_alone: tuple[float, float, float] = SAVINGS_TRUTH_RATIO_ALONE
    savings_prior: tuple[float, float] = SAVINGS_PRIOR


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
    *,
    ranged: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """The response shape of every estimate (value None whenever data are insufficient).

    `ranged`: the estimate has an interval (`low`, `high` in `extra`) that stands even while
    the value is withheld (None because the interval is wider than it): the confidence stays.
    """
    if confidence == "insufficient" or (value is None and not ranged):
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


@dataclass(frozen=True, slots=True)
class _Fit:
    """A least-squares line: slope, intercept, R², the slope's standard error (widened for
    residuals that persist from day to day) and the effective number of days behind it."""

    slope: float
    intercept: float
    r2: float
    slope_se: float
    n_effective: float


def _line(points: Sequence[tuple[float, float]]) -> _Fit | None:
    """Least-squares line of (x, y) points in date order; None without a spread of x.

    Weather and a building's mass make a day's residual resemble the day before's: with lag-1
    autocorrelation rho > 0 of the residuals the days count as n (1 - rho) / (1 + rho)
    independent ones (ASHRAE Guideline 14), and the slope's standard error grows by
    sqrt((1 + rho) / (1 - rho))."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    syy = sum((y - mean_y) ** 2 for _, y in points)
    if sxx <= 1e-9 * n:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    intercept = mean_y - slope * mean_x
    r2 = slope * slope * sxx / syy if syy > 0.0 else 1.0
    residuals = [y - intercept - slope * x for x, y in points]
    ssr = sum(r * r for r in residuals)
    if n <= 2:
        return _Fit(slope, intercept, r2, math.inf, float(n))
    effective = effective_days(n, residuals)
    slope_se = math.sqrt(ssr / (n - 2) / sxx) * math.sqrt(n / effective)
    return _Fit(slope, intercept, r2, slope_se, effective)


def effective_days(n: int, residuals: Sequence[float]) -> float:
    """How many independent days `n` days of residuals in date order count as:
    n (1 - rho) / (1 + rho), rho their lag-1 autocorrelation clamped to 0-0.9 (ASHRAE
    Guideline 14)."""
    rho = min(max(lag1(residuals), 0.0), 0.9)
    return n * (1.0 - rho) / (1.0 + rho)


def lag1(residuals: Sequence[float]) -> float:
    """Lag-1 autocorrelation of a series (0 when it has no spread)."""
    mean = sum(residuals) / len(residuals)
    var = sum((r - mean) ** 2 for r in residuals)
    if var <= 0.0:
        return 0.0
    return sum((a - mean) * (b - mean) for a, b in pairwise(residuals)) / var


def t80(degrees_of_freedom: int) -> float:
    """The t quantile of a two-sided 80 % interval (the nearest tabled one at or below; one
    degree of freedom's below one, the normal's beyond 30)."""
    if degrees_of_freedom > 30:
        return Z80
    return _T80[max([df for df in _T80 if df <= degrees_of_freedom], default=1)]


@dataclass(slots=True)
class _ModeDays:
    """One mode's usable days: (outdoor mean, COP, energy, per-zone temperature and gap)."""

    days: list[tuple[float, float, float, dict[str, float], dict[str, float]]]
    zone_weights: dict[str, float]
    fallback_zones: set[str]


def _mode_days(
    config: SystemConfig,
    buckets: Sequence[DayBucket],
    mode: Mode,
    model: EnergyModel | None,
    params: EstimateParams,
) -> _ModeDays | None:
    """The usable days of one mode and the zones' loss weights (None without any)."""
    key, sign = mode.value, (1.0 if mode is Mode.HEAT else -1.0)
    days = []
    output: dict[str, float] = {}
    delta: dict[str, float] = {}
    for bucket in buckets:
        outdoor = bucket.system.outdoor_mean
        energy = bucket.system.kwh.get(key, 0.0)
        if outdoor is None or energy <= 0.0 or not bucket.system.comfort_s.get(key):
            continue
        cop = model_cop(model, mode, outdoor)
        temps: dict[str, float] = {}
        gaps: dict[str, float] = {}
        for zone_id, zone in bucket.zones.items():
            indoor = zone.temperature_mean
            if indoor is None:
                continue
            temps[zone_id] = indoor
            gaps[zone_id] = zone.comfort_gap_ks.get(key, 0.0) / 86400.0
            d = sign * (indoor - outdoor)
            if zone.calling_s.get(key) and d >= params.min_delta_t:
                output[zone_id] = output.get(zone_id, 0.0) + zone.kwh.get(key, 0.0) * cop
                delta[zone_id] = delta.get(zone_id, 0.0) + d
        if temps:
            days.append((outdoor, cop, energy, temps, gaps))
    alpha = {z: output[z] / delta[z] for z in output if output[z] > 0.0}
    if not days or not alpha:
        return None
    weights = _fallback_weights(config)
    known = [z for z in alpha if weights.get(z, 0.0) > 0.0]
    known_weight = sum(weights[z] for z in known)
    per_weight = sum(alpha[z] for z in known) / known_weight if known_weight else 0.0
    fallback = set()
    for zone_id, weight in weights.items():
        if zone_id not in alpha:
            alpha[zone_id] = per_weight * weight
            fallback.add(zone_id)
    total = sum(alpha.values())
    return _ModeDays(days, {z: a / total for z, a in alpha.items()}, fallback)


@dataclass(slots=True)
class _Savings:
    """What the fits of the modes add up to: energy used, the gap's cost and its spread."""

    zoned_kwh: float = 0.0
    extra_kwh: float = 0.0
    extra_var: float = 0.0  # of the gap's cost from the slopes' errors (80 % half-width²)
    degree_days: float = 0.0
    used_days: int = 0
    unfitted_kwh: float = 0.0  # energy of modes whose cost of a degree could not be fitted

    def fraction(self, extra: float) -> float:
        """The savings share at a gap cost of ``extra`` kWh."""
        total = self.zoned_kwh + self.unfitted_kwh + extra
        return extra / total if total > 0.0 else 0.0


def zoning_savings(
    config: SystemConfig,
    buckets: Sequence[DayBucket],
    params: EstimateParams = DEFAULT_PARAMS,
    model: EnergyModel | None = None,
    *,
    alone: bool = False,
) -> dict[str, Any]:
    """Zoning-savings estimate for one system over some days (see module docstring), with an
    80 % interval (`savings_interval`); `alone`: the only system in its house (its ratios are
    `savings_truth_alone`)."""
    if alone:
        low_ratio, mid_ratio, high_ratio = params.savings_truth_alone
        params = replace(
            params,
            savings_truth_low=low_ratio,
            savings_truth_mid=mid_ratio,
            savings_truth_high=high_ratio,
        )
    observed_days = sum(b.system.observed_s for b in buckets) / 86400.0
    sums = _Savings()
    fallback_zones: set[str] = set()
    notes: list[str] = []
    fits: dict[str, dict[str, float | None]] = {}
    gapless = False  # a mode without any comfort gap: nothing saved there, nothing to fit
    for mode in (Mode.HEAT, Mode.COOL):
        data = _mode_days(config, buckets, mode, model, params)
        if data is None:
            continue
        sign = 1.0 if mode is Mode.HEAT else -1.0
        w = data.zone_weights
        points = [
            (sum(w.get(z, 0.0) * sign * (t - outdoor) for z, t in temps.items()), energy * cop)
            for outdoor, cop, energy, temps, _ in data.days
        ]
        degree_days = sum(
            (b.system.hdd if mode is Mode.HEAT else b.system.cdd)
            for b in buckets
            if b.system.kwh.get(mode.value, 0.0) > 0.0
        )
        line = _line(points) if len(points) >= params.min_fit_days else None
        if line is None or not _learnt(line):
            energy_used = sum(energy for _, _, energy, _, _ in data.days)
            if any(g > 0.0 for *_, gaps in data.days for g in gaps.values()):
                notes.append(
                    f"{mode.value}: what a degree costs could not be learnt (needs "
                    f"{params.min_fit_days} days with different outdoor temperatures)"
                )
                sums.unfitted_kwh += energy_used
            else:
                # No room ever strayed from where the unzoned house would have held it: zoning
                # saved nothing here, whatever a degree costs (the prior is for a gap of
                # unknown cost).
                sums.zoned_kwh += energy_used
                gapless = True
            sums.degree_days += degree_days
            sums.used_days += len(data.days)
            continue
        fits[mode.value] = {
            "slope": round(line.slope, 4),
            "intercept": round(line.intercept, 4),
            "r2": round(line.r2, 3),
            "slope_se": round(line.slope_se, 4),
        }
        cost = sum(
            sum(w.get(z, 0.0) * g for z, g in gaps.items()) / cop
            for _o, cop, _e, _t, gaps in data.days
        )
        sums.zoned_kwh += sum(energy for _, _, energy, _, _ in data.days)
        sums.extra_kwh += line.slope * cost
        sums.extra_var += (_t(line) * line.slope_se * cost) ** 2
        sums.degree_days += degree_days
        sums.used_days += len(data.days)
        fallback_zones |= data.fallback_zones
    # Never more than "low": the method misses the heat a warmer room loses to the ground and to
    # other systems' rooms (module docstring), measured at about half the savings in the demo.
    enough = (
        len(_fallback_weights(config)) >= 2
        and sums.used_days >= params.min_days
        and sums.degree_days >= params.min_degree_days
        and degree_day_confidence(observed_days, sums.degree_days) != "insufficient"
    )
    interval = _Interval(None, None, None, wide=True)
    value = None
    extra = params.savings_truth_mid * sums.extra_kwh  # the gap's cost, blind spots counted
    if enough:
        interval = savings_interval(sums, params, fitted=bool(fits or gapless))
        if (fits or gapless) and sums.unfitted_kwh == 0.0:
            value = sums.fraction(extra)
            if interval.wide:
                notes.append(_narrowing_note(interval.days_to_narrow))
                value = None
    return estimate(
        value,
        "low" if enough else "insufficient",
        ZONING_METHOD,
        ranged=True,
        zoned_kwh=round(sums.zoned_kwh + sums.unfitted_kwh, 3),
        unzoned_kwh=round(sums.zoned_kwh + sums.unfitted_kwh + extra, 3),
        saved_kwh=round(extra, 3) if value is not None else None,
        days_used=sums.used_days,
        zones_without_own_data=sorted(fallback_zones),
        fits=fits,
        notes=notes,
        low=None if interval.low is None else round(interval.low, 4),
        high=None if interval.high is None else round(interval.high, 4),
        days_to_narrow=interval.days_to_narrow,
    )


def _t(line: _Fit) -> float:
    """The 80 % t quantile for a fit's effective days."""
    return t80(math.floor(line.n_effective) - 2)


def _learnt(line: _Fit) -> bool:
    """Whether a fit tells what a degree costs: at least 3 effective days, and a slope its
    own 80 % interval keeps above zero (else the weather's scatter cannot tell it from none)."""
    return line.n_effective >= 3.0 and line.slope > _t(line) * line.slope_se


@dataclass(frozen=True, slots=True)
class _Interval:
    """The savings share's 80 % interval; `wide`: wider than the estimate (decided before
    rounding); how many more days would narrow it (None: more will not)."""

    low: float | None
    high: float | None
    days_to_narrow: int | None
    wide: bool


def savings_interval(sums: _Savings, params: EstimateParams, *, fitted: bool) -> _Interval:
    """The 80 % interval of the savings share, and how many more days would make it narrower
    than the estimate (None: more days will not; see `_days_to_narrow`).

    Fitted: around the gap's cost times the blind spots' median ratio, on each side the
    blind spots' spread (the log of that side's percentile over the median) and the weather's
    (the log of where the slopes' t interval puts the cost, over the cost) combined in
    quadrature: two independent parts of one 80 % interval, not one 80 % range stacked on
    another. A mode that could not be fitted adds its energy to the total, nothing at the low
    end and up to the prior's high end of its share at the high end. Before any fit: the prior
    range."""
    prior_low, prior_high = params.savings_prior
    total = sums.zoned_kwh + sums.unfitted_kwh
    if not fitted or not math.isfinite(sums.extra_var) or total <= 0.0:
        return _Interval(prior_low, prior_high, None, wide=True)
    half = math.sqrt(sums.extra_var)
    unfitted_share = sums.unfitted_kwh / total
    mid = params.savings_truth_mid
    spread_low = math.log(mid / params.savings_truth_low)
    spread_high = math.log(params.savings_truth_high / mid)
    cost = sums.extra_kwh

    def bounds(half_width: float) -> tuple[float, float]:
        if cost <= 0.0:  # no gap to cost: nothing saved, whatever the weather says
            low, high = 0.0, 0.0
        else:
            high = mid * cost * math.exp(math.hypot(spread_high, math.log1p(half_width / cost)))
            low = 0.0
            if half_width < cost:
                weather = -math.log1p(-half_width / cost)
                low = mid * cost * math.exp(-math.hypot(spread_low, weather))
        return sums.fraction(low), min(sums.fraction(high) + prior_high * unfitted_share, 1.0)

    low, high = bounds(half)
    value = sums.fraction(mid * cost)
    wide = high - low > value
    days = _days_to_narrow(bounds, half, sums.used_days, value) if wide else 0
    return _Interval(low, high, days, wide=wide)


def _days_to_narrow(bounds: Any, half: float, days: int, value: float) -> int | None:
    """More days until the interval is narrower than ``value``, its weather part shrinking as
    one over the square root of the days; None when even without it the interval stays wider
    (the method's blind spots) or it takes longer than `SAVINGS_HORIZON_DAYS`."""
    low, high = bounds(0.0)
    if value <= 0.0 or high - low > value or days <= 0:
        return None
    for more in range(1, SAVINGS_HORIZON_DAYS + 1):
        low, high = bounds(half * math.sqrt(days / (days + more)))
        if high - low <= value:
            return more
    return None


def _narrowing_note(days: int | None) -> str:
    if days is None:
        return (
            "the interval is wider than the estimate, and more days will not narrow it enough: "
            "the method cannot see the heat a warmer room loses to the ground and to other "
            "systems' rooms"
        )
    return f"the interval is wider than the estimate: about {days} more days would narrow it"


def duct_prior(location: str | None, leakage: str | None) -> float | None:
    """The published-range prior for a duct location and leakage class (None if unknown)."""
    if location is None or location not in DUCT_PRIOR:
        return None
    return DUCT_PRIOR[location].get(leakage or "typical", DUCT_PRIOR[location]["typical"])


def duct_prior_range(location: str | None) -> tuple[float, float] | None:
    """The published range of a duct location, from sealed to leaky ducts (None if unknown)."""
    if location is None or location not in DUCT_PRIOR:
        return None
    return DUCT_PRIOR[location]["sealed"], DUCT_PRIOR[location]["leaky"]


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
    prior_range: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Duct-loss share (0-1) of a ducted system's output (see module docstring); the prior's
    interval is `prior_range`, its location's sealed-to-leaky spread (`duct_prior_range`)."""
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
        confidence: Confidence = "low"  # never more: see the module docstring
        if prior is not None:
            if abs(value - prior) > params.duct_disagreement:
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
        low, high = prior_range or (prior, prior)
        shown: float | None = prior
        if high - low > prior:
            notes.append("the published range is wider than the figure, which is withheld")
            shown = None
        return estimate(
            shown,
            "low",
            DUCT_PRIOR_METHOD,
            ranged=True,
            prior=prior,
            raw=None,
            low=low,
            high=high,
            notes=notes,
        )
    notes.append("needs ductless rooms with floor areas, or the duct location and leakage")
    return estimate(None, "insufficient", DUCT_DATA_METHOD, prior=None, raw=None, notes=notes)


MIN_DUCT_MODEL_HOURS = 10.0  # running hours with every temperature known


def duct_model_estimate(
    losses: Mapping[Mode, ModeLoss],
    ducts: Ducts,
    *,
    measured_space: bool,
    prior: float | None,
    observed_days: float,
    reference: float | None,
    params: EstimateParams = DEFAULT_PARAMS,
) -> dict[str, Any] | None:
    """The duct-loss share from the ducts' physics (`duct_model`), None with too little data.

    Confidence "medium" when the duct space's temperature is measured (what is left uncertain is
    the declared duct tightness, insulation and size), "low" when outdoors stands in for it.
    ``reference`` is the ductless-reference figure, returned alongside as a cross-check.
    """
    hours = sum(loss.hours for loss in losses.values())
    found = loss_range(losses, ducts)
    if found is None or hours < MIN_DUCT_MODEL_HOURS or observed_days < params.min_days:
        return None
    notes = [
        "return leaks and the heat the ducts' own walls take at every start are typical "
        "figures, not measured; the interval covers their range"
    ]
    if not measured_space:
        notes.append(
            "no duct-space temperature sensor: the ducts' surroundings are taken at the outdoor "
            "temperature, which misses the sun on an attic (cooling losses come out too low)"
        )
    figure = min(0.6, max(0.0, found.value))
    if figure != found.value:
        notes.append("modelled figure was outside 0-60 % and was clamped")
    low, high = min(found.low, figure), max(found.high, figure)
    value: float | None = figure
    if high - low > figure:
        notes.append("the interval is wider than the figure, so the figure is withheld")
        value = None
    return estimate(
        value,
        "medium" if measured_space else "low",
        DUCT_MODEL_METHOD,
        ranged=True,
        prior=prior,
        raw=round(found.value, 4),
        steady=round(found.steady, 4),
        by_mode={mode.value: round(loss.share, 4) for mode, loss in losses.items()},
        running_hours=round(hours, 1),
        ductless_reference=None if reference is None else round(reference, 4),
        low=round(low, 4),
        high=round(high, 4),
        notes=notes,
    )


def model_cop(model: EnergyModel | None, mode: Mode, outdoor: float | None) -> float:
    """A unit's COP at the period's mean outdoor temperature (1.0 without a model)."""
    return model.cop(mode, outdoor) if model is not None else 1.0
