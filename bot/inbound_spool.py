"""The inbound spool: every message the bot takes, written to a local file and fsync'd before
the platform is told it arrived, until the database has it.

Why: the platform forgets an update once it is acknowledged (Telegram's getUpdates by the
next offset, a webhook by its 200), and the database may be down at that moment, or the
process killed before the turn commits. So each message is appended here first (one fsync
for a whole getUpdates batch; concurrent webhook calls share one) and acknowledged after;
once its turn is committed it is marked done. A message whose turn could not reach the
database within the turn's bound is *kept*: the person was sent the apology, and the
message is handled again later (every `RETRY_KEPT_SECONDS` while the bot runs, and at the
next start). A message that makes its handler fail for good goes to `dead-letter.jsonl`
in the same folder, for an operator, and is not replayed.

One file per bot process: `inbound-<id>.jsonl`, JSON lines (`{"in": message, "at": when}`
and `{"done": key}`), beside `inbound-<id>.lock`, which the process holds locked
(`fcntl.flock`) while it runs. At start a process takes over the files whose lock is free
(a process that died, or the last run): their messages not done are copied into its own
file, fsync'd, and the old files removed; the runtime then hands them to the handlers. Its
own file is rewritten with only the messages still open once it has grown past
`COMPACT_AFTER` lines and most are done (an empty file when all are).

The files hold what people wrote (a shared phone number among it): the folder is created
readable by its owner only (0700, files 0600). The folder is a setting,
`NHACVIEC_SPOOL_DIR`; the default `nhacviec-spool` sits in the working directory, beside
the default SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from handlers.messages import Attachment, Channel, Contact, Incoming

log = logging.getLogger(__name__)

COMPACT_AFTER = 1000  # lines in the own file before it is rewritten with the open ones only
RETRY_KEPT_SECONDS = 60.0  # kept messages are handed to the handlers again this often
DEAD_LETTER = "dead-letter.jsonl"
_INCOMING_NAMES = tuple(field.name for field in fields(Incoming))
_INCOMING_FIELDS = frozenset(_INCOMING_NAMES)


@dataclass(frozen=True, slots=True)
class Spooled:
    """A message from the spool, and when it first reached the bot."""

    incoming: Incoming
    arrived: datetime


def spool_key(incoming: Incoming) -> str:
    """What identifies a message: as the inbound table does, (channel, bot, update)."""
    return f"{incoming.channel.value}:{incoming.bot_id}:{incoming.update_id}"


class InboundSpool:
    """The bot process's spool (module docstring). `open` before use, `close` at the end."""

    def __init__(self, directory: Path, *, compact_after: int = COMPACT_AFTER) -> None:
        self.directory = directory
        self._compact_after = compact_after
        self._name = f"inbound-{uuid.uuid4().hex[:12]}"
        self._lock_fd: int | None = None
        self._fd: int | None = None
        self._open: dict[str, str] = {}  # key → its line, for every message not done
        self._kept: dict[str, Spooled] = {}  # not done, and not in anyone's hands
        self._lines = 0
        self._written = 0  # bytes appended to the own file
        self._synced = 0  # of which fsync'd
        self._sync_lock = asyncio.Lock()

    @property
    def path(self) -> Path:
        return self.directory / f"{self._name}.jsonl"

    @property
    def open_count(self) -> int:
        """Messages in the spool not done yet (in hand or kept)."""
        return len(self._open)

    def open(self) -> list[Spooled]:
        """Create the own file and take over those of processes gone: their messages not done,
        in the order they arrived, now in the own file (fsync'd) and for the caller to hand
        to the handlers."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._lock_fd = _locked(self.directory / f"{self._name}.lock")
        assert self._lock_fd is not None
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        taken: list[Spooled] = []
        orphans: list[Path] = []
        for lock in sorted(self.directory.glob("inbound-*.lock")):
            if lock.stem == self._name or (fd := _locked(lock)) is None:
                continue  # ours, or a running process's
            try:
                taken.extend(_read_open(lock.with_suffix(".jsonl")))
                orphans.append(lock)
            finally:
                os.close(fd)
        for spooled in taken:
            self._append(spooled)
        os.fsync(self._fd)
        self._synced = self._written
        for lock in orphans:
            lock.with_suffix(".jsonl").unlink(missing_ok=True)
            lock.unlink(missing_ok=True)
        if taken:
            log.warning("%d message(s) from an earlier run taken from the spool", len(taken))
        return taken

    def write(self, incoming: Incoming, arrived: datetime) -> None:
        """Append a message (not yet fsync'd: `sync` before acknowledging it)."""
        self._append(Spooled(incoming, arrived))

    async def sync(self) -> None:
        """Everything written so far is on disk. Callers waiting together share one fsync."""
        target = self._written
        async with self._sync_lock:
            if self._synced >= target or self._fd is None:
                return
            upto = self._written
            await asyncio.to_thread(os.fsync, self._fd)
            self._synced = max(self._synced, upto)

    async def record(self, incoming: Incoming, arrived: datetime) -> None:
        """Write and sync one message (a webhook call, a Zalo poll)."""
        self.write(incoming, arrived)
        await self.sync()

    def done(self, incoming: Incoming) -> None:
        """The message is in the database: nothing more to keep (not fsync'd: a done mark
        lost in a crash only replays a message the inbound table recognises)."""
        key = spool_key(incoming)
        if self._open.pop(key, None) is None:
            return
        self._kept.pop(key, None)
        self._append_line(json.dumps({"done": key}))
        self._compact_if_worth_it()

    def keep(self, incoming: Incoming, arrived: datetime) -> None:
        """The database could not be reached: keep the message for `take_kept`."""
        key = spool_key(incoming)
        if key in self._open:
            self._kept[key] = Spooled(incoming, arrived)

    def take_kept(self) -> list[Spooled]:
        """The kept messages, now in the caller's hands (kept again if they fail again)."""
        kept, self._kept = list(self._kept.values()), {}
        return kept

    def dead(self, incoming: Incoming, arrived: datetime, reason: str) -> None:
        """The message made its handler fail for good: to the dead-letter file, fsync'd."""
        line = json.dumps({**_entry(Spooled(incoming, arrived)), "reason": reason}) + "\n"
        fd = os.open(self.directory / DEAD_LETTER, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        log.error("update %s kept in %s for an operator", incoming.update_id, DEAD_LETTER)
        self.done(incoming)

    def close(self) -> None:
        """Release the files; messages still open stay for the next start."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
        if self._lock_fd is not None:
            if not self._open:  # nothing left: leave no file behind
                self.path.unlink(missing_ok=True)
                (self.directory / f"{self._name}.lock").unlink(missing_ok=True)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _append(self, spooled: Spooled) -> None:
        line = json.dumps(_entry(spooled), ensure_ascii=False)
        self._open[spool_key(spooled.incoming)] = line
        self._append_line(line)

    def _append_line(self, line: str) -> None:
        if self._fd is None:
            raise OSError("the inbound spool is not open")
        data = (line + "\n").encode()
        os.write(self._fd, data)
        self._written += len(data)
        self._lines += 1

    def _compact_if_worth_it(self) -> None:
        """Rewrite the own file with the open messages only, when it has grown and mostly
        holds done ones; not while an fsync is running on the current file."""
        if self._lines < self._compact_after or len(self._open) * 4 > self._lines:
            return
        if self._sync_lock.locked() or self._fd is None:
            return
        fresh = self.path.with_suffix(".new")
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        data = "".join(line + "\n" for line in self._open.values()).encode()
        os.write(fd, data)
        os.fsync(fd)
        os.replace(fresh, self.path)
        os.close(self._fd)
        self._fd = fd
        self._lines = len(self._open)
        self._written = self._synced = len(data)


def _locked(path: Path) -> int | None:
    """The descriptor of `path`, locked for this process; None when another one holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _entry(spooled: Spooled) -> dict[str, Any]:
    """The line of a message. Its fields by hand: `dataclasses.asdict` deep-copies, and cost
    twenty times as much on the bot's event loop, where every message passes."""
    incoming = spooled.incoming
    data = {name: getattr(incoming, name) for name in _INCOMING_NAMES}
    for nested in ("contact", "attachment"):
        if data[nested] is not None:
            data[nested] = asdict(data[nested])
    return {"in": data, "at": spooled.arrived.isoformat()}


def _read_open(path: Path) -> list[Spooled]:
    """The messages of a spool file not marked done, in order; a torn last line (the
    process died writing it: its message was never acknowledged) is skipped."""
    entries: dict[str, Spooled] = {}
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            if "done" in record:
                entries.pop(record["done"], None)
                continue
            spooled = Spooled(_incoming(record["in"]), datetime.fromisoformat(record["at"]))
        except (ValueError, KeyError, TypeError) as error:
            log.warning("%s line %d unreadable (%s): skipped", path.name, number, error)
            continue
        entries[spool_key(spooled.incoming)] = spooled
    return list(entries.values())


def _incoming(data: dict[str, Any]) -> Incoming:
    known = {name: value for name, value in data.items() if name in _INCOMING_FIELDS}
    contact, attachment = known.get("contact"), known.get("attachment")
    return Incoming(
        **{
            **known,
            "channel": Channel(known["channel"]),
            "contact": Contact(**contact) if contact else None,
            "attachment": Attachment(**attachment) if attachment else None,
        }
    )
