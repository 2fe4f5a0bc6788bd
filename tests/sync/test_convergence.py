"""Convergence: 3-6 desks work, go offline and online at random, and end identical.

Rule (issue "Sync every desk's local store"): once every desk has synced, every desk
holds every event exactly once (none lost, none duplicated) and the same projections,
whatever the interleaving of work, outages and syncs. The desks' work mixes tickets,
complaints (logged, steps recorded on other desks) and callbacks, so events of every
room arrive before their row on some desk. Runs against the real shared
PostgreSQL; hypothesis drives the interleavings.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import ClassVar

import psycopg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from csdesk.data.store import Store
from csdesk.domain.errors import Conflict, ValidationError
from csdesk.domain.tickets import Status, allowed_next, can_reopen
from csdesk.sync.engine import sync_once
from tests.sync.conftest import START, converged_view, seed_users
from tests.sync.faults import local_event_ids, local_event_kinds, server_counts

pytestmark = pytest.mark.pg

ACTORS = ("sup", "agent1", "agent2")
ROOMS = ("complaint", "callback")
TOTALS = {"examples": 0, "rounds": 0, "events": 0, "room_events": 0, "lost": 0, "duplicated": 0, "desks_max": 0}


class Desks(RuleBasedStateMachine):
    """A group of desks sharing one database; some of them offline at any time."""

    url: ClassVar[str] = ""
    template: ClassVar[Path] = Path()

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp(prefix="csdesk-conv-")
        self.stores: list[Store] = []
        self.online: list[bool] = []
        self.rounds = 0
        with psycopg.connect(self.url) as conn:
            conn.execute("TRUNCATE events, quarantine, entity_state RESTART IDENTITY")

    def _sync(self, i: int) -> None:
        sync_once(self.stores[i], self.url, batch=50)
        self.rounds += 1

    @initialize(count=st.integers(3, 6))
    def open_desks(self, count: int) -> None:
        from csdesk.domain.clock import FrozenClock

        for i in range(count):
            path = Path(self.dir) / f"D{i}.sqlite3"
            shutil.copyfile(self.template, path)
            self.stores.append(Store.open(path, desk_id=f"D{i}", clock=FrozenClock(START)))
            self.online.append(True)
        seed_users(self.stores[0])
        for i in range(count):
            self._sync(i)
        self._start_every_room()

    def _start_every_room(self) -> None:
        """Every example starts with work in each room, spread over two desks before the random steps.

        Hypothesis keeps many examples short (and derandomizes them on CI), so the rooms are
        not left to chance: desk 0 logs a complaint and schedules a callback, desk 1 pulls
        them and records a handling step that desk 0 has not seen yet.
        """
        self.new_ticket(0, "agent1", vip=False)
        self.log_complaint(0, 0, "credit_card")
        self.schedule_callback(0, 0)
        self._sync(0)
        self._sync(1)
        self.complaint_step(1, 0)

    def _desk(self, pick: int) -> Store:
        return self.stores[pick % len(self.stores)]

    @rule(pick=st.integers(0, 5), actor=st.sampled_from(ACTORS), vip=st.booleans())
    def new_ticket(self, pick: int, actor: str, vip: bool) -> None:
        store = self._desk(pick)
        customer = store.create_customer(actor, name="赵敏", phone="13600003333", vip=vip)
        store.create_ticket(actor, kind="consultation", channel="phone", subject="Card", customer_id=customer.id)

    @rule(pick=st.integers(0, 5), which=st.integers(0, 50), actor=st.sampled_from(ACTORS), choice=st.integers(0, 9))
    def work_ticket(self, pick: int, which: int, actor: str, choice: int) -> None:
        store = self._desk(pick)
        tickets = store.list_tickets("sup", limit=1000)
        if not tickets:
            return
        ticket = sorted(tickets, key=lambda t: t.id)[which % len(tickets)]
        status = Status(ticket.status)
        try:
            if choice < 3:
                store.add_note(actor, ticket.id, f"note {choice}")
            elif choice < 5:
                store.assign_ticket("sup", ticket.id, ACTORS[choice % 3])
            elif choice < 8 and allowed_next(status):
                options = sorted(s.value for s in allowed_next(status))
                store.change_status("sup", ticket.id, options[choice % len(options)])
            elif can_reopen(status):
                store.reopen("sup", ticket.id, "customer called again")
        except Conflict:
            pass

    @rule(pick=st.integers(0, 5), which=st.integers(0, 50), business=st.sampled_from(("credit_card", "loan")))
    def log_complaint(self, pick: int, which: int, business: str) -> None:
        store = self._desk(pick)
        tickets = sorted(store.list_tickets("sup", limit=1000), key=lambda t: t.id)
        if not tickets:
            return
        ticket = tickets[which % len(tickets)]
        with contextlib.suppress(Conflict, ValidationError):  # a rule may refuse it on this desk
            store.complaints.log(
                "agent1", ticket_id=ticket.id, customer_id=ticket.customer_id, channel="phone", business=business,
                cause="pricing_fees", description="年费被重复扣收", remedy="退还年费",
            )

    @rule(pick=st.integers(0, 5), which=st.integers(0, 50))
    def complaint_step(self, pick: int, which: int) -> None:
        store = self._desk(pick)
        complaints = sorted(store.complaints.list("sup"), key=lambda c: c.id)
        if complaints:
            store.complaints.record_step("sup", complaints[which % len(complaints)].id, f"step {which}")

    @rule(pick=st.integers(0, 5), which=st.integers(0, 50))
    def schedule_callback(self, pick: int, which: int) -> None:
        store = self._desk(pick)
        tickets = sorted(store.list_tickets("sup", limit=1000), key=lambda t: t.id)
        if tickets:
            customer = tickets[which % len(tickets)].customer_id
            store.callbacks.schedule("agent1", purpose="satisfaction_survey", customer_id=customer, due="+1h")

    @rule(pick=st.integers(0, 5), minutes=st.integers(5, 120))
    def change_policy(self, pick: int, minutes: int) -> None:
        self._desk(pick).set_sla_policy("sup", "consultation", "normal", minutes, minutes * 10, "calendar")

    @rule(pick=st.integers(0, 5))
    def toggle_network(self, pick: int) -> None:
        i = pick % len(self.stores)
        self.online[i] = not self.online[i]

    @rule(pick=st.integers(0, 5))
    def sync(self, pick: int) -> None:
        i = pick % len(self.stores)
        if self.online[i]:
            self._sync(i)

    def teardown(self) -> None:
        try:
            if self.stores:
                self._converge()
        finally:
            for store in self.stores:
                store.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _converge(self) -> None:
        """Everyone comes back online and syncs twice (pushes first, then the pulls see all)."""
        for _ in range(2):
            for i in range(len(self.stores)):
                self._sync(i)
        total = sum(store.sync.pushed_seq() for store in self.stores)
        assert all(store.sync.state().pending == 0 for store in self.stores)
        rows, distinct = server_counts(self.url)
        assert (rows, distinct) == (total, total)
        first = converged_view(self.stores[0])
        for store in self.stores:
            ids = local_event_ids(store)
            TOTALS["lost"] += total - len(set(ids))
            TOTALS["duplicated"] += len(ids) - len(set(ids))
            assert len(ids) == len(set(ids)) == total
            assert converged_view(store) == first
            assert store.verify_audit().ok
            assert store.sync.state().quarantined == 0
        TOTALS["examples"] += 1
        TOTALS["rounds"] += self.rounds
        TOTALS["events"] += total
        TOTALS["room_events"] += sum(1 for kind in local_event_kinds(self.stores[0]) if kind.split(".")[0] in ROOMS)
        TOTALS["desks_max"] = max(TOTALS["desks_max"], len(self.stores))


def test_desks_going_offline_and_online_converge(shared_url: str, empty_store_template: Path, tmp_path: Path) -> None:
    """Random work, outages and syncs on 3-6 desks end with identical projections, nothing lost or doubled."""
    Desks.url = shared_url
    Desks.template = empty_store_template
    run_state_machine_as_test(
        Desks,
        settings=settings(
            max_examples=12, stateful_step_count=50, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
    assert TOTALS["lost"] == TOTALS["duplicated"] == 0
    assert TOTALS["room_events"] >= 3 * TOTALS["examples"] > 0
    print("convergence:", json.dumps(TOTALS))
