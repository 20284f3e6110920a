"""Home Assistant entities backed by a simulated `House`: what real hardware would expose.

- the ducted unit's wall thermostat and every mini-split head: `climate`
- every zone damper: `cover` (device class damper, with a position)
- every room: temperature and humidity `sensor`s; outdoors: temperature and humidity
- every HVAC system: electrical power `sensor`; all of them together: an electricity meter
  (`heat_pumps_energy`, kWh, the Energy dashboard's grid consumption); every mini-split head:
  its metered electrical power `sensor` (`<head>_head_power`, what outdoor units that report
  consumption per indoor unit give: the compressor's power apportioned by the head's output,
  plus the head's fan)
- every ducted unit with ducts outside the living space: the temperature of that space
  (`<system>_duct_space_temperature`)
- the simulated clock: local time and period of the day (for schedules in the demo)

The entities never step the house: `SimClock` does, then asks each entity to `publish()`, which
writes a state only when what it shows has changed. Commands go straight to the simulated
equipment and take effect at the next step, as they would on a real device.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Protocol

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import ClimateEntityFeature, HVACAction, HVACMode
from homeassistant.components.cover import (
    ATTR_POSITION,
    CoverDeviceClass,
    CoverEntity,
    CoverEntityFeature,
)
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import (
    ATTR_TEMPERATURE,
    PERCENTAGE,
    UnitOfEnergy,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.helpers.entity import Entity

from sim.ducted import Damper
from sim.house import House, Room
from sim.minisplit import MiniSplitHead
from sim.scenario import local_hour, period_at
from sim.truth import kwh

TEMPERATURE_DECIMALS = 1  # what typical room sensors report
DOMAIN = "hpz_sim"
# Home Assistant 2026.11 renamed the climate temperature members to native_*; the old names still
# work there (until 2027.11) but log a deprecation warning. SimClimate serves both.
NATIVE_TEMPERATURES = hasattr(ClimateEntity, "native_current_temperature")


class SimEntity(Entity):
    """Base: a fixed entity id, no polling, state written only when it changes."""

    _attr_should_poll = False

    def __init__(self, domain: str, object_id: str, name: str) -> None:
        """Name the entity; `object_id` becomes both its entity id and its unique id."""
        self.entity_id = f"{domain}.{object_id}"
        self._attr_unique_id = f"{DOMAIN}_{object_id}"
        self._attr_name = name
        self._shown: Hashable = None

    def refresh(self) -> None:
        """Copy the simulator's values into the `_attr_*` fields."""

    def snapshot(self) -> Hashable:
        """What the entity shows; a state is written when this changes."""
        return None

    def publish(self) -> None:
        """Refresh and write the state if what it shows changed."""
        self.refresh()
        shown = self.snapshot()
        if shown == self._shown or self.hass is None:
            return
        self._shown = shown
        self.async_write_ha_state()

    async def async_added_to_hass(self) -> None:
        """Show the simulator's values from the start."""
        self.refresh()
        self._shown = self.snapshot()


class Thermostat(Protocol):
    """What a ducted wall thermostat and a mini-split head have in common."""

    hvac_mode: Any
    target_temperature: float

    def set_mode(self, mode: str) -> None: ...
    def set_setpoint(self, temperature_c: float) -> None: ...
    @property
    def current_temperature(self) -> float: ...
    @property
    def hvac_action(self) -> Any: ...
    @property
    def min_temp(self) -> float: ...
    @property
    def max_temp(self) -> float: ...


class SimClimate(SimEntity, ClimateEntity):
    """A ducted unit's wall thermostat or a mini-split head (off / heat / cool)."""

    _attr_target_temperature_step = 0.5
    _attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT, HVACMode.COOL]  # noqa: RUF012
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )

    def __init__(
        self,
        device: Thermostat,
        object_id: str,
        name: str,
        humidity: Callable[[], float] | None = None,
    ) -> None:
        """Wrap a simulated thermostat."""
        super().__init__("climate", object_id, name)
        self.device = device
        self._humidity = humidity
        self._last_on = HVACMode.HEAT
        self.refresh()

    def refresh(self) -> None:
        """Mode, setpoint, reading and action from the simulator."""
        device = self.device
        self._attr_hvac_mode = HVACMode(str(device.hvac_mode))
        # Many heads' integrations do not say what the head is doing.
        reports = getattr(device, "reports_action", True)
        self._attr_hvac_action = HVACAction(str(device.hvac_action)) if reports else None
        self._target = device.target_temperature
        self._current = round(device.current_temperature, TEMPERATURE_DECIMALS)
        self._attr_min_temp = device.min_temp
        self._attr_max_temp = device.max_temp
        self._attr_target_temperature_step = getattr(device, "target_temp_step", 0.5)
        if self._humidity is not None:
            self._attr_current_humidity = round(self._humidity())

    def snapshot(self) -> Hashable:
        """Everything the state shows."""
        return (
            self._attr_hvac_mode,
            self._attr_hvac_action,
            self._target,
            self._current,
            self._attr_current_humidity,
        )

    @property
    def native_temperature_unit(self) -> str:
        """The simulator works in °C."""
        return UnitOfTemperature.CELSIUS

    @property
    def native_current_temperature(self) -> float:
        """The equipment's own reading."""
        return self._current

    @property
    def native_target_temperature(self) -> float:
        """The equipment's setpoint."""
        return self._target

    if not NATIVE_TEMPERATURES:
        # The names Home Assistant reads before 2026.11.

        @property
        def temperature_unit(self) -> str:
            """The simulator works in °C (Home Assistant before 2026.11)."""
            return self.native_temperature_unit

        @property
        def current_temperature(self) -> float:
            """The equipment's own reading (Home Assistant before 2026.11)."""
            return self.native_current_temperature

        @property
        def target_temperature(self) -> float:
            """The equipment's setpoint (Home Assistant before 2026.11)."""
            return self.native_target_temperature

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Switch the equipment's mode."""
        if hvac_mode != HVACMode.OFF:
            self._last_on = hvac_mode
        self.device.set_mode(str(hvac_mode))
        self.publish()

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Setpoint, optionally with a mode (one call, like most heads accept)."""
        if (mode := kwargs.get("hvac_mode")) is not None:
            await self.async_set_hvac_mode(HVACMode(mode))
        if (temperature := kwargs.get(ATTR_TEMPERATURE)) is not None:
            self.device.set_setpoint(float(temperature))
        self.publish()

    async def async_turn_on(self) -> None:
        """Back to the last mode that was not off."""
        await self.async_set_hvac_mode(self._last_on)

    async def async_turn_off(self) -> None:
        """Off."""
        await self.async_set_hvac_mode(HVACMode.OFF)


class SimDamper(SimEntity, CoverEntity):
    """A motorised zone damper with a position; `opening` / `closing` while it travels."""

    _attr_device_class = CoverDeviceClass.DAMPER
    _attr_supported_features = (
        CoverEntityFeature.OPEN | CoverEntityFeature.CLOSE | CoverEntityFeature.SET_POSITION
    )

    def __init__(self, damper: Damper, object_id: str, name: str) -> None:
        """Wrap a simulated damper."""
        super().__init__("cover", object_id, name)
        self.damper = damper
        self.refresh()

    def refresh(self) -> None:
        """Position and travel from the simulator."""
        damper = self.damper
        self._attr_current_cover_position = round(damper.position)
        self._attr_is_closed = damper.is_closed
        self._attr_is_opening = damper.moving and damper.target > damper.position
        self._attr_is_closing = damper.moving and damper.target < damper.position

    def snapshot(self) -> Hashable:
        """The position and the travel."""
        return (self._attr_current_cover_position, self._attr_is_opening, self._attr_is_closing)

    async def async_set_cover_position(self, **kwargs: Any) -> None:
        """Move to a position."""
        self.damper.set_position(float(kwargs[ATTR_POSITION]))
        self.publish()

    async def async_open_cover(self, **kwargs: Any) -> None:
        """Open fully."""
        self.damper.set_position(100.0)
        self.publish()

    async def async_close_cover(self, **kwargs: Any) -> None:
        """Close fully."""
        self.damper.set_position(0.0)
        self.publish()


@dataclass(frozen=True, slots=True)
class SensorKind:
    """How a sensor looks: device class, unit, state class, rounding."""

    device_class: SensorDeviceClass | None
    unit: str | None
    decimals: int | None
    state_class: SensorStateClass | None = SensorStateClass.MEASUREMENT


TEMPERATURE = SensorKind(SensorDeviceClass.TEMPERATURE, UnitOfTemperature.CELSIUS, 1)
HUMIDITY = SensorKind(SensorDeviceClass.HUMIDITY, PERCENTAGE, 0)
POWER = SensorKind(SensorDeviceClass.POWER, UnitOfPower.WATT, 0)
METER = SensorKind(
    SensorDeviceClass.ENERGY, UnitOfEnergy.KILO_WATT_HOUR, 2, SensorStateClass.TOTAL_INCREASING
)
TEXT = SensorKind(None, None, None, None)


class SimSensor(SimEntity, SensorEntity):
    """A sensor reading one value of the simulator."""

    def __init__(
        self,
        object_id: str,
        name: str,
        kind: SensorKind,
        value: Callable[[], float | str | None],
    ) -> None:
        """A sensor of `kind` showing `value()`."""
        super().__init__("sensor", object_id, name)
        self._value = value
        self._decimals = kind.decimals
        self._attr_device_class = kind.device_class
        self._attr_native_unit_of_measurement = kind.unit
        self._attr_state_class = kind.state_class
        if kind.decimals is not None:
            self._attr_suggested_display_precision = kind.decimals
        self.refresh()

    def refresh(self) -> None:
        """Read (and round like a real sensor would)."""
        value = self._value()
        if isinstance(value, float) and self._decimals is not None:
            value = round(value, self._decimals)
            if self._decimals == 0:
                value = int(value)
        self._attr_native_value = value

    def snapshot(self) -> Hashable:
        """The value."""
        return self._attr_native_value


@dataclass(slots=True)
class SimEntities:
    """Every entity of a simulated house, by platform."""

    house: House
    climate: list[SimClimate] = field(default_factory=list)
    cover: list[SimDamper] = field(default_factory=list)
    sensor: list[SimSensor] = field(default_factory=list)

    @property
    def all(self) -> list[SimEntity]:
        """All entities."""
        return [*self.climate, *self.cover, *self.sensor]

    def publish(self) -> None:
        """Write the states that changed."""
        for entity in self.all:
            entity.publish()


def simulated_time_text(house: House) -> str:
    """The simulated local time, e.g. 'Tue 07:30'."""
    site = house.weather.site
    local = datetime.fromtimestamp(house.time, UTC).astimezone(
        timezone(timedelta(hours=site.utc_offset_h))
    )
    return local.strftime("%a %H:%M")


def simulated_slot(house: House) -> str:
    """The simulated local time floored to the half hour, e.g. '07:30' (for schedules)."""
    minutes = int(local_hour(house.time, house.weather.site) * 60.0 + 1e-6) // 30 * 30
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _room_temperature(room: Room) -> Callable[[], float]:
    return lambda: room.reading


def _room_humidity(room: Room) -> Callable[[], float]:
    return lambda: room.humidity


def _power(house: House, system: str) -> Callable[[], float]:
    return lambda: house.power_w(system)


def _duct_space(house: House, system: str) -> Callable[[], float]:
    return lambda: house.duct_space_temperature(system) or 0.0


def _meter(house: House) -> Callable[[], float]:
    """Electricity used by every HVAC system since the simulation started, kWh."""
    truth = house.truth
    return lambda: kwh(
        sum(s.electrical_j for s in truth.ducted.values())
        + sum(s.electrical_j for s in truth.minisplits.values())
    )


def _head_power(head: MiniSplitHead) -> Callable[[], float]:
    return lambda: head.power_w


def build_entities(house: House, *, clock_sensors: bool = True) -> SimEntities:
    """The entities of `house` (ids from the simulator's ids, e.g. `cover.living_damper`)."""
    entities = SimEntities(house)
    for sid, unit in house.ducted.items():
        room = house.rooms[unit.spec.thermostat_room]
        entities.climate.append(
            SimClimate(unit, f"{sid}_thermostat", f"{sid.title()} thermostat", _room_humidity(room))
        )
    for hid, head in house.heads.items():
        room = house.rooms[head.room]
        entities.climate.append(
            SimClimate(head, f"{hid}_head", f"{room.name} head", _room_humidity(room))
        )
    for did, damper in house.dampers.items():
        name = house.rooms[damper.room].name
        entities.cover.append(SimDamper(damper, f"{did}_damper", f"{name} damper"))
    for rid, room in house.rooms.items():
        entities.sensor.append(
            SimSensor(
                f"{rid}_temperature",
                f"{room.name} temperature",
                TEMPERATURE,
                _room_temperature(room),
            )
        )
        entities.sensor.append(
            SimSensor(f"{rid}_humidity", f"{room.name} humidity", HUMIDITY, _room_humidity(room))
        )
    entities.sensor.append(
        SimSensor(
            "outdoor_temperature",
            "Outdoor temperature",
            TEMPERATURE,
            lambda: house.outdoor_temperature,
        )
    )
    entities.sensor.append(
        SimSensor("outdoor_humidity", "Outdoor humidity", HUMIDITY, lambda: house.outdoor_humidity)
    )
    for sid in house.system_ids:
        entities.sensor.append(
            SimSensor(f"{sid}_power", f"{sid.title()} power", POWER, _power(house, sid))
        )
    entities.sensor.append(
        SimSensor("heat_pumps_energy", "Heat pumps electricity meter", METER, _meter(house))
    )
    for sid, unit in house.ducted.items():
        if house.duct_space_temperature(sid) is not None:
            space = unit.spec.duct_location.value
            entities.sensor.append(
                SimSensor(
                    f"{sid}_duct_space_temperature",
                    f"{sid.title()} {space} temperature",
                    TEMPERATURE,
                    _duct_space(house, sid),
                )
            )
    for hid, head in house.heads.items():
        name = house.rooms[head.room].name
        entities.sensor.append(
            SimSensor(f"{hid}_head_power", f"{name} head power", POWER, _head_power(head))
        )
    if clock_sensors:
        entities.sensor.append(
            SimSensor("simulated_time", "Simulated time", TEXT, lambda: simulated_time_text(house))
        )
        entities.sensor.append(
            SimSensor("simulated_slot", "Simulated half hour", TEXT, lambda: simulated_slot(house))
        )
        entities.sensor.append(
            SimSensor(
                "simulated_period",
                "Simulated part of day",
                TEXT,
                lambda: period_at(house.time, house.weather.site),
            )
        )
    return entities
