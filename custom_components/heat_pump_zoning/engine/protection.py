"""Compressor protection: minimum run time, minimum off time.

Every start and stop of the compressor (the ducted source, or the mini-split outdoor unit as a
whole) is recorded here at the moment the engine commits to it. A heat<->cool reversal is never a
transition of its own: the engine always stops first, so the full minimum off time applies to it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Even with no minimum off time configured, a stop and the next start are never the same instant:
# a reversal needs the stop to land first, and a repeated step must not start what it just stopped.
MIN_GAP = 1.0


@dataclass(slots=True)
class Protection:
    """Start/stop bookkeeping for one compressor."""

    min_run: float
    min_off: float
    running: bool = False
    last_start: float | None = None
    last_stop: float | None = None

    def start_allowed_at(self) -> float | None:
        """When a start is allowed (None: at any time)."""
        if self.last_stop is None:
            return None
        return self.last_stop + max(self.min_off, MIN_GAP)

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
            self.last_start = now

    def stop(self, now: float) -> None:
        """Record a stop (no-op when already stopped)."""
        if self.running:
            self.running = False
            self.last_stop = now
