"""The storage file of one system: the controller's memory and the runtime ledger.

``{"memory": ..., "ledger": ...}`` under the key ``heat_pump_zoning.<entry_id>``, written by
Home Assistant's `Store` (within a minute of a change, on unload and on the final write).

Versions:

- 1: ledger schema 1, every day in the verbose form (`DayBucket.to_dict`).
- 2: ledger schema 2, closed days as compact strings (`engine/ledger_store.py`), several times
  smaller. Older versions of the integration cannot read it, hence a new major version: they
  refuse the file (the entry fails to set up) instead of replacing the history with a new ledger.

Migrating 1 -> 2 converts nothing in the file: schema 2 code reads schema 1 ledgers as they are,
closes their past days when it loads them and writes them compact with the next save.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN

STORAGE_VERSION: Final = 2
STORAGE_MINOR_VERSION: Final = 1


class SystemStore(Store[dict[str, Any]]):
    """The `Store` of one config entry, migrating older versions of the file."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """The store of ``entry_id``."""
        super().__init__(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}", minor_version=STORAGE_MINOR_VERSION
        )

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Version 1 is read as it is (see module); a newer file than this code is refused."""
        if old_major_version == 1:
            return old_data
        raise NotImplementedError(
            f"{self.key}: storage version {old_major_version}.{old_minor_version} is newer than "
            f"this version of Heat Pump Zoning reads ({STORAGE_VERSION}.{STORAGE_MINOR_VERSION})"
        )
