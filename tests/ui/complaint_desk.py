"""A desk store with complaints at every stage of the clock (fixed data, frozen clock) for UI tests."""

from __future__ import annotations

from pathlib import Path

from csdesk.data.store import Store
from tests.ui.helpers import make_desk_store


def make_complaint_store(path: Path) -> Store:
    """:func:`make_desk_store` plus complaints: due in 2 days, paused, extended, major, decided, closed."""
    store = make_desk_store(path)
    c = store.complaints
    vip, plain = (x.id for x in sorted(store.find_customers("li", "张伟") + store.find_customers("li", "Emily"),
                                       key=lambda x: x.name != "张伟"))

    def log(customer: str, business: str, accepted: str, description: str, **extra: object) -> str:
        detail = c.log("li", customer_id=customer, channel="phone", business=business, cause="pricing_fees",
                       description=description, accepted=accepted, **extra)
        return detail.row.id

    log(vip, "credit_card", "2026-11-10", "年费重复扣收，客户 13812345678 要求退还")  # due 11-25: 2 days left
    paused = log(plain, "wealth_fund", "2026-11-16", "Fund redemption delayed; asks for interest")
    c.pause("li", paused, "appraisal", "Transaction appraisal")
    extended = log(vip, "loan", "2026-11-09", "贷款利率调整未告知")
    c.extend("lead", extended, 30, "需调取多方记录")
    log(plain, "payment", "2026-11-20", "Group complaint about a payment outage", complainants=24)
    decided = log(vip, "deposit", "2026-11-12", "存款利息计算有误")
    c.decide("li", decided, findings="利息少计 3 天", decision="补足利息 12.30 元", basis="存款章程第 8 条",
             root_cause="批处理日期错误")
    closed = log(plain, "bank_card", "2026-11-09", "Card fee charged twice")
    c.decide("li", closed, findings="Charged twice", decision="Refund 20 CNY", basis="Card terms 4.2",
             root_cause="Duplicate batch")
    c.record_notice_sent("li", closed, "email", "Mail receipt 7781")
    c.close("li", closed)
    return store
