"""A store in one SQLite file: the evaluator's laptop and a supervisor working alone.

* Foreign keys on, WAL journal and ``synchronous=FULL``: a crash or power cut
  mid-write loses at most the transaction being written.
* An existing file is looked at read-only first (its header, its schema
  revision, SQLite's quick check of all of it); one the file system does not
  let us write (a read-only file or folder, a full disk) is opened read-only
  (:attr:`SqliteBackend.read_only_because`), one of an older schema is copied
  aside (``NAME.before-REV.DATE.sqlite``) before it is upgraded.
* Evidence files go in and out through SQLite's incremental blob I/O, one
  :data:`CHUNK_BYTES` piece at a time, so a file is never held whole (into a
  ``blob_chunks`` row of its own: see :meth:`SqliteBackend.write_blob`).
"""
from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from workbench.model.backends.base import CHUNK_BYTES, Backend
from workbench.model.backends.sqlite_check import QuickCheck
from workbench.model.backup import backup_copy, backup_to
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
from workbench.model.problems import os_problem, path_text
from workbench.model.revisions import check_revision
from workbench.model.schema import utcnow

log = logging.getLogger(__name__)
SQLITE_MAGIC = b"SQLite format 3\x00"
#: How many of SQLite's steps run between two looks at a cancel (about a millisecond's work).
CANCEL_STEPS = 10_000


class SqliteBackend(Backend):
    dialect = "sqlite"
    unchanged = "فایل تغییری نکرد."

    def __init__(self, path: Path):
        super().__init__(Path(path))
        #: :mod:`file_access`'s word for what the file system lets us do (known after :meth:`probe_revision`).
        self.access = WRITABLE
        #: The quick check running beside the work (``check_later``), once started.
        self.quick: QuickCheck | None = None

    @property
    def read_only_because(self) -> str:
        return "" if self.access == WRITABLE else self.access

    @property
    def noun(self) -> str:
        return f"فایل «{path_text(self.target)}»"

    @property
    def short_name(self) -> str:
        return self.target.name

    @property
    def remembered(self) -> str:
        return str(self.target.resolve())

    # ---- opening
    def is_new(self) -> bool:
        path = self.target
        if path.is_dir():
            raise StoreError(f"«{path_text(path)}» یک پوشه است، نه فایل پایگاه داده")
        return not path.exists() or path.stat().st_size == 0

    def refuse_missing(self) -> None:
        if self.target.exists():
            raise StoreError(f"فایل «{path_text(self.target)}» خالی است و پایگاه داده‌ای در آن نیست")
        raise StoreError(f"پایگاه داده «{path_text(self.target)}» وجود ندارد")

    def prepare_new(self) -> None:
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"پوشهٔ «{path_text(self.target.parent)}» ساخته نشد: {os_problem(exc)}") from exc

    def probe_revision(self) -> str | None:
        """Read the revision with a read-only look: the engine's first connection switches the
        file to WAL, which rewrites its header, and a file we refuse (or are about to upgrade)
        must stay exactly as it was.  SQLite's quick check reads the whole file once (about
        0.3 s for a 2,500-agency round): a damaged file is refused as the window refuses it."""
        path = self.target
        _check_is_sqlite(path)
        self.access = access = access_of(path)
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
                # Later, beside the window (sqlite_check): only for a file already in WAL mode,
                # which the engine's connections leave as it is (they would switch another).
                self.check_later = self.check_later and _in_wal_mode(path)
                verdict = ("ok",) if self.check_later else conn.execute("PRAGMA quick_check(1)").fetchone()
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
        check_revision(self, current, bool(tables))
        return current

    def backup_before_upgrade(self, current: str | None) -> Path | None:
        if self.access != WRITABLE:  # it cannot be upgraded where it is
            raise StoreError(needs_upgrade(self.target, self.access))
        return backup_copy(self.target, f"before-{current}")

    def suggested_copy(self, label: str) -> Path:
        path = self.target
        return path.with_name(f"{path.stem}-{label}{path.suffix or '.sqlite'}")

    def snapshot(self, target: Path) -> Path:
        return backup_to(self.target, target)

    def damaged(self) -> str:
        return damaged(self.target)

    def engine(self, transactional_ddl: bool = False) -> Engine:
        """An engine on the file; with ``transactional_ddl`` a schema change is all or nothing.

        Python's sqlite3 opens a transaction only before INSERT, UPDATE or DELETE,
        so the CREATE and ALTER statements of an upgrade would each commit on
        their own, and one failing half way (a full disk, a broken migration)
        would leave a half-upgraded file that no later upgrade can finish.  SQLite
        itself can roll schema changes back; the upgrade's engine lets it.
        """
        path, read_only = self.target, self.access != WRITABLE
        if read_only:
            # The URL still names the plain path (workers of a whole-round report open it again by that).
            uri = _read_only_uri(path, self.access)
            engine = create_engine(f"sqlite:///{path}", future=True,
                                   creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
        else:
            engine = create_engine(f"sqlite:///{path}", future=True)

        if transactional_ddl:
            @event.listens_for(engine, "begin")
            def _begin(conn):  # noqa: ANN001
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, record):  # noqa: ANN001
            if transactional_ddl:
                dbapi_conn.isolation_level = None  # the "begin" event above opens the transaction
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if not read_only:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()
            if self.quick is not None and not self.quick.sound:  # writes wait for the quick check
                dbapi_conn.set_authorizer(self.quick.authorize)
                record.info["awaits_check"] = True

        @event.listens_for(engine, "checkout")
        def _checked(dbapi_conn, record, _proxy):  # noqa: ANN001
            if record.info.get("awaits_check") and self.quick is not None and self.quick.sound:
                dbapi_conn.set_authorizer(None)  # passed: nothing more to ask
                record.info["awaits_check"] = False

        return engine

    # ---- the quick check beside the work (sqlite_check)
    def defer_check(self) -> None:
        if self.check_later and self.quick is None:
            self.quick = QuickCheck(_read_only_uri(self.target, self.access))

    def start_check(self) -> None:
        if self.quick is not None:
            self.quick.start()

    def check_now(self) -> None:
        if not self.check_later:
            return  # checked by probe_revision
        self.defer_check()
        self.quick.start()
        self.quick.wait()
        if not self.quick.sound:
            raise StoreError(damaged(self.target))

    def when_checked(self, listener) -> None:
        if self.quick is None:
            listener([])
        else:
            self.quick.when_done(listener)

    def stop_check(self) -> None:
        if self.quick is not None:
            self.quick.stop()

    def checkpoint(self, engine: Engine) -> bool:
        """Fold the write-ahead log into the file, so a copy of the file alone holds everything.

        PASSIVE: it never waits for a reader (the window's background scoring)
        and never blocks a writer; True when every committed page reached the file.
        """
        if self.access != WRITABLE:
            return True
        with engine.connect() as conn:
            busy, log_pages, done = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        return not busy and log_pages == done

    @staticmethod
    @contextlib.contextmanager
    def cancellable(session: Session, cancelled: Callable[[], bool]) -> Iterator[None]:
        """SQLite asks ``cancelled()`` every :data:`CANCEL_STEPS` steps of a statement of ``session``
        (its progress handler) and stops the statement when it is true: closing the window stops the
        round's scoring in the middle of a query, not at the query's end a second later."""
        raw = _raw(session)
        raw.set_progress_handler(lambda: 1 if cancelled() else 0, CANCEL_STEPS)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)  # the connection goes back to the pool without it

    # ---- health and words
    def integrity_problems(self) -> list[str]:
        """SQLite's quick check of the whole file (about 0.3 s for a 2,500-agency round)."""
        return integrity_problems(self.target)

    @staticmethod
    def storage_problem(exc: BaseException, name: object = None) -> str | None:
        from workbench.model.problems import storage_problem

        return storage_problem(exc, name)

    # ---- many writers
    @staticmethod
    def lock_agency(session: Session, round_uuid: str, agency: str) -> None:
        """SQLite has one writer at a time: take the file's write lock now, not at the first write.

        A transaction that read first and wrote later could otherwise have read
        rows another writer changed in between.  Waits up to the busy timeout.
        """
        session.execute(text("UPDATE meta SET value = value WHERE key = 'device_id'"))

    @classmethod
    def for_update(cls, session: Session, model, ident):
        """The file's write lock first (one writer at a time), then the row as it is now."""
        cls.lock_agency(session, "", "")
        return session.get(model, ident, populate_existing=True)

    @staticmethod
    def defer_foreign_keys(session: Session) -> None:
        session.execute(text("PRAGMA defer_foreign_keys = ON"))

    # ---- evidence files
    @staticmethod
    def write_blob(session: Session, digest: str, size: int, chunks: Iterable[bytes]) -> None:
        """A ``blob_chunks`` row of ``size`` zero bytes, then the file written into it piece by piece.

        The bytes go in ``blob_chunks`` (one row per file here), whose ``data`` is
        its last column: SQLite keeps a trailing ``zeroblob`` as a count, while
        one in the middle of a row (``blobs.data``) is built in memory whole.
        """
        session.execute(
            text("INSERT INTO blobs (sha256, size, data, created_at) VALUES (:d, :n, x'', :t)"),
            {"d": digest, "n": size, "t": utcnow()},
        )
        blob = None
        if size:
            rowid = session.execute(
                text("INSERT INTO blob_chunks (sha256, chunk_no, data) VALUES (:d, 0, zeroblob(:n))"),
                {"d": digest, "n": size},
            ).lastrowid
            blob = _raw(session).blobopen("blob_chunks", "data", rowid)
        offset = 0
        try:
            for chunk in chunks:
                if offset + len(chunk) > size:
                    raise StoreError("فایل مستند هنگام ذخیره تغییر کرد؛ دوباره افزوده شود")
                if chunk:
                    blob.write(chunk)
                offset += len(chunk)
        finally:
            if blob is not None:
                blob.close()
        if offset != size:
            raise StoreError("فایل مستند هنگام ذخیره تغییر کرد؛ دوباره افزوده شود")

    @staticmethod
    def read_blob(session: Session, digest: str) -> Iterator[bytes]:
        """The file's piece row, or (files stored before schema 0009, bulk builders) its ``blobs`` row."""
        table, rowid = "blob_chunks", session.execute(
            text("SELECT rowid FROM blob_chunks WHERE sha256 = :d AND chunk_no = 0"), {"d": digest}
        ).scalar()
        if rowid is None:
            table, rowid = "blobs", session.execute(
                text("SELECT rowid FROM blobs WHERE sha256 = :d"), {"d": digest}
            ).scalar()
        if rowid is None:
            return
        blob = _raw(session).blobopen(table, "data", rowid, readonly=True)
        try:
            while chunk := blob.read(CHUNK_BYTES):
                yield chunk
        finally:
            blob.close()


def _raw(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under ``session``'s transaction."""
    return session.connection().connection.driver_connection


def _in_wal_mode(path: Path) -> bool:
    """The file's header says WAL (its read and write versions, bytes 18 and 19, are 2)."""
    with path.open("rb") as fh:
        fh.seek(18)
        return fh.read(2) == b"\x02\x02"


def _check_is_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"فایل «{path_text(path)}» باز نشد: {os_problem(exc)}") from exc
    if head != SQLITE_MAGIC:
        raise StoreError(f"فایل «{path_text(path)}» پایگاه دادهٔ میز کار ارزیاب نیست (فایل SQLite نیست)")


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


def integrity_problems(path: Path) -> list[str]:
    """SQLite's own check of a file; an empty list when it is sound."""
    try:
        conn = sqlite3.connect(_read_only_uri(path, WRITABLE), uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == [("ok",)] else [r[0] for r in rows]
