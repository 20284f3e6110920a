"""A restart never turns Home Assistant's downtime into runtime."""

from __future__ import annotations

from datetime import date

from engine.ledger.ledger import Ledger, SystemSample

from .test_ledger import NY, T0, heating, make


def test_downtime_is_unknown_not_runtime() -> None:
    """Running at shutdown, restored, resumed an hour later: the hour is unknown."""
    ledger = make()
    ledger.record(T0, SystemSample(running=False))
    ledger.record(T0 + 60, heating({"a": 1.0, "b": 1.0}))
    ledger.flush(T0 + 600)  # final write at shutdown
    restored = Ledger.from_dict(ledger.to_dict(), ("a", "b"), NY)
    restored.resume(T0 + 600 + 3600)
    restored.record(T0 + 600 + 3600, SystemSample(running=False))
    day = restored.day(date(2024, 1, 10))
    assert day is not None
    assert sum(day.system.runtime_s.values()) == 540.0
    assert day.system.unknown_s == 3600.0
    assert day.system.cycles["heat"].starts == 1
    assert day.system.cycles["heat"].completed == 0  # its length is not known
    assert restored.lifetime()["runtime_s"] == 540.0


def test_unit_found_running_is_not_a_new_start() -> None:
    """A unit already running when Home Assistant comes back: no invented start."""
    ledger = make()
    ledger.resume(T0)
    ledger.record(T0, heating({"a": 1.0, "b": 1.0}))
    ledger.record(T0 + 600, SystemSample(running=False))
    day = ledger.day(date(2024, 1, 10))
    assert day is not None
    assert sum(day.system.runtime_s.values()) == 600.0
    assert ledger.lifetime()["cycles"] == 0.0
