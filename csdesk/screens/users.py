"""Users (F8 then u, or the command palette): everyone on the desk, and what a supervisor sets for them.

The table lists each person's sign-in id, name, role, team, staff number (工号, which the
knowledge base's scripts quote as ``{{agent_id}}``), availability and routing skills.
A supervisor sets the highlighted person's staff number (``s``), availability (``a``) and
skills (``k``); everyone else reads the same table. The store checks the role again and
refuses a bad staff number with a sentence, writing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from csdesk.data.api import UserInfo
from csdesk.domain.assignment import Availability
from csdesk.domain.roles import Permission, can
from csdesk.domain.tickets import Kind
from csdesk.screens.base import DeskScreen
from csdesk.screens.pickers import ChoicePicker, FacetPicker, TextPrompt
from csdesk.widgets.formatting import cell
from csdesk.widgets.sized_table import SizedTable

COLUMNS = ("id", "name", "role", "team", "staff_no", "availability", "skills")


class UsersScreen(DeskScreen):
    """Every user of the desk, by role then name; supervisors edit the highlighted one."""

    TITLE_KEY = "users.title"
    AUTO_FOCUS = "#users-table"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="users.back"),
        Binding("s", "staff_no", "Staff number", id="users.staff_no"),
        Binding("a", "availability", "Availability", id="users.availability"),
        Binding("k", "skills", "Skills", id="users.skills"),
        Binding("r", "reload", "Refresh", id="overview.refresh"),
    ]
    DEFAULT_CSS = """
    UsersScreen #users-hint { height: auto; padding: 0 1; color: $text-muted; }
    UsersScreen #users-table { height: 1fr; }
    UsersScreen #users-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.users: list[UserInfo] = []

    @property
    def may_edit(self) -> bool:
        """Whether the signed-in user may change other people (the store checks again)."""
        return can(self.desk.user.role, Permission.USER_MANAGE)

    def compose_body(self) -> ComposeResult:
        """Hint, table, status line."""
        yield Static(Text(self.t("users.hint_edit" if self.may_edit else "users.hint_read")), id="users-hint")
        yield SizedTable(id="users-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="users-status")

    def on_mount(self) -> None:
        """Load the users."""
        super().on_mount()
        self.action_reload()

    def reload(self) -> None:
        """Reload from the store (after another desk's changes arrived)."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read every user in a worker."""
        self.call_store(self.desk.store.list_users, then=self._show)

    def _show(self, users: list[UserInfo]) -> None:
        t = self.t
        self.users = users
        table = self.query_one("#users-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for key in COLUMNS:
            table.add_column(t(f"users.col.{key}"), key=key)
        for user in users:
            table.add_row(
                cell(user.id, 16),
                cell(user.name, 16),
                t.label("role", user.role),
                cell(user.team or "—", 12),
                user.staff_no or Text("—", style="dim"),
                t.label("availability", user.availability),
                ", ".join(t.label("kind", kind) for kind in user.skills) or Text(t("users.generalist"), style="dim"),
                key=user.id,
            )
        if users:
            table.move_cursor(row=min(row, len(users) - 1))
        unset = sum(1 for user in users if not user.staff_no)
        status = t("users.count", count=len(users))
        if unset:
            status += " · " + t("users.count_unset", count=unset)
        self.query_one("#users-status", Static).update(Text(status))

    @property
    def current(self) -> UserInfo | None:
        """The user under the cursor."""
        table = self.query_one("#users-table", DataTable)
        return self.users[table.cursor_row] if 0 <= table.cursor_row < len(self.users) else None

    def _editable(self) -> UserInfo | None:
        """The highlighted user when the signed-in user may edit them; else a warning and None."""
        if not self.may_edit:
            self.notify(self.t("users.hint_read"), severity="warning")
            return None
        return self.current

    def _save(self, func: Callable[..., UserInfo], user: UserInfo, *args: Any) -> None:
        self.call_store(func, self.desk.user.id, user.id, *args, then=self._saved)

    def _saved(self, saved: UserInfo) -> None:
        self.notify(self.t("users.saved", name=saved.name))
        self.action_reload()

    def action_staff_no(self) -> None:
        """Set the highlighted person's staff number (工号)."""
        user = self._editable()
        if user is None:
            return

        def answered(value: str | None) -> None:
            if value is not None:
                self._save(self.desk.store.set_staff_no, user, value)

        self.app.push_screen(TextPrompt(self.t("users.ask_staff_no", name=user.name), user.staff_no), answered)

    def action_availability(self) -> None:
        """Set whether the highlighted person can take tickets now."""
        user = self._editable()
        if user is None:
            return
        choices = [(a.value, self.t.label("availability", a.value)) for a in Availability]

        def chosen(value: str | None) -> None:
            if value is not None and value != user.availability:
                self.call_store(self.desk.store.set_availability, self.desk.user.id, value, user.id, then=self._saved)

        title = self.t("users.ask_availability", name=user.name)
        self.app.push_screen(ChoicePicker(title, choices, user.availability), chosen)

    def action_skills(self) -> None:
        """Tick the ticket kinds the highlighted person is routed (none ticked: a generalist)."""
        user = self._editable()
        if user is None:
            return
        kinds = [(kind.value, self.t.label("kind", kind.value)) for kind in Kind]

        def ticked(values: list[str] | None) -> None:
            if values is not None:
                self._save(self.desk.store.set_skills, user, values)

        self.app.push_screen(FacetPicker(self.t("users.ask_skills", name=user.name), kinds, set(user.skills)), ticked)


def push_users(app: Any) -> None:
    """Open the users screen (command palette)."""
    app.push_screen(UsersScreen())
