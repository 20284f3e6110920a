"""What a system tells the user about its equipment: repair issues and log lines, each once.

- A configured entity that no longer exists: a repair (`missing_entity`) until it is back.
- A damper that does not follow commands (the engine reports it `stuck`): a warning and a repair
  naming the device and its zone (`damper_stuck`) until it is seen moving again.
- A zone or a damper that becomes unavailable: one log line, and one when it is back. While Home
  Assistant starts, other integrations are still adding the sensors and equipment: one that is
  not there yet is not news. It is logged if it was available before, or if it still is not
  once Home Assistant has started (the started callback of `__init__` decides once more then).
"""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .const import DOMAIN
from .engine.model import DamperHealth, DamperStatus, Decision

_LOGGER = logging.getLogger(__package__)


class SystemIssues:
    """The issues and availability log of one system (one config entry)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        zone_names: dict[str, str],
        damper_zones: dict[str, str],
    ) -> None:
        """`zone_names`: zone id -> name; `damper_zones`: damper entity id -> zone name."""
        self.hass = hass
        self.entry = entry
        self._zone_names = zone_names
        self._damper_zones = damper_zones
        self.missing: set[str] = set()
        self.stuck: set[str] = set()
        self._unavailable_zones: set[str] = set()
        self._unavailable_dampers: set[str] = set()
        self._seen_available: set[str] = set()  # zone ids and dampers seen available once

    def _news(self, key: str, available: bool) -> bool:
        """Whether an unavailable `key` is worth a log line now (see the module docstring)."""
        if available:
            self._seen_available.add(key)
            return False
        return key in self._seen_available or self.hass.state is CoreState.running

    def check_missing(self, watched: set[str]) -> None:
        """Raise a repair issue for configured entities that no longer exist, clear it when back."""
        if not self.hass.is_running:
            return  # other integrations may still be adding their entities
        registry = er.async_get(self.hass)
        for entity_id in sorted(watched):
            exists = self.hass.states.get(entity_id) is not None or registry.async_get(entity_id)
            issue_id = f"missing_entity_{self.entry.entry_id}_{entity_id}"
            if not exists and entity_id not in self.missing:
                self.missing.add(entity_id)
                _LOGGER.warning(
                    "%s: configured entity %s does not exist", self.entry.title, entity_id
                )
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    issue_id,
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key="missing_entity",
                    translation_placeholders={"entity_id": entity_id, "system": self.entry.title},
                )
            elif exists and entity_id in self.missing:
                self.missing.discard(entity_id)
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)

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
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._stuck_issue(damper),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="damper_stuck",
            translation_placeholders=placeholders,
        )

    def _stuck_issue(self, damper: str) -> str:
        return f"damper_stuck_{self.entry.entry_id}_{damper}"

    def clear(self) -> None:
        """The system unloads: its stuck-damper repairs go (a new run judges afresh)."""
        for damper in self.stuck:
            ir.async_delete_issue(self.hass, DOMAIN, self._stuck_issue(damper))
        self.stuck.clear()


def _percent(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}"
