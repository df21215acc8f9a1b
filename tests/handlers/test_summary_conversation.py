"""`/tonghop` as officers use it, in process: narrowed to a task, a directive or a unit (by
code or by name, with or without diacritics), a unit outside the branch answered as an
unknown one, the province's view by district with its drill-down, the units with no
registered chair named, and a branch with nothing given."""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.summary_command import NOT_FOUND
from schedules.clock import ManualClock
from storage import directives, units
from storage.engine import Database
from tests.conftest import VN
from tests.handlers.harness import Chat, World

MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=VN)


@pytest.fixture
def people(world: World, clock: ManualClock) -> dict[str, Chat]:
    """The province's officer, the two district officers, the chairs of CDCS-01, -02 and
    -11 registered; the chair of CDCS-03 has not registered."""
    world.import_roster()
    clock.set(MORNING)
    everyone = {
        "hoa": world.person(90, "Trần Thị Hoa", phone="0912000001"),  # LDLD-LC
        "duc": world.person(100, "Phạm Văn Đức", phone="0912000003"),  # LDLD-TU
        "tam": world.person(110, "Hà Văn Tâm", phone="0912000004"),  # LDLD-PT
        "an": world.person(201, "Nguyễn Văn An", phone="0912000011"),  # CDCS-01
        "binh": world.person(202, "Lê Thị Bình", phone="0912000012"),  # CDCS-02
        "mai": world.person(211, "Đỗ Thị Mai", phone="0912000021"),  # CDCS-11
    }
    for person in everyone.values():
        assert person.name in person.shares_contact().text
    return everyone


def test_a_branch_with_nothing_given(people: dict[str, Chat]) -> None:
    answer = people["duc"].says("/tonghop").text
    assert answer.startswith("Chưa có việc nào đang theo dõi trong LĐLĐ huyện Tam Đường.")
    assert len(answer) < 200


def test_narrowed_to_a_task_and_to_a_unit(people: dict[str, Chat]) -> None:
    duc, an, binh = people["duc"], people["an"], people["binh"]
    assert "Việc số 1" in duc.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết").text
    assert "Việc số 2" in duc.gives_task("/giaoviec 20/12/2026 Kết nạp đoàn viên").text
    assert "Đã ghi nhận: Việc số 1 — Đã xong" in an.says("việc 1 xong").text
    assert "Đang làm 50%" in binh.says("việc 2 đang làm 50%").text

    whole = duc.says("/tonghop").text
    assert "▪️ Việc số 1" in whole and "▪️ Việc số 2" in whole
    # Given today: no rate a week ago to compare with; the done count said once.
    assert "Hoàn thành 1/3 đơn vị (33%): đúng hạn 1" in whole
    assert "Xong:" not in whole and "Hoàn thành đúng hạn" not in whole
    # Named, with the invite hint; not only counted.
    assert (
        "👤 Chưa có chủ tịch đăng ký với bot (1):\n• CĐCS Công ty Chè Tam Đường (CDCS-03)" in whole
    )
    assert "/moi CDCS-03" in whole

    one = duc.says("/tonghop 1").text
    assert "▪️ Việc số 1" in one and "Việc số 2" not in one
    assert (
        "\n".join(  # every unit named, one a line, the done ones too
            [
                "   ⚪ Chưa báo cáo (2):",
                "      • CĐCS Trạm Y tế Sơn Bình",
                "      • CĐCS Công ty Chè Tam Đường",
                "   🟢 Hoàn thành đúng hạn (1):",
                "      • CĐCS Trường THCS Bình Lư",
            ]
        )
        in one
    )
    assert duc.says("/tonghop việc số 2").text.count("▪️") == 1

    unit = duc.says("/tonghop cdcs-02").text
    assert unit.startswith("📊 Tổng hợp CĐCS Trạm Y tế Sơn Bình")
    assert "🔵 Đang thực hiện (trong hạn): CĐCS Trạm Y tế Sơn Bình (50%)" in unit
    assert "Trường THCS Bình Lư" not in unit
    by_name = duc.says("/tonghop tram y te son binh").text  # typed without diacritics
    assert by_name == unit
    assert duc.says("/tonghop Trạm Y tế Sơn Bình").text == unit
    several = duc.says("/tonghop cdcs").text.splitlines()  # a part of several names
    assert several == [
        "Có 3 đơn vị có tên như «cdcs»:",
        "• CĐCS Trường THCS Bình Lư: /tonghop CDCS-01",
        "• CĐCS Trạm Y tế Sơn Bình: /tonghop CDCS-02",
        "• CĐCS Công ty Chè Tam Đường: /tonghop CDCS-03",
    ]


def test_a_unit_task_or_directive_outside_the_branch_is_unknown(people: dict[str, Chat]) -> None:
    duc, tam = people["duc"], people["tam"]
    tam.gives_task("/giaoviec 10/12/2026 Việc của Phong Thổ")  # Việc số 1, in the other district
    foreign = duc.says("/tonghop CDCS-11").text
    unknown = duc.says("/tonghop CDCS-99").text
    assert foreign == NOT_FOUND.format(what="CDCS-11")
    assert unknown == NOT_FOUND.format(what="CDCS-99")
    assert duc.says("/tonghop Mường So").text == NOT_FOUND.format(what="Mường So")
    assert duc.says("/tonghop 1").text == NOT_FOUND.format(what="1")
    assert duc.says("/tonghop LDLD-LC").text == NOT_FOUND.format(what="LDLD-LC")  # above him


def test_a_directive_and_one_of_its_items(
    people: dict[str, Chat], world: World, db: Database
) -> None:
    with db.session() as session:
        district = units.get_unit_by_code(session, code="LDLD-TU")
        chair_units = [units.get_unit_by_code(session, code=f"CDCS-0{n}") for n in (1, 2, 3)]
        assert district is not None and district.id is not None
        cv = directives.create_directive(
            session,
            kind="Công văn",
            number="490/LĐLĐ",
            subject="Tháng Công nhân",
            owner_unit_id=district.id,
            created_by_person_id=1,
            now=MORNING,
        )
        assert cv.id is not None
        for item in (1, 2):
            task = directives.add_task(
                session,
                directive_id=cv.id,
                item=item,
                text=f"Nội dung mục {item}",
                deadline_at=datetime(2026, 12, 20, 17, 0, tzinfo=VN),
            )
            assert task.id is not None
            directives.assign(
                session,
                task_id=task.id,
                unit_ids=[u.id for u in chair_units if u is not None and u.id is not None],
                now=MORNING,
            )
    duc = people["duc"]
    for asked in ("/tonghop CV 490", "/tonghop 490/LĐLĐ", "/tonghop 490/ldld", "/tonghop 490"):
        text = duc.says(asked).text
        assert "CV 490/LĐLĐ, mục 1" in text and "CV 490/LĐLĐ, mục 2" in text, asked
    item = duc.says("/tonghop 490/LDLD muc 2").text
    assert "CV 490/LĐLĐ, mục 2" in item and "mục 1" not in item
    assert duc.says("/tonghop CV 490 mục 2").text == item
    assert duc.says("/tonghop CV 491").text == NOT_FOUND.format(what="CV 491")


def test_the_province_sees_its_districts_worst_first_and_drills_down(
    people: dict[str, Chat],
) -> None:
    hoa, duc, tam, an = people["hoa"], people["duc"], people["tam"], people["an"]
    duc.gives_task("/giaoviec 10/12/2026 Nộp báo cáo tổng kết")
    tam.gives_task("/giaoviec 10/12/2026 Nộp báo cáo Phong Thổ")
    an.says("xong")
    people["mai"].says("vướng: thiếu kinh phí")

    province = hoa.says("/tonghop").text
    assert province.startswith("📊 Tổng hợp LĐLĐ tỉnh Lai Châu")
    children = province[province.index("Theo đơn vị trực thuộc") :].splitlines()
    assert children[1] == "• LĐLĐ huyện Phong Thổ (LDLD-PT): 0% xong (0/1) · vướng mắc 1"
    assert children[2] == ("• LĐLĐ huyện Tam Đường (LDLD-TU): 33% xong (1/3) · 1 chưa đăng ký")
    assert "Xem chi tiết: /tonghop MÃ (ví dụ /tonghop LDLD-PT)" in province
    assert "⚠️ Vướng mắc: CĐCS Trường Tiểu học Mường So (thiếu kinh phí)" in province
    # The grassroots are not listed one by one at this level.
    assert "Chưa báo cáo:" not in province and "Trạm Y tế Sơn Bình;" not in province

    district = hoa.says("/tonghop LDLD-TU").text
    assert district.startswith("📊 Tổng hợp LĐLĐ huyện Tam Đường")
    assert "⚪ Chưa báo cáo: CĐCS Trạm Y tế Sơn Bình; CĐCS Công ty Chè Tam Đường" in district
    assert "Theo đơn vị trực thuộc" not in district
    assert district == duc.says("/tonghop").text  # what the district's officer sees
