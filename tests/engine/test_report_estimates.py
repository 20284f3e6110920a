"""Zoning savings and duct losses: hand-computed cases, parameters and honesty about data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.heat_pump_zoning.engine.ledger import Ledger
from custom_components.heat_pump_zoning.engine.model import Mode, SystemConfig, Topology, ZoneConfig
from custom_components.heat_pump_zoning.engine.report import SystemReportInput, build_report
from custom_components.heat_pump_zoning.engine.report_estimates import (
    DUCT_PRIOR,
    DuctSide,
    EstimateParams,
    degree_day_confidence,
    duct_loss,
    duct_prior,
    model_cop,
    zoning_savings,
)

from .test_report import DUCTED, DUCTLESS, NY, START, ducted_ledger, inputs, run_days


def savings(ledger: Ledger, config: SystemConfig = DUCTED, **params: str) -> dict[str, object]:
    days = ledger.days(START, START + timedelta(days=40))
    return zoning_savings(config, days, EstimateParams(**params))  # type: ignore[arg-type]


# Zone a: 21 °C, 2 h/day; zone b: 16 °C (set back), 1 h/day; outdoor 1 °C, equal airflow.
# a_a = 7200 s / 20 K = 360, a_b = 3600 / 15 = 240; every room at 21 °C: U = 600 x 20 = 12000 s
# against 10800 s zoned: savings 10 %.
def test_balanced_savings_by_hand() -> None:
    result = savings(ducted_ledger(15))
    assert result["value"] == pytest.approx(0.1)
    assert result["confidence"] == "medium"
    assert result["zoned_runtime_hours"] == 45.0
    assert result["unzoned_runtime_hours"] == pytest.approx(50.0)
    assert result["saved_kwh"] == pytest.approx(135.0 * (12000 / 10800 - 1), abs=1e-3)
    assert result["method"]["id"] == "zone_loss_coefficients"  # type: ignore[index]
    assert result["days_used"] == 15


def test_worst_zone_variant() -> None:
    # max a_i / f_i = 360 / 0.5 = 720 -> U = 720 x 20 = 14400: savings 25 %.
    assert savings(ducted_ledger(15), unzoned="worst_zone")["value"] == pytest.approx(0.25)


def test_mean_comfort_reference_can_be_negative() -> None:
    # Comfort 18.5 °C: U = 600 x 17.5 = 10500 < 10800 -> about -2.9 %.
    result = savings(ducted_ledger(15), comfort_reference="mean")
    assert result["value"] == pytest.approx(1 - 10800 / 10500, abs=1e-4)


def test_zone_that_never_called_borrows_from_its_airflow() -> None:
    config = SystemConfig(
        topology=Topology.DUCTED,
        zones=(*DUCTED.zones, ZoneConfig("c", "Guest", airflow=200.0)),
    )
    ledger = Ledger(["a", "b", "c"], NY)
    run_days(
        ledger,
        15,
        [(7200.0, {"a": 100.0}), (3600.0, {"b": 100.0})],
        {"a": 21.0, "b": 16.0, "c": 12.0},
        power=3000.0,
    )
    result = savings(ledger, config)
    # a_c = (360 + 240) / 200 x 200 = 600 -> U = 1200 x 20 = 24000 s.
    assert result["value"] == pytest.approx(1 - 10800 / 24000)
    assert result["confidence"] == "low"
    assert result["zones_without_own_data"] == ["c"]


def test_too_few_days_or_zones_is_insufficient() -> None:
    result = savings(ducted_ledger(2))
    assert (result["value"], result["confidence"], result["saved_kwh"]) == (
        None,
        "insufficient",
        None,
    )
    one_zone = SystemConfig(topology=Topology.MINI_SPLIT, zones=(ZoneConfig("a", "A"),))
    assert savings(ducted_ledger(15), one_zone)["confidence"] == "insufficient"


def test_no_temperatures_means_no_estimate() -> None:
    ledger = Ledger(["a", "b"], NY)
    run_days(ledger, 5, [(3600.0, {"a": 1.0})], {}, power=1000.0)
    assert savings(ledger)["value"] is None


def test_mini_split_fallback_weights_use_floor_area() -> None:
    config = SystemConfig(
        topology=Topology.MINI_SPLIT,
        zones=(ZoneConfig("a", "A", floor_area=10.0), ZoneConfig("b", "B", floor_area=30.0),
               ZoneConfig("c", "C", floor_area=20.0)),
    )  # fmt: skip
    ledger = Ledger(["a", "b", "c"], NY)
    run_days(ledger, 15, [(7200.0, {"a": 1.0}), (3600.0, {"b": 1.0})],
             {"a": 21.0, "b": 16.0, "c": 10.0}, power=1000.0)  # fmt: skip
    # a_c = (360 + 240) / 40 x 20 = 300 -> U = 900 x 20 = 18000.
    assert savings(ledger, config)["value"] == pytest.approx(1 - 10800 / 18000)
    equal = SystemConfig(topology=Topology.MINI_SPLIT, zones=(ZoneConfig("a", "A"),
                         ZoneConfig("b", "B"), ZoneConfig("c", "C")))  # fmt: skip
    # a_c = 600 / 2 = 300 as well (equal shares).
    assert savings(ledger, equal)["value"] == pytest.approx(1 - 10800 / 18000)


# Duct losses: ducted 9 kWh/day on 40 m², ductless 3 kWh/day on 20 m², same degree days and
# the same (default) efficiency: L = 1 - (3/20) / (9/40) = 1/3.
def test_duct_loss_from_ductless_reference() -> None:
    report = build_report(inputs(15), START, START + timedelta(days=14))
    duct = report["systems"][0]["duct_loss"]
    assert duct["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert duct["method"]["id"] == "ductless_reference"
    assert duct["confidence"] == "medium"
    assert duct["prior"] is None
    assert "duct_loss" not in report["systems"][1]


def test_duct_loss_with_agreeing_and_disagreeing_priors() -> None:
    report = build_report(inputs(15, duct_location="attic"), START, START + timedelta(days=14))
    duct = report["systems"][0]["duct_loss"]
    assert (duct["prior"], duct["confidence"]) == (0.25, "medium")
    report = build_report(
        inputs(15, duct_location="conditioned", duct_leakage="sealed"),
        START,
        START + timedelta(days=14),
    )
    duct = report["systems"][0]["duct_loss"]
    assert duct["confidence"] == "low"
    assert duct["notes"] == ["data-based figure disagrees with the duct prior"]
    blended = build_report(
        inputs(15, duct_location="attic"),
        START,
        START + timedelta(days=14),
        EstimateParams(duct_prior_weight=0.5),
    )["systems"][0]["duct_loss"]
    assert blended["value"] == pytest.approx((1 / 3 + 0.25) / 2, abs=1e-4)


def test_duct_loss_prior_only_is_low_confidence() -> None:
    systems = [SystemReportInput("m", "M", DUCTED, ducted_ledger(5), "attic", "sealed")]
    duct = build_report(systems, START, START + timedelta(days=4))["systems"][0]["duct_loss"]
    assert duct["value"] == 0.15
    assert duct["confidence"] == "low"
    assert duct["method"]["id"] == "duct_prior"
    short = build_report(inputs(2, duct_location="attic"), START, START + timedelta(days=1))
    assert short["systems"][0]["duct_loss"]["notes"] == [
        "not enough days or degree days for the data-based figure"
    ]


def test_duct_loss_clamps_and_notes() -> None:
    side = DuctSide(kwh=1.0, degree_day_area=100.0, cop=3.0, zones=2)
    better = DuctSide(kwh=3.0, degree_day_area=100.0, cop=3.0, zones=1)
    result = duct_loss(side, better, prior=None, observed_days=20, degree_days=50)
    assert result["value"] == 0.0
    assert result["raw"] == pytest.approx(-2.0)
    assert result["confidence"] == "low"
    none = duct_loss(None, None, prior=None, observed_days=20, degree_days=50)
    assert none["confidence"] == "insufficient"


def test_duct_prior_table() -> None:
    assert duct_prior("attic", None) == 0.25
    assert duct_prior("attic", "leaky") == 0.35
    assert duct_prior("attic", "bogus") == 0.25
    assert duct_prior(None, "sealed") is None
    assert duct_prior("moon", None) is None
    for location in DUCT_PRIOR.values():
        assert location["sealed"] < location["typical"] < location["leaky"]


@pytest.mark.parametrize(
    ("days", "dd", "expected"),
    [(2, 50, "insufficient"), (10, 4, "insufficient"), (5, 50, "low"), (10, 50, "medium"),
     (40, 200, "high")],
)  # fmt: skip
def test_degree_day_confidence(days: float, dd: float, expected: str) -> None:
    assert degree_day_confidence(days, dd) == expected


def test_model_cop_without_model() -> None:
    assert model_cop(None, Mode.HEAT, 0.0) == 1.0
    assert DUCTLESS.topology is Topology.MINI_SPLIT
