"""Hypothesis properties: attribution adds up, lifetime counters never decrease, no crash."""

from __future__ import annotations

from datetime import datetime
import json
import math

from hypothesis import HealthCheck, given, settings, strategies as st

from engine.ledger.degree_days import local_date
from engine.ledger.figures import sensor_figures
from engine.ledger.ledger import Ledger, SystemSample

from .ledger_helpers import NY, ZONES, ledger_samples

T0 = datetime(2024, 3, 9, 20, 0, tzinfo=NY).timestamp()  # a DST change is within reach

absurd = st.sampled_from([math.nan, math.inf, -math.inf, 1e9, -1e9, -1.0, 0.0])
weights = st.one_of(st.floats(min_value=0.0, max_value=1000.0), absurd)
powers = st.one_of(st.none(), st.floats(min_value=0.0, max_value=20000.0), absurd)
temperatures = st.one_of(st.none(), st.floats(min_value=-40.0, max_value=45.0), absurd)
system_samples = ledger_samples(weights=weights, temperatures=temperatures, powers=powers)
# A step: seconds since the previous one (negative = clock went back), the sample, restart?
steps = st.lists(
    st.tuples(
        st.one_of(
            st.floats(min_value=0.0, max_value=1200.0),
            st.sampled_from([-3600.0, -1.0, 0.0, 4000.0, 3 * 86400.0]),
        ),
        system_samples,
        st.booleans(),
    ),
    min_size=1,
    max_size=40,
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_attribution(ledger: Ledger) -> None:
    for bucket in ledger.days(datetime(2000, 1, 1).date(), datetime(2100, 1, 1).date()):
        system = bucket.system
        for key, runtime in system.runtime_s.items():
            zones = sum(z.runtime_s.get(key, 0.0) for z in bucket.zones.values())
            assert math.isclose(
                zones + system.unattributed_s.get(key, 0.0), runtime, rel_tol=1e-9, abs_tol=1e-6
            )
        running_kwh = sum(v for k, v in system.kwh.items() if k != "standby")
        zone_kwh = sum(sum(z.kwh.values()) for z in bucket.zones.values())
        assert math.isclose(
            zone_kwh + system.unattributed_kwh, running_kwh, rel_tol=1e-9, abs_tol=1e-9
        )
        zone_split = sum(z.measured_kwh + z.estimated_kwh for z in bucket.zones.values())
        assert math.isclose(zone_split, zone_kwh, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(
            system.measured_kwh + system.estimated_kwh,
            sum(system.kwh.values()),
            rel_tol=1e-9,
            abs_tol=1e-9,
        )


@SETTINGS
@given(steps)
def test_zone_shares_add_up_to_the_source(sequence: list[tuple[float, SystemSample, bool]]) -> None:
    ledger = Ledger(ZONES, NY)
    t = T0
    for dt, sample, _ in sequence:
        t += dt
        ledger.record(t, sample)
    ledger.flush(t + 60.0)
    check_attribution(ledger)


def snapshot(ledger: Ledger) -> dict[str, float]:
    values = {f"system.{k}": v for k, v in ledger.lifetime().items()}
    for zone_id in ZONES:
        values |= {f"{zone_id}.{k}": v for k, v in ledger.zone_lifetime(zone_id).items()}
    return values


@SETTINGS
@given(steps)
def test_lifetime_counters_never_decrease(sequence: list[tuple[float, SystemSample, bool]]) -> None:
    ledger = Ledger(ZONES, NY, retention_days=2)
    before = snapshot(ledger)
    t = T0
    for dt, sample, restart in sequence:
        if restart:
            text = json.dumps(ledger.to_dict(), allow_nan=False)
            ledger = Ledger.from_dict(json.loads(text), ZONES, NY, retention_days=2)
            assert snapshot(ledger) == before
        t += dt
        ledger.record(t, sample)
        after = snapshot(ledger)
        for key, value in after.items():
            assert math.isfinite(value)
            assert value >= before[key], key
        before = after
    check_attribution(ledger)


@SETTINGS
@given(steps)
def test_totals_never_crash_and_stay_finite(
    sequence: list[tuple[float, SystemSample, bool]],
) -> None:
    ledger = Ledger(ZONES, NY, temperature_unit="°F")
    t = T0
    for dt, sample, _ in sequence:
        t += dt
        ledger.record(t, sample)
    totals = sensor_figures(ledger, t)
    today = ledger.day(local_date(t, NY))
    assert today is None or math.isfinite(today.system.measured_kwh + today.system.estimated_kwh)
    assert totals.duty_cycle_today is None or 0.0 <= totals.duty_cycle_today <= 1.0 + 1e-9
    for zone in totals.zones.values():
        assert math.isfinite(zone.lifetime_kwh)
        assert zone.waiting_today_s <= zone.calling_today_s + 1e-6
