"""Physics-based house simulator for Heat Pump Zoning (development and tests only).

Quick start::

    from sim import build_demo_house, synthetic_weather

    house = build_demo_house(weather=synthetic_weather("winter", days=3, seed=7))
    house.ducted["main"].set_mode("heat")
    house.ducted["main"].set_setpoint(21.0)
    house.dampers["office"].set_position(0)
    house.heads["study"].set_mode("heat")
    house.heads["study"].set_setpoint(20.0)
    for _ in range(24 * 60):
        house.step(60.0)
    print(house.rooms["living"].temperature, house.truth.summary())

See sim/README.md for the model, the API and the weather CSV format.
"""

from sim.ducted import Damper, DuctedHeatPump
from sim.house import House, Room
from sim.houses import (
    DEMO_DUCTED_ID,
    DEMO_DUCTED_ROOMS,
    DEMO_MINISPLIT_ID,
    DEMO_MINISPLIT_ROOMS,
    TEN_ROOM_DUCTED_ID,
    TEN_ROOM_MINISPLIT_ID,
    build_demo_house,
    build_ten_room_house,
    demo_house_spec,
    ten_room_house_spec,
)
from sim.minisplit import MiniSplit, MiniSplitHead
from sim.spec import (
    DamperSpec,
    DuctedSpec,
    DuctLocation,
    HeadSpec,
    HouseSpec,
    HVACAction,
    HVACMode,
    Link,
    MiniSplitSpec,
    RoomSpec,
    Window,
    interfloor,
    partition,
)
from sim.truth import (
    CycleTruth,
    DuctedTruth,
    EnergyBalance,
    HeadTruth,
    MiniSplitTruth,
    RoomTruth,
    Truth,
    kwh,
)
from sim.weather import (
    Site,
    Weather,
    constant_weather,
    load_weather_csv,
    synthetic_weather,
)

__all__ = [
    "DEMO_DUCTED_ID",
    "DEMO_DUCTED_ROOMS",
    "DEMO_MINISPLIT_ID",
    "DEMO_MINISPLIT_ROOMS",
    "TEN_ROOM_DUCTED_ID",
    "TEN_ROOM_MINISPLIT_ID",
    "CycleTruth",
    "Damper",
    "DamperSpec",
    "DuctLocation",
    "DuctedHeatPump",
    "DuctedSpec",
    "DuctedTruth",
    "EnergyBalance",
    "HVACAction",
    "HVACMode",
    "HeadSpec",
    "HeadTruth",
    "House",
    "HouseSpec",
    "Link",
    "MiniSplit",
    "MiniSplitHead",
    "MiniSplitSpec",
    "MiniSplitTruth",
    "Room",
    "RoomSpec",
    "RoomTruth",
    "Site",
    "Truth",
    "Weather",
    "Window",
    "build_demo_house",
    "build_ten_room_house",
    "constant_weather",
    "demo_house_spec",
    "interfloor",
    "kwh",
    "load_weather_csv",
    "partition",
    "synthetic_weather",
    "ten_room_house_spec",
]
