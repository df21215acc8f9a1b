"""Files the directive tests build themselves: seeds, Word and PDF documents, broken inputs.

pypdf cannot lay out text, and no PDF writer is a dependency, so `text_pdf` writes a small
PDF by hand: a Type0 font with Identity-H codes equal to the Unicode code points and a
ToUnicode map, which is all a text layer needs to be read back (no glyphs are embedded).
"""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path
from typing import Any

# The keys of `nhacviec parse --json`, in the order the issue lists them.
JSON_KEYS = (
    "kind",
    "number",
    "issuer",
    "place",
    "issue_date",
    "subject",
    "recipients",
    "tasks",
    "deadlines",
    "references",
    "signer",
    "sources",
)
SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"

_LINES_PER_PAGE = 48
_CMAP_CHUNK = 100


def seed_expectations() -> list[dict[str, Any]]:
    """The entries of expected.json, one per seed file."""
    data: list[dict[str, Any]] = json.loads((SEEDS / "expected.json").read_text("utf-8"))
    return data


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text("utf-8")


def docx_bytes(text: str, *, header_table: bool = False) -> bytes:
    """A .docx with one paragraph per line; optionally the first lines in a two-column table.

    With `header_table`, lines up to the first blank line go to the left cell and the next
    block to the right cell, as official headers are laid out.
    """
    import docx

    document = docx.Document()
    lines = text.split("\n")
    if header_table:
        left, right, rest = _two_blocks(lines)
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "\n".join(left)
        table.cell(0, 1).text = "\n".join(right)
        lines = rest
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _two_blocks(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    blocks: list[list[str]] = [[]]
    index = 0
    while index < len(lines) and len(blocks) <= 2:
        if lines[index].strip():
            blocks[-1].append(lines[index])
        elif blocks[-1]:
            blocks.append([])
        index += 1
    left = blocks[0]
    right = blocks[1] if len(blocks) > 1 else []
    return left, right, lines[index:]


def text_pdf(text: str, *, width: int | None = 95) -> bytes:
    """A PDF whose text layer holds `text`, lines wrapped at `width` characters like print."""
    lines: list[str] = []
    for raw in text.split("\n"):
        if width and len(raw) > width:
            lines.extend(textwrap.wrap(raw, width=width, break_long_words=False))
        else:
            lines.append(raw)
    pages = [lines[i : i + _LINES_PER_PAGE] for i in range(0, len(lines), _LINES_PER_PAGE)]
    codes = sorted({ord(char) for line in lines for char in line} | {32})
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /ArialMT /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ArialMT /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R "
        b"/DW 500 >>",
        5: _stream(_to_unicode(codes)),
        6: b"<< /Type /FontDescriptor /FontName /ArialMT /Flags 32 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
    }
    kids: list[int] = []
    number = 7
    for page in pages or [[]]:
        shown = "\n".join(
            "<" + "".join(f"{ord(char):04X}" for char in line) + "> Tj T*" for line in page
        )
        objects[number] = _stream(f"BT /F1 10 Tf 12 TL 40 800 Td\n{shown}\nET".encode())
        objects[number + 1] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % number
        )
        kids.append(number + 1)
        number += 2
    objects[2] = _pages(kids)
    return _pdf(objects)


def image_only_pdf() -> bytes:
    """A one-page "scan": a grey image and no text at all."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: _pages([3]),
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        4: b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream",
        5: _stream(b"q 500 0 0 700 40 60 cm /Im0 Do Q"),
    }
    return _pdf(objects)


def encrypted_pdf(text: str, password: str = "mat-khau") -> bytes:
    """A text PDF locked with a user password (RC4, which pypdf handles on its own)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(text))))
    writer.encrypt(user_password=password, owner_password=None, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _to_unicode(codes: list[int]) -> bytes:
    parts = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
        "1 begincodespacerange <0000> <FFFF> endcodespacerange"
    ]
    for start in range(0, len(codes), _CMAP_CHUNK):
        chunk = codes[start : start + _CMAP_CHUNK]
        pairs = "".join(f"<{code:04X}> <{code:04X}>\n" for code in chunk)
        parts.append(f"{len(chunk)} beginbfchar\n{pairs}endbfchar")
    parts.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(parts).encode()


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _pages(kids: list[int]) -> bytes:
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    return b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))


def _pdf(objects: dict[int, bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()
