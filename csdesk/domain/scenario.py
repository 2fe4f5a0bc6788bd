"""Training scenarios: what arrives, what the simulated customers say, what a trainee should do.

A scenario is data (DOMAIN.md, "Training"): a trainer writes one as a YAML file and
:func:`parse_scenario` turns the decoded mapping into a :class:`Scenario`. A mistake is a
:class:`ScenarioError` naming the place in the document (``("arrivals", 0, "at")``), so
the loader can point at the file and line. Pure: no I/O here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from csdesk.domain.tickets import Business, Channel, Kind, Priority

LANGUAGES = ("zh-CN", "en")
Path = tuple[str | int, ...]

#: Kinds of check a scenario may expect, with what each measures (see csdesk.domain.scoring).
CHECKS = (
    "first_answer",
    "kb_article",
    "complaint_fields",
    "deadline",
    "callback",
    "masking",
    "consulted",
    "linked",
    "notes",
)
#: Event kinds a reaction may answer (other rooms' events included, by name).
REACTION_EVENTS = (
    "ticket.status_changed",
    "ticket.consulted",
    "callback.scheduled",
    "callback.attempted",
    "complaint.logged",
    "complaint.decided",
    "complaint.notice_sent",
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class ScenarioError(ValueError):
    """A scenario document that breaks a rule; ``path`` says where in the document."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class Text:
    """A string in zh-CN and English."""

    zh: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language`` (English for anything but zh-CN)."""
        return self.zh if language == "zh-CN" else self.en


@dataclass(frozen=True, slots=True)
class CustomerSpec:
    """Who calls: a named customer, or ``None`` fields for a generated one."""

    name: Text | None = None
    language: str = "zh-CN"
    vip: bool = False
    card: bool = True
    age: int | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """Something the customer says on their ticket ``after`` it arrived."""

    after: timedelta
    say: Text


@dataclass(frozen=True, slots=True)
class Arrival:
    """A scripted contact: ``count`` of them, the first at ``at``, spread over ``spread``."""

    at: timedelta
    kind: str
    channel: str
    subject: Text
    description: Text
    priority: str = "normal"
    business: str | None = None
    customer: CustomerSpec = field(default_factory=CustomerSpec)
    lines: tuple[Line, ...] = ()
    count: int = 1
    spread: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True)
class Wave:
    """Unscripted contacts: Poisson arrivals at ``per_hour`` (``profile``: shaped by the day's peaks)."""

    start: timedelta
    minutes: int
    per_hour: float
    subject: Text
    kind: str = "consultation"
    channel: str = "phone"
    profile: bool = False


@dataclass(frozen=True, slots=True)
class Reaction:
    """The customer's answer ``after`` an event of kind ``on`` (``event:`` in the file) on their matter.

    ``to`` narrows a status change to the status reached; ``reopen`` opens a ticket waiting for the customer.
    """

    on: str
    after: timedelta
    say: Text
    to: str | None = None
    reopen: bool = False


@dataclass(frozen=True, slots=True)
class Check:
    """One expected piece of handling, worth ``points``."""

    kind: str
    points: int = 10
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A training scenario (see the module docstring)."""

    id: str
    title: Text
    briefing: Text
    arrivals: tuple[Arrival, ...]
    checks: tuple[Check, ...]
    waves: tuple[Wave, ...] = ()
    reactions: tuple[Reaction, ...] = ()
    duration: timedelta = timedelta(minutes=30)
    source: str = ""


def parse_duration(value: Any, path: Path) -> timedelta:
    """``"90s"``, ``"2m"``, ``"1.5h"``, ``"15d"`` or a number of seconds, as a timedelta (never negative)."""
    if isinstance(value, bool):
        raise ScenarioError(path, "A duration is a number with s, m, h or d, e.g. 90s or 2m.")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ScenarioError(path, f"{value!r} is not a duration; write a number with s, m, h or d, e.g. 2m.")
        seconds = float(match.group(1)) * _UNIT[match.group(2)]
    if seconds < 0:
        raise ScenarioError(path, "A duration cannot be negative.")
    return timedelta(seconds=seconds)


def _mapping(value: Any, path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(path, "Expected a mapping of keys to values here.")
    return value


def _list(value: Any, path: Path) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScenarioError(path, "Expected a list here.")
    return value


def _text(value: Any, path: Path) -> Text:
    """A plain string (both languages) or a mapping with zh-CN and en."""
    if isinstance(value, str) and value.strip():
        return Text(value.strip(), value.strip())
    if isinstance(value, dict):
        missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
        if missing:
            raise ScenarioError(path, f"Give the text in both languages: {', '.join(missing)} is missing.")
        return Text(str(value["zh-CN"]).strip(), str(value["en"]).strip())
    raise ScenarioError(path, "Expected a text, or zh-CN and en texts.")


def _choice(value: Any, allowed: tuple[str, ...], path: Path) -> str:
    if value not in allowed:
        raise ScenarioError(path, f"Unknown value {value!r}; use one of: {', '.join(allowed)}.")
    return str(value)


def _values(enum: Any) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _positive_int(value: Any, path: Path, limit: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        raise ScenarioError(path, f"Expected a whole number from 1 to {limit}.")
    return value


def _customer(value: Any, path: Path) -> CustomerSpec:
    if value is None:
        return CustomerSpec()
    data = _mapping(value, path)
    age = data.get("age")
    return CustomerSpec(
        name=_text(data["name"], (*path, "name")) if "name" in data else None,
        language=_choice(data.get("language", "zh-CN"), LANGUAGES, (*path, "language")),
        vip=bool(data.get("vip", False)),
        card=bool(data.get("card", True)),
        age=_positive_int(age, (*path, "age"), 130) if age is not None else None,
    )


def _lines(value: Any, path: Path) -> tuple[Line, ...]:
    lines = []
    for index, item in enumerate(_list(value, path)):
        item_path = (*path, index)
        data = _mapping(item, item_path)
        lines.append(Line(parse_duration(data.get("after", 0), (*item_path, "after")), _say(data, item_path)))
    return tuple(lines)


def _say(data: dict[str, Any], path: Path) -> Text:
    if "say" not in data:
        raise ScenarioError(path, "Say what the customer says (say:).")
    return _text(data["say"], (*path, "say"))


def _arrival(value: Any, path: Path) -> Arrival:
    data = _mapping(value, path)
    for key in ("kind", "channel", "subject"):
        if key not in data:
            raise ScenarioError(path, f"An arrival needs {key}:.")
    business = data.get("business")
    return Arrival(
        at=parse_duration(data.get("at", 0), (*path, "at")),
        kind=_choice(data["kind"], _values(Kind), (*path, "kind")),
        channel=_choice(data["channel"], _values(Channel), (*path, "channel")),
        subject=_text(data["subject"], (*path, "subject")),
        description=_text(data.get("description") or data["subject"], (*path, "description")),
        priority=_choice(data.get("priority", "normal"), _values(Priority), (*path, "priority")),
        business=_choice(business, _values(Business), (*path, "business")) if business else None,
        customer=_customer(data.get("customer"), (*path, "customer")),
        lines=_lines(data.get("lines"), (*path, "lines")),
        count=_positive_int(data.get("count", 1), (*path, "count"), 500),
        spread=parse_duration(data.get("spread", 0), (*path, "spread")),
    )


def _wave(value: Any, path: Path) -> Wave:
    data = _mapping(value, path)
    per_hour = data.get("per_hour")
    if isinstance(per_hour, bool) or not isinstance(per_hour, int | float) or not 0 < per_hour <= 3600:
        raise ScenarioError((*path, "per_hour"), "per_hour is the arrival rate, more than 0 and at most 3600.")
    return Wave(
        start=parse_duration(data.get("start", 0), (*path, "start")),
        minutes=_positive_int(data.get("minutes", 30), (*path, "minutes"), 24 * 60),
        per_hour=float(per_hour),
        subject=_text(data.get("subject"), (*path, "subject")),
        kind=_choice(data.get("kind", "consultation"), _values(Kind), (*path, "kind")),
        channel=_choice(data.get("channel", "phone"), _values(Channel), (*path, "channel")),
        profile=bool(data.get("profile", False)),
    )


def _reaction(value: Any, path: Path) -> Reaction:
    data = _mapping(value, path)
    return Reaction(
        on=_choice(data.get("event"), REACTION_EVENTS, (*path, "event")),
        after=parse_duration(data.get("after", 0), (*path, "after")),
        say=_say(data, path),
        to=str(data["to"]) if data.get("to") else None,
        reopen=bool(data.get("reopen", False)),
    )


def _check(value: Any, path: Path) -> Check:
    data = dict(_mapping(value, path))
    kind = _choice(data.pop("check", None), CHECKS, (*path, "check"))
    points = _positive_int(data.pop("points", 10), (*path, "points"), 100)
    if kind == "first_answer":
        data["within"] = parse_duration(data.get("within", "60s"), (*path, "within"))
    if kind == "kb_article":
        articles = data.get("article")
        articles = [articles] if isinstance(articles, str) else articles
        if not articles or not all(isinstance(a, str) for a in articles):
            raise ScenarioError((*path, "article"), "Name the expected KB article id(s).")
        data["article"] = tuple(articles)
    return Check(kind, points, data)


def parse_scenario(data: Any, source: str = "") -> Scenario:
    """Turn a decoded scenario document into a :class:`Scenario`; raises :class:`ScenarioError`."""
    root = _mapping(data, ())
    scenario_id = root.get("id")
    if not isinstance(scenario_id, str) or not _ID.match(scenario_id):
        raise ScenarioError(("id",), "A scenario needs an id of lower-case letters, digits, - and _.")
    for key in ("title", "briefing", "arrivals", "expect"):
        if key not in root:
            raise ScenarioError((), f"A scenario needs {key}:.")
    arrivals = tuple(_arrival(a, ("arrivals", i)) for i, a in enumerate(_list(root["arrivals"], ("arrivals",))))
    if not arrivals:
        raise ScenarioError(("arrivals",), "A scenario needs at least one arrival.")
    checks = tuple(_check(c, ("expect", i)) for i, c in enumerate(_list(root["expect"], ("expect",))))
    if not checks:
        raise ScenarioError(("expect",), "A scenario needs at least one expected check.")
    return Scenario(
        id=scenario_id,
        title=_text(root["title"], ("title",)),
        briefing=_text(root["briefing"], ("briefing",)),
        arrivals=arrivals,
        checks=checks,
        waves=tuple(_wave(w, ("waves", i)) for i, w in enumerate(_list(root.get("waves"), ("waves",)))),
        reactions=tuple(
            _reaction(r, ("reactions", i)) for i, r in enumerate(_list(root.get("reactions"), ("reactions",)))
        ),
        duration=parse_duration(root.get("duration", "30m"), ("duration",)),
        source=source,
    )
