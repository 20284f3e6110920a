"""Diagnostics: the whole picture of one system, for bug reports."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant

from .runtime import HeatPumpZoningConfigEntry


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpZoningConfigEntry
) -> dict[str, Any]:
    """Configuration, the last observation and decision, and the controller's memory.

    Nothing here is secret: entity ids and temperatures only.
    """
    return {
        "entry": {
            "title": entry.title,
            "data": dict(entry.data),
            "options": dict(entry.options),
            "zones": {sid: dict(sub.data) for sid, sub in entry.subentries.items()},
        },
        "runtime": entry.runtime_data.diagnostics(),
    }
