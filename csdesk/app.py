"""The csdesk Textual app: paints first, then opens the store in a worker and signs in.

Heavy modules (pydantic-settings, SQLModel/SQLAlchemy, Alembic, Faker) are imported only
inside the opening worker, after the first frame is on screen.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from csdesk.data.api import UserInfo
from csdesk.desk import Desk
from csdesk.domain.assignment import Availability
from csdesk.domain.clock import SystemClock
from csdesk.domain.errors import CsdeskError
from csdesk.domain.roles import Permission, can
from csdesk.i18n import Translator
from csdesk.launch import Launch, open_desk
from csdesk.screens.base import DeskScreen
from csdesk.screens.splash import SplashScreen
from csdesk.widgets.header import DeskHeader, header_text

if TYPE_CHECKING:
    from csdesk.data.peek import QueuePeek
    from csdesk.widgets.bounded_text import PasteRefused

#: (mode, key, string key, permission needed or None)
NAVIGATION: tuple[tuple[str, str, str, Permission | None], ...] = (
    ("queue", "f2", "nav.queue", None),
    ("knowledge", "f3", "nav.knowledge", Permission.KB_READ),
    ("complaints", "f4", "nav.complaints", None),
    ("callbacks", "f5", "nav.callbacks", None),
    ("live", "f6", "nav.live", Permission.LIVE_VIEW),
    ("trainer", "f7", "nav.trainer", Permission.DEMO_RUN),
    ("settings", "f8", "nav.settings", None),
)
#: "first-paint", "queue-paint" (queue rows on screen) or "ready": used by the start-up benchmarks.
EXIT_AFTER = "CSDESK_EXIT_AFTER"


def _screen_factory(mode: str) -> Any:
    def make() -> Screen[Any]:
        from csdesk.screens import callbacks, complaints, knowledge, live, queue, settings, trainer

        screens: dict[str, Any] = {
            "queue": queue.QueueScreen,
            "knowledge": knowledge.KnowledgeScreen,
            "complaints": complaints.ComplaintsScreen,
            "callbacks": callbacks.CallbacksScreen,
            "live": live.LiveScreen,
            "trainer": trainer.TrainerScreen,
            "settings": settings.SettingsScreen,
        }
        return screens[mode]()

    return make


def _desk_commands() -> Any:
    """The desk's command-palette provider, imported when the palette first opens."""
    from csdesk.commands import DeskCommands

    return DeskCommands


class CsdeskApp(App[int]):
    """The desk workstation."""

    TITLE = "csdesk"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_desk_commands}
    MODES: ClassVar[dict[str, Any]] = {name: _screen_factory(name) for name, *_ in NAVIGATION}
    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(key, f"goto('{name}')", name.capitalize(), id=f"nav.{name}", show=name in ("queue", "knowledge"))
            for name, key, *_ in NAVIGATION
        ],
        Binding("ctrl+l", "switch_language", "中/En", id="app.language"),
        Binding("f9", "cycle_availability", "Availability", id="app.availability"),
        Binding("f1", "show_help_panel", "Keys", id="app.help", show=False),
        Binding("ctrl+k", "conflicts", "Merge conflicts", id="app.conflicts", show=False),
    ]

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        self.launch = launch
        self.desk: Desk | None = None
        self.preview: QueuePeek | None = None
        self.failure: str | None = None
        self._sync: Any = None

    # ------------------------------------------------------------- start-up
    def on_mount(self) -> None:
        """Paint the saved queue (or the splash when there is none), then open the desk.

        The first page is read with plain sqlite3 right here (a few milliseconds), so the
        first frame already shows the agent's queue; no extra frame, no worker hop.
        """
        peek = self._peek()
        if peek is None:
            self.push_screen(SplashScreen())
        else:
            self._show_preview(peek)
        self.call_after_refresh(self._after_first_paint)

    def _peek(self) -> QueuePeek | None:
        """The queue's first page read without the store (csdesk.data.peek), or ``None``."""
        from csdesk.launch import peek_desk
        from csdesk.widgets.ticket_table import PAGE_SIZE

        try:
            return peek_desk(self.launch, PAGE_SIZE)
        except Exception:  # noqa: BLE001 - a preview is optional; opening the store reports real problems
            return None

    def _show_preview(self, peek: QueuePeek) -> None:
        from csdesk.launch import peek_language
        from csdesk.screens.queue_preview import QueuePreviewScreen

        self.preview = peek
        clock = self.launch.clock or SystemClock()
        self.push_screen(QueuePreviewScreen(peek, Translator(peek_language(self.launch)), clock.now))

    def _after_first_paint(self) -> None:
        exit_after = os.environ.get(EXIT_AFTER)
        if exit_after == "first-paint" or (exit_after == "queue-paint" and self.preview is not None):
            self.exit(0)
            return
        self.open_desk_worker()

    @work(thread=True, exclusive=True, group="open-desk", exit_on_error=False)
    def open_desk_worker(self) -> None:
        """Settings, store, migrations, demo seeding and sign-in, off the UI thread."""
        first = self.screen
        show_step = getattr(first, "show_step", None)  # the splash or the queue preview

        def progress(message: str) -> None:
            if show_step is not None:
                self.call_from_thread(show_step, message)

        try:
            desk = open_desk(self.launch, progress)
        except CsdeskError as exc:
            self.call_from_thread(self._fail, exc.message)
            return
        self.call_from_thread(self._desk_ready, desk)

    def _fail(self, message: str) -> None:
        self.failure = message
        self.exit(return_code=2)

    def _desk_ready(self, desk: Desk) -> None:
        preview, self.preview = self.preview, None
        if preview is not None and preview.path == desk.store.path.expanduser().resolve():
            desk.first_page = (preview.total, preview.rows)
        self.desk = desk
        self.theme = desk.settings.theme if desk.settings.theme in self.available_themes else "textual-dark"
        self.title = desk.t("app.title")
        self.switch_mode("queue")
        from csdesk.screens.callback_reminders import start_callback_reminders  # after the first paint

        self.call_after_refresh(start_callback_reminders, self, desk)
        for warning in desk.warnings:
            self.notify(warning, severity="warning", timeout=30)
        if not desk.is_demo and desk.settings.shared_db_url:
            self.sync_worker()
        if os.environ.get(EXIT_AFTER) in ("ready", "queue-paint"):
            self.call_after_refresh(self.exit, 0)

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def sync_worker(self) -> None:
        """Keep the desk in sync with the shared database until the app closes (csdesk.sync)."""
        from csdesk.sync.engine import SyncWorker

        assert self.desk is not None
        self._sync = SyncWorker(
            self.desk.store,
            self.desk.settings.shared_db_url,
            on_status=lambda status: self.call_from_thread(self._sync_status, status),
        )
        self._sync.run()

    def _sync_status(self, status: Any) -> None:
        """Show the worker's report in the header; reload the screen when other desks' events arrived."""
        if self.desk is None:
            return
        self.desk.sync_status = status
        self._refresh_header()
        if status.applied and isinstance(self.screen, DeskScreen):
            self.screen.reload()

    def _refresh_header(self) -> None:
        for header in self.screen.query(DeskHeader):
            header.query_one("#header-line", Static).update(header_text(self.desk))

    def action_conflicts(self) -> None:
        """Open the merge-conflicts screen (supervisors)."""
        if self.desk is None:
            return
        t = self.desk.t
        if not can(self.desk.user.role, Permission.CONFLICT_RESOLVE):
            message = t("error.not_allowed", role=t.label("role", self.desk.user.role), area=t("action.conflicts"))
            self.notify(message, title=t("error.title"), severity="warning")
            return
        from csdesk.screens.conflicts import ConflictsScreen

        self.push_screen(ConflictsScreen())

    def on_paste_refused(self, event: PasteRefused) -> None:
        """An input anywhere (a prompt, the note line, a search box) refused an oversized paste: say so."""
        t = self.desk.t if self.desk is not None else Translator()
        message = t("intake.paste_refused", length=f"{event.length:,}", limit=f"{event.limit:,}")
        self.notify(message, severity="warning")

    def on_unmount(self) -> None:
        """Stop syncing, close the store."""
        if self._sync is not None:
            self._sync.stop()
        if self.desk is not None:
            self.desk.store.close()

    # ------------------------------------------------------------- navigation
    def navigation(self) -> list[tuple[str, str, str]]:
        """(mode, key, label) of every area the signed-in user may open."""
        if self.desk is None:
            return []
        t, role = self.desk.t, self.desk.user.role
        return [(name, key, t(label)) for name, key, label, perm in NAVIGATION if perm is None or can(role, perm)]

    def action_goto(self, mode: str) -> None:
        """Open an area (refused politely when the role may not)."""
        if self.desk is None:
            return
        t = self.desk.t
        _, _, label, needed = next(entry for entry in NAVIGATION if entry[0] == mode)
        if needed is not None and not can(self.desk.user.role, needed):
            message = t("error.not_allowed", role=t.label("role", self.desk.user.role), area=t(label))
            self.notify(message, title=t("error.title"), severity="warning")
            return
        self.switch_mode(mode)

    def action_cycle_availability(self) -> None:
        """Available -> busy -> break -> offline -> available; the header shows it."""
        desk = self.desk
        if desk is None:
            return
        order = [a.value for a in Availability]
        following = order[(order.index(desk.user.availability) + 1) % len(order)]
        screen = next(s for s in reversed(self.screen_stack) if isinstance(s, DeskScreen))
        screen.call_store(desk.store.set_availability, desk.user.id, following, then=self._availability_set)

    def _availability_set(self, user: UserInfo) -> None:
        assert self.desk is not None
        self.desk.user = user
        self._refresh_header()
        self.notify(self.desk.t.label("availability", user.availability))

    async def action_switch_language(self) -> None:
        """Toggle zh-CN / English at run time; every open screen is redrawn."""
        if self.desk is None:
            return
        language = "en" if self.desk.t.language == "zh-CN" else "zh-CN"
        self.desk.t = Translator(language)
        self.title = self.desk.t("app.title")
        for stack in self._screen_stacks.values():
            for screen in stack:
                relabel = getattr(screen, "relabel", None)
                if relabel is not None:
                    await relabel()
        self.notify(self.desk.t("app.language_switched"))
