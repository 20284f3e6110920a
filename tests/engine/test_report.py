"""The get_report response: sections, normalisation, comparison, ranking, too little data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import json
from zoneinfo import ZoneInfo

import pytest

from engine.ledger.ledger import Ledger, SystemSample, ZoneSample
from engine.model import Mode, SystemConfig, Topology, ZoneConfig
from engine.report.build import SystemReportInput, build_report, observed_span, resolve_period
from engine.report.export import EXPORT_COLUMNS, export_rows

NY = ZoneInfo("America/New_York")
START = date(2024, 1, 1)
HEAT = Mode.HEAT

DUCTED = SystemConfig(
    topology=Topology.DUCTED,
    zones=(
        ZoneConfig("a", "Living", airflow=100.0, floor_area=20.0),
        ZoneConfig("b", "Bedroom", airflow=100.0, floor_area=20.0),
    ),
    source="climate.central",
)
DUCTLESS = SystemConfig(
    topology=Topology.MINI_SPLIT,
    zones=(ZoneConfig("x", "Office", head="climate.office", floor_area=20.0),),
)


def midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=NY).timestamp()


def run_days(
    ledger: Ledger,
    days: int,
    segments: list[tuple[float, dict[str, float]]],
    temps: dict[str, float],
    *,
    power: float,
    outdoor: float = 1.0,
) -> None:
    """Each day from START: run each segment (seconds, {zone: weight}) then idle till midnight."""
    for d in range(days):
        t = midnight(START + timedelta(days=d))
        for seconds, open_zones in segments:
            zones = {
                z: ZoneSample(
                    calling=HEAT if z in open_zones else None,
                    conditioned=z in open_zones,
                    weight=open_zones.get(z, 0.0),
                    temperature=temp,
                )
                for z, temp in temps.items()
            }
            sample = SystemSample(
                running=True, mode=HEAT, blower=True, zones=zones, power_w=power,
                outdoor_temperature=outdoor,
            )  # fmt: skip
            for step in range(int(seconds // 600)):
                ledger.record(t + step * 600.0, sample)
            t += seconds
        idle = SystemSample(
            running=False,
            zones={z: ZoneSample(temperature=temp) for z, temp in temps.items()},
            power_w=0.0,
            outdoor_temperature=outdoor,
        )
        end = midnight(START + timedelta(days=d + 1))
        while t < end:
            ledger.record(t, idle)
            t += 600.0
        ledger.flush(end)


def ducted_ledger(days: int) -> Ledger:
    ledger = Ledger(["a", "b"], NY)
    run_days(
        ledger,
        days,
        [(7200.0, {"a": 100.0}), (3600.0, {"b": 100.0})],
        {"a": 21.0, "b": 16.0},
        power=3000.0,
    )
    return ledger


def ductless_ledger(days: int) -> Ledger:
    ledger = Ledger(["x"], NY)
    run_days(ledger, days, [(7200.0, {"x": 1.0})], {"x": 21.0}, power=1500.0)
    return ledger


def inputs(days: int, **kwargs: str) -> list[SystemReportInput]:
    return [
        SystemReportInput("main", "Main floor", DUCTED, ducted_ledger(days), **kwargs),
        SystemReportInput("office", "Office", DUCTLESS, ductless_ledger(days)),
    ]


def test_resolve_period() -> None:
    now = datetime(2024, 1, 15, 12, tzinfo=NY).timestamp()
    assert resolve_period("day", now, NY) == (date(2024, 1, 15), date(2024, 1, 15))
    assert resolve_period("week", now, NY) == (date(2024, 1, 9), date(2024, 1, 15))
    assert resolve_period("month", now, NY) == (date(2023, 12, 17), date(2024, 1, 15))
    assert resolve_period("week", now, NY, start=date(2024, 1, 1)) == (
        date(2024, 1, 1),
        date(2024, 1, 15),
    )
    assert resolve_period("x", now, NY, date(2024, 1, 1), date(2024, 1, 2))[1] == date(2024, 1, 2)
    with pytest.raises(ValueError, match="unknown period"):
        resolve_period("year", now, NY)
    with pytest.raises(ValueError, match="after"):
        resolve_period("day", now, NY, date(2024, 1, 3), date(2024, 1, 2))
    with pytest.raises(ValueError, match="at most"):
        resolve_period("day", now, NY, date(2020, 1, 3), date(2024, 1, 2))


def test_system_and_zone_figures() -> None:
    report = build_report(inputs(15), START, START + timedelta(days=14))
    json.dumps(report, allow_nan=False)
    main = report["systems"][0]
    assert report["period"] == {"start": "2024-01-01", "end": "2024-01-15", "days": 15}
    assert main["runtime_hours"] == {"heat": 45.0, "cool": 0.0, "total": 45.0}
    assert main["observed_hours"] == 360.0
    assert main["duty_cycle"] == pytest.approx(0.125)
    assert main["energy"]["kwh"] == pytest.approx(135.0)
    assert main["energy"]["method"] == "measured"
    assert main["degree_days"]["heating"] == pytest.approx(255.0)
    per_dd = main["per_degree_day"]
    assert per_dd["runtime_minutes_per_hdd"] == {"value": pytest.approx(2700 / 255, rel=1e-3),
                                                  "confidence": "medium"}  # fmt: skip
    assert per_dd["kwh_per_hdd"]["value"] == pytest.approx(135 / 255, rel=1e-3)
    assert per_dd["kwh_per_cdd"] == {"value": None, "confidence": "insufficient"}
    living, bedroom = main["zones"]
    assert living["name"] == "Living"
    assert living["runtime_hours"]["heat"] == 30.0
    assert bedroom["runtime_hours"]["heat"] == 15.0
    assert living["calling_hours"]["heat"] == 30.0
    assert living["energy"]["kwh"] == pytest.approx(90.0)
    assert living["mean_temperature"] == 21.0
    assert living["per_degree_day"]["kwh_per_hdd_per_m2"]["value"] == pytest.approx(
        90 / 255 / 20, rel=1e-3
    )
    assert main["cycles"]["count"] == 14  # the first start, before the first sample, is unseen
    assert main["cycles"]["completed"] == 14
    assert main["cycles"]["average_minutes"] == 180.0
    assert main["cycles"]["histogram_minutes"][">=80"] == 14


def test_ducted_vs_ductless_is_normalised_per_degree_day_and_m2() -> None:
    report = build_report(inputs(15), START, START + timedelta(days=14))
    comparison = report["comparison"]
    ducted, ductless = comparison["ducted"], comparison["mini_split"]
    assert ducted["kwh_per_hdd_per_m2"]["value"] == pytest.approx(135 / (255 * 40), rel=1e-3)
    assert ductless["kwh_per_hdd_per_m2"]["value"] == pytest.approx(45 / (255 * 20), rel=1e-3)
    assert ducted["runtime_minutes_per_hdd"]["value"] == pytest.approx(2700 / 255, rel=1e-3)
    assert comparison["ducted_to_ductless_ratio"]["kwh_per_hdd"] == pytest.approx(3.0, abs=0.01)
    assert comparison["ducted_to_ductless_ratio"]["kwh_per_hdd_per_m2"] == 1.5
    assert ductless["kwh_per_cdd_per_m2"] == {"value": None, "confidence": "insufficient"}


def test_zone_ranking_by_cost_per_m2() -> None:
    report = build_report(inputs(15), START, START + timedelta(days=14))
    ranking = report["zone_ranking"]
    assert ranking["ranked_by"] == "kwh_per_degree_day_per_m2"
    names = [row["name"] for row in ranking["zones"]]
    assert names[0] == "Living"
    assert ranking["zones"][0]["rank"] == 1
    assert ranking["zones"][0]["kwh_per_degree_day_per_m2"] == pytest.approx(
        90 / 255 / 20, rel=1e-3
    )


def test_ranking_without_areas_uses_per_degree_day() -> None:
    config = SystemConfig(
        topology=Topology.DUCTED, zones=(ZoneConfig("a", "A"), ZoneConfig("b", "B"))
    )
    report = build_report(
        [SystemReportInput("s", "S", config, ducted_ledger(5))], START, START + timedelta(days=4)
    )
    assert report["zone_ranking"]["ranked_by"] == "kwh_per_degree_day"
    assert [r["zone_id"] for r in report["zone_ranking"]["zones"]] == ["a", "b"]
    assert "mini_split" not in report["comparison"]
    assert "ducted_to_ductless_ratio" not in report["comparison"]


def test_too_little_data_says_insufficient() -> None:
    report = build_report(inputs(2), START, START + timedelta(days=1))
    main = report["systems"][0]
    assert main["per_degree_day"]["kwh_per_hdd"] == {"value": None, "confidence": "insufficient"}
    assert main["zoning_savings"]["value"] is None
    assert main["zoning_savings"]["confidence"] == "insufficient"
    assert main["duct_loss"]["value"] is None
    assert main["duct_loss"]["confidence"] == "insufficient"
    assert report["notes"]
    assert all(r["rank"] is None for r in report["zone_ranking"]["zones"])


def test_empty_period() -> None:
    report = build_report(inputs(2), date(2023, 1, 1), date(2023, 1, 7))
    main = report["systems"][0]
    assert main["duty_cycle"] is None
    assert main["energy"]["method"] == "none"
    assert main["cycles"]["average_minutes"] is None
    assert main["zones"][0]["mean_temperature"] is None


def test_export_rows() -> None:
    ledger = ducted_ledger(2)
    rows = export_rows(ledger, START, START + timedelta(days=5), system_id="main")
    assert [(r["date"], r["zone"]) for r in rows] == [
        ("2024-01-01", ""),
        ("2024-01-01", "a"),
        ("2024-01-01", "b"),
        ("2024-01-02", ""),
        ("2024-01-02", "a"),
        ("2024-01-02", "b"),
    ]
    assert all(tuple(r) == EXPORT_COLUMNS for r in rows)
    assert rows[0]["runtime_heat_min"] == 180.0
    assert rows[0]["hdd"] == pytest.approx(17.0)
    assert rows[1]["runtime_heat_min"] == 120.0
    assert rows[1]["mean_temperature"] == 21.0
    assert rows[2]["calling_min"] == 60.0
    json.dumps(rows)


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0.0, "Nothing observed yet"),
        (0.02, "Only 29 minutes observed"),
        (0.5, "Only 12.0 hours observed"),
        (2.34, "Only 2.3 days observed"),
    ],
)
def test_observed_span_reads_naturally(days: float, text: str) -> None:
    """A report note never says "Only 0.0 days observed"."""
    assert observed_span(days) == text
