"""Evidence files in the store, through a few small functions (the ``blobs`` table today).

Kept apart so that the streamed evidence storage being built elsewhere can
replace these bodies without touching the exchange.  On SQLite a file is
written and read in chunks through SQLite's incremental blob I/O, so a large
evidence file never sits in memory whole.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model import evidence_files
from workbench.model.errors import StoreError
from workbench.model.schema import Blob

CHUNK = 1024 * 1024


def _sqlite(session: Session):
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return None
    return conn.connection.dbapi_connection


def known(session: Session, hashes: Iterable[str]) -> set[str]:
    """Which of ``hashes`` the store already holds."""
    hashes = sorted(set(hashes))
    out: set[str] = set()
    for i in range(0, len(hashes), 500):
        out.update(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(hashes[i : i + 500]))))
    return out


def sizes(session: Session, hashes: Iterable[str]) -> dict[str, int]:
    hashes = sorted(set(hashes))
    out: dict[str, int] = {}
    for i in range(0, len(hashes), 500):
        out.update(session.execute(select(Blob.sha256, Blob.size).where(Blob.sha256.in_(hashes[i : i + 500]))).all())
    return out


def read_chunks(session: Session, sha256: str) -> Iterator[bytes]:
    """The file's bytes, a chunk at a time (the store's evidence interface, either backend)."""
    return evidence_files.read_stream(session, sha256)


def write(session: Session, sha256: str, size: int, chunks: Iterable[bytes]) -> None:
    """Store a file of ``size`` bytes under ``sha256``, checking that its bytes have that hash.

    Raises ``ValueError`` when they do not (the caller's transaction then rolls back).
    """
    try:
        evidence_files.store_stream(session, sha256, size, chunks)
    except StoreError as exc:
        raise ValueError(sha256) from exc
