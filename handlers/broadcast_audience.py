"""Who a notice goes to: the officer's words or buttons read into an audience spec (kept in
the conversation state), the spec resolved by `storage.broadcasts`, and the preview.

A spec is a small dict: `{"kind": "branch"}`, `{"kind": "level", "level": "CĐCS"}`,
`{"kind": "units", "unit_ids": [...]}` or `{"kind": "late", "task_id": 7}`, with the
`label` the officer saw. Units outside the officer's branch are answered exactly as units
that do not exist.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from handlers.context import Turn
from schedules.folding import fold_keeping_digits
from schedules.numbers import DIGIT, parse_id, parse_int
from schedules.wording import task_label
from storage import broadcast_audience
from storage.indicators import tasks_by_reference
from storage.models import Directive, Task

Spec = dict[str, Any]

ALL_WORDS = {"tat ca", "toan bo", "toan bo don vi", "ca nhanh", "tat ca don vi", "all"}
LATE_PREFIX = re.compile(r"^(?:chua xong|chua hoan thanh|cham|tre)\s*(?P<rest>.*)$")
# Numbers in ASCII digits only, read by `schedules.numbers` (the words are folded with their
# digits as typed: «việc １２» or «mục ٣» is not task 12 or item 3, it is asked again).
OWN_TASK = re.compile(rf"^(?:viec\s*(?:so)?\s*)#?(?P<own>{DIGIT}+)$")
DIRECTIVE_ITEM = re.compile(rf"^(?P<number>\S+/\S+)\s+muc\s*(?P<item>{DIGIT}+)$")
LEVEL_PREFIX = re.compile(r"^(?:cap|moi|cac|tat ca)\s+(?P<level>.+)$")
SEPARATORS = re.compile(r"[,;\n]+")
MAX_NAMED = 40  # units named in one answer (the rest counted), to stay far under 4,096

USAGE = (
    "Anh/chị chọn người nhận bằng nút, hoặc gõ:\n"
    "• «tất cả» — mọi đơn vị trực thuộc\n"
    "• tên một cấp, ví dụ «CĐCS»\n"
    "• mã hoặc tên đơn vị, cách nhau bởi dấu phẩy, ví dụ «CDCS-01, CDCS-02»\n"
    "• «chưa xong việc 12» hoặc «chưa xong 490/LĐLĐ mục 3» — các đơn vị chưa xong việc đó"
)


def roots(turn: Turn) -> list[int] | None:
    """The tops of the officer's branches; None for an administrator (the whole tree)."""
    standing = turn.standing
    if standing is None:
        return []
    return None if standing.is_admin else list(standing.officer_unit_ids)


def read_words(turn: Turn, text: str, levels: Sequence[str]) -> tuple[Spec | None, str | None]:
    """The officer's words as a spec, or a Vietnamese reason why not."""
    words = " ".join(fold_keeping_digits(text).split()).strip(" .!")
    if not words:
        return None, USAGE
    if words in ALL_WORDS:
        return branch(), None
    if (late := LATE_PREFIX.match(words)) is not None:
        return late_on(turn, late.group("rest").strip(), text)
    folded_levels = {fold_keeping_digits(level): level for level in levels}
    level_words = LEVEL_PREFIX.match(words)
    for candidate in (words, level_words.group("level") if level_words else None):
        if candidate is not None and candidate in folded_levels:
            return level(folded_levels[candidate]), None
    return listed(turn, text)


def branch() -> Spec:
    return {"kind": "branch", "label": "mọi đơn vị trực thuộc"}


def level(name: str) -> Spec:
    return {"kind": "level", "level": name, "label": f"các đơn vị cấp {name}"}


def late_on(turn: Turn, words: str, original: str) -> tuple[Spec | None, str | None]:
    """The units not done on one task of the officer's branch."""
    own = OWN_TASK.match(words)
    numbered = None if own else DIRECTIVE_ITEM.match(words)
    if own is None and numbered is None:
        return None, f"Anh/chị ghi rõ việc nào, ví dụ «chưa xong việc 12».\n{USAGE}"
    found: list[tuple[Task, Directive]] = []
    if own is not None:
        # A number no id column holds is no task of ours: not found, before any query.
        if (task_id := parse_id(own.group("own"))) is not None:
            found = tasks_by_reference(turn.session, directive_id=task_id)
    elif numbered is not None and (item := parse_int(numbered.group("item"))) is not None:
        number = _original_number(original) or numbered.group("number")
        found = tasks_by_reference(turn.session, number=number, item=item)
    in_scope = [(task, directive) for task, directive in found if _owns(turn, task)]
    if len(in_scope) != 1:
        return None, f"Không tìm thấy việc «{words}» trong phạm vi anh/chị phụ trách."
    task, directive = in_scope[0]
    label = task_label(directive, task)
    return {"kind": "late", "task_id": task.id, "label": f"các đơn vị chưa xong {label}"}, None


def _original_number(text: str) -> str | None:
    """`490/LĐLĐ` as typed (the directive's number is compared without case, not folded)."""
    match = re.search(r"(\S+/\S+)\s+m", text)
    return match.group(1) if match else None


def _owns(turn: Turn, task: Task) -> bool:
    """The task was given to units of the officer's branch."""
    assert task.id is not None
    return broadcast_audience.task_reaches(turn.session, task_id=task.id, root_ids=roots(turn))


def listed(turn: Turn, text: str) -> tuple[Spec | None, str | None]:
    """Units by code or name, separated by commas (codes may also be separated by spaces);
    any unknown one (or one outside the branch) is named and nothing is chosen."""
    known = broadcast_audience.branch_units(turn.session, root_ids=roots(turn))
    by_code = {unit.code.upper(): unit.id for unit in known}
    by_name = {" ".join(fold_keeping_digits(unit.name).split()): unit.id for unit in known}
    chosen: dict[int, None] = {}
    for item in (part.strip() for part in SEPARATORS.split(text)):
        if not item:
            continue
        folded = " ".join(fold_keeping_digits(item).split())
        found = by_code.get(item.upper()) or by_name.get(folded)
        if found is not None:
            chosen[found] = None
            continue
        tokens = item.split()
        if len(tokens) > 1 and all(token.upper() in by_code for token in tokens):
            chosen.update(dict.fromkeys(by_code[token.upper()] for token in tokens))
            continue
        return None, (
            f"Không tìm thấy đơn vị «{item[:80]}» trong phạm vi anh/chị phụ trách.\n{USAGE}"
        )
    if not chosen:
        return None, USAGE
    ids = list(chosen)
    label = "1 đơn vị" if len(ids) == 1 else f"{len(ids)} đơn vị đã chọn"
    return {"kind": "units", "unit_ids": ids, "label": label}, None


def resolve(turn: Turn, spec: Spec) -> broadcast_audience.Audience:
    return broadcast_audience.resolve(
        turn.session,
        root_ids=roots(turn),
        kind=str(spec["kind"]),
        level=str(spec.get("level", "")),
        unit_ids=[int(unit_id) for unit_id in spec.get("unit_ids", [])],
        task_id=int(spec["task_id"]) if spec.get("task_id") is not None else None,
    )


def named_units(turn: Turn, unit_ids: Sequence[int], heading: str) -> str:
    """A heading and the units by code and name, the first `MAX_NAMED`, then a count."""
    named = broadcast_audience.units_named(turn.session, unit_ids=unit_ids)
    lines = [heading, *(f"• {name} ({code})" for code, name in named[:MAX_NAMED])]
    if len(named) > MAX_NAMED:
        lines.append(f"… và {len(named) - MAX_NAMED} đơn vị khác.")
    return "\n".join(lines)
