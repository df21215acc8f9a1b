"""sendPhoto and sendDocument in the sandbox: multipart uploads recorded byte for byte with
their name and type, refused as Telegram refuses them (too large, not an image, a caption
over 1,024 characters)."""

from __future__ import annotations

import os

import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError

from bot.sandbox import SandboxState

from .conftest import png_bytes

USER = 502
PNG = png_bytes(8, 8)


async def test_uploads_are_recorded_with_bytes_name_type_and_caption(
    bot: Bot, state: SandboxState
) -> None:
    state.inject_text(USER, "/start")
    workbook = os.urandom(2 * 1024 * 1024)
    upload = InputFile(workbook, filename="Tổng hợp tuần 48.xlsx")
    await bot.send_document(USER, document=upload, caption="Bảng tổng hợp")
    await bot.send_photo(USER, photo=InputFile(PNG, filename="bieu-do.png"), caption="Biểu đồ")
    document, photo = state.sent(USER)
    assert (document.method, document.document, document.file_name, document.caption) == (
        "sendDocument",
        workbook,
        "Tổng hợp tuần 48.xlsx",
        "Bảng tổng hợp",
    )
    assert document.mime_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (photo.method, photo.document, photo.mime_type) == ("sendPhoto", PNG, "image/png")


@pytest.mark.parametrize(
    ("method", "field"), [("send_photo", "photo"), ("send_document", "document")]
)
async def test_an_upload_over_the_limit_is_refused_and_not_delivered(
    bot: Bot, state: SandboxState, method: str, field: str
) -> None:
    state.inject_text(USER, "/start")
    state.set_limits(max_photo_upload_bytes=1000, max_document_upload_bytes=1000)
    with pytest.raises(NetworkError, match=r"(?i)request entity too large"):
        await getattr(bot, method)(USER, **{field: PNG + bytes(1001 - len(PNG))})
    await getattr(bot, method)(USER, **{field: PNG + bytes(1000 - len(PNG))})  # at it: goes
    assert len(state.sent(USER)) == 1


async def test_a_photo_that_is_no_image_and_a_long_caption_are_refused(
    bot: Bot, state: SandboxState
) -> None:
    state.inject_text(USER, "/start")
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(USER, photo=b"PK\x03\x04 a workbook")
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_document(USER, document=b"x", caption="đ" * 1025)
    assert state.sent(USER) == []


@pytest.mark.parametrize(("width", "height"), [(5001, 5000), (10, 201)])
async def test_a_photo_too_big_or_too_narrow_is_refused(
    bot: Bot, state: SandboxState, width: int, height: int
) -> None:
    state.inject_text(USER, "/start")
    with pytest.raises(BadRequest, match=r"(?i)photo_invalid_dimensions"):
        await bot.send_photo(USER, photo=png_bytes(width, height))
    await bot.send_photo(USER, photo=png_bytes(10, 200))  # 20 times: still a photo
    assert len(state.sent(USER)) == 1
