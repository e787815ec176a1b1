"""Checkboxes and radio buttons whose state shows without colour.

Textual draws a toggle's mark (``X``, ``●``) in both states and tells them
apart by colour alone; with ``NO_COLOR``, in a monochrome terminal or to a
colour-blind eye every box looks ticked. These draw the mark only when on
(``▐X▌`` / ``▐ ▌``, ``▐●▌`` / ``▐ ▌``), through the public ``BUTTON_INNER``.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    ON = "X"

    def on_mount(self) -> None:
        self.watch(self, "value", self._show_state, init=True)

    def _show_state(self, value: bool) -> None:
        self.BUTTON_INNER = self.ON if value else " "
        self.refresh()


class MarkedRadioButton(RadioButton):
    ON = "\u25cf"

    def on_mount(self) -> None:
        self.watch(self, "value", self._show_state, init=True)

    def _show_state(self, value: bool) -> None:
        self.BUTTON_INNER = self.ON if value else " "
        self.refresh()
