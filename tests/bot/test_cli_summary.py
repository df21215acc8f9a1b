"""`nhacviec summary`: the weekly summary's text on stdout, its chart and workbook written to
files that open (checked against the database), and the bad inputs."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.cli import main
from schedules.summary_chart import chart_size
from storage import directives, units
from storage.engine import Database
from tests.factories import write_roster


@pytest.fixture
def branch(
    tmp_path: Path, database_url: str, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The province roster; one directive of two items given to LĐLĐ huyện Tam Đường's three
    CĐCS, CDCS-01 done with the first."""
    monkeypatch.setenv("NHACVIEC_DATABASE_URL", database_url)
    assert main(["roster", "import", str(write_roster(tmp_path / "roster.csv"))]) == 0
    now = datetime.now(UTC)
    with db.session() as session:
        district = units.get_unit_by_code(session, code="LDLD-TU")
        cdcs = [units.get_unit_by_code(session, code=f"CDCS-0{n}") for n in (1, 2, 3)]
        assert district is not None and district.id is not None
        cv = directives.create_directive(
            session,
            kind="Công văn",
            number="490/LĐLĐ",
            subject="Tháng Công nhân",
            owner_unit_id=district.id,
            created_by_person_id=1,
            now=now,
        )
        assert cv.id is not None
        for item in (1, 2):
            task = directives.add_task(
                session,
                directive_id=cv.id,
                item=item,
                text=f"Nội dung mục {item}",
                deadline_at=now + timedelta(days=10),
            )
            assert task.id is not None
            given = directives.assign(
                session,
                task_id=task.id,
                unit_ids=[u.id for u in cdcs if u is not None and u.id is not None],
                now=now,
            )
            if item == 1:
                given[0].progress = "done"
                given[0].done_at = now


def test_text_chart_and_workbook(
    branch: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart, book = tmp_path / "chart.png", tmp_path / "tong-hop.xlsx"
    assert main(["summary", "--unit", "LDLD-TU", "--chart", str(chart), "--xlsx", str(book)]) == 0
    out = capsys.readouterr().out
    assert "— LĐLĐ huyện Tam Đường" in out
    assert "📄 CV 490/LĐLĐ — Tháng Công nhân" in out
    assert "Hoàn thành 1/3 đơn vị (33%)" in out
    assert Image.open(chart).size == chart_size(2)
    workbook = load_workbook(io.BytesIO(book.read_bytes()))
    assert workbook.sheetnames[0] == "Tổng hợp" and len(workbook.sheetnames) == 3
    summary = list(workbook["Tổng hợp"].iter_rows(min_row=5, values_only=True))
    by_unit = {row[1]: row for row in summary if row[0] is not None}
    # Two tasks each; CĐCS Trường THCS Bình Lư done with one of them, on time.
    assert by_unit["CĐCS Trường THCS Bình Lư"][2:4] == (2, 1)
    assert by_unit["CĐCS Trạm Y tế Sơn Bình"][2:4] == (2, 0)


def test_unknown_unit_and_a_branch_with_nothing(
    branch: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", "--unit", "KHONG-CO"]) == 1
    assert "Không có đơn vị mã «KHONG-CO»" in capsys.readouterr().err
    chart = tmp_path / "none.png"
    assert main(["summary", "--unit", "LDLD-PT", "--chart", str(chart)]) == 0
    assert "Chưa có việc nào đang theo dõi" in capsys.readouterr().out
    assert not chart.exists()
