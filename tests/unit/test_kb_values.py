"""The firm's figures put into articles: {{placeholders}}, values per language, refusals.

Rule (kb_topics.md): limits and fees are placeholders a firm fills in; a placeholder the
firm has not filled must stay visible, never become an empty gap in what a customer hears.
"""

from __future__ import annotations

import pytest

from csdesk.domain.errors import ValidationError
from csdesk.domain.kb_values import fill, parse_values, placeholders

VALUES = parse_values(
    'cc_hotline = "95xxx-1"\nreissue_wait_days = 7\n[temporary_loss_report_validity]\nzh-CN = "5 天"\nen = "5 days"\n',
    "kb_values.toml",
)


def test_values_are_put_in_per_language_or_for_all() -> None:
    text = "Call {{cc_hotline}}; it lasts {{temporary_loss_report_validity}}, a card takes {{ reissue_wait_days }}"
    assert fill(text, VALUES, "en").text == "Call 95xxx-1; it lasts 5 days, a card takes 7"
    assert fill("有效期 {{temporary_loss_report_validity}}", VALUES, "zh-CN").text == "有效期 5 天"


def test_a_value_not_given_stays_visible_and_is_reported_once() -> None:
    filled = fill("{{fee}} then {{cc_hotline}} and {{fee}} again {{other}}", VALUES, "en", mark_missing="`{{%s}}`")
    assert filled.text == "`{{fee}}` then 95xxx-1 and `{{fee}}` again `{{other}}`"
    assert filled.missing == ("fee", "other")
    assert fill("{{fee}}", VALUES, "en").text == "{{fee}}"  # default mark: the placeholder itself


def test_placeholders_are_listed_once_in_order() -> None:
    assert placeholders("{{b}} {{a}} {{b}} {{ c }} {{Not_one}} {x}") == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('fee = "10\n', "not valid TOML"),
        ('fee = "10\n', "line 1"),
        ('Fee = "10"\n', "not a placeholder name"),
        ("fee = true\n", "needs a text"),
        ('[fee]\nfr = "10"\n', "needs a text"),
        ('fee = ""\n', "one line"),
        ('fee = "see {{other}}"\n', "without placeholders"),
        ('fee = "a\\nb"\n', "one line"),
        ('fee = "\\u001b[31mred"\n', "one line"),
        (f'fee = "{"x" * 501}"\n', "1–500"),
    ],
)
def test_a_broken_values_file_is_refused_with_its_name(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_values(text, "kb_values.toml")
    assert caught.value.message.startswith("kb_values.toml") and says in caught.value.message
