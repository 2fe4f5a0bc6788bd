"""Knowledge base: search as you type, read the article, use it in a ticket, report gaps, edit.

Opened from the navigation (F3) to look things up, or from a ticket ("k") in pick mode,
where "use this answer" adds the article's script to the ticket as a note and records
the article id and version on the ticket. All store work runs in thread workers; one
search runs at a time and the newest text is searched as soon as it ends.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from csdesk.data.api import KbArticle, KbHit, KbUse, KbVersion
from csdesk.domain import kb_text
from csdesk.domain.kb_values import Filled
from csdesk.domain.roles import Permission, can
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import TextPrompt
from csdesk.widgets.article_view import ArticleView
from csdesk.widgets.bounded_text import BoundedInput
from csdesk.widgets.hit_list import HitList

#: A placeholder the firm has given no value for, in the article view (drawn as code: it stands out).
MISSING_MARK = "`{{%s}}`"
#: The highlighted article is loaded once the agent pauses on it (not for every arrow key).
ARTICLE_DELAY = 0.15
RESULTS = 20
LANGUAGES = (None, "zh-CN", "en")


class KnowledgeScreen(DeskScreen):
    """Search the knowledge base; in pick mode (from a ticket) use an answer in that ticket."""

    TITLE_KEY = "knowledge.title"
    BINDINGS = [
        Binding("escape", "back", "Back", id="kb.back"),
        Binding("ctrl+t", "cycle_language", "Language", id="kb.language"),
        Binding("ctrl+y", "use_answer", "Use answer", id="kb.use"),
        Binding("ctrl+g", "report_gap", "Report gap", id="kb.gap"),
        Binding("ctrl+o", "edit", "Edit", id="kb.edit"),
        Binding("ctrl+r", "history", "History", id="kb.history"),
        Binding("ctrl+n", "gaps", "Gaps", id="kb.gaps"),
    ]
    DEFAULT_CSS = """
    KnowledgeScreen #kb-bar { height: 3; }
    KnowledgeScreen #kb-query { width: 1fr; }
    KnowledgeScreen #kb-lang { width: 16; padding: 1 1; color: $text-muted; }
    KnowledgeScreen #kb-body { height: 1fr; }
    KnowledgeScreen #kb-results { width: 2fr; height: 1fr; border-right: solid $panel; }
    KnowledgeScreen #kb-article { width: 3fr; padding: 0 1; }
    KnowledgeScreen #kb-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self, ticket_id: str | None = None, query: str = "", article: tuple[str, str] | None = None
    ) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.initial_query = query
        self.initial_article = article
        self.language: str | None = None
        self.hits: list[KbHit] = []
        self.article: KbArticle | None = None
        self._article_serial = 0
        self.shown_query: str | None = None
        self._article_timer: Timer | None = None
        self._searching = False  # a search is running; the newest text is searched when it ends
        self._searched: tuple[str, str | None] | None = None

    def compose_body(self) -> ComposeResult:
        """Query and language filter, results left, article right, a status line."""
        t = self.t
        with Horizontal(id="kb-bar"):
            yield BoundedInput(self.initial_query, placeholder=t("kb.placeholder"), id="kb-query", max_chars=500)
            yield Static(Text(self._language_label()), id="kb-lang")
        with Horizontal(id="kb-body"):
            yield HitList(id="kb-results")
            yield ArticleView(id="kb-article")
        yield Static(Text(t("kb.pick_hint") if self.ticket_id else t("kb.hint")), id="kb-status")

    def on_mount(self) -> None:
        """Focus the query; search at once if a query was handed over."""
        super().on_mount()
        self.query_one("#kb-query", Input).focus()
        if self.initial_query:
            self.search_now()
        if self.initial_article:
            self.open_article(*self.initial_article)

    def reload(self) -> None:
        """Search again (after a language switch)."""
        self.search_now()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Use answer only in pick mode."""
        return action != "use_answer" or bool(self.ticket_id)

    # ------------------------------------------------------------- searching
    def _language_label(self) -> str:
        return self.t("kb.lang_all") if self.language is None else self.language

    @on(Input.Changed, "#kb-query")
    def typed(self, event: Input.Changed) -> None:
        """Search at once; while a search runs, the newest text is searched when it ends.

        No fixed debounce: a search takes a few milliseconds, so the results follow the
        typing as closely as the searches allow, and keystrokes never pile up searches.
        """
        if not self._searching:
            self.search_now()

    @on(Input.Submitted, "#kb-query")
    def submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the results."""
        if self.hits:
            self.query_one("#kb-results", HitList).focus()

    def _wanted(self) -> tuple[str, str | None]:
        return self.query_one("#kb-query", Input).value, self.language

    def search_now(self) -> None:
        """Search for the current text and language in a worker, one search at a time."""
        wanted = self._wanted()
        self._searched = wanted
        text, language = wanted
        if not text.strip():
            self._show_hits(text, [])
            return
        self._searching = True
        self.call_store(
            self.desk.store.kb.search,
            self.desk.user.id,
            text,
            language,
            RESULTS,
            then=lambda hits: self._show_hits(text, hits),
            always=self._search_ended,
        )

    def _search_ended(self) -> None:
        self._searching = False
        if self._wanted() != self._searched:
            self.search_now()

    def _show_hits(self, text: str, hits: list[KbHit]) -> None:
        self.hits = hits
        self.shown_query = text
        self.query_one("#kb-results", HitList).show(hits)
        status = self.t("kb.count", count=len(hits)) if text.strip() else self.t("kb.hint")
        if text.strip() and not hits:
            status = self.t("kb.keep_typing") if kb_text.needs_more(text) else self.t("kb.none")
        self.query_one("#kb-status", Static).update(Text(status), layout=False)  # one line: no re-layout

    @on(HitList.Highlighted, "#kb-results")
    def highlighted(self, event: HitList.Highlighted) -> None:
        """Show the highlighted article once the agent pauses on it."""
        article_id, language = event.hit.id, event.hit.language
        if self._article_timer is not None:
            self._article_timer.stop()
        self._article_timer = self.set_timer(ARTICLE_DELAY, lambda: self.open_article(article_id, language))

    @on(HitList.Chosen, "#kb-results")
    def chosen(self, event: HitList.Chosen) -> None:
        """Enter on a hit shows its article at once."""
        if self._article_timer is not None:
            self._article_timer.stop()
        self.open_article(event.hit.id, event.hit.language)

    def open_article(self, article_id: str, language: str) -> None:
        """Load and show one article (a slower load of an earlier highlight never overwrites it)."""
        self._article_serial += 1
        serial = self._article_serial
        kb, user_id, ticket_id = self.desk.store.kb, self.desk.user.id, self.ticket_id

        def load() -> tuple[KbArticle, Filled]:
            article = kb.get(user_id, article_id, language)
            return article, kb.fill_for_call(article.body, article.language, user_id, ticket_id, MISSING_MARK)

        def show(loaded: tuple[KbArticle, Filled]) -> None:
            if serial == self._article_serial:
                self._show_article(*loaded)

        self.call_store(load, then=show)

    def _show_article(self, article: KbArticle, filled: Filled) -> None:
        """The article with the firm's values put in; a value the firm has not given is flagged."""
        self.article = article
        header = f"# {article.title}\n\n*{article.id} · {article.language} · v{article.version}*\n\n"
        if filled.missing:
            names = ", ".join(filled.missing)
            header += f"> **{self.t('kb.values_missing', count=len(filled.missing), names=names)}**\n\n"
        self.query_one("#kb-article", ArticleView).update(header + filled.text)

    # ------------------------------------------------------------- actions
    def action_back(self) -> None:
        """From a ticket or another screen: back to it. Otherwise: back to the query box."""
        if self.ticket_id:
            self.dismiss(None)
        elif self.app.screen_stack.index(self) > 0:  # opened over another screen (e.g. the gaps list)
            self.app.pop_screen()
        else:
            self.query_one("#kb-query", Input).focus()

    def action_cycle_language(self) -> None:
        """All languages → 中文 → English."""
        self.language = LANGUAGES[(LANGUAGES.index(self.language) + 1) % len(LANGUAGES)]
        self.query_one("#kb-lang", Static).update(Text(self._language_label()))
        if not self._searching:
            self.search_now()

    def action_use_answer(self) -> None:
        """Add the article's script to the ticket as a note and record the use."""
        if not self.ticket_id or self.article is None:
            return
        article = self.article

        def used(use: KbUse) -> None:
            self.notify(self.t("kb.used", id=use.article_id, version=use.version))
            if use.missing_values:
                names = ", ".join(use.missing_values)
                self.notify(self.t("kb.used_missing", count=len(use.missing_values), names=names),
                            severity="warning", timeout=20)
            self.dismiss(None)

        self.call_store(
            self.desk.store.kb.use_in_ticket, self.desk.user.id, self.ticket_id, article.id, article.language,
            then=used,
        )

    def action_report_gap(self) -> None:
        """Record a KB gap (or a suggested change to the article shown)."""
        article = self.article
        query = self.query_one("#kb-query", Input).value

        def answered(text: str | None) -> None:
            if not text:
                return
            self.call_store(
                self.desk.store.kb.report_gap,
                self.desk.user.id,
                self.ticket_id,
                text,
                article_id=article.id if article else None,
                language=article.language if article else None,
                query=query,
                then=lambda _: self.notify(self.t("kb.gap_saved")),
            )

        self.app.push_screen(TextPrompt(self.t("kb.ask_gap")), answered)

    def action_edit(self) -> None:
        """Edit the article shown (team lead and up): saving makes a new version."""
        article = self.article
        if article is None:
            return
        if not can(self.desk.user.role, Permission.KB_EDIT):
            self.notify(self.t("kb.edit_refused"), title=self.t("error.title"), severity="warning")
            return

        def saved(body: str | None) -> None:
            if body is None:
                return
            self.call_store(
                self.desk.store.kb.edit,
                self.desk.user.id,
                article.id,
                article.language,
                body=body,
                then=self._edited,
            )

        self.app.push_screen(ArticleEditor(self.t("kb.editing", title=article.title), article.body), saved)

    def _edited(self, article: KbArticle) -> None:
        self.notify(self.t("kb.saved", version=article.version))
        self.open_article(article.id, article.language)
        self.search_now()

    def action_gaps(self) -> None:
        """The gaps agents reported (editors: team lead and up)."""
        from csdesk.screens.kb_gaps import KbGapsScreen

        if not can(self.desk.user.role, Permission.KB_EDIT):
            self.notify(self.t("kbgaps.refused"), title=self.t("error.title"), severity="warning")
            return
        self.app.push_screen(KbGapsScreen())

    def action_history(self) -> None:
        """Versions of the article shown, each with its diff to the current one."""
        article = self.article
        if article is None:
            return
        kb, actor = self.desk.store.kb, self.desk.user.id

        def load() -> tuple[list[KbVersion], dict[int, str]]:
            versions = kb.history(actor, article.id, article.language)
            current = max(v.version for v in versions)
            diffs = {
                v.version: kb.diff(actor, article.id, article.language, v.version, current)
                for v in versions
                if v.version != current
            }
            return versions, diffs

        self.call_store(load, then=lambda data: self.app.push_screen(HistoryView(self, article, *data)))


class ArticleEditor(ModalScreen[str | None]):
    """Edit an article's Markdown; Ctrl+S saves a new version, Escape cancels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="kb.editor.save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel", id="kb.editor.cancel"),
    ]
    DEFAULT_CSS = """
    ArticleEditor { align: center middle; }
    ArticleEditor Vertical { width: 90%; height: 90%; border: round $accent; padding: 0 1; }
    ArticleEditor TextArea { height: 1fr; }
    """

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        """Title and the editor."""
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield TextArea(self.body, id="kb-editor", language=None, soft_wrap=True)

    def on_mount(self) -> None:
        """Focus the text."""
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        """Return the edited text."""
        self.dismiss(self.query_one(TextArea).text)


class HistoryView(ModalScreen[None]):
    """An article's versions; the highlighted one's diff to the current version."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="kb.history.close")]
    DEFAULT_CSS = """
    HistoryView { align: center middle; }
    HistoryView Horizontal { width: 95%; height: 90%; border: round $accent; }
    HistoryView OptionList { width: 40; height: 1fr; border: none; border-right: solid $panel; }
    HistoryView VerticalScroll { width: 1fr; padding: 0 1; }
    """

    def __init__(
        self, owner: KnowledgeScreen, article: KbArticle, versions: list[KbVersion], diffs: dict[int, str]
    ) -> None:
        super().__init__()
        self.owner = owner
        self.article = article
        self.versions = versions
        self.diffs = diffs

    def compose(self) -> ComposeResult:
        """Versions left, diff right."""
        t = self.owner.t
        options = []
        for v in self.versions:
            who = v.author_id or t("kb.from_file")
            label = Text(f"v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {who}")
            if v.current:
                label.append(f"  {t('kb.current')}", style="bold")
            if v.comment:
                label.append(f"\n  {v.comment}", style="dim")
            options.append(Option(label, id=str(v.version)))
        with Horizontal():
            yield OptionList(*options, id="kb-versions")
            with VerticalScroll():
                yield Static(id="kb-diff")

    def on_mount(self) -> None:
        """Focus the versions."""
        self.query_one(OptionList).focus()
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionHighlighted)
    def show_diff(self, event: OptionList.OptionHighlighted) -> None:
        """The diff from the highlighted version to the current one (plain Text, coloured lines)."""
        diff = self.diffs.get(int(str(event.option.id)))
        text = Text()
        if diff is None:
            text.append(self.owner.t("kb.is_current"), style="dim")
        for line in (diff or "").splitlines():
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim" if line.startswith(
                "@@") else ""
            text.append(line + "\n", style=style)
        self.query_one("#kb-diff", Static).update(text)
