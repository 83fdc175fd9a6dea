"""The storage interface of evidence files: written and read as streams, by SHA-256.

A file is never held whole: adding one hashes it in a first pass (and stops
there when the same content is already stored, without reading the stored
copy), then hands its pieces of :data:`CHUNK_BYTES` to the store's backend,
which keeps them its own way (SQLite: incremental blob I/O into one row;
PostgreSQL: one ``bytea`` row per piece).  Reading yields the same pieces.
Everything that moves evidence — adding it, opening it in the system's
viewer, packages, merges, copies between stores — goes through here.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.backends.base import CHUNK_BYTES
from workbench.model.schema import Blob
from workbench.model.store import backend_of

__all__ = ["CHUNK_BYTES", "file_digest", "has_blob", "blob_size", "store_file", "store_stream",
           "read_stream", "write_to_file"]


def file_chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes in pieces of CHUNK_BYTES."""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            yield chunk


def file_digest(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read once in pieces."""
    sha = hashlib.sha256()
    size = 0
    for chunk in file_chunks(path):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def has_blob(session: Session, digest: str) -> bool:
    """Whether a file of this content is stored (looked up by hash; the file is not read)."""
    return session.scalar(select(Blob.sha256).where(Blob.sha256 == digest)) is not None


def blob_size(session: Session, digest: str) -> int | None:
    return session.scalar(select(Blob.size).where(Blob.sha256 == digest))


def store_file(session: Session, path: str | Path) -> str:
    """Keep the file at ``path`` in the store once; its SHA-256.

    Raises ``OSError`` when the file cannot be read; a file that changes
    between the hash and the copy is refused (:class:`StoreError`), nothing kept.
    """
    path = Path(path)
    digest, size = file_digest(path)
    if not has_blob(session, digest):
        store_stream(session, digest, size, _hashed(file_chunks(path), digest))
    return digest


def store_stream(session: Session, digest: str, size: int, chunks: Iterable[bytes]) -> None:
    """Keep a file whose hash and size are known from its pieces (a package, another store).

    The pieces are checked against ``digest`` as they pass; a mismatch rolls
    the piece-writing back with :class:`StoreError` (the caller's transaction decides).
    """
    if has_blob(session, digest):
        return
    backend_of(session).write_blob(session, digest, size, _hashed(chunks, digest))
    session.flush()


def read_stream(session: Session, digest: str) -> Iterator[bytes]:
    """A stored file's bytes in pieces of CHUNK_BYTES (nothing when it is not stored)."""
    return backend_of(session).read_blob(session, digest)


def write_to_file(session: Session, digest: str, target: str | Path) -> int:
    """Write a stored file to ``target`` (beside it first, then moved in); the bytes written."""
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    written = 0
    try:
        with open(partial, "wb") as fh:
            for chunk in read_stream(session, digest):
                fh.write(chunk)
                written += len(chunk)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return written


def _hashed(chunks: Iterable[bytes], digest: str) -> Iterator[bytes]:
    from workbench.model.errors import StoreError

    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(chunk)
        yield chunk
    if sha.hexdigest() != digest:
        raise StoreError("فایل مستند هنگام ذخیره تغییر کرد یا آسیب دید؛ ذخیره نشد و دوباره افزوده شود")
