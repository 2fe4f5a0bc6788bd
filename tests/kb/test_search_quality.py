"""Search quality on the shipped articles: colloquial questions find the right article in the top 3.

Also: recall 1.0 for 2-character Chinese words against a substring scan, bad queries
never raise, and the rates are printed (pytest -s) for the issue's closing note.
"""

from __future__ import annotations

import json
import random
import re

import pytest

from csdesk.data.store import Store
from csdesk.domain.kb_text import is_han

#: (query, language, article that must be in the top 3)
QUERIES = [
    ("丢卡", "zh-CN", "card-loss-report"),
    ("卡丢了", "zh-CN", "card-loss-report"),
    ("我的银行卡丢了怎么办", "zh-CN", "card-loss-report"),
    ("钱包被偷了卡也没了", "zh-CN", "card-loss-report"),
    ("钱转不出去", "zh-CN", "transfer-failed"),
    ("转账失败了", "zh-CN", "transfer-failed"),
    ("忘记密码", "zh-CN", "password-reset"),
    ("密码忘了登不上", "zh-CN", "password-reset"),
    ("被骗了", "zh-CN", "fraud-suspected"),
    ("有人冒充公安让我转到安全账户", "zh-CN", "fraud-suspected"),
    ("卖基金", "zh-CN", "fund-redemption"),
    ("基金赎回多久到账", "zh-CN", "fund-redemption"),
    ("怎么买基金", "zh-CN", "fund-purchase"),
    ("卡被冻结了", "zh-CN", "account-unfreeze"),
    ("查余额", "zh-CN", "account-balance-query"),
    ("打印流水", "zh-CN", "account-balance-query"),
    ("我要投诉", "zh-CN", "complaint-procedure"),
    ("信用卡怎么激活", "zh-CN", "credit-card-activation"),
    ("年费能退吗", "zh-CN", "credit-card-annual-fee"),
    ("账单分期", "zh-CN", "credit-card-installments"),
    ("额度太低想提额", "zh-CN", "credit-card-limit-increase"),
    ("信用卡还不上了", "zh-CN", "credit-card-overdue"),
    ("积分怎么兑换", "zh-CN", "credit-card-points"),
    ("提前还房贷", "zh-CN", "mortgage-prepayment"),
    ("贷款批了吗", "zh-CN", "loan-approval-status"),
    ("换美元", "zh-CN", "foreign-exchange"),
    ("改手机号", "zh-CN", "address-change"),
    ("销户", "zh-CN", "account-closing"),
    ("开户要带什么", "zh-CN", "account-opening"),
    ("一天能转多少钱", "zh-CN", "transfer-limits"),
    ("风险评估过期了", "zh-CN", "risk-assessment"),
    ("理财亏了", "zh-CN", "wealth-product-risk"),
    ("系统崩了手机银行打不开", "zh-CN", "system-outage"),
    ("不是我刷的", "zh-CN", "transaction-dispute"),
    ("老人不会用手机银行", "zh-CN", "vulnerable-customer"),
    ("你们怎么有我电话", "zh-CN", "privacy-data-protection"),
    ("投诉多久有结果", "zh-CN", "complaint-deadlines"),
    ("lost my card", "en", "card-loss-report"),
    ("my card was stolen", "en", "card-loss-report"),
    ("money didn't arrive", "en", "transfer-failed"),
    ("sell my fund", "en", "fund-redemption"),
    ("forgot my password", "en", "password-reset"),
    ("I was scammed", "en", "fraud-suspected"),
    ("account frozen", "en", "account-unfreeze"),
    ("check my balance", "en", "account-balance-query"),
    ("raise my credit limit", "en", "credit-card-limit-increase"),
    ("annual fee refund", "en", "credit-card-annual-fee"),
    ("pay off my mortgage early", "en", "mortgage-prepayment"),
    ("I want to complain", "en", "complaint-procedure"),
    ("exchange rate for dollars", "en", "foreign-exchange"),
    ("buy a fund", "en", "fund-purchase"),
    ("transfer limit", "en", "transfer-limits"),
    ("phishing text message", "en", "phishing-warning"),
    ("opening hours", "en", "service-hours"),
    ("charged twice", "en", "transaction-dispute"),
    ("lost ca", "en", "card-loss-report"),  # as the agent types: prefix on the last word
]


def test_the_query_set_is_big_enough() -> None:
    assert len(QUERIES) >= 40
    assert {lang for _, lang, _ in QUERIES} == {"zh-CN", "en"}


@pytest.mark.parametrize(("query", "language", "expected"), QUERIES, ids=[q for q, _, _ in QUERIES])
def test_expected_article_in_top_3(kb_store: Store, query: str, language: str, expected: str) -> None:
    hits = kb_store.kb.search("agent1", query, language=language, limit=3)
    assert expected in [h.id for h in hits], [(h.id, h.score) for h in hits]


def test_top1_and_top3_rates(kb_store: Store) -> None:
    top1 = top3 = 0
    for query, language, expected in QUERIES:
        ids = [h.id for h in kb_store.kb.search("agent1", query, language=language, limit=3)]
        top1 += bool(ids) and ids[0] == expected
        top3 += expected in ids
    print(f"\nKB search quality: top-1 {top1}/{len(QUERIES)} = {top1 / len(QUERIES):.0%}, "
          f"top-3 {top3}/{len(QUERIES)} = {top3 / len(QUERIES):.0%}")
    assert top3 == len(QUERIES)
    assert top1 / len(QUERIES) >= 0.8


def _zh_articles(store: Store) -> dict[str, str]:
    with store._read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, title, tags, body FROM kb_article WHERE current = 1 AND language = 'zh-CN'"
        ).all()
    return {r.id: f"{r.title}\n{' '.join(json.loads(r.tags))}\n{r.body}" for r in rows}


def test_recall_is_complete_for_two_character_words(kb_store: Store) -> None:
    """Every article containing a 2-character Chinese word is found by it (vs a substring scan)."""
    texts = _zh_articles(kb_store)
    words = sorted({m for t in texts.values() for run in re.findall(r"[\u4e00-\u9fff]+", t)
                    for m in (run[i:i + 2] for i in range(len(run) - 1))})
    sample = [*random.Random(5).sample(words, 300), "挂失", "赎回", "冻结", "密码", "诈骗", "年费"]
    for word in sample:
        assert all(is_han(ch) for ch in word)
        expected = {aid for aid, t in texts.items() if word in t}
        found = {h.id for h in kb_store.kb.search("sup", word, language="zh-CN", limit=200)}
        assert expected <= found, (word, expected - found)


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "OR NOT", "NEAR(", "NEAR(挂失 补卡, 2)", "((", ")", "*", "卡*", "title:挂失", "😀🏦💳", "-挂失",
     "^", "x" * 10_240, "挂失 " * 2_000, "\x1b[31m挂失", "'; DROP TABLE kb_article; --"],
    ids=lambda q: repr(q[:12]),
)
def test_bad_queries_never_raise(kb_store: Store, query: str) -> None:
    hits = kb_store.kb.search("agent1", query, limit=5)
    assert isinstance(hits, list)
    assert kb_store.kb.get("agent1", "card-loss-report", "zh-CN").version == 1
