"""Zoning savings and duct losses: hand-computed cases, parameters and honesty about data."""

from __future__ import annotations

from datetime import timedelta
import math
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from engine.ledger.ledger import Ledger, SystemSample, ZoneSample
from engine.model import Mode, SystemConfig, Topology, ZoneConfig
from engine.report.build import SystemReportInput, build_report
from engine.report.estimates import (
    DUCT_PRIOR,
    SAVINGS_PRIOR,
    SAVINGS_TRUTH_RATIO,
    SAVINGS_TRUTH_RATIO_ALONE,
    DuctSide,
    EstimateParams,
    _line,
    _narrowing_note,
    _Savings,
    degree_day_confidence,
    duct_loss,
    duct_prior,
    model_cop,
    savings_interval,
    t80,
    zoning_savings,
)

from .test_report import DUCTED, DUCTLESS, HEAT, NY, START, ducted_ledger, inputs, midnight

# The arithmetic without what the method's blind spots add (truth over estimate 1 to 1): the
# interval is the weather's alone, and the value is shown whenever it is narrower than it.
BARE: dict[str, Any] = {
    "savings_truth_low": 1.0,
    "savings_truth_mid": 1.0,
    "savings_truth_high": 1.0,
}


def savings(ledger: Ledger, config: SystemConfig = DUCTED, **params: Any) -> dict[str, Any]:
    days = ledger.days(START, START + timedelta(days=40))
    return zoning_savings(config, days, EstimateParams(**(BARE | params)))


OUTDOORS = [-2.0, 0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0]


def comfort_days(
    outdoors: list[float],
    *,
    mode: Mode = HEAT,
    comfort: float | None = 21.0,
    temps: dict[str, float] | None = None,
    zones: tuple[str, ...] = ("a", "b"),
    noise: list[float] | None = None,
) -> Ledger:
    """Per day: zone a then zone b alone at 1 kW, each for 0.5 kWh per degree of its own
    indoor-outdoor difference less 2 kWh of gains (plus ``noise[d]`` kWh, the weather's own
    scatter, to zone a); the comfort temperature in every sample.

    Heating, zone a at 21 °C and b at 18 °C (3 K below comfort all day). Cooling mirrors it:
    a at 24 °C, b at 27 °C, comfort 24 °C, outdoor temperatures mirrored around 22.5 °C.
    """
    temps = temps or ({"a": 21.0, "b": 18.0} if mode is HEAT else {"a": 24.0, "b": 27.0})
    sign = 1.0 if mode is HEAT else -1.0
    held = {} if comfort is None else {mode.value: comfort}
    ledger = Ledger(list(zones), NY)
    for d, given_outdoor in enumerate(outdoors):
        outdoor = given_outdoor if mode is HEAT else 45.0 - given_outdoor
        t = midnight(START + timedelta(days=d))

        def sample(running: str | None, outdoor: float = outdoor) -> SystemSample:
            return SystemSample(
                running=running is not None,
                mode=mode if running else None,
                zones={
                    z: ZoneSample(
                        calling=mode if z == running else None,
                        conditioned=z == running,
                        temperature=temps[z],
                    )
                    for z in zones
                },
                power_w=1000.0 if running else 0.0,
                outdoor_temperature=outdoor,
                comfort=held,
            )

        for zone in zones:
            seconds = 3600.0 * (0.5 * sign * (temps[zone] - outdoor) - 2.0)
            if noise and zone == "a":
                seconds += 3600.0 * noise[d]
            end = t + seconds
            while t < end:
                ledger.record(t, sample(zone))
                t = min(end, t + 600.0)
        end = midnight(START + timedelta(days=d + 1))
        while t < end:
            ledger.record(t, sample(None))
            t += 600.0
        ledger.flush(end)
    return ledger


# By hand: D_a = 21 - T, D_b = 18 - T; sums over the 8 days 128 and 104 K·day; energy 48 and
# 36 kWh: a_a = 3/8, a_b = 9/26, weights 0.52 / 0.48. y = E = 15.5 - T = x + const: slope
# 1 kWh per K·day. Zone b is 3 K below comfort all day: dE = 8 x 1 x 0.48 x 3 = 11.52 kWh,
# E = 84 kWh, savings 11.52 / 95.52.
def test_savings_by_hand() -> None:
    result = savings(comfort_days(OUTDOORS))
    assert result["value"] == pytest.approx(11.52 / 95.52, abs=1e-4)
    assert result["saved_kwh"] == pytest.approx(11.52, abs=1e-3)
    assert result["zoned_kwh"] == pytest.approx(84.0, abs=1e-3)
    assert result["fits"]["heat"]["slope"] == pytest.approx(1.0)
    assert result["fits"]["heat"]["r2"] == pytest.approx(1.0)
    assert result["method"]["id"] == "comfort_gap_regression"
    assert result["days_used"] == 8
    assert result["confidence"] == "low"  # at best: see the module docstring


def test_the_figure_counts_the_blind_spots() -> None:
    """With the documented ratios (the truth over the estimate in the simulator: 10th
    percentile, median, 90th) the gap's cost is the line's times the median, and an exact line
    (no weather scatter) has the interval of the ratios' spread alone: narrower than the
    figure, which is shown."""
    result = zoning_savings(DUCTED, comfort_days(OUTDOORS).days(START, START + timedelta(40)))
    low_ratio, mid_ratio, high_ratio = SAVINGS_TRUTH_RATIO
    assert 1.0 < low_ratio < mid_ratio < high_ratio  # the method reads low in every house

    def share(ratio: float) -> float:
        return ratio * 11.52 / (84.0 + ratio * 11.52)

    assert result["value"] == pytest.approx(share(mid_ratio), abs=1e-4)
    assert result["saved_kwh"] == pytest.approx(mid_ratio * 11.52, abs=1e-3)
    assert result["unzoned_kwh"] == pytest.approx(84.0 + mid_ratio * 11.52, abs=1e-3)
    assert result["low"] == pytest.approx(share(low_ratio), abs=1e-4)
    assert result["high"] == pytest.approx(share(high_ratio), abs=1e-4)
    assert result["days_to_narrow"] == 0
    assert result["confidence"] == "low"


def test_a_system_alone_in_its_house_has_its_own_ratios() -> None:
    """With no other system's rooms to lose heat to, the line is scaled by the ratios measured
    on such houses."""
    days = comfort_days(OUTDOORS).days(START, START + timedelta(40))
    shared = zoning_savings(DUCTED, days)
    alone = zoning_savings(DUCTED, days, alone=True)
    low_ratio, mid_ratio, high_ratio = SAVINGS_TRUTH_RATIO_ALONE
    assert mid_ratio < SAVINGS_TRUTH_RATIO[1]

    def share(ratio: float) -> float:
        return ratio * 11.52 / (84.0 + ratio * 11.52)

    assert alone["low"] == pytest.approx(share(low_ratio), abs=1e-4)
    assert alone["high"] == pytest.approx(share(high_ratio), abs=1e-4)
    assert alone["unzoned_kwh"] == pytest.approx(84.0 + mid_ratio * 11.52, abs=1e-3)
    assert alone["high"] < shared["high"]


def test_the_blind_spots_and_the_weather_combine_in_quadrature() -> None:
    """Each side of the interval: the ratios' spread and the weather's, on a log scale, added
    in quadrature (two independent parts of one 80 % interval), narrower than the one range
    stretched by the other."""
    scatter = [8.0, -7.0, 5.0, -9.0, 6.0, -4.0, 9.0, -8.0] * 2
    days = comfort_days(OUTDOORS * 2, noise=scatter)
    bare = savings(days)
    zoned = bare["zoned_kwh"]
    cost = bare["unzoned_kwh"] - zoned
    half = zoned * bare["high"] / (1.0 - bare["high"]) - cost  # the slopes' t interval in kWh
    assert 0.0 < half < cost
    result = savings(days, **dict(zip(BARE, SAVINGS_TRUTH_RATIO, strict=True)))
    low_ratio, mid_ratio, high_ratio = SAVINGS_TRUTH_RATIO

    def share(kwh: float) -> float:
        return kwh / (zoned + kwh)

    low_spread = math.hypot(math.log(mid_ratio / low_ratio), math.log(cost / (cost - half)))
    high_spread = math.hypot(math.log(high_ratio / mid_ratio), math.log((cost + half) / cost))
    assert result["low"] == pytest.approx(share(mid_ratio * cost * math.exp(-low_spread)), abs=1e-4)
    assert result["high"] == pytest.approx(
        share(mid_ratio * cost * math.exp(high_spread)), abs=1e-4
    )
    assert result["low"] > share(low_ratio * (cost - half)) + 1e-3  # not stacked
    assert result["high"] < share(high_ratio * (cost + half)) - 1e-3


def test_a_weather_range_past_the_cost_reaches_zero() -> None:
    """When the slopes' interval reaches below no cost at all, the low end is no saving; the
    high end still combines both spreads."""
    sums = _Savings(zoned_kwh=100.0, extra_kwh=5.0, extra_var=36.0, used_days=10)
    interval = savings_interval(sums, EstimateParams(), fitted=True)
    _, mid_ratio, high_ratio = SAVINGS_TRUTH_RATIO
    spread = math.hypot(math.log(high_ratio / mid_ratio), math.log(11.0 / 5.0))
    high = mid_ratio * 5.0 * math.exp(spread)
    assert interval.low == 0.0
    assert interval.high == pytest.approx(high / (100.0 + high))
    assert interval.wide


def test_more_days_that_would_not_narrow_it_enough_are_not_promised() -> None:
    """`days_to_narrow` is None when the blind spots' spread alone is wider than the figure,
    when there is no figure, and when it would take longer than a year."""
    wide_ratios = EstimateParams(savings_truth_low=0.4, savings_truth_mid=1.0)
    sums = _Savings(zoned_kwh=100.0, extra_kwh=10.0, extra_var=1.0, used_days=10)
    assert savings_interval(sums, wide_ratios, fitted=True).days_to_narrow is None
    nothing = _Savings(zoned_kwh=100.0, extra_kwh=0.0, extra_var=1.0, used_days=10)
    interval = savings_interval(nothing, EstimateParams(), fitted=True)
    assert (interval.low, interval.high, interval.wide) == (0.0, 0.0, False)  # saved nothing
    unfitted = _Savings(
        zoned_kwh=100.0, extra_kwh=0.0, extra_var=1.0, used_days=10, unfitted_kwh=100.0
    )
    interval = savings_interval(unfitted, EstimateParams(), fitted=True)
    assert interval.low == 0.0
    assert interval.high == pytest.approx(SAVINGS_PRIOR[1] / 2)  # half the energy unfitted
    assert interval.wide
    assert interval.days_to_narrow is None
    bare = EstimateParams(**BARE)
    slow = _Savings(zoned_kwh=100.0, extra_kwh=1.0, extra_var=100.0, used_days=1)
    assert savings_interval(slow, bare, fitted=True).days_to_narrow is None
    soon = _Savings(zoned_kwh=100.0, extra_kwh=10.0, extra_var=36.0, used_days=7)
    # the weather's 6 kWh shrink as sqrt(7 / (7 + more)): 5.61 after one more day leaves the
    # range 9.30 pp wide for a 9.09 % figure, 5.29 after two 8.77 pp
    assert savings_interval(soon, bare, fitted=True).days_to_narrow == 2
    assert "more days will not narrow it enough" in _narrowing_note(None)


def test_the_weather_part_narrows_with_more_days() -> None:
    """Scatter from day to day widens the interval by the slope's t interval; the report
    names how many more days would bring it inside the estimate, and with them it does."""
    scatter = [8.0, -7.0, 5.0, -9.0, 6.0, -4.0, 9.0, -8.0] * 2
    week = savings(comfort_days(OUTDOORS, noise=scatter))
    assert week["value"] is None
    assert week["fits"]["heat"]["slope_se"] > 0.0
    more = week["days_to_narrow"]
    assert isinstance(more, int)
    assert more > 0
    assert week["notes"] == [
        f"the interval is wider than the estimate: about {more} more days would narrow it"
    ]
    assert 8 + more <= 16
    later = savings(comfort_days(OUTDOORS * 2, noise=scatter))  # the same weather again
    assert later["value"] is not None
    assert later["low"] <= later["value"] <= later["high"]
    assert later["high"] - later["low"] <= later["value"]
    assert later["days_to_narrow"] == 0


def test_a_slope_the_scatter_cannot_tell_from_zero_is_unlearnt() -> None:
    """When the slope is within its own t interval of zero the cost of a degree is unknown:
    the interval is the prior's, as before a fit."""
    scatter = [24.0, -21.0, 15.0, -27.0, 18.0, -12.0, 27.0, -24.0]
    result = savings(comfort_days(OUTDOORS, noise=scatter))
    assert result["fits"] == {}
    assert (result["low"], result["high"], result["value"]) == (*SAVINGS_PRIOR, None)
    assert "what a degree costs could not be learnt" in result["notes"][0]


def test_residuals_that_persist_widen_the_slopes_error() -> None:
    """The same residuals, alternating day by day or in runs of four (a warm spell, the
    building's mass): the runs count as fewer independent days and widen the slope's error."""
    xs = [float(x) for x in range(16)]
    alternating = [1.0, -1.0] * 8
    persistent = [1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0] * 2
    quick = _line([(x, 2.0 * x + r) for x, r in zip(xs, alternating, strict=True)])
    slow = _line([(x, 2.0 * x + r) for x, r in zip(xs, persistent, strict=True)])
    assert quick is not None and slow is not None
    assert quick.n_effective == 16.0  # negative autocorrelation is not credited
    assert slow.n_effective < 8.0
    assert slow.slope_se > 1.5 * quick.slope_se


def test_a_few_days_in_the_other_mode_widen_the_interval_but_keep_the_fit() -> None:
    """A heating month with two cooling days: the cooling cost of a degree is unknown, so
    its energy widens the top of the interval by the prior's share, while the heating fit
    still shapes it; the value waits for both."""
    heat = comfort_days(OUTDOORS).days(START, START + timedelta(days=40))
    cool = comfort_days([*OUTDOORS, 0.0, 1.0], mode=Mode.COOL, comfort=24.0)
    days = heat + cool.days(START + timedelta(days=8), START + timedelta(days=9))
    mixed = zoning_savings(DUCTED, days, EstimateParams(**BARE))
    alone = zoning_savings(DUCTED, heat, EstimateParams(**BARE))
    assert set(mixed["fits"]) == {"heat"}
    assert "cool: what a degree costs could not be learnt" in mixed["notes"][0]
    assert (mixed["low"], mixed["high"]) != SAVINGS_PRIOR
    assert 0.0 < mixed["low"] < alone["low"] <= alone["high"] < mixed["high"]
    cool_share = mixed["zoned_kwh"] - alone["zoned_kwh"]
    assert cool_share > 0.0
    assert mixed["value"] is None


def test_t80_quantiles() -> None:
    assert t80(1) == 3.078
    assert t80(11) == 1.372  # the tabled one at or below
    assert t80(31) == pytest.approx(1.2816)
    assert t80(0) == t80(-3) == 3.078  # below one degree of freedom: one's


def test_cooling_mirrors_heating() -> None:
    result = savings(comfort_days(OUTDOORS, mode=Mode.COOL, comfort=24.0))
    assert result["value"] == pytest.approx(11.52 / 95.52, abs=1e-4)
    assert result["fits"]["cool"]["slope"] == pytest.approx(1.0)


def test_rooms_at_comfort_save_nothing() -> None:
    result = savings(comfort_days(OUTDOORS, temps={"a": 21.0, "b": 21.0}))
    assert result["value"] == 0.0
    warm = savings(comfort_days(OUTDOORS, temps={"a": 21.0, "b": 22.0}))  # the sun, say
    assert warm["value"] == 0.0


@pytest.mark.parametrize("outdoors", [OUTDOORS[:6], [5.0] * 10])
def test_rooms_at_comfort_save_nothing_before_a_fit(outdoors: list[float]) -> None:
    # No gap at all: nothing was saved, whatever a degree costs; not the prior's range.
    result = savings(comfort_days(outdoors, temps={"a": 21.0, "b": 21.0}))
    assert (result["value"], result["low"], result["high"]) == (0.0, 0.0, 0.0)
    assert (result["fits"], result["notes"]) == ({}, [])
    gap = savings(comfort_days(outdoors))
    assert (gap["low"], gap["high"]) == SAVINGS_PRIOR


@pytest.mark.parametrize("outdoors", [OUTDOORS[:6], [5.0] * 10])
def test_without_a_line_there_is_no_estimate(outdoors: list[float]) -> None:
    # Too few days, or no spread of outdoor temperatures: what a degree costs is unknown. (The
    # through-origin ratio would price it at 84 / 116.48 kWh here instead of 1, and at 7x the
    # slope in a simulated summer.)
    result = savings(comfort_days(outdoors))
    assert (result["value"], result["confidence"], result["fits"]) == (None, "low", {})
    assert (result["low"], result["high"]) == SAVINGS_PRIOR  # from the third day on
    assert result["notes"] == [
        "heat: what a degree costs could not be learnt (needs 7 days with different outdoor "
        "temperatures)"
    ]


def test_without_comfort_temperatures_there_is_no_estimate() -> None:
    # Ledgers written before comfort temperatures were recorded.
    result = savings(comfort_days(OUTDOORS, comfort=None))
    assert (result["value"], result["confidence"], result["saved_kwh"]) == (
        None,
        "insufficient",
        None,
    )


def test_too_few_days_or_zones_is_insufficient() -> None:
    assert savings(comfort_days(OUTDOORS[:2]))["value"] is None
    one_zone = SystemConfig(topology=Topology.MINI_SPLIT, zones=(ZoneConfig("a", "A"),))
    assert savings(comfort_days(OUTDOORS), one_zone)["confidence"] == "insufficient"


def test_zone_that_never_called_borrows_from_its_airflow() -> None:
    config = SystemConfig(
        topology=Topology.DUCTED,
        zones=(*DUCTED.zones, ZoneConfig("c", "Guest", airflow=200.0)),
    )
    ledger = comfort_days(OUTDOORS, temps={"a": 21.0, "b": 18.0, "c": 20.0}, zones=("a", "b"))
    result = savings(ledger, config)
    assert result["zones_without_own_data"] == ["c"]
    assert 0.0 < result["value"] < 1.0


@pytest.mark.parametrize("areas", [(10.0, 30.0, 20.0), (None, None, None)])
def test_mini_split_fallback_weights(areas: tuple[float | None, ...]) -> None:
    config = SystemConfig(
        topology=Topology.MINI_SPLIT,
        zones=tuple(
            ZoneConfig(z, z.upper(), floor_area=a) for z, a in zip("abc", areas, strict=True)
        ),
    )
    result = savings(comfort_days(OUTDOORS), config)
    assert result["zones_without_own_data"] == ["c"]
    assert 0.0 < result["value"] < 1.0


@settings(max_examples=60, deadline=None)
@given(
    outdoors=st.lists(st.floats(-15.0, 14.0), min_size=1, max_size=12),
    b_temp=st.floats(12.0, 24.0),
    comfort=st.floats(15.0, 24.0),
)
def test_savings_are_a_share_below_one(
    outdoors: list[float], b_temp: float, comfort: float
) -> None:
    ledger = comfort_days(outdoors, comfort=comfort, temps={"a": 21.0, "b": b_temp})
    result = savings(ledger)
    if len(outdoors) < 3:
        assert result["value"] is None
    if result["value"] is None:
        assert result["confidence"] == ("insufficient" if result["low"] is None else "low")
    else:
        assert result["low"] <= result["high"]
        assert result["high"] - result["low"] <= result["value"]
        assert 0.0 <= result["value"] < 1.0
        assert result["saved_kwh"] is None or result["saved_kwh"] >= 0.0


# Duct losses: ducted 9 kWh/day on 40 m², ductless 3 kWh/day on 20 m², same degree days and
# the same (default) efficiency: L = 1 - (3/20) / (9/40) = 1/3.
def test_duct_loss_from_ductless_reference() -> None:
    report = build_report(inputs(15), START, START + timedelta(days=14))
    duct = report["systems"][0]["duct_loss"]
    assert duct["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert duct["method"]["id"] == "ductless_reference"
    assert duct["confidence"] == "low"  # never more: the yardstick cannot be checked
    assert duct["prior"] is None
    assert "duct_loss" not in report["systems"][1]


def test_duct_loss_with_agreeing_and_disagreeing_priors() -> None:
    report = build_report(inputs(15, duct_location="attic"), START, START + timedelta(days=14))
    duct = report["systems"][0]["duct_loss"]
    assert (duct["prior"], duct["confidence"], duct["notes"]) == (0.25, "low", [])
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
    # the attic's sealed-to-leaky range is wider than the sealed figure: withheld
    assert (duct["value"], duct["prior"], duct["low"], duct["high"]) == (None, 0.15, 0.15, 0.35)
    assert duct["confidence"] == "low"
    typical = [SystemReportInput("m", "M", DUCTED, ducted_ledger(5), "attic", "typical")]
    shown = build_report(typical, START, START + timedelta(days=4))["systems"][0]["duct_loss"]
    assert (shown["value"], shown["low"], shown["high"]) == (0.25, 0.15, 0.35)
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


def test_days_without_room_temperatures_are_left_out() -> None:
    days = comfort_days(OUTDOORS).days(START, START + timedelta(days=40))
    for zone in days[0].zones.values():
        zone.temperature_s = 0.0  # a day with no room readings at all
    days[1].zones["b"].temperature_s = 0.0  # and one without zone b's
    result = zoning_savings(DUCTED, days, EstimateParams(**BARE))
    assert result["days_used"] == 7
    # zone b's gap is unknown on one day: the fit scatters, and the interval says so
    assert 0.0 < result["low"] < result["high"] < 1.0
