"""The inbound spool: what the bot took from a platform is on disk until the database has
it, and the next start finds what a run left."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.inbound_spool import DEAD_LETTER, InboundSpool
from handlers.messages import Attachment, Channel, Contact, Incoming

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def message(update_id: int, text: str = "xong", *, bot_id: str = "42") -> Incoming:
    return Incoming(
        channel=Channel.TELEGRAM,
        user_id="201",
        chat_id="201",
        update_id=str(update_id),
        display_name="Nguyễn Văn An",
        text=text,
        bot_id=bot_id,
    )


def files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


async def test_what_a_run_left_open_is_taken_by_the_next_start(tmp_path: Path) -> None:
    first = InboundSpool(tmp_path)
    assert first.open() == []
    contact = Contact("0912000011", "201", "Nguyễn Văn An")
    shared = Incoming(
        channel=Channel.ZALO,
        user_id="z1",
        chat_id="z1",
        update_id="m-9",
        contact=contact,
        attachment=Attachment("https://x.vn/a.jpg", None, "image/jpeg", None, kind="photo"),
        bot_id="7",
    )
    for incoming in (message(1), message(2, "đang làm 60%"), shared):
        first.write(incoming, NOW)
    await first.sync()
    first.done(message(1))
    first.close()  # the process ends with two messages not in the database

    second = InboundSpool(tmp_path)
    taken = second.open()

    assert [item.incoming for item in taken] == [message(2, "đang làm 60%"), shared]
    assert {item.arrived for item in taken} == {NOW}
    assert second.open_count == 2
    # The old file is gone; its messages are in the new one until done.
    assert [name for name in files(tmp_path) if name.endswith(".jsonl")] == [second.path.name]
    for item in taken:
        second.done(item.incoming)
    second.close()
    assert files(tmp_path) == []  # nothing open: no file left behind


def test_a_running_process_keeps_its_file(tmp_path: Path) -> None:
    """Another process's spool, locked while it runs, is not taken."""
    code = (
        "import sys, time\n"
        "from datetime import UTC, datetime\n"
        "from pathlib import Path\n"
        "from bot.inbound_spool import InboundSpool\n"
        "from tests.bot.test_inbound_spool import message\n"
        "spool = InboundSpool(Path(sys.argv[1]))\n"
        "spool.open()\n"
        "spool.write(message(5), datetime.now(UTC))\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"  # until the test closes our stdin
    )
    other = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None
        assert other.stdout.readline().strip() == "ready"
        mine = InboundSpool(tmp_path)
        assert mine.open() == []
        mine.close()
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait(180)
    after = InboundSpool(tmp_path)  # the other process ended without finishing: taken now
    assert [item.incoming for item in after.open()] == [message(5)]
    after.close()


async def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    spool = InboundSpool(tmp_path)
    spool.open()
    spool.write(message(1), NOW)
    await spool.sync()
    path = spool.path
    spool.close()
    with path.open("a") as file:
        file.write('{"in": {"channel": "telegr')  # the process died in the middle of a line

    taken = InboundSpool(tmp_path).open()

    assert [item.incoming for item in taken] == [message(1)]


async def test_the_file_is_rewritten_with_the_open_messages_once_it_has_grown(
    tmp_path: Path,
) -> None:
    spool = InboundSpool(tmp_path, compact_after=20)
    spool.open()
    spool.write(message(0), NOW)  # stays open throughout
    for n in range(1, 30):
        spool.write(message(n), NOW)
        await spool.sync()
        spool.done(message(n))
    lines = spool.path.read_text().splitlines()
    assert len(lines) < 20
    spool.close()
    assert [item.incoming for item in InboundSpool(tmp_path).open()] == [message(0)]


async def test_kept_messages_are_handed_out_again_and_dead_ones_kept_apart(
    tmp_path: Path,
) -> None:
    spool = InboundSpool(tmp_path)
    spool.open()
    for n in (1, 2):
        await spool.record(message(n), NOW)
    spool.keep(message(1), NOW)
    spool.dead(message(2, "\x00"), NOW, "HandlerFailed")

    assert [item.incoming for item in spool.take_kept()] == [message(1)]
    assert spool.take_kept() == []  # now in the caller's hands
    (dead,) = (tmp_path / DEAD_LETTER).read_text().splitlines()
    assert json.loads(dead)["reason"] == "HandlerFailed"
    assert spool.open_count == 1
    assert oct(os.stat(spool.path).st_mode & 0o777) == "0o600"  # what people wrote
    assert oct(os.stat(tmp_path / DEAD_LETTER).st_mode & 0o777) == "0o600"
    spool.close()
