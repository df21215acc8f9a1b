"""`/thongbao`: an officer sends a notice to part of their branch.

    /thongbao Nội dung      → a draft; the officer picks who gets it (buttons or words),
                              sees the preview (recipients, units with no reachable chair),
                              and confirms; the notices go out through the outbox.
    /thongbao               → the officer's recent notices: sent and acknowledged counts,
                              who has not acknowledged, stop one that is still sending.

The draft lives in the database (a `broadcasts` row in state draft, and the account's
conversation state with the audience chosen), so a restart in the middle loses nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from handlers import broadcast_audience as audience
from handlers.context import Turn
from handlers.messages import Choice, Outgoing
from handlers.scope import home_unit
from handlers.states import State
from schedules.broadcast_report import settle, snippet
from schedules.button_prefixes import ButtonPrefix
from schedules.folding import fold
from schedules.wording import format_moment
from storage import broadcast_audience, broadcasts, conversations
from storage.models import Broadcast, BroadcastState, ConversationState

log = logging.getLogger(__name__)

MAX_NOTICE = 4000  # the platform's 4,096 less the notice's heading and footer
MAX_HEADING_NAME = 40
RECENT = 5
ACK_LABEL = "✅ Đã nhận"
CONFIRM_WORDS = {"gui", "ok", "co", "dong y", "xac nhan", "gui di"}
CANCEL_WORDS = {"huy", "khong", "thoi", "bo"}
SHOW_WORDS = {"xem", "xem don vi", "xem cac don vi", "xem cac don vi do"}  # without buttons
USAGE = "Gửi thông báo: /thongbao Nội dung thông báo"
GONE = "Không tìm thấy thông báo này."


def on_command(turn: Turn, argument: str) -> list[Outgoing]:
    """`/thongbao [text]`: a new notice with text, the recent ones without."""
    if not argument.strip():
        return [recent_notices(turn)]
    return start_draft(turn, argument.strip())


def start_draft(turn: Turn, text: str) -> list[Outgoing]:
    """Keep the notice as a draft and ask who gets it; too long a notice changes nothing."""
    if len(text) > MAX_NOTICE:
        return [
            Outgoing(
                f"Thông báo dài {len(text):,} ký tự, quá giới hạn {MAX_NOTICE:,} ký tự. "
                "Anh/chị rút gọn hoặc chia thành nhiều thông báo.".replace(",", ".")
            )
        ]
    assert turn.person is not None and turn.person.id is not None
    draft = broadcasts.create_draft(
        turn.session,
        person_id=turn.person.id,
        account_id=_account_id(turn),
        text=text,
        now=turn.now,
    )
    levels = broadcast_audience.levels_below(turn.session, root_ids=audience.roots(turn))
    _save(turn, State.BROADCAST_AUDIENCE, draft, levels=levels, spec=None)
    return [ask_audience(draft, levels)]


def ask_audience(draft: Broadcast, levels: list[str]) -> Outgoing:
    key = draft.id
    rows: list[tuple[Choice, ...]] = [
        (Choice("Mọi đơn vị trực thuộc", _data("all", key)),),
        *(
            (Choice(f"Các đơn vị cấp {name}"[:60], _data("lvl", key, index)),)
            for index, name in enumerate(levels[:6])
        ),
        (
            Choice("Đơn vị chưa xong một việc", _data("late", key)),
            Choice("✖️ Hủy", _data("no", key)),
        ),
    ]
    return Outgoing(
        f"Thông báo «{snippet(draft.text)}» sẽ gửi cho ai?\n{audience.USAGE}", choices=tuple(rows)
    )


def on_text_state(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """The notice's text, after «Soạn thông báo mới»."""
    text = (turn.incoming.text or "").strip()
    if not text:
        return [Outgoing("Anh/chị gửi nội dung thông báo bằng tin nhắn chữ.")]
    if fold(text) in CANCEL_WORDS:
        conversations.clear_state(turn.session, account_id=_account_id(turn))
        return [Outgoing("Đã hủy soạn thông báo.")]
    return start_draft(turn, text)


def on_audience_state(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """Words that choose the audience (or confirm / cancel once it is chosen)."""
    draft = _draft_of(turn, state)
    if draft is None:
        return [Outgoing(f"Bản nháp thông báo không còn. {USAGE}")]
    words = " ".join(fold(turn.incoming.text or "").split()).strip(" .!")
    if words in CANCEL_WORDS:
        return _drop(turn, draft)
    if state.name == State.BROADCAST_CONFIRM and words in CONFIRM_WORDS:
        return send(turn, draft, state.data.get("spec"))
    if state.name == State.BROADCAST_CONFIRM and words in SHOW_WORDS:
        return [_unreached(turn, state.data["spec"])]
    levels: list[str] = state.data.get("levels", [])
    spec, problem = audience.read_words(turn, turn.incoming.text or "", levels)
    if spec is None:
        return [Outgoing(problem or audience.USAGE)]
    return preview(turn, draft, spec, levels)


def preview(turn: Turn, draft: Broadcast, spec: audience.Spec, levels: list[str]) -> list[Outgoing]:
    """The number of recipients and of units nobody can be reached at; nothing sent yet."""
    found = audience.resolve(turn, spec)
    if not found.units:
        return [
            Outgoing(
                f"Không có đơn vị nào thuộc «{spec['label']}». Anh/chị chọn người nhận khác.",
                choices=ask_audience(draft, levels).choices,
            )
        ]
    _save(turn, State.BROADCAST_CONFIRM, draft, levels=levels, spec=spec)
    key = draft.id
    lines = [
        f"Xem trước thông báo «{snippet(draft.text)}»",
        f"Người nhận: {spec['label']} — {found.units} đơn vị.",
        f"Sẽ gửi tới {len(found.recipients)} chủ tịch.",
    ]
    rows: list[tuple[Choice, ...]] = [
        (Choice("✅ Gửi", _data("ok", key)), Choice("✖️ Hủy", _data("no", key)))
    ]
    if found.no_account_unit_ids:
        lines.append(
            f"{len(found.no_account_unit_ids)} đơn vị chưa có chủ tịch nhận được tin "
            "(chưa đăng ký với bot hoặc đã chặn bot)."
        )
        rows.append((Choice("Xem các đơn vị đó", _data("none", key)),))
        lines.append("Xem các đơn vị đó: bấm nút hoặc trả lời «xem».")
    rows.append((Choice("Chọn lại người nhận", _data("back", key)),))
    lines.append("Anh/chị bấm «Gửi» (hoặc trả lời «gửi») để gửi, «hủy» để bỏ.")
    return [Outgoing("\n".join(lines), choices=tuple(rows))]


def send(turn: Turn, draft: Broadcast, spec: audience.Spec | None) -> list[Outgoing]:
    """Put one notice per recipient in the outbox and leave the conversation."""
    if spec is None:
        return [Outgoing(f"Anh/chị chưa chọn người nhận.\n{audience.USAGE}")]
    found = audience.resolve(turn, spec)
    if not found.recipients:
        return [
            Outgoing(
                "Chưa có chủ tịch nào trong số người nhận đã chọn nhận được tin từ bot; "
                "thông báo chưa gửi. Anh/chị chọn người nhận khác, hoặc mời họ bằng /moi."
            )
        ]
    planned = broadcasts.launch(
        turn.session,
        broadcast=draft,
        audience=found,
        scope=str(spec["label"]),
        message_text=notice_text(turn, draft.text),
        choices=[[{"label": ACK_LABEL, "data": f"{ButtonPrefix.BROADCAST_ACK}:{draft.id}"}]],
        now=turn.now,
    )
    conversations.clear_state(turn.session, account_id=_account_id(turn))
    turn.outbox_changed()
    log.info("broadcast %s: %s notices planned for %s units", draft.id, planned, found.units)
    return [
        Outgoing(
            f"Đang gửi thông báo số {draft.id} tới {len(found.recipients)} chủ tịch "
            f"({spec['label']}). Khi gửi xong, bot báo kết quả cho anh/chị.",
            choices=((Choice("⏹ Dừng gửi", _data("stop", draft.id)),),),
        )
    ]


def notice_text(turn: Turn, text: str) -> str:
    """The notice as a chair reads it: who sends it, the text, how to acknowledge it."""
    unit = home_unit(turn)
    sender = unit.name if unit is not None else "cán bộ công đoàn"
    if len(sender) > MAX_HEADING_NAME:
        sender = sender[: MAX_HEADING_NAME - 1].rstrip() + "…"
    return f"📢 Thông báo của {sender}:\n\n{text}\n\nBấm «{ACK_LABEL}» hoặc trả lời «đã nhận»."


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """An officer's button on a draft or a sent notice: `bc:{action}:{id}[:{index}]`."""
    action, _, tail = rest.partition(":")
    key, _, extra = tail.partition(":")
    if turn.person is None or not _is_officer(turn):
        return [Outgoing(GONE)]
    if action == "new":
        _set_state(turn, State.BROADCAST_TEXT, {})
        return [Outgoing("Anh/chị gửi nội dung thông báo (tối đa 4.000 ký tự).")]
    if not key.isdigit():
        return [Outgoing(GONE)]
    found = broadcasts.get(turn.session, broadcast_id=int(key))
    if found is None or found.created_by_person_id != turn.person.id:
        return [Outgoing(GONE)]
    if action in ("who", "stop"):
        return on_sent_button(turn, found, action)
    state = conversations.get_state(turn.session, account_id=_account_id(turn))
    if (
        found.state != BroadcastState.DRAFT
        or state is None
        or state.name not in (State.BROADCAST_AUDIENCE, State.BROADCAST_CONFIRM)
        or state.data.get("broadcast_id") != found.id
    ):
        return [Outgoing(_no_longer_draft(found))]
    levels: list[str] = state.data.get("levels", [])
    match action:
        case "all":
            return preview(turn, found, audience.branch(), levels)
        case "lvl" if extra.isdigit() and int(extra) < len(levels):
            return preview(turn, found, audience.level(levels[int(extra)]), levels)
        case "late":
            return [
                Outgoing(
                    "Anh/chị gõ việc cần đôn đốc, ví dụ «chưa xong việc 12» "
                    "hoặc «chưa xong 490/LĐLĐ mục 3»."
                )
            ]
        case "back":
            _save(turn, State.BROADCAST_AUDIENCE, found, levels=levels, spec=None)
            return [ask_audience(found, levels)]
        case "none" if state.data.get("spec"):
            return [_unreached(turn, state.data["spec"])]
        case "ok" if state.name == State.BROADCAST_CONFIRM:
            return send(turn, found, state.data.get("spec"))
        case "no":
            return _drop(turn, found)
    return [Outgoing(GONE)]


def on_sent_button(turn: Turn, found: Broadcast, action: str) -> list[Outgoing]:
    """Who has not acknowledged a notice, or stop one still sending."""
    assert found.id is not None
    if found.state == BroadcastState.DRAFT:
        return [Outgoing(GONE)]
    if action == "who":
        waiting = broadcasts.not_acknowledged(turn.session, broadcast_id=found.id)
        if not waiting:
            return [Outgoing(f"Mọi người đã nhận thông báo số {found.id} đều đã xác nhận.")]
        lines = [f"Chưa xác nhận thông báo số {found.id} ({len(waiting)}):"]
        lines += [
            f"• {name} ({code})" + (f" — {chair}" if chair else "")
            for code, name, chair in waiting[: audience.MAX_NAMED]
        ]
        if len(waiting) > audience.MAX_NAMED:
            lines.append(f"… và {len(waiting) - audience.MAX_NAMED} đơn vị khác.")
        return [Outgoing("\n".join(lines))]
    locked = broadcasts.lock(turn.session, broadcast_id=found.id)
    if locked is None or locked.state == BroadcastState.CANCELLED:
        return [Outgoing(f"Thông báo số {found.id} đã dừng rồi.")]
    if locked.state == BroadcastState.DONE:
        return [Outgoing(f"Thông báo số {found.id} đã gửi xong, không còn gì để dừng.")]
    stopped = broadcasts.cancel(turn.session, broadcast=locked, now=turn.now)
    settle(turn.session, broadcast_ids=[found.id], now=turn.now)
    turn.outbox_changed()
    log.info("broadcast %s cancelled: %s notices not sent", found.id, stopped)
    return [
        Outgoing(
            f"Đã dừng thông báo số {found.id}: {stopped} tin chưa gửi sẽ không gửi nữa. "
            "Bot gửi anh/chị báo cáo kết quả."
        )
    ]


def recent_notices(turn: Turn) -> Outgoing:
    """The officer's latest notices with their counts, and buttons to look closer."""
    assert turn.person is not None and turn.person.id is not None
    latest = broadcasts.recent(turn.session, person_id=turn.person.id, limit=RECENT)
    new = (Choice("✍️ Soạn thông báo mới", f"{ButtonPrefix.BROADCAST}:new"),)
    if not latest:
        return Outgoing(f"Anh/chị chưa gửi thông báo nào.\n{USAGE}", choices=(new,))
    tallies = broadcasts.tally(turn.session, broadcast_ids=[b.id for b in latest if b.id])
    lines = ["Các thông báo gần đây:"]
    rows: list[tuple[Choice, ...]] = []
    for item in latest:
        assert item.id is not None
        counts = tallies[item.id]
        when = format_moment(item.sent_at or item.created_at, turn.zone)
        state = {
            BroadcastState.SENDING: "đang gửi",
            BroadcastState.CANCELLED: "đã dừng",
        }.get(BroadcastState(item.state), "đã gửi xong")
        lines.append(
            f"• Số {item.id} ({when}, {state}) «{snippet(item.text)}»: "
            f"đã gửi {counts.sent}/{counts.recipients}, đã xác nhận {counts.acknowledged}"
            f"/{counts.sent}"
        )
        row = [Choice(f"Ai chưa xác nhận số {item.id}", _data("who", item.id))]
        if item.state == BroadcastState.SENDING:
            row.append(Choice(f"⏹ Dừng số {item.id}", _data("stop", item.id)))
        rows.append(tuple(row))
    lines.append(USAGE)
    return Outgoing("\n".join(lines), choices=(*rows, new))


def _unreached(turn: Turn, spec: audience.Spec) -> Outgoing:
    """The audience's units that nobody can be reached at, named."""
    missing = audience.resolve(turn, spec).no_account_unit_ids
    heading = f"Các đơn vị chưa có chủ tịch nhận được tin ({len(missing)}):"
    return Outgoing(audience.named_units(turn, missing, heading))


def _drop(turn: Turn, draft: Broadcast) -> list[Outgoing]:
    assert draft.id is not None
    broadcasts.delete_draft(turn.session, broadcast_id=draft.id)
    conversations.clear_state(turn.session, account_id=_account_id(turn))
    return [Outgoing("Đã hủy thông báo, chưa gửi cho ai.")]


def _no_longer_draft(found: Broadcast) -> str:
    if found.state == BroadcastState.CANCELLED:
        return f"Thông báo số {found.id} đã dừng."
    if found.state in (BroadcastState.SENDING, BroadcastState.DONE):
        return f"Thông báo số {found.id} đã gửi rồi. Xem kết quả: /thongbao"
    return f"Bản nháp này không còn. {USAGE}"


def _draft_of(turn: Turn, state: ConversationState) -> Broadcast | None:
    broadcast_id = state.data.get("broadcast_id")
    found = (
        broadcasts.get(turn.session, broadcast_id=int(broadcast_id))
        if isinstance(broadcast_id, int)
        else None
    )
    if (
        found is None
        or found.state != BroadcastState.DRAFT
        or turn.person is None
        or found.created_by_person_id != turn.person.id
        or not _is_officer(turn)
    ):
        conversations.clear_state(turn.session, account_id=_account_id(turn))
        return None
    return found


def _save(
    turn: Turn,
    name: State,
    draft: Broadcast,
    *,
    levels: list[str],
    spec: audience.Spec | None,
) -> None:
    _set_state(turn, name, {"broadcast_id": draft.id, "levels": levels, "spec": spec})


def _set_state(turn: Turn, name: State, data: dict[str, Any]) -> None:
    conversations.set_state(
        turn.session, account_id=_account_id(turn), name=name, data=data, now=turn.now
    )


def _is_officer(turn: Turn) -> bool:
    return turn.standing is not None and turn.standing.is_officer


def _data(action: str, key: int | None, extra: int | None = None) -> str:
    tail = "" if extra is None else f":{extra}"
    return f"{ButtonPrefix.BROADCAST}:{action}:{key}{tail}"


def _account_id(turn: Turn) -> int:
    assert turn.account.id is not None
    return turn.account.id
