"""What a system's entities show now, in the engine's terms: one observation, and the readings
its entities display.

`translate` reads one entity of another integration; this module knows which entities a system
and its zones read (from the entry) and puts them together. Nothing here decides anything: which
zone modes the equipment allows, for example, is the engine's `zone_modes` of what is read here.
"""

from __future__ import annotations

from collections.abc import Mapping

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import (
    CONF_DUCT_LOCATION,
    CONF_DUCT_TEMPERATURE_SENSOR,
    CONF_OUTDOOR_TEMPERATURE_SENSOR,
    CONF_POWER_SENSOR,
)
from .engine import (
    ClimateState,
    Decision,
    HeadOutput,
    SystemConfig,
    SystemObservation,
    SystemSample,
    Topology,
    ZoneInput,
    ZoneMode,
    ZoneSettings,
    duct_space_temperature,
    equipment_entity,
    in_quiet_hours,
    system_sample,
    zone_modes,
)
from .entry_config import ZoneSpec
from .translate import (
    climate_humidity,
    climate_state,
    damper_state,
    head_output,
    power_watts,
    sensor_temperature,
    sensor_value,
    weather_temperature,
)


class SystemReader:
    """Reads one system's entities (the source, heads, dampers and sensors of its entry)."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        config: SystemConfig,
        zones: Mapping[str, ZoneSpec],
        unit: str,
    ) -> None:
        """Read the entities `entry` configures, in the system's unit."""
        self.hass = hass
        self._options = entry.options
        self._config = config
        self._zones = zones
        self._unit = unit

    def _climate(self, entity_id: str | None) -> ClimateState | None:
        return climate_state(self.hass.states.get(entity_id or ""), self._unit)

    def zone_temperature(self, zone_id: str) -> float | None:
        """The room temperature the zone is controlled on (room sensor, else the head)."""
        zone = self._zones[zone_id]
        if zone.temperature_sensor:
            return sensor_temperature(self.hass.states.get(zone.temperature_sensor), self._unit)
        head = self._climate(zone.config.head)
        return head.current_temperature if head and head.available else None

    def zone_humidity(self, zone_id: str) -> float | None:
        """The room humidity: the zone's humidity sensor, else what its head reports."""
        zone = self._zones[zone_id]
        if zone.humidity_sensor:
            return sensor_value(self.hass.states.get(zone.humidity_sensor))
        if zone.config.head:
            return climate_humidity(self.hass.states.get(zone.config.head))
        return None

    def zone_modes(self, zone_id: str) -> tuple[ZoneMode, ...]:
        """The modes the zone offers: what its equipment (source or head) can do now."""
        return zone_modes(self._climate(equipment_entity(self._config, zone_id)))

    def head_output(self, zone_id: str) -> HeadOutput | None:
        """What the zone's head output sensor reads now (None: none configured or unusable)."""
        entity_id = self._zones[zone_id].head_output_sensor
        return head_output(self.hass.states.get(entity_id)) if entity_id else None

    def outdoor_temperature(self) -> float | None:
        """Outdoor temperature from a sensor or a weather entity, in the system unit."""
        entity_id = self._options.get(CONF_OUTDOOR_TEMPERATURE_SENSOR)
        if not entity_id:
            return None
        state = self.hass.states.get(entity_id)
        if state is not None and state.domain == "weather":
            return weather_temperature(state, self._unit)
        return sensor_temperature(state, self._unit)

    def duct_temperature(self, outdoor: float | None) -> float | None:
        """Air temperature around the supply ducts (ducted), for the duct-loss model.

        From the duct-space sensor when one is set; without one the engine decides what stands
        in for it (`engine.duct_space_temperature`).
        """
        if self._config.topology is not Topology.DUCTED:
            return None
        entity_id = self._options.get(CONF_DUCT_TEMPERATURE_SENSOR)
        return duct_space_temperature(
            self._options.get(CONF_DUCT_LOCATION),
            sensor_temperature(self.hass.states.get(entity_id), self._unit) if entity_id else None,
            has_sensor=bool(entity_id),
            outdoor=outdoor,
        )

    def power(self) -> float | None:
        """The system's measured power in watts, if a power sensor is configured."""
        entity_id = self._options.get(CONF_POWER_SENSOR)
        return power_watts(self.hass.states.get(entity_id)) if entity_id else None

    def observe(self, settings: Mapping[str, ZoneSettings]) -> SystemObservation:
        """The current states as one engine observation, with the zones' settings."""
        now = dt_util.now()
        minute = now.hour * 60 + now.minute
        zones = {
            zone_id: ZoneInput(
                settings=settings.get(zone_id, ZoneSettings()),
                temperature=self.zone_temperature(zone_id),
                output=self.head_output(zone_id),
                quiet=in_quiet_hours(self._zones[zone_id].quiet_hours, minute),
            )
            for zone_id in self._zones
        }
        source = self._climate(self._config.source) if self._config.source else None
        heads = {
            zone.config.head: state
            for zone in self._zones.values()
            if zone.config.head and (state := self._climate(zone.config.head)) is not None
        }
        dampers = {
            damper: damper_state(self.hass.states.get(damper))
            for zone in self._zones.values()
            for damper in zone.config.dampers
        }
        return SystemObservation(zones=zones, source=source, heads=heads, dampers=dampers)

    def ledger_sample(self, obs: SystemObservation, decision: Decision) -> SystemSample:
        """What the ledger books for the state right after `decision` (`engine.system_sample`),
        with the power, outdoor and duct-space readings of now."""
        outdoor = self.outdoor_temperature()
        return system_sample(
            self._config,
            obs,
            decision,
            power_w=self.power(),
            outdoor_temperature=outdoor,
            duct_temperature=self.duct_temperature(outdoor),
        )
