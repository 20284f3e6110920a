"""How the outdoor unit of a multi-split is shared between the heads that run.

The ledger splits the outdoor unit's runtime and energy across the running heads in proportion
to a weight per head (`ZoneSample.weight`). This module chooses those weights for one sample,
from the best evidence that *every* running head gives, because shares are only comparable when
they measure the same thing on every head:

1. **Head output sensors** (`ZoneInput.output`): the head's electrical power (W) or its output
   level (% of its own range), when every running head has a usable reading of the same kind.
   Power is the better one: a level in % says nothing about the head's size, so a 9,000 Btu/h head
   at 60 % counts as much as a 12,000 Btu/h head at 60 %.
2. **Fixed fan speeds** (the head's `fan_mode`), when every running head runs at a fixed speed on
   a scale this module recognises (quiet … low … medium … high … turbo, or numbered levels). A
   coarse weight: the lowest fixed speed of a head counts half its highest (a wall head moves
   roughly half as much air on its lowest speed as on its highest), linearly in between on the
   head's own scale. `auto` and anything unrecognised (vendor words such as "breeze", "eco",
   "diffuse") say nothing about output, so they never count.
3. Otherwise **equal** weights (1.0 each).

A reading that is unknown, not finite, negative or beyond what a head can do (over
`MAX_HEAD_POWER_W`, over 100 %) is unusable: the sample falls to the next rule, never to a
negative or absurd share. All running heads reading 0 leave every weight at 0, which the ledger
treats as equal shares. Pure Python, no Home Assistant import.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Final

from ..model import ClimateState, HeadOutput, OutputKind
from ..numbers import number_within

# Far more than a residential head draws, even with its whole share of the outdoor unit: a
# reading above this is a sensor fault or a wrong unit.
MAX_HEAD_POWER_W: Final = 30_000.0
MAX_LEVEL_PERCENT: Final = 100.0
# The weight of a head's lowest fixed fan speed relative to its highest (see module docstring).
LOWEST_FAN_WEIGHT: Final = 0.5

# Fixed fan speeds by rank, lowest first; names are compared casefolded with spaces, "-" and
# "_" removed ("Medium High", "medium_high" and "medium-high" are the same).
_FAN_RANKS: Final[dict[str, int]] = {
    "quiet": 0,
    "silent": 0,
    "silence": 0,
    "ultralow": 0,
    "lowest": 0,
    "low": 1,
    "mediumlow": 2,
    "lowmedium": 2,
    "midlow": 2,
    "medium": 3,
    "mid": 3,
    "middle": 3,
    "mediumhigh": 4,
    "highmedium": 4,
    "midhigh": 4,
    "high": 5,
    "veryhigh": 6,
    "highest": 6,
    "superhigh": 6,
    "max": 6,
    "maximum": 6,
    "turbo": 7,
    "powerful": 7,
    "strong": 7,
}
_NUMBERED: Final = re.compile(r"^(?:level|speed|fan)?(\d{1,2})$")


def usable_output(output: HeadOutput | None) -> float | None:
    """The reading as a weight, or None when it cannot be trusted (see module docstring)."""
    if output is None:
        return None
    limit = MAX_HEAD_POWER_W if output.kind is OutputKind.POWER else MAX_LEVEL_PERCENT
    return number_within(output.value, 0.0, limit)


def _fan_key(mode: str) -> str:
    return re.sub(r"[\s_\-]", "", mode.casefold())


def _rank(mode: str) -> tuple[str, int] | None:
    """("named", rank) or ("numbered", level) for a fixed speed; None for auto and the unknown."""
    key = _fan_key(mode)
    if key in _FAN_RANKS:
        return "named", _FAN_RANKS[key]
    if match := _NUMBERED.match(key):
        return "numbered", int(match.group(1))
    return None


def fan_weight(state: ClimateState | None) -> float | None:
    """A coarse output weight from the head's fixed fan speed, None when it tells nothing.

    The speed is placed on the head's own scale (the fixed speeds of the same kind in
    `fan_modes`): its lowest counts `LOWEST_FAN_WEIGHT`, its highest 1.0.
    """
    if state is None or not isinstance(state.fan_mode, str):
        return None
    current = _rank(state.fan_mode)
    if current is None:
        return None
    kind, rank = current
    scale = {r for m in state.fan_modes if isinstance(m, str) and (r := _rank(m)) and r[0] == kind}
    ranks = sorted(r[1] for r in scale | {current})
    if len(ranks) < 2:
        return None  # a single fixed speed: no scale to place it on
    position = ranks.index(rank) / (len(ranks) - 1)
    return LOWEST_FAN_WEIGHT + (1.0 - LOWEST_FAN_WEIGHT) * position


def head_weights(
    running: Mapping[str, tuple[HeadOutput | None, ClimateState | None]],
) -> dict[str, float]:
    """Weights (≥ 0, finite) of the running heads, by zone id: the first rule all of them meet.

    `running` maps each running head's zone id to (its output reading, its climate state).
    """
    readings = {zone_id: usable_output(output) for zone_id, (output, _) in running.items()}
    kinds = {output.kind for output, _ in running.values() if output is not None}
    if len(kinds) == 1 and all(value is not None for value in readings.values()):
        return {zone_id: value or 0.0 for zone_id, value in readings.items()}
    fans = {zone_id: fan_weight(state) for zone_id, (_, state) in running.items()}
    if all(value is not None for value in fans.values()):
        return {zone_id: value or 0.0 for zone_id, value in fans.items()}
    return dict.fromkeys(running, 1.0)
