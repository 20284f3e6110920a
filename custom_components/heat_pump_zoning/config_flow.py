"""Config flow: one entry per HVAC system, zones as subentries, options and reconfigure.

Forms only collect and reshape input; the rules live in `validation.py` so that the runtime
layer can apply the same checks. A rejected form is shown again with what the user typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlowWithReload,
    SubentryFlowResult,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    AreaSelector,
    EntityFilterSelectorConfig,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TimeSelector,
)
import voluptuous as vol

from .const import (
    CONF_AIRFLOW,
    CONF_AREA,
    CONF_BOOST_MINUTES,
    CONF_COMFORT_PRESET,
    CONF_DAMPERS,
    CONF_DEGREE_DAY_BASE,
    CONF_DUCT_LEAKAGE,
    CONF_DUCT_LOCATION,
    CONF_DUCT_R_VALUE,
    CONF_DUCT_TEMPERATURE_SENSOR,
    CONF_FLOOR_AREA,
    CONF_HEAD,
    CONF_HEAD_CONTROL,
    CONF_HEAD_OUTPUT_SENSOR,
    CONF_HSPF2,
    CONF_HUMIDITY_SENSOR,
    CONF_MIN_AIRFLOW_PERCENT,
    CONF_MIN_OFF_MINUTES,
    CONF_MIN_RUN_MINUTES,
    CONF_MODE_DWELL_MINUTES,
    CONF_NAME,
    CONF_OUTDOOR_TEMPERATURE_SENSOR,
    CONF_POWER_SENSOR,
    CONF_PRESETS,
    CONF_PRIORITY,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_RATED_COOLING_CAPACITY_KW,
    CONF_RATED_HEATING_CAPACITY_KW,
    CONF_REPORT,
    CONF_RETENTION_DAYS,
    CONF_SCHEDULE,
    CONF_SEER2,
    CONF_SETBACK_PRESET,
    CONF_SOURCE,
    CONF_TEMPERATURE_SENSOR,
    CONF_TOLERANCE,
    CONF_TOPOLOGY,
    DEFAULT_AIRFLOW,
    DEFAULT_BOOST_MINUTES,
    DEFAULT_COMFORT_PRESET,
    DEFAULT_DUCT_LEAKAGE,
    DEFAULT_DUCT_R_VALUE,
    DEFAULT_HSPF2,
    DEFAULT_MIN_AIRFLOW_PERCENT,
    DEFAULT_MIN_OFF_MINUTES,
    DEFAULT_MIN_RUN_MINUTES,
    DEFAULT_MODE_DWELL_MINUTES,
    DEFAULT_PRIORITY,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_SEER2,
    DEFAULT_SETBACK_PRESET,
    DOMAIN,
    EDITABLE_PRESETS,
    HEAD_CONTROL_TIGHT,
    HEAD_CONTROLS,
    PRIORITY_RANGE,
    SUBENTRY_ZONE,
    TOPOLOGIES,
    TOPOLOGY_DUCTED,
    TOPOLOGY_MINI_SPLIT,
)
from .engine import DUCT_LEAKAGE, DUCT_LOCATIONS
from .validation import (
    ERROR_NAME_REQUIRED,
    default_degree_day_base,
    default_preset_setpoints,
    default_tolerance,
    own_entities,
    temperature_unit,
    validate_system_options,
    validate_zone,
)

DEFAULT_SYSTEM_NAME = "Heat pump"
BOOST_MINUTES_RANGE = (5, 480)
# Optional fields: stored only when set.
_OPTIONAL_SYSTEM_KEYS = (CONF_OUTDOOR_TEMPERATURE_SENSOR, CONF_POWER_SENSOR)
_OPTIONAL_ZONE_KEYS = (
    CONF_TEMPERATURE_SENSOR,
    CONF_HEAD,
    CONF_HEAD_OUTPUT_SENSOR,
    CONF_QUIET_START,
    CONF_QUIET_END,
    CONF_HUMIDITY_SENSOR,
    CONF_AREA,
    CONF_SCHEDULE,
)
# The presets a schedule uses (in the presets section): stored with a schedule only.
_SCHEDULE_PRESET_DEFAULTS = {
    CONF_COMFORT_PRESET: DEFAULT_COMFORT_PRESET,
    CONF_SETBACK_PRESET: DEFAULT_SETBACK_PRESET,
}
# Settings of the runtime report: one collapsed form section, stored flat in `entry.options`.
_REPORT_NUMBER_KEYS = (
    CONF_DEGREE_DAY_BASE,
    CONF_RATED_HEATING_CAPACITY_KW,
    CONF_RATED_COOLING_CAPACITY_KW,
    CONF_HSPF2,
    CONF_SEER2,
    CONF_DUCT_R_VALUE,
)
_DUCT_KEYS = (CONF_DUCT_LOCATION, CONF_DUCT_LEAKAGE, CONF_DUCT_TEMPERATURE_SENSOR)
REPORT_KEYS = (*_REPORT_NUMBER_KEYS, CONF_RETENTION_DAYS, *_DUCT_KEYS)


def _entity_selector(
    hass: HomeAssistant, *filters: EntityFilterSelectorConfig, multiple: bool = False
) -> EntitySelector:
    """Pick entities matching any of `filters`, never one of this integration's own.

    Filters (not the legacy top-level `domain`) only narrow the picker: a wrong entity still
    reaches the step, where it gets a translated error on its field. The zone thermostats are
    left out: one chosen as equipment would be driven by the zoning it belongs to.
    """
    config = EntitySelectorConfig(filter=list(filters), multiple=multiple)
    if own := own_entities(hass):
        config["exclude_entities"] = own
    return EntitySelector(config)


def _number(
    *,
    step: float | Literal["any"] = 1,
    unit: str | None = None,
    low: float | None = None,
    high: float | None = None,
    slider: bool = False,
) -> NumberSelector:
    """Number box (or slider); bounds only where no translated range error exists."""
    config = NumberSelectorConfig(
        step=step,
        mode=NumberSelectorMode.SLIDER if slider else NumberSelectorMode.BOX,
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    if low is not None:
        config["min"] = low
    if high is not None:
        config["max"] = high
    return NumberSelector(config)


TEMPERATURE_SENSOR = EntityFilterSelectorConfig(domain="sensor", device_class="temperature")
CLIMATE = EntityFilterSelectorConfig(domain="climate")

USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_NAME, default=DEFAULT_SYSTEM_NAME): TextSelector(),
        vol.Required(CONF_TOPOLOGY, default=TOPOLOGY_DUCTED): SelectSelector(
            SelectSelectorConfig(
                options=list(TOPOLOGIES),
                mode=SelectSelectorMode.LIST,
                translation_key=CONF_TOPOLOGY,
            )
        ),
    }
)
NAME_SCHEMA = vol.Schema({vol.Required(CONF_NAME): TextSelector()})


def system_schema(hass: HomeAssistant, topology: str) -> vol.Schema:
    """Return the form for a system's settings (`entry.options`)."""
    fields: dict[vol.Marker, Any] = {}
    if topology == TOPOLOGY_DUCTED:
        fields[vol.Required(CONF_SOURCE)] = _entity_selector(hass, CLIMATE)
        fields[vol.Required(CONF_MIN_AIRFLOW_PERCENT, default=DEFAULT_MIN_AIRFLOW_PERCENT)] = (
            _number(unit="%")
        )
    fields[vol.Optional(CONF_OUTDOOR_TEMPERATURE_SENSOR)] = _entity_selector(
        hass, TEMPERATURE_SENSOR, EntityFilterSelectorConfig(domain="weather")
    )
    fields[vol.Optional(CONF_POWER_SENSOR)] = _entity_selector(
        hass, EntityFilterSelectorConfig(domain="sensor", device_class="power")
    )
    fields[vol.Required(CONF_MIN_RUN_MINUTES, default=DEFAULT_MIN_RUN_MINUTES)] = _number(
        unit="min"
    )
    fields[vol.Required(CONF_MIN_OFF_MINUTES, default=DEFAULT_MIN_OFF_MINUTES)] = _number(
        unit="min"
    )
    fields[vol.Required(CONF_MODE_DWELL_MINUTES, default=DEFAULT_MODE_DWELL_MINUTES)] = _number(
        unit="min"
    )
    fields[vol.Required(CONF_TOLERANCE, default=default_tolerance(hass))] = _number(
        step=0.1, unit=temperature_unit(hass)
    )
    if topology == TOPOLOGY_MINI_SPLIT:
        fields[vol.Required(CONF_HEAD_CONTROL, default=HEAD_CONTROL_TIGHT)] = SelectSelector(
            SelectSelectorConfig(
                options=list(HEAD_CONTROLS),
                mode=SelectSelectorMode.LIST,
                translation_key=CONF_HEAD_CONTROL,
            )
        )
    # No default on the section itself: the frontend would take that dict as the section's
    # values and show none of its fields' own defaults (nor the stored settings). Optional, so
    # that a flow driven through the API may leave the whole section to its defaults.
    fields[vol.Optional(CONF_REPORT)] = report_section(hass, topology)
    return vol.Schema(fields)


def _select(options: tuple[str, ...], translation_key: str) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(
            options=list(options),
            mode=SelectSelectorMode.DROPDOWN,
            translation_key=translation_key,
        )
    )


def report_section(hass: HomeAssistant, topology: str) -> section:
    """The collapsed "Runtime and efficiency report" section of the system forms."""
    unit = temperature_unit(hass)
    fields: dict[vol.Marker, Any] = {
        vol.Required(CONF_DEGREE_DAY_BASE, default=default_degree_day_base(hass)): _number(
            step=0.5, unit=unit
        ),
        vol.Required(CONF_RETENTION_DAYS, default=DEFAULT_RETENTION_DAYS): _number(unit="d"),
        vol.Optional(CONF_RATED_HEATING_CAPACITY_KW): _number(step="any", unit="kW"),
        vol.Optional(CONF_RATED_COOLING_CAPACITY_KW): _number(step="any", unit="kW"),
        vol.Required(CONF_HSPF2, default=DEFAULT_HSPF2): _number(step=0.1),
        vol.Required(CONF_SEER2, default=DEFAULT_SEER2): _number(step=0.1),
    }
    if topology == TOPOLOGY_DUCTED:
        fields[vol.Optional(CONF_DUCT_LOCATION)] = _select(DUCT_LOCATIONS, CONF_DUCT_LOCATION)
        fields[vol.Required(CONF_DUCT_LEAKAGE, default=DEFAULT_DUCT_LEAKAGE)] = _select(
            DUCT_LEAKAGE, CONF_DUCT_LEAKAGE
        )
        fields[vol.Required(CONF_DUCT_R_VALUE, default=DEFAULT_DUCT_R_VALUE)] = _number(step=0.5)
        fields[vol.Optional(CONF_DUCT_TEMPERATURE_SENSOR)] = _entity_selector(
            hass, TEMPERATURE_SENSOR
        )
    return section(vol.Schema(fields), {"collapsed": True})


def options_to_input(options: Mapping[str, Any]) -> dict[str, Any]:
    """Stored `entry.options` as form values (the report settings inside their section)."""
    values = {key: value for key, value in options.items() if key not in REPORT_KEYS}
    if report := {key: options[key] for key in REPORT_KEYS if key in options}:
        values[CONF_REPORT] = report
    return values


def form_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """Field errors for a system form: report settings are shown on their section."""
    return {CONF_REPORT if key in REPORT_KEYS else key: error for key, error in errors.items()}


def options_from_input(
    hass: HomeAssistant, topology: str, user_input: Mapping[str, Any]
) -> dict[str, Any]:
    """Reshape a system form into the stored `entry.options` (optional keys only when set).

    A form without its report section (possible through the flow API) gets the section's
    defaults, as the frontend would have sent them.
    """
    user_input = {
        **user_input,
        CONF_REPORT: report_section(hass, topology).schema(user_input.get(CONF_REPORT) or {}),
    }
    options: dict[str, Any] = {}
    if topology == TOPOLOGY_DUCTED:
        options[CONF_SOURCE] = user_input[CONF_SOURCE]
        options[CONF_MIN_AIRFLOW_PERCENT] = float(user_input[CONF_MIN_AIRFLOW_PERCENT])
    for key in _OPTIONAL_SYSTEM_KEYS:
        if user_input.get(key):
            options[key] = user_input[key]
    for key in (
        CONF_MIN_RUN_MINUTES,
        CONF_MIN_OFF_MINUTES,
        CONF_MODE_DWELL_MINUTES,
        CONF_TOLERANCE,
    ):
        options[key] = float(user_input[key])
    if topology == TOPOLOGY_MINI_SPLIT:
        options[CONF_HEAD_CONTROL] = user_input.get(CONF_HEAD_CONTROL, HEAD_CONTROL_TIGHT)
    report: Mapping[str, Any] = user_input.get(CONF_REPORT) or {}
    for key in (*_REPORT_NUMBER_KEYS, CONF_RETENTION_DAYS):
        if report.get(key) is not None:
            value = float(report[key])
            options[key] = int(value) if key == CONF_RETENTION_DAYS else value
    if topology == TOPOLOGY_DUCTED:
        for key in _DUCT_KEYS:
            if report.get(key):
                options[key] = report[key]
    return options


def zone_schema(hass: HomeAssistant, topology: str) -> vol.Schema:
    """Return the form for one zone of a system of `topology`."""
    unit = temperature_unit(hass)
    fields: dict[vol.Marker, Any] = {vol.Required(CONF_NAME): TextSelector()}
    if topology == TOPOLOGY_DUCTED:
        fields[vol.Required(CONF_TEMPERATURE_SENSOR)] = _entity_selector(hass, TEMPERATURE_SENSOR)
        fields[vol.Required(CONF_DAMPERS)] = _entity_selector(
            hass, EntityFilterSelectorConfig(domain=["cover", "valve", "switch"]), multiple=True
        )
        fields[vol.Required(CONF_AIRFLOW, default=DEFAULT_AIRFLOW)] = _number(step="any")
    else:
        fields[vol.Required(CONF_HEAD)] = _entity_selector(hass, CLIMATE)
        fields[vol.Optional(CONF_TEMPERATURE_SENSOR)] = _entity_selector(hass, TEMPERATURE_SENSOR)
        # Any sensor: power (W, kW) has a device class, an output level (%) usually none.
        fields[vol.Optional(CONF_HEAD_OUTPUT_SENSOR)] = _entity_selector(
            hass, EntityFilterSelectorConfig(domain="sensor")
        )
        fields[vol.Optional(CONF_QUIET_START)] = TimeSelector()
        fields[vol.Optional(CONF_QUIET_END)] = TimeSelector()
    fields[vol.Optional(CONF_HUMIDITY_SENSOR)] = _entity_selector(
        hass, EntityFilterSelectorConfig(domain="sensor", device_class="humidity")
    )
    fields[vol.Optional(CONF_AREA)] = AreaSelector()
    fields[vol.Required(CONF_PRIORITY, default=DEFAULT_PRIORITY)] = _number(
        low=PRIORITY_RANGE[0], high=PRIORITY_RANGE[1], slider=True
    )
    fields[vol.Optional(CONF_FLOOR_AREA)] = _number(step="any", unit="m²")
    fields[vol.Optional(CONF_SCHEDULE)] = _entity_selector(
        hass, EntityFilterSelectorConfig(domain="schedule")
    )
    preset_fields: dict[vol.Marker, Any] = {
        vol.Required(key, default=value): _select(EDITABLE_PRESETS, "preset")
        for key, value in _SCHEDULE_PRESET_DEFAULTS.items()
    }
    preset_fields |= {
        vol.Required(key, default=value): _number(step=0.5, unit=unit)
        for key, value in default_preset_setpoints(unit).items()
    }
    preset_fields[vol.Required(CONF_BOOST_MINUTES, default=DEFAULT_BOOST_MINUTES)] = _number(
        unit="min", low=BOOST_MINUTES_RANGE[0], high=BOOST_MINUTES_RANGE[1]
    )
    fields[vol.Required(CONF_PRESETS)] = section(vol.Schema(preset_fields), {"collapsed": True})
    return vol.Schema(fields)


def zone_from_input(topology: str, user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Reshape a zone form into the stored subentry `data` (optional keys only when set)."""
    zone: dict[str, Any] = {CONF_NAME: str(user_input[CONF_NAME]).strip()}
    for key in _OPTIONAL_ZONE_KEYS:
        if user_input.get(key):
            zone[key] = user_input[key]
    if topology == TOPOLOGY_DUCTED:
        zone[CONF_DAMPERS] = list(dict.fromkeys(user_input.get(CONF_DAMPERS, ())))
        zone[CONF_AIRFLOW] = float(user_input[CONF_AIRFLOW])
    zone[CONF_PRIORITY] = int(user_input[CONF_PRIORITY])
    if user_input.get(CONF_FLOOR_AREA) is not None:
        zone[CONF_FLOOR_AREA] = float(user_input[CONF_FLOOR_AREA])
    presets = dict(user_input[CONF_PRESETS])
    zone[CONF_BOOST_MINUTES] = int(presets.pop(CONF_BOOST_MINUTES))
    for key, default in _SCHEDULE_PRESET_DEFAULTS.items():
        chosen = presets.pop(key, default)
        if zone.get(CONF_SCHEDULE):
            zone[key] = chosen
    zone[CONF_PRESETS] = {key: float(value) for key, value in presets.items()}
    return zone


def zone_to_input(hass: HomeAssistant, zone: Mapping[str, Any]) -> dict[str, Any]:
    """Turn stored zone `data` back into form values (the presets section holds boost and the
    schedule's presets)."""
    section_keys = (CONF_BOOST_MINUTES, *_SCHEDULE_PRESET_DEFAULTS)
    values = {key: value for key, value in zone.items() if key not in section_keys}
    presets = default_preset_setpoints(temperature_unit(hass)) | dict(zone.get(CONF_PRESETS, {}))
    values[CONF_PRESETS] = (
        presets
        | {key: zone.get(key, default) for key, default in _SCHEDULE_PRESET_DEFAULTS.items()}
        | {CONF_BOOST_MINUTES: zone.get(CONF_BOOST_MINUTES, DEFAULT_BOOST_MINUTES)}
    )
    return values


def _check_name(user_input: Mapping[str, Any]) -> dict[str, str]:
    """Reject a blank system name."""
    return {} if str(user_input[CONF_NAME]).strip() else {CONF_NAME: ERROR_NAME_REQUIRED}


class HeatPumpZoningConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create one entry per HVAC system (one outdoor unit)."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with no name chosen."""
        self._name = DEFAULT_SYSTEM_NAME

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> HeatPumpZoningOptionsFlow:
        """Edit the system settings."""
        return HeatPumpZoningOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Zones are subentries."""
        return {SUBENTRY_ZONE: ZoneSubentryFlowHandler}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Name the system and choose its topology."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = _check_name(user_input)
            if not errors:
                self._name = str(user_input[CONF_NAME]).strip()
                if user_input[CONF_TOPOLOGY] == TOPOLOGY_DUCTED:
                    return await self.async_step_ducted()
                return await self.async_step_mini_split()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
            errors=errors,
        )

    async def async_step_ducted(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Settings of a ducted system (central unit, dampers)."""
        return self._async_step_system(TOPOLOGY_DUCTED, user_input)

    async def async_step_mini_split(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Settings of a mini-split system (one head per room)."""
        return self._async_step_system(TOPOLOGY_MINI_SPLIT, user_input)

    @callback
    def _async_step_system(
        self, topology: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Validate and create the entry, or show the form again."""
        errors: dict[str, str] = {}
        if user_input is not None:
            options = options_from_input(self.hass, topology, user_input)
            # A central unit that another system already drives is a field error
            # (`source_in_use`), so nothing typed is lost.
            errors = form_errors(validate_system_options(self.hass, topology, options))
            if not errors:
                return self.async_create_entry(
                    title=self._name, data={CONF_TOPOLOGY: topology}, options=options
                )
        return self.async_show_form(
            step_id=topology,
            data_schema=self.add_suggested_values_to_schema(
                system_schema(self.hass, topology), user_input
            ),
            errors=errors,
            description_placeholders={CONF_NAME: self._name},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the system and edit its settings (the topology stays)."""
        entry = self._get_reconfigure_entry()
        topology = entry.data[CONF_TOPOLOGY]
        errors: dict[str, str] = {}
        if user_input is not None:
            options = options_from_input(self.hass, topology, user_input)
            errors = _check_name(user_input) | form_errors(
                validate_system_options(self.hass, topology, options, entry_id=entry.entry_id)
            )
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, title=str(user_input[CONF_NAME]).strip(), options=options
                )
        schema = NAME_SCHEMA.extend(system_schema(self.hass, topology).schema)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                schema, user_input or {CONF_NAME: entry.title, **options_to_input(entry.options)}
            ),
            errors=errors,
        )


class HeatPumpZoningOptionsFlow(OptionsFlowWithReload):
    """Edit a system's settings; the entry reloads when they change."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and validate the system settings."""
        topology = self.config_entry.data[CONF_TOPOLOGY]
        errors: dict[str, str] = {}
        if user_input is not None:
            options = options_from_input(self.hass, topology, user_input)
            errors = form_errors(
                validate_system_options(
                    self.hass, topology, options, entry_id=self.config_entry.entry_id
                )
            )
            if not errors:
                return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                system_schema(self.hass, topology),
                user_input or options_to_input(self.config_entry.options),
            ),
            errors=errors,
        )


class ZoneSubentryFlowHandler(ConfigSubentryFlow):
    """Add or edit one zone (room) of a system.

    Each topology has its own form (`ducted`, `mini_split`, and `reconfigure_…` to edit), so
    that its fields, which ones are required, and their help texts fit the system's equipment.
    """

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a zone: the form of the system's topology."""
        return self._async_step_zone(user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Edit a zone, starting from its current settings."""
        return self._async_step_zone(user_input)

    async def async_step_ducted(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The zone form of a ducted system."""
        return self._async_step_zone(user_input)

    async def async_step_mini_split(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The zone form of a mini-split system."""
        return self._async_step_zone(user_input)

    async_step_reconfigure_ducted = async_step_ducted
    async_step_reconfigure_mini_split = async_step_mini_split

    @callback
    def _async_step_zone(self, user_input: dict[str, Any] | None) -> SubentryFlowResult:
        """Validate and store the zone, or show the form again."""
        entry = self._get_entry()
        topology = entry.data[CONF_TOPOLOGY]
        subentry = self._get_reconfigure_subentry() if self.source == SOURCE_RECONFIGURE else None
        errors: dict[str, str] = {}
        suggested: Mapping[str, Any] | None = None
        if user_input is not None:
            zone = zone_from_input(topology, user_input)
            errors = validate_zone(
                self.hass,
                entry,
                zone,
                subentry_id=subentry.subentry_id if subentry is not None else None,
            )
            if not errors:
                if subentry is None:
                    return self.async_create_entry(title=zone[CONF_NAME], data=zone)
                return self.async_update_and_abort(
                    entry, subentry, title=zone[CONF_NAME], data=zone
                )
            suggested = user_input
        elif subentry is not None:
            suggested = zone_to_input(self.hass, subentry.data)
        return self.async_show_form(
            step_id=topology if subentry is None else f"reconfigure_{topology}",
            data_schema=self.add_suggested_values_to_schema(
                zone_schema(self.hass, topology), suggested
            ),
            errors=errors,
            description_placeholders={"system": entry.title},
        )
