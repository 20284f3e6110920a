"""The public face of the control engine: `Controller.step(now, observation) -> Decision`.

Pure Python, driven by explicit timestamps: the caller passes `now` and never has the engine read a
clock. `step` can be called at any time and as often as wanted: commands already sent are not
repeated (the command log rate-limits and remembers them), so calling it twice with the same
observation and time yields no command the second time. `Decision.next_check` is the earliest
future time at which a timer (minimum run/off, mode dwell, command rate limit) expires and the
decision could change; the caller should call `step` again then (or earlier, on any state change).

After a restart, feed back `memory()` (persisted by the HA layer): it restores the active mode,
its start time and the compressor's last start/stop. Without memory the compressor is assumed to
have stopped at `now` (the first start waits the minimum off time) unless the first observation
shows it running, in which case it is taken as started then. Zone hysteresis, the command log and
remote-change baselines are not persisted: after a restart a zone inside its band waits until it
leaves it, and the first command to each entity is not rate-limited.

Time should be elapsed time (`clock.ControlClock`), not the wall clock. Still, a restored memory
that lies in the future is moved back to now (`clock.restore_memory`), and a `now` earlier than
the last one counts as no time passing (`clock.Monotone`): `next_check` and `memory()` are given
in the caller's time all the same.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import ControllerMemory, Decision, SystemConfig, SystemObservation, Topology
from .arbitration import Supervisor
from .clock import Monotone, restore_memory, shift_memory
from .commands import CommandCounts, CommandLog
from .ducted import DuctedSystem
from .mini_split import MiniSplitSystem


class Controller:
    """Zoning controller of one HVAC system (one compressor)."""

    def __init__(
        self, config: SystemConfig, now: float, memory: ControllerMemory | None = None
    ) -> None:
        """Create the controller; `memory` comes from a previous instance's `memory()`."""
        self.config = config
        self._time = Monotone()
        start = self._time.inside(now)
        restored = restore_memory(memory, start) if memory is not None else None
        self._supervisor = Supervisor(config, start, restored)
        log = CommandLog(config.command_interval)
        self._system: DuctedSystem | MiniSplitSystem
        if config.topology is Topology.DUCTED:
            self._system = DuctedSystem(config, self._supervisor, log)
        else:
            corrections = restored.corrections if restored is not None else None
            self._system = MiniSplitSystem(config, self._supervisor, log, corrections)
        self._counts = CommandCounts()

    def step(self, now: float, obs: SystemObservation) -> Decision:
        """Decide what to do now, given what is observed now."""
        inside = self._time.inside(now)
        decision = self._system.step(inside, obs)
        self._counts.record(decision.commands, inside)
        if self._time.offset and decision.next_check is not None:
            decision = replace(decision, next_check=self._time.outside(decision.next_check))
        return decision

    def command_counts(self, now: float) -> dict[str, dict[str, int]]:
        """Commands sent to each entity: `last_24h` (rolling, up to `now`) and `since_start`."""
        return self._counts.summary(now + self._time.offset)  # a reading: the clock stays

    def memory(self) -> ControllerMemory:
        """What to persist so that a restarted controller protects the compressor correctly."""
        memory = self._supervisor.memory()
        if isinstance(self._system, MiniSplitSystem):
            memory = replace(memory, corrections=self._system.corrections.stored())
        return shift_memory(memory, -self._time.offset)
