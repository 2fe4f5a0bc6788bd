"""Fair automatic assignment (rule: round-robin among available agents, skill, load cap)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from csdesk.domain.assignment import Candidate, choose_assignee, eligible

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)


def agent(uid: str, *, role: str = "agent", availability: str = "available", skills: tuple[str, ...] = (),
          load: int = 0, last: datetime | None = None, active: bool = True) -> Candidate:
    return Candidate(uid, role, availability, frozenset(skills), load, last, active)


def test_longest_waiting_agent_gets_the_ticket() -> None:
    """Round-robin: the agent whose last assignment is oldest is next."""
    pool = [agent("a", last=T0), agent("b", last=T0 - timedelta(minutes=5)), agent("c", last=T0 - timedelta(1))]
    assert choose_assignee(pool, "consultation") == "c"


def test_never_assigned_agent_goes_first() -> None:
    pool = [agent("a", last=T0 - timedelta(days=3)), agent("b")]
    assert choose_assignee(pool, "consultation") == "b"


def test_unavailable_inactive_and_back_office_roles_are_skipped() -> None:
    """Only available, active front-line people receive tickets; supervisors and QA never do."""
    pool = [
        agent("break", availability="break"),
        agent("busy", availability="busy"),
        agent("gone", active=False),
        agent("qa", role="qa"),
        agent("boss", role="supervisor"),
    ]
    assert choose_assignee(pool, "consultation") is None
    assert choose_assignee([*pool, agent("ok")], "consultation") == "ok"


def test_load_cap_is_respected() -> None:
    """An agent at the cap receives nothing more, however long they waited."""
    pool = [agent("full", load=8), agent("light", load=2, last=T0)]
    assert choose_assignee(pool, "complaint", load_cap=8) == "light"
    assert choose_assignee([agent("full", load=8)], "complaint", load_cap=8) is None


def test_specialists_are_preferred_for_their_kind() -> None:
    """DOMAIN.md: specialists are routed the tickets of their specialty."""
    pool = [agent("generalist"), agent("complaints", role="specialist", skills=("complaint",), last=T0)]
    assert choose_assignee(pool, "complaint") == "complaints"
    assert choose_assignee(pool, "consultation") == "generalist"


def test_specialist_without_the_skill_is_not_eligible() -> None:
    assert not eligible(agent("s", role="specialist", skills=("complaint",)), "business")


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 600), st.booleans()), min_size=1, max_size=12))
def test_choice_is_always_eligible_and_deterministic(rows: list[tuple[int, int, bool]]) -> None:
    pool = [
        agent(f"u{i}", load=load, last=T0 - timedelta(minutes=mins), availability="available" if ok else "break")
        for i, (load, mins, ok) in enumerate(rows)
    ]
    chosen = choose_assignee(pool, "consultation")
    assert chosen == choose_assignee(list(reversed(pool)), "consultation")
    if chosen is not None:
        assert eligible(next(c for c in pool if c.user_id == chosen), "consultation")
    else:
        assert not any(eligible(c, "consultation") for c in pool)
