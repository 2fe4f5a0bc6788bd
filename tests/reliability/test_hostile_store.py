"""Hostile text through every input path of the store gateway: a clear error or an inert value, never a crash.

Rule (issue: hostile input; ARCHITECTURE.md: sanitise every customer-supplied string): each
use case either refuses with a :class:`CsdeskError` (and then writes nothing: the event
count and the audit chain are unchanged) or stores the text cleaned of escapes, controls
and bidi overrides. Paths covered: store.create_customer, store.create_ticket,
store.add_note, store.find_customers, store.list_tickets, store.consult_department,
store.kb.search, store.kb.edit (see tests/hostile_corpus.py, INPUT_PATHS).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csdesk.data.api import TicketQuery
from csdesk.data.store import Store
from csdesk.domain.errors import CsdeskError
from tests.hostile_corpus import HOSTILE_DATES, assert_inert, texts
from tests.store.conftest import event_count
from tests.store.test_roles_matrix import write_kb

Attempt = Callable[[Store, str, dict[str, str]], Any]

#: input path -> how hostile text reaches it (ctx holds a ticket id).
PATHS: dict[str, Attempt] = {
    "store.create_customer": lambda s, t, c: s.create_customer("agent1", name=t),
    "store.create_ticket.subject": lambda s, t, c: s.create_ticket("agent1", kind="complaint", channel="phone",
                                                                   subject=t),
    "store.create_ticket.description": lambda s, t, c: s.create_ticket("agent1", kind="complaint", channel="phone",
                                                                       subject="Hostile", description=t),
    "store.create_ticket.kind": lambda s, t, c: s.create_ticket("agent1", kind=t, channel="phone", subject="x"),
    "store.add_note": lambda s, t, c: s.add_note("agent1", c["ticket"], t),
    "store.find_customers": lambda s, t, c: s.find_customers("agent1", t),
    "store.list_tickets": lambda s, t, c: s.list_tickets("agent1", TicketQuery(text=t)),
    "store.list_tickets.order_by": lambda s, t, c: s.list_tickets("agent1", TicketQuery(order_by=t)),
    "store.count_tickets": lambda s, t, c: s.count_tickets("agent1", TicketQuery(text=t)),
    "store.find_ticket_ref": lambda s, t, c: s.find_ticket_ref("agent1", t),
    "store.consult_department": lambda s, t, c: s.consult_department("agent1", c["ticket"], t, t, "+2h"),
    "store.kb.search": lambda s, t, c: s.kb.search("agent1", t),
    "store.kb.edit": lambda s, t, c: s.kb.edit("lead", "matrix-agent", "en", body=t),
}


@pytest.fixture
def hostile(store: Store, tmp_path: Path) -> dict[str, str]:
    store.kb.reindex(write_kb(tmp_path / "kb"))
    ticket = store.create_ticket("agent1", kind="consultation", channel="chat", subject="Target")
    return {"ticket": ticket.id}


def _values(result: Any) -> list[str]:
    """Every string inside a returned value (dataclasses, lists)."""
    if isinstance(result, str):
        return [result]
    if isinstance(result, list | tuple):
        return [s for item in result for s in _values(item)]
    slots = getattr(type(result), "__slots__", ())
    return [s for name in slots for s in _values(getattr(result, name, None))]


def _attempt(store: Store, path: str, text: str, ctx: dict[str, str]) -> str:
    """Run one path with ``text``: "refused" (nothing written) or "stored" (everything returned is inert)."""
    before = event_count(store)
    try:
        result = PATHS[path](store, text, ctx)
    except CsdeskError as exc:
        assert exc.message and len(exc.message) < 500, (path, exc.message[:200])
        assert_inert(exc.message, f"{path} error")
        assert event_count(store) == before, f"{path} refused but wrote events"
        return "refused"
    for value in _values(result):
        assert_inert(value, path)
    return "stored"


@pytest.mark.parametrize("path", list(PATHS), ids=str)
def test_every_hostile_text_through_every_store_path(store: Store, hostile: dict[str, str], path: str) -> None:
    """Each corpus text (10 MB included): a clear error with nothing written, or an inert stored value."""
    outcomes = {name: _attempt(store, path, text, hostile) for name, text in texts()}
    assert outcomes["ten_megabytes"] == "refused" or path in ("store.find_customers", "store.list_tickets",
                                                              "store.count_tickets", "store.kb.search")
    report = store.verify_audit()
    assert report.ok, report
    before = store.snapshot()
    store.rebuild_projections()
    assert store.snapshot() == before


@pytest.mark.parametrize("when", HOSTILE_DATES)
def test_far_dates_for_a_promised_reply_are_refused_clearly(store: Store, hostile: dict[str, str], when: str) -> None:
    """A promised reply time far in the past or future, or not a time at all: a ValidationError, nothing written."""
    before = event_count(store)
    with pytest.raises(CsdeskError) as info:
        store.consult_department("agent1", hostile["ticket"], "Cards", "Why?", when)
    assert_inert(info.value.message)
    assert event_count(store) == before


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=300) | st.sampled_from(
    [t for _, t in texts(huge=False)]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_store_api_fuzzed(store: Store, hostile: dict[str, str], data: st.DataObject) -> None:
    """Hypothesis: any text into create_customer, create_ticket, add_note, find_customers, list_tickets filters."""
    path = data.draw(st.sampled_from([p for p in PATHS if not p.startswith("store.kb")]), label="path")
    text = data.draw(_TEXT, label="text")
    _attempt(store, path, text, hostile)
    assert store.verify_audit().ok
