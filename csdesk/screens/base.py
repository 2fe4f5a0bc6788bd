"""The frame every desk screen shares: header, body, footer, and store calls in workers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from csdesk.desk import Desk
from csdesk.domain.errors import CsdeskError
from csdesk.i18n import Translator
from csdesk.widgets.footer import DeskFooter
from csdesk.widgets.header import DeskHeader

T = TypeVar("T")


class DeskScreen(Screen[None]):
    """Base of every screen shown after sign-in."""

    TITLE_KEY = "app.title"

    @property
    def desk(self) -> Desk:
        """The signed-in desk (set by the app before any desk screen is shown)."""
        desk = getattr(self.app, "desk", None)
        assert desk is not None, "desk screens are shown only after sign-in"
        return desk

    @property
    def t(self) -> Translator:
        """UI strings in the current language."""
        return self.desk.t

    def compose(self) -> ComposeResult:
        """Header, the screen's body, footer."""
        yield DeskHeader(self.desk)
        yield from self.compose_body()
        yield DeskFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        """Show the screen title in the terminal title."""
        self.sub_title = self.t(self.TITLE_KEY)

    def reload(self) -> None:
        """Load the screen's data again (after a change or a language switch)."""

    async def relabel(self) -> None:
        """Redraw in the current language, keeping the screen's state."""
        await self.recompose()
        self.reload()

    def call_store(
        self,
        func: Callable[..., T],
        *args: Any,
        then: Callable[[T], None] | None = None,
        always: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> Worker[T]:
        """Run a store use case in a thread worker; hand the result to ``then`` on the UI thread.

        A :class:`CsdeskError` becomes an error notification; nothing is lost on screen.
        ``always`` runs on the UI thread once the call has ended, whatever the outcome.
        """

        def job() -> T:
            return func(*args, **kwargs)

        worker: Worker[T] = self.run_worker(job, thread=True, group="store", exit_on_error=False)
        worker._csdesk_then = then  # type: ignore[attr-defined]
        worker._csdesk_always = always  # type: ignore[attr-defined]
        return worker

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Deliver worker results; turn failures into one clear notification."""
        worker = event.worker
        if event.state is WorkerState.SUCCESS:
            then = getattr(worker, "_csdesk_then", None)
            if then is not None:
                then(worker.result)
        elif event.state is WorkerState.ERROR:
            error = worker.error
            if isinstance(error, CsdeskError):
                self.notify(error.message, title=self.t("error.title"), severity="error")
            else:
                self.notify(f"{type(error).__name__}: {error}", title=self.t("error.title"), severity="error")
                self.log.error(repr(error))
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            always = getattr(worker, "_csdesk_always", None)
            if always is not None:
                always()

