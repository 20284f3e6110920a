"""The HA glue of one HVAC system: listens to states, feeds the engine, applies its commands.

One `SystemRuntime` per config entry (stored in `entry.runtime_data`). It owns no decision: every
state change, timer or setting change leads to one `Controller.step`, whose commands are sent as
service calls in the order the engine gives; damper commands do not wait for their answer (a
vent's service may hang, and the engine judges dampers by what they report, not by the calls).

After every step (and so at least once a minute, on the tick) the runtime books what ran into
the system's `Ledger`, which is saved with the controller's memory in one `Store` file at most a
minute after the first change since the last save (`SystemStore.async_save_within`), on unload
and on Home Assistant's final write: a restart or crash loses at most a minute. Sensors read
an `Insight` built from the ledger at most once a minute.

The controller runs on control time (`engine.clock.ControlClock`: the monotonic clock, on the
wall clock's scale at start), so that setting the wall clock (NTP, a board without a real-time
clock) never shortens or stretches compressor protection; its timers run on the event loop's
monotonic clock. The ledger books on the wall clock (its days are local dates). The memory is
stored on the wall clock of the save, with the save time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
import logging
import math
from time import monotonic
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, UnitOfTemperature
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_call_later,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import (
    COMMAND_INTERVAL_SECONDS,
    CONF_AIRFLOW,
    CONF_AREA,
    CONF_BOOST_MINUTES,
    CONF_DAMPERS,
    CONF_DUCT_LEAKAGE,
    CONF_DUCT_LOCATION,
    CONF_DUCT_R_VALUE,
    CONF_DUCT_TEMPERATURE_SENSOR,
    CONF_FLOOR_AREA,
    CONF_HEAD,
    CONF_HEAD_OUTPUT_SENSOR,
    CONF_HUMIDITY_SENSOR,
    CONF_MIN_AIRFLOW_PERCENT,
    CONF_MIN_OFF_MINUTES,
    CONF_MIN_RUN_MINUTES,
    CONF_MODE_DWELL_MINUTES,
    CONF_NAME,
    CONF_OUTDOOR_TEMPERATURE_SENSOR,
    CONF_POWER_SENSOR,
    CONF_PRESETS,
    CONF_PRIORITY,
    CONF_SOURCE,
    CONF_TEMPERATURE_SENSOR,
    CONF_TOLERANCE,
    CONF_TOPOLOGY,
    DEFAULT_AIRFLOW,
    DEFAULT_BOOST_MINUTES,
    DEFAULT_DUCT_R_VALUE,
    DEFAULT_MIN_AIRFLOW_PERCENT,
    DEFAULT_MIN_OFF_MINUTES,
    DEFAULT_MIN_RUN_MINUTES,
    DEFAULT_MODE_DWELL_MINUTES,
    DEFAULT_PRIORITY,
    DEFAULT_TOLERANCE_C,
    DEFAULT_TOLERANCE_F,
    DOMAIN,
    ESTIMATE_INTERVAL_SECONDS,
    ESTIMATE_WINDOW_DAYS,
    SENSOR_MIN_INTERVAL_SECONDS,
    SUBENTRY_ZONE,
)
from .engine.control.clock import ControlClock, memory_to_wall
from .engine.control.controller import Controller
from .engine.ledger.degree_days import local_date
from .engine.ledger.ledger import Ledger, LedgerDataError
from .engine.ledger.sampling import system_sample
from .engine.model import (
    ClimateState,
    Command,
    ControllerMemory,
    Decision,
    HeadOutput,
    Mode,
    SetDamper,
    SystemConfig,
    SystemObservation,
    Topology,
    ZoneConfig,
    ZoneInput,
    ZoneSettings,
    ZoneStatus,
)
from .engine.numbers import number_within
from .engine.report.build import SystemReportInput, build_report
from .engine.report.duct_model import duct_space_temperature
from .insight import Insight, build_insight, ledger_settings, ledger_summary
from .issues import SystemIssues
from .storage import SystemStore
from .translate import (
    climate_humidity,
    climate_state,
    damper_state,
    head_output,
    power_watts,
    sensor_temperature,
    sensor_value,
    service_call,
    to_unit,
)

_LOGGER = logging.getLogger(__package__)

TICK: Final = timedelta(seconds=60)
COMMAND_TIMEOUT: Final = 15.0
LEDGER_SAVE_DELAY: Final = 60.0  # seconds: a crash loses at most this much of the ledger
MEMORY_SAVE_DELAY: Final = 10.0

type HeatPumpZoningConfigEntry = ConfigEntry[SystemRuntime]


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    """A zone as configured: the engine's view plus what only the HA layer needs."""

    config: ZoneConfig
    temperature_sensor: str | None
    humidity_sensor: str | None
    area_id: str | None
    head_output_sensor: str | None = None  # mini-split: the head's power (W/kW) or level (%)
    presets: dict[str, float] = field(default_factory=dict)
    boost_minutes: float = DEFAULT_BOOST_MINUTES


def _float(value: Any, default: float) -> float:
    number = number_within(value, -math.inf, math.inf)
    return default if number is None else number


def build_zones(entry: ConfigEntry) -> dict[str, ZoneSpec]:
    """The zones of an entry, keyed by subentry id (which is also the engine's zone id)."""
    zones: dict[str, ZoneSpec] = {}
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type != SUBENTRY_ZONE:
            continue
        data = subentry.data
        sensor = data.get(CONF_TEMPERATURE_SENSOR) or None
        zones[subentry_id] = ZoneSpec(
            config=ZoneConfig(
                zone_id=subentry_id,
                name=str(data.get(CONF_NAME, subentry.title)),
                dampers=tuple(data.get(CONF_DAMPERS) or ()),
                airflow=_float(data.get(CONF_AIRFLOW), DEFAULT_AIRFLOW),
                head=data.get(CONF_HEAD) or None,
                has_room_sensor=sensor is not None,
                priority=int(_float(data.get(CONF_PRIORITY), DEFAULT_PRIORITY)),
                floor_area=_float(data.get(CONF_FLOOR_AREA), 0.0) or None,
            ),
            temperature_sensor=sensor,
            humidity_sensor=data.get(CONF_HUMIDITY_SENSOR) or None,
            area_id=data.get(CONF_AREA) or None,
            head_output_sensor=data.get(CONF_HEAD_OUTPUT_SENSOR) or None,
            presets={k: float(v) for k, v in (data.get(CONF_PRESETS) or {}).items()},
            boost_minutes=_float(data.get(CONF_BOOST_MINUTES), DEFAULT_BOOST_MINUTES),
        )
    return zones


def build_config(entry: ConfigEntry, zones: dict[str, ZoneSpec], unit: str) -> SystemConfig:
    """The engine configuration of an entry, in the system's temperature unit."""
    return config_from_options(
        Topology(entry.data[CONF_TOPOLOGY]),
        tuple(zone.config for zone in zones.values()),
        entry.options,
        unit,
    )


def config_from_options(
    topology: Topology,
    zones: tuple[ZoneConfig, ...],
    options: Mapping[str, Any],
    unit: str,
) -> SystemConfig:
    """The engine configuration that a system's options give (missing or bad: the defaults).

    Also how the engine benchmarks configure their controllers like the demo's entries.
    """
    fahrenheit = unit == UnitOfTemperature.FAHRENHEIT
    scale = 1.8 if fahrenheit else 1.0
    return SystemConfig(
        topology=topology,
        zones=zones,
        source=options.get(CONF_SOURCE),
        min_airflow_percent=_float(
            options.get(CONF_MIN_AIRFLOW_PERCENT), DEFAULT_MIN_AIRFLOW_PERCENT
        ),
        min_run=60.0 * _float(options.get(CONF_MIN_RUN_MINUTES), DEFAULT_MIN_RUN_MINUTES),
        min_off=60.0 * _float(options.get(CONF_MIN_OFF_MINUTES), DEFAULT_MIN_OFF_MINUTES),
        tolerance=_float(
            options.get(CONF_TOLERANCE), DEFAULT_TOLERANCE_F if fahrenheit else DEFAULT_TOLERANCE_C
        ),
        mode_dwell=60.0 * _float(options.get(CONF_MODE_DWELL_MINUTES), DEFAULT_MODE_DWELL_MINUTES),
        command_interval=COMMAND_INTERVAL_SECONDS,
        source_nudge=2.0 * scale,
        head_offset_limit=3.0 * scale,
    )


class SystemRuntime:
    """Everything live about one HVAC system."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Read the entry; nothing is subscribed until `async_start`."""
        self.hass = hass
        self.entry = entry
        self.unit: str = hass.config.units.temperature_unit
        self.zones = build_zones(entry)
        self.config = build_config(entry, self.zones, self.unit)
        self.settings: dict[str, ZoneSettings] = {}
        self.decision: Decision | None = None
        self.observation: SystemObservation | None = None
        self.controller: Controller | None = None
        self.clock = ControlClock(dt_util.utcnow().timestamp(), monotonic())
        self.last_errors: dict[str, str] = {}
        self._store = SystemStore(hass, entry.entry_id)
        self._listeners: list[Callable[[], None]] = []
        self._adopt_listeners: dict[str, Callable[[ZoneSettings], None]] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        self._timer: CALLBACK_TYPE | None = None
        self._lock = asyncio.Lock()
        self._dirty = False
        self._stopped = False
        self._task: asyncio.Task[None] | None = None
        self.issues = SystemIssues(
            hass,
            entry,
            {zone_id: zone.config.name for zone_id, zone in self.zones.items()},
            {
                damper: zone.config.name
                for zone in self.zones.values()
                for damper in zone.config.dampers
            },
        )
        self._saved_memory: ControllerMemory | None = None
        self.ledger = self._new_ledger()
        self.insight: Insight = build_insight(self.ledger, dt_util.utcnow().timestamp())
        self._ledger_listeners: list[Callable[[], None]] = []
        self._published_at: float | None = None
        self._publish_timer: CALLBACK_TYPE | None = None
        self._estimates: dict[str, Any] = {}
        self._estimates_at: float | None = None

    # -- configuration views ------------------------------------------------------------------

    @property
    def topology(self) -> Topology:
        """Ducted or mini-split."""
        return self.config.topology

    def watched_entities(self) -> set[str]:
        """Every other integration's entity this system reads."""
        ids: set[str] = set()
        if self.config.source:
            ids.add(self.config.source)
        for key in (
            CONF_OUTDOOR_TEMPERATURE_SENSOR,
            CONF_POWER_SENSOR,
            CONF_DUCT_TEMPERATURE_SENSOR,
        ):
            if value := self.entry.options.get(key):
                ids.add(value)
        for zone in self.zones.values():
            ids.update(zone.config.dampers)
            for entity_id in (
                zone.config.head,
                zone.temperature_sensor,
                zone.humidity_sensor,
                zone.head_output_sensor,
            ):
                if entity_id:
                    ids.add(entity_id)
        return ids

    # -- lifecycle ----------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Restore the controller's memory and the ledger, then start listening."""
        stored = await self._async_load()
        memory = _memory_from_dict(stored.get("memory"))
        now = dt_util.utcnow().timestamp()
        self.clock = ControlClock(now, monotonic())
        self.controller = Controller(self.config, now, memory)
        self._saved_memory = memory
        await self._async_restore_ledger(stored.get("ledger"))
        self.ledger.resume(now)  # the downtime is unknown, never runtime
        self.insight = build_insight(self.ledger, now)
        self._unsubs.append(
            self.hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, self._async_home_assistant_stop)
        )
        self._unsubs.append(
            async_track_state_change_event(
                self.hass, sorted(self.watched_entities()), self._async_state_changed
            )
        )
        self._unsubs.append(async_track_time_interval(self.hass, self._async_tick, TICK))

    async def _async_load(self) -> dict[str, Any]:
        """The stored object; a file that is valid JSON but no object starts afresh with a repair.

        Only the ledger and the compressor-protection memory live there (zone settings are
        restored by their entities), so those two start again; nothing else is lost.
        """
        stored: Any = await self._store.async_load()  # typed as a dict; the file holds anything
        if stored is None or isinstance(stored, dict):
            return stored or {}
        _LOGGER.warning(
            "%s: the stored data cannot be read (a %s, not an object); starting a new runtime "
            "ledger and compressor-protection memory",
            self.entry.title,
            type(stored).__name__,
        )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"storage_reset_{self.entry.entry_id}",
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="storage_reset",
            translation_placeholders={"system": self.entry.title},
        )
        return {}

    async def async_stop(self) -> None:
        """Stop listening and persist the controller's memory."""
        self._stopped = True
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        if self._timer:
            self._timer()
            self._timer = None
        if self._publish_timer:
            self._publish_timer()
            self._publish_timer = None
        if self._task and not self._task.done():
            self._task.cancel()
        self.issues.clear()
        await self._async_save()

    @callback
    def _async_home_assistant_stop(self, _event: Event) -> None:
        """Home Assistant stops: have the store write on its final write, booked up to then.

        The store writes a pending delayed save at Home Assistant's final write and asks for the
        data then, so the ledger is booked up to that moment. Saving from our own final-write
        listener instead raced with the store's (it removed the store's spent listener again).
        """
        self._store.async_save_within(self._data_to_save, LEDGER_SAVE_DELAY)

    # -- zones' intent (owned by the climate entities) ----------------------------------------

    @callback
    def register_zone(
        self, zone_id: str, settings: ZoneSettings, on_adopt: Callable[[ZoneSettings], None]
    ) -> None:
        """A zone entity reports its (restored) settings and how to tell it of remote changes."""
        self.settings[zone_id] = settings
        self._adopt_listeners[zone_id] = on_adopt
        self.request_update()

    @callback
    def unregister_zone(self, zone_id: str) -> None:
        """A zone entity goes away."""
        self.settings.pop(zone_id, None)
        self._adopt_listeners.pop(zone_id, None)

    @callback
    def set_settings(self, zone_id: str, settings: ZoneSettings) -> None:
        """The user changed a zone: decide again."""
        self.settings[zone_id] = settings
        self.request_update()

    @callback
    def add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` after every decision."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def add_ledger_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` when `insight` is renewed (at most once a minute)."""
        self._ledger_listeners.append(listener)
        return lambda: self._ledger_listeners.remove(listener)

    # -- readings for entities ----------------------------------------------------------------

    def zone_status(self, zone_id: str) -> ZoneStatus | None:
        """The last verdict on a zone."""
        return self.decision.zones.get(zone_id) if self.decision else None

    def zone_temperature(self, zone_id: str) -> float | None:
        """The room temperature the zone is controlled on."""
        zone = self.zones[zone_id]
        if zone.temperature_sensor:
            return sensor_temperature(self.hass.states.get(zone.temperature_sensor), self.unit)
        head = climate_state(self.hass.states.get(zone.config.head or ""), self.unit)
        return head.current_temperature if head and head.available else None

    def zone_humidity(self, zone_id: str) -> float | None:
        """The room humidity: the zone's humidity sensor, else what its head reports."""
        zone = self.zones[zone_id]
        if zone.humidity_sensor:
            return sensor_value(self.hass.states.get(zone.humidity_sensor))
        if zone.config.head:
            return climate_humidity(self.hass.states.get(zone.config.head))
        return None

    def equipment_modes(self, zone_id: str) -> tuple[bool, bool]:
        """Whether the zone's equipment can (heat, cool), from the source's or head's modes."""
        zone = self.zones[zone_id]
        entity_id = zone.config.head if self.topology is Topology.MINI_SPLIT else self.config.source
        state = climate_state(self.hass.states.get(entity_id or ""), self.unit)
        if state is None or not state.available:
            return True, True
        modes = set(state.hvac_modes)
        heat = bool(modes & {"heat", "heat_cool", "auto"})
        cool = bool(modes & {"cool", "heat_cool", "auto"})
        return (heat, cool) if heat or cool else (True, True)

    def outdoor_temperature(self) -> float | None:
        """Outdoor temperature from a sensor or a weather entity, in the system unit."""
        entity_id = self.entry.options.get(CONF_OUTDOOR_TEMPERATURE_SENSOR)
        if not entity_id:
            return None
        state = self.hass.states.get(entity_id)
        if state is not None and state.domain == "weather":
            unit = state.attributes.get("temperature_unit", self.unit)
            return to_unit(state.attributes.get("temperature"), unit, self.unit)
        return sensor_temperature(state, self.unit)

    def duct_temperature(self, outdoor: float | None) -> float | None:
        """Air temperature around the supply ducts (ducted), for the duct-loss model.

        From the duct-space sensor when one is set; without one, ducts in an attic, garage or
        outdoors are taken at the outdoor temperature (`engine.duct_model`), others are unknown.
        """
        if self.topology is not Topology.DUCTED:
            return None
        entity_id = self.entry.options.get(CONF_DUCT_TEMPERATURE_SENSOR)
        return duct_space_temperature(
            self.entry.options.get(CONF_DUCT_LOCATION),
            sensor_temperature(self.hass.states.get(entity_id), self.unit) if entity_id else None,
            has_sensor=bool(entity_id),
            outdoor=outdoor,
        )

    def head_output(self, zone_id: str) -> HeadOutput | None:
        """What the zone's head output sensor reads now (None: none configured or unusable)."""
        entity_id = self.zones[zone_id].head_output_sensor
        return head_output(self.hass.states.get(entity_id)) if entity_id else None

    def power(self) -> float | None:
        """The system's measured power in watts, if a power sensor is configured."""
        entity_id = self.entry.options.get(CONF_POWER_SENSOR)
        return power_watts(self.hass.states.get(entity_id)) if entity_id else None

    # -- deciding -----------------------------------------------------------------------------

    def observe(self) -> SystemObservation:
        """Translate the current states into one engine observation."""
        states = self.hass.states
        zones = {
            zone_id: ZoneInput(
                settings=self.settings.get(zone_id, ZoneSettings()),
                temperature=self.zone_temperature(zone_id),
                output=self.head_output(zone_id),
            )
            for zone_id in self.zones
        }
        source: ClimateState | None = None
        if self.config.source:
            source = climate_state(states.get(self.config.source), self.unit)
        heads = {
            zone.config.head: state
            for zone in self.zones.values()
            if zone.config.head
            and (state := climate_state(states.get(zone.config.head), self.unit)) is not None
        }
        dampers = {
            damper: damper_state(states.get(damper))
            for zone in self.zones.values()
            for damper in zone.config.dampers
        }
        return SystemObservation(zones=zones, source=source, heads=heads, dampers=dampers)

    @callback
    def request_update(self) -> None:
        """Decide again soon (coalesces bursts of state changes into one step)."""
        if self._stopped:
            return  # unloading: the entities may still report, nothing is decided any more
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = self.entry.async_create_task(
                self.hass, self._async_run(), "heat_pump_zoning update", eager_start=False
            )

    async def _async_run(self) -> None:
        async with self._lock:
            while self._dirty:
                self._dirty = False
                await self._async_step()

    async def _async_step(self) -> None:
        if self.controller is None or len(self.settings) < len(self.zones):
            return  # zones not restored yet: never act on default settings
        self.issues.check_missing(self.watched_entities())
        now = dt_util.utcnow().timestamp()
        control_now = self.clock.now(monotonic())
        self.observation = self.observe()
        decision = self.controller.step(control_now, self.observation)
        self.decision = decision
        for zone_id, settings in decision.adopted.items():
            self.settings[zone_id] = settings
            if listener := self._adopt_listeners.get(zone_id):
                listener(settings)
        self.issues.decided(decision)
        for command in decision.commands:
            if isinstance(command, SetDamper):
                # A damper's service may be slow, fail or hang (a cloud vent): it holds up
                # nothing. What the damper does is judged by what it reports (engine.dampers),
                # so the order of damper commands is not what keeps the airflow floor.
                self.entry.async_create_background_task(
                    self.hass, self._async_send(command), f"heat_pump_zoning {command.entity_id}"
                )
            else:
                await self._async_send(command)
        self._schedule(decision.next_check, control_now)
        self._record(now, self.observation, decision)
        for notify in list(self._listeners):
            notify()
        memory = self.controller.memory()
        if memory != self._saved_memory:
            self._saved_memory = memory
            self._store.async_save_within(self._data_to_save, MEMORY_SAVE_DELAY)

    async def _async_send(self, command: Command) -> None:
        domain, service, data = service_call(command, self.hass.states.get(command.entity_id))
        try:
            async with asyncio.timeout(COMMAND_TIMEOUT):
                await self.hass.services.async_call(domain, service, data, blocking=True)
        except (HomeAssistantError, TimeoutError) as err:
            error = str(err) or f"no answer within {COMMAND_TIMEOUT:.0f} s"
            if self.last_errors.get(command.entity_id) != error:
                _LOGGER.warning("%s.%s on %s failed: %s", domain, service, command.entity_id, error)
            self.last_errors[command.entity_id] = error
        else:
            self.last_errors.pop(command.entity_id, None)

    @callback
    def _schedule(self, when: float | None, control_now: float) -> None:
        """Decide again at control time `when` (a delay on the loop's monotonic clock)."""
        if self._timer:
            self._timer()
            self._timer = None
        if when is None:
            return
        self._timer = async_call_later(self.hass, max(when - control_now, 0.0), self._async_timer)

    @callback
    def _async_timer(self, _now: Any) -> None:
        self._timer = None
        self.request_update()

    @callback
    def _async_tick(self, _now: Any) -> None:
        self.request_update()

    @callback
    def _async_state_changed(self, _event: Event[EventStateChangedData]) -> None:
        self.request_update()

    # -- runtime ledger -----------------------------------------------------------------------

    def _new_ledger(self, data: Any = None) -> Ledger:
        settings = ledger_settings(self.entry.options, self.unit, self.config.min_run)
        tz = dt_util.get_default_time_zone()
        if data is None:
            return Ledger(self.zones, tz, **settings)
        return Ledger.from_dict(data, self.zones, tz, **settings)

    async def _async_restore_ledger(self, data: Any) -> None:
        """Adopt the stored ledger; unreadable data starts a fresh one and raises a repair.

        Read in the executor: a long history takes a while (bench_ledger), and the new ledger is
        not shared with anything until it is adopted here.
        """
        if data is None:
            return
        try:
            self.ledger = await self.hass.async_add_executor_job(self._new_ledger, data)
        except LedgerDataError as err:
            _LOGGER.warning(
                "%s: the stored runtime ledger cannot be read (%s); starting a new one",
                self.entry.title,
                err,
            )
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"ledger_reset_{self.entry.entry_id}",
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="ledger_reset",
                translation_placeholders={"system": self.entry.title},
            )

    def _record(self, now: float, obs: SystemObservation, decision: Decision) -> None:
        """Book what ran since the last step, then schedule a save and a sensor refresh."""
        outdoor = self.outdoor_temperature()
        sample = system_sample(
            self.config,
            obs,
            decision,
            power_w=self.power(),
            outdoor_temperature=outdoor,
            duct_temperature=self.duct_temperature(outdoor),
        )
        self.ledger.record(now, sample)
        self._store.async_save_within(self._data_to_save, LEDGER_SAVE_DELAY)
        self._publish(now)

    @callback
    def _publish(self, now: float) -> None:
        """Renew `insight` and tell the sensors, at most once a minute (late ones are delayed)."""
        if self._publish_timer is not None:
            return  # a refresh is already due
        if self._published_at is not None:
            wait = self._published_at + SENSOR_MIN_INTERVAL_SECONDS - now
            if wait > 0:
                self._publish_timer = async_call_later(self.hass, wait, self._async_publish_due)
                return
        self._published_at = now
        self.ledger.flush(now)
        self.insight = build_insight(self.ledger, now)
        for notify in list(self._ledger_listeners):
            notify()

    @callback
    def _async_publish_due(self, _now: Any) -> None:
        self._publish_timer = None
        self._publish(dt_util.utcnow().timestamp())

    def report_input(self) -> SystemReportInput:
        """This system as the report sees it."""
        options = self.entry.options
        return SystemReportInput(
            system_id=self.entry.entry_id,
            name=self.entry.title,
            config=self.config,
            ledger=self.ledger,
            duct_location=options.get(CONF_DUCT_LOCATION),
            duct_leakage=options.get(CONF_DUCT_LEAKAGE),
            duct_r_value=_float(options.get(CONF_DUCT_R_VALUE), DEFAULT_DUCT_R_VALUE),
            duct_space_measured=bool(options.get(CONF_DUCT_TEMPERATURE_SENSOR)),
        )

    def estimates(self) -> dict[str, Any]:
        """This system's zoning-savings and duct-loss estimates over the last 30 days.

        Recomputed at most every 15 minutes; every loaded system takes part, so a mixed home's
        ductless rooms are the duct-loss cross-check (or fallback) of its ducted systems.
        """
        now = dt_util.utcnow().timestamp()
        if self._estimates_at is not None and now - self._estimates_at < ESTIMATE_INTERVAL_SECONDS:
            return self._estimates
        systems = [self.report_input()] + [
            entry.runtime_data.report_input()
            for entry in self.hass.config_entries.async_loaded_entries(DOMAIN)
            if entry.entry_id != self.entry.entry_id
            and isinstance(entry.runtime_data, SystemRuntime)
        ]
        today = local_date(now, self.ledger.tz)
        start = today - timedelta(days=ESTIMATE_WINDOW_DAYS - 1)
        section = build_report(systems, start, today)["systems"][0]
        self._estimates = {
            "zoning_savings": section["zoning_savings"],
            "duct_loss": section.get("duct_loss"),
        }
        self._estimates_at = now
        return self._estimates

    # -- persistence --------------------------------------------------------------------------

    def _data_to_save(self) -> dict[str, Any]:
        now = dt_util.utcnow().timestamp()
        self.ledger.flush(now)
        return {
            "memory": _memory_to_dict(self._stored_memory(now)),
            "ledger": self.ledger.to_dict(),
        }

    def _stored_memory(self, wall_now: float) -> ControllerMemory:
        """The controller's memory on the wall clock of now, with its save time."""
        memory = self.controller.memory() if self.controller else ControllerMemory()
        return memory_to_wall(memory, self.clock.now(monotonic()), wall_now)

    async def _async_save(self) -> None:
        await self._store.async_save(self._data_to_save())

    def diagnostics(self) -> dict[str, Any]:
        """A snapshot for the diagnostics download (the memory as it is stored, and the clocks)."""
        wall = dt_util.utcnow().timestamp()
        control = self.clock.now(monotonic())
        return {
            "topology": self.topology.value,
            "unit": self.unit,
            "config": _jsonable(self.config),
            "settings": {k: _jsonable(v) for k, v in self.settings.items()},
            "observation": _jsonable(self.observation),
            "decision": _jsonable(self.decision),
            "memory": _memory_to_dict(self._stored_memory(wall)) if self.controller else None,
            "clock": {
                "wall": wall,
                "control": control,
                "wall_minus_control_s": self.clock.skew(wall),
            },
            "missing_entities": sorted(self.issues.missing),
            "stuck_dampers": sorted(self.issues.stuck),
            "ledger": ledger_summary(self.ledger),
            "last_errors": dict(self.last_errors),
        }


def _memory_to_dict(memory: ControllerMemory) -> dict[str, Any]:
    return {
        "active_mode": memory.active_mode.value if memory.active_mode else None,
        "mode_since": memory.mode_since,
        "running": memory.running,
        "last_start": memory.last_start,
        "last_stop": memory.last_stop,
        "recent_starts": list(memory.recent_starts),
        "saved_at": memory.saved_at,
    }


def _memory_from_dict(data: Any) -> ControllerMemory | None:
    if not isinstance(data, dict):
        return None
    try:
        mode = data.get("active_mode")
        return ControllerMemory(
            active_mode=Mode(mode) if mode else None,
            mode_since=_opt_float(data.get("mode_since")),
            running=bool(data.get("running")),
            last_start=_opt_float(data.get("last_start")),
            last_stop=_opt_float(data.get("last_stop")),
            recent_starts=tuple(_float(value, 0.0) for value in _list(data.get("recent_starts"))),
            saved_at=_opt_float(data.get("saved_at")),
        )
    except ValueError:
        return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _opt_float(value: Any) -> float | None:
    return None if value is None else _float(value, 0.0)


def _jsonable(value: Any) -> Any:
    """Dataclasses, enums and mappings as plain JSON values."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return str(value)
