"""Button prefixes and conversation states are declared once, and the router knows each:
a clash or a forgotten handler would send a press or a reply to the wrong place."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers import router
from handlers.context import Services
from handlers.messages import Channel, Incoming
from handlers.states import State
from handlers.texts import WELCOME_UNREGISTERED
from schedules.answer_buttons import AnswerAction, answer_data
from schedules.button_prefixes import ButtonPrefix
from schedules.clock import ManualClock
from storage.conversations import set_state
from storage.engine import Database
from storage.models import ChannelAccount
from tests.conftest import VN

THEN = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def test_button_prefixes_are_distinct_and_cannot_swallow_the_separator() -> None:
    declared = ButtonPrefix.__members__  # aliases included: a clash shows up here
    values = [prefix.value for prefix in declared.values()]
    assert len(set(values)) == len(declared), f"two buttons share a prefix: {values}"
    for name, prefix in declared.items():
        assert prefix.value, name
        assert ":" not in prefix.value, f"{name}: a prefix is cut at the first «:»"


def test_every_button_prefix_has_one_handler_and_every_handler_a_prefix() -> None:
    assert set(router.BUTTON_HANDLERS) == set(ButtonPrefix)
    prefix, _, _ = answer_data(1, AnswerAction.DONE).partition(":")
    assert router.BUTTON_HANDLERS[prefix] is router.BUTTON_HANDLERS[ButtonPrefix.ANSWER]


def test_every_state_has_one_handler_and_every_handler_a_state() -> None:
    assert set(router.CONVERSATIONS) == set(State)
    assert len({state.value for state in State.__members__.values()}) == len(State.__members__)


def test_a_stored_state_name_reaches_its_handler(db: Database, clock: ManualClock) -> None:
    """The name read back from the table (a plain string) finds the step's handler: here a
    pending registration whose request is gone starts the registration again."""
    with db.session() as session:
        account = ChannelAccount(
            channel="telegram",
            external_user_id="7",
            chat_id="7",
            created_at=THEN,
            last_seen_at=THEN,
        )
        session.add(account)
        session.flush()
        assert account.id is not None
        set_state(
            session,
            account_id=account.id,
            name="registration_pending",
            data={"request": 424242},
            now=THEN,
        )
    clock.set(THEN)
    services = Services(db=db, clock=clock, zone=ZoneInfo("Asia/Ho_Chi_Minh"))
    incoming = Incoming(
        channel=Channel.TELEGRAM, user_id="7", chat_id="7", update_id="1", text="còn chờ không?"
    )

    handled = router.handle(services, incoming)

    assert [(a.text, a.ask_contact) for a in handled.answers] == [(WELCOME_UNREGISTERED, True)]
