"""The one module that owns a store: opening, upgrading, sessions.

* A store is a SQLite file or a PostgreSQL database, named by a path or a URL
  (``backends/``); what differs between them lives in their backend object,
  never in ``if`` branches here or in the callers.
* An existing store is looked at read-only first (its schema revision; a
  SQLite file's quick check and what the file system lets us do): a damaged
  one is refused, one that cannot be written (a read-only file or folder, a
  full disk) is opened read-only, with :attr:`Store.read_only_because` saying why.
* The schema is versioned by Alembic (``migrations/``).  A store of an older
  schema is upgraded one step at a time, a SQLite file after a copy is left
  beside it (``NAME.before-REV.DATE.sqlite``); one of a newer, unknown schema
  is refused.
* Every flush stamps ``updated_at``/``updated_by``, writes the audit trail and
  leaves a tombstone for each deleted record, so merges can carry deletions
  (``audit.py``, whose listener is installed by importing this module).
"""
from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from workbench.model import audit  # noqa: F401 - installs the audit trail on every flush
from workbench.model.backends import Backend, backend_for, backend_of_dialect
from workbench.model.backends.sqlite import SQLITE_MAGIC, integrity_problems  # noqa: F401
from workbench.model.backup import backup_copy  # noqa: F401
from workbench.model.errors import StoreError
from workbench.model.problems import path_text
from workbench.model.revisions import MIGRATIONS_DIR, check_revision, head_revision, known_revisions  # noqa: F401
from workbench.model.revisions import alembic_config as _alembic_config  # noqa: F401
from workbench.model.revisions import revisions as _revisions  # noqa: F401
from workbench.model.schema import Meta, new_uuid

log = logging.getLogger(__name__)


class Store:
    """An open database.  Use :meth:`session` for a unit of work."""

    def __init__(self, backend: Backend, engine, actor: str = ""):
        self.backend = backend
        #: The file (SQLite) or the URL (a server): what :func:`open_store` takes to open it again.
        self.path = backend.path
        self.engine = engine
        self.actor = actor
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self.backup_path: Path | None = None
        #: :mod:`file_access`'s word for why the store is open read-only; "" when it is writable.
        self.read_only_because = ""

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_because)

    @property
    def display(self) -> str:
        """How messages name this store (a path, or a URL without its password)."""
        return self.backend.display

    def _start(self, session: Session) -> Session:
        session.info["actor"] = self.actor
        session.info["backend"] = self.backend
        session.info["read_only"] = self.read_only
        return session

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = self._start(self._factory())
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def new_session(self) -> Session:
        """A long-lived session (the window's); the caller commits and closes it."""
        return self._start(self._factory())

    def cancellable(self, session: Session, cancelled):
        """A block in which a statement of ``session`` stops (raises) once ``cancelled()`` is true
        (a SQLite file; a server's work stops at its own next check)."""
        return self.backend.cancellable(session, cancelled)

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return _current_revision(conn)

    def integrity_problems(self) -> list[str]:
        """The database's own check of itself (SQLite's quick check; the tables on a server)."""
        return self.backend.integrity_problems()

    def checkpoint(self) -> bool:
        """Make every committed change reach the database itself (a SQLite file's write-ahead log folded in).

        It never waits for a reader and never blocks a writer; True when everything reached it.
        """
        if self.read_only:
            return True
        return self.backend.checkpoint(self.engine)

    def close(self) -> None:
        """Close every connection; a SQLite file's last one folds the write-ahead log in and removes it."""
        self.backend.stop_check()
        if not self.read_only:
            with contextlib.suppress(DatabaseError, sqlite3.Error):
                self.checkpoint()
        self.engine.dispose()

    def start_check(self) -> None:
        """Start the quick check deferred by ``open_store(check_later=True)`` (once; the first write
        starts it otherwise)."""
        self.backend.start_check()

    def when_checked(self, listener) -> None:
        """``listener(problems)`` once the database's check of itself ended (``open_store(check_later=True)``;
        at once otherwise): ``[]`` sound, what was found (its writes were refused), ``None`` closed first."""
        self.backend.when_checked(listener)


def backend_of(session: Session) -> Backend:
    """The backend of the store ``session`` belongs to."""
    backend = session.info.get("backend")
    if backend is None:
        backend = backend_of_dialect(session.get_bind().dialect.name)
    return backend


def open_store(target: str | Path, actor: str = "", create: bool = True, check_later: bool = False) -> Store:
    """Open (creating or upgrading as needed) the database at ``target``: a file path or a URL.

    An existing database is looked at read-only first (:meth:`Backend.probe_revision`):
    damaged, foreign and newer ones are refused unchanged; one the file system
    does not let us write is opened read-only, with :attr:`Store.read_only_because`
    saying why (an older schema there is refused: it cannot be upgraded in place).

    ``check_later`` (the window): a SQLite file's quick check runs beside the work instead of
    before it (from :meth:`Store.start_check` or the first write), every write waiting for its
    verdict (:mod:`workbench.model.backends.sqlite_check`); :meth:`Store.when_checked` tells it.
    A file to upgrade is checked first all the same.
    """
    backend = backend_for(target)
    backend.check_later = check_later
    is_new = backend.is_new()
    if is_new and not create:
        backend.refuse_missing()
    backup = None
    if not is_new:
        current = backend.probe_revision()
        if current != head_revision():
            backend.check_now()  # an upgrade writes: the verdict first
            backup = backend.backup_before_upgrade(current)
        backend.defer_check()  # before the engine's first connection, whose writes wait for it
    else:
        backend.prepare_new()
    engine = backend.engine()
    store = Store(backend, engine, actor)
    store.backup_path = backup
    if backend.read_only_because:
        store.read_only_because = backend.read_only_because
        return store
    try:
        _migrate(store, is_new)
        with store.session() as s:
            store.actor = backend.actor(s, actor)
            if s.get(Meta, "device_id") is None:
                s.add(Meta(key="device_id", value=new_uuid()))
    except StoreError:
        backend.stop_check()
        engine.dispose()
        raise
    except (SQLAlchemyError, sqlite3.DatabaseError) as exc:
        backend.stop_check()
        engine.dispose()
        problem = backend.storage_problem(exc, backend.display)
        if problem:  # a full disk, a lock met on the first write, a server refusing: not damage
            raise StoreError(problem) from exc
        log.warning("opening %s failed", backend.display, exc_info=True)
        raise StoreError(backend.damaged()) from exc
    return store


@contextlib.contextmanager
def existing_database(target: str | Path, actor: str = "") -> Iterator[Session]:
    """One unit of work on a database that must already exist (the command line's way in).

    Missing, empty, a folder, not a workbench database, of a newer schema:
    refused with a :class:`StoreError` naming it.  Committed on success,
    rolled back on any error, and the database closed either way.
    """
    store = open_store(target, actor=actor, create=False)
    try:
        with store.session() as session:
            yield session
    finally:
        store.close()


def _current_revision(conn) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(store: Store, is_new: bool) -> None:
    head = head_revision()
    backend = store.backend
    with store.engine.connect() as conn:
        current = _current_revision(conn)
        has_tables = bool(inspect(conn).get_table_names())
    if current == head:
        return
    from alembic import command  # only to upgrade: importing it costs a sixth of the window's start-up

    # Checked again on the open connection: the database may have changed since the probe.
    check_revision(backend, current, has_tables)
    if current is not None and not is_new and store.backup_path is None:
        store.backup_path = backend.backup_before_upgrade(current)
    engine = backend.engine(transactional_ddl=True)
    try:
        with engine.begin() as conn:
            backend.upgrade_lock(conn)
            if _current_revision(conn) != head:  # another workbench may have upgraded it meanwhile
                command.upgrade(_alembic_config(conn), "head")
                backend.after_upgrade(conn)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        if store.backup_path is None:
            raise
        log.warning("upgrading %s failed", store.display, exc_info=True)
        raise StoreError(
            f"طرح پایگاه دادهٔ «{path_text(store.display)}» به‌روز نشد؛ {backend.unchanged} "
            f"نسخهٔ پشتیبان آن در «{path_text(store.backup_path)}» است."
        ) from exc
    finally:
        engine.dispose()


def get_meta(session: Session, key: str, default: str = "") -> str:
    row = session.get(Meta, key)
    return row.value if row else default


def set_meta(session: Session, key: str, value: str) -> None:
    session.merge(Meta(key=key, value=value))
