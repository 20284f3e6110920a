"""Runtime sensors: entities, classes, values after running, daily reset, throttling, estimates."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest

from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.engine.ledger.energy import EnergyModel
from custom_components.heat_pump_zoning.engine.model import Mode
from custom_components.heat_pump_zoning.engine.report.duct_model import (
    Ducts,
    loss_range,
    mode_losses,
)

from .fakes import set_temperature_sensor
from .helpers import (
    async_ducted_house,
    async_ducted_house_with_ducts,
    async_mini_split_house,
    async_move_time,
    async_set_zone,
)

ZONE_ENABLED = {
    "runtime_today": ("duration", "total_increasing", "min"),
    "conditioned_time_today": ("duration", "total_increasing", "min"),
    "energy": ("energy", "total_increasing", "kWh"),
    "share_of_system_runtime_today": (None, "measurement", "%"),
    "heating_runtime_per_degree_day_7_days": (None, "measurement", "min/°C·d"),
    "cooling_runtime_per_degree_day_7_days": (None, "measurement", "min/°C·d"),
    "heating_energy_per_degree_day_7_days": (None, "measurement", "kWh/°C·d"),
    "cooling_energy_per_degree_day_7_days": (None, "measurement", "kWh/°C·d"),
}
ZONE_DISABLED = {
    "calling_time_today",
    "waiting_time_today",
    "heating_runtime_per_degree_day_30_days",
    "cooling_runtime_per_degree_day_30_days",
    "heating_energy_per_degree_day_30_days",
    "cooling_energy_per_degree_day_30_days",
}
SYSTEM_ENABLED = {
    "compressor_runtime_today": ("duration", "total_increasing", "min"),
    "compressor_heating_today": ("duration", "total_increasing", "min"),
    "compressor_cooling_today": ("duration", "total_increasing", "min"),
    "cycles_today": (None, "total_increasing", None),
    "average_cycle_length_today": ("duration", "measurement", "min"),
    "duty_cycle_today": (None, "measurement", "%"),
    "energy": ("energy", "total_increasing", "kWh"),
    "heating_degree_days_today": (None, "total_increasing", "°C·d"),
    "cooling_degree_days_today": (None, "total_increasing", "°C·d"),
    "estimated_duct_loss": (None, "measurement", "%"),
    "estimated_zoning_savings": (None, "measurement", "%"),
}
SYSTEM_DISABLED = {"blower_runtime_today", "short_cycles_today"}


@pytest.fixture
def enable_all() -> Generator[None]:
    """Every sensor enabled, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


def value(hass: HomeAssistant, entity_id: str) -> float | None:
    """A sensor's numeric state (None when unknown)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return None if state.state in ("unknown", "unavailable") else float(state.state)


async def heat_living(hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float) -> None:
    """All rooms in heat; living is cold: the unit runs for `minutes` after its 5-minute wait."""
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    await async_move_time(hass, freezer, 300 + 60 * minutes)


async def test_entities_classes_and_defaults(hass: HomeAssistant) -> None:
    """Each zone and the system get their sensors, with classes, units and enabled defaults."""
    house = await async_ducted_house(hass)
    registry = er.async_get(hass)
    entries = er.async_entries_for_config_entry(registry, house.entry.entry_id)
    sensors = {e.entity_id: e for e in entries if e.domain == "sensor"}
    living_id = next(sid for sid, sub in house.entry.subentries.items() if sub.title == "Living")
    for key, (device_class, state_class, unit) in ZONE_ENABLED.items():
        entry = sensors[f"sensor.living_{key}"]
        assert entry.disabled_by is None, key
        assert entry.config_subentry_id == living_id
        state = hass.states.get(f"sensor.living_{key}")
        assert state is not None
        assert state.attributes.get("device_class") == device_class, key
        assert state.attributes.get("state_class") == state_class, key
        assert state.attributes.get("unit_of_measurement") == unit, key
    for key in ZONE_DISABLED:
        assert sensors[f"sensor.living_{key}"].disabled_by is er.RegistryEntryDisabler.INTEGRATION
    for key, (device_class, state_class, unit) in SYSTEM_ENABLED.items():
        entry = sensors[f"sensor.main_floor_{key}"]
        assert entry.disabled_by is None, key
        assert entry.config_subentry_id is None
        state = hass.states.get(f"sensor.main_floor_{key}")
        assert state is not None
        assert state.attributes.get("device_class") == device_class, key
        assert state.attributes.get("state_class") == state_class, key
        assert state.attributes.get("unit_of_measurement") == unit, key
    for key in SYSTEM_DISABLED:
        entry = sensors[f"sensor.main_floor_{key}"]
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert entry.entity_category is er.EntityCategory.DIAGNOSTIC
    assert (
        sensors["sensor.living_calling_time_today"].entity_category is er.EntityCategory.DIAGNOSTIC
    )
    # Translated names, on the right devices.
    assert sensors["sensor.living_runtime_today"].translation_key == "runtime_today"
    assert sensors["sensor.main_floor_energy"].translation_key == "system_energy"
    system_device = sensors["sensor.main_floor_energy"].device_id
    assert system_device != sensors["sensor.living_energy"].device_id
    assert sensors["sensor.main_floor_cycles_today"].device_id == system_device


async def test_mini_split_has_no_duct_loss_and_fahrenheit_units(hass: HomeAssistant) -> None:
    """A mini-split system has no duct-loss sensor; units follow the system's unit."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await async_mini_split_house(hass)
    assert hass.states.get("sensor.upstairs_estimated_duct_loss") is None
    assert hass.states.get("sensor.upstairs_estimated_zoning_savings") is not None
    state = hass.states.get("sensor.study_heating_runtime_per_degree_day_7_days")
    assert state is not None
    assert state.attributes["unit_of_measurement"] == "min/°F·d"
    state = hass.states.get("sensor.upstairs_heating_degree_days_today")
    assert state is not None
    assert state.attributes["unit_of_measurement"] == "°F·d"


@pytest.mark.usefixtures("enable_all")
async def test_values_after_heating_one_room(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Living calls heat: it waits 5 min (min off), then gets all 20 min of runtime."""
    await async_ducted_house(hass)
    await heat_living(hass, freezer, 20)
    assert value(hass, "sensor.living_runtime_today") == pytest.approx(20, abs=1)
    assert value(hass, "sensor.living_conditioned_time_today") == pytest.approx(20, abs=1)
    assert value(hass, "sensor.living_calling_time_today") == pytest.approx(25, abs=1)
    assert value(hass, "sensor.living_waiting_time_today") == pytest.approx(5, abs=1)
    assert value(hass, "sensor.living_share_of_system_runtime_today") == 100
    assert value(hass, "sensor.bedroom_runtime_today") == 0
    assert value(hass, "sensor.bedroom_share_of_system_runtime_today") == 0
    assert value(hass, "sensor.main_floor_compressor_runtime_today") == pytest.approx(20, abs=1)
    assert value(hass, "sensor.main_floor_compressor_heating_today") == pytest.approx(20, abs=1)
    assert value(hass, "sensor.main_floor_compressor_cooling_today") == 0
    assert value(hass, "sensor.main_floor_blower_runtime_today") == pytest.approx(20, abs=1)
    assert value(hass, "sensor.main_floor_cycles_today") == 1
    assert value(hass, "sensor.main_floor_short_cycles_today") == 0
    assert value(hass, "sensor.main_floor_average_cycle_length_today") is None  # still running
    duty = value(hass, "sensor.main_floor_duty_cycle_today")
    assert duty is not None
    assert 70 < duty < 90
    energy = value(hass, "sensor.main_floor_energy")
    assert energy is not None
    assert energy > 0
    assert value(hass, "sensor.living_energy") == pytest.approx(energy, rel=1e-3)
    state = hass.states.get("sensor.main_floor_energy")
    assert state is not None
    assert state.attributes["method"] == "estimated"
    # No outdoor sensor: no degree days, so nothing per degree day.
    assert value(hass, "sensor.main_floor_heating_degree_days_today") == 0
    assert value(hass, "sensor.living_heating_runtime_per_degree_day_7_days") is None

    # The room warms; the cycle ends and gets a length.
    set_temperature_sensor(hass, "sensor.living_temperature", 22.5)
    await async_move_time(hass, freezer, 180)
    assert value(hass, "sensor.main_floor_average_cycle_length_today") == pytest.approx(20, abs=1)


async def test_runtime_split_by_airflow(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Living (airflow 200) and bedroom (100) call together: runtime splits 2:1."""
    await async_ducted_house(hass)
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    await async_set_zone(hass, "climate.bedroom", temperature=22.0)
    await async_move_time(hass, freezer, 300 + 30 * 60)
    living = value(hass, "sensor.living_runtime_today")
    bedroom = value(hass, "sensor.bedroom_runtime_today")
    system = value(hass, "sensor.main_floor_compressor_runtime_today")
    assert living is not None
    assert bedroom is not None
    assert system == pytest.approx(30, abs=1)
    assert living + bedroom == pytest.approx(system, abs=0.1)
    assert living / bedroom == pytest.approx(2.0, rel=0.02)
    assert value(hass, "sensor.living_share_of_system_runtime_today") == pytest.approx(66.7, 0.1)
    assert value(hass, "sensor.office_runtime_today") == 0


async def test_measured_power_and_degree_days(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A power sensor gives measured energy; an outdoor sensor gives degree days and ratios."""
    # Midday: the two hours stay inside one local day whenever the tests run.
    freezer.move_to(datetime(2026, 1, 15, 12, 0, tzinfo=dt_util.get_default_time_zone()))
    hass.states.async_set(
        "sensor.heat_pump_power", "2000", {"device_class": "power", "unit_of_measurement": "W"}
    )
    set_temperature_sensor(hass, "sensor.outdoor", 0.0)
    await async_ducted_house(
        hass,
        options={
            "power_sensor": "sensor.heat_pump_power",
            "outdoor_temperature_sensor": "sensor.outdoor",
        },
    )
    await heat_living(hass, freezer, 115)
    # 2 h at 0 °C on an 18 °C base: 18 x 2/24 = 1.5 heating degree days.
    assert value(hass, "sensor.main_floor_heating_degree_days_today") == pytest.approx(1.5, 0.02)
    assert value(hass, "sensor.main_floor_cooling_degree_days_today") == 0
    state = hass.states.get("sensor.main_floor_energy")
    assert state is not None
    assert state.attributes["method"] == "measured"
    # 2 kW for 115 min (the reading holds while idle too: standby is booked on the system).
    assert float(state.state) == pytest.approx(2.0 * 120 / 60, rel=0.02)
    assert value(hass, "sensor.living_energy") == pytest.approx(2.0 * 115 / 60, rel=0.02)
    per_hdd = value(hass, "sensor.living_heating_runtime_per_degree_day_7_days")
    assert per_hdd == pytest.approx(115 / 1.5, rel=0.03)
    kwh_per_hdd = value(hass, "sensor.living_heating_energy_per_degree_day_7_days")
    assert kwh_per_hdd == pytest.approx(2.0 * 115 / 60 / 1.5, rel=0.03)
    assert value(hass, "sensor.living_cooling_runtime_per_degree_day_7_days") is None


async def test_daily_figures_reset_at_local_midnight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Runtime today restarts at local midnight; lifetime energy keeps growing."""
    tz = dt_util.get_default_time_zone()
    freezer.move_to(datetime(2026, 1, 15, 23, 20, tzinfo=tz))
    await async_ducted_house(hass)
    await heat_living(hass, freezer, 30)  # runs from 23:25 to 23:55
    before = value(hass, "sensor.living_runtime_today")
    energy_before = value(hass, "sensor.living_energy")
    assert before == pytest.approx(30, abs=1)
    await async_move_time(hass, freezer, 10 * 60)  # 00:05 the next day
    assert dt_util.now().day == 16
    after = value(hass, "sensor.living_runtime_today")
    assert after is not None
    assert after == pytest.approx(5, abs=1.1)
    assert value(hass, "sensor.main_floor_cycles_today") == 0  # the cycle started yesterday
    energy_after = value(hass, "sensor.living_energy")
    assert energy_before is not None
    assert energy_after is not None
    assert energy_after > energy_before


async def test_sensor_writes_at_most_once_a_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Busy state changes decide often, but a sensor's state is written once a minute at most."""
    await async_ducted_house(hass)
    writes: list[datetime] = []

    def _count(event: Event[Any]) -> None:
        if event.data["entity_id"] == "sensor.living_runtime_today":
            writes.append(dt_util.utcnow())

    hass.bus.async_listen(EVENT_STATE_CHANGED, _count)
    await heat_living(hass, freezer, 1)
    start = len(writes)
    for step in range(120):  # 20 minutes, a temperature reading every 10 seconds
        set_temperature_sensor(hass, "sensor.living_temperature", 20.0 - (step % 2) * 0.01)
        await async_move_time(hass, freezer, 10, step=10)
    await hass.async_block_till_done()  # the last saves finish before Home Assistant stops
    new = writes[start:]
    assert 15 <= len(new) <= 21
    gaps = [(b - a).total_seconds() for a, b in pairwise(new)]
    assert min(gaps) >= 60


async def test_estimates_say_insufficient_then_use_the_duct_prior(hass: HomeAssistant) -> None:
    """With little data the estimates stay unknown; a duct location gives a low-confidence prior."""
    await async_ducted_house(hass)
    state = hass.states.get("sensor.main_floor_estimated_zoning_savings")
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes["confidence"] == "insufficient"
    assert state.attributes["method"] == "comfort_gap_regression"
    state = hass.states.get("sensor.main_floor_estimated_duct_loss")
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes["confidence"] == "insufficient"

    entry = hass.config_entries.async_entries(DOMAIN)[0]
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "duct_location": "attic", "duct_leakage": "leaky"}
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("sensor.main_floor_estimated_duct_loss")
    assert state is not None
    assert float(state.state) == pytest.approx(35.0)
    assert state.attributes["confidence"] == "low"
    assert state.attributes["method"] == "duct_prior"


async def test_mini_split_runtime_goes_to_the_running_head(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A mini-split zone's runtime is the outdoor unit's while its head delivers."""
    house = await async_mini_split_house(hass)
    await async_set_zone(hass, "climate.study", hvac_mode="heat", temperature=23.0)
    await async_set_zone(hass, "climate.bedroom_2", hvac_mode="off")
    await async_move_time(hass, freezer, 20 * 60)
    assert house.study.hvac_action == "heating"
    study = value(hass, "sensor.study_runtime_today")
    assert study is not None
    assert study > 10
    assert value(hass, "sensor.bedroom_2_runtime_today") == 0
    assert value(hass, "sensor.upstairs_compressor_runtime_today") == pytest.approx(study, abs=0.1)
    assert value(hass, "sensor.study_share_of_system_runtime_today") == 100


@pytest.mark.parametrize(
    ("location", "sensor", "space"),
    [
        ("crawlspace", True, 5.0),  # the duct-space sensor's reading
        ("attic", False, 0.0),  # no sensor: an attic is taken at the outdoor temperature
        ("crawlspace", False, None),  # no sensor: a crawlspace cannot be guessed
    ],
)
async def test_duct_space_temperature_feeds_the_duct_model(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    location: str,
    sensor: bool,
    space: float | None,
) -> None:
    """While the unit runs the ledger keeps ∫(return - duct space) dt for the duct-loss model."""
    house = await async_ducted_house_with_ducts(hass, location=location, duct_sensor=sensor)
    await heat_living(hass, freezer, 60)
    ledger = house.entry.runtime_data.ledger
    system = ledger.days(dt_util.now().date(), dt_util.now().date())[0].system
    runtime = system.runtime_s["heat"]
    assert runtime == pytest.approx(3600.0, abs=120.0)
    if space is None:
        assert system.duct_s == {}
        return
    assert system.duct_s["heat"] == pytest.approx(runtime)
    # Air returns from the rooms that receive it, all at 20 °C here.
    assert system.duct_dt_ks["heat"] == pytest.approx((20.0 - space) * runtime)
    assert system.duct_outdoor_ks.get("heat", 0.0) == 0.0  # zeros are not stored


async def test_duct_loss_sensor_shows_the_duct_model(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Three days of heating with a crawlspace sensor: the ASHRAE 152 figure, medium confidence."""
    house = await async_ducted_house_with_ducts(hass, zone_data={"floor_area": 20.0})
    await heat_living(hass, freezer, 60)
    state = hass.states.get("sensor.main_floor_estimated_duct_loss")
    assert state is not None
    assert state.attributes["method"] == "duct_prior"  # an hour: too little data to model
    await async_move_time(hass, freezer, 3 * 86400, step=900)

    ledger = house.entry.runtime_data.ledger
    days = ledger.days(dt_util.now().date() - timedelta(days=29), dt_util.now().date())
    losses = mode_losses(Ducts(floor_area_m2=60.0), days, EnergyModel(), "°C")
    assert losses[Mode.HEAT].hours > 70.0  # the living room never warms up: it runs throughout
    state = hass.states.get("sensor.main_floor_estimated_duct_loss")
    assert state is not None
    found = loss_range(losses, Ducts(floor_area_m2=60.0))
    assert found is not None
    # The steady equations' figure, plus typical return leaks and the ducts' heat at its one
    # start, within an interval narrower than the figure: shown.
    assert float(state.state) == pytest.approx(100.0 * found.value, abs=0.05)
    assert state.attributes["steady"] == pytest.approx(100.0 * losses[Mode.HEAT].share, abs=0.05)
    assert state.attributes["low"] == pytest.approx(100.0 * found.low, abs=0.05)
    assert state.attributes["high"] == pytest.approx(100.0 * found.high, abs=0.05)
    assert state.attributes["method"] == "ashrae152_delivery_effectiveness"
    assert state.attributes["confidence"] == "medium"
    assert state.attributes["prior"] == 0.2
    assert "typical figures, not measured" in state.attributes["notes"][0]
    assert "ductless_reference" in state.attributes  # None: this home has no ductless rooms
    # Three days: too few to learn what a degree costs, so the savings are the prior range.
    savings = hass.states.get("sensor.main_floor_estimated_zoning_savings")
    assert savings is not None
    assert savings.state == "unknown"
    assert (savings.attributes["low"], savings.attributes["high"]) == (2.5, 20.0)
    assert savings.attributes["confidence"] == "low"
    assert savings.attributes["days_to_narrow"] is None
    # The ENERGY STAR method beside it needs a week of days in one mode.
    assert savings.attributes["energy_star"]["confidence"] == "insufficient"
    assert savings.attributes["energy_star"]["runtime_saved"] is None


async def test_a_system_is_alone_in_its_house_until_another_is_loaded(hass: HomeAssistant) -> None:
    """The zoning savings count another system's rooms only where there is one: a system is
    alone while no other Heat Pump Zoning system is loaded."""
    ducted = await async_ducted_house(hass)
    assert ducted.entry.runtime_data.report_input().alone
    mini = await async_mini_split_house(hass)
    assert not ducted.entry.runtime_data.report_input().alone
    assert not mini.entry.runtime_data.report_input().alone
    assert await hass.config_entries.async_unload(mini.entry.entry_id)
    await hass.async_block_till_done()
    assert ducted.entry.runtime_data.report_input().alone
