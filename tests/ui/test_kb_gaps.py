"""Knowledge-base gaps on screen: an editor reads what agents reported, opens the article, marks it handled."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from csdesk.data.api import StoreMode
from csdesk.data.store import Store
from csdesk.screens.kb_gaps import KbGapsScreen
from csdesk.screens.knowledge import KnowledgeScreen
from csdesk.screens.pickers import TextPrompt
from tests.ui.helpers import frozen_clock, make_app, make_desk_store, wait_for, wait_idle, wait_ready


def _store_with_gaps(path: Path) -> None:
    store = make_desk_store(path)
    store.kb.reindex()
    store.kb.report_gap("li", None, "Customer asks how to open an e-CNY wallet; nothing in the KB.", query="e-CNY")
    store.kb.report_gap(
        "li", None, "The fee table lists last year's fee.", article_id="credit-card-annual-fee", language="en"
    )
    store.close()


async def test_an_editor_reviews_and_handles_a_gap(tmp_path: Path) -> None:
    """Ctrl+N lists open gaps newest first; o opens the article named; x with a note marks it handled."""
    path = tmp_path / "desk.sqlite3"
    _store_with_gaps(path)
    app = make_app(path, user="lead", language="en")
    async with app.run_test(size=(140, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, KnowledgeScreen))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, KbGapsScreen) and len(app.screen.gaps) == 2)
        gaps: KbGapsScreen = app.screen  # type: ignore[assignment]
        assert gaps.current is not None and gaps.current.article_id == "credit-card-annual-fee"
        assert "last year's fee" in str(gaps.query_one("#gap-detail", Static).render())
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, KnowledgeScreen) and app.screen.article is not None)
        assert app.screen.article.id == "credit-card-annual-fee"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, KbGapsScreen))
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = "Fee table revised (v2)."
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, KbGapsScreen) and len(app.screen.gaps) == 1)
        await pilot.press("a")
        await wait_idle(pilot)
        assert len(gaps.gaps) == 2 and gaps.query_one("#gap-table", DataTable).row_count == 2
    store = Store.open(path, desk_id="D01", mode=StoreMode.LIVE, clock=frozen_clock())
    statuses = sorted(g.status for g in store.kb.list_gaps("lead", None))
    store.close()
    assert statuses == ["open", "resolved"]


async def test_an_agent_is_told_gaps_are_for_editors(tmp_path: Path) -> None:
    """Agents report gaps but do not review them: Ctrl+N explains instead of opening the list."""
    path = tmp_path / "desk.sqlite3"
    _store_with_gaps(path)
    app = make_app(path, user="li", language="en")
    async with app.run_test(size=(140, 36)) as pilot:
        await wait_ready(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, KnowledgeScreen))
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, KnowledgeScreen)
