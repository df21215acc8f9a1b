"""The reading shown as JSON (the `parse --json` contract) and as a short Vietnamese text."""

from __future__ import annotations

import json

from schedules.directive import read_text, reading_to_json, render_reading
from tests.schedules.directive_files import JSON_KEYS, seed_text

CV_490 = "004_3fbaa7aed5e606d2.txt"
CV_183 = "002_1822fabbf9468a64.txt"


def test_json_has_exactly_the_agreed_keys() -> None:
    data = reading_to_json(read_text(seed_text(CV_490)))
    assert list(data) == list(JSON_KEYS)
    assert set(data["tasks"][0]) == {"item", "text", "subitems"}
    assert data["deadlines"] == [
        {
            "date": "2020-12-20",
            "text": "trước ngày 20/12/2020",
            "task_item": 3,
            "kind": "absolute",
            "rule": None,
            "needs_confirmation": False,
        }
    ]
    assert data["references"] == [{"number": "321/QĐ-LĐLĐ", "date": "2020-03-06"}]
    assert data["signer"] == {"title": "CHỦ TỊCH", "name": "Nguyễn Thị Thiện"}
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_json_month_precision_and_proposed_dates() -> None:
    data = reading_to_json(read_text(seed_text(CV_183)))
    assert data["issue_date"] == "2024-05"
    assert data["signer"] == {"title": "PHÓ CHỦ TỊCH", "name": None}
    assert [(d["date"], d["rule"], d["needs_confirmation"]) for d in data["deadlines"]] == [
        ("2024-06-15", "mid_year", True),
        ("2024-12-15", "year_end_report", True),
    ]


def test_the_text_for_a_person_is_compact_vietnamese() -> None:
    text = render_reading(read_text(seed_text(CV_490)))
    lines = text.split("\n")
    assert lines[0] == "Công văn số 490/LĐLĐ, Lai Châu, ngày 20/07/2020"
    assert "Trích yếu: đơn đốc thực hiện các chỉ tiêu nhiệm vụ giao năm 2020" in lines
    tasks = [line for line in lines if line.startswith("  ")]
    assert len(tasks) == 4
    assert tasks[0].endswith("— chưa có hạn")
    assert tasks[2].endswith("— hạn 20/12/2020 («trước ngày 20/12/2020»)")
    assert "Văn bản dẫn chiếu: 321/QĐ-LĐLĐ (06/03/2020)" in lines
    assert lines[-1] == "Người ký: CHỦ TỊCH Nguyễn Thị Thiện"


def test_proposed_and_document_wide_deadlines_ask_for_confirmation() -> None:
    text = render_reading(read_text(seed_text(CV_183)))
    assert text.split("\n")[0] == "Công văn số 183/LĐLĐ, Huyện DMC, tháng 05/2024"
    assert "hạn đề xuất 15/06/2024 («6 tháng đầu năm 2024», cần xác nhận)" in text
    assert "Hạn chung: hạn đề xuất 15/12/2024" in text
