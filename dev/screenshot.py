"""Screenshot a page of the running demo with headless Chromium (for docs/demo.png).

    python -m dev.screenshot http://127.0.0.1:8123/hpz-demo/rooms docs/demo.png

Starts `chromium` with a DevTools port on loopback, opens the page (the trusted-network login
lets it straight in), waits for the dashboard to render, captures the viewport and stops Chromium.
`--screenshot` on the command line captures before Home Assistant's frontend has rendered.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
from pathlib import Path
import subprocess
from typing import Any

import aiohttp

PORT = 9229


async def capture(url: str, out: Path, wait_s: float, width: int, height: int) -> None:
    """Open `url`, wait, write a PNG."""
    chrome = subprocess.Popen(  # noqa: ASYNC220 (started once, nothing else runs yet)
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            f"--remote-debugging-port={PORT}",
            "--remote-debugging-address=127.0.0.1",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as session:
            targets: list[dict[str, Any]] = []
            for _ in range(50):
                try:
                    async with session.get(f"http://127.0.0.1:{PORT}/json") as answer:
                        targets = await answer.json()
                    if any(t.get("type") == "page" for t in targets):
                        break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
            page = next(t for t in targets if t.get("type") == "page")
            async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                ids = iter(range(1, 1000))

                async def send(method: str, **params: Any) -> dict[str, Any]:
                    msg_id = next(ids)
                    await ws.send_str(
                        json.dumps({"id": msg_id, "method": method, "params": params})
                    )
                    while True:
                        msg = json.loads((await ws.receive()).data)
                        if msg.get("id") == msg_id:
                            result: dict[str, Any] = msg.get("result", {})
                            return result

                await send("Page.enable")
                await send("Page.navigate", url=url)
                await asyncio.sleep(wait_s)
                shot = await send("Page.captureScreenshot", format="png")
                out.write_bytes(base64.b64decode(shot["data"]))
    finally:
        chrome.terminate()
        chrome.wait(timeout=10)


def main() -> None:
    """Parse arguments and capture."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--wait", type=float, default=20.0, help="seconds to let the page render")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(capture(args.url, args.out, args.wait, args.width, args.height))


if __name__ == "__main__":
    main()
