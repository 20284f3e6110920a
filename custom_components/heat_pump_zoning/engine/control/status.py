"""Zone verdicts shared by both topologies: truthful actions and why a call waits."""

from __future__ import annotations

from ..model import Mode, WaitReason, ZoneAction, ZoneStatus
from .arbitration import Plan
from .demand import ZoneView


def acting(mode: Mode) -> ZoneAction:
    """The zone action of receiving `mode` air."""
    return ZoneAction.HEATING if mode is Mode.HEAT else ZoneAction.COOLING


def unavailable(view: ZoneView) -> ZoneStatus:
    """An unavailable zone: never heating or cooling, OFF when the user turned it off."""
    return ZoneStatus(False, ZoneAction.IDLE if view.on else ZoneAction.OFF)


def zone_status(
    view: ZoneView,
    conditioned: Mode | None,
    served: Mode | None,
    plan: Plan,
    rate_limited: bool,
    airflow_share: float = 0.0,
) -> ZoneStatus:
    """The verdict on an available zone.

    `conditioned` is the mode the room really receives now (observed), `served` the mode the
    compressor is committed to run in after this step (None: stopped). A calling zone that is not
    conditioned in its mode gets a reason: the arbitration's (MIN_OFF, MODE_CONFLICT,
    MODE_DWELL), RATE_LIMIT when the command that would serve it cannot be sent yet, else
    EQUIPMENT (commanded, but the equipment does not show it yet).
    """
    if not view.available:
        return unavailable(view)
    if not view.on:
        return ZoneStatus(True, ZoneAction.OFF)
    action = acting(conditioned) if conditioned is not None else ZoneAction.IDLE
    waiting: WaitReason | None = None
    call = view.call
    if call is not None and conditioned is not call:
        if served is call:
            waiting = WaitReason.RATE_LIMIT if rate_limited else WaitReason.EQUIPMENT
        elif call in plan.waits:
            waiting = plan.waits[call]
        elif rate_limited:
            waiting = WaitReason.RATE_LIMIT
        else:
            waiting = WaitReason.EQUIPMENT
    return ZoneStatus(True, action, call, waiting, airflow_share)
