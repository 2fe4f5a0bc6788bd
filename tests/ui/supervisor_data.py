"""A desk store with history for the supervisor's screens: four past Mondays of contacts,
a roster for today, QA reviews, a penalty, an anonymous report (fixed clock, fixed data)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csdesk.data.store import Store
from csdesk.domain.qa import Criterion
from tests.ui.helpers import NOW, frozen_clock, make_desk_store

#: Beijing hour -> contacts per past Monday at that hour (a morning and an afternoon peak).
PROFILE = {9: 3, 10: 5, 11: 3, 14: 4, 15: 5, 16: 2}


def make_supervisor_store(path: Path) -> Store:
    """:func:`make_desk_store` plus history, roster and QA records; returns the open store."""
    clock = frozen_clock()
    store = make_desk_store(path, clock)
    store.add_user("sup", "qa", "郑晓梅", "qa")
    store.add_user("sup", "wang", "王芳", "agent", "A")
    for weeks in range(1, 5):
        monday = NOW - timedelta(weeks=weeks)
        for hour, count in PROFILE.items():
            for n in range(count + weeks % 2):
                clock.set(monday.replace(hour=hour - 8, minute=5 + 7 * n))
                agent = "li" if n % 2 else "wang"
                ticket = store.create_ticket(
                    agent, kind="consultation", channel="phone", subject=f"余额查询 {hour}:{n}"
                )
                clock.advance(timedelta(seconds=10 + 9 * n))
                store.claim_ticket(agent, ticket.id)
                clock.advance(timedelta(minutes=4))
                store.change_status(agent, ticket.id, "resolved")
    clock.set(NOW)
    for agent, start, end in (("li", 17, 35), ("wang", 19, 37), ("lead", 20, 30)):
        store.reports.set_shift("sup", agent, "2026-11-23", start, end)
    reviews = store.qa.sample("qa", NOW - timedelta(days=30), NOW, per_agent=2, seed=11)
    store.qa.score("qa", reviews[0].id, {c.value: 4 for c in Criterion}, "Polite; fee quoted without checking the KB")
    evidence = [reviews[0].ticket_id]
    store.qa.record_penalty(
        "qa", reviews[0].agent_id, "verbal_warning", "script_breach", "No closing script", evidence, "sup"
    )
    store.qa.file_report("li", "Team A", "Customer numbers are being read out loud in the corridor.")
    store.reports.set_kpi_target("sup", "csat", 0.75)
    return store
