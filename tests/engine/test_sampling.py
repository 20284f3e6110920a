"""Ledger samples from controller decisions: who ran, who received air, by how much."""

from __future__ import annotations

from custom_components.heat_pump_zoning.engine.model import (
    ClimateState,
    Decision,
    Mode,
    SystemConfig,
    SystemObservation,
    Topology,
    WaitReason,
    ZoneAction,
    ZoneConfig,
    ZoneInput,
    ZoneSettings,
    ZoneStatus,
)
from custom_components.heat_pump_zoning.engine.sampling import system_sample

DUCTED = SystemConfig(
    topology=Topology.DUCTED,
    zones=(ZoneConfig("a", "A", dampers=("cover.a",)), ZoneConfig("b", "B", dampers=("cover.b",))),
    source="climate.src",
)
SPLIT = SystemConfig(
    topology=Topology.MINI_SPLIT,
    zones=(ZoneConfig("a", "A", head="climate.a"), ZoneConfig("b", "B", head="climate.b")),
)
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
    silent = SystemObservation(ZONES, source=ClimateState(hvac_mode="heat"))
    assert system_sample(DUCTED, silent, decision).running  # no action reported: trust commands
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
