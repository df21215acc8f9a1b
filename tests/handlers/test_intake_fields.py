"""The officer fills what a graded reading did not find: a retold notice pasted in chat
shows «Không thấy số văn bản — gõ «số 68/CĐCS» để bổ sung», the officer types it (with or
without diacritics), and the confirmed directive keeps the filled fields."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from handlers.messages import Channel
from storage.engine import Database
from storage.models import Directive
from tests.factories import INTAKE_ROSTER
from tests.handlers.harness import World
from tests.handlers.test_intake_conversation import line_of, registered_officer

# A notice retold on a portal: no printed header, no number, no date, no «Kính gửi».
RETOLD = (
    "LĐLĐ tỉnh đôn đốc thăm hỏi đoàn viên dịp Tết\n"
    "Thực hiện Công văn số 343/TLĐ ngày 18/02/2026 của Tổng Liên đoàn, Ban Thường vụ Liên "
    "đoàn Lao động tỉnh đề nghị các công đoàn cơ sở lập danh sách đoàn viên có hoàn cảnh "
    "khó khăn và gửi về LĐLĐ tỉnh trước Tết Nguyên đán. Đồng thời đề nghị các đơn vị báo "
    "cáo kết quả thăm hỏi trong tháng 3/2027.\n"
)


@pytest.fixture
def roster(world: World) -> None:
    world.import_roster(INTAKE_ROSTER)


def test_a_retold_notice_shows_what_is_missing_and_the_officer_fills_it(
    roster: None, world: World, db: Database
) -> None:
    officer = registered_officer(world)
    draft = officer.says(RETOLD).text or ""
    assert "Không thấy số văn bản — gõ «số 68/CĐCS» để bổ sung." in draft
    assert "Không thấy ngày ban hành — gõ «ngày 20/11/2026» để bổ sung." in draft
    assert "Không thấy trích yếu" in draft
    # Tết Đinh Mùi is 06/02/2027, its days off start on 04/02: the working day before.
    assert line_of(draft, "1. ").endswith(
        "— hạn 03/02/2027 (?) — theo «trước Tết Nguyên đán»; Trước Tết Nguyên đán: ngày làm "
        "việc cuối cùng trước Tết (theo âm lịch)"
    )
    assert "hạn 31/03/2027 (?)" in line_of(draft, "2. ")

    numbered = officer.says("so 68/CĐCS").text or ""  # "số" typed without its accent
    assert numbered.startswith("📄 CV 68/CĐCS")
    assert "Không thấy số văn bản" not in numbered
    dated = officer.says("ngay 19/11/2026").text or ""
    assert dated.startswith("📄 CV 68/CĐCS, ngày 19/11/2026")
    titled = officer.says("V/v thăm hỏi đoàn viên dịp Tết Nguyên đán").text or ""
    assert "V/v: thăm hỏi đoàn viên dịp Tết Nguyên đán" in titled
    assert "Không thấy" not in titled.replace("Không thấy cơ quan", "")
    officer.says("đơn vị tất cả")
    done = officer.says("xác nhận").text or ""
    assert done.startswith("✅ Đã giao CV 68/CĐCS: 2 nhiệm vụ")
    with db.session() as session:
        directive = session.scalars(select(Directive)).one()
        assert (directive.number, directive.issue_date, directive.subject) == (
            "68/CĐCS",
            date(2026, 11, 19),
            "thăm hỏi đoàn viên dịp Tết Nguyên đán",
        )
        assert not directive.is_draft


def test_a_wrong_field_value_is_refused_and_changes_nothing(
    roster: None, world: World, db: Database
) -> None:
    officer = registered_officer(world)
    officer.says(RETOLD)
    assert "chưa đúng dạng" in (officer.says("số abc").text or "")
    assert "còn chưa tới" in (officer.says("ngày 01/01/2027").text or "")
    assert "chưa đúng" in (officer.says("ngày 31/02/2026").text or "")
    assert "Loại văn bản chưa rõ" in (officer.says("loại bánh chưng").text or "")
    again = officer.says("loai thong bao").text or ""
    assert again.startswith("📄 Thông báo")
    assert "Không thấy số văn bản" in again  # nothing else was changed by the bad lines
    with db.session() as session:
        assert session.scalars(select(Directive)).one().is_draft


def test_on_zalo_the_missing_number_is_filled_by_a_typed_line(
    roster: None, world: World, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from tests.factories import invite_code

    assert main(["invite", "--unit", "LDLD-LC", "--role", "officer"]) == 0
    officer = world.person(9301, "Trần Thị Hoa", channel=Channel.ZALO)
    officer.says(invite_code(capsys.readouterr().out))
    draft = officer.says(RETOLD).text or ""
    assert "gõ «số 68/CĐCS» để bổ sung" in draft and "1. ✅ Xác nhận" in draft
    filled = officer.says("số 68/CĐCS").text or ""
    assert filled.startswith("📄 CV 68/CĐCS") and "1. ✅ Xác nhận" in filled
