"""Early starts judged by how they came out: a lead factor per zone and mode, learnt.

The room model predicts a recovery from the moment a room receives its mode. An early start
also waits for the unit (its minimum off, three starts an hour, another zone's mode), shares a
ducted unit's air with the rooms already calling, and reads a sensor that reports every few
minutes: on the equipment family a ducted room came 0.3-1.5 K short at the start of its comfort
period after a lead the model had found long enough. ecobee's Smart Recovery and Mysa's
learned early start learn from the outcome; so does this.

Each early start is followed from the step it begins (`begin`: the zone's mode, temperature and
comfort target then, and the lead it was given) until the room's reading reaches the target,
into the comfort period if need be (`observe`):

- the time it really took is when the room's reading first reached the target. A room that has
  not by `JUDGE_AFTER` times the time it was given (at least `MIN_JUDGE_S`) is taken at the pace
  it made, ``elapsed / progress`` (progress is the share of the way covered; at least
  `MIN_PROGRESS`). Judged at the period's start instead, a short early start often showed no
  progress at all: the sensor had not reported since, or the unit had not started yet;
- the zone's factor in that mode moves towards ``factor x (took + SLACK_S) / (lead + SLACK_S)``
  by `LEARNING` (a geometric step: one odd morning moves it part of the way), within
  `FACTOR_MIN` to `FACTOR_MAX`. The slack keeps a few minutes of start-up and sensor delay from
  weighing on a short lead out of proportion: on the equipment family, rooms 0.1-0.2 K short
  were given 4-9 minutes and took 20-27, which alone took every factor to its maximum;
- an early start that cannot be judged (a manual change, a schedule edited, a restart, a
  reading lost) teaches nothing (`drop`).

The factors are what survives a restart (`to_dict`); an early start in progress does not. The
ratio is of times and of shares of the way, so the unit of the temperatures does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from ..numbers import finite, number_within
from .profile import COOL, HEAT

FACTOR_MIN: Final = 0.5
FACTOR_MAX: Final = 3.0
LEARNING: Final = 0.5  # the share of the way (in log terms) one outcome moves the factor
MIN_PROGRESS: Final = 0.05
MIN_TOOK_S: Final = 60.0  # a recovery is never judged faster than a minute (one step)
JUDGE_AFTER: Final = 2.0  # times the time an early start was given
SLACK_S: Final = 1800.0  # added to both times before they are compared
MIN_JUDGE_S: Final = 1800.0


@dataclass(slots=True)
class _Pending:
    begun: float
    deadline: float  # judged by its pace if the target is not reached by then
    mode: str  # heat or cool
    start: float
    target: float
    lead: float  # seconds the early start was given (before any cap)


class LeadOutcomes:
    """Each zone's lead factors, and the early starts being followed (see module)."""

    def __init__(self, factors: dict[tuple[str, str], float] | None = None) -> None:
        """With the factors learnt so far (none: 1 everywhere)."""
        self._factors: dict[tuple[str, str], float] = dict(factors or {})
        self._pending: dict[str, _Pending] = {}

    def factor(self, zone_id: str, mode: str) -> float:
        """What the room model's recovery is multiplied by for an early start."""
        return self._factors.get((zone_id, mode), 1.0)

    def following(self, zone_id: str) -> bool:
        """Whether an early start of the zone is being followed."""
        return zone_id in self._pending

    def begin(
        self,
        zone_id: str,
        now: float,
        period: float,
        mode: str,
        start: float,
        target: float,
        lead: float,
    ) -> None:
        """An early start begins at `now` for the comfort period at `period`: the room at
        `start`, to reach `target` in `mode` (heat: upwards), given `lead` seconds."""
        values = (now, period, start, target, lead)
        if any(finite(v) is None for v in values) or lead <= 0.0 or period <= now:
            return
        if mode not in (HEAT, COOL) or (target - start) * _sign(mode) <= 0:
            return
        deadline = now + max(JUDGE_AFTER * (period - now), MIN_JUDGE_S)
        self._pending[zone_id] = _Pending(now, deadline, mode, start, target, lead)

    def observe(self, zone_id: str, now: float, temperature: float | None) -> None:
        """The zone's reading at `now`: judges the early start once the room reaches its
        target, or by its pace at its deadline. A missing reading or the clock going back
        drops it."""
        pending = self._pending.get(zone_id)
        if pending is None:
            return
        reading = finite(temperature)
        if reading is None or finite(now) is None or now < pending.begun:
            self.drop(zone_id)
            return
        reached = (reading - pending.target) * _sign(pending.mode) >= 0.0
        if reached or now >= pending.deadline:
            self._judge(zone_id, pending, now, reading, reached)
            self.drop(zone_id)

    def drop(self, zone_id: str) -> None:
        """Stop following the zone's early start: it teaches nothing."""
        self._pending.pop(zone_id, None)

    def resume(self) -> None:
        """Nobody watched the rooms since (a restart): drop every early start followed."""
        self._pending.clear()

    def _judge(
        self, zone_id: str, pending: _Pending, now: float, temperature: float, reached: bool
    ) -> None:
        if reached:
            took = now - pending.begun
        else:
            progress = (temperature - pending.start) / (pending.target - pending.start)
            took = (now - pending.begun) / max(progress, MIN_PROGRESS)
        ratio = (max(took, MIN_TOOK_S) + SLACK_S) / (pending.lead + SLACK_S)
        key = (zone_id, pending.mode)
        factor = self.factor(zone_id, pending.mode) * ratio**LEARNING
        self._factors[key] = min(max(factor, FACTOR_MIN), FACTOR_MAX)

    def set_zones(self, zone_ids: set[str]) -> None:
        """Forget zones that are gone."""
        self._factors = {k: v for k, v in self._factors.items() if k[0] in zone_ids}
        self._pending = {k: v for k, v in self._pending.items() if k in zone_ids}

    def to_dict(self) -> dict[str, dict[str, float]]:
        """JSON form: ``{zone: {mode: factor}}``, rounded."""
        result: dict[str, dict[str, float]] = {}
        for (zone_id, mode), factor in sorted(self._factors.items()):
            result.setdefault(zone_id, {})[mode] = round(factor, 4)
        return result

    @classmethod
    def from_dict(cls, data: Any, zone_ids: set[str]) -> LeadOutcomes:
        """Read `to_dict`'s form for `zone_ids`; anything malformed is skipped."""
        factors: dict[tuple[str, str], float] = {}
        if isinstance(data, dict):
            for zone_id, modes in data.items():
                if zone_id not in zone_ids or not isinstance(modes, dict):
                    continue
                for mode in (HEAT, COOL):
                    factor = number_within(modes.get(mode), FACTOR_MIN, FACTOR_MAX)
                    if factor is not None:
                        factors[(zone_id, mode)] = factor
        return cls(factors)


def _sign(mode: str) -> float:
    """+1 where the mode warms the room (heat), -1 where it cools it."""
    return 1.0 if mode == HEAT else -1.0
