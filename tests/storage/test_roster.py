"""Importing and exporting the roster against the database (SQLite and PostgreSQL): add,
rename, chair change, archive, every kind of bad file, and the export's round trip."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from handlers.texts import roster_replaced_chair
from schedules.roster_sheet import read_roster
from storage.engine import Database
from storage.models import (
    Appointment,
    ChannelAccount,
    OutboxMessage,
    Person,
    Role,
    Unit,
)
from storage.roster import apply_roster, current_sheet, notify_replaced_chairs
from tests.conftest import VN
from tests.factories import PROVINCE_ROSTER, write_roster

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=VN)
LATER = datetime(2026, 12, 1, 9, 0, tzinfo=VN)


def load(db: Database, path: Path, now: datetime = NOW) -> tuple[list[str], list[str], list[str]]:
    with db.session() as session:
        changes = apply_roster(session, sheet=read_roster(path), now=now)
        notify_replaced_chairs(session, changes=changes, now=now, text_for=roster_replaced_chair)
    return changes.added, changes.changed, changes.archived


def snapshot(db: Database) -> list[tuple[object, ...]]:
    """Everything an import may touch, comparable across imports."""
    with db.session() as session:
        units = session.execute(
            select(Unit.code, Unit.name, Unit.parent_id, Unit.level, Unit.archived_at).order_by(
                Unit.code
            )
        ).all()
        people = session.execute(select(Person.full_name, Person.phone).order_by(Person.id)).all()
        appointments = session.execute(
            select(
                Appointment.person_id, Appointment.unit_id, Appointment.role, Appointment.ended_at
            ).order_by(Appointment.id)
        ).all()
    return [*map(tuple, units), *map(tuple, people), *map(tuple, appointments)]


def current_chair_name(db: Database, code: str) -> list[str]:
    with db.session() as session:
        return list(
            session.scalars(
                select(Person.full_name)
                .join(Appointment, Appointment.person_id == Person.id)
                .join(Unit, Unit.id == Appointment.unit_id)
                .where(
                    Unit.code == code,
                    Appointment.role == Role.CHAIR,
                    Appointment.ended_at.is_(None),
                )
            )
        )


def test_add_rename_archive_and_reimport(tmp_path: Path, db: Database) -> None:
    added, changed, archived = load(db, write_roster(tmp_path / "v1.csv"))
    assert len(added) == 7
    assert (changed, archived) == ([], [])
    with db.session() as session:
        unit = session.scalars(select(Unit).where(Unit.code == "CDCS-02")).one()
        first_id = unit.id
        parent = session.get(Unit, unit.parent_id)
        assert parent is not None and parent.code == "LDLD-TU"

    rows = [r.replace("Trạm Y tế Sơn Bình", "Trạm Y tế xã Sơn Bình") for r in PROVINCE_ROSTER]
    rows = [*rows[:-1], "CDCS-04,CĐCS Mới,LDLD-PT,CĐCS,Hà Thị Mới,0912000031,,,"]
    added, changed, archived = load(db, write_roster(tmp_path / "v2.csv", rows), LATER)
    assert added == ["CDCS-04"]
    assert changed == ["CDCS-02"]
    assert archived == ["CDCS-11"]
    with db.session() as session:
        renamed = session.scalars(select(Unit).where(Unit.code == "CDCS-02")).one()
        assert renamed.id == first_id  # renamed in place: its history stays with it
        assert renamed.name == "CĐCS Trạm Y tế xã Sơn Bình"
        gone = session.scalars(select(Unit).where(Unit.code == "CDCS-11")).one()
        assert gone.archived_at == LATER  # archived, not deleted

    before = snapshot(db)
    assert load(db, write_roster(tmp_path / "v3.csv", rows), LATER) == ([], [], [])
    assert snapshot(db) == before

    # Listed again, the archived unit comes back as it was.
    load(db, write_roster(tmp_path / "v4.csv", [*rows, PROVINCE_ROSTER[-1]]))
    with db.session() as session:
        back = session.scalars(select(Unit).where(Unit.code == "CDCS-11")).one()
        assert back.archived_at is None


def test_new_chair_replaces_the_old_one_who_is_unbound_and_told(
    tmp_path: Path, db: Database
) -> None:
    load(db, write_roster(tmp_path / "v1.csv"))
    with db.session() as session:
        old = session.scalars(select(Person).where(Person.phone == "+84912000012")).one()
        session.add(
            ChannelAccount(
                channel="telegram",
                external_user_id="202",
                chat_id="202",
                person_id=old.id,
                created_at=NOW,
                last_seen_at=NOW,
            )
        )
    rows = [
        r.replace("Lê Thị Bình,0912000012", "Trịnh Văn Mới,0912000099") for r in PROVINCE_ROSTER
    ]
    added, changed, archived = load(db, write_roster(tmp_path / "v2.csv", rows), LATER)
    assert (added, changed, archived) == ([], ["CDCS-02"], [])
    assert current_chair_name(db, "CDCS-02") == ["Trịnh Văn Mới"]
    with db.session() as session:
        account = session.scalars(select(ChannelAccount)).one()
        assert account.person_id is None  # no role left: unbound
        notice = session.scalars(select(OutboxMessage)).one()
        assert notice.account_id == account.id
        assert notice.kind == "notice"
        assert notice.key.startswith("roster:replaced:")
        assert "không còn là chủ tịch CĐCS Trạm Y tế Sơn Bình" in notice.text
        assert "hủy đăng ký" in notice.text
        # The old chair's appointment ended; it stays for the history.
        ended = session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(Appointment.person_id == old.id, Appointment.ended_at == LATER)
        )
        assert ended == 1
    # Importing the same file again tells nobody twice.
    load(db, write_roster(tmp_path / "v3.csv", rows), LATER)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


BAD_ROWS = {
    "unknown parent": ("CDCS-99,CĐCS Lạc,KHONG-CO,CĐCS,Ai Đó,0912000099,,,", "KHONG-CO"),
    "cycle": ("CDCS-01,CĐCS Vòng,CDCS-01,CĐCS,,,,,", "CDCS-01"),
    "duplicate code": ("CDCS-02,CĐCS Trùng,LDLD-TU,CĐCS,,,,,", "CDCS-02"),
    "bad phone": ("CDCS-98,CĐCS Số sai,LDLD-TU,CĐCS,Người Khác,12345,,,", "12345"),
    "missing name": ("CDCS-97,,LDLD-TU,CĐCS,Người Khác,0912000097,,,", "CDCS-97"),
    "officer without phone": ("LDLD-TU,,,,,,Cán Bộ Thiếu Số,,cán bộ", "Cán Bộ Thiếu Số"),
    "unknown role": ("LDLD-TU,,,,,,Cán Bộ Lạ,0912000098,giám đốc", "giám đốc"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ROWS))
def test_a_bad_row_refuses_the_whole_file(
    kind: str,
    tmp_path: Path,
    database_url: str,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "good.csv"))]) == 0
    before = snapshot(db)
    row, quoted = BAD_ROWS[kind]
    rows = [r.replace("Vàng A Chư", "Vàng A Chư Mới") for r in PROVINCE_ROSTER]
    if kind == "cycle":  # CDCS-01 under CDCS-03 and CDCS-03 under CDCS-01
        rows = [
            r.replace(
                "CDCS-01,CĐCS Trường THCS Bình Lư,LDLD-TU",
                "CDCS-01,CĐCS Trường THCS Bình Lư,CDCS-03",
            ).replace(
                "CDCS-03,CĐCS Công ty Chè Tam Đường,LDLD-TU",
                "CDCS-03,CĐCS Công ty Chè Tam Đường,CDCS-01",
            )
            for r in rows
        ]
    else:
        rows = [*rows, row]
    capsys.readouterr()
    assert main(["roster", "import", str(write_roster(tmp_path / "bad.csv", rows))]) == 1
    err = capsys.readouterr().err
    assert "có 1 lỗi" in err
    assert "Dòng " in err
    assert quoted in err
    assert snapshot(db) == before  # not even the good change on another row


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_changes_nothing(
    suffix: str,
    tmp_path: Path,
    database_url: str,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    rows = [*PROVINCE_ROSTER, "LDLD-LC,,,,,,Quản Trị Viên,0912000005,quản trị"]
    assert main(["roster", "import", str(write_roster(tmp_path / "in.csv", rows))]) == 0
    before = snapshot(db)
    exported = tmp_path / f"out{suffix}"
    assert main(["roster", "export", str(exported)]) == 0
    assert "7 đơn vị, 4 cán bộ" in capsys.readouterr().out
    sheet = read_roster(exported)
    assert sheet.units[0].code == "LDLD-LC"  # parent first
    assert len({unit.code for unit in sheet.units}) == 7
    assert main(["roster", "import", str(exported)]) == 0
    assert "thêm 0, sửa 0, lưu trữ 0 đơn vị; 4 cán bộ" in capsys.readouterr().out
    assert snapshot(db) == before
    with db.session() as session:
        again = current_sheet(session)
    assert set(again.units) == set(sheet.units)
    assert set(again.officers) == set(sheet.officers)


def test_export_refuses_an_unknown_file_type(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "export", str(tmp_path / "out.pdf")]) == 1
    assert not (tmp_path / "out.pdf").exists()


def test_people_registered_by_invite_keep_their_roles_on_reimport(
    tmp_path: Path, db: Database
) -> None:
    """The sheet cannot name people without a phone: an officer and a chair bound by invite
    code stay; a unit with blank chair cells keeps its chair."""
    load(db, write_roster(tmp_path / "v1.csv"))
    with db.session() as session:
        unit_ids = {code: unit_id for code, unit_id in session.execute(select(Unit.code, Unit.id))}
        officer = Person(full_name="Cán Bộ Mời", created_at=NOW)
        chair = Person(full_name="Chủ Tịch Mời", created_at=NOW)
        session.add_all([officer, chair])
        session.flush()
        session.add_all(
            [
                Appointment(
                    person_id=officer.id, unit_id=unit_ids["LDLD-PT"], role=Role.OFFICER,
                    started_at=NOW,
                ),
                Appointment(
                    person_id=chair.id, unit_id=unit_ids["LDLD-PT"], role=Role.CHAIR,
                    started_at=NOW,
                ),
            ]
        )  # fmt: skip
    before = snapshot(db)
    assert load(db, write_roster(tmp_path / "v2.csv"), LATER) == ([], [], [])
    assert snapshot(db) == before
    assert current_chair_name(db, "LDLD-PT") == ["Chủ Tịch Mời"]
    # Listing a chair for the unit replaces the one bound by invite.
    rows = [
        r.replace("LĐLĐ huyện,,,Hà Văn Tâm", "LĐLĐ huyện,Lò Thị Mới,0912000077,Hà Văn Tâm")
        for r in PROVINCE_ROSTER
    ]
    assert load(db, write_roster(tmp_path / "v3.csv", rows), LATER)[1] == ["LDLD-PT"]
    assert current_chair_name(db, "LDLD-PT") == ["Lò Thị Mới"]
