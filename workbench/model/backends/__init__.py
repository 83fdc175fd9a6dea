"""Where a store lives: a SQLite file or a PostgreSQL server, behind one :class:`Backend`.

The rest of the workbench names a database by one string: a file path, or a
URL ``postgresql+psycopg://user@host/dbname`` (unix socket:
``postgresql+psycopg://user@/dbname?host=/socket/folder``).  :func:`backend_for`
turns it into the object that knows that kind of database: how to open it,
read its schema revision without writing, back it up before an upgrade,
check it is intact, put its errors in Persian words, serialise writers and
keep evidence files (``evidence.py``).  Callers ask the backend; they never
branch on the kind of database themselves.
"""
from __future__ import annotations

from pathlib import Path

from workbench.model.backends.base import Backend

SERVER_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


def is_server_url(target: object) -> bool:
    """Whether ``target`` names a database on a server rather than a file."""
    return isinstance(target, str) and target.strip().lower().startswith(SERVER_SCHEMES)


def database_location(text: str) -> str | Path:
    """A command-line database argument: a URL kept as written, else a file path."""
    return text.strip() if is_server_url(text) else Path(text)


def backend_for(target: str | Path) -> Backend:
    """The backend of ``target``: a PostgreSQL URL, else a SQLite file path."""
    if is_server_url(target):
        from workbench.model.backends.postgres import PostgresBackend

        return PostgresBackend(str(target).strip())
    from workbench.model.backends.sqlite import SqliteBackend

    return SqliteBackend(Path(target))


def backend_of_dialect(name: str) -> type[Backend]:
    """The backend class of an engine's dialect (for a session whose store is not at hand)."""
    if name == "postgresql":
        from workbench.model.backends.postgres import PostgresBackend

        return PostgresBackend
    from workbench.model.backends.sqlite import SqliteBackend

    return SqliteBackend


def target_of(session_or_engine) -> str:
    """What :func:`backend_for` takes to open the same database again (worker processes do)."""
    bind = session_or_engine.get_bind() if hasattr(session_or_engine, "get_bind") else session_or_engine
    url = bind.url
    if url.get_backend_name() == "sqlite":
        return url.database or ""
    return url.render_as_string(hide_password=False)
