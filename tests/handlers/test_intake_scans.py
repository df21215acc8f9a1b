"""An officer's photo of a letter (a Telegram photo, a Zalo image) and a scanned PDF go through
the intake like a file: the draft is marked as read by OCR, for the officer to check; a
photo that is not a letter is answered and stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.messages import Channel
from storage.engine import Database
from storage.models import ConversationState, Directive
from tests.factories import INTAKE_ROSTER, invite_code
from tests.handlers.harness import World
from tests.handlers.test_intake_conversation import SEED_490, registered_officer, roster
from tests.scans import Scan, needs_tesseract, phone_photo, render_pages
from tests.schedules.directive_files import seed_text

__all__ = ["roster"]  # the fixture, used by name


@needs_tesseract
def test_an_officers_photo_of_a_letter_becomes_a_draft_marked_as_read_from_a_scan(
    roster: None, world: World, db: Database
) -> None:
    officer = registered_officer(world)
    page = render_pages(seed_text(SEED_490), Scan(seed=9, angle=0.0))[0]
    draft = officer.sends_file(None, phone_photo(page), kind="photo")
    text = draft.text or ""
    assert text.startswith("📄 CV 490/LĐLĐ")
    assert "đọc từ ảnh/bản scan — xin kiểm tra kỹ" in text
    assert "1. Tăng cường công tác tuyên truyền" in text
    with db.session() as session:
        (directive,) = session.scalars(select(Directive)).all()
        assert directive.is_draft and directive.source_text is not None


@needs_tesseract
def test_a_photo_that_is_not_a_letter_is_answered_and_nothing_is_stored(
    roster: None, world: World, db: Database
) -> None:
    from PIL import Image

    from tests.scans import image_bytes

    officer = registered_officer(world)
    meal = Image.new("RGB", (1600, 1200), (200, 120, 60))
    answer = officer.sends_file(None, image_bytes(meal, "JPEG"), kind="photo")
    assert "không thấy chữ đọc được" in (answer.text or "")
    with db.session() as session:
        assert session.scalars(select(Directive)).all() == []
        assert session.scalars(select(ConversationState)).all() == []


@needs_tesseract
def test_an_officer_on_zalo_sends_an_image_of_a_letter(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """Zalo's image arrives as a photo whose id is its address; the intake reads it alike,
    and the draft's keys come as words and numbers (no buttons on Zalo)."""
    world.import_roster(INTAKE_ROSTER)
    assert main(["invite", "--unit", "LDLD-LC", "--role", "officer"]) == 0
    officer = world.person(9200, "Trần Thị Hoa", channel=Channel.ZALO)
    assert "Cán bộ" in officer.says(invite_code(capsys.readouterr().out)).text
    page = render_pages(seed_text(SEED_490), Scan(seed=11, angle=-1.0))[0]
    draft = officer.sends_file(None, phone_photo(page), kind="photo")
    text = draft.text or ""
    assert "CV 490/LĐLĐ" in text and "đọc từ ảnh/bản scan — xin kiểm tra kỹ" in text
    assert not draft.choices or "1." in text  # a numbered list, never buttons, on Zalo
