"""What the HA layer hands the ledger: one sample of the system and its zones, and its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
import math
from typing import Any

from ..model import Mode
from ..numbers import positive
from .days import LedgerDataError, read_dict, read_number, read_optional, read_signed
from .degree_days import clean_temperature
from .energy import clean_power


@dataclass(frozen=True, slots=True)
class ZoneSample:
    """One zone at the time of a sample."""

    calling: Mode | None = None  # the mode the zone calls for
    conditioned: bool = False  # receiving conditioned air / its head delivering
    waiting: bool = False  # calling but blocked (protection, airflow, mode arbitration)
    weight: float = 1.0  # ducted: open design airflow; mini-split: head output share or 1.0
    temperature: float | None = None  # room temperature (for the zoning-savings estimate)


@dataclass(frozen=True, slots=True)
class SystemSample:
    """The system at the time of a sample."""

    running: bool  # compressor on
    mode: Mode | None = None  # heat/cool while running
    blower: bool = False
    zones: Mapping[str, ZoneSample] = field(default_factory=dict)
    power_w: float | None = None  # measured; None if no sensor or unavailable
    outdoor_temperature: float | None = None
    # The temperature every room would be held at without zoning, by mode key ("heat", "cool"):
    # the most demanding zone target in force (see `sampling.comfort_temperatures`).
    comfort: Mapping[str, float] = field(default_factory=dict)
    # Air temperature of the space the supply ducts run through (attic, crawlspace, ...), if
    # known; ducted systems only (the duct-loss model).
    duct_temperature: float | None = None
    # Whether ``running`` was taken at the controller's word for some equipment that does not
    # say whether it delivers (no `hvac_action`): an energy estimate's low end is then idle.
    inferred: bool = False


def return_temperature(sample: SystemSample, unit: str) -> float | None:
    """Mean temperature of the rooms receiving air, weighted by their airflow (None if unknown).

    The air a ducted unit takes back comes from the rooms it serves; the rooms being served
    stand for them (a central return draws from every room, which this approximates).
    """
    total = weighted = 0.0
    for zone in sample.zones.values():
        temperature = clean_temperature(zone.temperature, unit)
        weight = positive(zone.weight, 0.0)
        if zone.conditioned and temperature is not None and weight > 0.0:
            total += weight
            weighted += weight * temperature
    return weighted / total if total > 0.0 else None


def attribution_shares(sample: SystemSample) -> dict[str, float]:
    """Each conditioned zone's share (0-1) of the source's output; {} when none gets air.

    Zones with a positive finite weight share in proportion to it; when no conditioned zone has
    one, the conditioned zones share equally.
    """
    receiving = [zone_id for zone_id, zone in sample.zones.items() if zone.conditioned]
    if not receiving:
        return {}
    weights = {zone_id: positive(sample.zones[zone_id].weight, 0.0) for zone_id in receiving}
    total = sum(weights.values())
    if total <= 0.0 or not math.isfinite(total):
        return dict.fromkeys(receiving, 1.0 / len(receiving))
    return {zone_id: weight / total for zone_id, weight in weights.items()}


_COMFORT_KEYS = (Mode.HEAT.value, Mode.COOL.value)


def _mode_to_str(mode: Mode | None) -> str | None:
    return None if mode is None else str(mode.value)


def _mode_from(value: Any) -> Mode | None:
    if value is None:
        return None
    try:
        return Mode(value)
    except ValueError as err:
        raise LedgerDataError(f"unknown mode {value!r}") from err


def sample_to_dict(sample: SystemSample) -> dict[str, Any]:
    return {
        "running": sample.running,
        "mode": _mode_to_str(sample.mode),
        "blower": sample.blower,
        "power_w": clean_power(sample.power_w, math.inf),
        "outdoor": clean_temperature(sample.outdoor_temperature, "°F"),
        "duct": clean_temperature(sample.duct_temperature, "°F"),
        "comfort": {
            key: value
            for key, value in sample.comfort.items()
            if clean_temperature(value, "°F") is not None
        },
        "zones": {
            zone_id: {
                "calling": _mode_to_str(zone.calling),
                "conditioned": zone.conditioned,
                "waiting": zone.waiting,
                "weight": positive(zone.weight, 0.0),
                "temperature": clean_temperature(zone.temperature, "°F"),
            }
            for zone_id, zone in sample.zones.items()
        },
    } | ({"inferred": True} if sample.inferred else {})


def sample_from_dict(data: Any) -> SystemSample:
    if not isinstance(data, dict):
        raise LedgerDataError("last sample is not an object")
    zones: dict[str, ZoneSample] = {}
    for zone_id, zone in read_dict(data, "zones").items():
        if not isinstance(zone, dict):
            raise LedgerDataError(f"zone sample {zone_id!r} is not an object")
        zones[zone_id] = ZoneSample(
            calling=_mode_from(zone.get("calling")),
            conditioned=zone.get("conditioned") is True,
            waiting=zone.get("waiting") is True,
            weight=read_number(zone, "weight", 1.0),
            temperature=_signed_optional(zone, "temperature"),
        )
    return SystemSample(
        running=data.get("running") is True,
        mode=_mode_from(data.get("mode")),
        blower=data.get("blower") is True,
        zones=zones,
        power_w=read_optional(data, "power_w"),
        outdoor_temperature=_signed_optional(data, "outdoor"),
        comfort=_comfort_from(read_dict(data, "comfort")),
        duct_temperature=_signed_optional(data, "duct"),
        inferred=data.get("inferred") is True,
    )


def _comfort_from(raw: dict[str, Any]) -> dict[str, float]:
    """The comfort temperatures of a stored sample (unknown mode keys are ignored)."""
    comfort: dict[str, float] = {}
    for key in _COMFORT_KEYS:
        value = _signed_optional(raw, key)
        if value is not None:
            comfort[key] = value
    return comfort


def _signed_optional(data: dict[str, Any], key: str) -> float | None:
    return None if data.get(key) is None else read_signed(data, key)
