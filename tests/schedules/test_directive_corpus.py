"""The corpus (tests/data/corpus/): documents in the shapes real directives take, each read
against the reading written for it by hand, one test per document and field, and again from
the Word and PDF files made from its text.

A case the reader still gets wrong is marked `xfail(strict=True)` by
`corpus_gaps.READER_GAPS`, with what it misses: the expectation stays what a careful officer
reads, and the mark fails the suite as soon as the reader gets it right, so that it is taken
off.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.schedules.corpus_fields import (
    CHECKS,
    CORPUS,
    VARIANTS,
    Expected,
    corpus_text,
    doc_id,
    expectations,
    judge,
    not_deadlines,
    phrase,
    reading_of,
    variant_reading,
)
from tests.schedules.corpus_gaps import READER_GAPS

ENTRIES = expectations()
DOC_KINDS = {
    "công văn",
    "kế hoạch",
    "thông báo",
    "chỉ thị",
    "hướng dẫn",
    "trích",
    "retelling",
    "web copy",
}


def _cases() -> list[object]:
    cases: list[object] = []
    for entry in ENTRIES:
        for field in CHECKS:
            key = (doc_id(entry), field)
            marks = (
                [pytest.mark.xfail(strict=True, reason=READER_GAPS[key])]
                if key in READER_GAPS
                else []
            )
            cases.append(pytest.param(entry, field, id=f"{key[0]}-{field}", marks=marks))
    return cases


def _variant_cases() -> list[object]:
    cases: list[object] = []
    for entry in ENTRIES:
        for variant in entry.get("variants", []):
            key = (doc_id(entry), variant)
            marks = (
                [pytest.mark.xfail(strict=True, reason=READER_GAPS[key])]
                if key in READER_GAPS
                else []
            )
            cases.append(pytest.param(entry, variant, id=f"{key[0]}-{variant}", marks=marks))
    return cases


@pytest.mark.parametrize(("entry", "field"), _cases())
def test_the_field_is_read_as_written_by_hand(entry: Expected, field: str) -> None:
    reading = reading_of(entry["file"])
    assert reading is not None, "the reader refused the document"
    assert CHECKS[field](reading, entry) == []


@pytest.mark.parametrize(("entry", "variant"), _variant_cases())
def test_the_word_and_pdf_copies_read_as_written_by_hand(entry: Expected, variant: str) -> None:
    problems = judge(variant_reading(entry["file"], variant), entry)
    assert {field: found for field, found in problems.items() if found} == {}


def test_the_corpus_has_every_kind_and_at_least_thirty_documents() -> None:
    assert len(ENTRIES) >= 30
    assert {entry["doc_kind"] for entry in ENTRIES} == DOC_KINDS
    assert sorted(path.name for path in CORPUS.glob("*.txt")) == sorted(
        entry["file"] for entry in ENTRIES
    )
    assert all(variant in VARIANTS for entry in ENTRIES for variant in entry.get("variants", []))


def test_every_deadline_form_of_the_issue_is_in_the_corpus() -> None:
    phrases = {
        deadline["text"]
        for entry in ENTRIES
        for key in ("absolute_deadlines", "relative_deadlines", "periodic_deadlines")
        for deadline in entry[key]
    }
    for form in (
        "trong tháng 7/2025",
        "trong tháng 11/2025",
        "trước Tết Nguyên đán",
        "trước ngày 20 của tháng cuối quý",
        "từ ngày 01/6 đến ngày 10/6/2025",
        "hằng tháng trước ngày 25",
        "6 tháng đầu năm 2026",
        "quý III/2026",
        "trong năm 2026",
    ):
        assert form in phrases


@pytest.mark.parametrize("entry", ENTRIES, ids=[doc_id(entry) for entry in ENTRIES])
def test_no_expected_deadline_is_a_cited_or_event_date(entry: Expected) -> None:
    """The hand-written readings themselves never make a cited document's date, an
    anniversary or an event's day a deadline."""
    deadlines = {
        date.fromisoformat(deadline["date"])
        for key in ("absolute_deadlines", "relative_deadlines", "periodic_deadlines")
        for deadline in entry[key]
        if deadline.get("date")
    }
    assert not deadlines & not_deadlines(entry)


@pytest.mark.parametrize("entry", ENTRIES, ids=[doc_id(entry) for entry in ENTRIES])
def test_every_expected_deadline_phrase_is_in_its_document(entry: Expected) -> None:
    text = phrase(corpus_text(entry["file"]))
    for key in ("absolute_deadlines", "relative_deadlines", "periodic_deadlines"):
        for deadline in entry[key]:
            assert phrase(deadline["text"]) in text
