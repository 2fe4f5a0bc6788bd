"""The knowledge screen driven with Pilot: search as you type, read, use in a ticket, gaps, edits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from csdesk.screens.knowledge import ARTICLE_DELAY, ArticleEditor, HistoryView, KnowledgeScreen
from csdesk.screens.pickers import TextPrompt
from csdesk.screens.ticket import TicketScreen
from tests.ui.helpers import make_app, make_desk_store, wait_for, wait_idle, wait_ready


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kb-ui") / "desk.sqlite3"
    store = make_desk_store(path)
    store.kb.reindex()
    store.close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, template: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(template, path)
    return path


async def open_kb(pilot: Pilot) -> KnowledgeScreen:
    await wait_ready(pilot)
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, KnowledgeScreen))
    return pilot.app.screen  # type: ignore[return-value]


def hit_ids(screen: KnowledgeScreen) -> list[str]:
    return [h.id for h in screen.hits]


async def open_kb_from_ticket(pilot: Pilot) -> tuple[TicketScreen, KnowledgeScreen]:
    """Open the first ticket, then the knowledge base from it (k)."""
    app = pilot.app
    await wait_ready(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, TicketScreen) and app.screen.detail is not None)
    ticket: TicketScreen = app.screen  # type: ignore[assignment]
    await pilot.press("k")
    await wait_for(pilot, lambda: isinstance(app.screen, KnowledgeScreen))
    return ticket, app.screen  # type: ignore[return-value]


async def test_search_as_you_type_and_open_the_article(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        for key in "lost ca":
            await pilot.press("space" if key == " " else key)
        await wait_for(pilot, lambda: screen.shown_query == "lost ca" and not screen._searching)
        assert "card-loss-report" in hit_ids(screen)[:3]
        # the article follows the highlight once typing pauses (an earlier text's article may show meanwhile)
        await wait_for(pilot, lambda: screen.article is not None and screen.article.id == hit_ids(screen)[0])
        screen.query_one("#kb-query", Input).value = "丢卡"
        await wait_for(pilot, lambda: hit_ids(screen)[:1] == ["card-loss-report"])
        await wait_for(pilot, lambda: screen.article is not None and screen.article.language == "zh-CN")
        assert screen.article.id == "card-loss-report" and "电话挂失" in screen.article.body


async def test_language_filter_and_hidden_articles(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        screen.query_one("#kb-query", Input).value = "投诉升级 ATM"
        await wait_for(pilot, lambda: bool(screen.hits))
        assert "complaint-escalation" not in hit_ids(screen)  # an agent never sees team-lead articles
        await pilot.press("ctrl+t")  # all -> zh-CN
        await wait_idle(pilot)
        await wait_for(pilot, lambda: bool(screen.hits) and {h.language for h in screen.hits} == {"zh-CN"})


async def test_use_this_answer_from_a_ticket(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 32)) as pilot:
        ticket, kb = await open_kb_from_ticket(pilot)
        assert kb.ticket_id == ticket.ticket_id
        kb.query_one("#kb-query", Input).value = "卡丢了"
        await wait_for(pilot, lambda: kb.article is not None and kb.article.id == "card-loss-report")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.screen is ticket)
        await wait_for(
            pilot, lambda: ticket.detail is not None and any(e.kind == "ticket.kb_used" for e in ticket.detail.timeline)
        )
        assert any("电话挂失" in n.body for n in ticket.detail.notes)
        await wait_idle(pilot)
        events = str(ticket.query_one("#ticket-events").render())
        assert "card-loss-report" in events


async def test_report_a_gap(store_path: Path) -> None:
    app = make_app(store_path)
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        screen.query_one("#kb-query", Input).value = "数字人民币钱包"
        await wait_idle(pilot)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = "没有数字人民币的文章"
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.desk and app.desk.store.kb.list_gaps("sup")))
        [gap] = app.desk.store.kb.list_gaps("sup")
        assert gap.text == "没有数字人民币的文章" and gap.query == "数字人民币钱包" and gap.reported_by == "li"


async def test_team_lead_edits_and_sees_the_history(store_path: Path) -> None:
    app = make_app(store_path, user="lead", language="en")
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        screen.query_one("#kb-query", Input).value = "lost my card"
        await wait_for(pilot, lambda: screen.article is not None and screen.article.id == "card-loss-report")
        article = screen.article
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleEditor))
        area = app.screen.query_one(TextArea)
        area.text = area.text.replace("Please don't worry", "Please stay calm")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.article is not None and screen.article.version == article.version + 1)
        assert "stay calm" in screen.article.body
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryView))
        history: HistoryView = app.screen  # type: ignore[assignment]
        assert [v.version for v in history.versions] == [2, 1]
        await pilot.press("down")
        await wait_for(pilot, lambda: "stay calm" in str(history.query_one("#kb-diff").render()))


async def test_agent_may_not_edit(store_path: Path) -> None:
    app = make_app(store_path, user="li")
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        screen.query_one("#kb-query", Input).value = "丢卡"
        await wait_for(pilot, lambda: screen.article is not None)
        await pilot.press("ctrl+o")
        await wait_idle(pilot)
        assert isinstance(app.screen, KnowledgeScreen)
        assert any("team leads" in n.message or "组长" in n.message for n in app._notifications)
        assert app.desk.store.kb.get("li", "card-loss-report", "zh-CN").version == 1


async def test_fast_typing_ends_on_the_newest_text_and_keys_walk_the_hits(store_path: Path) -> None:
    """Searches never pile up: the last text typed is the one shown; Enter and arrows reach the articles."""
    app = make_app(store_path)
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        await pilot.press(*["space" if ch == " " else ch for ch in "lost my card"])
        await wait_for(pilot, lambda: screen.shown_query == "lost my card" and not screen._searching)
        assert hit_ids(screen)[0] == "card-loss-report"
        await pilot.press("enter", "down")
        second = screen.hits[1]
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.article is not None and screen.article.id == second.id)
        assert screen.article.language == second.language  # type: ignore[union-attr]


async def test_one_letter_asks_for_more_and_the_article_reads_as_lines(store_path: Path) -> None:
    """A lone letter searches nothing and says so; the article is one widget that scrolls and re-wraps."""
    from textual.widgets import Static

    from csdesk.widgets.article_view import ArticleView

    app = make_app(store_path, language="en")
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        await pilot.press("l")
        await wait_for(pilot, lambda: screen.shown_query == "l")
        assert screen.hits == []
        assert "Keep typing" in str(screen.query_one("#kb-status", Static).render())
        await pilot.press("o", "s", "t")
        await wait_for(pilot, lambda: screen.shown_query == "lost" and not screen._searching)
        await wait_for(pilot, lambda: screen.article is not None and screen.article.id == hit_ids(screen)[0])
        await pilot.pause(ARTICLE_DELAY * 2)  # no article load left pending to scroll the view home again
        await wait_idle(pilot)
        view = screen.query_one("#kb-article", ArticleView)
        assert view.source.startswith(f"# {screen.article.title}")  # type: ignore[union-attr]
        assert not view.children  # no widget per paragraph
        lines = view.virtual_size.height
        assert lines > view.size.height  # a long article: more lines than fit
        view.scroll_to(y=3, animate=False)
        await wait_for(pilot, lambda: view.scroll_offset.y == 3)
        assert view.render_line(0).text == view._lines[3].text
        await pilot.resize_terminal(80, 32)
        await wait_for(pilot, lambda: view.virtual_size.height > lines)  # narrower: wrapped onto more lines


async def test_the_article_shows_the_firm_values_and_flags_the_missing_ones(
    store_path: Path, desk_config_dir: Path
) -> None:
    """"5 days" in the text; a value the firm has not set is named above the article and on use."""
    from csdesk.widgets.article_view import ArticleView

    values = '[temporary_loss_report_validity]\nen = "5 days"\n'
    (desk_config_dir / "kb_values.toml").write_text(values, encoding="utf-8")
    app = make_app(store_path, language="en")
    async with app.run_test(size=(120, 32)) as pilot:
        screen = await open_kb(pilot)
        screen.query_one("#kb-query", Input).value = "lost my card"
        await wait_for(pilot, lambda: screen.article is not None and screen.article.id == "card-loss-report")
        view = screen.query_one("#kb-article", ArticleView)
        await wait_for(pilot, lambda: "5 days" in view.source)
        assert "{{temporary_loss_report_validity}}" not in view.source
        assert "not set by the firm yet" in view.source and "`{{cc_reissue_days}}`" in view.source
        assert "{{temporary_loss_report_validity}}" in screen.article.body  # the stored text is untouched


async def test_the_article_opened_from_a_ticket_names_the_agent_and_the_ticket(store_path: Path) -> None:
    """The greeting says the signed-in agent's staff number; the procedure quotes the ticket's number."""
    from csdesk.data.store import Store
    from csdesk.widgets.article_view import ArticleView

    store = Store.open(store_path, desk_id="D01")
    store.set_staff_no("sup", "li", "1024")
    store.close()
    app = make_app(store_path)
    async with app.run_test(size=(120, 32)) as pilot:
        ticket, kb = await open_kb_from_ticket(pilot)
        ref = ticket.detail.row.ref  # type: ignore[union-attr]
        view = kb.query_one("#kb-article", ArticleView)
        kb.open_article("greeting-script", "zh-CN")
        await wait_for(pilot, lambda: "工号1024" in view.source)
        assert "`{{agent_id}}`" not in view.source
        kb.open_article("complaint-procedure", "zh-CN")
        await wait_for(pilot, lambda: f"编号是 {ref}" in view.source)
