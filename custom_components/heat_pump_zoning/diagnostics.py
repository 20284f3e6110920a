"""Diagnostics: the whole picture of one system, for bug reports.

Nothing here is secret: entity ids, temperatures and timings only. The controller's memory is
shown as it is stored (on the wall clock), with both clocks, so that a skew between them shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from homeassistant.core import HomeAssistant

from .coordinator import HeatPumpZoningConfigEntry, SystemCoordinator
from .engine import Ledger, memory_to_dict


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpZoningConfigEntry
) -> dict[str, Any]:
    """Configuration, the last observation and decision, and the controller's memory."""
    return {
        "entry": {
            "title": entry.title,
            "data": dict(entry.data),
            "options": dict(entry.options),
            "zones": {sid: dict(sub.data) for sid, sub in entry.subentries.items()},
        },
        "runtime": system_diagnostics(entry.runtime_data),
    }


def system_diagnostics(coordinator: SystemCoordinator) -> dict[str, Any]:
    """A snapshot of the system: its engine's view, memory, clocks, issues and ledger."""
    wall, control = coordinator.clocks()
    controller = coordinator.controller
    memory = coordinator.stored_memory(wall) if controller else None
    return {
        "topology": coordinator.config.topology.value,
        "unit": coordinator.unit,
        "config": jsonable(coordinator.config),
        "settings": {k: jsonable(v) for k, v in coordinator.settings.items()},
        "schedules": {k: jsonable(v) for k, v in coordinator.schedules.items()},
        "observation": jsonable(coordinator.observation),
        "decision": jsonable(coordinator.decision),
        "memory": None if memory is None else memory_to_dict(memory),
        "clock": {
            "wall": wall,
            "control": control,
            "wall_minus_control_s": coordinator.clock.skew(wall),
        },
        "missing_entities": sorted(coordinator.issues.missing),
        "stuck_dampers": sorted(coordinator.issues.stuck),
        "unreadable_schedules": sorted(coordinator.issues.unreadable_schedules),
        "ledger": ledger_summary(coordinator.ledger),
        # The learned room model: its lines and the hours of data each rests on.
        "room_model": coordinator.rooms.summary(),
        "last_errors": dict(coordinator.last_errors),
        # Commands each device got (quiet is a promise: heads beep, vents spend batteries).
        "commands": controller.command_counts(control) if controller else {},
    }


def ledger_summary(ledger: Ledger) -> dict[str, Any]:
    """A small summary of the ledger."""
    first = ledger.first_day
    return {
        "first_day": first.isoformat() if first else None,
        "days_kept": len(ledger.days(first, date.max)) if first else 0,
        "retention_days": ledger.retention_days,
        "degree_day_base": ledger.degree_day_base,
        "temperature_unit": ledger.temperature_unit,
        "energy_model": None if ledger.energy_model is None else repr(ledger.energy_model),
        "short_cycle_s": ledger.short_cycle,
        "clock_jumps": ledger.clock_jumps,
        "lifetime": ledger.lifetime(),
        "zone_lifetime": {zone_id: ledger.zone_lifetime(zone_id) for zone_id in ledger.zone_ids},
    }


def jsonable(value: Any) -> Any:
    """Dataclasses, enums and mappings as plain JSON values."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {name: jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return str(value)
