"""What every kind of database the workbench can live in provides (see ``__init__``)."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line names databases before SQLAlchemy is loaded
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

#: Evidence files travel in pieces of this size (1 MiB), never whole.
CHUNK_BYTES = 1 << 20


class Backend:
    """One database: a file or a server database.  Subclasses fill every method."""

    #: SQLAlchemy's dialect name.
    dialect = ""
    #: Where a backup before an upgrade went (``None``: none was taken).
    backup_path: Path | None = None

    def __init__(self, target):
        self.target = target

    # ---- naming
    @property
    def display(self) -> str:
        """How messages name the database (a path, or a URL without its password)."""
        return str(self.target)

    @property
    def noun(self) -> str:
        """The database as the subject of a sentence: «فایل «…»» or «پایگاه دادهٔ «…»»."""
        from workbench.model.problems import path_text

        return f"پایگاه دادهٔ «{path_text(self.display)}»"

    @property
    def short_name(self) -> str:
        """A few words for a window title: the file's name, or the database's name and host."""
        return str(self.target)

    @property
    def remembered(self) -> str:
        """What a list of recent databases keeps to open it again (never a password)."""
        return str(self.target)

    #: What a refusal adds: nothing was changed.
    unchanged = "چیزی در آن تغییر نکرد."

    @property
    def path(self):
        """The file (SQLite) or the URL string (a server): what ``open_store`` takes again."""
        return self.target

    # ---- opening
    def is_new(self) -> bool:
        """Nothing there yet: no file, an empty file, or a server database without tables."""
        raise NotImplementedError

    def refuse_missing(self) -> None:
        """Raise the Persian :class:`StoreError` for a database that must exist and does not."""
        raise NotImplementedError

    def create_database(self) -> None:
        """Create the database where it does not exist yet (a server's named database)."""
        raise NotImplementedError

    def prepare_new(self) -> None:
        """Make room for a new database (the file's folder)."""

    def probe_revision(self) -> str | None:
        """The schema revision, read without writing; refuses damaged, foreign and newer databases."""
        raise NotImplementedError

    #: Set by ``open_store``: the database's check of itself may run beside the work, writes waiting
    #: for its verdict (a SQLite file: :mod:`.sqlite_check`); elsewhere it is checked as it opens.
    check_later = False

    def defer_check(self) -> None:
        """Make the check beside the work (``check_later``), before the engine's first connection
        (whose writes wait for it); it runs from :meth:`start_check` or the first write."""

    def start_check(self) -> None:
        """Start the deferred check (once)."""

    def check_now(self) -> None:
        """Before an upgrade writes: the verdict now (waited for); StoreError if damaged."""

    def when_checked(self, listener) -> None:
        """``listener(problems)`` once the check beside the work ended (at once when there is none):
        ``[]`` sound, what was found, or ``None`` when the store closed first; on any thread."""
        listener([])

    def stop_check(self) -> None:
        """The store is closing: stop the check and wait for it."""

    def backup_before_upgrade(self, current: str | None) -> Path | None:
        """A copy taken before an upgrade from ``current`` (``None`` where the upgrade is atomic)."""
        return None

    def engine(self, transactional_ddl: bool = False) -> Engine:
        raise NotImplementedError

    @property
    def read_only_because(self) -> str:
        """Why the database can only be read (:mod:`file_access`'s word), "" when it can be written."""
        return ""

    def suggested_copy(self, label: str) -> Path:
        """Where a copy of it would go by default: ``NAME-LABEL.sqlite``."""
        raise NotImplementedError

    def snapshot(self, target: Path) -> Path:
        """One consistent SQLite file of everything in the database at ``target``, written whole or not at all."""
        raise NotImplementedError

    def checkpoint(self, engine: Engine) -> bool:
        """Make what is committed reach the database itself (SQLite's write-ahead log); True when it has."""
        return True

    def upgrade_lock(self, connection) -> None:
        """Keep two workbenches from upgrading the same database at once (inside the upgrade)."""

    def actor(self, session: Session, requested: str) -> str:
        """Who the audit trail names for this connection's own changes."""
        return requested

    @staticmethod
    @contextlib.contextmanager
    def cancellable(session: Session, cancelled: Callable[[], bool]) -> Iterator[None]:
        """Within the block, a statement of ``session`` that runs while ``cancelled()`` is true is
        stopped (it raises); here (a server) the work stops at its own next check instead."""
        yield

    # ---- health and words
    def damaged(self) -> str:
        """What is said of a database that could not be opened for a reason nobody expected."""
        return (f"{self.noun} باز نشد؛ خطای آن در پرونده‌نگار (log) برنامه ثبت شد. "
                f"{self.unchanged}")

    def integrity_problems(self) -> list[str]:
        """The database's own check of itself; empty when sound."""
        raise NotImplementedError

    @staticmethod
    def storage_problem(exc: BaseException, name: object = None) -> str | None:
        """A Persian sentence when ``exc`` is this database unable to read or write just then, else ``None``."""
        return None

    @staticmethod
    def after_bulk_copy(session: Session, table) -> None:
        """After rows were written with their own keys (``workbench copy``): make the next key follow them."""

    def after_upgrade(self, connection) -> None:
        """What the database needs after its schema was made or upgraded (inside the upgrade's transaction)."""

    # ---- many writers
    @staticmethod
    def lock_agency(session: Session, round_uuid: str, agency: str) -> None:
        """Until ``session`` commits or rolls back, no other writer works on this agency of this round."""
        raise NotImplementedError

    @classmethod
    def try_lock_agency(cls, session: Session, round_uuid: str, agency: str) -> str | None:
        """:meth:`lock_agency` without waiting for another writer: ``None`` when taken, else the
        holder's name in the workbench (``""`` when not known); then nothing is held."""
        cls.lock_agency(session, round_uuid, agency)
        return None

    @classmethod
    def for_update(cls, session: Session, model, ident):
        """The row of ``model`` with key ``ident``, read afresh and held against other writers until the
        transaction ends (``None`` when there is none)."""
        raise NotImplementedError

    @staticmethod
    def defer_foreign_keys(session: Session) -> None:
        """Until the transaction ends, references are checked at its end rather than at each statement."""
        raise NotImplementedError

    # ---- evidence files, by SHA-256, in pieces of CHUNK_BYTES
    @staticmethod
    def write_blob(session: Session, digest: str, size: int, chunks: Iterable[bytes]) -> None:
        """Store a file not yet stored, from its pieces (their total is ``size``)."""
        raise NotImplementedError

    @staticmethod
    def read_blob(session: Session, digest: str) -> Iterator[bytes]:
        """A stored file's pieces, in order; a missing file yields nothing."""
        raise NotImplementedError
