"""The open assessment, as the window's pages see it.

Every page edits through :meth:`AssessmentController.apply`: the edit is
applied, committed at once (no Save button; a crash loses at most the field
being typed) and pushed on the undo stack.  After any edit, undo or redo,
:attr:`changed` fires and pages re-read what they show.

A bulk action (every unjudged service of a stage «not achieved», every
unanswered item «no», several files) is :meth:`AssessmentController.apply_all`:
one transaction, one undo step, one re-read.  As one edit per row it took 12 s
for 235 services (a commit and a re-read of every page each), the window
frozen, and as long again to undo.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.orm import Session

from workbench.model.assessments import load_answers, round_framework
from workbench.model.editing import Edit, apply_edits
from workbench.model.errors import UserError
from workbench.model.framework import Framework
from workbench.model.schema import Agency, Assessment, Round
from workbench.model.scoring import ScoreCard, score


class _Edits:
    """Several edits applied as one, in one transaction (all or none); undone in reverse order."""

    def __init__(self, edits: list):
        self.edits = list(edits)

    def apply(self, session: Session) -> "_Edits":
        return _Edits(apply_edits(session, self.edits))


class _EditCommand(QUndoCommand):
    def __init__(self, controller: "AssessmentController", edit: Edit, text: str):
        super().__init__(text)
        self._controller = controller
        self._edit = edit
        self._inverse: Edit | None = None
        self.failed: UserError | None = None
        self.on_stack = False  # False while apply() runs it the first time

    def redo(self) -> None:
        self._inverse = self._controller._run(self._edit, self)

    def undo(self) -> None:
        if self._inverse is not None:
            self._edit = self._controller._run(self._inverse, self) or self._edit


class AssessmentController(QObject):
    """One open assessment in one long-lived session."""

    changed = Signal()
    #: A refused edit (e.g. a finalized assessment): the Persian message.
    refused = Signal(str)

    def __init__(self, session: Session, assessment_uuid: str, undo_stack: QUndoStack, parent=None):
        super().__init__(parent)
        self._session = session
        self._uuid = assessment_uuid
        self.undo_stack = undo_stack
        self._framework: Framework | None = None
        self._card: ScoreCard | None = None

    # ---- what pages read
    def session(self) -> Session:
        return self._session

    def assessment(self) -> Assessment:
        return self._session.get(Assessment, self._uuid)

    def agency(self) -> Agency:
        return self._session.get(Agency, self.assessment().agency_uuid)

    def round(self) -> Round:
        return self._session.get(Round, self.assessment().round_uuid)

    def framework(self) -> Framework:
        if self._framework is None:
            self._framework = round_framework(self._session, self.round())
        return self._framework

    def card(self) -> ScoreCard:
        """The live score card (recomputed after each change)."""
        if self._card is None:
            self._card = score(self.framework(), load_answers(self._session, self.assessment()))
        return self._card

    def read_only(self) -> bool:
        return self.assessment().status == "final"

    # ---- how pages write
    def apply(self, edit: Edit, text: str) -> bool:
        """Apply ``edit`` as an undoable step; False (and :attr:`refused`) when refused."""
        command = _EditCommand(self, edit, text)
        command.redo()
        if command.failed is not None:
            return False
        self.undo_stack.push(_Pushed(command))
        command.on_stack = True
        return True

    def apply_all(self, edits: list[Edit], text: str) -> bool:
        """Apply ``edits`` as one undoable step, all or none; False (and :attr:`refused`) when refused."""
        return bool(edits) and self.apply(_Edits(edits), text)

    def reload(self) -> None:
        """Forget cached scores and tell every page to re-read (after status changes etc.)."""
        self._card = None
        self._framework = None
        self.changed.emit()

    def _run(self, edit: Edit, command: _EditCommand) -> Edit | None:
        try:
            inverse = edit.apply(self._session)
            self._session.commit()
        except UserError as exc:
            self._session.rollback()
            command.failed = exc
            self.refused.emit(exc.message)
            if command.on_stack:
                # An undo or redo that cannot be carried out (its row was deleted
                # elsewhere, or the assessment was finalized): the stack's position
                # already moved past it, so the history no longer matches the data.
                # Clear it once QUndoStack has finished the current step.
                QTimer.singleShot(0, self._history_broken)
            return None
        self._card = None
        self.changed.emit()
        return inverse

    def _history_broken(self) -> None:
        self.undo_stack.clear()
        self.refused.emit("این گام را نمی‌توان واگرد یا ازنو کرد؛ تاریخچهٔ واگرد این ارزیابی پاک شد.")


class _Pushed(QUndoCommand):
    """Wraps a command that already ran: the first redo() from push() is skipped."""

    def __init__(self, inner: _EditCommand):
        super().__init__(inner.text())
        self._inner = inner
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._inner.redo()

    def undo(self) -> None:
        self._inner.undo()
