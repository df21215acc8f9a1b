"""The channel-neutral shape of a conversation: what a person sent, and what the bot answers.

Telegram and Zalo adapters translate their updates into `Incoming` and render `Outgoing`;
the handlers never see a platform object.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from schedules.message_parts import split_text, text_limit
from storage.outbox import FileKind, OutgoingFile

__all__ = [
    "Attachment",
    "Channel",
    "Choice",
    "Contact",
    "FileKind",
    "Incoming",
    "Outgoing",
    "OutgoingFile",
]


class Channel(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"

    @property
    def text_limit(self) -> int:
        """The longest text one message may carry (`schedules.message_parts.TEXT_LIMITS`)."""
        return text_limit(self.value)


@dataclass(frozen=True, slots=True)
class Contact:
    """A phone number shared with the platform's contact button."""

    phone: str
    user_id: str | None  # the platform user the card belongs to, when the platform says
    full_name: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file or photo the person sent; the platform keeps the bytes, we keep its id."""

    file_id: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    kind: str = "document"  # document, photo, sticker


@dataclass(frozen=True, slots=True)
class Incoming:
    """One thing a person did: a text, a command, a shared contact, a file or a button press."""

    channel: Channel
    user_id: str
    chat_id: str
    update_id: str
    display_name: str = ""
    text: str | None = None
    contact: Contact | None = None
    attachment: Attachment | None = None
    button_data: str | None = None
    message_id: str | None = None
    # The bot's own id on the platform: update ids are numbered per bot (getMe's id).
    bot_id: str = ""

    @property
    def command(self) -> tuple[str, str] | None:
        """`('start', 'ABC123')` for `/start ABC123`; None when the text is not a command."""
        if not self.text or not self.text.startswith("/"):
            return None
        # The name ends at the first space or line break: `/thongbao` and a notice of
        # several lines pasted under it.
        head, *rest = self.text.strip().split(maxsplit=1)
        name = head[1:].split("@", 1)[0].lower()
        return (name, rest[0].strip() if rest else "") if name else None


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: a label for the person and short data for the bot (at most 64 bytes)."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to send. `choices` are rows of buttons; `ask_contact` shows the share-phone key;
    `file` goes with the text (as its caption when it fits, see `bot.telegram_files`)."""

    text: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    ask_contact: bool = False
    chat_id: str | None = None  # None: answer in the chat the incoming message came from
    file: OutgoingFile | None = None

    def parts(self, channel: Channel) -> list[Outgoing]:
        """This answer as the channel can take it: itself, or numbered parts each within the
        channel's limit, with the buttons, the contact key and the file on the last part only."""
        texts = split_text(self.text, channel.text_limit)
        if len(texts) == 1:
            return [self]
        bare = replace(self, choices=(), ask_contact=False, file=None)
        return [replace(bare, text=text) for text in texts[:-1]] + [replace(self, text=texts[-1])]
