"""What a chair sends besides text, as the platform sends it, over HTTP against the sandbox,
on Telegram and on Zalo: a sticker, a photo without a caption, and a photo whose caption is
the progress line. (The
progress conversation itself is tested in process: tests/handlers/test_replies_conversation.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from storage.engine import Database
from storage.models import Reply
from tests.factories import Person, ZaloPerson, write_roster

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
async def test_stickers_and_photos_reach_the_progress_conversation(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    sandbox: SandboxServer,
    db: Database,
    platform: str,
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    officer = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")
    assert officer.name in ((await officer.share_phone()).text or "")
    an: Person | ZaloPerson
    if platform == "telegram":
        an = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")  # CDCS-01
        assert an.name in ((await an.share_phone()).text or "")
    else:
        an = ZaloPerson(sandbox, "a1b2c3d4e5f60718", "Nguyễn Văn An")
        assert an.name in ((await an.register(officer, "CDCS-01")).text or "")
    await officer.say("/giaoviec 10/12/2026 Nộp ảnh hội nghị")

    assert "nhãn dán" in ((await an.send_sticker()).text or "")
    assert "không có chú thích" in ((await an.send_photo()).text or "")
    with db.session() as session:
        assert session.scalars(select(Reply)).all() == []

    receipt = (await an.send_photo(caption="Đã xong ạ, ảnh kèm theo")).text or ""
    assert "Đã xong" in receipt and "có tệp đính kèm" in receipt
    with db.session() as session:
        (reply,) = session.scalars(select(Reply)).all()
    assert reply.raw_text == "Đã xong ạ, ảnh kèm theo"
    assert reply.attachment_file_id
