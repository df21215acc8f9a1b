"""`nhacviec invites`: the printable sheet of QR codes, read back from the produced file, and
`nhacviec invite --revoke`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from bot.cli import main
from storage.engine import Database
from storage.models import ChannelAccount, InviteCode, Person, Unit
from tests.conftest import VN
from tests.factories import write_roster

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


@pytest.fixture
def roster(
    tmp_path: Path, database_url: str, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The province roster, with the chair of CDCS-01 already registered."""
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    monkeypatch.delenv("NHACVIEC_BOT_USERNAME", raising=False)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    with db.session() as session:
        chair = session.scalars(select(Person).where(Person.phone == "+84912000011")).one()
        session.add(
            ChannelAccount(
                channel="telegram",
                external_user_id="201",
                chat_id="201",
                person_id=chair.id,
                created_at=NOW,
                last_seen_at=NOW,
            )
        )


def codes_by_unit(db: Database) -> dict[str, str]:
    with db.session() as session:
        rows = session.execute(
            select(Unit.code, InviteCode.code).join(Unit, Unit.id == InviteCode.unit_id)
        ).all()
    return {code: invite for code, invite in rows}


def pdf_links(path: Path) -> list[str]:
    links: list[str] = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots", []):
            uri = annotation.get_object()["/A"]["/URI"]
            if uri not in links:
                links.append(str(uri))
    return links


def test_pdf_sheet_has_one_code_per_unit_without_a_registered_chair(
    roster: None, tmp_path: Path, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moi.pdf"
    assert main(["invites", "--unit", "LDLD-TU", "--out", str(out), "--bot", "@nhacviec_bot"]) == 0
    assert "3 mã mời" in capsys.readouterr().out
    invites = codes_by_unit(db)
    assert set(invites) == {"LDLD-TU", "CDCS-02", "CDCS-03"}  # CDCS-01's chair registered
    expected = {f"https://t.me/nhacviec_bot?start={code}" for code in invites.values()}
    assert set(pdf_links(out)) == expected
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = "\n".join(page.extract_text() for page in reader.pages)
    for code in invites.values():
        assert f"/start {code}" in text
    assert "CĐCS Trạm Y tế Sơn Bình" in text
    assert "hết hạn 20/12/2026" in text or "hết hạn" in text


def test_png_sheet_decodes_to_the_links(
    roster: None, tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_BOT_USERNAME", "nhacviec_bot")
    out = tmp_path / "moi.png"
    assert main(["invites", "--unit", "LDLD-LC", "--out", str(out), "--all"]) == 0
    invites = codes_by_unit(db)
    assert len(invites) == 7  # --all: registered chairs too
    decoded = {result.text for result in zxingcpp.read_barcodes(Image.open(out))}
    assert decoded == {f"https://t.me/nhacviec_bot?start={code}" for code in invites.values()}


ZALO_LINK = "https://zalo.me/s/nhacviec-bot"


def test_with_zalo_configured_each_card_has_both_codes(
    roster: None,
    tmp_path: Path,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NHACVIEC_ZALO_BOT_LINK", ZALO_LINK)
    out = tmp_path / "moi.pdf"
    assert main(["invites", "--unit", "LDLD-TU", "--out", str(out), "--bot", "nhacviec_bot"]) == 0
    invites = codes_by_unit(db)
    telegram = {f"https://t.me/nhacviec_bot?start={code}" for code in invites.values()}
    assert set(pdf_links(out)) == telegram | {ZALO_LINK}
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for code in invites.values():
        assert f"/start {code}" in text and f"MA {code}" in text

    png = tmp_path / "moi.png"
    assert main(["invites", "--unit", "LDLD-TU", "--out", str(png), "--bot", "nhacviec_bot"]) == 0
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(png))]
    assert decoded.count(ZALO_LINK) == 3  # one beside each unit's Telegram code
    assert len([link for link in decoded if link.startswith("https://t.me/")]) == 3


def test_a_zalo_only_sheet_needs_no_telegram_username(
    roster: None, tmp_path: Path, db: Database
) -> None:
    out = tmp_path / "moi.pdf"
    args = ["invites", "--unit", "LDLD-TU", "--out", str(out), "--zalo", ZALO_LINK]
    assert main(args) == 0
    assert pdf_links(out) == [ZALO_LINK]
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert all(f"MA {code}" in text for code in codes_by_unit(db).values())
    assert "/start" not in text


def test_many_units_fill_several_pages(
    tmp_path: Path, database_url: str, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    rows = ["H,LĐLĐ huyện,,LĐLĐ huyện,,,,,"] + [
        f"CS{number:02d},CĐCS số {number},H,CĐCS,,,,," for number in range(1, 14)
    ]
    assert main(["roster", "import", str(write_roster(tmp_path / "r.csv", rows))]) == 0
    out = tmp_path / "moi.pdf"
    assert main(["invites", "--unit", "H", "--out", str(out), "--bot", "b"]) == 0
    assert len(PdfReader(out).pages) == 3  # 14 cards, 6 a page
    assert len(pdf_links(out)) == 14


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--unit", "KHONG-CO", "--out", "x.pdf", "--bot", "b"], "Không có đơn vị"),
        (["--unit", "LDLD-TU", "--out", "x.docx", "--bot", "b"], "chỉ hỗ trợ .pdf hoặc .png"),
        (["--unit", "LDLD-TU", "--out", "x.pdf"], "Thiếu tên bot"),
    ],
)
def test_bad_arguments_create_no_codes(
    roster: None,
    tmp_path: Path,
    db: Database,
    arguments: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["invites", *arguments]) == 1
    assert message in capsys.readouterr().err
    assert codes_by_unit(db) == {}
    assert list(tmp_path.glob("x.*")) == []


def test_revoke(roster: None, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "--unit", "CDCS-02"]) == 0
    code = capsys.readouterr().out.split()[0]
    assert main(["invite", "--revoke", code.lower()]) == 0
    assert f"Đã thu hồi mã mời {code}" in capsys.readouterr().out
    with db.session() as session:
        assert session.scalars(select(InviteCode)).one().revoked_at is not None
    assert main(["invite", "--revoke", "KHONGCOMA2"]) == 1
    assert "Không có mã mời" in capsys.readouterr().err
