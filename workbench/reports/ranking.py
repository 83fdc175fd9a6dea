"""The ranking workbook and its charts.

For the window and ``workbench report ranking`` (``commands/report.py``),
:func:`export_ranking` writes ``DIR/ranking.xlsx`` and ``DIR/charts/*.png|svg``:

* a sheet per group, agencies in rank order (ties share a rank) with their
  total, band and every indicator's %, the group's bar chart and heat map
  placed beside the table (the print area is the table alone);
* «میانگین شاخص‌ها»: the average % per indicator over the ranked
  assessments, with its chart;
* «ارزیابی‌های نهایی‌نشده»: assessments that are not final (or final with
  nothing scored), listed apart and not ranked.

Everything is built in a temporary folder inside DIR and moved in at the
end, so a cancelled or failed export leaves the previous output untouched.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.assessments import round_framework, score_round
from workbench.model.errors import UserError
from workbench.model.framework import Band, Framework
from workbench.model.jalali import format_jalali
from workbench.model.schema import Agency, Round
from workbench.model.scoring import ScoreCard
from workbench.model.terms import ALL_AGENCIES, GROUPING_TITLES, NOT_APPLICABLE
from workbench.model.text import format_number, persian_digits, round_percent
from workbench.reports import charts
from workbench.reports.chart_jobs import ChartJob, draw_charts
from workbench.reports.progress import CancelledFn, ProgressFn, step
from workbench.reports.ranks import GROUPINGS, GroupRanking, rank_groups
from workbench.reports.sheet_print import Picture, link_to_file, next_free_column, print_table_and_pictures
from workbench.reports.sheets import (
    CENTERED,
    FONT_NAME,
    INTEGER,
    PERCENT,
    VALUE,
    fit_row_height,
    number_style_for,
    put_number,
    put_text,
    round_text,
    save_workbook,
    set_widths,
    setup_page,
    sheet_title,
    write_header_row,
    write_title_block,
)

WORKBOOK_NAME = "ranking.xlsx"
CHARTS_DIR = "charts"
RANK_HEADERS = ["رتبه", "دستگاه", "امتیاز کل (٪)", "طبقه"]
CODE_HEADER = "کد دستگاه"
NOT_APPLICABLE_TEXT = NOT_APPLICABLE
UNANSWERED_TEXT = "بی‌پاسخ"
AVERAGES_SHEET = "میانگین شاخص‌ها"
PENDING_SHEET = "ارزیابی‌های نهایی‌نشده"
PENDING_HEADERS = ["دستگاه", CODE_HEADER, "گروه", "وضعیت", "امتیاز کل موقت (٪)", "ارزیاب"]
AVERAGE_HEADERS = ["شاخص", "عنوان شاخص", "امتیاز شاخص", "میانگین (٪)", "ارزیابی‌های دارای مصداق", NOT_APPLICABLE]
#: A group with fewer ranked agencies gets no charts: its two rows of table say it all.
MIN_CHART_ROWS = 3
PX_PER_INCH = 96  # how Excel sizes a picture given in pixels


def indicator_header(key: str) -> str:
    return f"شاخص {persian_digits(key)} (٪)"


@dataclass
class GroupCharts:
    bars: charts.ChartFiles | None = None
    heat: charts.ChartFiles | None = None


@dataclass
class RankingResult:
    workbook: Path
    groups: list[GroupRanking]
    charts: list[Path] = field(default_factory=list)  # every PNG and SVG written

    @property
    def ranked_count(self) -> int:
        return sum(len(g.ranked) for g in self.groups)

    @property
    def pending_count(self) -> int:
        return sum(len(g.pending) for g in self.groups)


def export_ranking(
    session: Session,
    rnd: Round,
    out_dir: Path,
    group: str | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    workers: int | None = None,
) -> RankingResult:
    """Rank the round's assessments (per ``group``) and write the workbook and charts into ``out_dir``.

    ``workers``: processes drawing the charts (default: one per core, up to
    four, once there are enough charts to be worth it; 1 draws in-process).
    """
    if group is not None and group not in GROUPINGS:
        raise UserError(f"گروه‌بندی «{group}» شناخته نیست؛ یکی از {'، '.join(GROUPINGS)}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"«{out_dir}» پوشه نیست؛ خروجی رتبه‌بندی یک پوشه است")
    framework = round_framework(session, rnd)
    agencies = {a.uuid: a for a in session.scalars(select(Agency))}
    groups = rank_groups(score_round(session, rnd), group, agencies)
    if not groups:
        raise UserError(
            f"در دورهٔ {persian_digits(rnd.year)} ارزیابی‌ای برای رتبه‌بندی ({GROUPING_TITLES[group]}) نیست"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".ranking-", dir=out_dir))
    except OSError as exc:
        raise UserError(f"پوشهٔ «{out_dir}» ساخته یا نوشته نشد: {exc.strerror or exc}") from exc
    try:
        result = _build(framework, rnd, group, groups, work, progress, cancelled, workers)
        return _move_into(result, work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build(framework, rnd, group, groups, work: Path, progress, cancelled, workers) -> RankingResult:
    legend = band_legend(framework.bands)
    averages = indicator_averages(framework, groups)
    ranked_count = sum(len(g.ranked) for g in groups)
    width = max(2, len(str(len(groups))))
    jobs = [job for n, g in enumerate(groups, start=1) for job in _group_jobs(framework, rnd, g, f"{n:0{width}d}", work, legend)]
    jobs.append(_averages_job(framework, rnd, averages, work, legend, ranked_count))
    # Charts take nearly all the time: they are the bulk of the progress.
    steps = len(jobs) + len(groups) + 3
    step(progress, cancelled, 0, steps, "نمودارها")
    drawn = draw_charts(
        jobs, workers,
        on_done=lambda done, _total, key: step(progress, None, done, steps, key),
        cancelled=cancelled,
    )
    result = RankingResult(work / WORKBOOK_NAME, groups)
    result.charts = [p for job in jobs for p in (drawn[job.key].png, drawn[job.key].svg)]
    wb = Workbook()
    wb.remove(wb.active)
    taken = {AVERAGES_SHEET, PENDING_SHEET}
    today = format_jalali(dt.date.today())
    done = len(jobs)
    for n, g in enumerate(groups, start=1):
        step(progress, cancelled, done + n - 1, steps, g.title)
        title = "رتبه‌بندی" if group is None else g.title
        ws = wb.create_sheet(sheet_title(title, taken))
        code = f"{n:0{width}d}"
        charts_of = GroupCharts(drawn.get(f"{code}-bars"), drawn.get(f"{code}-heatmap"))
        _group_sheet(ws, framework, rnd, group, g, charts_of, today)
    done += len(groups)
    step(progress, cancelled, done, steps, AVERAGES_SHEET)
    _averages_sheet(wb.create_sheet(AVERAGES_SHEET), framework, rnd, averages, drawn["indicator-averages"],
                    today, ranked_count)
    step(progress, cancelled, done + 1, steps, PENDING_SHEET)
    _pending_sheet(wb.create_sheet(PENDING_SHEET), rnd, groups, today)
    step(progress, cancelled, done + 2, steps, "ذخیرهٔ فایل")
    save_workbook(wb, result.workbook)
    return result


def _move_into(result: RankingResult, work: Path, out_dir: Path) -> RankingResult:
    charts_dir = out_dir / CHARTS_DIR
    try:
        charts_dir.mkdir(exist_ok=True)
        # Charts of an earlier export with more groups would otherwise linger
        # and be taken for this one's.
        for old in charts_dir.iterdir():
            if old.suffix in (".png", ".svg") and (old.stem.endswith(("-bars", "-heatmap")) or
                                                   old.stem == "indicator-averages"):
                old.unlink()
        moved = []
        for path in result.charts:
            target = charts_dir / path.name
            os.replace(path, target)
            moved.append(target)
        workbook = out_dir / WORKBOOK_NAME
        os.replace(result.workbook, workbook)
    except OSError as exc:
        raise UserError(f"خروجی در «{out_dir}» نوشته نشد: {exc.strerror or exc}") from exc
    return RankingResult(workbook, result.groups, moved)


# --------------------------------------------------------------------------- numbers


def band_legend(bands: tuple[Band, ...]) -> list[charts.LegendEntry]:
    """«عالی: ۸۵٪ و بالاتر» … «بسیار ضعیف: کمتر از ۳۰٪», highest band first."""
    ordered = sorted(bands, key=lambda b: -b.minimum)
    entries = []
    for i, band in enumerate(ordered):
        if band.minimum <= 0 and i > 0:
            text = f"{band.title}: کمتر از {format_number(ordered[i - 1].minimum)}٪"
        else:
            text = f"{band.title}: {format_number(band.minimum)}٪ و بالاتر"
        entries.append(charts.LegendEntry(text, band.color))
    return entries


@dataclass
class IndicatorAverage:
    key: str
    title: str
    points: float
    average: float | None
    applicable: int
    not_applicable: int


def indicator_averages(framework: Framework, groups: list[GroupRanking]) -> list[IndicatorAverage]:
    """Mean % per indicator over the ranked assessments; N/A ones are not counted in the mean."""
    cards = [e.scored.card for g in groups for e in g.ranked]
    out = []
    for ind in framework.indicators:
        values = [c[ind.key].percent for c in cards if c[ind.key].applicable and c[ind.key].percent is not None]
        na = sum(1 for c in cards if not c[ind.key].applicable)
        avg = sum(values) / len(values) if values else None
        out.append(IndicatorAverage(ind.key, ind.title, ind.points, avg, len(values), na))
    return out


def indicator_cell(card: ScoreCard, key: str) -> float | str:
    node = card[key]
    if not node.applicable:
        return NOT_APPLICABLE_TEXT
    return UNANSWERED_TEXT if node.percent is None else round_percent(node.percent)


# --------------------------------------------------------------------------- charts


def _group_jobs(framework, rnd, g: GroupRanking, code: str, work: Path, legend) -> list[ChartJob]:
    """The bar chart and heat map of a group, when it has enough ranks to be worth a picture."""
    if len(g.ranked) < MIN_CHART_ROWS:
        return []
    year = persian_digits(rnd.year)
    labels = [f"{persian_digits(e.rank)}. {e.agency.name}" for e in g.ranked]
    values = [e.total for e in g.ranked]
    colors = [_band_color(framework, e.total) for e in g.ranked]
    keys = [ind.key for ind in framework.indicators]
    cells = [[_heat_value(e.scored.card, k) for k in keys] for e in g.ranked[: charts.TOP_N]]
    return [
        ChartJob(f"{code}-bars", "bar_chart", (
            labels, values, colors, legend, f"رتبه‌بندی دستگاه‌ها — {g.title} — دورهٔ {year}",
            work / CHARTS_DIR / f"{code}-bars",
        )),
        ChartJob(f"{code}-heatmap", "heat_map", (
            labels, [persian_digits(k) for k in keys], cells,
            f"امتیاز شاخص‌ها (٪) — {g.title} — دورهٔ {year}", work / CHARTS_DIR / f"{code}-heatmap",
        )),
    ]


def _heat_value(card: ScoreCard, key: str):
    node = card[key]
    if not node.applicable:
        return charts.NOT_APPLICABLE
    return node.percent


def _averages_job(framework, rnd, averages, work: Path, legend, count: int) -> ChartJob:
    labels = [f"{persian_digits(a.key)}. {a.title}" for a in averages]
    values = [None if a.average is None else round_percent(a.average) for a in averages]
    colors = [_band_color(framework, v) for v in values]
    return ChartJob("indicator-averages", "bar_chart", (
        labels, values, colors, legend,
        f"میانگین امتیاز هر شاخص — دورهٔ {persian_digits(rnd.year)} ({format_number(count)} ارزیابی نهایی)",
        work / CHARTS_DIR / "indicator-averages",
    ), {"subject": "شاخص", "axis_label": "میانگین امتیاز (٪)"})


def _band_color(framework: Framework, percent: float | None) -> str:
    band = framework.band_for(percent)
    return band.color if band is not None else "#bdbdbd"


def _embed(ws, files: charts.ChartFiles, column: int) -> Picture:
    image = Image(str(files.png))
    image.width = int(files.width_in * PX_PER_INCH)
    image.height = int(files.height_in * PX_PER_INCH)
    ws.add_image(image, f"{get_column_letter(column)}1")
    return Picture(column, 1, image.width, image.height)


def _chart_links(drawn: GroupCharts) -> list[tuple[str, str]]:
    """(label, path relative to the workbook) of each chart file, for the title block."""
    if drawn.bars is None:
        return []
    return [
        (label, f"{CHARTS_DIR}/{files.png.name}")
        for label, files in (("نمودار رتبه‌ها", drawn.bars), ("نقشهٔ شاخص‌ها", drawn.heat))
    ]


# --------------------------------------------------------------------------- sheets


def _group_sheet(ws, framework, rnd, grouping, g: GroupRanking, drawn: GroupCharts, today: str) -> None:
    keys = [ind.key for ind in framework.indicators]
    headers = RANK_HEADERS + [indicator_header(k) for k in keys] + [CODE_HEADER]
    facts = [
        ("دوره", round_text(rnd)),
        ("گروه", g.title if grouping is not None else ALL_AGENCIES),
        ("تاریخ تهیه", today),
        ("رتبه‌بندی", _ranked_text(g)),
        ("نمودار", _charts_text(drawn)),
    ]
    links = _chart_links(drawn)
    header_row = write_title_block(ws, f"رتبه‌بندی دستگاه‌ها — {g.title}", facts + links, span=8)
    for row, (_, path) in enumerate(links, start=2 + len(facts)):
        link_to_file(ws.cell(row, 2), path)
    write_header_row(ws, header_row, headers, height=32)
    for col, ind in enumerate(framework.indicators, start=len(RANK_HEADERS) + 1):
        ws.cell(header_row, col).comment = Comment(ind.title, "میز کار ارزیاب", width=220, height=60)
    widths = [11, 34, 11, 11] + [9] * len(keys) + [10]
    set_widths(ws, widths)
    row = header_row + 1
    for e in g.ranked:
        card = e.scored.card
        put_number(ws, row, 1, e.rank, INTEGER)
        put_text(ws, row, 2, e.agency.name)
        put_number(ws, row, 3, e.total, PERCENT)
        band = card.band
        band_cell = put_text(ws, row, 4, band.title if band else "—", CENTERED)
        if band is not None:
            band_cell.fill = PatternFill("solid", fgColor=band.color.lstrip("#").upper())
            band_cell.font = Font(name=FONT_NAME, size=10, bold=True, color=_ink_for(band.color))
        for col, key in enumerate(keys, start=len(RANK_HEADERS) + 1):
            value = indicator_cell(card, key)
            if isinstance(value, str):
                put_text(ws, row, col, value, CENTERED)
            else:
                put_number(ws, row, col, value, PERCENT)
        put_text(ws, row, len(headers), persian_digits(e.agency.code), CENTERED)
        fit_row_height(ws, row, widths)
        row += 1
    if not g.ranked:
        put_text(ws, row, 1, "در این گروه ارزیابی نهایی‌شده‌ای برای رتبه‌بندی نیست.", VALUE)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
    table = setup_page(ws, header_row, len(headers), f"رتبه‌بندی — {g.title} — دورهٔ {persian_digits(rnd.year)}")
    # Charts beside the table (to its left in a right-to-left sheet), each printed on a page of its own.
    if drawn.bars is not None:
        bars = _embed(ws, drawn.bars, len(headers) + 2)
        heat = _embed(ws, drawn.heat, next_free_column(ws, bars))
        print_table_and_pictures(ws, table, [bars, heat])


def _charts_text(drawn: GroupCharts) -> str:
    if drawn.bars is None:
        return f"برای گروهی با کمتر از {persian_digits(MIN_CHART_ROWS)} دستگاه رتبه‌دار نمودار رسم نمی‌شود"
    return "کنار جدول (هر یک در صفحهٔ چاپی جدا)، و در پوشهٔ خروجی با پیوندهای زیر (همین نام‌ها با پسوند svg نیز)"


def _ranked_text(g: GroupRanking) -> str:
    text = f"{format_number(len(g.ranked))} دستگاه رتبه‌بندی شده است"
    if g.pending:
        text += f"؛ {format_number(len(g.pending))} ارزیابی نهایی‌نشده جدا، در کاربرگ «{PENDING_SHEET}»"
    return text


def _averages_sheet(ws, framework, rnd, averages, chart, today: str, count: int) -> None:
    facts = [
        ("دوره", round_text(rnd)),
        ("تاریخ تهیه", today),
        ("ارزیابی", f"میانگین {format_number(count)} ارزیابی نهایی رتبه‌بندی‌شده؛ عدم مصداق‌ها در میانگین شمرده نشده‌اند"),
    ]
    header_row = write_title_block(ws, "میانگین امتیاز هر شاخص", facts, span=6)
    write_header_row(ws, header_row, AVERAGE_HEADERS, height=32)
    set_widths(ws, [11, 48, 11, 12, 14, 11])
    row = header_row + 1
    for a in averages:
        put_text(ws, row, 1, persian_digits(a.key), CENTERED)
        put_text(ws, row, 2, a.title)
        put_number(ws, row, 3, a.points, number_style_for(a.points))
        if a.average is None:
            put_text(ws, row, 4, "—", CENTERED)
        else:
            put_number(ws, row, 4, round_percent(a.average), PERCENT)
        put_number(ws, row, 5, a.applicable, INTEGER)
        put_number(ws, row, 6, a.not_applicable, INTEGER)
        row += 1
    table = setup_page(ws, header_row, len(AVERAGE_HEADERS), f"میانگین شاخص‌ها — دورهٔ {persian_digits(rnd.year)}")
    print_table_and_pictures(ws, table, [_embed(ws, chart, len(AVERAGE_HEADERS) + 2)])


def _pending_sheet(ws, rnd, groups: list[GroupRanking], today: str) -> None:
    pending = [p for g in groups for p in g.pending]
    facts = [
        ("دوره", round_text(rnd)),
        ("تاریخ تهیه", today),
        ("توضیح", "این ارزیابی‌ها نهایی نشده‌اند (یا امتیازی ندارند) و در رتبه‌بندی نیامده‌اند؛ امتیازشان موقت است."),
    ]
    header_row = write_title_block(ws, "ارزیابی‌های نهایی‌نشده (بدون رتبه)", facts, span=6)
    write_header_row(ws, header_row, PENDING_HEADERS, height=32)
    widths = [34, 10, 24, 18, 12, 20]
    set_widths(ws, widths)
    row = header_row + 1
    for p in pending:
        a = p.scored
        percent = a.card.percent
        put_text(ws, row, 1, a.agency.name)
        put_text(ws, row, 2, persian_digits(a.agency.code), CENTERED)
        put_text(ws, row, 3, p.group)
        put_text(ws, row, 4, p.reason, CENTERED)
        put_number(ws, row, 5, round_percent(percent), PERCENT)
        put_text(ws, row, 6, a.assessment.evaluator)
        fit_row_height(ws, row, widths)
        row += 1
    if not pending:
        put_text(ws, row, 1, "همهٔ ارزیابی‌ها نهایی شده‌اند.", VALUE)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(PENDING_HEADERS))
    setup_page(ws, header_row, len(PENDING_HEADERS), f"ارزیابی‌های نهایی‌نشده — دورهٔ {persian_digits(rnd.year)}")


def _ink_for(color: str) -> str:
    """Black or white text, whichever reads on the band's colour."""
    c = color.lstrip("#")
    try:
        r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "000000"
    return "000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "FFFFFF"
