"""Snapshots of every entity (registry entry and state) and of the diagnostics.

One ducted and one mini-split system, with fixed ids, a frozen clock and ten minutes of heating,
so that a change to any entity's name, unit, class, attributes or value, or to the diagnostics,
shows as a snapshot difference (`pytest --snapshot-update` writes the new ones, to be reviewed).

The same snapshots hold on both tested Home Assistant versions: `snapshot_entities` checks what
`snapshot_platform` checks, but snapshots the registry entry's fields that describe the entity
and the state as plain values. Home Assistant's own serialisation of registry entries and states
differs between the two versions (enum keys, new fields) where the entities do not.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from enum import Enum
from typing import Any
from unittest.mock import PropertyMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.diagnostics import async_get_config_entry_diagnostics
from custom_components.heat_pump_zoning.engine import ZoneMode, ZoneSettings

from .fakes import FakeClimate, FakeDampers, async_setup_fake_climates, set_temperature_sensor
from .helpers import async_move_time, async_set_zone

START = "2026-01-15 12:00:00+00:00"


def zone(subentry_id: str, title: str, **data: Any) -> ConfigSubentryDataWithId:
    """A zone subentry with a fixed id (the snapshots name it)."""
    return ConfigSubentryDataWithId(
        data={"name": title, **data},
        subentry_id=subentry_id,
        subentry_type="zone",
        title=title,
        unique_id=None,
    )


# What describes an entity in its registry entry (ids, times and bookkeeping left out).
REGISTRY_FIELDS = (
    "entity_id",
    "unique_id",
    "platform",
    "has_entity_name",
    "translation_key",
    "original_name",
    "original_icon",
    "device_class",
    "original_device_class",
    "unit_of_measurement",
    "entity_category",
    "capabilities",
    "supported_features",
    "options",
    "disabled_by",
    "hidden_by",
)


def plain(value: Any) -> Any:
    """`value` with enums as their values, sets as sorted lists and mapping keys as strings."""
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


async def snapshot_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    config_entry_id: str,
) -> None:
    """`snapshot_platform`'s checks, with version-independent snapshots (module docstring)."""
    entries = er.async_entries_for_config_entry(entity_registry, config_entry_id)
    assert entries
    assert len({entry.domain for entry in entries}) == 1, "one platform at a time"
    for entry in entries:
        assert entry.disabled_by is None, "every entity is enabled"
        described = {name: plain(getattr(entry, name)) for name in REGISTRY_FIELDS}
        assert described == snapshot(name=f"{entry.entity_id}-entry")
        state = hass.states.get(entry.entity_id)
        assert state, f"no state for {entry.entity_id}"
        shown = {"state": state.state, "attributes": plain(state.attributes)}
        assert shown == snapshot(name=f"{entry.entity_id}-state")


@pytest.fixture(autouse=True)
def all_entities_enabled() -> Generator[None]:
    """Diagnostic sensors that start disabled are snapshot too."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


async def async_systems(hass: HomeAssistant, platform: Platform) -> list[MockConfigEntry]:
    """A ducted system (two zones) and a mini-split (two heads), with only `platform` set up."""
    await async_setup_fake_climates(
        hass,
        FakeClimate("central", current=20.0, target=20.0),
        FakeClimate("bedroom_head", current=21.0, target=21.0),
        FakeClimate("study_head", current=20.0, target=21.0),
    )
    dampers = FakeDampers(hass)
    dampers.add("cover.living_damper", position=100)
    dampers.add("switch.office_damper", position=100)
    for sensor, value in (("living", 19.0), ("office", 20.0), ("bedroom", 19.5), ("outdoor", 2.0)):
        set_temperature_sensor(hass, f"sensor.{sensor}_temperature", value)
    ducted = MockConfigEntry(
        domain=DOMAIN,
        entry_id="main_floor_entry",
        title="Main floor",
        data={"topology": "ducted"},
        options={
            "source": "climate.central",
            "min_airflow_percent": 40,
            "min_run_minutes": 5,
            "min_off_minutes": 5,
            "tolerance": 0.5,
            "outdoor_temperature_sensor": "sensor.outdoor_temperature",
            "duct_location": "attic",
            "duct_leakage": "typical",
        },
        subentries_data=[
            zone(
                "living_zone",
                "Living",
                temperature_sensor="sensor.living_temperature",
                dampers=["cover.living_damper"],
                airflow=200,
                priority=1,
                floor_area=30,
            ),
            zone(
                "office_zone",
                "Office",
                temperature_sensor="sensor.office_temperature",
                dampers=["switch.office_damper"],
                airflow=100,
            ),
        ],
    )
    mini_split = MockConfigEntry(
        domain=DOMAIN,
        entry_id="upstairs_entry",
        title="Upstairs",
        data={"topology": "mini_split"},
        options={"min_run_minutes": 5, "min_off_minutes": 5, "tolerance": 0.5},
        subentries_data=[
            zone(
                "bedroom_zone",
                "Bedroom",
                head="climate.bedroom_head",
                temperature_sensor="sensor.bedroom_temperature",
            ),
            zone("study_zone", "Study", head="climate.study_head"),
        ],
    )
    with patch("custom_components.heat_pump_zoning.PLATFORMS", [platform]):
        for entry in (ducted, mini_split):
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    return [ducted, mini_split]


async def async_heat_a_while(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entries: list[MockConfigEntry]
) -> None:
    """Living and bedroom heat to 21 °C, the others are off; ten minutes pass.

    Without the climate platform, the zones' settings are handed to the coordinators as the
    zone thermostats would.
    """
    heat = ZoneSettings(ZoneMode.HEAT, 21.0, 20.0, 24.0)
    if hass.states.get("climate.living") is None:
        for entry in entries:
            for zone_id in entry.runtime_data.zones:
                settings = heat if zone_id in ("living_zone", "bedroom_zone") else ZoneSettings()
                entry.runtime_data.register_zone(zone_id, settings, lambda _settings: None)
    else:
        for entity_id in ("climate.living", "climate.bedroom"):
            await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=21.0)
    await async_move_time(hass, freezer, 600.0)


@pytest.mark.freeze_time(START)
@pytest.mark.parametrize("platform", [Platform.CLIMATE, Platform.SENSOR])
async def test_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    platform: Platform,
) -> None:
    """Every entity of each system, one platform at a time."""
    await hass.config.async_set_time_zone("America/New_York")
    entries = await async_systems(hass, platform)
    await async_heat_a_while(hass, freezer, entries)
    for entry in entries:
        await snapshot_entities(hass, entity_registry, snapshot, entry.entry_id)


@pytest.mark.freeze_time(START)
async def test_diagnostics(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, snapshot: SnapshotAssertion
) -> None:
    """The diagnostics of each system after ten minutes of heating."""
    await hass.config.async_set_time_zone("America/New_York")
    entries = await async_systems(hass, Platform.CLIMATE)
    await async_heat_a_while(hass, freezer, entries)
    for entry in entries:
        assert await async_get_config_entry_diagnostics(hass, entry) == snapshot(name=entry.title)
