"""The platform's command menu, from the one registry of commands (`handlers.commands`)."""

from __future__ import annotations

from telegram import BotCommand

from handlers.commands import menu_entries


def telegram_menu() -> list[BotCommand]:
    """The commands Telegram lists under «/» in the chat, for everyone alike."""
    return [BotCommand(name, description) for name, description in menu_entries()]
