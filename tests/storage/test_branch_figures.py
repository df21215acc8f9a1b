"""A branch's figures against the database (SQLite, and PostgreSQL when configured): the
statuses, the rate and last week's, the indicator's sum, the unit lines, the rollup per
child unit, the units without a registered chair, and which directives count as open."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from schedules.branch_figures import BranchFigures, StatusCounts, compute_branch_figures
from schedules.status import Status
from storage import directives
from storage.engine import Database
from storage.models import (
    AccountState,
    Appointment,
    Assignment,
    ChannelAccount,
    Person,
    Progress,
    Role,
    Unit,
)
from storage.replies import record_reply
from tests.conftest import VN

NOW = datetime(2026, 12, 11, 9, 0, tzinfo=VN)
GIVEN = NOW - timedelta(days=10)


def _unit(session: Session, code: str, parent: Unit | None, level: str) -> Unit:
    unit = Unit(
        code=code,
        name=f"Đơn vị {code}",
        parent_id=None if parent is None else parent.id,
        level=level,
        created_at=GIVEN,
        updated_at=GIVEN,
    )
    session.add(unit)
    session.flush()
    return unit


def _chair(session: Session, unit: Unit, n: int, account: AccountState | None) -> int | None:
    person = Person(full_name=f"Chủ tịch {n}", phone=f"+8491200001{n}", created_at=GIVEN)
    session.add(person)
    session.flush()
    assert person.id is not None
    session.add(
        Appointment(person_id=person.id, unit_id=unit.id, role=Role.CHAIR, started_at=GIVEN)
    )
    if account is None:
        return None
    row = ChannelAccount(
        channel="telegram",
        external_user_id=str(n),
        chat_id=str(n),
        person_id=person.id,
        state=account,
        created_at=GIVEN,
        last_seen_at=GIVEN,
    )
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture
def branch(db: Database) -> dict[str, int]:
    """R → D1 → C1 (registered), C2 (blocked the bot); R → D2 → C3 (no account), C4 (no
    chair). CV 490/LĐLĐ: item 1 overdue since yesterday, with an indicator; item 2 due in
    five days. An own task finished three weeks ago, and a draft, do not count."""
    with db.session() as session:
        root = _unit(session, "R", None, "LĐLĐ tỉnh")
        d1, d2 = _unit(session, "D1", root, "LĐLĐ huyện"), _unit(session, "D2", root, "LĐLĐ huyện")
        c1, c2 = _unit(session, "C1", d1, "CĐCS"), _unit(session, "C2", d1, "CĐCS")
        c3, c4 = _unit(session, "C3", d2, "CĐCS"), _unit(session, "C4", d2, "CĐCS")
        account = _chair(session, c1, 1, AccountState.ACTIVE)
        _chair(session, c2, 2, AccountState.UNREACHABLE)
        _chair(session, c3, 3, None)
        assert account is not None and root.id is not None
        officer = Person(full_name="Cán bộ", created_at=GIVEN)
        session.add(officer)
        session.flush()
        assert officer.id is not None
        cv = directives.create_directive(
            session,
            kind="Công văn",
            number="490/LĐLĐ",
            subject="Tổng kết",
            owner_unit_id=root.id,
            created_by_person_id=officer.id,
            now=GIVEN,
        )
        assert cv.id is not None
        first = directives.add_task(
            session, directive_id=cv.id, item=1, text="Kết nạp", deadline_at=NOW - timedelta(days=1)
        )
        first.indicator_name, first.indicator_unit = "Số đoàn viên kết nạp", "người"
        second = directives.add_task(
            session, directive_id=cv.id, item=2, text="Báo cáo", deadline_at=NOW + timedelta(days=5)
        )
        leaves = [c1.id, c2.id, c3.id, c4.id]
        assert first.id is not None and second.id is not None
        one = directives.assign(session, task_id=first.id, unit_ids=leaves, now=GIVEN)  # type: ignore[arg-type]
        two = directives.assign(session, task_id=second.id, unit_ids=leaves, now=GIVEN)  # type: ignore[arg-type]

        def reply(a: Assignment, progress: Progress, at: datetime, **facts: object) -> None:
            assert officer.id is not None
            record_reply(
                session,
                assignment=a,
                account_id=account,
                person_id=officer.id,
                raw_text="…",
                progress=progress,
                now=at,
                **facts,  # type: ignore[arg-type]
            )

        reply(one[0], Progress.IN_PROGRESS, NOW - timedelta(days=9), number=10)
        reply(one[0], Progress.DONE, NOW - timedelta(days=8), number=12)  # on time, last week
        reply(one[1], Progress.DONE, NOW - timedelta(hours=2), number=5)  # late
        reply(one[2], Progress.BLOCKED, NOW - timedelta(hours=3), note="thiếu kinh phí")
        reply(two[0], Progress.IN_PROGRESS, NOW - timedelta(hours=1), percent=40)
        own = directives.create_directive(
            session,
            kind="giao việc",
            subject="Cũ",
            owner_unit_id=root.id,
            created_by_person_id=officer.id,
            now=NOW - timedelta(days=30),
        )
        assert own.id is not None
        old = directives.add_task(session, directive_id=own.id, item=1, text="Cũ", deadline_at=None)
        assert old.id is not None
        done = directives.assign(session, task_id=old.id, unit_ids=[c1.id], now=GIVEN)  # type: ignore[list-item]
        reply(done[0], Progress.DONE, NOW - timedelta(days=21))
        draft = directives.create_directive(
            session,
            kind="công văn",
            number="1/NHAP",
            subject="Nháp",
            owner_unit_id=root.id,
            created_by_person_id=officer.id,
            now=NOW,
            is_draft=True,
        )
        assert draft.id is not None
        ids = {unit.code: unit.id for unit in (root, d1, d2, c1, c2, c3, c4)}
        return {code: unit_id for code, unit_id in ids.items() if unit_id is not None} | {
            "first": first.id,
            "second": second.id,
        }


def figures(db: Database, root_id: int, **narrow: list[int]) -> BranchFigures:
    with db.session() as session:
        found = compute_branch_figures(session, root_id=root_id, now=NOW, **narrow)
    assert found is not None
    return found


def test_statuses_rates_and_the_indicator(db: Database, branch: dict[str, int]) -> None:
    result = figures(db, branch["R"])
    assert [d.label for d in result.directives] == ["CV 490/LĐLĐ"]  # the old task is closed
    first, second = result.tasks
    assert first.label == "CV 490/LĐLĐ, mục 1"
    assert first.counts == StatusCounts(done_on_time=1, done_late=1, overdue=1, blocked=1)
    assert (first.rate, first.rate_week_ago, first.rate_change) == (50.0, 25.0, 25.0)
    assert (first.indicator_sum, first.indicator_reported) == (17, 2)
    assert second.counts == StatusCounts(in_progress=1, no_report=3)
    assert (second.rate, second.rate_week_ago) == (0.0, 0.0)

    lines = {line.unit.code: line for line in first.units}
    assert list(lines) == ["C1", "C2", "C3", "C4"]
    assert lines["C1"].chair is not None
    assert (lines["C1"].chair.name, lines["C1"].chair.phone_display) == (
        "Chủ tịch 1",
        "0912 000 011",
    )
    assert lines["C1"].registered and lines["C1"].number == 12
    assert lines["C1"].status == Status.DONE_ON_TIME
    assert not lines["C2"].registered and lines["C2"].status == Status.DONE_LATE
    assert (lines["C3"].status, lines["C3"].note) == (Status.BLOCKED, "thiếu kinh phí")
    assert lines["C4"].chair is None and lines["C4"].status == Status.OVERDUE
    assert second.units[0].percent == 40 and second.units[0].last_reply_at is not None


def test_rollup_per_child_worst_first_and_the_unregistered(
    db: Database, branch: dict[str, int]
) -> None:
    result = figures(db, branch["R"])
    assert result.depth == 2
    d2, d1 = result.children
    assert d2.unit.code == "D2" and d2.counts == StatusCounts(overdue=1, blocked=1, no_report=2)
    assert (d2.rate, d2.unregistered) == (0.0, 2)
    assert d1.unit.code == "D1"
    assert d1.counts == StatusCounts(done_on_time=1, done_late=1, in_progress=1, no_report=1)
    assert (d1.rate, d1.unregistered) == (50.0, 1)
    assert d1.indicator_sums == {branch["first"]: 17} and d2.indicator_sums == {}
    assert [unit.code for unit in result.unregistered] == ["C2", "C3", "C4"]


def test_narrowed_to_a_task_or_a_subtree(db: Database, branch: dict[str, int]) -> None:
    only = figures(db, branch["R"], task_ids=[branch["second"]])
    assert [task.item for task in only.tasks] == [2]
    assert {c.unit.code: c.counts.total for c in only.children} == {"D1": 2, "D2": 2}

    district = figures(db, branch["D2"])
    assert district.root.code == "D2" and district.depth == 1
    assert [line.unit.code for line in district.tasks[0].units] == ["C3", "C4"]
    assert [unit.code for unit in district.unregistered] == ["C3", "C4"]

    grassroots = figures(db, branch["C1"])
    assert [task.counts.total for task in grassroots.tasks] == [1, 1]
    assert grassroots.unregistered == () and grassroots.children == ()
