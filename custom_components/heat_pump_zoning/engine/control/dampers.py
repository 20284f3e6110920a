"""Dampers as they are observed to behave, and when to command them.

A commanded position counts as reached only when the damper reports it (within `DEAD_BAND`).
Real dampers are slow and unreliable: a smart vent takes 10–60 s, a cover reports `opening`
before its position, a battery vent reports late, a motor stalls, a cloud service refuses or
hangs. So:

- *What a damper counts as* for the airflow floor (`DamperWatch.counted`) is its observed
  position, or lower: the lowest position it was told within the grace time, until it is seen
  at the position it was last told (a closing may land at any moment, even one countermanded
  since); an unavailable damper, or one whose position is unknown, counts as closed. An opening
  counts only once it is seen. (Planning counts a stuck damper no higher than its target, see
  `ducted.damper_targets`.)
- A damper gets `grace` seconds (`SystemConfig.damper_grace`, 2 minutes) to reach a commanded
  position. One that has not by then is *stuck*: it is counted where it is seen, the command is
  retried with backoff (when it is declared stuck, then 4, 8, 16 and 32 minutes later: five
  retries in about an hour, whatever its target is by then), then left alone. A stuck damper is
  well again once it is seen at a position other than the one it was stuck at (it moved); one
  that comes back from being unavailable is commanded again at once.
- Nothing is re-sent to a damper that is travelling (inside its grace time) or in place.
- Every damper's last *move* (a command to a new target; a retry of the same target is none) is
  remembered, so that `airflow.damper_commands` can hold back a closing within
  `SystemConfig.damper_move_interval` of it (`DamperWatch.move_ready_at`). It is not kept across
  a restart: a new controller may move each damper once without waiting.

Pure Python; `DamperWatch` is owned by the ducted system and fed every observation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import DamperHealth, DamperState, DamperStatus
from .commands import EPS

DEAD_BAND = 1.0  # points of position: a damper reporting 99 for 100 has arrived
RETRIES = 5  # commands sent to a stuck damper after the first one, before it is left alone


def observed(state: DamperState | None) -> float:
    """What a damper counts as now: its observed position; unavailable or unknown: closed."""
    if state is None or not state.available or state.position is None:
        return 0.0
    return min(max(state.position, 0.0), 100.0)


def at_target(state: DamperState | None, target: float) -> bool:
    """True when the damper is seen at `target` (within the dead band)."""
    return (
        state is not None
        and state.available
        and state.position is not None
        and abs(state.position - target) <= DEAD_BAND + EPS
    )


@dataclass(slots=True)
class _Track:
    """One damper's current attempt to reach a target."""

    target: float
    since: float  # when this attempt began (its first command, or when found in place)
    commands: int = 0  # commands sent in this attempt
    recent: list[tuple[float, float]] = field(default_factory=list)  # (position, when) in flight
    reached: bool = False  # seen at the target since the attempt began
    away: bool = False  # seen unavailable since the last command
    stuck_at: float | None = None  # observed position when declared stuck (None: not stuck)
    stuck_since: float | None = None
    retries: int = 0  # commands sent since it was declared stuck (or came back)
    next_retry: float | None = None  # when a stuck damper may be commanded again


class DamperWatch:
    """Every damper's attempt to reach its commanded position."""

    def __init__(self, grace: float) -> None:
        """`grace`: seconds a damper gets to reach a commanded position."""
        self.grace = max(grace, 0.0)
        self._tracks: dict[str, _Track] = {}
        self._moves: dict[str, tuple[float, float]] = {}  # damper: (target, when) of its last move

    def observe(self, now: float, dampers: Mapping[str, DamperState]) -> None:
        """Take in what the dampers report now: arrived, moved, stuck or away."""
        for damper, track in self._tracks.items():
            state = dampers.get(damper)
            if state is None or not state.available:
                track.away = True
                continue
            if state.position is None:
                continue  # nothing to judge by (it counts as closed all the same)
            if track.stuck_at is not None:
                if abs(state.position - track.stuck_at) > DEAD_BAND + EPS:
                    # It moved: well again. Off its target, it gets a command now.
                    track.stuck_at = track.stuck_since = track.next_retry = None
                    track.since, track.commands = now, 0
                    track.reached = at_target(state, track.target)
                continue
            if at_target(state, track.target):
                track.reached = True
                track.recent.clear()  # seen where it was last told: earlier commands are moot
            elif not track.reached and track.commands and now >= track.since + self.grace:
                track.stuck_at, track.stuck_since = state.position, now
                track.retries, track.next_retry = 0, now

    def due(self, damper: str, target: float, state: DamperState, now: float) -> bool:
        """Whether a command moving `damper` to `target` should go out now.

        A damper already seen at `target` needs none (noted as an attempt that has arrived; a
        stuck damper stays stuck until it moves).
        """
        track = self._tracks.get(damper)
        if at_target(state, target):
            if track is None or (track.stuck_at is None and not self._in_flight(track, now)):
                self._tracks[damper] = _Track(target, now, reached=True)
            elif abs(track.target - target) <= EPS:
                track.reached = True
            # else: a command to elsewhere is still in flight (or it is stuck); kept, so that it
            # is neither forgotten (it may land) nor sent again.
            return False
        if track is None:
            return True
        if track.stuck_at is not None:  # on its backoff, whatever the target is by now
            if track.away:
                return True  # back from being unavailable: try again at once
            return track.next_retry is not None and now >= track.next_retry
        # A new target, back from unavailable, moved off its target, or never commanded.
        # Otherwise it is travelling, inside its grace time.
        return abs(track.target - target) > EPS or track.away or track.reached or not track.commands

    def move_ready_at(self, damper: str, target: float, interval: float) -> float | None:
        """When `damper` may be told `target`, if that is a move inside `interval` of its last
        one (None: now). The same target again (a retry) is not a new move."""
        last = self._moves.get(damper)
        if last is None or abs(last[0] - target) <= EPS:
            return None
        return last[1] + interval

    def sent(self, damper: str, target: float, now: float) -> None:
        """Note a command sent to `damper` now."""
        last = self._moves.get(damper)
        if last is None or abs(last[0] - target) > EPS:
            self._moves[damper] = (target, now)
        track = self._tracks.get(damper)
        if track is None or track.stuck_at is None:
            flying = [] if track is None else self._flying(track, now)
            self._tracks[damper] = _Track(target, now, commands=1, recent=[*flying, (target, now)])
            return
        if track.away:  # a fresh series of retries after it came back
            track.away, track.retries = False, 0
        track.target = target
        track.commands += 1
        track.recent = [*self._flying(track, now), (target, now)]
        track.retries += 1
        track.next_retry = (
            now + self.grace * 2.0**track.retries if track.retries < RETRIES else None
        )

    def _flying(self, track: _Track, now: float) -> list[tuple[float, float]]:
        """Its commands sent less than `grace` ago, unless it was seen at the last one since."""
        if track.reached:
            return []
        return [(position, at) for position, at in track.recent if now < at + self.grace]

    def _in_flight(self, track: _Track, now: float) -> bool:
        return bool(self._flying(track, now))

    def counted(self, now: float, dampers: Mapping[str, DamperState]) -> dict[str, float]:
        """What every damper counts as for the airflow floor (see module)."""
        positions: dict[str, float] = {}
        for damper, state in dampers.items():
            position = observed(state)
            track = self._tracks.get(damper)
            if track is not None:
                position = min([position, *(low for low, _at in self._flying(track, now))])
            positions[damper] = position
        return positions

    def stuck(self) -> set[str]:
        """The dampers that do not follow their commands."""
        return {d for d, track in self._tracks.items() if track.stuck_at is not None}

    def timers(self, now: float) -> list[float]:
        """Future times at which a damper may be declared stuck or retried."""
        times: list[float] = []
        for track in self._tracks.values():
            if track.stuck_at is not None:
                if track.next_retry is not None:
                    times.append(track.next_retry)
            elif track.commands and not track.reached and not track.away:
                times.append(track.since + self.grace)
        return [t for t in times if t > now]

    def health(self, now: float, dampers: Mapping[str, DamperState]) -> dict[str, DamperHealth]:
        """Each damper's state for the caller (diagnostics, repairs)."""
        result: dict[str, DamperHealth] = {}
        for damper, state in dampers.items():
            track = self._tracks.get(damper)
            position = state.position if state.available else None
            if not state.available:
                status = DamperStatus.UNAVAILABLE
            elif track is not None and track.stuck_at is not None:
                status = DamperStatus.STUCK
            elif state.position is None:
                status = DamperStatus.UNKNOWN
            elif track is not None and not track.reached and track.commands:
                status = DamperStatus.MOVING
            else:
                status = DamperStatus.IN_PLACE
            since = None if track is None else track.since
            if status is DamperStatus.STUCK and track is not None:
                since = track.stuck_since
            retry = None if track is None or track.next_retry is None else track.next_retry - now
            result[damper] = DamperHealth(
                status=status,
                position=position,
                target=None if track is None else track.target,
                commands=0 if track is None else track.commands,
                for_s=None if since is None else max(now - since, 0.0),
                retry_in_s=None if retry is None or status is not DamperStatus.STUCK else retry,
            )
        return result
