"""A Zalo image reaches the intake by its address: the client reads it within a size bound,
and a refused, oversized or non-http address comes out as OSError («gửi lại sau»)."""

from __future__ import annotations

import httpx
import pytest

from bot.zalo.client import ZaloClient

TOKEN = "3197:zalo-TEST-token-never-logged"
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64


def serve(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/anh.jpg":
        return httpx.Response(200, content=PHOTO, headers={"content-type": "image/jpeg"})
    return httpx.Response(404)


async def test_an_image_is_read_by_its_address() -> None:
    async with ZaloClient(TOKEN, transport=httpx.MockTransport(serve)) as client:
        assert await client.download("https://anh.zalo.example/anh.jpg", 1024 * 1024) == PHOTO


@pytest.mark.parametrize(
    ("url", "max_bytes"),
    [
        ("https://anh.zalo.example/anh.jpg", 1000),  # over the bound
        ("https://anh.zalo.example/khong-co.jpg", 1024 * 1024),  # 404
        ("file:///etc/passwd", 1024 * 1024),  # not http(s)
    ],
)
async def test_what_cannot_be_had_is_an_os_error(url: str, max_bytes: int) -> None:
    async with ZaloClient(TOKEN, transport=httpx.MockTransport(serve)) as client:
        with pytest.raises(OSError, match=r"image|http"):
            await client.download(url, max_bytes)
