"""Tests of csdesk.domain.masking: masks, validators and masking of free text.

Rule (DOMAIN.md, Data protection): ID number, phone, card and account numbers are
masked everywhere by default (110***********1234, 138****5678, 6222 **** **** 1234);
exports and logs carry no customer data unmasked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csdesk.domain.errors import ValidationError
from csdesk.domain.masking import (
    luhn_ok,
    mask_account,
    mask_card,
    mask_id_number,
    mask_phone,
    mask_text,
    normalize_phone,
    validate_card,
    validate_id_number,
)

VALID_IDS = ["11010519491231002X", "510107200002298768", "110101199003071233", "320106198506154512"]
VALID_CARDS = ["6222021234567891233", "621700001234567810", "4111111111111111", "6225880137652146"]

# --- single-value masks ----------------------------------------------------------------


def test_mask_phone_examples_from_the_domain_rules() -> None:
    """DOMAIN.md: phones are shown as 138****5678."""
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    "raw",
    [
        "+86 138-1234-5678",
        "+8613812345678",
        "0086 138 1234 5678",
        "86 13812345678",
        "(+86) 138 1234 5678",
        "138 1234 5678",
        "１３８１２３４５６７８",
    ],
)
def test_mask_phone_accepts_international_and_grouped_forms(raw: str) -> None:
    assert mask_phone(raw) == "138****5678"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("010-12345678", "010-****5678"),
        ("(010) 8765 4321", "010-****4321"),
        ("021-6123-4567", "021-****4567"),
        ("0755-87654321", "0755-****4321"),
        ("0571-8765432", "0571-****5432"),
        ("+86 10 12345678", "010-****5678"),
        ("075587654321", "0755-****4321"),
    ],
)
def test_mask_phone_landlines_keep_area_code_and_last_four(raw: str, masked: str) -> None:
    assert mask_phone(raw) == masked


@pytest.mark.parametrize("raw", ["12345", "not a phone 99887766", "555-0100-2222-9"])
def test_mask_phone_unrecognised_input_never_shows_more_than_last_four_digits(raw: str) -> None:
    masked = mask_phone(raw)
    digits = re.sub(r"\D", "", masked)
    assert len(digits) <= 4
    assert len(masked) == len(raw)


def test_mask_id_number_eighteen_characters() -> None:
    """DOMAIN.md: ID numbers are shown as 110***********1234 (first 3, 11 stars, last 4)."""
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_id_number("11010519491231002x") == "110***********002X"


def test_mask_id_number_old_fifteen_digits() -> None:
    assert mask_id_number("110101900307123") == "110********7123"


def test_mask_id_number_odd_length_hides_all_but_last_four_digits() -> None:
    assert mask_id_number("1101011990") == "******1990"
    assert mask_id_number("1234567") == "*******"


@pytest.mark.parametrize(
    "raw", ["6222021234567891234", "6222 0212 3456 7891 234", "6222-0212-3456-7891-234", "622202 1234567891234"]
)
def test_mask_card_keeps_first_and_last_four_grouped(raw: str) -> None:
    """DOMAIN.md: cards are shown as 6222 **** **** 1234."""
    assert mask_card(raw) == "6222 **** **** 1234"


def test_mask_card_sixteen_digits() -> None:
    assert mask_card("4111111111111111") == "4111 **** **** 1111"


def test_mask_card_wrong_length_is_still_masked() -> None:
    assert mask_card("62220212345") == "****2345"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("621700001234", "6217 **** 1234"),
        ("6217 0000 1234 5678 901", "6217 **** 8901"),
        ("11001234567890123456789", "1100 **** 6789"),
        ("98761234", "****1234"),
        ("1234", "****"),
    ],
)
def test_mask_account(raw: str, masked: str) -> None:
    assert mask_account(raw) == masked


def test_mask_account_with_letters_keeps_at_most_last_four_digits() -> None:
    assert mask_account("NO.110012345678") == "NO.********5678"


# --- validators -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13812345678", "13812345678"),
        (" +86 138-1234-5678 ", "13812345678"),
        ("0086 19912345678", "19912345678"),
        ("8613812345678", "13812345678"),
        ("010-12345678", "010-12345678"),
        ("(0755) 8765-4321", "0755-87654321"),
        ("02161234567", "021-61234567"),
        ("+86 21 6123 4567", "021-61234567"),
    ],
)
def test_normalize_phone_accepts(raw: str, normal: str) -> None:
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize(
    "raw",
    ["12812345678", "1381234567", "138123456789", "+1 415 555 0100", "010-123456", "abc13812345678", "000-12345678"],
)
def test_normalize_phone_rejects_with_a_sentence(raw: str) -> None:
    with pytest.raises(ValidationError) as raised:
        normalize_phone(raw)
    assert raised.value.field == "phone"
    assert "not a valid phone number" in raised.value.message
    assert str(raised.value) == raised.value.message


@pytest.mark.parametrize("raw", VALID_IDS)
def test_validate_id_number_accepts_valid_numbers(raw: str) -> None:
    """GB 11643-1999: 17 digits, birth date, ISO 7064 MOD 11-2 check character."""
    assert validate_id_number(raw) == raw.upper()


def test_validate_id_number_uppercases_x_and_strips_spaces() -> None:
    assert validate_id_number(" 110105 19491231 002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("110101199003071234", "last character"),  # checksum should be 3
        ("11010519491231002Y", "18 characters"),
        ("1101051949123100", "18 characters"),
        ("110101199002301238", "birth date"),  # 30 February
        ("110101180001011234", "birth date"),  # before 1900
        ("110101900307123", "15-digit"),
    ],
)
def test_validate_id_number_rejects(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_id_number(raw)
    assert raised.value.field == "id_number"
    assert fragment in raised.value.message


def test_validate_id_number_rejects_future_birth_date_when_today_given() -> None:
    with pytest.raises(ValidationError, match="birth date"):
        validate_id_number("510107200002298768", today=date(1999, 12, 31))
    assert validate_id_number("510107200002298768", today=date(2026, 11, 23)) == "510107200002298768"


@pytest.mark.parametrize("raw", VALID_CARDS)
def test_validate_card_accepts_luhn_valid_numbers(raw: str) -> None:
    assert validate_card(raw) == raw


def test_validate_card_strips_spaces() -> None:
    assert validate_card("6222 0212 3456 7891 233") == "6222021234567891233"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("6222021234567891234", "check digit"),
        ("622202123456789", "15 digits"),
        ("62220212345678912334", "20 digits"),
        ("6222O21234567891233", "only digits"),
    ],
)
def test_validate_card_rejects(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_card(raw)
    assert raised.value.field == "card_number"
    assert fragment in raised.value.message


@pytest.mark.parametrize(
    ("validator", "field"),
    [(normalize_phone, "phone"), (validate_id_number, "id_number"), (validate_card, "card_number")],
)
def test_validators_say_when_nothing_was_entered(validator: Callable[[str], str], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        validator("  ")
    assert raised.value.field == field
    assert raised.value.message.startswith("No ")


def test_luhn() -> None:
    assert luhn_ok("79927398713")
    assert not luhn_ok("79927398710")
    assert not luhn_ok("７９９２７３９８７１３")


# --- free text ------------------------------------------------------------------------

PHONE_FORMS = [
    "13812345678",
    "138 1234 5678",
    "138-1234-5678",
    "+86 13812345678",
    "+86-138-1234-5678",
    "+8613812345678",
    "0086 13812345678",
    "008613812345678",
    "86 138 1234 5678",
    "8613812345678",
    "(+86)13812345678",
    "（+86）138 1234 5678",
    "１３８１２３４５６７８",
    "1381234 5678",
]
LANDLINE_FORMS = [
    "010-12345678",
    "010 1234 5678",
    "(010)12345678",
    "（010）12345678",
    "01012345678",
    "0755-87654321",
    "0755 8765 4321",
    "+86 10 12345678",
    "+86-755-87654321",
    "0086 21 61234567",
    "021-6123-4567",
]
ID_FORMS = [
    "110101199003071234",
    "11010519491231002X",
    "11010519491231002x",
    "110105 19491231 002X",
    "110105-1949-1231-002X",
    "110101 1990 0307 1234",
    "１１０１０１１９９００３０７１２３４",
    "110101900307123",
]
CARD_FORMS = [
    "6222021234567891234",
    "6222 0212 3456 7891 234",
    "6222-0212-3456-7891-234",
    "6222 0212 3456 7891",
    "4111111111111111",
    "4111-1111-1111-1111",
    "622202 1234567891234",
    "621700001234567810",
    "6225 8801 3765 2146",
    "6222 0212 3456 7891 23",
]
ACCOUNT_FORMS = ["621700001234", "11001234567890123456789", "3100 0000 0000 0000 0000 1", "1100-1234-5678-9012-3456"]
TEMPLATES = [
    "{}",
    "客户{}来电",
    "电话：{}，请回电",
    "number {}.",
    "<{}>",
    "id={};",
    "「{}」",
    '"{}"',
    "{}\n",
    "卡号 {} 已挂失",
]


def _digits(text: str) -> str:
    return "".join(str(int(ch)) for ch in text if ch.isdigit())


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("sample", PHONE_FORMS + LANDLINE_FORMS + ID_FORMS + CARD_FORMS + ACCOUNT_FORMS)
def test_mask_text_recall_on_known_formats(sample: str, template: str) -> None:
    """Every sample identifier is masked: at most 4 leading and 4 trailing digits remain."""
    text = template.format(sample)
    masked = mask_text(text)
    assert "*" in masked, masked
    left = _digits(masked)
    assert len(left) <= 8, masked
    original = _digits(sample)
    assert original[4:-4] not in left or len(original[4:-4]) < 3


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("客户13812345678来电", "客户138****5678来电"),
        ("tel: +86 138-1234-5678.", "tel: 138****5678."),
        ("座机（010）12345678", "座机010-****5678"),
        ("身份证号110101199003071234", "身份证号110***********1234"),
        ("身份证 11010519491231002x", "身份证 110***********002X"),
        ("卡号6222 0212 3456 7891 234挂失", "卡号6222 **** **** 1234挂失"),
        ("账号 621700001234 余额", "账号 6217 **** 1234 余额"),
        ("旧身份证110101900307123", "旧身份证110********7123"),
    ],
)
def test_mask_text_replaces_in_place(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_mask_text_masks_several_identifiers_in_one_text() -> None:
    text = "张三 13812345678 / 110101199003071234 / 6222021234567891234, 李四 13987654321"
    assert mask_text(text) == ("张三 138****5678 / 110***********1234 / 6222 **** **** 1234, 李四 139****4321")


@pytest.mark.parametrize(
    "text",
    [
        "金额 12,000.00 元",
        "¥1,234,567.89",
        "日期 2026-11-23 09:30:15",
        "2026/11/23",
        "20261123",
        "工单 T-000123 已关闭",
        "TK-2026-000123",
        "监管热线 12378，客服 95588",
        "400-820-8820",
        "版本 v1.2.3",
        "邮编 100101",
        "合计 1234567890 笔",
        "满意度 95 %",
        "amount 13812345678.00 CNY",
        "uuid 0190f0c4-5b1e-7d3a-9c2f-3e4a5b6c7d8e",
        "hash a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "2026-11-23 2026-11-24 2026-11-25",
    ],
)
def test_mask_text_leaves_ordinary_numbers_alone(text: str) -> None:
    assert mask_text(text) == text


def test_mask_text_masks_any_long_digit_run() -> None:
    assert mask_text("ref 12345678901234") == "ref 1234 **** 1234"


@given(st.text())
def test_mask_text_is_idempotent_on_arbitrary_text(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once


@given(st.sampled_from(VALID_IDS + VALID_CARDS + ["13812345678", "19987654321"]), st.text(), st.text())
def test_mask_text_masks_identifiers_between_arbitrary_text(sample: str, before: str, after: str) -> None:
    """Recall: an identifier surrounded by non-alphanumerics is always masked."""
    boundary = " "
    masked = mask_text(before + boundary + sample + boundary + after)
    assert sample not in masked.upper()


def test_mask_text_on_a_megabyte_of_log_lines() -> None:
    line = "2026-11-23 09:30:15 INFO T-000123 12,000.00 客户 13812345678 卡 6222 0212 3456 7891 234 来电咨询\n"
    text = line * (1024 * 1024 // len(line))
    masked = mask_text(text)
    assert masked.count("138****5678") == text.count("13812345678")
    assert "6222 0212" not in masked


def test_mask_text_skips_long_text_without_numbers() -> None:
    text = "客户来电咨询理财产品的赎回流程。" * 300_000
    assert mask_text(text) is text
