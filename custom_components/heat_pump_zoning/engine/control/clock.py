"""Control time: what compressor protection measures, robust to the wall clock being set.

Minimum run and off times, the starts-per-hour limit and the mode dwell measure elapsed time. The
wall clock does not: NTP corrects it by seconds or hours, and a board without a real-time clock
boots with a date in the past and jumps when it syncs. A clock set back an hour used to hold a
unit on for the hour (its minimum run seemed not over); one set forward let it restart at once.
The engine takes its time from its caller; these helpers keep that time honest:

- `ControlClock`: seconds as a monotonic clock counts them, on the wall clock's scale at start.
  A wall-clock jump does not move it; a monotonic reading that goes back (which a monotonic
  clock never does) counts as no time.
- `memory_to_wall`: the memory is stored on the wall clock of the moment it is saved
  (`ControllerMemory.saved_at`), so that a restart compares it with the wall clock of then.
- `restore_memory`: a stored memory that lies in the future (the clock was set back while Home
  Assistant was down, or the board booted with an old date) is moved back as a whole until its
  latest moment is now: protection then acts as if no time had passed since the save, the least
  it can have been. It waits at most one minimum off time, or runs at most one minimum run time,
  never the size of the jump. A wall clock set *forward* while Home Assistant was down cannot be
  told from downtime: that time counts as elapsed.
- `Monotone`: what `Controller` does with a caller's time that goes back (a caller that feeds it
  the wall clock): it carries on from the last time it saw, so the jump counts as no time.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import ControllerMemory


class ControlClock:
    """Elapsed time from a monotonic clock, on the wall clock's scale at the start."""

    def __init__(self, wall: float, monotonic: float) -> None:
        """Start at the wall clock's `wall`, when the monotonic clock reads `monotonic`."""
        self._now = wall
        self._monotonic = monotonic

    def now(self, monotonic: float) -> float:
        """Control time at this monotonic reading (never earlier than the last one)."""
        if monotonic > self._monotonic:
            self._now += monotonic - self._monotonic
        self._monotonic = monotonic
        return self._now

    def skew(self, wall: float) -> float:
        """How far the wall clock is from control time (positive: ahead); after `now`."""
        return wall - self._now


class Monotone:
    """A caller's time made non-decreasing: a step back is absorbed into an offset."""

    def __init__(self) -> None:
        """Nothing seen yet."""
        self.offset = 0.0  # inside = caller's time + offset
        self._last: float | None = None

    def inside(self, now: float) -> float:
        """The engine's time for the caller's `now`."""
        inside = now + self.offset
        if self._last is not None and inside < self._last:
            self.offset += self._last - inside
            inside = self._last
        self._last = inside
        return inside

    def outside(self, inside: float) -> float:
        """The caller's time for an engine time."""
        return inside - self.offset


def shift_memory(memory: ControllerMemory, delta: float) -> ControllerMemory:
    """Every moment of `memory` (its save time too) moved by `delta` seconds."""
    if delta == 0.0:
        return memory

    def moved(at: float | None) -> float | None:
        return None if at is None else at + delta

    return replace(
        memory,
        mode_since=moved(memory.mode_since),
        last_start=moved(memory.last_start),
        last_stop=moved(memory.last_stop),
        recent_starts=tuple(at + delta for at in memory.recent_starts),
        saved_at=moved(memory.saved_at),
    )


def memory_to_wall(
    memory: ControllerMemory, control_now: float, wall_now: float
) -> ControllerMemory:
    """`memory` (in control time) on the wall clock, saved now."""
    return replace(shift_memory(memory, wall_now - control_now), saved_at=wall_now)


def restore_memory(memory: ControllerMemory, now: float) -> ControllerMemory:
    """A stored memory made usable at `now`: nothing in it may lie in the future (see module)."""
    moments = [
        at
        for at in (
            memory.saved_at,
            memory.mode_since,
            memory.last_start,
            memory.last_stop,
            *memory.recent_starts,
        )
        if at is not None
    ]
    latest = max(moments, default=now)
    return replace(shift_memory(memory, min(0.0, now - latest)), saved_at=None)
