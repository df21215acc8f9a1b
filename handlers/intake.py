"""Directive intake: an officer sends a document (or pastes its text), checks the bot's
reading, corrects it, and confirms; confirming makes the directive, its tasks, one
assignment per (task, unit), and their reminders.

Between the document and the confirmation the file waits in a draft directive row and the
reading (with the officer's corrections) in the account's conversation state, so a restart
loses nothing. Bad input is answered with what is wrong and stores nothing.

This module reads what arrives and starts the draft; `intake_review` corrects, confirms or
cancels it, and `intake_state` keeps and shows it.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from handlers.addressees import UnitRow, match_addressees
from handlers.context import Turn
from handlers.intake_draft import Draft, draft_from_reading
from handlers.intake_review import cancel, confirm, correct
from handlers.intake_state import (
    account_id,
    branch_units,
    everyone_below,
    load_draft,
    own_unit_ids,
    save_and_show,
    show_draft,
)
from handlers.messages import Outgoing
from handlers.scope import home_unit
from handlers.states import State
from handlers.texts import NOT_REGISTERED
from schedules.directive import DocumentError, Reading, check_size, extract_text, read_text
from schedules.wording import format_date
from storage import conversations, directives
from storage.directives import DirectiveSource
from storage.models import ConversationState, Directive

log = logging.getLogger(__name__)

# Shorter texts are chat, not a pasted directive: the shortest real công văn is longer.
MIN_DIRECTIVE_CHARS = 200
# A text with none of these is a chair's line rather than a document, for an officer who chairs.
_IDENTITY = ("number", "issue_date", "subject")
# A draft nobody touched for this long may be taken over by another officer.
STALE_DRAFT = timedelta(days=1)

FROM_CHAIR = (
    "Bot chỉ nhận văn bản chỉ đạo từ cán bộ công đoàn. Nếu đây là báo cáo kết quả, "
    "anh/chị gửi kèm một dòng như «xong» hoặc «đang làm 60%»."
)
PHOTO = (
    "Đây là ảnh, bot không đọc được chữ trong ảnh. Anh/chị gửi bản .docx, .pdf xuất từ Word, "
    "hoặc dán nội dung văn bản."
)
NO_FILES_HERE = "Kênh này chưa nhận tệp. Anh/chị dán nội dung văn bản vào tin nhắn."
DOWNLOAD_FAILED = "Bot chưa tải được tệp, anh/chị vui lòng gửi lại sau ít phút."
NO_BRANCH = "Anh/chị chưa được phân công phụ trách đơn vị nào, nên chưa nhập được văn bản."
GONE = "Bản nháp văn bản này không còn (đã xác nhận hoặc đã hủy). Anh/chị gửi lại văn bản nhé."


# ----- entry points (the router calls these) ------------------------------------------------


def on_file(turn: Turn) -> list[Outgoing] | None:
    """A file arrived: an officer's document is read; anyone else gets a short answer. None
    when the file is not for the intake (a sticker, or a chair's report with its line)."""
    attachment = turn.incoming.attachment
    if attachment is None or attachment.kind == "sticker":
        return None
    standing = turn.standing
    if turn.person is None or standing is None:
        return [Outgoing(NOT_REGISTERED, ask_contact=True)]
    if not standing.is_officer:
        if standing.chaired_unit_ids and (
            (turn.incoming.text or "").strip() or attachment.kind == "photo"
        ):
            return None  # a chair's evidence: the progress reply reads (or asks for) its line
        log.info("file from non-officer account %s refused", turn.account.id)
        return [Outgoing(FROM_CHAIR)]
    if attachment.kind == "photo":
        return [Outgoing(PHOTO)]
    fetch = turn.services.fetch_file
    if fetch is None:
        return [Outgoing(NO_FILES_HERE)]
    try:
        check_size(attachment.size or 0)
        data = fetch(attachment.file_id)
        check_size(len(data))
        text = extract_text(data, attachment.file_name)
        reading = read_text(text, received=turn.now.astimezone(turn.zone).date())
    except DocumentError as error:
        log.info("document from account %s refused: %s", turn.account.id, type(error).__name__)
        return [Outgoing(error.message)]
    except OSError:
        log.exception("downloading file for account %s failed", turn.account.id)
        return [Outgoing(DOWNLOAD_FAILED)]
    source = DirectiveSource(
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        file=data,
        file_name=(attachment.file_name or "")[:300] or None,
        issue_date=reading.issue_date.as_date() if reading.issue_date else None,
    )
    return _start(turn, reading, source)


def on_text(turn: Turn, text: str) -> list[Outgoing] | None:
    """An officer's long text may be a pasted directive. An officer who also chairs a unit
    writes progress lines too: their text is taken only when it reads as a directive."""
    standing = turn.standing
    if standing is None or not standing.is_officer or len(text) < MIN_DIRECTIVE_CHARS:
        return None
    try:
        reading = read_text(text, received=turn.now.astimezone(turn.zone).date())
    except DocumentError as error:
        if standing.chaired_unit_ids:
            return None
        return [Outgoing(error.message)]
    if standing.chaired_unit_ids and set(_IDENTITY) <= set(reading.missing()):
        return None  # a chair's long progress line asks for work too, but names no document
    source = DirectiveSource(
        text=text,
        sha256=hashlib.sha256(" ".join(text.split()).encode()).hexdigest(),
        issue_date=reading.issue_date.as_date() if reading.issue_date else None,
    )
    return _start(turn, reading, source)


def on_reply(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """The officer's next message while a draft waits: a correction, a new document, or the
    confirmation."""
    draft, directive = load_draft(turn, state)
    if draft is None or directive is None:
        return [Outgoing(GONE)]
    if turn.incoming.attachment is not None:
        answers = on_file(turn)
        if answers is not None:
            return answers
    text = (turn.incoming.text or "").strip()
    if len(text) >= MIN_DIRECTIVE_CHARS and (answers := on_text(turn, text)) is not None:
        return answers
    return correct(turn, draft, directive, text)


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """`i:ok:ID`, `i:no:ID`, `i:all:ID`: confirm, cancel, or all direct subordinate units."""
    action, _, raw_id = rest.partition(":")
    state = conversations.get_state(turn.session, account_id=account_id(turn))
    if state is None or state.name != State.INTAKE:
        return [Outgoing(GONE)]
    draft, directive = load_draft(turn, state)
    if draft is None or directive is None or str(draft.directive_id) != raw_id:
        return [Outgoing(GONE)]
    if action == "ok":
        return confirm(turn, draft, directive)
    if action == "no":
        return cancel(turn, draft)
    if action == "all":
        return save_and_show(turn, everyone_below(turn, draft))
    return [Outgoing(GONE)]


# ----- starting a draft ---------------------------------------------------------------------


def _start(turn: Turn, reading: Reading, source: DirectiveSource) -> list[Outgoing]:
    assert turn.person is not None and turn.person.id is not None
    home = home_unit(turn)
    if home is None or home.id is None:
        return [Outgoing(NO_BRANCH)]
    if not reading.tasks:
        return [
            Outgoing(
                "Bot đọc được văn bản nhưng không thấy nhiệm vụ đánh số nào để giao. "
                "Anh/chị dùng /giaoviec để giao từng việc."
            )
        ]
    current = conversations.get_state(turn.session, account_id=account_id(turn))
    current_id = (
        current.data.get("directive_id") if current and current.name == State.INTAKE else None
    )
    existing = directives.find_by_sha256(turn.session, sha256=source.sha256)
    if existing is not None and existing.id is not None:
        if not existing.is_draft:
            return [_already(turn, existing)]
        if existing.id == current_id and current is not None:
            return [show_draft(turn, Draft.from_data(current.data), resumed=True)]
        if existing.created_by_person_id != turn.person.id and (
            turn.now - existing.created_at < STALE_DRAFT
        ):
            return [
                Outgoing(
                    "Văn bản này đang được một cán bộ khác kiểm tra để giao việc. "
                    "Anh/chị chờ họ xác nhận rồi xem bằng /tonghop."
                )
            ]
        directives.delete_draft(turn.session, directive_id=existing.id)
    if isinstance(current_id, int):
        directives.delete_draft(turn.session, directive_id=current_id)
    directive = directives.create_directive(
        turn.session,
        kind=reading.kind[:50],
        subject=reading.subject or "",
        owner_unit_id=home.id,
        created_by_person_id=turn.person.id,
        now=turn.now,
        number=reading.number[:100] if reading.number else None,
        issuer=reading.issuer[:300] if reading.issuer else None,
        source=source,
        is_draft=True,
    )
    assert directive.id is not None
    candidates = [unit for unit in branch_units(turn) if unit.id not in own_unit_ids(turn)]
    rows = [UnitRow(u.id, u.code, u.name, u.level) for u in candidates if u.id is not None]
    matched = tuple(match_addressees(reading.recipients, rows))
    draft = draft_from_reading(
        reading, directive_id=directive.id, unit_ids=matched, file_name=source.file_name
    )
    log.info(
        "draft directive %s from account %s: %s tasks, %s units matched",
        directive.id,
        turn.account.id,
        len(draft.tasks),
        len(matched),
    )
    return save_and_show(turn, draft)


def _already(turn: Turn, directive: Directive) -> Outgoing:
    assert directive.id is not None
    tasks, unit_count = directives.directive_extent(turn.session, directive_id=directive.id)
    name = Draft(directive.id, directive.kind, directive.number, None, None, (), ()).title()
    return Outgoing(
        f"Văn bản này đã được nhập ngày {format_date(directive.created_at, turn.zone)}: "
        f"{name} — {tasks} nhiệm vụ, giao cho {unit_count} đơn vị. Bot không tạo lại; "
        "anh/chị xem tình hình bằng /tonghop."
    )
