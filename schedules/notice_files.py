"""What file a notice may carry, and how the officer is told about it.

The limits are the platforms': a photo goes out with Telegram's sendPhoto (uploads up to
10 MB; Zalo's sendPhoto fetches an image address, and the sandbox holds it to the same
10 MB), and a document can be at most what a bot may download from Telegram (getFile:
20 MB), under sendDocument's 50 MB. Documents are the kinds an officer's notice comes
with (office documents, PDF, text, pictures sent as files); anything else (archives,
programs) is refused, since a chair on a phone could not open it or should not.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from storage.outbox import FileKind

MB = 1024 * 1024
MAX_BYTES = {FileKind.PHOTO: 10 * MB, FileKind.DOCUMENT: 20 * MB}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".rtf": "application/rtf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ALLOWED_WORDS = "Word, Excel, PowerPoint, PDF, .txt, .csv hoặc ảnh .jpg/.png"
PHOTO_MIME = "image/jpeg"  # Telegram hands a bot every photo as JPEG


def kind_of(attachment_kind: str) -> FileKind:
    """A platform photo stays a photo; anything else is sent as a document."""
    return FileKind.PHOTO if attachment_kind == "photo" else FileKind.DOCUMENT


def refusal(kind: FileKind, name: str | None, size: int | None) -> str | None:
    """Why this file cannot go with a notice, in Vietnamese; None when it can. `size` may be
    unknown before the download (None), and is checked again after it."""
    if kind is FileKind.DOCUMENT and extension(name) not in DOCUMENT_TYPES:
        shown = f"«{name}»" if name else "này"
        return (
            f"Tệp {shown} không gửi kèm thông báo được. Anh/chị gửi tệp {ALLOWED_WORDS}, "
            "hoặc chuyển nội dung sang PDF."
        )
    limit = MAX_BYTES[kind]
    if size is not None and size > limit:
        what = "Ảnh" if kind is FileKind.PHOTO else "Tệp"
        return (
            f"{what} dài {human_size(size)}, quá giới hạn {human_size(limit)} của Telegram. "
            "Anh/chị gửi bản nhỏ hơn (ví dụ PDF nén, ảnh chụp màn hình)."
        )
    if size == 0:
        return "Tệp trống, không có nội dung. Anh/chị gửi lại tệp."
    return None


def extension(name: str | None) -> str:
    return PurePosixPath(name or "").suffix.lower()


def mime_of(kind: FileKind, name: str | None, declared: str | None) -> str:
    """The MIME type to send the file with: the platform's, else the name's."""
    if kind is FileKind.PHOTO:
        return PHOTO_MIME
    return declared or DOCUMENT_TYPES.get(extension(name), "application/octet-stream")


def human_size(size: int) -> str:
    """`85 KB`, `1,2 MB` (Vietnamese decimal comma)."""
    if size < MB:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / MB:.1f} MB".replace(".", ",")


def describe(kind: FileKind, name: str, size: int) -> str:
    """How the preview names the file: `ảnh (85 KB)`, `tệp ke-hoach.pdf (1,2 MB)`."""
    if kind is FileKind.PHOTO:
        return f"ảnh ({human_size(size)})"
    return f"tệp {name} ({human_size(size)})"
