"""The front door of every conversation: store what arrived, find who sent it, route it.

`handle` is synchronous and channel-neutral: the runtime calls it in a handler process
(`bot.handler_process`) with an `Incoming` and sends back the `Outgoing` messages it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from handlers import (
    answers,
    approvals,
    indicators,
    intake,
    invite_codes,
    officer,
    progress,
    registration,
)
from handlers.context import Services, Turn
from handlers.messages import Incoming, Outgoing
from handlers.states import State
from handlers.texts import (
    HELP_CHAIR,
    HELP_OFFICER,
    INTERNAL_ERROR,
    NOT_ALLOWED,
    NOT_REGISTERED,
    UNKNOWN_COMMAND,
    UNSUPPORTED_BUTTON,
)
from schedules.button_prefixes import ButtonPrefix
from storage.accounts import Arrival, arrive
from storage.inbound import record_inbound
from storage.models import ConversationState

log = logging.getLogger(__name__)

CommandHandler = Callable[[Turn, str], list[Outgoing]]
# A button's data is `PREFIX:rest`; the handler gets the rest and must check it on the server.
ButtonHandler = Callable[[Turn, str], list[Outgoing]]
# A conversation waiting for the account's next message (text or file), by its state's name.
ConversationHandler = Callable[[Turn, ConversationState], list[Outgoing]]

OFFICER_COMMANDS: dict[str, CommandHandler] = {
    "moi": officer.on_invite,
    "giaoviec": officer.on_give_task,
    "tonghop": officer.on_summary,
    "thuhoi": invite_codes.on_revoke,
    "chitieu": indicators.on_set_indicator,
}
BUTTON_HANDLERS: dict[str, ButtonHandler] = {
    ButtonPrefix.ANSWER: answers.on_answer_button,
    ButtonPrefix.WHICH_TASK: progress.on_which_task_button,
    ButtonPrefix.REGISTRATION_DECISION: approvals.on_decision,
    ButtonPrefix.INTAKE: intake.on_button,
}
CONVERSATIONS: dict[str, ConversationHandler] = {
    State.ANSWER_PERCENT: answers.on_percent_answer,
    State.ANSWER_REASON: answers.on_reason_answer,
    State.WHICH_TASK: progress.on_which_task_answer,
    State.REGISTRATION_UNIT: registration.on_unit_named,
    State.REGISTRATION_PENDING: approvals.on_pending,
    State.INTAKE: intake.on_reply,
}


@dataclass(frozen=True, slots=True)
class Handled:
    """The answers to send to the sender, and what the runtime should do next."""

    answers: list[Outgoing] = field(default_factory=list)
    outbox_changed: bool = False
    duplicate: bool = False


def handle(services: Services, incoming: Incoming, *, now: datetime | None = None) -> Handled:
    """Handle one incoming message in one transaction. The message itself is always stored,
    even when handling it fails; a platform re-delivering the same update gets no answer.

    `now` is when the message reached the bot (the runtime stamps it before the message
    waits for a handler process); by default, the services' clock.

    A failed turn is rolled back whole and the message stored again on its own, rather than
    each turn paying for a savepoint (every chair's reply comes through here)."""
    try:
        return _handle(services, incoming, now or services.clock.now())
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
            said = _route(turn, arrival.state)
            session.flush()  # the turn's own writes fail here, not in the commit
        except Exception as error:
            log.exception("handling update %s failed", incoming.update_id)
            raise _TurnFailed(now) from error
    return Handled(said, outbox_changed="outbox" in turn.after_commit)


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


def _route(turn: Turn, state: ConversationState | None) -> list[Outgoing]:
    """`state` is the conversation step waiting when the message arrived (read with the
    account, see `storage.accounts.arrive`)."""
    incoming = turn.incoming
    if incoming.contact is not None:
        return registration.on_contact(turn)
    if command := incoming.command:
        return _command(turn, *command)
    if incoming.button_data is not None:
        prefix, _, rest = incoming.button_data.partition(":")
        on_button = BUTTON_HANDLERS.get(prefix)
        return on_button(turn, rest) if on_button else [Outgoing(UNSUPPORTED_BUTTON)]
    if state is not None and (on_reply := CONVERSATIONS.get(state.name)) is not None:
        return on_reply(turn, state)
    if incoming.attachment is not None and (said := intake.on_file(turn)) is not None:
        return said
    if turn.person is None or turn.standing is None:
        return [Outgoing(NOT_REGISTERED, ask_contact=True)]
    text = (incoming.text or "").strip()
    if (said := intake.on_text(turn, text)) is not None:
        return said
    if turn.standing.chaired_unit_ids:
        return progress.on_progress_text(turn, text)
    return progress.on_non_chair_text(turn, text)


def _command(turn: Turn, name: str, argument: str) -> list[Outgoing]:
    if name == "start":
        return registration.on_start(turn, argument)
    if name in {"trogiup", "help"}:
        return [Outgoing(_help(turn))]
    if turn.person is None or turn.standing is None:
        return [Outgoing(NOT_REGISTERED, ask_contact=True)]
    if name == "toi":
        return [Outgoing(registration.greeting(turn, turn.person))]
    if name == "huy":
        return registration.on_unbind(turn)
    if name == "viec":
        return answers.on_my_tasks(turn, argument)
    if name in OFFICER_COMMANDS:
        if not turn.standing.is_officer:
            log.info("officer command /%s refused for account %s", name, turn.account.id)
            return [Outgoing(NOT_ALLOWED)]
        return OFFICER_COMMANDS[name](turn, argument)
    return [Outgoing(UNKNOWN_COMMAND.format(name=name[:30]))]


def _help(turn: Turn) -> str:
    if turn.standing is None:
        return NOT_REGISTERED
    parts = []
    if turn.standing.chaired_unit_ids or not turn.standing.is_officer:
        parts.append(HELP_CHAIR)
    if turn.standing.is_officer:
        parts.append(HELP_OFFICER)
    return "\n\n".join(parts)


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
