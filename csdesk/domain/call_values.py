"""Placeholders whose value belongs to the call, not to the firm.

A firm states its fees, limits and hotlines once (``kb_values.toml``). Some placeholders in
the scripts differ on every call: the agent's staff number, the ticket's number, the day
the customer raised the matter and the day a reply is promised. These are taken from the
signed-in agent and the ticket being answered, and win over any firm-wide value: a single
``agent_id`` for the whole desk would be wrong on every call but one.

The agent's staff number is the one set for their user (``csdesk user staff-no``); a user
without one leaves ``{{agent_id}}`` to the firm's value or flagged as missing, never their
sign-in id, which may carry a name. Dates are written the way the articles' sentences read
them: ``3月5日`` and ``5 March``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from csdesk.domain.kb_values import Values
from csdesk.domain.when import DESK_TZ

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the desk knows about the call an article is used in."""

    staff_no: str = ""
    ticket_ref: str | None = None
    raised_at: datetime | None = None
    reply_by: date | None = None


def spoken_date(day: date) -> dict[str, str]:
    """``day`` as the articles' sentences read it, per language."""
    return {"zh-CN": f"{day.month}月{day.day}日", "en": f"{day.day} {MONTHS_EN[day.month - 1]}"}


def call_values(facts: CallFacts, tz: tzinfo = DESK_TZ) -> Values:
    """The placeholder values this call supplies (only those it knows)."""
    values: Values = {"agent_id": {"*": facts.staff_no}} if facts.staff_no else {}
    if facts.ticket_ref:
        values["ticket_number"] = {"*": facts.ticket_ref}
    if facts.raised_at is not None:
        values["event_date"] = spoken_date(facts.raised_at.astimezone(tz).date())
    if facts.reply_by is not None:
        values["reply_deadline"] = spoken_date(facts.reply_by)
    return values
