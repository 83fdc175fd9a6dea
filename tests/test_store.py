"""The store: SQLite settings, schema upgrades and refusals, audit trail, tombstones, blobs."""
from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError

from workbench.model.editing import store_blob
from workbench.model.errors import StoreError
from workbench.model.evidence_files import read_stream
from workbench.model.schema import Agency, AuditEntry, Blob, Service, Tombstone
from workbench.model.store import _alembic_config, head_revision, open_store

pytestmark = pytest.mark.backends  # the store's tests run on SQLite and on PostgreSQL


def _pragma(store, name: str):
    with store.engine.connect() as conn:
        return conn.execute(text(f"PRAGMA {name}")).scalar()


def _revision_of(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


# --------------------------------------------------------------------------- a new file


def test_new_file_has_wal_and_foreign_keys(tmp_path):
    store = open_store(tmp_path / "new.sqlite")
    try:
        assert _pragma(store, "journal_mode") == "wal"
        assert _pragma(store, "foreign_keys") == 1
        assert _pragma(store, "synchronous") == 2  # FULL
        assert store.revision() == head_revision()
        assert store.backup_path is None  # nothing to keep from a new file
    finally:
        store.close()
    assert (tmp_path / "new.sqlite").read_bytes()[:16] == b"SQLite format 3\x00"
    # Byte 18/19 of the header say "WAL" (2) persistently, not only for this connection.
    assert (tmp_path / "new.sqlite").read_bytes()[18:20] == b"\x02\x02"


def test_foreign_keys_are_enforced(store):
    with pytest.raises(IntegrityError):
        with store.session() as s:
            s.add(Service(round_uuid="no-such-round", agency_uuid="no-such-agency", service_id="121095000", title="x"))


def test_open_existing_at_head_makes_no_backup(tmp_path):
    path = tmp_path / "db.sqlite"
    open_store(path).close()
    store = open_store(path)
    store.close()
    assert store.backup_path is None
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite") == ["db.sqlite"]


# --------------------------------------------------------------------------- upgrades


def _file_at_revision_0001(path):
    """A database as the first release left it: schema 0001 and some rows, made with raw SQL."""
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO agencies (uuid, code, name, parent_uuid, level, province, ranking_group, website,"
                " created_at, updated_at, updated_by) VALUES"
                " ('a-1', '1010', 'وزارت نمونه', NULL, 'national', '', 'وزارتخانه‌ها', '',"
                "  '2024-09-01 10:00:00', '2024-09-01 10:00:00', 'ارزیاب قدیمی'),"
                " ('a-2', '1010-04', 'اداره کل نمونه استان اصفهان', 'a-1', 'provincial', 'اصفهان', '', '',"
                "  '2024-09-01 10:00:00', '2024-09-01 10:00:00', 'ارزیاب قدیمی')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO blobs (sha256, size, data, created_at) VALUES ('abc', 3, X'010203', '2024-09-01 10:00:00')"
            )
        )
    engine.dispose()


def test_older_file_is_upgraded_with_data_kept_and_a_backup(tmp_path):
    path = tmp_path / "old.sqlite"
    _file_at_revision_0001(path)
    assert _revision_of(path) == "0001"

    store = open_store(path, actor="ارزیاب")
    try:
        assert store.revision() == head_revision() != "0001"
        with store.session() as s:
            agencies = {a.code: a for a in s.scalars(select(Agency))}
            assert agencies["1010"].name == "وزارت نمونه"
            assert agencies["1010-04"].parent_uuid == "a-1"
            assert agencies["1010-04"].updated_by == "ارزیاب قدیمی"
            assert s.get(Blob, "abc").data == b"\x01\x02\x03"
            # The tables 0002 adds are there and work.
            s.add(Agency(code="2020", name="سازمان تازه"))
        with store.session() as s:
            assert s.scalar(select(func.count()).select_from(AuditEntry)) == 1
    finally:
        store.close()

    backup = store.backup_path
    assert backup is not None and backup.exists() and backup.parent == tmp_path
    assert "before-0001" in backup.name
    # The backup is the original: its revision and rows, untouched by the upgrade.
    assert _revision_of(backup) == "0001"
    conn = sqlite3.connect(backup)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "audit_log" not in names
        assert conn.execute("SELECT name FROM agencies WHERE code='1010'").fetchone()[0] == "وزارت نمونه"
    finally:
        conn.close()


def test_older_file_is_not_upgraded_when_no_backup_can_be_made(tmp_path, monkeypatch):
    """A folder the backup cannot be written to (read-only media, no space): refused, file untouched."""
    import shutil
    from pathlib import Path

    from workbench.model import store as store_module

    path = tmp_path / "old.sqlite"
    _file_at_revision_0001(path)
    original = path.read_bytes()
    real_connect = sqlite3.connect

    def no_backup_file(target, *args, **kwargs):
        if ".before-" in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)

    def half_a_copy(src, dst, *args, **kwargs):
        Path(dst).write_bytes(b"SQLite format 3\x00")  # then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.sqlite3, "connect", no_backup_file)
    monkeypatch.setattr(shutil, "copy2", half_a_copy)
    with pytest.raises(StoreError, match="پشتیبان") as refused:
        open_store(path)
    assert str(path) in refused.value.message and "تغییری نکرد" in refused.value.message
    monkeypatch.undo()
    assert path.read_bytes() == original and _revision_of(path) == "0001"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite"]  # no half backup left


def test_an_upgrade_that_fails_half_way_leaves_the_file_as_it_was(tmp_path):
    """All of an upgrade or none of it: a half-upgraded file could never be upgraded again."""
    path = tmp_path / "old.sqlite"
    _file_at_revision_0001(path)
    conn = sqlite3.connect(path)
    with conn:  # 0002 creates audit_log, then fails on this table
        conn.execute("CREATE TABLE tombstones (x INTEGER)")
    conn.close()
    with pytest.raises(StoreError) as refused:
        open_store(path)
    backups = list(tmp_path.glob("old.before-0001.*.sqlite"))
    assert len(backups) == 1 and str(backups[0]) in refused.value.message
    assert _revision_of(path) == "0001"
    conn = sqlite3.connect(path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert "audit_log" not in names  # 0002's first table was rolled back with the rest


def _stamp(path, revision: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def test_newer_unknown_revision_is_refused_and_file_left_as_is(tmp_path):
    path = tmp_path / "newer.sqlite"
    store = open_store(path)
    with store.session() as s:
        s.add(Agency(code="1010", name="وزارت نمونه"))
    store.close()
    _stamp(path, "0099_from_the_future")
    before = path.read_bytes()

    with pytest.raises(StoreError) as exc:
        open_store(path)
    message = exc.value.message
    assert str(path) in message
    assert "تازه‌تر" in message and "0099_from_the_future" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer.sqlite"]  # no backup, no -wal left


def test_newer_revision_in_rollback_journal_mode_is_left_byte_identical(tmp_path):
    """A newer file copied by a tool that leaves the old journal mode must not be switched to WAL."""
    path = tmp_path / "newer.sqlite"
    open_store(path).close()
    _stamp(path, "0099_from_the_future")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = path.read_bytes()
    assert before[18:20] == b"\x01\x01"

    with pytest.raises(StoreError):
        open_store(path)
    assert path.read_bytes() == before


def test_non_sqlite_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("این یک یادداشت است، نه پایگاه داده\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert str(path) in exc.value.message
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('x')")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert str(path) in exc.value.message
    assert path.read_bytes() == before


def _database_of_many_pages(path):
    """A sound database spread over many pages, for damaging in the tests below."""
    store = open_store(path)
    with store.session() as s:
        for n in range(400):
            s.add(Agency(code=f"{n:04d}", name="اداره کل نمونه " * 10))
    store.close()
    return path


def test_truncated_database_is_refused_naming_it(tmp_path):
    path = _database_of_many_pages(tmp_path / "damaged.sqlite")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert str(path) in exc.value.message
    assert path.read_bytes() == before


def test_damaged_pages_are_refused_naming_it(tmp_path):
    path = _database_of_many_pages(tmp_path / "damaged.sqlite")
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data), page):  # scribble over every page but the first
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert str(path) in exc.value.message


def test_missing_file_without_create_is_refused(tmp_path):
    with pytest.raises(StoreError) as exc:
        open_store(tmp_path / "nothing.sqlite", create=False)
    assert "nothing.sqlite" in exc.value.message
    assert not (tmp_path / "nothing.sqlite").exists()


def test_empty_file_without_create_is_called_empty(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    with pytest.raises(StoreError) as exc:
        open_store(path, create=False)
    assert str(path) in exc.value.message and "خالی" in exc.value.message
    assert path.read_bytes() == b""


# --------------------------------------------------------------------------- tracking


def test_audit_trail_and_tombstones(store):
    with store.session() as s:
        agency = Agency(code="1010", name="وزارت نمونه")
        s.add(agency)
    uid = agency.uuid
    # The name given; on a server the name the role carries, and a role without one (the tests') takes the given.
    assert store.actor == "آزمون"
    assert uid and agency.updated_by == store.actor

    with store.session() as s:
        s.get(Agency, uid).name = "وزارت نمونهٔ تازه"
    with store.session() as s:
        assert s.get(Agency, uid).updated_by == store.actor
        s.delete(s.get(Agency, uid))

    with store.session() as s:
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.row_uuid == uid).order_by(AuditEntry.at)))
        assert [e.action for e in entries] == ["insert", "update", "delete"]
        assert all(e.table_name == "agencies" and e.actor == store.actor for e in entries)
        assert json.loads(entries[0].changes)["code"] == [None, "1010"]
        assert json.loads(entries[1].changes) == {"name": ["وزارت نمونه", "وزارت نمونهٔ تازه"]}
        tomb = s.get(Tombstone, uid)
        assert tomb is not None and tomb.table_name == "agencies" and tomb.deleted_by == store.actor
        assert s.get(Agency, uid) is None


def test_unchanged_assignment_writes_no_audit_entry(store):
    with store.session() as s:
        agency = Agency(code="1010", name="وزارت نمونه")
        s.add(agency)
    with store.session() as s:
        s.get(Agency, agency.uuid).name = "وزارت نمونه"  # the same value
    with store.session() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.row_uuid == agency.uuid)))
    assert actions == ["insert"]


def test_blobs_are_content_addressed(store):
    data = b"%PDF-1.4 certificate" * 100
    with store.session() as s:
        first = store_blob(s, data)
        second = store_blob(s, bytes(data))
        other = store_blob(s, data + b"!")
    assert first == second == hashlib.sha256(data).hexdigest()
    assert other != first
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 2
        blob = s.get(Blob, first)
        assert blob.size == len(data)
        assert b"".join(read_stream(s, first)) == data


def test_the_revisions_read_from_the_migration_files_are_alembics():
    """Opening a file reads the revisions without importing alembic; they must be what alembic finds."""
    from alembic.script import ScriptDirectory

    from workbench.model import store

    scripts = ScriptDirectory.from_config(store._alembic_config())
    assert store.head_revision() == scripts.get_current_head()
    assert sorted(store.known_revisions()) == sorted(s.revision for s in scripts.walk_revisions())
    assert store._revisions() == {s.revision: s.down_revision for s in scripts.walk_revisions()}


def test_opening_an_up_to_date_file_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "db.sqlite"
    open_store(path).close()
    probe = ("import sys; from workbench.model.store import open_store; open_store(sys.argv[1]).close(); "
             "print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
