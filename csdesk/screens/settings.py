"""Settings (F8): the desk's effective settings and its service-level targets; ``u`` opens the users.

Supervisors edit a target in place (kind × priority: first response, resolution, calendar
or business-hours clock); new tickets use it, open tickets keep the deadlines they were
given. Everyone else sees the same table read-only. The store decides who may change it.
"""

from __future__ import annotations

from datetime import timedelta

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from csdesk.data.api import StoreInfo
from csdesk.domain.errors import ValidationError
from csdesk.domain.roles import Permission, can
from csdesk.domain.sla import SlaMode, SlaPolicy, check_target_minutes
from csdesk.domain.sla_due import compact
from csdesk.i18n import Translator
from csdesk.screens.base import DeskScreen
from csdesk.widgets.sized_table import SizedTable


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


class SettingsScreen(DeskScreen):
    """Effective settings on top, the SLA policy table below."""

    TITLE_KEY = "settings.title"
    AUTO_FOCUS = "#sla-table"
    BINDINGS = [
        Binding("enter", "edit_policy", "Edit", id="settings.edit", show=False),
        Binding("r", "reload", "Refresh", id="overview.refresh"),
        Binding("u", "users", "Users", id="settings.users"),
    ]
    DEFAULT_CSS = """
    SettingsScreen #settings-body { padding: 1 2; }
    SettingsScreen .title { text-style: bold; color: $accent; }
    SettingsScreen #sla-hint { color: $text-muted; margin-bottom: 1; }
    SettingsScreen #sla-table { height: auto; max-height: 20; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.policies: list[SlaPolicy] = []

    def compose_body(self) -> ComposeResult:
        """Settings table, SLA heading, hint and table."""
        with VerticalScroll(id="settings-body"):
            yield Static(Text(self.t("settings.title")), classes="title")
            yield Static(id="settings-info")
            yield Static(Text(self.t("slaedit.heading")), classes="title")
            hint = "slaedit.hint_edit" if self.may_edit else "slaedit.hint_read"
            yield Static(Text(self.t(hint)), id="sla-hint")
            yield SizedTable(id="sla-table", cursor_type="row", zebra_stripes=True)

    @property
    def may_edit(self) -> bool:
        """Whether the signed-in user may change targets (the store checks again)."""
        return can(self.desk.user.role, Permission.SETTINGS_EDIT)

    def on_mount(self) -> None:
        """Load both parts."""
        super().on_mount()
        self.action_reload()

    def reload(self) -> None:
        """Reload from the store."""
        self.action_reload()

    def action_users(self) -> None:
        """Open the users screen (staff numbers, availability, skills)."""
        from csdesk.screens.users import UsersScreen

        self.app.push_screen(UsersScreen())

    def action_reload(self) -> None:
        """Load the store facts and the policies in workers."""
        self.call_store(self.desk.store.info, then=self._show_info)
        self.call_store(self.desk.store.sla_policies, then=self._show_policies)

    def _show_info(self, info: StoreInfo) -> None:
        t, settings = self.t, self.desk.settings
        table = Table(show_header=False, box=None)
        table.add_column(style="dim")
        table.add_column()
        rows = [
            (t("settings.config_file"), str(type(settings).config_file or "")),
            (t("settings.store"), info.path),
            (t("settings.schema"), info.schema_revision or ""),
            (t("settings.language"), t.language),
            (t("settings.shared_db"), hide_password(settings.shared_db_url) or t("header.sync_none")),
        ]
        for label, value in rows:
            table.add_row(label, Text(value))
        self.query_one("#settings-info", Static).update(table)

    def _show_policies(self, policies: list[SlaPolicy]) -> None:
        t = self.t
        self.policies = policies
        table = self.query_one("#sla-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for key in ("kind", "priority", "first", "resolution", "mode"):
            table.add_column(t(f"slaedit.col.{key}"), key=key)
        for p in policies:
            table.add_row(
                t.label("kind", p.kind),
                t.label("priority", p.priority),
                compact(p.first_response),
                compact(p.resolution),
                t(f"slaedit.mode.{p.mode.value}"),
                key=f"{p.kind}:{p.priority}",
            )
        if policies:
            table.move_cursor(row=min(cursor, len(policies) - 1))

    @on(DataTable.RowSelected, "#sla-table")
    def row_chosen(self) -> None:
        """Enter or a click on a row opens its editor."""
        self.action_edit_policy()

    def action_edit_policy(self) -> None:
        """Edit the highlighted target (supervisors)."""
        table = self.query_one("#sla-table", DataTable)
        if not self.policies or not self.may_edit:
            if not self.may_edit:
                self.notify(self.t("slaedit.hint_read"), severity="warning")
            return
        policy = self.policies[table.cursor_row]

        def save(values: tuple[int, int, str] | None) -> None:
            if values is None:
                return
            first, resolution, mode = values
            self.call_store(
                self.desk.store.set_sla_policy,
                self.desk.user.id,
                policy.kind,
                policy.priority,
                first,
                resolution,
                mode,
                then=self._saved,
            )

        self.app.push_screen(SlaPolicyForm(self.t, policy), save)

    def _saved(self, policy: SlaPolicy) -> None:
        t = self.t
        self.notify(
            t(
                "slaedit.saved",
                kind=t.label("kind", policy.kind),
                priority=t.label("priority", policy.priority),
                first=compact(policy.first_response),
                resolution=compact(policy.resolution),
            )
        )
        self.call_store(self.desk.store.sla_policies, then=self._show_policies)


class SlaPolicyForm(ModalScreen[tuple[int, int, str] | None]):
    """Minutes for first response and resolution, and the clock; checked before it closes."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="slaedit.cancel")]
    DEFAULT_CSS = """
    SlaPolicyForm { align: center middle; }
    SlaPolicyForm > Vertical { width: 76; height: auto; border: round $accent; padding: 0 1; }
    SlaPolicyForm #sla-error { color: $error; height: auto; }
    SlaPolicyForm Horizontal { height: auto; align-horizontal: right; }
    """

    def __init__(self, t: Translator, policy: SlaPolicy) -> None:
        super().__init__()
        self.t = t
        self.policy = policy

    def compose(self) -> ComposeResult:
        """Three fields, an error line, save and cancel."""
        t, p = self.t, self.policy
        with Vertical():
            title = t("slaedit.form_title", kind=t.label("kind", p.kind), priority=t.label("priority", p.priority))
            yield Label(Text(title, style="bold"))
            yield Label(t("slaedit.first_label"))
            yield Input(str(_minutes(p.first_response)), id="sla-first", type="integer", max_length=7)
            yield Label(t("slaedit.resolution_label"))
            yield Input(str(_minutes(p.resolution)), id="sla-resolution", type="integer", max_length=7)
            yield Label(t("slaedit.mode_label"))
            modes = [(t(f"slaedit.mode.{m.value}"), m.value) for m in SlaMode]
            yield Select(modes, value=p.mode.value, allow_blank=False, id="sla-mode")
            yield Static(id="sla-error")
            with Horizontal():
                yield Button(t("slaedit.save"), variant="primary", id="sla-save")
                yield Button(t("slaedit.cancel"), id="sla-cancel")

    def on_mount(self) -> None:
        """Start in the first field."""
        self.query_one("#sla-first", Input).focus()

    @on(Button.Pressed, "#sla-cancel")
    def cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#sla-save")
    def save(self) -> None:
        """Check the values by the store's own rule; close with them, or say what is wrong."""
        error = self.query_one("#sla-error", Static)
        try:
            first = int(self.query_one("#sla-first", Input).value)
            resolution = int(self.query_one("#sla-resolution", Input).value)
        except ValueError:
            error.update(Text(self.t("slaedit.not_number")))
            return
        try:
            check_target_minutes(first, resolution)
        except ValidationError as exc:
            error.update(Text(exc.message))
            return
        self.dismiss((first, resolution, str(self.query_one("#sla-mode", Select).value)))


def hide_password(url: str | None) -> str | None:
    """``url`` with any password replaced by ``***`` (the shared database URL on screen)."""
    if not url or "@" not in url or ":" not in url.split("@", 1)[0].split("//", 1)[-1]:
        return url
    scheme, rest = url.split("//", 1)
    credentials, host = rest.split("@", 1)
    return f"{scheme}//{credentials.split(':', 1)[0]}:***@{host}"
