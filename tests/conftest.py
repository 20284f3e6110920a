"""Shared fixtures for the Home Assistant tests of Heat Pump Zoning."""

from __future__ import annotations

from collections.abc import Generator
import os
from unittest.mock import AsyncMock, patch

from hypothesis import settings
import pytest

# Import our package before the `hass` fixture starts: otherwise the test plugin's own
# `custom_components` package shadows ours and set-up fails with "Integration not found".
import custom_components.heat_pump_zoning  # noqa: F401

# `scripts/test` (and so CI) runs hypothesis derandomized: the same examples every run, so a
# green run stays green and coverage does not depend on luck. Plain `pytest` explores randomly.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
if os.environ.get("HPZ_REPEATABLE"):
    settings.load_profile("repeatable")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from `custom_components/`."""
    return


@pytest.fixture
def mock_setup_entry() -> Generator[AsyncMock]:
    """Keep config flow tests away from the runtime layer: set-up just succeeds."""
    with (
        patch("custom_components.heat_pump_zoning.async_setup_entry", return_value=True) as mock,
        patch("custom_components.heat_pump_zoning.async_unload_entry", return_value=True),
    ):
        yield mock
