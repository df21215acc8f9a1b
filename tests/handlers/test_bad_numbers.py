"""Numbers no column can hold, digits of other scripts, and deadlines centuries ahead, in
process: each gets a short Vietnamese answer (never the generic apology) and changes nothing.
On PostgreSQL an id over 2,147,483,647 once reached the query and failed there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from handlers.texts import INTERNAL_ERROR, INVALID_BUTTON
from schedules.answer_buttons import AnswerAction, answer_data
from schedules.clock import ManualClock
from storage.engine import Database
from storage.models import (
    Assignment,
    BroadcastDelivery,
    ConversationState,
    Directive,
    Progress,
    Reply,
    Task,
)
from tests.handlers.harness import Chat, World
from tests.handlers.test_intake_conversation import SEED_490, registered_officer
from tests.handlers.test_replies_conversation import assignment_of, people, reminded
from tests.schedules.directive_files import docx_bytes, seed_text

__all__ = ["people"]  # the fixture, used by name below

WATCHED: tuple[type[SQLModel], ...] = (
    Reply,
    Assignment,
    Task,
    Directive,
    ConversationState,
    BroadcastDelivery,
)


def counts(db: Database) -> dict[str, int]:
    """How many rows the tables a forged input could change have, and the assignments'
    progress: a refusal leaves all of it as it was."""
    with db.session() as session:
        found = {
            model.__name__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in WATCHED
        }
        open_ = select(func.count()).where(Assignment.progress == Progress.OPEN)
        found["open assignments"] = int(session.scalar(open_) or 0)
        return found


def refused(db: Database, act: Callable[[], str | None], expected: str) -> None:
    """`act` is answered with `expected`, not the apology, and no row changes."""
    before = counts(db)
    answer = act() or ""
    assert INTERNAL_ERROR not in answer
    assert expected in answer, answer
    assert counts(db) == before


@pytest.fixture
def reminded_an(
    people: dict[str, Chat], world: World, clock: ManualClock, db: Database
) -> tuple[Chat, int]:
    """Chair An, reminded of Việc số 1; and his assignment's id."""
    people["officer"].gives_task("/giaoviec 10/12/2026 Kết nạp đoàn viên mới")
    reminded(people["an"], world, clock)
    own = assignment_of(db, "CDCS-01").id
    assert own is not None
    return people["an"], own


@pytest.mark.parametrize(
    "data",
    [
        "a:999999999999:d",  # over a PostgreSQL INTEGER
        "a:2147483648:d",  # just over
        "a:²:d",  # `isdigit()` is true, `int()` fails
        "a:١:d",  # an Arabic-Indic one, which `int()` reads as 1
        "a:１:d",  # a full-width one
        "a:-1:d",
        "q:99999999999",
        "q:²",
        "n:99999999999",
        "n:²",
        "bc:ok:99999999999",
        "bc:lvl:1:99999999999",
        "r:a:99999999999",
        "i:ok:99999999999",
        "a:1:d\x00",
        "a:" + "1" * 70 + ":d",
    ],
)
def test_a_forged_number_in_a_button_is_a_stale_button(
    reminded_an: tuple[Chat, int], db: Database, data: str
) -> None:
    an, _ = reminded_an
    refused(db, lambda: an.taps(data).text, "hết hiệu lực")


def test_a_forged_detail_on_a_real_assignment_changes_nothing(
    reminded_an: tuple[Chat, int], db: Database
) -> None:
    an, own = reminded_an
    for detail in ("²", "٥٠", "99999999999999999999", "50 "):
        data = answer_data(own, AnswerAction.WORKING, detail)
        refused(db, lambda data=data: an.taps(data).text, INVALID_BUTTON)
    # The real buttons still work afterwards.
    assert "Đang làm 50%" in an.taps(answer_data(own, AnswerAction.WORKING, "50")).text


def test_an_officer_pressing_forged_numbers_gets_the_stale_answer(
    people: dict[str, Chat], db: Database
) -> None:
    officer = people["officer"]
    for data in ("r:a:99999999999", "r:r:²", "bc:who:99999999999", "n:2147483648"):
        refused(db, lambda data=data: officer.taps(data).text, "hết hiệu lực")


def test_a_figure_beyond_a_postgresql_integer_is_stored_whole(
    reminded_an: tuple[Chat, int], db: Database
) -> None:
    """`kết nạp 2147483648` and money over 2.1 tỷ đồng are figures a BIGINT holds."""
    an, _ = reminded_an
    answer = an.says("kết nạp 2147483648").text
    assert "số liệu 2.147.483.648" in answer
    assert an.says("thu 3 tỷ").text.count("3.000.000.000") == 1
    with db.session() as session:
        figures = list(session.scalars(select(Reply.number).order_by(Reply.id)))
    assert figures == [2_147_483_648, 3_000_000_000]


@pytest.mark.parametrize("line", ["kết nạp 999999999999 tỷ", "thu 999.999.999.999 tỷ đồng"])
def test_a_figure_no_column_holds_is_refused(
    reminded_an: tuple[Chat, int], db: Database, line: str
) -> None:
    an, _ = reminded_an
    refused(db, lambda: an.says(line).text, "lớn quá")


def test_digits_of_other_scripts_are_not_read_as_a_percent(
    reminded_an: tuple[Chat, int], db: Database
) -> None:
    """After «Đang làm», `٦٠` is no answer of 60%: the line is read on its own, and the
    grammar (which reads ASCII digits only) asks what was meant."""
    an, own = reminded_an
    an.taps(answer_data(own, AnswerAction.WORKING))
    answer = an.says("٦٠").text
    assert INTERNAL_ERROR not in answer
    with db.session() as session:
        assert session.scalars(select(Reply.percent)).all() == []


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/tonghop 99999999999", "Không tìm thấy «99999999999»"),
        ("/tonghop 2147483648", "Không tìm thấy «2147483648»"),
        ("/tonghop ١", "Không tìm thấy «١»"),
        ("/tonghop CV 99999999999999 mục 99999", "Không tìm thấy"),
        ("/chitieu 99999999999 Số đoàn viên | người", "Cách dùng: /chitieu"),
        ("/chitieu 999999999 Số đoàn viên | người", "Không tìm thấy"),
        ("/chitieu ١ Số đoàn viên | người", "Cách dùng: /chitieu"),
        ("/thuhoi 99999999999", "Không có mã mời"),
        ("/giaoviec ٣١/١٢/٢٠٢٦ Việc gì đó", "Không tìm thấy đơn vị"),
        ("/giaoviec CDCS-01 ٣١/١٢/٢٠٢٦ Việc gì đó", "Hạn chưa đúng"),
    ],
)
def test_commands_with_numbers_no_column_holds(
    people: dict[str, Chat], db: Database, command: str, expected: str
) -> None:
    refused(db, lambda: people["officer"].says(command).text, expected)


def test_a_deadline_beyond_the_horizon_is_refused(people: dict[str, Chat], db: Database) -> None:
    """`/giaoviec 31/12/9999 x` ended in an OverflowError; ten years ahead is the limit
    (the clock reads 20/11/2026)."""
    officer = people["officer"]
    refused(
        db,
        lambda: officer.gives_task("/giaoviec 31/12/9999 x").text,
        "Hạn 31/12/9999 quá xa; anh/chị vui lòng nhập hạn trong vòng 10 năm (đến 20/11/2036).",
    )
    refused(db, lambda: officer.gives_task("/giaoviec 21/11/2036 x").text, "quá xa")
    assert "Đã giao Việc số" in officer.gives_task("/giaoviec 20/11/2036 Kế hoạch 10 năm").text


def test_a_draft_deadline_beyond_the_horizon_is_refused(world: World, db: Database) -> None:
    """In a directive's review: a corrected deadline too far ahead is refused; one the
    reader proposed too far ahead blocks the confirmation until corrected."""
    from tests.factories import INTAKE_ROSTER

    world.import_roster(INTAKE_ROSTER)
    officer = registered_officer(world)
    officer.sends_file("490.docx", docx_bytes(seed_text(SEED_490)))
    refused(db, lambda: officer.says("2 31/12/9999").text, "quá xa")
    refused(db, lambda: officer.says("٢ 15/12/2026").text, "Anh/chị đang kiểm tra")
    far = seed_text(SEED_490).replace("trước ngày 20/12/2020", "trước ngày 20/12/2099")
    assert far != seed_text(SEED_490)
    officer.says("hủy")
    officer.sends_file("490b.docx", docx_bytes(far))
    refused(db, lambda: officer.says("xác nhận").text, "20/12/2099 quá xa")
