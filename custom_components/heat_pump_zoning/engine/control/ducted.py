"""One step of a ducted system: zone calls -> plan -> source and damper commands -> verdicts.

`DuctedSystem.step` runs these phases in this order: `TopologySystem.calls` (a zone is available
while the source is and at least one of its dampers reports), `_plan` (which zones the unit can
serve, topping up rooms short of the running mode, the supervisor's plan and whether the airflow
floor is seen open), `_drive` (the source: `source.drive_source`, committed to protection),
`_targets` (running: `_open_zones` and `airflow.damper_targets`; idle: `airflow.idle_targets`,
the dampers left where they are while the floor is seen open), `airflow.damper_commands` (which
holds a closing back within the damper's move interval; its `wake` joins the step's timers), the
command order (`_ordered`), then `_verdicts`. The pieces (airflow budget, damper layout, source
nudging) live in `airflow` and `source`, the dampers' observed behaviour in `dampers`; this module
only sequences them. If the source is missing or unavailable, every zone is unavailable and nothing
is commanded (the compressor state is left as remembered: it cannot be observed). The unit runs
only while the airflow floor is seen open (`airflow`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import (
    ClimateState,
    Command,
    Decision,
    Mode,
    SetClimate,
    SystemConfig,
    SystemObservation,
    WaitReason,
    ZoneStatus,
)
from .airflow import (
    DamperStep,
    damper_commands,
    damper_targets,
    dampers_seen,
    floor_met,
    idle_targets,
    observed_positions,
    open_airflow,
    open_fraction,
    reachable,
)
from .arbitration import Plan, Supervisor
from .commands import CommandLog
from .dampers import DamperWatch
from .demand import ZoneView, demand_by_mode, shortfall
from .source import SourceStep, delivering, drive_source, seen_delivering, source_mode
from .status import unavailable, zone_status
from .system import TopologySystem, earliest


@dataclass(frozen=True, slots=True)
class _Planned:
    """The plan of one step and what it was made on."""

    views: list[ZoneView]  # topped up while running
    served: set[str]  # zones whose dampers can take air
    demand: dict[Mode, float]
    plan: Plan
    airflow_ok: bool  # the airflow floor is seen open


class DuctedSystem(TopologySystem):
    """The ducted topology, stateful across steps (hysteresis, run membership)."""

    def __init__(self, config: SystemConfig, supervisor: Supervisor, log: CommandLog) -> None:
        """Bind to the shared supervisor and command log."""
        super().__init__(config, supervisor, log)
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
        """Decide one step (the phases of the module docstring)."""
        cfg, sup, watch = self._config, self._sup, self._watch
        source = obs.source
        source_ok = cfg.source is not None and source is not None and source.available
        views = self.calls(
            {zid: zone.settings for zid, zone in obs.zones.items()},
            {zid: zone.temperature for zid, zone in obs.zones.items()},
            {zone.zone_id: source_ok and dampers_seen(zone, obs.dampers) for zone in cfg.zones},
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
        planned = self._plan(now, views, obs, source)
        was_running = sup.running
        src, mode = self._drive(now, cfg.source, source, planned, was_running)
        running = sup.running
        if running and mode is not None and seen_delivering(source, mode):
            sup.protection.delivering(now)  # the minimum run counts from the real start
        if running and not was_running and mode is not None:
            # Topped up as every later step of this run will see them.
            planned = replace(planned, views=self._top_up(planned.views, mode, planned.served))
        in_min_run = running and not sup.protection.can_stop(now)
        targets = self._targets(
            now, planned, obs, mode if running else None, was_running, in_min_run
        )
        dampers = damper_commands(planned.views, targets, obs.dampers, watch, now, cfg)
        zones = self._verdicts(obs, source, planned, src, mode if running else None)
        timers: list[float | None] = [*planned.plan.timers, src.timer, *watch.timers(now)]
        timers.append(dampers.wake)
        timers.append(sup.pending_start(planned.demand))
        if in_min_run:
            timers.append(sup.protection.stop_allowed_at())
        return Decision(
            zones=zones,
            commands=_ordered(src.command, dampers),
            active_mode=mode if running else None,
            running=running,
            next_check=earliest(now, timers),
            dampers=watch.health(now, obs.dampers),
        )

    def _plan(
        self, now: float, views: list[ZoneView], obs: SystemObservation, source: ClimateState
    ) -> _Planned:
        """The plan on the zones the unit can serve, and whether the airflow floor is seen open."""
        cfg, sup = self._config, self._sup
        sup.bootstrap(now, source_mode(source))
        if sup.running and sup.active_mode is not None and seen_delivering(source, sup.active_mode):
            # Seen starting now: the plan below times the minimum run from here, so a stop
            # planned for the command's minimum run cannot end the real run a minute in.
            sup.protection.delivering(now)
        stuck = self._watch.stuck()
        served = {v.config.zone_id for v in views if reachable(v, obs.dampers, stuck)}
        if sup.running and sup.active_mode is not None:
            views = self._top_up(views, sup.active_mode, served)
        demand = demand_by_mode([v for v in views if v.config.zone_id in served], cfg.tolerance)
        plan = sup.plan(now, demand)
        counted = self._watch.counted(now, obs.dampers)
        airflow_ok = floor_met(views, counted, obs.dampers, cfg.min_airflow_percent)
        return _Planned(views, served, demand, plan, airflow_ok)

    def _drive(
        self,
        now: float,
        entity_id: str,
        source: ClimateState,
        planned: _Planned,
        was_running: bool,
    ) -> tuple[SourceStep, Mode | None]:
        """Command the source towards the plan and commit what it does; the mode it runs in.

        The unit runs only with the floor seen open; a stop while the floor is not seen open goes
        out even inside the command interval.
        """
        plan, sup = planned.plan, self._sup
        run = plan.run and planned.airflow_ok
        src = drive_source(
            entity_id,
            source,
            run,
            plan.mode,
            was_running,
            self._config,
            self._log,
            now,
            urgent=not planned.airflow_ok,
        )
        mode: Mode | None = None
        if src.running:
            mode = plan.mode if plan.run else sup.active_mode
        sup.commit(now, src.running and mode is not None, mode)
        return src, mode

    def _targets(
        self,
        now: float,
        planned: _Planned,
        obs: SystemObservation,
        mode: Mode | None,
        was_running: bool,
        in_min_run: bool,
    ) -> dict[str, float]:
        """The dampers' targets: the running layout (`airflow.damper_targets`), or while the
        compressor is not running only the openings the floor needs (`airflow.idle_targets`)."""
        cfg, watch, views = self._config, self._watch, planned.views
        if mode is None:
            self._run_zones = set()
            target = planned.plan.target
            calling = {
                v.config.zone_id
                for v in views
                if target is not None and v.available and v.call is target
            }
            counted = watch.counted(now, obs.dampers)
            relief = target or self._sup.active_mode
            return idle_targets(views, obs.dampers, counted, calling, cfg, watch.stuck(), relief)
        open_zones = self._open_zones(views, mode, was_running, in_min_run)
        targets, _relief = damper_targets(views, obs.dampers, mode, open_zones, cfg, watch.stuck())
        return targets

    def _open_zones(
        self, views: list[ZoneView], mode: Mode, was_running: bool, in_min_run: bool
    ) -> set[str]:
        """The zones whose dampers open: those calling the running mode, and during the minimum
        run those that called during this run (they keep the air the unit must deliver)."""
        if not was_running:
            self._run_zones = set()
        self._run_zones |= {v.config.zone_id for v in views if v.call is mode}
        return {
            v.config.zone_id
            for v in views
            if v.available
            and (v.call is mode or (in_min_run and v.on and v.config.zone_id in self._run_zones))
        }

    def _verdicts(
        self,
        obs: SystemObservation,
        source: ClimateState,
        planned: _Planned,
        src: SourceStep,
        served: Mode | None,
    ) -> dict[str, ZoneStatus]:
        """Each zone's verdict: conditioned while the source delivers and its dampers are seen
        open; a call that cannot be served waits with reason damper, or airflow."""
        views, plan = planned.views, planned.plan
        delivered = served if served is not None and delivering(source, served) else None
        seen = observed_positions(obs.dampers)
        total_open = open_airflow(views, seen, obs.dampers) if served is not None else 0.0
        zones: dict[str, ZoneStatus] = {}
        for view in views:
            conditioned = None
            fraction = open_fraction(view, seen, obs.dampers)
            if delivered is not None and fraction > 0:
                conditioned = delivered
            share = 0.0
            if total_open > 0:
                share = max(view.config.airflow, 0.0) * fraction / total_open
            status = zone_status(view, conditioned, served, plan, src.rate_limited, share)
            if status.waiting is not None and view.config.zone_id not in planned.served:
                status = replace(status, waiting=WaitReason.DAMPER)
            elif status.waiting is not None and plan.run and not planned.airflow_ok:
                status = replace(status, waiting=WaitReason.AIRFLOW)
            zones[view.config.zone_id] = status
        return zones


def _ordered(source: SetClimate | None, dampers: DamperStep) -> tuple[Command, ...]:
    """Source stop first; then damper openings; then the source start or setpoint; closings."""
    if source is None:
        return (*dampers.openings, *dampers.closings)
    if source.hvac_mode == "off":
        return (source, *dampers.openings, *dampers.closings)
    return (*dampers.openings, source, *dampers.closings)
