"""One step of a multi-zone mini-split: adoption -> calls -> plan -> head commands -> verdicts.

Protection treats the outdoor unit as one compressor: the first head on after all were off is a
start (needs the minimum off time), the last head off is a stop (needs the minimum run time). A
head turned on or off remotely is recorded as the start/stop it really is.
"""

from __future__ import annotations

from dataclasses import replace

from .arbitration import Supervisor
from .commands import ClimateView, CommandLog, matches, remote_change
from .demand import accepts, build_views, demand_by_mode, opposite
from .ducted_system import earliest
from .mini_split import HeadPlan, adopt, dominant, head_mode, head_offset, needs_command, plan_head
from .model import (
    ClimateState,
    Command,
    Decision,
    Mode,
    SetClimate,
    SystemConfig,
    SystemObservation,
    WaitReason,
    ZoneSettings,
    ZoneStatus,
)
from .status import acting, zone_status


class MiniSplitSystem:
    """The mini-split topology, stateful across steps (hysteresis, adoption baselines, offsets)."""

    def __init__(self, config: SystemConfig, supervisor: Supervisor, log: CommandLog) -> None:
        """Bind to the shared supervisor and command log."""
        self._config = config
        self._sup = supervisor
        self._log = log
        self._calls: dict[str, Mode] = {}
        self._previous: dict[str, ClimateView] = {}
        self._landed: set[str] = set()
        self._offsets: dict[str, float] = {}

    def _heads(self, obs: SystemObservation) -> dict[str, tuple[str, ClimateState]]:
        """Available heads by zone id."""
        heads: dict[str, tuple[str, ClimateState]] = {}
        for zone in self._config.zones:
            state = obs.heads.get(zone.head) if zone.head else None
            if zone.head and state is not None and state.available:
                heads[zone.zone_id] = (zone.head, state)
        return heads

    def _adopt(
        self, now: float, obs: SystemObservation, settings: dict[str, ZoneSettings]
    ) -> tuple[dict[str, ZoneSettings], set[str]]:
        """Detect remote changes and update `settings` in place; returns adopted, heads touched."""
        adopted: dict[str, ZoneSettings] = {}
        touched: set[str] = set()
        heads = self._heads(obs)
        for zone in self._config.zones:
            if zone.zone_id not in heads:
                if zone.head:
                    self._previous.pop(zone.head, None)
                continue
            head, state = heads[zone.zone_id]
            view = ClimateView(state.hvac_mode, state.target_temperature)
            last = self._log.last_climate(head)
            if last is not None and matches(view, last, state.target_temp_step):
                self._landed.add(head)
            in_flight = self._log.in_flight(head, now) is not None and head not in self._landed
            change = remote_change(
                self._previous.get(head), view, last, in_flight, state.target_temp_step
            )
            self._previous[head] = view
            if change is None:
                continue
            touched.add(head)
            # The remote state becomes "ours": no revert for command_interval, no re-adoption.
            self._log.record(SetClimate(head, view.mode or "off", view.target), now)
            self._landed.add(head)
            if zone.zone_id not in settings:
                continue
            offset = self._offsets.get(head)
            if offset is None:
                room = obs.zones[zone.zone_id].temperature
                offset = head_offset(zone, room, state, self._config.head_offset_limit)
            new = adopt(settings[zone.zone_id], change, state.hvac_mode, offset)
            if new != settings[zone.zone_id]:
                adopted[zone.zone_id] = new
                settings[zone.zone_id] = new
        return adopted, touched

    def _believed(self, head: str | None, state: ClimateState | None, now: float) -> Mode | None:
        """The mode a head is believed in: in-flight command, else observed, else last command.

        An unavailable head that still reports a mode is believed in it (it blocks the opposite
        mode); one that reports nothing is believed in our last command.
        """
        if head is None:
            return None
        in_flight = self._log.in_flight(head, now)
        if in_flight is not None:
            return head_mode(in_flight.hvac_mode)
        if state is not None and (state.available or state.hvac_mode is not None):
            return head_mode(state.hvac_mode)  # an unavailable head's last known mode: a hint
        last = self._log.last_climate(head)
        return head_mode(last.hvac_mode) if last is not None else None

    def step(self, now: float, obs: SystemObservation) -> Decision:
        """Decide one step."""
        cfg, sup, log = self._config, self._sup, self._log
        settings = {zid: zone.settings for zid, zone in obs.zones.items()}
        adopted, touched = self._adopt(now, obs, settings)
        heads = self._heads(obs)
        temperatures: dict[str, float | None] = {}
        for zone in cfg.zones:
            zone_input = obs.zones.get(zone.zone_id)
            temperature = zone_input.temperature if zone_input is not None else None
            if temperature is None and not zone.has_room_sensor and zone.zone_id in heads:
                temperature = heads[zone.zone_id][1].current_temperature
            temperatures[zone.zone_id] = temperature
        available = dict.fromkeys(heads, True)
        views = build_views(
            cfg.zones, settings, temperatures, available, self._calls, cfg.tolerance
        )

        believed: dict[str, Mode | None] = {
            zone.zone_id: self._believed(
                zone.head, obs.heads.get(zone.head) if zone.head else None, now
            )
            for zone in cfg.zones
        }
        on_modes = [m for m in believed.values() if m is not None]
        sup.bootstrap(now, dominant(on_modes, None) if on_modes else None)
        if not sup.running and on_modes:
            sup.commit(now, True, dominant(on_modes, sup.active_mode))
        elif sup.running and not on_modes:
            sup.commit(now, False, None)
        was_running = sup.running

        sustain = {
            m: any(
                v.available and v.on and accepts(v.settings, m) and v.call is not opposite(m)
                for v in views
            )
            for m in (Mode.HEAT, Mode.COOL)
        }
        demand = demand_by_mode(views, cfg.tolerance)
        plan = sup.plan(now, demand, sustain)
        serve = plan.mode if plan.run else None

        plans: list[HeadPlan] = []
        for view in views:
            if view.config.zone_id not in heads:
                continue
            head, state = heads[view.config.zone_id]
            hp = plan_head(view, head, state, serve, cfg.head_offset_limit)
            hp.leave = head in touched
            plans.append(hp)
        if plan.run and was_running and not any(hp.mode is not None for hp in plans):
            # Protection hold with no zone left to serve: keep what runs, running.
            for hp in plans:
                if believed[hp.zone.config.zone_id] is not None:
                    hp.leave = True

        rate_limited: set[str] = set()
        conflict: set[str] = set()
        offs: list[HeadPlan] = []
        ons: list[HeadPlan] = []
        timers: list[float | None] = list(plan.timers)
        for hp in plans:
            if hp.leave or not needs_command(hp.state, hp.mode, hp.raw_setpoint):
                continue
            if not log.ready(hp.entity_id, now):
                rate_limited.add(hp.zone.config.zone_id)
                timers.append(log.ready_at(hp.entity_id))
                continue
            (offs if hp.mode is None else ons).append(hp)
        after = dict(believed)
        for hp in offs:
            after[hp.zone.config.zone_id] = None
        # Every on is into the served mode: they all go, unless a head not among them stays in
        # the opposite mode after this step (rate-limited, unavailable); then none goes.
        accepted_ons: list[HeadPlan] = []
        if serve is not None and ons:
            final = {**after, **{hp.zone.config.zone_id: serve for hp in ons}}
            if any(m is opposite(serve) for m in final.values()):
                conflict.update(hp.zone.config.zone_id for hp in ons)
            else:
                after, accepted_ons = final, ons
        if was_running and plan.run and not any(m is not None for m in after.values()):
            # Never stop by accident (an on was blocked while the last head went off).
            offs = [hp for hp in offs if believed[hp.zone.config.zone_id] is None]
            after = dict(believed)

        commands: list[Command] = []
        for hp in (*offs, *accepted_ons):
            commands.append(log.record(hp.command(), now))
            self._landed.discard(hp.entity_id)
            if hp.mode is not None:
                self._offsets[hp.entity_id] = hp.offset
        on_after = [m for m in after.values() if m is not None]
        mode_after: Mode | None = None
        if on_after:
            mode_after = sup.active_mode if was_running else (serve or dominant(on_after, None))
        sup.commit(now, bool(on_after), mode_after)
        if plan.hold:
            timers.append(sup.protection.stop_allowed_at())
        timers.append(sup.pending_start(demand))

        zones: dict[str, ZoneStatus] = {}
        for view in views:
            zid = view.config.zone_id
            conditioned: Mode | None = None
            if zid in heads:
                state = heads[zid][1]
                observed = head_mode(state.hvac_mode)
                if observed is not None and (
                    (state.hvac_action is None and view.call is observed)
                    or state.hvac_action == acting(observed).value
                ):
                    conditioned = observed
            status = zone_status(view, conditioned, after.get(zid), plan, zid in rate_limited)
            if zid in conflict and status.waiting is not None:
                status = replace(status, waiting=WaitReason.MODE_CONFLICT)
            zones[zid] = status
        return Decision(
            zones=zones,
            commands=tuple(commands),
            active_mode=sup.active_mode if sup.running else None,
            running=sup.running,
            adopted=adopted,
            next_check=earliest(now, timers),
        )
