"""The desk simulator of demo mode: arrivals, customer lines, reactions to events, clock control, refusals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from csdesk.data.store import Store
from csdesk.domain.clock import AcceleratedClock, FrozenClock
from csdesk.domain.errors import NotFound, PermissionDenied, StoreUnavailable, ValidationError
from tests.store.conftest import event_count, events
from tests.trainer.conftest import START, TRAINEE, TRAINER, copy_demo
from tests.trainer.trainees import log_complaint, play_until, schedule_callback


def notes_of(store: Store, ticket_id: str) -> list[str]:
    return [note.body for note in store.get_ticket(TRAINEE, ticket_id).notes]


def test_a_tick_plays_only_what_is_due_and_never_twice(demo: Store, clock: FrozenClock) -> None:
    """The run's timetable is played once: a second tick at the same moment writes nothing."""
    run = demo.trainer.start(TRAINER, "mass-complaint", TRAINEE)
    first = demo.trainer.tick(TRAINER, run.id)
    assert first.contacts == 1  # the first of 25 complainants; the rest are spread over 10 minutes
    before = event_count(demo)
    assert demo.trainer.tick(TRAINER, run.id).contacts == 0
    assert event_count(demo) == before
    play_until(demo, clock, run.id, 11)
    assert len(demo.trainer.run_tickets(TRAINER, run.id)) == 25
    assert demo.trainer.run(TRAINER, run.id).played == demo.trainer.run(TRAINER, run.id).planned == 25


def test_the_same_seed_gives_the_same_surge(tmp_path: Path, demo_template: Path) -> None:
    """Unscripted arrivals come from the run's seed: two stores, same seed, same number of calls."""
    counts = []
    for name in ("a", "b"):
        clock = FrozenClock(START)
        store = copy_demo(demo_template, tmp_path / f"{name}.sqlite3", clock)
        run = store.trainer.start(TRAINER, "system-outage", TRAINEE, seed=11)
        play_until(store, clock, run.id, 25)
        counts.append(len(store.trainer.run_tickets(TRAINER, run.id)))
        store.close()
    assert counts[0] == counts[1] > 5  # about 60 an hour for 20 minutes


def test_customer_lines_arrive_after_their_delay(demo: Store, clock: FrozenClock) -> None:
    """The lost-card customer says their line 45 s after calling, as a note in their voice and language."""
    run = demo.trainer.start(TRAINER, "lost-card", TRAINEE)
    demo.trainer.tick(TRAINER, run.id)
    ticket_id = demo.trainer.run_tickets(TRAINER, run.id)[0]
    assert notes_of(demo, ticket_id) == []
    clock.advance(timedelta(seconds=50))
    assert demo.trainer.tick(TRAINER, run.id).lines == 1
    assert notes_of(demo, ticket_id) == ["[客户 王秀兰] 我很着急，卡里还有三万多块钱，能不能马上冻结？"]


def test_a_customer_answers_a_ticket_waiting_for_them_and_it_opens_again(demo: Store, clock: FrozenClock) -> None:
    """Reaction to ticket.status_changed → waiting_customer: after 3 minutes the customer replies."""
    run = demo.trainer.start(TRAINER, "lost-card", TRAINEE)
    demo.trainer.tick(TRAINER, run.id)
    ticket_id = demo.trainer.run_tickets(TRAINER, run.id)[0]
    demo.claim_ticket(TRAINEE, ticket_id)
    demo.change_status(TRAINEE, ticket_id, "waiting_customer")
    clock.advance(timedelta(minutes=2))
    assert demo.trainer.tick(TRAINER, run.id).reactions == 0
    clock.advance(timedelta(minutes=2))
    assert demo.trainer.tick(TRAINER, run.id).reactions == 1
    assert demo.get_ticket_row(TRAINEE, ticket_id).status == "open"
    assert "下午就去网点办书面挂失" in notes_of(demo, ticket_id)[-1]
    assert demo.trainer.tick(TRAINER, run.id).reactions == 0  # answered once


def test_customers_answer_callbacks_and_complaint_decisions_of_other_rooms(demo: Store, clock: FrozenClock) -> None:
    """Reactions match events by kind: callback.scheduled and complaint.decided (found via complaint.logged)."""
    run = demo.trainer.start(TRAINER, "fee-complaint", TRAINEE)
    demo.trainer.tick(TRAINER, run.id)
    ticket_id = demo.trainer.run_tickets(TRAINER, run.id)[0]
    complaint_id = log_complaint(demo, clock, ticket_id)
    schedule_callback(demo, clock, ticket_id, "complaint_follow_up", complaint_id)
    demo.write_events(TRAINEE, [("complaint", complaint_id, "complaint.decided", {"decision": "refund"})])
    clock.advance(timedelta(minutes=6))
    assert demo.trainer.tick(TRAINER, run.id).reactions == 1  # the callback answer (5 min)
    clock.advance(timedelta(minutes=5))
    assert demo.trainer.tick(TRAINER, run.id).reactions == 1  # the decision answer (10 min)
    said = notes_of(demo, ticket_id)
    assert any("回访时间可以" in note for note in said)
    assert any("退款我收到了" in note for note in said)


def test_runs_change_no_projection_a_rebuild_reproduces_the_tables(demo: Store, clock: FrozenClock) -> None:
    """Run events are audit-only; tickets and notes the simulator made rebuild identically from the log."""
    run = demo.trainer.start(TRAINER, "elderly-customer", TRAINEE)
    play_until(demo, clock, run.id, 4)
    before = demo.snapshot()
    demo.rebuild_projections()
    after = demo.snapshot()
    assert {k: v for k, v in after.items() if k != "field_clock"} == {
        k: v for k, v in before.items() if k != "field_clock"
    }
    assert demo.verify_audit().ok


def test_only_trainers_and_supervisors_run_scenarios_and_a_refusal_is_audited(demo: Store) -> None:
    """Role matrix: DEMO_RUN is for trainers and supervisors; the trainee cannot start or score a run."""
    with pytest.raises(PermissionDenied):
        demo.trainer.start(TRAINEE, "lost-card")
    assert events(demo)[-1].kind == "access.denied"
    assert demo.trainer.start("wu.hong", "lost-card").trainee == TRAINEE


def test_unknown_scenario_and_bad_speed_are_refused_with_the_rule(demo: Store) -> None:
    """Unknown names list the known ones; speed is 1 to 60."""
    with pytest.raises(NotFound, match="lost-card"):
        demo.trainer.start(TRAINER, "no-such-thing")
    with pytest.raises(PermissionDenied, match="simulated clock"):
        demo.trainer.set_speed(TRAINER, 10)  # a frozen clock cannot be driven


def test_the_trainer_drives_an_accelerated_clock(tmp_path: Path, demo_template: Path) -> None:
    """Speed ×1…×60 and pause act on the desk's simulated clock, without jumps."""
    base = FrozenClock(START)
    store = copy_demo(demo_template, tmp_path / "demo.sqlite3", AcceleratedClock(start=START, base=base))
    try:
        with pytest.raises(ValidationError, match="×1 to ×60"):
            store.trainer.set_speed(TRAINER, 61)
        state = store.trainer.set_speed(TRAINER, 60)
        assert state.factor == 60 and state.adjustable
        base.advance(timedelta(seconds=10))
        assert store.trainer.clock_state().now == START + timedelta(minutes=10)
        assert store.trainer.pause(TRAINER, True).paused
        base.advance(timedelta(seconds=10))
        assert store.trainer.clock_state().now == START + timedelta(minutes=10)
        store.trainer.pause(TRAINER, False)
        base.advance(timedelta(seconds=1))
        assert store.trainer.clock_state().now == START + timedelta(minutes=11)
    finally:
        store.close()


def test_training_refuses_a_live_store(tmp_path: Path) -> None:
    """A live desk store has no training runs: every trainer use case refuses it."""
    from tests.store.conftest import make_store

    live = make_store(tmp_path / "desk.sqlite3", FrozenClock(START))
    try:
        with pytest.raises(StoreUnavailable, match="demo"):
            live.trainer.start("trainer", "lost-card", "agent1")
        with pytest.raises(StoreUnavailable, match="demo"):
            live.trainer.runs("trainer")
    finally:
        live.close()


def test_the_score_export_is_marked_demo(demo: Store, clock: FrozenClock, tmp_path: Path) -> None:
    """JSON and CSV exports carry the DEMO marker on every record."""
    import csv
    import json

    run = demo.trainer.start(TRAINER, "lost-card", TRAINEE)
    demo.trainer.tick(TRAINER, run.id)
    data = json.loads(demo.trainer.export_score(TRAINER, run.id, tmp_path).read_text(encoding="utf-8"))
    assert data["marker"] == "DEMO" and data["demo"] is True
    assert [c["check"] for c in data["checks"]] == ["first_answer", "kb_article", "notes", "masking"]
    rows = list(csv.reader(demo.trainer.export_score(TRAINER, run.id, tmp_path, "csv").open(encoding="utf-8")))
    assert rows[0][0] == "marker"
    assert {row[0] for row in rows[1:]} == {"DEMO"}
    with pytest.raises(ValidationError):
        demo.trainer.export_score(TRAINER, run.id, tmp_path, "xlsx")


def test_the_feed_shows_what_the_trainee_did_masked(demo: Store, clock: FrozenClock) -> None:
    """The trainer watches the trainee's actions; identifiers in free text stay masked."""
    run = demo.trainer.start(TRAINER, "lost-card", TRAINEE)
    demo.trainer.tick(TRAINER, run.id)
    ticket_id = demo.trainer.run_tickets(TRAINER, run.id)[0]
    demo.claim_ticket(TRAINEE, ticket_id)
    demo.add_note(TRAINEE, ticket_id, "客户卡号 6222021234567891233 已挂失")
    feed = demo.trainer.feed(TRAINER, run.id)
    assert [e.kind for e in feed if e.by_trainee] == ["ticket.assigned", "ticket.status_changed", "ticket.note_added"]
    assert "6222021234567891233" not in feed[-1].detail
    assert feed[0].kind == "ticket.created" and not feed[0].by_trainee
