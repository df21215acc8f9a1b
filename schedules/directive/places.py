"""Vietnam's provinces and centrally run cities, by the names documents print.

A name with no level word ("Công đoàn ngành Giáo dục Hà Nội") still names a place when it
ends with a province's name. Our own list, because `vietnam-provinces` on PyPI lists only
the 34 units in force since 1 July 2025, while officers still receive documents issued by
the 63 before the merger (the 34 kept names from among the 63, so this list holds both).
"""

from __future__ import annotations

import re
from functools import cache

from schedules.folding import fold, fold_aligned

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh",
    "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ",
    "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng",
    "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Hồ Chí Minh", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip


@cache
def _ending() -> re.Pattern[str]:
    names = sorted({fold(name) for name in PROVINCES}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, name.split())) for name in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})$")


def province_at_end(name: str) -> str | None:
    """The province a name ends with, as the name writes it ("… Giáo dục Hà Nội" → "Hà Nội")."""
    text = name.strip()
    match = _ending().search(fold_aligned(text))
    if match is None:
        return None
    place = text[match.start() :]
    return place if place[:1].isupper() else None
