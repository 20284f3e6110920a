"""Start Home Assistant (`hass`) on the development machine's Python.

Home Assistant 2026.2 refuses to start on Python older than 3.13.2 although it runs on 3.13.0
(see shared/HOME_ASSISTANT.md): lower that check to the running interpreter's version, then hand
over to Home Assistant's own entry point. Development only: never part of the integration.
"""

from __future__ import annotations

import sys

from homeassistant import __main__ as hass_main


def main() -> int:
    """Run `hass` with the given arguments."""
    vars(hass_main)["REQUIRED_PYTHON_VER"] = tuple(sys.version_info[:3])
    return hass_main.main()


if __name__ == "__main__":
    sys.exit(main())
