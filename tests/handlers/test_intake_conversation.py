"""Directive intake as a conversation, in process: the officer corrects the reading (units,
deadlines, items) or cancels it; bad files, a chair's or a stranger's document and chatter
change nothing; a pasted directive is read like a file. (A Word file downloaded from the
platform, a draft surviving a restart, a file too large or not downloaded: tests/e2e.)"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.messages import Channel, Outgoing
from storage.engine import Database
from storage.models import ConversationState, Directive
from tests.factories import INTAKE_ROSTER, invite_code
from tests.handlers.harness import Chat, World, buttons
from tests.schedules.directive_files import docx_bytes, seed_text

SEED_490 = "004_3fbaa7aed5e606d2.txt"


@pytest.fixture
def roster(world: World) -> None:
    world.import_roster(INTAKE_ROSTER)


def registered_officer(world: World) -> Chat:
    """The province's officer (LĐLĐ tỉnh Lai Châu), registered by phone."""
    officer = world.person(100, "Trần Thị Hoa", phone="0912000001")
    officer.says("/start")
    assert "Cán bộ LĐLĐ tỉnh Lai Châu" in officer.shares_contact().text
    return officer


def button(message: Outgoing, label: str) -> str:
    choices = buttons(message)
    assert label in choices, f"no button {label!r} in {message.choices}"
    return choices[label]


def line_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_units_and_tasks_can_be_corrected_and_a_draft_cancelled(
    roster: None, world: World, db: Database
) -> None:
    officer = registered_officer(world)
    reading = officer.sends_file("490.docx", docx_bytes(seed_text(SEED_490)))
    assert "Giao cho 5 đơn vị" in reading.text

    chosen = officer.says("đơn vị LDLD-TU CDCS-KCN")
    assert line_of(chosen.text or "", "Giao cho ").startswith("Giao cho 2 đơn vị:")
    assert "Không tìm thấy đơn vị" in officer.says("thêm LDLD-XX").text
    fewer = officer.says("bớt CDCS-KCN")
    assert line_of(fewer.text or "", "Giao cho ").startswith("Giao cho 1 đơn vị:")
    dropped = officer.says("bo 3")
    assert "đã bỏ" in line_of(dropped.text or "", "3. ")
    no_year = officer.says("muc 2 15/12")  # without diacritics or year
    assert line_of(no_year.text or "", "2. ").endswith("— hạn 15/12/2026")
    cleared = officer.says("2 không hạn")
    assert line_of(cleared.text or "", "2. ").endswith("— chưa có hạn")
    assert "đã qua" in officer.says("1 01/01/2020").text
    assert "Ngày chưa đúng" in officer.says("1 31/02/2027").text
    assert "đang kiểm tra CV 490/LĐLĐ" in officer.says("cái này là gì").text

    cancelled = officer.taps(button(reading, "✖️ Hủy"))
    assert "Đã hủy" in cancelled.text
    with db.session() as session:
        assert session.scalars(select(Directive)).all() == []
        assert session.scalars(select(ConversationState)).all() == []
    # The old message's button does nothing now.
    stale = officer.taps(button(reading, "✅ Xác nhận"))
    assert "không còn" in stale.text


def test_bad_files_are_refused_and_nothing_is_stored(
    roster: None, world: World, db: Database
) -> None:
    officer = registered_officer(world)
    cases = {
        "trong.txt": (b"", "Tệp trống"),
        "anh.pdf": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "ảnh"),
        "du-lieu.bin": (bytes(range(256)) * 40, "không phải văn bản"),
        "cong-thuc.txt": (("Cách nấu phở bò\n" * 40).encode(), "không giống một văn bản"),
    }
    for name, (content, expected) in cases.items():
        answer = officer.sends_file(name, content)
        assert expected in answer.text, name
    pasted = officer.says("Kính gửi anh chị, hôm nay trời đẹp quá. " * 10)
    assert "không giống một văn bản" in pasted.text
    with db.session() as session:
        assert session.scalars(select(Directive)).all() == []
        assert session.scalars(select(ConversationState)).all() == []


def test_a_chair_or_a_stranger_sending_a_document_is_refused(
    roster: None, world: World, db: Database
) -> None:
    officer = registered_officer(world)
    chair = world.person(232, "Tòng Văn Khánh")
    code = invite_code(officer.says("/moi CDCS-KCN").text)
    chair.says(f"/start {code}")
    document = docx_bytes(seed_text(SEED_490))
    assert "chỉ nhận văn bản chỉ đạo từ cán bộ" in (
        chair.sends_file("cv.docx", document).text or ""
    )
    stranger = world.person(399, "Người lạ")
    assert "chưa đăng ký" in (stranger.sends_file("cv.docx", document).text or "")
    with db.session() as session:
        assert session.scalars(select(Directive)).all() == []


def test_a_pasted_directive_is_read_like_a_file(roster: None, world: World, db: Database) -> None:
    officer = registered_officer(world)
    reading = officer.says(seed_text("000_e5f7c2b34886dca7.txt"))
    text = reading.text or ""
    assert text.startswith("📄 CV 534/LĐLĐ, ngày 19/02/2025")
    assert "Giao cho 5 đơn vị theo «Kính gửi»" in text
    done = officer.says("ok")
    assert "✅ Đã giao CV 534/LĐLĐ: 3 nhiệm vụ cho 5 đơn vị" in done.text
    with db.session() as session:
        directive = session.scalars(select(Directive)).one()
        assert directive.source_file is None
        assert "534/LĐLĐ" in (directive.source_text or "")


def test_an_officer_who_chairs_pastes_a_directive_but_chats_as_a_chair(
    roster: None, world: World, db: Database
) -> None:
    both = world.person(141, "Hà Thị Lan", phone="0912000041")
    both.says("/start")
    both.shares_contact()
    long_line = "Đang làm, " + "đã họp ban chấp hành và phân công người phụ trách, " * 5
    assert "không có việc nào đang chờ" in (both.says(long_line).text or "")
    reading = both.says(seed_text("000_e5f7c2b34886dca7.txt"))
    assert reading.text.startswith("📄 CV 534/LĐLĐ")
    assert "chưa chọn đơn vị nào" in reading.text  # her branch has no unit below
    with db.session() as session:
        assert session.scalars(select(Directive)).one().is_draft


def test_an_officer_on_zalo_pastes_a_directive_and_confirms_by_number(
    roster: None, world: World, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Zalo sends no documents and has no buttons: the text pasted, the choice typed."""
    assert main(["invite", "--unit", "LDLD-LC", "--role", "officer"]) == 0
    officer = world.person(9300, "Trần Thị Hoa", channel=Channel.ZALO)
    assert "Cán bộ" in officer.says(invite_code(capsys.readouterr().out)).text
    reading = officer.says(seed_text(SEED_490)).text
    assert "CV 490/LĐLĐ" in reading and "1. ✅ Xác nhận\n2. ✖️ Hủy" in reading
    assert "đã qua" in officer.says("1").text  # item 3's deadline: the press is refused
    again = officer.says("bỏ 3").text  # a line, read by the intake; the list comes again
    assert "1. ✅ Xác nhận" in again
    assert officer.says("1").text.startswith("✅ Đã giao CV 490/LĐLĐ")
    with db.session() as session:
        assert len(session.scalars(select(Directive)).all()) == 1
