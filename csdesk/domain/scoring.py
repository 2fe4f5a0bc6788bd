"""Scoring a trainee's run of a scenario from what the event log says they did.

DOMAIN.md, "Training": trainees are scored on time to first answer, the right KB
article, complete complaint fields, the legal deadline promised correctly, callbacks
scheduled and masking respected. Each :class:`~csdesk.domain.scenario.Check` of the
scenario gives points; the report lists every check with the reason it passed or not.

Pure: the data layer hands in the run's events as :class:`Fact` values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from csdesk.domain.arrivals import CHINA
from csdesk.domain.scenario import Check, Scenario
from csdesk.domain.workdays import CN_CALENDAR, HolidayCalendar

#: Decision within 15 calendar days of acceptance (CBIRC Order 2020 No. 3, Art. 18).
COMPLAINT_DAYS = 15
#: What a logged complaint must carry to be complete (the complaint.logged payload).
COMPLAINT_FIELDS = ("customer_id", "channel", "business", "cause", "description", "severity", "promised_at", "deadline")
#: A trainee's first touch of a ticket: taking it, writing on it, moving it on, answering from the KB.
ANSWER_KINDS = frozenset({"ticket.assigned", "ticket.status_changed", "ticket.note_added", "ticket.kb_used"})


@dataclass(frozen=True, slots=True)
class Fact:
    """One event of the run, as scoring sees it."""

    kind: str
    actor: str
    entity: str
    entity_id: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunFacts:
    """A run: who trained, which tickets and customers the scenario brought, what happened since."""

    trainee: str
    primary: dict[str, datetime]
    tickets: frozenset[str]
    customers: frozenset[str]
    facts: tuple[Fact, ...]

    def by_trainee(self, *kinds: str) -> list[Fact]:
        """The trainee's events of ``kinds``, oldest first."""
        return [f for f in self.facts if f.actor == self.trainee and f.kind in kinds]

    def on_tickets(self, *kinds: str) -> list[Fact]:
        """The trainee's events of ``kinds`` on the run's tickets."""
        return [f for f in self.by_trainee(*kinds) if f.entity == "ticket" and f.entity_id in self.tickets]

    def concerns_run(self, fact: Fact) -> bool:
        """True when ``fact`` (of another room) names one of the run's customers or tickets."""
        data = fact.data
        return (
            data.get("customer_id") in self.customers
            or data.get("ticket_id") in self.tickets
            or (fact.entity == "ticket" and fact.entity_id in self.tickets)
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    """How one check went: ``code`` names the reason (translated on screen), ``reason`` says it in English."""

    check: str
    points: int
    earned: int
    code: str
    reason: str
    values: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Full points earned."""
        return self.earned == self.points


@dataclass(frozen=True, slots=True)
class ScoreReport:
    """The score of one trainee on one run of a scenario."""

    scenario_id: str
    trainee: str
    results: tuple[CheckResult, ...]

    @property
    def earned(self) -> int:
        """Points earned."""
        return sum(r.earned for r in self.results)

    @property
    def possible(self) -> int:
        """Points possible."""
        return sum(r.points for r in self.results)

    @property
    def percent(self) -> int:
        """Score out of 100, rounded."""
        return round(100 * self.earned / self.possible) if self.possible else 0


def legal_deadline(
    accepted_at: datetime, days: int = COMPLAINT_DAYS, calendar: HolidayCalendar = CN_CALENDAR
) -> datetime:
    """End of the last day to decide a complaint accepted at ``accepted_at``.

    Calendar days counted from the day after acceptance (China time); a last day on a
    rest day or public holiday moves to the next working day (Civil Code Art. 201/203).
    """
    accepted = accepted_at.astimezone(CHINA).date()
    last = calendar.add_calendar_days(accepted, days, roll_forward=True)
    return datetime.combine(last + timedelta(days=1), time(), CHINA) - timedelta(microseconds=1)


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)


def _result(check: Check, earned: int, code: str, reason: str, **values: Any) -> CheckResult:
    return CheckResult(check.kind, check.points, earned, code, reason, {k: str(v) for k, v in values.items()})


def _first_answer(check: Check, run: RunFacts) -> CheckResult:
    within: timedelta = check.params["within"]
    first: dict[str, datetime] = {}
    for fact in run.on_tickets(*ANSWER_KINDS):
        first.setdefault(fact.entity_id, fact.at)
    waits = []
    for ticket_id, arrived in run.primary.items():
        if ticket_id not in first:
            return _result(check, 0, "not_answered", "A scenario contact was never answered.")
        waits.append(max(first[ticket_id] - arrived, timedelta(0)))
    if not waits:
        return _result(check, 0, "not_answered", "No scenario contact has arrived yet.")
    worst = max(waits)
    seconds = int(worst.total_seconds())
    limit = int(within.total_seconds())
    if worst <= within:
        return _result(check, check.points, "answer_in_time", f"Answered in {seconds} s (target {limit} s).",
                       seconds=seconds, target=limit)
    earned = check.points // 2 if worst <= 2 * within else 0
    return _result(check, earned, "answer_late", f"Answered after {seconds} s; the target is {limit} s.",
                   seconds=seconds, target=limit)


def _kb_article(check: Check, run: RunFacts) -> CheckResult:
    expected: tuple[str, ...] = check.params["article"]
    used = [f.data.get("article_id", "") for f in run.on_tickets("ticket.kb_used")]
    if any(article in expected for article in used):
        return _result(check, check.points, "kb_right", f"Answered from {', '.join(expected)}.",
                       article=expected[0])
    if used:
        return _result(check, 0, "kb_wrong", f"Used {', '.join(used)}; the right article is {expected[0]}.",
                       used=", ".join(used), article=expected[0])
    return _result(check, 0, "kb_none", f"No KB article was used; the right one is {expected[0]}.",
                   article=expected[0])


def _complaints(run: RunFacts) -> list[Fact]:
    return [f for f in run.by_trainee("complaint.logged") if run.concerns_run(f)]


def _complaint_fields(check: Check, run: RunFacts) -> CheckResult:
    logged = _complaints(run)
    if not logged:
        return _result(check, 0, "complaint_missing", "No complaint was logged.")
    data = logged[-1].data
    wanted = tuple(check.params.get("fields") or COMPLAINT_FIELDS)
    wrong = [name for name in wanted if data.get(name) in (None, "", [])]
    for name, value in (check.params.get("values") or {}).items():
        if data.get(name) != value and name not in wrong:
            wrong.append(name)
    least = check.params.get("min_complainants")
    if least and int(data.get("complainants") or 0) < int(least) and "complainants" not in wrong:
        wrong.append("complainants")
    total = len(wanted) + len(check.params.get("values") or {}) + (1 if least else 0)
    earned = round(check.points * max(total - len(wrong), 0) / total) if total else check.points
    if not wrong:
        return _result(check, check.points, "complaint_complete", "The complaint record is complete and right.")
    return _result(check, earned, "complaint_incomplete", f"Missing or wrong: {', '.join(wrong)}.",
                   fields=", ".join(wrong))


def _deadline(check: Check, run: RunFacts) -> CheckResult:
    logged = _complaints(run)
    if not logged:
        return _result(check, 0, "complaint_missing", "No complaint was logged.")
    fact = logged[-1]
    days = int(check.params.get("days", COMPLAINT_DAYS))
    promised = _when(fact.data.get("promised_at"))
    limit = legal_deadline(fact.at, days)
    recorded = _when(fact.data.get("deadline"))
    if promised is None:
        return _result(check, 0, "deadline_none", "No reply time was promised to the customer.")
    last_day = limit.astimezone(CHINA).date().isoformat()
    if promised > limit or (recorded is not None and promised > recorded):
        day = promised.astimezone(CHINA).date().isoformat()
        return _result(check, 0, "deadline_late", f"Promised {day}, after the legal deadline {last_day}.",
                       promised=day, deadline=last_day)
    return _result(check, check.points, "deadline_ok", f"Promised within the {days}-day deadline ({last_day}).",
                   days=days, deadline=last_day)


def _callback(check: Check, run: RunFacts) -> CheckResult:
    purpose = check.params.get("purpose")
    scheduled = [f for f in run.by_trainee("callback.scheduled") if run.concerns_run(f) or f.data.get("complaint_id")]
    if purpose:
        matching = [f for f in scheduled if f.data.get("purpose") == purpose]
        if not matching:
            return _result(check, 0, "callback_missing", f"No {purpose} callback was scheduled.", purpose=purpose)
    elif not scheduled:
        return _result(check, 0, "callback_missing", "No callback was scheduled.", purpose="-")
    return _result(check, check.points, "callback_ok", "A callback was scheduled.", purpose=purpose or "-")


def _masking(check: Check, run: RunFacts) -> CheckResult:
    allowed = set(check.params.get("allow") or ())
    needless = [
        f.data.get("field", "?")
        for f in run.by_trainee("pii.revealed")
        if f.data.get("field") not in allowed or f.data.get("ticket_id") not in run.tickets
    ]
    if needless:
        return _result(check, 0, "masking_broken", f"Revealed without need: {', '.join(needless)}.",
                       fields=", ".join(needless))
    return _result(check, check.points, "masking_ok", "Numbers stayed masked unless needed.")


def _consulted(check: Check, run: RunFacts) -> CheckResult:
    hint = str(check.params.get("department") or "")
    asked = [f.data.get("department", "") for f in run.on_tickets("ticket.consulted")]
    if any(hint in department for department in asked):
        return _result(check, check.points, "consulted_ok", "The right department was consulted.")
    return _result(check, 0, "consulted_missing", f"No department{' ' + hint if hint else ''} was consulted.",
                   department=hint or "-")


def _linked(check: Check, run: RunFacts) -> CheckResult:
    least = int(check.params.get("min", 1))
    pairs = {frozenset((f.entity_id, f.data.get("other_id"))) for f in run.on_tickets("ticket.linked", "ticket.merged")}
    if len(pairs) >= least:
        return _result(check, check.points, "linked_ok", f"{len(pairs)} tickets linked to the incident.",
                       count=len(pairs))
    return _result(check, 0, "linked_few", f"{len(pairs)} tickets linked; at least {least} expected.",
                   count=len(pairs), least=least)


def _notes(check: Check, run: RunFacts) -> CheckResult:
    least = int(check.params.get("min", 1))
    count = len(run.on_tickets("ticket.note_added"))
    if count >= least:
        return _result(check, check.points, "notes_ok", f"{count} notes recorded.", count=count)
    return _result(check, 0, "notes_few", f"{count} notes recorded; at least {least} expected.",
                   count=count, least=least)


RULES: dict[str, Callable[[Check, RunFacts], CheckResult]] = {
    "first_answer": _first_answer,
    "kb_article": _kb_article,
    "complaint_fields": _complaint_fields,
    "deadline": _deadline,
    "callback": _callback,
    "masking": _masking,
    "consulted": _consulted,
    "linked": _linked,
    "notes": _notes,
}


def score(scenario: Scenario, run: RunFacts) -> ScoreReport:
    """Every check of ``scenario`` against the run."""
    return ScoreReport(scenario.id, run.trainee, tuple(RULES[check.kind](check, run) for check in scenario.checks))
