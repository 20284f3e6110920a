"""to_dict / from_dict: round trips, forward compatibility, garbage rejected cleanly."""

from __future__ import annotations

import copy
from datetime import date, datetime
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from engine.ledger.days import CycleStats, add
from engine.ledger.ledger import (
    SCHEMA_VERSION,
    Ledger,
    LedgerDataError,
    SystemSample,
    ZoneSample,
)
from engine.model import Mode

NY = ZoneInfo("America/New_York")
T0 = datetime(2024, 1, 10, 8, 0, tzinfo=NY).timestamp()


def busy_ledger() -> Ledger:
    ledger = Ledger(["a", "b"], NY)
    sample = SystemSample(
        running=True,
        mode=Mode.HEAT,
        blower=True,
        zones={
            "a": ZoneSample(calling=Mode.HEAT, conditioned=True, weight=100.0, temperature=20.5),
            "b": ZoneSample(calling=Mode.COOL, waiting=True, weight=0.0, temperature=-3.0),
        },
        power_w=2500.0,
        outdoor_temperature=-4.0,
        comfort={"heat": 20.85, "cool": 24.15},
    )
    ledger.record(T0, SystemSample(running=False, outdoor_temperature=-4.0))
    ledger.record(T0 + 300.0, sample)
    ledger.record(T0 + 900.0, SystemSample(running=False))
    ledger.record(T0 + 1200.0, sample)
    ledger.record(T0 + 1500.0, sample)
    return ledger


def test_round_trip_is_json_safe_and_identical() -> None:
    ledger = busy_ledger()
    data = ledger.to_dict()
    text = json.dumps(data, allow_nan=False)
    restored = Ledger.from_dict(json.loads(text), ["a", "b"], NY)
    assert restored.to_dict() == data
    assert restored.lifetime() == ledger.lifetime()
    assert (
        restored.days(date(2024, 1, 1), date(2024, 2, 1))[0].to_dict() == data["days"]["2024-01-10"]
    )
    assert data["schema"] == SCHEMA_VERSION


def test_restored_ledger_continues_the_running_cycle() -> None:
    ledger = busy_ledger()
    restored = Ledger.from_dict(ledger.to_dict(), ["a", "b"], NY)
    for target in (ledger, restored):
        target.record(T0 + 1800.0, SystemSample(running=False))
    assert restored.to_dict() == ledger.to_dict()
    stats = restored.day(date(2024, 1, 10)).system.cycles["heat"]  # type: ignore[union-attr]
    assert stats.completed == 2
    assert stats.max_s == 600.0


def test_missing_keys_read_as_empty_and_extra_keys_are_ignored() -> None:
    empty = Ledger.from_dict({"schema": 1}, ["a"], NY)
    assert empty.lifetime()["runtime_s"] == 0.0
    assert empty.first_day is None
    data = busy_ledger().to_dict()
    data["future_field"] = {"x": [1, 2]}
    data["schema"] = SCHEMA_VERSION + 1
    data["days"]["2024-01-10"]["system"]["new_metric"] = 5
    data["days"]["2024-01-10"]["zones"]["a"]["new_metric"] = "x"
    del data["cycle"]
    del data["days"]["2024-01-10"]["system"]["hdd"]
    restored = Ledger.from_dict(data, ["a", "b"], NY)
    assert restored.day(date(2024, 1, 10)).system.hdd == 0.0  # type: ignore[union-attr]


def _set(data: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


GOOD = busy_ledger().to_dict()
DAY = ("days", "2024-01-10")


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "ledger",
        {},
        {"schema": "1"},
        {"schema": True},
        {"schema": 0},
        _set(GOOD, ("lifetime",), []),
        _set(GOOD, ("lifetime", "kwh"), -1.0),
        _set(GOOD, ("lifetime", "kwh"), "3"),
        _set(GOOD, ("lifetime", "kwh"), float("nan")),
        _set(GOOD, ("zone_lifetime", "a"), 5),
        _set(GOOD, ("days",), {"yesterday": {}}),
        _set(GOOD, ("days",), {"2024-01-10": []}),
        _set(GOOD, (*DAY, "system"), 3),
        _set(GOOD, (*DAY, "zones"), {"a": 1}),
        _set(GOOD, (*DAY, "zones"), [1]),
        _set(GOOD, (*DAY, "system", "runtime_s"), {"heat": -5}),
        _set(GOOD, (*DAY, "system", "outdoor_integral"), "x"),
        _set(GOOD, (*DAY, "system", "outdoor_integral"), float("inf")),
        _set(GOOD, (*DAY, "zones", "a", "temperature_integral"), None),
        _set(GOOD, (*DAY, "system", "cycles"), {"heat": 1}),
        _set(GOOD, (*DAY, "system", "cycles", "heat", "histogram"), [1, 2]),
        _set(GOOD, (*DAY, "system", "cycles", "heat", "histogram"), [1, 2, 3, 4, 5, True]),
        _set(GOOD, ("last",), 5),
        _set(GOOD, ("last", "time"), 1e30),
        _set(GOOD, ("last", "sample"), None),
        _set(GOOD, ("last", "sample", "mode"), "dry"),
        _set(GOOD, ("last", "sample", "zones"), {"a": 3}),
        _set(GOOD, ("last", "sample", "outdoor"), "cold"),
        _set(GOOD, ("last", "sample", "comfort"), {"heat": "warm"}),
        _set(GOOD, ("last", "sample", "comfort"), []),
        _set(GOOD, (*DAY, "system", "comfort_s"), {"heat": -1.0}),
        _set(GOOD, (*DAY, "zones", "a", "comfort_gap_ks"), {"heat": "x"}),
        _set(GOOD, ("cycle", "mode"), 3),
        _set(GOOD, (*DAY, "system", "duct_s"), {"heat": -1.0}),
        _set(GOOD, (*DAY, "system", "duct_dt_ks"), {"heat": "x"}),
        _set(GOOD, (*DAY, "system", "duct_outdoor_ks"), {"cool": float("nan")}),
        _set(GOOD, ("last", "sample", "duct"), "hot"),
    ],
)
def test_garbage_raises_ledger_data_error(data: Any) -> None:
    with pytest.raises(LedgerDataError):
        Ledger.from_dict(data, ["a"], NY)


def test_ledger_data_error_is_a_value_error() -> None:
    assert issubclass(LedgerDataError, ValueError)


def test_cycle_stats_round_trip_and_merge() -> None:
    stats = CycleStats()
    stats.add_length(100.0, 600.0)
    stats.add_length(7200.0, 600.0)
    assert CycleStats.from_dict(stats.to_dict()) == stats
    other = CycleStats()
    other.add_length(50.0, 600.0)
    other.merge(stats)
    assert (other.completed, other.min_s, other.max_s, other.short) == (3, 50.0, 7200.0, 2)
    assert other.histogram == [2, 0, 0, 0, 0, 1]
    assert CycleStats().average_s is None
    with pytest.raises(LedgerDataError):
        CycleStats.from_dict([])


def test_options_apply_on_restore() -> None:
    restored = Ledger.from_dict(busy_ledger().to_dict(), ["a"], NY, retention_days=1)
    assert restored.retention_days == 1
    assert restored.zone_ids == ("a",)
    assert restored.zone_lifetime("b")["waiting_s"] > 0.0


def test_a_cycle_of_zero_seconds_keeps_its_lengths() -> None:
    stats = CycleStats()
    stats.add_length(0.0, 600.0)
    restored = CycleStats.from_dict(json.loads(json.dumps(stats.to_dict())))
    assert restored == stats
    assert (restored.min_s, restored.max_s) == (0.0, 0.0)


def test_nothing_booked_creates_no_key() -> None:
    bucket: dict[str, float] = {}
    add(bucket, "heat", 0.0)
    assert bucket == {}
    add(bucket, "heat", 1.5)
    add(bucket, "heat", 0.0)
    assert bucket == {"heat": 1.5}
