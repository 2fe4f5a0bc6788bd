"""The knowledge base in the store: indexing, versions, audience per role, gaps, edits, uses."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from csdesk.data.store import Store
from csdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from csdesk.domain.roles import Role, kb_audiences
from tests.kb.conftest import KB_DIR
from tests.store.conftest import USERS, event_count, events

LEAD_ONLY = {"complaint-escalation", "mass-complaint-incident"}


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR, target)
    return target


def test_reindex_is_incremental_by_content_hash(kb_store: Store, tmp_path: Path) -> None:
    kb_dir = _copy_kb(tmp_path)
    report = kb_store.kb.reindex(kb_dir)
    assert (report.scanned, report.added, report.changed, report.unchanged) == (84, 0, 0, 84)
    article = kb_dir / "zh-CN" / "card-loss-report.md"
    changed = article.read_text(encoding="utf-8").replace("银行卡挂失", "银行卡挂失与补卡", 1)
    article.write_text(changed, encoding="utf-8")
    report = kb_store.kb.reindex(kb_dir)
    assert (report.added, report.changed, report.unchanged) == (0, 1, 83)
    current = kb_store.kb.get("agent1", "card-loss-report", "zh-CN")
    assert current.version == 2 and current.title == "银行卡挂失与补卡" and current.current
    old = kb_store.kb.get("agent1", "card-loss-report", "zh-CN", version=1)
    assert old.title == "银行卡挂失" and not old.current
    assert [v.version for v in kb_store.kb.history("agent1", "card-loss-report", "zh-CN")] == [2, 1]
    assert kb_store.kb.search("agent1", "补卡", language="zh-CN")[0].version == 2  # only current versions are indexed


def test_a_broken_file_is_reported_and_skipped(kb_store: Store, tmp_path: Path) -> None:
    kb_dir = _copy_kb(tmp_path)
    (kb_dir / "en" / "broken.md").write_text("no front matter here", encoding="utf-8")
    report = kb_store.kb.reindex(kb_dir)
    assert report.unchanged == 84 and len(report.errors) == 1 and "broken.md" in report.errors[0]


def test_first_search_indexes_an_empty_store(tmp_path: Path, clock) -> None:
    store = Store.open(tmp_path / "fresh.sqlite3", desk_id="D01", clock=clock)
    try:
        store.add_user(None, "sup", "Sup", "supervisor")
        assert store.kb.is_empty()
        assert store.kb.search("sup", "挂失")[0].id == "card-loss-report"
        assert not store.kb.is_empty()
    finally:
        store.close()


@pytest.mark.parametrize("actor", sorted(USERS))
def test_audience_is_enforced_in_the_store_for_every_role(kb_store: Store, actor: str) -> None:
    role = Role(USERS[actor])
    may_read_lead = "team_lead" in kb_audiences(role)
    assert may_read_lead == (role in (Role.TEAM_LEAD, Role.SUPERVISOR))
    found = {h.id for q in ("投诉升级", "群体性投诉", "escalate complaint", "mass complaint")
             for h in kb_store.kb.search(actor, q, limit=50)}
    assert bool(found & LEAD_ONLY) == may_read_lead
    for article_id in LEAD_ONLY:
        if may_read_lead:
            assert kb_store.kb.get(actor, article_id, "en").audience == "team_lead"
        else:
            with pytest.raises(PermissionDenied):
                kb_store.kb.get(actor, article_id, "en")


def test_anonymous_reader_is_agent_level(kb_store: Store) -> None:
    assert not {h.id for h in kb_store.kb.search(None, "投诉升级 群体性投诉", limit=84)} & LEAD_ONLY
    with pytest.raises(PermissionDenied):
        kb_store.kb.get(None, "complaint-escalation", "zh-CN")
    assert kb_store.kb.get(None, "card-loss-report", "en").title == "Reporting a lost or stolen card"


def test_language_filter(kb_store: Store) -> None:
    assert {h.language for h in kb_store.kb.search("agent1", "ATM", language="en", limit=50)} == {"en"}
    assert {h.language for h in kb_store.kb.search("agent1", "ATM", limit=84)} == {"en", "zh-CN"}
    with pytest.raises(ValidationError):
        kb_store.kb.search("agent1", "ATM", language="fr")


def test_use_in_ticket_adds_the_script_as_a_note_and_records_the_version(kb_store: Store) -> None:
    ticket = kb_store.create_ticket("agent1", kind="consultation", channel="phone", subject="卡丢了")
    use = kb_store.kb.use_in_ticket("agent1", ticket.id, "card-loss-report", "zh-CN")
    assert use.version == 1 and "电话挂失" in use.note
    detail = kb_store.get_ticket("agent1", ticket.id)
    assert any("电话挂失" in n.body for n in detail.notes)
    used = [e for e in detail.timeline if e.kind == "ticket.kb_used"]
    assert used and used[0].data["article_id"] == "card-loss-report" and used[0].data["version"] == "1"
    [ev] = [e for e in events(kb_store) if e.kind == "ticket.kb_used"]
    assert (ev.entity, ev.entity_id, ev.actor) == ("ticket", ticket.id, "agent1")
    assert json.loads(ev.payload)["version"] == 1
    assert kb_store.snapshot()["ticket_kb_use"][0][1:5] == (ticket.id, "card-loss-report", "zh-CN", 1)


def test_use_in_ticket_refuses_unknown_tickets_and_hidden_articles(kb_store: Store) -> None:
    with pytest.raises(NotFound):
        kb_store.kb.use_in_ticket("agent1", "no-such-ticket", "card-loss-report", "zh-CN")
    ticket = kb_store.create_ticket("agent1", kind="complaint", channel="phone", subject="x")
    with pytest.raises(PermissionDenied):
        kb_store.kb.use_in_ticket("agent1", ticket.id, "complaint-escalation", "zh-CN")
    with pytest.raises(PermissionDenied):
        kb_store.kb.use_in_ticket("analyst", ticket.id, "card-loss-report", "zh-CN")


def test_gap_reports(kb_store: Store) -> None:
    ticket = kb_store.create_ticket("agent1", kind="consultation", channel="chat", subject="数字人民币")
    gap = kb_store.kb.report_gap("agent1", ticket.id, "客户问数字人民币钱包怎么开，知识库没有", query="数字人民币")
    assert (gap.status, gap.ticket_id, gap.reported_by) == ("open", ticket.id, "agent1")
    suggestion = kb_store.kb.report_gap("agent1", None, "Add the new fee", article_id="fees-schedule", language="en")
    assert suggestion.article_id == "fees-schedule"
    with pytest.raises(ValidationError):
        kb_store.kb.report_gap("agent1", None, "   ")
    with pytest.raises(PermissionDenied):
        kb_store.kb.report_gap("analyst", None, "x")
    with pytest.raises(PermissionDenied):
        kb_store.kb.list_gaps("agent1")
    assert {g.id for g in kb_store.kb.list_gaps("lead")} == {gap.id, suggestion.id}
    kb_store.kb.resolve_gap("lead", gap.id, "article added")
    assert {g.id for g in kb_store.kb.list_gaps("lead")} == {suggestion.id}


def test_edit_makes_a_new_version_with_history_and_diff(kb_store: Store) -> None:
    before = kb_store.kb.get("lead", "card-loss-report", "en")
    body = before.body.replace("Please don't worry", "Please stay calm, quokka")
    edited = kb_store.kb.edit("lead", "card-loss-report", "en", body=body, comment="warmer opening")
    assert edited.version == before.version + 1 and "stay calm" in edited.script
    history = kb_store.kb.history("agent1", "card-loss-report", "en")
    assert [(v.version, v.origin, v.author_id, v.current) for v in history] == [
        (2, "edit", "lead", True),
        (1, "file", None, False),
    ]
    diff = kb_store.kb.diff("agent1", "card-loss-report", "en", 1, 2)
    assert "-> \"Please don't worry" in diff and '+> "Please stay calm' in diff
    [hit] = kb_store.kb.search("agent1", "quokka", language="en")
    assert (hit.id, hit.version) == ("card-loss-report", 2)
    with pytest.raises(ValidationError):
        kb_store.kb.edit("lead", "card-loss-report", "en", body=body)  # nothing changed


def test_agent_may_not_edit_and_the_refusal_is_recorded(kb_store: Store) -> None:
    before = event_count(kb_store)
    with pytest.raises(PermissionDenied):
        kb_store.kb.edit("agent1", "card-loss-report", "en", body="new")
    assert [e.kind for e in events(kb_store)[before:]] == ["access.denied"]
    assert kb_store.kb.get("agent1", "card-loss-report", "en").version == 1


def test_rebuild_gives_the_same_projections_and_articles(kb_store: Store) -> None:
    ticket = kb_store.create_ticket("agent1", kind="consultation", channel="phone", subject="忘记密码")
    kb_store.kb.use_in_ticket("agent1", ticket.id, "password-reset", "zh-CN")
    kb_store.kb.report_gap("agent1", ticket.id, "缺少指纹登录的说明")
    kb_store.kb.edit("sup", "password-reset", "zh-CN", title="密码重置（忘记密码）")
    articles = _articles(kb_store)
    before = kb_store.snapshot()
    assert before["ticket_kb_use"] and before["kb_gap"]
    kb_store.rebuild_projections()
    assert kb_store.snapshot() == before
    assert _articles(kb_store) == articles
    assert kb_store.kb.search("agent1", "忘记密码", language="zh-CN")[0].title == "密码重置（忘记密码）"


def _articles(store: Store) -> list[tuple]:
    with store._read() as conn:
        return sorted(tuple(r) for r in conn.exec_driver_sql("SELECT * FROM kb_article"))


def test_use_in_ticket_puts_in_the_firm_values_and_names_the_ones_missing(
    kb_store: Store, desk_config_dir: Path
) -> None:
    """The note says "5 天", not "{{temporary_loss_report_validity}}"; what the firm left unset is named."""
    (desk_config_dir / "kb_values.toml").write_text(
        '[temporary_loss_report_validity]\nzh-CN = "5 天"\nen = "5 days"\n', encoding="utf-8"
    )
    ticket = kb_store.create_ticket("agent1", kind="consultation", channel="phone", subject="卡丢了")
    use = kb_store.kb.use_in_ticket("agent1", ticket.id, "card-loss-report", "zh-CN")
    assert "5 天" in use.note and "{{temporary_loss_report_validity}}" not in use.note
    assert all(f"{{{{{name}}}}}" in use.note for name in use.missing_values)
    table = {name: values for name, values, _ in kb_store.kb.value_table()}
    assert table["temporary_loss_report_validity"] == {"zh-CN": "5 天", "en": "5 days"}
    assert table["cc_hotline"] == {}


def test_a_broken_values_file_is_reported_and_no_value_is_used(kb_store: Store, desk_config_dir: Path) -> None:
    (desk_config_dir / "kb_values.toml").write_text('cc_hotline = "400\n', encoding="utf-8")
    article = kb_store.kb.get("agent1", "card-loss-report", "en")
    filled = kb_store.kb.fill_values(article.body, "en")
    assert "{{temporary_loss_report_validity}}" in filled.text and filled.missing
    assert kb_store.kb.values_problem is not None and "kb_values.toml" in kb_store.kb.values_problem


def test_the_demo_firm_gives_every_placeholder_a_value_in_both_languages() -> None:
    """Training mode shows articles as a real firm's desk would: nothing left blank."""
    from csdesk.domain.kb_values import fill, parse_values, placeholders

    values_file = Path(__file__).resolve().parents[2] / "knowledge_base" / "values.demo.toml"
    values = parse_values(values_file.read_text(encoding="utf-8"), values_file.name)
    for path in sorted(values_file.parent.glob("*/*.md")):
        body = path.read_text(encoding="utf-8")
        language = path.parent.name
        assert fill(body, values, language).missing == (), path
        assert placeholders(body) == [] or all(values[name] for name in placeholders(body))


def test_use_in_ticket_puts_in_the_call_own_values(kb_store: Store, desk_config_dir: Path) -> None:
    """Staff number, ticket number, the day raised and the reply date come from the call, over any firm value."""
    (desk_config_dir / "kb_values.toml").write_text('agent_id = "0000"\n', encoding="utf-8")
    kb_store.set_staff_no("sup", "agent1", "A0731")
    customer = kb_store.create_customer("agent1", name="赵敏", phone="13600003333")
    ticket = kb_store.create_ticket(
        "agent1", kind="consultation", channel="phone", subject="年费", customer_id=customer.id
    )
    greeting = kb_store.kb.use_in_ticket("agent1", ticket.id, "greeting-script", "zh-CN")
    assert "工号A0731" in greeting.note and "0000" not in greeting.note
    assert "agent_id" not in greeting.missing_values
    callback = kb_store.kb.use_in_ticket("agent1", ticket.id, "callback-policy", "en")
    assert "about the matter you raised on 23 November" in callback.note  # START, a Shanghai date
    assert "event_date" not in callback.missing_values
    apology_body = kb_store.kb.get("agent1", "complaint-apology-scripts", "zh-CN").body
    before = kb_store.kb.fill_for_call(apology_body, "zh-CN", "agent1", ticket.id)  # the ticket's own deadline
    assert "reply_deadline" not in before.missing
    complaint = kb_store.complaints.log(
        "agent1", ticket_id=ticket.id, customer_id=customer.id, channel="phone", business="credit_card",
        cause="pricing_fees", description="年费被重复扣收", remedy="退还年费", promised="2026-11-27",
    )
    promised_at = complaint.row.promised_at
    assert promised_at < complaint.row.deadline  # promised sooner than the rule's deadline
    promised = f"{promised_at.month}月{promised_at.day}日"
    apology = kb_store.kb.use_in_ticket("agent1", ticket.id, "complaint-apology-scripts", "zh-CN")
    assert f"{promised} 前一定给您回复" in apology.note
    assert f"{promised} 前一定给您回复" not in before.text  # the complaint's promised date, not the ticket's
    procedure = kb_store.kb.use_in_ticket("agent1", ticket.id, "complaint-procedure", "zh-CN")
    assert f"编号是 {ticket.ref}" in procedure.note


def test_the_article_view_fills_the_call_values_without_a_ticket_only_for_the_agent(kb_store: Store) -> None:
    article = kb_store.kb.get("agent2", "greeting-script", "en")
    unset = kb_store.kb.fill_for_call(article.body, article.language, "agent2", None)
    assert "agent_id" in unset.missing and "agent2" not in unset.text  # never the sign-in id
    kb_store.set_staff_no("sup", "agent2", "1024")
    filled = kb_store.kb.fill_for_call(article.body, article.language, "agent2", None)
    assert "agent number 1024" in filled.text and "agent_id" not in filled.missing
    ticket = kb_store.create_ticket("agent1", kind="consultation", channel="phone", subject="卡丢了")
    article = kb_store.kb.get("agent2", "complaint-procedure", "en")
    assert "ticket_number" in kb_store.kb.fill_for_call(article.body, "en", "agent2", None).missing
    assert ticket.ref in kb_store.kb.fill_for_call(article.body, "en", "agent2", ticket.id).text


def test_a_reply_date_already_past_is_not_promised(kb_store: Store, clock) -> None:
    """An overdue ticket's deadline is not put in "we will reply by …": the agent names a new date."""
    ticket = kb_store.create_ticket("agent1", kind="consultation", channel="phone", subject="转账限额")
    body = kb_store.kb.get("agent1", "complaint-apology-scripts", "zh-CN").body
    assert "reply_deadline" not in kb_store.kb.fill_for_call(body, "zh-CN", "agent1", ticket.id).missing
    clock.advance(timedelta(days=30))
    overdue = kb_store.kb.fill_for_call(body, "zh-CN", "agent1", ticket.id)
    assert "reply_deadline" in overdue.missing and "{{reply_deadline}}" in overdue.text
