"""What a chair sends besides text, as the platform sends it, over HTTP against the sandbox,
on Telegram and on Zalo: a sticker, a photo without a caption, and a photo whose caption is
the progress line. (The
progress conversation itself is tested in process: tests/handlers/test_replies_conversation.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import BotRuntime
from storage.engine import Database
from storage.models import Reply
from tests.e2e.platforms import Platform, load_roster, officer_on
from tests.factories import gives_task

pytestmark = pytest.mark.e2e


async def test_stickers_and_photos_reach_the_progress_conversation(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    two_channel_bot: BotRuntime,
    platform: Platform,
    db: Database,
) -> None:
    load_roster(tmp_path, database_url, monkeypatch)
    officer = await officer_on(platform)
    an = platform.chat(201, "Nguyễn Văn An")
    assert "Nguyễn Văn An" in ((await an.register(officer, "CDCS-01")).text or "")
    await gives_task(officer, "/giaoviec 10/12/2026 Nộp ảnh hội nghị")

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
