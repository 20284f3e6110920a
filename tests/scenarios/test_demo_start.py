"""The demo comes alive at once: zones heat, wait and cool within its first quarter hour.

Runs the demo exactly as `scripts/develop` configures it (`config/configuration.yaml`'s
`hpz_sim` season, seed, start hour and speed; `dev.seed_config`'s one-minute protection times)
with Home Assistant's clock moving `speed` times slower than the house's, as in the real demo,
and watches the zone thermostats a newcomer sees on the dashboard.
"""

from __future__ import annotations

from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import yaml

from .harness import Scenario, async_finish, async_run, async_start_scenario

ROOT = Path(__file__).resolve().parents[2]
FIRST_MINUTES = 3.0  # real minutes in which a zone must heat and one must wait
QUARTER_HOUR = 15.0  # real minutes in which a zone must also have cooled
DEMO_PROTECTION_MINUTES = 1.0  # dev.seed_config's --min-minutes default


def demo_options() -> dict[str, Any]:
    """The `hpz_sim:` block of the demo's configuration (its other tags left unparsed)."""
    text = (ROOT / "config" / "configuration.yaml").read_text(encoding="utf-8")
    block = re.search(r"^hpz_sim:\n((?:[ \t]+.*\n?)+)", text, re.MULTILINE)
    assert block is not None
    options: dict[str, Any] = yaml.safe_load(block.group(1))
    return options


async def test_demo_zones_heat_wait_and_cool_in_the_first_minutes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """What a newcomer sees right after `scripts/develop`: not a house where nothing runs."""
    demo = demo_options()
    speed = float(demo["speed"])
    protection = {
        "min_run_minutes": DEMO_PROTECTION_MINUTES,
        "min_off_minutes": DEMO_PROTECTION_MINUTES,
        "mode_dwell_minutes": DEMO_PROTECTION_MINUTES,
    }
    sc = await async_start_scenario(
        hass,
        freezer,
        demo["season"],
        days=QUARTER_HOUR * speed / 1440.0,
        warmup_h=0,
        seed=int(demo["seed"]),
        quiet_h=float(demo["start_hour"]),
        speed=speed,
        mode="heat_cool",  # the demo's start-up automation
        options=protection,
    )
    first_seen: dict[str, float] = {}  # heating / cooling / waiting -> real minutes after start

    def watch(scn: Scenario) -> None:
        real_minutes = scn.ticks * 60.0 / speed / 60.0
        for entity_id in scn.zones.values():
            state = hass.states.get(entity_id)
            assert state is not None
            seen = [str(state.attributes.get("hvac_action"))]
            if state.attributes.get("waiting_reason"):
                seen.append("waiting")
            for what in seen:
                first_seen.setdefault(what, real_minutes)

    await async_run(sc, QUARTER_HOUR * speed / 60.0, watch)
    await async_finish(sc)
    assert first_seen.get("heating", 99.0) <= FIRST_MINUTES, first_seen
    assert first_seen.get("waiting", 99.0) <= FIRST_MINUTES, first_seen
    assert first_seen.get("cooling", 99.0) <= QUARTER_HOUR, first_seen
