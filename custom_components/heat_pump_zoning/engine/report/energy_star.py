"""Runtime saved, by the EPA ENERGY STAR connected-thermostat method, per system and mode.

A second, recognised method beside `comfort_gap_regression` (DOMAIN.md: the EPA's
`epathermostat`), on the ledger's daily figures:

- **Core days** of a mode: days the system ran in that mode and not in the other one, observed
  for most of the day, with the outdoor mean and at least one room's mean known. The house's
  indoor temperature of a day is the mean of its zones' daily means.
- **Fit**: daily runtime (minutes) = α · max(s·(T_in - T_out) - τ, 0), s = +1 heating, -1
  cooling, least squares over a grid of τ (-10 to +10 K in half kelvins), α through the origin of
  the hinge. CV(RMSE) = RMSE / mean daily runtime, RMSE with n - 2 degrees of freedom.
- **Constant comfort baseline**: the 90th percentile of the daily indoor means in heating (10th
  in cooling). The method takes it from hourly readings; the ledger keeps daily means, so this
  one is lower in heating (higher in cooling) and the savings smaller.
- **Runtime saved** = sum over the core days of α · (hinge at the baseline - hinge at the day's
  indoor temperature), as a share of the baseline's runtime.
- **Interval** (80 %): ASHRAE Guideline 14's savings uncertainty for daily models,
  t · 1.26 · CV · baseline runtime · sqrt((n / n') (1 + 2 / n) / n), n' the days corrected for
  the residuals' lag-1 autocorrelation. The value is withheld where the interval is wider than
  it, as for the other estimate.

What it measures: runtime saved by the house being cooler (warmer, in cooling) on average than
its comfort temperature, whether by zoning or by setbacks in time. It is a runtime figure, not
energy, and it is blind to which room is cool: it is reported beside the zoning estimate, not
in its place. Its interval is the fit's own, and says so in its notes: against the simulator's
runtime saved by zoning it held in 75-79 % of two sets of runs from the first week on and 53 % of a
third, where cooling savings came from rooms held warmer while the mean barely moved
(docs/BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import math
from typing import Any, Final

from ..ledger.days import DayBucket
from ..model import Mode
from .estimates import Confidence, effective_days, estimate, t80

METHOD: Final = {
    "id": "energy_star_connected_thermostat",
    "description": (
        "The EPA ENERGY STAR connected-thermostat method: each day's runtime is fitted against "
        "the difference between the house's indoor and the outdoor temperature; the runtime "
        "saved is what that fit says the system would have run with the house held all day at "
        "its comfort temperature (the 90th percentile of the daily indoor means in heating, the "
        "10th in cooling), less what it ran."
    ),
}
BLIND_NOTE: Final = (
    "the interval is this method's own (the fit's scatter); the method sees only the house's "
    "mean temperature, not which rooms are held, so it can miss much of what zoning saves"
)
TAU_GRID: Final = tuple(x / 2.0 for x in range(-20, 21))
MIN_CORE_DAYS: Final = 7
MIN_OBSERVED_S: Final = 0.9 * 86400.0
PERCENTILE: Final = {Mode.HEAT: 0.9, Mode.COOL: 0.1}
G14_FACTOR: Final = 1.26
# "medium" from a month of core days fitted within ASHRAE Guideline 14's 25 % CV(RMSE)
MEDIUM_DAYS: Final = 30
MEDIUM_CV: Final = 0.25


@dataclass(frozen=True, slots=True)
class CoreDay:
    """One core day: runtime in minutes, the house's and the outdoor mean temperature."""

    runtime_min: float
    indoor: float
    outdoor: float


@dataclass(frozen=True, slots=True)
class HingeFit:
    """runtime = alpha · max(s·(indoor - outdoor) - tau, 0), and how well it fits."""

    alpha: float
    tau: float
    cv_rmse: float
    effective_days: float  # the days corrected for the residuals' lag-1 autocorrelation


def core_days(buckets: Sequence[DayBucket], mode: Mode) -> list[CoreDay]:
    """The mode's core days (module docstring), in date order."""
    other = Mode.COOL if mode is Mode.HEAT else Mode.HEAT
    days = []
    for bucket in sorted(buckets, key=lambda b: b.date):
        system = bucket.system
        runtime = system.runtime_s.get(mode.value, 0.0)
        means = [m for z in bucket.zones.values() if (m := z.temperature_mean) is not None]
        outdoor = system.outdoor_mean
        if (
            runtime <= 0.0
            or system.runtime_s.get(other.value, 0.0) > 0.0
            or system.observed_s < MIN_OBSERVED_S
            or outdoor is None
            or not means
        ):
            continue
        days.append(CoreDay(runtime / 60.0, sum(means) / len(means), outdoor))
    return days


def _hinge(sign: float, indoor: float, outdoor: float, tau: float) -> float:
    return max(sign * (indoor - outdoor) - tau, 0.0)


def fit(days: Sequence[CoreDay], sign: float) -> HingeFit | None:
    """The least-squares hinge over `TAU_GRID`; None with fewer than 3 days or no fit."""
    best: tuple[float, float, float] | None = None  # sse, alpha, tau
    for tau in TAU_GRID:
        xs = [_hinge(sign, d.indoor, d.outdoor, tau) for d in days]
        sxx = sum(x * x for x in xs)
        if sxx <= 0.0:
            continue
        alpha = sum(x * d.runtime_min for x, d in zip(xs, days, strict=True)) / sxx
        sse = sum((d.runtime_min - alpha * x) ** 2 for x, d in zip(xs, days, strict=True))
        if alpha > 0.0 and (best is None or sse < best[0]):
            best = (sse, alpha, tau)
    n = len(days)
    if best is None or n < 3:
        return None
    sse, alpha, tau = best
    mean = sum(d.runtime_min for d in days) / n
    residuals = [d.runtime_min - alpha * _hinge(sign, d.indoor, d.outdoor, tau) for d in days]
    return HingeFit(alpha, tau, math.sqrt(sse / (n - 2)) / mean, effective_days(n, residuals))


def percentile(values: Sequence[float], q: float) -> float:
    """The `q` quantile by linear interpolation between the sorted values."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mode_savings(buckets: Sequence[DayBucket], mode: Mode) -> dict[str, Any] | None:
    """One mode's runtime saved and its interval (minutes), the fit and the baseline; None
    without `MIN_CORE_DAYS` core days or a fit."""
    days = core_days(buckets, mode)
    sign = 1.0 if mode is Mode.HEAT else -1.0
    hinge = fit(days, sign) if len(days) >= MIN_CORE_DAYS else None
    if hinge is None:
        return None
    comfort = percentile([d.indoor for d in days], PERCENTILE[mode])
    base = sum(hinge.alpha * _hinge(sign, comfort, d.outdoor, hinge.tau) for d in days)
    used = sum(hinge.alpha * _hinge(sign, d.indoor, d.outdoor, hinge.tau) for d in days)
    n = len(days)
    if base <= 0.0:
        return None  # the comfort temperature asks for no runtime: nothing to save against
    effective = hinge.effective_days
    half = (
        t80(math.floor(effective) - 2)
        * G14_FACTOR
        * hinge.cv_rmse
        * base
        * math.sqrt((n / effective) * (1.0 + 2.0 / n) / n)
    )
    return {
        "baseline_min": base,
        "saved_min": base - used,
        "half_min": half,
        "comfort_temperature": round(comfort, 2),
        "alpha": round(hinge.alpha, 3),
        "tau": hinge.tau,
        "cv_rmse": round(hinge.cv_rmse, 3),
        "core_days": n,
    }


def energy_star_savings(buckets: Sequence[DayBucket]) -> dict[str, Any]:
    """The system's runtime saved over `buckets` (both modes), with its 80 % interval, the fit
    of each mode and its CV(RMSE)."""
    modes = {m.value: r for m in (Mode.HEAT, Mode.COOL) if (r := mode_savings(buckets, m))}
    if not modes:
        return estimate(
            None,
            "insufficient",
            METHOD,
            low=None,
            high=None,
            saved_hours=None,
            modes={},
            notes=[f"needs {MIN_CORE_DAYS} days running in one mode only"],
        )
    base = sum(m["baseline_min"] for m in modes.values())
    saved = sum(m["saved_min"] for m in modes.values())
    half = math.sqrt(sum(m["half_min"] ** 2 for m in modes.values()))
    low, high = (saved - half) / base, (saved + half) / base
    value: float | None = saved / base
    # The interval is the fit's; what the method cannot see is not in it (module docstring).
    notes = [BLIND_NOTE]
    if high - low > saved / base:
        notes.append("the interval is wider than the estimate")
        value = None
    good = all(m["core_days"] >= MEDIUM_DAYS and m["cv_rmse"] <= MEDIUM_CV for m in modes.values())
    confidence: Confidence = "medium" if good else "low"
    return estimate(
        value,
        confidence,
        METHOD,
        ranged=True,
        low=round(low, 4),
        high=round(high, 4),
        saved_hours=round(saved / 60.0, 2) if value is not None else None,
        modes={
            k: {x: v for x, v in m.items() if x not in ("baseline_min", "saved_min", "half_min")}
            for k, m in modes.items()
        },
        notes=notes,
    )
