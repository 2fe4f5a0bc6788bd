"""Callback reminders and the header's overdue count, on a timer of the app.

Every tick a thread worker asks the store for the signed-in user's callbacks due within
the configured lead time (``callback_reminder_minutes``) that were not yet reminded for
their due time, and for the overdue count. The store records each reminder, so a restart
neither loses nor repeats one. Each reminder becomes an in-app notification; the count is
shown in the header of every open screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from csdesk.data.callback_views import CallbackView
from csdesk.domain.errors import CsdeskError
from csdesk.screens.callbacks import desk_time
from csdesk.widgets.header import DeskHeader, header_text

if TYPE_CHECKING:
    from textual.app import App

    from csdesk.desk import Desk

TICK = 30.0
REMINDER_SECONDS = 30


class CallbackReminders:
    """Reminds the signed-in user of their callbacks and keeps the overdue count fresh."""

    def __init__(self, app: App[int], desk: Desk) -> None:
        self.app = app
        self.desk = desk

    def start(self) -> None:
        """Check now (a restart shows what is due at once), then every :data:`TICK` seconds."""
        self.tick()
        self.app.set_interval(TICK, self.tick)

    def tick(self) -> None:
        """Ask the store in a worker; the answers land on the UI thread."""
        self.app.run_worker(self._ask, thread=True, group="callback-reminders", exclusive=True, exit_on_error=False)

    def _ask(self) -> None:
        desk = self.desk
        minutes = desk.settings.callback_reminder_minutes
        try:
            due = desk.store.callbacks.take_reminders(desk.user.id, minutes)
            overdue = desk.store.callbacks.overdue_count(desk.user.id, desk.user.id)
        except CsdeskError:  # e.g. the user was deactivated meanwhile: nothing to remind
            return
        self.app.call_from_thread(self.show, due, overdue)

    def show(self, due: list[CallbackView], overdue: int) -> None:
        """Notify each reminder; redraw the headers when the overdue count changed."""
        t = self.desk.t
        for cb in due:
            message = t(
                "callbacks.reminder",
                time=desk_time(cb.due_at, "%H:%M"),
                customer=cb.customer_name,
                purpose=t(f"callbacks.purpose.{cb.purpose}"),
            )
            self.app.notify(message, title=t("callbacks.reminder_title"), timeout=REMINDER_SECONDS)
        if overdue != self.desk.callbacks_overdue:
            self.desk.callbacks_overdue = overdue
            for stack in self.app._screen_stacks.values():
                for header in (h for screen in stack for h in screen.query(DeskHeader)):
                    header.query_one("#header-line", Static).update(header_text(self.desk))


def start_callback_reminders(app: App[int], desk: Desk) -> CallbackReminders:
    """Start reminding the signed-in user (called once the desk is open)."""
    reminders = CallbackReminders(app, desk)
    reminders.start()
    return reminders
