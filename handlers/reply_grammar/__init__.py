"""Read a chair's one-line progress reply: status, percent, indicator number, reason, task.

Chairs answer reminders on phones, with or without diacritics, often wrapped in politeness
(`Dạ em xin báo cáo … ạ`). `read_reply` folds the line (see `vietnamese_text`) and runs a
few small rule tables over it, in this order, each match masking what it consumed:

1. task references (`mục 3`, `#2`, `CV 490 mục 3`, `490/LĐLĐ`);
2. the short codes the reminder advertises (`1`, `2 60`, `3 lý do`), when the line starts
   with one;
3. status phrases (`rules.STATUS_RULES`, most specific first, so `chưa xong` is consumed before
   `xong` could be read as done);
4. percentages; 5. politeness (`vocabulary.FILLERS`); 6. the reason after (or before) a blocked
   marker; 7. indicator numbers (`kết nạp 12`, `12 đoàn viên`); 8. what is left is a note.

The reading names the rules that decided it (`ReplyReading.rule`), so whoever supports
the chairs can see why a line was read so. A line that cannot be read confidently gets
`status=unknown` and a polite Vietnamese `error` that says what was not understood and
gives the accepted forms: nothing is guessed.

Decisions where the issue is silent:
- A line with only an indicator number (`kết nạp 12`, `đã kết nạp 12 đoàn viên`) reads as
  in progress: the unit reports a figure, so the work has started, and only the chair
  can say it is finished (`kết nạp 12, xong`). Whether the target is met is the summary's
  business, which compares the figure with the officer's target.
- `chưa xong` / `chưa hoàn thành` read as in progress (started, not finished), while
  `chưa làm` / `chưa triển khai` read as not started. A bare `chưa` is questioned.
- `3` alone is blocked without a reason (note None): the conversation asks for one.
- `ko xong` / `không hoàn thành` read as `chưa xong` (in progress): not done, no obstacle
  named. `đang làm 60` and `tiến độ 80` are percents when nothing follows the figure in its
  clause. `8/10 chỉ tiêu` is 80% with the figure 8 of a target of 10 (`of_target`); `8/10`
  alone may be a date and is questioned.
- `đã nhận văn bản` (with or without a plan, `sẽ triển khai`) is not started, the words kept
  as the note; `cảm ơn`, `ok`, `dạ vâng`, `đã nhận` alone are a courtesy (rule `courtesy`,
  not confident, `error` holds the polite answer).
- A note made only of particles (`mới`, `bạn`) is dropped.
- `read_replies` (module `several`) reads a line about several tasks as one reading each.
- Percent 100 is done and 0 is not started, whatever word came with it; a decimal percent
  is rounded half up (`62,5%` → 63). `hoàn thành 60%` means 60% done (in progress), but
  `xong, 60%` contradicts itself and is questioned.
- A bare number that is not a code (`60`, `12`) is questioned: percent or count?
- A sentence about the future (`sẽ xong`, `dự kiến xong 20/11`) is not a report of done;
  alone it is questioned, beside a status it is kept as the note. `xong chưa?` is a
  question, not a report.
- Money counts: `5 triệu`, `1,5tr`, `500k`, `1.200.000 đồng` are whole numbers of đồng.
- On a refusal, `task_item` and `document_number` are still filled when the line named
  them, so the conversation can ask about the right task; nothing else is.

The package, one job a module: `reading` (what a reading is: `ReplyStatus`, `ReplyReading`),
`messages` (what the bot answers when it refuses), `vocabulary` (the words, folded),
`rules` (the patterns built from them), `scan` (the working state of one reading),
`passes` (the passes above), `notes` (the chair's own words kept as a note), `verdict`
(one status from everything found, or a refusal) and `engine` (`read_reply`).
"""

from handlers.reply_grammar.engine import read_reply
from handlers.reply_grammar.reading import MAX_REPLY_CHARS, ReplyReading, ReplyStatus
from handlers.reply_grammar.several import read_replies

__all__ = ["MAX_REPLY_CHARS", "ReplyReading", "ReplyStatus", "read_replies", "read_reply"]
