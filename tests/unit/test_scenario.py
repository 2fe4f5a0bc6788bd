"""Scenario documents: rules for a trainer's YAML file, and the loader's file-and-line reports."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from csdesk.data.scenario_files import SHIPPED_DIR, load_scenarios
from csdesk.domain.scenario import ScenarioError, parse_duration, parse_scenario

MINIMAL = {
    "id": "my-case",
    "title": {"zh-CN": "我的场景", "en": "My case"},
    "briefing": "Answer the call.",
    "arrivals": [{"kind": "consultation", "channel": "phone", "subject": "Hello"}],
    "expect": [{"check": "first_answer", "within": "20s"}],
}


def test_a_minimal_scenario_parses_with_defaults() -> None:
    """One arrival and one check are enough; text without languages is used for both."""
    scenario = parse_scenario(MINIMAL)
    assert scenario.briefing.zh == scenario.briefing.en == "Answer the call."
    assert scenario.arrivals[0].at == timedelta(0) and scenario.arrivals[0].priority == "normal"
    assert scenario.checks[0].params["within"] == timedelta(seconds=20)
    assert scenario.duration == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"id": "Bad Id"}, ("id",), "lower-case"),
        ({"arrivals": []}, ("arrivals",), "at least one arrival"),
        ({"arrivals": [{"kind": "chat", "channel": "phone", "subject": "x"}]}, ("arrivals", 0, "kind"), "consultation"),
        ({"expect": [{"check": "luck"}]}, ("expect", 0, "check"), "first_answer"),
        ({"expect": [{"check": "kb_article"}]}, ("expect", 0, "article"), "KB article"),
        ({"title": {"zh-CN": "只有中文"}}, ("title",), "en is missing"),
        ({"reactions": [{"event": "ticket.created", "say": "hi"}]}, ("reactions", 0, "event"), "callback.scheduled"),
        ({"waves": [{"per_hour": 0, "subject": "x"}]}, ("waves", 0, "per_hour"), "more than 0"),
    ],
)
def test_a_broken_scenario_names_the_place_and_the_rule(change: dict, path: tuple, words: str) -> None:
    """Every refusal says where in the document and what the rule is."""
    with pytest.raises(ScenarioError) as caught:
        parse_scenario({**MINIMAL, **change})
    assert caught.value.path == path
    assert words in caught.value.message


def test_durations() -> None:
    """90s, 2m, 1.5h, 15d or plain seconds; never negative, never words."""
    assert parse_duration("90s", ()) == timedelta(seconds=90)
    assert parse_duration("1.5h", ()) == timedelta(minutes=90)
    assert parse_duration(30, ()) == timedelta(seconds=30)
    for bad in ("soon", -1, True):
        with pytest.raises(ScenarioError):
            parse_duration(bad, ())


def test_a_trainer_adds_a_scenario_without_code_and_a_broken_file_is_reported_with_its_line(tmp_path: Path) -> None:
    """Files in the trainer's directory load next to the shipped ones; a bad one names file and line."""
    (tmp_path / "mine.yaml").write_text(
        "id: my-case\ntitle: Mine\nbriefing: Brief\narrivals:\n  - kind: consultation\n    channel: phone\n"
        "    subject: Hi\nexpect:\n  - check: notes\n",
        encoding="utf-8",
    )
    (tmp_path / "broken.yaml").write_text(
        "id: broken\ntitle: Broken\nbriefing: B\narrivals:\n  - kind: consultation\n    channel: pigeon\n"
        "    subject: Hi\nexpect:\n  - check: notes\n",
        encoding="utf-8",
    )
    (tmp_path / "bad-yaml.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    scenarios, problems = load_scenarios([tmp_path])
    assert "my-case" in scenarios and "lost-card" in scenarios
    reported = {Path(p.file).name: p for p in problems}
    assert set(reported) == {"broken.yaml", "bad-yaml.yaml"}
    assert reported["broken.yaml"].line == 6 and "pigeon" in reported["broken.yaml"].message
    assert str(reported["broken.yaml"]).startswith(f"{tmp_path / 'broken.yaml'}:6: ")
    assert "Not valid YAML" in reported["bad-yaml.yaml"].message


def test_the_shipped_scenarios_are_in_the_package() -> None:
    """Shipped inside csdesk/data so an installed csdesk finds them."""
    assert SHIPPED_DIR.parts[-3:] == ("csdesk", "data", "scenarios")
    assert len(list(SHIPPED_DIR.glob("*.yaml"))) >= 7
