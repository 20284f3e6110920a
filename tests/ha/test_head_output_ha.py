"""Mini-split attribution in Home Assistant: head output sensors, fan speeds, unusable readings."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest

from .helpers import MiniSplitHouse, async_mini_split_house, async_move_time, async_set_zone

BEDROOM_POWER = "sensor.bedroom_2_head_power"
STUDY_LEVEL = "sensor.study_head_level"


def runtimes(house: MiniSplitHouse) -> tuple[float, float, float]:
    """(bedroom 2, study, outdoor unit) runtime booked so far, minutes (the ledger, exactly)."""
    entry = house.entry
    ledger = entry.runtime_data.ledger
    ledger.flush(dt_util.utcnow().timestamp())
    zones = {sub.title: sub_id for sub_id, sub in entry.subentries.items()}
    return (
        ledger.zone_lifetime(zones["Bedroom 2"])["runtime_s"] / 60.0,
        ledger.zone_lifetime(zones["Study"])["runtime_s"] / 60.0,
        ledger.lifetime()["runtime_s"] / 60.0,
    )


def power(hass: HomeAssistant, entity_id: str, value: str, unit: str = "W") -> None:
    hass.states.async_set(entity_id, value, {"device_class": "power", "unit_of_measurement": unit})


async def both_heads_heating(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, house: MiniSplitHouse
) -> None:
    """Both rooms call for heat and both heads run."""
    await async_set_zone(hass, "climate.bedroom_2", hvac_mode="heat", temperature=21.0)
    await async_set_zone(hass, "climate.study", hvac_mode="heat", temperature=23.0)
    await async_move_time(hass, freezer, 6 * 60)
    assert house.bedroom.hvac_action == "heating"
    assert house.study.hvac_action == "heating"


async def test_runtime_split_by_head_power(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Heads drawing 0.9 kW and 300 W share the outdoor unit 3:1; zones add up to the unit."""
    power(hass, BEDROOM_POWER, "0.9", "kW")
    power(hass, "sensor.study_head_power", "300")
    house = await async_mini_split_house(
        hass, head_outputs=(BEDROOM_POWER, "sensor.study_head_power")
    )
    await both_heads_heating(hass, freezer, house)
    before = runtimes(house)
    await async_move_time(hass, freezer, 40 * 60)
    after = runtimes(house)
    bedroom, study, unit = (b - a for a, b in zip(before, after, strict=True))
    assert unit == pytest.approx(40, abs=1)
    assert bedroom / study == pytest.approx(3.0, rel=0.01)
    assert after[0] + after[1] == pytest.approx(after[2], abs=0.01)


@pytest.mark.parametrize("bad", ["unavailable", "unknown", "n/a", "-200", "5e9", "nan"])
async def test_unusable_reading_falls_back_to_equal_shares(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, bad: str
) -> None:
    """While one head's reading is unusable the heads share equally; it never crashes or goes
    negative, and shares come back when the reading does."""
    power(hass, BEDROOM_POWER, "900")
    hass.states.async_set(STUDY_LEVEL, "30", {"unit_of_measurement": "%"})
    house = await async_mini_split_house(hass, head_outputs=(BEDROOM_POWER, STUDY_LEVEL))
    await both_heads_heating(hass, freezer, house)
    # W on one head and % on the other cannot be compared: equal shares.
    start = runtimes(house)
    await async_move_time(hass, freezer, 20 * 60)
    mixed = runtimes(house)
    assert mixed[0] - start[0] == pytest.approx(mixed[1] - start[1], rel=0.01)

    hass.states.async_set(STUDY_LEVEL, "60", {"unit_of_measurement": "%"})
    hass.states.async_set(BEDROOM_POWER, "20", {"unit_of_measurement": "%"})
    await hass.async_block_till_done()  # the change is booked when it happens
    await async_move_time(hass, freezer, 20 * 60)
    levels = runtimes(house)
    bedroom, study = levels[0] - mixed[0], levels[1] - mixed[1]
    assert study / bedroom == pytest.approx(3.0, rel=0.01)  # 60 % against 20 %

    hass.states.async_set(BEDROOM_POWER, bad, {"unit_of_measurement": "%"})
    await hass.async_block_till_done()
    await async_move_time(hass, freezer, 20 * 60)
    fallback = runtimes(house)
    bedroom, study = fallback[0] - levels[0], fallback[1] - levels[1]
    assert bedroom > 0.0
    assert bedroom == pytest.approx(study, rel=0.01)
    assert fallback[0] + fallback[1] == pytest.approx(fallback[2], abs=0.01)
    state = hass.states.get("climate.bedroom_2")
    assert state is not None
    assert state.state == "heat"  # the zone itself is unaffected


async def test_fixed_fan_speeds_weigh_heads_but_auto_does_not(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Without output sensors, heads on fixed speeds low and high share 1:2; auto: equally."""
    house = await async_mini_split_house(hass, fan_modes=("auto", "low", "medium", "high"))
    house.bedroom.fan("low")
    house.study.fan("high")
    await both_heads_heating(hass, freezer, house)
    start = runtimes(house)
    await async_move_time(hass, freezer, 30 * 60)
    fixed = runtimes(house)
    assert (fixed[1] - start[1]) / (fixed[0] - start[0]) == pytest.approx(2.0, rel=0.01)
    house.study.fan("auto")
    await hass.async_block_till_done()
    await async_move_time(hass, freezer, 30 * 60)
    auto = runtimes(house)
    assert auto[0] - fixed[0] == pytest.approx(auto[1] - fixed[1], rel=0.01)


async def test_missing_head_output_sensor_raises_a_repair_issue(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A configured head output sensor that does not exist is reported, and runtime still books."""
    power(hass, BEDROOM_POWER, "900")
    house = await async_mini_split_house(hass, head_outputs=(BEDROOM_POWER, "sensor.gone"))
    await hass.async_start()
    await both_heads_heating(hass, freezer, house)
    issues = ir.async_get(hass).issues
    assert any(key[1].endswith("_sensor.gone") for key in issues)
    before = runtimes(house)
    await async_move_time(hass, freezer, 10 * 60)
    after = runtimes(house)
    assert after[0] - before[0] == pytest.approx(after[1] - before[1], rel=0.01)
