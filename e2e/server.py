"""A real Home Assistant with the demo equipment, started for the browser tests.

`DemoServer` builds a fresh config folder from the demo's own files (`config/configuration.yaml`,
`ui-lovelace.yaml`, the `hpz_sim` simulator) through `dev.seed_config`, so the browser tests see
what `scripts/develop` shows, on a free loopback port. With `systems=False` no Heat Pump Zoning
entry is seeded: the tests create them through the UI, as a new user would.

`HPZ_E2E_NEWEST=1` runs the same on the newest Home Assistant (`scripts/develop --newest`'s
environment, through `scripts/newest --demo`); its config folders then live in `.cache/e2e/`,
inside the checkout that `scripts/newest` mounts.
"""

from __future__ import annotations

from collections.abc import Mapping
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any
from urllib import error, request

from custom_components.heat_pump_zoning.config_flow import REPORT_KEYS
from dev import onboard, seed_config

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 240.0
NEWEST = os.environ.get("HPZ_E2E_NEWEST") == "1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class DemoServer:
    """`hass` in a subprocess on a private config folder; stopped (and waited for) on `stop`."""

    def __init__(self, config: Path, *, systems: bool, newest: bool = NEWEST) -> None:
        """Prepare `config` (a new, empty folder) like `scripts/develop` prepares `config/`."""
        self.config = config
        self.newest = newest
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = ""
        self._process: subprocess.Popen[bytes] | None = None
        config.mkdir(parents=True, exist_ok=True)
        for name in ("configuration.yaml", "ui-lovelace.yaml"):
            shutil.copy(ROOT / "config" / name, config / name)
        components = config / "custom_components"
        components.mkdir(exist_ok=True)
        # Relative links: they also resolve where scripts/newest mounts the checkout.
        for name, target in (
            ("heat_pump_zoning", "custom_components/heat_pump_zoning"),
            ("hpz_sim", "dev/custom_components/hpz_sim"),
        ):
            (components / name).symlink_to(os.path.relpath(ROOT / target, components))
        seed_config.main(
            [
                str(config),
                *([] if systems else ["--no-systems"]),
                *(["--http-in-storage", str(self.port)] if newest else []),
            ]
        )

    @staticmethod
    def folder(tmp_path_factory: Any) -> Path:
        """A new config folder: a temporary one, or one under `.cache/e2e/` for the newest."""
        if not NEWEST:
            return Path(tmp_path_factory.mktemp("hass")) / "config"
        base = ROOT / ".cache" / "e2e"
        base.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=base)) / "config"

    @property
    def log(self) -> Path:
        """Home Assistant's log file."""
        return self.config / "home-assistant.log"

    def start(self) -> None:
        """Start Home Assistant, wait until it runs, and finish onboarding (token for `api`)."""
        env = os.environ | {
            "PYTHONPATH": os.pathsep.join([str(self.config), str(ROOT)]),
            "HPZ_DEMO_PORT": str(self.port),
        }
        command = [sys.executable, "-m", "dev.run_hass", "-c", str(self.config), "--skip-pip"]
        if self.newest:  # paths relative to the checkout, the working directory there too
            relative = str(self.config.relative_to(ROOT))
            command = [
                "scripts/newest",
                "--demo",
                "env",
                f"PYTHONPATH={relative}:.",
                "python",
                "-m",
                "dev.run_hass",
                "-c",
                relative,
                "--skip-pip",
            ]
        self._process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        self.token = onboard.onboard(self.url, deadline=deadline)
        while self.api("GET", "config").get("state") != "RUNNING":
            self._check_alive(deadline)
            time.sleep(0.5)

    def _check_alive(self, deadline: float) -> None:
        if self._process is not None and self._process.poll() is not None:
            raise RuntimeError(f"Home Assistant exited; log tail:\n{self.log_tail()}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"Home Assistant did not start; log tail:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        """The end of the log, for failure messages."""
        if not self.log.exists():
            return "(no log)"
        return "\n".join(self.log.read_text(encoding="utf-8").splitlines()[-lines:])

    def api(self, method: str, path: str, data: Mapping[str, Any] | None = None) -> Any:
        """Call Home Assistant's REST API as the demo user."""
        body = json.dumps(data).encode() if data is not None else None
        req = request.Request(
            f"{self.url}/api/{path}",
            body,
            {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method=method,
        )
        try:
            with request.urlopen(req, timeout=30) as answer:
                text = answer.read().decode()
        except error.HTTPError as err:
            raise RuntimeError(f"{method} {path}: {err.code} {err.read().decode()}") from err
        return json.loads(text) if text else None

    def state(self, entity_id: str) -> dict[str, Any]:
        """An entity's state object."""
        result: dict[str, Any] = self.api("GET", f"states/{entity_id}")
        return result

    def config_entries(self) -> list[dict[str, Any]]:
        """Heat Pump Zoning's config entries, as stored (options and subentries included)."""
        store = json.loads((self.config / ".storage/core.config_entries").read_text("utf-8"))
        return [e for e in store["data"]["entries"] if e["domain"] == "heat_pump_zoning"]

    def entry_id(self, title: str) -> str:
        """The id of Heat Pump Zoning's entry called `title`."""
        entries = self.api("GET", "config/config_entries/entry?domain=heat_pump_zoning")
        return str(next(e["entry_id"] for e in entries if e["title"] == title))

    def set_options(self, title: str, options: Mapping[str, Any]) -> None:
        """Set a system's options through its options flow (the report settings in their
        section, as the form has them)."""
        report = {key: value for key, value in options.items() if key in REPORT_KEYS}
        form = {key: value for key, value in options.items() if key not in REPORT_KEYS}
        flow = self.api(
            "POST", "config/config_entries/options/flow", {"handler": self.entry_id(title)}
        )
        result = self.api(
            "POST",
            f"config/config_entries/options/flow/{flow['flow_id']}",
            form | {"report": report},
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"options not accepted: {result}")

    def wait_for_state(self, entity_id: str, *, gone: bool = False, timeout: float = 30) -> None:
        """Wait until `entity_id` has a state (or, with `gone`, has none)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.state(entity_id)
                present = True
            except RuntimeError:
                present = False
            if present != gone:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{entity_id} {'still there' if gone else 'never appeared'}")
            time.sleep(0.3)

    def integration_problems(self) -> list[str]:
        """Log records at WARNING or above that come from Heat Pump Zoning (the loader's
        one "custom integration ... not been tested" notice aside)."""
        problems: list[str] = []
        record: list[str] = []
        for line in [*self.log.read_text(encoding="utf-8").splitlines(), "0000-00-00 END"]:
            if line[:4].isdigit() and record:
                text = "\n".join(record)
                if (
                    re.search(r"\b(WARNING|ERROR|CRITICAL)\b", record[0])
                    and "heat_pump_zoning" in text
                    and "has not been tested by Home Assistant" not in text
                ):
                    problems.append(text)
                record = []
            record.append(line)
        return problems

    def stop(self) -> None:
        """Stop Home Assistant (SIGTERM, then SIGKILL after 60 s)."""
        if self._process is None or self._process.poll() is not None:
            return
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
