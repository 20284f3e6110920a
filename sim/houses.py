"""Ready-made houses: the demo house and a 10-room house for the speed benchmark."""

from __future__ import annotations

from dataclasses import replace

from sim.house import House
from sim.spec import (
    EAST,
    EXTERIOR_UA_W_K_M2,
    NORTH,
    SOUTH,
    STAIR_AIR_M3_H,
    WEST,
    DamperSpec,
    DuctedSpec,
    DuctLocation,
    HeadSpec,
    HouseSpec,
    MiniSplitSpec,
    RoomSpec,
    Window,
    interfloor,
    partition,
)
from sim.weather import Weather, synthetic_weather

# Stable ids of the demo house.
DEMO_DUCTED_ID = "main"
DEMO_MINISPLIT_ID = "upstairs"
DEMO_DUCTED_ROOMS = ("living", "kitchen", "bedroom", "office")
DEMO_MINISPLIT_ROOMS = ("bedroom2", "study")
# Open kitchen/living connection: wide opening, large air exchange (assumption).
OPEN_PLAN_AIR_M3_H = 300.0


def demo_house_spec(duct_location: DuctLocation = DuctLocation.CRAWLSPACE) -> HouseSpec:
    """The demo house: a ducted main floor of four rooms (central thermostat in the
    living room, one damper per room, damper id = room id) and an upstairs with a
    two-head mini-split (head id = room id). 122 m² (≈ 1,300 ft²)."""
    rooms = (
        RoomSpec(
            "living",
            35.0,
            "Living room",
            "living",
            0,
            (Window(SOUTH, 6.0), Window(WEST, 2.0)),
        ),
        RoomSpec("kitchen", 20.0, "Kitchen", "kitchen", 0, (Window(EAST, 3.0),)),
        RoomSpec("bedroom", 18.0, "Bedroom", "bedroom", 0, (Window(NORTH, 2.5), Window(EAST, 1.0))),
        RoomSpec("office", 14.0, "Office", "office", 0, (Window(WEST, 2.5),)),
        RoomSpec(
            "bedroom2",
            20.0,
            "Bedroom 2",
            "bedroom",
            1,
            (Window(SOUTH, 5.0), Window(WEST, 2.5)),
        ),
        # North corner room under the roof: more exterior surface than the per-area
        # default (demo choice).
        RoomSpec(
            "study",
            15.0,
            "Study",
            "office",
            1,
            (Window(NORTH, 2.0),),
            exterior_ua_w_k=1.5 * EXTERIOR_UA_W_K_M2 * 15.0,
        ),
    )
    links = (
        partition("living", "kitchen", 8.0, OPEN_PLAN_AIR_M3_H),
        partition("living", "office", 7.0),
        partition("kitchen", "bedroom", 7.0),
        partition("bedroom", "office", 6.0),
        partition("bedroom2", "study", 7.0),
        interfloor("living", "bedroom2", 20.0, STAIR_AIR_M3_H),
        interfloor("kitchen", "study", 15.0),
    )
    ducted = DuctedSpec(
        id=DEMO_DUCTED_ID,
        thermostat_room="living",
        dampers=(
            DamperSpec("living", "living", 300.0),
            DamperSpec("kitchen", "kitchen", 200.0),
            DamperSpec("bedroom", "bedroom", 170.0),
            DamperSpec("office", "office", 130.0),
        ),
        rated_capacity_btuh=24000.0,
        duct_location=duct_location,
    )
    minisplit = MiniSplitSpec(
        id=DEMO_MINISPLIT_ID,
        heads=(HeadSpec("bedroom2", "bedroom2", 12000.0), HeadSpec("study", "study", 9000.0)),
        rated_capacity_btuh=18000.0,
    )
    return HouseSpec(rooms, links, (ducted,), (minisplit,), name="demo")


def build_demo_house(
    weather: Weather | None = None,
    *,
    duct_location: DuctLocation = DuctLocation.CRAWLSPACE,
    start: float | None = None,
    gains_scale: float = 1.0,
    trace_interval_s: float = 300.0,
) -> House:
    """Build the demo house (default weather: 7 seeded winter days)."""
    return House(
        demo_house_spec(duct_location),
        weather or synthetic_weather("winter", 7, seed=1),
        start=start,
        gains_scale=gains_scale,
        trace_interval_s=trace_interval_s,
    )


TEN_ROOM_DUCTED_ID = "ground"
TEN_ROOM_MINISPLIT_ID = "upper"


def ten_room_house_spec() -> HouseSpec:
    """A 10-room, two-storey house (≈ 160 m²): six ducted ground-floor rooms with
    dampers, four upstairs rooms on a four-head mini-split."""
    rooms = (
        RoomSpec("living", 30.0, "Living room", "living", 0, (Window(SOUTH, 5.0),)),
        RoomSpec("dining", 15.0, "Dining room", "other", 0, (Window(SOUTH, 3.0),)),
        RoomSpec("kitchen", 16.0, "Kitchen", "kitchen", 0, (Window(EAST, 2.5),)),
        RoomSpec("family", 22.0, "Family room", "living", 0, (Window(WEST, 4.0),)),
        RoomSpec("office", 12.0, "Office", "office", 0, (Window(NORTH, 2.0),)),
        RoomSpec("laundry", 8.0, "Laundry", "other", 0, (Window(NORTH, 0.8),)),
        RoomSpec("master", 22.0, "Main bedroom", "bedroom", 1, (Window(SOUTH, 4.0),)),
        RoomSpec("bed2", 14.0, "Bedroom 2", "bedroom", 1, (Window(EAST, 2.0),)),
        RoomSpec("bed3", 12.0, "Bedroom 3", "bedroom", 1, (Window(WEST, 2.0),)),
        RoomSpec("bath", 8.0, "Bathroom", "other", 1, (Window(NORTH, 0.6),)),
    )
    links = (
        partition("living", "dining", 8.0, 300.0),
        partition("dining", "kitchen", 7.0, 200.0),
        partition("kitchen", "family", 8.0),
        partition("family", "office", 6.0),
        partition("office", "laundry", 5.0),
        partition("living", "family", 6.0),
        partition("master", "bed2", 7.0),
        partition("bed2", "bed3", 6.0),
        partition("bed3", "bath", 5.0),
        partition("master", "bath", 5.0),
        interfloor("living", "master", 22.0, STAIR_AIR_M3_H),
        interfloor("kitchen", "bed2", 14.0),
        interfloor("family", "bed3", 12.0),
        interfloor("laundry", "bath", 8.0),
    )
    ducted = DuctedSpec(
        id=TEN_ROOM_DUCTED_ID,
        thermostat_room="living",
        dampers=(
            DamperSpec("living", "living", 260.0),
            DamperSpec("dining", "dining", 130.0),
            DamperSpec("kitchen", "kitchen", 140.0),
            DamperSpec("family", "family", 190.0),
            DamperSpec("office", "office", 110.0),
            DamperSpec("laundry", "laundry", 70.0),
        ),
        rated_capacity_btuh=30000.0,
        duct_location=DuctLocation.ATTIC,
    )
    minisplit = MiniSplitSpec(
        id=TEN_ROOM_MINISPLIT_ID,
        heads=(
            HeadSpec("master", "master", 9000.0),
            HeadSpec("bed2", "bed2", 9000.0),
            HeadSpec("bed3", "bed3", 6000.0),
            HeadSpec("bath", "bath", 6000.0),
        ),
        rated_capacity_btuh=24000.0,
    )
    return HouseSpec(rooms, links, (ducted,), (minisplit,), name="ten_room")


def build_ten_room_house(
    weather: Weather | None = None,
    *,
    start: float | None = None,
    trace_interval_s: float = 300.0,
) -> House:
    """Build the 10-room house (default weather: a seeded synthetic year)."""
    return House(
        ten_room_house_spec(),
        weather or synthetic_weather("year", 365, seed=1),
        start=start,
        trace_interval_s=trace_interval_s,
    )


def floors_apart(house: House) -> House:
    """The same house and weather with no heat exchange between storeys (floors, stairs): each
    floor's system as if it were the only one in its house."""
    storey = {room.id: room.storey for room in house.spec.rooms}
    links = tuple(link for link in house.spec.links if storey[link.a] == storey[link.b])
    return House(replace(house.spec, links=links), house.weather)
