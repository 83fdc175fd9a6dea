"""The ranking workbook and charts: opened again and compared with ``score_round``."""
from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
from PIL import Image as PILImage
from report_data import HOSTILE, NA_INDICATORS, Spec, build

from workbench.model.assessments import find_round, score_round
from workbench.model.text import persian_digits, round_percent
from workbench.reports import charts
from workbench.reports.progress import ReportCancelled
from workbench.reports.ranking import export_ranking
from workbench.reports.ranking_sheets import (
    ASSUMPTIONS_SHEET,
    AVERAGES_SHEET,
    CODE_HEADER,
    NOT_APPLICABLE_TEXT,
    PENDING_SHEET,
    RANK_HEADERS,
    indicator_header,
)
from workbench.reports.ranks import competition_ranks

SPECS = [
    Spec("1001", "وزارت صنعت، معدن و تجارت", share=1.0),
    Spec("2002", "سازمان ثبت اسناد و املاک کشور", share=0.6),
    Spec("3003", "وزارت نیرو", share=0.6),  # the same answers as 2002: a tie
    Spec("4004", "سازمان امور مالیاتی کشور", share=0.3, na_extra=("10",)),
    Spec("1001-07", "سازمان صنعت، معدن و تجارت استان اصفهان", level="provincial", province="اصفهان",
         parent="1001", share=0.8),
    Spec("1001-11", "سازمان صنعت، معدن و تجارت استان تهران", level="provincial", province="تهران",
         parent="1001", share=0.5, na_extra=("8",)),
    Spec("2002-07", "اداره کل ثبت اسناد و املاک استان اصفهان", level="provincial", province="اصفهان",
         parent="2002", share=0.4),
    Spec("5005", "سازمان پیش‌نویس", status="draft", share=0.9),
    Spec("2002-11", "اداره کل ثبت اسناد و املاک استان تهران", level="provincial", province="تهران",
         parent="2002", status="complete", share=0.95),
    Spec("6006", HOSTILE[0], share=0.2),  # an agency name imported from a hostile file
]
FINAL = [s for s in SPECS if s.status == "final"]

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)


@pytest.fixture
def db(store, framework):
    build(store, framework, SPECS, tables=False)
    return store


def header_row(ws, first: str = "رتبه") -> int:
    for row in ws.iter_rows(min_row=1, max_row=15):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header row in {ws.title}")


def table(ws, first: str = "رتبه") -> list[list]:
    hr = header_row(ws, first)
    return [[c.value for c in r] for r in ws.iter_rows(min_row=hr + 1, max_row=ws.max_row)]


def export(db, tmp_path, group=None, name="out", svg=True):
    with db.session() as s:
        rnd = find_round(s)
        result = export_ranking(s, rnd, tmp_path / name, group, svg=svg)
        scored = {x.agency.code: x for x in score_round(s, rnd)}
    return result, scored


def test_competition_ranks():
    assert competition_ranks([90.0, 80.5, 80.5, 70.0]) == [1, 2, 2, 4]
    assert competition_ranks([50.0, 50.0, 50.0]) == [1, 1, 1]
    assert competition_ranks([]) == []


def test_one_sheet_ranked_against_the_scores(db, tmp_path, framework):
    result, scored = export(db, tmp_path)
    assert result.workbook == tmp_path / "out" / "ranking.xlsx"
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames == ["رتبه‌بندی", AVERAGES_SHEET, PENDING_SHEET, ASSUMPTIONS_SHEET]
    ws = wb["رتبه‌بندی"]
    hr = header_row(ws)
    keys = [ind.key for ind in framework.indicators]
    assert [c.value for c in ws[hr]] == RANK_HEADERS + [indicator_header(k) for k in keys] + [CODE_HEADER]
    assert indicator_header("1") == "شاخص ۱ (٪)"
    rows = table(ws)
    assert len(rows) == len(FINAL)
    by_code = {}
    for row in rows:
        code = row[-1]
        assert code in {persian_digits(s.code) for s in FINAL}
        by_code[code] = row
    for spec in FINAL:
        row = by_code[persian_digits(spec.code)]
        card = scored[spec.code].card
        assert row[1] == spec.name
        assert row[2] == pytest.approx(round_percent(card.percent), abs=1e-9)
        assert row[3] == card.band.title
        for i, key in enumerate(keys):
            node = card[key]
            cell = row[4 + i]
            if not node.applicable:
                assert cell == NOT_APPLICABLE_TEXT
            else:
                assert cell == pytest.approx(round_percent(node.percent), abs=1e-9)
    # rank order: totals never increase down the sheet
    totals = [r[2] for r in rows]
    assert totals == sorted(totals, reverse=True)
    assert rows[0][1] == "وزارت صنعت، معدن و تجارت" and rows[0][0] == 1


def test_ties_share_a_rank_and_the_next_is_skipped(db, tmp_path):
    result, scored = export(db, tmp_path)
    rows = table(openpyxl.load_workbook(result.workbook)["رتبه‌بندی"])
    ranks = {r[1]: r[0] for r in rows}
    assert scored["2002"].card.percent == pytest.approx(scored["3003"].card.percent)
    tied = ranks["سازمان ثبت اسناد و املاک کشور"]
    assert ranks["وزارت نیرو"] == tied
    after = [r[0] for r in rows if r[0] > tied]
    assert after and min(after) == tied + 2
    assert [r[0] for r in rows] == competition_ranks([r[2] for r in rows])


def test_not_final_listed_apart_and_not_ranked(db, tmp_path):
    result, scored = export(db, tmp_path)
    wb = openpyxl.load_workbook(result.workbook)
    ranked_names = {r[1] for r in table(wb["رتبه‌بندی"])}
    assert "سازمان پیش‌نویس" not in ranked_names
    assert "اداره کل ثبت اسناد و املاک استان تهران" not in ranked_names
    pending = table(wb[PENDING_SHEET], "دستگاه")
    assert {r[0] for r in pending} == {"سازمان پیش‌نویس", "اداره کل ثبت اسناد و املاک استان تهران"}
    statuses = {r[0]: r[3] for r in pending}
    assert statuses["سازمان پیش‌نویس"] == "پیش‌نویس"
    provisional = {r[0]: r[4] for r in pending}
    assert provisional["سازمان پیش‌نویس"] == pytest.approx(round_percent(scored["5005"].card.percent))
    assert result.ranked_count == len(FINAL) and result.pending_count == 2


@pytest.mark.one_backend  # drawing, not the store
def test_sheet_layout_rtl_print_titles_and_hostile_name(db, tmp_path, framework):
    result, _ = export(db, tmp_path)
    wb = openpyxl.load_workbook(result.workbook)
    for ws in wb.worksheets:
        assert ws.sheet_view.rightToLeft is True
        hr = header_row_any(ws)
        assert ws.print_title_rows == f"${hr}:${hr}"
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert int(ws.page_setup.fitToWidth) == 1
        assert ws.oddFooter.center.text == "صفحه &P"  # numbered per sheet (test_report_workbook_print)
    ws = wb["رتبه‌بندی"]
    first = header_row_any(ws) + 1
    for row in ws.iter_rows(min_row=first, max_row=ws.max_row):
        band = next(b for b in framework.bands if b.title == row[3].value)
        assert row[3].fill.fgColor.rgb[-6:] == band.color.lstrip("#").upper()  # the band's own colour
        assert row[1].fill.fgColor.rgb in (None, "00000000")  # and only on the band cell
    hostile = [c for r in wb["رتبه‌بندی"].iter_rows() for c in r if c.value == HOSTILE[0]]
    assert len(hostile) == 1 and hostile[0].data_type == "s"


def header_row_any(ws) -> int:
    """The column header row: the first row whose cells carry the header fill."""
    for row in ws.iter_rows(min_row=1, max_row=15):
        if row[0].fill is not None and row[0].fill.fgColor.rgb in ("00DCE6F1", "FFDCE6F1"):
            return row[0].row
    raise AssertionError(ws.title)


def test_averages_sheet_matches_the_cards(db, tmp_path, framework):
    result, scored = export(db, tmp_path)
    rows = table(openpyxl.load_workbook(result.workbook)[AVERAGES_SHEET], "شاخص")
    assert len(rows) == len(framework.indicators)
    cards = [scored[s.code].card for s in FINAL]
    for row, ind in zip(rows, framework.indicators):
        assert row[0] == persian_digits(ind.key) and row[1] == ind.title
        values = [c[ind.key].percent for c in cards if c[ind.key].applicable and c[ind.key].percent is not None]
        if values:
            assert row[3] == pytest.approx(round(sum(values) / len(values), 2))
        else:
            assert row[3] == "—"
        assert row[4] == len(values)
        assert row[5] == sum(1 for c in cards if not c[ind.key].applicable)


@pytest.mark.one_backend  # drawing, not the store
def test_charts_written_as_png_and_svg_and_embedded(db, tmp_path):
    result, _ = export(db, tmp_path)
    names = sorted(p.name for p in result.charts)
    assert names == sorted(
        ["01-bars.png", "01-bars.svg", "01-heatmap.png", "01-heatmap.svg",
         "indicator-averages.png", "indicator-averages.svg"]
    )
    for path in result.charts:
        assert path.parent == tmp_path / "out" / "charts" and path.stat().st_size > 5000
        if path.suffix == ".png":
            with PILImage.open(path) as im:
                assert im.format == "PNG" and im.width >= 800 and im.height >= 300
        else:
            assert path.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    wb = openpyxl.load_workbook(result.workbook)
    assert len(wb["رتبه‌بندی"]._images) == 2
    assert len(wb[AVERAGES_SHEET]._images) == 1
    assert not list((tmp_path / "out").glob(".ranking-*"))  # the work folder is gone


def test_group_by_province_a_sheet_each_national_ones_apart(db, tmp_path):
    result, scored = export(db, tmp_path, "province")
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames == ["اصفهان", "تهران", "بدون استان", AVERAGES_SHEET, PENDING_SHEET, ASSUMPTIONS_SHEET]
    assert [r[1] for r in table(wb["اصفهان"])] == [
        "سازمان صنعت، معدن و تجارت استان اصفهان", "اداره کل ثبت اسناد و املاک استان اصفهان"
    ]
    assert [r[0] for r in table(wb["تهران"])] == [1]  # the other Tehran unit is not final
    assert len(table(wb["بدون استان"])) == 5
    pending = {r[0]: r[2] for r in table(wb[PENDING_SHEET], "دستگاه")}
    assert pending["اداره کل ثبت اسناد و املاک استان تهران"] == "تهران"
    # two or fewer ranked agencies: the table alone, and the sheet says why
    assert len(wb["اصفهان"]._images) == 0 and len(wb["تهران"]._images) == 0
    notes = [c.value for r in wb["اصفهان"].iter_rows(max_row=10) for c in r if isinstance(c.value, str)]
    assert any("نمودار رسم نمی‌شود" in v for v in notes)
    assert len(wb["بدون استان"]._images) == 2
    assert sorted(p.name for p in result.charts if p.suffix == ".png") == ["03-bars.png", "03-heatmap.png", "indicator-averages.png"]


def test_group_national_and_provincial_rank_one_level(db, tmp_path):
    national, _ = export(db, tmp_path, "national", "nat")
    wb = openpyxl.load_workbook(national.workbook)
    assert wb.sheetnames[0] == "دستگاه‌های ملی"
    assert len(table(wb["دستگاه‌های ملی"])) == 5
    provincial, _ = export(db, tmp_path, "provincial", "prov")
    rows = table(openpyxl.load_workbook(provincial.workbook)["دستگاه‌های استانی"])
    assert {r[1] for r in rows} == {
        "سازمان صنعت، معدن و تجارت استان اصفهان",
        "سازمان صنعت، معدن و تجارت استان تهران",
        "اداره کل ثبت اسناد و املاک استان اصفهان",
    }


def test_group_by_parent(db, tmp_path):
    result, _ = export(db, tmp_path, "parent")
    wb = openpyxl.load_workbook(result.workbook)
    assert wb.sheetnames[:3] == ["سازمان ثبت اسناد و املاک کشور", "وزارت صنعت، معدن و تجارت", "بدون دستگاه مادر"]
    assert [r[1] for r in table(wb["وزارت صنعت، معدن و تجارت"])] == [
        "سازمان صنعت، معدن و تجارت استان اصفهان", "سازمان صنعت، معدن و تجارت استان تهران"
    ]


def test_cancel_leaves_nothing(db, tmp_path):
    calls = []
    with db.session() as s:
        with pytest.raises(ReportCancelled):
            export_ranking(s, find_round(s), tmp_path / "c", None,
                           progress=lambda *a: calls.append(a), cancelled=lambda: len(calls) >= 1)
    assert calls and not (tmp_path / "c" / "ranking.xlsx").exists()
    assert list((tmp_path / "c").iterdir()) == []


def test_svg_only_when_asked(db, tmp_path):
    """Unasked, the charts are PNG alone (the SVG drew every chart a second time) and the sheet says so."""
    result, _ = export(db, tmp_path, svg=False)
    assert sorted(p.name for p in result.charts) == ["01-bars.png", "01-heatmap.png", "indicator-averages.png"]
    assert not list((tmp_path / "out" / "charts").glob("*.svg"))
    texts = [c.value for row in openpyxl.load_workbook(result.workbook).worksheets[0].iter_rows() for c in row]
    assert not any(isinstance(t, str) and "svg" in t for t in texts)
    # asked again into the same folder: the SVGs of that run are not left from an earlier one
    export(db, tmp_path, svg=True)
    assert len(list((tmp_path / "out" / "charts").glob("*.svg"))) == 3
    export(db, tmp_path, svg=False)
    assert not list((tmp_path / "out" / "charts").glob("*.svg"))


def test_bar_chart_of_a_large_group_shows_the_first_ranks_and_says_so(tmp_path):
    labels = [f"{persian_digits(i + 1)}. دستگاه شمارهٔ {persian_digits(i + 1)}" for i in range(300)]
    values = [100 - i / 3 for i in range(300)]
    files = charts.bar_chart(labels, values, ["#1b7837"] * 300, [], "آزمون", tmp_path / "big")
    assert (files.shown, files.total) == (charts.TOP_N, 300)
    assert files.png.exists() and files.svg.exists()
    with PILImage.open(files.png) as im:  # tall enough for 40 readable rows, not 300
        assert im.height < 40 * 0.4 * charts.PNG_DPI


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "workbench", "report", "ranking", *map(str, args)],
        capture_output=True, text=True, timeout=180,
    )


def test_cli(db, tmp_path):
    done = run_cli(db.path, "--out", tmp_path / "cli", "--group", "province", "--round", "1403")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cli" / "ranking.xlsx").exists()
    assert "۳ گروه" in done.stdout and "۲ ارزیابی نهایی‌نشده" in done.stdout
    assert not list((tmp_path / "cli" / "charts").glob("*.svg"))
    with_svg = run_cli(db.path, "--out", tmp_path / "cli-svg", "--svg")
    assert with_svg.returncode == 0, with_svg.stderr
    assert len(list((tmp_path / "cli-svg" / "charts").glob("*.svg"))) == 3

    missing = run_cli(tmp_path / "none.sqlite", "--out", tmp_path / "x")
    assert missing.returncode == 2 and "وجود ندارد" in missing.stderr
    assert not (tmp_path / "x").exists()

    bad_group = run_cli(db.path, "--out", tmp_path / "y", "--group", "city")
    assert bad_group.returncode == 2 and "خطا" in bad_group.stderr

    no_round = run_cli(db.path, "--out", tmp_path / "z", "--round", "1399")
    assert no_round.returncode == 2 and "دوره" in no_round.stderr
    assert not (tmp_path / "z").exists()

    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    not_dir = run_cli(db.path, "--out", a_file)
    assert not_dir.returncode == 2 and "پوشه نیست" in not_dir.stderr
    assert a_file.read_text() == "x"


@pytest.mark.one_backend  # drawing, not the store
def test_charts_drawn_in_worker_processes_match(db, tmp_path):
    """The process pool (used for big rounds) gives the same files as drawing in-process."""
    with db.session() as s:
        rnd = find_round(s)
        serial = export_ranking(s, rnd, tmp_path / "serial", None, workers=1)
        pooled = export_ranking(s, rnd, tmp_path / "pooled", None, workers=2)
    assert [p.name for p in serial.charts] == [p.name for p in pooled.charts]
    for a, b in zip(serial.charts, pooled.charts):
        if a.suffix == ".png":
            with PILImage.open(a) as ia, PILImage.open(b) as ib:
                assert ia.size == ib.size
    assert len(openpyxl.load_workbook(pooled.workbook)["رتبه‌بندی"]._images) == 2


def test_cancel_while_drawing_in_worker_processes(tmp_path):
    from workbench.reports.chart_jobs import ChartJob, draw_charts

    jobs = [
        ChartJob(f"c{i}", "bar_chart", ([f"{i}. دستگاه"], [50.0], ["#e6b800"], [], "آزمون", tmp_path / f"c{i}"))
        for i in range(6)
    ]
    seen = []
    with pytest.raises(ReportCancelled):
        draw_charts(jobs, workers=2, on_done=lambda *a: seen.append(a), cancelled=lambda: len(seen) >= 1)
    assert 1 <= len(seen) < 6


def test_chart_labels_from_agencies_are_plain_text(tmp_path):
    """A "$" or a backslash in an agency's name must not be read as mathtext."""
    labels = ["۱. اداره $\\nosuchcommand$", "۲. سازمان 100$ و 50$", "۳. شرکت $x^2$ _^{}"]
    files = charts.bar_chart(labels, [90.0, 80.0, 70.0], ["#1b7837"] * 3, [], "آزمون $", tmp_path / "m")
    assert files.png.stat().st_size > 0
    heat = charts.heat_map(labels, ["۱", "۲"], [[50.0, charts.NOT_APPLICABLE]] * 3, "آزمون", tmp_path / "h")
    assert heat.svg.read_text(encoding="utf-8").count("<svg") == 1


def test_sheet_names_of_long_group_titles_stay_distinct():
    from workbench.reports.sheets import sheet_title

    taken: set[str] = set()
    names = [sheet_title(f"اداره کل آموزش و مهارت‌آموزی استان {p}", taken)
             for p in ("خراسان رضوی", "خراسان شمالی", "آذربایجان غربی", "آذربایجان شرقی")]
    assert len(set(names)) == 4 and all(len(n) <= 31 for n in names)
    assert names[0].endswith("خراسان رضوی") and names[1].endswith("خراسان شمالی")
    assert sheet_title("a/b:c*d?[e]", taken) == "a b c d  e"
    again = sheet_title("اداره کل آموزش و مهارت‌آموزی استان خراسان رضوی", taken)
    assert again != names[0] and again.endswith("(۲)") and len(again) <= 31


def test_a_round_with_no_final_assessment_ranks_nobody_and_does_not_fail(store, framework, tmp_path):
    specs = [Spec("7001", "سازمان پیش‌نویس یک", status="draft", share=0.5),
             Spec("7002", "سازمان کامل دو", status="complete", share=0.0),
             # final, but every indicator not applicable: nothing to score, so not ranked either
             Spec("7003", "سازمان نهایی بی‌مصداق", share=0.0,
                  na_extra=tuple(str(n) for n in range(1, 12) if str(n) not in NA_INDICATORS))]
    build(store, framework, specs, tables=False)
    for group in (None, "province"):
        result, _ = export(store, tmp_path, group, name=f"out-{group}")
        assert result.ranked_count == 0 and result.pending_count == 3
        wb = openpyxl.load_workbook(result.workbook)
        assert {r[0] for r in table(wb[PENDING_SHEET], "دستگاه")} == {s.name for s in specs}
        averages = table(wb[AVERAGES_SHEET], "شاخص")
        assert len(averages) == 11 and {r[3] for r in averages} == {"—"}
