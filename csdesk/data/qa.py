"""Quality assurance: sample handled tickets, score them, record penalties, take anonymous reports.

Reached as ``store.qa`` (:class:`QualityAssurance`). Events: ``qa.sampled``, ``qa.scored``,
``qa.penalty_recorded``, ``whistle.filed``. QA inspectors and supervisors sample and score;
agents read only their own results and penalties; a penalty names its approver, who must
be allowed to approve (supervisors). A whistle-blowing report is written under the actor
``anonymous``: who filed it is recorded nowhere, not even in the event log.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from csdesk.data.reducer import TICKET
from csdesk.data.supervisor_api import PenaltyView, QaReview, WhistleReport
from csdesk.data.supervisor_reducer import ANONYMOUS, QA_PENALTY, QA_REVIEW, WHISTLE
from csdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from csdesk.domain.masking import mask_text
from csdesk.domain.qa import check_penalty, sample_per_agent, total_score
from csdesk.domain.roles import Permission, can
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.uuid7 import uuid7

if TYPE_CHECKING:
    from csdesk.data.store import Store

HANDLED = ("resolved", "closed")
TEXT_LIMIT = 5_000
EVIDENCE_LIMIT = 50


def _review(r: Any) -> QaReview:
    return QaReview(
        id=r.id,
        ticket_id=r.ticket_id,
        ticket_ref=r.ref or "",
        subject=mask_text(r.subject or ""),
        agent_id=r.agent_id,
        status=r.status,
        sampled_at=r.sampled_at,
        score=r.score,
        marks=json.loads(r.marks) if r.marks else {},
        comment=mask_text(r.comment),
        inspector_id=r.inspector_id,
        scored_at=r.scored_at,
    )


def _penalty(r: Any) -> PenaltyView:
    return PenaltyView(
        r.id,
        r.agent_id,
        r.step,
        r.violation,
        mask_text(r.reason),
        tuple(json.loads(r.evidence)),
        r.approver_id,
        r.decided_by,
        r.decided_at,
    )


class QualityAssurance:
    """QA spot checks, score sheets, the penalty ladder and the whistle-blowing channel."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _visible_agent(self, actor_id: str, agent_id: str | None) -> str | None:
        """Whose results ``actor_id`` may read: anyone's with ``qa.read.all``, else only their own."""
        user = self.store._actor(actor_id)
        if can(user.role, Permission.QA_READ_ALL):
            return agent_id
        if agent_id not in (None, actor_id):
            self.store._require(actor_id, Permission.QA_READ_ALL)
        return actor_id

    # ------------------------------------------------------------- sampling and scoring
    def sample(
        self,
        actor_id: str,
        since: datetime,
        until: datetime,
        *,
        per_agent: int = 3,
        agent_id: str | None = None,
        kind: str | None = None,
        channel: str | None = None,
        seed: int | None = None,
    ) -> list[QaReview]:
        """Pick up to ``per_agent`` handled tickets per agent at random, resolved in ``[since, until)``.

        Filters narrow the candidates (one agent, a kind, a channel); tickets already
        sampled are not picked again.
        """
        self.store._require(actor_id, Permission.QA_REVIEW)
        if since >= until:
            raise ValidationError("since", "The sampling period must start before it ends.")
        clauses = [
            TICKET.c.status.in_(HANDLED),
            TICKET.c.assignee_id.is_not(None),
            TICKET.c.resolved_at >= since,
            TICKET.c.resolved_at < until,
            TICKET.c.id.not_in(select(QA_REVIEW.c.ticket_id)),
        ]
        if agent_id:
            clauses.append(TICKET.c.assignee_id == agent_id)
        if kind:
            clauses.append(TICKET.c.kind == kind)
        if channel:
            clauses.append(TICKET.c.channel == channel)
        candidates: dict[str, list[str]] = defaultdict(list)
        with self.store._read() as conn:
            for r in conn.execute(select(TICKET.c.id, TICKET.c.assignee_id).where(*clauses).order_by(TICKET.c.ref)):
                candidates[r.assignee_id].append(r.id)
        rng = random.Random(seed if seed is not None else self.store.clock.now().timestamp())
        picked = sample_per_agent(candidates, per_agent, rng)
        items = [
            ("qa_review", uuid7(self.store.clock), "qa.sampled", {"ticket_id": ticket_id, "agent_id": agent})
            for agent, tickets in picked.items()
            for ticket_id in tickets
        ]
        if not items:
            return []
        self.store._write(actor_id, items)
        ids = [entity_id for _, entity_id, _, _ in items]
        return [r for r in self.reviews(actor_id) if r.id in ids]

    def score(self, actor_id: str, review_id: str, marks: dict[str, int], comment: str = "") -> QaReview:
        """Mark a sampled ticket on the weighted sheet (0–5 per criterion) with a comment."""
        self.store._require(actor_id, Permission.QA_REVIEW)
        review = self.review(actor_id, review_id)
        if review.agent_id == actor_id:
            raise ValidationError("review_id", "Nobody scores their own tickets.")
        total = total_score(marks)
        comment = sanitize_text(comment, max_chars=TEXT_LIMIT).strip()
        payload = {"marks": dict(marks), "score": total, "comment": comment}
        self.store._write(actor_id, [("qa_review", review_id, "qa.scored", payload)])
        return self.review(actor_id, review_id)

    def _select(self) -> Any:
        return select(QA_REVIEW, TICKET.c.ref, TICKET.c.subject).outerjoin(TICKET, TICKET.c.id == QA_REVIEW.c.ticket_id)

    def review(self, actor_id: str, review_id: str) -> QaReview:
        """One review (agents: only their own)."""
        with self.store._read() as conn:
            row = conn.execute(self._select().where(QA_REVIEW.c.id == review_id)).first()
        if row is None:
            raise NotFound("That QA review does not exist.")
        self._visible_agent(actor_id, row.agent_id)
        return _review(row)

    def reviews(self, actor_id: str, agent_id: str | None = None, status: str | None = None) -> list[QaReview]:
        """Reviews, newest first: an agent sees their own; QA, team leads and supervisors anyone's."""
        agent_id = self._visible_agent(actor_id, agent_id)
        stmt = self._select().order_by(QA_REVIEW.c.sampled_at.desc(), QA_REVIEW.c.id)
        if agent_id:
            stmt = stmt.where(QA_REVIEW.c.agent_id == agent_id)
        if status:
            stmt = stmt.where(QA_REVIEW.c.status == status)
        with self.store._read() as conn:
            return [_review(r) for r in conn.execute(stmt)]

    # ------------------------------------------------------------- penalties
    def record_penalty(
        self,
        actor_id: str,
        agent_id: str,
        step: str,
        violation: str,
        reason: str,
        evidence: Sequence[str],
        approver_id: str,
    ) -> PenaltyView:
        """Record a penalty decision on the ladder with its reason, evidence (ticket ids or refs) and approver."""
        self.store._require(actor_id, Permission.PENALTY_RECORD)
        agent = self.store.get_user(agent_id)
        approver = self.store.get_user(approver_id)
        if not approver.active or not can(approver.role, Permission.PENALTY_APPROVE):
            raise ValidationError("approver_id", "The approver must be an active supervisor.")
        reason = sanitize_text(reason, max_chars=TEXT_LIMIT).strip()
        if not reason:
            raise ValidationError("reason", "Give the reason for the penalty.")
        tickets = self._evidence(evidence)
        previous = [p.step for p in self.penalties(actor_id, agent.id)]
        penalty = check_penalty(step, violation, previous)
        payload = {
            "agent_id": agent.id,
            "step": penalty.value,
            "violation": violation,
            "reason": reason,
            "evidence": tickets,
            "approver_id": approver.id,
        }
        penalty_id = uuid7(self.store.clock)
        self.store._write(actor_id, [("qa_penalty", penalty_id, "qa.penalty_recorded", payload)])
        return next(p for p in self.penalties(actor_id, agent.id) if p.id == penalty_id)

    def _evidence(self, evidence: Sequence[str]) -> list[str]:
        """Ticket ids for the given ids or refs; at least one, all existing."""
        wanted = [sanitize_line(e, max_chars=64).strip() for e in evidence if e and e.strip()]
        if not wanted:
            raise ValidationError("evidence", "Name at least one ticket as evidence.")
        if len(wanted) > EVIDENCE_LIMIT:
            raise ValidationError("evidence", f"Name at most {EVIDENCE_LIMIT} tickets as evidence.")
        with self.store._read() as conn:
            rows = conn.execute(
                select(TICKET.c.id, TICKET.c.ref).where(
                    TICKET.c.id.in_(wanted) | TICKET.c.ref.in_([w.upper() for w in wanted])
                )
            ).all()
        found = {r.id for r in rows} | {r.ref for r in rows}
        missing = [w for w in wanted if w not in found and w.upper() not in found]
        if missing:
            raise ValidationError("evidence", f"No ticket {missing[0]!r}; evidence must be existing tickets.")
        return sorted({r.id for r in rows})

    def penalties(self, actor_id: str, agent_id: str | None = None) -> list[PenaltyView]:
        """Penalty decisions, oldest first: an agent sees their own."""
        agent_id = self._visible_agent(actor_id, agent_id)
        stmt = select(QA_PENALTY).order_by(QA_PENALTY.c.decided_at, QA_PENALTY.c.id)
        if agent_id:
            stmt = stmt.where(QA_PENALTY.c.agent_id == agent_id)
        with self.store._read() as conn:
            return [_penalty(r) for r in conn.execute(stmt)]

    # ------------------------------------------------------------- whistle-blowing
    def file_report(self, actor_id: str, subject: str, text: str) -> str:
        """File an anonymous report to the supervisor; returns its id. The reporter is not recorded."""
        user = self.store._actor(actor_id)  # only people of this desk may file
        if not can(user.role, Permission.WHISTLE_FILE):
            raise PermissionDenied("Your role may not file reports.")
        subject = sanitize_line(subject, max_chars=200).strip()
        text = sanitize_text(text, max_chars=TEXT_LIMIT).strip()
        if not text:
            raise ValidationError("text", "Write what happened.")
        report_id = uuid7(self.store.clock)
        self.store._write(
            ANONYMOUS, [("whistle_report", report_id, "whistle.filed", {"subject": subject, "text": text})]
        )
        return report_id

    def reports(self, actor_id: str) -> list[WhistleReport]:
        """Anonymous reports, newest first (supervisors)."""
        self.store._require(actor_id, Permission.WHISTLE_READ)
        with self.store._read() as conn:
            rows = conn.execute(select(WHISTLE).order_by(WHISTLE.c.filed_at.desc(), WHISTLE.c.id))
            return [WhistleReport(r.id, r.subject, mask_text(r.text), r.filed_at) for r in rows]
