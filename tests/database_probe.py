"""What `score`, `import` and the window each do with one database file: the damaged-database matrix's probe.

:func:`probe` runs all three on ``db`` and returns, for each, how it ended and
what the person read; :func:`damage` makes the file-level cases.  Run as a
program (``python tests/database_probe.py DB BOOK``) it prints the probe as
JSON: the matrix runs it so as another user (read-only files mean nothing to
root) or inside a mount namespace with a full disk.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

AGENCY = "1001"  # has an assessment in tests/workbench_fixture.py


def _state(db: Path) -> str:
    parts = []
    for p in (db, Path(f"{db}-wal")):
        try:
            parts.append(hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else str(p.exists()))
        except OSError:
            parts.append("unreadable")
    return "/".join(parts)


def probe(db: Path, book: Path, window: bool = True) -> dict:
    from workbench.cli import main

    result = {}
    for name, argv in (("score", ["score", str(db), "--json"]),
                       ("import", ["import", str(db), str(book), "--agency", AGENCY, "--json"])):
        before = _state(db)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code
        text = err.getvalue()
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            text += " ".join(e["message"] for e in json.loads(out.getvalue()).get("errors", []))
        result[name] = {"exit": code, "text": text, "changed": _state(db) != before}
    if window:
        result["window"] = _window(db)
    return result


def _window(db: Path) -> dict:
    import tempfile

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from workbench.model.editing import Edit
    from workbench.model.errors import UserError
    from workbench.model.schema import Agency
    from workbench.ui.app import setup_application
    from workbench.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    setup_application(app)
    with tempfile.TemporaryDirectory() as folder:
        w = MainWindow(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        before = _state(db)
        try:
            w.open_database(db)
        except UserError as exc:
            w.close()
            return {"opened": False, "text": exc.message, "changed": _state(db) != before}
        # The file's quick check runs beside the window once it is shown (model/backends/sqlite_check.py):
        # its verdict, then the window's own handling of it (a damaged file is closed and said so).
        verdict = []
        w.store.when_checked(verdict.append)
        w.store.start_check()
        deadline = time.monotonic() + 60
        while not verdict and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        app.processEvents()
        if w.store is None:
            text = w.statusBar().currentMessage()
            w.close()
            return {"opened": False, "text": text, "changed": _state(db) != before, "checked_beside": True}
        found = {"opened": True, "read_only": w.store.read_only, "title": w.windowTitle(),
                 "text": w.statusBar().currentMessage()}
        uuid = w.session.scalar(select(Agency.uuid).where(Agency.code == AGENCY))
        controller = w.open_agency(uuid)
        found["import_enabled"] = w.import_actions.import_action.isEnabled()
        refusals = []
        if controller is not None:
            controller.refused.connect(refusals.append)
            edit = Edit("assessment", controller.assessment().uuid, controller.assessment().uuid,
                        {"evaluator": "ویرایش آزمایشی"})
            found["edit_saved"] = controller.apply(edit, "آزمایش")
            found["edit_refused"] = " ".join(refusals)
            found["pages_read_only"] = controller.read_only()
            w.view.select_measure("4.1")
            banner = w.view.measure_page.banner
            found["banner"] = banner.text() if not banner.isHidden() else ""
        w.close()
        found["changed"] = _state(db) != before
        return found


def page_size(path: Path) -> int:
    size = int.from_bytes(path.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def _patch(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(data)


def damage(path: Path, case: str) -> None:
    """Make ``case`` of ``path`` (a sound database with nothing in its -wal)."""
    size = path.stat().st_size
    page = page_size(path)
    pages = size // page
    rnd = __import__("random").Random(case)

    def noise(n):
        return bytes(rnd.getrandbits(8) for _ in range(n))

    if case == "cut to half":
        os.truncate(path, size // 2)
    elif case == "cut to one page":
        os.truncate(path, page)
    elif case == "cut to 100 bytes":
        os.truncate(path, 100)
    elif case == "header magic overwritten":
        _patch(path, 0, b"SQLite format 2\x00")
    elif case == "page size broken":
        _patch(path, 16, b"\x00\x03")
    elif case == "schema page overwritten":
        _patch(path, 100, noise(page - 100))
    elif case == "a middle page zeroed":
        _patch(path, page * (pages // 2), bytes(page))
    elif case == "a middle page noise":
        _patch(path, page * (pages // 2), noise(page))
    elif case == "the last page noise":
        _patch(path, page * (pages - 1), noise(page))
    elif case == "every page scribbled":
        for n in range(1, pages):
            _patch(path, n * page, b"\xff" * 64)
    elif case == "pages in the second quarter noise":
        for n in range(pages // 4, pages // 2, 3):
            _patch(path, n * page, noise(256))
    elif case == "garbage -wal beside it":
        Path(f"{path}-wal").write_bytes(noise(4096 * 3))
    elif case == "empty file":
        os.truncate(path, 0)
    elif case == "a text file":
        path.write_text("name,code\nوزارت,1001\n", encoding="utf-8")
    elif case == "another program's database":
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.close()
    elif case == "a newer workbench's database":
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = 'ffffffff9999'")
        conn.close()
    elif case == "a folder":
        path.unlink()
        path.mkdir()
    elif case == "missing":
        path.unlink()
    else:
        raise ValueError(case)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(probe(Path(sys.argv[1]), Path(sys.argv[2]), window=len(sys.argv) < 4), ensure_ascii=False))
