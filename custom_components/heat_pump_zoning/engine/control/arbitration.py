"""Which mode the compressor serves, and whether it runs: shared by ducted and mini-split systems.

One compressor serves one mode at a time. The demand of a mode is the sum of its calling zones'
weighted shortfalls (see `demand.call_demand`). The current mode is kept while it has demand until
it has been served for `mode_dwell` seconds AND the other mode's demand is larger; a mode without
demand gives way as soon as protection allows. Every change of mode goes through a stop and the
full minimum off time, because the topology layers only ever start from a stopped compressor.

`Supervisor.plan` only decides; the topology layer then tries to carry the plan out (commands can be
rate-limited or already satisfied) and calls `Supervisor.commit` with what it really did, so the
protection timers always measure the starts and stops the commands imply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import ControllerMemory, Mode, SystemConfig, WaitReason
from .demand import opposite
from .protection import Protection


@dataclass(frozen=True, slots=True)
class Plan:
    """What the supervisor wants for this step."""

    target: Mode | None  # the mode the system means to serve (now or after a stop)
    run: bool  # the compressor should be running after this step
    mode: Mode | None  # the mode it runs in when `run`
    hold: bool = False  # running only because the minimum run time is not over
    waits: Mapping[Mode, WaitReason] = field(default_factory=dict)  # for unserved calls
    timers: tuple[float, ...] = ()  # future times at which the plan may change


class Supervisor:
    """Active mode, mode dwell and compressor protection of one system."""

    def __init__(self, config: SystemConfig, now: float, memory: ControllerMemory | None) -> None:
        """Restore from memory, or assume the compressor has just stopped (first start waits)."""
        self._dwell = config.mode_dwell
        self.protection = Protection(
            config.min_run, config.min_off, max(0, config.max_starts_per_hour)
        )
        self.bootstrapped = memory is not None
        if memory is None:
            self.active_mode: Mode | None = None
            self.mode_since: float | None = None
            self.protection.last_stop = now
            return
        self.active_mode = memory.active_mode
        self.mode_since = memory.mode_since
        self.protection.running = memory.running and memory.active_mode is not None
        self.protection.last_start = memory.last_start
        self.protection.last_stop = memory.last_stop
        self.protection.starts = sorted(memory.recent_starts)[-max(1, config.max_starts_per_hour) :]
        self.protection.seen = memory.seen_delivering or not self.protection.running
        if memory.running and memory.active_mode is None:
            # Inconsistent memory: be conservative, as after a restart without memory.
            self.protection.last_stop = now

    @property
    def running(self) -> bool:
        """The compressor is (committed as) running."""
        return self.protection.running

    def bootstrap(self, now: float, observed: Mode | None) -> None:
        """On the first step without memory: adopt a compressor observed running as started now."""
        if self.bootstrapped:
            return
        self.bootstrapped = True
        if observed is not None:
            self.protection.start(now)
            self.active_mode = observed
            self.mode_since = now

    def _dwell_over(self, now: float) -> bool:
        return self.mode_since is None or now >= self.mode_since + self._dwell

    def _target(self, now: float, demand: Mapping[Mode, float]) -> Mode | None:
        active = self.active_mode
        if active is None:
            best = max((Mode.HEAT, Mode.COOL), key=lambda m: demand[m])  # ties: heat (first)
            return best if demand[best] > 0 else None
        other = opposite(active)
        if demand[active] > 0:
            if demand[other] > demand[active] and self._dwell_over(now):
                return other
            return active
        return other if demand[other] > 0 else active

    def plan(
        self, now: float, demand: Mapping[Mode, float], sustain: Mapping[Mode, bool] | None = None
    ) -> Plan:
        """Decide the mode and run state.

        `demand` maps both modes to their demand (0 = no zone calls). `sustain` tells, per mode,
        whether a running compressor should keep running without demand (mini-split heads of
        satisfied zones stay on and let the inverter modulate); it never causes a start.
        """
        prot = self.protection
        active = self.active_mode
        target = self._target(now, demand)
        keep = sustain is not None and target is not None and sustain[target]
        wants = target is not None and (
            demand[target] > 0 or (prot.running and active is target and keep)
        )
        timers: list[float] = []
        run, mode, hold = False, None, False
        if prot.running:
            if target is active and wants:
                run, mode = True, active
            elif not prot.can_stop(now):
                run, mode, hold = True, active, True
                timers.append(prot.stop_allowed_at() or now)
        elif wants:
            if prot.can_start(now):
                run, mode = True, target
            else:
                timers.append(prot.start_allowed_at() or now)
        waits: dict[Mode, WaitReason] = {}
        for m in (Mode.HEAT, Mode.COOL):
            if demand[m] <= 0 or (run and mode is m):
                continue
            if m is target:
                waits[m] = WaitReason.MODE_CONFLICT if run else WaitReason.MIN_OFF
            elif (
                active is not None
                and m is not active
                and demand[m] > demand[active]
                and not self._dwell_over(now)
            ):
                waits[m] = WaitReason.MODE_DWELL
            else:
                waits[m] = WaitReason.MODE_CONFLICT
        if (
            active is not None
            and demand[active] > 0
            and demand[opposite(active)] > 0
            and self.mode_since is not None
            and not self._dwell_over(now)
        ):
            timers.append(self.mode_since + self._dwell)
        return Plan(target, run, mode, hold, waits, tuple(timers))

    def pending_start(self, demand: Mapping[Mode, float]) -> float | None:
        """After committing: when a stopped compressor with demand may start (for next_check)."""
        if self.protection.running or not any(v > 0 for v in demand.values()):
            return None
        return self.protection.start_allowed_at()

    def commit(self, now: float, running: bool, mode: Mode | None) -> None:
        """Record what the topology layer really did this step."""
        if running and mode is not None and not self.protection.running:
            self.protection.start(now)
            if mode is not self.active_mode:
                self.active_mode = mode
                self.mode_since = now
        elif not running and self.protection.running:
            self.protection.stop(now)

    def memory(self) -> ControllerMemory:
        """The state to persist across a restart."""
        return ControllerMemory(
            active_mode=self.active_mode,
            mode_since=self.mode_since,
            running=self.protection.running,
            last_start=self.protection.last_start,
            last_stop=self.protection.last_stop,
            recent_starts=tuple(self.protection.starts),
            seen_delivering=self.protection.seen,
        )
