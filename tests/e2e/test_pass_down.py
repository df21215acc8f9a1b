"""Down the tree and back up over the sandbox, on Telegram and on Zalo (issue 14, done when):
a province gives seed 000's tasks to its districts; the district officer receives them (the
task notice, with «giao xuống»), passes item 1 down to its 12 CĐCS with their own deadline,
8 report done; the district reports up in one step; the province's summary shows the
district's report and «8/12».

The province's officer sends the letter as a Word file, so is on Telegram in both runs (Zalo
carries no documents, and the letter is longer than a Zalo message); the district's officer
and the chairs are on the platform under test. (Each bad input: tests/handlers.)"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from tests.conftest import VN
from tests.e2e.platforms import Chat, Platform, officer_on
from tests.factories import PROVINCE_ROSTER, Person, write_roster
from tests.schedules.directive_files import docx_bytes, seed_text

pytestmark = pytest.mark.e2e

SEED_000 = "000_e5f7c2b34886dca7.txt"
# Nine more CĐCS of LĐLĐ huyện Tam Đường: with CDCS-01..03 of the province roster, twelve.
MORE_CDCS = [
    f"CDCS-T{n:02d},CĐCS số {n} Tam Đường,LDLD-TU,CĐCS,Chủ tịch {n},09120001{n:02d},,,"
    for n in range(4, 13)
]
CDCS_CODES = ["CDCS-01", "CDCS-02", "CDCS-03", *(f"CDCS-T{n:02d}" for n in range(4, 13))]
NOTICE_TIME = datetime(2026, 12, 11, 17, 0, tzinfo=VN)  # a week before 18/12/2026
DONE = 8


async def province_officer(sandbox: SandboxServer) -> Person:
    officer = Person(sandbox, 90, "Trần Thị Hoa", phone="0912000001")
    greeting = await officer.share_phone()
    assert "Cán bộ LĐLĐ tỉnh Lai Châu" in (greeting.text or "")
    return officer


def numbered(listing: str, label: str) -> str:
    """The number of the line of `listing` that names `label` («1. CV 534/LĐLĐ, mục 1 — …»)."""
    for line in listing.splitlines():
        number, dot, rest = line.partition(". ")
        if dot and number.isdigit() and rest.startswith(label):
            return number
    raise AssertionError(f"no {label!r} in {listing!r}")


async def test_a_district_passes_item_1_down_and_reports_8_of_12_up(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    platform_bot: BotRuntime,
    sandbox: SandboxServer,
    platform: Platform,
    clock: ManualClock,
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    roster = write_roster(tmp_path / "roster.csv", [*PROVINCE_ROSTER, *MORE_CDCS])
    assert main(["roster", "import", str(roster)]) == 0
    hoa = await province_officer(sandbox)
    duc = await officer_on(platform)
    chairs: list[Chat] = []
    for n, code in enumerate(CDCS_CODES, start=1):
        chair = platform.chat(300 + n, f"Chủ tịch {n}")
        await chair.register(duc, code)
        chairs.append(chair)

    # The province takes in seed 000 (addressed to «LĐLĐ các huyện, Thành phố»), gives
    # item 1 a deadline, and confirms: the districts get the three tasks.
    reading = await hoa.send_file("534-LDLD.docx", docx_bytes(seed_text(SEED_000)))
    assert (reading.text or "").startswith("📄 CV 534/LĐLĐ")
    await hoa.say("1 18/12/2026")
    given = (await hoa.say("xác nhận")).text or ""
    assert "✅ Đã giao CV 534/LĐLĐ: 3 nhiệm vụ cho 2 đơn vị" in given

    # The district's officer receives item 1's notice with «giao xuống».
    clock.set(NOTICE_TIME)
    before = len(duc.inbox())
    await platform_bot.plan_now()
    await platform_bot.dispatch_now()
    notice = await duc.next_message(before)
    assert "CV 534/LĐLĐ, mục 1" in (notice.text or "")
    assert "Đơn vị: LĐLĐ huyện Tam Đường" in (notice.text or "")
    assert "Việc số" not in (notice.text or "")

    # One tap (or its number) under the notice: all twelve CĐCS, the deadline proposed three
    # working days before the district's own; confirmed.
    preview = await duc.choose(notice, "⬇️ Giao xuống đơn vị trực thuộc")
    text = preview.text or ""
    assert "Cho 12 đơn vị:" in text and "… và 2 đơn vị khác" in text
    assert "Hạn của các đơn vị: 15/12/2026 (đề xuất: 3 ngày làm việc trước hạn" in text
    done = (await duc.choose(preview, "✅ Xác nhận giao")).text or ""
    assert "✅ Đã giao xuống CV 534/LĐLĐ, mục 1 cho 12 đơn vị, hạn 15/12/2026." in done
    listing = (await duc.say("/viec")).text or ""
    assert "CV 534/LĐLĐ, mục 1" in listing and "Đã giao xuống: 0/12 đơn vị xong" in listing

    # The chairs are told (the notice of their own deadline, planned at once) and 8 report.
    await platform_bot.dispatch_now()
    for chair in chairs[:DONE]:
        answer = (await chair.say("xong")).text or ""
        assert answer.startswith("Đã ghi nhận: CV 534/LĐLĐ, mục 1 — Đã xong"), answer
    number = numbered((await duc.say("/giaoxuong")).text or "", "CV 534/LĐLĐ, mục 1")
    assert "đã giao xuống: 8/12 xong" in ((await duc.say("/giaoxuong")).text or "")

    # The district reports up in one step, with its children's figures.
    report = (await duc.say(f"/baocaolen {number}")).text or ""
    assert report.startswith("Đã ghi nhận: CV 534/LĐLĐ, mục 1 — Đang làm 66%"), report
    assert "Báo cáo lên: 8/12 CĐCS xong" in report

    # The province's summary: the district's own report beside its children's progress.
    summary = (await hoa.say("/tonghop")).text or ""
    assert (
        "⬇️ LĐLĐ huyện Tam Đường: 8/12 đơn vị trực thuộc xong — báo cáo lên: "
        "Đang thực hiện (trong hạn) (Báo cáo lên: 8/12 CĐCS xong)" in summary
    ), summary
