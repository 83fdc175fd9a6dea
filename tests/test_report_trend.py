"""The trend report: its workbook's figures recomputed here from ``score --json`` of each round."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from workbench.model.text import ascii_digits

YEARS = (1401, 1402, 1403)


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("trend") / "demo.sqlite"
    result = run("demo", path, "--agencies", "14", "--rounds", "3")
    assert result.returncode == 0, result.stderr
    assert "۱۴۰۱" in result.stdout
    return path


@pytest.fixture(scope="module")
def report(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("trend-out")
    result = run("report", "trend", demo, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def expected(demo) -> dict:
    """Per round, per agency code: (total, band, rank among its level) from ``score --json``."""
    conn = sqlite3.connect(demo)
    levels = dict(conn.execute("SELECT code, level FROM agencies"))
    conn.close()
    out = {}
    for year in YEARS:
        result = run("score", demo, "--round", year, "--json")
        assert result.returncode == 0, result.stderr
        cards = {c["agency_code"]: c for c in json.loads(result.stdout)}
        by_level = defaultdict(list)
        for code, c in cards.items():
            if c["status"] == "final" and c["total_percent"] is not None:
                by_level[levels[code]].append(round(c["total_percent"], 2))
        figures = {}
        for code, c in cards.items():
            final = c["status"] == "final" and c["total_percent"] is not None
            total = round(c["total_percent"], 2) if final else None
            rank = 1 + sum(1 for t in by_level[levels[code]] if t > total) if final else None
            figures[code] = (total, c["band"] if final else None, rank, c["status"])
        out[year] = figures
    return out


def test_workbook_figures_are_the_scores_of_each_round(demo, report):
    want = expected(demo)
    wb = load_workbook(report / "trend.xlsx")
    assert [ws.title for ws in wb.worksheets] == ["دستگاه‌های استانی", "شاخص‌ها — دستگاه‌های استانی",
                                                  "دستگاه‌های ملی", "شاخص‌ها — دستگاه‌های ملی"]
    seen = 0
    for ws in wb.worksheets[::2]:
        assert ws.sheet_view.rightToLeft and ws.page_setup.orientation == "landscape"
        header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "دستگاه")
        headers = [ws.cell(header, c).value for c in range(1, ws.max_column + 1)]
        assert headers[2] == "امتیاز کل ۱۴۰۱ (٪)" and headers[-1] == "تغییر رتبه ۱۴۰۲ تا ۱۴۰۳"
        for r in range(header + 1, ws.max_row + 1):
            code = ascii_digits(ws.cell(r, 2).value or "")
            if not code:
                continue
            seen += 1
            for i, year in enumerate(YEARS):
                total, band, rank = (ws.cell(r, 3 + 3 * i + k).value for k in range(3))
                got = want[year].get(code)
                if got is None:
                    assert total == "—"
                    continue
                if got[0] is None:  # not final: its status, never a number
                    assert not isinstance(total, float | int)
                    continue
                assert total == got[0] and band == got[1] and rank == got[2], (code, year)
            change_cell = ws.cell(r, 3 + 3 * len(YEARS)).value
            rank_cell = ws.cell(r, 4 + 3 * len(YEARS)).value
            before, after = want[1402].get(code), want[1403].get(code)
            if before and after and before[0] is not None and after[0] is not None:
                assert change_cell == round(after[0] - before[0], 2)
                moved = before[2] - after[2]
                assert rank_cell == ("بی‌تغییر" if moved == 0 else
                                     f"{'▲' if moved > 0 else '▼'} {ascii_digits(str(abs(moved))).translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))}")
            else:
                assert change_cell == "—" and rank_cell == "—"
    assert seen == len(set().union(*(want[y] for y in YEARS)))


def test_charts_and_the_basis_note(report):
    charts = sorted(p.name for p in (report / "trend-charts").iterdir())
    assert {"01-distribution.png", "01-distribution.svg", "02-distribution.png"} <= set(charts)
    assert any(n.startswith("agency-") and n.endswith(".png") for n in charts)
    assert any(n.endswith("-movers.png") for n in charts)
    ws = load_workbook(report / "trend.xlsx").worksheets[0]
    facts = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 10)}
    # The demo's 1401 weighted indicator 7 otherwise: said, and the comparison is by percent.
    assert "۱۴۰۱ و ۱۴۰۲" in facts["مبنای مقایسه"] and "درصد" in facts["مبنای مقایسه"]
    assert "۱۴۰۲ و ۱۴۰۳" not in facts["مبنای مقایسه"]
    assert facts["دوره‌ها"] == "سال‌های ۱۴۰۱، ۱۴۰۲ و ۱۴۰۳"


def test_rounds_option_and_refusals(demo, tmp_path):
    conn = sqlite3.connect(demo)
    (code,) = conn.execute(
        "SELECT g.code FROM agencies g JOIN assessments a ON a.agency_uuid = g.uuid "
        "JOIN rounds r ON r.uuid = a.round_uuid WHERE r.year = 1402 ORDER BY g.code").fetchone()
    conn.close()
    result = run("report", "trend", demo, "--out", tmp_path / "two", "--rounds", "۱۴۰۲,۱۴۰۳", "--agency", code)
    assert result.returncode == 0, result.stderr
    ws = load_workbook(tmp_path / "two" / "trend.xlsx").worksheets[0]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "دستگاه")
    assert ws.cell(header, 3).value == "امتیاز کل ۱۴۰۲ (٪)"
    assert (tmp_path / "two" / "trend-charts" / f"agency-{code}.png").exists()
    one = run("report", "trend", demo, "--out", tmp_path / "one", "--rounds", "1403")
    assert one.returncode == 2 and "دو دوره" in one.stderr and not (tmp_path / "one" / "trend.xlsx").exists()
    missing = run("report", "trend", demo, "--out", tmp_path / "x", "--rounds", "1399,1403")
    assert missing.returncode == 2 and "۱۳۹۹" in missing.stderr


def test_printed_summary_compares_with_the_previous_round(demo):
    from workbench.model.assessments import find_round, round_assessments
    from workbench.model.store import open_store
    from workbench.reports.summary_html import load_source, render_html
    from workbench.reports.summary_trend import signed

    want = expected(demo)
    store = open_store(demo)
    try:
        with store.session() as s:
            both = [code for code in want[1403] if code in want[1402] and want[1402][code][0] is not None
                    and want[1403][code][0] is not None]
            code = both[0]
            a = next(a for a, ag in round_assessments(s, find_round(s, 1403)) if ag.code == code)
            page = render_html(load_source(s, a))
            assert "مقایسه با دورهٔ پیشین (۱۴۰۲)" in page
            before, after = want[1402][code], want[1403][code]
            assert signed(round(after[0] - before[0], 2)) in page
            assert f"{before[2]} از".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page
            first = round_assessments(s, find_round(s, 1401))[0][0]
            assert "مقایسه با دورهٔ پیشین" not in render_html(load_source(s, first))
    finally:
        store.close()


def test_indicator_sheets_hold_each_indicators_percent_per_round_from_score_json(demo, report):
    """The «شاخص‌ها» sheets: agency × indicator rows, each round's percent of the indicator's points
    recomputed from score --json's earned and possible, and the change from 1402 to 1403."""
    from workbench.model.terms import NOT_APPLICABLE
    from workbench.model.text import round_percent

    cards = {}
    for year in YEARS:
        result = run("score", demo, "--round", year, "--json")
        cards[year] = {c["agency_code"]: c for c in json.loads(result.stdout)}
    wb = load_workbook(report / "trend.xlsx")
    checked = numbers = 0
    for ws in wb.worksheets[1::2]:
        assert ws.sheet_view.rightToLeft and ws.page_setup.orientation == "landscape"
        header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "دستگاه")
        assert [ws.cell(header, c).value for c in range(3, 8)] == [
            "شاخص", "۱۴۰۱ (٪)", "۱۴۰۲ (٪)", "۱۴۰۳ (٪)", "تغییر ۱۴۰۲ تا ۱۴۰۳ (واحد درصد)"]
        rows_of = defaultdict(int)
        for r in range(header + 1, ws.max_row + 1):
            code = ascii_digits(ws.cell(r, 2).value or "")
            key = ascii_digits(ws.cell(r, 3).value.split(".")[0])
            rows_of[code] += 1
            shown = [ws.cell(r, 4 + i).value for i in range(len(YEARS))]
            for year, cell in zip(YEARS, shown):
                card = cards[year].get(code)
                if card is None:
                    assert cell == "—"
                elif card["status"] != "final":
                    assert not isinstance(cell, float | int)
                else:
                    node = card["indicators"][key]
                    if not node["applicable"]:
                        assert cell == NOT_APPLICABLE
                    elif isinstance(cell, float | int):
                        # score --json gives earned to 4 decimals: the exact share lies within half a unit
                        # of that, and the sheet shows one of the two roundings at its ends (71.795 → 71.8 or
                        # 71.79 when the exact 280/13 of 30 is 71.7948…)
                        ends = {round_percent(100 * (node["earned"] + d) / node["possible"]) for d in (-5e-5, 5e-5)}
                        assert cell in ends, (code, key, year, ends)
                        numbers += 1
                    else:
                        assert cell == "—" and node["earned"] == 0
            change = ws.cell(r, 4 + len(YEARS)).value
            if all(isinstance(v, float | int) for v in shown[-2:]):
                assert change == round_percent(shown[-1] - shown[-2])
            else:
                assert change == "—"
            checked += 1
        assert set(rows_of.values()) == {11}
    assert checked == 11 * len(set().union(*(cards[y] for y in YEARS))) and numbers > 100
