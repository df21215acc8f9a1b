"""What a person typed, cleaned before it is stored or read: the one place that removes
characters nobody can see.

A message may carry terminal escapes (`\\x1b[31m`), NUL and other control characters,
bidirectional overrides (`\\u202e` turns the text an officer reads later right to left) and
zero-width characters (`\\u200b` hides inside a word and defeats matching). None of them is
something a chair meant to say, and PostgreSQL refuses a NUL in text outright. They are
removed, not kept beside: a stored copy of the raw bytes would carry the same traps to the
officers' screens, and nothing in the bot needs them (written down in docs/reliability.md).

An escape sequence goes as a whole (`\\x1b[31m`, not only `\\x1b`), so no "31m" is left for
the reply grammar to read as a note. Line breaks and tabs stay; `\\r\\n`, `\\r` and the Unicode
line and paragraph separators become `\\n`. A zero-width joiner inside an emoji (👨‍👩‍👧) stays;
anywhere else it goes.
"""

from __future__ import annotations

import re
import unicodedata

# ANSI / ECMA-48 escape sequences: CSI (ESC [ or the 8-bit 0x9b) with its parameters and
# final byte; OSC, DCS, SOS, PM and APC strings up to their terminator (BEL or ST); and any
# other two-character escape (ESC and one printable character). A string never runs past
# the end of its line, so an unterminated one cannot swallow the message.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_ZWJ = "\u200d"
_KEPT_CONTROLS = frozenset("\n\t")
# Emoji parts a zero-width joiner may sit between: pictographs (So), skin tones (Sk), the
# emoji presentation selector.
_EMOJI_CATEGORIES = frozenset({"So", "Sk"})
_EMOJI_SELECTOR = "\ufe0f"


def clean_text(text: str) -> str:
    """`text` without escape sequences, control characters (except line break and tab),
    bidirectional controls and invisible format characters."""
    if text.isascii() and text.isprintable():
        return text  # the common case: a chair's `xong`, a command
    text = _LINE_BREAKS.sub("\n", _ESCAPES.sub("", text))
    kept: list[str] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cc":
            if char in _KEPT_CONTROLS:
                kept.append(char)
        elif category == "Cf":
            if char == _ZWJ and _joins_emoji(text, index):
                kept.append(char)
        elif category != "Cs":  # a lone surrogate cannot even be written as UTF-8
            kept.append(char)
    return "".join(kept)


def clean_optional(text: str | None) -> str | None:
    """`clean_text` for a field that may be absent."""
    return None if text is None else clean_text(text)


def _joins_emoji(text: str, index: int) -> bool:
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return _is_emoji_part(before) and _is_emoji_part(after)


def _is_emoji_part(char: str) -> bool:
    return bool(char) and (
        char == _EMOJI_SELECTOR or unicodedata.category(char) in _EMOJI_CATEGORIES
    )
