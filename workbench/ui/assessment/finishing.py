"""Finishing an assessment from the window: what is missing, complete, final, reopened.

A mixin of :class:`~workbench.ui.main_window.MainWindow` (the Assessment
menu); the steps themselves are the workspace's
(:mod:`workbench.workspace.finishing`), through the assessment's controller.
"""
from __future__ import annotations

from workbench.model.errors import UserError
from workbench.model.finishing import IncompleteError
from workbench.ui.assessment.gaps_dialog import GapsDialog


class FinishingActions:
    # ------------------------------------------------------------------ finishing
    def show_gaps(self) -> GapsDialog | None:
        if self.view is None:
            return None
        if self.gaps_dialog is None:
            self.gaps_dialog = GapsDialog(self.view.gaps(), self)
            self.gaps_dialog.jump_requested.connect(self.jump_to)
        else:
            self.gaps_dialog.set_gaps(self.view.gaps())
        self.gaps_dialog.show()
        self.gaps_dialog.raise_()
        return self.gaps_dialog

    def jump_to(self, key: str) -> None:
        if self.view is not None:
            self.view.select_measure(key)
            self.view.tree.setFocus()

    def mark_complete(self) -> bool:
        return self._finish(lambda c: c.mark_complete(), "ارزیابی «تکمیل‌شده» علامت خورد.")

    def finalize(self) -> bool:
        if self.view is None or not self.ask_yes_no(
            "نهایی کردن ارزیابی",
            "پس از نهایی شدن، این ارزیابی دیگر ویرایش‌پذیر نیست مگر آن را بازگشایی کنید. ادامه می‌دهید؟",
        ):
            return False
        return self._finish(lambda c: c.finalize(), "ارزیابی نهایی شد.")

    def reopen(self) -> bool:
        if self.view is None:
            return False
        label = "دلیل بازگشایی این ارزیابی نهایی‌شده (در سابقهٔ تغییرات ثبت می‌شود):"
        while True:  # an empty reason asks again, saying why, instead of closing
            reason = self.ask_text("بازگشایی ارزیابی", label)
            if reason is None:
                return False
            if reason.strip():
                break
            label = "بدون دلیل بازگشایی نمی‌شود. دلیل بازگشایی این ارزیابی نهایی‌شده را بنویسید:"
        return self._finish(lambda c: c.reopen(reason), "ارزیابی بازگشایی شد و دوباره پیش‌نویس است.")

    def _finish(self, step, done_message: str) -> bool:
        if self.view is None:
            return False
        self._commit_focused_field()
        controller = self.view.controller
        try:
            step(controller)
        except IncompleteError as exc:
            self.show_gaps()
            self.gaps_dialog.set_gaps(exc.gaps)
            self.statusBar().showMessage(exc.message, 8000)
            return False
        except UserError as exc:
            self.warn(exc.message)
            return False
        self.statusBar().showMessage(done_message, 8000)
        return True

