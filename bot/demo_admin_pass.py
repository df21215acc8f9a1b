"""The demo's scene of the administrator steering a district's task (docs/passing-down.md,
«For another unit»): an administrator who runs no unit gives the province a task, lists the
district's tasks by its name typed without diacritics, passes the new one down to the
district's CĐCS and reports it up, each command naming the district."""

from __future__ import annotations

from collections.abc import Callable

from bot.demo_pass_down import appoint_quietly
from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from storage.models import Role

ADMINISTRATOR = ("Quản Trị Viên", "0912000005")


async def admin_pass_scene(
    server: SandboxServer, bot: BotRuntime, clock: ManualClock, out: Callable[[str], None]
) -> None:
    """Runs after `bot.demo_pass_down`: the district LDLD-TU has its CĐCS below it."""
    from bot.demo import Actor  # the demo module imports this one at its top

    out("\n🛠️ Quản trị hệ thống giao xuống và báo cáo lên thay cho một huyện")
    _appoint_administrator(bot, clock)
    admin = Actor(server, 91, f"{ADMINISTRATOR[0]} (quản trị hệ thống)", out)
    await admin.share_phone("0912 000 005")
    await admin.say("/giaoviec LDLD-LC 21/12/2026 Gửi danh sách đoàn viên mới kết nạp")
    given = await admin.press(server.state.sent(admin.user_id)[-1], "✅ Giao việc")
    if "cho 1 đơn vị thuộc LĐLĐ tỉnh Lai Châu" not in (given.text or ""):
        raise RuntimeError("the administrator's task did not reach the district")
    listing = await admin.say("/giaoxuong huyen tam duong")
    if "⬇️ Việc của LĐLĐ huyện Tam Đường có thể giao xuống:" not in listing:
        raise RuntimeError("the administrator does not see the district's tasks")
    number = _number_of(listing, "hạn 21/12/2026")
    await admin.say(f"/giaoxuong LDLD-TU {number}")
    preview = server.state.sent(admin.user_id)[-1]
    done = await admin.press(preview, "✅ Xác nhận giao")
    if "✅ Đã giao xuống" not in (done.text or ""):
        raise RuntimeError("the administrator could not pass the district's task down")
    report = await admin.say(f"/baocaolen LDLD-TU {number}")
    if "Báo cáo lên: 0/3 CĐCS xong" not in report:
        raise RuntimeError("the administrator's report up does not carry the CĐCS' figures")


def _number_of(listing: str, due: str) -> str:
    """The number `/giaoxuong` gave the task due on that day («2. Việc số 4 — hạn …»)."""
    for line in listing.splitlines():
        number, dot, rest = line.partition(". ")
        if dot and number.isdecimal() and due in rest:
            return number
    raise RuntimeError(f"no task {due} in the district's list")


def _appoint_administrator(bot: BotRuntime, clock: ManualClock) -> None:
    """What the roster's «quản trị» row would do: an administrator who runs no unit."""
    appoint_quietly(bot, clock, ADMINISTRATOR, unit_id=None, role=Role.ADMIN)
