"""botbuilder's `Storage` on the case store, so dialogs survive a restart."""

from __future__ import annotations

import json
from typing import Any

from botbuilder.core import Storage

from storage.bot_state import BotStateStore, EtagConflict


class SqlStorage(Storage):
    """Etag-aware: a write carrying an older etag than the stored one is refused."""

    def __init__(self, store: BotStateStore) -> None:
        super().__init__()
        self._store = store

    async def read(self, keys: list[str]) -> dict[str, Any]:
        items: dict[str, Any] = {}
        for key, (data, etag) in (await self._store.read(keys)).items():
            item = json.loads(data)
            item["e_tag"] = etag
            items[key] = item
        return items

    async def write(self, changes: dict[str, Any]) -> None:
        if not changes:
            return
        payload: dict[str, tuple[str, str | None]] = {}
        for key, change in changes.items():
            item = dict(change)
            etag = item.pop("e_tag", None)
            payload[key] = (json.dumps(item), etag)
        try:
            etags = await self._store.write(payload)
        except EtagConflict as conflict:
            raise KeyError(f"Etag conflict for bot state {conflict}") from conflict
        for key, change in changes.items():
            change["e_tag"] = etags[key]

    async def delete(self, keys: list[str]) -> None:
        await self._store.delete(keys)
