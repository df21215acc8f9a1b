"""`nhacviec read-reply`: the JSON shape, the human lines and the exit codes."""

from __future__ import annotations

import argparse
import json

import pytest

from bot import cli
from bot.commands import read_reply

JSON_KEYS = {"status", "percent", "number", "of_target", "note", "task_item", "error", "rule"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Parse `argv` with only this command registered, run it, return (exit code, stdout)."""
    parser = argparse.ArgumentParser(prog="nhacviec")
    read_reply.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code, capsys.readouterr().out


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "xong",
            {"status": "done", "percent": None, "number": None, "note": None, "task_item": None},
        ),
        (
            "CV 490 mục 3: đang làm 60%",
            {"status": "in_progress", "percent": 60, "number": None, "note": None, "task_item": 3},
        ),
        (
            "vướng: thiếu kinh phí",
            {
                "status": "blocked",
                "percent": None,
                "number": None,
                "note": "thiếu kinh phí",
                "task_item": None,
            },
        ),
        (
            "đã kết nạp 12 đoàn viên",
            {
                "status": "in_progress",
                "percent": None,
                "number": 12,
                "note": None,
                "task_item": None,
            },
        ),
        (
            "2 60",
            {
                "status": "in_progress",
                "percent": 60,
                "number": None,
                "note": None,
                "task_item": None,
            },
        ),
    ],
)
def test_json_reading(
    line: str, expected: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(["read-reply", line, "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert set(data) == JSON_KEYS
    assert {key: data[key] for key in expected} == expected
    assert data["error"] is None
    assert data["rule"]


@pytest.mark.parametrize("line", ["150%", "", "👍", "xong nhưng chưa làm"])
def test_json_refusal_exits_1(line: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["read-reply", "--json", line], capsys)
    data = json.loads(out)
    assert code == 1
    assert set(data) == JSON_KEYS
    assert data["status"] == "unknown"
    assert "Anh/chị" in data["error"]


def test_a_line_starting_with_a_dash_after_double_dash(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["read-reply", "--json", "--", "-20%"], capsys)
    assert code == 1
    assert "-20%" in json.loads(out)["error"]


def test_json_keeps_vietnamese_readable(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(["read-reply", "--json", "vướng: thiếu kinh phí"], capsys)
    assert "thiếu kinh phí" in out


def test_words_are_joined(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["read-reply", "--json", "dang", "lam", "60%"], capsys)
    assert code == 0
    assert json.loads(out)["percent"] == 60


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["read-reply", "CV 490 mục 3: đang làm 60%, chờ kinh phí"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "Trạng thái: Đang làm (in_progress)",
        "Tỷ lệ: 60%",
        "Ghi chú: chờ kinh phí",
        "Việc: văn bản số 490, mục 3",
        "Quy tắc: document+task-item+work-percent",
    ]


def test_human_output_of_a_number_and_a_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    _, out = run(["read-reply", "đã kết nạp 1.200 đoàn viên"], capsys)
    assert "Số liệu: 1.200" in out
    code, out = run(["read-reply", "150%"], capsys)
    assert code == 1
    assert out.startswith("Trạng thái: Chưa rõ (unknown)\nKhông ghi nhận: Tỷ lệ «150%»")


def test_through_the_nhacviec_entry_point(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if "read_reply" not in cli.COMMAND_MODULES:
        monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "read_reply"))
    assert cli.main(["read-reply", "--json", "xong rồi ạ"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "done"


def test_a_line_about_two_tasks_reads_as_two(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["read-reply", "--json", "mục 2 xong, mục 3 đạt 8/10 chỉ tiêu"], capsys)
    assert code == 0
    first, second = json.loads(out)
    assert (first["status"], first["task_item"]) == ("done", 2)
    assert (second["status"], second["percent"], second["number"], second["of_target"]) == (
        "in_progress",
        80,
        8,
        10,
    )
    code, out = run(["read-reply", "mục 2 xong, mục 3 đang làm 60"], capsys)
    assert code == 0
    assert "Phần 1:\n  Trạng thái: Đã xong" in out and "Phần 2:" in out and "Tỷ lệ: 60%" in out
