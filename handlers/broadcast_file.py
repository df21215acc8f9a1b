"""A photo or a document with a notice: the officer sends it with the notice's text as its
caption (`/thongbao Nội dung` as the caption), or right after the text, while the bot asks
who gets the notice. The bot downloads it once and keeps it once for the broadcast
(`storage.broadcast_files`); every notice of the broadcast carries it through the outbox.

A file the notice cannot carry (too large, a type a chair could not open, a file with no
text to go with it, anything on Zalo, which hands the bot no files) is answered with the
reason and changes nothing.
"""

from __future__ import annotations

import logging

from handlers.context import Turn
from handlers.messages import Attachment, Channel, OutgoingFile
from schedules import notice_files
from storage import broadcast_files
from storage.outbox import FileKind

log = logging.getLogger(__name__)

NO_TEXT = (
    "Thông báo cần có nội dung. Anh/chị ghi nội dung vào chú thích của ảnh/tệp "
    "(ví dụ: /thongbao Lịch họp tháng 12), hoặc gửi /thongbao Nội dung trước rồi gửi "
    "ảnh/tệp ngay sau đó."
)
ON_ZALO = (
    "Trên Zalo bot chưa nhận được ảnh hay tệp kèm thông báo. Anh/chị gửi thông báo chỉ có "
    "chữ, hoặc gửi thông báo kèm tệp qua Telegram."
)
NO_FILES_HERE = "Kênh này chưa nhận tệp. Anh/chị gửi thông báo chỉ có chữ."
DOWNLOAD_FAILED = "Bot chưa tải được tệp, anh/chị vui lòng gửi lại sau ít phút."
ADD_FILE_HINT = (
    "Muốn gửi kèm một ảnh hoặc tệp (Word, Excel, PDF…): anh/chị gửi ngay bây giờ, "
    "trước khi chọn người nhận."
)


def is_file(attachment: Attachment | None) -> bool:
    """A photo or a document (a sticker is not a file to pass on)."""
    return attachment is not None and attachment.kind != "sticker"


def fetch(turn: Turn) -> tuple[OutgoingFile | None, str | None]:
    """The file the officer sent, downloaded and checked; or why it is refused."""
    attachment = turn.incoming.attachment
    assert attachment is not None
    if turn.incoming.channel == Channel.ZALO:
        return None, ON_ZALO
    kind = notice_files.kind_of(attachment.kind)
    if (problem := notice_files.refusal(kind, attachment.file_name, attachment.size)) is not None:
        return None, problem
    download = turn.services.fetch_file
    if download is None:
        return None, NO_FILES_HERE
    try:
        data = download(attachment.file_id)
    except OSError:
        log.exception("downloading a notice's file for account %s failed", turn.account.id)
        return None, DOWNLOAD_FAILED
    if (problem := notice_files.refusal(kind, attachment.file_name, len(data))) is not None:
        return None, problem
    name = _name(kind, attachment.file_name)
    mime = notice_files.mime_of(kind, attachment.file_name, attachment.mime_type)
    return OutgoingFile(kind, name, mime, data), None


def keep(turn: Turn, *, broadcast_id: int, file: OutgoingFile) -> str:
    """Store the file with the draft (in place of an earlier one); the line that says so."""
    broadcast_files.attach(turn.session, broadcast_id=broadcast_id, file=file)
    log.info("broadcast %s: %s of %s bytes attached", broadcast_id, file.kind, len(file.content))
    return f"Đã đính kèm {notice_files.describe(file.kind, file.name, len(file.content))}."


def preview_line(turn: Turn, broadcast_id: int) -> str | None:
    """`Kèm ảnh (85 KB).` for the preview; None without a file."""
    found = broadcast_files.attached(turn.session, broadcast_id=broadcast_id)
    if found is None:
        return None
    return f"Kèm {notice_files.describe(found.kind, found.name, found.size)}."


def _name(kind: FileKind, sent_name: str | None) -> str:
    """The name the chairs see: the officer's file's, or one for a photo (which has none)."""
    if kind is FileKind.PHOTO or not sent_name:
        return "anh-thong-bao.jpg" if kind is FileKind.PHOTO else "tep-thong-bao"
    return sent_name[:255]
