"""Telegram through python-telegram-bot: updates in as `Incoming`, `Outgoing` out, and the
outbox `Sender` that maps Bot API errors to what the dispatcher should do next."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast
from weakref import WeakValueDictionary

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes, ExtBot

from bot.telegram_files import FileTooLarge, Uploads, send_with_file
from handlers.messages import Attachment, Channel, Choice, Contact, Incoming, Outgoing
from handlers.router import Handled
from handlers.texts import INTERNAL_ERROR, SHARE_PHONE_BUTTON
from schedules.dispatcher import Rejected, RetryLater, SendOutcome, Sent, Unreachable
from storage.outbox import ClaimedMessage

log = logging.getLogger(__name__)

# The application as ApplicationBuilder makes it (default bot, context, data and job queue).
TelegramApplication = Application[Any, Any, Any, Any, Any, Any]
ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
# An answer to someone who just wrote waits out a 429 (the rate limiter sleeps and retries);
# outbox sends do not retry in place (the limiter's default is 0), the outbox reschedules them.
ANSWER_RETRIES = 3
# A turn: the message (and when it reached the bot, for one replayed from the spool).
RunTurn = Callable[
    [Incoming, Callable[[Handled], Awaitable[None]], datetime | None], Awaitable[Handled]
]


def to_incoming(update: Update, *, bot_id: str = "") -> Incoming | None:
    """The channel-neutral view of an update to the bot `bot_id`; None for updates the bot
    does not act on."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    base = Incoming(
        channel=Channel.TELEGRAM,
        user_id=str(user.id),
        chat_id=str(chat.id),
        update_id=str(update.update_id),
        display_name=user.full_name,
        bot_id=bot_id,
    )
    if (query := update.callback_query) is not None:
        message_id = str(query.message.message_id) if query.message else None
        return replace(base, button_data=query.data or "", message_id=message_id)
    message = update.message
    if message is None:
        return None
    contact = None
    if message.contact is not None:
        owner = message.contact.user_id
        contact = Contact(
            phone=message.contact.phone_number,
            user_id=str(owner) if owner is not None else None,
            full_name=" ".join(
                part for part in (message.contact.first_name, message.contact.last_name) if part
            ),
        )
    return replace(
        base,
        text=message.text or message.caption,
        contact=contact,
        attachment=_attachment(update),
        message_id=str(message.message_id),
    )


def _attachment(update: Update) -> Attachment | None:
    message = update.message
    if message is None:
        return None
    if message.document is not None:
        document = message.document
        return Attachment(
            document.file_id, document.file_name, document.mime_type, document.file_size
        )
    if message.photo:
        largest = message.photo[-1]
        return Attachment(largest.file_id, None, "image/jpeg", largest.file_size, kind="photo")
    if message.sticker is not None:
        return Attachment(message.sticker.file_id, kind="sticker")
    return None


def reply_markup(outgoing: Outgoing, *, after_contact: bool = False) -> ReplyMarkup | None:
    """Buttons under a message, the share-phone key, or taking that key away once used."""
    if outgoing.ask_contact:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(SHARE_PHONE_BUTTON, request_contact=True)]],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if outgoing.choices:
        return inline_keyboard(outgoing.choices)
    return ReplyKeyboardRemove() if after_contact else None


def inline_keyboard(rows: tuple[tuple[Choice, ...], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(choice.label, callback_data=choice.data) for choice in row]
            for row in rows
        ]
    )


class UpdateRouter:
    """The one PTB handler: every update goes to the channel-neutral router, in order per chat.

    PTB runs updates concurrently (many chairs answer at once); a lock per chat keeps one
    person's messages in the order they were sent. `run` is the turn (`bot.turns.Turns.run`:
    the handlers, the answers sent, the spool, an apology for a failure), so nothing escapes
    to PTB but a bug here; `turn` also serves messages replayed from the spool.
    """

    def __init__(self, run: RunTurn, on_outbox_changed: Callable[[], None]) -> None:
        self._run = run
        self._on_outbox_changed = on_outbox_changed
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle one update and answer in its chat."""
        incoming = to_incoming(update, bot_id=str(context.bot.id))
        if incoming is None:
            return
        await self.turn(cast("ExtBot[int]", context.bot), incoming, query=update.callback_query)

    async def turn(
        self,
        bot: ExtBot[int],
        incoming: Incoming,
        *,
        query: CallbackQuery | None = None,
        arrived: datetime | None = None,
    ) -> None:
        """Handle one message and send its answers, under its chat's lock."""
        chat_id = int(incoming.chat_id)
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        async with lock:
            if query is not None:
                await _answer_callback(query)
            contact = incoming.contact is not None

            async def send(handled: Handled) -> None:
                try:
                    await _send_answers(bot, chat_id, handled, after_contact=contact)
                except Exception as error:  # stored and handled: only the answer is missing
                    log.warning(
                        "answer to update %s not sent: %s",
                        incoming.update_id, type(error).__name__,
                    )  # fmt: skip

            handled = await self._run(incoming, send, arrived)
        if handled.outbox_changed:
            self._on_outbox_changed()


async def _send_answers(
    bot: ExtBot[int], chat_id: int, handled: Handled, *, after_contact: bool
) -> None:
    for answer in handled.answers:
        parts = answer.parts(Channel.TELEGRAM)  # a long answer goes out in parts
        for index, outgoing in enumerate(parts):
            last = index == len(parts) - 1
            target = int(outgoing.chat_id or chat_id)
            if outgoing.file is not None:  # a photo or a document: bot/telegram_files.py
                await send_with_file(
                    bot,
                    chat_id=target,
                    text=outgoing.text,
                    file=outgoing.file,
                    reply_markup=reply_markup(outgoing),
                    rate_limit_args=ANSWER_RETRIES,
                )
                continue
            await bot.send_message(
                chat_id=target,
                text=outgoing.text,
                reply_markup=reply_markup(outgoing, after_contact=after_contact and last),
                rate_limit_args=ANSWER_RETRIES,
            )


async def apologise(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """PTB's error handler: whatever escaped an update's handling (a handler process that
    failed or was lost on every attempt, a send that failed) is logged, and the person who
    wrote gets the generic apology rather than silence. Errors of the timer's jobs come
    here too, without an update: they are only logged."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    try:
        await cast("ExtBot[int]", context.bot).send_message(
            chat_id=chat.id, text=INTERNAL_ERROR, rate_limit_args=ANSWER_RETRIES
        )
    except TelegramError as send_error:
        log.warning("the apology for update %s was not sent: %s", update_id, send_error)


async def _answer_callback(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError as error:  # an expired query must not stop the answer itself
        log.info("answerCallbackQuery failed: %s", error)


class TelegramSender:
    """Sends outbox rows with a PTB bot of their own (its own connections, the application's
    rate limiter: `bot.telegram_application.open_outbox_bot`) and classifies failures."""

    def __init__(self, bot: ExtBot[int]) -> None:
        self._bot = bot
        self._uploads = Uploads()  # a notice's file goes by file_id after its first upload

    async def send(self, message: ClaimedMessage) -> SendOutcome:
        markup = None
        if message.choices:
            markup = inline_keyboard(
                tuple(
                    tuple(Choice(button["label"], button["data"]) for button in row)
                    for row in message.choices
                )
            )
        try:
            if message.file is not None:  # a photo or a document: bot/telegram_files.py
                sent = await send_with_file(
                    self._bot,
                    chat_id=int(message.chat_id),
                    text=message.text,
                    file=message.file,
                    reply_markup=markup,
                    uploads=self._uploads,
                )
            else:
                sent = await self._bot.send_message(
                    chat_id=int(message.chat_id),
                    text=message.text,
                    reply_markup=markup,
                )  # no retry here: a 429 goes back to the outbox, which waits without blocking
        except RetryAfter as error:
            with warnings.catch_warnings():  # PTB 22 warns that retry_after becomes a timedelta
                warnings.simplefilter("ignore")
                wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            return RetryLater("429 Too Many Requests", after=timedelta(seconds=seconds))
        except FileTooLarge as error:
            return Rejected(str(error))
        except Forbidden as error:
            return Unreachable(f"403 {error.message}")
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                return Unreachable(f"400 {error.message}")
            return Rejected(f"400 {error.message}")
        except (TimedOut, NetworkError) as error:
            return RetryLater(f"{type(error).__name__}: {error.message}")
        except TelegramError as error:
            return RetryLater(f"{type(error).__name__}: {error.message}")
        return Sent(str(sent.message_id))
