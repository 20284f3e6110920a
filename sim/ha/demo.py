"""Heat Pump Zoning's configuration for a simulated house (plain data, as the config flow stores).

One system per HVAC unit of the house: a ducted entry (source = the unit's wall thermostat, one
zone per damper with the damper's design airflow) and a mini-split entry (one zone per head, with
the room's sensors and the head's power sensor as its head output sensor). Presets come from the
schedule plans of `sim.scenario`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.util import slugify

from sim.house import House
from sim.scenario import DEMO_PLANS, ZonePlan

# Presets the schedule does not use, same for every zone (°C).
SLEEP = (19.0, 25.0)
AWAY = (16.0, 28.0)


@dataclass(frozen=True, slots=True)
class ZoneSetup:
    """One zone subentry: its title, data, and the room it controls."""

    room: str
    title: str
    data: dict[str, Any]

    @property
    def entity_id(self) -> str:
        """The zone thermostat's entity id (named after the zone's device)."""
        return f"climate.{slugify(self.title)}"

    @property
    def energy_entity_id(self) -> str:
        """The zone's energy sensor (kWh; what the Energy dashboard lists per zone)."""
        return f"sensor.{slugify(self.title)}_energy"


@dataclass(frozen=True, slots=True)
class SystemSetup:
    """One config entry of Heat Pump Zoning."""

    system: str
    title: str
    data: dict[str, Any]
    options: dict[str, Any]
    zones: tuple[ZoneSetup, ...]


def presets(plan: ZonePlan | None) -> dict[str, float]:
    """The zone's preset setpoints: home and eco from its plan."""
    home = plan.home if plan else (21.0, 24.0)
    eco = plan.eco if plan else (18.0, 27.0)
    values: dict[str, float] = {}
    for name, (heat, cool) in {"home": home, "away": AWAY, "sleep": SLEEP, "eco": eco}.items():
        values[f"{name}_heat"] = heat
        values[f"{name}_cool"] = cool
    return values


def demo_systems(house: House, **options: Any) -> list[SystemSetup]:
    """Heat Pump Zoning entries for every HVAC system of `house`; `options` override defaults."""
    common: dict[str, Any] = {
        "min_run_minutes": 5,
        "min_off_minutes": 5,
        "tolerance": 0.5,
        "outdoor_temperature_sensor": "sensor.outdoor_temperature",
    }
    systems: list[SystemSetup] = []
    for sid, unit in house.ducted.items():
        zones = tuple(
            ZoneSetup(
                damper.room,
                house.rooms[damper.room].name,
                {
                    "name": house.rooms[damper.room].name,
                    "temperature_sensor": f"sensor.{damper.room}_temperature",
                    "humidity_sensor": f"sensor.{damper.room}_humidity",
                    "dampers": [f"cover.{damper.id}_damper"],
                    "airflow": damper.design_cfm,
                    "priority": 1 if damper.room == unit.spec.thermostat_room else 0,
                    "floor_area": house.rooms[damper.room].floor_area_m2,
                    "presets": presets(DEMO_PLANS.get(damper.room)),
                    "boost_minutes": 60,
                },
            )
            for damper in unit.dampers
        )
        systems.append(
            SystemSetup(
                sid,
                "Main floor" if sid == "main" else sid.title(),
                {"topology": "ducted"},
                {
                    **common,
                    "source": f"climate.{sid}_thermostat",
                    "min_airflow_percent": 40,
                    "power_sensor": f"sensor.{sid}_power",
                    "duct_location": unit.spec.duct_location.value,
                    "duct_leakage": "typical",
                    **(
                        {"duct_temperature_sensor": f"sensor.{sid}_duct_space_temperature"}
                        if house.duct_space_temperature(sid) is not None
                        else {}
                    ),
                    **options,
                },
                zones,
            )
        )
    for sid, ms in house.minisplits.items():
        zones = tuple(
            ZoneSetup(
                head.room,
                house.rooms[head.room].name,
                {
                    "name": house.rooms[head.room].name,
                    "head": f"climate.{hid}_head",
                    "head_output_sensor": f"sensor.{hid}_head_power",
                    "temperature_sensor": f"sensor.{head.room}_temperature",
                    "humidity_sensor": f"sensor.{head.room}_humidity",
                    "priority": 0,
                    "floor_area": house.rooms[head.room].floor_area_m2,
                    "presets": presets(DEMO_PLANS.get(head.room)),
                    "boost_minutes": 60,
                },
            )
            for hid, head in ((h.id, h) for h in ms.heads)
        )
        systems.append(
            SystemSetup(
                sid,
                "Upstairs" if sid == "upstairs" else sid.title(),
                {"topology": "mini_split"},
                {**common, "power_sensor": f"sensor.{sid}_power", **options},
                zones,
            )
        )
    return systems
