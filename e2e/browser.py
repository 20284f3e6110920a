"""Headless Chromium driven through Selenium (Debian's `chromium` and `chromium-driver`).

Home Assistant's frontend is made of web components, each with its own shadow root, so CSS
selectors from the document do not reach into it. `Browser.find` runs a small script that walks
every open shadow root; the elements it returns are ordinary WebElements, clicked and typed into
through the WebDriver protocol like a user would (trusted input events, not synthetic ones).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
import shutil
import tempfile
import time
from typing import Any, TypeVar

from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    JavascriptException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.remote.webelement import WebElement

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_S = 20.0
T = TypeVar("T")

# The text an element shows, shadow roots included, whitespace collapsed (a JS function
# `deepText`, the start of the scripts below).
_DEEP_TEXT = r"""
const deepText = (el) => {
  const parts = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) parts.push(child.textContent);
      if (child.shadowRoot) walk(child.shadowRoot);
      walk(child);
    }
  };
  if (el.shadowRoot) walk(el.shadowRoot);
  walk(el);
  return parts.join(' ').replace(/\s+/g, ' ');
};
"""

# Every element matching `selector` below `root` (the document by default), looking into every
# open shadow root. "a >>> b" means: b anywhere below (or inside the shadow root of) a match of a.
_DEEP_QUERY = (
    _DEEP_TEXT
    + r"""
const [selector, root, text, hidden] = arguments;
const below = (start, css) => {
  const found = [];
  const walk = (node) => {
    for (const el of node.querySelectorAll(css)) found.push(el);
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(start);
  if (start.shadowRoot) walk(start.shadowRoot);
  return found;
};
let matches = [root || document];
for (const css of selector.split('>>>').map((part) => part.trim())) {
  matches = [...new Set(matches.flatMap((start) => below(start, css)))];
}
const visible = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
return matches
  .filter((el) => hidden || visible(el))
  .filter((el) => !text || deepText(el).includes(text));
"""
)

# The text of the open dialog (dialogs live in the shadow root of <home-assistant>), or of
# the whole page without one; shadow roots included, whitespace collapsed.
_SHOWN_TEXT = (
    _DEEP_TEXT
    + r"""
const host = document.querySelector('home-assistant');
const dialog = host && host.shadowRoot && host.shadowRoot.querySelector(
  'dialog-data-entry-flow, dialog-add-integration');
return deepText(dialog || document.body).trim();
"""
)

# Whether what a pointer at the middle of arguments[0] would hit is arguments[0] or inside it.
_HIT_IS_INSIDE = """
const el = arguments[0];
const r = el.getBoundingClientRect();
const x = r.left + r.width / 2, y = r.top + r.height / 2;
let hit = document.elementFromPoint(x, y);
while (hit && hit.shadowRoot) {
  const inner = hit.shadowRoot.elementFromPoint(x, y);
  if (!inner || inner === hit) break;
  hit = inner;
}
// Up the rendered tree: into the slot a node is shown in, out of shadow roots to their host.
for (let node = hit; node; node = node.assignedSlot || node.parentNode || node.host) {
  if (node === el) return true;
}
return false;
"""


def available() -> bool:
    """True when Chromium and its driver are installed."""
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


class Browser:
    """One headless Chromium window with a fresh profile."""

    def __init__(self, width: int = 1280, height: int = 1000) -> None:
        """Start Chromium (no network beyond loopback is needed or tried)."""
        self._profile = tempfile.mkdtemp(prefix="hpz-e2e-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            f"--window-size={width},{height}",
            f"--user-data-dir={self._profile}",
            "--lang=en-US",
        ):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.set_script_timeout(30)
        self.steps: list[tuple[str, bytes]] = []  # screenshots of the current test's steps

    def step(self, name: str) -> None:
        """Keep a screenshot of what the window shows now, labelled `name`."""
        self.steps.append((name, self.driver.get_screenshot_as_png()))

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)

    def open(self, url: str) -> None:
        """Load `url` and wait until Home Assistant's frontend shows a panel."""
        # The previous page can still be shown after `get` returns (seen once: the rooms
        # dashboard opened on the last test's integration page); a mark on the old document
        # tells when a new one has loaded, and `get` is tried again if none has.
        for attempt in range(3):
            self.driver.execute_script("window.__hpzOldPage = true;")
            self.driver.get(url)
            try:
                self.wait(
                    lambda: self.driver.execute_script("return !window.__hpzOldPage;"),
                    f"a new page for {url}",
                    timeout=10.0,
                )
                break
            except TimeoutError:
                if attempt == 2:
                    raise
        self.wait(
            lambda: self.driver.execute_script(
                "const ha = document.querySelector('home-assistant');"
                "const main = ha && ha.shadowRoot && ha.shadowRoot.querySelector("
                "'home-assistant-main');"
                "return Boolean(ha && ha.hass && ha.hass.connected && main);"
            ),
            "the frontend to connect",
        )
        self.find("partial-panel-resolver > *", what="the page's panel")
        self.step(f"open {url.split('/', 3)[-1]}")

    def hass(self, expression: str, *args: Any) -> Any:
        """Evaluate `expression` with `hass` (the frontend's connection object) in scope."""
        return self.driver.execute_script(
            f"const hass = document.querySelector('home-assistant').hass;return ({expression});",
            *args,
        )

    def find_all(
        self,
        selector: str,
        *,
        text: str | None = None,
        root: WebElement | None = None,
        hidden: bool = False,
    ) -> list[WebElement]:
        """Elements matching `selector` anywhere (shadow roots included); visible ones only
        unless `hidden` (a dialog's host element, for one, has no box of its own)."""
        try:
            found: list[WebElement] = self.driver.execute_script(
                _DEEP_QUERY, selector, root, text, hidden
            )
        except (JavascriptException, StaleElementReferenceException):
            return []
        return found

    def find(
        self,
        selector: str,
        *,
        text: str | None = None,
        root: WebElement | None = None,
        hidden: bool = False,
        what: str | None = None,
    ) -> WebElement:
        """The first element matching `selector` (and containing `text`), waiting for it."""
        return self.wait(
            lambda: next(iter(self.find_all(selector, text=text, root=root, hidden=hidden)), None),
            what or f"{selector!r}" + (f" with {text!r}" if text else ""),
        )

    def gone(self, selector: str, *, text: str | None = None) -> None:
        """Wait until nothing visible matches `selector`."""
        self.wait(lambda: not self.find_all(selector, text=text), f"{selector!r} to go")

    def click(self, element: WebElement) -> None:
        """Scroll `element` into view and click its middle like a user would.

        WebDriver refuses a click that lands on another element, even on the icon inside a
        button; then the click goes through as a pointer click at the same spot if what is
        there belongs to `element`. Otherwise (a dialog in front, an animation) it retries.
        """
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                self.driver.execute_script(
                    "arguments[0].scrollIntoView({block: 'center'});", element
                )
                element.click()
                return
            except ElementClickInterceptedException:
                if self.driver.execute_script(_HIT_IS_INSIDE, element):
                    ActionChains(self.driver).move_to_element(element).click().perform()
                    return
                if time.monotonic() > deadline:
                    raise
            except ElementNotInteractableException:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)

    def wait(self, condition: Callable[[], T | None], what: str, timeout: float = WAIT_S) -> T:
        """Poll `condition` until it returns something truthy; fail naming `what`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = condition()
            except StaleElementReferenceException:
                result = None
            if result:
                return result
            if time.monotonic() > deadline:
                shown = self.on_screen()
                raise TimeoutError(f"waited {timeout:.0f} s for {what}; on screen: {shown}")
            time.sleep(0.2)

    def text_of(self, element: WebElement) -> str:
        """Every text `element` shows, shadow roots included, whitespace collapsed."""
        text: str = self.driver.execute_script(
            _DEEP_TEXT + "return deepText(arguments[0]).trim();", element
        )
        return text

    def on_screen(self, limit: int = 800) -> str:
        """The text the open dialog shows (the page's without one), cut at `limit` characters:
        what a failure message says was there instead of what was awaited."""
        try:
            text: str = self.driver.execute_script(_SHOWN_TEXT)
        except WebDriverException as err:  # a failure message must not fail in turn
            return f"(unreadable: {err.__class__.__name__})"
        return text if len(text) <= limit else text[:limit] + " …"

    def screenshot(self, path: Path) -> None:
        """Save what the window shows as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
