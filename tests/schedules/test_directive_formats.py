"""The same directive read from every kind of file an officer sends gives the same reading."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest

from schedules.directive import Reading, extract_text, read_document, read_text
from tests.schedules.directive_files import (
    docx_bytes,
    seed_expectations,
    seed_text,
    text_pdf,
)

SEEDS = [entry["file"] for entry in seed_expectations()]

FORMATS: dict[str, tuple[str, Callable[[str], bytes]]] = {
    "utf8": (".txt", lambda text: text.encode("utf-8")),
    "utf8-bom": (".txt", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
    "utf16": (".txt", lambda text: text.encode("utf-16")),
    "utf16-be-bom": (".txt", lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
    "utf16-le-no-bom": (".txt", lambda text: text.encode("utf-16-le")),
    "crlf": (".txt", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
    "docx": (".docx", docx_bytes),
    "docx-header-table": (".docx", lambda text: docx_bytes(text, header_table=True)),
    "pdf-wrapped": (".pdf", text_pdf),
    "pdf-long-lines": (".pdf", lambda text: text_pdf(text, width=None)),
}


def comparable(reading: Reading) -> tuple[object, ...]:
    """Everything but the task texts, whose line wrapping may differ between formats."""
    return (
        reading.kind,
        reading.number,
        reading.issuer,
        reading.place,
        reading.issue_date,
        reading.subject,
        reading.recipients,
        [task.item for task in reading.tasks],
        [(d.date, d.text, d.task_item, d.kind, d.rule) for d in reading.deadlines],
        set(reading.references),
        reading.signer,
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", SEEDS, ids=[name[:3] for name in SEEDS])
def test_every_format_reads_like_the_text(seed: str, fmt: str) -> None:
    text = seed_text(seed)
    suffix, make = FORMATS[fmt]
    from_file = read_document(make(text), seed.replace(".txt", suffix))
    assert comparable(from_file) == comparable(read_text(text))


def test_decomposed_unicode_reads_like_composed() -> None:
    import unicodedata

    text = seed_text(SEEDS[4])
    nfd = unicodedata.normalize("NFD", text)
    assert comparable(read_text(nfd)) == comparable(read_text(text))


def test_docx_tables_are_read_in_place_between_paragraphs() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("trước bảng")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ô 1"
    table.cell(0, 1).text = "ô 2"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "ô gộp"
    document.add_paragraph("sau bảng")
    buffer = io.BytesIO()
    document.save(buffer)
    lines = [line for line in extract_text(buffer.getvalue(), "x.docx").split("\n") if line]
    assert lines == ["trước bảng", "ô 1", "ô 2", "ô gộp", "sau bảng"]


def test_a_pdf_renamed_txt_is_still_read_as_pdf() -> None:
    text = seed_text(SEEDS[0])
    assert read_document(text_pdf(text), "cong-van.txt").number == "534/LĐLĐ"
