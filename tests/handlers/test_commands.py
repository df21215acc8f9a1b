"""The registry of commands: a command added as one entry is routed, checked for who may use
it, listed in the platform's menu, and shown by /trogiup to those who may use it."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from bot.command_menu import telegram_menu
from handlers import commands, router
from handlers.context import Services, Turn
from handlers.messages import Channel, Incoming, Outgoing
from handlers.texts import NOT_ALLOWED, NOT_REGISTERED, UNKNOWN_COMMAND
from schedules.clock import ManualClock
from storage.engine import Database
from tests.conftest import VN
from tests.factories import build_branch

THEN = datetime(2026, 11, 20, 9, 0, tzinfo=VN)
OFFICER_CHAT, CHAIR_CHAT, STRANGER_CHAT = 99, 10_000, 555


def _report(turn: Turn, argument: str) -> list[Outgoing]:
    assert turn.person is not None
    return [Outgoing(f"Báo cáo «{argument}» cho {turn.person.full_name}")]


REPORT = commands.Command(
    "baocao",
    _report,
    commands.Access.OFFICER,
    "Xuất báo cáo tuần",
    usage="/baocao TUẦN",
    aliases=("bc",),
)


@pytest.fixture
def services(db: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setattr(commands, "COMMANDS", (*commands.COMMANDS, REPORT))
    with db.session() as session:
        build_branch(session, units=1, now=THEN)
    clock.set(THEN + timedelta(hours=1))
    return Services(db=db, clock=clock, zone=ZoneInfo("Asia/Ho_Chi_Minh"))


_updates = count(1)


def _say(services: Services, chat: int, text: str) -> Outgoing:
    incoming = Incoming(
        channel=Channel.TELEGRAM,
        user_id=str(chat),
        chat_id=str(chat),
        update_id=str(next(_updates)),
        text=text,
    )
    (answer,) = router.handle(services, incoming).answers
    return answer


def test_a_new_command_is_routed_by_its_name_and_alias_to_those_who_may_use_it(
    services: Services,
) -> None:
    assert _say(services, OFFICER_CHAT, "/baocao 47").text == "Báo cáo «47» cho Phạm Văn Đức"
    assert _say(services, OFFICER_CHAT, "/bc 48").text == "Báo cáo «48» cho Phạm Văn Đức"
    assert _say(services, CHAIR_CHAT, "/baocao 47").text == NOT_ALLOWED
    stranger = _say(services, STRANGER_CHAT, "/baocao 47")
    assert (stranger.text, stranger.ask_contact) == (NOT_REGISTERED, True)
    assert _say(services, OFFICER_CHAT, "/baocaoo").text == UNKNOWN_COMMAND.format(name="baocaoo")


def test_a_new_command_is_in_the_platform_menu_marked_for_officers(services: Services) -> None:
    menu = {command.command: command.description for command in telegram_menu()}
    assert menu["baocao"] == "Xuất báo cáo tuần (cán bộ)"
    assert "bc" not in menu and "huy" not in menu
    assert {"start", "trogiup", "viec", "toi", "giaoviec", "moi"} <= set(menu)


def test_help_shows_an_officer_command_to_officers_only(services: Services) -> None:
    officer_help = _say(services, OFFICER_CHAT, "/trogiup").text or ""
    chair_help = _say(services, CHAIR_CHAT, "/help").text or ""
    assert "• /baocao TUẦN — xuất báo cáo tuần" in officer_help
    assert "/giaoviec" in officer_help and "/viec" not in officer_help
    assert "/baocao" not in chair_help and "/giaoviec" not in chair_help
    assert "• /viec — xem các việc đang chờ báo cáo" in chair_help
    assert "/toi" in chair_help and "/toi" in officer_help
    assert _say(services, STRANGER_CHAT, "/trogiup").text == NOT_REGISTERED


def test_viec_lists_the_tasks_of_the_unit_an_officer_answers_for(services: Services) -> None:
    # An officer answers for the assignments of their own unit (storage.answerers), as a
    # chair does for theirs: /viec is theirs too (issue 14 item 1).
    assert _say(services, OFFICER_CHAT, "/viec").text == (
        "Hiện anh/chị không có việc nào đang chờ báo cáo. Cảm ơn anh/chị!"
    )
    assert _say(services, CHAIR_CHAT, "/viec").text == (
        "Hiện anh/chị không có việc nào đang chờ báo cáo. Cảm ơn anh/chị!"
    )
