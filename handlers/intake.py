"""Directive intake: an officer sends a document (or pastes its text), checks the bot's
reading, corrects it, and confirms; confirming makes the directive, its tasks, one
assignment per (task, unit), and their reminders.

Between the document and the confirmation the file waits in a draft directive row and the
reading (with the officer's corrections) in the account's conversation state, so a restart
loses nothing. Bad input is answered with what is wrong and stores nothing.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from handlers.addressees import UnitRow, match_addressees
from handlers.context import Turn
from handlers.intake_draft import Draft, draft_from_reading, render_draft
from handlers.messages import Choice, Outgoing
from handlers.officer import DEADLINE_TIME
from handlers.scope import find_unit_in_scope, home_unit, scope_unit_ids
from handlers.states import State
from handlers.texts import NOT_REGISTERED
from handlers.vietnamese_text import fold_plain
from schedules.button_prefixes import ButtonPrefix
from schedules.directive import DocumentError, Reading, check_size, extract_text, read_text
from schedules.wording import format_date
from storage import conversations, directives, units
from storage.directives import DirectiveSource
from storage.models import ConversationState, Directive, Unit

log = logging.getLogger(__name__)

# Shorter texts are chat, not a pasted directive: the shortest real công văn is longer.
MIN_DIRECTIVE_CHARS = 200
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
CANCELLED = "Đã hủy, không lưu gì. Khi cần, anh/chị gửi lại văn bản."
HINT = (
    "Anh/chị đang kiểm tra {title}. Gõ «xác nhận» để giao việc, «hủy» để bỏ, "
    "«2 15/12/2026» để sửa hạn mục 2, «bỏ 3» để bỏ mục 3, «đơn vị MÃ1 MÃ2» để chọn đơn vị."
)

_CONFIRM = re.compile(r"^(?:xac nhan|ok|dong y|dong y giao)\W*$")
_CANCEL = re.compile(r"^(?:huy|huy bo|thoi)\W*$")
_SET_DEADLINE = re.compile(
    r"^(?:muc\s*)?(?P<item>\d{1,3})\s*[:.)-]?\s+(?:han\s+)?"
    r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>\d{2,4}))?$"
)
_CLEAR_DEADLINE = re.compile(r"^(?:muc\s*)?(?P<item>\d{1,3})\s+(?:khong han|bo han|chua co han)$")
_DROP = re.compile(r"^(?:bo|xoa)\s+(?:muc\s*)?(?P<items>\d{1,3}(?:[\s,]+\d{1,3})*)$")
_KEEP = re.compile(r"^(?:giu|lay lai|khoi phuc)\s+(?:muc\s*)?(?P<items>\d{1,3}(?:[\s,]+\d{1,3})*)$")
_UNITS = re.compile(r"^(?P<verb>don vi|them|bot)\s+(?P<rest>.+)$")
_ALL = re.compile(r"^(?:tat ca|ca|all)$")


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
        reading = read_text(text)
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
        reading = read_text(text)
    except DocumentError as error:
        if standing.chaired_unit_ids:
            return None
        return [Outgoing(error.message)]
    source = DirectiveSource(
        text=text,
        sha256=hashlib.sha256(" ".join(text.split()).encode()).hexdigest(),
        issue_date=reading.issue_date.as_date() if reading.issue_date else None,
    )
    return _start(turn, reading, source)


def on_reply(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """The officer's next message while a draft waits: a correction, a new document, or the
    confirmation."""
    draft, directive = _load(turn, state)
    if draft is None or directive is None:
        return [Outgoing(GONE)]
    if turn.incoming.attachment is not None:
        answers = on_file(turn)
        if answers is not None:
            return answers
    text = (turn.incoming.text or "").strip()
    if len(text) >= MIN_DIRECTIVE_CHARS and (answers := on_text(turn, text)) is not None:
        return answers
    return _correct(turn, draft, directive, text)


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """`i:ok:ID`, `i:no:ID`, `i:all:ID`: confirm, cancel, or all direct subordinate units."""
    action, _, raw_id = rest.partition(":")
    state = conversations.get_state(turn.session, account_id=_account_id(turn))
    if state is None or state.name != State.INTAKE:
        return [Outgoing(GONE)]
    draft, directive = _load(turn, state)
    if draft is None or directive is None or str(draft.directive_id) != raw_id:
        return [Outgoing(GONE)]
    if action == "ok":
        return _confirm(turn, draft, directive)
    if action == "no":
        return _cancel(turn, draft)
    if action == "all":
        return _save_and_show(turn, _everyone_below(turn, draft))
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
    current = conversations.get_state(turn.session, account_id=_account_id(turn))
    current_id = (
        current.data.get("directive_id") if current and current.name == State.INTAKE else None
    )
    existing = directives.find_by_sha256(turn.session, sha256=source.sha256)
    if existing is not None and existing.id is not None:
        if not existing.is_draft:
            return [_already(turn, existing)]
        if existing.id == current_id and current is not None:
            return [_show(turn, Draft.from_data(current.data), resumed=True)]
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
    candidates = [unit for unit in _branch_units(turn) if unit.id not in _roots(turn)]
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
    return _save_and_show(turn, draft)


def _already(turn: Turn, directive: Directive) -> Outgoing:
    assert directive.id is not None
    tasks, unit_count = directives.directive_extent(turn.session, directive_id=directive.id)
    name = Draft(directive.id, directive.kind, directive.number, None, None, (), ()).title()
    return Outgoing(
        f"Văn bản này đã được nhập ngày {format_date(directive.created_at, turn.zone)}: "
        f"{name} — {tasks} nhiệm vụ, giao cho {unit_count} đơn vị. Bot không tạo lại; "
        "anh/chị xem tình hình bằng /tonghop."
    )


# ----- corrections --------------------------------------------------------------------------


def _correct(turn: Turn, draft: Draft, directive: Directive, text: str) -> list[Outgoing]:
    folded = " ".join(fold_plain(text).split())
    if _CONFIRM.match(folded):
        return _confirm(turn, draft, directive)
    if _CANCEL.match(folded):
        return _cancel(turn, draft)
    if match := _SET_DEADLINE.match(folded):
        return _set_deadline(turn, draft, match)
    if match := _CLEAR_DEADLINE.match(folded):
        task = draft.task(int(match["item"]))
        if task is None:
            return [Outgoing(_no_item(draft, int(match["item"])))]
        cleared = replace(task, deadline=None, deadline_text=None, rule=None, proposed=False)
        return _save_and_show(turn, draft.with_task(cleared))
    if match := _DROP.match(folded) or _KEEP.match(folded):
        dropping = folded.startswith(("bo", "xoa"))
        for item in (int(n) for n in re.findall(r"\d+", match["items"])):
            task = draft.task(item)
            if task is None:
                return [Outgoing(_no_item(draft, item))]
            draft = draft.with_task(replace(task, dropped=dropping))
        return _save_and_show(turn, draft)
    if match := _UNITS.match(folded):
        return _choose_units(turn, draft, match["verb"], text)
    return [Outgoing(HINT.format(title=draft.title()))]


def _set_deadline(turn: Turn, draft: Draft, match: re.Match[str]) -> list[Outgoing]:
    item = int(match["item"])
    task = draft.task(item)
    if task is None:
        return [Outgoing(_no_item(draft, item))]
    today = turn.now.astimezone(turn.zone).date()
    year = int(match["year"]) if match["year"] else today.year
    year = year + 2000 if year < 100 else year
    try:
        day = date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        return [Outgoing("Ngày chưa đúng. Anh/chị gõ theo dạng «2 15/12/2026».")]
    if not match["year"] and day < today:
        day = day.replace(year=year + 1)
    if day < today:
        return [Outgoing(f"Ngày {day:%d/%m/%Y} đã qua. Anh/chị chọn một ngày từ hôm nay trở đi.")]
    changed = replace(
        task,
        deadline=day,
        deadline_text=None,
        rule=None,
        proposed=False,
        by_officer=True,
        dropped=False,
    )
    return _save_and_show(turn, draft.with_task(changed))


def _choose_units(turn: Turn, draft: Draft, verb: str, text: str) -> list[Outgoing]:
    words = text.split(None, 2 if verb == "don vi" else 1)[2 if verb == "don vi" else 1 :]
    rest = words[0] if words else ""
    if verb == "don vi" and _ALL.match(fold_plain(rest).strip()):
        return _save_and_show(turn, _everyone_below(turn, draft))
    found: list[int] = []
    for code in (c for c in re.split(r"[\s,;]+", rest) if c):
        unit, problem = find_unit_in_scope(turn, code)
        if unit is None or unit.id is None:
            return [Outgoing(problem or "")]
        found.append(unit.id)
    if verb == "them":
        chosen = tuple(dict.fromkeys([*draft.unit_ids, *found]))
    elif verb == "bot":
        chosen = tuple(unit_id for unit_id in draft.unit_ids if unit_id not in found)
    else:
        chosen = tuple(dict.fromkeys(found))
    return _save_and_show(turn, replace(draft, unit_ids=chosen, from_addressees=False))


def _no_item(draft: Draft, item: int) -> str:
    items = ", ".join(str(task.item) for task in draft.tasks)
    return f"Không có mục {item}. Văn bản này có các mục: {items}."


# ----- confirming and cancelling ------------------------------------------------------------


def _confirm(turn: Turn, draft: Draft, directive: Directive) -> list[Outgoing]:
    kept = draft.kept()
    if not kept:
        return [Outgoing("Anh/chị đã bỏ hết các mục. Gõ «giữ 1» để lấy lại một mục, hoặc «hủy».")]
    scope = set(scope_unit_ids(turn))
    unit_ids = [unit_id for unit_id in draft.unit_ids if unit_id in scope]
    if not unit_ids:
        return [
            Outgoing(
                "Chưa chọn đơn vị nào để giao. Anh/chị gõ «đơn vị MÃ1 MÃ2», "
                "hoặc «đơn vị tất cả» cho mọi đơn vị trực thuộc."
            )
        ]
    today = turn.now.astimezone(turn.zone).date()
    past = [task for task in kept if task.deadline is not None and task.deadline < today]
    if past:
        listed = ", ".join(f"mục {t.item} ({t.deadline:%d/%m/%Y})" for t in past if t.deadline)
        first = past[0].item
        return [
            Outgoing(
                f"Hạn đã qua: {listed}. Anh/chị đặt hạn mới (ví dụ «{first} 15/12/"
                f"{today.year}») hoặc bỏ mục đó («bỏ {first}») rồi xác nhận lại."
            )
        ]
    assert directive.id is not None
    directives.confirm_draft(turn.session, directive=directive, now=turn.now)
    created = []
    dated = 0  # assignments with a deadline: each should get a reminder
    for task in kept:
        deadline = (
            datetime.combine(task.deadline, DEADLINE_TIME, tzinfo=turn.zone)
            if task.deadline
            else None
        )
        row = directives.add_task(
            turn.session,
            directive_id=directive.id,
            item=task.item,
            text=task.text,
            deadline_at=deadline,
            deadline_text=(task.deadline_text or "")[:300] or None,
            deadline_rule="officer" if task.by_officer else task.rule,
        )
        assert row.id is not None
        assigned = directives.assign(turn.session, task_id=row.id, unit_ids=unit_ids, now=turn.now)
        created.extend(assigned)
        dated += len(assigned) if deadline else 0
    planned = turn.plan_reminders(assignment_ids=[a.id for a in created if a.id is not None])
    conversations.clear_state(turn.session, account_id=_account_id(turn))
    log.info(
        "directive %s confirmed: %s tasks, %s assignments, %s reminders",
        directive.id,
        len(kept),
        len(created),
        planned.rows,
    )
    lines = [
        f"✅ Đã giao {draft.title()}: {len(kept)} nhiệm vụ cho {len(unit_ids)} đơn vị "
        f"({len(created)} lượt giao)."
    ]
    undated = [str(task.item) for task in kept if task.deadline is None]
    if undated:
        lines.append(
            f"Mục {', '.join(undated)} chưa có hạn nên bot chưa nhắc; các đơn vị vẫn báo cáo "
            "được khi làm xong."
        )
    waiting = dated - planned.reachable
    if waiting > 0:
        lines.append(
            f"{waiting} lượt giao có hạn nhưng đơn vị chưa có chủ tịch đăng ký với bot nên "
            "chưa nhắc được; anh/chị gửi họ mã mời bằng /moi MÃ_ĐƠN_VỊ."
        )
    return [Outgoing("\n".join(lines))]


def _cancel(turn: Turn, draft: Draft) -> list[Outgoing]:
    directives.delete_draft(turn.session, directive_id=draft.directive_id)
    conversations.clear_state(turn.session, account_id=_account_id(turn))
    log.info("draft directive %s cancelled by account %s", draft.directive_id, turn.account.id)
    return [Outgoing(CANCELLED)]


# ----- state and display --------------------------------------------------------------------


def _load(turn: Turn, state: ConversationState) -> tuple[Draft | None, Directive | None]:
    """The draft and its row; a draft whose officer lost the right to it is forgotten."""
    try:
        draft = Draft.from_data(state.data)
    except (KeyError, TypeError, ValueError):
        log.warning("unreadable intake state of account %s dropped", turn.account.id)
        conversations.clear_state(turn.session, account_id=_account_id(turn))
        return None, None
    directive = directives.get_directive(turn.session, directive_id=draft.directive_id)
    allowed = turn.standing is not None and turn.standing.is_officer
    if directive is None or not directive.is_draft or not allowed:
        conversations.clear_state(turn.session, account_id=_account_id(turn))
        if directive is not None and directive.is_draft:
            directives.delete_draft(turn.session, directive_id=draft.directive_id)
        return None, None
    return draft, directive


def _save_and_show(turn: Turn, draft: Draft) -> list[Outgoing]:
    conversations.set_state(
        turn.session,
        account_id=_account_id(turn),
        name=State.INTAKE,
        data=draft.to_data(),
        now=turn.now,
    )
    return [_show(turn, draft)]


def _show(turn: Turn, draft: Draft, *, resumed: bool = False) -> Outgoing:
    chosen = units.units_by_ids(turn.session, unit_ids=draft.unit_ids)
    order = {unit_id: index for index, unit_id in enumerate(draft.unit_ids)}
    chosen.sort(key=lambda unit: order.get(unit.id or 0, 0))
    names = [f"{unit.name} ({unit.code})" for unit in chosen]
    text = render_draft(draft, names, today=turn.now.astimezone(turn.zone).date())
    if resumed:
        text = "Văn bản này anh/chị đang kiểm tra dở:\n" + text
    key = draft.directive_id
    return Outgoing(
        text,
        choices=(
            (
                Choice("✅ Xác nhận", f"{ButtonPrefix.INTAKE}:ok:{key}"),
                Choice("✖️ Hủy", f"{ButtonPrefix.INTAKE}:no:{key}"),
            ),
            (Choice("Giao cho mọi đơn vị trực thuộc", f"{ButtonPrefix.INTAKE}:all:{key}"),),
        ),
    )


def _branch_units(turn: Turn) -> list[Unit]:
    return units.units_by_ids(turn.session, unit_ids=scope_unit_ids(turn))


def _roots(turn: Turn) -> set[int]:
    return set(turn.standing.officer_unit_ids) if turn.standing else set()


def _all_below(turn: Turn) -> tuple[int, ...]:
    """Every unit directly below the officer's own unit(s)."""
    roots = _roots(turn)
    return tuple(
        unit.id
        for unit in _branch_units(turn)
        if unit.id is not None and unit.parent_id in roots and unit.archived_at is None
    )


def _everyone_below(turn: Turn, draft: Draft) -> Draft:
    return replace(draft, unit_ids=_all_below(turn), from_addressees=False)


def _account_id(turn: Turn) -> int:
    assert turn.account.id is not None
    return turn.account.id
