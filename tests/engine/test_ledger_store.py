"""Closed ledger days: quantised once, stored compact, and every figure survives a save and load.

The save/load round trip goes through the serialiser Home Assistant's `Store` uses, so the test
sees exactly what is written to disk.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, datetime, timedelta
import json
import math
from typing import Any

from homeassistant.helpers.json import prepare_save_json
from homeassistant.util.json import json_loads
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from engine.ledger.days import (
    CycleStats,
    DayBucket,
    LedgerDataError,
)
from engine.ledger.figures import sensor_figures
from engine.ledger.ledger import Ledger, SystemSample, ZoneSample
from engine.ledger.store import (
    KWH,
    SECONDS,
    apportion,
    close,
    decode,
    encode,
    quantise,
    split_exactly,
)
from engine.model import Mode, SystemConfig, Topology, ZoneConfig
from engine.report.build import SystemReportInput, build_report
from engine.report.export import export_rows

from .ledger_helpers import NY, ZONES, ledger_samples

T0 = datetime(2024, 3, 8, 20, 0, tzinfo=NY).timestamp()  # a DST change is within reach
CONFIG = SystemConfig(
    topology=Topology.DUCTED,
    zones=(
        ZoneConfig("a", "Living", airflow=100.0, floor_area=20.0),
        ZoneConfig("b", "Bedroom", airflow=60.0),
        ZoneConfig("c", "Office", airflow=80.0, floor_area=12.0),
    ),
    source="climate.central",
)


class OpenLedger(Ledger):
    """A ledger that never closes its days (the full-precision reference)."""

    def _close_days(self, today: date) -> None:
        return


system_samples = ledger_samples(
    weights=st.floats(min_value=0.0, max_value=1000.0),
    temperatures=st.one_of(st.none(), st.floats(min_value=-30.0, max_value=40.0)),
    powers=st.one_of(st.none(), st.floats(min_value=0.0, max_value=12000.0)),
)
forward = st.one_of(
    st.floats(min_value=0.0, max_value=900.0),
    st.sampled_from([0.0, 4000.0, 30000.0, 2 * 86400.0]),
)
backward = st.sampled_from([-90000.0, -3600.0, -1.0])
# (seconds since the previous step, the sample, save and load before it?)
steps = st.lists(
    st.tuples(st.one_of(forward, backward), system_samples, st.booleans()),
    min_size=1,
    max_size=30,
)
forward_steps = st.lists(st.tuples(forward, system_samples), min_size=1, max_size=40)
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def saved_and_loaded(ledger: Ledger, **options: Any) -> Ledger:
    """What Home Assistant writes to disk, read back."""
    _mode, raw = prepare_save_json({"version": 2, "data": {"ledger": ledger.to_dict()}})
    data = json_loads(raw)
    assert isinstance(data, dict)
    return Ledger.from_dict(data["data"]["ledger"], ZONES, NY, **options)


def figures(ledger: Ledger, now: float) -> dict[str, Any]:
    """Everything users see from the ledger: sensors, the report and the export rows."""
    out: dict[str, Any] = {"sensors": sensor_figures(ledger, now)}
    first, today = ledger.first_day, datetime.fromtimestamp(now, NY).date()
    if first is None:
        return out
    start = min(first, today)
    system = SystemReportInput("s", "System", CONFIG, ledger)
    out["report"] = build_report([system], start, max(today, start))
    out["week"] = build_report([system], today - timedelta(days=6), today)
    out["rows"] = export_rows(ledger, date.min, date.max)
    return out


def all_days(ledger: Ledger) -> list[DayBucket]:
    return ledger.days(date.min, date.max)


@SETTINGS
@given(steps)
def test_every_figure_survives_save_and_load(
    sequence: list[tuple[float, SystemSample, bool]],
) -> None:
    ledger = Ledger(ZONES, NY)
    t = T0
    for dt, sample, restart in sequence:
        if restart:
            before = figures(ledger, t)
            ledger = saved_and_loaded(ledger)
            assert figures(ledger, t) == before
        t += dt
        ledger.record(t, sample)
    before = figures(ledger, t)
    days = all_days(ledger)
    data = ledger.to_dict()
    restored = saved_and_loaded(ledger)
    assert figures(restored, t) == before
    assert all_days(restored) == days
    assert restored.to_dict() == data
    # Days before the ledger's clock are closed and written compact.
    assert all(
        isinstance(text, str)
        for key, text in data["days"].items()
        if date.fromisoformat(key) < ledger._pruned_on
    )


def units(bucket: DayBucket) -> dict[str, int]:
    """Every stored quantity of a day in storage units."""
    out: dict[str, int] = {}
    system = bucket.system
    for name in ("runtime_s", "unattributed_s"):
        out |= {f"{name}.{k}": round(v * SECONDS) for k, v in getattr(system, name).items()}
    out |= {f"kwh.{k}": round(v * KWH) for k, v in system.kwh.items()}
    for name in ("measured_kwh", "estimated_kwh", "unattributed_kwh"):
        out[name] = round(getattr(system, name) * KWH)
    out["observed_s"] = round(system.observed_s * SECONDS)
    for zone_id, zone in bucket.zones.items():
        for name in ("runtime_s", "calling_s", "conditioned_s", "waiting_s"):
            out |= {
                f"{zone_id}.{name}.{k}": round(v * SECONDS) for k, v in getattr(zone, name).items()
            }
        out |= {f"{zone_id}.kwh.{k}": round(v * KWH) for k, v in zone.kwh.items()}
        out[f"{zone_id}.measured_kwh"] = round(zone.measured_kwh * KWH)
        out[f"{zone_id}.estimated_kwh"] = round(zone.estimated_kwh * KWH)
    return out


def check_sums(bucket: DayBucket) -> None:
    """The parts add up exactly (in storage units) after closing."""
    u, system, zones = units(bucket), bucket.system, bucket.zones
    for mode in system.runtime_s:
        parts = u.get(f"runtime_s.{mode}", 0)
        assert (
            sum(u.get(f"{z}.runtime_s.{mode}", 0) for z in zones)
            + u.get(f"unattributed_s.{mode}", 0)
            == parts
        )
    assert sum(u[f"runtime_s.{m}"] for m in system.runtime_s) <= u["observed_s"]
    running = sum(u[f"kwh.{k}"] for k in system.kwh if k != "standby")
    cells = sum(u[f"{z}.kwh.{k}"] for z, zone in zones.items() for k in zone.kwh)
    assert cells + u["unattributed_kwh"] == running
    assert u["measured_kwh"] + u["estimated_kwh"] == sum(u[f"kwh.{k}"] for k in system.kwh)
    for z, zone in zones.items():
        own = sum(u[f"{z}.kwh.{k}"] for k in zone.kwh)
        assert u[f"{z}.measured_kwh"] + u[f"{z}.estimated_kwh"] == own


@SETTINGS
@given(forward_steps)
def test_closing_moves_no_value_by_a_unit_and_keeps_the_sums(
    sequence: list[tuple[float, SystemSample]],
) -> None:
    closed, reference = Ledger(ZONES, NY), OpenLedger(ZONES, NY)
    t = T0
    for dt, sample in sequence:
        t += dt
        closed.record(t, sample)
        reference.record(t, sample)
    for bucket in all_days(closed):
        if bucket.date >= closed._pruned_on:
            assert bucket == reference.day(bucket.date)
            continue
        check_sums(bucket)
        exact = copy.deepcopy(reference.day(bucket.date))
        assert exact is not None
        want = units_unrounded(exact)
        for key, value in units(bucket).items():
            assert abs(value - want.get(key, 0.0)) < 1.0, key  # less than a unit
        system, full = bucket.system, exact.system
        assert abs(system.hdd - full.hdd) <= 0.5e-5 + 1e-12
        assert abs(system.outdoor_integral - full.outdoor_integral) <= 0.5
        for zone_id, zone in bucket.zones.items():
            assert abs(zone.temperature_integral - exact.zones[zone_id].temperature_integral) <= 0.5
        before = copy.deepcopy(bucket)
        quantise(bucket)
        assert bucket == before  # closing twice changes nothing


def units_unrounded(bucket: DayBucket) -> dict[str, float]:
    """Like `units`, without rounding."""
    out: dict[str, float] = {}
    system = bucket.system
    for name in ("runtime_s", "unattributed_s"):
        out |= {f"{name}.{k}": v * SECONDS for k, v in getattr(system, name).items()}
    out |= {f"kwh.{k}": v * KWH for k, v in system.kwh.items()}
    for name in ("measured_kwh", "estimated_kwh", "unattributed_kwh"):
        out[name] = getattr(system, name) * KWH
    out["observed_s"] = system.observed_s * SECONDS
    for zone_id, zone in bucket.zones.items():
        for name in ("runtime_s", "calling_s", "conditioned_s", "waiting_s"):
            out |= {f"{zone_id}.{name}.{k}": v * SECONDS for k, v in getattr(zone, name).items()}
        out |= {f"{zone_id}.kwh.{k}": v * KWH for k, v in zone.kwh.items()}
        out[f"{zone_id}.measured_kwh"] = zone.measured_kwh * KWH
        out[f"{zone_id}.estimated_kwh"] = zone.estimated_kwh * KWH
    return out


def test_apportion_keeps_the_total_and_rounds_alone_what_does_not_add_up() -> None:
    assert apportion([0.4, 0.4, 0.2], 1, 1) == [1, 0, 0]
    assert apportion([1.5, 2.5, 0.0], 1, 4) == [2, 2, 0]
    assert apportion([0.6, 0.6, 0.6], 1, 2) == [1, 1, 0]
    assert apportion([], 1, 0) == []
    assert apportion([3.2, 4.4], 1, 20) == [3, 4]  # inconsistent: each on its own


def busy_day() -> Ledger:
    """Two days of a heating system; the first is closed."""
    ledger = Ledger(ZONES, NY)
    sample = SystemSample(
        running=True,
        mode=Mode.HEAT,
        blower=True,
        zones={
            "a": ZoneSample(calling=Mode.HEAT, conditioned=True, weight=100.0, temperature=20.3),
            "b": ZoneSample(calling=Mode.HEAT, conditioned=True, weight=33.3, temperature=-1.7),
            "c": ZoneSample(calling=Mode.COOL, waiting=True, temperature=24.1),
        },
        power_w=2345.6,
        outdoor_temperature=-3.3,
    )
    t = datetime(2024, 1, 10, 22, 0, tzinfo=NY).timestamp()
    for step in range(40):
        ledger.record(t + 317.3 * step, sample if step % 7 else SystemSample(running=False))
    return ledger


def test_a_closed_day_is_one_compact_row_of_whole_numbers() -> None:
    ledger = busy_day()
    data = ledger.to_dict()
    text = data["days"]["2024-01-10"]
    assert isinstance(text, str)
    assert data["zones"] == ["a", "b", "c"]
    row = json.loads(text)
    assert all(isinstance(n, int) for n in row[0])
    assert row[0][0] == 72000  # observed: 22:00 to midnight, in 0.1 s
    assert [zone[0] for zone in row[2:]] == [0, 1, 2]
    assert isinstance(data["days"]["2024-01-11"], dict)  # the open day, in full


def test_writing_to_a_closed_day_opens_it_again() -> None:
    ledger = busy_day()
    day = date(2024, 1, 10)
    closed = ledger.to_dict()["days"][day.isoformat()]
    # The clock goes back into the closed day: what is booked there is kept in full precision
    t = datetime(2024, 1, 10, 23, 0, tzinfo=NY).timestamp()
    ledger.record(t, SystemSample(running=True, mode=Mode.COOL, power_w=1000.3))
    ledger.record(t + 100.7003, SystemSample(running=False))
    assert isinstance(ledger.to_dict()["days"][day.isoformat()], dict)
    bucket = ledger.day(day)
    assert bucket is not None and bucket.system.runtime_s["cool"] == pytest.approx(100.7003)
    assert figures(saved_and_loaded(ledger), t + 100.7) == figures(ledger, t + 100.7)
    assert bucket.system.runtime_s["cool"] == pytest.approx(100.7003)  # still in full
    # ... until the clock passes midnight again.
    ledger.record(t + 7200.0, SystemSample(running=False))
    again = ledger.to_dict()["days"][day.isoformat()]
    assert isinstance(again, str) and again != closed
    assert ledger.day(day).system.runtime_s["cool"] == 100.7  # type: ignore[union-attr]


def test_a_day_the_layout_cannot_hold_stays_verbose_and_round_trips() -> None:
    ledger = busy_day()
    data = ledger.to_dict()
    data["days"]["2024-01-09"] = {
        "system": {"observed_s": 10.5, "runtime_s": {"dry": 5.23}},
        "zones": {"a": {"kwh": {"fan": 0.125}}},
    }
    restored = Ledger.from_dict(data, ZONES, NY)
    assert isinstance(restored.to_dict()["days"]["2024-01-09"], dict)
    day = restored.day(date(2024, 1, 9))
    assert day is not None and day.system.runtime_s == {"dry": 5.2}  # closed: 0.1 s
    assert saved_and_loaded(restored).day(date(2024, 1, 9)) == day


def test_a_schema_1_ledger_is_read_and_its_past_days_written_compact() -> None:
    reference = OpenLedger(ZONES, NY)
    t = datetime(2024, 1, 10, 22, 0, tzinfo=NY).timestamp()
    sample = busy_day()._last
    assert sample is not None
    for step in range(40):
        reference.record(t + 317.3 * step, sample)
    old = reference.to_dict()
    old["schema"] = 1
    del old["zones"]
    assert all(isinstance(day, dict) for day in old["days"].values())
    ledger = Ledger.from_dict(old, ZONES, NY)
    data = ledger.to_dict()
    assert isinstance(data["days"]["2024-01-10"], str)
    assert data["days"]["2024-01-11"] == old["days"]["2024-01-11"]
    assert ledger.lifetime() == reference.lifetime()
    assert len(json.dumps(data)) < len(json.dumps(old))


def test_encode_then_decode_gives_the_closed_day_back() -> None:
    bucket = copy.deepcopy(busy_day().day(date(2024, 1, 10)))
    assert bucket is not None
    codes: dict[str, int] = {"z": 0}
    text = close(bucket, codes)
    assert text is not None and codes == {"z": 0, "a": 1, "b": 2, "c": 3}
    assert decode(bucket.date, text, list(codes)) == bucket
    assert encode(bucket, codes) == text


GOOD = busy_day().to_dict()["days"]["2024-01-10"]


def _edit(change: Any) -> str:
    row = json.loads(GOOD)
    change(row)
    return json.dumps(row)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "{}",
        "[]",
        "[[1]]",
        "[[1], {}]",
        "[3, []]",
        _edit(lambda r: r[0].append(1.5)),
        _edit(lambda r: r[0].extend([0] * 30)),
        _edit(lambda r: r[0].__setitem__(1, -1)),
        _edit(lambda r: r[0].__setitem__(1, True)),
        _edit(lambda r: r[1].append([])),
        _edit(lambda r: r[1].append([7, 1])),
        _edit(lambda r: r[1].append(list(r[1][0]))),
        _edit(lambda r: r[1].append([2, -1])),
        _edit(lambda r: r.append([9, 1])),
        _edit(lambda r: r.append(list(r[2]))),
        _edit(lambda r: r.append([])),
        _edit(lambda r: r.append(3)),
        _edit(lambda r: r[2].__setitem__(1, -5)),
    ],
)
def test_garbage_compact_days_raise_ledger_data_error(text: str) -> None:
    data = busy_day().to_dict()
    data["days"]["2024-01-10"] = text
    with pytest.raises(LedgerDataError):
        Ledger.from_dict(data, ZONES, NY)


@pytest.mark.parametrize("zones", ["a", ["a", 1], ["a", "a"]])
def test_a_bad_zone_list_raises_ledger_data_error(zones: Any) -> None:
    data = busy_day().to_dict()
    data["zones"] = zones
    with pytest.raises(LedgerDataError):
        Ledger.from_dict(data, ZONES, NY)


def test_signed_integrals_may_be_negative() -> None:
    ledger = busy_day()
    row = json.loads(ledger.to_dict()["days"]["2024-01-10"])
    assert row[0][15] < 0  # outdoor integral on a freezing day
    assert any(zone[11] < 0 for zone in row[2:])  # a room below zero
    day = ledger.day(date(2024, 1, 10))
    assert day is not None and day.system.outdoor_mean == pytest.approx(-3.3, abs=1e-3)
    assert math.isclose(day.zones["b"].temperature_mean or 0.0, -1.7, abs_tol=1e-3)


def test_every_field_of_a_day_is_closed_and_stored() -> None:
    """A field added to the day buckets must get a place in the compact layout, or this fails."""
    bucket = DayBucket(date=date(2024, 1, 10))
    targets: list[Any] = [bucket.system, bucket.zone("a")]
    for target in targets:
        for field in dataclasses.fields(target):
            value = getattr(target, field.name)
            if isinstance(value, float):
                setattr(target, field.name, 1234.5678912)
            elif isinstance(value, dict) and field.name != "cycles":
                setattr(target, field.name, {"heat": 1234.5678912, "cool": 2.345678912})
    bucket.system.observed_s = 86400.0
    bucket.system.cycles["heat"] = CycleStats(starts=1, completed=1, total_s=1.23, min_s=1.23,
                                              max_s=1.23, histogram=[1, 0, 0, 0, 0, 0])  # fmt: skip
    codes: dict[str, int] = {}
    text = close(bucket, codes)
    assert text is not None
    restored = decode(bucket.date, text, list(codes))
    assert restored == bucket
    for target in (restored.system, restored.zones["a"]):
        for field in dataclasses.fields(target):
            assert getattr(target, field.name), f"{type(target).__name__}.{field.name} was lost"
            value = getattr(target, field.name)
            for number in value.values() if isinstance(value, dict) else [value]:
                if isinstance(number, float):
                    assert number != 1234.5678912, f"{field.name} was not quantised"


@pytest.mark.parametrize(
    "cycles",
    [
        {"dry": {"starts": 1}},  # a mode the layout has no code for
        {"heat": {"starts": 1, "completed": 1, "total_s": 60.0}},  # lengths lost
        {"heat": {"starts": 1, "min_s": 60.04, "max_s": 60.04}},  # lengths but none completed
        {"heat": {"completed": 1, "total_s": 60.0, "min_s": 60.0}},  # no longest
    ],
)
def test_cycles_the_layout_cannot_hold_stay_verbose(cycles: dict[str, Any]) -> None:
    data = busy_day().to_dict()
    data["days"]["2024-01-09"] = {"system": {"observed_s": 600.0, "cycles": cycles}}
    restored = Ledger.from_dict(data, ZONES, NY)
    assert isinstance(restored.to_dict()["days"]["2024-01-09"], dict)
    day = restored.day(date(2024, 1, 9))
    assert day is not None
    assert saved_and_loaded(restored).day(date(2024, 1, 9)) == day


def test_split_exactly_always_adds_up_to_the_total() -> None:
    """A zone's measured/estimated split of energy cells that got a remainder elsewhere: the
    difference goes to the largest part, and is never taken below zero."""
    assert apportion([3.4, 0.0], 1, 5) == [3, 0]  # rounded alone: 3, not 5
    assert split_exactly([3.4, 0.0], 1, 5) == [5, 0]
    assert split_exactly([0.2, 3.4], 1, 1) == [0, 1]
    assert split_exactly([1.0, 1.0], 1, 1) == [0, 1]  # a tie: the first gives
    assert split_exactly([0.0, 0.0], 1, 0) == [0, 0]
