"""Reading reply_markup as Telegram does: inline keyboards checked, reply keyboards noted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.errors import bad_request


@dataclass
class Markup:
    """What a reply_markup means for the user's screen."""

    raw: dict[str, Any] | None = None
    buttons: list[list[dict[str, str]]] = field(default_factory=list)  # inline keyboard
    request_contact: bool = False

    @property
    def inline(self) -> dict[str, Any] | None:
        """The markup as Telegram echoes it in a Message: inline keyboards only."""
        if self.raw is not None and "inline_keyboard" in self.raw:
            return self.raw
        return None


def parse_markup(raw: Any, *, max_callback_data_bytes: int, inline_only: bool = False) -> Markup:
    """Validate a decoded reply_markup; raise 400 where Telegram would."""
    if raw is None:
        return Markup()
    if not isinstance(raw, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        rows = _rows(raw["inline_keyboard"], "inline keyboard")
        buttons = [[_inline_button(b, max_callback_data_bytes) for b in row] for row in rows]
        return Markup(raw=raw, buttons=buttons)
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in raw:
        rows = _rows(raw["keyboard"], "keyboard")
        contact = any(
            isinstance(button, dict) and bool(button.get("request_contact"))
            for row in rows
            for button in row
        )
        return Markup(raw=raw, request_contact=contact)
    if raw.get("remove_keyboard") or raw.get("force_reply"):
        return Markup(raw=raw)
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(value: Any, what: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(f'field "{what}" of the ReplyMarkup must be an Array of Arrays')
    return value


def _inline_button(button: Any, max_data_bytes: int) -> dict[str, str]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= max_data_bytes
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    return {key: value for key, value in button.items() if isinstance(value, str)}
