"""What the sandbox remembers: messages the bot sent, files, callback answers, counters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SentMessage:
    """One message the bot delivered, as the user would see it."""

    seq: int  # order of delivery over the whole sandbox, never reused (not even after reset)
    message_id: int
    chat_id: int
    text: str | None  # visible text (HTML tags removed when parse_mode is HTML)
    buttons: list[list[dict[str, str]]]  # inline keyboard rows: [{"text": .., "callback_data": ..}]
    request_contact: bool  # a reply keyboard with a request_contact button was attached
    method: str  # sendMessage, sendDocument, sendPhoto, ...
    sent_at: float  # time.time()
    edits: list[str]  # earlier texts when editMessageText changed it
    document: bytes | None = None
    file_name: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    raw_text: str | None = None  # text or caption exactly as the bot sent it
    reply_markup: dict[str, Any] | None = None  # the last reply_markup as sent, decoded
    mime_type: str | None = None  # of the uploaded file, as the multipart part declared it


@dataclass
class StoredFile:
    """A file the sandbox can serve through getFile and the download route."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class CallbackAnswer:
    """The bot's answerCallbackQuery to one injected button press."""

    callback_query_id: str
    user_id: int
    text: str | None
    show_alert: bool


@dataclass
class SandboxStats:
    """Counters for benchmarks and for tests that check retries."""

    requests: Counter[str] = field(default_factory=Counter)  # per Bot API method
    responses: Counter[int] = field(default_factory=Counter)  # per HTTP status
    delivered: int = 0  # messages that reached a chat
    throttled: int = 0  # 429s served, by the limiter or by a fault
    faults: int = 0  # answers decided by an injected fault

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return {
            "requests": dict(self.requests),
            "responses": {str(status): n for status, n in self.responses.items()},
            "delivered": self.delivered,
            "throttled": self.throttled,
            "faults": self.faults,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SandboxStats:
        """Inverse of `to_dict`."""
        return cls(
            requests=Counter({str(k): int(v) for k, v in data["requests"].items()}),
            responses=Counter({int(k): int(v) for k, v in data["responses"].items()}),
            delivered=int(data["delivered"]),
            throttled=int(data["throttled"]),
            faults=int(data["faults"]),
        )
