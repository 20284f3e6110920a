"""What the sensors show: one model of a system's figures, from its ledger at one time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.ledger.figures import ROLLING_WINDOWS, PerDegreeDay, sensor_figures
from engine.ledger.ledger import Ledger
from engine.ledger.samples import SystemSample, ZoneSample
from engine.model import Mode
from engine.report.build import ESTIMATE_WINDOW_DAYS, build_report, system_estimates

from .test_report import NY, START, inputs, midnight

T0 = midnight(START) + 8 * 3600.0


def heating(weights: dict[str, float]) -> SystemSample:
    zones = {
        z: ZoneSample(calling=Mode.HEAT, conditioned=True, weight=w) for z, w in weights.items()
    }
    return SystemSample(running=True, mode=Mode.HEAT, zones=zones, outdoor_temperature=5.0)


def test_shares_and_duty_cycle_are_fractions() -> None:
    """Zone a gets a quarter of the runtime, b three quarters; the unit ran a third of the time."""
    ledger = Ledger(["a", "b", "c"], NY, short_cycle=900.0)
    ledger.record(T0 - 600.0, SystemSample(running=False, outdoor_temperature=5.0))
    ledger.record(T0, heating({"a": 1.0, "b": 3.0}))
    ledger.record(T0 + 600.0, SystemSample(running=False, outdoor_temperature=5.0))
    ledger.record(T0 + 1200.0, SystemSample(running=False, outdoor_temperature=5.0))
    figures = sensor_figures(ledger, T0 + 1200.0)
    assert figures.duty_cycle_today == pytest.approx(1 / 3)
    assert figures.runtime_today_s == {"heat": 600.0}
    assert figures.zones["a"].share_today == pytest.approx(0.25)
    assert figures.zones["b"].share_today == pytest.approx(0.75)
    assert figures.zones["c"].share_today == 0.0
    assert figures.zones["b"].runtime_today_s == pytest.approx(450.0)
    assert figures.cycles_today == 1 and figures.short_cycles_today == 1
    assert figures.heating_degree_days_today == pytest.approx(13.0 * 1800.0 / 86400.0)
    assert figures.lifetime_energy_method == "estimated"


def test_nothing_booked_yet() -> None:
    """No runtime: no share, no duty cycle, no per-degree-day figure."""
    figures = sensor_figures(Ledger(["a"], NY), T0)
    zone = figures.zones["a"]
    assert figures.duty_cycle_today is None and figures.average_cycle_today_s is None
    assert zone.share_today is None and zone.runtime_today_s == 0.0
    assert zone.per_degree_day == dict.fromkeys(ROLLING_WINDOWS, PerDegreeDay())
    assert figures.lifetime_energy_method == "none"


def test_per_degree_day_over_each_window() -> None:
    """Ten days of the same heating: the 7- and 30-day figures are the same ratio."""
    ducted = inputs(10)[0].ledger
    now = midnight(START + timedelta(days=9)) + 12 * 3600.0
    zone = sensor_figures(ducted, now).zones["a"]
    assert set(zone.per_degree_day) == {7, 30}
    week, month = zone.per_degree_day[7], zone.per_degree_day[30]
    assert week.runtime_minutes_per_hdd == pytest.approx(120.0 / 17.0, rel=1e-3)
    assert month.runtime_minutes_per_hdd == pytest.approx(week.runtime_minutes_per_hdd, rel=1e-3)
    assert week.runtime_minutes_per_cdd is None and week.kwh_per_cdd is None
    assert week.kwh_per_hdd == pytest.approx(6.0 / 17.0, rel=1e-3)


def test_the_sensors_estimates_are_the_reports_over_the_last_30_days() -> None:
    """The first system's section of the report over the 30 days ending today."""
    systems = inputs(40, duct_location="attic", duct_leakage="typical")
    now = midnight(START + timedelta(days=39)) + 12 * 3600.0
    today = START + timedelta(days=39)
    section = build_report(systems, today - timedelta(days=ESTIMATE_WINDOW_DAYS - 1), today)[
        "systems"
    ][0]
    estimates = system_estimates(systems, now)
    assert estimates == {
        "zoning_savings": section["zoning_savings"],
        "duct_loss": section["duct_loss"],
        "energy_star_savings": section["energy_star_savings"],
    }
    assert estimates["duct_loss"]["value"] is not None
    alone = system_estimates(systems[1:], now)
    assert alone["duct_loss"] is None  # a ductless system has no duct loss
