"""Tests of the demo history seeder (csdesk.data.demo_seed)."""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from csdesk.data.api import StoreMode
from csdesk.data.demo_seed import (
    CHINA,
    DEMO_TRAINEE,
    DEMO_USERS,
    DemoSize,
    plan_demo_events,
    queue_targets,
    seed_demo,
)
from csdesk.data.store import Store
from csdesk.data.tables import Ticket
from csdesk.domain.clock import FrozenClock
from csdesk.domain.errors import Conflict, StoreUnavailable
from csdesk.domain.masking import normalize_phone, validate_card, validate_id_number
from csdesk.domain.roles import Role
from csdesk.domain.tickets import Status, can_reopen, check_transition

NOW = datetime(2026, 3, 18, 3, 30, tzinfo=UTC)  # Wednesday 11:30 in China
SMALL = DemoSize(customers=60, tickets=200, days=30)
WAITING = {Status.WAITING_CUSTOMER.value, Status.WAITING_DEPARTMENT.value}


def open_store(path, mode=StoreMode.DEMO) -> Store:
    return Store.open(path, desk_id="DEMO", mode=mode, clock=FrozenClock(NOW))


def stable(snapshot):
    """The snapshot without field_clock.event_id (event ids are made randomly by the store)."""
    result = dict(snapshot)
    result["field_clock"] = sorted(row[:-1] for row in snapshot["field_clock"])
    return result


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    calls: list[tuple[int, int]] = []
    counts = seed_demo(store, seed=7, size=SMALL, progress=lambda done, total: calls.append((done, total)))
    yield store, counts, calls
    store.close()


@pytest.fixture(scope="module")
def full_plan():
    return plan_demo_events("DEMO", now=NOW)


# ---------------------------------------------------------------- the seeded store


def test_counts_meet_the_size(seeded):
    store, counts, _ = seeded
    info = store.info()
    assert counts == {"users": len(DEMO_USERS), "customers": 60, "tickets": 200, "events": info.events}
    assert (info.users, info.customers, info.tickets) == (len(DEMO_USERS), 60, 200)


def test_progress_reports_done_and_total(seeded):
    _, counts, calls = seeded
    assert calls[0] == (0, counts["events"])
    assert calls[-1] == (counts["events"], counts["events"])
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_every_role_is_present(seeded):
    store, _, _ = seeded
    users = store.list_users()
    assert {u.role for u in users} == {role.value for role in Role}
    trainee = store.get_user(DEMO_TRAINEE)
    assert trainee.role == Role.AGENT.value and trainee.active


def test_demo_staff_shape():
    roles = Counter(role for _, _, role, _ in DEMO_USERS)
    assert roles[Role.AGENT] >= 6 and roles[Role.SPECIALIST] >= 2
    assert roles[Role.SUPERVISOR] == roles[Role.QA] == roles[Role.TRAINER] == roles[Role.ANALYST] == 1
    leads = [team for _, _, role, team in DEMO_USERS if role == Role.TEAM_LEAD]
    assert len(leads) == len(set(leads)) == 2
    assert len({uid for uid, *_ in DEMO_USERS}) == len(DEMO_USERS)
    assert sum(name.isascii() for _, name, _, _ in DEMO_USERS) >= 2


def test_audit_chain_holds(seeded):
    store, counts, _ = seeded
    report = store.verify_audit()
    assert report.ok, report.problem
    assert report.events == counts["events"]


def test_identifiers_are_valid(seeded):
    store, _, _ = seeded
    rows = store.snapshot()["customer"]
    phones = [row[2] for row in rows]
    assert len(set(phones)) == len(phones)
    for _, name, phone, id_number, account_no, card_no, vip, language, *_ in rows:
        assert name
        assert normalize_phone(phone) == phone and len(phone) == 11
        if id_number is not None:
            assert validate_id_number(id_number, today=NOW.date()) == id_number
            assert 1950 <= int(id_number[6:10]) <= 2004
        if card_no is not None:
            assert validate_card(card_no) == card_no
            assert card_no[:4] in {"6222", "6217", "6228", "4367", "6259"}
        assert account_no.isdigit() and 16 <= len(account_no) <= 19
        assert language in ("zh-CN", "en")
        assert isinstance(vip, bool)
    assert any(row[3] is None for row in rows) and any(row[5] is None for row in rows)
    assert Counter(row[7] for row in rows)["zh-CN"] > len(rows) / 2


def test_customer_ids_sort_by_creation(seeded):
    store, _, _ = seeded
    rows = store.snapshot()["customer"]
    by_time = [row[0] for row in sorted(rows, key=lambda row: (row[8], row[0]))]
    assert by_time == sorted(by_time)


def test_refs_number_tickets_in_creation_order(seeded):
    store, _, _ = seeded
    tickets = store.list_tickets(DEMO_TRAINEE, limit=1000)
    ordered = sorted(tickets, key=lambda t: (t.created_at, t.ref))
    assert [t.ref for t in ordered] == [f"DEMO-{n:06d}" for n in range(1, 201)]


def test_nothing_happens_after_now(seeded):
    store, _, _ = seeded
    with sqlite3.connect(store.path) as conn:
        latest = conn.execute("select max(recorded_at) from event").fetchone()[0]
    assert datetime.fromisoformat(latest).replace(tzinfo=UTC) < NOW
    columns = [c.name for c in Ticket.__table__.columns]
    facts = [i for i, name in enumerate(columns) if not name.startswith("sla_")]  # deadlines lie ahead
    for row in store.snapshot()["ticket"]:
        assert all(row[i] < NOW for i in facts if isinstance(row[i], datetime))


def test_queue_is_alive(seeded):
    store, _, _ = seeded
    statuses = Counter(t.status for t in store.list_tickets(DEMO_TRAINEE, limit=1000))
    targets = queue_targets(SMALL)
    assert statuses[Status.NEW] >= targets["new"]
    assert statuses[Status.NEW] + statuses[Status.OPEN] >= targets["new_or_open"]
    assert sum(statuses[s] for s in WAITING) >= targets["waiting"]
    assert statuses[Status.CLOSED] > len(DEMO_USERS)  # older tickets are mostly closed


def test_deterministic_for_seed_and_now(seeded, tmp_path):
    store, _, _ = seeded
    again = open_store(tmp_path / "again.sqlite3")
    try:
        seed_demo(again, seed=7, size=SMALL)  # now defaults to the store clock
        assert stable(again.snapshot()) == stable(store.snapshot())
    finally:
        again.close()
    other = plan_demo_events("DEMO", seed=8, size=SMALL, now=NOW)
    assert [e.payload for e in other] != [e.payload for e in plan_demo_events("DEMO", seed=7, size=SMALL, now=NOW)]


def test_rebuild_gives_the_same_projections(seeded):
    store, counts, _ = seeded
    before = store.snapshot()
    assert store.rebuild_projections() == counts["events"]
    assert store.snapshot() == before


def test_refuses_live_and_non_empty_stores(seeded, tmp_path):
    store, _, _ = seeded
    with pytest.raises(Conflict):
        seed_demo(store, size=SMALL)
    live = open_store(tmp_path / "live.sqlite3", mode=StoreMode.LIVE)
    try:
        with pytest.raises(StoreUnavailable):
            seed_demo(live, size=SMALL)
        assert live.info().events == 0
    finally:
        live.close()


# ---------------------------------------------------------------- the plan at full size


def test_plan_is_sorted_and_before_now(full_plan):
    times = [e.at for e in full_plan]
    assert times == sorted(times)
    assert times[-1] < NOW and all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in times)


def test_lives_follow_the_status_machine(full_plan):
    status: dict[str, Status] = {}
    for ev in full_plan:
        if ev.kind == "ticket.created":
            assert ev.payload["assignee_id"] is None
            status[ev.entity_id] = Status.NEW
        elif ev.kind == "ticket.status_changed":
            assert ev.payload["from"] == status[ev.entity_id]
            check_transition(status[ev.entity_id], Status(ev.payload["to"]))
            status[ev.entity_id] = Status(ev.payload["to"])
        elif ev.kind == "ticket.reopened":
            assert can_reopen(status[ev.entity_id]) and ev.payload["reason"]
            status[ev.entity_id] = Status.OPEN
    counts = Counter(status.values())
    assert len(status) == 2400
    assert counts[Status.NEW] + counts[Status.OPEN] >= 40
    assert counts[Status.WAITING_CUSTOMER] + counts[Status.WAITING_DEPARTMENT] >= 15
    assert counts[Status.CLOSED] > 0.8 * len(status)


def test_arrivals_peak_on_monday_and_friday(full_plan):
    per_day = Counter(e.at.astimezone(CHINA).date() for e in full_plan if e.kind == "ticket.created")
    full_days = sorted(per_day)[1:-1]  # the first and last days are partial
    by_weekday = defaultdict(list)
    for day in full_days:
        by_weekday[day.weekday()].append(per_day[day])

    def mean(days):
        values = [v for d in days for v in by_weekday[d]]
        return sum(values) / len(values)

    assert mean([0, 4]) > 1.15 * mean([1, 2, 3])
    assert mean([5, 6]) < 0.6 * mean([1, 2, 3])
    hours = Counter(e.at.astimezone(CHINA).hour for e in full_plan if e.kind == "ticket.created")
    assert hours[10] > 1.5 * hours[8] and hours[10] > hours[12] < hours[15] and hours[3] < hours[10] / 20


def test_ticket_mix(full_plan):
    created = [e.payload for e in full_plan if e.kind == "ticket.created"]
    kinds = Counter(p["kind"] for p in created)
    assert 0.48 < kinds["consultation"] / 2400 < 0.62 and 0.13 < kinds["complaint"] / 2400 < 0.23
    priorities = Counter(p["priority"] for p in created)
    assert 0.72 < priorities["normal"] / 2400 < 0.86 and 0.02 < priorities["urgent"] / 2400 < 0.09
    channels = Counter(p["channel"] for p in created)
    assert channels.most_common(1)[0][0] == "phone" and channels["regulator"] > 0
    assert all(p["kind"] == "complaint" for p in created if p["channel"] == "regulator")
    assert all(p["cause"] for p in created if p["kind"] == "complaint")
    refs = [p["ref"] for p in created]
    assert refs == [f"DEMO-{n:06d}" for n in range(1, 2401)]
    english = [p for p in created if p["subject"].isascii()]
    assert 0.1 < len(english) / 2400 < 0.4
    assert len({p["subject"] for p in created}) > 60


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        plan_demo_events("DEMO", size=SMALL, now=datetime(2026, 3, 18, 3, 30))
