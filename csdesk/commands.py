"""Command palette provider: every navigation and app action, plus the current screen's keys."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from csdesk.domain.roles import Permission, can
from csdesk.widgets.footer import binding_label


class DeskCommands(Provider):
    """Lists the app's actions and the focused screen's bindings, in the current language."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        for name, key, label in app.navigation():
            commands.append((label, f"{key.upper()}", partial(app.action_goto, name)))
        from csdesk.screens.live import supervisor_commands

        commands += supervisor_commands(app)
        from csdesk.screens.business import business_commands

        commands += business_commands(app)
        desk = getattr(app, "desk", None)
        t = desk.t if desk else None
        commands.append(
            (t("action.language") if t else "Switch language", "Ctrl+L", app.action_switch_language)
        )
        if desk is not None:
            from csdesk.screens.users import push_users

            commands.append((desk.t("users.palette"), "F8 u", partial(push_users, app)))
        if desk is not None and can(desk.user.role, Permission.CONFLICT_RESOLVE):
            commands.append((desk.t("action.conflicts"), "Ctrl+K", app.action_conflicts))
        commands.append((t("action.quit") if t else "Quit", "Ctrl+Q", app.action_quit))
        screen = self.screen
        for binding in getattr(screen, "BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.description:
                continue
            label = binding_label(t, binding)
            commands.append((label, binding.key, partial(self._run_action, screen, binding.action)))
        return commands

    @staticmethod
    async def _run_action(screen: Any, action: str) -> None:
        await screen.run_action(action)

    async def discover(self) -> Hits:
        """Every command, shown when the palette opens."""
        for label, key, callback in self._commands():
            yield DiscoveryHit(label, callback, help=key)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        """Commands matching what was typed."""
        matcher = self.matcher(query)
        for label, key, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=key)
