"""The controller's memory as the storage file holds it (plain JSON values), and back.

What is stored is what `clock.memory_to_wall` gives: moments on the wall clock of the save, with
the save time. Reading is forgiving: a value that is not a number reads as 0, a file that is not
an object or names an unknown mode gives no memory (the controller then starts as after a restart
without memory: the first start waits the minimum off time).
"""

from __future__ import annotations

from typing import Any

from ..model import ControllerMemory, Mode
from ..numbers import finite


def memory_to_dict(memory: ControllerMemory) -> dict[str, Any]:
    """The stored form of `memory`."""
    return {
        "active_mode": memory.active_mode.value if memory.active_mode else None,
        "mode_since": memory.mode_since,
        "running": memory.running,
        "last_start": memory.last_start,
        "last_stop": memory.last_stop,
        "recent_starts": list(memory.recent_starts),
        "seen_delivering": memory.seen_delivering,
        "saved_at": memory.saved_at,
        "corrections": dict(memory.corrections),
    }


def memory_from_dict(data: Any) -> ControllerMemory | None:
    """The memory a stored object holds; None when it holds none that can be used."""
    if not isinstance(data, dict):
        return None
    try:
        mode = data.get("active_mode")
        return ControllerMemory(
            active_mode=Mode(mode) if mode else None,
            mode_since=_optional(data.get("mode_since")),
            running=bool(data.get("running")),
            last_start=_optional(data.get("last_start")),
            last_stop=_optional(data.get("last_stop")),
            recent_starts=tuple(_number(value) for value in _list(data.get("recent_starts"))),
            seen_delivering=data.get("seen_delivering") is not False,
            saved_at=_optional(data.get("saved_at")),
            corrections=_corrections(data.get("corrections")),
        )
    except ValueError:
        return None


def _number(value: Any) -> float:
    number = finite(value)
    return 0.0 if number is None else number


def _optional(value: Any) -> float | None:
    return None if value is None else _number(value)


def _corrections(value: Any) -> dict[str, float]:
    """Head corrections by "<zone id>:<mode>": entries that are not a finite number are dropped
    (the controller clamps the rest to its limit)."""
    if not isinstance(value, dict):
        return {}
    result: dict[str, float] = {}
    for key, number in value.items():
        correction = finite(number)
        if isinstance(key, str) and correction is not None:
            result[key] = correction
    return result


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
