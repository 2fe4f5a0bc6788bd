"""The csdesk Textual app: paints first, then opens the store in a worker and signs in.

Heavy modules (pydantic-settings, SQLModel/SQLAlchemy, Alembic, Faker) are imported only
inside the opening worker, after the first frame is on screen.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from csdesk.commands import DeskCommands
from csdesk.data.api import UserInfo
from csdesk.desk import Desk
from csdesk.domain.assignment import Availability
from csdesk.domain.errors import CsdeskError
from csdesk.domain.roles import Permission, can
from csdesk.i18n import Translator
from csdesk.launch import Launch, open_desk
from csdesk.screens.base import DeskScreen
from csdesk.screens.splash import SplashScreen
from csdesk.widgets.header import DeskHeader, header_text

#: (mode, key, string key, permission needed or None)
NAVIGATION: tuple[tuple[str, str, str, Permission | None], ...] = (
    ("queue", "f2", "nav.queue", None),
    ("knowledge", "f3", "nav.knowledge", Permission.KB_READ),
    ("complaints", "f4", "nav.complaints", None),
    ("callbacks", "f5", "nav.callbacks", None),
    ("live", "f6", "nav.live", Permission.LIVE_VIEW),
    ("trainer", "f7", "nav.trainer", None),
    ("settings", "f8", "nav.settings", None),
)
EXIT_AFTER = "CSDESK_EXIT_AFTER"  # "first-paint" or "ready": used by the startup benchmark


def _screen_factory(mode: str) -> Any:
    def make() -> Screen[Any]:
        from csdesk.screens import knowledge, live, overview, queue

        screens: dict[str, Any] = {
            "queue": queue.QueueScreen,
            "knowledge": knowledge.KnowledgeScreen,
            "complaints": overview.ComplaintsScreen,
            "callbacks": overview.CallbacksScreen,
            "live": live.LiveScreen,
            "trainer": overview.TrainerScreen,
            "settings": overview.SettingsScreen,
        }
        return screens[mode]()

    return make


class CsdeskApp(App[int]):
    """The desk workstation."""

    TITLE = "csdesk"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {DeskCommands}
    MODES: ClassVar[dict[str, Any]] = {name: _screen_factory(name) for name, *_ in NAVIGATION}
    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(key, f"goto('{name}')", name.capitalize(), id=f"nav.{name}", show=name in ("queue", "knowledge"))
            for name, key, *_ in NAVIGATION
        ],
        Binding("ctrl+l", "switch_language", "中/En", id="app.language"),
        Binding("f9", "cycle_availability", "Availability", id="app.availability"),
        Binding("f1", "show_help_panel", "Keys", id="app.help", show=False),
    ]

    def __init__(self, launch: Launch) -> None:
        super().__init__()
        self.launch = launch
        self.desk: Desk | None = None
        self.failure: str | None = None

    # ------------------------------------------------------------- start-up
    def on_mount(self) -> None:
        """Paint the splash, then open the desk once that frame is out."""
        self.push_screen(SplashScreen())
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if os.environ.get(EXIT_AFTER) == "first-paint":
            self.exit(0)
            return
        self.open_desk_worker()

    @work(thread=True, exclusive=True, group="open-desk", exit_on_error=False)
    def open_desk_worker(self) -> None:
        """Settings, store, migrations, demo seeding and sign-in, off the UI thread."""
        splash = self.screen

        def progress(message: str) -> None:
            if isinstance(splash, SplashScreen):
                self.call_from_thread(splash.show_step, message)

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
        self.desk = desk
        self.theme = desk.settings.theme if desk.settings.theme in self.available_themes else "textual-dark"
        self.title = desk.t("app.title")
        self.switch_mode("queue")
        if os.environ.get(EXIT_AFTER) == "ready":
            self.call_after_refresh(self.exit, 0)

    def on_unmount(self) -> None:
        """Close the store."""
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
        for header in self.screen.query(DeskHeader):
            header.query_one("#header-line", Static).update(header_text(self.desk))
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
