"""Bad files get a Vietnamese message that says what is wrong and what to send instead."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from schedules.directive import MAX_FILE_BYTES, DocumentError, read_document, read_text
from tests.schedules.directive_files import (
    encrypted_pdf,
    seed_text,
    text_pdf,
)

VIETNAMESE_MARKS = set("ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịúùủũụýỳỷỹỵ")

RECIPE = """Phở bò Hà Nội

Nguyên liệu: 1 kg xương bò, 500 g thịt bò, bánh phở, hành, gừng, quế, hồi.

1. Rửa sạch xương, chần qua nước sôi rồi ninh trong 6 giờ.
2. Nướng hành, gừng cho thơm, cho vào nồi nước dùng.
3. Nêm nước mắm, muối vừa ăn; trước khi ăn chần bánh phở.
4. Xếp thịt bò lên bánh, chan nước dùng thật nóng.
"""


def error_of(data: bytes, name: str) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(data, name)
    return caught.value.message


def assert_helpful_vietnamese(message: str) -> None:
    assert "\n" not in message
    assert VIETNAMESE_MARKS & set(message.lower())
    assert any(word in message for word in ("Hãy", "hãy")), "say what to send instead"


CASES = {
    "empty": (b"", "trong.txt", "trống"),
    "only blanks": (b" \r\n\t \n", "trong.txt", "trống"),
    "random bytes": (random.Random(3).randbytes(4096), "tep.bin", "không phải văn bản"),
    "nul-ridden": (b"abc\x00\x01\x02" * 200, "tep.txt", "không phải văn bản"),
    "encrypted pdf": (encrypted_pdf(seed_text("004_3fbaa7aed5e606d2.txt")), "cv.pdf", "mật khẩu"),
    "broken pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "hong.pdf", "hỏng"),
    "png picture": (b"\x89PNG\r\n\x1a\n" + bytes(64), "anh.png", "ảnh"),
    "old .doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "cv.doc", ".doc"),
    "a recipe": (RECIPE.encode(), "pho.txt", "không giống một văn bản"),
    "a chat line": ("Chào anh, mai họp lúc 8 giờ nhé".encode(), "tin.txt", "không giống"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gets_a_vietnamese_message(case: str) -> None:
    data, name, gist = CASES[case]
    message = error_of(data, name)
    assert gist in message
    assert_helpful_vietnamese(message)


def test_a_password_protected_word_file_is_named_as_such() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64) + "EncryptedPackage".encode("utf-16-le")
    assert "mật khẩu" in error_of(data, "cv.docx")


def test_a_zip_that_is_not_word_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "xin chào")
    assert ".docx" in error_of(buffer.getvalue(), "tep.zip")


def test_a_file_over_20_mb_is_refused_before_it_is_read() -> None:
    text = seed_text("000_e5f7c2b34886dca7.txt").encode()
    data = text + b" " * (MAX_FILE_BYTES + 1 - len(text))
    message = error_of(data, "lon.txt")
    assert "quá lớn" in message
    assert "20 MB" in message
    assert_helpful_vietnamese(message)


def test_a_file_of_exactly_20_mb_is_accepted() -> None:
    text = seed_text("000_e5f7c2b34886dca7.txt").encode()
    data = text + b"\n" * (MAX_FILE_BYTES - len(text))
    assert read_document(data, "vua.txt").number == "534/LĐLĐ"


def test_a_text_far_longer_than_any_directive_is_refused() -> None:
    text = seed_text("003_2ed2e0414747693d.txt")
    with pytest.raises(DocumentError) as caught:
        read_text(text * 40)
    assert "quá dài" in caught.value.message
    assert_helpful_vietnamese(caught.value.message)


def test_a_pdf_with_a_recipe_is_not_a_directive() -> None:
    assert "không giống" in error_of(text_pdf(RECIPE), "pho.pdf")


def test_empty_text_pasted_in_chat() -> None:
    with pytest.raises(DocumentError):
        read_text("  \n\n **  ** \n #### \n")
