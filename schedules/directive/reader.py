"""Read a directive: text or file in, a `Reading` out, or a `DocumentError` to show."""

from __future__ import annotations

from collections.abc import Sequence

from schedules.directive.article import Article, find_article
from schedules.directive.deadlines import find_deadlines
from schedules.directive.errors import DocumentError
from schedules.directive.extract import extract_text
from schedules.directive.header import Header, kind_of, parse_header
from schedules.directive.issuer import find_issuer, opens_with_issuer
from schedules.directive.items import segment
from schedules.directive.model import IssueDate, Reading, Reference
from schedules.directive.references import find_references
from schedules.directive.rules import DEFAULT_RULES, RelativeRule, RuleContext
from schedules.directive.signer import SignerBlock, body_end, find_signer
from schedules.directive.text import Line, join, normalize, split_lines

NOT_A_DIRECTIVE = (
    "Nội dung này không giống một văn bản chỉ đạo (công văn, chỉ thị, kế hoạch, thông báo…): "
    "không thấy số văn bản, ngày ban hành hay trích yếu. "
    "Hãy gửi đúng tệp văn bản (.docx, .pdf, .txt) hoặc dán toàn văn, kể cả phần đầu."
)
EMPTY_TEXT = "Văn bản trống: không có chữ nào để đọc. Hãy gửi lại tệp hoặc dán nội dung văn bản."
# About 150 printed pages: far beyond any directive, and still read in about a second.
MAX_TEXT_CHARS = 500_000
# Header facts; a directive shows at least this many of them (a recipe or a chat shows none).
_MIN_SIGNS = 2


def read_document(
    data: bytes, filename: str | None = None, *, rules: Sequence[RelativeRule] = DEFAULT_RULES
) -> Reading:
    """Read a file's bytes (.txt, .docx, .pdf with a text layer); `filename` is a hint only."""
    return read_text(extract_text(data, filename), rules=rules)


def read_text(text: str, *, rules: Sequence[RelativeRule] = DEFAULT_RULES) -> Reading:
    """Read a directive's text; raises `DocumentError` when it is not one."""
    normalized = normalize(text)
    if len(normalized) > MAX_TEXT_CHARS:
        raise DocumentError(_too_long(len(normalized)))
    lines = split_lines(normalized)
    if not lines:
        raise DocumentError(EMPTY_TEXT)
    block = find_signer(lines)
    end = body_end(lines, block)
    header = parse_header(lines[:end])
    article = find_article(lines[:end]) if header.number is None else None
    if not _looks_like_directive(header, article, block):
        raise DocumentError(NOT_A_DIRECTIVE)
    body = [line for index, line in enumerate(lines[:end]) if index not in header.used]
    segments = segment(body, lambda paragraph: opens_with_issuer(paragraph, block.head))
    issue_date = header.issue_date or (article.issue_date if article else None)
    number = header.number or (article.number if article else None)
    place = header.place or (article.place if article else None)
    own = _own_reference(number, issue_date)
    context = RuleContext(issue_date=issue_date)
    return Reading(
        kind=article.kind if article else kind_of(header),
        number=number,
        issuer=_issuer(body, block, place, article, header.organisation),
        place=place,
        issue_date=issue_date,
        subject=header.subject or (article.subject if article else None),
        recipients=header.recipients,
        tasks=segments.tasks,
        deadlines=find_deadlines(segments, context, rules),
        references=find_references(join([line.text for line in lines]), own=own),
        signer=block.signer,
    )


def _too_long(chars: int) -> str:
    grouped = f"{chars:,}".replace(",", ".")  # Vietnamese groups thousands with dots
    return (
        f"Văn bản quá dài ({grouped} ký tự) so với một công văn, chỉ thị hay kế hoạch. "
        "Hãy gửi riêng văn bản cần đọc, bỏ phần phụ lục."
    )


def _looks_like_directive(header: Header, article: Article | None, block: SignerBlock) -> bool:
    if article is not None:
        return True
    signs = [
        header.number is not None,
        header.issue_date is not None,
        header.subject is not None,
        bool(header.recipients),
        header.kind_title is not None,
        block.signer.title is not None,
    ]
    identity = header.number or header.subject or header.kind_title
    return bool(identity) and sum(signs) >= _MIN_SIGNS


def _issuer(
    body: list[Line],
    block: SignerBlock,
    place: str | None,
    article: Article | None,
    organisation: tuple[str, ...],
) -> str | None:
    if article is not None:
        return article.issuer
    return find_issuer(join([line.text for line in body]), block.head, place, organisation)


def _own_reference(number: str | None, issue_date: IssueDate | None) -> Reference | None:
    day = issue_date.as_date() if issue_date else None
    if number is None or day is None:
        return None
    return Reference(number, day)
