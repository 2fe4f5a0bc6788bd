"""Business assistance (业务协助), reached as ``store.business`` (:class:`Business`).

The agent opens a case on a ticket for a business type, ticks each required document
of the type's checklist as received / missing / invalid, passes the file to the
responsible department (refused while incomplete unless a team lead or above overrides
with a reason), follows the department's stages and, on completion, records the
guidance given. Every stage change may schedule a ``business_progress`` callback in the
same write. The rules are pure (:mod:`csdesk.domain.business_rules`); this module checks
roles, validates, writes ``business.*`` events and reads the projections.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, select

from csdesk.data.business_reducer import (
    BUSINESS_CASE,
    BUSINESS_DOCUMENT,
    document_payload,
    opened_payload,
    passed_payload,
    stage_payload,
)
from csdesk.data.business_views import BusinessCaseView, DocumentCheck, SuccessRow
from csdesk.data.callback_queries import as_utc
from csdesk.data.checklist_files import CHECKLIST_DIR, Checklist, ChecklistSet, load_checklists, local_checklist_dir
from csdesk.data.reducer import CUSTOMER, TICKET
from csdesk.domain.business_rules import (
    DocStatus,
    Stage,
    check_transition,
    incomplete_documents,
    success_rate,
)
from csdesk.domain.callback_rules import parse_due
from csdesk.domain.errors import NotFound, ValidationError
from csdesk.domain.masking import mask_phone, mask_text
from csdesk.domain.roles import Permission
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.uuid7 import uuid7

if TYPE_CHECKING:
    from csdesk.data.store import Store

Item = tuple[str, str, str, dict[str, Any]]
REASON_LIMIT = 500
GUIDANCE_LIMIT = 4_000
PROGRESS = "business_progress"


class Business:
    """Business-assistance use cases on one store (``store.business``)."""

    def __init__(self, store: Store, checklist_dir: Path = CHECKLIST_DIR, local_dir: Path | None = None) -> None:
        self.store = store
        self.checklist_dir = checklist_dir
        self.local_dir = local_dir if local_dir is not None else local_checklist_dir()

    def _load(self) -> ChecklistSet:
        return load_checklists(self.checklist_dir, self.local_dir)

    # ------------------------------------------------------------- checklists
    def checklists(self, actor_id: str) -> ChecklistSet:
        """Every checklist that loads from the data files, and a sentence per broken file."""
        self.store._require(actor_id, Permission.BUSINESS_READ)
        return self._load()

    def _checklist(self, business_type: str) -> Checklist:
        found = self._load().checklists
        if business_type not in found:
            raise ValidationError("business_type", f"Pick one of the business types: {', '.join(sorted(found))}.")
        return found[business_type]

    # ------------------------------------------------------------- reading
    def _select(self) -> Any:
        return (
            select(BUSINESS_CASE, TICKET.c.ref, CUSTOMER.c.name.label("customer_name"), CUSTOMER.c.phone)
            .join(TICKET, TICKET.c.id == BUSINESS_CASE.c.ticket_id, isouter=True)
            .join(CUSTOMER, CUSTOMER.c.id == BUSINESS_CASE.c.customer_id, isouter=True)
        )

    def _view(self, row: Row[Any], docs: list[Row[Any]]) -> BusinessCaseView:
        return BusinessCaseView(
            id=row.id, ticket_id=row.ticket_id, ticket_ref=row.ref or "", customer_id=row.customer_id,
            customer_name=mask_text(row.customer_name or ""),
            customer_phone=mask_phone(row.phone) if row.phone else None,
            business_type=row.business_type, stage=row.stage, department=row.department,
            promised_at=as_utc(row.promised_at) if row.promised_at else None,
            rework_count=row.rework_count, guidance=mask_text(row.guidance),
            override_reason=row.override_reason, agent_id=row.agent_id, team=row.team,
            opened_at=as_utc(row.opened_at),
            completed_at=as_utc(row.completed_at) if row.completed_at else None,
            documents=tuple(DocumentCheck(d.doc_id, d.status, mask_text(d.reason)) for d in docs),
        )

    def _views(self, stmt: Any) -> list[BusinessCaseView]:
        with self.store._read() as conn:
            rows = list(conn.execute(stmt))
            ids = [r.id for r in rows]
            docs = list(conn.execute(
                select(BUSINESS_DOCUMENT).where(BUSINESS_DOCUMENT.c.case_id.in_(ids)).order_by(BUSINESS_DOCUMENT.c.position)
            )) if ids else []
        return [self._view(r, [d for d in docs if d.case_id == r.id]) for r in rows]

    def get(self, actor_id: str, case_id: str) -> BusinessCaseView:
        """One case; :class:`NotFound` when there is none."""
        self.store._require(actor_id, Permission.BUSINESS_READ)
        found = self._views(self._select().where(BUSINESS_CASE.c.id == case_id))
        if not found:
            raise NotFound(f"There is no business case {case_id!r}.")
        return found[0]

    def list(self, actor_id: str, *, stage: str | None = None, ticket_id: str | None = None) -> list[BusinessCaseView]:
        """Cases, newest first, optionally of one stage or one ticket."""
        self.store._require(actor_id, Permission.BUSINESS_READ)
        stmt = self._select().order_by(BUSINESS_CASE.c.opened_at.desc(), BUSINESS_CASE.c.id.desc())
        if stage:
            stmt = stmt.where(BUSINESS_CASE.c.stage == _stage(stage).value)
        if ticket_id:
            stmt = stmt.where(BUSINESS_CASE.c.ticket_id == ticket_id)
        return self._views(stmt)

    def success_rates(self, actor_id: str) -> list[SuccessRow]:
        """Success rate (completed without rework / closed) per agent, team and the desk."""
        self.store._require(actor_id, Permission.BUSINESS_READ)
        with self.store._read() as conn:
            rows = list(conn.execute(select(BUSINESS_CASE.c.agent_id, BUSINESS_CASE.c.team,
                                            BUSINESS_CASE.c.stage, BUSINESS_CASE.c.rework_count)))
        groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for row in rows:
            for key in (("agent", row.agent_id), ("team", row.team), ("desk", self.store.desk_id)):
                groups.setdefault(key, []).append((row.stage, row.rework_count))
        return [SuccessRow(scope, key, *success_rate(cases)) for (scope, key), cases in sorted(groups.items())]

    # ------------------------------------------------------------- writing
    def open_case(self, actor_id: str, ticket_id: str, business_type: str) -> BusinessCaseView:
        """Open a case of ``business_type`` on a ticket; every required document starts pending."""
        user = self.store._require(actor_id, Permission.BUSINESS_WORK)
        checklist = self._checklist(sanitize_line(business_type, 64).strip())
        ticket = self.store.get_ticket_row(actor_id, ticket_id)
        case_id = uuid7(self.store.clock)
        payload = opened_payload(
            checklist, ticket_id=ticket.id, customer_id=ticket.customer_id, agent_id=user.id, team=user.team
        )
        self.store._write(actor_id, [("business", case_id, "business.case_opened", payload)])
        return self.get(actor_id, case_id)

    def check_document(
        self, actor_id: str, case_id: str, doc_id: str, status: str, reason: str = ""
    ) -> BusinessCaseView:
        """Tick one document received, missing or invalid (missing and invalid need a reason)."""
        case = self._work(actor_id, case_id)
        if case.stage not in (Stage.DRAFT, Stage.RETURNED_FOR_REWORK):
            message = "Documents are checked before passing the file or after it comes back for rework."
            raise ValidationError("stage", message)
        if doc_id not in {d.doc_id for d in case.documents}:
            raise ValidationError("doc_id", f"{doc_id!r} is not a required document of this case.")
        try:
            checked = DocStatus(status)
        except ValueError:
            raise ValidationError("status", "A document is received, missing or invalid.") from None
        if checked is DocStatus.PENDING:
            raise ValidationError("status", "A document is received, missing or invalid.")
        reason = sanitize_line(reason or "", REASON_LIMIT).strip()
        if checked is not DocStatus.RECEIVED and not reason:
            raise ValidationError("reason", "Say why the document is missing or invalid.")
        payload = document_payload(doc_id, checked.value, reason)
        self.store._write(actor_id, [("business", case_id, "business.document_checked", payload)])
        return self.get(actor_id, case_id)

    def _work(self, actor_id: str, case_id: str) -> BusinessCaseView:
        """The case ``actor_id`` is about to work on (front line only)."""
        self.store._require(actor_id, Permission.BUSINESS_WORK)
        return self.get(actor_id, case_id)

    def _notify(self, actor_id: str, case: BusinessCaseView, notify_at: str | datetime | None, note: str) -> list[Item]:
        if notify_at is None:
            return []
        return [self.store.callbacks.plan_schedule(
            actor_id, purpose=PROGRESS, due=notify_at, ticket_id=case.ticket_id, note=note,
        )]

    def _check_complete(self, actor_id: str, case: BusinessCaseView, override_reason: str | None) -> str | None:
        """The recorded override reason, or :class:`ValidationError` naming what is not received."""
        wanting = incomplete_documents([d.doc_id for d in case.documents], {d.doc_id: d.status for d in case.documents})
        reason = sanitize_line(override_reason or "", REASON_LIMIT).strip() or None
        if not wanting:
            return None
        if reason is None:
            raise ValidationError(
                "documents",
                f"The file is incomplete ({', '.join(wanting)} not received); a team lead may override with a reason.",
            )
        self.store._require(actor_id, Permission.BUSINESS_OVERRIDE)
        return reason

    def pass_to_department(
        self,
        actor_id: str,
        case_id: str,
        *,
        promised_at: str | datetime | None = None,
        override_reason: str | None = None,
        notify_at: str | datetime | None = None,
    ) -> BusinessCaseView:
        """Pass a complete file to the department (stage ``submitted``) with the promised date."""
        case = self._work(actor_id, case_id)
        check_transition(case.stage, Stage.SUBMITTED)
        override = self._check_complete(actor_id, case, override_reason)
        promised = self._promised(promised_at, self._checklist(case.business_type).promise_days)
        payload = passed_payload(case.department, promised, override)
        items = [("business", case_id, "business.passed", payload)]
        items += self._notify(actor_id, case, notify_at, f"Business case passed to {case.department}.")
        self.store._write(actor_id, items)
        return self.get(actor_id, case_id)

    def _promised(self, value: str | datetime | None, days: int) -> datetime:
        """The promised date as typed (desk time) or given, else ``days`` from now; UTC."""
        now = self.store.clock.now()
        if value is None:
            return (now + timedelta(days=days)).astimezone(UTC)
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValidationError("promised_at", "Give the promised date with its time zone.")
            return value.astimezone(UTC)
        return parse_due(sanitize_line(value, 64).strip(), now).astimezone(UTC)

    def change_stage(
        self,
        actor_id: str,
        case_id: str,
        stage: str,
        *,
        note: str = "",
        promised_at: str | datetime | None = None,
        override_reason: str | None = None,
        notify_at: str | datetime | None = None,
    ) -> BusinessCaseView:
        """Record the department's progress; out of order is refused naming the allowed next stages."""
        case = self._work(actor_id, case_id)
        target = _stage(stage)
        if target is Stage.COMPLETED:
            raise ValidationError("stage", "Complete a case with the guidance given to the customer.")
        if target is Stage.SUBMITTED and case.stage == Stage.DRAFT:
            raise ValidationError("stage", "Pass the file to the department to submit it.")
        check_transition(case.stage, target)
        override = None
        if case.stage == Stage.RETURNED_FOR_REWORK:  # resubmission: the reworked file must be complete again
            override = self._check_complete(actor_id, case, override_reason)
        note = sanitize_text(note or "", max_chars=REASON_LIMIT).strip()
        promised = self._promised(promised_at, 0) if promised_at is not None else None
        payload = stage_payload(target.value, case.stage, note, override, promised)
        items = [("business", case_id, "business.stage_changed", payload)]
        items += self._notify(actor_id, case, notify_at, f"Business case is now {target.value}.")
        self.store._write(actor_id, items)
        return self.get(actor_id, case_id)

    def complete(
        self, actor_id: str, case_id: str, guidance: str, *, notify_at: str | datetime | None = None
    ) -> BusinessCaseView:
        """Complete an approved case, recording the guidance given; optionally schedule the completion notice."""
        case = self._work(actor_id, case_id)
        check_transition(case.stage, Stage.COMPLETED)
        guidance = sanitize_text(guidance or "", max_chars=GUIDANCE_LIMIT).strip()
        if not guidance:
            raise ValidationError("guidance", "Record the guidance given to the customer.")
        items = [("business", case_id, "business.completed", {"guidance": guidance})]
        items += self._notify(actor_id, case, notify_at, "Business case completed.")
        self.store._write(actor_id, items)
        return self.get(actor_id, case_id)


def _stage(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        names = ", ".join(stage.value for stage in Stage)
        raise ValidationError("stage", f"A stage is one of: {names}.") from None
