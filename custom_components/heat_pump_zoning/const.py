"""Keys and defaults of Heat Pump Zoning, for the Home Assistant layer.

The keys of the config entry are defined here. The defaults of settings the engine uses are
defined by the engine (the decisions live there) and only named here, so forms, the coordinator
and the engine cannot disagree.
"""

from __future__ import annotations

from typing import Final

from . import engine

DOMAIN: Final = "heat_pump_zoning"
NAME: Final = "Heat Pump Zoning"

# entry.data
CONF_TOPOLOGY: Final = "topology"
TOPOLOGY_DUCTED: Final = engine.Topology.DUCTED.value
TOPOLOGY_MINI_SPLIT: Final = engine.Topology.MINI_SPLIT.value
TOPOLOGIES: Final = (TOPOLOGY_DUCTED, TOPOLOGY_MINI_SPLIT)

# entry.options (system settings)
CONF_SOURCE: Final = "source"
CONF_MIN_AIRFLOW_PERCENT: Final = "min_airflow_percent"
CONF_OUTDOOR_TEMPERATURE_SENSOR: Final = "outdoor_temperature_sensor"
CONF_POWER_SENSOR: Final = "power_sensor"
CONF_MIN_RUN_MINUTES: Final = "min_run_minutes"
CONF_MIN_OFF_MINUTES: Final = "min_off_minutes"
CONF_MODE_DWELL_MINUTES: Final = "mode_dwell_minutes"
CONF_TOLERANCE: Final = "tolerance"
CONF_HEAD_CONTROL: Final = "head_control"  # mini-split: "tight" (default) or "quiet"
HEAD_CONTROL_QUIET: Final = "quiet"
HEAD_CONTROL_TIGHT: Final = "tight"
HEAD_CONTROLS: Final = (HEAD_CONTROL_TIGHT, HEAD_CONTROL_QUIET)

DEFAULT_MIN_AIRFLOW_PERCENT: Final = engine.DEFAULT_MIN_AIRFLOW_PERCENT
MIN_AIRFLOW_PERCENT_RANGE: Final = (10.0, 100.0)
DEFAULT_MIN_RUN_MINUTES: Final = engine.DEFAULT_MIN_RUN_MINUTES
DEFAULT_MIN_OFF_MINUTES: Final = engine.DEFAULT_MIN_OFF_MINUTES
DEFAULT_MODE_DWELL_MINUTES: Final = engine.DEFAULT_MODE_DWELL_MINUTES

# Zone subentries
SUBENTRY_ZONE: Final = "zone"
CONF_NAME: Final = "name"
CONF_TEMPERATURE_SENSOR: Final = "temperature_sensor"
CONF_HUMIDITY_SENSOR: Final = "humidity_sensor"
CONF_DAMPERS: Final = "dampers"
CONF_AIRFLOW: Final = "airflow"
CONF_HEAD: Final = "head"
CONF_QUIET_START: Final = "quiet_start"  # mini-split: quiet hours ("HH:MM:SS", local time)
CONF_QUIET_END: Final = "quiet_end"
CONF_HEAD_OUTPUT_SENSOR: Final = "head_output_sensor"  # mini-split: head power (W/kW) or level (%)
CONF_PRIORITY: Final = "priority"
CONF_FLOOR_AREA: Final = "floor_area"
CONF_AREA: Final = "area"
CONF_PRESETS: Final = "presets"
CONF_BOOST_MINUTES: Final = "boost_minutes"
CONF_SCHEDULE: Final = "schedule"  # a `schedule` helper: on = comfort, off = setback
CONF_COMFORT_PRESET: Final = "comfort_preset"  # stored with a schedule only
CONF_SETBACK_PRESET: Final = "setback_preset"

DEFAULT_AIRFLOW: Final = engine.DEFAULT_AIRFLOW
DEFAULT_PRIORITY: Final = engine.DEFAULT_PRIORITY
PRIORITY_RANGE: Final = (0, 10)
DEFAULT_BOOST_MINUTES: Final = engine.DEFAULT_BOOST_MINUTES

# Presets (per-zone setpoints, in the system's temperature unit; defaults: engine.thermostat)
PRESET_HOME: Final = engine.PRESET_HOME
PRESET_BOOST: Final = engine.PRESET_BOOST
PRESET_NONE: Final = engine.PRESET_NONE
EDITABLE_PRESETS: Final = engine.EDITABLE_PRESETS
DEFAULT_COMFORT_PRESET: Final = engine.DEFAULT_COMFORT_PRESET
DEFAULT_SETBACK_PRESET: Final = engine.DEFAULT_SETBACK_PRESET

# Runtime ledger and report (entry.options, in the "report" section of the system forms)
CONF_REPORT: Final = "report"  # the form section; its keys are stored flat in entry.options
CONF_DEGREE_DAY_BASE: Final = "degree_day_base"
CONF_RETENTION_DAYS: Final = "retention_days"
CONF_RATED_HEATING_CAPACITY_KW: Final = "rated_heating_capacity_kw"
CONF_RATED_COOLING_CAPACITY_KW: Final = "rated_cooling_capacity_kw"
CONF_HSPF2: Final = "hspf2"
CONF_SEER2: Final = "seer2"
CONF_DUCT_LOCATION: Final = "duct_location"
CONF_DUCT_LEAKAGE: Final = "duct_leakage"
CONF_DUCT_TEMPERATURE_SENSOR: Final = "duct_temperature_sensor"
CONF_DUCT_R_VALUE: Final = "duct_r_value"

DEGREE_DAY_BASE_RANGE_C: Final = (0.0, 30.0)
DEFAULT_RETENTION_DAYS: Final = engine.DEFAULT_RETENTION_DAYS
RETENTION_DAYS_RANGE: Final = (30, 3650)
CAPACITY_KW_RANGE: Final = (0.5, 100.0)
DEFAULT_HSPF2: Final = engine.DEFAULT_HSPF2  # US federal minimum for split heat pumps since 2023
DEFAULT_SEER2: Final = engine.DEFAULT_SEER2
HSPF2_RANGE: Final = (4.0, 20.0)
SEER2_RANGE: Final = (8.0, 40.0)
DEFAULT_DUCT_LEAKAGE: Final = "typical"
DEFAULT_DUCT_R_VALUE: Final = engine.DEFAULT_DUCT_R_VALUE  # R-6, h·ft²·°F/Btu
DUCT_R_VALUE_RANGE: Final = (0.0, 30.0)

# Sensors and estimates
SENSOR_MIN_INTERVAL_SECONDS: Final = 60.0  # a sensor writes its state at most once a minute
ESTIMATE_INTERVAL_SECONDS: Final = 900.0  # savings and duct-loss estimates: every 15 minutes

# Actions
SERVICE_GET_REPORT: Final = "get_report"
SERVICE_EXPORT_LEDGER: Final = "export_ledger"
EXPORT_FOLDER: Final = "heat_pump_zoning"
