"""One thermostat per zone."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from functools import partial
import logging
import math
from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import (
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    ClimateEntityFeature,
    HVACAction,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.restore_state import ExtraStoredData, RestoredExtraData, RestoreEntity
from homeassistant.helpers.start import async_at_started
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EDITABLE_PRESETS, PRESET_BOOST, PRESET_HOME, PRESET_NONE
from .coordinator import HeatPumpZoningConfigEntry, SystemCoordinator
from .engine import (
    Boost,
    ZoneAction,
    ZoneMode,
    ZoneSettings,
    apply_preset,
    boost_delta,
    default_presets,
    end_boost,
    number_within,
    preset_setpoints,
    start_boost,
    thermostat_limits,
    turn_on_mode,
    with_mode,
)
from .entity import ZoneEntity
from .zone_schedule import ZoneRoom, ZoneScheduleFollower

_LOGGER = logging.getLogger(__package__)

PARALLEL_UPDATES = 0

# Home Assistant 2026.11 renamed the climate temperature properties to native_* (see the class).
NATIVE_TEMPERATURES = hasattr(ClimateEntity, "native_current_temperature")

_ACTION = {
    ZoneAction.OFF: HVACAction.OFF,
    ZoneAction.IDLE: HVACAction.IDLE,
    ZoneAction.HEATING: HVACAction.HEATING,
    ZoneAction.COOLING: HVACAction.COOLING,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpZoningConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One climate entity per zone, each added under its zone's subentry."""
    coordinator = entry.runtime_data
    for zone_id in coordinator.zones:
        async_add_entities([ZoneClimate(coordinator, zone_id)], config_subentry_id=zone_id)


class ZoneClimate(ZoneEntity, ClimateEntity, RestoreEntity):
    """The thermostat of one room, whatever equipment serves it."""

    _attr_name = None
    _attr_translation_key = "zone"
    _enable_turn_on_off_backwards_compatibility = False

    def __init__(self, coordinator: SystemCoordinator, zone_id: str) -> None:
        """Start from the zone's home preset until the restored state is known."""
        super().__init__(coordinator, zone_id, "climate")
        limits = thermostat_limits(coordinator.unit)
        self._attr_min_temp = limits.min_temp
        self._attr_max_temp = limits.max_temp
        self._attr_target_temperature_step = limits.step
        self._boost_delta = boost_delta(coordinator.unit)
        self._default_presets = default_presets(coordinator.unit)
        # Every editable preset has defaults: the fallback is never used.
        heat, cool = self._preset(PRESET_HOME) or (limits.min_temp, limits.max_temp)
        self._settings = ZoneSettings(
            hvac_mode=ZoneMode.OFF, target=heat, target_low=heat, target_high=cool
        )
        self._preset_mode: str = PRESET_HOME
        self._last_on_mode = ZoneMode.HEAT_COOL
        self._boost: Boost | None = None
        self._boost_timer: Any = None
        spec = coordinator.zones[zone_id]
        self._schedule = (
            ZoneScheduleFollower(spec.schedule, spec.comfort_preset, spec.setback_preset)
            if spec.schedule
            else None
        )

    # -- presets --------------------------------------------------------------------------------

    def _preset(self, name: str) -> tuple[float, float] | None:
        """The zone's (heat, cool) setpoints of a preset, else its defaults (None: neither)."""
        found = preset_setpoints(self.zone.presets, name)
        return found or preset_setpoints(self._default_presets, name)

    # -- restore --------------------------------------------------------------------------------

    async def async_added_to_hass(self) -> None:
        """Restore the user's settings exactly, then hand them to the system."""
        await super().async_added_to_hass()
        extra = await self.async_get_last_extra_data()
        if extra is not None:
            self._restore(extra.as_dict())
        if self._boost is not None:
            if self._boost.until <= dt_util.utcnow().timestamp():
                self._finish_boost(self._boost)
            else:
                self._arm_boost_timer(self._boost)
        self.coordinator.register_zone(self.zone_id, self._settings, self._adopt)
        self.async_on_remove(lambda: self.coordinator.unregister_zone(self.zone_id))
        self.async_on_remove(self._cancel_boost_timer)
        if self._schedule is not None:
            # Driven by the schedule's own state changes (it writes one at each of its events).
            self.async_on_remove(
                async_track_state_change_event(
                    self.hass, self._schedule.entity_id, self._async_schedule_changed
                )
            )
            self.async_on_remove(async_at_started(self.hass, self._async_schedule_started))
            # Early start: the lead changes with the room, so it is weighed after every decision.
            self.async_on_remove(self.coordinator.add_listener(self._async_schedule_changed))

    def _restore(self, data: dict[str, Any]) -> None:
        """Come back as stored; a target that is not a plausible number falls back alone.

        A stored target that is not a finite number within the zone's limits (a NaN once got
        through `set_temperature`; JSON stores it as null) takes the default setting's value,
        so the zone keeps its mode and other targets and calls again. An unreadable boost is
        dropped.
        """
        try:
            self._settings = self._settings_from(data["settings"], self._settings)
            self._preset_mode = str(data.get("preset") or PRESET_NONE)
            self._last_on_mode = ZoneMode(data.get("last_on_mode") or ZoneMode.HEAT_COOL)
            if self._schedule is not None:
                self._schedule.restore(data.get("schedule"))
        except (KeyError, TypeError, ValueError, AttributeError):
            _LOGGER.warning(
                "%s: stored settings unreadable, starting from defaults", self.entity_id
            )
            return
        boost = data.get("boost")
        until = (
            number_within(boost.get("until"), 0.0, math.inf) if isinstance(boost, dict) else None
        )
        if isinstance(boost, dict) and until is not None:
            try:
                saved = self._settings_from(boost["saved"], self._settings)
            except (KeyError, TypeError, ValueError, AttributeError):
                saved = None
            if saved is not None:
                self._boost = Boost(
                    until=until, saved=saved, saved_preset=boost.get("saved_preset")
                )
                return
        if self._preset_mode == PRESET_BOOST:
            self._preset_mode = PRESET_NONE

    def _settings_from(self, data: Any, fallback: ZoneSettings) -> ZoneSettings:
        """Stored settings; each target that is not a plausible number keeps `fallback`'s."""

        def target(key: str, default: float) -> float:
            value = number_within(data.get(key), self.min_temp, self.max_temp)
            return default if value is None else value

        return ZoneSettings(
            hvac_mode=ZoneMode(data["hvac_mode"]),
            target=target("target", fallback.target),
            target_low=target("target_low", fallback.target_low),
            target_high=target("target_high", fallback.target_high),
        )

    @property
    def extra_restore_state_data(self) -> ExtraStoredData:
        """Everything needed to come back exactly as the user left it."""
        boost = self._boost
        return RestoredExtraData(
            {
                "settings": _settings_to(self._settings),
                "preset": self._preset_mode,
                "last_on_mode": self._last_on_mode.value,
                "schedule": None if self._schedule is None else self._schedule.to_dict(),
                "boost": None
                if boost is None
                else {
                    "until": boost.until,
                    "saved": _settings_to(boost.saved),
                    "saved_preset": boost.saved_preset,
                },
            }
        )

    # -- state ----------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Unavailable while the room's sensor or its equipment is."""
        status = self.coordinator.zone_status(self.zone_id)
        return status is not None and status.available

    @property
    def hvac_modes(self) -> list[HVACMode]:
        """The modes the zone's equipment can do (`engine.zone_modes`)."""
        return [HVACMode(mode.value) for mode in self.coordinator.reader.zone_modes(self.zone_id)]

    @property
    def supported_features(self) -> ClimateEntityFeature:
        """Single target always; a range where heating and cooling are both possible."""
        features = (
            ClimateEntityFeature.TARGET_TEMPERATURE
            | ClimateEntityFeature.PRESET_MODE
            | ClimateEntityFeature.TURN_ON
            | ClimateEntityFeature.TURN_OFF
        )
        if HVACMode.HEAT_COOL in self.hvac_modes:
            features |= ClimateEntityFeature.TARGET_TEMPERATURE_RANGE
        return features

    @property
    def hvac_mode(self) -> HVACMode:
        """The mode the user chose."""
        return HVACMode(self._settings.hvac_mode.value)

    @property
    def hvac_action(self) -> HVACAction:
        """Heating/cooling only while the room really receives conditioned air."""
        if self._settings.hvac_mode is ZoneMode.OFF:
            return HVACAction.OFF
        status = self.coordinator.zone_status(self.zone_id)
        return _ACTION[status.action] if status else HVACAction.IDLE

    @property
    def native_temperature_unit(self) -> str:
        """The system's unit (Home Assistant's unit system when the system was set up)."""
        return self.coordinator.unit

    @property
    def native_current_temperature(self) -> float | None:
        """The room's temperature (room sensor, else the head's reading)."""
        return self.coordinator.reader.zone_temperature(self.zone_id)

    @property
    def current_humidity(self) -> float | None:
        """The room's humidity, when a sensor or the head reports it."""
        return self.coordinator.reader.zone_humidity(self.zone_id)

    @property
    def native_target_temperature(self) -> float | None:
        """The single target (heat or cool); None in heat_cool, which uses the range."""
        if self._settings.hvac_mode is ZoneMode.HEAT_COOL:
            return None
        return self._settings.target

    @property
    def native_target_temperature_low(self) -> float | None:
        """Heat below this in heat_cool."""
        return self._settings.target_low

    @property
    def native_target_temperature_high(self) -> float | None:
        """Cool above this in heat_cool."""
        return self._settings.target_high

    if not NATIVE_TEMPERATURES:
        # Home Assistant before 2026.11 reads the temperatures under their old names. From
        # 2026.11 it reads the native_* ones above, and defining the old names there would log a
        # deprecation warning (they stop working in 2027.11). Drop this block once the minimum
        # Home Assistant version is 2026.11.

        @property
        def temperature_unit(self) -> str:
            """The system's unit (Home Assistant before 2026.11)."""
            return self.native_temperature_unit

        @property
        def current_temperature(self) -> float | None:
            """The room's temperature (Home Assistant before 2026.11)."""
            return self.native_current_temperature

        @property
        def target_temperature(self) -> float | None:
            """The single target (Home Assistant before 2026.11)."""
            return self.native_target_temperature

        @property
        def target_temperature_low(self) -> float | None:
            """Heat below this in heat_cool (Home Assistant before 2026.11)."""
            return self.native_target_temperature_low

        @property
        def target_temperature_high(self) -> float | None:
            """Cool above this in heat_cool (Home Assistant before 2026.11)."""
            return self.native_target_temperature_high

    @property
    def preset_modes(self) -> list[str]:
        """Home, away, sleep, eco, boost (and none after a manual change)."""
        return [PRESET_NONE, *EDITABLE_PRESETS, PRESET_BOOST]

    @property
    def preset_mode(self) -> str:
        """The active preset."""
        return self._preset_mode

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Why a calling zone waits, what it calls for, when a boost ends; its schedule."""
        status = self.coordinator.zone_status(self.zone_id)
        attributes = {
            "calling": status.calling.value if status and status.calling else None,
            "waiting_reason": status.waiting.value if status and status.waiting else None,
            "boost_until": dt_util.utc_from_timestamp(self._boost.until).isoformat()
            if self._boost
            else None,
        }
        if self._schedule is not None:
            attributes |= self._schedule.attributes()
        return attributes

    # -- commands -------------------------------------------------------------------------------

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Change the zone's mode."""
        self._apply(self._with_mode(self._settings, hvac_mode))

    def _with_mode(self, settings: ZoneSettings, hvac_mode: HVACMode) -> ZoneSettings:
        """`settings` in another mode (refused if the equipment cannot do it); changes nothing."""
        if hvac_mode not in self.hvac_modes:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="mode_not_supported",
                translation_placeholders={"mode": str(hvac_mode), "zone": self.zone.config.name},
            )
        return with_mode(settings, ZoneMode(hvac_mode.value))

    def _target(self, value: Any) -> float:
        """A target the zone accepts: a finite number within its limits, else refused.

        Home Assistant's climate service checks the limits, but NaN passes (every comparison
        with it is false), and a NaN target would silently stop the room from calling.
        """
        target = number_within(value, self.min_temp, self.max_temp)
        if target is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_target",
                translation_placeholders={"value": str(value), "zone": self.zone.config.name},
            )
        return target

    async def async_turn_on(self) -> None:
        """Back to the last mode that was not off."""
        offered = [ZoneMode(mode.value) for mode in self.hvac_modes]
        await self.async_set_hvac_mode(HVACMode(turn_on_mode(self._last_on_mode, offered).value))

    async def async_turn_off(self) -> None:
        """Stop conditioning this room."""
        await self.async_set_hvac_mode(HVACMode.OFF)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the single target and/or the range, optionally with a mode.

        Everything is checked before anything changes: a refused call leaves the zone as it was.
        """
        settings = self._settings
        if (mode := kwargs.get("hvac_mode")) is not None:
            settings = self._with_mode(settings, HVACMode(mode))
        # Home Assistant's climate service already refuses a low target above the high one.
        if ATTR_TARGET_TEMP_LOW in kwargs:
            settings = replace(settings, target_low=self._target(kwargs[ATTR_TARGET_TEMP_LOW]))
        if ATTR_TARGET_TEMP_HIGH in kwargs:
            settings = replace(settings, target_high=self._target(kwargs[ATTR_TARGET_TEMP_HIGH]))
        if (target := kwargs.get(ATTR_TEMPERATURE)) is not None:
            if settings.hvac_mode is ZoneMode.HEAT_COOL:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="range_required"
                )
            settings = replace(settings, target=self._target(target))
        self._cancel_boost()
        self._preset_mode = PRESET_NONE
        if self._schedule is not None:
            self._schedule.manual_change(None)
        self._apply(settings)

    async def async_set_preset_mode(self, preset_mode: str) -> None:
        """Apply a preset's setpoints, or boost for the zone's boost time."""
        # Home Assistant's climate service refuses presets outside `preset_modes`.
        if preset_mode == PRESET_BOOST:
            if self._boost is None:
                settings, self._boost = start_boost(
                    self._settings,
                    self._preset_mode,
                    dt_util.utcnow().timestamp(),
                    self.zone.boost_minutes,
                    self._boost_delta,
                )
                self._arm_boost_timer(self._boost)
                self._preset_mode = PRESET_BOOST
                self._apply(settings)
            return
        self._cancel_boost()
        self._preset_mode = preset_mode
        if self._schedule is not None:
            self._schedule.manual_change(preset_mode)
        setpoints = self._preset(preset_mode)
        self._apply(apply_preset(self._settings, *setpoints) if setpoints else self._settings)

    # -- internals ------------------------------------------------------------------------------

    @callback
    def _apply(self, settings: ZoneSettings) -> None:
        if settings.hvac_mode is not ZoneMode.OFF:
            self._last_on_mode = settings.hvac_mode
        self._settings = settings
        self.coordinator.set_settings(self.zone_id, settings)
        self.async_write_ha_state()

    @callback
    def _adopt(self, settings: ZoneSettings) -> None:
        """A change made on the head's own remote: adopt it, don't fight it."""
        if settings.hvac_mode is not ZoneMode.OFF:
            self._last_on_mode = settings.hvac_mode
        if settings != self._settings:
            self._preset_mode = PRESET_NONE
            if self._schedule is not None:
                self._schedule.manual_change(None)
        self._settings = settings

    # -- schedule -------------------------------------------------------------------------------

    @callback
    def _async_schedule_started(self, _hass: HomeAssistant) -> None:
        """Home Assistant runs (or ran already): every schedule has been set up."""
        self._follow_schedule()

    @callback
    def _async_schedule_changed(self, _event: Event[EventStateChangedData] | None = None) -> None:
        """The schedule changed period or announced its next change, or the system decided."""
        if self.hass.is_running:
            self._follow_schedule()

    @callback
    def _follow_schedule(self) -> None:
        """Read the schedule; take its period's preset when the schedule says so.

        A schedule that cannot be read changes nothing (a repair says so). At a change during a
        boost the boost runs on and returns to the period's preset.
        """
        schedule = self._schedule
        assert schedule is not None
        state = schedule.read(self.hass)
        self.coordinator.set_schedule(self.zone_id, state)
        self.coordinator.issues.schedule_readable(
            self.zone_id, schedule.entity_id, state is not None
        )
        now = dt_util.utcnow().timestamp()
        preset = schedule.step(now, *self._leads(schedule))
        schedule.follow_outcome(
            self.coordinator.rooms, self.zone_id, now, self.native_current_temperature
        )
        if preset is not None:
            heat, cool = self._preset(preset) or (
                self._settings.target_low,
                self._settings.target_high,
            )
            if self._boost is not None:
                saved = apply_preset(self._boost.saved, heat, cool)
                self._boost = replace(self._boost, saved=saved, saved_preset=preset)
                self._arm_boost_timer(self._boost)  # its end returns to the new period
            else:
                self._preset_mode = preset
                self._settings = apply_preset(self._settings, heat, cool)
                self.coordinator.set_settings(self.zone_id, self._settings)
        self.async_write_ha_state()

    def _leads(self, schedule: ZoneScheduleFollower) -> tuple[float | None, float | None, bool]:
        """How long before the next comfort period the zone starts, how long before the
        comfort period ends it may coast (None: it does not), from its room model, and whether
        the room is past the band it would coast in."""
        comfort, setback = self._preset(schedule.comfort), self._preset(schedule.setback)
        temperature = self.native_current_temperature
        if comfort is None or temperature is None:
            return None, None, False
        room = ZoneRoom(
            self.coordinator.rooms,
            self.zone_id,
            self._settings.hvac_mode,
            temperature,
            self.coordinator.reader.outdoor_temperature(),
        )
        tolerance = self.coordinator.config.tolerance
        if setback is None:
            return schedule.early_lead(room, comfort), None, False
        coast = schedule.coast_lead(room, comfort, setback, tolerance)
        left = schedule.left_band(room, comfort, setback, tolerance)
        return schedule.early_lead(room, comfort), coast, left

    def _arm_boost_timer(self, boost: Boost) -> None:
        self._cancel_boost_timer()
        self._boost_timer = async_track_point_in_utc_time(
            self.hass,
            partial(self._async_boost_over, boost),
            dt_util.utc_from_timestamp(boost.until),
        )

    @callback
    def _cancel_boost_timer(self) -> None:
        if self._boost_timer is not None:
            self._boost_timer()
            self._boost_timer = None

    @callback
    def _async_boost_over(self, boost: Boost, _now: datetime) -> None:
        self._boost_timer = None
        self._finish_boost(boost)
        self.coordinator.set_settings(self.zone_id, self._settings)
        self.async_write_ha_state()

    def _finish_boost(self, boost: Boost) -> None:
        self._settings = end_boost(self._settings, boost)
        self._preset_mode = boost.saved_preset or PRESET_NONE
        self._boost = None

    def _cancel_boost(self) -> None:
        """A manual change or another preset ends a boost without restoring it."""
        self._cancel_boost_timer()
        self._boost = None


def _settings_to(settings: ZoneSettings) -> dict[str, Any]:
    data = asdict(settings)
    data["hvac_mode"] = settings.hvac_mode.value
    return data
