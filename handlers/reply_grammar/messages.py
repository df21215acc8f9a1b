"""What the bot answers when it refuses a line: polite Vietnamese that says what was not
understood and shows the forms it accepts. `{…}` fields are filled by the engine.
"""

HINT = (
    "Anh/chị vui lòng trả lời một dòng ngắn, ví dụ: «xong» (hoặc 1), «đang làm 60%» "
    "(hoặc 2 60), «vướng: thiếu kinh phí» (hoặc 3 lý do), «chưa làm», «kết nạp 12»."
)
ERR_EMPTY = "Tin nhắn không có nội dung. " + HINT
ERR_TOO_LONG = (
    "Tin nhắn dài quá ({length} ký tự, tối đa 1.000). Anh/chị vui lòng gửi một dòng ngắn, "
    "ví dụ: «xong», «đang làm 60%» hoặc «vướng: thiếu kinh phí»."
)
ERR_NO_TEXT = "Tin nhắn chỉ có biểu tượng, chưa có chữ nên chưa đọc được. " + HINT
ERR_PERCENT_RANGE = (
    "Tỷ lệ «{raw}» không hợp lệ: tỷ lệ phải từ 0 đến 100%. "
    "Anh/chị vui lòng gửi lại, ví dụ «đang làm 60%» hoặc «2 60»."
)
ERR_MANY_PERCENTS = (
    "Dòng này có nhiều tỷ lệ khác nhau ({values}). "
    "Anh/chị vui lòng báo một tỷ lệ, ví dụ «đang làm 60%»."
)
ERR_MANY_TASKS = (
    "Dòng này nhắc nhiều mục ({values}). Anh/chị vui lòng báo mỗi mục một dòng, ví dụ «mục 3 xong»."
)
ERR_MANY_DOCUMENTS = (
    "Dòng này nhắc nhiều văn bản ({values}). Anh/chị vui lòng báo mỗi văn bản một dòng, "
    "ví dụ «CV 490 mục 3 xong»."
)
ERR_MANY_NUMBERS = (
    "Dòng này có nhiều số liệu khác nhau ({values}). Anh/chị vui lòng báo một số liệu "
    "mỗi dòng, ví dụ «kết nạp 12»."
)
ERR_BAD_NUMBER = (
    "Số liệu «{raw}» chưa phải số nguyên. Anh/chị vui lòng ghi số nguyên, ví dụ «kết nạp 12»."
)
ERR_NUMBER_RANGE = (
    "Số liệu «{raw}» lớn quá nên bot chưa ghi nhận. Anh/chị kiểm tra lại số, "
    "ví dụ «kết nạp 12» hoặc «thu 5 triệu»."
)
ERR_CONTRADICTION = "Dòng này vừa báo «{first}» vừa báo «{second}», nên chưa ghi nhận. " + HINT
ERR_QUESTION = (
    "Có vẻ anh/chị đang hỏi chứ chưa báo cáo. Nếu đã xong, anh/chị trả lời «xong» "
    "(hoặc 1); nếu đang làm, «đang làm 60%» (hoặc 2 60)."
)
ERR_PLAN = (
    "Dòng này nói việc sẽ làm, chưa rõ hiện nay đã xong chưa. Anh/chị vui lòng báo tình "
    "hình hiện tại, ví dụ «đang làm 60%» hoặc «chưa làm»."
)
ERR_BARE_NOT_YET = (
    "Anh/chị báo «chưa»: việc đã bắt đầu chưa? Anh/chị trả lời «chưa làm» nếu chưa bắt "
    "đầu, hoặc «đang làm 60%» nếu đang làm."
)
ERR_AMBIGUOUS_NUMBER = (
    "Chưa rõ «{raw}» là tỷ lệ hay số lượng. Anh/chị vui lòng ghi rõ, ví dụ "
    "«đang làm {raw}%» hoặc «kết nạp {raw}»."
)
ERR_AMBIGUOUS_COUNT = "Chưa rõ «{raw}» là số gì. Anh/chị vui lòng ghi rõ, ví dụ «kết nạp {raw}»."
ERR_UNREADABLE = "Chưa hiểu «{quote}». " + HINT
ERR_BAD_FRACTION = (
    "Chỉ tiêu «{raw}» chưa hợp lệ (số sau dấu / phải lớn hơn 0). Anh/chị vui lòng gửi lại, "
    "ví dụ «đạt 8/10 chỉ tiêu»."
)
# Not a refusal: `cảm ơn`, `ok`, `dạ vâng` get a polite answer that says nothing was recorded.
COURTESY = (
    "Dạ, cảm ơn anh/chị! Khi có tiến độ, anh/chị báo một dòng, ví dụ «xong» hoặc «đang làm 60%»."
)
