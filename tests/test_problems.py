"""One way to describe a problem: ``workbench/model/problems.py`` (no Qt)."""
from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from source_literals import string_literals
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from workbench.model import problems
from workbench.model.errors import StoreError, UserError
from workbench.model.problems import (
    DAMAGED,
    LOCKED,
    database_kind,
    database_problem,
    describe,
    os_problem,
    path_text,
    storage_problem,
)
from workbench.model.store import open_store

ROOT = Path(__file__).resolve().parent.parent / "workbench"


@pytest.mark.parametrize(
    ("sqlite_says", "kind"),
    [
        ("database disk image is malformed", "damaged"),
        ("file is not a database", "damaged"),
        ("database is locked", "locked"),
        ("database table is locked", "locked"),
        ("database or disk is full", "full"),
        ("attempt to write a readonly database", "readonly"),
        ("disk I/O error", "disk"),
    ],
)
def test_sqlite_errors_are_sorted_alike_raw_wrapped_or_chained(sqlite_says, kind):
    raw = sqlite3.OperationalError(sqlite_says)
    wrapped = OperationalError("INSERT …", {}, raw)
    try:
        try:
            raise raw
        except sqlite3.Error as exc:
            raise RuntimeError("a library's own error") from exc
    except RuntimeError as exc:
        chained = exc
    assert database_kind(raw) == database_kind(wrapped) == database_kind(chained) == kind
    assert database_problem(raw) == database_problem(wrapped) and database_problem(raw).startswith("پایگاه داده ")


def test_other_errors_are_not_the_databases():
    assert database_kind(ValueError("locked")) is None and database_problem(KeyError("x")) == ""
    assert describe(RuntimeError("boom")) == problems.UNEXPECTED
    assert describe(sqlite3.OperationalError("database is locked")) == LOCKED


def test_a_real_damaged_file_is_damaged(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    engine = create_engine(f"sqlite:///{path}")
    with pytest.raises(Exception) as caught, engine.connect() as conn:
        conn.execute(text("SELECT name FROM sqlite_master")).all()
    engine.dispose()
    assert database_kind(caught.value) == "damaged" and database_problem(caught.value) == DAMAGED
    assert "آسیب دیده" in database_problem(caught.value)


def test_a_write_that_cannot_be_made_now_names_the_file_isolated(tmp_path):
    path = tmp_path / "پوشهٔ من" / "ارزیابی.sqlite"
    for says in ("database is locked", "database or disk is full", "attempt to write a readonly database"):
        message = storage_problem(sqlite3.OperationalError(says), path)
        assert f"«\u2066{path}\u2069»" in message and message.endswith("چیزی نوشته نشد.")
    # Damage is not "try again later": the command line shows it as a failure.
    assert storage_problem(sqlite3.DatabaseError("database disk image is malformed"), path) is None
    assert storage_problem(RuntimeError("database is locked"), path) is None


def test_the_stores_messages_show_paths_isolated(tmp_path):
    missing = tmp_path / "داده‌ها" / "نیست.sqlite"
    with pytest.raises(StoreError) as caught:
        open_store(missing, create=False)
    assert path_text(missing) in caught.value.message
    folder = tmp_path / "a folder"
    folder.mkdir()
    with pytest.raises(StoreError) as caught:
        open_store(folder)
    assert caught.value.message.startswith(f"«{path_text(folder)}»")


def test_os_errors_in_persian():
    assert os_problem(PermissionError(errno.EACCES, "Permission denied")) == "اجازهٔ دسترسی نیست"
    assert os_problem(OSError(errno.EROFS, "Read-only file system")) == "دیسک فقط‌خواندنی است"
    assert os_problem(OSError("anything")) == problems.OS_OTHER



def test_only_the_problems_module_reads_the_database_errors_words():
    """The markers SQLite's messages are sorted by, and a path's isolate, are written in one module."""
    markers = {"locked", "malformed", "not a database", "readonly", "EACCES"}
    found = {}
    for path in ROOT.rglob("*.py"):
        if path.name == "problems.py":
            continue
        literals = string_literals(path)
        hits = {m for m in markers for lit in literals if m in lit}
        hits |= {"an isolate opened before a value (use path_text)" for lit in literals if lit.endswith("\u2066")}
        if hits:
            found[str(path.relative_to(ROOT))] = sorted(hits)
    assert not found, found


def test_no_module_shows_the_systems_english_error_text():
    """An OS error reaches a person through os_problem (Persian), never as its own strerror (English)."""
    readers = [path.relative_to(ROOT) for path in ROOT.rglob("*.py")
               if path.name != "problems.py" and "strerror" in path.read_text(encoding="utf-8")]
    assert readers == []


def test_a_workbook_that_cannot_be_written_is_told_in_persian(tmp_path):
    from openpyxl import Workbook

    from workbench.reports.sheets import save_workbook

    blocker = tmp_path / "a file"
    blocker.write_text("x")
    with pytest.raises(UserError) as caught:
        save_workbook(Workbook(), blocker / "out.xlsx")
    message = caught.value.message.replace(path_text(blocker), "")
    assert "Not a directory" not in caught.value.message
    assert not any("a" <= ch.lower() <= "z" for ch in message), message
