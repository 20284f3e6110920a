"""Actions: `get_report` (structured runtime/energy report) and `export_ledger` (CSV or JSON).

Both work on every loaded system unless `config_entry_id` narrows them, so a mixed home (ducted
and mini-split entries) is compared in one report. A period is "day" (today so far), "week" (the
7 days ending today), "month" (30 days ending today), or explicit local `start`/`end` dates.
Bad input raises `ServiceValidationError` with a translated message; nothing is guessed.
"""

from __future__ import annotations

import csv
from datetime import date
import io
import json
from pathlib import Path
import re
from typing import Any, Final

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .const import DOMAIN, EXPORT_FOLDER, SERVICE_EXPORT_LEDGER, SERVICE_GET_REPORT
from .coordinator import SystemCoordinator
from .engine import EXPORT_COLUMNS, PERIODS, build_report, export_rows, resolve_period

ATTR_PERIOD: Final = "period"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_FORMAT: Final = "format"
ATTR_FILENAME: Final = "filename"
FORMATS: Final = ("csv", "json")
EXTRA_COLUMNS: Final = ("system_name", "zone_name")
# A plain file name: no folders, no hidden files, nothing a shell or a path would interpret.
# Matched whole (`fullmatch`): `$` would also accept a trailing line break.
_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

_RANGE_FIELDS: dict[vol.Marker, Any] = {
    vol.Optional(ATTR_PERIOD): vol.In(list(PERIODS)),
    vol.Optional(ATTR_START): cv.date,
    vol.Optional(ATTR_END): cv.date,
    vol.Optional(ATTR_CONFIG_ENTRY_ID): vol.All(cv.ensure_list, [cv.string]),
}
REPORT_SCHEMA: Final = vol.Schema(_RANGE_FIELDS)
EXPORT_SCHEMA: Final = vol.Schema(
    {
        **_RANGE_FIELDS,
        vol.Optional(ATTR_FORMAT, default="json"): vol.In(FORMATS),
        vol.Optional(ATTR_FILENAME): cv.string,
    }
)


def _error(key: str, **placeholders: Any) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={k: str(v) for k, v in placeholders.items()} or None,
    )


def _systems(hass: HomeAssistant, data: dict[str, Any]) -> list[SystemCoordinator]:
    """The loaded systems the call is about (all of them without `config_entry_id`)."""
    entry_ids: list[str] = data.get(ATTR_CONFIG_ENTRY_ID) or []
    if not entry_ids:
        entries = hass.config_entries.async_loaded_entries(DOMAIN)
        if not entries:
            raise _error("no_systems")
        return [entry.runtime_data for entry in entries]
    coordinators: list[SystemCoordinator] = []
    for entry_id in dict.fromkeys(entry_ids):
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            raise _error("entry_not_found", entry_id=entry_id)
        if entry.state is not ConfigEntryState.LOADED:
            raise _error("entry_not_loaded", system=entry.title)
        coordinators.append(entry.runtime_data)
    return coordinators


def _date_range(
    data: dict[str, Any], systems: list[SystemCoordinator], *, all_by_default: bool
) -> tuple[date, date]:
    """(first, last) local date of the call, validated against today and the retention."""
    now = dt_util.now()
    today = now.date()
    period: str | None = data.get(ATTR_PERIOD)
    start: date | None = data.get(ATTR_START)
    end: date | None = data.get(ATTR_END)
    if period is not None and (start is not None or end is not None):
        raise _error("period_and_dates")
    if period is not None:
        return resolve_period(period, now.timestamp(), now.tzinfo or dt_util.UTC)
    if start is None:
        if end is not None or not all_by_default:
            raise _error("period_or_dates")
        first_days = [day for s in systems if (day := s.ledger.first_day) is not None]
        return min(first_days, default=today), today
    end = end or today
    if start > end:
        raise _error("start_after_end", start=start, end=end)
    if end > today:
        raise _error("future_date", date=end, today=today)
    retention = max(s.ledger.retention_days for s in systems)
    if (end - start).days + 1 > retention:
        raise _error("range_too_long", days=(end - start).days + 1, retention=retention)
    return start, end


def _flush(systems: list[SystemCoordinator]) -> None:
    """Book every ledger up to now, so the report includes the last minute."""
    now = dt_util.utcnow().timestamp()
    for system in systems:
        system.ledger.flush(now)


async def _async_get_report(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    systems = _systems(hass, call.data)
    start, end = _date_range(call.data, systems, all_by_default=False)
    _flush(systems)
    return build_report([s.report_input() for s in systems], start, end)


def _rows(systems: list[SystemCoordinator], start: date, end: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for system in systems:
        names = {zone_id: zone.config.name for zone_id, zone in system.zones.items()}
        rows.extend(
            row
            | {
                "system_name": system.entry.title,
                "zone_name": names.get(row["zone"], row["zone"]) if row["zone"] else "",
            }
            for row in export_rows(system.ledger, start, end, system_id=system.entry.entry_id)
        )
    return rows


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=[*EXPORT_COLUMNS, *EXTRA_COLUMNS], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def _async_export_ledger(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    filename: str | None = call.data.get(ATTR_FILENAME)
    if filename is not None and not _FILENAME.fullmatch(filename):
        raise _error("invalid_filename", filename=filename)
    systems = _systems(hass, call.data)
    start, end = _date_range(call.data, systems, all_by_default=True)
    _flush(systems)
    rows = _rows(systems, start, end)
    response: dict[str, Any] = {
        "format": call.data[ATTR_FORMAT],
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    if call.data[ATTR_FORMAT] == "csv":
        response["csv"] = text = _csv(rows)
    else:
        response["columns"] = [*EXPORT_COLUMNS, *EXTRA_COLUMNS]
        response["rows"] = rows
        text = json.dumps({"columns": response["columns"], "rows": rows}, indent=1)
    if filename is not None:
        path = Path(hass.config.path(EXPORT_FOLDER, filename))
        if not await hass.async_add_executor_job(hass.config.is_allowed_path, str(path)):
            raise _error("path_not_allowed", folder=path.parent)
        try:
            await hass.async_add_executor_job(_write, path, text)
        except OSError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="write_failed",
                translation_placeholders={"path": str(path), "error": str(err)},
            ) from err
        response["path"] = str(path)
    return response


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (once, from `async_setup`)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_REPORT,
        _async_get_report,
        schema=REPORT_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_EXPORT_LEDGER,
        _async_export_ledger,
        schema=EXPORT_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
