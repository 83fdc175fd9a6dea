"""The consolidated store on a PostgreSQL server, shared by several supervisors at once.

* The same schema, made by the same Alembic migrations.  PostgreSQL's schema
  changes are transactional, so an upgrade is one transaction (all or
  nothing) taken under a lock: no copy is left beside it, as there is no
  file; the server's own backups (``pg_dump``) or ``workbench copy URL
  snapshot.sqlite`` keep one.
* Writers of the same agency are serialised by an advisory lock held until
  their transaction ends (:meth:`PostgresBackend.lock_agency`).
* The audit trail names the database role each supervisor connects as.
* Evidence files are kept as ``bytea`` pieces of :data:`CHUNK_BYTES`, keyed by
  SHA-256 and piece number (``blob_chunks``), so a file of hundreds of MB
  never travels as one value.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from workbench.model.backends.base import CHUNK_BYTES, Backend
from workbench.model.errors import StoreError
from workbench.model.problems import path_text
from workbench.model.revisions import check_revision
from workbench.model.schema import Base, utcnow

log = logging.getLogger(__name__)
DRIVER_MISSING = (
    "برای باز کردن پایگاه دادهٔ PostgreSQL بستهٔ psycopg (نسخهٔ ۳) لازم است و نصب نیست؛ "
    "آن را با «pip install 'evaluator-workbench[postgres]'» (یا «pip install 'psycopg[binary]'») نصب کنید."
)
#: The advisory lock an upgrade of the schema holds (any constant the workbench alone uses).
_UPGRADE_LOCK = 0x5E0B_E9C4

#: SQLSTATE classes and codes of psycopg's errors, and what to tell the person.
_PROBLEMS = {
    "28P01": "نام کاربری یا گذرواژهٔ آن پذیرفته نشد",
    "28000": "این نقش (کاربر) اجازهٔ ورود به آن را ندارد",
    "3D000": "روی سرور وجود ندارد؛ مدیر سرور آن را بسازد («createdb»)",
    "42501": "به این نقش (کاربر) اجازهٔ این کار را نمی‌دهد",
    "53100": "جا ندارد: دیسک سرور پر است",
    "53200": "حافظهٔ سرور کم آمد",
    "53300": "اتصال تازه نمی‌پذیرد (اتصال‌ها پر است)",
    "25006": "فقط‌خواندنی است و نوشته نمی‌شود",
    "40001": "هم‌زمان به دست سرپرست دیگری تغییر کرد؛ دوباره اجرا کنید",
    "40P01": "هم‌زمان به دست سرپرست دیگری تغییر کرد؛ دوباره اجرا کنید",
    "55P03": "را کار دیگری در همین لحظه می‌نویسد؛ کمی بعد دوباره اجرا کنید",
    "57P01": "خاموش شد (سرور در حال توقف است)",
    "57P03": "هنوز آمادهٔ پذیرفتن اتصال نیست",
}
_DEFERRABLE_KEYS = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.conname, c.conrelid::regclass AS tbl FROM pg_constraint c
             JOIN pg_namespace n ON n.oid = c.connamespace
             WHERE c.contype = 'f' AND NOT c.condeferrable AND n.nspname = current_schema()
    LOOP
        EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE', r.tbl, r.conname);
    END LOOP;
END $$;
"""
#: Who holds an agency's advisory lock: a 64-bit key is the lock's classid (high half) and objid (low half).
_LOCK_HOLDER = """
SELECT coalesce(nullif(btrim(shobj_description(r.oid, 'pg_authid')), ''), a.usename)
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
LEFT JOIN pg_roles r ON r.rolname = a.usename
CROSS JOIN (SELECT hashtextextended(:k, 0) AS h) key
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint = ((key.h >> 32) & 4294967295) AND l.objid::bigint = (key.h & 4294967295)
LIMIT 1
"""
UNREACHABLE = "در دسترس نیست: سرور خاموش است، نشانی درست نیست یا شبکه وصل نیست"


def _psycopg():
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError(DRIVER_MISSING) from exc
    return psycopg


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self, url: str):
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StoreError(f"نشانی پایگاه دادهٔ «{url}» درست نیست (نمونه: postgresql+psycopg://کاربر@میزبان/نام)") from exc
        if not parsed.database:
            raise StoreError(f"نشانی «{url}» نام پایگاه داده را ندارد (نمونه: postgresql+psycopg://کاربر@میزبان/نام)")
        super().__init__(parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False))
        self._url = parsed.set(drivername="postgresql+psycopg")

    @property
    def display(self) -> str:
        """``postgresql://role@host:port/name`` (a socket folder as ``?host=``), never the password."""
        url = self._url
        user = f"{url.username}@" if url.username else ""
        port = f":{url.port}" if url.port else ""
        socket = url.query.get("host")
        where = f"{url.host or ''}{port}/{url.database}" + (f"?host={socket}" if socket else "")
        return f"postgresql://{user}{where}"

    @property
    def short_name(self) -> str:
        return f"{self._url.database} @ {self._url.host or 'localhost'}"

    @property
    def remembered(self) -> str:
        return self.display

    # ---- opening
    def _inspect(self) -> tuple[str | None, set[str]]:
        """The revision and the tables, over a connection of its own."""
        _psycopg()
        engine = create_engine(self._url, poolclass=NullPool, connect_args=_connect_args())
        try:
            with engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                current = None
                if "alembic_version" in tables:
                    current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                return current, tables
        except SQLAlchemyError as exc:
            said = self.storage_problem(exc, self.display)
            if not said:
                log.warning("opening %s failed", self.display, exc_info=True)
            error = StoreError(said or self.damaged())
            error.missing = missing_database(exc)
            raise error from exc
        finally:
            engine.dispose()

    def is_new(self) -> bool:
        return not self._inspect()[1]

    def refuse_missing(self) -> None:
        raise StoreError(
            f"پایگاه دادهٔ «{path_text(self.display)}» هنوز طرح میز کار را ندارد؛ نخست «workbench init» را روی آن اجرا کنید"
        )

    def probe_revision(self) -> str | None:
        current, tables = self._inspect()
        check_revision(self, current, bool(tables))
        return current

    def engine(self, transactional_ddl: bool = False) -> Engine:
        _psycopg()
        return create_engine(self._url, pool_pre_ping=True, connect_args=_connect_args())

    def suggested_copy(self, label: str) -> Path:
        return Path.home() / f"{self._url.database}-{label}.sqlite"

    def snapshot(self, target: Path) -> Path:
        """``workbench copy`` of the server's database into a new file beside ``target``, then moved over it."""
        from workbench.atomic_write import write_replacing

        try:
            return write_replacing(target, lambda tmp: _copy_into(self.target, tmp))
        except OSError as exc:
            from workbench.model.problems import os_problem

            raise StoreError(f"رونوشت «{path_text(target)}» نوشته نشد ({os_problem(exc)})؛ فایلی ساخته نشد.") from exc

    def create_database(self) -> None:
        """Create the named database on its server (``workbench init``), when the role may."""
        engine = create_engine(self._url.set(database="postgres"), poolclass=NullPool,
                               isolation_level="AUTOCOMMIT", connect_args=_connect_args())
        try:
            with engine.connect() as conn:
                name = self._url.database.replace('"', '""')
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except SQLAlchemyError as exc:
            log.warning("creating %s failed", self.display, exc_info=True)
            raise StoreError(
                f"پایگاه دادهٔ «{path_text(self.display)}» روی سرور نیست و این نقش نتوانست آن را بسازد؛ "
                f"مدیر سرور آن را بسازد: createdb -O {self._url.username or 'نقش'} {self._url.database}"
            ) from exc
        finally:
            engine.dispose()

    def upgrade_lock(self, connection) -> None:
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _UPGRADE_LOCK})

    def actor(self, session: Session, requested: str) -> str:
        """The supervisor's name in the workbench, checked against the database role they connect as.

        The server's administrator gives each supervisor a role of their own and
        writes their workbench name on it (``COMMENT ON ROLE sara IS 'سارا احمدی'``,
        see docs/postgres.md): that name is who the audit trail names for their
        own changes, whatever the operating system's user is, and a different
        name asked for (``--by``) is refused.  A role without a name (the
        administrator's own) is taken at the name asked for, else its own.
        """
        role, name = session.execute(text(
            "SELECT current_user, shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = current_user"
        )).one()
        name = (name or "").strip()
        asked = (requested or "").strip()
        if not name:
            return asked or role
        if asked and asked != name and asked != _login_name():
            raise StoreError(
                f"نقش «{role}» که با آن به پایگاه دادهٔ «{path_text(self.display)}» وصل شده‌اید از آنِ «{name}» است، "
                f"نه «{asked}»؛ هر سرپرست با نقش خودش وصل شود. چیزی نوشته نشد."
            )
        return name

    # ---- health and words
    def integrity_problems(self) -> list[str]:
        """Every table of the schema present and readable (the server checks its own pages)."""
        problems = []
        engine = self.engine()
        try:
            with engine.connect() as conn:
                present = set(inspect(conn).get_table_names())
                for table in Base.metadata.sorted_tables:
                    if table.name not in present:
                        problems.append(f"جدول {table.name} نیست")
                        continue
                    conn.execute(text(f'SELECT 1 FROM "{table.name}" LIMIT 1')).all()
        except SQLAlchemyError as exc:
            log.warning("checking %s failed", self.display, exc_info=True)
            problems.append(_first_line(exc))
        finally:
            engine.dispose()
        return problems

    @staticmethod
    def storage_problem(exc: BaseException, name: object = None) -> str | None:
        from workbench.model.problems import NOTHING_WRITTEN, path_text

        where = f"پایگاه دادهٔ «{path_text(name)}»" if name else "پایگاه دادهٔ سرور"
        try:
            import psycopg
        except ImportError:
            return None
        error = getattr(exc, "orig", None) or exc
        if not isinstance(error, psycopg.Error):
            return None
        code = getattr(error, "sqlstate", None) or _connection_refusal(error)
        if code in _PROBLEMS:
            return f"{where} {_PROBLEMS[code]}. {NOTHING_WRITTEN}"
        if isinstance(error, psycopg.OperationalError) and code is None:
            return f"{where} {UNREACHABLE}. {NOTHING_WRITTEN}"
        return None

    @staticmethod
    def after_bulk_copy(session: Session, table) -> None:
        """A serial key's sequence moves past the copied rows' keys (SQLite needs nothing)."""
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and len(table.primary_key.columns) == 1
                                                and column.type.python_type is int):
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'), "
                    f'coalesce(max("{column.name}"), 0) + 1, false) FROM "{table.name}"'
                ))

    # ---- many writers
    @staticmethod
    def lock_agency(session: Session, round_uuid: str, agency: str) -> None:
        """A transaction-scoped advisory lock on a 64-bit hash of the round and the agency:
        released by the server at commit, at rollback, and when the connection dies."""
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
            {"k": f"workbench:{round_uuid}:{agency}"},
        )

    @classmethod
    def try_lock_agency(cls, session: Session, round_uuid: str, agency: str) -> str | None:
        """``pg_try_advisory_xact_lock``; when another session has it, whose it is
        (``pg_locks`` → ``pg_stat_activity`` → the role's name in the workbench)."""
        key = {"k": f"workbench:{round_uuid}:{agency}"}
        if session.execute(text("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))"), key).scalar():
            return None
        return session.execute(text(_LOCK_HOLDER), key).scalar() or ""

    @classmethod
    def for_update(cls, session: Session, model, ident):
        """``SELECT … FOR UPDATE``: a second writer waits here until the first commits, then reads its row."""
        return session.get(model, ident, with_for_update=True, populate_existing=True)

    @staticmethod
    def defer_foreign_keys(session: Session) -> None:
        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))

    def after_upgrade(self, connection) -> None:
        """Every foreign key DEFERRABLE (still checked at each statement unless a transaction defers it),
        so :meth:`defer_foreign_keys` has the effect SQLite's pragma has; tables of later upgrades too."""
        connection.execute(text(_DEFERRABLE_KEYS))

    # ---- evidence files
    @staticmethod
    def write_blob(session: Session, digest: str, size: int, chunks: Iterable[bytes]) -> None:
        inserted = session.execute(
            text(
                "INSERT INTO blobs (sha256, size, data, created_at) VALUES (:d, :n, '', :t) "
                "ON CONFLICT (sha256) DO NOTHING"
            ),
            {"d": digest, "n": size, "t": utcnow()},
        ).rowcount
        if not inserted:  # another supervisor stored the same file meanwhile
            return
        total = 0
        for number, chunk in enumerate(_even(chunks)):
            session.execute(
                text("INSERT INTO blob_chunks (sha256, chunk_no, data) VALUES (:d, :i, :b)"),
                {"d": digest, "i": number, "b": chunk},
            )
            total += len(chunk)
        if total != size:
            raise StoreError("فایل مستند هنگام ذخیره تغییر کرد؛ دوباره افزوده شود")

    @staticmethod
    def read_blob(session: Session, digest: str) -> Iterator[bytes]:
        number = 0
        while True:
            chunk = session.execute(
                text("SELECT data FROM blob_chunks WHERE sha256 = :d AND chunk_no = :i"), {"d": digest, "i": number}
            ).scalar()
            if chunk is None:
                break
            yield bytes(chunk)
            number += 1
        if number:
            return
        # A file written as one value (bulk builders, older copies): read it in slices on the server.
        size = session.execute(text("SELECT size FROM blobs WHERE sha256 = :d"), {"d": digest}).scalar()
        for offset in range(0, size or 0, CHUNK_BYTES):
            yield bytes(session.execute(
                text("SELECT substring(data FROM :o FOR :n) FROM blobs WHERE sha256 = :d"),
                {"d": digest, "o": offset + 1, "n": CHUNK_BYTES},
            ).scalar())


def _copy_into(url: str, tmp: str) -> None:
    from workbench.model.copying import copy_store

    copy_store(url, Path(tmp))  # an empty file is a new store to it


def _even(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The same bytes in pieces of exactly CHUNK_BYTES (the last one shorter)."""
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        while len(pending) >= CHUNK_BYTES:
            yield bytes(pending[:CHUNK_BYTES])
            del pending[:CHUNK_BYTES]
    if pending:
        yield bytes(pending)


def _connection_refusal(error: BaseException) -> str | None:
    """The SQLSTATE of a refused connection (psycopg gives none; the server's words say it)."""
    words = str(error)
    if "FATAL" not in words:
        return None
    if "database" in words and "does not exist" in words:
        return "3D000"
    if "authentication failed" in words or ("role" in words and "does not exist" in words):
        return "28P01"
    if "too many clients" in words:
        return "53300"
    if "not yet accepting connections" in words or "starting up" in words:
        return "57P03"
    return None


def missing_database(exc: BaseException) -> bool:
    """Whether ``exc`` is the server saying the named database does not exist."""
    return _connection_refusal(getattr(exc, "orig", None) or exc) == "3D000"


def _login_name() -> str:
    """The operating system's user (what the window passes when no one named themselves)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return ""


def _connect_args() -> dict:
    return {"application_name": "evaluator-workbench", "connect_timeout": 10}


def _first_line(exc: BaseException) -> str:
    error = getattr(exc, "orig", None) or exc
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
