"""Devices and the base entity: the system's device, and one device per zone in its area.

Every zone entity sits on its zone's device, every system sensor on the system's device (the
heat pump itself, a service device that the zones' devices are linked to).
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.typing import UNDEFINED

from .const import DOMAIN, NAME
from .coordinator import SystemCoordinator
from .engine import Topology

# Device models by topology: (the system's, each zone's).
DEVICE_MODELS: Final = {
    Topology.DUCTED: ("Ducted system", "Ducted zone"),
    Topology.MINI_SPLIT: ("Mini-split system", "Mini-split zone"),
}


def zone_device_identifier(coordinator: SystemCoordinator, zone_id: str) -> tuple[str, str]:
    """The device registry identifier of a zone's device."""
    return (DOMAIN, f"{coordinator.entry.entry_id}_{zone_id}")


def system_device_identifier(coordinator: SystemCoordinator) -> tuple[str, str]:
    """The device registry identifier of the system's device (the heat pump itself)."""
    return (DOMAIN, coordinator.entry.entry_id)


def register_devices(hass: HomeAssistant, coordinator: SystemCoordinator) -> None:
    """The system's device, and one device per zone in the zone's area."""
    registry = dr.async_get(hass)
    entry = coordinator.entry
    system_model, zone_model = DEVICE_MODELS[coordinator.config.topology]
    system = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={system_device_identifier(coordinator)},
        name=entry.title,
        manufacturer=NAME,
        model=system_model,
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    for zone_id, zone in coordinator.zones.items():
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            config_subentry_id=zone_id,
            identifiers={zone_device_identifier(coordinator, zone_id)},
            name=zone.config.name,
            manufacturer=NAME,
            model=zone_model,
        )
        # The link to the system's device by its id: `via_device` (identifiers) is deprecated
        # from 2026.8, and 2026.2 only takes `via_device_id` here, in the update.
        registry.async_update_device(
            device.id,
            via_device_id=system.id,
            area_id=zone.area_id if zone.area_id and device.area_id is None else UNDEFINED,
        )


class ZoneEntity(Entity):
    """An entity of one zone, refreshed after every decision of its system."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, coordinator: SystemCoordinator, zone_id: str, key: str) -> None:
        """Bind the entity to its zone."""
        self.coordinator = coordinator
        self.zone_id = zone_id
        self.zone = coordinator.zones[zone_id]
        self._attr_unique_id = f"{coordinator.entry.entry_id}_{zone_id}_{key}"
        # The zone's device is registered, with its name, model and system, at set-up.
        self._attr_device_info = DeviceInfo(
            identifiers={zone_device_identifier(coordinator, zone_id)}
        )

    async def async_added_to_hass(self) -> None:
        """Follow the system's decisions."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.add_listener(self.async_write_ha_state))
