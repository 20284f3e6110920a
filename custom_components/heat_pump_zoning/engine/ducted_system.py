"""One step of a ducted system: zone calls -> plan -> source and damper commands -> verdicts.

The pieces (airflow budget, damper layout, source nudging) live in `ducted`, the dampers' observed
behaviour in `dampers`; this module only sequences them. If the source is missing or unavailable,
every zone is unavailable and nothing is commanded (the compressor state is left as remembered:
it cannot be observed). The unit runs only while the airflow floor is seen open (`ducted`).
"""

from __future__ import annotations

from dataclasses import replace

from .arbitration import Supervisor
from .commands import CommandLog
from .dampers import DamperWatch
from .demand import ZoneView, build_views, demand_by_mode, shortfall
from .ducted import (
    damper_commands,
    damper_targets,
    dampers_seen,
    delivering,
    drive_source,
    floor_met,
    observed_positions,
    open_airflow,
    open_fraction,
    reachable,
    source_mode,
)
from .model import Decision, Mode, SystemConfig, SystemObservation, WaitReason, ZoneStatus
from .status import unavailable, zone_status


def earliest(now: float, times: list[float | None]) -> float | None:
    """The earliest of `times` strictly after `now` (None if there is none)."""
    future = [t for t in times if t is not None and t > now]
    return min(future) if future else None


class DuctedSystem:
    """The ducted topology, stateful across steps (hysteresis, run membership)."""

    def __init__(self, config: SystemConfig, supervisor: Supervisor, log: CommandLog) -> None:
        """Bind to the shared supervisor and command log."""
        self._config = config
        self._sup = supervisor
        self._log = log
        self._calls: dict[str, Mode] = {}
        self._run_zones: set[str] = set()
        self._watch = DamperWatch(config.damper_grace)

    def _top_up(self, views: list[ZoneView], mode: Mode, served: set[str]) -> list[ZoneView]:
        """While the unit runs in `mode`, zones short of their target in it join the call.

        A zone on the wrong side of its target would call on its own a little later, and every
        call after the unit stops costs a start (at most 3 an hour) and a wait for the minimum off
        time. Topping it up now, while the air is already conditioned, keeps the rooms in step.
        """
        result: list[ZoneView] = []
        for view in views:
            short = None
            if (
                view.call is None
                and view.available
                and view.temperature is not None
                and view.config.zone_id in served
            ):
                short = shortfall(view.settings, view.temperature, mode)
            if short is not None and short > 0:
                self._calls[view.config.zone_id] = mode
                result.append(replace(view, call=mode))
            else:
                result.append(view)
        return result

    def step(self, now: float, obs: SystemObservation) -> Decision:
        """Decide one step."""
        cfg, sup, log, watch = self._config, self._sup, self._log, self._watch
        settings = {zid: zone.settings for zid, zone in obs.zones.items()}
        temperatures = {zid: zone.temperature for zid, zone in obs.zones.items()}
        source = obs.source
        source_ok = cfg.source is not None and source is not None and source.available
        available = {
            zone.zone_id: source_ok and dampers_seen(zone, obs.dampers) for zone in cfg.zones
        }
        views = build_views(
            cfg.zones, settings, temperatures, available, self._calls, cfg.tolerance
        )
        watch.observe(now, obs.dampers)
        if cfg.source is None or source is None or not source.available:
            return Decision(
                zones={v.config.zone_id: unavailable(v) for v in views},
                commands=(),
                active_mode=sup.active_mode if sup.running else None,
                running=sup.running,
                dampers=watch.health(now, obs.dampers),
            )
        sup.bootstrap(now, source_mode(source))
        stuck = watch.stuck()
        served = {v.config.zone_id for v in views if reachable(v, obs.dampers, stuck)}
        if sup.running and sup.active_mode is not None:
            views = self._top_up(views, sup.active_mode, served)
        demand = demand_by_mode([v for v in views if v.config.zone_id in served], cfg.tolerance)
        plan = sup.plan(now, demand)
        counted = watch.counted(now, obs.dampers)
        airflow_ok = floor_met(views, counted, obs.dampers, cfg.min_airflow_percent)
        run = plan.run and airflow_ok
        was_running = sup.running
        # A stop while the floor is not seen open goes out even inside the command interval.
        src = drive_source(
            cfg.source, source, run, plan.mode, was_running, cfg, log, now, urgent=not airflow_ok
        )
        mode: Mode | None = None
        if src.running:
            mode = plan.mode if plan.run else sup.active_mode
        sup.commit(now, src.running and mode is not None, mode)
        running = sup.running

        if running and not was_running:
            self._run_zones = set()
            if mode is not None:  # as every later step of this run will see them
                views = self._top_up(views, mode, served)
        if running:
            self._run_zones |= {v.config.zone_id for v in views if v.call is mode}
        else:
            self._run_zones = set()
        in_min_run = running and not sup.protection.can_stop(now)
        open_zones = {
            v.config.zone_id
            for v in views
            if v.available
            and (v.call is mode or (in_min_run and v.on and v.config.zone_id in self._run_zones))
        }
        targets, _relief = damper_targets(
            views, obs.dampers, mode if running else None, open_zones, cfg, stuck
        )
        dampers = damper_commands(views, targets, obs.dampers, watch, now, cfg.min_airflow_percent)

        source_cmds = () if src.command is None else (src.command,)
        if src.command is not None and src.command.hvac_mode == "off":
            commands = (*source_cmds, *dampers.openings, *dampers.closings)
        else:
            commands = (*dampers.openings, *source_cmds, *dampers.closings)

        delivered = mode if running and mode is not None and delivering(source, mode) else None
        seen = observed_positions(obs.dampers)
        total_open = open_airflow(views, seen, obs.dampers) if running else 0.0
        zones: dict[str, ZoneStatus] = {}
        for view in views:
            conditioned = None
            fraction = open_fraction(view, seen, obs.dampers)
            if delivered is not None and fraction > 0:
                conditioned = delivered
            share = 0.0
            if total_open > 0:
                share = max(view.config.airflow, 0.0) * fraction / total_open
            status = zone_status(
                view, conditioned, mode if running else None, plan, src.rate_limited, share
            )
            if status.waiting is not None and view.config.zone_id not in served:
                status = replace(status, waiting=WaitReason.DAMPER)
            elif status.waiting is not None and plan.run and not airflow_ok:
                status = replace(status, waiting=WaitReason.AIRFLOW)
            zones[view.config.zone_id] = status
        timers: list[float | None] = [*plan.timers, src.timer, *watch.timers(now)]
        timers.append(sup.pending_start(demand))
        if in_min_run:
            timers.append(sup.protection.stop_allowed_at())
        return Decision(
            zones=zones,
            commands=commands,
            active_mode=mode if running else None,
            running=running,
            next_check=earliest(now, timers),
            dampers=watch.health(now, obs.dampers),
        )
