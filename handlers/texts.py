"""Fixed sentences the bot says, in one place so their tone stays the same."""

from __future__ import annotations

from datetime import date

from schedules.horizon import DEADLINE_HORIZON_YEARS, latest_deadline

WELCOME_UNREGISTERED = (
    "Xin chào anh/chị! Đây là bot Nhắc việc của Công đoàn.\n"
    "Để nhận nhắc việc, anh/chị bấm nút «📱 Chia sẻ số điện thoại» bên dưới, "
    "hoặc gửi mã mời mà cán bộ công đoàn cấp: /start MÃ_MỜI"
)
SHARE_PHONE_BUTTON = "📱 Chia sẻ số điện thoại"
NOT_REGISTERED = (
    "Anh/chị chưa đăng ký với bot. Xin bấm /start rồi chia sẻ số điện thoại, "
    "hoặc gửi /start MÃ_MỜI mà cán bộ công đoàn đã cấp."
)
UNKNOWN_COMMAND = "Lệnh «/{name}» không có. Gõ /trogiup để xem các lệnh."
NOT_ALLOWED = "Lệnh này chỉ dành cho cán bộ công đoàn. Anh/chị gõ /trogiup để xem các lệnh."
INTERNAL_ERROR = (
    "Xin lỗi anh/chị, bot gặp lỗi khi xử lý tin nhắn này. Tin nhắn đã được lưu lại; "
    "anh/chị vui lòng thử lại sau ít phút."
)
INVALID_BUTTON = "Nút này không hợp lệ hoặc đã hết hiệu lực. Không có gì được ghi nhận."
# The database could not be reached within the turn's bound: the message waits in the spool
# (bot/inbound_spool.py) and is handled once the database is back, so no need to send again.
DATABASE_UNAVAILABLE = (
    "Xin lỗi anh/chị, hệ thống đang tạm gián đoạn nên chưa xử lý được tin nhắn này. "
    "Tin nhắn đã được giữ lại và sẽ được xử lý khi hệ thống hoạt động lại; "
    "anh/chị không cần gửi lại."
)
# A retried turn found its message already stored: the first attempt's commit went through
# though its answer was lost with the connection.
RECEIVED = "Bot đã nhận tin nhắn của anh/chị."
UNSUPPORTED_BUTTON = "Nút này không còn hiệu lực. Anh/chị trả lời bằng tin nhắn ngắn nhé."

NOT_ALLOWED_CHAIR = "Lệnh /{name} dành cho chủ tịch CĐCS: anh/chị chưa là chủ tịch đơn vị nào."
NOT_ALLOWED_ADMIN = "Lệnh này chỉ dành cho quản trị hệ thống. Anh/chị gõ /trogiup để xem các lệnh."

# /trogiup: each section's heading and what is not a command, then the commands of the
# registry (handlers.commands) the person may use.
HELP_CHAIR_HEADING = "Các lệnh cho chủ tịch CĐCS:"
HELP_CHAIR_TIPS = (
    "• Trả lời nhắc việc bằng tin ngắn: «xong», «đang làm 60%», «vướng: lý do»\n"
    "  (hoặc 1 = xong, 2 60 = đang làm 60%, 3 lý do = vướng mắc; thêm «mục 2» nếu có nhiều việc)",
)
HELP_OFFICER_HEADING = "Các lệnh cho cán bộ:"
HELP_OFFICER_TIPS = (
    "• Gửi tệp văn bản (.docx, .pdf, .txt) hoặc dán nội dung — bot đọc ra các nhiệm vụ, "
    "hạn và đơn vị để anh/chị kiểm tra rồi «xác nhận»",
)
HELP_ADMIN_TIPS = (
    "• Là quản trị hệ thống, anh/chị giao việc, giao xuống, báo cáo lên, lấy mã mời và xem "
    "tổng hợp ở mọi đơn vị: ghi mã hoặc tên đơn vị sau lệnh (ví dụ /tonghop LDLD-HUYEN, "
    "/giaoxuong LDLD-HUYEN)",
)


def deadline_too_far(day: date, today: date) -> str:
    """The answer to a deadline past the horizon (`schedules.horizon`)."""
    return (
        f"Hạn {day:%d/%m/%Y} quá xa; anh/chị vui lòng nhập hạn trong vòng "
        f"{DEADLINE_HORIZON_YEARS} năm (đến {latest_deadline(today):%d/%m/%Y})."
    )


def roster_replaced_chair(unit_name: str, unbound: bool) -> str:
    """The notice to a chair whom a new roster replaced (sent through the outbox)."""
    text = (
        f"Theo danh sách mới của công đoàn, anh/chị không còn là chủ tịch {unit_name}. "
        "Cảm ơn anh/chị đã đồng hành cùng bot Nhắc việc."
    )
    if unbound:
        return f"{text} Tài khoản này đã được hủy đăng ký; bot sẽ không gửi nhắc việc nữa."
    return f"{text} Bot vẫn nhắc anh/chị việc của các vai trò khác (gõ /toi để xem)."


# Zalo has no buttons and no contact sharing: registration there is by invite code, and a
# choice is a number typed back (handlers.numbered_choices). `for_channel` gives a sentence
# its Zalo wording: whole sentences first, then the phrases that name a button.
WELCOME_UNREGISTERED_ZALO = (
    "Xin chào anh/chị! Đây là bot Nhắc việc của Công đoàn.\n"
    "Để nhận nhắc việc, anh/chị gửi mã mời mà cán bộ công đoàn đã cấp, ví dụ: MA ABCD234567"
)
NOT_REGISTERED_ZALO = (
    "Anh/chị chưa đăng ký với bot. Xin gửi mã mời mà cán bộ công đoàn đã cấp, "
    "ví dụ: MA ABCD234567 (hoặc chỉ gõ mã)."
)
_ZALO_SENTENCES = {
    WELCOME_UNREGISTERED: WELCOME_UNREGISTERED_ZALO,
    NOT_REGISTERED: NOT_REGISTERED_ZALO,
}
_ZALO_PHRASES = (
    # A notice's last line (handlers.broadcast.ACK_PROMPT): a number or the words, no button;
    # the text offers «1», so no list repeats it (handlers.numbered_choices.numbered_text).
    (
        "Bấm «✅ Đã nhận» để báo anh/chị đã nhận thông báo.",
        "Gõ «1» hoặc «đã nhận» để báo đã nhận thông báo.",
    ),
    ("Bấm một nút, hoặc gõ số (ví dụ 60)", "Gõ số thứ tự bên dưới, hoặc gõ tỷ lệ (ví dụ 60)"),
    ("hoặc bấm nút", "hoặc gõ số thứ tự"),
    ("Anh/chị bấm nút hoặc gõ số thứ tự", "Anh/chị gõ số thứ tự"),
    ("không cần bấm nữa", "không cần trả lời nữa"),
    ("hoặc bấm «", "hoặc chọn «"),
    ("/start MÃ_MỜI", "MA MÃ_MỜI"),
    (
        "Gửi tệp văn bản (.docx, .pdf, .txt) hoặc dán nội dung",
        "Dán nội dung văn bản vào tin nhắn (Zalo không chuyển tệp cho bot)",
    ),
)


def for_channel(text: str, channel: str) -> str:
    """The text as said on the channel: Telegram's as written, Zalo's without buttons."""
    if channel != "zalo":
        return text
    if (sentence := _ZALO_SENTENCES.get(text)) is not None:
        return sentence
    for telegram, zalo in _ZALO_PHRASES:
        text = text.replace(telegram, zalo)
    return text
