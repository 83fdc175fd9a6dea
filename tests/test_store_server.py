"""The store on a PostgreSQL server: URLs, ``workbench init``, refusals, copies, evidence, locks.

Every test here needs the tests' server (``tests/backends.py``); where none can
be started they are skipped, saying why.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select, text

from workbench.model import evidence_files
from workbench.model.backends import backend_for, database_location
from workbench.model.copying import copy_store, file_digests, row_counts
from workbench.model.errors import StoreError
from workbench.model.schema import Agency, Blob, BlobChunk
from workbench.model.store import backend_of, head_revision, open_store


def run(*args, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A 12-agency demo round with evidence files (a SQLite file)."""
    path = tmp_path_factory.mktemp("pgdemo") / "demo.sqlite"
    result = run("demo", path)
    assert result.returncode == 0, result.stderr
    return path


def test_a_url_is_a_server_and_anything_else_a_file(tmp_path):
    assert database_location("postgresql+psycopg://ali@/round?host=/run/pg") == "postgresql+psycopg://ali@/round?host=/run/pg"
    assert database_location(str(tmp_path / "a.sqlite")) == tmp_path / "a.sqlite"
    backend = backend_for("postgresql://ali:secret@db.example:5433/round1403")
    assert backend.dialect == "postgresql" and "secret" not in backend.display
    assert backend.display == "postgresql://ali@db.example:5433/round1403"
    with pytest.raises(StoreError, match="نام پایگاه داده"):
        backend_for("postgresql+psycopg://ali@db.example")


def test_init_creates_the_schema_with_the_migrations(pg_database):
    result = run("init", pg_database)
    assert result.returncode == 0, result.stderr
    assert head_revision() in result.stdout and "آماده است" in result.stdout
    store = open_store(pg_database, create=False)
    try:
        assert store.revision() == head_revision()
        assert store.integrity_problems() == []
        assert store.actor == "workbench"  # the audit trail names the role the supervisor connects as
    finally:
        store.close()
    again = run("init", pg_database)
    assert again.returncode == 0 and "آماده است" in again.stdout


def test_init_creates_a_missing_database(pg_database):
    url = pg_database.replace("/wb_", "/wbnew_")
    try:
        assert run("init", url).returncode == 0
        assert open_store(url, create=False).revision() == head_revision()
    finally:
        with open_store(pg_database).engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1].split("?")[0]}" WITH (FORCE)'))


def test_an_empty_database_is_refused_where_one_must_exist(pg_database):
    result = run("score", pg_database)
    assert result.returncode == 2
    assert "workbench init" in result.stderr and "postgresql://" in result.stderr


def test_newer_and_foreign_schemas_are_refused_unchanged(pg_database):
    open_store(pg_database).close()
    engine = open_store(pg_database).engine
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="تازه‌تری"):
        open_store(pg_database)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        conn.execute(text("DROP TABLE alembic_version"))
    with pytest.raises(StoreError, match="میز کار ارزیاب نیست"):
        open_store(pg_database)
    engine.dispose()


def test_an_unreachable_server_and_a_missing_driver_are_said_in_persian(tmp_path, monkeypatch):
    with pytest.raises(StoreError) as exc:
        open_store(f"postgresql+psycopg://nobody@/nothing?host={tmp_path}")
    assert "در دسترس نیست" in exc.value.message
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    with pytest.raises(StoreError) as exc:
        open_store("postgresql+psycopg://nobody@/nothing")
    assert "evaluator-workbench[postgres]" in exc.value.message


def test_commands_take_the_url(demo_file, pg_database):
    assert run("copy", demo_file, pg_database).returncode == 0
    on_file = json.loads(run("score", demo_file, "--json").stdout)
    on_server = run("score", pg_database, "--json")
    assert on_server.returncode == 0, on_server.stderr
    assert json.loads(on_server.stdout) == on_file
    weights = run("weights", pg_database, "--json")
    assert weights.returncode == 0, weights.stderr


def test_copy_there_and_back_is_the_same_store(demo_file, pg_database, tmp_path):
    copy_store(demo_file, pg_database)
    back = tmp_path / "back.sqlite"
    result = copy_store(pg_database, back)
    assert result.files > 0
    stores = [open_store(p, create=False) for p in (demo_file, pg_database, back)]
    try:
        counts = [row_counts(s) for s in stores]
        chunks = [c.pop("blob_chunks") for c in counts]  # a row per file in a file, a row per MiB on a server
        assert counts[0] == counts[1] == counts[2] and chunks[0] == chunks[2] <= counts[0]["blobs"] <= chunks[1]
        assert counts[0]["evidence"] > 0 and counts[0]["agencies"] == 12
        digests = [file_digests(s) for s in stores]
        # Byte-identical evidence: each file's bytes hash to the name it is stored under, everywhere.
        assert digests[0] == digests[1] == digests[2] and all(k == v for k, v in digests[0].items())
        with stores[1].session() as s:  # on the server the files are in 1 MiB pieces
            assert s.scalar(select(func.count()).select_from(BlobChunk)) >= len(digests[0])
        with stores[0].session() as a, stores[2].session() as b:
            key = (Agency.code, Agency.name, Agency.parent_uuid, Agency.updated_by, Agency.updated_at)
            assert a.execute(select(*key).order_by(Agency.code)).all() == b.execute(select(*key).order_by(Agency.code)).all()
    finally:
        for s in stores:
            s.close()


def test_backup_of_a_server_database_is_one_sqlite_file(demo_file, pg_database, tmp_path):
    assert run("copy", demo_file, pg_database).returncode == 0
    out = tmp_path / "snapshot.sqlite"
    result = run("backup", pg_database, out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []  # no temporary file left
    snapshot, server = open_store(out, create=False), open_store(pg_database, create=False)
    try:
        counts = [row_counts(snapshot), row_counts(server)]
        for c in counts:
            c.pop("blob_chunks")
        assert counts[0] == counts[1] and counts[0]["evidence"] > 0
        assert file_digests(snapshot) == file_digests(server)
    finally:
        snapshot.close()
        server.close()


def test_copy_never_writes_over_a_database(demo_file, pg_database):
    copy_store(demo_file, pg_database)
    with pytest.raises(StoreError, match="از پیش"):
        copy_store(demo_file, pg_database)


@pytest.mark.parametrize("size", [0, 1, evidence_files.CHUNK_BYTES, 3 * evidence_files.CHUNK_BYTES + 5])
def test_evidence_is_kept_in_pieces_by_hash(pg_database, tmp_path, size):
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path = tmp_path / "file.bin"
    path.write_bytes(data)
    store = open_store(pg_database)
    try:
        with store.session() as s:
            digest = evidence_files.store_file(s, path)
        assert digest == hashlib.sha256(data).hexdigest()
        with store.session() as s:
            pieces = s.execute(select(func.length(BlobChunk.data)).where(BlobChunk.sha256 == digest)
                               .order_by(BlobChunk.chunk_no)).scalars().all()
            assert sum(pieces) == size and all(p == evidence_files.CHUNK_BYTES for p in pieces[:-1])
            assert b"".join(evidence_files.read_stream(s, digest)) == data
            assert s.get(Blob, digest).size == size
    finally:
        store.close()


def test_lock_per_round_and_agency_serialises_writers(pg_database):
    store = open_store(pg_database)
    order = []
    try:
        with store.session() as first:
            backend_of(first).lock_agency(first, "r1", "a1")

            def second():
                with store.session() as other:
                    backend_of(other).lock_agency(other, "r1", "a2")  # another agency: not held up
                    order.append("other agency")
                with store.session() as same:
                    backend_of(same).lock_agency(same, "r1", "a1")  # waits for the first to end
                    order.append("same agency")

            worker = threading.Thread(target=second)
            worker.start()
            worker.join(timeout=1.5)
            assert order == ["other agency"] and worker.is_alive()
            order.append("first ends")
        worker.join(timeout=30)
        assert order == ["other agency", "first ends", "same agency"]
    finally:
        store.close()


@pytest.mark.gui
def test_the_window_opens_a_server_database_typed_in_file_menu(qtbot, tmp_path, demo_file, pg_database, monkeypatch):
    from PySide6.QtCore import QSettings

    from workbench.ui.main_window import MainWindow

    copy_store(demo_file, pg_database)
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "ask_server_address", lambda: pg_database)
    window.server_action.trigger()
    try:
        assert window.store is not None and window.store.backend.dialect == "postgresql"
        assert pg_database.split("/")[-1].split("?")[0] in window.windowTitle()
        assert len(window.agencies.model.rows()) == 12
        assert window.recent_paths()[0] == backend_for(pg_database).display  # remembered without a password
    finally:
        window.close_database()
        window.close()
