"""Home Assistant face of the simulator: entities and a clock, shared by tests and the demo.

Importing this package needs Home Assistant; the rest of `sim` does not.
"""

from sim.ha.clock import SimClock
from sim.ha.demo import SystemSetup, ZoneSetup, demo_systems
from sim.ha.entities import (
    SimClimate,
    SimDamper,
    SimEntities,
    SimEntity,
    SimSensor,
    build_entities,
)

__all__ = [
    "SimClimate",
    "SimClock",
    "SimDamper",
    "SimEntities",
    "SimEntity",
    "SimSensor",
    "SystemSetup",
    "ZoneSetup",
    "build_entities",
    "demo_systems",
]
