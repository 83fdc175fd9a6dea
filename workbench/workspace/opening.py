"""Opening a database (a file or a server's URL) as a workspace: the window's way in, and the commands'.

:func:`open_workspace` opens (or creates) the store (which runs its own check
of an existing one — SQLite's quick check of the whole file — and opens one it
may not write read-only), gives a new file a round of the default framework,
finds the latest round and reads its agency list.  Whatever refuses it — a
missing file, not a workbench database, made by a newer workbench, damaged
anywhere — is a :class:`~workbench.model.errors.UserError` with a Persian
message naming it, and nothing is left open.

A :class:`Workspace` holds the store and the one long-lived session that
the window's pages read through; background work opens sessions of its own
(:meth:`Workspace.new_session`), since a session belongs to one thread.
"""
from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from workbench.model.assessments import create_round, find_round
from workbench.model.backends import backend_for, database_location
from workbench.model.errors import UserError
from workbench.model.file_access import damaged
from workbench.model.framework import load_default_framework
from workbench.model.jalali import jalali_year, today
from workbench.model.maintenance import collect_orphans, unnamed_by_rows
from workbench.model.problems import DAMAGED, database_problem, path_text
from workbench.model.schema import Agency, Assessment, Round, new_uuid
from workbench.model.store import Store, existing_database, open_store
from workbench.workspace.agencies import AgencyRow, agency_rows

log = logging.getLogger("workbench")


class Workspace:
    """One open database: its store, the window's long-lived session, the round on screen."""

    def __init__(self, store: Store, session: Session, round_uuid: str = "", round_year: int | None = None):
        self.store = store
        self.session = session
        self.round_uuid = round_uuid
        self.round_year = round_year
        self.first_rows: list[AgencyRow] = []  # the agency list read while opening

    @property
    def path(self) -> Path | str:
        """The file, or the server's URL: what opens it again."""
        return self.store.path

    @property
    def actor(self) -> str:
        return self.store.actor

    def set_actor(self, actor: str) -> None:
        """Who the audit trail names from now on, in the window's session and in every new one.

        Checked as on opening (:meth:`Backend.actor`: on a server, the name the role carries);
        a refusal is a :class:`UserError` and the name stays as it was."""
        actor = self.store.backend.actor(self.session, actor)
        self.store.actor = actor
        self.session.info["actor"] = actor

    @property
    def display(self) -> str:
        """How to name it to the user (a path, or a URL without its password)."""
        return self.store.display

    @property
    def short_name(self) -> str:
        """For a window title: the file's name, or the database's name and host."""
        return self.store.backend.short_name

    @property
    def remembered(self) -> str:
        """What a list of recent databases keeps to open it again (never a password)."""
        return self.store.backend.remembered

    def new_session(self) -> Session:
        """A session of its own (for work on another thread); the caller closes it."""
        return self.store.new_session()

    def agency_rows(self) -> list[AgencyRow]:
        """The round's agencies with their statuses, read afresh (after an import)."""
        self.session.expire_all()
        return agency_rows(self.session, self.round_uuid)

    def agency(self, agency_uuid: str) -> Agency | None:
        return self.session.get(Agency, agency_uuid) if agency_uuid else None

    def round(self) -> Round | None:
        return self.session.get(Round, self.round_uuid) if self.round_uuid else None

    def status_of(self, agency_uuid: str) -> str:
        """The status of the agency's assessment of the round; "" when it has none yet."""
        status = self.session.scalar(
            select(Assessment.status).where(Assessment.round_uuid == self.round_uuid,
                                            Assessment.agency_uuid == agency_uuid)
        )
        return status or ""

    def assessment_of(self, agency_uuid: str, evaluator: str = "") -> str | Assessment:
        """The uuid of the agency's assessment of the round; when it has none, a new draft *not yet
        stored* (the caller stores it with its first edit), its evaluator ``evaluator``: browsing the
        list never makes a draft that reports would list as not final and a merge would carry."""
        uuid = self.session.scalar(
            select(Assessment.uuid).where(Assessment.round_uuid == self.round_uuid,
                                          Assessment.agency_uuid == agency_uuid)
        )
        if uuid is not None:
            return uuid
        return Assessment(uuid=new_uuid(), round_uuid=self.round_uuid, agency_uuid=agency_uuid, status="draft",
                          evaluator=evaluator, visit_date=None)

    def rule_breaches(self) -> int:
        """Stored not-applicables of the open round that break the guide's rules (``na_check``):
        kept from an older database or a merge, listed (Reports ▸ N/A), never changed."""
        from workbench.model.na_check import na_violations

        rnd = self.round()
        return len(na_violations(self.session, rnd)) if rnd is not None else 0

    def expire(self) -> None:
        """Forget what the session remembers (rows another session replaced, e.g. by an import)."""
        self.session.expire_all()

    def rollback(self) -> None:
        """After an unexpected error: the session usable again."""
        self.session.rollback()

    def close(self) -> None:
        self.session.close()
        self.store.close()


def open_workspace(path: Path | str, create: bool = False, actor: str = "", check_later: bool = False) -> Workspace:
    """Open ``path``, a file or a server's URL (a new file gets a round of the default framework);
    UserError if it cannot.  ``check_later``: see :func:`~workbench.model.store.open_store` (the
    window is told the verdict by ``workspace.store.when_checked``)."""
    path = database_location(str(path))
    backend = backend_for(path)
    try:
        is_new = backend.is_new()
        if is_new and not create:
            backend.refuse_missing()
        store = open_store(path, actor=actor, create=create, check_later=check_later)
    except (sqlite3.Error, SQLAlchemyError, OSError) as exc:  # what the store does not put in words
        raise UserError(_cannot_open(backend.display, exc)) from exc
    session = store.new_session()
    try:
        if is_new and session.scalar(select(Round.uuid).limit(1)) is None:
            framework = load_default_framework()
            year = int(framework.version) if framework.version.isdigit() else jalali_year(today())
            create_round(session, year, framework)
            session.commit()
        try:
            rnd = find_round(session)
        except UserError:
            rnd = None
        workspace = Workspace(store, session, rnd.uuid if rnd is not None else "", rnd.year if rnd is not None else None)
        workspace.first_rows = agency_rows(session, workspace.round_uuid)
        if not is_new:  # only when there is something to collect does it write (and so wait for the check)
            _collect_orphans(store)
    except (sqlite3.Error, SQLAlchemyError, OSError) as exc:
        session.close()
        store.close()
        raise UserError(_cannot_open(store.display, exc)) from exc
    except Exception:
        session.close()
        store.close()
        raise
    return workspace


def _collect_orphans(store: Store) -> None:
    """At start, when cheap: evidence files an older version left stored without a row (see
    :mod:`workbench.model.maintenance`).  Nothing of this process can hold an undo step yet."""
    if store.read_only:
        return
    try:
        with store.session() as session:
            if unnamed_by_rows(session):
                count, size = collect_orphans(session)
                if count:
                    log.info("removed %d evidence files nothing names (%d bytes)", count, size)
    except (sqlite3.Error, SQLAlchemyError):  # a lock or a full disk: `workbench maintain` does it later
        log.warning("collecting unnamed evidence files at start failed", exc_info=True)


@contextlib.contextmanager
def unit_of_work(path: str | Path, actor: str = "") -> Iterator[Session]:
    """The commands' way in: one unit of work on a database file that must already exist.

    Committed on success, rolled back on any error, closed either way; a file
    that is missing, not a workbench database or of a newer schema is refused
    with a message naming it (see :func:`workbench.model.store.existing_database`).
    """
    with existing_database(path, actor=actor) as session:
        yield session


def _cannot_open(path: Path | str, exc: BaseException) -> str:
    """A Persian reason for a database error while opening ``path`` (details to the log)."""
    log.warning("opening %s failed", path, exc_info=exc)
    problem = database_problem(exc)
    if problem == DAMAGED:
        return damaged(path)
    return f"پایگاه دادهٔ «{path_text(path)}» باز نشد. " + (problem or "فایل خوانده نشد یا پایگاه دادهٔ میز کار نیست.")
