"""Moves a simulated house forward and publishes its entities' states.

Two drivers share `SimClock.advance`:
- tests and benchmarks call `advance(seconds)` themselves in lockstep with Home Assistant's
  (frozen) clock, so simulated time and Home Assistant time are the same;
- the development demo calls `start(hass)`: on a real-time timer it advances the house by the
  elapsed wall time × `speed` (simulated time runs faster than Home Assistant's clock).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import time

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_time_interval

from sim.ha.entities import SimEntities
from sim.house import House

DEFAULT_STEP_S = 60.0
# The demo never catches up more than this much simulated time at once (e.g. after a stall).
MAX_CATCH_UP_S = 3600.0


class SimClock:
    """Steps the house in fixed steps and writes the states that changed."""

    def __init__(
        self,
        entities: SimEntities,
        *,
        step_s: float = DEFAULT_STEP_S,
        speed: float = 1.0,
        on_step: Callable[[float], None] | None = None,
    ) -> None:
        """`on_step(dt)` runs after every simulator step (e.g. a score monitor)."""
        self.entities = entities
        self.house: House = entities.house
        self.step_s = step_s
        self.speed = speed
        self.on_step = on_step
        self._pending = 0.0
        self._wall: float | None = None
        self._unsub: CALLBACK_TYPE | None = None

    def advance(self, seconds: float) -> int:
        """Advance `seconds` of simulated time (whole steps; the rest carries over)."""
        self._pending += seconds
        steps = 0
        while self._pending >= self.step_s - 1e-9:
            self.house.step(self.step_s)
            self._pending -= self.step_s
            steps += 1
            if self.on_step is not None:
                self.on_step(self.step_s)
        if steps:
            self.entities.publish()
        return steps

    def start(self, hass: HomeAssistant, interval: timedelta = timedelta(seconds=1)) -> None:
        """Run in real time × `speed` until `stop()`."""
        self._wall = time.monotonic()

        @callback
        def _tick(_now: datetime) -> None:
            wall = time.monotonic()
            elapsed = wall - (self._wall or wall)
            self._wall = wall
            self.advance(min(elapsed * self.speed, MAX_CATCH_UP_S))

        self._unsub = async_track_time_interval(hass, _tick, interval, name="hpz_sim clock")

    def stop(self) -> None:
        """Stop the real-time timer."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
