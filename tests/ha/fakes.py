"""Fakes of OTHER integrations' devices: a central thermostat, mini-split heads, dampers, sensors.

Climate devices are real climate entities on the test platform (so Home Assistant's own climate
services reach them, beside our zone thermostats); dampers are states plus recorded handlers.
Every fake records the calls it receives and updates its state like the device would.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import setup_test_component_platform


class FakeClimate(ClimateEntity):
    """A thermostat or mini-split head of another integration."""

    _attr_should_poll = False
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature_step = 0.5
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )

    def __init__(
        self,
        object_id: str,
        *,
        modes: tuple[HVACMode, ...] = (HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL),
        current: float | None = 20.0,
        target: float = 20.0,
        mode: HVACMode = HVACMode.OFF,
        report_action: bool = True,
        fan_modes: tuple[str, ...] = (),
    ) -> None:
        """A device in a given state (with fan modes, starting at the first, when given)."""
        self.entity_id = f"climate.{object_id}"
        self._attr_unique_id = f"fake_{object_id}"
        self._attr_name = object_id
        self._attr_hvac_modes = list(modes)
        self._attr_hvac_mode = mode
        self._attr_current_temperature = current
        self._attr_target_temperature = target
        self.report_action = report_action
        if fan_modes:
            self._attr_fan_modes = list(fan_modes)
            self._attr_fan_mode = fan_modes[0]
            self._attr_supported_features |= ClimateEntityFeature.FAN_MODE
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.call_times: list[datetime] = []  # when each call arrived

    @property
    def hvac_action(self) -> HVACAction | None:
        """Heating/cooling whenever on and its own reading asks for it (a simple device)."""
        if not self.report_action:
            return None
        if self._attr_hvac_mode == HVACMode.OFF:
            return HVACAction.OFF
        current = self._attr_current_temperature
        target = self._attr_target_temperature
        if current is None or target is None:
            return HVACAction.IDLE
        if self._attr_hvac_mode == HVACMode.HEAT and current < target:
            return HVACAction.HEATING
        if self._attr_hvac_mode == HVACMode.COOL and current > target:
            return HVACAction.COOLING
        return HVACAction.IDLE

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Record and apply."""
        self.calls.append(("set_hvac_mode", {"hvac_mode": hvac_mode}))
        self.call_times.append(dt_util.utcnow())
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Record and apply (mode and setpoint in one call)."""
        self.calls.append(("set_temperature", dict(kwargs)))
        self.call_times.append(dt_util.utcnow())
        if (mode := kwargs.get("hvac_mode")) is not None:
            self._attr_hvac_mode = HVACMode(mode)
        if (temp := kwargs.get(ATTR_TEMPERATURE)) is not None:
            self._attr_target_temperature = temp
        self.async_write_ha_state()

    def remote(self, *, mode: HVACMode | None = None, target: float | None = None) -> None:
        """Someone uses the device's own remote control."""
        if mode is not None:
            self._attr_hvac_mode = mode
        if target is not None:
            self._attr_target_temperature = target
        self.async_write_ha_state()

    def fan(self, fan_mode: str) -> None:
        """Someone picks a fan speed on the remote."""
        self._attr_fan_mode = fan_mode
        self.async_write_ha_state()

    def reading(self, current: float | None) -> None:
        """The device's own sensor reads a new value."""
        self._attr_current_temperature = current
        self.async_write_ha_state()


async def async_setup_fake_climates(hass: HomeAssistant, *climates: FakeClimate) -> None:
    """Add the fake climate devices through Home Assistant's climate component."""
    setup_test_component_platform(hass, "climate", list(climates))
    assert await async_setup_component(hass, "climate", {"climate": {"platform": "test"}})
    await hass.async_block_till_done()


class FakeDampers:
    """Cover, valve and switch dampers: states plus service handlers that record and move."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Register the handlers of the damper domains."""
        self.hass = hass
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.frozen: set[str] = set()  # dampers that accept commands but do not move
        self.failing: set[str] = set()  # dampers whose service raises (and that do not move)
        self.hanging: set[str] = set()  # dampers whose service never answers (nor moves)
        self.slow: set[str] = set()  # dampers that report opening/closing until `arrive`
        self._travel: dict[str, int] = {}  # slow dampers' positions to come
        for domain, services in {
            "cover": ("set_cover_position", "open_cover", "close_cover"),
            "valve": ("set_valve_position", "open_valve", "close_valve"),
            "switch": ("turn_on", "turn_off"),
        }.items():
            for service in services:
                hass.services.async_register(domain, service, self._handle)

    def add(self, entity_id: str, *, position: int | None = 100) -> None:
        """A damper; `position` None for an open/close-only one."""
        domain = entity_id.split(".")[0]
        if domain == "switch":
            self.hass.states.async_set(entity_id, "on" if position else "off")
            return
        attrs: dict[str, Any] = {}
        if position is not None:
            attrs = {"current_position": position, "supported_features": 15}
        else:
            attrs = {"supported_features": 3}
        self.hass.states.async_set(entity_id, "open" if position != 0 else "closed", attrs)

    def position(self, entity_id: str) -> int:
        """Where a damper is seen now (0–100; unavailable, unknown or not yet open: 0)."""
        state = self.hass.states.get(entity_id)
        assert state is not None
        if state.state in ("unavailable", "unknown"):
            return 0
        if "current_position" in state.attributes:
            return int(state.attributes["current_position"])
        return 100 if state.state in ("open", "on") else 0

    def calls_to(self, entity_id: str) -> int:
        """How many commands a damper has received."""
        return sum(1 for _domain, _service, data in self.calls if data["entity_id"] == entity_id)

    def arrive(self) -> None:
        """The slow dampers reach the positions they were last told."""
        for entity_id, position in self._travel.items():
            self._move(entity_id, position)
        self._travel.clear()

    async def _handle(self, call: ServiceCall) -> None:
        entity_ids = call.data["entity_id"]
        for entity_id in [entity_ids] if isinstance(entity_ids, str) else entity_ids:
            self.calls.append((call.domain, call.service, dict(call.data)))
            if entity_id in self.failing:
                raise HomeAssistantError(f"{entity_id} refused the command")
            if entity_id in self.hanging:
                await asyncio.Event().wait()  # never answers (the caller's timeout ends it)
            if entity_id in self.frozen:
                continue
            if call.service in ("set_cover_position", "set_valve_position"):
                position = int(call.data["position"])
            else:
                position = 100 if call.service in ("open_cover", "open_valve", "turn_on") else 0
            if entity_id in self.slow:
                state = self.hass.states.get(entity_id)
                assert state is not None
                moving = "opening" if position > self.position(entity_id) else "closing"
                self.hass.states.async_set(entity_id, moving, dict(state.attributes))
                self._travel[entity_id] = position
                continue
            self._move(entity_id, position)

    def _move(self, entity_id: str, position: int) -> None:
        state = self.hass.states.get(entity_id)
        attrs = dict(state.attributes) if state else {}
        if entity_id.startswith("switch."):
            self.hass.states.async_set(entity_id, "on" if position else "off", attrs)
            return
        if "current_position" in attrs:
            attrs["current_position"] = position
        self.hass.states.async_set(entity_id, "open" if position else "closed", attrs)


def set_temperature_sensor(
    hass: HomeAssistant, entity_id: str, value: float | str, unit: str = "°C"
) -> None:
    """A room temperature sensor of another integration."""
    hass.states.async_set(
        entity_id,
        str(value),
        {"device_class": "temperature", "unit_of_measurement": unit, "state_class": "measurement"},
    )
