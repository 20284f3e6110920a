"""Runtime, energy and degree-day sensors, per zone and per system, read from the ledger.

Every figure comes from the system's `SensorFigures` (`engine.sensor_figures`), which the
coordinator renews at most once a minute after a decision or on its one-minute tick; a sensor
writes its state only when its value or attributes changed, so it is never written more than once
a minute. Shares and duty cycles are fractions in the engine, shown here in %.
Daily figures restart at local midnight: they are `total_increasing` (a drop is a new cycle).
Energy is lifetime kWh, `total_increasing`, ready for the Energy dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfEnergy, UnitOfTime
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import HeatPumpZoningConfigEntry, SystemCoordinator
from .engine import Topology, ZoneFigures, ZoneRates
from .entity import system_device_identifier, zone_device_identifier

PARALLEL_UPDATES = 0

_MINUTES = 60.0


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / _MINUTES


def _percent(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


def _percent_attribute(share: float | None) -> float | None:
    """A share as a percentage attribute, to 0.01 (no float noise like 4.1499999)."""
    return None if share is None else round(100.0 * share, 2)


def _per_degree_day_unit(amount: str) -> Callable[[str], str]:
    """A unit like "min/°C·d" (runtime minutes per degree day) in the system's unit."""
    return lambda unit: f"{amount}/{unit}·d"


def _bounds(bounds: tuple[float, float] | None) -> dict[str, float]:
    """``low`` and ``high`` (kWh) of an energy total when part of it is estimated."""
    if bounds is None:
        return {}
    return {"low": round(bounds[0], 3), "high": round(bounds[1], 3)}


def _degree_day_unit(unit: str) -> str:
    return f"{unit}·d"


@dataclass(frozen=True, kw_only=True)
class ZoneSensorDescription(SensorEntityDescription):
    """A zone sensor: its value from the zone's figures."""

    value_fn: Callable[[ZoneFigures], float | None]
    attrs_fn: Callable[[ZoneFigures], Mapping[str, Any]] | None = None
    unit_fn: Callable[[str], str] | None = None


@dataclass(frozen=True, kw_only=True)
class SystemSensorDescription(SensorEntityDescription):
    """A system sensor: its value (and attributes) from the system's coordinator."""

    value_fn: Callable[[SystemCoordinator], float | None]
    attrs_fn: Callable[[SystemCoordinator], Mapping[str, Any]] | None = None
    unit_fn: Callable[[str], str] | None = None
    ducted_only: bool = False


def _daily_duration(key: str, **kwargs: Any) -> dict[str, Any]:
    """Common fields of a duration that restarts at local midnight."""
    return {
        "key": key,
        "translation_key": key,
        "device_class": SensorDeviceClass.DURATION,
        "state_class": SensorStateClass.TOTAL_INCREASING,
        "native_unit_of_measurement": UnitOfTime.MINUTES,
        "suggested_display_precision": 0,
        **kwargs,
    }


def _rolling(
    key: str, days: int, value_fn: Callable[[ZoneFigures], float | None], amount: str
) -> ZoneSensorDescription:
    return ZoneSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2 if amount == "kWh" else 1,
        entity_registry_enabled_default=days == 7,
        value_fn=value_fn,
        unit_fn=_per_degree_day_unit(amount),
    )


ZONE_SENSORS: tuple[ZoneSensorDescription, ...] = (
    ZoneSensorDescription(
        **_daily_duration("runtime_today"), value_fn=lambda z: _minutes(z.runtime_today_s)
    ),
    ZoneSensorDescription(
        **_daily_duration("conditioned_today"),
        value_fn=lambda z: _minutes(z.conditioned_today_s),
    ),
    ZoneSensorDescription(
        **_daily_duration(
            "calling_today",
            entity_registry_enabled_default=False,
            entity_category=EntityCategory.DIAGNOSTIC,
        ),
        value_fn=lambda z: _minutes(z.calling_today_s),
    ),
    ZoneSensorDescription(
        **_daily_duration(
            "waiting_today",
            entity_registry_enabled_default=False,
            entity_category=EntityCategory.DIAGNOSTIC,
        ),
        value_fn=lambda z: _minutes(z.waiting_today_s),
    ),
    ZoneSensorDescription(
        key="energy",
        translation_key="zone_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda z: z.lifetime_kwh,
        attrs_fn=lambda z: _bounds(z.lifetime_kwh_bounds),
    ),
    ZoneSensorDescription(
        key="runtime_share_today",
        translation_key="runtime_share_today",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda z: _percent(z.share_today),
    ),
    _rolling(
        "runtime_per_hdd_7d",
        7,
        lambda z: z.per_degree_day[7].runtime_minutes_per_hdd,
        UnitOfTime.MINUTES,
    ),
    _rolling(
        "runtime_per_cdd_7d",
        7,
        lambda z: z.per_degree_day[7].runtime_minutes_per_cdd,
        UnitOfTime.MINUTES,
    ),
    _rolling(
        "runtime_per_hdd_30d",
        30,
        lambda z: z.per_degree_day[30].runtime_minutes_per_hdd,
        UnitOfTime.MINUTES,
    ),
    _rolling(
        "runtime_per_cdd_30d",
        30,
        lambda z: z.per_degree_day[30].runtime_minutes_per_cdd,
        UnitOfTime.MINUTES,
    ),
    _rolling("energy_per_hdd_7d", 7, lambda z: z.per_degree_day[7].kwh_per_hdd, "kWh"),
    _rolling("energy_per_cdd_7d", 7, lambda z: z.per_degree_day[7].kwh_per_cdd, "kWh"),
    _rolling("energy_per_hdd_30d", 30, lambda z: z.per_degree_day[30].kwh_per_hdd, "kWh"),
    _rolling("energy_per_cdd_30d", 30, lambda z: z.per_degree_day[30].kwh_per_cdd, "kWh"),
)


def _estimate_value(name: str) -> Callable[[SystemCoordinator], float | None]:
    def value(coordinator: SystemCoordinator) -> float | None:
        estimate = coordinator.estimates().get(name) or {}
        return _percent(estimate.get("value"))

    return value


def _energy_star(estimate: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The ENERGY STAR runtime saved, in %, with its interval and each mode's CV(RMSE)."""
    if not estimate:
        return None
    return {
        "runtime_saved": _percent_attribute(estimate.get("value")),
        "low": _percent_attribute(estimate.get("low")),
        "high": _percent_attribute(estimate.get("high")),
        "confidence": estimate.get("confidence"),
        "cv_rmse": {mode: fit["cv_rmse"] for mode, fit in (estimate.get("modes") or {}).items()},
    }


def _estimate_attrs(name: str) -> Callable[[SystemCoordinator], Mapping[str, Any]]:
    def attrs(coordinator: SystemCoordinator) -> Mapping[str, Any]:
        estimate = coordinator.estimates().get(name) or {}
        out: dict[str, Any] = {
            "method": (estimate.get("method") or {}).get("id"),
            "confidence": estimate.get("confidence", "insufficient"),
        }
        # The 80 % interval and the duct loss's steady-equations figure, in % as the state.
        for key in ("low", "high", "steady"):
            if key in estimate:
                out[key] = _percent_attribute(estimate[key])
        for key in (
            "days_to_narrow",
            "saved_kwh",
            "days_used",
            "prior",
            "ductless_reference",
            "notes",
        ):
            if key in estimate:
                out[key] = estimate[key]
        if name == "zoning_savings":  # the recognised second method, beside it
            out["energy_star"] = _energy_star(coordinator.estimates().get("energy_star_savings"))
        return out

    return attrs


SYSTEM_SENSORS: tuple[SystemSensorDescription, ...] = (
    SystemSensorDescription(
        **_daily_duration("compressor_runtime_today"),
        value_fn=lambda r: _minutes(sum(r.figures.runtime_today_s.values())),
    ),
    SystemSensorDescription(
        **_daily_duration("compressor_heating_today"),
        value_fn=lambda r: _minutes(r.figures.runtime_today_s.get("heat", 0.0)),
    ),
    SystemSensorDescription(
        **_daily_duration("compressor_cooling_today"),
        value_fn=lambda r: _minutes(r.figures.runtime_today_s.get("cool", 0.0)),
    ),
    SystemSensorDescription(
        **_daily_duration(
            "blower_today",
            entity_registry_enabled_default=False,
            entity_category=EntityCategory.DIAGNOSTIC,
        ),
        value_fn=lambda r: _minutes(r.figures.blower_today_s),
    ),
    SystemSensorDescription(
        key="cycles_today",
        translation_key="cycles_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda r: r.figures.cycles_today,
    ),
    SystemSensorDescription(
        key="short_cycles_today",
        translation_key="short_cycles_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        entity_registry_enabled_default=False,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda r: r.figures.short_cycles_today,
    ),
    SystemSensorDescription(
        key="average_cycle_today",
        translation_key="average_cycle_today",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=1,
        value_fn=lambda r: _minutes(r.figures.average_cycle_today_s),
    ),
    SystemSensorDescription(
        key="duty_cycle_today",
        translation_key="duty_cycle_today",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda r: _percent(r.figures.duty_cycle_today),
    ),
    SystemSensorDescription(
        key="energy",
        translation_key="system_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda r: r.figures.lifetime_kwh,
        attrs_fn=lambda r: {"method": r.figures.lifetime_energy_method}
        | _bounds(r.figures.lifetime_kwh_bounds),
    ),
    SystemSensorDescription(
        key="heating_degree_days_today",
        translation_key="heating_degree_days_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        value_fn=lambda r: r.figures.heating_degree_days_today,
        unit_fn=_degree_day_unit,
    ),
    SystemSensorDescription(
        key="cooling_degree_days_today",
        translation_key="cooling_degree_days_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        value_fn=lambda r: r.figures.cooling_degree_days_today,
        unit_fn=_degree_day_unit,
    ),
    SystemSensorDescription(
        key="duct_loss",
        translation_key="duct_loss",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=_estimate_value("duct_loss"),
        attrs_fn=_estimate_attrs("duct_loss"),
        ducted_only=True,
    ),
    SystemSensorDescription(
        key="zoning_savings",
        translation_key="zoning_savings",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=_estimate_value("zoning_savings"),
        attrs_fn=_estimate_attrs("zoning_savings"),
    ),
)


@dataclass(frozen=True, kw_only=True)
class RoomModelSensorDescription(SensorEntityDescription):
    """A figure of a zone's learned room model (`engine.RoomModels`): its value from the
    zone's rates now; ``mode`` names the line whose data the attributes describe."""

    value_fn: Callable[[ZoneRates], float | None]
    mode: str
    unit_fn: Callable[[str], str] | None = None


def _rate(key: str, value_fn: Callable[[ZoneRates], float | None]) -> RoomModelSensorDescription:
    """A rate in degrees per hour at the room's and the weather's temperatures now: it moves with
    both, so it is disabled by default (noisy in a history)."""
    return RoomModelSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        entity_registry_enabled_default=False,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=value_fn,
        mode={"heat_rate": "heat", "cool_rate": "cool"}.get(key, "resist"),
        unit_fn=lambda unit: f"{unit}/h",
    )


ROOM_MODEL_SENSORS: tuple[RoomModelSensorDescription, ...] = (
    _rate("heat_rate", lambda r: r.heat),
    _rate("cool_rate", lambda r: r.cool),
    _rate("drift_rate", lambda r: r.resist),
    RoomModelSensorDescription(
        key="balance_point",
        translation_key="balance_point",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda r: r.balance_point,
        mode="resist",
        unit_fn=lambda unit: unit,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpZoningConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """System sensors on the system's device; zone sensors on each zone's device."""
    coordinator = entry.runtime_data
    async_add_entities(
        SystemSensor(coordinator, description)
        for description in SYSTEM_SENSORS
        if not description.ducted_only or coordinator.config.topology is Topology.DUCTED
    )
    for zone_id in coordinator.zones:
        async_add_entities(
            [
                *(ZoneSensor(coordinator, zone_id, description) for description in ZONE_SENSORS),
                *(
                    RoomModelSensor(coordinator, zone_id, description)
                    for description in ROOM_MODEL_SENSORS
                ),
            ],
            config_subentry_id=zone_id,
        )


def _rounded(value: float | None) -> float | None:
    """Values compared and shown to 4 decimals (a float's last bits are not a change)."""
    if value is None or isinstance(value, int):
        return value
    return round(value, 4)


class FiguresSensor(SensorEntity):
    """A sensor renewed from the system's figures at most once a minute, written on change."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self, coordinator: SystemCoordinator, unit_fn: Callable[[str], str] | None
    ) -> None:
        """Bind to the coordinator; a unit that depends on the system's temperature unit."""
        self.coordinator = coordinator
        self._shown: tuple[float | None, dict[str, Any] | None] | None = None
        if unit_fn is not None:
            self._attr_native_unit_of_measurement = unit_fn(coordinator.unit)
        self._refresh()

    async def async_added_to_hass(self) -> None:
        """Follow the system's figures."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.add_figures_listener(self._async_figures_updated))

    def _compute(self) -> tuple[float | None, dict[str, Any] | None]:
        raise NotImplementedError

    def _refresh(self) -> bool:
        """Take the current figures; True when anything visible changed."""
        value, attrs = self._compute()
        shown = (_rounded(value), attrs)
        if shown == self._shown:
            return False
        self._shown = shown
        self._attr_native_value = shown[0]
        if attrs is not None:
            self._attr_extra_state_attributes = attrs
        return True

    @callback
    def _async_figures_updated(self) -> None:
        if self._refresh():
            self.async_write_ha_state()


class ZoneFiguresSensor(FiguresSensor):
    """A figure of one zone, on the zone's device."""

    def __init__(
        self,
        coordinator: SystemCoordinator,
        zone_id: str,
        key: str,
        unit_fn: Callable[[str], str] | None,
    ) -> None:
        """The zone's `key` figure."""
        self.zone_id = zone_id
        self._attr_unique_id = f"{coordinator.entry.entry_id}_{zone_id}_{key}"
        self._attr_device_info = DeviceInfo(
            identifiers={zone_device_identifier(coordinator, zone_id)}
        )
        super().__init__(coordinator, unit_fn)


class ZoneSensor(ZoneFiguresSensor):
    """A coordinator or energy figure of one zone, on the zone's device."""

    entity_description: ZoneSensorDescription

    def __init__(
        self, coordinator: SystemCoordinator, zone_id: str, description: ZoneSensorDescription
    ) -> None:
        """One figure of one zone."""
        self.entity_description = description
        super().__init__(coordinator, zone_id, description.key, description.unit_fn)

    def _compute(self) -> tuple[float | None, dict[str, Any] | None]:
        zone = self.coordinator.figures.zones.get(self.zone_id)
        if zone is None:
            return None, None
        description = self.entity_description
        attrs = dict(description.attrs_fn(zone)) if description.attrs_fn else None
        return description.value_fn(zone), attrs


class SystemSensor(FiguresSensor):
    """A coordinator, energy or estimate figure of the whole system, on the system's device."""

    entity_description: SystemSensorDescription

    def __init__(
        self, coordinator: SystemCoordinator, description: SystemSensorDescription
    ) -> None:
        """One figure of the system."""
        self.entity_description = description
        self._attr_unique_id = f"{coordinator.entry.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={system_device_identifier(coordinator)})
        super().__init__(coordinator, description.unit_fn)

    def _compute(self) -> tuple[float | None, dict[str, Any] | None]:
        description = self.entity_description
        attrs = dict(description.attrs_fn(self.coordinator)) if description.attrs_fn else None
        return description.value_fn(self.coordinator), attrs


class RoomModelSensor(ZoneFiguresSensor):
    """A rate or the balance point of one zone's learned model, on the zone's device.

    Attributes: ``basis`` (``default`` while the line has too little data, else ``learned``)
    and ``hours`` of data the line rests on.
    """

    entity_description: RoomModelSensorDescription

    def __init__(
        self,
        coordinator: SystemCoordinator,
        zone_id: str,
        description: RoomModelSensorDescription,
    ) -> None:
        """One figure of one zone's model."""
        self.entity_description = description
        super().__init__(coordinator, zone_id, description.key, description.unit_fn)

    def _compute(self) -> tuple[float | None, dict[str, Any] | None]:
        line = self.coordinator.rooms.line(self.zone_id, self.entity_description.mode)
        attrs = {"basis": line.basis, "hours": round(line.hours, 2)}
        rates = self.coordinator.room_rates.get(self.zone_id)
        return (self.entity_description.value_fn(rates) if rates else None), attrs
