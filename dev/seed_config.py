"""Prepare the demo's config folder: Heat Pump Zoning's entries and the schedule automations.

    python -m dev.seed_config config [--min-minutes 1] [--no-systems]

- `.storage/core.config_entries` (only when it does not exist yet, so changes made in the UI
  survive restarts): a ducted system "Main floor" and a mini-split system "Upstairs" with one zone
  subentry per room, exactly as the config flow stores them (built with `sim.ha.demo_systems`).
  Protection times and the mode dwell are short (`--min-minutes`) because simulated time runs
  faster than Home Assistant's clock, which those timers follow.
  `--no-systems` leaves them out (the browser tests add systems through the UI).
- `.storage/energy` (first start): the Energy dashboard with the simulated electricity meter of
  the heat pumps as grid consumption and every zone's energy as an individual device.
- `.storage/onboarding` (first start): every onboarding step but the user's marked done.
- With `--http-in-storage PORT` (Home Assistant 2026.11 and later, which keeps the `http:`
  settings in `.storage/http` and reverts settings taken over from YAML after five minutes,
  restarting): the demo's loopback-only server on PORT stored as confirmed, and the `http:` block
  taken out of the folder's `configuration.yaml`.
- `automations.yaml` (always rewritten): the demo schedule of `sim.scenario` as automations that
  switch each zone's preset (home / eco) on the simulated half hour (`sensor.simulated_slot`), and
  one that turns every zone on (heat_cool) and applies the current presets when Home Assistant
  starts, as the simulated house restarts from `start_hour` each time.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from datetime import UTC, datetime
import json
from pathlib import Path
import re
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from sim import build_demo_house
from sim.ha import SystemSetup, demo_systems
from sim.scenario import DEMO_PLANS, scheduled_preset
from sim.weather import Site

STORAGE_MINOR_VERSION = 5  # homeassistant.config_entries.STORAGE_VERSION_MINOR in 2026.2
ENERGY_MINOR_VERSION = 2  # homeassistant.components.energy.data.STORAGE_MINOR_VERSION
METER = "sensor.heat_pumps_energy"  # the simulator's electricity meter of all heat pumps


def config_entries(systems: list[SystemSetup]) -> dict[str, Any]:
    """The `core.config_entries` store with one entry per system."""
    entries = []
    for system in systems:
        entry = MockConfigEntry(
            domain="heat_pump_zoning",
            title=system.title,
            data=system.data,
            options=system.options,
            source="user",
            subentries_data=[
                {"data": z.data, "subentry_type": "zone", "title": z.title, "unique_id": None}
                for z in system.zones
            ],
        )
        entries.append(json.loads(json.dumps(entry.as_dict(), default=str)))
    return {
        "version": 1,
        "minor_version": STORAGE_MINOR_VERSION,
        "key": "core.config_entries",
        "data": {"entries": entries},
    }


def energy_preferences(systems: list[SystemSetup]) -> dict[str, Any]:
    """The Energy dashboard's store: the heat pumps' meter, and each zone as a device."""
    return {
        "version": 1,
        "minor_version": ENERGY_MINOR_VERSION,
        "key": "energy",
        "data": {
            "energy_sources": [
                {
                    "type": "grid",
                    "flow_from": [
                        {
                            "stat_energy_from": METER,
                            "stat_cost": None,
                            "entity_energy_price": None,
                            "number_energy_price": None,
                        }
                    ],
                    "flow_to": [],
                    "cost_adjustment_day": 0.0,
                }
            ],
            "device_consumption": [
                {"stat_consumption": zone.energy_entity_id, "name": None}
                for system in systems
                for zone in system.zones
            ],
            "device_consumption_water": [],
        },
    }


def http_storage(port: int, now: str) -> dict[str, Any]:
    """`.storage/http` of Home Assistant 2026.11: loopback only, on `port`, confirmed."""
    return {
        "version": 3,
        "minor_version": 1,
        "key": "http",
        "data": {
            "stable": {
                "server_port": port,
                "server_host": ["127.0.0.1"],
                "cors_allowed_origins": ["https://cast.home-assistant.io"],
                "login_attempts_threshold": -1,
                "ip_ban_enabled": True,
                "ssl_profile": "intermediate_v6",
                "use_x_frame_options": True,
                "created_at": now,
                "error": None,
                "error_message": None,
            },
            "pending": None,
            "yaml_migration_done": True,
        },
    }


def without_http_block(yaml_text: str) -> str:
    """`configuration.yaml` without its top-level `http:` block."""
    return re.sub(r"^http:\n(?:[ \t]+.*\n|[ \t]*\n)*", "", yaml_text, flags=re.MULTILINE)


def schedule_changes(zones: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    """Slot 'HH:MM' -> preset -> zone entity ids that switch to it at that half hour."""
    site = Site(utc_offset_h=0.0)
    changes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for room, entity_id in zones.items():
        plan = DEMO_PLANS[room]
        for slot in range(48):
            now = scheduled_preset(plan, slot * 1800.0, site)
            before = scheduled_preset(plan, (slot - 1) % 48 * 1800.0, site)
            if now != before:
                changes[f"{slot // 2:02d}:{slot % 2 * 30:02d}"][now].append(entity_id)
    return changes


def automations(zones: dict[str, str], start_hour: float) -> list[dict[str, Any]]:
    """Schedule automations plus the start-up one (none without zones)."""
    if not zones:
        return []
    site = Site(utc_offset_h=0.0)
    start_presets: dict[str, list[str]] = defaultdict(list)
    for room, entity_id in zones.items():
        start_presets[scheduled_preset(DEMO_PLANS[room], start_hour * 3600.0, site)].append(
            entity_id
        )
    result: list[dict[str, Any]] = [
        {
            "id": "hpz_demo_start",
            "alias": "Demo: zones on when Home Assistant starts",
            "triggers": [{"trigger": "homeassistant", "event": "start"}],
            "actions": [
                {"delay": 5},
                {
                    "action": "climate.set_hvac_mode",
                    "target": {"entity_id": sorted(zones.values())},
                    "data": {"hvac_mode": "heat_cool"},
                },
                *(
                    {
                        "action": "climate.set_preset_mode",
                        "target": {"entity_id": sorted(ids)},
                        "data": {"preset_mode": preset},
                    }
                    for preset, ids in sorted(start_presets.items())
                ),
            ],
        }
    ]
    for slot, presets in sorted(schedule_changes(zones).items()):
        result.append(
            {
                "id": f"hpz_demo_schedule_{slot.replace(':', '')}",
                "alias": f"Demo schedule {slot}",
                "triggers": [
                    {"trigger": "state", "entity_id": "sensor.simulated_slot", "to": slot}
                ],
                "actions": [
                    {
                        "action": "climate.set_preset_mode",
                        "target": {"entity_id": sorted(ids)},
                        "data": {"preset_mode": preset},
                    }
                    for preset, ids in sorted(presets.items())
                ],
            }
        )
    return result


def main(argv: list[str] | None = None) -> int:
    """Write the files into the config folder."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--min-minutes", type=float, default=1.0)
    parser.add_argument("--start-hour", type=float, default=6.0)
    parser.add_argument("--no-systems", action="store_true", help="seed no Heat Pump Zoning entry")
    parser.add_argument("--http-in-storage", type=int, metavar="PORT")
    args = parser.parse_args(argv)
    systems = demo_systems(
        build_demo_house(),
        min_run_minutes=args.min_minutes,
        min_off_minutes=args.min_minutes,
        mode_dwell_minutes=args.min_minutes,
    )
    storage = args.config / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    onboarding = storage / "onboarding"
    if not onboarding.exists():
        # Everything but the user step (dev.onboard creates the user over HTTP): the location
        # comes from configuration.yaml, and the default integrations onboarding would add
        # (weather, radio, text-to-speech) need the internet.
        onboarding.write_text(
            json.dumps(
                {
                    "version": 4,
                    "minor_version": 1,
                    "key": "onboarding",
                    "data": {"done": ["core_config", "analytics", "integration"]},
                }
            ),
            encoding="utf-8",
        )
    if args.http_in_storage is not None:
        yaml_file = args.config / "configuration.yaml"
        yaml_file.write_text(without_http_block(yaml_file.read_text("utf-8")), encoding="utf-8")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        (storage / "http").write_text(
            json.dumps(http_storage(args.http_in_storage, now)), encoding="utf-8"
        )
    if args.no_systems:
        systems = []
    entries_file = storage / "core.config_entries"
    if not entries_file.exists():
        entries_file.write_text(json.dumps(config_entries(systems), indent=2), encoding="utf-8")
        print(f"seeded {entries_file}")
    energy_file = storage / "energy"
    if not energy_file.exists():
        energy_file.write_text(json.dumps(energy_preferences(systems), indent=2), encoding="utf-8")
    zones = {z.room: z.entity_id for s in systems for z in s.zones}
    (args.config / "automations.yaml").write_text(
        json.dumps(automations(zones, args.start_hour), indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
