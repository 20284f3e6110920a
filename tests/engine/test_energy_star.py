"""The ENERGY STAR connected-thermostat method (engine/report/energy_star.py) on daily buckets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine.ledger.days import DayBucket, SystemDay, ZoneDay
from engine.model import Mode
from engine.report.energy_star import (
    BLIND_NOTE,
    MIN_CORE_DAYS,
    CoreDay,
    core_days,
    energy_star_savings,
    fit,
    percentile,
)

DAY = 86400.0
OUTDOORS = [-4.0, 0.0, 3.0, -2.0, 5.0, 1.0, -6.0, 2.0, 4.0, -1.0]
INDOORS = [19.0, 20.0, 21.0, 19.5, 20.5, 21.0, 19.0, 20.0, 20.5, 19.5]


def bucket(
    d: int, runtime_min: float, indoor: float, outdoor: float, mode: str = "heat", **system: float
) -> DayBucket:
    """A fully observed day: the system ran `runtime_min` in `mode`; two zones around
    `indoor` (±0.5 K)."""
    day = SystemDay(
        observed_s=system.get("observed_s", DAY),
        runtime_s={mode: 60.0 * runtime_min} if runtime_min else {},
        outdoor_integral=outdoor * DAY,
        outdoor_s=DAY,
    )
    zones = {
        z: ZoneDay(temperature_integral=(indoor + off) * DAY, temperature_s=DAY)
        for z, off in (("a", 0.5), ("b", -0.5))
    }
    return DayBucket(date(2026, 1, 1) + timedelta(days=d), day, zones)


def heating(
    alpha: float = 30.0, tau: float = 2.0, noise: list[float] | None = None
) -> list[DayBucket]:
    return [
        bucket(d, alpha * max(t_in - t_out - tau, 0.0) + (noise[d] if noise else 0.0), t_in, t_out)
        for d, (t_in, t_out) in enumerate(zip(INDOORS, OUTDOORS, strict=True))
    ]


def test_the_hinge_and_the_savings_by_hand() -> None:
    """An exact hinge is found again; the comfort baseline is the 90th percentile of the daily
    indoor means (21 °C here); the saving is alpha x the degrees below it, summed."""
    result = energy_star_savings(heating())
    heat = result["modes"]["heat"]
    assert (heat["alpha"], heat["tau"], heat["cv_rmse"]) == (30.0, 2.0, 0.0)
    assert heat["comfort_temperature"] == 21.0
    base = sum(30.0 * (21.0 - t_out - 2.0) for t_out in OUTDOORS)
    saved = sum(30.0 * (21.0 - t_in) for t_in in INDOORS)
    assert result["value"] == pytest.approx(saved / base, abs=1e-4)
    assert result["low"] == result["high"] == pytest.approx(saved / base, abs=1e-4)
    assert result["saved_hours"] == pytest.approx(saved / 60.0, abs=0.01)
    assert result["method"]["id"] == "energy_star_connected_thermostat"
    assert result["confidence"] == "low"  # ten days: "medium" needs a month


def test_cooling_mirrors_heating() -> None:
    days = [
        bucket(d, 30.0 * max(t_out - t_in - 2.0, 0.0), t_in, t_out, mode="cool")
        for d, (t_in, t_out) in enumerate(
            zip([45.0 - t for t in INDOORS], [45.0 - t for t in OUTDOORS], strict=True)
        )
    ]
    result = energy_star_savings(days)
    cool = result["modes"]["cool"]
    assert cool["comfort_temperature"] == 24.0  # the 10th percentile: the coolest days
    assert result["value"] == pytest.approx(energy_star_savings(heating())["value"], abs=1e-4)


def test_scatter_gives_an_interval_and_too_much_withholds_the_value() -> None:
    some = energy_star_savings(heating(noise=[20.0, -15.0, 10.0, -20.0, 15.0] * 2))
    assert some["modes"]["heat"]["cv_rmse"] > 0.0
    assert some["low"] < some["value"] < some["high"]
    much = energy_star_savings(heating(noise=[300.0, -250.0, 200.0, -300.0, 250.0] * 2))
    assert much["value"] is None
    assert much["low"] < much["high"]
    assert much["notes"] == [BLIND_NOTE, "the interval is wider than the estimate"]
    assert some["notes"] == [BLIND_NOTE]  # its interval is the fit's, and it says so
    assert much["confidence"] == "low"


def test_core_days_leave_out_mixed_partial_and_unknown_days() -> None:
    days = heating()
    days[0].system.runtime_s["cool"] = 600.0  # ran in both modes
    days[1].system.observed_s = 0.5 * DAY  # half a day of data
    days[2].system.outdoor_s = 0.0  # no outdoor temperature
    days[3].zones.clear()  # no room temperature
    days[4].system.runtime_s.clear()  # did not run
    assert len(core_days(days, Mode.HEAT)) == 5
    assert core_days(days, Mode.COOL) == []


def test_too_few_core_days_is_insufficient() -> None:
    result = energy_star_savings(heating()[: MIN_CORE_DAYS - 1])
    assert (result["value"], result["low"], result["confidence"]) == (None, None, "insufficient")
    assert result["notes"] == [f"needs {MIN_CORE_DAYS} days running in one mode only"]


def test_a_month_within_the_guideline_is_medium() -> None:
    month = [
        bucket(d, 30.0 * max(t_in - t_out - 2.0, 0.0), t_in, t_out)
        for d, (t_in, t_out) in enumerate(zip(INDOORS * 3, OUTDOORS * 3, strict=True))
    ]
    assert energy_star_savings(month)["confidence"] == "medium"


def test_fit_needs_a_hinge_that_opens() -> None:
    assert fit([], 1.0) is None
    warm = core_days(heating(), Mode.HEAT)[:2]
    assert fit(warm, 1.0) is None  # two days: no degrees of freedom left
    hot = [CoreDay(10.0, 20.0, 35.0)] * 5  # heating 15 K below the outdoors: never opens
    assert fit(hot, 1.0) is None


def test_percentile() -> None:
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert percentile([1.0, 2.0], 0.9) == pytest.approx(1.9)
    assert percentile([5.0], 0.1) == 5.0
