"""Phone numbers: every spelling of a Vietnamese number meets in one E.164 form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.phones import display_phone, mask_phone, normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0912 345 678",
        "+84912345678",
        "84-912-345-678",
        "(+84) 912.345.678",
        "0912345678",
        "0912.345.678",
        "84912345678",
        "0084 912 345 678",
        "+84 0912 345 678",
        "912345678",  # what Excel keeps of 0912345678 in a number cell
        "'0912345678",  # Excel's "keep as text" apostrophe, left in a CSV
        "  0912  345\u00a0678 ",
        "０９１２３４５６７８",  # full-width digits from some Vietnamese keyboards
    ],
)
def test_spellings_of_one_number(raw: str) -> None:
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0868 000 303", "+84868000303"),
        ("0888000606", "+84888000606"),
        ("070 123 4567", "+84701234567"),
        ("028 3825 1234", "+842838251234"),  # an office landline is someone's phone too
    ],
)
def test_other_valid_numbers(raw: str, e164: str) -> None:
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "0912 345",  # too short
        "09123456789",  # one digit too many
        "0912345678a",
        "Tel: 0912345678",
        "0912345678 ext 12",
        "0912345678;0987654321",  # two numbers in one cell
        "0912345678 / 0987654321",
        "0912 345 678 - anh Nam",
        "+1 650 253 0000",  # valid, but not Vietnamese
        "1900 1234",  # shared-cost service number, nobody's phone
        "1800 1234",
        "0121 234 5678",  # old 11-digit mobile prefix: the library does not map it
        "8.49123E+11",
    ],
)
def test_not_a_vietnamese_personal_number(raw: str) -> None:
    assert normalize_phone(raw) is None


def test_display_and_mask() -> None:
    assert display_phone("+84912345678") == "0912 345 678"
    assert mask_phone("+84912345678") == "0912 *** 678"
    assert display_phone("+842838251234") == "028 3825 1234"
    assert mask_phone("+842838251234") == "028 **** 1234"


def test_foreign_number_is_shown_internationally_and_masked() -> None:
    assert display_phone("+16502530000") == "+1 650-253-0000"
    masked = mask_phone("+16502530000")
    assert masked.endswith("000")
    assert sum(ch.isdigit() for ch in masked) == 3


def test_garbage_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError) as caught:
        display_phone("not a number 0912")
    assert "0912" not in str(caught.value)
    with pytest.raises(ValueError):
        mask_phone("")


_mobile = st.builds(
    lambda prefix, rest: f"0{prefix}{rest:07d}",
    st.sampled_from(["32", "70", "81", "86", "88", "90", "91", "96", "98"]),
    st.integers(min_value=0, max_value=9_999_999),
)


@given(_mobile)
def test_normalising_is_stable_through_every_form(raw: str) -> None:
    e164 = normalize_phone(raw)
    assert e164 is not None
    assert normalize_phone(e164) == e164
    assert normalize_phone(display_phone(e164)) == e164
    masked = mask_phone(e164)
    assert masked[:4] == display_phone(e164)[:4]
    assert masked[-3:] == e164[-3:]
    assert "***" in masked


@settings(max_examples=400)
@given(
    st.tuples(
        st.sampled_from(["0", "+84", "84", "", "0084 "]),
        st.text(alphabet="0123456789", min_size=8, max_size=11),
        st.sampled_from(["", " ", "."]),
    )
)
def test_the_quick_path_agrees_with_the_library(parts: tuple[str, str, str]) -> None:
    """`normalize_phone` skips phonenumbers' parse for plain spellings: same answers."""
    import phonenumbers

    prefix, digits, separator = parts
    raw = prefix + separator.join([digits[:3], digits[3:6], digits[6:]])
    expected = None
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is not None
        and number.country_code == 84
        and phonenumbers.number_type(number)
        in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    ):
        expected = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert normalize_phone(raw) == expected
