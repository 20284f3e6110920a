"""The runtime ledger: attribution, cycles, local days, gaps and energy (hand-computed)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import math
from zoneinfo import ZoneInfo

import pytest

from engine.ledger.degree_days import local_date
from engine.ledger.energy import EnergyModel
from engine.ledger.figures import sensor_figures
from engine.ledger.ledger import (
    Ledger,
    SystemSample,
    ZoneSample,
    attribution_shares,
)
from engine.ledger.sums import merge_days
from engine.model import Mode

NY = ZoneInfo("America/New_York")
HEAT, COOL = Mode.HEAT, Mode.COOL
T0 = datetime(2024, 1, 10, 8, 0, tzinfo=NY).timestamp()
OFF = SystemSample(running=False)


def heating(
    weights: dict[str, float], *, power: float | None = 3000.0, outdoor: float | None = 5.0
) -> SystemSample:
    zones = {z: ZoneSample(calling=HEAT, conditioned=w > 0, weight=w) for z, w in weights.items()}
    return SystemSample(
        running=True, mode=HEAT, blower=True, zones=zones, power_w=power,
        outdoor_temperature=outdoor,
    )  # fmt: skip


def hold(ledger: Ledger, start: float, seconds: float, sample: SystemSample) -> float:
    """Record ``sample`` every minute from ``start`` for ``seconds``; return the end time."""
    t = start
    while t < start + seconds:
        ledger.record(t, sample)
        t += 60.0
    return start + seconds


def make(zones: tuple[str, ...] = ("a", "b"), **kwargs: object) -> Ledger:
    return Ledger(zones, NY, **kwargs)  # type: ignore[arg-type]


def test_runtime_split_by_open_airflow() -> None:
    ledger = make()
    t = hold(ledger, T0, 600.0, OFF)
    t = hold(ledger, t, 1800.0, heating({"a": 100.0, "b": 300.0}))
    ledger.record(t, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.system.runtime_s == {"heat": 1800.0}
    assert day.zones["a"].runtime_s["heat"] == pytest.approx(7.5 * 60)
    assert day.zones["b"].runtime_s["heat"] == pytest.approx(22.5 * 60)
    # 3 kW for 30 min = 1.5 kWh, split 1:3; all measured.
    assert day.system.measured_kwh == pytest.approx(1.5)
    assert day.system.estimated_kwh == 0.0
    assert day.zones["a"].measured_kwh == pytest.approx(0.375)
    assert day.zones["b"].kwh["heat"] == pytest.approx(1.125)
    assert day.zones["a"].calling_s["heat"] == 1800.0
    assert day.zones["a"].conditioned_s["heat"] == 1800.0
    assert day.system.blower_s == 1800.0
    assert day.system.observed_s == 2400.0
    assert ledger.zone_lifetime("b")["runtime_s"] == pytest.approx(1350.0)
    assert ledger.lifetime()["kwh"] == pytest.approx(1.5)


def test_closed_zone_waits_and_gets_nothing() -> None:
    ledger = make()
    sample = SystemSample(
        running=True,
        mode=COOL,
        zones={
            "a": ZoneSample(calling=COOL, conditioned=True, weight=200.0),
            "b": ZoneSample(calling=HEAT, waiting=True, weight=0.0),
        },
        power_w=2000.0,
    )
    ledger.record(T0, sample)
    ledger.record(T0 + 600.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.zones["a"].runtime_s == {"cool": 600.0}
    assert day.zones["b"].runtime_s == {}
    assert day.zones["b"].waiting_s == {"heat": 600.0}
    assert day.zones["b"].calling_s == {"heat": 600.0}
    assert ledger.zone_lifetime("b")["waiting_s"] == 600.0


def test_equal_split_without_weights_and_head_output_shares() -> None:
    zones = {
        "a": ZoneSample(calling=HEAT, conditioned=True, weight=float("nan")),
        "b": ZoneSample(calling=HEAT, conditioned=True, weight=-1.0),
    }
    assert attribution_shares(SystemSample(running=True, zones=zones)) == {"a": 0.5, "b": 0.5}
    zones["c"] = ZoneSample(calling=HEAT, conditioned=True, weight=3.0)
    assert attribution_shares(SystemSample(running=True, zones=zones)) == {
        "a": 0.0,
        "b": 0.0,
        "c": 1.0,
    }
    heads = {
        "a": ZoneSample(conditioned=True, weight=600.0),  # W reported by the head
        "b": ZoneSample(conditioned=True, weight=200.0),
    }
    assert attribution_shares(SystemSample(running=True, zones=heads)) == {"a": 0.75, "b": 0.25}


def test_running_without_any_zone_is_unattributed() -> None:
    ledger = make()
    sample = SystemSample(running=True, mode=HEAT, zones={"a": ZoneSample()}, power_w=1200.0)
    ledger.record(T0, sample)
    ledger.record(T0 + 600.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.system.unattributed_s == {"heat": 600.0}
    assert day.system.unattributed_kwh == pytest.approx(0.2)
    assert "a" not in day.zones


def test_standby_energy_stays_on_the_system() -> None:
    ledger = make(estimate_energy=False)
    ledger.record(T0, SystemSample(running=False, power_w=20.0, zones={"a": ZoneSample()}))
    ledger.record(T0 + 3600.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.system.observed_s == 900.0  # one sample holds 15 min at most
    assert day.system.unknown_s == 2700.0
    assert day.system.kwh == {"standby": pytest.approx(0.005)}


def test_cycles_lengths_histogram_and_short_cycles() -> None:
    ledger = make()
    t = hold(ledger, T0, 300.0, OFF)
    t = hold(ledger, t, 240.0, heating({"a": 1.0}))  # 4 min: short
    t = hold(ledger, t, 600.0, OFF)
    t = hold(ledger, t, 1500.0, heating({"a": 1.0}))  # 25 min
    t = hold(ledger, t, 600.0, OFF)
    ledger.record(t, heating({"a": 1.0}))  # started, not finished
    totals = sensor_figures(ledger, t)
    assert totals.cycles_today == 3
    assert totals.short_cycles_today == 1
    assert totals.average_cycle_today_s == pytest.approx((240.0 + 1500.0) / 2)
    stats = ledger.day(date(2024, 1, 10)).system.cycles["heat"]  # type: ignore[union-attr]
    assert (stats.starts, stats.completed, stats.min_s, stats.max_s) == (3, 2, 240.0, 1500.0)
    assert stats.histogram == [1, 0, 0, 1, 0, 0]
    assert stats.average_s == pytest.approx(870.0)
    assert ledger.lifetime()["cycles"] == 3


def test_first_sample_running_is_not_a_start_and_has_no_length() -> None:
    ledger = make()
    t = hold(ledger, T0, 600.0, heating({"a": 1.0}))
    ledger.record(t, OFF)
    stats = ledger.day(date(2024, 1, 10)).system.cycles  # type: ignore[union-attr]
    assert stats == {}
    assert sensor_figures(ledger, t).average_cycle_today_s is None


def test_cycle_across_midnight_counted_at_start_length_at_stop() -> None:
    ledger = make()
    start = datetime(2024, 1, 10, 23, 50, tzinfo=NY).timestamp()
    ledger.record(start - 60.0, OFF)
    t = hold(ledger, start, 1200.0, heating({"a": 1.0, "b": 1.0}))
    ledger.record(t, OFF)
    first, second = ledger.day(date(2024, 1, 10)), ledger.day(date(2024, 1, 11))
    assert first is not None and second is not None
    assert first.system.cycles["heat"].starts == 1
    assert first.system.cycles["heat"].completed == 0
    assert second.system.cycles["heat"].completed == 1
    assert second.system.cycles["heat"].total_s == 1200.0
    assert first.system.runtime_s["heat"] == 600.0
    assert second.system.runtime_s["heat"] == 600.0
    assert first.zones["a"].runtime_s["heat"] == 300.0


def test_interval_crossing_midnight_is_split() -> None:
    ledger = make()
    start = datetime(2024, 1, 10, 23, 55, tzinfo=NY).timestamp()
    ledger.record(start, heating({"a": 100.0, "b": 300.0}, outdoor=8.0))
    ledger.record(start + 600.0, OFF)
    first, second = ledger.day(date(2024, 1, 10)), ledger.day(date(2024, 1, 11))
    assert first is not None and second is not None
    assert first.system.runtime_s["heat"] == 300.0
    assert second.system.runtime_s["heat"] == 300.0
    # a closed day keeps degree days to 0.0001 (ledger.store)
    assert first.system.hdd == pytest.approx(10.0 * 300 / 86400, abs=0.5e-4)
    assert second.zones["b"].runtime_s["heat"] == pytest.approx(225.0)


@pytest.mark.parametrize(("day", "hours"), [(date(2024, 3, 10), 23), (date(2024, 11, 3), 25)])
def test_dst_day_books_its_real_length(day: date, hours: int) -> None:
    ledger = make()
    start = datetime(day.year, day.month, day.day, tzinfo=NY).timestamp() - 1800.0
    t = hold(ledger, start, (hours + 1) * 3600.0, heating({"a": 1.0}, outdoor=8.0))
    ledger.record(t, OFF)
    bucket = ledger.day(day)
    assert bucket is not None
    assert bucket.system.runtime_s["heat"] == hours * 3600.0
    assert bucket.system.hdd == pytest.approx(10.0 * hours / 24, abs=0.5e-4)  # closed: 0.0001
    assert ledger.day(day - timedelta(days=1)).system.observed_s == 1800.0  # type: ignore[union-attr]
    assert ledger.day(day + timedelta(days=1)).system.observed_s == 1800.0  # type: ignore[union-attr]


def test_long_gap_books_unknown_not_runtime() -> None:
    ledger = make()
    ledger.record(T0 - 60.0, OFF)
    ledger.record(T0, heating({"a": 1.0}))
    ledger.record(T0 + 7200.0, heating({"a": 1.0}))  # HA was down for 2 h
    ledger.record(T0 + 7800.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.system.runtime_s["heat"] == 900.0 + 600.0
    assert day.system.unknown_s == 6300.0
    assert day.system.cycles["heat"].starts == 1
    assert day.system.cycles["heat"].completed == 0  # its length is unknown


def test_gap_of_years_stays_cheap() -> None:
    ledger = make(retention_days=10)
    ledger.record(T0, OFF)
    ledger.record(T0 + 3 * 365 * 86400.0, OFF)
    assert len(ledger.days(date(2000, 1, 1), date(2100, 1, 1))) <= 10


def test_time_going_backwards_books_nothing() -> None:
    ledger = make()
    ledger.record(T0, heating({"a": 1.0}))
    ledger.record(T0 - 3600.0, heating({"a": 1.0}))
    assert ledger.clock_jumps == 1
    assert ledger.lifetime()["runtime_s"] == 0.0
    ledger.record(T0 - 3000.0, OFF)
    assert ledger.lifetime()["runtime_s"] == 600.0


def test_power_integration_with_none_negative_and_absurd() -> None:
    model = EnergyModel(unit="°C")
    ledger = make(energy_model=model)
    t = T0
    for power in (2000.0, None, -50.0, 1e9, float("nan"), 1000.0):
        ledger.record(t, heating({"a": 1.0}, power=power, outdoor=8.0))
        t += 600.0
    ledger.record(t, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.system.measured_kwh == pytest.approx(2000 / 6000 + 1000 / 6000)
    estimate = model.power_w(running=True, mode=HEAT, blower=True, outdoor=8.0) / 6000
    assert day.system.estimated_kwh == pytest.approx(4 * estimate)
    assert day.zones["a"].measured_kwh == pytest.approx(day.system.measured_kwh)
    assert day.zones["a"].estimated_kwh == pytest.approx(day.system.estimated_kwh)
    # the only day: its method is the lifetime's
    assert sensor_figures(ledger, t).lifetime_energy_method == "mixed"


def test_without_a_model_unknown_power_is_not_energy() -> None:
    ledger = make(estimate_energy=False)
    ledger.record(T0, heating({"a": 1.0}, power=None))
    ledger.record(T0 + 600.0, OFF)
    totals = sensor_figures(ledger, T0 + 600.0)  # the only day: today's energy is the lifetime's
    assert totals.lifetime_kwh == 0.0
    assert totals.lifetime_energy_method == "none"


def test_retention_prunes_old_days() -> None:
    ledger = make(retention_days=3)
    t = T0
    for _ in range(6):
        ledger.record(t, heating({"a": 1.0}))
        ledger.record(t + 600.0, OFF)
        t += 86400.0
    kept = [b.date for b in ledger.days(date(2024, 1, 1), date(2024, 2, 1))]
    assert kept == [date(2024, 1, 13), date(2024, 1, 14), date(2024, 1, 15)]
    assert ledger.first_day == date(2024, 1, 13)
    assert ledger.lifetime()["runtime_s"] == 6 * 600.0  # lifetime is never pruned


def test_set_zones_keeps_history_of_removed_zones() -> None:
    ledger = make(("a", "b"))
    ledger.record(T0, heating({"a": 1.0, "b": 1.0}))
    ledger.record(T0 + 600.0, OFF)
    ledger.set_zones(["a", "c"])
    assert ledger.zone_ids == ("a", "c")
    ledger.record(T0 + 1200.0, heating({"a": 1.0, "c": 1.0}))
    ledger.record(T0 + 1800.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.zones["b"].runtime_s["heat"] == 300.0
    assert day.zones["c"].runtime_s["heat"] == 300.0
    totals = sensor_figures(ledger, T0 + 1800.0)
    assert set(totals.zones) == {"a", "c"}
    assert totals.zones["a"].runtime_today_s == 600.0  # all of it heat:
    assert day.zones["a"].runtime_s == {"heat": 600.0}
    assert ledger.zone_lifetime("b")["runtime_s"] == 300.0
    assert ledger.zone_lifetime("zz")["runtime_s"] == 0.0


def test_conditioned_mode_falls_back_to_calling_and_temperatures() -> None:
    ledger = make()
    sample = SystemSample(
        running=False,
        blower=True,
        zones={
            "a": ZoneSample(calling=COOL, conditioned=True, temperature=25.0),
            "b": ZoneSample(temperature=1e9),
        },
    )
    ledger.record(T0, sample)
    ledger.record(T0 + 600.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.zones["a"].conditioned_s == {"cool": 600.0}
    assert day.zones["a"].temperature_mean == 25.0
    assert "b" not in day.zones
    assert day.system.outdoor_mean is None


def test_comfort_gap_per_zone_and_mode() -> None:
    """K·s each room spends on the wrong side of the comfort temperature; none past it."""
    ledger = make(("a", "b", "c"))
    sample = SystemSample(
        running=False,
        zones={
            "a": ZoneSample(temperature=19.0),
            "b": ZoneSample(temperature=25.0),
            "c": ZoneSample(temperature=None),
        },
        comfort={"heat": 20.5, "cool": 24.0, "dry": 1.0, "unknown": float("nan")},
    )
    ledger.record(T0, sample)
    ledger.record(T0 + 600.0, OFF)
    ledger.record(T0 + 1200.0, sample)
    ledger.record(T0 + 1500.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.system.comfort_s == {"heat": 900.0, "cool": 900.0}
    assert day.zones["a"].comfort_gap_ks == {"heat": pytest.approx(1.5 * 900.0)}
    assert day.zones["b"].comfort_gap_ks == {"cool": pytest.approx(900.0)}
    assert "c" not in day.zones


def test_running_without_mode_is_unknown_mode() -> None:
    ledger = make()
    ledger.record(T0, SystemSample(running=True, zones={"a": ZoneSample(conditioned=True)}))
    ledger.record(T0 + 600.0, OFF)
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert day.system.runtime_s == {"unknown": 600.0}
    assert day.zones["a"].runtime_s == {"unknown": 600.0}


def test_totals_today_and_rolling_per_degree_day() -> None:
    ledger = make()
    t = datetime(2024, 1, 10, tzinfo=NY).timestamp()
    idle = SystemSample(running=False, outdoor_temperature=8.0)
    for _ in range(7):  # every day: 2 h heating at 8 °C outdoor, then off at 8 °C
        ledger.record(t, idle)
        end = hold(ledger, t + 60.0, 7200.0, heating({"a": 1.0, "b": 3.0}, outdoor=8.0))
        end = hold(
            ledger, end, 86400.0 - 7260.0, SystemSample(running=False, outdoor_temperature=8.0)
        )
        t = end
    ledger.flush(t)
    totals = sensor_figures(ledger, t - 1.0)
    # The system's figures over the last 7 days are its zones' (every minute is attributed).
    today = local_date(t - 1.0, NY)
    week = merge_days(ledger.days(today - timedelta(days=6), today), today).system
    rolling_7 = [zone.per_degree_day[7] for zone in totals.zones.values()]
    assert week.hdd == pytest.approx(70.0, rel=1e-6)
    assert sum(r.runtime_minutes_per_hdd or 0.0 for r in rolling_7) == pytest.approx(
        7 * 120 / 70.0, rel=1e-6
    )
    assert sum(r.kwh_per_hdd or 0.0 for r in rolling_7) == pytest.approx(7 * 6.0 / 70.0, rel=1e-6)
    assert all(r.runtime_minutes_per_cdd is None for r in rolling_7)
    assert set(totals.zones["a"].per_degree_day) == {7, 30}
    assert totals.duty_cycle_today is not None
    assert 0.0 < totals.duty_cycle_today < 1.0
    assert ledger.zone_lifetime("b")["runtime_s"] == pytest.approx(7 * 5400.0)
    empty = sensor_figures(make(), T0)
    assert empty.duty_cycle_today is None
    assert empty.zones["a"].lifetime_kwh == 0.0
    assert empty.zones["a"].runtime_today_s == 0.0


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, 1e18, True])
def test_rejects_impossible_timestamps(bad: float) -> None:
    with pytest.raises(ValueError):
        make().record(bad, OFF)


def test_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        make(retention_days=0)
    with pytest.raises(ValueError):
        make(max_gap=0.0)


def test_fahrenheit_base_by_default() -> None:
    ledger = make(temperature_unit="°F")
    assert ledger.degree_day_base == 65.0
    assert ledger.energy_model is not None
    assert ledger.energy_model.unit == "°F"
    ledger.record(T0, SystemSample(running=False, outdoor_temperature=55.0))
    ledger.record(T0 + 900.0, OFF)
    assert ledger.day(date(2024, 1, 10)).system.hdd == pytest.approx(10 * 900 / 86400)  # type: ignore[union-attr]
    flushed = make()
    flushed.flush(T0)  # nothing to flush yet
    assert flushed.first_day is None
