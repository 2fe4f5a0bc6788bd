"""The desk header: who is signed in where, sync state, and the DEMO banner."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from csdesk.desk import Desk


def header_text(desk: Desk | None) -> Text:
    """The header line for ``desk`` (just the product name before sign-in)."""
    text = Text(" csdesk ", style="bold reverse")
    if desk is None:
        return text
    t = desk.t
    if desk.is_demo:
        sync = t("header.sync_demo")
    elif desk.sync_status is not None:
        sync = sync_text(desk)
    elif desk.settings.shared_db_url:
        sync = t("header.sync_pending")
    else:
        sync = t("header.sync_none")
    parts = [
        (t("header.desk"), desk.store.desk_id),
        (t("header.user"), f"{desk.user.name} ({desk.user.id})"),
        (t("header.role"), t.label("role", desk.user.role)),
        (t("header.availability"), t.label("availability", desk.user.availability)),
        (t("header.sync"), sync),
    ]
    for label, value in parts:
        text.append("  ")
        text.append(f"{label} ", style="dim")
        text.append(value, style="bold")
    if desk.callbacks_overdue:
        text.append(f"  {t('callbacks.header_overdue')} ", style="dim")
        text.append(str(desk.callbacks_overdue), style="bold red")
    text.append("  ")
    text.append("中文" if t.language == "zh-CN" else "English", style="italic")
    return text


def sync_text(desk: Desk) -> str:
    """The sync state: synced, N pending or offline since HH:MM, plus N conflicts."""
    t, status = desk.t, desk.sync_status
    if not status.online:
        since = status.offline_since.astimezone().strftime("%H:%M") if status.offline_since else "--:--"
        parts = [t("sync.offline", time=since)]
        if status.pending:
            parts.append(t("sync.pending", count=status.pending))
    else:
        parts = [t("sync.pending", count=status.pending) if status.pending else t("sync.synced")]
    if status.conflicts:
        parts.append(t("sync.conflicts", count=status.conflicts))
    return ", ".join(parts)


class DeskHeader(Vertical):
    """Docked at the top of every desk screen."""

    DEFAULT_CSS = """
    DeskHeader { dock: top; height: auto; }
    DeskHeader #header-line { height: 1; background: $panel; }
    DeskHeader #demo-banner {
        height: 1; background: $warning; color: $text; text-style: bold; content-align: center middle;
    }
    DeskHeader #incident-banner { height: auto; max-height: 3; background: $error; color: $text; display: none; }
    """
    INCIDENT_POLL = 10.0

    def __init__(self, desk: Desk | None) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        """Header line, plus the DEMO banner on a demo store."""
        yield Static(header_text(self.desk), id="header-line")
        if self.desk is not None and self.desk.is_demo:
            yield Static(Text(self.desk.t("app.demo_banner")), id="demo-banner")
        yield Static(id="incident-banner")

    def on_mount(self) -> None:
        """Show open incidents' scripts (DOMAIN.md, "Emergency response"), read again every few seconds."""
        if self.desk is not None:
            self.refresh_incidents(always=True)
            self.set_interval(self.INCIDENT_POLL, self.refresh_incidents)

    def refresh_incidents(self, always: bool = False) -> None:
        """Read the open incidents in a worker and show their banner (hidden when none).

        Headers of screens not on show skip the read unless ``always``.
        """
        desk = self.desk
        if desk is None or not (always or self.screen.is_current):
            return

        def job() -> None:
            incidents = desk.store.incidents.active()
            self.app.call_from_thread(show, incidents)

        def show(incidents: list[Any]) -> None:
            banner = self.query_one("#incident-banner", Static)
            lines = [desk.t("supervisor.incident.banner", title=i.title, script=i.script) for i in incidents]
            banner.update(Text("\n".join(lines)))
            banner.display = bool(lines)

        self.run_worker(job, thread=True, group="incidents", exclusive=True, exit_on_error=False)
