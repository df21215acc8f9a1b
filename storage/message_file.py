"""A file a message carries (the weekly chart, a workbook): one shape for the outbox, the
handlers' answers and the adapters that send it.

It lives here, below every room, because the outbox stores it and `handlers.messages` hands
it on; it imports nothing, so the channel-neutral messages stay cheap to import.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FileKind(StrEnum):
    """How the platform shows the file: a picture in the chat, or a file to open."""

    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    """A file to send: its kind, the name the person sees, its MIME type, and its bytes."""

    kind: FileKind
    name: str
    mime: str
    content: bytes

    def __repr__(self) -> str:  # the bytes would flood a log line or a failed assertion
        return (
            f"OutgoingFile(kind={self.kind.value!r}, name={self.name!r}, mime={self.mime!r}, "
            f"size={len(self.content)})"
        )
