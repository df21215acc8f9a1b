"""OCR's usual mistakes mended before reading: digits in numbers and dates, `Đ` read as `Ð`,
the union's abbreviation, `V/v`, and header keywords without diacritics; words are left
alone."""

from __future__ import annotations

import pytest

from schedules.directive import read_text
from schedules.directive.model import IssueDate
from schedules.directive.ocr_text import clean_ocr_text, mend_digit_slips
from tests.schedules.directive_files import seed_text


@pytest.mark.parametrize(
    ("ocr", "meant"),
    [
        ("Số: 534/LÐLÐ", "Số: 534/LĐLĐ"),
        ("So: 49O/LĐĐLĐ", "Số: 490/LĐLĐ"),
        ("ngày l9 tháng O2 năm 2O25", "ngày 19 tháng 02 năm 2025"),
        ("ngày lO/07/2O2O", "ngày 10/07/2020"),
        ("khen thưởng nắm 2024, nãm 2024", "khen thưởng năm 2024, năm 2024"),
        ("Kinh gui: - LĐLĐ các huyện", "Kính gửi: - LĐLĐ các huyện"),
        ("Noi nhan:", "Nơi nhận:"),
        ("V# tiếp tục đẩy mạnh thi đua", "V/v tiếp tục đẩy mạnh thi đua"),
        ("VW đơn đốc thực hiện", "V/v đơn đốc thực hiện"),
        ("thực hiện 7 nội dung, gốm: Tiếp tục", "thực hiện 7 nội dung, gồm: Tiếp tục"),
        ("Sẽ: 214/TB-LĐLĐ", "Số: 214/TB-LĐLĐ"),
        ("THÔNG BẢO", "THÔNG BÁO"),
        ("KẾ HOACH", "KẾ HOẠCH"),
    ],
)
def test_ocr_noise_is_mended(ocr: str, meant: str) -> None:
    assert clean_ocr_text(ocr) == meant


@pytest.mark.parametrize(
    "text",
    [
        "Lai Châu, ngày 19 tháng 02 năm 2025",
        "Sổ tay công đoàn; Số liệu: lO người",  # letters beside no digit stay letters
        "Với các đơn vị; Vì vậy",
        "nắm bắt tâm tư; năm học mới; tháng này",
        "Kính gửi: các CĐCS",
        "Phòng II, mục IV",
        "Sổ 12/2025 ghi rõ; THÔNG TIN",  # a word before a number, a capitalised other word
    ],
)
def test_words_are_left_as_they_are(text: str) -> None:
    assert clean_ocr_text(text) == text


def test_a_seed_with_ocr_noise_reads_like_the_seed() -> None:
    seed = seed_text("004_3fbaa7aed5e606d2.txt")
    noisy = (
        seed.replace("Số: 490/LĐLĐ", "So: 49O/LÐLÐ")
        .replace("ngày 20 tháng 7 năm 2020", "ngày 2O tháng 7 nãm 2O2O")
        .replace("Kính gửi", "Kinh gui")
    )
    cleaned, original = read_text(clean_ocr_text(noisy)), read_text(seed)
    assert (cleaned.number, cleaned.issue_date) == (original.number, original.issue_date)
    assert cleaned.recipients == original.recipients


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Số: 1O5/TB-LĐLĐ", "Số: 105/TB-LĐLĐ"),
        ("Thanh Hóa, ngày l2 tháng 6 năm 2O25", "Thanh Hóa, ngày 12 tháng 6 năm 2025"),
        ("báo cáo trước ngày 3O/7/2O25.", "báo cáo trước ngày 30/7/2025."),
        ("trong tháng 1O/2025", "trong tháng 10/2025"),
        # Words, Roman numerals and codes beside numbers are what the author typed.
        ("III.1 Lo lắng cho 20 người", "III.1 Lo lắng cho 20 người"),
        ("ngày lo toan, số lO/KH, Số: 105/TB", "ngày lo toan, số lO/KH, Số: 105/TB"),
        ("Quyết định số 1O/QĐ, phòng l01", "Quyết định số 10/QĐ, phòng l01"),
    ],
)
def test_a_pasted_ocr_text_has_its_digit_slips_mended_and_nothing_else(
    typed: str, meant: str
) -> None:
    assert mend_digit_slips(typed) == meant


def test_a_pasted_ocr_text_gives_its_number_date_and_deadline() -> None:
    reading = read_text(
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA\nSố: 1O5/TB-LĐLĐ\n"
        "Thanh Hóa, ngày l2 tháng 6 năm 2025\n"
        "1. Báo cáo kết quả khắc phục trước ngày 3O/7/2O25.\n"
    )
    assert reading.number == "105/TB-LĐLĐ"
    assert reading.place == "Thanh Hóa"
    assert reading.issue_date == IssueDate(2025, 6, 12)
    assert [str(d.date) for d in reading.deadlines] == ["2025-07-30"]


def test_roman_section_headings_read_as_ones_are_mended() -> None:
    ocr = "1. ĐỐI TƯỢNG, TIÊU CHUẨN\nTập thể\n11. HỒ SƠ, THỜI GIAN\n1. Hồ sơ gồm\n2. Gửi hồ sơ"
    assert clean_ocr_text(ocr).split("\n") == [
        "I. ĐỐI TƯỢNG, TIÊU CHUẨN",
        "Tập thể",
        "II. HỒ SƠ, THỜI GIAN",
        "1. Hồ sơ gồm",
        "2. Gửi hồ sơ",
    ]


@pytest.mark.parametrize(
    "ocr",
    [
        "1. MỤC ĐÍCH\n2. YÊU CẦU\n11. NỘI DUNG",  # arabic sections: 1, 2 … 11
        "1. Hồ sơ gồm\n11. Các đơn vị gửi",  # items, not headings in capitals
    ],
)
def test_arabic_numbers_stay_arabic(ocr: str) -> None:
    assert clean_ocr_text(ocr) == ocr
