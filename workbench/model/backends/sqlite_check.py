"""A SQLite file's quick check run beside the window instead of before it (issue 16).

SQLite's ``PRAGMA quick_check`` reads the whole file: 0.3 s of CPU for a 2,500-agency
round, which the window paid before it showed anything.  Hardening's rule stands: a
damaged file is told in Persian and nothing is lost.  So when the window opens a file at
the current schema (``open_store(..., check_later=True)``):

* the check runs on a thread of its own, on a read-only connection of its own, started by the
  window once the round's totals are shown (:meth:`Store.start_check`; SQLite reads without
  Python's lock) — or by the first write, whichever comes first;
* until it has passed, **no statement that writes** runs on any connection of the store:
  an authorizer on every connection (:meth:`QuickCheck.authorize`) makes each INSERT,
  UPDATE, DELETE or schema change wait for the verdict — reads go on;
* a sound file: the writes waiting go on (the authorizers come off the connections as they
  are next taken from the pool); a damaged one: they are refused (SQLite's «not
  authorized», which :func:`~workbench.model.problems.database_kind` calls damage) and the
  window, told by :meth:`QuickCheck.when_done`, closes the file and says so in Persian.
  Nothing was written to it.

An upgrade writes, so a file of an older schema is checked before it, as before; the
commands check before they start, as before.  Closing the store stops the check where it
is (its progress handler) and waits for its thread.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

#: What SQLite's authorizer is asked before a statement that changes the file (or its schema).
WRITES = frozenset(
    getattr(sqlite3, f"SQLITE_{name}")
    for name in (
        "INSERT", "UPDATE", "DELETE", "ALTER_TABLE", "REINDEX", "ANALYZE",
        "CREATE_INDEX", "CREATE_TABLE", "CREATE_TRIGGER", "CREATE_VIEW", "CREATE_VTABLE",
        "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE", "CREATE_TEMP_TRIGGER", "CREATE_TEMP_VIEW",
        "DROP_INDEX", "DROP_TABLE", "DROP_TRIGGER", "DROP_VIEW", "DROP_VTABLE",
        "DROP_TEMP_INDEX", "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER", "DROP_TEMP_VIEW",
    )
)
#: SQLite steps between two looks at a stop (about a millisecond's work).
STOP_STEPS = 10_000


class QuickCheck:
    """``PRAGMA quick_check`` of one file on a thread; writes wait for its verdict."""

    def __init__(self, uri: str):
        self._uri = uri
        self._ended = threading.Event()
        self._stopping = False
        self._lock = threading.Lock()
        self._listeners: list[Callable[[list[str] | None], None]] = []
        #: None while running (or stopped before a verdict); [] sound; else what SQLite found.
        self.problems: list[str] | None = None
        #: Writes waited for the verdict (how many statements: what the tests count).
        self.waited = 0
        self._thread = threading.Thread(target=self._run, name="quick check", daemon=True)
        self._started = False

    def start(self) -> QuickCheck:
        """Start the check (once; later calls do nothing)."""
        with self._lock:
            if self._started or self._ended.is_set():
                return self
            self._started = True
        self._thread.start()
        return self

    @property
    def sound(self) -> bool:
        return self.problems == []

    def _run(self) -> None:
        problems: list[str] | None = None
        try:
            conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            try:
                conn.set_progress_handler(lambda: 1 if self._stopping else 0, STOP_STEPS)
                rows = conn.execute("PRAGMA quick_check(1)").fetchall()
            finally:
                conn.close()
            problems = [] if rows == [("ok",)] else [str(r[0]) for r in rows]
        except sqlite3.DatabaseError as exc:
            if not self._stopping:  # stopped: no verdict
                problems = [str(exc)]
        if problems:
            log.warning("quick check of %s: %s", self._uri, problems)
        with self._lock:
            self.problems = problems
            listeners, self._listeners = self._listeners, []
            self._ended.set()
        for listener in listeners:
            self._tell(listener)

    def _tell(self, listener: Callable[[list[str] | None], None]) -> None:
        try:
            listener(self.problems)
        except Exception:  # noqa: BLE001 - one listener's failure is logged, never the check's
            log.exception("a listener of the quick check failed")

    def when_done(self, listener: Callable[[list[str] | None], None]) -> None:
        """``listener(problems)`` once the verdict is known, on the check's thread (at once if it is):
        ``[]`` sound, a list of what SQLite found, ``None`` when the store closed first."""
        with self._lock:
            if not self._ended.is_set():
                self._listeners.append(listener)
                return
        self._tell(listener)

    def wait(self, timeout: float | None = None) -> bool:
        return self._ended.wait(timeout)

    def authorize(self, action: int, *_args) -> int:
        """SQLite's authorizer: a statement that writes waits for the verdict; refused unless sound."""
        if action not in WRITES or self.sound:
            return sqlite3.SQLITE_OK
        self.waited += 1
        self.start()  # a write before anyone started it: it starts now
        self._ended.wait()
        return sqlite3.SQLITE_OK if self.sound else sqlite3.SQLITE_DENY

    def stop(self) -> None:
        """Stop the check where it is (the store is closing) and wait for its thread and listeners."""
        self._stopping = True
        with self._lock:
            never = not self._started
            self._started = True  # it will not start now
        if never:  # no verdict: the listeners hear None, a waiting write is refused
            with self._lock:
                listeners, self._listeners = self._listeners, []
                self._ended.set()
            for listener in listeners:
                self._tell(listener)
        elif self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
