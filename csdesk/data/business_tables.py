"""SQLModel tables of business assistance (业务协助, schema revision 0008).

Projections of ``business.*`` events, rebuilt from the log like every other projection.
Timestamps are UTC. No foreign keys: the rebuild empties projections in any order.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class BusinessCaseRow(SQLModel, table=True):
    """One business case: a customer's request passed to the responsible department."""

    __tablename__ = "business_case"

    id: str = Field(primary_key=True)
    ticket_id: str = Field(index=True)
    customer_id: str | None = Field(default=None, index=True)
    business_type: str
    stage: str = Field(default="draft", index=True)
    department: str
    promised_at: datetime | None = None
    rework_count: int = 0
    guidance: str = ""
    override_reason: str | None = None
    agent_id: str = Field(index=True)
    team: str = ""
    opened_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


class BusinessDocumentRow(SQLModel, table=True):
    """What the agent found for one required document of a case."""

    __tablename__ = "business_document"

    case_id: str = Field(primary_key=True)
    doc_id: str = Field(primary_key=True)
    position: int = 0
    status: str = "pending"
    reason: str = ""
    checked_by: str | None = None
    checked_at: datetime | None = None
