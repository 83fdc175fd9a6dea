"""``workbench copy SRC DST``: a whole store into a new one, SQLite file ↔ PostgreSQL.

A supervisor starts alone on a file and moves it to the server, or hands a
snapshot of the server to someone offline.  Every row is copied as it is
(its UUID, timestamps, who changed it, the audit trail and the tombstones),
and every evidence file travels through the evidence interface in pieces,
checked against its SHA-256 on the way, so the copy's files are the
original's byte for byte.  The target must be new (a missing or empty file,
an empty server database); the copy is one transaction there, so a failure
leaves nothing half copied.  The copy keeps its own device id (``meta``):
it is another database from now on, as a merge must know.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, func, inspect, select, update
from sqlalchemy.exc import DataError, IntegrityError

from workbench.model import evidence_files
from workbench.model.backends import backend_for
from workbench.model.errors import StoreError
from workbench.model.problems import path_text
from workbench.model.schema import Base, Blob, BlobChunk, Meta
from workbench.model.store import Store, open_store

log = logging.getLogger(__name__)
BATCH = 2000
#: Modules that declare tables of the store outside ``schema.py`` (the exchange's, once it is there).
_TABLE_MODULES = ("workbench.exchange.tables",)
#: Kept by the target itself: it is a database of its own.
OWN_META = {"device_id"}


@dataclass
class CopyResult:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    file_bytes: int = 0


def copy_store(
    source: str | Path, target: str | Path, progress: Callable[[str, int], None] | None = None
) -> CopyResult:
    """Copy the store at ``source`` into the new store at ``target``."""
    dst_backend = backend_for(target)
    try:
        dst_new = dst_backend.is_new()
    except StoreError as exc:
        if not getattr(exc, "missing", False):
            raise
        dst_backend.create_database()
        dst_new = True
    if not dst_new:
        raise StoreError(
            f"«{path_text(dst_backend.display)}» از پیش پایگاه داده‌ای دارد؛ رونوشت روی آن نوشته نمی‌شود. "
            "مقصد باید فایل تازه یا پایگاه دادهٔ خالی سرور باشد."
        )
    src = open_store(source, create=False)
    try:
        dst = open_store(target, create=True)
        try:
            return _copy(src, dst, progress)
        finally:
            dst.close()
    finally:
        src.close()


def _tables(s) -> list:
    """Every table of the schema in foreign-key order; refused when the source has one this copy does not know."""
    import importlib

    for module in _TABLE_MODULES:  # tables declared outside model/schema.py join the metadata when imported
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    unknown = set(inspect(s.connection()).get_table_names()) - set(Base.metadata.tables) - {"alembic_version"}
    if unknown:
        raise StoreError(f"جدول‌های {', '.join(sorted(unknown))} در مبدأ برای رونوشت ناشناخته‌اند؛ چیزی رونوشت نشد.")
    return Base.metadata.sorted_tables


def _copy(src: Store, dst: Store, progress) -> CopyResult:
    result = CopyResult()
    with src.session() as s, dst.session() as d:
        for table in _tables(s):
            if table.name == BlobChunk.__tablename__:
                continue  # the pieces travel with their file (blobs)
            if table.name == Blob.__tablename__:
                _copy_files(s, d, result, progress)
                continue
            try:
                result.rows[table.name] = _copy_rows(s, d, table)
                dst.backend.after_bulk_copy(d, table)
            except (DataError, IntegrityError) as exc:
                log.warning("copying table %s failed", table.name, exc_info=True)
                raise StoreError(
                    f"ردیف‌های جدول {table.name} در «{path_text(dst.display)}» نوشته نشد (مقداری با طرح مقصد "
                    "نمی‌خواند؛ جزئیات در پرونده‌نگار برنامه)؛ چیزی رونوشت نشد."
                ) from exc
            if progress is not None:
                progress(table.name, result.rows[table.name])
    return result


def _copy_rows(s, d, table) -> int:
    """Every row of ``table``, in batches; a reference to the same table is set once all are in."""
    own = [c for c in table.columns for fk in c.foreign_keys if fk.column.table is table]
    pk = list(table.primary_key.columns)
    query = select(table).order_by(*pk)
    if table.name == Meta.__tablename__:
        query = query.where(table.c.key.notin_(OWN_META))
    count, later = 0, []
    for part in s.execute(query.execution_options(yield_per=BATCH)).mappings().partitions():
        rows = [dict(r) for r in part]
        for row in rows:
            deferred = {c.name: row[c.name] for c in own if row[c.name] is not None}
            if deferred:
                later.append({**{f"k_{c.name}": row[c.name] for c in pk}, **{f"v_{k}": v for k, v in deferred.items()}})
                for k in deferred:
                    row[k] = None
        d.execute(table.insert(), rows)
        count += len(rows)
    for column in own:
        todo = [r for r in later if f"v_{column.name}" in r]
        if todo:
            stmt = (
                update(table)
                .where(*(c == bindparam(f"k_{c.name}") for c in pk))
                .values({column.name: bindparam(f"v_{column.name}")})
            )
            d.connection().execute(stmt, todo)
    return count


def _copy_files(s, d, result: CopyResult, progress) -> None:
    files = s.execute(select(Blob.sha256, Blob.size, Blob.created_at).order_by(Blob.sha256)).all()
    for digest, size, created_at in files:
        evidence_files.store_stream(d, digest, size, evidence_files.read_stream(s, digest))
        d.execute(update(Blob).where(Blob.sha256 == digest).values(created_at=created_at))
        result.files += 1
        result.file_bytes += size
    result.rows[Blob.__tablename__] = len(files)
    if progress is not None:
        progress(Blob.__tablename__, len(files))


def file_digests(store: Store) -> dict[str, str]:
    """Each stored file's SHA-256 recomputed from its bytes (to prove a copy's files identical)."""
    import hashlib

    out = {}
    with store.session() as s:
        for (digest,) in s.execute(select(Blob.sha256).order_by(Blob.sha256)).all():
            sha = hashlib.sha256()
            for chunk in evidence_files.read_stream(s, digest):
                sha.update(chunk)
            out[digest] = sha.hexdigest()
    return out


def row_counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}

