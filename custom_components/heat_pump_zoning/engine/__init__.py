"""The engine of Heat Pump Zoning: every decision, in pure Python (no Home Assistant import).

This module is its front door: the Home Assistant layer imports the engine from here only, and so
can the simulator's tools (`benchmarks/`), which load the engine as the top-level package `engine`
(see docs/ARCHITECTURE.md). Inside, four subpackages own what they are named after:

- `control`: deciding. `Controller.step(now, observation) -> Decision` for one system (ducted or
  mini-split), compressor protection, mode arbitration, airflow and dampers, heads; the zone
  thermostat's rules (modes, presets, boost, following a schedule); the controller's memory and
  its clock.
- `ledger`: booking. The runtime `Ledger` per local day and zone, the sample a decision gives
  (`system_sample`), energy and degree days, and what the sensors show (`sensor_figures`).
- `rooms`: a learned model of each room (`RoomModels`): how fast it warms, cools and drifts
  against the outdoor temperature, its balance point, and how long a recovery takes
  (`RoomModels.recovery_time`, what early start asks).
- `report`: reading history. The `get_report` response (`build_report`), the export rows, the
  zoning-savings and duct-loss estimates and the duct model.

`model` holds the types every part shares, `units` every rule that depends on °C or °F, and
`numbers` what counts as a number in another integration's state.
"""

from __future__ import annotations

from .control.clock import ControlClock, memory_to_wall
from .control.config import system_config
from .control.controller import Controller
from .control.heads import in_quiet_hours
from .control.memory import memory_from_dict, memory_to_dict
from .control.schedule import (
    COAST_CAP_S,
    DEFAULT_COMFORT_PRESET,
    DEFAULT_SETBACK_PRESET,
    EARLY_START_CAP_S,
    PERIOD_COMFORT,
    PERIOD_SETBACK,
    UNLEARNT_CAP_S,
    ScheduleHold,
    ScheduleState,
    ScheduleStep,
    coast,
    coast_at,
    coast_edges,
    coast_lead,
    coast_left,
    coasting,
    comfort_need,
    early_lead,
    early_start_at,
    follow_schedule,
    followed_state,
    hold_for,
    hold_over,
    preconditioning,
    scheduled_preset,
)
from .control.thermostat import (
    BOOST_DELTA_K,
    DEFAULT_BOOST_MINUTES,
    DEFAULT_PRESET_SETPOINTS_C,
    EDITABLE_PRESETS,
    PRESET_AWAY,
    PRESET_BOOST,
    PRESET_ECO,
    PRESET_HOME,
    PRESET_NONE,
    PRESET_SLEEP,
    Boost,
    apply_preset,
    boost_delta,
    default_presets,
    end_boost,
    equipment_entity,
    preset_setpoints,
    start_boost,
    turn_on_mode,
    with_mode,
    zone_modes,
)
from .ledger.days import LedgerDataError
from .ledger.degree_days import local_date
from .ledger.energy import DEFAULT_CAPACITY_W, DEFAULT_HSPF2, DEFAULT_SEER2, EnergyModel
from .ledger.figures import (
    ROLLING_WINDOWS,
    PerDegreeDay,
    SensorFigures,
    ZoneFigures,
    sensor_figures,
)
from .ledger.ledger import DEFAULT_RETENTION_DAYS, Ledger
from .ledger.samples import SystemSample, ZoneSample
from .ledger.sampling import system_sample
from .model import (
    COMMAND_INTERVAL_SECONDS,
    DEFAULT_AIRFLOW,
    DEFAULT_MIN_AIRFLOW_PERCENT,
    DEFAULT_MIN_OFF_MINUTES,
    DEFAULT_MIN_RUN_MINUTES,
    DEFAULT_MODE_DWELL_MINUTES,
    DEFAULT_PRIORITY,
    ClimateState,
    Command,
    ControllerMemory,
    DamperHealth,
    DamperState,
    DamperStatus,
    Decision,
    HeadOutput,
    Mode,
    OutputKind,
    SetClimate,
    SetDamper,
    SystemConfig,
    SystemObservation,
    Topology,
    WaitReason,
    ZoneAction,
    ZoneConfig,
    ZoneInput,
    ZoneMode,
    ZoneSettings,
    ZoneStatus,
)
from .numbers import finite, number_within, positive
from .report.build import PERIODS, SystemReportInput, build_report, resolve_period, system_estimates
from .report.duct_model import DEFAULT_DUCT_R_VALUE, duct_space_temperature
from .report.estimates import DUCT_LEAKAGE, DUCT_LOCATIONS, duct_prior
from .report.export import EXPORT_COLUMNS, export_rows
from .rooms.learning import Recovery, RoomModels, ZoneRates
from .units import (
    CELSIUS,
    FAHRENHEIT,
    ThermostatLimits,
    default_degree_day_base,
    default_tolerance,
    degrees,
    is_fahrenheit,
    setpoint_from_celsius,
    thermostat_limits,
)

__all__ = [
    "BOOST_DELTA_K",
    "CELSIUS",
    "COAST_CAP_S",
    "COMMAND_INTERVAL_SECONDS",
    "DEFAULT_AIRFLOW",
    "DEFAULT_BOOST_MINUTES",
    "DEFAULT_CAPACITY_W",
    "DEFAULT_COMFORT_PRESET",
    "DEFAULT_DUCT_R_VALUE",
    "DEFAULT_HSPF2",
    "DEFAULT_MIN_AIRFLOW_PERCENT",
    "DEFAULT_MIN_OFF_MINUTES",
    "DEFAULT_MIN_RUN_MINUTES",
    "DEFAULT_MODE_DWELL_MINUTES",
    "DEFAULT_PRESET_SETPOINTS_C",
    "DEFAULT_PRIORITY",
    "DEFAULT_RETENTION_DAYS",
    "DEFAULT_SEER2",
    "DEFAULT_SETBACK_PRESET",
    "DUCT_LEAKAGE",
    "DUCT_LOCATIONS",
    "EARLY_START_CAP_S",
    "EDITABLE_PRESETS",
    "EXPORT_COLUMNS",
    "FAHRENHEIT",
    "PERIODS",
    "PERIOD_COMFORT",
    "PERIOD_SETBACK",
    "PRESET_AWAY",
    "PRESET_BOOST",
    "PRESET_ECO",
    "PRESET_HOME",
    "PRESET_NONE",
    "PRESET_SLEEP",
    "ROLLING_WINDOWS",
    "UNLEARNT_CAP_S",
    "Boost",
    "ClimateState",
    "Command",
    "ControlClock",
    "Controller",
    "ControllerMemory",
    "DamperHealth",
    "DamperState",
    "DamperStatus",
    "Decision",
    "EnergyModel",
    "HeadOutput",
    "Ledger",
    "LedgerDataError",
    "Mode",
    "OutputKind",
    "PerDegreeDay",
    "Recovery",
    "RoomModels",
    "ScheduleHold",
    "ScheduleState",
    "ScheduleStep",
    "SensorFigures",
    "SetClimate",
    "SetDamper",
    "SystemConfig",
    "SystemObservation",
    "SystemReportInput",
    "SystemSample",
    "ThermostatLimits",
    "Topology",
    "WaitReason",
    "ZoneAction",
    "ZoneConfig",
    "ZoneFigures",
    "ZoneInput",
    "ZoneMode",
    "ZoneRates",
    "ZoneSample",
    "ZoneSettings",
    "ZoneStatus",
    "apply_preset",
    "boost_delta",
    "build_report",
    "coast",
    "coast_at",
    "coast_edges",
    "coast_lead",
    "coast_left",
    "coasting",
    "comfort_need",
    "default_degree_day_base",
    "default_presets",
    "default_tolerance",
    "degrees",
    "duct_prior",
    "duct_space_temperature",
    "early_lead",
    "early_start_at",
    "end_boost",
    "equipment_entity",
    "export_rows",
    "finite",
    "follow_schedule",
    "followed_state",
    "hold_for",
    "hold_over",
    "in_quiet_hours",
    "is_fahrenheit",
    "local_date",
    "memory_from_dict",
    "memory_to_dict",
    "memory_to_wall",
    "number_within",
    "positive",
    "preconditioning",
    "preset_setpoints",
    "resolve_period",
    "scheduled_preset",
    "sensor_figures",
    "setpoint_from_celsius",
    "start_boost",
    "system_config",
    "system_estimates",
    "system_sample",
    "thermostat_limits",
    "turn_on_mode",
    "with_mode",
    "zone_modes",
]
