"""A supervisor overrides an indicator's points for a round; scores follow."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbench.demo.build import build_demo


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("w") / "demo.sqlite")


def _score(db, code):
    out = _run("score", db, "--agency", code, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)[0]


def test_override_changes_points_and_scores_and_can_be_cleared(demo_db):
    listed = json.loads(_run("weights", demo_db, "--json").stdout)
    assert listed["round"] == 1403
    first = {r["indicator"]: r for r in listed["indicators"]}
    assert first["1"]["source"] == "assumed" and first["1"]["points"] == 30
    assert first["4"]["source"] == "guide"

    before = _score(demo_db, "1120")
    out = _run("weights", demo_db, "--set", "۱=60", "--reason", "تصمیم کارگروه", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["indicator"]: r for r in json.loads(out.stdout)["indicators"]}
    assert rows["1"]["points"] == 60 and rows["1"]["source"] == "override"
    assert rows["1"]["framework_points"] == 30

    after = _score(demo_db, "1120")
    assert after["indicators"]["1"]["possible"] == pytest.approx(2 * before["indicators"]["1"]["possible"])
    assert after["indicators"]["1"]["earned"] == pytest.approx(2 * before["indicators"]["1"]["earned"])
    assert after["indicators"]["4"] == before["indicators"]["4"]

    assert _run("weights", demo_db, "--clear", "1").returncode == 0
    assert _score(demo_db, "1120") == before

    # Typed with Persian or Arabic-Indic digits, set and cleared alike.
    assert _run("weights", demo_db, "--set", "۴=۷۰").returncode == 0
    assert _score(demo_db, "1120")["indicators"]["4"]["possible"] == pytest.approx(2 * before["indicators"]["4"]["possible"])
    cleared = _run("weights", demo_db, "--clear", "٤")
    assert cleared.returncode == 0, cleared.stderr
    assert _score(demo_db, "1120") == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--set", "99=10"), "شاخص 99"),
        (("--set", "1=-5"), "منفی"),
        # float() reads these; stored, they broke every later score (exit 1, JSON «Infinity»)
        (("--set", "1=inf"), "عدد نیست"),
        (("--set", "1=nan"), "عدد نیست"),
        (("--set", "1:5"), "1:5"),
        (("--round", "1399"), "1399"),
    ],
)
def test_bad_overrides_are_refused_and_change_nothing(demo_db, args, fragment):
    before = _run("weights", demo_db, "--json").stdout
    out = _run("weights", demo_db, *args)
    assert out.returncode == 2
    assert fragment in out.stderr
    assert _run("weights", demo_db, "--json").stdout == before


def test_a_database_another_program_is_writing_is_named_and_left_unchanged(demo_db):
    import sqlite3

    before = _run("weights", demo_db, "--json").stdout
    holder = sqlite3.connect(demo_db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the window, mid-save
        out = _run("weights", demo_db, "--set", "1=40")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and str(demo_db) in out.stderr and "برنامهٔ دیگری" in out.stderr
    assert _run("weights", demo_db, "--json").stdout == before


@pytest.mark.parametrize(
    ("sqlite_says", "fragment"),
    [("database or disk is full", "دیسک پر است"), ("attempt to write a readonly database", "فقط‌خواندنی")],
)
def test_a_database_that_cannot_be_written_is_named(demo_db, monkeypatch, capsys, sqlite_says, fragment):
    import sqlite3

    from workbench.cli import main
    from workbench.model import assessments

    def cannot_write(*_args, **_kwargs):
        raise sqlite3.OperationalError(sqlite_says)

    monkeypatch.setattr(assessments, "set_weight_override", cannot_write)
    assert main(["weights", str(demo_db), "--set", "1=40"]) == 2
    err = capsys.readouterr().err
    assert fragment in err and str(demo_db) in err and "Traceback" not in err
