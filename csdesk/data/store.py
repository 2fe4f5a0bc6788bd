"""The store gateway: the only API screens and commands use to read and change data.

Each public method is a use case. It checks the acting user's role (the matrix in
:mod:`csdesk.domain.roles`), validates and sanitises input, writes events through the
reducer in one transaction, and returns plain values from :mod:`csdesk.data.api`.
Refusals are themselves recorded as ``access.denied`` events.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, and_, func, literal_column, or_, select
from sqlalchemy.exc import DatabaseError, OperationalError

from csdesk.data import eventlog, migrate
from csdesk.data.api import (
    AuditReport,
    CustomerView,
    NoteView,
    PurgeReport,
    StoreInfo,
    StoreMode,
    TicketDetail,
    TicketQuery,
    TicketRow,
    TimelineEntry,
    UserInfo,
)
from csdesk.data.engine import WRITE_OPTION, check_store_path, create_store_engine, refresh_planner_stats
from csdesk.data.reducer import CUSTOMER, NOTE, TICKET, USER, rebuild, reduce, sla_policy
from csdesk.data.rows import ticket_row, user_info
from csdesk.data.tables import Event, Meta
from csdesk.domain.assignment import DEFAULT_LOAD_CAP, Availability, Candidate, choose_assignee
from csdesk.domain.clock import Clock, SystemClock
from csdesk.domain.errors import Conflict, NotFound, PermissionDenied, StoreUnavailable, ValidationError
from csdesk.domain.hlc import HybridLogicalClock
from csdesk.domain.masking import (
    mask_account,
    mask_card,
    mask_id_number,
    mask_phone,
    mask_text,
    normalize_phone,
    validate_card,
    validate_id_number,
)
from csdesk.domain.retention import MIN_RETENTION_YEARS
from csdesk.domain.roles import Permission, Role, can
from csdesk.domain.sanitize import sanitize_line, sanitize_text
from csdesk.domain.sla import SlaMode, SlaPolicy, check_target_minutes
from csdesk.domain.staff_no import checked_staff_no
from csdesk.domain.tickets import (
    Business,
    Cause,
    Channel,
    Kind,
    Priority,
    Status,
    allowed_next,
    can_reopen,
    check_transition,
)
from csdesk.domain.uuid7 import uuid7
from csdesk.domain.when import future_time

if TYPE_CHECKING:
    from csdesk.data.business import Business
    from csdesk.data.callbacks import Callbacks
    from csdesk.data.complaints import Complaints
    from csdesk.data.conflicts import Conflicts
    from csdesk.data.incidents import Incidents
    from csdesk.data.knowledge import KnowledgeBase
    from csdesk.data.qa import QualityAssurance
    from csdesk.data.reports import Reports
    from csdesk.data.surveys import Surveys
    from csdesk.data.sync_ledger import SyncLedger
    from csdesk.data.trainer import Trainer

EVENT = Event.__table__
META = Meta.__table__
SUBJECT_LIMIT = 200
TEXT_LIMIT = 20_000
NAME_LIMIT = 100
PII_FIELDS = ("phone", "id_number", "account_no", "card_no")
#: How long a revealed number stays on screen unless the desk's settings say otherwise.
REVEAL_SECONDS = 30
REVEAL_SECONDS_MAX = 3600


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    """An event to write with a given wall time (demo history, imports)."""

    at: datetime
    actor: str
    entity: str
    entity_id: str
    kind: str
    payload: dict[str, Any]


def _enum(value: str | None, enum: type, field: str, *, optional: bool = False) -> str | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValidationError(field, f"Choose a {field.replace('_', ' ')}.")
    try:
        return enum(value).value
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        shown = mask_text(str(value))[:60]
        raise ValidationError(field, f"Unknown {field.replace('_', ' ')} {shown!r}; use one of: {allowed}.") from None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _customer_view(row: Any) -> CustomerView:
    return CustomerView(
        id=row.id,
        name=row.name,
        phone=mask_phone(row.phone) if row.phone else None,
        id_number=mask_id_number(row.id_number) if row.id_number else None,
        account_no=mask_account(row.account_no) if row.account_no else None,
        card_no=mask_card(row.card_no) if row.card_no else None,
        vip=bool(row.vip),
        language=row.language,
    )


class Store:
    """A desk's local store. Open with :meth:`Store.open`; thread-safe for workers."""

    def __init__(self, engine: Engine, path: Path, desk_id: str, mode: StoreMode, clock: Clock) -> None:
        self._engine = engine
        self.path = path
        self.desk_id = desk_id
        self.mode = mode
        self.clock = clock
        self._lock = threading.Lock()
        self._policy_cache: dict[tuple[str, str], SlaPolicy] = {}
        with engine.connect() as conn:
            last = conn.execute(select(func.max(EVENT.c.hlc))).scalar() or 0
        self._hlc = HybridLogicalClock(clock, last=last)

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        path: Path,
        *,
        desk_id: str,
        mode: StoreMode = StoreMode.LIVE,
        clock: Clock | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> Store:
        """Open (creating or upgrading) the store at ``path``.

        A store belongs to the desk that created it: its recorded desk id wins over ``desk_id``.

        Raises :class:`StoreUnavailable` with a sentence for people when the file is not
        a store, is damaged, belongs to a newer csdesk, or is of the other mode.
        """
        path = Path(path).expanduser()
        if not desk_id or not desk_id.replace("-", "").replace("_", "").isalnum():
            raise StoreUnavailable(f"The desk id {desk_id!r} is not valid; use letters, digits, - and _.")
        existed = check_store_path(path)
        engine = create_store_engine(path)
        try:
            migrate.upgrade(engine, progress)
            store_mode, desk_id = cls._claim_mode(engine, mode, desk_id, clock or SystemClock())
            refresh_planner_stats(engine)
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            reason = str(exc.orig) if getattr(exc, "orig", None) else str(exc)
            if not existed:
                raise StoreUnavailable(f"Cannot create the store at {path}: {reason}.") from exc
            raise StoreUnavailable(
                f"The store at {path} is damaged or unreadable ({reason}); it was left untouched."
            ) from exc
        except StoreUnavailable:
            engine.dispose()
            raise
        return cls(engine, path, desk_id, store_mode, clock or SystemClock())

    @staticmethod
    def _claim_mode(engine: Engine, mode: StoreMode, desk_id: str, clock: Clock) -> tuple[StoreMode, str]:
        """Record mode and desk on a new store; on an existing one, check the mode, keep its desk."""
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            facts = {row.key: row.value for row in conn.execute(select(META))}
            if "mode" not in facts:
                conn.execute(
                    META.insert(),
                    [
                        {"key": "mode", "value": mode.value},
                        {"key": "desk_id", "value": desk_id},
                        {"key": "created_at", "value": clock.now().isoformat()},
                    ],
                )
                return mode, desk_id
        stored = StoreMode(facts["mode"])
        if stored is not mode:
            if stored is StoreMode.DEMO:
                raise StoreUnavailable("This is a demo store; open it with `csdesk demo`, never as a desk's store.")
            raise StoreUnavailable("This is a live desk store; demo mode never opens real data.")
        return stored, facts.get("desk_id", desk_id)

    def _room(self, module: str, name: str) -> Any:
        """The sub-gateway class ``name`` of ``csdesk.data.<module>``, made once (imported on first use)."""
        room = self.__dict__.get(f"_{module}")
        if room is None:
            room = self.__dict__[f"_{module}"] = getattr(import_module(f"csdesk.data.{module}"), name)(self)
        return room

    @property
    def kb(self) -> KnowledgeBase:
        """Knowledge-base use cases: search, read, use in a ticket, gaps, edits (csdesk.data.knowledge)."""
        return self._room("knowledge", "KnowledgeBase")  # type: ignore[no-any-return]

    @property
    def business(self) -> Business:
        """Business assistance: checklists, document checks, department stages (csdesk.data.business)."""
        return self._room("business", "Business")  # type: ignore[no-any-return]

    @property
    def surveys(self) -> Surveys:
        """Satisfaction survey campaigns: define, sample, launch, answers, results (csdesk.data.surveys)."""
        return self._room("surveys", "Surveys")  # type: ignore[no-any-return]

    @property
    def sync(self) -> SyncLedger:
        """Local side of sync with the shared database: pending pushes, cursor, pulled events."""
        return self._room("sync_ledger", "SyncLedger")  # type: ignore[no-any-return]

    @property
    def conflicts(self) -> Conflicts:
        """Merge conflicts for supervisors: list and resolve (csdesk.data.conflicts)."""
        return self._room("conflicts", "Conflicts")  # type: ignore[no-any-return]

    @property
    def complaints(self) -> Complaints:
        """Complaint use cases with the regulatory clock (csdesk.data.complaints)."""
        complaints = self.__dict__.get("_complaints")
        if complaints is None:
            from csdesk.data.complaints import Complaints

            complaints = self.__dict__["_complaints"] = Complaints(self)
        return complaints

    @property
    def callbacks(self) -> Callbacks:
        """Callback use cases: schedule, lists, outcomes, reminders, completion KPI (csdesk.data.callbacks)."""
        callbacks = self.__dict__.get("_callbacks")
        if callbacks is None:
            from csdesk.data.callbacks import Callbacks

            callbacks = self.__dict__["_callbacks"] = Callbacks(self)
        return callbacks

    @property
    def trainer(self) -> Trainer:
        """Training use cases on a demo store: scenario runs, the simulator, scores (csdesk.data.trainer)."""
        trainer = self.__dict__.get("_trainer")
        if trainer is None:
            from csdesk.data.trainer import Trainer

            trainer = self.__dict__["_trainer"] = Trainer(self)
        return trainer

    @property
    def reports(self) -> Reports:
        """Supervisor reports: KPIs and targets, staffing and roster, the live view (csdesk.data.reports)."""
        from csdesk.data.reports import Reports

        return self.__dict__.setdefault("_reports", Reports(self))

    @property
    def qa(self) -> QualityAssurance:
        """Quality assurance: sampling, score sheets, penalties, anonymous reports (csdesk.data.qa)."""
        from csdesk.data.qa import QualityAssurance

        return self.__dict__.setdefault("_qa", QualityAssurance(self))

    @property
    def incidents(self) -> Incidents:
        """Emergency incidents with a standard script, tickets linked in bulk (csdesk.data.incidents)."""
        from csdesk.data.incidents import Incidents

        return self.__dict__.setdefault("_incidents", Incidents(self))

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    # ----------------------------------------------------------------- plumbing
    def _read(self) -> Connection:
        return self._engine.connect()

    def _next_hlc(self, conn: Connection) -> int:
        newest = conn.execute(select(func.max(EVENT.c.hlc))).scalar() or 0
        if newest > self._hlc.last:
            self._hlc = HybridLogicalClock(self.clock, last=newest)
        return self._hlc.now()

    def _append(
        self, conn: Connection, head: tuple[int, str], planned: PlannedEvent, hlc: int, event_id: str
    ) -> eventlog.EventData:
        """Append one event after ``head`` and apply it, inside the caller's write transaction."""
        ev = eventlog.append(
            conn,
            event_id=event_id,
            desk_id=self.desk_id,
            hlc=hlc,
            actor=planned.actor,
            entity=planned.entity,
            entity_id=planned.entity_id,
            kind=planned.kind,
            payload=planned.payload,
            recorded_at=planned.at,
            head=head,
        )
        reduce(conn, ev)
        return ev

    def _write(
        self,
        actor: str,
        items: Sequence[tuple[str, str, str, dict[str, Any]]],
        progress: Callable[[int], None] | None = None,
        then: Callable[[Connection, list[eventlog.EventData]], None] | None = None,
    ) -> list[eventlog.EventData]:
        """Append and apply ``items`` in one transaction: all of them or none.

        A ``ticket.created`` payload without a ``ref`` gets the next one of this desk here,
        inside the transaction, so many new tickets in one write are numbered in turn.
        ``then(conn, written)`` runs last in the same transaction (a purge redacts there).
        """
        written: list[eventlog.EventData] = []
        with self._lock, self._engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
            with conn.begin():
                head = eventlog.chain_head(conn, self.desk_id)
                for entity, entity_id, kind, payload in items:
                    if kind == "ticket.created" and not payload.get("ref"):
                        payload = {**payload, "ref": self._next_ref(conn)}
                    planned = PlannedEvent(self.clock.now(), actor, entity, entity_id, kind, payload)
                    ev = self._append(conn, head, planned, self._next_hlc(conn), uuid7(self.clock))
                    head = (ev.desk_seq, ev.hash)
                    written.append(ev)
                    if progress:
                        progress(len(written))
                if then is not None:
                    then(conn, written)
        return written

    def write_events(
        self,
        actor_id: str,
        items: Sequence[tuple[str, str, str, dict[str, Any]]],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write ``(entity, entity_id, kind, payload)`` events in ONE transaction (imports).

        For use cases of the data layer (e.g. :mod:`csdesk.data.intake_import`) that have
        already checked the actor's role and validated every payload. ``progress(n)`` is
        called after each event; returns how many were written.
        """
        written = len(self._write(actor_id, items, progress))
        refresh_planner_stats(self._engine)
        return written

    def write_planned(
        self, events: Iterable[PlannedEvent], *, batch: int = 1000, progress: Callable[[int], None] | None = None
    ) -> int:
        """Write events with their own wall times (demo history); one transaction per batch."""
        from csdesk.domain.clock import FrozenClock

        count = 0
        iterator = iter(events)
        while True:
            chunk = [ev for _, ev in zip(range(batch), iterator, strict=False)]
            if not chunk:
                return count
            with self._lock, self._engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
                with conn.begin():
                    head = eventlog.chain_head(conn, self.desk_id)
                    for planned in chunk:
                        frozen = FrozenClock(planned.at)
                        hlc = HybridLogicalClock(frozen, last=self._hlc.last).now()
                        self._hlc = HybridLogicalClock(self.clock, last=hlc)
                        ev = self._append(conn, head, planned, hlc, uuid7(frozen))
                        head = (ev.desk_seq, ev.hash)
            count += len(chunk)
            refresh_planner_stats(self._engine)
            if progress:
                progress(count)

    def _actor(self, actor_id: str) -> UserInfo:
        user = self.get_user(actor_id)  # read every time: another desk or process may change roles
        if not user.active:
            raise PermissionDenied(f"The user {actor_id} is deactivated.")
        return user

    def _require(self, actor_id: str, permission: Permission) -> UserInfo:
        user = self._actor(actor_id)
        if not can(user.role, permission):
            self._write(actor_id, [("user", actor_id, "access.denied", {"permission": permission.value})])
            raise PermissionDenied(f"Your role ({user.role}) may not do this: {permission.value}.")
        return user

    # ----------------------------------------------------------------- users
    def get_user(self, user_id: str) -> UserInfo:
        """The user with ``user_id``; raises :class:`NotFound`."""
        with self._read() as conn:
            row = conn.execute(select(USER).where(USER.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"There is no user {user_id!r} on this desk.")
        return _user(row)

    def list_users(self) -> list[UserInfo]:
        """Every user, by role then name."""
        with self._read() as conn:
            rows = conn.execute(select(USER).order_by(USER.c.role, USER.c.name))
            return [_user(r) for r in rows]

    def set_availability(self, actor_id: str, availability: str, user_id: str | None = None) -> UserInfo:
        """Say whether you (or, for a supervisor, someone else) can take tickets now."""
        target = user_id or actor_id
        if target != actor_id:
            self._require(actor_id, Permission.USER_MANAGE)
        else:
            self._actor(actor_id)
        value = _enum(availability, Availability, "availability")
        self._write(actor_id, [("user", target, "user.updated", {"availability": value})])
        return self.get_user(target)

    def set_staff_no(self, actor_id: str, user_id: str, staff_no: str) -> UserInfo:
        """Give a user the staff number (工号) they tell customers; scripts quote it as ``{{agent_id}}``."""
        self._require(actor_id, Permission.USER_MANAGE)
        self.get_user(user_id)
        self._write(actor_id, [("user", user_id, "user.updated", {"staff_no": checked_staff_no(staff_no)})])
        return self.get_user(user_id)

    def set_skills(self, actor_id: str, user_id: str, skills: Sequence[str]) -> UserInfo:
        """Which ticket kinds a specialist is routed (empty: a generalist)."""
        self._require(actor_id, Permission.USER_MANAGE)
        self.get_user(user_id)
        kinds = sorted({_enum(kind, Kind, "skills") or "" for kind in skills})
        self._write(actor_id, [("user", user_id, "user.updated", {"skills": ",".join(kinds)})])
        return self.get_user(user_id)

    def auto_assign(self, actor_id: str, ticket_id: str, load_cap: int = DEFAULT_LOAD_CAP) -> TicketRow:
        """Route a ticket fairly: the longest-waiting available agent with the skill, under the cap."""
        self._require(actor_id, Permission.TICKET_CLAIM)
        open_statuses = [s.value for s in Status if s not in (Status.RESOLVED, Status.CLOSED)]
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
            if ticket.assignee_id:
                raise Conflict(f"Ticket {ticket.ref} is already assigned to {ticket.assignee_id}.")
            loads = dict(
                conn.execute(
                    select(TICKET.c.assignee_id, func.count())
                    .where(TICKET.c.status.in_(open_statuses), TICKET.c.assignee_id.is_not(None))
                    .group_by(TICKET.c.assignee_id)
                ).all()
            )
            users = list(conn.execute(select(USER)))
        recused = self.complaints.conflicted_for_ticket(ticket_id)  # Art. 17: never a conflicted handler
        candidates = [
            Candidate(
                u.id,
                u.role,
                u.availability,
                frozenset(filter(None, u.skills.split(","))),
                int(loads.get(u.id, 0)),
                u.last_assigned_at,
                bool(u.active),
            )
            for u in users
            if u.id not in recused
        ]
        chosen = choose_assignee(candidates, ticket.kind, load_cap)
        if chosen is None:
            raise Conflict(f"Nobody available can take {ticket.ref} now (all busy, away or at the load cap).")
        items: list[tuple[str, str, str, dict[str, Any]]] = [
            ("ticket", ticket_id, "ticket.assigned", {"assignee_id": chosen, "rule": "round_robin"})
        ]
        self._write(actor_id, items)
        return self.get_ticket_row(actor_id, ticket_id)

    def add_user(
        self, actor_id: str | None, user_id: str, name: str, role: str, team: str = "", staff_no: str = ""
    ) -> UserInfo:
        """Add a user. The first user of an empty store may be added with no actor."""
        role = _enum(role, Role, "role") or ""
        staff_no = checked_staff_no(staff_no) if staff_no else ""
        user_id = sanitize_line(user_id, max_chars=40).strip()
        name = sanitize_line(name, max_chars=NAME_LIMIT).strip()
        if not user_id or not all(ch.isalnum() or ch in "._-" for ch in user_id):
            raise ValidationError("user_id", "A user id needs letters, digits, '.', '_' or '-' only.")
        if not name:
            raise ValidationError("name", "Give the user's name.")
        if self.list_users():
            if actor_id is None:
                raise PermissionDenied("Only a supervisor may add users to a desk that already has users.")
            self._require(actor_id, Permission.USER_MANAGE)
        with self._read() as conn:
            if conn.execute(select(USER.c.id).where(USER.c.id == user_id)).first():
                raise Conflict(f"The user {user_id} already exists.")
        payload = {"name": name, "role": role, "team": team, "active": True}
        if staff_no:
            payload["staff_no"] = staff_no
        self._write(actor_id or user_id, [("user", user_id, "user.created", payload)])
        return self.get_user(user_id)

    # ----------------------------------------------------------------- customers
    def create_customer(
        self,
        actor_id: str,
        *,
        name: str,
        phone: str | None = None,
        id_number: str | None = None,
        account_no: str | None = None,
        card_no: str | None = None,
        vip: bool = False,
        language: str = "zh-CN",
    ) -> CustomerView:
        """Record a new customer; identifiers are validated and stored whole."""
        self._require(actor_id, Permission.CUSTOMER_WRITE)
        name = sanitize_line(name, max_chars=NAME_LIMIT).strip()
        if not name:
            raise ValidationError("name", "Give the customer's name.")
        payload: dict[str, Any] = {
            "name": name,
            "phone": _checked("phone", normalize_phone, phone),
            "id_number": _checked("id_number", validate_id_number, id_number),
            "account_no": _checked("account_no", _account_digits, account_no),
            "card_no": _checked("card_no", validate_card, card_no),
            "vip": bool(vip),
            "language": language if language in ("zh-CN", "en") else "zh-CN",
        }
        customer_id = uuid7(self.clock)
        self._write(actor_id, [("customer", customer_id, "customer.created", payload)])
        return self.get_customer(actor_id, customer_id)

    def get_customer(self, actor_id: str, customer_id: str) -> CustomerView:
        """A customer, masked; raises :class:`NotFound`."""
        self._require(actor_id, Permission.CUSTOMER_READ)
        with self._read() as conn:
            row = conn.execute(select(CUSTOMER).where(CUSTOMER.c.id == customer_id)).first()
        if row is None:
            raise NotFound("That customer does not exist.")
        return _customer_view(row)

    def find_customers(self, actor_id: str, text: str, limit: int = 20) -> list[CustomerView]:
        """Customers matching a whole phone, ID, card or account number, or part of a name."""
        self._require(actor_id, Permission.CUSTOMER_READ)
        text = sanitize_line(text, max_chars=200).strip()
        if not text:
            return []
        digits = "".join(ch for ch in text if ch.isdigit() or ch in "xX").upper()
        conditions = [CUSTOMER.c.name.like(_like(text), escape="\\")]
        if len(digits) >= 7:
            conditions += [
                CUSTOMER.c.id_number == digits,
                CUSTOMER.c.card_no == digits,
                CUSTOMER.c.account_no == digits,
            ]
            with contextlib.suppress(ValidationError):  # not a phone number: other identifiers still match
                conditions.append(CUSTOMER.c.phone == normalize_phone(text))
        with self._read() as conn:
            rows = conn.execute(select(CUSTOMER).where(or_(*conditions)).order_by(CUSTOMER.c.name).limit(limit))
            return [_customer_view(r) for r in rows]

    def reveal(
        self, actor_id: str, customer_id: str, field: str, ticket_id: str | None = None, seconds: int = REVEAL_SECONDS
    ) -> str:
        """Return one unmasked identifier of the customer of ``ticket_id``, to show for ``seconds``; recorded.

        DOMAIN.md: an agent may reveal one for the current ticket, which is audited. The
        ticket must be this customer's; the audit event names the field, the ticket and
        how long the number may stay on screen (never the number itself).
        """
        self._require(actor_id, Permission.PII_REVEAL)
        if field not in PII_FIELDS:
            raise ValidationError("field", f"Only {', '.join(PII_FIELDS)} can be revealed.")
        if not 1 <= seconds <= REVEAL_SECONDS_MAX:
            raise ValidationError("seconds", f"A number is shown for 1 to {REVEAL_SECONDS_MAX} seconds.")
        if not ticket_id:
            raise ValidationError("ticket_id", "A number is revealed for a ticket: open the customer's ticket first.")
        with self._read() as conn:
            row = conn.execute(select(CUSTOMER).where(CUSTOMER.c.id == customer_id)).first()
            ticket = conn.execute(select(TICKET.c.customer_id).where(TICKET.c.id == ticket_id)).first()
        if row is None:
            raise NotFound("That customer does not exist.")
        if ticket is None or ticket.customer_id != customer_id:
            raise ValidationError("ticket_id", "A number is revealed only on a ticket of the same customer.")
        value = getattr(row, field)
        if value is None:
            raise NotFound(f"The customer has no {field.replace('_', ' ')} on record.")
        until = self.clock.now() + timedelta(seconds=seconds)
        payload = {"field": field, "ticket_id": ticket_id, "seconds": seconds, "until": until.isoformat()}
        self._write(actor_id, [("customer", customer_id, "pii.revealed", payload)])
        return str(value)

    # ----------------------------------------------------------------- tickets
    def _next_ref(self, conn: Connection) -> str:
        prefix = f"{self.desk_id}-"
        last = conn.execute(
            select(TICKET.c.ref)
            .where(TICKET.c.ref > prefix, TICKET.c.ref < prefix + "~")
            .order_by(TICKET.c.ref.desc())
            .limit(1)
        ).scalar()
        number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        return f"{prefix}{number:06d}"

    def create_ticket(
        self,
        actor_id: str,
        *,
        kind: str,
        channel: str,
        subject: str,
        priority: str = Priority.NORMAL.value,
        description: str = "",
        customer_id: str | None = None,
        business: str | None = None,
        cause: str | None = None,
    ) -> TicketRow:
        """Record a new contact in the queue."""
        self._require(actor_id, Permission.TICKET_CREATE)
        subject = sanitize_line(subject, max_chars=SUBJECT_LIMIT).strip()
        if not subject:
            raise ValidationError("subject", "Give the ticket a subject.")
        payload = {
            "kind": _enum(kind, Kind, "kind"),
            "channel": _enum(channel, Channel, "channel"),
            "priority": _enum(priority, Priority, "priority"),
            "subject": subject,
            "description": sanitize_text(description or "", max_chars=TEXT_LIMIT),
            "business": _enum(business, Business, "business", optional=True),
            "cause": _enum(cause, Cause, "cause", optional=True),
            "customer_id": customer_id,
            "assignee_id": None,
        }
        ticket_id = uuid7(self.clock)
        with self._read() as conn:
            if customer_id and not conn.execute(select(CUSTOMER.c.id).where(CUSTOMER.c.id == customer_id)).first():
                raise NotFound("That customer does not exist.")
        self._write(actor_id, [("ticket", ticket_id, "ticket.created", payload)])  # ref numbered there
        return self.get_ticket_row(actor_id, ticket_id)

    def _ticket(self, conn: Connection, ticket_id: str) -> Any:
        row = conn.execute(select(TICKET).where(TICKET.c.id == ticket_id)).first()
        if row is None:
            raise NotFound("That ticket does not exist.")
        return row

    def claim_ticket(self, actor_id: str, ticket_id: str) -> TicketRow:
        """Take a ticket for yourself; a new ticket opens."""
        user = self._require(actor_id, Permission.TICKET_CLAIM)
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
        if ticket.assignee_id and ticket.assignee_id != user.id:
            raise Conflict(f"Ticket {ticket.ref} is already assigned to {ticket.assignee_id}.")
        self.complaints.check_assignable(ticket_id, user.id)
        items: list[tuple[str, str, str, dict[str, Any]]] = []
        if ticket.assignee_id != user.id:
            items.append(("ticket", ticket_id, "ticket.assigned", {"assignee_id": user.id}))
        if ticket.status == Status.NEW.value:
            items.append(("ticket", ticket_id, "ticket.status_changed", {"from": ticket.status, "to": "open"}))
        if items:
            self._write(actor_id, items)
        return self.get_ticket_row(actor_id, ticket_id)

    def assign_ticket(self, actor_id: str, ticket_id: str, assignee_id: str | None) -> TicketRow:
        """Assign (or unassign, with None) a ticket: team leads and above."""
        self._require(actor_id, Permission.TICKET_ASSIGN)
        if assignee_id is not None:
            assignee = self.get_user(assignee_id)
            if not assignee.active:
                raise ValidationError("assignee_id", f"{assignee.name} is deactivated.")
            self.complaints.check_assignable(ticket_id, assignee_id)
        with self._read() as conn:
            self._ticket(conn, ticket_id)
        self._write(actor_id, [("ticket", ticket_id, "ticket.assigned", {"assignee_id": assignee_id})])
        return self.get_ticket_row(actor_id, ticket_id)

    def change_status(self, actor_id: str, ticket_id: str, status: str) -> TicketRow:
        """Move a ticket forward along its life (reopen is :meth:`reopen`)."""
        self._require(actor_id, Permission.TICKET_STATUS)
        new = Status(_enum(status, Status, "status"))
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
        check_transition(Status(ticket.status), new)
        payload = {"from": ticket.status, "to": new.value}
        self._write(actor_id, [("ticket", ticket_id, "ticket.status_changed", payload)])
        return self.get_ticket_row(actor_id, ticket_id)

    def reopen(self, actor_id: str, ticket_id: str, reason: str) -> TicketRow:
        """Reopen a resolved or closed ticket, with the reason."""
        self._require(actor_id, Permission.TICKET_STATUS)
        reason = sanitize_text(reason, max_chars=TEXT_LIMIT).strip()
        if not reason:
            raise ValidationError("reason", "Say why the ticket is reopened.")
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
        if not can_reopen(Status(ticket.status)):
            raise Conflict(f"Ticket {ticket.ref} is {ticket.status}; only resolved or closed tickets reopen.")
        self._write(actor_id, [("ticket", ticket_id, "ticket.reopened", {"reason": reason})])
        return self.get_ticket_row(actor_id, ticket_id)

    def add_note(self, actor_id: str, ticket_id: str, body: str) -> NoteView:
        """Add a note to a ticket (notes are never edited)."""
        self._require(actor_id, Permission.TICKET_NOTE)
        body = sanitize_text(body, max_chars=TEXT_LIMIT).strip()
        if not body:
            raise ValidationError("body", "A note cannot be empty.")
        with self._read() as conn:
            self._ticket(conn, ticket_id)
        note_id = uuid7(self.clock)
        [ev] = self._write(actor_id, [("ticket", ticket_id, "ticket.note_added", {"note_id": note_id, "body": body})])
        return NoteView(note_id, actor_id, mask_text(body), ev.recorded_at)

    def consult_department(
        self, actor_id: str, ticket_id: str, department: str, question: str, promised: str
    ) -> TicketRow:
        """Ask a department (seed 002's consultation flow); the ticket waits for it.

        ``promised`` is the reply time promised to the customer ("15:30", "+2h", ...);
        it must lie in the future.
        """
        self._require(actor_id, Permission.TICKET_STATUS)
        department = sanitize_line(department, max_chars=NAME_LIMIT).strip()
        question = sanitize_text(question, max_chars=TEXT_LIMIT).strip()
        if not department:
            raise ValidationError("department", "Name the department consulted.")
        if not question:
            raise ValidationError("question", "Write down the question put to the department.")
        promised_at = future_time(promised, self.clock.now(), field="promised_at")
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
        payload = {"department": department, "question": question, "promised_at": promised_at.isoformat()}
        items: list[tuple[str, str, str, dict[str, Any]]] = [("ticket", ticket_id, "ticket.consulted", payload)]
        if Status.WAITING_DEPARTMENT in allowed_next(Status(ticket.status)):
            change = {"from": ticket.status, "to": Status.WAITING_DEPARTMENT.value}
            items.append(("ticket", ticket_id, "ticket.status_changed", change))
        self._write(actor_id, items)
        return self.get_ticket_row(actor_id, ticket_id)

    def record_department_reply(self, actor_id: str, ticket_id: str, reply: str) -> TicketRow:
        """Record the department's answer; a ticket waiting for it opens again."""
        self._require(actor_id, Permission.TICKET_STATUS)
        reply = sanitize_text(reply, max_chars=TEXT_LIMIT).strip()
        if not reply:
            raise ValidationError("reply", "Write down the department's reply.")
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
        items: list[tuple[str, str, str, dict[str, Any]]] = [
            ("ticket", ticket_id, "ticket.department_replied", {"reply": reply})
        ]
        if ticket.status == Status.WAITING_DEPARTMENT.value:
            items.append(("ticket", ticket_id, "ticket.status_changed", {"from": ticket.status, "to": "open"}))
        self._write(actor_id, items)
        return self.get_ticket_row(actor_id, ticket_id)

    def find_ticket_ref(self, actor_id: str, ref: str) -> TicketRow:
        """The ticket with reference ``ref`` (e.g. D01-000123); raises :class:`NotFound`."""
        self._require(actor_id, Permission.TICKET_READ)
        ref = sanitize_line(ref, max_chars=64).strip().upper()
        with self._read() as conn:
            row = conn.execute(self._ticket_select().where(TICKET.c.ref == ref)).first()
        if row is None:
            raise NotFound(f"There is no ticket {mask_text(ref)}.")
        return self._row(row)

    def link_tickets(self, actor_id: str, ticket_id: str, other_ref: str) -> TicketRow:
        """Link two tickets about the same matter (both show the link)."""
        self._require(actor_id, Permission.TICKET_NOTE)
        other = self.find_ticket_ref(actor_id, other_ref)
        if other.id == ticket_id:
            raise ValidationError("other_ref", "A ticket cannot be linked to itself.")
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
        self._write(
            actor_id,
            [
                ("ticket", ticket_id, "ticket.linked", {"other_id": other.id, "other_ref": other.ref}),
                ("ticket", other.id, "ticket.linked", {"other_id": ticket_id, "other_ref": ticket.ref}),
            ],
        )
        return self.get_ticket_row(actor_id, ticket_id)

    def merge_ticket(self, actor_id: str, ticket_id: str, into_ref: str) -> TicketRow:
        """Close ``ticket_id`` as a duplicate of the ticket ``into_ref``; both keep the link."""
        self._require(actor_id, Permission.TICKET_STATUS)
        target = self.find_ticket_ref(actor_id, into_ref)
        if target.id == ticket_id:
            raise ValidationError("into_ref", "A ticket cannot be merged into itself.")
        if target.status == Status.CLOSED.value:
            raise Conflict(f"{target.ref} is closed; merge into an open ticket.")
        with self._read() as conn:
            ticket = self._ticket(conn, ticket_id)
        if ticket.status == Status.CLOSED.value:
            raise Conflict(f"{ticket.ref} is already closed.")
        items: list[tuple[str, str, str, dict[str, Any]]] = [
            ("ticket", ticket_id, "ticket.merged", {"into_id": target.id, "into_ref": target.ref}),
            ("ticket", target.id, "ticket.linked", {"other_id": ticket_id, "other_ref": ticket.ref}),
        ]
        if ticket.status != Status.RESOLVED.value:
            items.append(("ticket", ticket_id, "ticket.status_changed", {"from": ticket.status, "to": "resolved"}))
        items.append(("ticket", ticket_id, "ticket.status_changed", {"from": "resolved", "to": "closed"}))
        self._write(actor_id, items)
        return self.get_ticket_row(actor_id, ticket_id)

    # ----------------------------------------------------------------- queue reads
    def _ticket_select(self) -> Any:
        assignee = USER.alias("assignee")
        return (
            select(
                TICKET,
                CUSTOMER.c.name.label("customer_name"),
                CUSTOMER.c.vip.label("customer_vip"),
                assignee.c.name.label("assignee_name"),
            )
            .select_from(TICKET)
            .outerjoin(CUSTOMER, CUSTOMER.c.id == TICKET.c.customer_id)
            .outerjoin(assignee, assignee.c.id == TICKET.c.assignee_id)
        )

    def _where(self, query: TicketQuery) -> list[Any]:
        clauses: list[Any] = []
        if query.statuses:
            clauses.append(TICKET.c.status.in_(query.statuses))
        if query.kinds:
            clauses.append(TICKET.c.kind.in_(query.kinds))
        if query.channels:
            clauses.append(TICKET.c.channel.in_(query.channels))
        if query.priorities:
            clauses.append(TICKET.c.priority.in_(query.priorities))
        if query.businesses:
            clauses.append(TICKET.c.business.in_(query.businesses))
        if query.assignee_id:
            clauses.append(TICKET.c.assignee_id == query.assignee_id)
        if query.unassigned:
            clauses.append(TICKET.c.assignee_id.is_(None))
        if query.breaching:
            now = self.clock.now()
            clauses.append(TICKET.c.sla_paused_at.is_(None))
            clauses.append(
                or_(
                    and_(TICKET.c.first_response_at.is_(None), TICKET.c.sla_response_due < now),
                    and_(TICKET.c.resolved_at.is_(None), TICKET.c.sla_resolution_due < now),
                )
            )
        text = sanitize_line(query.text, max_chars=10_000).strip()
        if text:
            pattern = _like(text)
            clauses.append(
                or_(
                    TICKET.c.subject.like(pattern, escape="\\"),
                    TICKET.c.ref.like(pattern, escape="\\"),
                    CUSTOMER.c.name.like(pattern, escape="\\"),
                )
            )
        return clauses

    def _row(self, r: Any) -> TicketRow:
        return ticket_row(r._mapping, self._policy(r.kind, r.priority))

    def sla_policies(self) -> list[SlaPolicy]:
        """The policy in force for every kind and priority."""
        self._policy_cache.clear()
        return [self._policy(kind.value, priority.value) for kind in Kind for priority in Priority]

    def set_sla_policy(
        self, actor_id: str, kind: str, priority: str, first_response_minutes: int, resolution_minutes: int, mode: str
    ) -> SlaPolicy:
        """Change a target (supervisors). New tickets use it; open tickets keep the deadlines they were given."""
        self._require(actor_id, Permission.SETTINGS_EDIT)
        kind = _enum(kind, Kind, "kind") or ""
        priority = _enum(priority, Priority, "priority") or ""
        mode = _enum(mode, SlaMode, "mode") or ""
        check_target_minutes(first_response_minutes, resolution_minutes)
        payload = {
            "kind": kind,
            "priority": priority,
            "first_response_minutes": first_response_minutes,
            "resolution_minutes": resolution_minutes,
            "mode": mode,
        }
        self._write(actor_id, [("sla_policy", f"{kind}:{priority}", "sla.policy_set", payload)])
        self._policy_cache.clear()
        return self._policy(kind, priority)

    def _policy(self, kind: str, priority: str) -> SlaPolicy:
        """The SLA policy in force (read through the reducer's lookup, cached per store)."""
        key = (kind, priority)
        policy = self._policy_cache.get(key)
        if policy is None:
            with self._read() as conn:
                policy = sla_policy(conn, kind, priority)
            self._policy_cache[key] = policy
        return policy

    def list_tickets(
        self, actor_id: str, query: TicketQuery | None = None, offset: int = 0, limit: int = 100
    ) -> list[TicketRow]:
        """A window of the queue, filtered and ordered."""
        self._require(actor_id, Permission.TICKET_READ)
        query = query or TicketQuery()
        column = self._sort_column(query.order_by)
        # rowid breaks ties: every index carries it, so ordering by created_at walks the index
        tie = literal_column("ticket.rowid")
        order = [column.desc(), tie.desc()] if query.descending else [column.asc(), tie.asc()]
        stmt = self._ticket_select().where(*self._where(query)).order_by(*order).offset(offset).limit(limit)
        with self._read() as conn:
            return [self._row(r) for r in conn.execute(stmt)]

    @staticmethod
    def _sort_column(name: str) -> Any:
        """A ticket column, or the customer's name; anything else is refused."""
        if name == "customer_name":
            return CUSTOMER.c.name
        column = TICKET.c.get(name)
        if column is None or name in ("description", "id"):
            raise ValidationError("order_by", f"Cannot sort by {mask_text(name)[:60]!r}.")
        return column

    def count_tickets(self, actor_id: str, query: TicketQuery | None = None) -> int:
        """How many tickets match ``query``."""
        self._require(actor_id, Permission.TICKET_READ)
        query = query or TicketQuery()
        source = TICKET.outerjoin(CUSTOMER, CUSTOMER.c.id == TICKET.c.customer_id) if query.text.strip() else TICKET
        stmt = select(func.count()).select_from(source).where(*self._where(query))
        with self._read() as conn:
            return int(conn.execute(stmt).scalar() or 0)

    def get_ticket_row(self, actor_id: str, ticket_id: str) -> TicketRow:
        """One queue line; raises :class:`NotFound`."""
        self._require(actor_id, Permission.TICKET_READ)
        with self._read() as conn:
            row = conn.execute(self._ticket_select().where(TICKET.c.id == ticket_id)).first()
        if row is None:
            raise NotFound("That ticket does not exist.")
        return self._row(row)

    def get_ticket(self, actor_id: str, ticket_id: str) -> TicketDetail:
        """A ticket with customer, notes and timeline (text masked)."""
        self._require(actor_id, Permission.TICKET_READ)
        with self._read() as conn:
            row = conn.execute(self._ticket_select().where(TICKET.c.id == ticket_id)).first()
            if row is None:
                raise NotFound("That ticket does not exist.")
            customer = None
            if row.customer_id:
                crow = conn.execute(select(CUSTOMER).where(CUSTOMER.c.id == row.customer_id)).first()
                customer = _customer_view(crow) if crow else None
            notes = [
                NoteView(n.id, n.author_id, mask_text(n.body), n.created_at)
                for n in conn.execute(select(NOTE).where(NOTE.c.ticket_id == ticket_id).order_by(NOTE.c.created_at))
            ]
            timeline = [_timeline(ev) for ev in eventlog.events_for(conn, "ticket", ticket_id)]
        return TicketDetail(
            row=self._row(row),
            description=mask_text(row.description),
            business=row.business,
            cause=row.cause,
            customer=customer,
            first_response_at=row.first_response_at,
            resolved_at=row.resolved_at,
            closed_at=row.closed_at,
            notes=notes,
            timeline=timeline,
        )

    # ----------------------------------------------------------------- store facts
    def info(self) -> StoreInfo:
        """Counts and identity of this store."""
        with self._read() as conn:

            def count(table: Any, *where: Any) -> int:
                return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0)

            open_statuses = [s.value for s in Status if s not in (Status.RESOLVED, Status.CLOSED)]
            return StoreInfo(
                path=str(self.path),
                desk_id=self.desk_id,
                mode=self.mode,
                schema_revision=migrate.current_revision(self._engine),
                users=count(USER),
                customers=count(CUSTOMER),
                tickets=count(TICKET),
                open_tickets=count(TICKET, TICKET.c.status.in_(open_statuses)),
                events=count(EVENT),
            )

    def purge_closed(self, actor_id: str, years: int = MIN_RETENTION_YEARS) -> PurgeReport:
        """Remove records closed more than ``years`` ago (supervisors); audited, chain kept (csdesk.data.retention)."""
        from csdesk.data.retention import purge_closed

        return purge_closed(self, actor_id, years)

    def verify_audit(self) -> AuditReport:
        """Walk every desk's hash chain; name the first broken link."""
        with self._read() as conn:
            return eventlog.verify_chain(conn)

    def rebuild_projections(self) -> int:
        """Rebuild every projection from the event log; return the number of events applied."""
        with self._lock, self._engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
            with conn.begin():
                return rebuild(conn)

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every projection row, sorted: used to compare a store with its rebuild."""
        from csdesk.data.tables import PROJECTION_TABLES, SQLModel

        result: dict[str, list[tuple[Any, ...]]] = {}
        with self._read() as conn:
            for name in PROJECTION_TABLES:
                table = SQLModel.metadata.tables[name]
                columns = [c for c in table.c if c.name != "id" or name != "merge_conflict"]
                result[name] = sorted(tuple(r) for r in conn.execute(select(*columns)))
        return result


def _user(row: Any) -> UserInfo:
    return user_info(row._mapping)


def _account_digits(value: str) -> str:
    digits = "".join(ch for ch in value if not ch.isspace() and ch != "-")
    if not digits.isdigit() or not 8 <= len(digits) <= 32:
        raise ValidationError("account_no", "An account number has 8 to 32 digits.")
    return digits


def _checked(field: str, validate: Callable[[str], str], value: str | None) -> str | None:
    """``validate(value)`` for an optional input; errors name the store's ``field``."""
    if not value:
        return None
    try:
        return validate(value)
    except ValidationError as exc:
        raise ValidationError(field, exc.message) from None


def _timeline(ev: eventlog.EventData) -> TimelineEntry:
    data = ev.data()
    shown: dict[str, str] = {}
    for key, value in data.items():
        if value is None or key in ("note_id",):
            continue
        shown[key] = mask_text(str(value))
    return TimelineEntry(at=ev.recorded_at, actor=ev.actor, kind=ev.kind, data=shown)
