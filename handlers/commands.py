"""Every command the bot knows, in one registry: its name, who may use it, what runs it, and
how the platform's menu and /trogiup show it. A new command is one entry of `COMMANDS`.

The router asks `run` for a command; `menu_entries` feeds the platform's command menu (built
in `bot.command_menu`); `help_text` answers /trogiup with what the person asking may use.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from handlers import (
    answers,
    broadcast,
    indicators,
    invite_codes,
    officer,
    pass_down,
    registration,
    report_up,
    summary_command,
    task_changes,
    unbind,
    weekly_command,
)
from handlers.context import Turn
from handlers.messages import Outgoing
from handlers.texts import (
    HELP_ADMIN_TIPS,
    HELP_CHAIR_HEADING,
    HELP_CHAIR_TIPS,
    HELP_OFFICER_HEADING,
    HELP_OFFICER_TIPS,
    NOT_ALLOWED,
    NOT_ALLOWED_ADMIN,
    NOT_ALLOWED_CHAIR,
    NOT_REGISTERED,
    UNKNOWN_COMMAND,
)
from storage.people import Standing

log = logging.getLogger(__name__)

CommandHandler = Callable[[Turn, str], list[Outgoing]]


class Access(StrEnum):
    """Who may use a command, from the person's standing (`storage.people.Standing`)."""

    ANYONE = "anyone"  # even an account not registered yet
    REGISTERED = "registered"  # bound to a person of the roster, whatever their roles
    CHAIR = "chair"  # answers for a unit now: its chair, or an officer of it (storage.answerers)
    OFFICER = "officer"  # runs a branch, or administers (an administrator is an officer)
    ADMINISTRATOR = "administrator"


# The answer to a registered person whose standing does not reach the command.
REFUSALS = {
    Access.CHAIR: NOT_ALLOWED_CHAIR,
    Access.OFFICER: NOT_ALLOWED,
    Access.ADMINISTRATOR: NOT_ALLOWED_ADMIN,
}
# Marks a command in the platform's menu, which everyone sees alike.
MENU_MARKS = {
    Access.CHAIR: " (chủ tịch)",
    Access.OFFICER: " (cán bộ)",
    Access.ADMINISTRATOR: " (quản trị)",
}


@dataclass(frozen=True, slots=True)
class Command:
    """One command. `description` is one Vietnamese line for the menu and /trogiup;
    `usage` shows its arguments in /trogiup (default `/name`), `example` a line under it."""

    name: str
    handler: CommandHandler
    access: Access
    description: str
    usage: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    in_menu: bool = True
    in_help: bool = True

    def help_line(self) -> str:
        line = f"• {self.usage or '/' + self.name} — {self.description[:1].lower()}"
        line += self.description[1:]
        return f"{line}\n  {self.example}" if self.example else line


def may_use(access: Access, standing: Standing | None) -> bool:
    """The one place that says who may use what."""
    if access == Access.ANYONE:
        return True
    if standing is None:
        return False
    if access == Access.CHAIR:
        return bool(standing.answering_unit_ids)
    if access == Access.OFFICER:
        return standing.is_officer
    if access == Access.ADMINISTRATOR:
        return standing.is_admin
    return True  # registered


def _on_help(turn: Turn, argument: str) -> list[Outgoing]:
    return [Outgoing(help_text(turn.standing))]


# In the order /trogiup lists them (the platform's menu keeps it too).
COMMANDS: tuple[Command, ...] = (
    Command("start", registration.on_start, Access.ANYONE, "Đăng ký / bắt đầu", in_help=False),
    Command("viec", answers.on_my_tasks, Access.CHAIR, "Xem các việc đang chờ báo cáo"),
    Command(
        "toi", registration.on_who_am_i, Access.REGISTERED, "Xem bot đang ghi nhận anh/chị là ai"
    ),
    Command(
        "giaoviec",
        officer.on_give_task,
        Access.OFFICER,
        "Giao việc có hạn cho các đơn vị trực thuộc",
        usage="/giaoviec [MÃ hoặc tên đơn vị] dd/mm[/yyyy] [hh:mm] Nội dung",
    ),
    Command(
        "suaviec",
        task_changes.on_change,
        Access.OFFICER,
        "Sửa nội dung hoặc hạn của một việc đã giao",
        usage="/suaviec SỐ_VIỆC Nội dung mới | hạn dd/mm [hh:mm]",
        example="(ví dụ: /suaviec 12 hạn 20/12 10:00)",
    ),
    Command(
        "giahan",
        task_changes.on_extend,
        Access.OFFICER,
        "Gia hạn một việc cho một số đơn vị",
        usage="/giahan SỐ_VIỆC dd/mm [hh:mm] [MÃ_ĐƠN_VỊ …]",
        example="(ví dụ: /giahan 12 27/12 CDCS-01 CDCS-02)",
    ),
    Command(
        "huyviec",
        task_changes.on_cancel,
        Access.OFFICER,
        "Hủy một việc đã giao",
        usage="/huyviec SỐ_VIỆC",
    ),
    Command(
        "dongviec",
        task_changes.on_close,
        Access.OFFICER,
        "Kết thúc một việc (thôi nhắc, giữ báo cáo)",
        usage="/dongviec SỐ_VIỆC",
    ),
    Command(
        "giaoxuong",
        pass_down.on_command,
        Access.OFFICER,
        "Giao xuống đơn vị trực thuộc một việc đơn vị mình được giao",
        usage="/giaoxuong [ĐƠN_VỊ] [SỐ] [tất cả | cấp CẤP | MÃ …] [dd/mm[/yyyy]]",
        example="(ví dụ: /giaoxuong 1 cấp CĐCS 12/12/2026; /giaoxuong LDLD-TU 1)",
    ),
    Command(
        "baocaolen",
        report_up.on_command,
        Access.OFFICER,
        "Báo cáo lên cấp trên một việc đã giao xuống, kèm số liệu của đơn vị trực thuộc",
        usage="/baocaolen [ĐƠN_VỊ] SỐ [xong]",
    ),
    Command(
        "moi",
        officer.on_invite,
        Access.OFFICER,
        "Lấy mã mời cho chủ tịch một đơn vị",
        usage="/moi MÃ_ĐƠN_VỊ",
    ),
    Command(
        "thuhoi",
        invite_codes.on_revoke,
        Access.OFFICER,
        "Thu hồi một mã mời chưa dùng",
        usage="/thuhoi MÃ_MỜI",
    ),
    Command(
        "tonghop",
        summary_command.on_summary,
        Access.OFFICER,
        "Tổng hợp tình hình thực hiện",
        usage="/tonghop [SỐ_VIỆC | CV SỐ | MÃ_ĐƠN_VỊ]",
        example="(ví dụ: /tonghop 12; /tonghop CV 490; /tonghop 490/LĐLĐ mục 3; /tonghop CDCS-01)",
    ),
    Command(
        "thongbao",
        broadcast.on_command,
        Access.OFFICER,
        "Gửi thông báo (kèm ảnh/tệp: ghi lệnh vào chú thích) tới các đơn vị; "
        "không kèm nội dung: xem các thông báo đã gửi",
        usage="/thongbao [Nội dung]",
        example="(ví dụ: /thongbao Họp giao ban lúc 8h thứ Hai tại hội trường LĐLĐ)",
    ),
    Command(
        "tuantong",
        weekly_command.on_weekly,
        Access.OFFICER,
        "Bản tin tổng hợp tuần (kèm biểu đồ, Excel); tắt/bật gửi hằng tuần",
        usage="/tuantong [tat | bat]",
    ),
    Command(
        "chitieu",
        indicators.on_set_indicator,
        Access.OFFICER,
        "Đặt chỉ tiêu có số liệu cho một việc",
        usage="/chitieu SỐ_VIỆC Tên chỉ tiêu | đơn vị",
        example="(ví dụ: /chitieu 12 Số đoàn viên kết nạp mới | người; "
        "/chitieu 490/LĐLĐ mục 3 … cho mục của văn bản)",
    ),
    Command("trogiup", _on_help, Access.ANYONE, "Các lệnh", aliases=("help",), in_help=False),
    Command(
        "huy",
        unbind.on_unbind,
        Access.REGISTERED,
        "Hủy đăng ký tài khoản này (bot hỏi lại trước khi hủy)",
        in_menu=False,
    ),
)


def find(name: str) -> Command | None:
    """The command called `name` or one of its aliases."""
    for command in COMMANDS:
        if name == command.name or name in command.aliases:
            return command
    return None


def run(turn: Turn, name: str, argument: str) -> list[Outgoing]:
    """Run a command if the sender may use it; otherwise say why not."""
    command = find(name)
    registered = turn.person is not None and turn.standing is not None
    if command is not None and command.access == Access.ANYONE:
        return command.handler(turn, argument)
    if not registered:
        return [Outgoing(NOT_REGISTERED, ask_contact=True)]
    if command is None:
        return [Outgoing(UNKNOWN_COMMAND.format(name=name[:30]))]
    if not may_use(command.access, turn.standing):
        log.info("%s command /%s refused for account %s", command.access, name, turn.account.id)
        return [Outgoing(REFUSALS[command.access].format(name=command.name))]
    return command.handler(turn, argument)


def names_for(access: Access) -> list[str]:
    """The names of the commands of one access (aliases left out)."""
    return [command.name for command in COMMANDS if command.access == access]


def menu_entries() -> list[tuple[str, str]]:
    """(name, description) of the commands in the platform's menu, in the registry's order;
    a command not for everyone says for whom."""
    return [
        (command.name, command.description + MENU_MARKS.get(command.access, ""))
        for command in COMMANDS
        if command.in_menu
    ]


def help_text(standing: Standing | None) -> str:
    """/trogiup for this person: the sections of their roles, each with the commands of the
    registry they may use. A person with no role gets the chair's section (what the bot is
    for); the commands for everyone registered go with the chair's section when it is shown,
    otherwise with the officer's."""
    if standing is None:
        return NOT_REGISTERED
    shown = [c for c in COMMANDS if c.in_help and may_use(c.access, standing)]
    common = [c.help_line() for c in shown if c.access in (Access.ANYONE, Access.REGISTERED)]
    sections = []
    chair_section = bool(standing.chaired_unit_ids) or not standing.is_officer
    if chair_section:
        chair = [c.help_line() for c in shown if c.access == Access.CHAIR]
        sections.append([HELP_CHAIR_HEADING, *HELP_CHAIR_TIPS, *chair, *common])
    if standing.is_officer:
        rights = (Access.OFFICER, Access.ADMINISTRATOR)
        officer_lines = [c.help_line() for c in shown if c.access in rights]
        more = [] if chair_section else common
        tips = (*HELP_OFFICER_TIPS, *(HELP_ADMIN_TIPS if standing.is_admin else ()))
        sections.append([HELP_OFFICER_HEADING, *tips, *officer_lines, *more])
    return "\n\n".join("\n".join(section) for section in sections)
