"""`/thongbao`: an officer sends a notice to part of their branch.

    /thongbao Nội dung      → a draft; the officer may send a photo or a document with it
                              (as the caption, or right after), picks who gets it (buttons
                              or words), sees the preview (recipients, units with no
                              reachable chair, the file), and confirms; the notices go out
                              through the outbox, long ones in parts.
    /thongbao               → the officer's recent notices: sent and acknowledged counts,
                              who has not acknowledged, stop one that is still sending.

The draft lives in the database (a `broadcasts` row in state draft, and the account's
conversation state with the audience chosen), so a restart in the middle loses nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from handlers import broadcast_audience as audience
from handlers import broadcast_file, broadcast_length, broadcast_sent
from handlers.context import Turn
from handlers.messages import Channel, Choice, Outgoing, OutgoingFile
from handlers.scope import home_unit
from handlers.states import State
from schedules.broadcast_report import snippet
from schedules.button_prefixes import ButtonPrefix
from schedules.folding import fold
from schedules.numbers import parse_id, parse_int
from storage import broadcast_audience, broadcasts, conversations
from storage.models import Broadcast, BroadcastState, ConversationState

log = logging.getLogger(__name__)

MAX_HEADING_NAME = 40
ACK_LABEL = "✅ Đã nhận"
# The last line of a notice; on Zalo it reads «Gõ «1» hoặc «đã nhận» …» (handlers.texts).
ACK_PROMPT = "Bấm «✅ Đã nhận» để báo anh/chị đã nhận thông báo."
CONFIRM_WORDS = {"gui", "ok", "co", "dong y", "xac nhan", "gui di"}
CANCEL_WORDS = {"huy", "khong", "thoi", "bo"}
SHOW_WORDS = {"xem", "xem don vi", "xem cac don vi", "xem cac don vi do"}  # without buttons
USAGE = broadcast_sent.USAGE
GONE = broadcast_sent.GONE


def on_command(turn: Turn, argument: str) -> list[Outgoing]:
    """`/thongbao [text]`: a new notice with text (and the file it is the caption of), the
    recent ones without."""
    if not argument.strip():
        if broadcast_file.is_file(turn.incoming.attachment):
            return [Outgoing(broadcast_file.NO_TEXT)]
        return [broadcast_sent.recent_notices(turn)]
    return start_draft(turn, argument.strip())


def start_draft(turn: Turn, text: str) -> list[Outgoing]:
    """Keep the notice (and the file it came with) as a draft and ask who gets it; a notice
    too long or a file it cannot carry changes nothing."""
    if (problem := broadcast_length.too_long(text)) is not None:
        return [Outgoing(problem)]
    file: OutgoingFile | None = None
    if broadcast_file.is_file(turn.incoming.attachment):
        file, problem = broadcast_file.fetch(turn)
        if file is None:
            return [Outgoing(problem or broadcast_file.DOWNLOAD_FAILED)]
    assert turn.person is not None and turn.person.id is not None
    draft = broadcasts.create_draft(
        turn.session,
        person_id=turn.person.id,
        account_id=_account_id(turn),
        text=text,
        now=turn.now,
    )
    assert draft.id is not None
    said = "" if file is None else broadcast_file.keep(turn, broadcast_id=draft.id, file=file)
    levels = broadcast_audience.levels_below(turn.session, root_ids=audience.roots(turn))
    full = broadcast_length.fills_a_message(turn.incoming.text or "", turn.incoming.channel)
    _save(turn, State.BROADCAST_AUDIENCE, draft, levels=levels, spec=None, full=full)
    return [ask_audience(draft, levels, said=said, offer_file=_offers_file(turn, file))]


def ask_audience(
    draft: Broadcast, levels: list[str], *, said: str = "", offer_file: bool = False
) -> Outgoing:
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
    lines = [said] if said else []
    lines += [f"Thông báo «{snippet(draft.text)}» sẽ gửi cho ai?", audience.USAGE]
    if offer_file:
        lines.append(broadcast_file.ADD_FILE_HINT)
    return Outgoing("\n".join(lines), choices=tuple(rows))


def on_text_state(turn: Turn, state: ConversationState) -> list[Outgoing]:
    """The notice's text (maybe as a file's caption), after «Soạn thông báo mới»."""
    text = (turn.incoming.text or "").strip()
    if not text and broadcast_file.is_file(turn.incoming.attachment):
        return [Outgoing(broadcast_file.NO_TEXT)]
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
    if broadcast_file.is_file(turn.incoming.attachment):
        return _attach(turn, state, draft)
    words = " ".join(fold(turn.incoming.text or "").split()).strip(" .!")
    if words in CANCEL_WORDS:
        return _drop(turn, draft)
    if state.name == State.BROADCAST_CONFIRM and words in CONFIRM_WORDS:
        return send(turn, draft, state.data.get("spec"))
    if state.name == State.BROADCAST_CONFIRM and words in SHOW_WORDS:
        return [_unreached(turn, state.data["spec"])]
    levels: list[str] = state.data.get("levels", [])
    spec, problem = audience.read_words(turn, turn.incoming.text or "", levels)
    if spec is None and broadcast_length.goes_on(turn, state):
        return _go_on(turn, draft, levels)
    if spec is None:
        return [Outgoing(problem or audience.USAGE)]
    return preview(turn, draft, spec, levels)


def _attach(turn: Turn, state: ConversationState, draft: Broadcast) -> list[Outgoing]:
    """A photo or document sent while the draft waits: kept with it (its caption added to
    the text), then the same question again, or the preview again once it was shown."""
    assert draft.id is not None
    file, problem = broadcast_file.fetch(turn)
    if file is None:
        return [Outgoing(problem or broadcast_file.DOWNLOAD_FAILED)]
    caption = (turn.incoming.text or "").strip()
    if caption and (problem := broadcast_length.too_long(f"{draft.text}\n\n{caption}")):
        return [Outgoing(problem)]
    said = broadcast_file.keep(turn, broadcast_id=draft.id, file=file)
    if caption:
        draft.text = f"{draft.text}\n\n{caption}"
        said += " Chú thích của tệp được thêm vào cuối thông báo."
    levels: list[str] = state.data.get("levels", [])
    spec = state.data.get("spec")
    if state.name == State.BROADCAST_CONFIRM and spec:
        return [Outgoing(said), *preview(turn, draft, spec, levels)]
    return [ask_audience(draft, levels, said=said)]


def _go_on(turn: Turn, draft: Broadcast, levels: list[str]) -> list[Outgoing]:
    """The rest of a notice the officer's app cut into several messages."""
    piece = (turn.incoming.text or "").strip()
    text = f"{draft.text}\n{piece}"
    if (problem := broadcast_length.too_long(text)) is not None:
        return [Outgoing(problem)]
    draft.text = text
    full = broadcast_length.fills_a_message(piece, turn.incoming.channel)
    _save(turn, State.BROADCAST_AUDIENCE, draft, levels=levels, spec=None, full=full)
    length = broadcast_length.number(len(text))
    said = f"Đã nối tin này vào thông báo (nay dài {length} ký tự)."
    return [ask_audience(draft, levels, said=said)]


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
    problem, note = _length(turn, draft, found)
    if problem is not None:
        _save(turn, State.BROADCAST_AUDIENCE, draft, levels=levels, spec=None)
        return [Outgoing(problem, choices=ask_audience(draft, levels).choices)]
    _save(turn, State.BROADCAST_CONFIRM, draft, levels=levels, spec=spec)
    assert draft.id is not None
    key = draft.id
    lines = [
        f"Xem trước thông báo «{snippet(draft.text)}»",
        f"Người nhận: {spec['label']} — {found.units} đơn vị.",
        f"Sẽ gửi tới {len(found.recipients)} chủ tịch.",
    ]
    if (attached := broadcast_file.preview_line(turn, draft.id)) is not None:
        lines.append(attached)
    if note is not None:
        lines.append(note)
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
    if (problem := _length(turn, draft, found)[0]) is not None:
        return [Outgoing(problem)]
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
    return f"📢 Thông báo của {sender}:\n\n{text}\n\n{ACK_PROMPT}"


def _length(
    turn: Turn, draft: Broadcast, found: broadcast_audience.Audience
) -> tuple[str | None, str | None]:
    """The refusal of a notice too long for an audience on Zalo alone, or the preview's note
    that it arrives in parts; the recipients' channels are read only for a long notice."""
    message = notice_text(turn, draft.text)
    if not broadcast_length.may_split(message):
        return None, None
    channels = broadcast_audience.channels_of(turn.session, account_ids=found.recipients)
    refusal = broadcast_length.zalo_refusal(draft.text, message, channels)
    return refusal, broadcast_length.parts_note(draft.text, message, channels)


def _offers_file(turn: Turn, file: OutgoingFile | None) -> bool:
    """Whether the question says a file may follow: not once one came, nor on Zalo."""
    return file is None and turn.incoming.channel != Channel.ZALO


def on_button(turn: Turn, rest: str) -> list[Outgoing]:
    """An officer's button on a draft or a sent notice: `bc:{action}:{id}[:{index}]`."""
    action, _, tail = rest.partition(":")
    key, _, extra = tail.partition(":")
    if turn.person is None or not _is_officer(turn):
        return [Outgoing(GONE)]
    if action == "new":
        _set_state(turn, State.BROADCAST_TEXT, {})
        return [
            Outgoing(
                "Anh/chị gửi nội dung thông báo. Kèm ảnh hoặc tệp: ghi nội dung vào chú thích "
                "của ảnh/tệp."
            )
        ]
    broadcast_id = parse_id(key)  # ASCII digits, an id a column holds: else not ours
    if broadcast_id is None:
        return [Outgoing(GONE)]
    found = broadcasts.get(turn.session, broadcast_id=broadcast_id)
    if found is None or found.created_by_person_id != turn.person.id:
        return [Outgoing(GONE)]
    if action in ("who", "stop"):
        return broadcast_sent.on_sent_button(turn, found, action)
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
        case "lvl" if (index := parse_int(extra, high=len(levels) - 1)) is not None:
            return preview(turn, found, audience.level(levels[index]), levels)
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
    full: bool = False,
) -> None:
    data = {"broadcast_id": draft.id, "levels": levels, "spec": spec}
    _set_state(turn, name, {**data, "full": True} if full else data)


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
