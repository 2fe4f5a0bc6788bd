"""Per-question 1–5 scores of a survey callback, shown inside the callback outcome form.

When the callback belongs to a survey campaign, the outcome form asks each of the
campaign's questions (the first is the overall one, CSAT's) instead of the single score.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from csdesk.domain.errors import ValidationError


class SurveyAnswers(Vertical):
    """One score input (1–5) under each question."""

    DEFAULT_CSS = """
    SurveyAnswers { height: auto; }
    SurveyAnswers Input { width: 12; }
    """

    def __init__(self, questions: tuple[str, ...], placeholder: str, rule: str) -> None:
        super().__init__(id="survey-answers")
        self.questions = questions
        self.placeholder = placeholder
        self.rule = rule

    def compose(self) -> ComposeResult:
        """Each question, then its score input."""
        for number, question in enumerate(self.questions):
            yield Label(Text(f"{number + 1}. {question}"))
            yield Input(placeholder=self.placeholder, max_length=1, id=f"survey-q{number}")

    def scores(self) -> list[int]:
        """The typed scores; :class:`ValidationError` with the rule when one is missing or not 1–5."""
        result = []
        for number in range(len(self.questions)):
            text = self.query_one(f"#survey-q{number}", Input).value.strip()
            if text not in ("1", "2", "3", "4", "5"):
                raise ValidationError("answers", self.rule)
            result.append(int(text))
        return result
