"""The one module that owns a database file: opening, upgrading, sessions.

* SQLite with foreign keys on, WAL journal and ``synchronous=FULL``: a crash
  or power cut mid-write loses at most the transaction being written.
* The schema is versioned by Alembic (``migrations/``).  A file of an older
  schema is copied aside (``NAME.before-REV.sqlite``) and then upgraded one
  step at a time; a file of a newer, unknown schema is refused.
* Every flush stamps ``updated_at``/``updated_by``, writes the audit trail and
  leaves a tombstone for each deleted record, so merges can carry deletions
  (``audit.py``, whose listener is installed by importing this module).
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from workbench.model import audit  # noqa: F401 - installs the audit trail on every flush
from workbench.model.backup import backup_copy
from workbench.model.errors import StoreError
from workbench.model.file_access import (
    DISK_FULL,
    READ_ONLY_FOLDER,
    WRITABLE,
    access_of,
    cannot_open,
    damaged,
    needs_upgrade,
)
from workbench.model.problems import os_problem, path_text, storage_problem
from workbench.model.schema import Meta, new_uuid

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"


def _alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION_LINE = re.compile(r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:['"]([^'"]*)['"]|None)""", re.M)


@functools.lru_cache(maxsize=1)
def _revisions() -> dict[str, str | None]:
    """Revision -> the one it follows, read from the migration files' own lines.

    Opening a file asks only which revisions exist and which is the head: importing
    alembic for that (it brings every dialect of SQLAlchemy along) was a sixth of the
    window's start-up.  Alembic itself runs only when a file is upgraded; a test holds
    this reading to alembic's.
    """
    chain = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict((name, value or None) for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            chain[found["revision"]] = found.get("down_revision")
    return chain


def head_revision() -> str:
    chain = _revisions()
    (head,) = set(chain) - set(chain.values())
    return head


def known_revisions() -> list[str]:
    return list(_revisions())


class Store:
    """An open database file.  Use :meth:`session` for a unit of work."""

    def __init__(self, path: Path, engine: Engine, actor: str = ""):
        self.path = path
        self.engine = engine
        self.actor = actor
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self.backup_path: Path | None = None
        #: :mod:`file_access`'s word for why the file is open read-only; "" when it is writable.
        self.read_only_because = ""

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_because)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = self._factory()
        session.info["actor"] = self.actor
        session.info["read_only"] = self.read_only
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
        session = self._factory()
        session.info["actor"] = self.actor
        session.info["read_only"] = self.read_only
        return session

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return _current_revision(conn)

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the database file, so a copy of the file alone holds everything.

        PASSIVE: it never waits for a reader (the window's background scoring)
        and never blocks a writer; True when every committed page reached the file.
        """
        if self.read_only:
            return True
        with self.engine.connect() as conn:
            busy, log_pages, done = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        return not busy and log_pages == done

    def close(self) -> None:
        """Close every connection; the last one folds the write-ahead log in and removes it."""
        if not self.read_only:
            with contextlib.suppress(DatabaseError, sqlite3.Error):
                self.checkpoint()
        self.engine.dispose()


def open_store(path: str | Path, actor: str = "", create: bool = True) -> Store:
    """Open (creating or upgrading as needed) the database at ``path``.

    An existing file is looked at read-only first: SQLite's quick check reads
    all of it (a damaged file is refused, as the window refuses it), and one the
    file system does not let us write (a read-only file or folder, a full disk)
    is opened read-only, with :attr:`Store.read_only_because` saying why.
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"«{path_text(path)}» یک پوشه است، نه فایل پایگاه داده")
    is_new = not path.exists() or path.stat().st_size == 0
    if is_new and not create:
        if path.exists():
            raise StoreError(f"فایل «{path_text(path)}» خالی است و پایگاه داده‌ای در آن نیست")
        raise StoreError(f"پایگاه داده «{path_text(path)}» وجود ندارد")
    backup = None
    access = WRITABLE
    if not is_new:
        _check_is_sqlite(path)
        access = access_of(path)
        # Decide with a read-only look first: the engine's first connection
        # switches the file to WAL, which rewrites its header, and a file we
        # refuse (or are about to upgrade) must stay exactly as it was.
        current = _probe_revision(path, access)
        if current != head_revision():
            if access != WRITABLE:
                raise StoreError(needs_upgrade(path, access))
            backup = backup_copy(path, f"before-{current}")
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"پوشهٔ «{path_text(path.parent)}» ساخته نشد: {os_problem(exc)}") from exc
    engine = _engine(path, read_only=access)
    store = Store(path, engine, actor)
    store.backup_path = backup
    if access != WRITABLE:
        store.read_only_because = access
        return store
    try:
        _migrate(store, is_new)
        with store.session() as s:
            if s.get(Meta, "device_id") is None:
                s.add(Meta(key="device_id", value=new_uuid()))
    except StoreError:
        engine.dispose()
        raise
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        problem = storage_problem(exc, path)
        if problem:  # a full disk or a lock met on the first write, not damage
            raise StoreError(problem) from exc
        log.warning("opening %s failed", path, exc_info=True)
        raise StoreError(damaged(path)) from exc
    return store


@contextlib.contextmanager
def existing_database(path: str | Path, actor: str = "") -> Iterator[Session]:
    """One unit of work on a database file that must already exist (the command line's way in).

    Missing, empty, a folder, not a workbench database, of a newer schema:
    refused with a :class:`StoreError` naming the file.  Committed on success,
    rolled back on any error, and the file closed either way.
    """
    store = open_store(path, actor=actor, create=False)
    try:
        with store.session() as session:
            yield session
    finally:
        store.close()


def _check_is_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"فایل «{path_text(path)}» باز نشد: {os_problem(exc)}") from exc
    if head != SQLITE_MAGIC:
        raise StoreError(f"فایل «{path_text(path)}» پایگاه دادهٔ میز کار ارزیاب نیست (فایل SQLite نیست)")


def _probe_revision(path: Path, access: str = WRITABLE) -> str | None:
    """The schema revision of an existing file, read without writing to it.

    Refuses (with :class:`StoreError`) a damaged file (SQLite's quick check reads
    the whole file once: about 0.3 s for a 2,500-agency round), a database of
    some other program, and one made by a newer workbench.
    """
    # A read-only reader of a WAL file creates empty -wal/-shm files it cannot remove; remove ours.
    companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = [c.exists() for c in companions]
    try:
        conn = sqlite3.connect(_read_only_uri(path, access), uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            row = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        log.warning("reading %s failed", path, exc_info=True)
        if access != WRITABLE and "unable to open" in str(exc):
            raise StoreError(cannot_open(path, access)) from exc
        raise StoreError(damaged(path)) from exc
    finally:
        if not any(existed) and companions[0].exists() and companions[0].stat().st_size == 0:
            for c in companions:
                c.unlink(missing_ok=True)
    if verdict != ("ok",):
        log.warning("quick check of %s: %s", path, verdict)
        raise StoreError(damaged(path))
    current = row[0] if row else None
    _check_revision(path, current, bool(tables))
    return current


def _read_only_uri(path: Path, access: str) -> str:
    """A URI that opens ``path`` for reading only.

    Where no file can be made beside it (a read-only folder, a full disk) and no
    write-ahead log is waiting, it is opened ``immutable``: SQLite then needs no
    ``-shm`` file, and no one can be writing it (a writer needs that file too).
    """
    uri = f"{path.absolute().as_uri()}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    no_new_files = access in (READ_ONLY_FOLDER, DISK_FULL) or not os.access(path.parent, os.W_OK | os.X_OK)
    if no_new_files and not (wal.exists() and wal.stat().st_size > 0):
        uri += "&immutable=1"
    return uri


def _check_revision(path: Path, current: str | None, has_tables: bool) -> None:
    """Refuse a database of some other program and one made by a newer workbench."""
    if current is None and has_tables:
        raise StoreError(f"فایل «{path_text(path)}» پایگاه دادهٔ میز کار ارزیاب نیست (نسخهٔ طرح ندارد)")
    if current is not None and current not in known_revisions():
        raise StoreError(
            f"پایگاه دادهٔ «{path_text(path)}» با نسخهٔ تازه‌تری از میز کار ارزیاب ساخته شده است "
            f"(طرح {current})؛ برای باز کردن آن برنامه را به‌روز کنید. فایل تغییری نکرد."
        )


def _engine(path: Path, transactional_ddl: bool = False, read_only: str = WRITABLE) -> Engine:
    """An engine on ``path``; with ``transactional_ddl`` a schema change is all or nothing.

    Python's sqlite3 opens a transaction only before INSERT, UPDATE or DELETE,
    so the CREATE and ALTER statements of an upgrade would each commit on
    their own, and one failing half way (a full disk, a broken migration)
    would leave a half-upgraded file that no later upgrade can finish.  SQLite
    itself can roll schema changes back; the upgrade's engine lets it.
    """
    if read_only != WRITABLE:
        # The URL still names the plain path (workers of a whole-round report open it again by that).
        uri = _read_only_uri(path, read_only)
        engine = create_engine(f"sqlite:///{path}", future=True,
                               creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    else:
        engine = create_engine(f"sqlite:///{path}", future=True)

    if transactional_ddl:
        @event.listens_for(engine, "begin")
        def _begin(conn):  # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        if transactional_ddl:
            dbapi_conn.isolation_level = None  # the "begin" event above opens the transaction
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if read_only == WRITABLE:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    return engine


def _current_revision(conn) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(store: Store, is_new: bool) -> None:
    head = head_revision()
    with store.engine.connect() as conn:
        current = _current_revision(conn)
        has_tables = bool(inspect(conn).get_table_names())
    if current == head:
        return
    from alembic import command  # only to upgrade: importing it costs a sixth of the window's start-up

    # Checked again on the open connection: the file may have changed since the probe.
    _check_revision(store.path, current, has_tables)
    if current is not None and not is_new and store.backup_path is None:
        store.backup_path = backup_copy(store.path, f"before-{current}")
    engine = _engine(store.path, transactional_ddl=True)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        if store.backup_path is None:
            raise
        log.warning("upgrading %s failed", store.path, exc_info=True)
        raise StoreError(
            f"طرح پایگاه دادهٔ «{path_text(store.path)}» به‌روز نشد؛ فایل تغییری نکرد "
            f"و نسخهٔ پشتیبان آن در «{path_text(store.backup_path)}» است."
        ) from exc
    finally:
        engine.dispose()


def get_meta(session: Session, key: str, default: str = "") -> str:
    row = session.get(Meta, key)
    return row.value if row else default


def set_meta(session: Session, key: str, value: str) -> None:
    session.merge(Meta(key=key, value=value))


def integrity_problems(path: Path) -> list[str]:
    """SQLite's own check of a file; an empty list when it is sound."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == [("ok",)] else [r[0] for r in rows]
