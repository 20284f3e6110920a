"""The equipment family: imperfect heads, thermostats, dampers, sensors and houses."""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks.engine_bridge import head_entity, observe, system_configs
from engine import ZoneSettings
from sim import House, build_demo_house, constant_weather
from sim.family import build_family_house, describe, draw, draw_ducts, family_spec
from sim.houses import demo_house_spec
from sim.spec import DamperSpec, DuctLocation, HeadSpec, SensorSpec
from sim.units import f_to_c

FAMILY = range(40)


def _house_with(*, damper: DamperSpec | None = None, head: HeadSpec | None = None) -> House:
    """The demo house with its office damper or study head replaced."""
    spec = demo_house_spec()
    if damper is not None:
        unit = spec.ducted[0]
        dampers = tuple(damper if d.id == damper.id else d for d in unit.dampers)
        spec = replace(spec, ducted=(replace(unit, dampers=dampers),))
    if head is not None:
        ms = spec.minisplits[0]
        heads = tuple(head if h.id == head.id else h for h in ms.heads)
        spec = replace(spec, minisplits=(replace(ms, heads=heads),))
    return House(spec, constant_weather(0.0, hours=48))


def test_default_equipment_is_unchanged() -> None:
    """Dampers move at once, sensors show the air, heads report what they do."""
    house = build_demo_house(weather=constant_weather(0.0, hours=48))
    house.dampers["office"].set_position(30)
    assert house.dampers["office"].position == 30.0
    assert not house.dampers["office"].moving
    house.step(60.0)
    room = house.rooms["living"]
    assert room.reading == room.temperature
    assert house.heads["study"].reports_action
    house.heads["study"].set_setpoint(21.3)
    assert house.heads["study"].target_temperature == 21.3


def test_a_damper_travels_at_its_stroke_time() -> None:
    """A 120 s stroke: a full close takes two one-minute steps, `moving` meanwhile."""
    spec = next(d for d in demo_house_spec().ducted[0].dampers if d.id == "office")
    house = _house_with(damper=replace(spec, travel_s=120.0))
    damper = house.dampers["office"]
    damper.set_position(0)
    assert (damper.position, damper.target, damper.moving) == (100.0, 0.0, True)
    house.step(60.0)
    assert damper.position == pytest.approx(50.0)
    house.step(60.0)
    assert (damper.position, damper.moving) == (0.0, False)


def test_a_damper_can_ignore_a_command_or_stop_part_way() -> None:
    """With certainty of each fault: the command is lost, or the blade stops between."""
    spec = next(d for d in demo_house_spec().ducted[0].dampers if d.id == "office")
    ignoring = _house_with(damper=replace(spec, ignore_chance=1.0, seed=3)).dampers["office"]
    ignoring.set_position(0)
    assert (ignoring.position, ignoring.target) == (100.0, 100.0)
    stalling = _house_with(damper=replace(spec, stall_chance=1.0, seed=3)).dampers["office"]
    stalling.set_position(0)
    assert 0.0 < stalling.position < 100.0
    assert stalling.target == 0.0


def test_a_room_sensor_reports_at_its_interval_and_resolution() -> None:
    """A 10-minute, 0.5 K sensor: the same value between reports, always a multiple of 0.5."""
    spec = demo_house_spec()
    rooms = tuple(
        replace(r, sensor=SensorSpec(interval_s=600.0, resolution_k=0.5)) for r in spec.rooms
    )
    house = House(replace(spec, rooms=rooms), constant_weather(-10.0, hours=48))
    room = house.rooms["office"]
    readings = []
    for _ in range(60):
        readings.append(room.reading)
        house.step(60.0)
    assert all(value * 2 == round(value * 2) for value in readings)
    changes = [i for i in range(1, 60) if readings[i] != readings[i - 1]]
    assert changes
    assert all(i % 10 == 0 for i in changes)  # only when a report is due


def test_a_drooping_head_settles_short_and_a_biased_one_reads_off() -> None:
    """Proportional only: full output at the droop error, nothing integrates; the reading
    is the room plus the bias of the mode."""
    spec = next(h for h in demo_house_spec().minisplits[0].heads if h.id == "study")
    house = _house_with(head=replace(spec, droop_k=1.0, sensor_bias_k=(2.0, -0.5)))
    head = house.heads["study"]
    head.set_mode("heat")
    assert head._request(1.0, 60.0, 1.0) == pytest.approx(head.max_w)
    assert head._request(0.5, 3600.0, 1.0) == pytest.approx(
        head.min_w + 0.5 * (head.max_w - head.min_w)
    )
    room = house.rooms["study"].temperature
    assert head.current_temperature == pytest.approx(room + 2.0)
    head.set_mode("cool")
    assert head.current_temperature == pytest.approx(room - 0.5)


@pytest.mark.parametrize(
    ("step", "in_f", "asked", "kept", "shown_step"),
    [
        (0.5, False, 21.3, 21.5, 0.5),
        (1.0, False, 21.4, 21.0, 1.0),
        (0.0, True, 21.3, f_to_c(70.0), 0.5),
    ],
)
def test_head_setpoint_steps(
    step: float, in_f: bool, asked: float, kept: float, shown_step: float
) -> None:
    """Heads keep only the setpoints they can show."""
    spec = next(h for h in demo_house_spec().minisplits[0].heads if h.id == "study")
    head = _house_with(head=replace(spec, setpoint_step_c=step, setpoint_in_f=in_f)).heads["study"]
    head.set_setpoint(asked)
    assert head.target_temperature == pytest.approx(kept)
    assert head.target_temp_step == shown_step


def test_a_head_without_action_shows_none_to_the_engine() -> None:
    """What Home Assistant shows for a head whose integration has no `hvac_action`."""
    spec = next(h for h in demo_house_spec().minisplits[0].heads if h.id == "study")
    house = _house_with(head=replace(spec, reports_action=False))
    config = system_configs(house)["upstairs"]
    assert not house.heads["study"].reports_action
    obs = observe(house, config, {z.zone_id: ZoneSettings() for z in config.zones})
    assert obs.heads[head_entity("study")].hvac_action is None
    assert obs.heads[head_entity("bedroom2")].hvac_action is not None


def test_the_family_is_reproducible_and_within_its_ranges() -> None:
    """Forty variants, drawn twice: the same; every draw within the issue's ranges."""
    for index in FAMILY:
        assert family_spec(index) == family_spec(index)
        assert describe(index) == describe(index)
        v = draw(index)
        assert 0.6 <= v.mass <= 1.6
        assert 0.7 <= v.insulation <= 1.5
        assert 0.5 <= v.sun <= 1.8
        for head in v.heads:
            assert head.droop_k is not None
            assert 0.5 <= head.droop_k <= 1.5
            assert head.sensor_bias_k is not None
            assert all(-1.0 <= bias <= 3.0 for bias in head.sensor_bias_k)
            assert 0.2 <= head.min_fraction <= 0.45
        band, min_off, _, _ = v.thermostat
        assert 0.5 <= band <= 1.0
        assert 300.0 <= min_off <= 600.0
        assert all(10.0 <= d.travel_s <= 90.0 for d in v.dampers)
        assert all(300.0 <= s.interval_s <= 900.0 for s in v.sensors)
    assert family_spec(0) != family_spec(1)
    no_action = sum(not h.reports_action for i in FAMILY for h in draw(i).heads)
    assert 10 <= no_action <= 45  # about one head in three


def test_duct_physics_are_drawn_apart_and_only_on_request() -> None:
    """`duct_physics` gives each variant its duct location and the effects ASHRAE 152 does not
    model, within their ranges, from a stream of their own: everything else stays as drawn,
    and without it the ducts are the demo's."""
    locations = set()
    for index in range(12):
        plain, ducts = family_spec(index), family_spec(index, duct_physics=True)
        location, physics = draw_ducts(index)
        assert draw_ducts(index) == (location, physics)
        locations.add(location)
        unit = ducts.ducted[0]
        assert unit.duct_location is location
        assert 0.0 <= unit.leakage_pressure_exponent <= 0.5
        assert 0.0 <= unit.return_leakage <= 0.08
        assert 0.0 <= unit.duct_mass_j_k <= 40_000.0
        assert (unit.dampers, unit.hysteresis_k) == (
            plain.ducted[0].dampers,
            plain.ducted[0].hysteresis_k,
        )
        assert ducts.rooms == plain.rooms and ducts.minisplits == plain.minisplits
        base = plain.ducted[0]
        assert (base.duct_location, base.leakage_pressure_exponent, base.return_leakage) == (
            DuctLocation.CRAWLSPACE,
            0.0,
            0.0,
        )
    assert locations == {DuctLocation.CRAWLSPACE, DuctLocation.ATTIC}
    house = build_family_house("winter", 1.0, 0, duct_physics=True)
    assert house.spec.ducted[0].duct_mass_j_k == draw_ducts(0)[1]["duct_mass_j_k"]


def test_every_variant_runs() -> None:
    """A few hours of each of the first variants, equipment on, in winter."""
    for index in range(5):
        house = build_family_house("winter", 1.0, index)
        house.ducted["main"].set_mode("heat")
        house.ducted["main"].set_setpoint(22.0)
        for head in house.heads.values():
            head.set_mode("heat")
            head.set_setpoint(22.0)
        for _ in range(180):
            house.step(60.0)
        assert abs(house.energy_balance_error_j()) < 1e-3 * house.truth.balance.hvac_j
        assert house.truth.ducted["main"].cycles.starts >= 1
