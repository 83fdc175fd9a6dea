"""One file to hand over: the log folded in at idle, «save a copy», `workbench backup`, `workbench maintain`."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import select
from workbench_fixture import build_fixture

from workbench.cli import main
from workbench.model import backup as backup_module
from workbench.model.editing import Edit, apply_edits, store_blob
from workbench.model.errors import StoreError
from workbench.model.schema import Agency, Assessment, Blob
from workbench.model.store import open_store


def _evaluator(path: Path) -> str:
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT evaluator FROM assessments WHERE evaluator LIKE 'Copy%'").fetchone()
    finally:
        conn.close()


def _edit_without_checkpoint(store, name: str) -> None:
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    with store.session() as s:
        s.scalars(select(Assessment)).first().evaluator = name


def test_backup_holds_what_is_still_in_the_log_and_is_one_file(tmp_path, capsys):
    db = build_fixture(tmp_path / "db.sqlite")
    store = open_store(db)
    try:
        _edit_without_checkpoint(store, "Copy Me")
        shutil.copy(db, tmp_path / "plain-copy.sqlite")  # what a file manager copies: the log is not in it
        assert _evaluator(tmp_path / "plain-copy.sqlite") is None
        out = tmp_path / "handover.sqlite"
        assert main(["backup", str(db), str(out)]) == 0  # while the window (here: store) is open
    finally:
        store.close()
    assert _evaluator(out) == ("Copy Me",)
    assert not Path(f"{out}-wal").exists() and not list(tmp_path.glob(".~*"))
    assert sqlite3.connect(out).execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert "handover.sqlite" in capsys.readouterr().out


def test_backup_refuses_to_write_over_its_own_database_and_a_failed_copy_leaves_no_file(tmp_path, monkeypatch):
    db = build_fixture(tmp_path / "db.sqlite")
    assert main(["backup", str(db), str(db)]) == 2
    target = tmp_path / "copy.sqlite"

    def dies_half_way(source, tmp):
        tmp.write_bytes(b"SQLite format 3\x00" + bytes(100))  # half a copy
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup_module, "_copy", dies_half_way)
    with pytest.raises(StoreError) as exc:
        backup_module.backup_to(db, target)
    assert "جای کافی" in exc.value.message
    assert not target.exists() and not list(tmp_path.glob(".~*"))


def test_the_pre_upgrade_backup_is_never_left_half_written(tmp_path, monkeypatch):
    db = build_fixture(tmp_path / "db.sqlite")
    seen = []

    def watched(source, tmp):
        seen.append(sorted(p.name for p in tmp_path.iterdir() if ".before-" in p.name and not p.name.startswith(".~")))
        raise sqlite3.OperationalError("disk I/O error")  # killed, as it were, mid-copy

    monkeypatch.setattr(backup_module, "_copy", watched)
    with pytest.raises(StoreError):
        backup_module.backup_copy(db, "before-0001")
    assert seen == [[]]  # while copying, nothing carried a backup's name
    assert not [p for p in tmp_path.iterdir() if ".before-" in p.name or p.name.startswith(".~")]


def test_the_window_folds_the_log_in_at_idle_and_saves_a_copy(tmp_path, qtbot):
    from workbench.ui.main_window import MainWindow

    db = build_fixture(tmp_path / "db.sqlite")
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.open_database(db)
    w.safekeeping.idle.setInterval(50)
    with w.store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")  # only the window's own checkpoints fold it in
    controller = w.open_agency(w.session.scalar(select(Agency.uuid).where(Agency.code == "1001")))
    uuid = controller.assessment().uuid
    assert controller.apply(Edit("assessment", uuid, uuid, {"evaluator": "Copy Window"}), "ارزیاب")
    qtbot.waitUntil(lambda: w.safekeeping.checkpoints > 0, timeout=5000)
    shutil.copy(db, tmp_path / "usb.sqlite")  # the .sqlite alone, the window still open
    assert _evaluator(tmp_path / "usb.sqlite") == ("Copy Window",)
    assert w.safekeeping.save_copy(tmp_path / "saved.sqlite")
    assert _evaluator(tmp_path / "saved.sqlite") == ("Copy Window",)
    assert "saved.sqlite" in w.statusBar().currentMessage()
    assert w.safekeeping.copy_action in w.file_menu.actions()
    w.close()
    assert not Path(f"{db}-wal").exists()  # closing folds in the rest and removes the log


def test_maintain_removes_only_blobs_nothing_names(tmp_path, capsys):
    db = build_fixture(tmp_path / "db.sqlite")
    store = open_store(db, actor="آزمون")
    with store.session() as s:
        a = s.scalars(select(Assessment)).first()
        orphan = store_blob(s, b"left by a crash" * 1000)
        named = store_blob(s, b"an evidence row names me")
        undone = store_blob(s, b"added, then undone: the audit trail names me")
        fields = {"measure_key": "4.1", "kind": "file", "text": "", "number": None, "filename": "x.pdf",
                  "mime": "application/pdf"}
        apply_edits(s, [Edit("evidence_add", a.uuid, "e-named", {**fields, "blob_sha256": named})])
        inverse = apply_edits(s, [Edit("evidence_add", a.uuid, "e-undone", {**fields, "blob_sha256": undone})])
        apply_edits(s, inverse)  # undo: the row is gone, the trail keeps the digest
    store.close()
    assert main(["maintain", str(db)]) == 0
    assert "۱ فایل" in capsys.readouterr().out
    store = open_store(db)
    with store.session() as s:
        left = set(s.scalars(select(Blob.sha256)).all())
    store.close()
    assert orphan not in left and {named, undone} <= left
    assert main(["maintain", str(db)]) == 0
    assert "۰ فایل" in capsys.readouterr().out


def test_opening_the_window_collects_what_nothing_names(tmp_path):
    from workbench.workspace.opening import open_workspace

    db = build_fixture(tmp_path / "db.sqlite")
    store = open_store(db, actor="آزمون")
    with store.session() as s:
        a = s.scalars(select(Assessment)).first()
        orphan = store_blob(s, b"left by a crash in an older version")
        undone = store_blob(s, b"the audit trail names me")
        fields = {"measure_key": "4.1", "kind": "file", "text": "", "number": None, "filename": "x.pdf",
                  "mime": "application/pdf", "blob_sha256": undone}
        apply_edits(s, apply_edits(s, [Edit("evidence_add", a.uuid, "e-undone", fields)]))
    store.close()
    workspace = open_workspace(db)
    try:
        left = set(workspace.session.scalars(select(Blob.sha256)).all())
    finally:
        workspace.close()
    assert orphan not in left and undone in left
