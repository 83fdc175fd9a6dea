"""Evidence files stream in and out by hash, in pieces, on SQLite and on PostgreSQL (issues 15 and 16)."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import event, func, select

from workbench.model import evidence_files
from workbench.model.backends.postgres import PostgresBackend
from workbench.model.backends.sqlite import SqliteBackend
from workbench.model.editing import file_evidence_fields
from workbench.model.schema import Blob

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)

MB = 1024 * 1024


def test_a_file_goes_in_and_comes_out_the_same(store, tmp_path):
    data = os.urandom(2 * MB + 12345)
    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    with store.session() as s:
        fields = file_evidence_fields(s, "4.1", path)
    assert fields["blob_sha256"] == hashlib.sha256(data).hexdigest()
    with store.session() as s:
        pieces = list(evidence_files.read_stream(s, fields["blob_sha256"]))
        assert all(len(p) <= evidence_files.CHUNK_BYTES for p in pieces) and b"".join(pieces) == data
        out = tmp_path / "out.pdf"
        assert evidence_files.write_to_file(s, fields["blob_sha256"], out) == len(data)
    assert out.read_bytes() == data
    assert not list(tmp_path.glob("*.partial"))


def test_adding_the_same_file_again_does_not_read_the_stored_file(store, tmp_path, monkeypatch):
    path = tmp_path / "scan.pdf"
    path.write_bytes(os.urandom(3 * MB))
    with store.session() as s:
        first = file_evidence_fields(s, "4.1", path)["blob_sha256"]

    def never(*_args, **_kwargs):
        raise AssertionError("the stored file was read")

    monkeypatch.setattr(SqliteBackend, "read_blob", staticmethod(never))
    monkeypatch.setattr(PostgresBackend, "read_blob", staticmethod(never))
    monkeypatch.setattr(SqliteBackend, "write_blob", staticmethod(never))
    monkeypatch.setattr(PostgresBackend, "write_blob", staticmethod(never))
    statements = []
    listener = lambda _c, _cur, sql, *_rest: statements.append(sql)  # noqa: E731
    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        with store.session() as s:
            again = file_evidence_fields(s, "4.2", path)["blob_sha256"]
            assert s.get(Blob, first).size == 3 * MB  # a Blob loads without its bytes (deferred)
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    assert again == first
    touching = [q for q in statements if "blob_chunks" in q or "blobs.data" in q]
    assert touching == []  # a lookup by hash, nothing else
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 1


def test_a_file_that_changes_while_it_is_stored_is_refused(store, tmp_path):
    from workbench.model.errors import StoreError

    path = tmp_path / "growing.bin"
    path.write_bytes(b"a" * MB)
    digest, size = evidence_files.file_digest(path)
    with pytest.raises(StoreError), store.session() as s:
        evidence_files.store_stream(s, digest, size, [b"b" * MB])  # not the bytes that were hashed
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 0


ADD_UNDER_LIMIT = textwrap.dedent('''
    import resource, sys
    from workbench.model.editing import file_evidence_fields
    from workbench.model.store import open_store
    store = open_store(sys.argv[1], create=False)
    with store.session() as s:  # everything loaded and connected before the limit is set
        s.execute(__import__("sqlalchemy").text("SELECT 1"))
    with open("/proc/self/status") as fh:
        vm = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    limit = vm + int(sys.argv[3]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with store.session() as s:
        file_evidence_fields(s, "4.1", sys.argv[2])
    with open(sys.argv[2], "rb") as fh:  # the limit holds: the file whole does not fit in it
        try:
            fh.read()
        except MemoryError:
            print("whole file does not fit")
    print("added")
''')


def test_a_file_larger_than_the_memory_left_is_added(store, tmp_path):
    """Issue 16: adding never holds the file whole: 120 MB added with 64 MB of address space to spare."""
    path = tmp_path / "video.bin"
    with open(path, "wb") as fh:
        for i in range(120):
            fh.write(bytes([i % 251]) * MB)
    target = str(store.path)
    store.close()
    result = subprocess.run([sys.executable, "-c", ADD_UNDER_LIMIT, target, str(path), "64"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["whole", "file", "does", "not", "fit", "added"]
    from workbench.model.store import open_store

    reopened = open_store(target, create=False)
    try:
        with reopened.session() as s:
            digest = s.scalar(select(Blob.sha256))
            sha = hashlib.sha256()
            for piece in evidence_files.read_stream(s, digest):
                sha.update(piece)
            assert sha.hexdigest() == digest and s.get(Blob, digest).size == 120 * MB
    finally:
        reopened.close()
