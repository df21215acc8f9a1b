"""Addressee phrases from «Kính gửi» matched to units by their level labels and names."""

from __future__ import annotations

import pytest

from handlers.addressees import UnitRow, addressee_kinds, match_addressees

BRANCH = [
    UnitRow(1, "LDLD-TU", "LĐLĐ huyện Tam Đường", "LĐLĐ huyện"),
    UnitRow(2, "LDLD-TP", "LĐLĐ thành phố Lai Châu", "LĐLĐ thành phố"),
    UnitRow(3, "CDN-GD", "Công đoàn ngành Giáo dục", "Công đoàn ngành"),
    UnitRow(4, "CDVC", "Công đoàn Viên chức tỉnh", "Công đoàn Viên chức"),
    UnitRow(5, "CDCS-01", "CĐCS Trường THCS Bình Lư", "CĐCS"),
    UnitRow(6, "CDCS-02", "Công đoàn cơ sở Trạm Y tế", "Công đoàn cơ sở"),
    UnitRow(7, "KCN", "Công đoàn các Khu công nghiệp", "Công đoàn KCN"),
]


@pytest.mark.parametrize(
    ("phrases", "expected"),
    [
        (["LĐLĐ các huyện, thành phố"], [1, 2]),
        (["Liên đoàn Lao động các huyện, thành phố"], [1, 2]),
        (["Lien doan Lao dong cac huyen"], [1]),
        (["Các công đoàn cơ sở trực thuộc"], [5, 6]),
        (["Các công đoàn cơ sở trực thuộc Liên đoàn Lao động huyện"], [5, 6]),
        (["Công đoàn ngành, Công đoàn Viên chức"], [3, 4]),
        (
            ["LĐLĐ các huyện, Thành phố", "Các Công đoàn Ngành, Công đoàn Viên chức tỉnh"],
            [1, 2, 3, 4],
        ),
        (["Ủy ban nhân dân các xã"], []),
        ([], []),
    ],
)
def test_phrases_name_the_units_of_their_kind(phrases: list[str], expected: list[int]) -> None:
    assert match_addressees(phrases, BRANCH) == expected


def test_a_listed_phrase_carries_its_head_to_every_part() -> None:
    assert addressee_kinds("LĐLĐ các huyện, thành phố") == ["ldld huyen", "ldld thanh pho"]
    assert addressee_kinds("- Các CĐCS trực thuộc") == ["cdcs"]
