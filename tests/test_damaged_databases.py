"""The damaged-database matrix: 23 kinds of file × `score`, `import` and the window.

Damaged files (cut short, pages overwritten, a broken header…) are refused by
all three alike, with exit 2 and the same Persian sentence, and are left as
they were; files that are not a workbench database say what they are.  A
read-only file, a read-only folder and a full disk are not damage: the
commands read them, `import` says it cannot write and why, and the window
opens them read-only and refuses edits with a message.  A database another
program is writing makes `import` wait and then refuse, and the window's edit
likewise.  ``tests/database_probe.py`` runs the three; the read-only cases run
it as an unprivileged user when the tests run as root (root writes any file),
the full disk inside a mount namespace with a full tmpfs.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from database_probe import damage, probe
from import_books import agency_rows, write_book
from workbench_fixture import build_fixture

pytestmark = pytest.mark.gui

DAMAGED = "آسیب دیده"
DAMAGE = {
    "cut to half": DAMAGED,
    "cut to one page": DAMAGED,
    "cut to 100 bytes": DAMAGED,
    "page size broken": DAMAGED,
    "schema page overwritten": DAMAGED,
    "a middle page zeroed": DAMAGED,
    "a middle page noise": DAMAGED,
    "the last page noise": DAMAGED,
    "every page scribbled": DAMAGED,
    "pages in the second quarter noise": DAMAGED,
    "header magic overwritten": "فایل SQLite نیست",
    "a text file": "فایل SQLite نیست",
    "empty file": "خالی",
    "another program's database": "نسخهٔ طرح ندارد",
    "a newer workbench's database": "نسخهٔ تازه‌تری",
    "a folder": "پوشه",
    "missing": "وجود ندارد",
}
ENGLISH = ("Error", "Traceback", "malformed", "sqlite3")
TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def sound(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sound")
    db = build_fixture(folder / "sound.sqlite")
    book = write_book(folder / "book.xlsx", agency=agency_rows("1001"))
    return db, book


def _copy(sound, folder: Path) -> tuple[Path, Path]:
    db, book = sound
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, folder / "db.sqlite")
    shutil.copy(book, folder / "book.xlsx")
    return folder / "db.sqlite", folder / "book.xlsx"


def _persian(text: str) -> bool:
    return not any(word in text for word in ENGLISH)


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_a_damaged_or_foreign_file_is_refused_alike_everywhere(sound, tmp_path, qapp, case):
    db, book = _copy(sound, tmp_path / "case")
    damage(db, case)
    found = probe(db, book)
    words = DAMAGE[case]
    for name in ("score", "import"):
        assert found[name]["exit"] == 2, (name, found[name])
        assert words in found[name]["text"] and _persian(found[name]["text"]), (name, found[name])
        assert not found[name]["changed"]
    assert not found["window"]["opened"] and words in found["window"]["text"], found["window"]
    assert not found["window"]["changed"]


def test_a_garbage_log_beside_a_sound_file_is_no_damage(sound, tmp_path, qapp):
    db, book = _copy(sound, tmp_path / "case")
    damage(db, "garbage -wal beside it")  # SQLite ignores a log whose header is not its own
    found = probe(db, book)
    assert found["score"]["exit"] == 0 and found["import"]["exit"] == 0, found
    assert found["window"]["opened"] and found["window"]["edit_saved"]


# --------------------------------------------------------------------------- what the file system refuses


def _unprivileged(folder: Path) -> list[str]:
    """How to run the probe so that file permissions apply (as nobody when we are root)."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("root without setpriv: read-only files cannot be made")
    for p in [folder, *folder.rglob("*")]:
        os.chown(p, 65534, 65534)
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _run(prefix: list[str], db: Path, book: Path, home: Path, shell: str | None = None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), WORKBENCH_DATA_DIR=str(home / "data"),
               PYTHONPATH=os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
               PYTHONDONTWRITEBYTECODE="1", XDG_RUNTIME_DIR=str(home))
    command = [*prefix, sys.executable, str(TESTS / "database_probe.py"), str(db), str(book)]
    if shell is not None:
        command = [*prefix, "sh", "-c", shell, "probe", sys.executable, str(TESTS / "database_probe.py"), str(db),
                   str(book)]
    child = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    assert child.returncode == 0, child.stderr[-3000:]
    return json.loads(child.stdout.splitlines()[-1])


def _world_readable_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="workbench-ro-"))
    folder.chmod(0o755)  # pytest's own folders are its owner's alone
    return folder


def _assert_read_only(found: dict, why: str) -> None:
    assert found["score"]["exit"] == 0, found["score"]
    imported = found["import"]
    assert imported["exit"] == 2 and "نوشتنی نیست" in imported["text"] and why in imported["text"], imported
    assert _persian(imported["text"]) and not imported["changed"]
    window = found["window"]
    assert window["opened"] and window["read_only"] and "فقط‌خواندنی" in window["title"], window
    assert "فقط برای خواندن" in window["text"] and why.split()[0] in window["text"], window
    assert window["pages_read_only"] and window["edit_saved"] is False, window
    assert "فقط برای خواندن" in window["banner"] and "نهایی" not in window["banner"], window
    assert not window["import_enabled"]
    assert "ذخیره نشد" in window["edit_refused"] and _persian(window["edit_refused"]), window
    assert not window["changed"]


@pytest.mark.parametrize("case, why", [("read-only file", "فایل"), ("read-only folder", "پوشه"),
                                       ("read-only file in a read-only folder", "فایل")])
def test_a_read_only_database_is_read_and_never_called_damaged(sound, case, why):
    folder = _world_readable_folder()
    try:
        db, book = _copy(sound, folder / "place")
        home = folder / "home"
        home.mkdir()
        prefix = _unprivileged(folder)
        if "file" in case:
            db.chmod(0o444)
        if "folder" in case:
            db.parent.chmod(0o555)
        found = _run(prefix, db, book, home)
        _assert_read_only(found, why)
    finally:
        (folder / "place").chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_full_disk_is_said_so_and_the_database_is_read(sound, tmp_path):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("a full disk needs a tmpfs of its own: root and unshare")
    db, book = _copy(sound, tmp_path / "src")
    home = tmp_path / "home"
    home.mkdir()
    disk = tmp_path / "disk"
    disk.mkdir()
    # In a mount namespace of its own: a 4 MB tmpfs, the database copied in, the rest filled.
    shell = (f'mount -t tmpfs -o size=4m tmpfs "{disk}" || exit 77; cp "$3" "{disk}/db.sqlite"; '
             f'dd if=/dev/zero of="{disk}/fill" bs=4096 2>/dev/null; set -- "$1" "$2" "{disk}/db.sqlite" "$4"; '
             'exec "$@"')
    try:
        found = _run(["unshare", "-m", "--propagation", "private"], db, book, home, shell=shell)
    except AssertionError as exc:
        if "exit 77" in str(exc) or "Operation not permitted" in str(exc):
            pytest.skip("no mount namespace here")
        raise
    _assert_read_only(found, "دیسک")


def test_a_database_another_program_is_writing_makes_import_wait_then_refuse(sound, tmp_path, qapp):
    db, book = _copy(sound, tmp_path / "case")
    holding, done = threading.Event(), threading.Event()

    def writer():
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN IMMEDIATE")
        holding.set()
        done.wait(30)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        holding.wait(10)
        found = probe(db, book)
    finally:
        done.set()
        thread.join()
    assert found["score"]["exit"] == 0
    assert found["import"]["exit"] == 2 and "برنامهٔ دیگری" in found["import"]["text"], found["import"]
    window = found["window"]
    assert window["opened"] and not window["read_only"]
    assert window["edit_saved"] is False and "ذخیره نشد" in window["edit_refused"], window


def test_a_full_disk_during_an_edit_is_said_and_the_edit_not_silently_lost(sound, tmp_path, qapp):
    """SQLite's own "database or disk is full" (its page limit reached, as a full disk reaches it)."""
    from PySide6.QtCore import QSettings
    from sqlalchemy import select

    from workbench.model.editing import Edit
    from workbench.model.schema import Agency, Assessment
    from workbench.ui.main_window import MainWindow

    db, _book = _copy(sound, tmp_path / "case")
    w = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    w.open_database(db)
    controller = w.open_agency(w.session.scalar(select(Agency.uuid).where(Agency.code == "1001")))
    refusals = []
    controller.refused.connect(refusals.append)
    pages = w.session.connection().exec_driver_sql("PRAGMA page_count").scalar()
    w.session.connection().exec_driver_sql(f"PRAGMA max_page_count={pages}")
    big = "یادداشت بلند " * 4000  # needs pages the file may not grow to
    uuid = controller.assessment().uuid
    assert controller.apply(Edit("answer", uuid, "4.1", {"note": big}), "یادداشت") is False
    assert refusals and "ذخیره نشد" in refusals[-1] and "پر" in refusals[-1] and _persian(refusals[-1])
    assert w.session.scalar(select(Assessment.evaluator).where(Assessment.uuid == uuid)) == "مریم احمدی"
    w.session.connection().exec_driver_sql("PRAGMA max_page_count=1073741823")
    assert controller.apply(Edit("answer", uuid, "4.1", {"note": big}), "یادداشت")  # room again: it saves
    w.close()
