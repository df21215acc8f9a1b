"""`/thuhoi CODE`: an officer revokes an invite code of their branch (lost, or handed to the
wrong person). A code outside the branch is answered like an unknown one."""

from __future__ import annotations

import logging

from handlers.context import Turn
from handlers.messages import Outgoing
from storage import invites, units

log = logging.getLogger(__name__)

USAGE = "Cách dùng: /thuhoi MÃ_MỜI (ví dụ: /thuhoi ABCD234567)"


def on_revoke(turn: Turn, argument: str) -> list[Outgoing]:
    """Revoke the code if its unit is within the officer's scope; nothing changes otherwise."""
    if not argument.strip():
        return [Outgoing(USAGE)]
    code = argument.split()[0][:32]
    invite = invites.find_invite(turn.session, code=code)
    standing = turn.standing
    in_scope = (
        invite is not None
        and standing is not None
        and (
            standing.is_admin
            or units.is_within(
                turn.session, unit_id=invite.unit_id, root_ids=standing.officer_unit_ids
            )
        )
    )
    if invite is None or not in_scope:
        return [Outgoing(f"Không có mã mời «{code}» trong phạm vi anh/chị phụ trách.")]
    unit = units.get_unit(turn.session, unit_id=invite.unit_id)
    if invite.used_at is not None:
        return [
            Outgoing(
                f"Mã mời {invite.code} đã được dùng nên không thu hồi được. Nếu người đăng ký "
                "không đúng, anh/chị cập nhật danh sách để thay chủ tịch."
            )
        ]
    invites.revoke_invite(turn.session, code=invite.code, now=turn.now)
    log.info("invite %s revoked by person %s", invite.id, turn.person.id if turn.person else None)
    name = unit.name if unit is not None else ""
    return [Outgoing(f"Đã thu hồi mã mời {invite.code} của {name}. Mã này không dùng được nữa.")]
