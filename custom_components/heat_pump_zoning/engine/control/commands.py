"""What was sent, when: rate limits, setpoint rounding, our own commands versus remote ones.

Climate entities (the ducted source, mini-split heads) get at most one command per
`command_interval`: repeated commands make many heads beep, and a command needs time to show up in
the entity's state. Dampers may be moved at any time, but the same position is not re-sent within
`command_interval` (a slow damper is still travelling).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
import math

from ..model import ClimateState, Command, Mode, SetClimate, SetDamper

EPS = 1e-6


def round_step(value: float, step: float) -> float:
    """Round to the entity's setpoint step (no rounding for a zero or negative step)."""
    if step <= 0 or not math.isfinite(value):
        return value
    return round(round(value / step) * step, 4)


def climate_setpoint(value: float, state: ClimateState) -> float:
    """A setpoint the entity accepts: rounded to its step, clamped to [min_temp, max_temp]."""
    return min(max(round_step(value, state.target_temp_step), state.min_temp), state.max_temp)


def setpoint_toward(value: float, state: ClimateState, mode: Mode) -> float:
    """`climate_setpoint`, but rounded towards more output in `mode`: up in heat, down in cool.

    A head's own thermostat starts only some way past its setpoint; a setpoint rounded the other
    way (24.6 to 25 on a 1 degree step, cooling) can leave it idle while its room calls.
    """
    step = state.target_temp_step
    if step > 0 and math.isfinite(value):
        steps = value / step
        whole = math.ceil(steps - 1e-6) if mode is Mode.HEAT else math.floor(steps + 1e-6)
        value = whole * step  # on a step: `climate_setpoint` only tidies and clamps it
    return climate_setpoint(value, state)


def same_setpoint(a: float | None, b: float | None, step: float) -> bool:
    """Two setpoints are the same when they differ by less than half a step."""
    if a is None or b is None:
        return a is b
    return abs(a - b) < max(step / 2, EPS)


@dataclass(frozen=True, slots=True)
class Sent:
    """A command and the time it was sent."""

    command: Command
    at: float


class CommandLog:
    """The last command sent to each entity."""

    def __init__(self, interval: float) -> None:
        """Start with nothing sent."""
        self.interval = interval
        self._last: dict[str, Sent] = {}

    def record(self, command: Command, now: float) -> Command:
        """Remember a command as sent now; returns it for convenience."""
        self._last[command.entity_id] = Sent(command, now)
        return command

    def ready_at(self, entity_id: str) -> float | None:
        """When a climate entity may be commanded again (None: now)."""
        sent = self._last.get(entity_id)
        return None if sent is None else sent.at + self.interval

    def ready(self, entity_id: str, now: float) -> bool:
        """True when a climate entity may be commanded now."""
        at = self.ready_at(entity_id)
        return at is None or now >= at

    def in_flight(self, entity_id: str, now: float) -> SetClimate | None:
        """The climate command sent less than `interval` ago, if any."""
        sent = self._last.get(entity_id)
        if sent is None or now >= sent.at + self.interval:
            return None
        return sent.command if isinstance(sent.command, SetClimate) else None

    def last_climate(self, entity_id: str) -> SetClimate | None:
        """The last climate command sent to an entity."""
        sent = self._last.get(entity_id)
        return sent.command if sent is not None and isinstance(sent.command, SetClimate) else None

    def last_position(self, entity_id: str) -> float | None:
        """The last position commanded to a damper."""
        sent = self._last.get(entity_id)
        return sent.command.position if sent and isinstance(sent.command, SetDamper) else None

    def damper_recent(self, entity_id: str, position: float, now: float) -> float | None:
        """If this same position was sent less than `interval` ago, when that expires."""
        sent = self._last.get(entity_id)
        if (
            sent is not None
            and isinstance(sent.command, SetDamper)
            and abs(sent.command.position - position) <= EPS
            and now < sent.at + self.interval
        ):
            return sent.at + self.interval
        return None


COUNT_WINDOW_S = 86400.0  # `CommandCounts`: the rolling window of "last 24 h"
COUNT_KEPT = 10000  # at most this many send times per entity (far above any real rate)


class CommandCounts:
    """How many commands each entity got: in the last 24 hours (rolling) and since the start.

    Quiet is a promise (every command beeps a head, moves a vent's motor or spends a cloud
    thermostat's rate limit), so the counts are shown in diagnostics. Times are the controller's
    (monotone) time; not persisted: "since start" is since the controller was created.
    """

    def __init__(self) -> None:
        """Nothing counted yet."""
        self._recent: dict[str, deque[float]] = {}
        self._total: dict[str, int] = {}

    def record(self, commands: tuple[Command, ...], now: float) -> None:
        """Count `commands`, sent at `now`."""
        for command in commands:
            recent = self._recent.setdefault(command.entity_id, deque(maxlen=COUNT_KEPT))
            recent.append(now)
            self._total[command.entity_id] = self._total.get(command.entity_id, 0) + 1

    def summary(self, now: float) -> dict[str, dict[str, int]]:
        """Per entity id (sorted): `last_24h` and `since_start`."""
        result: dict[str, dict[str, int]] = {}
        for entity_id in sorted(self._recent):
            recent = self._recent[entity_id]
            while recent and recent[0] <= now - COUNT_WINDOW_S:
                recent.popleft()
            result[entity_id] = {"last_24h": len(recent), "since_start": self._total[entity_id]}
        return result


@dataclass(frozen=True, slots=True)
class ClimateView:
    """The two attributes of a climate entity the engine commands."""

    mode: str | None
    target: float | None


def matches(view: ClimateView, command: SetClimate, step: float) -> bool:
    """True when the observed state shows the command has landed."""
    if view.mode != command.hvac_mode:
        return False
    if command.hvac_mode == "off" or command.target_temperature is None:
        return True
    return same_setpoint(view.target, command.target_temperature, step)


@dataclass(frozen=True, slots=True)
class RemoteChange:
    """A change made outside the engine (remote control, app): what to adopt."""

    mode: str | None  # the new mode, when the mode changed
    target: float | None  # the new setpoint, when it changed (only in heat or cool)


def remote_change(
    previous: ClimateView | None,
    current: ClimateView,
    last: SetClimate | None,
    in_flight: bool,
    step: float,
) -> RemoteChange | None:
    """Detect a remote change between two consecutive available observations.

    A changed attribute is ours when it equals what we last sent. While our last command is still
    in flight (sent less than `command_interval` ago and not yet observed in full), other changes
    are taken for the head's own transition (many heads restore a per-mode setpoint before ours
    arrives) and are not adopted: if it was in fact a remote change, the engine restores its own
    state once the interval is over. Without a previous observation (first step, or the head was
    unavailable: heads often come back from a power cut in a default state) nothing is adopted.
    """
    if previous is None or in_flight:
        return None
    mode: str | None = None
    if (
        current.mode is not None
        and current.mode != previous.mode
        and (last is None or current.mode != last.hvac_mode)
    ):
        mode = current.mode
    target: float | None = None
    if (
        current.mode in ("heat", "cool")
        and current.target is not None
        and not same_setpoint(current.target, previous.target, step)
        and (last is None or not same_setpoint(current.target, last.target_temperature, step))
    ):
        target = current.target
    if mode is None and target is None:
        return None
    return RemoteChange(mode, target)
