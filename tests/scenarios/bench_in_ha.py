"""Heat Pump Zoning inside Home Assistant on the benchmark's seasons (run by bench_control).

A pytest module, because it needs the `hass` and `freezer` fixtures of
pytest-homeassistant-custom-component and the tests' `conftest`; `bench_control` runs it in the
same process through `pytest.main` (its name does not match `test_*.py`, so the normal test run
does not collect it). Loading `tests/conftest.py` as a plugin from elsewhere instead left Home
Assistant's import-executor thread running at teardown. It reads its parameters from the
environment variable `HPZ_BENCH` (JSON) and writes the scores to the file that names.
"""

from __future__ import annotations

from dataclasses import asdict
import json
import os
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from tests.scenarios.harness import async_finish, async_run, async_start_scenario

PARAMS: dict[str, Any] = json.loads(os.environ.get("HPZ_BENCH", "{}"))


@pytest.fixture
def expected_lingering_timers() -> bool:
    """Home Assistant's own daily registry clean-up timer may be left: not a benchmark concern."""
    return True


@pytest.mark.parametrize("season", PARAMS.get("seasons", []))
async def test_season(hass: HomeAssistant, freezer: FrozenDateTimeFactory, season: str) -> None:
    """Run one season and store its scores."""
    days = float(PARAMS["days"])
    warmup_h = float(PARAMS["warmup_h"])
    scenario = await async_start_scenario(
        hass,
        freezer,
        season,  # type: ignore[arg-type]
        days=days,
        warmup_h=warmup_h,
        seed=int(PARAMS["seed"]),
        options=PARAMS.get("options") or None,
    )
    await async_run(scenario, warmup_h + 24.0 * days)
    await async_finish(scenario)
    scores = {sid: asdict(score) for sid, score in scenario.monitor.result().items()}
    out = Path(PARAMS["out"])
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    results[season] = scores
    out.write_text(json.dumps(results), encoding="utf-8")
