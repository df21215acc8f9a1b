"""What a chair sends besides text, as the platform sends it, over HTTP against the sandbox:
a sticker, a photo without a caption, and a photo whose caption is the progress line. (The
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
from tests.factories import Person, write_roster

pytestmark = pytest.mark.e2e


async def test_stickers_and_photos_reach_the_progress_conversation(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    bot: BotRuntime,
    sandbox: SandboxServer,
    db: Database,
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    officer = Person(sandbox, 100, "Phạm Văn Đức", phone="0912000003")
    an = Person(sandbox, 201, "Nguyễn Văn An", phone="0912000011")  # CDCS-01
    for person in (officer, an):
        assert person.name in (await person.share_phone()).text
    await officer.say("/giaoviec 10/12/2026 Nộp ảnh hội nghị")

    before = len(an.inbox())
    sandbox.state.inject_sticker(an.user_id)
    assert "nhãn dán" in ((await an.next_message(before)).text or "")
    before = len(an.inbox())
    sandbox.state.inject_photo(an.user_id, b"\xff\xd8photo")
    assert "không có chú thích" in ((await an.next_message(before)).text or "")
    with db.session() as session:
        assert session.scalars(select(Reply)).all() == []

    before = len(an.inbox())
    sandbox.state.inject_photo(an.user_id, b"\xff\xd8photo", caption="Đã xong ạ, ảnh kèm theo")
    receipt = await an.next_message(before)
    assert "Đã xong" in (receipt.text or "") and "có tệp đính kèm" in (receipt.text or "")
    with db.session() as session:
        (reply,) = session.scalars(select(Reply)).all()
    assert reply.raw_text == "Đã xong ạ, ảnh kèm theo"
    assert reply.attachment_file_id
