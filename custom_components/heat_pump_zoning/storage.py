"""The storage file of one system: the controller's memory, the runtime ledger, the room model.

``{"memory": ..., "ledger": ..., "rooms": ...}`` under the key ``heat_pump_zoning.<entry_id>``,
written by Home Assistant's `Store` (within a minute of a change, on unload and on the final
write). The memory's stored form is the engine's (`engine.memory_to_dict`, on the wall clock of
the save),
the ledger's is `Ledger.to_dict`, the room model's `RoomModels.to_dict` (a few hundred bytes
a zone, bounded).

`Store.async_delay_save` moves a pending write back to ``delay`` after the *latest* call, so a
system that decides every 20 s (a chatty sensor) was never written until it stopped, and a crash
lost everything since. `SystemStore.async_save_within` keeps the first deadline instead: a write
is due at most ``delay`` seconds after the first change since the last write, however often it is
asked for (an earlier deadline still wins).

Versions:

- 1: ledger schema 1, every day in the verbose form (`DayBucket.to_dict`).
- 2: ledger schema 2, closed days as compact strings (`engine/ledger/store.py`), several times
  smaller. Older versions of the integration cannot read it, hence a new major version: they
  refuse the file (the entry fails to set up) instead of replacing the history with a new ledger.

- 2.2: adds the room model (``rooms``). A minor version: 2.1 code reads the file and ignores
  it, and 2.2 code reads a 2.1 file as it is (the model starts from its defaults).

Migrating 1 -> 2 converts nothing in the file: schema 2 code reads schema 1 ledgers as they are,
closes their past days when it loads them and writes them compact with the next save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .engine import ControllerMemory, Ledger, RoomModels, memory_from_dict, memory_to_dict

STORAGE_VERSION: Final = 2
STORAGE_MINOR_VERSION: Final = 2


class SystemStore(Store[dict[str, Any]]):
    """The `Store` of one config entry, migrating older versions of the file."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """The store of ``entry_id``."""
        super().__init__(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}", minor_version=STORAGE_MINOR_VERSION
        )
        self._due: float | None = None  # loop time the pending write is due at (None: none)

    async def async_load_object(self) -> tuple[dict[str, Any], str | None]:
        """The stored object ({} without a file), and what the file holds when not an object.

        Only the ledger and the compressor-protection memory live there (zone settings are
        restored by their entities), so a file that holds something else starts those two again.
        """
        stored: Any = await self.async_load()  # typed as a dict; the file holds anything
        if stored is None or isinstance(stored, dict):
            return stored or {}, None
        return {}, type(stored).__name__

    @callback
    def async_save_within(self, data_func: Callable[[], dict[str, Any]], delay: float) -> None:
        """Write at most ``delay`` seconds from now; a write already due sooner is kept.

        The data is taken when the write happens (from ``data_func``), so a kept write still
        carries every change made before it.
        """
        now = self.hass.loop.time()
        if self._due is not None and now <= self._due <= now + delay:
            return
        self._due = now + delay
        self.async_delay_save(lambda: self._take(data_func), delay)

    def _take(self, data_func: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The data of the write happening now: no write is pending any more."""
        self._due = None
        return data_func()

    async def async_save(self, data: dict[str, Any]) -> None:
        """Write now (this also takes the place of a pending delayed write)."""
        self._due = None
        await super().async_save(data)

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Versions 1 and 2.1 are read as they are (see module); a newer major version than this
        code is refused (Home Assistant reads a newer minor version as it is)."""
        if old_major_version == 1 or (
            old_major_version == STORAGE_VERSION and old_minor_version < STORAGE_MINOR_VERSION
        ):
            return old_data
        raise NotImplementedError(
            f"{self.key}: storage version {old_major_version}.{old_minor_version} is newer than "
            f"this version of Heat Pump Zoning reads ({STORAGE_VERSION}.{STORAGE_MINOR_VERSION})"
        )


def stored_memory(stored: dict[str, Any]) -> ControllerMemory | None:
    """The controller's memory in a stored object (None: none that can be used)."""
    return memory_from_dict(stored.get("memory"))


def data_to_store(memory: ControllerMemory, ledger: Ledger, rooms: RoomModels) -> dict[str, Any]:
    """What the file holds: the memory (on the wall clock of the save), the ledger and the
    room model."""
    return {"memory": memory_to_dict(memory), "ledger": ledger.to_dict(), "rooms": rooms.to_dict()}
