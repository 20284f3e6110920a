"""What the two topologies share in a step: the zones' calls and the time of the next check.

A step of either topology runs the same phases, in the order its module's docstring lists: the
zones' calls (`TopologySystem.calls`: hysteresis kept across steps), the plan (the shared
`arbitration.Supervisor`), the commands (dampers and source, or heads, through the shared
`commands.CommandLog`) and the verdicts (`status.zone_status`). `earliest` turns the timers every
phase collected into `Decision.next_check`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import Mode, SystemConfig, ZoneSettings
from .arbitration import Supervisor
from .commands import CommandLog
from .demand import ZoneView, build_views


def earliest(now: float, times: list[float | None]) -> float | None:
    """The earliest of `times` strictly after `now` (None if there is none)."""
    future = [t for t in times if t is not None and t > now]
    return min(future) if future else None


class TopologySystem:
    """One system's state across steps: its configuration, supervisor, command log and calls."""

    def __init__(self, config: SystemConfig, supervisor: Supervisor, log: CommandLog) -> None:
        """Bind to the shared supervisor and command log."""
        self._config = config
        self._sup = supervisor
        self._log = log
        self._calls: dict[str, Mode] = {}  # the zones calling, kept for the hysteresis

    def calls(
        self,
        settings: Mapping[str, ZoneSettings],
        temperatures: Mapping[str, float | None],
        available: Mapping[str, bool],
    ) -> list[ZoneView]:
        """The zones' views for this step, with what each calls for (`demand.build_views`)."""
        cfg = self._config
        return build_views(cfg.zones, settings, temperatures, available, self._calls, cfg.tolerance)
