"""The plan of a roster import in Vietnamese, for the administrator at the command line:
one line per kind of change with its count and the first few units, then, when the plan
archives units or ends anyone's role, what to do to apply it.

The lines quote names and phones from the file: print them, never log them.
"""

from __future__ import annotations

from collections.abc import Sequence

from schedules.phones import display_phone
from schedules.roster_sheet.plan import RoleChange, RosterPlan
from storage.models import Role

SHOWN = 10  # items listed per kind of change; the rest are counted

_ROLE_WORDS = {Role.OFFICER.value: "cán bộ", Role.ADMIN.value: "quản trị"}


def plan_lines(plan: RosterPlan, file_name: str) -> list[str]:
    """The plan, a header line and one line per kind of change (nothing to do: one line)."""
    lines = [
        f"Kế hoạch nhập {file_name}: {plan.units_in_file:,} đơn vị trong tệp, "
        f"{plan.units_now:,} đơn vị đang dùng."
    ]
    if plan.changes_nothing:
        return [*lines, "  Không có gì thay đổi."]
    _add(lines, "Thêm", "đơn vị", [f"{c} ({n})" for c, n in plan.added])
    _add(lines, "Khôi phục", "đơn vị đã lưu trữ", [f"{c} ({n})" for c, n in plan.restored])
    _add(
        lines, "Đổi tên", "đơn vị", [f"{c.code}: «{c.before}» → «{c.after}»" for c in plan.renamed]
    )
    _add(
        lines,
        "Chuyển cấp trên",
        "đơn vị",
        [f"{c.code}: {c.before or '(gốc)'} → {c.after or '(gốc)'}" for c in plan.moved],
    )
    _add(
        lines,
        "Đổi cấp",
        "đơn vị",
        [f"{c.code}: «{c.before}» → «{c.after}»" for c in plan.relevelled],
    )
    _add(lines, "Lưu trữ", "đơn vị", [f"{c} ({n})" for c, n in plan.archived])
    _add(
        lines,
        "Thay chủ tịch",
        "đơn vị",
        [f"{c.code}: {', '.join(c.before)} → {c.after}" for c in plan.chairs_replaced],
    )
    _add(lines, "Thêm chủ tịch", "đơn vị", [f"{c.code}: {c.after}" for c in plan.chairs_given])
    _add(lines, "Thêm", "cán bộ/quản trị", [_role(r) for r in plan.roles_added])
    _add(lines, "Thôi vai trò", "cán bộ/quản trị", [_role(r) for r in plan.roles_removed])
    _add(
        lines,
        "Sửa họ tên",
        "người",
        [f"{display_phone(c.code)}: {c.before} → {c.after}" for c in plan.people_renamed],
    )
    return lines


def refusal_lines(plan: RosterPlan, command: str) -> list[str]:
    """Why the plan is not applied without `--yes`, and the command that applies it."""
    if plan.archives_everything:
        lines = [
            f"Chưa nhập: tệp này sẽ lưu trữ TOÀN BỘ {plan.units_now:,} đơn vị đang dùng "
            "(không mã đơn vị nào trong tệp trùng với danh sách hiện tại).",
            "Có thể anh/chị đã chọn nhầm tệp, hoặc mã đơn vị đã bị đổi. Nên xuất danh sách "
            "hiện tại (nhacviec roster export) rồi sửa trên tệp đó.",
            f"Nếu đúng là muốn thay cả danh sách: {command} --yes",
        ]
        return lines
    what = []
    if plan.archived:
        what.append(
            f"lưu trữ {len(plan.archived):,}/{plan.units_now:,} đơn vị đang dùng "
            "(đơn vị không có trong tệp)"
        )
    if plan.unbound:
        what.append(f"cho {plan.unbound:,} người thôi vai trò")
    lines = [f"Chưa nhập: kế hoạch này sẽ {' và '.join(what)}."]
    if plan.archived:
        lines.append(
            "Tệp là toàn bộ danh sách: đơn vị nào thiếu trong tệp sẽ bị lưu trữ (không xoá)."
        )
    if plan.chairs_replaced:
        lines.append(
            "Chủ tịch bị thay nhận tin báo; ai không còn vai trò nào bị hủy đăng ký với bot."
        )
    return [*lines, f"Kiểm tra kế hoạch ở trên rồi áp dụng: {command} --yes"]


def _role(change: RoleChange) -> str:
    word = _ROLE_WORDS.get(change.role, change.role)
    return f"{change.full_name} ({word}{' ' + change.code if change.code else ''})"


def _add(lines: list[str], verb: str, noun: str, items: Sequence[str]) -> None:
    if not items:
        return
    shown = "; ".join(items[:SHOWN])
    more = f" … (+{len(items) - SHOWN:,})" if len(items) > SHOWN else ""
    lines.append(f"  {verb} {len(items):,} {noun}: {shown}{more}")
