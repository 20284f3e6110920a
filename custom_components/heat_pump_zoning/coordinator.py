"""The coordinator of one HVAC system: listen, decide through the engine, apply, publish.

One `SystemCoordinator` per config entry (in `entry.runtime_data`). Every state change of an
entity it reads, every timer the engine asks for, the one-minute tick and every change of a
zone's settings lead to one `Controller.step` (bursts are coalesced into one). Its commands are
sent as service calls in the order the engine gives; damper commands do not wait for their answer
(a vent's service may hang, and the engine judges dampers by what they report, not by the calls).

After every step the coordinator books what ran into the system's `Ledger` and publishes: the
zone thermostats are told after every decision, the runtime sensors at most once a minute (a
`SensorFigures` built from the ledger). The ledger and the controller's memory are saved in one
file at most a minute after the first change since the last save (`SystemStore.async_save_within`),
on unload and on Home Assistant's final write: a restart or crash loses at most a minute.

The controller runs on control time (`engine.ControlClock`: the monotonic clock, on the wall
clock's scale at start), so that setting the wall clock (NTP, a board without a real-time clock)
never shortens or stretches compressor protection; its timers run on the event loop's monotonic
clock. The ledger books on the wall clock (its days are local dates). The memory is stored on the
wall clock of the save, with the save time.

Jobs kept elsewhere: reading the entry (`entry_config`), reading states (`readings`, `translate`),
the storage file (`storage`), repairs and log lines (`issues`), diagnostics (`diagnostics`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
import logging
from time import monotonic
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import (
    async_call_later,
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import DOMAIN, ESTIMATE_INTERVAL_SECONDS, SENSOR_MIN_INTERVAL_SECONDS
from .engine import (
    Command,
    ControlClock,
    Controller,
    ControllerMemory,
    Decision,
    LedgerDataError,
    RoomModels,
    ScheduleState,
    SensorFigures,
    SetDamper,
    SystemObservation,
    SystemReportInput,
    SystemSample,
    ZoneRates,
    ZoneSettings,
    ZoneStatus,
    memory_to_wall,
    sensor_figures,
    system_estimates,
)
from .entry_config import build_config, build_zones, new_ledger, report_input, watched_entities
from .issues import SystemIssues
from .readings import SystemReader
from .storage import SystemStore, data_to_store, stored_memory
from .translate import service_call

_LOGGER = logging.getLogger(__package__)

TICK: Final = timedelta(seconds=60)
COMMAND_TIMEOUT: Final = 15.0
LEDGER_SAVE_DELAY: Final = 60.0  # seconds: a crash loses at most this much of the ledger
MEMORY_SAVE_DELAY: Final = 10.0

type HeatPumpZoningConfigEntry = ConfigEntry[SystemCoordinator]


class SystemCoordinator:
    """Everything live about one HVAC system."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Read the entry; nothing is subscribed until `async_start`."""
        self.hass = hass
        self.entry = entry
        self.unit: str = hass.config.units.temperature_unit
        self.zones = build_zones(entry)
        self.config = build_config(entry, self.zones, self.unit)
        self.reader = SystemReader(hass, entry, self.config, self.zones, self.unit)
        self.watched = watched_entities(entry, self.zones)
        self.settings: dict[str, ZoneSettings] = {}
        # The zones' schedules as their thermostats last read them (None: unreadable); the
        # next comfort and setback starts are `ScheduleState.next_comfort_start` and so on.
        self.schedules: dict[str, ScheduleState | None] = {}
        self.decision: Decision | None = None
        self.observation: SystemObservation | None = None
        self.controller: Controller | None = None
        self.clock = ControlClock(dt_util.utcnow().timestamp(), monotonic())
        self.last_errors: dict[str, str] = {}
        self.issues = SystemIssues(hass, entry, self.config.zones)
        self.ledger = new_ledger(entry, self.config, self.unit, dt_util.get_default_time_zone())
        # The learned model of each room (engine/rooms), fed with the ledger's samples on
        # control time, and its rates where the rooms and the weather are now.
        self.rooms = RoomModels(self.zones, self.unit)
        self.room_rates: dict[str, ZoneRates | None] = {}
        self._last_sample: SystemSample | None = None
        self.figures: SensorFigures = sensor_figures(self.ledger, dt_util.utcnow().timestamp())
        self._store = SystemStore(hass, entry.entry_id)
        self._saved_memory: ControllerMemory | None = None
        self._listeners: list[Callable[[], None]] = []
        self._figure_listeners: list[Callable[[], None]] = []
        self._adopt_listeners: dict[str, Callable[[ZoneSettings], None]] = {}
        self._unsubs: list[CALLBACK_TYPE] = []
        self._timer: CALLBACK_TYPE | None = None
        self._publish_timer: CALLBACK_TYPE | None = None
        self._published_at: float | None = None
        self._estimates: dict[str, Any] = {}
        self._estimates_at: float | None = None
        self._lock = asyncio.Lock()
        self._dirty = False
        self._stopped = False
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Restore the controller's memory and the ledger, then start listening."""
        stored, unreadable = await self._store.async_load_object()
        if unreadable:
            self.issues.storage_reset(unreadable)
        memory = stored_memory(stored)
        now = dt_util.utcnow().timestamp()
        self.clock = ControlClock(now, monotonic())
        self.controller = Controller(self.config, now, memory)
        self._saved_memory = memory
        if (data := stored.get("ledger")) is not None:
            # In the executor: a long history takes a while to read (bench_ledger).
            tz = self.ledger.tz
            try:
                self.ledger = await self.hass.async_add_executor_job(
                    new_ledger, self.entry, self.config, self.unit, tz, data
                )
            except LedgerDataError as err:
                self.issues.ledger_reset(err)
        self.ledger.resume(now)  # the downtime is unknown, never runtime
        # A model that cannot be read starts again from its defaults (nothing else depends on it).
        self.rooms = RoomModels.from_dict(stored.get("rooms"), self.zones, self.unit)
        self.figures = sensor_figures(self.ledger, now)
        self._unsubs += [
            self.hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, self._async_home_assistant_stop),
            async_track_state_change_event(self.hass, sorted(self.watched), self._async_request),
            async_track_time_interval(self.hass, self._async_request, TICK),
        ]

    async def async_stop(self) -> None:
        """Stop listening and persist the controller's memory and the ledger."""
        self._stopped = True
        for unsub in (*self._unsubs, self._timer, self._publish_timer):
            if unsub is not None:
                unsub()
        self._unsubs.clear()
        self._timer = self._publish_timer = None
        if self._task and not self._task.done():
            self._task.cancel()
        self.issues.clear()
        await self._store.async_save(self._data_to_save())

    @callback
    def _async_home_assistant_stop(self, _event: Event) -> None:
        """Home Assistant stops: have the store write on its final write, booked up to then.

        The store writes a pending delayed save at Home Assistant's final write and asks for the
        data then, so the ledger is booked up to that moment. Saving from our own final-write
        listener instead raced with the store's (it removed the store's spent listener again).
        """
        self._store.async_save_within(self._data_to_save, LEDGER_SAVE_DELAY)

    # -- zones' intent (owned by the climate entities) and listeners ----------------------------

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
    def set_schedule(self, zone_id: str, state: ScheduleState | None) -> None:
        """A zone's thermostat read its schedule (None: it cannot be read)."""
        self.schedules[zone_id] = state

    @callback
    def add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` after every decision."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def add_figures_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `listener` when `figures` is renewed (at most once a minute)."""
        self._figure_listeners.append(listener)
        return lambda: self._figure_listeners.remove(listener)

    def zone_status(self, zone_id: str) -> ZoneStatus | None:
        """The last verdict on a zone."""
        return self.decision.zones.get(zone_id) if self.decision else None

    # -- deciding and applying ----------------------------------------------------------------

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
        self.issues.check_missing(self.watched)
        now = dt_util.utcnow().timestamp()
        control_now = self.clock.now(monotonic())
        self.observation = self.reader.observe(self.settings)
        decision = self.decision = self.controller.step(control_now, self.observation)
        for zone_id, settings in decision.adopted.items():
            self.settings[zone_id] = settings
            if listener := self._adopt_listeners.get(zone_id):
                listener(settings)
        self.issues.decided(decision)
        for command in decision.commands:
            if isinstance(command, SetDamper):
                # A damper's service may be slow, fail or hang (a cloud vent): it holds up
                # nothing. What the damper does is judged by what it reports (the engine's
                # control/dampers), so the order of damper commands does not keep the floor.
                self.entry.async_create_background_task(
                    self.hass, self._async_send(command), f"heat_pump_zoning {command.entity_id}"
                )
            else:
                await self._async_send(command)
        self._schedule(decision.next_check, control_now)
        self._record(now, control_now, self.observation, decision)
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
    def _async_request(self, _event_or_time: Any) -> None:
        """A state change or the one-minute tick."""
        self.request_update()

    # -- booking and publishing ---------------------------------------------------------------

    def _record(
        self, now: float, control_now: float, obs: SystemObservation, decision: Decision
    ) -> None:
        """Book what ran since the last step, then schedule a save and a sensor refresh.

        The room model learns on control time: a wall-clock change does not stretch a rate.
        """
        sample = self._last_sample = self.reader.ledger_sample(obs, decision)
        self.ledger.record(now, sample)
        self.rooms.record(control_now, sample)
        self._store.async_save_within(self._data_to_save, LEDGER_SAVE_DELAY)
        self._publish(now)

    @callback
    def _publish(self, now: float) -> None:
        """Renew `figures` and tell the sensors, at most once a minute (late ones are delayed)."""
        if self._publish_timer is not None:
            return  # a refresh is already due
        if self._published_at is not None:
            wait = self._published_at + SENSOR_MIN_INTERVAL_SECONDS - now
            if wait > 0:
                self._publish_timer = async_call_later(self.hass, wait, self._async_publish_due)
                return
        self._published_at = now
        self.ledger.flush(now)
        self.figures = sensor_figures(self.ledger, now)
        self.room_rates = self._room_rates()
        for notify in list(self._figure_listeners):
            notify()

    def _room_rates(self) -> dict[str, ZoneRates | None]:
        """Each zone's rates at its temperature and the outdoor temperature of the last sample."""
        sample = self._last_sample
        if sample is None:
            return {}
        return {
            zone_id: self.rooms.rates(zone_id, zone.temperature, sample.outdoor_temperature)
            for zone_id, zone in sample.zones.items()
        }

    @callback
    def _async_publish_due(self, _now: Any) -> None:
        self._publish_timer = None
        self._publish(dt_util.utcnow().timestamp())

    def report_input(self) -> SystemReportInput:
        """This system as the report sees it; alone when no other system is loaded (its
        rooms then lose no heat to another system's, which the savings' ratios count)."""
        return report_input(self.entry, self.config, self.ledger, alone=not self._others())

    def _others(self) -> list[SystemCoordinator]:
        """The other loaded systems."""
        return [
            entry.runtime_data
            for entry in self.hass.config_entries.async_loaded_entries(DOMAIN)
            if entry.entry_id != self.entry.entry_id
            and isinstance(entry.runtime_data, SystemCoordinator)
        ]

    def estimates(self) -> dict[str, Any]:
        """The zoning-savings and duct-loss estimates (`engine.system_estimates`).

        Recomputed at most every 15 minutes, with every loaded system taking part.
        """
        now = dt_util.utcnow().timestamp()
        if self._estimates_at is not None and now - self._estimates_at < ESTIMATE_INTERVAL_SECONDS:
            return self._estimates
        others = [other.report_input() for other in self._others()]
        self._estimates = system_estimates([self.report_input(), *others], now)
        self._estimates_at = now
        return self._estimates

    # -- persistence and clocks ---------------------------------------------------------------

    def clocks(self) -> tuple[float, float]:
        """(wall clock, control time) now."""
        return dt_util.utcnow().timestamp(), self.clock.now(monotonic())

    def stored_memory(self, wall_now: float) -> ControllerMemory:
        """The controller's memory on the wall clock of now, with its save time."""
        memory = self.controller.memory() if self.controller else ControllerMemory()
        return memory_to_wall(memory, self.clock.now(monotonic()), wall_now)

    def _data_to_save(self) -> dict[str, Any]:
        now = dt_util.utcnow().timestamp()
        self.ledger.flush(now)
        return data_to_store(self.stored_memory(now), self.ledger, self.rooms)
