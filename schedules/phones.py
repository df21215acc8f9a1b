"""Vietnamese phone numbers: one canonical form (E.164) to store and match, two forms to show.

The roster, the contact a chair shares on Telegram and an officer's typing all spell the same
number differently (`0912 345 678`, `+84912345678`, `84-912-345-678`); matching only works
if every number goes through `normalize_phone` first. Parsing and validity come from
`phonenumbers` (Google's libphonenumber metadata), so new carrier prefixes arrive with a
library update instead of a hand-kept list.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, PhoneNumberType

REGION = "VN"
_COUNTRY_CODE = 84

# Numbers that belong to a person or an office. Toll-free (1800), premium and shared-cost
# (1900) numbers are "valid" for the library but are never someone's phone.
_PERSONAL_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)

# Digits, spaces and the punctuation people put in numbers. Anything else (letters, "ext",
# a second number after ";" or "/") is refused rather than guessed at: the library would
# otherwise read "0912345678a" or "0912345678;0987654321" as a valid number.
_ALLOWED = re.compile(r"[0-9+().\- ]+")
_E164 = re.compile(r"\+[1-9][0-9]{5,14}")

# The 2018 conversion of 11-digit mobile numbers to 10 digits: the old network code (after
# the leading 0) and its new one; the last seven digits stay. Source: Bộ Thông tin và Truyền
# thông, Quyết định 798/QĐ-BTTTT ngày 25/5/2018 (the plan ran from 15/9/2018 to 30/6/2019).
# `phonenumbers` knows only today's numbering, so it cannot make this hint.
OLD_MOBILE_CODES: dict[str, str] = {
    # MobiFone
    "120": "70", "121": "79", "122": "77", "126": "76", "128": "78",
    # VinaPhone
    "123": "83", "124": "84", "125": "85", "127": "81", "129": "82",
    # Viettel
    "162": "32", "163": "33", "164": "34", "165": "35",
    "166": "36", "167": "37", "168": "38", "169": "39",
    # Vietnamobile, Gmobile
    "186": "56", "188": "58", "199": "59",
}  # fmt: skip
# `0` or `+84` then a national number (not starting with 0): parsed without the library.
_PLAIN = re.compile(r"(?:0|\+84)([1-9][0-9]{8,9})")
_OLD_MOBILE = re.compile(r"(?:\+84|0084|84|0)?(1\d\d)(\d{7})")


def normalize_phone(raw: str) -> str | None:
    """E.164 (`+84912345678`) for a valid Vietnamese personal number, else None.

    Accepts the spellings found in sheets and chats: spaces, dots, dashes, brackets,
    `+84`/`84`/`0084` or a leading `0`, full-width digits, a leading apostrophe (Excel's
    "keep as text" mark) and the bare nine digits Excel leaves when it drops the leading 0.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    text = text.removeprefix("'").strip()
    text = " ".join(text.split())
    if not text or not _ALLOWED.fullmatch(text):
        return None
    plain = _PLAIN.fullmatch(text.replace(" ", "").replace(".", ""))
    if plain is not None:
        # The common spellings (`0912345678`, `+84912345678`, spaces or dots) skip the
        # library's parse, which is most of a roster's reading time; the type check stays.
        number = PhoneNumber(country_code=_COUNTRY_CODE, national_number=int(plain.group(1)))
        if not _is_vietnamese_personal(number):
            return None
        return f"+84{plain.group(1)}"
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException:
        return None
    if number.extension or not _is_vietnamese_personal(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def converted_old_mobile(raw: str) -> str | None:
    """The 10-digit number an old 11-digit mobile number became in 2018, as people write it
    (`0168 123 4567` → `038 123 4567`); None when `raw` is not such a number.

    Only a hint for the person who typed it: the subscriber may have changed since, so the
    old number is never converted silently.
    """
    text = unicodedata.normalize("NFKC", raw).strip().removeprefix("'")
    digits = re.sub(r"[\s().\-]", "", text)
    match = _OLD_MOBILE.fullmatch(digits)
    if match is None or match.group(1) not in OLD_MOBILE_CODES:
        return None
    new = normalize_phone(f"0{OLD_MOBILE_CODES[match.group(1)]}{match.group(2)}")
    return display_phone(new) if new is not None else None


def display_phone(e164: str) -> str:
    """The number as Vietnamese people write it: `0912 345 678` (international form abroad).

    Takes a stored E.164 number; anything else is a bug upstream and raises ValueError.
    """
    number = _parse_stored(e164)
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def mask_phone(e164: str) -> str:
    """`0912 *** 678`: enough for a person to recognise their number, not enough to call it.

    The first and last groups of the display form stay; every digit in between becomes `*`.
    """
    shown = display_phone(e164)
    groups = shown.split(" ")
    if len(groups) >= 3:
        middle = [re.sub(r"\d", "*", group) for group in groups[1:-1]]
        return " ".join([groups[0], *middle, groups[-1]])
    # Too short to have a middle group: keep only the last three digits.
    total = sum(ch.isdigit() for ch in shown)
    seen = 0
    out: list[str] = []
    for ch in shown:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - 3 else "*")
        else:
            out.append(ch)
    return "".join(out)


def _is_vietnamese_personal(number: PhoneNumber) -> bool:
    # +84 belongs to Vietnam alone, and a known number type implies a valid number: one
    # metadata match instead of the two that is_valid_number_for_region + number_type make.
    return (
        number.country_code == _COUNTRY_CODE and phonenumbers.number_type(number) in _PERSONAL_TYPES
    )


def _parse_stored(e164: str) -> PhoneNumber:
    # The number itself stays out of the message: errors end up in logs.
    if not _E164.fullmatch(e164):
        raise ValueError("not an E.164 phone number")
    try:
        return phonenumbers.parse(e164, None)
    except NumberParseException:
        raise ValueError("not an E.164 phone number") from None
