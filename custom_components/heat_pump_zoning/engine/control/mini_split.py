"""One step of a multi-zone mini-split: adoption -> calls -> plan -> head commands -> verdicts.

`MiniSplitSystem.step` runs these phases in this order, each a method: `_adopt` (remote
changes), `TopologySystem.calls` on the rooms' temperatures (`_temperatures`), `_observe` (what
the heads deliver: the compressor's state) and `_plan`, then `_head_plans`, `_due`, `_accept`
and `_send` (the head commands), and `_verdicts`.

Protection treats the outdoor unit as one compressor and times what it really does. A head that
reports its `hvac_action` delivers while it says heating/cooling (drying, defrosting and
preheating count too: the compressor runs); one that reports nothing is taken to deliver while it
is on. The compressor starts when the first head starts delivering and stops when the last one
stops, whether a command or the head's own thermostat caused it. So:

- turning a head on while no head delivers may start the compressor: it needs the minimum off
  time and the starts-per-hour budget;
- turning off the last delivering head is a stop: it waits for the minimum run time.

Which heads are on depends on `SystemConfig.quiet_heads` (the `head_control` option):

- tight (default): a head is turned on when its zone calls and stays on, modulating, until the
  room gets to where the call would end (half a tolerance past the target, see `demand`). At low
  load an inverter cannot turn down far enough and would overshoot until its own thermostat stops
  it (often 1 K or more past its setpoint), so the head is turned off at that point and stays off
  until the zone calls again; heads left on but idle are turned off while a compressor start is
  not allowed. The room stays inside the band and the protection timers hold for every start, at
  the cost of two commands a cycle (dozens a day); a head's own thermostat can still end a run
  early (counted).
- quiet: a head is turned on when its zone calls for the served mode and then stays on while the
  zone wants that mode (see `heads.keeps`), idle or modulating, its setpoint corrected from the
  room (`heads.HeadCorrections`). A head hears from us when its zone's mode or target changes,
  when its correction has moved a full setpoint step, or when the outdoor unit must change mode:
  a few commands a day. The room rides the head's own thermostat band. A head left on whose own
  thermostat restarts the compressor is not stopped from doing so (that would take an off and an
  on, two beeps, every cycle): the minimum off and run times then hold only for the starts and
  stops we command, the outdoor unit's own restart delay covers the rest, and the protection
  timers still count those starts.

Quiet hours (`ZoneInput.quiet`) hold a zone's head commands in either mode (`_hush`, rules in
`heads.quiet_allows`).
"""

from __future__ import annotations

from collections.abc import Mapping
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
    ZoneSettings,
    ZoneStatus,
)
from .arbitration import Plan, Supervisor
from .commands import EPS, ClimateView, CommandLog, matches, remote_change
from .demand import ZoneView, demand_by_mode, opposite, target_for
from .heads import (
    HeadCorrections,
    HeadPlan,
    adopt,
    after_delivery,
    delivers,
    dominant,
    head_mode,
    head_offset,
    keeps,
    needs_command,
    plan_head,
    quiet_allows,
    reports_action,
    stays_on,
)
from .status import acting, zone_status
from .system import TopologySystem, earliest


@dataclass(frozen=True, slots=True)
class _Seen:
    """The heads at the start of a step, by zone id."""

    believed: Mapping[str, Mode | None]  # the mode each head is believed in
    states: Mapping[str, ClimateState | None]  # observed (None: no head or not reported)
    delivering: Mapping[str, Mode | None]  # the mode the compressor runs in for it now


@dataclass(frozen=True, slots=True)
class _Accepted:
    """The head commands that go out this step, and the modes the heads are in after them."""

    offs: list[HeadPlan]
    ons: list[HeadPlan]
    after: dict[str, Mode | None]
    conflict: set[str]  # zones whose head cannot go on: another head stays in the other mode


# Tight: a head's offset is also taken once it has run this long in a mode (its sensor then reads
# the mixed air); a head turned on gets whichever of that and the offset of the moment asks for
# more output (see `heads`).
RUNNING_OFFSET_S = 600.0
# How far a head may show a setpoint from the one it was sent when it keeps its own steps: whole
# degrees (°C or °F) behind the 0.5 step many integrations report (`_answered`).
OWN_ROUNDING = 1.0


class MiniSplitSystem(TopologySystem):
    """The mini-split topology, stateful across steps (hysteresis, adoption baselines, offsets)."""

    def __init__(
        self,
        config: SystemConfig,
        supervisor: Supervisor,
        log: CommandLog,
        corrections: Mapping[str, float] | None = None,
    ) -> None:
        """Bind to the shared supervisor and command log; `corrections` from the memory."""
        super().__init__(config, supervisor, log)
        self._previous: dict[str, ClimateView] = {}
        self._landed: set[str] = set()
        self._offsets: dict[str, float] = {}
        self._on_since: dict[str, tuple[Mode, float]] = {}  # zone id: (mode, since when on)
        self._running_offsets: dict[tuple[str, Mode], float] = {}  # tight: offset while running
        self.corrections = HeadCorrections(config.head_offset_limit, corrections)

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
            # Once our last command has shown up, a change back to it is not ours any more (a
            # remote mode set again after others, the head away in between: not fought).
            ours = None if head in self._landed else last
            if last is not None and matches(view, last, state.target_temp_step):
                self._landed.add(head)
            in_flight = self._log.in_flight(head, now) is not None and head not in self._landed
            change = remote_change(
                self._previous.get(head), view, ours, in_flight, state.target_temp_step
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

        An unavailable head that still reports a mode is believed in it, even with a command in
        flight (it blocks the opposite mode: no command reaches it while unavailable); one that
        reports nothing is believed in our last command.
        """
        if head is None:
            return None
        if state is not None and not state.available and state.hvac_mode is not None:
            return head_mode(state.hvac_mode)  # unreachable: it cannot have taken a command
        in_flight = self._log.in_flight(head, now)
        if in_flight is not None:
            return head_mode(in_flight.hvac_mode)
        if state is not None and (state.available or state.hvac_mode is not None):
            return head_mode(state.hvac_mode)  # an unavailable head's last known mode: a hint
        last = self._log.last_climate(head)
        return head_mode(last.hvac_mode) if last is not None else None

    def step(self, now: float, obs: SystemObservation) -> Decision:
        """Decide one step (the phases of the module docstring)."""
        sup = self._sup
        settings = {zid: zone.settings for zid, zone in obs.zones.items()}
        adopted, touched = self._adopt(now, obs, settings)
        heads = self._heads(obs)
        views = self.calls(settings, self._temperatures(obs, heads), dict.fromkeys(heads, True))
        seen = self._observe(now, obs)
        self._correct(now, views, heads, seen)
        self._learn_running_offsets(now, views, seen)
        was_running = sup.running
        stays = {
            v.config.zone_id: self._stays(v, seen.believed.get(v.config.zone_id)) for v in views
        }
        demand = demand_by_mode(views, self._config.tolerance)
        plan = self._plan(now, views, seen, stays, demand)
        plans = self._head_plans(views, heads, plan, seen, stays, touched, was_running)
        timers: list[float | None] = list(plan.timers)
        quiet = {zid for zid, zone in obs.zones.items() if zone.quiet}
        hushed = self._hush(plans, quiet, seen, plan)
        offs, ons, rate_limited = self._due(now, plans, timers)
        accepted = self._accept(plan, offs, ons, seen, was_running)
        commands = self._send(now, accepted)
        on_after = after_delivery(accepted.after, seen.delivering, seen.states)
        mode_after: Mode | None = None
        if on_after:
            mode_after = (
                sup.active_mode if was_running else (_served(plan) or dominant(on_after, None))
            )
        sup.commit(now, bool(on_after), mode_after)
        if plan.hold:
            timers.append(sup.protection.stop_allowed_at())
        timers.append(sup.pending_start(demand))
        return Decision(
            zones=self._verdicts(views, heads, plan, accepted, rate_limited, hushed),
            commands=commands,
            active_mode=sup.active_mode if sup.running else None,
            running=sup.running,
            adopted=adopted,
            next_check=earliest(now, timers),
        )

    def _temperatures(
        self, obs: SystemObservation, heads: Mapping[str, tuple[str, ClimateState]]
    ) -> dict[str, float | None]:
        """Each room's temperature: its sensor, else (no room sensor) its head's reading."""
        temperatures: dict[str, float | None] = {}
        for zone in self._config.zones:
            zone_input = obs.zones.get(zone.zone_id)
            temperature = zone_input.temperature if zone_input is not None else None
            if temperature is None and not zone.has_room_sensor and zone.zone_id in heads:
                temperature = heads[zone.zone_id][1].current_temperature
            temperatures[zone.zone_id] = temperature
        return temperatures

    def _stays(self, view: ZoneView, believed: Mode | None) -> bool:
        """Whether the zone's head, on in `believed`, stays on (quiet or tight, see module)."""
        if self._config.quiet_heads:
            return keeps(view, believed)
        return stays_on(view, believed, self._config.tolerance)

    def _correct(
        self,
        now: float,
        views: list[ZoneView],
        heads: Mapping[str, tuple[str, ClimateState]],
        seen: _Seen,
    ) -> None:
        """Learn each head's correction (`heads.HeadCorrections`) while it is on in a mode its
        zone wants, the room's own sensor reads and no command to it is in flight (quiet only)."""
        if not self._config.quiet_heads:
            return
        for view in views:
            zid = view.config.zone_id
            mode = seen.believed.get(zid)
            target = None
            if mode is not None and zid in heads and keeps(view, mode):
                target = target_for(view.settings, mode)
            if (
                mode is None
                or target is None
                or not view.config.has_room_sensor
                or view.temperature is None
                or self._log.in_flight(heads[zid][0], now) is not None
            ):
                self.corrections.update(
                    zid, None, None, now, offset=0.0, tolerance=0.0, delivering=None, step=0.0
                )
                continue
            state = heads[zid][1]
            self.corrections.update(
                zid,
                mode,
                target - view.temperature,
                now,
                offset=head_offset(
                    view.config, view.temperature, state, self._config.head_offset_limit
                ),
                tolerance=self._config.tolerance,
                delivering=seen.delivering.get(zid) is not None if reports_action(state) else None,
                step=state.target_temp_step,
            )

    def _learn_running_offsets(self, now: float, views: list[ZoneView], seen: _Seen) -> None:
        """Tight: each head's offset once it has run `RUNNING_OFFSET_S` in a mode."""
        if self._config.quiet_heads:
            return
        for view in views:
            zid = view.config.zone_id
            mode = seen.believed.get(zid)
            state = seen.states.get(zid)
            if mode is None or state is None or not state.available:
                self._on_since.pop(zid, None)
                continue
            since = self._on_since.get(zid)
            if since is None or since[0] is not mode:
                self._on_since[zid] = (mode, now)
            elif (
                now - since[1] >= RUNNING_OFFSET_S
                and view.config.has_room_sensor
                and view.temperature is not None
                and state.current_temperature is not None
            ):
                self._running_offsets[(zid, mode)] = head_offset(
                    view.config, view.temperature, state, self._config.head_offset_limit
                )

    def _observe(self, now: float, obs: SystemObservation) -> _Seen:
        """What the heads do, and the compressor's state as they show it (protection times it)."""
        sup = self._sup
        zones = self._config.zones
        states = {zone.zone_id: obs.heads.get(zone.head) if zone.head else None for zone in zones}
        believed = {
            zone.zone_id: self._believed(zone.head, states[zone.zone_id], now) for zone in zones
        }
        delivering = {zid: delivers(states[zid], mode) for zid, mode in believed.items()}
        running_modes = [m for m in delivering.values() if m is not None]
        sup.bootstrap(now, dominant(running_modes, None) if running_modes else None)
        if not sup.running and running_modes:
            sup.commit(now, True, dominant(running_modes, sup.active_mode))
            sup.protection.delivering(now)  # started as seen delivering: the run counts from now
        elif sup.running and not running_modes:
            sup.commit(now, False, None)
        return _Seen(believed, states, delivering)

    def _plan(
        self,
        now: float,
        views: list[ZoneView],
        seen: _Seen,
        stays: Mapping[str, bool],
        demand: Mapping[Mode, float],
    ) -> Plan:
        """The supervisor's plan; heads that stay on sustain a running compressor's mode."""
        sustain = {
            m: any(
                stays[v.config.zone_id] and seen.believed.get(v.config.zone_id) is m for v in views
            )
            for m in (Mode.HEAT, Mode.COOL)
        }
        return self._sup.plan(now, demand, sustain)

    def _head_plans(
        self,
        views: list[ZoneView],
        heads: Mapping[str, tuple[str, ClimateState]],
        plan: Plan,
        seen: _Seen,
        stays: Mapping[str, bool],
        touched: set[str],
        was_running: bool,
    ) -> list[HeadPlan]:
        """What each available head should do; heads changed on their remote are left alone."""
        serve = _served(plan)
        plans: list[HeadPlan] = []
        for view in views:
            zid = view.config.zone_id
            if zid not in heads:
                continue
            head, state = heads[zid]
            believed = seen.believed.get(zid)
            mode: Mode | None = None
            if serve is not None and (view.call is serve or (stays[zid] and believed is serve)):
                mode = serve
            elif (
                self._config.quiet_heads
                and serve is None
                and stays[zid]
                and believed is not None
                and plan.target is not opposite(believed)
            ):
                mode = believed  # on, idle: its own thermostat holds the room
            correction = 0.0
            if mode is not None and view.config.has_room_sensor:
                correction = head_offset(
                    view.config, view.temperature, state, self._config.head_offset_limit
                )
                if self._config.quiet_heads:
                    correction = self.corrections.value(zid, mode, correction)
                elif believed is not mode and (zid, mode) in self._running_offsets:
                    running = self._running_offsets[(zid, mode)]
                    more = max if mode is Mode.HEAT else min
                    correction = more(correction, running)
            hp = plan_head(view, head, state, mode, correction, toward=not self._config.quiet_heads)
            hp.leave = head in touched
            plans.append(hp)
        if plan.run and was_running and not any(hp.mode is not None for hp in plans):
            # Protection hold with no zone left to serve: keep what delivers, running.
            for hp in plans:
                if seen.delivering[hp.zone.config.zone_id] is not None:
                    hp.leave = True
        return plans

    def _hush(self, plans: list[HeadPlan], quiet: set[str], seen: _Seen, plan: Plan) -> set[str]:
        """Heads of zones in their quiet hours are left as they are (`leave`) unless
        `quiet_allows` a command; returns the zones whose command is held."""
        hushed: set[str] = set()
        for hp in plans:
            zid = hp.zone.config.zone_id
            if (
                zid in quiet
                and not hp.leave
                and needs_command(hp.state, hp.mode, hp.raw_setpoint, hp.setpoint)
                and not quiet_allows(
                    hp, seen.believed.get(zid), plan.target, self._config.tolerance
                )
            ):
                hp.leave = True
                hushed.add(zid)
        return hushed

    def _due(
        self, now: float, plans: list[HeadPlan], timers: list[float | None]
    ) -> tuple[list[HeadPlan], list[HeadPlan], set[str]]:
        """The heads to turn off and on now, and the zones whose command must wait (rate limit).

        The time a waiting command may go is added to `timers`.
        """
        offs: list[HeadPlan] = []
        ons: list[HeadPlan] = []
        rate_limited: set[str] = set()
        for hp in plans:
            if hp.leave or not needs_command(hp.state, hp.mode, hp.raw_setpoint, hp.setpoint):
                continue
            if self._answered(hp, now):
                continue
            if not self._log.ready(hp.entity_id, now):
                rate_limited.add(hp.zone.config.zone_id)
                timers.append(self._log.ready_at(hp.entity_id))
                continue
            (offs if hp.mode is None else ons).append(hp)
        return offs, ons, rate_limited

    def _answered(self, hp: HeadPlan, now: float) -> bool:
        """The head got this very command already and shows what it made of it: its mode, and
        a setpoint within its own rounding (`OWN_ROUNDING`; a head keeping whole degrees behind
        a 0.5 step shows 16 for 16.5). Sending it again would change nothing but beep."""
        command = hp.command()
        if self._log.last_climate(hp.entity_id) != command:
            return False
        if self._log.in_flight(hp.entity_id, now) is not None:
            return False  # not answered yet: `needs_command` waits for the rate limit anyway
        if hp.state.hvac_mode != command.hvac_mode:
            return False
        if command.target_temperature is None:
            return True
        shown = hp.state.target_temperature
        rounding = max(hp.state.target_temp_step, OWN_ROUNDING)
        return shown is not None and abs(shown - command.target_temperature) <= rounding + EPS

    def _accept(
        self,
        plan: Plan,
        offs: list[HeadPlan],
        ons: list[HeadPlan],
        seen: _Seen,
        was_running: bool,
    ) -> _Accepted:
        """The commands that may go out: never opposite modes, never an accidental stop."""
        serve = _served(plan)
        after = dict(seen.believed)
        for hp in offs:
            after[hp.zone.config.zone_id] = None
        # Every on is into the served mode: they all go, unless a head not among them stays in
        # the opposite mode after this step (rate-limited, unavailable); then none goes.
        conflict: set[str] = set()
        accepted_ons: list[HeadPlan] = []
        if serve is not None and ons:
            final = {**after, **{hp.zone.config.zone_id: serve for hp in ons}}
            # A head seen in the other mode and not commanded now blocks too, whatever it is
            # believed in (a command in flight to it may not have arrived).
            commanded = {hp.zone.config.zone_id for hp in (*offs, *ons)}
            shown = [
                head_mode(state.hvac_mode)
                for zid, state in seen.states.items()
                if state is not None and zid not in commanded
            ]
            if any(m is opposite(serve) for m in (*final.values(), *shown)):
                conflict.update(hp.zone.config.zone_id for hp in ons)
            else:
                after, accepted_ons = final, ons
        if (
            was_running
            and plan.run
            and not any(after_delivery(after, seen.delivering, seen.states))
        ):
            # Never stop by accident (an on was blocked, or has not started delivering yet, while
            # the last delivering head would go off).
            offs = [hp for hp in offs if seen.delivering[hp.zone.config.zone_id] is None]
            after = {**seen.believed, **{hp.zone.config.zone_id: serve for hp in accepted_ons}}
            for hp in offs:
                after[hp.zone.config.zone_id] = None
        return _Accepted(offs, accepted_ons, after, conflict)

    def _send(self, now: float, accepted: _Accepted) -> tuple[Command, ...]:
        """Record the accepted commands as sent (offs first); remember the offsets applied."""
        commands: list[Command] = []
        for hp in (*accepted.offs, *accepted.ons):
            commands.append(self._log.record(hp.command(), now))
            self._landed.discard(hp.entity_id)
            if hp.mode is not None:
                self._offsets[hp.entity_id] = hp.offset
        return tuple(commands)

    def _verdicts(
        self,
        views: list[ZoneView],
        heads: Mapping[str, tuple[str, ClimateState]],
        plan: Plan,
        accepted: _Accepted,
        rate_limited: set[str],
        hushed: set[str],
    ) -> dict[str, ZoneStatus]:
        """Each zone's verdict: conditioned only while its head is seen doing the zone's mode."""
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
            status = zone_status(
                view, conditioned, accepted.after.get(zid), plan, zid in rate_limited
            )
            if zid in accepted.conflict and status.waiting is not None:
                status = replace(status, waiting=WaitReason.MODE_CONFLICT)
            elif zid in hushed and status.waiting is not None:
                status = replace(status, waiting=WaitReason.QUIET_HOURS)
            zones[zid] = status
        return zones


def _served(plan: Plan) -> Mode | None:
    """The mode the plan serves in this step (None: the compressor stops or stays off)."""
    return plan.mode if plan.run else None
