"""`nhacviec invites --unit CODE --out FILE.pdf|.png`: a printable sheet with a fresh invite
code, its QR code and deep link for every unit of a branch whose chair has not registered."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "invites",
        help="print a sheet of invite QR codes for a branch",
        description=(
            "Create a single-use invite code for every unit of the branch CODE (the unit and "
            "all units below it) whose chair has not registered with the bot yet, and write "
            "a sheet to print: one card per unit with a QR code, the deep link "
            "https://t.me/BOT?start=CODE and the code itself. With the Zalo bot's link "
            "(--zalo or NHACVIEC_ZALO_BOT_LINK) each card also has its QR code and the line "
            "`MA CODE` to send on Zalo; with that link alone, the sheet is for Zalo only. "
            "Earlier codes stay valid."
        ),
    )
    parser.add_argument("--unit", required=True, metavar="CODE", help="the branch's top unit")
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE", help="the sheet: .pdf (A4) or .png"
    )
    parser.add_argument(
        "--bot",
        metavar="USERNAME",
        help="the bot's Telegram username (default: NHACVIEC_BOT_USERNAME)",
    )
    parser.add_argument(
        "--zalo",
        metavar="URL",
        help="the Zalo bot's public link (default: NHACVIEC_ZALO_BOT_LINK)",
    )
    parser.add_argument(
        "--all", action="store_true", help="every unit, also those whose chair registered"
    )
    parser.add_argument("--days", type=int, default=30, help="days until the codes expire")
    parser.add_argument("--font", type=Path, help="a .ttf font with Vietnamese letters")
    parser.set_defaults(handler=_invites)


def _invites(args: argparse.Namespace) -> int:
    # Imported here so that building the parser does not load SQLAlchemy and the handlers.
    from bot.commands.common import load_settings, open_database
    from handlers.context import deep_link
    from schedules.clock import SystemClock
    from schedules.invite_sheet import SUFFIXES, Card, write_sheet
    from schedules.wording import format_date
    from storage import invites, units

    if args.out.suffix.lower() not in SUFFIXES:
        print(f"Không ghi được {args.out.name}: chỉ hỗ trợ .pdf hoặc .png.", file=sys.stderr)
        return 1
    if args.days < 1:
        print("--days phải từ 1 trở lên.", file=sys.stderr)
        return 1
    settings = load_settings()
    if settings is None:
        return 2
    bot = (args.bot or settings.bot_username).strip().lstrip("@")
    zalo = (args.zalo or settings.zalo_bot_link).strip()
    if not bot and not zalo:
        print(
            "Thiếu tên bot cho đường dẫn: dùng --bot TÊN_BOT hoặc NHACVIEC_BOT_USERNAME "
            "(Telegram), --zalo ĐƯỜNG_DẪN hoặc NHACVIEC_ZALO_BOT_LINK (Zalo).",
            file=sys.stderr,
        )
        return 1
    if zalo and not zalo.startswith(("https://", "http://")):
        print(f"Đường dẫn Zalo «{zalo}» phải bắt đầu bằng https://.", file=sys.stderr)
        return 1
    try:
        with open_database(settings) as db, db.session() as session:
            root = units.get_unit_by_code(session, code=args.unit)
            if root is None or root.id is None or root.archived_at is not None:
                print(f"Không có đơn vị mã «{args.unit}».", file=sys.stderr)
                return 1
            ids = units.subtree_ids(session, root_id=root.id)
            if not args.all:
                bound = invites.units_with_bound_chair(session, unit_ids=ids)
                ids = [unit_id for unit_id in ids if unit_id not in bound]
            now = SystemClock().now()
            cards = []
            for unit in units.units_by_ids(session, unit_ids=ids):
                assert unit.id is not None
                invite = invites.create_invite(
                    session,
                    unit_id=unit.id,
                    created_by_person_id=None,
                    now=now,
                    ttl=timedelta(days=args.days),
                )
                cards.append(
                    Card(
                        unit_code=unit.code,
                        unit_name=unit.name,
                        code=invite.code,
                        link=deep_link(bot, invite.code) if bot else "",
                        expires=format_date(invite.expires_at, settings.zone),
                        zalo_link=zalo,
                    )
                )
            if not cards:
                print(f"Mọi đơn vị thuộc {root.name} đã có chủ tịch đăng ký; không cần mã mời.")
                return 0
            # Written before the codes are committed: a sheet that fails leaves no codes.
            write_sheet(args.out, cards, font=args.font)
    except OSError as error:
        print(f"Không ghi được {args.out}: {error.strerror or error}.", file=sys.stderr)
        return 1
    print(f"Đã ghi {args.out.name}: {len(cards)} mã mời cho các đơn vị thuộc {root.name}.")
    return 0
