"""The supervisor's inbox: packages checked and previewed, then taken in as one merge.

Packages arrive from File ▸ «دریافت بسته‌ها…» or dropped on the window (or on
this dialog).  Each is first verified and previewed by
:func:`workbench.exchange.inbox.check` — the merge itself, run and rolled back —
so the list says per package its evaluator, computer, date, the agencies it
answers and its verdict (ready, already merged, superseded, refused and why),
and the preview says per agency what will be added, changed, left alone and
what will be a conflict: the merge's own counts.  «ادغام بسته‌های آماده»
takes them in as one batch (Edit ▸ «بازگردانی آخرین ادغام…» undoes it).
Both run off the window's thread with progress per package and a cancel that
leaves the master as it was (the merge's transaction is rolled back).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from workbench.exchange import inbox
from workbench.model.text import persian_digits
from workbench.ui.shared.background import TaskCancelled, run_task

TITLE = "دریافت بسته‌های ارزیابان"
PACKAGE_FILTER = "بستهٔ ارزیاب (*.wbp);;همهٔ فایل‌ها (*)"
PACKAGE_COLUMNS = ("فایل", "ارزیاب", "رایانهٔ ارزیاب", "تاریخ بسته", "دستگاه‌های اجرایی", "وضعیت", "توضیح")
PREVIEW_COLUMNS = ("ارزیاب", "دستگاه اجرایی", "افزوده", "تغییر", "بی‌تغییر", "تعارض")
PHASES = {"check": "بررسی بسته", "merge": "ادغام بسته"}


def local_paths(mime) -> list[str]:
    """The local files a drag carries (none of them when anything else is in it)."""
    if not mime.hasUrls():
        return []
    urls = mime.urls()
    return [u.toLocalFile() for u in urls] if all(u.isLocalFile() for u in urls) else []


class InboxDialog(QDialog):
    """``merged`` carries the MergeResult once a batch is committed."""

    merged = Signal(object)

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.setWindowTitle(TITLE)
        self.setAcceptDrops(True)
        self.resize(1300, 700)
        self.paths: list[str] = []
        self.result = None  # the last check's or merge's MergeResult
        self.merged_result = None
        self.task = None
        self.reports: list[tuple[str, int, int]] = []  # (phase, n, total) as the progress said them

        self.packages = _table(PACKAGE_COLUMNS, self, stretch=len(PACKAGE_COLUMNS) - 1)
        self.preview = _table(PREVIEW_COLUMNS, self, stretch=1)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.progress_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.add_button = QPushButton("افزودن بسته…", self)
        self.merge_button = QPushButton("ادغام بسته‌های آماده", self)
        self.cancel_button = QPushButton("لغو", self)
        self.close_button = QPushButton("بستن", self)
        self.add_button.clicked.connect(lambda: self.add(self._ask_paths()))
        self.merge_button.clicked.connect(self.take_in)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = _titled("بسته‌ها (رها کردن فایل‌ها روی این پنجره هم آن‌ها را می‌افزاید)", self.packages, splitter)
        bottom = _titled("پیش‌نمایش ادغام، دستگاه به دستگاه (پیش از آنکه چیزی نوشته شود)", self.preview, splitter)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([250, 400])  # the preview has a row per agency: the more room
        buttons = QHBoxLayout()
        for b in (self.add_button, self.merge_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_label)
        progress.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addLayout(progress)
        layout.addLayout(buttons)
        self._busy(False)

    # ------------------------------------------------------------------ packages in
    def _ask_paths(self) -> list[str]:
        return QFileDialog.getOpenFileNames(self, TITLE, "", PACKAGE_FILTER)[0]

    def add(self, paths) -> None:
        """Add packages (a repeat is listed once) and check them all again."""
        new = [str(Path(p)) for p in paths if str(Path(p)) not in self.paths]
        if not new:
            return
        self.paths += new
        self.check()

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if local_paths(event.mimeData()) and not self.busy():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = local_paths(event.mimeData())
        if paths and not self.busy():
            event.acceptProposedAction()
            self.add(paths)

    # ------------------------------------------------------------------ the work
    def busy(self) -> bool:
        return self.task is not None

    def check(self):
        """Verify and preview every package (nothing written), off the window's thread."""
        paths = list(self.paths)

        def work(job):
            result = self._run(job, lambda: inbox.check(job.session, paths, self._reporter(job), job.cancelled,
                                                         self._waiter(job)))
            codes = [c for o in result.packages for c in o.per_agency]
            return result, inbox.agency_names(job.session, codes)

        return self._start(work, False, lambda answer: self._show(*answer, dry_run=True))

    def take_in(self):
        """Merge the packages as one batch; committed only when all of it is done."""
        if self.result is None or not any(o.status == "merged" for o in self.result.packages):
            return None
        paths = list(self.paths)  # checked again by the merge itself: what is refused stays listed, and why
        by = self.window.store.actor

        def work(job):
            result = self._run(job, lambda: inbox.take_in(job.session, paths, by, self._reporter(job), job.cancelled,
                                                           self._waiter(job)))
            job.session.commit()
            codes = [c for o in result.packages for c in o.per_agency]
            return result, inbox.agency_names(job.session, codes)

        def done(answer) -> None:
            self._show(*answer, dry_run=False)
            self.merged_result = answer[0]
            self.merged.emit(answer[0])

        return self._start(work, True, done)

    @staticmethod
    def _run(job, merge):
        from workbench.exchange.package import Cancel

        try:
            return merge()
        except Cancel:
            raise TaskCancelled() from None

    @staticmethod
    def _reporter(job):
        return lambda phase, n, total, outcome: job.progress(phase, n, total, Path(outcome.file).name)

    @staticmethod
    def _waiter(job):
        """Another supervisor is writing an agency of these packages: said while this one waits (cancel works)."""
        return lambda holder, agency: job.progress("wait", 0, 0, inbox.waiting_text(holder, agency))

    def _start(self, work, writes: bool, on_done):
        self.reports = []
        self._busy(True)

        def done(answer) -> None:
            self.task = None
            self._busy(False)
            on_done(answer)

        def failed(message: str, _unexpected: bool) -> None:
            self.task = None
            self._busy(False)
            self.summary.setText(message)

        def cancelled() -> None:
            self.task = None
            self._busy(False)
            self.summary.setText("لغو شد؛ پایگاه دادهٔ اصلی همان است که بود.")

        self.task = run_task(work, writes=writes, new_session=self.window.store.new_session, name=TITLE,
                             on_success=done, on_failure=failed, on_cancel=cancelled, on_progress=self._progressed,
                             owner=self)
        return self.task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.progress_label.setText("در حال لغو…")

    def _progressed(self, phase: str, n: int, total: int, name: str) -> None:
        self.reports.append((phase, n, total))
        if phase == "wait":
            self.progress.setRange(0, 0)
            self.progress_label.setText(name)
            return
        self.progress.setRange(0, total)
        self.progress.setValue(n)
        self.progress.setFormat(f"{persian_digits(n)} از {persian_digits(total)}")
        self.progress_label.setText(f"{PHASES[phase]}: {name}")

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.progress_label.setText("…")
        self.cancel_button.setEnabled(busy)
        self.add_button.setEnabled(not busy)
        ready = self.result is not None and self.result.dry_run and any(
            o.status == "merged" for o in self.result.packages)
        self.merge_button.setEnabled(not busy and ready)

    # ------------------------------------------------------------------ showing
    def _show(self, result, names: dict[str, str], dry_run: bool) -> None:
        self.result = result
        self.packages.setRowCount(len(result.packages))
        rows = []
        for r, o in enumerate(result.packages):
            cells = (Path(o.file).name, o.evaluator, o.device[:8], inbox.when_text(o.exported_at),
                     persian_digits("، ".join(o.answers)), inbox.verdict_text(o, dry_run), inbox.reasons_text(o))
            for c, text in enumerate(cells):
                item = _item(text)
                if c == 2:
                    item.setToolTip(o.device)
                self.packages.setItem(r, c, item)
            for code, counts in o.per_agency.items():
                rows.append((o.evaluator, f"{persian_digits(code)} {names.get(code, '')}", counts))
        self.preview.setRowCount(len(rows))
        for r, (who, agency, counts) in enumerate(rows):
            for c, value in enumerate((who, agency, counts.added, counts.updated, counts.unchanged, counts.conflicts)):
                item = _item(persian_digits(value) if isinstance(value, int) else value)
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.preview.setItem(r, c, item)
        self.packages.resizeRowsToContents()
        self._busy(False)
        self.summary.setText(self._summary(result, dry_run))

    @staticmethod
    def _summary(result, dry_run: bool) -> str:
        counts: dict[str, int] = {}
        for o in result.packages:
            counts[inbox.verdict_text(o, dry_run)] = counts.get(inbox.verdict_text(o, dry_run), 0) + 1
        parts = "، ".join(f"{k}: {persian_digits(v)}" for k, v in counts.items())
        total = sum(o.conflicts for o in result.packages if o.status == "merged")
        head = "پیش‌نمایش" if dry_run else "ادغام انجام شد"
        return f"{head} — {parts}؛ تعارض: {persian_digits(total)}"


def _table(columns, parent, stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _titled(title: str, table: QTableWidget, parent):
    from PySide6.QtWidgets import QWidget

    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(f"<b>{title}</b>", box))
    layout.addWidget(table, 1)
    return box


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item
