"""Finish Home Assistant's onboarding of the demo over its HTTP API (first start only).

    python -m dev.onboard http://127.0.0.1:8123

Waits for the server, then, if onboarding is not done: creates the demo user (name "Developer",
username/password "dev") and completes any other step `dev.seed_config` has not marked done, so
that a browser on this machine (trusted network) opens straight onto the dashboard.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
from urllib import error, parse, request

CLIENT_ID_PATH = "/"
TIMEOUT_S = 600.0
USERNAME = PASSWORD = "dev"


def call(url: str, data: Any = None, token: str | None = None, form: bool = False) -> Any:
    """GET (no data) or POST (JSON or form) and return the decoded JSON answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = None
    if data is not None:
        if form:
            body = parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
    with request.urlopen(request.Request(url, body, headers), timeout=30) as answer:
        text = answer.read().decode() or "null"
    return json.loads(text)


def wait_for(base: str, deadline: float) -> list[dict[str, Any]]:
    """The onboarding steps, once the server answers."""
    while True:
        try:
            steps: list[dict[str, Any]] = call(f"{base}/api/onboarding")
        except error.HTTPError as err:
            if err.code == 404:  # onboarding finished earlier: its views are not registered
                return [{"step": "user", "done": True}]
            raise
        except (error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
            continue
        return steps


def login(base: str) -> str:
    """An access token for the demo user, through the username/password login flow."""
    client_id = base + CLIENT_ID_PATH
    flow = call(
        f"{base}/auth/login_flow",
        {
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{base}/?auth_callback=1",
        },
    )
    code = call(
        f"{base}/auth/login_flow/{flow['flow_id']}",
        {"client_id": client_id, "username": USERNAME, "password": PASSWORD},
    )["result"]
    token: str = call(
        f"{base}/auth/token",
        {"grant_type": "authorization_code", "code": code, "client_id": client_id},
        form=True,
    )["access_token"]
    return token


def onboard(base: str, deadline: float | None = None) -> str:
    """Finish onboarding if needed (waiting for the server); return an access token."""
    base = base.rstrip("/")
    client_id = base + CLIENT_ID_PATH
    steps = wait_for(base, deadline if deadline is not None else time.monotonic() + TIMEOUT_S)
    done = {step["step"] for step in steps if step.get("done")}
    if "user" in done:
        return login(base)
    code = call(
        f"{base}/api/onboarding/users",
        {
            "client_id": client_id,
            "name": "Developer",
            "username": USERNAME,
            "password": PASSWORD,
            "language": "en",
        },
    )["auth_code"]
    token: str = call(
        f"{base}/auth/token",
        {"grant_type": "authorization_code", "code": code, "client_id": client_id},
        form=True,
    )["access_token"]
    for step in ("core_config", "analytics"):
        if step not in done:
            call(f"{base}/api/onboarding/{step}", {}, token)
    if "integration" not in done:
        call(
            f"{base}/api/onboarding/integration",
            {"client_id": client_id, "redirect_uri": f"{base}/?auth_callback=1"},
            token,
        )
    print("dev.onboard: onboarding done (user 'dev', password 'dev')")
    return token


def main(argv: list[str]) -> int:
    """Onboard if needed."""
    onboard(argv[0] if argv else "http://127.0.0.1:8123")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
