"""Evidence files in the store, through a few small functions (the ``blobs`` table today).

Kept apart so that the streamed evidence storage being built elsewhere can
replace these bodies without touching the exchange.  On SQLite a file is
written and read in chunks through SQLite's incremental blob I/O, so a large
evidence file never sits in memory whole.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.schema import Blob, utcnow

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
    """The file's bytes, a chunk at a time."""
    raw = _sqlite(session)
    if raw is None:
        data = session.scalar(select(Blob.data).where(Blob.sha256 == sha256))
        for i in range(0, len(data), CHUNK):
            yield data[i : i + CHUNK]
        return
    rowid = raw.execute("SELECT rowid FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()[0]
    with raw.blobopen("blobs", "data", rowid, readonly=True) as blob:
        while chunk := blob.read(CHUNK):
            yield chunk


def write(session: Session, sha256: str, size: int, chunks: Iterable[bytes]) -> None:
    """Store a file of ``size`` bytes under ``sha256``, checking that its bytes have that hash.

    Raises ``ValueError`` when they do not (the caller's transaction then rolls back).
    """
    raw = _sqlite(session)
    digest = hashlib.sha256()
    if raw is None:
        data = b"".join(chunks)
        digest.update(data)
        if digest.hexdigest() != sha256 or len(data) != size:
            raise ValueError(sha256)
        session.add(Blob(sha256=sha256, size=size, data=data))
        session.flush()
        return
    session.flush()
    cur = raw.execute(
        "INSERT INTO blobs (sha256, size, data, created_at) VALUES (?, ?, zeroblob(?), ?)",
        (sha256, size, size, utcnow().isoformat(sep=" ")),
    )
    written = 0
    with raw.blobopen("blobs", "data", cur.lastrowid) as blob:
        for chunk in chunks:
            if written + len(chunk) > size:
                raise ValueError(sha256)
            blob.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    if written != size or digest.hexdigest() != sha256:
        raise ValueError(sha256)
