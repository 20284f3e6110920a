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
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import HeatPumpZoningConfigEntry, SystemCoordinator
from .entity import register_devices
from .services import async_setup_services

PLATFORMS: list[Platform] = [Platform.CLIMATE, Platform.SENSOR]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration (actions are registered here, once)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: HeatPumpZoningConfigEntry) -> bool:
    """Set up one HVAC system: its devices, its coordinator and its zones' entities."""
    coordinator = SystemCoordinator(hass, entry)
    entry.runtime_data = coordinator
    register_devices(hass, coordinator)
    await coordinator.async_start()
    entry.async_on_unload(coordinator.async_stop)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(_reload_on_zone_change(hass, entry))

    # Repairs for missing entities wait until every integration has added its entities.
    # A callback, so that Home Assistant runs it on the event loop: a plain function or lambda
    # would run in a worker thread, where creating the coordinator's task is not thread-safe
    # (Python 3.14's debug loop refuses it; otherwise the first decision can be delayed or lost).
    @callback
    def _decide_once_started(_hass: HomeAssistant) -> None:
        coordinator.request_update()

    entry.async_on_unload(async_at_started(hass, _decide_once_started))
    return True


async def async_unload_entry(hass: HomeAssistant, entry: HeatPumpZoningConfigEntry) -> bool:
    """Unload one HVAC system."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


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
