"""The demo's scene of a registration approval with a conflict: a newcomer whose phone the
roster does not have gives a full name and asks to chair a unit whose roster already names
another chair; the officer is shown both and keeps the roster's chair."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.runtime import BotRuntime

if TYPE_CHECKING:  # the demo imports this module, so only the type comes from it
    from bot.demo import Actor


async def approval_scene(bot: BotRuntime, officer: Actor, newcomer: Actor) -> None:
    """Raises if the officer is not asked which chair is right."""
    newcomer.out("\n🆕 Một người chưa có trong danh sách xin làm chủ tịch CĐCS Công ty Chè")
    await newcomer.share_phone("0987 654 321")
    await newcomer.say("Hoàng Văn Mới")
    await newcomer.say("cong ty che tam duong")
    sent = officer.server.state.sent
    before = len(sent(officer.user_id))
    await bot.dispatch_now()
    request = (await officer.server.state.wait_for_sent(officer.user_id, before + 1))[before]
    officer.show(request)
    conflict = await officer.press(request, "✅ Duyệt")
    if "Danh sách đang ghi chủ tịch" not in (conflict.text or ""):
        raise RuntimeError("approving did not show the chair the roster already names")
    await officer.press(conflict, "Giữ Vàng A Chư")
    before = len(sent(newcomer.user_id))
    await bot.dispatch_now()
    told = (await newcomer.server.state.wait_for_sent(newcomer.user_id, before + 1))[before]
    newcomer.show(told)
