"""Fold a chair's line to plain lower-case ASCII while remembering where each letter came from.

Chairs type with diacritics, without them, or with raw Telex keys left in ("xong rooif",
"ddang lamf") when the phone's input method is off. The grammar matches one folded form,
and the offsets let it quote the chair's own words (diacritics, casing) back as a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from schedules.folding import fold_char

# A plain (unaccented) Vietnamese syllable: onset, one to three vowels, coda. Loose on
# purpose: it only decides whether a token is already a word or may be Telex keys.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?",
    re.ASCII,
)
_LETTERS = re.compile(r"[a-z]+", re.ASCII)
_TONE_KEYS = frozenset("sfrxj")
_VOWELS = frozenset("aeiouy")


@dataclass(frozen=True, slots=True)
class FoldedText:
    """The folded text, and for each of its characters the index of the original one."""

    original: str
    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> str:
        """The chair's own text behind folded `[start, end)`, NFC, with trailing marks kept."""
        if start >= end:
            return ""
        first = self.origin[start]
        last = self.origin[end - 1] + 1
        limit = self.origin[end] if end < len(self.origin) else len(self.original)
        # Keep a decomposed letter's marks, and Telex keys folded away (`phis` → `phi`).
        while last < limit and (
            unicodedata.combining(self.original[last]) or self.original[last].isalpha()
        ):
            last += 1
        return unicodedata.normalize("NFC", self.original[first:last])


def is_plain_syllable(token: str) -> bool:
    """True when an ASCII token reads as one Vietnamese syllable written without marks."""
    return _SYLLABLE.fullmatch(token) is not None


def untelex(token: str) -> list[int] | None:
    """Indexes of `token` to keep so that raw Telex keys fold to a plain syllable, else None.

    `rooif` → r,o,i ("rồi"), `dduwowcj` → d,u,o,c ("được"), `nhw` → n,h,w read as u ("như").
    A token that is already a syllable, or that does not become one, is left alone (None),
    so abbreviations such as `cdcs`, `ok` or `tks` survive.
    """
    if is_plain_syllable(token) or len(token) < 2:
        return None
    for tone_at in _tone_key_positions(token):
        keep = _strip_modifiers(token, tone_at)
        candidate = "".join("u" if token[i] == "w" else token[i] for i in keep)
        if is_plain_syllable(candidate):
            return keep
    return None


def _tone_key_positions(token: str) -> list[int | None]:
    """Where a tone key may sit: nowhere, at the end, or right after a vowel inside the word."""
    positions: list[int | None] = [None]
    if token[-1] in _TONE_KEYS:
        positions.append(len(token) - 1)
    positions.extend(
        i
        for i in range(1, len(token) - 1)
        if token[i] in _TONE_KEYS and token[i - 1] in _VOWELS | {"w"}
    )
    return positions


def _strip_modifiers(token: str, tone_at: int | None) -> list[int]:
    """Drop the tone key, a doubled `dd`/vowel (â ê ô đ), and a `w` that marks a vowel."""
    keep: list[int] = []
    seen_vowel = False
    for i, char in enumerate(token):
        if i == tone_at:
            continue
        if keep and char == token[keep[-1]] and char in "daeo":
            continue  # dd → đ, aa → â, ee → ê, oo → ô
        if char == "w":
            if seen_vowel:
                continue  # uw → ư, ow → ơ, aw → ă, or typed after the syllable
            keep.append(i)  # a bare w is ư
            seen_vowel = True
            continue
        if char in _VOWELS:
            seen_vowel = True
        keep.append(i)
    return keep


def fold(text: str) -> FoldedText:
    """Fold `text` for matching: no diacritics, đ → d, lower case, Telex keys undone."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in fold_char(char):
            chars.append(folded)
            origin.append(index)
    plain = "".join(chars)
    # Second pass: undo Telex word by word; every kept letter keeps its origin.
    out_chars: list[str] = []
    out_origin: list[int] = []
    cursor = 0
    for match in _LETTERS.finditer(plain):
        out_chars.extend(plain[cursor : match.start()])
        out_origin.extend(origin[cursor : match.start()])
        token = match.group()
        keep = untelex(token)
        if keep is None:
            out_chars.extend(token)
            out_origin.extend(origin[match.start() : match.end()])
        else:
            for i in keep:
                out_chars.append("u" if token[i] == "w" else token[i])
                out_origin.append(origin[match.start() + i])
        cursor = match.end()
    out_chars.extend(plain[cursor:])
    out_origin.extend(origin[cursor:])
    return FoldedText(original=text, text="".join(out_chars), origin=tuple(out_origin))


def fold_plain(text: str) -> str:
    """Only the folded string, for callers that do not need to quote the original."""
    return fold(text).text
