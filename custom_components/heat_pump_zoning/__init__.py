"""Heat Pump Zoning: one thermostat per room for ducted and mini-split heat pumps."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import UNDEFINED, ConfigType

from .const import DOMAIN, NAME
from .entity import system_device_identifier, zone_device_identifier
from .runtime import HeatPumpZoningConfigEntry, SystemRuntime
from .services import async_setup_services

PLATFORMS: list[Platform] = [Platform.CLIMATE, Platform.SENSOR]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration (actions are registered here, once)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HeatPumpZoningConfigEntry) -> bool:
    """Set up one HVAC system: its devices, its runtime and its zones' entities."""
    runtime = SystemRuntime(hass, entry)
    entry.runtime_data = runtime
    _register_devices(hass, runtime)
    await runtime.async_start()
    entry.async_on_unload(runtime.async_stop)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(_reload_on_zone_change(hass, entry))

    # Repairs for missing entities wait until every integration has added its entities.
    # A callback, so that Home Assistant runs it on the event loop: a plain function or lambda
    # would run in a worker thread, where creating the runtime's task is not thread-safe
    # (Python 3.14's debug loop refuses it; otherwise the first decision can be delayed or lost).
    @callback
    def _decide_once_started(_hass: HomeAssistant) -> None:
        runtime.request_update()

    entry.async_on_unload(async_at_started(hass, _decide_once_started))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HeatPumpZoningConfigEntry) -> bool:
    """Unload one HVAC system."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


def _register_devices(hass: HomeAssistant, runtime: SystemRuntime) -> None:
    """The system's device, and one device per zone in the zone's area."""
    registry = dr.async_get(hass)
    entry = runtime.entry
    system = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={system_device_identifier(runtime)},
        name=entry.title,
        manufacturer=NAME,
        model="Ducted system" if runtime.topology.value == "ducted" else "Mini-split system",
        entry_type=dr.DeviceEntryType.SERVICE,
    )
    for zone_id, zone in runtime.zones.items():
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            config_subentry_id=zone_id,
            identifiers={zone_device_identifier(runtime, zone_id)},
            name=zone.config.name,
            manufacturer=NAME,
            model="Ducted zone" if zone.config.dampers else "Mini-split zone",
        )
        # The link to the system's device by its id: `via_device` (identifiers) is deprecated
        # from 2026.8, and 2026.2 only takes `via_device_id` here, in the update.
        registry.async_update_device(
            device.id,
            via_device_id=system.id,
            area_id=zone.area_id if zone.area_id and device.area_id is None else UNDEFINED,
        )


def _zones_signature(entry: ConfigEntry) -> dict[str, Any]:
    return {sid: (sub.title, dict(sub.data)) for sid, sub in entry.subentries.items()}


def _reload_on_zone_change(hass: HomeAssistant, entry: ConfigEntry) -> Any:
    """Reload the system when a zone is added, edited or removed (subentries)."""
    signature = _zones_signature(entry)

    @callback
    def _changed(change: ConfigEntryChange, changed: ConfigEntry) -> None:
        if change is not ConfigEntryChange.UPDATED or changed.entry_id != entry.entry_id:
            return
        if _zones_signature(changed) != signature:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    return async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, _changed)
