"""Simulated heat pump hardware for the Heat Pump Zoning demo (development only, not shipped).

Exposes a simulated house (`sim`, importable from the repository root on PYTHONPATH) as the
entities real hardware would give Home Assistant: the ducted unit's thermostat and the mini-split
heads (`climate`), zone dampers (`cover`), room, outdoor and power `sensor`s, and the simulated
clock. Simulated time runs `speed` times faster than Home Assistant's clock.

    hpz_sim:
      season: shoulder   # winter, summer or shoulder (seeded synthetic weather)
      speed: 30          # simulated seconds per real second
      seed: 1
      start_hour: 6      # the house is simulated quietly from midnight to this hour first
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import config_validation as cv, discovery
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from sim.ha import SimClock, SimEntities, build_entities
from sim.scenario import SEASONS, build_season_house

DOMAIN = "hpz_sim"
PLATFORMS = (Platform.CLIMATE, Platform.COVER, Platform.SENSOR)
WEATHER_DAYS = 14  # the weather repeats after this many days

CONFIG_SCHEMA = vol.Schema(
    {
        DOMAIN: vol.Schema(
            {
                vol.Optional("season", default="shoulder"): vol.In(SEASONS),
                vol.Optional("speed", default=30.0): vol.All(
                    vol.Coerce(float), vol.Range(min=1, max=600)
                ),
                vol.Optional("seed", default=1): cv.positive_int,
                vol.Optional("start_hour", default=6.0): vol.All(
                    vol.Coerce(float), vol.Range(min=0, max=23.5)
                ),
            }
        )
    },
    extra=vol.ALLOW_EXTRA,
)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Build the simulated house, add its entities and start its clock."""
    conf: dict[str, Any] = config[DOMAIN]
    house = build_season_house(conf["season"], WEATHER_DAYS, conf["seed"])
    for _ in range(round(conf["start_hour"] * 60)):
        house.step(60.0)
    entities = build_entities(house)
    hass.data[DOMAIN] = entities
    for platform in PLATFORMS:
        hass.async_create_task(
            discovery.async_load_platform(hass, platform, DOMAIN, {}, config), eager_start=True
        )
    clock = SimClock(entities, speed=conf["speed"])
    clock.start(hass)

    def _stop(_event: Event) -> None:
        clock.stop()

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _stop)
    return True


def sim_entities(hass: HomeAssistant) -> SimEntities:
    """The entities built in `async_setup`."""
    entities: SimEntities = hass.data[DOMAIN]
    return entities
