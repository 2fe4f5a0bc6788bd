"""A desk with survey history for Pilot and snapshot tests: Q3 closed with answers, Q4 in progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from csdesk.data.store import Store
from csdesk.domain.clock import FrozenClock
from tests.ui.helpers import NOW, make_desk_store

#: Agents added to the UI desk, with their teams.
AGENTS = (("zhao", "赵敏", "一组"), ("wang", "王强", "二组"))
QUESTIONS = ["您对我们的服务总体满意吗？", "您对客服人员的服务态度满意吗？", "您对办理速度满意吗？"]


def serve(store: Store, agents: tuple[str, ...], first: int) -> None:
    """One new customer and ticket per entry of ``agents``, claimed by that agent."""
    for number, agent in enumerate(agents, start=first):
        customer = store.create_customer(agent, name=f"客户{number:02d}", phone=f"1370000{number:04d}")
        ticket = store.create_ticket(
            agent, kind="consultation", channel="phone", subject=f"理财咨询 {number}", customer_id=customer.id,
            business="wealth_fund" if number % 2 else "deposit",
        )
        store.claim_ticket(agent, ticket.id)


def answer_all(store: Store, campaign_id: str, scores: list[list[int]]) -> None:
    """The supervisor records ``scores`` on the campaign's survey calls, by customer name (客户01, ...)."""
    members = sorted(
        (cb for cb in store.callbacks.find("sup") if cb.purpose == "satisfaction_survey"),
        key=lambda cb: cb.customer_name,
    )
    for callback, answers in zip(members, scores, strict=False):
        store.surveys.record_answers("sup", callback.id, answers, "")


def make_survey_store(path: Path, *, with_q4: bool = True) -> None:
    """The UI desk where zhao, wang and li served customers; Q3 surveyed and closed, Q4 half answered.

    Every served customer is sampled and answers go by customer name, so the pictures do not
    depend on the campaign's (random) seed.
    """
    clock = FrozenClock(datetime(2026, 9, 7, 2, 0, tzinfo=UTC))
    store = make_desk_store(path, clock)
    for user_id, name, team in AGENTS:
        store.add_user("sup", user_id, name, "agent", team)
    serve(store, ("zhao", "zhao", "zhao", "wang", "wang", "li"), 1)
    q3 = store.surveys.define(
        "sup", name="2026-Q3 满意度调查", start="2026-07-01", end="2026-09-30", sample_size=6, questions=QUESTIONS
    )
    store.surveys.launch("sup", q3.id)
    clock.advance(timedelta(days=18))
    answer_all(store, q3.id, [[5, 5, 4], [4, 4, 4], [3, 4, 2], [2, 3, 3], [2, 2, 3], [5, 4, 4]])
    store.surveys.close("sup", q3.id, "季度结束")
    if with_q4:
        clock.set(datetime(2026, 11, 18, 2, 0, tzinfo=UTC))
        serve(store, ("zhao", "zhao", "wang", "wang", "wang", "li"), 7)
        q4 = store.surveys.define(
            "sup", name="2026-Q4 满意度调查", start="2026-10-01", end="2026-12-31", sample_size=6, questions=QUESTIONS
        )
        store.surveys.launch("sup", q4.id)
        clock.set(NOW - timedelta(hours=1))
        answer_all(store, q4.id, [[5, 4, 5], [2, 3, 2], [4, 5, 3]])
    store.close()
