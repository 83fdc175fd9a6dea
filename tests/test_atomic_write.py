"""Output files are written beside their target and renamed: never half a file, normal permissions."""
from __future__ import annotations

import os
import stat
import sys

import pytest
from openpyxl import Workbook

from workbench.atomic_write import write_replacing
from workbench.imports.template import write_template
from workbench.model.errors import UserError
from workbench.reports.sheets import save_workbook

posix_only = pytest.mark.skipif(sys.platform.startswith("win"), reason="POSIX permission bits")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failed_write_leaves_the_previous_file_and_no_leftover(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"last week's report")

    def fails_midway(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_replacing(target, fails_midway)
    assert target.read_bytes() == b"last week's report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_a_successful_write_replaces_the_file(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    assert write_replacing(target, lambda tmp: open(tmp, "wb").write(b"new")) == target
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@posix_only
def test_new_files_get_the_users_permissions_not_owner_only(tmp_path, umask_022):
    # mkstemp makes 0600 files: a report on a shared folder others could not open.
    plain = write_replacing(tmp_path / "a.bin", lambda tmp: None)
    book = save_workbook(Workbook(), tmp_path / "b.xlsx")
    template = write_template(tmp_path / "c.xlsx")
    assert [_mode(p) for p in (plain, book, template)] == [0o644] * 3


def test_save_workbook_names_the_file_it_could_not_write(tmp_path):
    folder = tmp_path / "taken.xlsx"
    folder.mkdir()  # the target is a folder: the rename fails
    with pytest.raises(UserError, match="taken.xlsx"):
        save_workbook(Workbook(), folder)
    assert [p.name for p in tmp_path.iterdir()] == ["taken.xlsx"] and not list(folder.iterdir())
