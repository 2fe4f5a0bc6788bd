"""A footer whose key labels follow the desk's language (bindings are named by id)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from csdesk.i18n import Translator


def binding_label(t: Translator | None, binding: Binding) -> str:
    """The label of ``binding`` in the current language (its description otherwise)."""
    if t is not None and binding.id:
        key = f"binding.{binding.id}"
        text = t(key)
        if text != key:
            return text
    return binding.description


class DeskFooter(Footer):
    """Footer with translated key labels."""

    def compose(self) -> ComposeResult:
        """One key per shown binding, then the command palette key."""
        if not self._bindings_ready:
            return
        desk: Any = getattr(self.app, "desk", None)
        own = getattr(self.screen, "t", None)  # the start-up preview has its own translator
        t = desk.t if desk is not None else own if isinstance(own, Translator) else None
        active = self.screen.active_bindings
        seen: set[str] = set()
        shown = [(b, enabled, tip) for (_, b, enabled, tip) in active.values() if b.show]
        self.styles.grid_size_columns = len({b.action for b, _, _ in shown}) + 1
        for binding, enabled, tooltip in shown:
            if binding.action in seen:
                continue
            seen.add(binding.action)
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding_label(t, binding),
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, tooltip = entry
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    t("binding.palette") if t else binding.description,
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )
