"""From one controller decision to one ledger sample: what actually ran, and who received it.

Shared by the HA layer and the accuracy benchmark, so that both book runtime the same way.

- The compressor counts as running when the equipment says it delivers (the source's or a head's
  `hvac_action` is heating/cooling); equipment that reports no action is taken at the
  controller's word (`Decision.running`); the sample says so (`SystemSample.inferred`), which
  widens the energy estimate's interval.
- Ducted: every zone whose dampers are open receives air while the unit runs (relief zones
  included), weighted by its position-weighted design airflow (`ZoneStatus.airflow_share`).
- Mini-split: a zone receives conditioned air while its head delivers; the outdoor unit's runtime
  and energy are shared between the heads that run by their share of output where every running
  head reports it (a head output sensor, else a fixed fan speed), else equally
  (`head_output.head_weights`).
- Comfort temperatures, for the zoning-savings estimate: where an unzoned system would hold every
  room at the time of the sample (`comfort_temperatures`).
"""

from __future__ import annotations

from ..control.demand import held_short
from ..model import (
    ClimateState,
    Decision,
    HeadOutput,
    Mode,
    SystemConfig,
    SystemObservation,
    Topology,
    ZoneAction,
    ZoneMode,
)
from .head_output import head_weights
from .samples import SystemSample, ZoneSample

_DELIVERING = {"heating": Mode.HEAT, "cooling": Mode.COOL}
_REPORTED_IDLE = {"idle", "off", "fan", "drying"}


def _delivers(state: ClimateState | None, commanded: bool) -> bool:
    """Whether a source or head delivers now: its own action if it reports one."""
    if state is None or not state.available:
        return False
    if state.hvac_action in _DELIVERING:
        return True
    if state.hvac_action in _REPORTED_IDLE:
        return False
    return commanded


def _inferred(state: ClimateState | None, delivering: bool) -> bool:
    """Whether equipment counted as delivering was taken at the controller's word."""
    return delivering and state is not None and state.hvac_action not in _DELIVERING


def comfort_temperatures(obs: SystemObservation, tolerance: float) -> dict[str, float]:
    """Where an unzoned system would hold every room now, by mode key ("heat", "cool").

    The most demanding target in force among the zones (the highest heat target, the lowest cool
    target; ``heat_cool`` zones count with both ends of their range), less `demand.held_short`:
    the controller calls at a tolerance short of the target and stops half a tolerance past it,
    so a room it holds sits a quarter of a tolerance short on average. Zones that are off set no
    target.
    """
    heat = [
        z.settings.target_low if z.settings.hvac_mode is ZoneMode.HEAT_COOL else z.settings.target
        for z in obs.zones.values()
        if z.settings.hvac_mode in (ZoneMode.HEAT, ZoneMode.HEAT_COOL)
    ]
    cool = [
        z.settings.target_high if z.settings.hvac_mode is ZoneMode.HEAT_COOL else z.settings.target
        for z in obs.zones.values()
        if z.settings.hvac_mode in (ZoneMode.COOL, ZoneMode.HEAT_COOL)
    ]
    comfort: dict[str, float] = {}
    if heat:
        comfort[Mode.HEAT.value] = max(heat) - held_short(tolerance)
    if cool:
        comfort[Mode.COOL.value] = min(cool) + held_short(tolerance)
    return comfort


def system_sample(
    config: SystemConfig,
    obs: SystemObservation,
    decision: Decision,
    *,
    power_w: float | None = None,
    outdoor_temperature: float | None = None,
    duct_temperature: float | None = None,
) -> SystemSample:
    """The ledger sample for the state right after `decision` was taken on `obs`.

    ``duct_temperature`` (ducted systems): the air around the supply ducts, for the duct-loss
    model; the caller decides what stands in for it without a sensor.
    """
    zones: dict[str, ZoneSample] = {}
    if config.topology is Topology.DUCTED:
        source = obs.source
        running = _delivers(source, decision.running and decision.active_mode is not None)
        blower = running or (source is not None and source.hvac_action == "fan")
        for zone_id, status in decision.zones.items():
            zone = obs.zones.get(zone_id)
            zones[zone_id] = ZoneSample(
                calling=status.calling,
                conditioned=running and status.airflow_share > 0.0,
                waiting=status.waiting is not None,
                weight=status.airflow_share,
                temperature=zone.temperature if zone else None,
            )
        return SystemSample(
            running=running,
            mode=decision.active_mode if running else None,
            blower=blower,
            zones=zones,
            power_w=power_w,
            outdoor_temperature=outdoor_temperature,
            comfort=comfort_temperatures(obs, config.tolerance),
            duct_temperature=duct_temperature,
            inferred=_inferred(source, running),
        )

    heads = {zone.zone_id: zone.head for zone in config.zones}
    delivering: dict[str, bool] = {}
    inferred = False
    outputs: dict[str, tuple[HeadOutput | None, ClimateState | None]] = {}
    for zone_id, status in decision.zones.items():
        head = obs.heads.get(heads.get(zone_id) or "")
        commanded = status.action in (ZoneAction.HEATING, ZoneAction.COOLING)
        delivering[zone_id] = _delivers(head, commanded)
        inferred |= _inferred(head, delivering[zone_id])
        if delivering[zone_id]:
            zone = obs.zones.get(zone_id)
            outputs[zone_id] = (zone.output if zone else None, head)
    weights = head_weights(outputs)
    for zone_id, status in decision.zones.items():
        zone = obs.zones.get(zone_id)
        zones[zone_id] = ZoneSample(
            calling=status.calling,
            conditioned=delivering[zone_id],
            waiting=status.waiting is not None,
            weight=weights.get(zone_id, 1.0),
            temperature=zone.temperature if zone else None,
        )
    any_running = bool(outputs)
    return SystemSample(
        running=any_running,
        mode=decision.active_mode if any_running else None,
        blower=any_running,
        zones=zones,
        power_w=power_w,
        outdoor_temperature=outdoor_temperature,
        comfort=comfort_temperatures(obs, config.tolerance),
        inferred=inferred,
    )
