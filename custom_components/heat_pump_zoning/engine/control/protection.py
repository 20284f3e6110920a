"""Compressor protection: minimum run time, minimum off time, maximum starts per hour.

Every start and stop of the compressor (the ducted source, or the mini-split outdoor unit as a
whole) is recorded here at the moment the engine commits to it. A heat<->cool reversal is never a
transition of its own: the engine always stops first, so the full minimum off time applies to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Even with no minimum off time configured, a stop and the next start are never the same instant:
# a reversal needs the stop to land first, and a repeated step must not start what it just stopped.
MIN_GAP = 1.0
HOUR = 3600.0


@dataclass(slots=True)
class Protection:
    """Start/stop bookkeeping for one compressor."""

    min_run: float
    min_off: float
    max_starts_per_hour: int = 0  # 0: no limit
    running: bool = False
    last_start: float | None = None
    last_stop: float | None = None
    starts: list[float] = field(default_factory=list)  # the most recent start times
    seen: bool = True  # the running compressor has been seen delivering (see `delivering`)

    def start_allowed_at(self) -> float | None:
        """When a start is allowed (None: at any time).

        After the minimum off time, and never more than `max_starts_per_hour` starts in any
        rolling hour (the cycle-rate limit of heat pump thermostats, 3 per hour by default).
        """
        times: list[float] = []
        if self.last_stop is not None:
            times.append(self.last_stop + max(self.min_off, MIN_GAP))
        limit = self.max_starts_per_hour
        if limit > 0 and len(self.starts) >= limit:
            times.append(self.starts[-limit] + HOUR)
        return max(times) if times else None

    def stop_allowed_at(self) -> float | None:
        """When a stop is allowed (None: at any time)."""
        if not self.running or self.last_start is None:
            return None
        return self.last_start + self.min_run

    def can_start(self, now: float) -> bool:
        """True when the minimum off time since the last stop is over."""
        at = self.start_allowed_at()
        return at is None or now >= at

    def can_stop(self, now: float) -> bool:
        """True when the minimum run time since the last start is over."""
        at = self.stop_allowed_at()
        return at is None or now >= at

    def start(self, now: float) -> None:
        """Record a start (no-op when already running)."""
        if not self.running:
            self.running = True
            self.seen = False
            self.last_start = now
            self.starts.append(now)
            del self.starts[: max(0, len(self.starts) - max(self.max_starts_per_hour, 1))]

    def delivering(self, now: float) -> None:
        """The compressor is seen delivering now. The first time in a run, the minimum run
        counts from here: a unit's own delay after the start command (its own minimum off, a
        start-up) is no run, and a stop 5 minutes after the command could end a 3-minute run
        (a wall thermostat with a 9-minute minimum off, on the equipment family)."""
        if self.running and not self.seen:
            self.seen = True
            if self.last_start is not None and now > self.last_start:
                self.last_start = now

    def stop(self, now: float) -> None:
        """Record a stop (no-op when already stopped)."""
        if self.running:
            self.running = False
            self.last_stop = now
