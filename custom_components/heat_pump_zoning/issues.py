"""What a system tells the user: repair issues and log lines, each once.

- A storage file that holds no object, or a ledger in it that cannot be read: a warning and a
  repair (`storage_reset`, `ledger_reset`); the system starts afresh.
- A configured entity that no longer exists: a repair (`missing_entity`) until it is back.
- A zone's schedule that exists but cannot be read (unavailable, or neither on nor off): a repair
  naming the zone (`schedule_unavailable`) until it can; the zone keeps its target meanwhile. A
  deleted schedule is a `missing_entity` like any other.
- A damper that does not follow commands (the engine reports it `stuck`): a warning and a repair
  naming the device and its zone (`damper_stuck`) until it is seen moving again.
- A zone or a damper that becomes unavailable: one log line, and one when it is back. While Home
  Assistant starts, other integrations are still adding the sensors and equipment: one that is
  not there yet is not news. It is logged if it was available before, or if it still is not
  once Home Assistant has started (the started callback of `__init__` decides once more then).
"""

from __future__ import annotations

from collections.abc import Iterable
import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .engine import DamperHealth, DamperStatus, Decision, ZoneConfig
from .validation import entity_exists

_LOGGER = logging.getLogger(__package__)


class SystemIssues:
    """The issues and availability log of one system (one config entry)."""

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, zones: Iterable[ZoneConfig]
    ) -> None:
        """The issues of the system `entry` configures, with these zones."""
        self.hass = hass
        self.entry = entry
        self._zone_names = {zone.zone_id: zone.name for zone in zones}
        self._damper_zones = {damper: zone.name for zone in zones for damper in zone.dampers}
        self.missing: set[str] = set()
        self.stuck: set[str] = set()
        self.unreadable_schedules: set[str] = set()
        self._unavailable_zones: set[str] = set()
        self._unavailable_dampers: set[str] = set()
        self._seen_available: set[str] = set()  # zone ids and dampers seen available once

    def _news(self, key: str, available: bool) -> bool:
        """Whether an unavailable `key` is worth a log line now (see the module docstring)."""
        if available:
            self._seen_available.add(key)
            return False
        return key in self._seen_available or self.hass.state is CoreState.running

    def _warning(self, issue_id: str, key: str, placeholders: dict[str, str]) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=key,
            translation_placeholders=placeholders,
        )

    def storage_reset(self, held: str) -> None:
        """The storage file holds a `held` (not an object): the system starts afresh."""
        _LOGGER.warning(
            "%s: the stored data cannot be read (a %s, not an object); starting a new runtime "
            "ledger and compressor-protection memory",
            self.entry.title,
            held,
        )
        self._warning(
            f"storage_reset_{self.entry.entry_id}", "storage_reset", {"system": self.entry.title}
        )

    def ledger_reset(self, error: Exception) -> None:
        """The stored ledger cannot be read: a new one starts."""
        _LOGGER.warning(
            "%s: the stored runtime ledger cannot be read (%s); starting a new one",
            self.entry.title,
            error,
        )
        self._warning(
            f"ledger_reset_{self.entry.entry_id}", "ledger_reset", {"system": self.entry.title}
        )

    def check_missing(self, watched: set[str]) -> None:
        """Raise a repair issue for configured entities that no longer exist, clear it when back."""
        if not self.hass.is_running:
            return  # other integrations may still be adding their entities
        for entity_id in sorted(watched):
            exists = entity_exists(self.hass, entity_id)
            issue_id = f"missing_entity_{self.entry.entry_id}_{entity_id}"
            if not exists and entity_id not in self.missing:
                self.missing.add(entity_id)
                _LOGGER.warning(
                    "%s: configured entity %s does not exist", self.entry.title, entity_id
                )
                self._warning(
                    issue_id,
                    "missing_entity",
                    {"entity_id": entity_id, "system": self.entry.title},
                )
            elif exists and entity_id in self.missing:
                self.missing.discard(entity_id)
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def schedule_readable(self, zone_id: str, entity_id: str, readable: bool) -> None:
        """Raise or clear the repair of a zone whose schedule exists but cannot be read.

        Only once Home Assistant runs (the schedule may not be set up yet before); a schedule
        that does not exist is left to `check_missing`.
        """
        issue_id = self._schedule_issue(zone_id)
        unreadable = not readable and self.hass.is_running and entity_exists(self.hass, entity_id)
        if unreadable and zone_id not in self.unreadable_schedules:
            self.unreadable_schedules.add(zone_id)
            zone = self._zone_names.get(zone_id, zone_id)
            _LOGGER.warning(
                "%s: schedule %s of zone %s is unavailable; the zone keeps its target",
                self.entry.title,
                entity_id,
                zone,
            )
            self._warning(
                issue_id,
                "schedule_unavailable",
                {"system": self.entry.title, "zone": zone, "entity_id": entity_id},
            )
        elif not unreadable and zone_id in self.unreadable_schedules:
            self.unreadable_schedules.discard(zone_id)
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def _schedule_issue(self, zone_id: str) -> str:
        return f"schedule_unavailable_{self.entry.entry_id}_{zone_id}"

    def decided(self, decision: Decision) -> None:
        """Log zone and damper availability changes, raise and clear stuck-damper repairs."""
        for zone_id, status in decision.zones.items():
            name = self._zone_names.get(zone_id, zone_id)
            news = self._news(zone_id, status.available)
            if news and zone_id not in self._unavailable_zones:
                self._unavailable_zones.add(zone_id)
                _LOGGER.info("Zone %s is unavailable: its sensor or equipment is unavailable", name)
            elif status.available and zone_id in self._unavailable_zones:
                self._unavailable_zones.discard(zone_id)
                _LOGGER.info("Zone %s is available again", name)
        for damper, health in decision.dampers.items():
            self._availability(damper, health)
            if health.status is DamperStatus.STUCK and damper not in self.stuck:
                self._raise_stuck(damper, health)
            elif health.status is not DamperStatus.STUCK and damper in self.stuck:
                if health.status is DamperStatus.UNAVAILABLE:
                    continue  # still not seen moving: the repair stays
                self.stuck.discard(damper)
                ir.async_delete_issue(self.hass, DOMAIN, self._stuck_issue(damper))
                _LOGGER.info("%s: damper %s follows commands again", self.entry.title, damper)

    def _availability(self, damper: str, health: DamperHealth) -> None:
        news = self._news(damper, health.status is not DamperStatus.UNAVAILABLE)
        if news and damper not in self._unavailable_dampers:
            self._unavailable_dampers.add(damper)
            _LOGGER.info(
                "%s: damper %s is unavailable; it counts as closed until it is back",
                self.entry.title,
                damper,
            )
        elif health.status is not DamperStatus.UNAVAILABLE and damper in self._unavailable_dampers:
            self._unavailable_dampers.discard(damper)
            _LOGGER.info("%s: damper %s is available again", self.entry.title, damper)

    def _raise_stuck(self, damper: str, health: DamperHealth) -> None:
        self.stuck.add(damper)
        state = self.hass.states.get(damper)
        name = str(state.name) if state is not None else damper
        placeholders = {
            "system": self.entry.title,
            "entity_id": damper,
            "name": name,
            "zone": self._damper_zones.get(damper, "?"),
            "target": _percent(health.target),
            "position": _percent(health.position),
        }
        _LOGGER.warning(
            "%s: damper %s (%s, zone %s) was told to move to %s %% but stays at %s %%; it counts "
            "where it is and is retried with backoff",
            self.entry.title,
            damper,
            name,
            placeholders["zone"],
            placeholders["target"],
            placeholders["position"],
        )
        self._warning(self._stuck_issue(damper), "damper_stuck", placeholders)

    def _stuck_issue(self, damper: str) -> str:
        return f"damper_stuck_{self.entry.entry_id}_{damper}"

    def clear(self) -> None:
        """The system unloads: its stuck-damper and schedule repairs go (a new run judges anew)."""
        for damper in self.stuck:
            ir.async_delete_issue(self.hass, DOMAIN, self._stuck_issue(damper))
        self.stuck.clear()
        for zone_id in self.unreadable_schedules:
            ir.async_delete_issue(self.hass, DOMAIN, self._schedule_issue(zone_id))
        self.unreadable_schedules.clear()


def _percent(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"
