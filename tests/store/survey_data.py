"""A desk whose agents served customers this month, for survey campaign tests."""

from __future__ import annotations

from csdesk.data.store import Store

#: Customers served per agent in :func:`serve_customers` (agent1 served most, spec one).
SERVED = {"agent1": 6, "agent2": 3, "spec": 1}


def serve_customers(store: Store, served: dict[str, int] | None = None, business: str = "deposit") -> dict[str, str]:
    """Create one customer and one ticket per served customer, claimed by its agent; customer id -> agent."""
    owners: dict[str, str] = {}
    number = 0
    for agent, count in (served or SERVED).items():
        for _ in range(count):
            number += 1
            customer = store.create_customer(agent, name=f"客户{number:03d}", phone=f"1391234{number:04d}")
            ticket = store.create_ticket(
                agent, kind="consultation", channel="phone", subject=f"咨询 {number}", customer_id=customer.id,
                business=business,
            )
            store.claim_ticket(agent, ticket.id)
            owners[customer.id] = agent
    return owners


def define(store: Store, **options: object) -> str:
    """A campaign over November 2026 (size 5 unless given), by the supervisor; its id."""
    values: dict[str, object] = {"name": "2026 Q4 survey", "start": "2026-11-01", "end": "2026-11-23"}
    if "sample_share" not in options:
        values["sample_size"] = 5
    values.update(options)
    return store.surveys.define("sup", **values).id
