"""Data types shared by the engine: configuration, observations, decisions and commands.

Pure Python: no Home Assistant import. Every time is a POSIX timestamp in seconds (float) passed in
explicitly by the caller, so that every decision can be replayed and tested by moving a number.
Temperatures are in the system's unit (°C or °F); the engine never converts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final


class Topology(StrEnum):
    """How the zones of one system are served."""

    DUCTED = "ducted"
    MINI_SPLIT = "mini_split"


class Mode(StrEnum):
    """A conditioning mode the compressor can run in (what a zone calls for)."""

    HEAT = "heat"
    COOL = "cool"


class ZoneMode(StrEnum):
    """The mode a user chose for a zone (the zone thermostat's HVAC mode)."""

    OFF = "off"
    HEAT = "heat"
    COOL = "cool"
    HEAT_COOL = "heat_cool"


class ZoneAction(StrEnum):
    """What a zone is doing right now (the zone thermostat's HVAC action)."""

    OFF = "off"
    IDLE = "idle"
    HEATING = "heating"
    COOLING = "cooling"


class WaitReason(StrEnum):
    """Why a calling zone is not being conditioned."""

    MIN_OFF = "min_off"  # compressor protection: minimum off time not over
    MODE_CONFLICT = "mode_conflict"  # the system serves the opposite mode
    MODE_DWELL = "mode_dwell"  # the system waits before reversing
    RATE_LIMIT = "rate_limit"  # the head may not be commanded again yet
    EQUIPMENT = "equipment"  # equipment not (yet) doing what it was told
    AIRFLOW = "airflow"  # ducted: the minimum airflow is not seen open (dampers moving or faulty)
    DAMPER = "damper"  # ducted: the zone's dampers do not follow commands (stuck, see repairs)
    QUIET_HOURS = "quiet_hours"  # mini-split: the zone's quiet hours hold its head's command


# ---------------------------------------------------------------------------------------------
# Configuration (built once from the config entry and its zone subentries, see
# `control.config.system_config`). The defaults of the user's settings are defined here once; the
# forms and the README take them from here (through the integration's `const`).

DEFAULT_AIRFLOW: Final = 100.0  # design airflow of a zone's outlets, any consistent unit
DEFAULT_PRIORITY: Final = 0
DEFAULT_MIN_AIRFLOW_PERCENT: Final = 40.0
DEFAULT_MIN_RUN_MINUTES: Final = 5.0
DEFAULT_MIN_OFF_MINUTES: Final = 5.0
DEFAULT_MODE_DWELL_MINUTES: Final = 20.0
COMMAND_INTERVAL_SECONDS: Final = 60.0
DAMPER_MOVE_INTERVAL_SECONDS: Final = 300.0  # a damper's closings wait this long after a move
# Tuning constants, in kelvin (`control.config` scales them to the system's unit).
SOURCE_NUDGE_K: Final = 2.0
HEAD_OFFSET_LIMIT_K: Final = 3.0


@dataclass(frozen=True, slots=True)
class ZoneConfig:
    """One room."""

    zone_id: str
    name: str
    dampers: tuple[str, ...] = ()  # ducted: damper entity ids
    airflow: float = DEFAULT_AIRFLOW  # ducted: design airflow of the room's outlets (any unit)
    head: str | None = None  # mini-split: the head's climate entity id
    has_room_sensor: bool = True  # mini-split: False = use the head's own reading
    priority: int = DEFAULT_PRIORITY  # higher wins airflow and mode decisions
    floor_area: float | None = None  # m², for comparisons only


@dataclass(frozen=True, slots=True)
class SystemConfig:
    """One HVAC system: one source (air handler or outdoor unit) and its zones.

    The defaults are those of a °C system; `control.config.system_config` builds one for a unit.
    """

    topology: Topology
    zones: tuple[ZoneConfig, ...]
    source: str | None = None  # ducted: the central climate entity id
    min_airflow_percent: float = DEFAULT_MIN_AIRFLOW_PERCENT
    min_run: float = 60.0 * DEFAULT_MIN_RUN_MINUTES  # seconds
    min_off: float = 60.0 * DEFAULT_MIN_OFF_MINUTES  # seconds
    tolerance: float = 0.5  # call this far from the target (system unit), see demand.py
    mode_dwell: float = 60.0 * DEFAULT_MODE_DWELL_MINUTES  # seconds a mode is kept before reversing
    command_interval: float = COMMAND_INTERVAL_SECONDS  # between two commands to a climate entity
    max_starts_per_hour: int = 3  # compressor cycle-rate limit (0: none); Honeywell HP default 3
    source_nudge: float = SOURCE_NUDGE_K  # ducted: how far past its own reading the source is set
    damper_grace: float = 120.0  # ducted: seconds a damper gets to reach a commanded position
    damper_move_interval: float = DAMPER_MOVE_INTERVAL_SECONDS  # ducted: see control/airflow.py
    head_offset_limit: float = HEAD_OFFSET_LIMIT_K  # mini-split: largest head/room offset applied
    quiet_heads: bool = False  # mini-split: True: heads stay on ("quiet", see mini_split.py)


# ---------------------------------------------------------------------------------------------
# Observations (what the HA layer reads from states, translated; None = unknown/unavailable)


@dataclass(frozen=True, slots=True)
class ZoneSettings:
    """The user's intent for a zone, owned by the zone's climate entity."""

    hvac_mode: ZoneMode = ZoneMode.OFF
    target: float = 21.0  # single target in HEAT or COOL
    target_low: float = 20.0  # HEAT_COOL: heat below this
    target_high: float = 24.0  # HEAT_COOL: cool above this


@dataclass(frozen=True, slots=True)
class ClimateState:
    """A climate entity of another integration: the ducted source or a mini-split head."""

    available: bool = True
    hvac_mode: str | None = None  # "off", "heat", "cool", "heat_cool", "auto", "dry", "fan_only"
    hvac_action: str | None = None  # "heating", "cooling", "idle", "off", "fan", … or None
    current_temperature: float | None = None
    target_temperature: float | None = None
    min_temp: float = 7.0
    max_temp: float = 35.0
    target_temp_step: float = 0.5
    hvac_modes: tuple[str, ...] = ("off", "heat", "cool")
    fan_mode: str | None = None  # e.g. "auto", "low", "high", "3" (as the head reports it)
    fan_modes: tuple[str, ...] = ()  # the fan modes the head offers


class OutputKind(StrEnum):
    """What a mini-split head's output reading measures."""

    POWER = "power"  # electrical power of the head, W
    LEVEL = "level"  # output level, % of the head's own range (compressor or fan level)


@dataclass(frozen=True, slots=True)
class HeadOutput:
    """A reading of a head's output sensor: what the head's share of the outdoor unit is."""

    kind: OutputKind
    value: float  # W for POWER, % for LEVEL; checked by the engine before use


@dataclass(frozen=True, slots=True)
class DamperState:
    """A damper, vent or valve (cover/valve with a position, or an on/off switch)."""

    available: bool = True
    position: float | None = None  # 0 closed … 100 open; None = unknown
    positionable: bool = False  # False: only fully open or fully closed


@dataclass(frozen=True, slots=True)
class ZoneInput:
    """Everything observed about one zone."""

    settings: ZoneSettings
    temperature: float | None  # room sensor (or the head's reading); None = unavailable/garbage
    output: HeadOutput | None = None  # mini-split: the head output sensor (None: none or unusable)
    quiet: bool = False  # mini-split: the zone is in its quiet hours now (see control/heads.py)


@dataclass(frozen=True, slots=True)
class SystemObservation:
    """One snapshot of the system, taken at `now`."""

    zones: Mapping[str, ZoneInput]
    source: ClimateState | None = None  # ducted
    heads: Mapping[str, ClimateState] = field(default_factory=dict)  # mini-split, by entity id
    dampers: Mapping[str, DamperState] = field(default_factory=dict)  # ducted, by entity id


# ---------------------------------------------------------------------------------------------
# Decisions


@dataclass(frozen=True, slots=True)
class SetDamper:
    """Move a damper to a position (0–100; on/off dampers get only 0 or 100)."""

    entity_id: str
    position: float


@dataclass(frozen=True, slots=True)
class SetClimate:
    """Put a climate entity (source or head) into a mode, with a setpoint unless turning off."""

    entity_id: str
    hvac_mode: str  # "off", "heat" or "cool"
    target_temperature: float | None = None


Command = SetDamper | SetClimate


@dataclass(frozen=True, slots=True)
class ZoneStatus:
    """The engine's verdict on one zone."""

    available: bool
    action: ZoneAction
    calling: Mode | None = None  # the mode the zone asks for, if any
    waiting: WaitReason | None = None  # why a calling zone is not conditioned
    airflow_share: float = 0.0  # ducted: share (0–1) of the open design airflow it receives


@dataclass(frozen=True, slots=True)
class ControllerMemory:
    """What the controller must remember across a restart (persisted by the HA layer)."""

    active_mode: Mode | None = None
    mode_since: float | None = None
    running: bool = False
    last_start: float | None = None
    last_stop: float | None = None
    recent_starts: tuple[float, ...] = ()  # for the starts-per-hour limit
    # running: the unit has been seen delivering since the start (the minimum run counts from
    # that moment, see `protection.Protection.delivering`)
    seen_delivering: bool = True
    saved_at: float | None = None  # when it was stored (wall clock), see `clock.restore_memory`
    # mini-split: each head's learnt setpoint correction by "<zone id>:<mode>" (see `heads`)
    corrections: Mapping[str, float] = field(default_factory=dict)


class DamperStatus(StrEnum):
    """How a damper is doing (see `dampers`)."""

    IN_PLACE = "in_place"  # seen where it was last told (or never told anything)
    MOVING = "moving"  # commanded, not there yet, inside its grace time
    STUCK = "stuck"  # did not reach a commanded position in its grace time; counted where seen
    UNAVAILABLE = "unavailable"  # counts as closed
    UNKNOWN = "unknown"  # reports no position: counts as closed


@dataclass(frozen=True, slots=True)
class DamperHealth:
    """One damper as the engine judges it (for diagnostics and repairs)."""

    status: DamperStatus
    position: float | None  # observed
    target: float | None  # last commanded (None: never)
    commands: int  # commands sent for the current attempt
    for_s: float | None  # seconds in this status (stuck: since declared; None: unknown)
    retry_in_s: float | None  # stuck: seconds until the next retry (None: no more)


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one `Controller.step`."""

    zones: Mapping[str, ZoneStatus]
    commands: tuple[Command, ...]  # in the order they must be sent (opening dampers first)
    active_mode: Mode | None  # the mode the system serves now
    running: bool  # the compressor (source or outdoor unit) is commanded on
    adopted: Mapping[str, ZoneSettings] = field(default_factory=dict)  # remote changes to adopt
    next_check: float | None = None  # when a timer expires and step() should run again
    dampers: Mapping[str, DamperHealth] = field(default_factory=dict)  # ducted
