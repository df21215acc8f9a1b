"""The stated bounds on one document (docs/scans.md): a Word file whose XML would inflate past
`MAX_XML` is refused before it is expanded; reading the largest documents allowed (a Word
file at the XML bound, a photo at the pixel bound) keeps the process's peak memory within
`MEMORY_BOUND_MB`. Memory is measured in a fresh process (its peak resident size before and
after, Linux's VmHWM), so nothing else of the suite counts."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from schedules.directive import DocumentError, extract_text
from schedules.directive.docxtext import DOCX_TOO_BIG, MAX_XML
from schedules.directive.extract import MEMORY_BOUND_MB
from tests.schedules.directive_files import docx_bytes

ROOT = Path(__file__).resolve().parents[2]
_PARAGRAPH = b"<w:p><w:r><w:t>Ban Thuong vu de nghi cac cong doan co so thuc hien</w:t></w:r></w:p>"

# Runs in a fresh interpreter: imports first, then the peak before and after one read.
_MEASURE = """
import json, sys
def peak_mb():  # VmHWM: this process's own peak (ru_maxrss would carry pytest's across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from schedules.directive import DocumentError
from schedules.directive.docxtext import docx_text
import docx  # the libraries are loaded before the measure: once a process, not a document
from schedules.directive.scan_image import clean, load_image
data = open(sys.argv[2], "rb").read()
before = peak_mb()
try:
    if sys.argv[1] == "docx":
        docx_text(data)
    else:
        clean(load_image(data))
    outcome = "read"
except DocumentError as error:
    outcome = error.message
print(json.dumps({"grew_mb": peak_mb() - before, "outcome": outcome}))
"""


def word_file(xml_bytes: int) -> bytes:
    """A real .docx whose main part holds about `xml_bytes` of paragraphs, written in chunks
    (deflate shrinks it about 500 times: a bomb)."""
    template = zipfile.ZipFile(io.BytesIO(docx_bytes("Số: 1/LĐLĐ\nxin chào")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in template.infolist():
            data = template.read(info.filename)
            if info.filename != "word/document.xml":
                archive.writestr(info, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with archive.open(info.filename, "w", force_zip64=True) as part:
                part.write(head + b"<w:body>")
                chunk = _PARAGRAPH * 10_000
                for _ in range(xml_bytes // len(chunk)):
                    part.write(chunk)
                part.write(tail)
    return out.getvalue()


def measured(kind: str, data: bytes, tmp_path: Path) -> dict[str, object]:
    path = tmp_path / f"input.{kind}"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, kind, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    outcome: dict[str, object] = json.loads(result.stdout)
    return outcome


def test_a_word_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    bomb = word_file(165 * 1024 * 1024)  # the issue's: 165 MB of XML
    assert len(bomb) < 1024 * 1024
    with pytest.raises(DocumentError) as caught:
        extract_text(bomb, "bom.docx")
    assert caught.value.message == DOCX_TOO_BIG
    outcome = measured("docx", bomb, tmp_path)
    assert outcome["outcome"] == DOCX_TOO_BIG
    assert float(str(outcome["grew_mb"])) < 5  # nothing was inflated


def test_a_word_file_at_the_xml_bound_is_read_within_the_memory_bound(tmp_path: Path) -> None:
    outcome = measured("docx", word_file(MAX_XML - 1024 * 1024), tmp_path)
    print(f"Word file at the XML bound: peak memory grew {outcome['grew_mb']:.0f} MB")
    assert outcome["outcome"] == "read"
    assert float(str(outcome["grew_mb"])) < MEMORY_BOUND_MB


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_photo_at_the_pixel_bound_is_cleaned_within_the_memory_bound(
    kind: str, tmp_path: Path
) -> None:
    """A PNG is decoded whole (its bound MAX_WHOLE_PIXELS), a JPEG at the working size."""
    from PIL import Image

    from schedules.directive.scan_image import MAX_PIXELS, MAX_WHOLE_PIXELS

    pixels = MAX_WHOLE_PIXELS if kind == "PNG" else MAX_PIXELS
    width = int((pixels * 3 / 4) ** 0.5)
    buffer = io.BytesIO()
    Image.new("RGB", (width, pixels // width), (250, 250, 245)).save(buffer, kind)
    outcome = measured("image", buffer.getvalue(), tmp_path)
    print(f"{kind} at the pixel bound: peak memory grew {outcome['grew_mb']:.0f} MB")
    assert outcome["outcome"] == "read"
    assert float(str(outcome["grew_mb"])) < MEMORY_BOUND_MB
