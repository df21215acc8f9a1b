"""The front door of every conversation: store what arrived, find who sent it, route it.

`handle` is synchronous and channel-neutral: the runtime calls it in a handler process
(`bot.handler_process`) with an `Incoming` and sends back the `Outgoing` messages it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session

from handlers import (
    answers,
    approvals,
    broadcast,
    broadcast_ack,
    commands,
    give_task_confirm,
    intake,
    numbered_choices,
    pass_down,
    progress,
    registration,
    task_change_confirm,
    unbind,
)
from handlers.context import Services, Turn
from handlers.messages import Incoming, Outgoing
from handlers.states import State
from handlers.texts import (
    DATABASE_UNAVAILABLE,
    INTERNAL_ERROR,
    INVALID_BUTTON,
    NOT_REGISTERED,
    RECEIVED,
    UNSUPPORTED_BUTTON,
)
from schedules.button_prefixes import ButtonPrefix, is_well_formed
from schedules.clean_text import clean_optional, clean_text
from storage.accounts import Arrival, arrive
from storage.engine import is_transient
from storage.inbound import record_inbound
from storage.models import ConversationState

log = logging.getLogger(__name__)

# A button's data is `PREFIX:rest`; the handler gets the rest and must check it on the server.
ButtonHandler = Callable[[Turn, str], list[Outgoing]]
# A conversation waiting for the account's next message (text or file), by its state's name.
ConversationHandler = Callable[[Turn, ConversationState], list[Outgoing]]

# The officers' commands by name (the end-to-end tests try each as a chair and a stranger).
OFFICER_COMMANDS = commands.names_for(commands.Access.OFFICER)
BUTTON_HANDLERS: dict[str, ButtonHandler] = {
    ButtonPrefix.ANSWER: answers.on_answer_button,
    ButtonPrefix.WHICH_TASK: progress.on_which_task_button,
    ButtonPrefix.REGISTRATION_DECISION: approvals.on_decision,
    ButtonPrefix.INTAKE: intake.on_button,
    ButtonPrefix.BROADCAST: broadcast.on_button,
    ButtonPrefix.BROADCAST_ACK: broadcast_ack.on_button,
    ButtonPrefix.UNBIND: unbind.on_button,
    ButtonPrefix.GIVE_TASK: give_task_confirm.on_button,
    ButtonPrefix.TASK_CHANGE: task_change_confirm.on_button,
    ButtonPrefix.GIVE_DOWN: pass_down.on_button,
}
CONVERSATIONS: dict[str, ConversationHandler] = {
    State.ANSWER_PERCENT: answers.on_percent_answer,
    State.ANSWER_REASON: answers.on_reason_answer,
    State.WHICH_TASK: progress.on_which_task_answer,
    State.REGISTRATION_NAME: registration.on_full_name,
    State.REGISTRATION_UNIT: registration.on_unit_named,
    State.REGISTRATION_PENDING: approvals.on_pending,
    State.INTAKE: intake.on_reply,
    State.BROADCAST_TEXT: broadcast.on_text_state,
    State.BROADCAST_AUDIENCE: broadcast.on_audience_state,
    State.BROADCAST_CONFIRM: broadcast.on_audience_state,
    State.GIVE_DOWN: pass_down.on_state,
    # Pending numbered choices are read before routing; one left over reads as no step.
    State.CHOICES: lambda turn, state: _route(turn, None),
}


@dataclass(frozen=True, slots=True)
class Handled:
    """The answers to send to the sender, and what the runtime should do next. `stored` is
    False when the database could not be reached within the turn's bound: the message is
    not in it, and the runtime keeps it in the spool for later (bot/inbound_spool.py)."""

    answers: list[Outgoing] = field(default_factory=list)
    outbox_changed: bool = False
    duplicate: bool = False
    stored: bool = True
    summary_requested: bool = False  # the weekly process has a summary to render


# Back-off between attempts of a turn whose database did not answer: quick after a blip,
# then every few seconds until the bound (`Services.retry_seconds`).
RETRY_FIRST_SECONDS = 0.1
RETRY_MAX_SECONDS = 5.0


def handle(services: Services, incoming: Incoming, *, now: datetime | None = None) -> Handled:
    """Handle one incoming message in one transaction. The message itself is always stored,
    even when handling it fails; a platform re-delivering the same update gets no answer.

    `now` is when the message reached the bot (the runtime stamps it before the message
    waits for a handler process); by default, the services' clock.

    What people typed is cleaned of invisible characters first (`schedules.clean_text`).
    A database error at any point — the first query, the handler's, the commit — runs the
    whole turn again, with back-off, for `services.patience.seconds`; after that the person
    gets the apology and `stored` is False. A retry that finds the message already stored
    (the commit went through, its answer was lost with the connection) says it was received.

    A failed turn is rolled back whole and the message stored again on its own, rather than
    each turn paying for a savepoint (every chair's reply comes through here)."""
    incoming = _cleaned(incoming)
    now = now or services.clock.now()
    patience = services.patience
    deadline = patience.monotonic() + patience.seconds
    wait = RETRY_FIRST_SECONDS
    attempt = 1
    while True:
        try:
            handled = _handle_or_store(services, incoming, now)
        except Exception as error:
            if not is_transient(error):
                raise
            if patience.monotonic() + wait > deadline:
                log.error(
                    "update %s: the database did not answer for %.0f s (%s); kept for later",
                    incoming.update_id, patience.seconds, type(error).__name__,
                )  # fmt: skip
                return Handled([Outgoing(DATABASE_UNAVAILABLE)], stored=False)
            log.warning(
                "update %s: database error (%s), attempt %d; again in %.1f s",
                incoming.update_id, type(error).__name__, attempt, wait,
            )  # fmt: skip
            patience.sleep(wait)
            wait = min(wait * 2, RETRY_MAX_SECONDS)
            attempt += 1
            continue
        if handled.duplicate and attempt > 1:
            return Handled([Outgoing(RECEIVED)], outbox_changed=True)
        return handled


def _handle_or_store(services: Services, incoming: Incoming, now: datetime) -> Handled:
    try:
        return _handle(services, incoming, now)
    except _TurnFailed as failure:
        with services.db.session() as session:
            if _arrive(session, incoming, failure.now) is None:
                return Handled(duplicate=True)
        return Handled([Outgoing(INTERNAL_ERROR)])


class _TurnFailed(Exception):
    """A handler failed: raised out of the turn's transaction so that all of it rolls back."""

    def __init__(self, now: datetime) -> None:
        super().__init__("turn failed")
        self.now = now


def _handle(services: Services, incoming: Incoming, now: datetime) -> Handled:
    with services.db.session() as session:
        arrived = _arrive(session, incoming, now)
        if arrived is None:
            return Handled(duplicate=True)
        arrival, inbound_id = arrived
        turn = Turn(
            services,
            session,
            incoming,
            arrival.account,
            inbound_id,
            now,
            arrival.person,
            arrival.standing,
        )
        try:
            said = _route_numbered(turn, arrival.state)
            session.flush()  # the turn's own writes fail here, not in the commit
        except Exception as error:
            if is_transient(error):
                raise  # the database, not the handler: the whole turn is tried again
            log.exception("handling update %s failed", incoming.update_id)
            raise _TurnFailed(now) from error
    return Handled(
        said,
        outbox_changed="outbox" in turn.after_commit,
        summary_requested="summary" in turn.after_commit,
    )


def _button_data(data: str | None) -> str | None:
    """Button data is ours, so it is refused, not cleaned, when it is not what we send: a
    forged one is stored cleaned (PostgreSQL takes no NUL) and marked with U+FFFD, which no
    button of ours holds, so that the router answers it as an invalid button."""
    if data is None or is_well_formed(data):
        return data
    return clean_text(data) + "\ufffd"


def _cleaned(incoming: Incoming) -> Incoming:
    """Every text the person controls, without control, bidirectional and zero-width
    characters: what is stored and read is what an officer will see."""
    contact = incoming.contact
    if contact is not None:
        contact = replace(contact, phone=clean_text(contact.phone),
                          full_name=clean_text(contact.full_name))  # fmt: skip
    attachment = incoming.attachment
    if attachment is not None:
        attachment = replace(attachment, file_name=clean_optional(attachment.file_name))
    return replace(
        incoming,
        text=clean_optional(incoming.text),
        display_name=clean_text(incoming.display_name),
        button_data=_button_data(incoming.button_data),
        contact=contact,
        attachment=attachment,
    )


def _arrive(session: Session, incoming: Incoming, now: datetime) -> tuple[Arrival, int] | None:
    """Touch the account and store the message; None when this update was handled before."""
    arrival = arrive(
        session,
        channel=incoming.channel,
        external_user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        display_name=incoming.display_name,
        now=now,
    )
    inbound_id = record_inbound(
        session,
        channel=incoming.channel,
        bot_id=incoming.bot_id,
        update_id=incoming.update_id,
        account_id=arrival.account.id,
        kind=_kind(incoming),
        text=incoming.text,
        payload=_payload(incoming),
        now=now,
        handled_at=now,  # committed with the turn, so never seen unhandled
    )
    if inbound_id is None:
        log.info("update %s of account %s already handled", incoming.update_id, arrival.account.id)
        return None
    return arrival, inbound_id


def _route_numbered(turn: Turn, state: ConversationState | None) -> list[Outgoing]:
    """On a channel without buttons, a number typed after a numbered list is that choice's
    button, and the choices of the answers are numbered (`handlers.numbered_choices`)."""
    taken = numbered_choices.take_number(turn, state)
    if taken.answers is not None:
        return taken.answers
    if taken.button_data is not None:
        turn = replace(turn, incoming=replace(turn.incoming, button_data=taken.button_data))
    return numbered_choices.render(turn, _route(turn, taken.state))


def _route(turn: Turn, state: ConversationState | None) -> list[Outgoing]:
    """`state` is the conversation step waiting when the message arrived (read with the
    account, see `storage.accounts.arrive`)."""
    incoming = turn.incoming
    if incoming.contact is not None:
        return registration.on_contact(turn)
    if command := incoming.command:
        return commands.run(turn, *command)
    if incoming.button_data is not None:
        if not is_well_formed(incoming.button_data):
            log.info("malformed button data from account %s", turn.account.id)
            return [Outgoing(INVALID_BUTTON)]
        prefix, _, rest = incoming.button_data.partition(":")
        on_button = BUTTON_HANDLERS.get(prefix)
        return on_button(turn, rest) if on_button else [Outgoing(UNSUPPORTED_BUTTON)]
    if state is not None and (on_reply := CONVERSATIONS.get(state.name)) is not None:
        return on_reply(turn, state)
    if incoming.attachment is not None and (said := intake.on_file(turn)) is not None:
        return said
    text = (incoming.text or "").strip()
    if (code := registration.invite_code_in(text, stranger=turn.person is None)) is not None:
        return [registration.redeem_invite(turn, code)]
    if turn.person is None or turn.standing is None:
        return [Outgoing(NOT_REGISTERED, ask_contact=True)]
    if (said := broadcast_ack.on_text(turn, text)) is not None:
        return said
    if (said := intake.on_text(turn, text)) is not None:
        return said
    if turn.standing.answering_unit_ids:
        return progress.on_progress_text(turn, text)
    return progress.on_non_chair_text(turn, text)


def _kind(incoming: Incoming) -> str:
    if incoming.contact is not None:
        return "contact"
    if incoming.button_data is not None:
        return "button"
    if incoming.attachment is not None:
        return "file"
    return "command" if incoming.command else "text"


def _payload(incoming: Incoming) -> dict[str, str | None] | None:
    if incoming.contact is not None:
        return {"phone": incoming.contact.phone, "contact_user_id": incoming.contact.user_id}
    if incoming.button_data is not None:
        return {"data": incoming.button_data, "message_id": incoming.message_id}
    if incoming.attachment is not None:
        return {"file_id": incoming.attachment.file_id, "file_name": incoming.attachment.file_name}
    return None
