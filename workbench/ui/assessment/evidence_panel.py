"""Evidence (مستندات) of one measure: URLs, numbers, texts and files kept in the database.

Files are read into the database (stored once by SHA-256, see
``editing.file_evidence_fields``) so an evaluator's whole work stays one file.
When the files dropped or chosen together exceed :data:`BACKGROUND_BYTES`
they are stored in the background and added when they are in
(:mod:`workbench.ui.assessment.evidence_files`); the list itself is
:mod:`workbench.ui.assessment.evidence_model`.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.model.editing import Edit
from workbench.model.errors import UserError
from workbench.model.problems import describe, os_problem
from workbench.model.schema import new_uuid
from workbench.model.text import complete_url, persian_digits, url_problem
from workbench.ui.assessment.evidence_files import Landing, file_edits, file_size, files_text, store_files
from workbench.ui.assessment.evidence_model import (
    KIND_TITLES,
    EvidenceListModel,
    evidence_text,
    parse_number,
)
from workbench.ui.assessment.measure_inputs import ReflowRow, rtl
from workbench.ui.shared import file_dialogs
from workbench.ui.shared.background import run_task

#: The typed-evidence field's narrowest width (about a short URL); below it the buttons wrap.
INPUT_MIN_WIDTH = 150
#: Above this many bytes (all the files added at once) reading happens off the GUI thread.
BACKGROUND_BYTES = 8 * 1024 * 1024

_TIPS = {
    "url": "نشانی مستقیم صفحه، با http:// یا https:// (با کلید اینتر افزوده می‌شود)",
    "number": "عدد با رقم فارسی یا لاتین، مثلاً تعداد یا کد پیامکی (با کلید اینتر افزوده می‌شود)",
    "text": "توضیح کوتاه ارزیاب (با کلید اینتر افزوده می‌شود)",
}
#: The kinds typed into the panel's line edit (files have their own button).
TYPED_KINDS = ("url", "number", "text")
_PLACEHOLDERS = {
    # Latin only: the URL field reads left to right, where a Persian hint was cut from its start.
    "url": "https://…",
    "number": "عدد، مثلاً تعداد یا کد پیامکی",
    "text": "توضیح کوتاه ارزیاب",
}


class EvidencePanel(QWidget):
    """List, add (typed, file dialog, drag-and-drop), open and remove a measure's evidence."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setAcceptDrops(True)
        self._controller = controller
        self._measure = ""
        self._worker = None  # the background task storing files
        self._applying = False
        #: How a file or URL is shown to the user; tests replace it.
        self.open_url = QDesktopServices.openUrl

        self.model = EvidenceListModel(controller, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)  # Tab moves on, arrows move within (else Tab walks every cell)
        # Room for the header and two rows: the page gives a services or reform table the space first.
        self.view.setMinimumHeight(self.view.horizontalHeader().sizeHint().height()
                                   + 2 * self.view.verticalHeader().defaultSectionSize() + 4)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda index: self.open_evidence(index.row()))

        self.hint = QLabel("<b>مستندات</b>", self)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.kind = QComboBox(self)
        for kind in TYPED_KINDS:
            self.kind.addItem(KIND_TITLES[kind], kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.input = QLineEdit(self)
        self.input.setMinimumWidth(INPUT_MIN_WIDTH)
        self.input.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton("افزودن", self)
        self.add_button.clicked.connect(self.add_typed)
        self.file_button = QPushButton("افزودن فایل…", self)
        self.file_button.setToolTip("می‌توانید فایل‌ها را روی این بخش بکشید و رها کنید")
        self.file_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton("باز کردن", self)
        self.open_button.clicked.connect(lambda: self.open_evidence(self._selected_row()))
        self.remove_button = QPushButton("حذف…", self)
        self.remove_button.clicked.connect(lambda: self.remove_evidence(self._selected_row()))

        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote a file's name or a cell

        # One row of actions, so the list keeps the height; two when the panel is too narrow
        # for the typed field to stay readable.
        self.actions = ReflowRow(self)
        self.actions.first.addWidget(self.kind)
        self.actions.first.addWidget(self.input, 1)
        self.actions.first.addWidget(self.add_button)
        self.actions.second.addSpacing(12)
        self.actions.second.addWidget(self.file_button)
        self.actions.second.addWidget(self.open_button)
        self.actions.second.addWidget(self.remove_button)
        self.actions.second.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)

        self.view.selectionModel().selectionChanged.connect(self._update_enabled)
        self.model.modelReset.connect(self._update_enabled)
        self.model.modelReset.connect(self._show_added)
        controller.changed.connect(self._update_enabled)
        controller.refused.connect(self._on_refused)
        self._kind_changed()
        self._update_enabled()

    # ---- what is shown
    def set_measure(self, key: str, accepted: tuple[str, ...] = ()) -> None:
        """Show the evidence of measure ``key``; ``accepted`` are the guide's evidence kinds."""
        if key != self._measure:
            self.show_message("")
        self._measure = key
        self.model.set_measure(key)
        kinds = "، ".join(KIND_TITLES.get(k, k) for k in accepted)
        self.hint.setText(f"<b>مستندات</b> (قابل قبول برای این نماگر: {kinds})" if kinds else "<b>مستندات</b>")
        preferred = next((k for k in accepted if k in TYPED_KINDS), None)
        if preferred:
            self.kind.setCurrentIndex(TYPED_KINDS.index(preferred))
        self._update_enabled()

    def measure(self) -> str:
        return self._measure

    def focus_order(self) -> list[QWidget]:
        return [self.view, self.kind, self.input, self.add_button, self.file_button,
                self.open_button, self.remove_button]

    def busy(self) -> bool:
        return self._worker is not None

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setStyleSheet("color: #b71c1c;" if error else "color: #1b5e20;")
        self.message.setText(rtl(text))
        self.message.setVisible(bool(text))

    def _apply(self, edit: Edit, text: str) -> bool:
        self._applying = True
        try:
            return self._controller.apply(edit, text)
        finally:
            self._applying = False

    def _on_refused(self, text: str) -> None:
        if self._applying:
            self.show_message(text)
            self.model.refresh()  # evidence removed elsewhere leaves the list

    def comfortable_height(self) -> int:
        """The panel's height with the list showing its header and four rows (the page gives
        evidence at least this much where it can: at 768 pixels it showed two)."""
        rows = self.view.horizontalHeader().sizeHint().height() + 4 * self.view.verticalHeader().defaultSectionSize() + 4
        return self.minimumSizeHint().height() - self.view.minimumHeight() + rows

    def _show_added(self) -> None:
        """A file or note just added is on screen and selected, not below the list's fold."""
        row = self.model.added_row
        if row >= 0:
            index = self.model.index(row, 1)
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(index)

    def _selected_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _kind_changed(self, *_args) -> None:
        self.input.setPlaceholderText(_PLACEHOLDERS[self.kind.currentData()])
        self.input.setToolTip(_TIPS[self.kind.currentData()])
        url = self.kind.currentData() == "url"
        # URLs and numbers read left to right even in a right-to-left form.
        self.input.setLayoutDirection(Qt.LayoutDirection.LeftToRight if url else Qt.LayoutDirection.RightToLeft)

    def _update_enabled(self, *_args) -> None:
        editable = bool(self._measure) and not self._controller.read_only() and not self.busy()
        for widget in (self.kind, self.input, self.add_button, self.file_button):
            widget.setEnabled(editable)
        selected = self._selected_row() >= 0
        self.open_button.setEnabled(selected)
        self.remove_button.setEnabled(selected and editable)

    # ---- adding
    def _refuse_if_read_only(self) -> bool:
        if self._controller.read_only():
            final = self._controller.assessment().status == "final"
            self.show_message("این ارزیابی نهایی شده است و مستند تازه نمی‌پذیرد." if final
                              else self._controller.read_only_reason())
            return True
        return False

    def add_typed(self) -> bool:
        """Add what is typed in the line edit as the chosen kind; a Persian message when it is not valid."""
        if not self._measure or self._refuse_if_read_only():
            return False
        kind = self.kind.currentData()
        text = self.input.text().strip()
        fields = {"measure_key": self._measure, "kind": kind, "text": "", "number": None,
                  "blob_sha256": None, "filename": "", "mime": ""}
        if not text:
            self.show_message(f"{KIND_TITLES[kind]} را بنویسید؛ چیزی وارد نشده است.")
            return False
        if kind == "url":
            text = complete_url(text)
            problem = url_problem(text)
            if problem:
                self.show_message(problem)
                return False
            fields["text"] = text
        elif kind == "number":
            try:
                fields["number"] = parse_number(text)
            except ValueError:
                self.show_message(f"مقدار «{text}» عدد نیست؛ کدی مانند #۴*۱۲۳ را به‌صورت «متن» ثبت کنید.")
                return False
        else:
            fields["text"] = text
        done = self._apply(
            Edit("evidence_add", self._controller.assessment().uuid, new_uuid(), fields),
            f"افزودن {KIND_TITLES[kind]} به مستندات نماگر {persian_digits(self._measure)}",
        )
        if done:
            self.input.clear()
            self.show_message("")
        return done

    def choose_files(self) -> None:
        if not self._measure or self._refuse_if_read_only():
            return
        paths, _filter = file_dialogs.getOpenFileNames(self, "انتخاب فایل‌های مستند", "", "همهٔ فایل‌ها (*)",
                                                      purpose="evidence")
        if paths:
            self.add_files(paths)

    def add_files(self, paths) -> int:
        """Store ``paths`` as file evidence of the measure; how many were added (0 when sent off-thread)."""
        if not self._measure or self._refuse_if_read_only() or self.busy():
            return 0
        files, problems = [], []
        for p in map(Path, paths):
            if p.is_file():
                files.append(p)
            else:
                problems.append(f"«{p.name or p}» فایل نیست (پوشه‌ها پذیرفته نمی‌شوند).")
        if sum(file_size(p) for p in files) > BACKGROUND_BYTES:
            self._start_worker(files, problems)
            return 0
        fields = []
        for path in files:
            try:
                fields.append(self._controller.file_fields(self._measure, path))
            except UserError as exc:
                problems.append(exc.message)
        return self._apply_files(fields, problems)

    def _apply_files(self, fields: list[dict], problems: list[str]) -> int:
        added = 0
        if fields:
            self._applying = True
            try:
                # One transaction, one undo step, all or none.
                added = len(fields) if self._controller.apply_all(
                    file_edits(self._controller, fields), files_text(fields)) else 0
            finally:
                self._applying = False
        self._say_added(added, problems)
        return added

    def _say_added(self, added: int, problems: list[str]) -> None:
        if problems:
            self.show_message("\n".join(problems))
        elif added:
            self.show_message(f"{persian_digits(added)} فایل افزوده شد.", error=False)

    def _start_worker(self, files: list[Path], problems: list[str]) -> None:
        try:  # the rows the worker writes name the assessment: it must be stored first
            self._controller.ensure_stored()
        except Exception as exc:  # noqa: BLE001 - a full disk or a lock: said, nothing started
            self.show_message(f"فایل‌ها افزوده نشد. {describe(exc)}")
            return
        landing = Landing(self._controller, problems)
        self.progress.setRange(0, len(files))
        self.progress.setValue(0)
        self.progress.show()
        landing.landed.connect(self._on_landed)
        # Writing: closing the database lets it finish storing the file it is on.
        work = store_files(self._controller.assessment().uuid, self._measure, files)
        self._worker = run_task(work, writes=True, name="ذخیرهٔ فایل‌ها", owner=landing,
                                new_session=self._controller.new_session, on_success=landing.finished,
                                on_failure=landing.failed, on_progress=self._progress_for(landing))
        landing.worker = self._worker
        self._update_enabled()

    def _progress_for(self, landing):
        """Progress reaches this panel while it lives (the files still land when it is gone)."""
        landing.progressed.connect(self._on_progress)
        return landing.progressed.emit

    def _on_progress(self, done: int, name: str) -> None:
        self.progress.setValue(done)
        self.progress.setFormat(f"در حال خواندن «{name}» ({persian_digits(done + 1)} از {persian_digits(self.progress.maximum())})")

    def _on_landed(self, added: int, problems: list) -> None:
        self._worker = None
        self.progress.hide()
        self._update_enabled()
        self._say_added(added, problems)

    # ---- drag and drop
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            if self._measure and not self._controller.read_only():
                event.acceptProposedAction()
                return
        event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(paths)

    # ---- opening and removing
    def open_evidence(self, row: int) -> Path | None:
        """Show a file in the system's viewer (from a temporary copy) or a URL in the browser."""
        if row < 0:
            return None
        ev = self.model.evidence(row)
        if ev["kind"] == "url":
            self.open_url(QUrl(ev["text"]))
            return None
        if ev["kind"] != "file":
            self.show_message(evidence_text(ev), error=False)
            return None
        size = self._controller.stored_file_size(ev["blob_sha256"])
        if size is None:
            self.show_message(f"محتوای فایل «{ev['filename']}» در پایگاه داده پیدا نشد.")
            return None
        # One folder per file content, so two files of the same name never overwrite each other.
        folder = Path(tempfile.gettempdir()) / "evaluator-workbench" / ev["blob_sha256"][:16]
        target = folder / (Path(ev["filename"]).name or "evidence")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.stat().st_size != size:
                self._controller.save_stored_file(ev["blob_sha256"], target)  # streamed, 1 MiB at a time
        except OSError as exc:
            self.show_message(f"فایل «{ev['filename']}» برای نمایش نوشته نشد: {os_problem(exc)}.")
            return None
        self.open_url(QUrl.fromLocalFile(str(target)))
        return target

    def remove_evidence(self, row: int) -> bool:
        if row < 0 or self._refuse_if_read_only():
            return False
        ev = self.model.evidence(row)
        answer = QMessageBox.question(
            self,
            "حذف مستند",
            f"مستند «{evidence_text(ev)}» ({KIND_TITLES.get(ev['kind'], ev['kind'])}) حذف شود؟\n"
            "با «واگرد» (Ctrl+Z) می‌توانید آن را بازگردانید.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._apply(
            Edit("evidence_remove", self._controller.assessment().uuid, ev["uuid"]),
            f"حذف مستند «{evidence_text(ev)}» از نماگر {persian_digits(self._measure)}",
        )
