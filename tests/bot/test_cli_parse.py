"""`nhacviec parse FILE [--json]` on the seeds and on bad files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from bot.commands import parse
from tests.schedules.directive_files import (
    JSON_KEYS,
    SEEDS,
    docx_bytes,
    seed_expectations,
    seed_text,
)

KEYS = set(JSON_KEYS)
EXPECTED = seed_expectations()


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="nhacviec")
    parse.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["parse", *argv])
    code: int = args.handler(args)
    return code


@pytest.mark.parametrize("expected", EXPECTED, ids=[e["file"][:3] for e in EXPECTED])
def test_json_for_each_seed(expected: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(SEEDS / expected["file"]), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == KEYS
    for key in ("kind", "number", "issuer", "place", "issue_date", "subject", "recipients"):
        assert data[key] == expected[key]
    assert [task["item"] for task in data["tasks"]] == expected["task_items"]
    assert data["signer"] == {"title": expected["signer_title"], "name": expected["signer_name"]}
    cited = {(r["number"], r["date"]) for r in data["references"]}
    assert cited == {(r["number"], r["date"]) for r in expected["referenced_documents"]}
    assert not {d["date"] for d in data["deadlines"]} & {date for _, date in cited}


def test_text_output_for_a_word_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cv-490.docx"
    path.write_bytes(docx_bytes(seed_text("004_3fbaa7aed5e606d2.txt")))
    assert run(str(path)) == 0
    out = capsys.readouterr().out
    assert out.startswith("Công văn số 490/LĐLĐ, Lai Châu, ngày 20/07/2020\n")
    assert "hạn 20/12/2020" in out


@pytest.mark.parametrize(
    ("content", "gist"),
    [
        (b"", "trống"),
        (b"\x00\x01\x02\xff" * 64, "không phải văn bản"),
        (b"Xin chao", "không giống"),
    ],
)
def test_a_bad_file_prints_one_vietnamese_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, gist: str
) -> None:
    path = tmp_path / "tep.txt"
    path.write_bytes(content)
    assert run(str(path), "--json") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Lỗi: ")
    assert gist in captured.err
    assert captured.err.count("\n") == 1


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(tmp_path / "khong-co.pdf")) == 1
    assert "không mở được tệp" in capsys.readouterr().err


def test_an_oversized_file_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lon.pdf"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    assert run(str(path)) == 1
    assert "quá lớn" in capsys.readouterr().err
