"""Zone verdicts: every reason a calling zone can be waiting for, decided directly."""

from __future__ import annotations

from engine.control.arbitration import Plan
from engine.control.demand import ZoneView
from engine.control.status import zone_status
from engine.model import (
    Mode,
    WaitReason,
    ZoneAction,
    ZoneConfig,
    ZoneMode,
    ZoneSettings,
)

VIEW = ZoneView(0, ZoneConfig("z", "Z"), ZoneSettings(ZoneMode.HEAT), 19.0, True, Mode.HEAT)
IDLE_PLAN = Plan(target=None, run=False, mode=None)


def test_conditioned_zone_heats() -> None:
    """Receiving heat while calling for it: heating, no wait."""
    status = zone_status(VIEW, Mode.HEAT, Mode.HEAT, IDLE_PLAN, False, 0.5)
    assert (status.action, status.waiting, status.airflow_share) == (ZoneAction.HEATING, None, 0.5)


def test_wait_reasons() -> None:
    """Served but not yet delivered; the plan's reason; quiet; else the equipment."""
    assert zone_status(VIEW, None, Mode.HEAT, IDLE_PLAN, False).waiting is WaitReason.EQUIPMENT
    assert zone_status(VIEW, None, Mode.HEAT, IDLE_PLAN, True).waiting is WaitReason.RATE_LIMIT
    plan = Plan(
        target=Mode.COOL, run=True, mode=Mode.COOL, waits={Mode.HEAT: WaitReason.MODE_DWELL}
    )
    status = zone_status(VIEW, Mode.COOL, Mode.COOL, plan, False)
    assert (status.action, status.waiting) == (ZoneAction.COOLING, WaitReason.MODE_DWELL)
    assert zone_status(VIEW, None, None, IDLE_PLAN, True).waiting is WaitReason.RATE_LIMIT
    assert zone_status(VIEW, None, None, IDLE_PLAN, False).waiting is WaitReason.EQUIPMENT


def test_off_and_unavailable() -> None:
    """An OFF zone is off; an unavailable zone never heats."""
    off = ZoneView(0, VIEW.config, ZoneSettings(ZoneMode.OFF), 19.0, True, None)
    assert zone_status(off, Mode.HEAT, Mode.HEAT, IDLE_PLAN, False).action is ZoneAction.OFF
    gone = ZoneView(0, VIEW.config, VIEW.settings, None, False, None)
    status = zone_status(gone, Mode.HEAT, Mode.HEAT, IDLE_PLAN, False)
    assert (status.available, status.action) == (False, ZoneAction.IDLE)
