"""`nhacviec invite --unit CODE`: an invite code from the command line (to appoint the first
officers, or for chairs who are not in the roster); `nhacviec invite --revoke CODE` revokes one."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.engine import Database

# The values of `storage.models.Role` an invite may carry; spelled out so that building the
# parser does not load the models (and SQLAlchemy). `_invite` turns the choice into a Role.
INVITE_ROLES = ("chair", "officer")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "invite",
        help="create an invite code for a unit",
        description="Create a single-use invite code that binds whoever sends /start CODE.",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--unit", metavar="CODE", help="the unit's code")
    target.add_argument(
        "--revoke",
        metavar="INVITE",
        help="revoke this invite code instead (lost, or handed out wrongly)",
    )
    parser.add_argument(
        "--role",
        choices=INVITE_ROLES,
        default=INVITE_ROLES[0],
        help="chair of the unit (default) or officer of its branch",
    )
    parser.add_argument("--days", type=int, default=30, help="days until it expires (default 30)")
    parser.set_defaults(handler=_invite)


def _invite(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load SQLAlchemy.
    from bot.commands.common import load_settings, open_database
    from schedules.clock import SystemClock
    from schedules.wording import format_date
    from storage import invites, units
    from storage.models import Role

    settings = load_settings()
    if settings is None:
        return 2
    with open_database(settings) as db:
        if args.revoke:
            return _revoke(db, args.revoke)
        with db.session() as session:
            unit = units.get_unit_by_code(session, code=args.unit)
            if unit is None or unit.id is None or unit.archived_at is not None:
                print(f"Không có đơn vị mã «{args.unit}».", file=sys.stderr)
                return 1
            invite = invites.create_invite(
                session,
                unit_id=unit.id,
                created_by_person_id=None,
                now=SystemClock().now(),
                role=Role(args.role),
                ttl=timedelta(days=args.days),
            )
            expires = format_date(invite.expires_at, settings.zone)
            print(f"{invite.code}  ({unit.name}, hết hạn {expires})")
    return 0


def _revoke(db: Database, code: str) -> int:
    from schedules.clock import SystemClock
    from storage import invites

    with db.session() as session:
        invite = invites.revoke_invite(session, code=code, now=SystemClock().now())
        if invite is None:
            print(f"Không có mã mời «{code}».", file=sys.stderr)
            return 1
        used = " (mã này đã được dùng; người đã đăng ký vẫn giữ đăng ký)" if invite.used_at else ""
        print(f"Đã thu hồi mã mời {invite.code}{used}.")
    return 0
