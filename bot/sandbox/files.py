"""The sandbox's files: what users sent and what the bot uploaded, served back by id or path."""

from __future__ import annotations

import itertools

from bot.sandbox.records import StoredFile


class FileStore:
    """Bytes kept under a fresh file_id and file_path, as getFile and the download route
    serve them."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)  # survives clear(): no file_id is ever reused
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def clear(self) -> None:
        """Forget every file."""
        self._by_id.clear()
        self._by_path.clear()

    def store(
        self,
        content: bytes,
        folder: str,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        """Keep bytes under a fresh file_id and file_path."""
        number = next(self._numbers)
        stored = StoredFile(
            file_id=f"SBX{number:08d}{folder[:3]}",
            file_unique_id=f"U{number:08d}",
            file_path=f"{folder}/file_{number}{_suffix(file_name)}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def by_id(self, file_id: str) -> StoredFile | None:
        """A stored file by its file_id."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """A stored file by the file_path getFile gave out."""
        return self._by_path.get(file_path)


def _suffix(file_name: str | None) -> str:
    if file_name and "." in file_name:
        return "." + file_name.rsplit(".", 1)[1][:10]
    return ""
