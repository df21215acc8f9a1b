"""An answer carrying a file of a few MB crosses the handler process's pipe whole: the worker
writes it as one pickled `Answer`, the bot process reads it back equal, byte for byte."""

from __future__ import annotations

import os
import threading
from multiprocessing import Pipe

from bot.handler_process import Answer
from handlers.messages import FileKind, Outgoing, OutgoingFile
from handlers.router import Handled

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_answer_with_a_large_file_crosses_the_pipe_intact() -> None:
    bot_end, worker_end = Pipe()
    workbook = OutgoingFile(FileKind.DOCUMENT, "Tổng hợp.xlsx", XLSX, os.urandom(8 << 20))
    chart = OutgoingFile(FileKind.PHOTO, "bieu-do.png", "image/png", os.urandom(2 << 20))
    handled = Handled(
        answers=[Outgoing("Biểu đồ", file=chart), Outgoing("Bảng tổng hợp", file=workbook)]
    )
    # the worker blocks until the bot reads: write from a thread, as the two processes do
    writer = threading.Thread(target=worker_end.send, args=(Answer(handled),))
    writer.start()
    try:
        assert bot_end.poll(300)  # bounds a failure only
        received = bot_end.recv()
    finally:
        writer.join(timeout=300)
    assert received == Answer(handled)
    assert [answer.file for answer in received.handled.answers] == [chart, workbook]
