"""Read a directive: text or file in, a `Reading` out, or a `DocumentError` to show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from schedules.directive.article import Article, find_article
from schedules.directive.deadlines import find_deadlines
from schedules.directive.errors import DocumentError
from schedules.directive.extract import extract_text
from schedules.directive.grading import NOTHING_TO_DO, source, task_like
from schedules.directive.header import DEFAULT_KIND, Header, kind_of, parse_header
from schedules.directive.issuer import find_issuer, opens_with_issuer
from schedules.directive.items import segment
from schedules.directive.model import FieldSource, IssueDate, Reading, Reference, Signer
from schedules.directive.ocr_text import mend_digit_slips
from schedules.directive.prose import ProseHeader, find_prose_header
from schedules.directive.references import find_references
from schedules.directive.requests import with_requests
from schedules.directive.rules import DEFAULT_RULES, RelativeRule, RuleContext
from schedules.directive.signer import SignerBlock, body_end, find_signer
from schedules.directive.text import Line, join, normalize, split_lines
from schedules.directive.web_fields import find_web_fields, with_web_fields

NOT_A_DIRECTIVE = NOTHING_TO_DO
EMPTY_TEXT = "Văn bản trống: không có chữ nào để đọc. Hãy gửi lại tệp hoặc dán nội dung văn bản."
# About 150 printed pages: far beyond any directive, and still read in about a second.
MAX_TEXT_CHARS = 500_000


def read_document(
    data: bytes,
    filename: str | None = None,
    *,
    rules: Sequence[RelativeRule] = DEFAULT_RULES,
    received: date | None = None,
) -> Reading:
    """Read a file's bytes (.txt, .docx, .pdf with a text layer); `filename` is a hint only."""
    return read_text(extract_text(data, filename), rules=rules, received=received)


def read_text(
    text: str, *, rules: Sequence[RelativeRule] = DEFAULT_RULES, received: date | None = None
) -> Reading:
    """Read what can be read from a directive's text, reporting per field where it was found;
    raises `DocumentError` only for a text with nothing task-like in it.

    `received` (the day the officer sent it) dates the relative deadlines of a text that
    gives no issue date, such as a retold notice; it never becomes the issue date."""
    # A pasted OCR text keeps its digit slips (`3O/7/2O25`): mended where only a digit fits.
    normalized = mend_digit_slips(normalize(text))
    if len(normalized) > MAX_TEXT_CHARS:
        raise DocumentError(_too_long(len(normalized)))
    lines = split_lines(normalized)
    if not lines:
        raise DocumentError(EMPTY_TEXT)
    block = find_signer(lines)
    end = body_end(lines, block)
    header = parse_header(lines[:end])
    web = find_web_fields(lines[:end])
    if web.values:
        header = with_web_fields(header, web)
    signer = block.signer
    if signer.name is None and web.signer_name():
        signer = Signer(signer.title, web.signer_name())
    article = find_article(lines[:end]) if header.number is None else None
    prose = find_prose_header(lines[:end]) if header.number is None and not article else None
    told = article or prose
    body = _body(lines[:end], header, prose)
    segments = with_requests(
        segment(body, lambda paragraph: opens_with_issuer(paragraph, block.head))
    )
    issue_date = header.issue_date or (told.issue_date if told else None)
    number = header.number or (told.number if told else None)
    place = header.place or (told.place if told else None)
    subject = header.subject or (told.subject if told else None)
    issuer = _issuer(body, block, place, told, header.organisation)
    context = RuleContext(issue_date=issue_date or _day(received))
    deadlines = find_deadlines(segments, context, rules)
    identity = sum(
        map(bool, (number, issue_date, subject, header.recipients, header.kind_title))
    ) + bool(signer.title or signer.name)
    if not task_like(normalized, segments.tasks, deadlines, identity):
        raise DocumentError(NOT_A_DIRECTIVE)
    kind, kind_source = _kind(header, article, prose)
    return Reading(
        kind=kind,
        number=number,
        issuer=issuer,
        place=place,
        issue_date=issue_date,
        subject=subject,
        recipients=header.recipients,
        tasks=segments.tasks,
        deadlines=deadlines,
        references=find_references(
            join([line.text for line in lines]), own=_own_reference(number, issue_date)
        ),
        signer=signer,
        sources=(
            ("kind", kind_source),
            ("number", source(header.number, number)),
            ("issuer", _issuer_source(issuer, told, header.organisation)),
            ("place", source(header.place, place)),
            ("issue_date", source(header.issue_date, issue_date)),
            ("subject", source(header.subject, subject)),
            ("recipients", source(header.recipients, None)),
            ("signer", source(signer.title or signer.name, None)),
        ),
    )


def _body(lines: list[Line], header: Header, prose: ProseHeader | None) -> list[Line]:
    """The lines after the header's: a prose header's sentence goes, what follows it stays."""
    start, end = prose.lines if prose else (0, 0)
    body = []
    for index, line in enumerate(lines):
        if index in header.used or start < index < end:
            continue
        if index == start and prose is not None:
            if prose.rest:
                body.append(Line(prose.rest, after_blank=line.after_blank))
            continue
        body.append(line)
    return body


def _kind(
    header: Header, article: Article | None, prose: ProseHeader | None
) -> tuple[str, FieldSource]:
    """A retelling names what it retells; a title line beats a prose opening; then the
    header's other signs (a `V/v` line, the number's code); else a công văn, unconfirmed."""
    if article is not None:
        return article.kind, FieldSource.PROSE
    if header.kind_title or header.has_subject_line or prose is None:
        kind = kind_of(header)
        found = header.kind_title or header.has_subject_line or kind != DEFAULT_KIND
        return kind, FieldSource.HEADER if found else FieldSource.MISSING
    return prose.kind, FieldSource.PROSE


def _issuer_source(
    issuer: str | None, told: Article | ProseHeader | None, organisation: tuple[str, ...]
) -> FieldSource:
    if issuer is None:
        return FieldSource.MISSING
    if organisation and (told is None or told.issuer is None):
        return FieldSource.HEADER
    return FieldSource.PROSE


def _day(received: date | None) -> IssueDate | None:
    return IssueDate(received.year, received.month, received.day) if received else None


def _too_long(chars: int) -> str:
    grouped = f"{chars:,}".replace(",", ".")  # Vietnamese groups thousands with dots
    return (
        f"Văn bản quá dài ({grouped} ký tự) so với một công văn, chỉ thị hay kế hoạch. "
        "Hãy gửi riêng văn bản cần đọc, bỏ phần phụ lục."
    )


def _issuer(
    body: list[Line],
    block: SignerBlock,
    place: str | None,
    told: Article | ProseHeader | None,
    organisation: tuple[str, ...],
) -> str | None:
    if told is not None and told.issuer:
        return told.issuer
    return find_issuer(join([line.text for line in body]), block.head, place, organisation)


def _own_reference(number: str | None, issue_date: IssueDate | None) -> Reference | None:
    day = issue_date.as_date() if issue_date else None
    if number is None or day is None:
        return None
    return Reference(number, day)
