"""Heat Pump Zoning's engine on the control benchmark's house and schedule, without Home Assistant.

`bench_control --engine` uses this instead of the Home Assistant run
(`tests/scenarios/bench_in_ha.py`): minutes instead of a quarter of an hour for three seasons, so
other weather seeds can be compared. It mirrors what the integration sees in the demo configuration
(`sim.ha.demo.demo_systems`): the same zones and defaults, the thermostat room's zone at priority 1,
room sensors rounded to 0.1 °C like the demo's sensor entities, and each zone switched between its
*home* and *eco* presets by the `sim.scenario` schedule. The engine is stepped every 60 s, before
each simulator step; Home Assistant instead reacts to every state change, so figures differ slightly
(on seed 1 they agreed within 0.1 kWh and 0.02 K·h per system and season).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

from benchmarks.engine_bridge import EngineDriver, apply, observe
from engine import (
    CELSIUS,
    Controller,
    SystemConfig,
    SystemObservation,
    ZoneMode,
    ZoneSettings,
    finite,
    system_config,
)
from sim import House
from sim.ha.demo import demo_systems
from sim.scenario import (
    DEMO_PLANS,
    HOME,
    Monitor,
    Season,
    SystemScore,
    build_season_house,
    preset_setpoints,
    scheduled_preset,
    season_mode,
)

STEP_S = 60.0
SENSOR_DECIMALS = 1

type HouseBuilder = Callable[[Season, float, int], House]


def scheduled_settings(
    season: Season, room: str, t: float, driver: EngineDriver, *, held: bool = False
) -> ZoneSettings:
    """The zone's settings at `t`: the season's mode at its scheduled preset's setpoints (with
    `held`, at its home preset all day)."""
    plan = DEMO_PLANS[room]
    preset = HOME if held else scheduled_preset(plan, t, driver.site)
    heat, cool = preset_setpoints(plan, preset)
    mode = ZoneMode(season_mode(season))
    target = cool if mode is ZoneMode.COOL else heat
    return ZoneSettings(hvac_mode=mode, target=target, target_low=heat, target_high=cool)


def configured(
    config: SystemConfig, options: dict[str, Any], thermostat_room: str | None
) -> SystemConfig:
    """The engine configuration the demo's config entry options give (each setting by the name
    the entry stores it under, as the integration hands it to `engine.system_config`), on the
    bridge's zones and source entity."""
    zones = tuple(
        replace(z, priority=1 if z.zone_id == thermostat_room else 0) for z in config.zones
    )
    return system_config(
        config.topology,
        zones,
        CELSIUS,
        source=config.source,
        min_airflow_percent=finite(options.get("min_airflow_percent")),
        min_run_minutes=finite(options.get("min_run_minutes")),
        min_off_minutes=finite(options.get("min_off_minutes")),
        tolerance=finite(options.get("tolerance")),
        mode_dwell_minutes=finite(options.get("mode_dwell_minutes")),
        quiet_heads=options.get("head_control") == "quiet",
    )


class ScheduledDriver(EngineDriver):
    """`EngineDriver` with the benchmark's schedule, the demo's options and rounded sensors."""

    def __init__(
        self, house: Any, season: Season, options: dict[str, Any], *, held: bool = False
    ) -> None:
        """Controllers configured like the demo's config entries (plus `options`); with
        `held`, every zone at its home preset all day instead of the schedule."""
        # The base class's own schedule knows winter and summer only; `settings_now` replaces it.
        super().__init__(house, cast("Any", season))
        self.scenario_season: Season = season
        self.held = held
        setups = {s.system: s for s in demo_systems(house, **options)}
        for sid, system in self.systems.items():
            thermostat = None
            if sid in house.ducted:
                thermostat = house.spec.ducted[list(house.ducted).index(sid)].thermostat_room
            system.config = configured(system.config, dict(setups[sid].options), thermostat)
            system.controller = Controller(system.config, house.time)

    def settings_now(self, system_id: str) -> dict[str, ZoneSettings]:
        """Each zone at its scheduled preset."""
        t = self.house.time
        return {
            z.zone_id: scheduled_settings(self.scenario_season, z.zone_id, t, self, held=self.held)
            for z in self.systems[system_id].config.zones
        }

    def before_step(self) -> None:
        """Observe (sensors rounded), decide, command."""
        now = self.house.time
        for sid, system in self.systems.items():
            system.settings = self.settings_now(sid)
            obs = rounded(observe(self.house, system.config, system.settings))
            decision = system.controller.step(now, obs)
            apply(self.house, decision.commands)
            system.obs, system.decision = obs, decision


def rounded(obs: SystemObservation) -> SystemObservation:
    """Room temperatures as a sensor entity with one decimal shows them."""
    zones = {
        zid: replace(
            z,
            temperature=None if z.temperature is None else round(z.temperature, SENSOR_DECIMALS),
        )
        for zid, z in obs.zones.items()
    }
    return replace(obs, zones=zones)


def run_engine(
    seasons: list[Season],
    days: float,
    warmup_h: float,
    seed: int,
    options: dict[str, Any],
    *,
    build: HouseBuilder = build_season_house,
    held: bool = False,
) -> dict[str, dict[str, SystemScore]]:
    """Scores per season and system, as `bench_control.run_hpz` returns them (`build`: the
    house, the demo house by default; `held`: every zone at home all day)."""
    results: dict[str, dict[str, SystemScore]] = {}
    for season in seasons:
        house = build(season, days + warmup_h / 24.0, seed)
        driver = ScheduledDriver(house, season, options, held=held)
        monitor = Monitor(house, season, score_from=house.time + warmup_h * 3600.0)
        for _ in range(round((warmup_h + 24.0 * days) * 3600.0 / STEP_S)):
            driver.before_step()
            house.step(STEP_S)
            monitor.record(STEP_S)
        results[season] = monitor.result()
    return results
