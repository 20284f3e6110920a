"""The controller's memory in the storage file, and back (`engine.control.memory`)."""

from __future__ import annotations

from dataclasses import replace

from engine.control.memory import memory_from_dict, memory_to_dict
from engine.model import ControllerMemory, Mode

MEMORY = ControllerMemory(
    active_mode=Mode.COOL,
    mode_since=100.0,
    running=True,
    last_start=200.0,
    last_stop=50.0,
    recent_starts=(150.0, 200.0),
    seen_delivering=False,
    saved_at=300.0,
    corrections={"study:heat": 1.5, "study:cool": -0.6},
)


def test_round_trip() -> None:
    data = memory_to_dict(MEMORY)
    assert data == {
        "active_mode": "cool",
        "mode_since": 100.0,
        "running": True,
        "last_start": 200.0,
        "last_stop": 50.0,
        "recent_starts": [150.0, 200.0],
        "seen_delivering": False,
        "saved_at": 300.0,
        "corrections": {"study:heat": 1.5, "study:cool": -0.6},
    }
    assert memory_from_dict(data) == MEMORY
    assert memory_from_dict(memory_to_dict(ControllerMemory())) == ControllerMemory()


def test_forgiving_reading() -> None:
    """Not a number reads as 0, a missing list as none; no object or an unknown mode: None."""
    data = memory_to_dict(MEMORY) | {"last_start": "soon", "recent_starts": "x", "mode_since": None}
    read = memory_from_dict(data)
    assert read is not None
    assert (read.last_start, read.recent_starts, read.mode_since) == (0.0, (), None)
    assert memory_from_dict({"recent_starts": [1, True, "nan"]}) == ControllerMemory(
        recent_starts=(1.0, 0.0, 0.0)
    )
    assert memory_from_dict(
        {"corrections": {"a:heat": "nan", "b:cool": "x", "c:heat": 2, "d:cool": True}}
    ) == ControllerMemory(corrections={"c:heat": 2.0})
    assert memory_from_dict({"corrections": [1, 2]}) == ControllerMemory()
    assert memory_from_dict(["not", "an", "object"]) is None
    # a file from before `seen_delivering`, or garbage in it: seen (the command's clock)
    assert memory_from_dict({"seen_delivering": "no"}) == ControllerMemory()
    old = memory_to_dict(MEMORY)
    del old["seen_delivering"]
    assert memory_from_dict(old) == replace(MEMORY, seen_delivering=True)
    assert memory_from_dict({"active_mode": "dry"}) is None
