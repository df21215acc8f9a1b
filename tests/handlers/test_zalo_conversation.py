"""A chair on Zalo, in process: registration by invite code (no contact button there), the
reminder's choices as a numbered list, the number typed back read as the button, a wrong
number answered with the list again, and Zalo's wording for what Telegram says with buttons."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers import texts
from handlers.messages import Channel
from handlers.numbered_choices import flatten_stored
from handlers.reply_grammar import ReplyStatus, read_reply
from handlers.texts import NOT_REGISTERED_ZALO, WELCOME_UNREGISTERED, WELCOME_UNREGISTERED_ZALO
from schedules.answer_buttons import AnswerAction, answer_choices, read_answer_data
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import ConversationState, Progress, Reply
from storage.registration_tables import RegistrationRequest, RequestState
from tests.conftest import VN
from tests.factories import invite_code
from tests.handlers.harness import Chat, World

HANDLERS = Path(texts.__file__).parent
REMINDER_TIME = datetime(2026, 12, 9, 7, 30, tzinfo=VN)  # the day before 10/12/2026
REMINDER_LIST = "1. ✅ Đã xong\n2. ⏳ Đang làm\n3. ⚠️ Vướng mắc"


@pytest.fixture
def officer(world: World) -> Chat:
    world.import_roster()
    officer = world.person(100, "Phạm Văn Đức", phone="0912000003")
    assert officer.name in officer.shares_contact().text
    return officer


def zalo_chair(world: World, officer: Chat, unit: str, user_id: int, name: str) -> Chat:
    """A chair who registers on Zalo with `MA CODE`, the code the officer printed."""
    code = invite_code(officer.says(f"/moi {unit}").text)
    chair = world.person(user_id, name, channel=Channel.ZALO)
    assert "Chủ tịch" in chair.says(f"MA {code}").text
    return chair


def reminder_of(chair: Chat, world: World, clock: ManualClock) -> str:
    clock.set(REMINDER_TIME)
    world.plan()
    world.deliver()
    texts = [m.text for m in chair.inbox if "Nhắc việc" in m.text]
    assert texts, "no reminder arrived"
    return texts[-1]


def replies(db: Database) -> list[Reply]:
    with db.session() as session:
        return list(session.scalars(select(Reply).order_by(Reply.id)))


def test_registration_by_code_on_zalo(world: World, officer: Chat) -> None:
    stranger = world.person(9001, "Người lạ", channel=Channel.ZALO)
    assert stranger.says("xin chào").text == NOT_REGISTERED_ZALO
    welcome = stranger.says("/start")
    assert (welcome.text, welcome.ask_contact) == (WELCOME_UNREGISTERED_ZALO, False)
    assert "không đúng" in stranger.says("MA ABCDEFGHJK").text  # unknown: nothing bound
    assert stranger.says("còn gì không").text == NOT_REGISTERED_ZALO

    code = invite_code(officer.says("/moi CDCS-02").text)
    assert "Chủ tịch CĐCS Trạm Y tế Sơn Bình" in stranger.says(code.lower()).text  # code alone
    other = world.person(9002, "Lò Văn Pá", channel=Channel.ZALO)
    second = invite_code(officer.says("/moi CDCS-03").text)
    assert "Chủ tịch CĐCS Công ty Chè Tam Đường" in other.says(f"mã mời: {second}").text
    # On Telegram the wording is unchanged: the contact button.
    assert world.person(9003, "Ai đó").says("/start").text == WELCOME_UNREGISTERED


def test_reminder_answered_by_number(
    world: World, officer: Chat, clock: ManualClock, db: Database
) -> None:
    an = zalo_chair(world, officer, "CDCS-01", 9101, "Nguyễn Văn An")
    binh = zalo_chair(world, officer, "CDCS-02", 9102, "Lê Thị Bình")
    chu = zalo_chair(world, officer, "CDCS-03", 9103, "Vàng A Chư")
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết năm 2026")

    reminder = reminder_of(an, world, clock)
    assert reminder.endswith(REMINDER_LIST)
    clock.set(datetime(2026, 12, 9, 9, 14, tzinfo=VN))
    again = an.says("7")
    assert "Số 7 không có" in again.text and again.text.endswith(REMINDER_LIST)
    assert replies(db) == []
    assert an.says("1").text == "Đã ghi nhận: Việc số 1 — Đã xong, 09/12/2026 09:14"

    # 2 → the percent question, its choices numbered; a typed percent is still a percent.
    assert reminder_of(binh, world, clock).endswith(REMINDER_LIST)
    question = binh.says("2").text
    assert "bao nhiêu phần trăm" in question and "Bấm" not in question
    assert question.endswith("1. 25%\n2. 50%\n3. 75%")
    assert "Đang làm 60%" in binh.says("60").text

    # 3 → the reason asked, as the button does; the next line is the reason.
    assert reminder_of(chu, world, clock).endswith(REMINDER_LIST)
    assert "lý do" in chu.says("3").text
    assert "Vướng mắc (Thiếu kinh phí)" in chu.says("Thiếu kinh phí").text

    stored = [(reply.progress, reply.percent) for reply in replies(db)]
    assert stored == [(Progress.DONE, None), (Progress.IN_PROGRESS, 60), (Progress.BLOCKED, None)]
    with db.session() as session:
        assert session.scalars(select(ConversationState)).all() == []


def test_other_text_drops_the_list(
    world: World, officer: Chat, clock: ManualClock, db: Database
) -> None:
    an = zalo_chair(world, officer, "CDCS-01", 9101, "Nguyễn Văn An")
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo")
    reminder_of(an, world, clock)
    assert "Đang làm 40%" in an.says("2 40").text  # the grammar's code, as on Telegram
    # The list was answered by text: a later number is read by the grammar, not the list.
    assert "Đã xong" in an.says("1").text
    assert [reply.progress for reply in replies(db)] == [Progress.IN_PROGRESS, Progress.DONE]


def test_a_person_on_both_channels_gets_one_copy_where_they_wrote_last(
    world: World, officer: Chat, clock: ManualClock, db: Database
) -> None:
    on_telegram = world.person(201, "Nguyễn Văn An", phone="0912000011")  # chair of CDCS-01
    assert on_telegram.name in on_telegram.shares_contact().text
    clock.advance(timedelta(minutes=5))
    on_zalo = zalo_chair(world, officer, "CDCS-01", 9101, "Nguyễn Văn An")  # the same person
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")

    reminder_of(on_zalo, world, clock)  # Zalo was used last
    assert not [m for m in on_telegram.inbox if "Nhắc việc" in m.text]

    clock.advance(timedelta(minutes=5))
    assert "Nguyễn Văn An" in on_telegram.says("/toi").text  # now Telegram is
    zalo_before = len(on_zalo.inbox)
    clock.set(datetime(2026, 12, 10, 7, 30, tzinfo=VN))  # the deadline's morning
    world.plan()
    world.deliver()
    telegram = [m.text for m in on_telegram.inbox if "Nhắc việc" in m.text]
    assert len(telegram) == 1 and "tổng kết" in telegram[0]
    assert len(on_zalo.inbox) == zalo_before


def test_which_task_is_answered_by_its_number(
    world: World, officer: Chat, clock: ManualClock, db: Database
) -> None:
    an = zalo_chair(world, officer, "CDCS-01", 9101, "Nguyễn Văn An")
    officer.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    officer.gives_task("/giaoviec 18/12/2026 Gửi danh sách đoàn viên")
    question = an.says("dạ em đang làm 40% ạ").text
    assert "1. Việc số 1: Nộp báo cáo tổng kết" in question
    assert "2. Việc số 2: Gửi danh sách đoàn viên" in question
    assert "gõ số thứ tự để chọn" not in question  # the question lists them already, once
    assert an.says("2").text.startswith("Đã ghi nhận: Việc số 2 — Đang làm 40%")


def test_an_officer_on_zalo_approves_by_number(
    world: World, capsys: pytest.CaptureFixture[str], db: Database
) -> None:
    world.import_roster()
    assert main(["invite", "--unit", "LDLD-TU", "--role", "officer"]) == 0
    code = invite_code(capsys.readouterr().out)
    officer = world.person(9200, "Phạm Văn Đức", channel=Channel.ZALO)
    assert "Cán bộ" in officer.says(code).text

    newcomer = world.person(300, "Hoàng Văn Mới")  # on Telegram
    assert "chưa có trong danh sách" in newcomer.shares_contact("0987 654 321").text
    newcomer.says("Hoàng Văn Mới")
    newcomer.says("truong thcs binh lu")
    (request,) = world.deliver()
    assert request.text.endswith("1. ✅ Duyệt\n2. ❌ Từ chối") and not request.choices
    assert "Anh/chị duyệt hay từ chối?" in request.text
    assert "Số 5 không có" in officer.says("5").text
    # The roster names another chair for the unit: which one is right, as a numbered list.
    conflict = officer.says("1")
    assert not conflict.choices
    assert conflict.text.endswith("1. Giữ Nguyễn Văn An\n2. Hoàng Văn Mới là chủ tịch mới"), (
        conflict.text
    )
    approved = officer.says("2")
    assert approved.text == (
        "Đã duyệt: Hoàng Văn Mới là chủ tịch CĐCS Trường THCS Bình Lư "
        "(thay Nguyễn Văn An trong danh sách)."
    )
    with db.session() as session:
        assert session.scalars(select(RegistrationRequest)).one().state == RequestState.APPROVED


def test_help_on_zalo_asks_for_a_directive_pasted_not_a_file(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """Zalo passes no files to a bot: /trogiup there must not tell an officer to send one."""
    world.import_roster()
    assert main(["invite", "--unit", "LDLD-TU", "--role", "officer"]) == 0
    officer = world.person(9200, "Phạm Văn Đức", channel=Channel.ZALO)
    assert "Cán bộ" in officer.says(invite_code(capsys.readouterr().out)).text
    help_text = officer.says("/trogiup").text
    assert "• Dán nội dung văn bản vào tin nhắn (Zalo không chuyển tệp cho bot)" in help_text
    assert ".docx" not in help_text
    telegram = world.person(100, "Phạm Văn Đức", phone="0912000003")
    telegram.shares_contact()
    assert "Gửi tệp văn bản (.docx, .pdf, .txt)" in telegram.says("/trogiup").text


def test_the_reminder_list_numbers_are_the_grammar_codes() -> None:
    """Zalo numbers a reminder's buttons in their order; typed with more words (`2 60`), the
    same number is read by the grammar: both must mean the same action."""
    meaning = {
        AnswerAction.DONE: ReplyStatus.DONE,
        AnswerAction.WORKING: ReplyStatus.IN_PROGRESS,
        AnswerAction.BLOCKED: ReplyStatus.BLOCKED,
    }
    listed = flatten_stored(answer_choices(42))
    for number, choice in enumerate(listed, start=1):
        press = read_answer_data(choice.data.partition(":")[2])
        assert press is not None
        assert read_reply(str(number)).status == meaning[press.action], choice.label


def test_every_zalo_rewording_still_finds_its_sentence() -> None:
    """A Telegram sentence reworded for Zalo is found by its text: when a handler's sentence
    changes, its Zalo wording must change with it, or Zalo users read about buttons."""
    sources = "".join(
        # Literals written over several lines joined; the Zalo table itself left out.
        re.sub(r'"\s*\n\s*f?"', "", path.read_text(encoding="utf-8")).split(
            "# Zalo has no buttons"
        )[0]
        for path in HANDLERS.glob("*.py")
    )
    for telegram, zalo in texts._ZALO_PHRASES:
        assert telegram in sources, f"no handler says {telegram!r} any more"
        assert "bấm" not in zalo.lower() and "nút" not in zalo.lower()
