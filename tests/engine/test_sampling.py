"""Ledger samples from controller decisions: who ran, who received air, by how much."""

from __future__ import annotations

from datetime import UTC
import math

from hypothesis import given, settings, strategies as st
import pytest

from engine.ledger.ledger import Ledger
from engine.ledger.sampling import (
    comfort_temperatures,
    system_sample,
)
from engine.model import (
    ClimateState,
    Decision,
    HeadOutput,
    Mode,
    OutputKind,
    SystemConfig,
    SystemObservation,
    Topology,
    WaitReason,
    ZoneAction,
    ZoneConfig,
    ZoneInput,
    ZoneMode,
    ZoneSettings,
    ZoneStatus,
)

from .test_ledger_properties import check_attribution

DUCTED = SystemConfig(
    topology=Topology.DUCTED,
    zones=(ZoneConfig("a", "A", dampers=("cover.a",)), ZoneConfig("b", "B", dampers=("cover.b",))),
    source="climate.src",
)
SPLIT = SystemConfig(
    topology=Topology.MINI_SPLIT,
    zones=(ZoneConfig("a", "A", head="climate.a"), ZoneConfig("b", "B", head="climate.b")),
)
T0 = 1_700_000_000.0
ZONES = {"a": ZoneInput(ZoneSettings(), 19.0), "b": ZoneInput(ZoneSettings(), 21.0)}


def _decision(running: bool, zones: dict[str, ZoneStatus]) -> Decision:
    return Decision(zones=zones, commands=(), active_mode=Mode.HEAT, running=running)


def test_ducted_relief_zone_shares_runtime_by_airflow() -> None:
    """Both open zones receive air; the waiting flag follows the status."""
    decision = _decision(
        True,
        {
            "a": ZoneStatus(True, ZoneAction.HEATING, Mode.HEAT, None, 0.75),
            "b": ZoneStatus(True, ZoneAction.HEATING, None, None, 0.25),
        },
    )
    obs = SystemObservation(ZONES, source=ClimateState(hvac_mode="heat", hvac_action="heating"))
    sample = system_sample(DUCTED, obs, decision, power_w=3000.0, outdoor_temperature=2.0)
    assert sample.running and sample.blower and sample.mode is Mode.HEAT
    assert sample.zones["a"].conditioned and sample.zones["b"].conditioned
    assert (sample.zones["a"].weight, sample.zones["b"].weight) == (0.75, 0.25)
    assert sample.zones["a"].temperature == 19.0
    assert (sample.power_w, sample.outdoor_temperature) == (3000.0, 2.0)


def test_ducted_source_that_reports_idle_is_not_running() -> None:
    """Commanded on but its own thermostat idles: no runtime is booked; fan counts as blower."""
    decision = _decision(
        True, {"a": ZoneStatus(True, ZoneAction.IDLE, Mode.HEAT, WaitReason.EQUIPMENT, 1.0)}
    )
    obs = SystemObservation(ZONES, source=ClimateState(hvac_mode="heat", hvac_action="fan"))
    sample = system_sample(DUCTED, obs, decision)
    assert not sample.running and sample.blower and sample.mode is None
    assert sample.zones["a"].waiting and not sample.zones["a"].conditioned
    assert not system_sample(DUCTED, obs, decision).inferred
    silent = SystemObservation(ZONES, source=ClimateState(hvac_mode="heat"))
    quiet = system_sample(DUCTED, silent, decision)
    assert quiet.running  # no action reported: trust commands
    assert quiet.inferred  # ... and say so: the energy estimate's low end is then idle
    gone = SystemObservation(ZONES, source=None)
    assert not system_sample(DUCTED, gone, decision).running


def test_mini_split_heads_that_deliver() -> None:
    """A head runs when it says so, or (reporting nothing) when its zone is conditioned."""
    decision = _decision(
        True,
        {
            "a": ZoneStatus(True, ZoneAction.HEATING, Mode.HEAT),
            "b": ZoneStatus(True, ZoneAction.IDLE, Mode.HEAT, WaitReason.RATE_LIMIT),
        },
    )
    obs = SystemObservation(
        ZONES,
        heads={
            "climate.a": ClimateState(hvac_mode="heat"),
            "climate.b": ClimateState(hvac_mode="heat", hvac_action="heating"),
        },
    )
    sample = system_sample(SPLIT, obs, decision)
    assert sample.running and sample.mode is Mode.HEAT
    assert sample.zones["a"].conditioned and sample.zones["b"].conditioned
    assert sample.zones["b"].waiting
    assert sample.inferred  # head a reports nothing
    off = SystemObservation(
        ZONES,
        heads={
            "climate.a": ClimateState(available=False),
            "climate.b": ClimateState(hvac_mode="heat", hvac_action="idle"),
        },
    )
    sample = system_sample(SPLIT, off, decision)
    assert not sample.running and sample.mode is None
    assert not sample.zones["a"].conditioned
    assert not sample.inferred


def _heating(*zone_ids: str) -> Decision:
    return _decision(True, {z: ZoneStatus(True, ZoneAction.HEATING, Mode.HEAT) for z in zone_ids})


def _split_obs(
    a: HeadOutput | None, b: HeadOutput | None, fans: tuple[str | None, str | None] = (None, None)
) -> SystemObservation:
    return SystemObservation(
        {
            "a": ZoneInput(ZoneSettings(), 19.0, a),
            "b": ZoneInput(ZoneSettings(), 21.0, b),
        },
        heads={
            "climate.a": ClimateState(
                hvac_mode="heat", hvac_action="heating", fan_mode=fans[0], fan_modes=FAN_MODES
            ),
            "climate.b": ClimateState(
                hvac_mode="heat", hvac_action="heating", fan_mode=fans[1], fan_modes=FAN_MODES
            ),
        },
    )


FAN_MODES = ("auto", "low", "medium", "high")


def test_mini_split_running_heads_share_by_reported_power() -> None:
    """The ledger books the outdoor unit's runtime 3:1 when the heads draw 900 W and 300 W."""
    obs = _split_obs(HeadOutput(OutputKind.POWER, 900.0), HeadOutput(OutputKind.POWER, 300.0))
    sample = system_sample(SPLIT, obs, _heating("a", "b"), power_w=1200.0)
    assert (sample.zones["a"].weight, sample.zones["b"].weight) == (900.0, 300.0)
    ledger = Ledger(["a", "b"], UTC)
    ledger.record(T0, sample)
    ledger.flush(T0 + 600.0)
    assert ledger.zone_lifetime("a")["runtime_s"] == pytest.approx(450.0)
    assert ledger.zone_lifetime("b")["runtime_s"] == pytest.approx(150.0)
    assert ledger.zone_lifetime("a")["kwh"] == pytest.approx(0.15)


def test_mini_split_unusable_reading_falls_back_for_that_sample() -> None:
    """A head whose sensor is unusable now: fixed fan speeds if both have one, else equal."""
    obs = _split_obs(HeadOutput(OutputKind.POWER, 900.0), None)
    sample = system_sample(SPLIT, obs, _heating("a", "b"))
    assert (sample.zones["a"].weight, sample.zones["b"].weight) == (1.0, 1.0)
    fans = _split_obs(HeadOutput(OutputKind.POWER, 900.0), None, ("low", "high"))
    sample = system_sample(SPLIT, fans, _heating("a", "b"))
    assert (sample.zones["a"].weight, sample.zones["b"].weight) == (0.5, 1.0)
    auto = _split_obs(None, None, ("auto", "high"))
    sample = system_sample(SPLIT, auto, _heating("a", "b"))
    assert (sample.zones["a"].weight, sample.zones["b"].weight) == (1.0, 1.0)


def test_mini_split_idle_head_does_not_block_the_running_ones() -> None:
    """Only running heads need a reading: an idle head without one changes nothing."""
    obs = _split_obs(HeadOutput(OutputKind.LEVEL, 40.0), None)
    obs = SystemObservation(
        obs.zones,
        heads={**obs.heads, "climate.b": ClimateState(hvac_mode="heat", hvac_action="idle")},
    )
    sample = system_sample(SPLIT, obs, _heating("a", "b"))
    assert sample.zones["a"].conditioned and not sample.zones["b"].conditioned
    assert sample.zones["a"].weight == 40.0


garbage = st.one_of(
    st.none(),
    st.builds(
        HeadOutput,
        st.sampled_from(OutputKind),
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([-1.0, 0.0, 1e12, 100.0, 101.0]),
            st.text(max_size=5),
            st.none(),
        ),
    ),
)
fan_modes = st.one_of(st.none(), st.sampled_from(["auto", "low", "high", "3", "turbo", "x", ""]))
actions = st.one_of(st.none(), st.sampled_from(["heating", "idle", "off", "fan", "cooling"]))
HEADS = ("a", "b", "c")
SPLIT3 = SystemConfig(
    topology=Topology.MINI_SPLIT,
    zones=tuple(ZoneConfig(z, z.upper(), head=f"climate.{z}") for z in HEADS),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.tuples(garbage, garbage, garbage),
            st.tuples(fan_modes, fan_modes, fan_modes),
            st.tuples(actions, actions, actions),
            st.floats(min_value=1.0, max_value=900.0),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_mini_split_shares_never_negative_and_add_up(
    steps: list[
        tuple[
            tuple[HeadOutput | None, ...],
            tuple[str | None, ...],
            tuple[str | None, ...],
            float,
        ]
    ],
) -> None:
    """Whatever the heads report, weights are finite and ≥ 0 and zone runtime = source runtime."""
    ledger = Ledger(list(HEADS), UTC)
    t = T0
    for outputs, fans, head_actions, dt in steps:
        obs = SystemObservation(
            {z: ZoneInput(ZoneSettings(), 20.0, o) for z, o in zip(HEADS, outputs, strict=True)},
            heads={
                f"climate.{z}": ClimateState(
                    hvac_mode="heat", hvac_action=a, fan_mode=f, fan_modes=(*FAN_MODES, "3")
                )
                for z, f, a in zip(HEADS, fans, head_actions, strict=True)
            },
        )
        sample = system_sample(SPLIT3, obs, _heating(*HEADS), power_w=1000.0)
        for zone in sample.zones.values():
            assert math.isfinite(zone.weight) and zone.weight >= 0.0
        ledger.record(t, sample)
        t += dt
    ledger.flush(t)
    runtime = ledger.lifetime()["runtime_s"]
    zones = sum(ledger.zone_lifetime(z)["runtime_s"] for z in HEADS)
    assert zones == pytest.approx(runtime, abs=1e-6)
    check_attribution(ledger)  # per day, energy included
    for z in HEADS:
        assert ledger.zone_lifetime(z)["runtime_s"] >= 0.0


def test_comfort_temperatures_take_the_most_demanding_target() -> None:
    """Highest heat target, lowest cool target, a quarter tolerance on the safe side; off: none."""
    zones = {
        "a": ZoneInput(ZoneSettings(hvac_mode=ZoneMode.HEAT, target=20.0), 19.0),
        "b": ZoneInput(
            ZoneSettings(hvac_mode=ZoneMode.HEAT_COOL, target_low=21.0, target_high=25.0), None
        ),
        "c": ZoneInput(ZoneSettings(hvac_mode=ZoneMode.COOL, target=26.0), 27.0),
        "d": ZoneInput(ZoneSettings(hvac_mode=ZoneMode.OFF, target=30.0), 27.0),
    }
    obs = SystemObservation(zones, source=ClimateState(hvac_mode="heat", hvac_action="idle"))
    assert comfort_temperatures(obs, 0.4) == {"heat": 20.9, "cool": 25.1}
    decision = _decision(False, {})
    tol = DUCTED.tolerance
    assert system_sample(DUCTED, obs, decision).comfort == {
        "heat": pytest.approx(21.0 - tol / 4),
        "cool": pytest.approx(25.0 + tol / 4),
    }
    heat = system_sample(SPLIT, SystemObservation(zones), decision).comfort["heat"]
    assert heat == pytest.approx(21.0 - SPLIT.tolerance / 4)
    off = {"a": ZoneInput(ZoneSettings(hvac_mode=ZoneMode.OFF), 19.0)}
    assert comfort_temperatures(SystemObservation(off), 0.3) == {}
