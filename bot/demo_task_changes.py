"""The demo's scene of tasks that change (docs/task-changes.md): the officer extends task 1
for the Zalo chair's unit only, and gives then cancels a second task; each change is
previewed and confirmed, and the chairs concerned are told once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.runtime import BotRuntime
from bot.sandbox import SandboxServer
from schedules.clock import ManualClock

if TYPE_CHECKING:  # the demo's actors; imported at run time by bot.demo, which calls this
    from bot.demo import Actor, Print, ZaloActor


async def task_changes_scene(
    server: SandboxServer,
    bot: BotRuntime,
    clock: ManualClock,
    officer: Actor,
    chairs: list[Actor],
    zalo_chair: ZaloActor,
    out: Print,
) -> None:
    """Extend Việc số 1 for CDCS-03 (the Zalo chair), then give and cancel Việc số 2."""
    out("\n✏️ Cán bộ gia hạn việc 1 cho một đơn vị, rồi hủy một việc giao nhầm")
    clock.advance(timedelta(minutes=10))
    await officer.say("/giahan 1 17/12 CDCS-03")
    await officer.press(server.state.sent(officer.user_id)[-1], "✅ Xác nhận")
    await _deliver(server, bot, clock, [], zalo_chair, "Gia hạn")
    await officer.say("/giaoviec 18/12 Gửi danh sách đoàn viên kết nạp mới")
    await officer.press(server.state.sent(officer.user_id)[-1], "✅ Giao việc")
    await officer.say("/huyviec 2")
    await officer.press(server.state.sent(officer.user_id)[-1], "✅ Xác nhận")
    await _deliver(server, bot, clock, chairs, zalo_chair, "Đã hủy việc")


async def _deliver(
    server: SandboxServer,
    bot: BotRuntime,
    clock: ManualClock,
    chairs: list[Actor],
    zalo_chair: ZaloActor,
    words: str,
) -> None:
    """Dispatch until every chair here has the message with `words`, and show it."""
    telegram = {actor: len(server.state.sent(actor.user_id)) for actor in chairs}
    zalo = len(server.state.zalo.sent(zalo_chair.user_id))
    for _ in range(30):
        await bot.dispatch_now()
        arrived = all(
            any(words in (m.text or "") for m in server.state.sent(a.user_id)[telegram[a] :])
            for a in chairs
        ) and any(
            words in (m.text or "") for m in server.state.zalo.sent(zalo_chair.user_id)[zalo:]
        )
        if arrived:
            break
        clock.advance(timedelta(seconds=5))
        await asyncio.sleep(0.5)  # the sandbox's per-chat allowance refills on the real clock
    else:
        raise RuntimeError(f"a chair did not get «{words}»")
    for actor in chairs:
        for message in server.state.sent(actor.user_id)[telegram[actor] :]:
            actor.show(message)
    for zalo_message in server.state.zalo.sent(zalo_chair.user_id)[zalo:]:
        zalo_chair.show(zalo_message.text or "")
