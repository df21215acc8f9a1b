"""Reply history, the facts the summary needs, the person's standing in one query, the
inbound message stored once, and finding a task by the officer's reference."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.engine import Database
from storage.inbound import record_inbound
from storage.indicators import rewrite_pending_reminders, tasks_by_reference
from storage.models import (
    Appointment,
    Assignment,
    ChannelAccount,
    Directive,
    InboundMessage,
    OutboxMessage,
    Person,
    Progress,
    Role,
    Task,
    Unit,
)
from storage.replies import record_reply, replies_of, reply_facts
from tests.conftest import VN

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def _world(db: Database) -> dict[str, int]:
    with db.session() as session:
        parent = Unit(code="P", name="LĐLĐ", created_at=NOW, updated_at=NOW)
        session.add(parent)
        session.flush()
        live = Unit(code="A", name="CĐCS A", parent_id=parent.id, created_at=NOW, updated_at=NOW)
        gone = Unit(
            code="B",
            name="CĐCS B",
            parent_id=parent.id,
            created_at=NOW,
            updated_at=NOW,
            archived_at=NOW,
        )
        person = Person(full_name="Chủ tịch", created_at=NOW)
        nobody = Person(full_name="Chưa có vai trò", created_at=NOW)
        session.add_all([live, gone, person, nobody])
        session.flush()
        assert person.id and live.id and gone.id and parent.id
        session.add_all(
            [
                Appointment(person_id=person.id, unit_id=live.id, role=Role.CHAIR, started_at=NOW),
                Appointment(person_id=person.id, unit_id=gone.id, role=Role.CHAIR, started_at=NOW),
                Appointment(person_id=person.id, unit_id=None, role=Role.ADMIN, started_at=NOW),
            ]
        )
        account = ChannelAccount(
            channel="telegram",
            external_user_id="1",
            chat_id="1",
            person_id=person.id,
            created_at=NOW,
            last_seen_at=NOW,
        )
        numbered = Directive(
            kind="công văn",
            number="490/LĐLĐ",
            subject="s",
            owner_unit_id=parent.id,
            created_by_person_id=person.id,
            created_at=NOW,
        )
        own = Directive(
            kind="giao việc",
            subject="s",
            owner_unit_id=parent.id,
            created_by_person_id=person.id,
            created_at=NOW,
        )
        session.add_all([account, numbered, own])
        session.flush()
        assert numbered.id and own.id
        task = Task(directive_id=numbered.id, item=3, text="Kết nạp", deadline_at=NOW)
        session.add_all([task, Task(directive_id=own.id, item=1, text="Nộp", deadline_at=NOW)])
        session.flush()
        assert task.id
        assignment = Assignment(task_id=task.id, unit_id=live.id, created_at=NOW)
        session.add(assignment)
        session.flush()
        assert assignment.id and account.id and nobody.id
        session.add(
            OutboxMessage(
                key="reminder:x",
                account_id=account.id,
                kind="reminder",
                text="🔔 Nhắc việc\nHạn: 10/12/2026\nCách trả lời",
                due_at=NOW,
                assignment_id=assignment.id,
                created_at=NOW,
            )
        )
        return {
            "person": person.id,
            "nobody": nobody.id,
            "live": live.id,
            "account": account.id,
            "assignment": assignment.id,
            "task": task.id,
            "own": own.id,
        }


def test_history_is_kept_and_the_latest_decides(db: Database) -> None:
    ids = _world(db)
    with db.session() as session:
        assignment = session.get(Assignment, ids["assignment"])
        assert assignment is not None
        common = {"account_id": ids["account"], "person_id": ids["person"]}
        record_reply(
            session,
            assignment=assignment,
            raw_text="đang làm 50%",
            now=NOW,
            progress=Progress.IN_PROGRESS,
            percent=50,
            **common,
        )
        record_reply(
            session,
            assignment=assignment,
            raw_text="kết nạp 12",
            now=NOW + timedelta(minutes=1),
            progress=Progress.IN_PROGRESS,
            number=12,
            **common,
        )
        assert (assignment.progress, assignment.percent) == (Progress.IN_PROGRESS, 50)
        record_reply(
            session,
            assignment=assignment,
            raw_text="vướng: thiếu kinh phí",
            now=NOW + timedelta(minutes=2),
            progress=Progress.BLOCKED,
            note="thiếu kinh phí",
            **common,
        )
        facts = reply_facts(session, assignment_ids=[ids["assignment"]])[ids["assignment"]]
        assert (facts.blocked_reason, facts.number) == ("thiếu kinh phí", 12)
        record_reply(
            session,
            assignment=assignment,
            raw_text="xong",
            now=NOW + timedelta(minutes=3),
            progress=Progress.DONE,
            **common,
        )
        assert (assignment.progress, assignment.percent) == (Progress.DONE, 100)
        assert assignment.done_at == NOW + timedelta(minutes=3)
        facts = reply_facts(session, assignment_ids=[ids["assignment"]])[ids["assignment"]]
        assert (facts.blocked_reason, facts.number) == (None, 12)
        texts = [r.raw_text for r in replies_of(session, assignment_id=ids["assignment"])]
        assert texts == ["đang làm 50%", "kết nạp 12", "vướng: thiếu kinh phí", "xong"]


def test_an_update_is_stored_once(db: Database) -> None:
    ids = _world(db)
    with db.session() as session:
        first = record_inbound(
            session,
            channel="telegram",
            update_id="7",
            kind="text",
            text="xong",
            now=NOW,
            account_id=ids["account"],
            payload={"a": "b"},
        )
        assert first is not None
        stored = session.get(InboundMessage, first)
        assert stored is not None and stored.payload == {"a": "b"}
        stored.handled_at = NOW
    with db.session() as session:
        again = record_inbound(
            session, channel="telegram", update_id="7", kind="text", text="xong", now=NOW
        )
        assert again is None


def test_tasks_by_reference_and_pending_reminders(db: Database) -> None:
    ids = _world(db)
    with db.session() as session:
        (found,) = tasks_by_reference(session, number="490/lđlđ", item=3)
        assert found[0].id == ids["task"]
        assert tasks_by_reference(session, number="490/LĐLĐ", item=4) == []
        (own,) = tasks_by_reference(session, directive_id=ids["own"])
        assert own[1].id == ids["own"]
        assert (
            rewrite_pending_reminders(
                session, task_id=ids["task"], line="📈 Chỉ tiêu: A", marker="📈"
            )
            == 1
        )
        rewrite_pending_reminders(session, task_id=ids["task"], line="📈 Chỉ tiêu: B", marker="📈")
        text = session.get(OutboxMessage, 1)
        assert text is not None
        assert text.text == "🔔 Nhắc việc\nHạn: 10/12/2026\n📈 Chỉ tiêu: B\nCách trả lời"
        rewrite_pending_reminders(session, task_id=ids["task"], line="", marker="📈")
        assert text.text == "🔔 Nhắc việc\nHạn: 10/12/2026\nCách trả lời"
