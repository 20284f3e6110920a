"""Fixtures of the browser tests: a real Home Assistant per module, one Chromium per session.

On a failure, the screenshots of the test's steps and of the window at the end go to
`e2e/screenshots/<test>/`, with the end of Home Assistant's log beside them.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
import re
import shutil

import pytest

from .browser import Browser, available
from .server import DemoServer

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember each phase's report on the test item (for the screenshot fixture)."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Generator[Browser]:
    """Headless Chromium; the tests are skipped where it is not installed."""
    if not available():
        pytest.skip("Chromium and chromium-driver are not installed (scripts/setup installs them)")
    SCREENSHOTS.mkdir(exist_ok=True)
    b = Browser()
    yield b
    b.close()


def _server(tmp_path_factory: pytest.TempPathFactory, *, systems: bool) -> Iterator[DemoServer]:
    server = DemoServer(DemoServer.folder(tmp_path_factory), systems=systems)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if server.newest:  # its folder is in the checkout's .cache/, not a temporary one
            shutil.rmtree(server.config.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The demo's equipment, and no Heat Pump Zoning entry yet: a new user's Home Assistant."""
    yield from _server(tmp_path_factory, systems=False)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The demo exactly as `scripts/develop` starts it (systems, zones, Energy dashboard)."""
    yield from _server(tmp_path_factory, systems=True)


@pytest.fixture(autouse=True)
def screenshots_on_failure(request: pytest.FixtureRequest, browser: Browser) -> Generator[None]:
    """Write the test's step screenshots (and the window now) when it fails."""
    browser.steps.clear()
    yield
    reports = [getattr(request.node, f"report_{when}", None) for when in ("setup", "call")]
    if not any(report is not None and report.failed for report in reports):
        return
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for index, (name, png) in enumerate(browser.steps):
        (folder / f"{index:02d}-{re.sub(r'[^\w.-]+', '_', name)[:60]}.png").write_bytes(png)
    browser.screenshot(folder / "zz-at-failure.png")
    for fixture in ("fresh_server", "demo_server"):
        if fixture in request.fixturenames:
            server: DemoServer = request.getfixturevalue(fixture)
            (folder / "home-assistant.log").write_text(server.log_tail(400), encoding="utf-8")
