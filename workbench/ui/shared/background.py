"""The one way the window runs work off its thread (Anki's ``CollectionOp``, Picard's ``run_task``).

    task = run_task(work, on_success=..., on_failure=..., on_progress=..., new_session=store.new_session)

``work(job)`` runs on a thread of its own.  It reports with
``job.progress(*values)`` (``on_progress(*values)`` runs on the window's
thread), asks ``job.cancelled()`` between steps (or ``job.check()``, which
raises :class:`TaskCancelled`), and returns its result, handed to
``on_success(result)``.  With ``new_session`` the job gets ``job.session``, a
session of its own opened on the worker thread (a session belongs to one
thread: never the window's), rolled back and closed when the work ends, so
whatever the work did not commit is dropped.

Failures are put in words once, here (:func:`failure_message`): a
:class:`~workbench.model.errors.UserError` says its own Persian message; any
other exception is logged with its traceback and becomes a Persian sentence
(a damaged, locked or full database by name, else the task's ``unexpected``
text), handed to ``on_failure(message, unexpected)``.  The work raising a
cancel (:class:`TaskCancelled`, a report's or an import's) calls
``on_cancel()``.

Every task is in one registry until it has ended.  :func:`stop_all` — closing
the database or the window — cancels the read-only tasks at once and lets the
writing ones (``writes=True``) finish or roll back, then waits for every
thread: no database is closed under work that still uses it.  A task stopped
so ends ``"stopped"`` and none of its handlers runs; nor do they once its
``owner`` (the dialog or panel they update) is destroyed.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal

from workbench.model.errors import UserError
from workbench.model.problems import UNEXPECTED, database_problem

log = logging.getLogger("workbench")


class TaskCancelled(Exception):
    """Raised by :meth:`Job.check` once the task was cancelled."""


def _is_cancel(exc: BaseException) -> bool:
    from workbench.imports.findings import ImportCancelled
    from workbench.reports.progress import ReportCancelled

    return isinstance(exc, (TaskCancelled, ImportCancelled, ReportCancelled))


def failure_message(exc: BaseException, unexpected: str = UNEXPECTED) -> tuple[str, bool]:
    """(a Persian message, whether the failure was unexpected) — the one conversion of a task's error.

    Unexpected failures are logged with their traceback; their own text (often
    English, from SQLite or openpyxl) is never shown.
    """
    if isinstance(exc, UserError):
        return exc.message, False
    log.error("background work failed", exc_info=exc)
    return database_problem(exc) or unexpected, True


class Job:
    """What the work function is given: progress, cancel, and its own session when asked for."""

    def __init__(self, thread: "_Thread", stop: threading.Event):
        self._thread = thread
        self._stop = stop
        self.session = None

    def progress(self, *values) -> None:
        self._thread.progressed.emit(values)

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        """Raise :class:`TaskCancelled` once the task was cancelled."""
        if self._stop.is_set():
            raise TaskCancelled()


class _Thread(QThread):
    progressed = Signal(object)  # a tuple of values
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()

    def __init__(self, work: Callable, new_session: Callable | None, stop: threading.Event):
        super().__init__()
        self._work, self._new_session, self._stop = work, new_session, stop

    def run(self) -> None:
        job = Job(self, self._stop)
        try:
            if self._new_session is not None:
                job.session = self._new_session()
            try:
                result = self._work(job)
            finally:
                if job.session is not None:
                    job.session.rollback()  # what the work did not commit is dropped
                    job.session.close()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, never lost
            if _is_cancel(exc):
                self.cancelled.emit()
            else:
                self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


_running: set["Task"] = set()


class Task(QObject):
    """One piece of work on its own thread; see the module's docstring."""

    #: "done", "failed" or "cancelled" after its handler ran; "stopped" when :func:`stop_all` ended it.
    ended = Signal(str)

    def __init__(self, work: Callable, *, writes: bool = False, new_session: Callable | None = None,
                 on_success: Callable | None = None, on_failure: Callable | None = None,
                 on_progress: Callable | None = None, on_cancel: Callable | None = None,
                 unexpected: str = UNEXPECTED, name: str = "", owner: QObject | None = None):
        super().__init__()
        self.writes = writes
        self.name = name
        self.outcome = ""
        self._unexpected = unexpected
        self._handlers = {"success": on_success, "failure": on_failure, "progress": on_progress,
                          "cancel": on_cancel}
        self._stop = threading.Event()
        self.thread = _Thread(work, new_session, self._stop)
        queued = Qt.ConnectionType.QueuedConnection  # handlers run on the window's thread
        self.thread.progressed.connect(self._on_progress, queued)
        self.thread.succeeded.connect(self._on_succeeded, queued)
        self.thread.failed.connect(self._on_failed, queued)
        self.thread.cancelled.connect(self._on_cancelled, queued)
        if owner is not None:
            owner.destroyed.connect(self._owner_gone)

    def _owner_gone(self, *_args) -> None:
        """Whoever the handlers speak to is gone (a closed dialog): nothing to tell, nothing to read for."""
        self._handlers = dict.fromkeys(self._handlers)
        if not self.writes:
            self.cancel()

    def start(self) -> "Task":
        _running.add(self)
        self.thread.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next check (it decides; a writing task may finish)."""
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def is_running(self) -> bool:
        return not self.outcome

    def wait(self, ms: int = 120000) -> bool:
        return self.thread.wait(ms)

    # ---- from the thread, on the window's thread
    def _on_progress(self, values: tuple) -> None:
        if not self.outcome and self._handlers["progress"] is not None:
            self._handlers["progress"](*values)

    def _on_succeeded(self, result) -> None:
        self._end("done", "success", result)

    def _on_failed(self, exc: BaseException) -> None:
        if self.outcome:
            return
        message, unexpected = failure_message(exc, self._unexpected)
        self._end("failed", "failure", message, unexpected)

    def _on_cancelled(self) -> None:
        self._end("cancelled", "cancel")

    def _end(self, outcome: str, handler: str, *args) -> None:
        if self.outcome:  # stopped with its database: nothing more to say
            return
        self.thread.wait()  # its last signal is out; the thread is ending
        self.outcome = outcome
        _running.discard(self)
        try:
            if self._handlers[handler] is not None:
                self._handlers[handler](*args)
        finally:
            self.ended.emit(outcome)


def run_task(work: Callable, **options) -> Task:
    """Start ``work(job)`` on its own thread; see :class:`Task` for the options."""
    return Task(work, **options).start()


def running() -> list[Task]:
    return [t for t in _running if t.is_running()]


def stop_all(wait_ms: int = 120000) -> int:
    """Cancel the read-only tasks, let the writing ones finish, wait for every thread; how many there were."""
    tasks = list(_running)
    for task in tasks:
        if not task.writes:
            task.cancel()
    for task in tasks:
        task.wait(wait_ms)
        task.outcome = "stopped"
        _running.discard(task)
        task.ended.emit("stopped")
    return len(tasks)
