"""Every assumption visible where it is published: the summary's HTML, the ranking workbook, the charts;
and a supervisor sets bands and indicator 7's split per round, audited (``workbench weights``)."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from workbench.cli import main
from workbench.demo.build import build_demo
from workbench.model.assessments import find_round, round_assessments, round_framework
from workbench.model.assumptions import round_assumptions
from workbench.model.schema import AuditEntry, BandSet, WeightOverride
from workbench.model.store import open_store

ASSUMED_LINE = "امتیاز شاخص‌های ۱، ۲، ۳، ۵ و ۷ (۱۲۵ از ۲۷۰ امتیاز) در راهنما نیامده و فرضی است"


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("a") / "demo.sqlite")


@pytest.fixture
def db(master, tmp_path):
    import shutil

    path = tmp_path / "demo.sqlite"
    shutil.copy(master, path)
    return path


def _weights(db, capsys, *args):
    assert main(["weights", str(db), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_summary_names_every_assumed_weight_and_band(db):
    from workbench.reports.summary_html import summary_html

    store = open_store(db)
    with store.session() as s:
        assessment, _agency = round_assessments(s, find_round(s))[0]
        html = summary_html(s, assessment)
    store.close()
    assert ASSUMED_LINE in html and "طبقه‌ها در راهنما نیامده و فرضی‌اند" in html
    notes = html[html.index("<h2>فرض‌های این دوره</h2>"):]
    for key in ("۱", "۲", "۳", "۵", "۷"):
        assert f"شاخص {key} (" in notes
    assert "عالی ۸۵" in notes  # the bands' thresholds, said to be assumed


def test_the_ranking_workbook_and_charts_name_them(db, tmp_path):
    out = tmp_path / "rank"
    assert main(["report", "ranking", str(db), "--out", str(out)]) == 0
    book = load_workbook(out / "ranking.xlsx")
    assert "فرض‌ها" in book.sheetnames
    first = book[book.sheetnames[0]]
    facts = {first.cell(r, 1).value: first.cell(r, 2).value for r in range(2, 10)}
    assert ASSUMED_LINE in facts["فرض‌ها"]
    notes = [c.value for c in book["فرض‌ها"]["B"] if c.value]
    assert any("شاخص ۷ (۲۰ امتیاز): فرضی" in n for n in notes)


def test_chart_jobs_carry_the_assumption_line(db, tmp_path, monkeypatch):
    from workbench.reports import ranking

    seen = []
    real = ranking.draw_charts

    def spy(jobs, *a, **k):
        seen.extend(job.kwargs.get("assumptions") for job in jobs)
        return real(jobs, *a, **k)

    monkeypatch.setattr(ranking, "draw_charts", spy)
    assert main(["report", "ranking", str(db), "--out", str(tmp_path / "r")]) == 0
    assert seen and all(ASSUMED_LINE in line for line in seen)


def test_supervisor_sets_bands_and_the_split_of_indicator_7_audited(db, capsys):
    listed = _weights(db, capsys)
    assert listed["bands_source"] == "assumed"
    out = _weights(db, capsys, "--bands", "عالی=۹۰، خوب=75، قابل قبول=50، ناکافی=0",
                   "--split", "7.1=6,6,2,2,2,2", "--reason", "مصوبهٔ کارگروه")
    assert out["bands_source"] == "override"
    assert [(b["title"], b["min"]) for b in out["bands"]] == [
        ("عالی", 90), ("خوب", 75), ("قابل قبول", 50), ("ناکافی", 0)]
    seven = next(r for r in out["indicators"] if r["indicator"] == "7")
    assert [i["points"] for i in seven["items"]] == [6, 6, 2, 2, 2, 2] and seven["points"] == 20
    assert "طبقه‌ها را سرپرست برای این دوره تعیین کرده است" in out["assumptions"]["line"]
    assert "وزن شاخص ۷ را سرپرست برای این دوره تعیین کرده است" in out["assumptions"]["line"]
    assert ASSUMED_LINE in out["assumptions"]["line"]  # indicator 7's 20 points themselves are still assumed
    assert any("workbench weights" in n and "مصوبهٔ کارگروه" in n for n in out["assumptions"]["notes"])
    store = open_store(db)
    with store.session() as s:
        rnd = find_round(s)
        fw = round_framework(s, rnd)
        assert fw.band_for(80).title == "خوب" and fw.node("7.1.1").points == 6
        audited = {e.table_name for e in s.scalars(select(AuditEntry))}
        assert {"band_sets", "weight_overrides"} <= audited
        assert s.scalar(select(BandSet.reason)) == "مصوبهٔ کارگروه"
        assert "سرپرست" in round_assumptions(s, rnd).line
    store.close()
    # An indicator override on top of the split scales it in proportion.
    out = _weights(db, capsys, "--set", "7=40")
    seven = next(r for r in out["indicators"] if r["indicator"] == "7")
    assert [i["points"] for i in seven["items"]] == [12, 12, 4, 4, 4, 4]
    out = _weights(db, capsys, "--clear-bands", "--clear-split", "7.1", "--clear", "7")
    assert out["bands_source"] == "assumed"
    store = open_store(db)
    with store.session() as s:
        assert s.scalar(select(WeightOverride)) is None
    store.close()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--split", "7.1=6,6,2,2,2"], "۶ مورد دارد"),
        (["--split", "7.1=6,6,2,2,2,3"], "باید برابر امتیاز نماگر"),
        (["--split", "7=4,4,3,3,3,3"], "نماگر نیست"),
        (["--bands", "عالی=85، خوب=70"], "آخرین طبقه باید ۰ باشد"),
        (["--bands", "عالی=50، خوب=70، بد=0"], "مرتب باشند"),
        (["--bands", "عالی"], "به شکل"),
    ],
)
def test_bad_settings_are_refused_in_persian_and_change_nothing(db, capsys, args, words):
    assert main(["weights", str(db), *args]) == 2
    assert words in capsys.readouterr().err
    store = open_store(db)
    with store.session() as s:
        assert s.scalar(select(WeightOverride)) is None and s.scalar(select(BandSet)) is None
    store.close()
