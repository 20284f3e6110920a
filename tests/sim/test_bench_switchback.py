"""The switchback benchmark's experiment and fit (`benchmarks.bench_switchback`)."""

from __future__ import annotations

import pytest

from benchmarks.bench_switchback import Switchback, estimate
from engine.ledger.degree_days import local_date
from sim import build_demo_house, constant_weather


def test_fit_recovers_known_savings_and_carry_over() -> None:
    # 30 days, energy linear in the weather; the reference blocks use 10 % more, so the savings
    # are 1 - 1/1.1 on every day. Zoned and every-room runs are the same days without a switch.
    days = range(738_000, 738_030)
    outdoor = {d: 5.0 + 7.0 * ((d * 37) % 11) / 11.0 for d in days}
    zoned = {d: 40.0 - 1.5 * outdoor[d] for d in days}
    block = 3

    def switched(d: int) -> float:
        return zoned[d] * 1.1 if (d // block) % 2 == 0 else zoned[d]

    result = estimate(
        [(d, outdoor[d], zoned[d]) for d in days],
        [(d, outdoor[d], 1.1 * zoned[d]) for d in days],
        [(d, outdoor[d], switched(d)) for d in days],
        block,
    )
    assert result.truth == pytest.approx(1.0 - 1.0 / 1.1)
    # The fit is additive and the effect multiplicative, so only close, not equal.
    assert result.value == pytest.approx(result.truth, rel=0.05)
    assert result.carry == pytest.approx((1.0, 1.0))
    # First day of each block dropped: 10 blocks of 3 days keep 2 each.
    assert result.kept == (10, 10)


def test_fit_sees_carry_over_and_noise() -> None:
    days = list(range(738_000, 738_020))
    zoned = [(d, 0.0, 10.0 + (1.0 if d % 2 else -1.0)) for d in days]
    every = [(d, 0.0, 11.0) for d in days]
    switch = [(d, 0.0, 13.0 if d % 2 == 0 else 8.0) for d in days]  # one-day blocks
    result = estimate(zoned, every, switch, 1)
    assert result.kept == (10, 10)
    assert result.carry[0] == pytest.approx(13.0 / 11.0)
    assert result.carry[1] == pytest.approx(8.0 / 11.0)  # zoned days are the odd ones
    assert result.value == pytest.approx(5.0 / 13.0)
    assert result.se == pytest.approx(0.0, abs=1e-12)  # the fake switchback days do not scatter


def test_switchback_alternates_blocks_for_one_system() -> None:
    house = build_demo_house(weather=constant_weather(0.0, hours=24 * 8))
    driver = Switchback(house, "winter", system="main", block=2)
    seen: dict[bool, set[float]] = {True: set(), False: set()}
    for _ in range(6 * 24):
        today = local_date(house.time, driver.tz).toordinal()
        targets = {s.target for s in driver.settings_now("main").values()}
        seen[driver.reference(today)] |= targets
        # the other system keeps its own plans: eco and home targets both appear
        upstairs = {s.target for s in driver.settings_now("upstairs").values()}
        assert len(upstairs) <= 2
        house.time += 3600.0
    # reference blocks hold every room at the most demanding target (one value per hour: 21 °C
    # here, as some room is always at home), zoned blocks follow the plans (18 and 21 °C)
    assert seen[True] == {21.0}
    assert seen[False] == {18.0, 21.0}
    assert driver.baseline is None
