"""Keys and defaults of Heat Pump Zoning: the one place they are defined."""

from __future__ import annotations

from typing import Final

from .engine.report import duct_model

DOMAIN: Final = "heat_pump_zoning"
NAME: Final = "Heat Pump Zoning"

# entry.data
CONF_TOPOLOGY: Final = "topology"
TOPOLOGY_DUCTED: Final = "ducted"
TOPOLOGY_MINI_SPLIT: Final = "mini_split"
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

DEFAULT_MIN_AIRFLOW_PERCENT: Final = 40.0
MIN_AIRFLOW_PERCENT_RANGE: Final = (10.0, 100.0)
DEFAULT_MIN_RUN_MINUTES: Final = 5.0
DEFAULT_MIN_OFF_MINUTES: Final = 5.0
DEFAULT_TOLERANCE_C: Final = 0.5
DEFAULT_TOLERANCE_F: Final = 1.0

# Zone subentries
SUBENTRY_ZONE: Final = "zone"
CONF_NAME: Final = "name"
CONF_TEMPERATURE_SENSOR: Final = "temperature_sensor"
CONF_HUMIDITY_SENSOR: Final = "humidity_sensor"
CONF_DAMPERS: Final = "dampers"
CONF_AIRFLOW: Final = "airflow"
CONF_HEAD: Final = "head"
CONF_HEAD_OUTPUT_SENSOR: Final = "head_output_sensor"  # mini-split: head power (W/kW) or level (%)
CONF_PRIORITY: Final = "priority"
CONF_FLOOR_AREA: Final = "floor_area"
CONF_AREA: Final = "area"
CONF_PRESETS: Final = "presets"
CONF_BOOST_MINUTES: Final = "boost_minutes"

DEFAULT_AIRFLOW: Final = 100.0
DEFAULT_PRIORITY: Final = 0
PRIORITY_RANGE: Final = (0, 10)
DEFAULT_BOOST_MINUTES: Final = 60

# Presets (per-zone setpoints, in the system's temperature unit; defaults are in °C)
PRESET_HOME: Final = "home"
PRESET_AWAY: Final = "away"
PRESET_SLEEP: Final = "sleep"
PRESET_ECO: Final = "eco"
PRESET_BOOST: Final = "boost"
PRESET_NONE: Final = "none"
EDITABLE_PRESETS: Final = (PRESET_HOME, PRESET_AWAY, PRESET_SLEEP, PRESET_ECO)
# (heat setpoint, cool setpoint) per preset, °C.
DEFAULT_PRESET_SETPOINTS_C: Final[dict[str, tuple[float, float]]] = {
    PRESET_HOME: (21.0, 24.0),
    PRESET_AWAY: (16.0, 28.0),
    PRESET_SLEEP: (18.0, 25.0),
    PRESET_ECO: (19.0, 26.0),
}
# Boost pushes the target this many kelvin in the direction of the active mode.
BOOST_DELTA_K: Final = 2.0

# Engine timing defaults
DEFAULT_MODE_DWELL_MINUTES: Final = 20.0
COMMAND_INTERVAL_SECONDS: Final = 60.0

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

DEFAULT_DEGREE_DAY_BASE_C: Final = 18.0
DEFAULT_DEGREE_DAY_BASE_F: Final = 65.0
DEGREE_DAY_BASE_RANGE_C: Final = (0.0, 30.0)
DEFAULT_RETENTION_DAYS: Final = 400
RETENTION_DAYS_RANGE: Final = (30, 3650)
CAPACITY_KW_RANGE: Final = (0.5, 100.0)
DEFAULT_HSPF2: Final = 7.5  # US federal minimum for split heat pumps since 2023 (DOMAIN.md)
DEFAULT_SEER2: Final = 14.3
HSPF2_RANGE: Final = (4.0, 20.0)
SEER2_RANGE: Final = (8.0, 40.0)
DEFAULT_DUCT_LEAKAGE: Final = "typical"
DEFAULT_DUCT_R_VALUE: Final = duct_model.DEFAULT_DUCT_R_VALUE  # R-6, h·ft²·°F/Btu
DUCT_R_VALUE_RANGE: Final = (0.0, 30.0)

# Sensors and estimates
SENSOR_MIN_INTERVAL_SECONDS: Final = 60.0  # a sensor writes its state at most once a minute
ESTIMATE_INTERVAL_SECONDS: Final = 900.0  # savings and duct-loss estimates: every 15 minutes
ESTIMATE_WINDOW_DAYS: Final = 30

# Actions
SERVICE_GET_REPORT: Final = "get_report"
SERVICE_EXPORT_LEDGER: Final = "export_ledger"
EXPORT_FOLDER: Final = "heat_pump_zoning"
