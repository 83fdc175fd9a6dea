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

The controller owns the assessment's session: pages read through it (its
methods call :mod:`workbench.workspace.pages`) and never query themselves.
:attr:`changed` carries a :class:`~workbench.workspace.changes.Changes`
saying which kinds of rows the edit wrote, so a page that shows none of them
skips its re-read.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.model.assessments import load_answers, round_framework
from workbench.model.completeness import Gap, missing
from workbench.model.editing import Edit, apply_edits
from workbench.model.errors import UserError
from workbench.model.framework import Framework
from workbench.model.na_check import facts_for
from workbench.model.na_rules import AgencyFacts, automatic, refusal
from workbench.model.problems import database_problem
from workbench.model.schema import Agency, Assessment, Round
from workbench.model.scoring import ReformCount, ScoreCard, score
from workbench.model.text import persian_digits
from workbench.ui.shared.errors import log
from workbench.workspace import finishing, pages
from workbench.workspace.changes import Changes

FINAL_BANNER = ("این ارزیابی نهایی شده است و فقط خواندنی است؛ برای ویرایش، آن را از منوی «ارزیابی» ◂ "
                "«بازگشایی ارزیابی نهایی…» بازگشایی کنید.")


class _Edits:
    """Several edits applied as one, in one transaction (all or none); undone in reverse order."""

    def __init__(self, edits: list):
        self.edits = list(edits)

    def kinds(self) -> set[str]:
        return {e.kind for e in self.edits}

    def apply(self, session) -> "_Edits":
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

    #: After every edit, undo, redo and reload: the :class:`Changes` (which kinds of rows).
    changed = Signal(object)
    #: A refused edit (e.g. a finalized assessment): the Persian message.
    refused = Signal(str)

    def __init__(self, session, assessment_uuid: str, undo_stack: QUndoStack, parent=None,
                 pending: Assessment | None = None):
        super().__init__(parent)
        self._session = session
        self._uuid = assessment_uuid
        #: an assessment not stored yet (``Workspace.assessment_of``): stored with the first edit
        self._pending = pending
        self.undo_stack = undo_stack
        self._framework: Framework | None = None
        self._card: ScoreCard | None = None
        self._facts: AgencyFacts | None = None

    # ---- what pages read
    def session(self):
        """The assessment's session (the controller owns it; pages read through the methods below)."""
        return self._session

    def assessment(self) -> Assessment:
        if self._pending is not None:
            return self._pending
        return self._session.get(Assessment, self._uuid)

    def stored(self) -> bool:
        """False while the assessment is only shown: nothing was written for it yet."""
        return self._pending is None

    def _store_pending(self) -> None:
        """Before the first write: the assessment itself goes in (the same transaction as the edit)."""
        if self._pending is not None and self._session.get(Assessment, self._uuid) is None:
            self._session.add(self._pending)
            self._session.flush()

    def _stored_now(self) -> None:
        self._pending = None

    def ensure_stored(self) -> None:
        """Store the assessment now (before work on another thread adds rows that name it)."""
        if self._pending is None:
            return
        try:
            self._store_pending()
            self._session.commit()
        except BaseException:
            self._session.rollback()
            raise
        self._stored_now()

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
            self._card = score(self.framework(), load_answers(self._session, self.assessment(), self.framework()))
        return self._card

    def na_refusal(self, key: str) -> str | None:
        """Why ``key`` may not be marked not applicable here (the guide's rule), or None when it may."""
        if self._facts is None:
            self._facts = facts_for(self._session, self.assessment(), self.framework())
        why = refusal(self.framework(), key, self._facts)
        return persian_digits(why) if why else why  # it quotes the guide: «راهنما (۰۰۲)، شاخص ۹»

    def na_by_rule(self) -> dict[str, str]:
        """Keys a rule makes not applicable for this agency's level, with the rule's words."""
        return {key: persian_digits(why) for key, why in automatic(self.framework(), self.agency().level).items()}

    def read_only(self) -> bool:
        """A final assessment, or a database the file system lets us only read."""
        return bool(self._session.info.get("read_only")) or self.assessment().status == "final"

    def gaps(self) -> list[Gap]:
        """What is still missing before the assessment can be marked complete."""
        return missing(self._session, self.assessment(), self.framework())

    def trail(self) -> list:
        """The assessment's audit trail in words (``workspace.audit_trail``); [] before it is stored."""
        from workbench.workspace.audit_trail import assessment_trail

        return assessment_trail(self._session, self._uuid) if self.stored() else []

    def answers(self, keys: list[str]) -> dict[str, dict]:
        return pages.answers(self._session, self._uuid, keys)

    def answer_value(self, key: str):
        return pages.answer_value(self._session, self._uuid, key)

    def planned_services(self) -> list[tuple]:
        return pages.planned_services(self._session, self.assessment())

    def judgements(self, names: tuple[str, ...]) -> dict[str, dict]:
        return pages.judgements(self._session, self._uuid, names)

    def reform_rows(self, table: str, names: tuple[str, ...]) -> list[dict]:
        return pages.reform_rows(self._session, self.assessment(), table, names)

    def agreement(self, indicator_key: str) -> dict:
        """The agreement with the Organization recorded for an indicator (``na_check.agreement_of``)."""
        from workbench.model.na_check import agreement_of

        return agreement_of(self._session, self._uuid, indicator_key)

    def reform_steps(self):
        """Table 5's six steps per service, and the parent services (``model.reform_steps``)."""
        from workbench.model.reform_steps import service_steps

        return service_steps(self._session, self.assessment())

    def reform_count(self) -> ReformCount:
        """Table 4 as the scorer counts it (improved sub-services, sub-services)."""
        return load_answers(self._session, self.assessment(), self.framework()).reform

    def evidence_rows(self, measure_key: str) -> list[dict]:
        return pages.evidence_rows(self._session, self._uuid, measure_key)

    def stored_file_size(self, sha256: str) -> int | None:
        """A stored evidence file's size; None when it is gone."""
        return pages.stored_file_size(self._session, sha256)

    def save_stored_file(self, sha256: str, target) -> int:
        """Write a stored evidence file to ``target``, a piece at a time; the bytes written."""
        return pages.save_stored_file(self._session, sha256, target)

    def file_fields(self, measure_key: str, path) -> dict:
        """An evidence file read into the session; the edit that adds its row commits it."""
        return pages.file_fields(self._session, measure_key, path)

    def new_session(self):
        """A session of its own on the same database, for work on another thread."""
        return pages.sibling_session(self._session)

    def read_only_reason(self) -> str:
        """Why :meth:`read_only`, as the pages say it; "" when editable."""
        if self._session.info.get("read_only"):
            return "پایگاه داده فقط برای خواندن باز است (فایل، پوشه یا دیسک آن نوشتنی نیست)؛ تغییری ثبت نمی‌شود."
        if self.assessment().status == "final":
            return FINAL_BANNER
        return ""

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

    # ---- finishing (committed, or refused and rolled back; then every page re-reads)
    def mark_complete(self) -> None:
        """Mark it complete; IncompleteError (with the gaps) or UserError when refused."""
        self._store_pending()  # committed with the step, or rolled back with it
        finishing.mark_complete(self._session, self.assessment(), self.framework())
        self._stored_now()
        self.reload()

    def finalize(self) -> None:
        self._store_pending()  # committed with the step, or rolled back with it
        finishing.finalize(self._session, self.assessment(), self.framework())
        self._stored_now()
        self.reload()

    def reopen(self, reason: str) -> None:
        finishing.reopen(self._session, self.assessment(), reason)
        self.reload()

    def record_applied(self, edits: list[Edit], inverses: list[Edit], text: str) -> None:
        """Edits another session has already committed (files stored off the GUI thread, each with
        its row): one undo step that undoes them all, nothing written again."""
        command = _EditCommand(self, _Edits(edits), text)
        command._inverse = _Edits(list(reversed(inverses)))
        command.on_stack = True
        self.undo_stack.push(_Pushed(command))
        self._card = None
        self.changed.emit(Changes.of_edits(self._uuid, {e.kind for e in edits}))

    def reload(self) -> None:
        """Forget cached scores and tell every page to re-read (after status changes etc.)."""
        self._card = None
        self._facts = None
        self._framework = None
        self.changed.emit(Changes.everything(self._uuid))

    def _run(self, edit: Edit, command: _EditCommand) -> Edit | None:
        try:
            try:
                self._store_pending()
                inverse = edit.apply(self._session)
                self._session.commit()
            except Exception as exc:
                # A full disk, a read-only file, another program's lock: the edit is not saved,
                # and the person is told so (the page shows the saved value again).
                problem = database_problem(exc)
                if not problem:
                    raise
                log.warning("an edit was not saved", exc_info=True)
                raise UserError(f"این تغییر ذخیره نشد. {problem}") from exc
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
        self._stored_now()
        self._card = None
        self._facts = None
        kinds = edit.kinds() if isinstance(edit, _Edits) else {edit.kind}
        self.changed.emit(Changes.of_edits(self._uuid, kinds))
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
