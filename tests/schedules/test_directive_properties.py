"""The reader never crashes: random and mangled input gives a reading or a DocumentError."""

from __future__ import annotations

import json
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedules.directive import (
    DeadlineKind,
    DocumentError,
    Reading,
    read_document,
    read_text,
    reading_to_json,
    render_reading,
)
from tests.schedules.directive_files import JSON_KEYS, seed_expectations, seed_text, text_pdf

SEED_TEXTS = [seed_text(entry["file"]) for entry in seed_expectations()]

# Fragments that OCR, Word and PDF leave in directives: the parser's own triggers.
DEBRIS = st.sampled_from(
    [
        "#### ",
        "## ",
        "**",
        "*",
        "¹",
        "² ",
        "\n\n",
        "\n",
        "2. ",
        "a) ",
        "- ",
        "Số: ",
        "V/v ",
        "Kính gửi: ",
        "ngày 31 tháng 2 năm 2025",
        "trước ngày 30/9",
        "quý IV",
        "hằng tháng trước ngày 31",
        "trong tháng 13",
        "số 12/KH-LĐLĐ ngày ",
        "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH\n",
        "Nơi nhận:",
        "\x00",
        "\ufeff",
        "\u0301",
        "/",
        "  ",
        "\t",
        "\r",
    ]
)


@st.composite
def mangled_seed(draw: st.DrawFn) -> str:
    """A seed cut, spliced, shuffled and sprinkled with OCR debris and random characters."""
    text = draw(st.sampled_from(SEED_TEXTS))
    for _ in range(draw(st.integers(1, 8))):
        operation = draw(st.sampled_from(["cut", "insert", "debris", "swap", "duplicate"]))
        at = draw(st.integers(0, len(text)))
        if operation == "cut":
            text = text[:at] + text[at + draw(st.integers(0, 400)) :]
        elif operation == "insert":
            text = text[:at] + draw(st.text(max_size=30)) + text[at:]
        elif operation == "debris":
            text = text[:at] + draw(DEBRIS) + text[at:]
        elif operation == "duplicate":
            text = text[:at] + text[at : at + draw(st.integers(0, 300))] + text[at:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def check_reading(reading: Reading) -> None:
    """What holds for any reading, however mangled its source."""
    items = [task.item for task in reading.tasks]
    assert items == list(range(1, len(items) + 1))
    assert {d.task_item for d in reading.deadlines} <= {None, *items}
    assert all(
        d.needs_confirmation for d in reading.deadlines if d.kind is not DeadlineKind.ABSOLUTE
    )
    data = reading_to_json(reading)
    assert set(data) == set(JSON_KEYS)
    json.dumps(data, ensure_ascii=False)
    assert render_reading(reading)


def read_or_refuse(text: str) -> None:
    settle(lambda: read_text(text))


def settle(read: Callable[[], Reading]) -> None:
    """A reading that holds together, or a refusal with a message: nothing else may come out."""
    try:
        reading = read()
    except DocumentError as error:
        message = error.message
    else:
        check_reading(reading)
        return
    assert message


# Timing is not what these test, and the first call pays for importing pypdf and holidays.
@settings(deadline=None)
@given(st.text())
def test_random_text_never_crashes(text: str) -> None:
    read_or_refuse(text)


@settings(deadline=None)
@given(st.lists(st.one_of(DEBRIS, st.text(max_size=12)), max_size=60).map("".join))
def test_random_debris_never_crashes(text: str) -> None:
    read_or_refuse(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_seed())
def test_mangled_seeds_never_crash(text: str) -> None:
    read_or_refuse(text)


@settings(deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash(data: bytes) -> None:
    settle(lambda: read_document(data, "tep.txt"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_seed(), st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "latin-1"]))
def test_mangled_seeds_in_any_encoding_never_crash(text: str, encoding: str) -> None:
    settle(lambda: read_document(text.encode(encoding, errors="replace"), "cv.txt"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_pdfs_never_crash(data: st.DataObject) -> None:
    pdf = bytearray(text_pdf(data.draw(st.sampled_from(SEED_TEXTS))))
    for _ in range(data.draw(st.integers(1, 20))):
        pdf[data.draw(st.integers(0, len(pdf) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(pdf) // 2, len(pdf)))
    settle(lambda: read_document(bytes(pdf[:cut]), "cv.pdf"))
