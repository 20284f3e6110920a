"""Energy without a power sensor: an inverter's part load and the bounds of every estimate."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, timedelta

from hypothesis import given, settings, strategies as st
import pytest

from engine.ledger.energy import EnergyModel
from engine.ledger.figures import sensor_figures
from engine.ledger.ledger import Ledger
from engine.ledger.part_load import (
    COP_SPREAD,
    MIN_OUTPUT,
    MIN_OUTPUT_HIGH,
    MIN_OUTPUT_LOW,
    PartLoad,
    PowerEstimate,
    blower_w,
    inverter_power,
    min_speed_cop_gain,
)
from engine.ledger.samples import SystemSample, ZoneSample, sample_from_dict, sample_to_dict
from engine.ledger.sums import energy_bounds, share_of_bounds
from engine.model import Mode, SystemConfig, Topology, ZoneConfig
from engine.report.build import SystemReportInput, build_report
from engine.report.export import export_rows

T0 = 1_767_225_600.0  # 2026-01-01 00:00 UTC
INVERTER = EnergyModel(heating_capacity_w=5000.0, cooling_capacity_w=5000.0, inverter=True)
SINGLE = EnergyModel(heating_capacity_w=7000.0, cooling_capacity_w=7000.0)
SPLIT = SystemConfig(
    topology=Topology.MINI_SPLIT,
    zones=(ZoneConfig("a", "A", head="climate.a"), ZoneConfig("b", "B", head="climate.b")),
)
DUCTED = SystemConfig(
    topology=Topology.DUCTED,
    zones=(ZoneConfig("a", "A", dampers=("cover.a",)), ZoneConfig("b", "B", dampers=("cover.b",))),
    source="climate.main",
)


def _run(
    state: PartLoad,
    model: EnergyModel,
    seconds: float,
    running: bool,
    *,
    mode: Mode = Mode.HEAT,
    outdoor: float = 5.0,
    indoor: float = 21.0,
    inferred: bool = False,
) -> PowerEstimate:
    return state.estimate(
        model,
        seconds,
        running=running,
        mode=mode if running else None,
        blower=running,
        outdoor=outdoor,
        indoor=indoor,
        inferred=inferred,
    )


def test_min_speed_gain_follows_domain_figures() -> None:
    assert min_speed_cop_gain(Mode.HEAT, 47.0, "°F") == pytest.approx(1.37)
    assert min_speed_cop_gain(Mode.HEAT, 17.0, "°F") == pytest.approx(1.25)
    assert min_speed_cop_gain(Mode.HEAT, 5.0, "°F") == pytest.approx(1.15)
    assert min_speed_cop_gain(Mode.HEAT, -20.0, "°F") == pytest.approx(1.15)
    assert min_speed_cop_gain(Mode.HEAT, 60.0, "°F") == pytest.approx(1.37)
    assert min_speed_cop_gain(Mode.HEAT, 32.0, "°F") == pytest.approx(1.31)
    assert min_speed_cop_gain(Mode.HEAT, None, "°C") == pytest.approx(1.37)
    assert min_speed_cop_gain(Mode.COOL, 35.0, "°C") == pytest.approx(1.37)


def test_inverter_power_at_minimum_and_full_load() -> None:
    cop = INVERTER.cop(Mode.HEAT, 8.33)  # 47 °F
    full = INVERTER.capacity_w(Mode.HEAT, 8.33)
    assert inverter_power(INVERTER, Mode.HEAT, 8.33, 1.0, 0.3) == pytest.approx(full / cop)
    at_min = inverter_power(INVERTER, Mode.HEAT, 8.33, 0.3, 0.3)
    assert at_min == pytest.approx(0.3 * full / (cop * 1.37), rel=1e-3)
    # COP rises at part load: less power per watt of heat
    assert at_min / 0.3 < inverter_power(INVERTER, Mode.HEAT, 8.33, 0.65, 0.3) / 0.65
    assert inverter_power(INVERTER, Mode.HEAT, 8.33, 1.0, 1.0) == pytest.approx(full / cop)


def test_cycling_inverter_books_its_minimum_not_its_rating() -> None:
    state = PartLoad()
    estimate = _run(state, INVERTER, 60.0, True)
    rated = INVERTER.power_w(running=True, mode=Mode.HEAT, blower=True, outdoor=5.0)
    assert estimate.nominal == pytest.approx(inverter_power(INVERTER, Mode.HEAT, 5.0, 0.35, 0.35))
    assert estimate.nominal < 0.3 * rated
    low = inverter_power(INVERTER, Mode.HEAT, 5.0, MIN_OUTPUT_LOW, MIN_OUTPUT_LOW)
    high = inverter_power(INVERTER, Mode.HEAT, 5.0, MIN_OUTPUT_HIGH, MIN_OUTPUT_HIGH)
    assert estimate.low == pytest.approx(low * (1.0 - COP_SPREAD))
    assert estimate.high == pytest.approx(high * (1.0 + COP_SPREAD))
    assert MIN_OUTPUT_LOW < MIN_OUTPUT < MIN_OUTPUT_HIGH


def test_single_stage_books_its_rating_with_fan_and_cop_bounds() -> None:
    estimate = _run(PartLoad(), SINGLE, 60.0, True, mode=Mode.COOL, outdoor=30.0)
    rated = SINGLE.power_w(running=True, mode=Mode.COOL, blower=True, outdoor=30.0)
    assert estimate.nominal == rated
    assert estimate.low == pytest.approx(rated * (1.0 - COP_SPREAD))
    # 2 tons at 400 CFM/ton and 0.8 W/CFM: 637 W
    assert blower_w(SINGLE, Mode.COOL) == pytest.approx(637.0, abs=1.0)
    assert estimate.high == pytest.approx(rated * (1.0 + COP_SPREAD) + blower_w(SINGLE, Mode.COOL))


def test_idle_unit_books_its_standby_only() -> None:
    model = EnergyModel(inverter=True, standby_w=5.0, fan_only_w=40.0)
    assert _run(PartLoad(), model, 60.0, False) == PowerEstimate(5.0, 5.0, 5.0)
    state = PartLoad()
    _run(state, model, 0.0, True)  # no time: nothing to remember but the mode
    assert (state.duty, state.learnt, state.mode) == (0.0, {}, Mode.HEAT)


def test_runtime_taken_at_the_controllers_word_may_have_been_idle() -> None:
    model = EnergyModel(inverter=True, standby_w=5.0, fan_only_w=40.0)
    seen = _run(PartLoad(), model, 60.0, True)
    inferred = _run(PartLoad(), model, 60.0, True, inferred=True)
    assert inferred.nominal == seen.nominal
    assert inferred.high == seen.high
    assert inferred.low == 40.0  # the head's fan, running without the compressor


def test_continuous_run_follows_the_learnt_load() -> None:
    state = PartLoad()
    # Mild weather: cycling a third of the time at 10 K indoor-outdoor difference.
    for _ in range(48):
        _run(state, INVERTER, 1200.0, True, outdoor=11.0)
        _run(state, INVERTER, 2400.0, False, outdoor=11.0)
    learnt = state.learnt["heat"]
    coefficient = learnt[0] / learnt[1]
    full = INVERTER.capacity_w(Mode.HEAT, 11.0)
    assert coefficient * 10.0 == pytest.approx(MIN_OUTPUT * full / 3.0, rel=0.05)
    # A cold spell: the unit runs without stopping, so it works above its minimum.
    estimates = [_run(state, INVERTER, 600.0, True, outdoor=-9.0) for _ in range(30)]
    assert estimates[0].nominal == pytest.approx(
        inverter_power(INVERTER, Mode.HEAT, -9.0, MIN_OUTPUT, MIN_OUTPUT)
    )
    last = estimates[-1]
    learnt = state.learnt["heat"]  # also learnt from the cold spell's first, cycling-like hour
    coefficient = learnt[0] / learnt[1]
    plr = min(1.0, max(MIN_OUTPUT, coefficient * 30.0 / INVERTER.capacity_w(Mode.HEAT, -9.0)))
    assert plr > MIN_OUTPUT
    assert last.nominal == pytest.approx(inverter_power(INVERTER, Mode.HEAT, -9.0, plr, MIN_OUTPUT))
    assert last.high == pytest.approx(
        inverter_power(INVERTER, Mode.HEAT, -9.0, 1.0, MIN_OUTPUT) * (1.0 + COP_SPREAD)
    )
    assert last.low < last.nominal < last.high


def test_continuous_run_without_learning_is_halfway() -> None:
    state = PartLoad()
    for _ in range(20):
        estimate = _run(state, INVERTER, 600.0, True, indoor=float("nan"))
    half = (1.0 + MIN_OUTPUT) / 2.0
    assert state.duty > 0.95
    assert estimate.nominal == pytest.approx(
        inverter_power(INVERTER, Mode.HEAT, 5.0, half, MIN_OUTPUT)
    )


def test_state_round_trip_and_garbage() -> None:
    state = PartLoad()
    for _ in range(5):
        _run(state, INVERTER, 600.0, True, mode=Mode.COOL, outdoor=32.0, indoor=24.0)
        _run(state, INVERTER, 600.0, False, outdoor=32.0, indoor=24.0)
    again = PartLoad.from_dict(state.to_dict())
    assert again == state
    assert again.mode is Mode.COOL
    for garbage in (None, [], {"duty": "x", "mode": "dry", "learnt": {"heat": [1, "x"]}}):
        assert PartLoad.from_dict(garbage) == PartLoad()
    assert PartLoad.from_dict({"duty": 2.0, "learnt": {"cool": [1.0]}}) == PartLoad()
    assert PartLoad.from_dict({"learnt": []}) == PartLoad()
    assert PartLoad.from_dict({"learnt": {"heat": [-1.0, 1.0]}}) == PartLoad()


def test_energy_bounds_helpers() -> None:
    assert energy_bounds(3.0, 0.0, 0.0, 0.0) is None
    assert energy_bounds(3.0, 2.0, 1.0, 4.0) == (4.0, 7.0)
    # days booked before the bounds existed: (0, estimate)
    assert energy_bounds(0.0, 2.0, 0.0, 0.0) == (0.0, 2.0)
    assert share_of_bounds(1.0, 4.0, (2.0, 8.0)) == (0.5, 2.0)
    assert share_of_bounds(1.0, 0.0, (2.0, 8.0)) is None
    assert share_of_bounds(1.0, 4.0, None) is None


def _sample(running: bool, inferred: bool, temperature: float | None) -> SystemSample:
    zones = {"a": ZoneSample(conditioned=running, temperature=temperature), "b": ZoneSample()}
    return SystemSample(
        running=running,
        mode=Mode.HEAT if running else None,
        blower=running,
        zones=zones,
        outdoor_temperature=2.0,
        inferred=inferred,
    )


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.floats(10.0, 4000.0),
            st.booleans(),
            st.booleans(),
            st.one_of(st.none(), st.floats(10.0, 25.0)),
            st.one_of(st.none(), st.floats(0.0, 3000.0)),
        ),
        min_size=1,
        max_size=60,
    ),
    inverter=st.booleans(),
)
def test_estimated_energy_lies_within_its_bounds(
    steps: list[tuple[float, bool, bool, float | None, float | None]], inverter: bool
) -> None:
    """Whatever is booked, every day's and the lifetime's estimate lies within its bounds, also
    after a day is closed and the ledger is saved and read back."""
    model = EnergyModel(inverter=inverter, standby_w=3.0)
    ledger = Ledger(["a", "b"], UTC, energy_model=model)
    now = T0
    for seconds, running, inferred, temperature, power in steps:
        sample = _sample(running, inferred, temperature)
        if power is not None:
            sample = replace(sample, power_w=power)
        ledger.record(now, sample)
        now += seconds
    ledger.flush(now)
    ledger.record(now + 2 * 86400.0, _sample(False, False, None))  # closes every day
    restored = Ledger.from_dict(ledger.to_dict(), ["a", "b"], UTC, energy_model=model)
    for book in (ledger, restored):
        life = book.lifetime()
        assert life["estimated_low_kwh"] <= life["estimated_kwh"] + 1e-9
        assert life["estimated_kwh"] <= life["estimated_high_kwh"] + 1e-9
        days = book.days(date.min, date.max)
        assert days
        for day in days:
            system = day.system
            assert system.estimated_low_kwh <= system.estimated_kwh <= system.estimated_high_kwh
    assert restored.part_load == ledger.part_load


def test_inferred_sample_survives_a_restart() -> None:
    sample = _sample(True, True, 20.0)
    assert sample_from_dict(sample_to_dict(sample)) == sample
    plain = _sample(True, False, 20.0)
    assert "inferred" not in sample_to_dict(plain)
    assert not sample_from_dict(sample_to_dict(plain)).inferred


def _unmetered(model: EnergyModel, power: float | None = None) -> Ledger:
    """Two days: the unit heats zone a for 20 minutes of every hour."""
    ledger = Ledger(["a", "b"], UTC, energy_model=model)
    now = T0
    for _ in range(48):
        ledger.record(now, replace(_sample(True, False, 20.0), power_w=power))
        ledger.record(now + 1200.0, replace(_sample(False, False, 20.0), power_w=power))
        now += 3600.0
    ledger.flush(now)
    return ledger


def test_report_and_sensors_carry_the_interval() -> None:
    start = date(2026, 1, 1)
    ledger = _unmetered(INVERTER)
    item = SystemReportInput("up", "Upstairs", SPLIT, ledger)
    energy = build_report([item], start, start + timedelta(days=1))["systems"][0]["energy"]
    assert energy["method"] == "estimated"
    assert energy["estimated_parts"] == ["part_load_output", "cop"]
    assert energy["low_kwh"] < energy["kwh"] < energy["high_kwh"]
    life = ledger.lifetime()
    assert energy["low_kwh"] == pytest.approx(life["estimated_low_kwh"], abs=0.01)
    assert energy["high_kwh"] == pytest.approx(life["estimated_high_kwh"], abs=0.01)
    zone = build_report([item], start, start + timedelta(days=1))["systems"][0]["zones"][0]
    assert zone["energy"]["low_kwh"] == pytest.approx(energy["low_kwh"], abs=0.01)
    assert zone["energy"]["high_kwh"] == pytest.approx(energy["high_kwh"], abs=0.01)
    rows = export_rows(ledger, start, start + timedelta(days=1))
    system_rows = [r for r in rows if r["zone"] == ""]
    assert sum(r["estimated_low_kwh"] for r in system_rows) == pytest.approx(
        energy["low_kwh"], abs=0.01
    )
    for row in rows:
        assert row["estimated_low_kwh"] <= row["estimated_kwh"] <= row["estimated_high_kwh"]
    figures = sensor_figures(ledger, T0 + 48 * 3600.0)
    assert figures.lifetime_kwh_bounds == pytest.approx(
        (life["estimated_low_kwh"], life["estimated_high_kwh"])
    )
    assert figures.zones["a"].lifetime_kwh_bounds == pytest.approx(figures.lifetime_kwh_bounds)
    assert figures.zones["b"].lifetime_kwh_bounds == (0.0, 0.0)
    single = _unmetered(SINGLE)
    item = SystemReportInput("main", "Main", DUCTED, single)
    energy = build_report([item], start, start + timedelta(days=1))["systems"][0]["energy"]
    assert energy["estimated_parts"] == ["cop", "fan_power"]
    # The inverter books far less than its rating whenever it runs; the ducted unit its rating.
    assert (
        ledger.lifetime()["kwh"]
        < 0.3
        * 16
        * INVERTER.power_w(running=True, mode=Mode.HEAT, blower=True, outdoor=2.0)
        / 1000.0
    )
    metered = _unmetered(INVERTER, power=800.0)
    item = SystemReportInput("up", "Upstairs", SPLIT, metered)
    energy = build_report([item], start, start + timedelta(days=1))["systems"][0]["energy"]
    assert (energy["low_kwh"], energy["high_kwh"], energy["estimated_parts"]) == (None, None, [])
    assert sensor_figures(metered, T0 + 48 * 3600.0).lifetime_kwh_bounds is None
