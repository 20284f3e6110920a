"""Base entity: every zone entity sits on the zone's own device."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from .const import DOMAIN
from .runtime import SystemRuntime


def zone_device_identifier(runtime: SystemRuntime, zone_id: str) -> tuple[str, str]:
    """The device registry identifier of a zone's device."""
    return (DOMAIN, f"{runtime.entry.entry_id}_{zone_id}")


def system_device_identifier(runtime: SystemRuntime) -> tuple[str, str]:
    """The device registry identifier of the system's device (the heat pump itself)."""
    return (DOMAIN, runtime.entry.entry_id)


class ZoneEntity(Entity):
    """An entity of one zone, refreshed after every decision of its system."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, runtime: SystemRuntime, zone_id: str, key: str) -> None:
        """Bind the entity to its zone."""
        self.runtime = runtime
        self.zone_id = zone_id
        self.zone = runtime.zones[zone_id]
        self._attr_unique_id = f"{runtime.entry.entry_id}_{zone_id}_{key}"
        # The zone's device is registered, with its name, model and system, at set-up.
        self._attr_device_info = DeviceInfo(identifiers={zone_device_identifier(runtime, zone_id)})

    async def async_added_to_hass(self) -> None:
        """Follow the system's decisions."""
        await super().async_added_to_hass()
        self.async_on_remove(self.runtime.add_listener(self.async_write_ha_state))
