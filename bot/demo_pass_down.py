"""The demo's scene of work down the tree and back up (docs/passing-down.md): the province's
officer gives a task to the district; the district's officer passes it down to the three CĐCS
with an earlier deadline, two report done, and the district reports up in one step; the
province's `/tonghop` shows the district's report beside «2/3»."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock
from schedules.phones import normalize_phone
from storage import people, units
from storage.models import Role
from storage.weekly_summary import set_weekly_summary

if TYPE_CHECKING:  # bot.demo calls this scene; its actors are typed from there
    from bot.demo import Actor

PROVINCE_OFFICER = ("Trần Thị Hoa", "0912000001")


async def pass_down_scene(
    server: SandboxServer,
    bot: BotRuntime,
    clock: ManualClock,
    officer: Actor,
    chairs: list[Actor],
    out: Callable[[str], None],
) -> None:
    """`officer` is the district's; `chairs` two of its CĐCS chairs, on Telegram."""
    from bot.demo import Actor  # the demo module imports this one at its top

    out("\n⬇️ Việc từ tỉnh xuống huyện, huyện giao xuống CĐCS và báo cáo lên")
    _appoint_province_officer(bot, clock)
    province = Actor(server, 90, f"{PROVINCE_OFFICER[0]} (cán bộ LĐLĐ tỉnh)", out)
    await province.share_phone("0912 000 001")
    await province.say("/giaoviec 18/12/2026 Báo cáo sơ kết công tác tuyên truyền")
    given = await province.press(server.state.sent(province.user_id)[-1], "✅ Giao việc")
    if "cho 1 đơn vị thuộc LĐLĐ tỉnh Lai Châu" not in (given.text or ""):
        raise RuntimeError("the province's task did not reach the district")
    await officer.say("/giaoxuong")
    await officer.say("/giaoxuong 1")
    preview = server.state.sent(officer.user_id)[-1]
    await officer.press(preview, "✅ Xác nhận giao")
    await chairs[0].say("xong")
    await chairs[1].say("việc 4 xong")
    report = await officer.say("/baocaolen 1")
    if "Báo cáo lên: 2/3 CĐCS xong" not in report:
        raise RuntimeError("the district's report does not carry its CĐCS' figures")
    summary = await province.say("/tonghop")
    if "⬇️ LĐLĐ huyện Tam Đường: 2/3 đơn vị trực thuộc xong" not in summary:
        raise RuntimeError("the province's summary does not show the district's report")


def _appoint_province_officer(bot: BotRuntime, clock: ManualClock) -> None:
    """What an administrator's roster would do: the province's officer, who reads her
    summaries on demand."""
    assert bot.db is not None
    with bot.db.session() as session:
        province = units.get_unit_by_code(session, code="LDLD-LC")
        assert province is not None and province.id is not None
    appoint_quietly(bot, clock, PROVINCE_OFFICER, unit_id=province.id, role=Role.OFFICER)


def appoint_quietly(
    bot: BotRuntime, clock: ManualClock, who: tuple[str, str], *, unit_id: int | None, role: Role
) -> None:
    """Add a person (name, phone) with a role, their weekly summary off, so that the weekly
    scene's officer stays the only one to get it."""
    assert bot.db is not None
    name, phone = who
    with bot.db.session() as session:
        person = people.add_person(
            session, full_name=name, phone=normalize_phone(phone), now=clock.now()
        )
        assert person.id is not None
        people.appoint(session, person_id=person.id, unit_id=unit_id, role=role, now=clock.now())
        set_weekly_summary(session, person_id=person.id, on=False)
