"""Directive intake end to end: an officer sends a Word file over the sandbox, the bot shows
its reading, the officer corrects a deadline and confirms, and the units addressed in
«Kính gửi» get their assignments and reminders; a second copy of the same file changes
nothing. Files too large or not downloaded are refused. (The intake conversation itself is
tested in process: tests/handlers/test_intake_conversation.py.)"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import Fault, SandboxServer, SentMessage
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import Assignment, ConversationState, Directive, Task, Unit
from tests.conftest import VN, bot_settings
from tests.factories import INTAKE_ROSTER, Person, invite_code, write_roster
from tests.schedules.directive_files import docx_bytes, seed_text

pytestmark = pytest.mark.e2e

SEED_490 = "004_3fbaa7aed5e606d2.txt"
# «Kính gửi: Liên đoàn Lao động các huyện, thành phố; Công đoàn ngành, Công đoàn Viên chức»
ADDRESSED = {"LDLD-TU", "LDLD-PT", "LDLD-TP", "CDN-GD", "CDVC-LC"}


@pytest.fixture
def roster(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    path = write_roster(tmp_path / "roster.csv", INTAKE_ROSTER)
    assert main(["roster", "import", str(path)]) == 0


async def registered_officer(sandbox: SandboxServer) -> Person:
    """The province's officer (LĐLĐ tỉnh Lai Châu), registered by phone."""
    officer = Person(sandbox, 100, "Trần Thị Hoa", phone="0912000001")
    await officer.say("/start")
    assert "Cán bộ LĐLĐ tỉnh Lai Châu" in (await officer.share_phone()).text
    return officer


def button(message: SentMessage, label: str) -> str:
    for row in message.buttons:
        for key in row:
            if key["text"] == label:
                return key["callback_data"]
    raise AssertionError(f"no button {label!r} in {message.buttons}")


def line_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


async def test_a_word_directive_becomes_assignments_for_the_addressed_units(
    roster: None,
    bot: BotRuntime,
    sandbox: SandboxServer,
    clock: ManualClock,
    db: Database,
    database_url: str,
) -> None:
    officer = await registered_officer(sandbox)
    chair = Person(sandbox, 231, "Lý Thị Vân")  # Công đoàn Viên chức tỉnh
    code = invite_code((await officer.say("/moi CDVC-LC")).text)
    assert "Công đoàn Viên chức tỉnh" in (await chair.say(f"/start {code}")).text

    document = docx_bytes(seed_text(SEED_490))
    reading = await officer.send_file("490-LDLD.docx", document)
    text = reading.text or ""
    assert text.startswith("📄 CV 490/LĐLĐ, ngày 20/07/2020")
    assert "V/v: đơn đốc thực hiện các chỉ tiêu nhiệm vụ giao năm 2020" in text
    assert line_of(text, "1. ").endswith("— chưa có hạn")
    assert "hạn 20/12/2020 — ĐÃ QUA" in line_of(text, "3. ")
    units_line = line_of(text, "Giao cho ")
    assert units_line.startswith("Giao cho 5 đơn vị theo «Kính gửi»")
    for unit_code in ADDRESSED:
        assert f"({unit_code})" in units_line
    assert "CDCS" not in units_line  # grassroots unions were not addressed

    # Nothing is a directive yet: the file waits as a draft, and survives a restart.
    with db.session() as session:
        draft = session.scalars(select(Directive)).one()
        assert draft.is_draft
        assert session.scalars(select(Task)).all() == []
    await bot.stop()
    restarted = BotRuntime(
        bot_settings(database_url, sandbox),
        clock=clock,
        dispatch_interval=None,
        per_chat_interval=0,
    )
    async with restarted:
        # Item 3's written date has passed: confirming asks for a new one.
        refused = await officer.press(reading.message_id, button(reading, "✅ Xác nhận"))
        assert "Hạn đã qua: mục 3 (20/12/2020)" in (refused.text or "")

        corrected = await officer.say("3 15/12/2026")
        assert line_of(corrected.text or "", "3. ").endswith("— hạn 15/12/2026")
        assert "Không có mục 9" in ((await officer.say("9 15/12/2026")).text or "")

        done = await officer.say("xác nhận")
        assert "✅ Đã giao CV 490/LĐLĐ: 4 nhiệm vụ cho 5 đơn vị (20 lượt giao)." in (
            done.text or ""
        )
        assert "Mục 1, 2, 4 chưa có hạn nên bot chưa nhắc" in (done.text or "")

        with db.session() as session:
            directive = session.scalars(select(Directive)).one()
            assert not directive.is_draft
            assert directive.number == "490/LĐLĐ"
            assert directive.source_file == document
            assert directive.source_file_name == "490-LDLD.docx"
            assert directive.source_sha256 == hashlib.sha256(document).hexdigest()
            assert "Kính gửi" in (directive.source_text or "")
            tasks = {t.item: t for t in session.scalars(select(Task))}
            assert sorted(tasks) == [1, 2, 3, 4]
            deadline = tasks[3].deadline_at
            assert deadline is not None and deadline.astimezone(VN).date().isoformat() == (
                "2026-12-15"
            )
            assigned = session.execute(
                select(Unit.code, Assignment.task_id).join(Unit, Unit.id == Assignment.unit_id)
            ).all()
            assert {unit_code for unit_code, _ in assigned} == ADDRESSED
            assert len(assigned) == 20
            assert session.get(ConversationState, 1) is None

        # The one dated task is reminded to the registered chair, once, before its deadline.
        clock.set(datetime(2026, 12, 14, 7, 30, tzinfo=VN))
        await restarted.plan_now()
        assert (await restarted.dispatch_now()).sent == 1
        reminder = chair.inbox()[-1].text or ""
        assert "CV 490/LĐLĐ, mục 3" in reminder
        assert "Hạn: 15/12/2026" in reminder

        # The same file again is recognised: nothing is created twice.
        again = await officer.send_file("ban-sao.docx", document)
        assert "đã được nhập" in (again.text or "")
        assert "4 nhiệm vụ, giao cho 5 đơn vị" in (again.text or "")
        with db.session() as session:
            assert len(session.scalars(select(Directive)).all()) == 1
            assert len(session.scalars(select(Assignment)).all()) == 20


async def test_an_oversized_file_is_refused_before_download(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    officer = await registered_officer(sandbox)
    answer = await officer.send_file("lon.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 1))
    assert "Tệp quá lớn (20.0 MB), giới hạn là 20 MB" in (answer.text or "")
    with db.session() as session:
        assert session.scalars(select(Directive)).all() == []


async def test_a_failed_download_asks_to_send_again(
    roster: None, bot: BotRuntime, sandbox: SandboxServer, db: Database
) -> None:
    officer = await registered_officer(sandbox)
    document = docx_bytes(seed_text(SEED_490))
    sandbox.state.add_fault(Fault(status=500, method="getFile", count=1))
    failed = await officer.send_file("490.docx", document)
    assert "chưa tải được tệp" in (failed.text or "")
    with db.session() as session:
        assert session.scalars(select(Directive)).all() == []
    again = await officer.send_file("490.docx", document)
    assert (again.text or "").startswith("📄 CV 490/LĐLĐ")
