"""The ASHRAE 152 duct-loss model: what the ledger books, the formula, and the report's choice."""

from __future__ import annotations

from datetime import timedelta
import math

from hypothesis import given, settings, strategies as st
import pytest

from engine.ledger.days import DayBucket, LedgerDataError, SystemDay
from engine.ledger.energy import EnergyModel
from engine.ledger.ledger import Ledger, SystemSample, ZoneSample
from engine.ledger.store import close, decode
from engine.model import Mode
from engine.report.build import SystemReportInput, build_report
from engine.report.duct_model import (
    AIR_W_K_PER_CFM,
    DUCT_HEAT_CAPACITY_J_K_M2,
    STEADY_TRUTH_RATIO,
    Z80,
    Ducts,
    ModeLoss,
    airflow_w_k,
    loss_range,
    mode_losses,
)
from engine.report.estimates import duct_model_estimate

from .test_report import DUCTED, DUCTLESS, NY, START, ductless_ledger, midnight

HEAT, COOL = Mode.HEAT, Mode.COOL
MODEL = EnergyModel(heating_capacity_w=7000.0, cooling_capacity_w=7000.0)


def sample(
    mode: Mode | None,
    *,
    duct: float | None,
    outdoor: float | None = 0.0,
    temps: tuple[float | None, float | None] = (21.0, 16.0),
    weights: tuple[float, float] = (100.0, 100.0),
) -> SystemSample:
    """Zones a and b both receiving air while the unit runs."""
    zones = {
        zone: ZoneSample(
            calling=mode, conditioned=mode is not None, weight=weight, temperature=temp
        )
        for zone, temp, weight in zip(("a", "b"), temps, weights, strict=True)
    }
    return SystemSample(
        running=mode is not None,
        mode=mode,
        blower=mode is not None,
        zones=zones,
        power_w=3000.0 if mode else 0.0,
        outdoor_temperature=outdoor,
        duct_temperature=duct,
    )


def book(ledger: Ledger, start: float, minutes: int, s: SystemSample) -> float:
    for minute in range(minutes):
        ledger.record(start + 60.0 * minute, s)
    return start + 60.0 * minutes


def test_ledger_books_return_minus_duct_space_while_running() -> None:
    ledger = Ledger(["a", "b"], NY)
    t = midnight(START)
    t = book(ledger, t, 60, sample(HEAT, duct=5.0, outdoor=2.0, weights=(300.0, 100.0)))
    t = book(ledger, t, 30, sample(None, duct=5.0))  # off: nothing
    t = book(ledger, t, 30, sample(HEAT, duct=None))  # no duct-space reading: nothing
    t = book(ledger, t, 30, sample(HEAT, duct=5.0, outdoor=None))  # no outdoor: nothing
    t = book(ledger, t, 30, sample(HEAT, duct=5.0, temps=(None, None)))  # no room: nothing
    t = book(ledger, t, 30, sample(COOL, duct=35.0, outdoor=30.0, temps=(25.0, 25.0)))
    ledger.flush(t)
    system = ledger.days(START, START)[0].system
    # Return air: 3:1 airflow-weighted mean of 21 and 16 = 19.75 °C.
    assert system.duct_s == {"heat": 3600.0, "cool": 1800.0}
    assert system.duct_dt_ks["heat"] == pytest.approx((19.75 - 5.0) * 3600.0)
    assert system.duct_dt_ks["cool"] == pytest.approx((25.0 - 35.0) * 1800.0)
    assert system.duct_outdoor_ks == pytest.approx({"heat": 2.0 * 3600.0, "cool": 30.0 * 1800.0})


def test_closed_day_keeps_the_duct_integrals_through_storage() -> None:
    bucket = DayBucket(
        date=START,
        system=SystemDay(
            observed_s=86400.0,
            runtime_s={"heat": 3600.4, "cool": 100.0},
            duct_s={"heat": 3600.4, "cool": 100.0},
            duct_dt_ks={"heat": 53100.6, "cool": -1000.2},
            duct_outdoor_ks={"heat": -7200.3, "cool": 3000.0},
            duct_cold_starts={"heat": 3.25, "cool": 0.0004},
        ),
    )
    codes: dict[str, int] = {}
    text = close(bucket, codes)
    assert text is not None
    again = decode(START, text, list(codes))
    assert again.system.duct_s == {"heat": 3600.4, "cool": 100.0}
    assert again.system.duct_dt_ks == {"heat": 53101.0, "cool": -1000.0}
    assert again.system.duct_outdoor_ks == {"heat": -7200.0, "cool": 3000.0}
    assert again.system.duct_cold_starts == {"heat": 3.25}  # thousandths of a start are kept
    assert again.system == bucket.system  # closing quantised the bucket in place
    assert SystemDay.from_dict(bucket.system.to_dict()) == bucket.system


def one_day(mode: Mode, seconds: float, return_minus_space: float, outdoor: float) -> DayBucket:
    key = mode.value
    return DayBucket(
        date=START,
        system=SystemDay(
            duct_s={key: seconds},
            duct_dt_ks={key: return_minus_space * seconds},
            duct_outdoor_ks={key: outdoor * seconds},
        ),
    )


def delivery_effectiveness(a: float, b: float, dts: float, dte: float) -> float:
    """ASHRAE 152's supply-side delivery effectiveness, as the standard writes it."""
    return a * b - a * (1.0 - b) * dts / dte


@pytest.mark.parametrize(
    ("mode", "space", "outdoor"),
    [(HEAT, 0.0, 0.0), (HEAT, 12.0, 5.0), (COOL, 40.0, 32.0), (COOL, 17.0, 30.0)],
)
def test_mode_loss_is_one_minus_ashrae_152_delivery_effectiveness(
    mode: Mode, space: float, outdoor: float
) -> None:
    ducts = Ducts(floor_area_m2=120.0, leakage="typical", r_value=6.0)
    room = 20.0 if mode is HEAT else 24.0
    losses = mode_losses(ducts, [one_day(mode, 7200.0, room - space, outdoor)], MODEL, "°C")
    # By hand: 400 CFM/ton of 7 kW; 27 % of 120 m² of R-6 duct (1.057 + 0.2 m²K/W).
    mcp = 400.0 * 7000.0 / 3516.85 * AIR_W_K_PER_CFM
    assert airflow_w_k(MODEL) == pytest.approx(mcp)
    b = math.exp(-(0.27 * 120.0 / (6.0 * 0.1761 + 0.2)) / mcp)
    q = MODEL.capacity_w(HEAT, outdoor) if mode is HEAT else -0.75 * 7000.0
    expected = 1.0 - delivery_effectiveness(0.9, b, room - space, q / mcp)
    assert losses[mode].share == pytest.approx(expected)
    assert losses[mode].hours == 2.0
    assert losses[mode].output_kwh == pytest.approx(abs(q) * 2.0 / 1000.0)


def test_loss_follows_the_duct_space_and_the_ducts() -> None:
    def share(mode: Mode, space: float, **ducts: float | str) -> float:
        room = 20.0 if mode is HEAT else 24.0
        d = Ducts(floor_area_m2=100.0, **ducts)  # type: ignore[arg-type]
        return mode_losses(d, [one_day(mode, 3600.0, room - space, 10.0)], MODEL, "°C")[mode].share

    # At the room's temperature only leaks and the wall's share of the supply air are lost.
    ducts = Ducts(floor_area_m2=100.0)
    b = math.exp(-ducts.ua_w_k / airflow_w_k(MODEL))
    assert share(HEAT, 20.0) == pytest.approx(1.0 - 0.9 * b)
    assert share(HEAT, -5.0) > share(HEAT, 5.0) > share(HEAT, 20.0)
    assert share(COOL, 45.0) > share(COOL, 30.0) > share(COOL, 24.0) > share(COOL, 15.0)
    assert share(HEAT, 0.0, leakage="sealed") < share(HEAT, 0.0) < share(HEAT, 0.0, leakage="leaky")
    assert share(HEAT, 0.0, r_value=8.0) < share(HEAT, 0.0) < share(HEAT, 0.0, r_value=0.0)
    assert Ducts(floor_area_m2=100.0, leakage="unknown").supply_leakage == 0.10


def test_fahrenheit_ledger_gives_the_same_share() -> None:
    ducts = Ducts(floor_area_m2=100.0)
    celsius = mode_losses(ducts, [one_day(HEAT, 3600.0, 20.0, 0.0)], MODEL, "°C")
    model_f = EnergyModel(heating_capacity_w=7000.0, cooling_capacity_w=7000.0, unit="°F")
    fahrenheit = mode_losses(ducts, [one_day(HEAT, 3600.0, 36.0, 32.0)], model_f, "°F")
    assert fahrenheit[HEAT].share == pytest.approx(celsius[HEAT].share)


def test_a_start_counts_by_how_far_the_ducts_relaxed_since_the_last_stop() -> None:
    ledger = Ledger(["a", "b"], NY)
    t = midnight(START)
    t = book(ledger, t, 1, sample(None, duct=5.0))  # off when first seen
    t = book(ledger, t, 20, sample(HEAT, duct=5.0))  # first start: no stop seen, a cold start
    t = book(ledger, t, 30, sample(None, duct=5.0))  # off 30 minutes: 1 - e^-1 of a cold start
    t = book(ledger, t, 20, sample(HEAT, duct=5.0))
    t = book(ledger, t, 5, sample(None, duct=None))
    t = book(ledger, t, 20, sample(HEAT, duct=None))  # no duct-space reading: not counted
    t = book(ledger, t, 60, sample(None, duct=5.0))
    ledger.record(t, sample(COOL, duct=30.0))  # cooling, an hour later
    t = book(ledger, t + 60.0, 19, sample(COOL, duct=30.0))
    ledger.flush(t)
    system = ledger.days(START, START)[0].system
    assert system.cycles["heat"].starts == 3
    assert system.duct_cold_starts["heat"] == pytest.approx(1.0 + (1.0 - math.exp(-1.0)))
    assert system.duct_cold_starts["cool"] == pytest.approx(1.0 - math.exp(-2.0))


def test_the_last_stop_is_kept_across_a_restart_and_forgotten_over_unknown_time() -> None:
    ledger = Ledger(["a", "b"], NY)
    t = book(ledger, midnight(START), 10, sample(HEAT, duct=5.0))
    t = book(ledger, t, 15, sample(None, duct=5.0))
    again = Ledger.from_dict(ledger.to_dict(), ["a", "b"], NY)
    t = book(again, t, 10, sample(HEAT, duct=5.0))
    again.flush(t)
    cold = again.days(START, START)[0].system.duct_cold_starts["heat"]
    assert cold == pytest.approx(1.0 - math.exp(-0.5))  # 15 minutes off, seen across the save
    t = book(again, t, 10, sample(None, duct=5.0))
    again.resume(t + 3600.0)  # Home Assistant was down: when the unit last stopped is unknown
    book(again, t + 3600.0, 10, sample(HEAT, duct=5.0))
    # The start after the downtime is not seen as a start at all (the ledger's rule).
    assert again.days(START, START)[0].system.cycles["heat"].starts == 1
    with pytest.raises(LedgerDataError):
        data = ledger.to_dict()
        data["cycle"]["stopped"] = "yesterday"
        Ledger.from_dict(data, ["a", "b"], NY)


def cycling_day(mode: Mode, cold: float) -> DayBucket:
    bucket = one_day(mode, 36000.0, 15.0 if mode is HEAT else -10.0, 0.0 if mode is HEAT else 30.0)
    bucket.system.duct_cold_starts = {mode.value: cold}
    return bucket


@pytest.mark.parametrize("mode", [HEAT, COOL])
def test_each_cold_start_loses_the_ducts_heat_over_the_supply_airs_swing(mode: Mode) -> None:
    ducts = Ducts(floor_area_m2=100.0)
    steady = mode_losses(ducts, [cycling_day(mode, 0.0)], MODEL, "°C")[mode]
    cycling = mode_losses(ducts, [cycling_day(mode, 20.0)], MODEL, "°C")[mode]
    assert cycling.share == steady.share  # the steady figure does not move
    assert steady.per_heat_capacity == 0.0
    mcp = airflow_w_k(MODEL)
    output = (1.0 if mode is HEAT else -0.75) * MODEL.capacity_w(
        mode, 0.0 if mode is HEAT else 30.0
    )
    swing = (15.0 if mode is HEAT else -10.0) + output / mcp  # return over space, plus ΔT_e
    assert cycling.per_heat_capacity == pytest.approx(20.0 * swing / (output * 36000.0))
    # Return leaks cost the return air's difference from the space, per unit of leakage.
    assert cycling.per_return_leak == pytest.approx(mcp * (swing - output / mcp) / output)


def test_a_space_that_helps_is_no_loss_from_return_leaks() -> None:
    """A crawlspace cooler than the house in summer: its air helps cooling; nothing is added."""
    cool = mode_losses(Ducts(floor_area_m2=100.0), [one_day(COOL, 3600.0, 5.0, 30.0)], MODEL, "°C")
    assert cool[COOL].per_return_leak == 0.0


def test_loss_range_adds_the_midpoints_and_spreads_each_part_over_its_range() -> None:
    assert loss_range({}, Ducts(floor_area_m2=50.0)) is None
    ducts = Ducts(floor_area_m2=100.0)  # 27 m² of supply ducts, typical: 5 % return leaks
    both = {
        HEAT: ModeLoss(share=0.2, output_kwh=30.0, hours=10.0, per_return_leak=1.5),
        COOL: ModeLoss(share=0.1, output_kwh=10.0, hours=5.0, per_heat_capacity=4e-6),
    }
    found = loss_range(both, ducts)
    assert found is not None
    steady, leak, capacity = 0.175, 1.5 * 0.75, 4e-6 * 0.25 * 27.0
    assert found.steady == pytest.approx(steady)
    low_c, high_c = (j * capacity for j in DUCT_HEAT_CAPACITY_J_K_M2)
    parts = [(steady * r for r in STEADY_TRUTH_RATIO), (0.0, 0.1 * leak), (low_c, high_c)]
    bounds = [tuple(p) for p in parts]
    value = sum((lo + hi) / 2 for lo, hi in bounds)
    spread = Z80 * math.sqrt(sum((hi - lo) ** 2 / 12 for lo, hi in bounds))
    assert found.value == pytest.approx(value)
    assert (found.low, found.high) == pytest.approx((value - spread, value + spread))
    assert steady < found.low < found.value < found.high
    assert mode_losses(Ducts(floor_area_m2=50.0), [DayBucket(date=START)], MODEL, "°C") == {}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([HEAT, COOL, None]),
            st.one_of(st.none(), st.floats(-60.0, 80.0)),
            st.one_of(st.none(), st.floats(-40.0, 50.0)),
            st.one_of(st.none(), st.floats(-10.0, 45.0)),
            st.integers(1, 30),
        ),
        max_size=25,
    )
)
def test_duct_time_never_exceeds_runtime_and_shares_are_finite(
    events: list[tuple[Mode | None, float | None, float | None, float | None, int]],
) -> None:
    """Any readings (missing, extreme): duct time fits in each mode's runtime, cold starts in
    its starts; shares finite."""
    ledger = Ledger(["a", "b"], NY)
    t = midnight(START)
    for mode, duct, outdoor, room, minutes in events:
        t = book(ledger, t, minutes, sample(mode, duct=duct, outdoor=outdoor, temps=(room, 20.0)))
    ledger.flush(t)
    days = ledger.days(START, START + timedelta(days=2))
    for day in days:
        for key, seconds in day.system.duct_s.items():
            assert seconds <= day.system.runtime_s[key] + 1e-6
        for key, cold in day.system.duct_cold_starts.items():  # a start is at most one cold one
            assert 0.0 < cold <= day.system.cycles[key].starts + 1e-9
    for loss in mode_losses(Ducts(floor_area_m2=80.0), days, MODEL, "°C").values():
        assert math.isfinite(loss.share)
        assert loss.output_kwh > 0.0


def duct_report(
    *,
    location: str | None,
    measured: bool = True,
    days: int = 4,
    minutes: int = 180,
    config: object = DUCTED,
    space: float = 2.0,
    ductless_days: int | None = None,
) -> dict[str, object]:
    """A ducted system heating zones a and b three hours a day, its ducts at ``space`` °C."""
    ledger = Ledger(["a", "b"], NY)
    for d in range(days):
        t = book(
            ledger,
            midnight(START + timedelta(days=d)),
            minutes,
            sample(HEAT, duct=space, outdoor=0.0),
        )
        end = midnight(START + timedelta(days=d + 1))
        while t < end:
            ledger.record(t, sample(None, duct=space))
            t += 600.0
        ledger.flush(end)
    systems = [
        SystemReportInput(
            "main",
            "Main",
            config,  # type: ignore[arg-type]
            ledger,
            duct_location=location,
            duct_leakage="typical",
            duct_space_measured=measured,
        ),
        SystemReportInput("office", "Office", DUCTLESS, ductless_ledger(ductless_days or days)),
    ]
    report = build_report(systems, START, START + timedelta(days=days - 1))
    return report["systems"][0]["duct_loss"]  # type: ignore[no-any-return]


def test_report_uses_the_model_with_its_confidence_and_cross_check() -> None:
    measured = duct_report(location="crawlspace")
    assert measured["method"]["id"] == "ashrae152_delivery_effectiveness"  # type: ignore[index]
    assert measured["confidence"] == "medium"
    assert measured["running_hours"] == 12.0
    assert set(measured["by_mode"]) == {"heat"}  # type: ignore[arg-type]
    raw, steady = measured["raw"], measured["steady"]
    assert isinstance(raw, float)
    assert isinstance(steady, float)
    assert 0.0 < steady < raw < 0.6
    # Return leaks and the ducts' own heat are typical figures, and the note says so; the
    # interval (their range) is narrower than the figure, which is shown.
    assert measured["low"] < raw < measured["high"]  # type: ignore[operator]
    assert measured["high"] - measured["low"] < raw  # type: ignore[operator]
    assert measured["value"] == raw
    assert "typical figures, not measured" in measured["notes"][0]  # type: ignore[index]
    assert measured["ductless_reference"] is not None
    assert measured["prior"] == 0.2
    outdoor = duct_report(location="attic", measured=False)
    assert outdoor["confidence"] == "low"
    assert "no duct-space temperature sensor" in outdoor["notes"][1]  # type: ignore[index]
    assert outdoor["raw"] == measured["raw"]


def test_model_needs_only_its_own_days() -> None:
    """A ductless system added yesterday does not hold the ducted system's model back."""
    duct = duct_report(location="crawlspace", ductless_days=1)
    assert duct["method"]["id"] == "ashrae152_delivery_effectiveness"  # type: ignore[index]


def test_model_clamps_absurd_figures_and_withholds_a_figure_narrower_than_its_interval() -> None:
    ducts = Ducts(floor_area_m2=100.0)
    losses = {HEAT: ModeLoss(share=0.9, output_kwh=100.0, hours=50.0)}
    hot = duct_model_estimate(
        losses, ducts, measured_space=True, prior=None, observed_days=10.0, reference=None
    )
    assert hot is not None
    assert hot["value"] == 0.6
    assert hot["raw"] == round(0.9 * sum(STEADY_TRUTH_RATIO) / 2, 4)
    assert hot["low"] <= 0.6 <= hot["high"]
    assert "clamped" in hot["notes"][-1]
    assert hot["ductless_reference"] is None
    assert (
        duct_model_estimate(
            losses, ducts, measured_space=True, prior=None, observed_days=2.0, reference=None
        )
        is None
    )
    # Ducts that lose little at steady state where return leaks would cost much: withheld.
    cycling = {HEAT: ModeLoss(share=0.01, output_kwh=100.0, hours=50.0, per_return_leak=5.0)}
    found = duct_model_estimate(
        cycling, ducts, measured_space=True, prior=None, observed_days=10.0, reference=None
    )
    assert found is not None
    assert found["value"] is None
    assert found["high"] - found["low"] > found["raw"]
    assert "withheld" in found["notes"][-1]


@pytest.mark.parametrize(
    "case",
    ["conditioned", "no_location", "short", "few_days", "no_floor_area"],
)
def test_report_falls_back_where_the_model_cannot_run(case: str) -> None:
    from dataclasses import replace

    from engine.model import ZoneConfig

    kwargs: dict[str, object] = {"location": "crawlspace"}
    if case == "conditioned":
        kwargs["location"] = "conditioned"
    elif case == "no_location":
        kwargs["location"] = None
    elif case == "short":
        kwargs["minutes"] = 60  # 4 hours of running: below the 10 the model needs
    elif case == "few_days":
        kwargs["days"] = 2
    else:
        kwargs["config"] = replace(
            DUCTED, zones=(*DUCTED.zones[:1], ZoneConfig("b", "Bedroom", airflow=100.0))
        )
    duct = duct_report(**kwargs)  # type: ignore[arg-type]
    assert duct["method"]["id"] != "ashrae152_delivery_effectiveness"  # type: ignore[index]
