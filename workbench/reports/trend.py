"""The trend report: agencies compared across rounds.

``workbench report trend DB --out DIR [--rounds 1402,1403] [--group ...] [--agency CODE ...]``
writes ``DIR/trend.xlsx`` — a sheet per group, agencies × rounds (total, band,
rank in the group), the change of the total and of the rank from the
previous round — and ``DIR/trend-charts/``: per group the distribution of the
totals per round and the biggest risers and fallers; per agency (those asked
for, else each group's biggest riser and faller) its indicators over the
rounds.  Only final assessments are compared and ranked, as in the ranking.
Built in a temporary folder inside DIR and moved in at the end.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.comparison import basis_text
from workbench.model.errors import UserError
from workbench.model.jalali import format_jalali
from workbench.model.problems import os_problem, path_text
from workbench.model.schema import Round
from workbench.model.terms import LEVEL_GROUP_TITLES, status_label
from workbench.model.text import ascii_digits, format_number, normalize, persian_digits, round_percent
from workbench.reports import trend_charts as tc
from workbench.reports.chart_jobs import ChartJob, draw_charts
from workbench.reports.ranking_sheets import _embed, _ink_for
from workbench.reports.sheet_print import link_to_file, next_free_column, print_table_and_pictures
from workbench.reports.sheets import (
    CENTERED,
    INTEGER,
    PERCENT,
    fit_row_height,
    put_number,
    put_text,
    save_workbook,
    set_widths,
    setup_page,
    sheet_title,
    write_header_row,
    write_title_block,
)
from workbench.reports.trend_data import BY_LEVEL, RoundData, build_trend, round_data
from workbench.reports.trend_indicators import indicator_sheet

WORKBOOK_NAME = "trend.xlsx"
CHARTS_DIR = "trend-charts"
GROUP_CHOICES = ("level", "all", "national", "provincial", "province", "parent")
GROUP_TITLES = {
    "level": "ملی و استانی جدا", "all": "همهٔ دستگاه‌ها با هم", **LEVEL_GROUP_TITLES, "province": "به تفکیک استان", "parent": "به تفکیک دستگاه مادر",
}
TOP_MOVERS = 10  # risers and as many fallers per group chart
MIN_CHART_ROWS = 3
MAX_AGENCY_CHARTS = 40
NOT_ASSESSED = "—"
FLAT = "بی‌تغییر"
CHART_LABELS = {"distribution": "نمودار پراکندگی", "movers": "نمودار بهبود و افت"}


@dataclass
class Line:
    """One agency's row of a group sheet."""

    code: str
    name: str
    figures: list  # Figures | None per round
    change: float | None
    rank_change: int | None


@dataclass
class Group:
    key: str
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class TrendResult:
    workbook: Path
    years: list[int]
    groups: list[Group]
    charts: list[Path] = field(default_factory=list)


def parse_years(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        years = sorted({int(part) for part in ascii_digits(text).replace("،", ",").split(",") if part.strip()})
    except ValueError:
        raise UserError(f"دوره‌ها باید سال‌هایی جداشده با ویرگول باشند، مانند ۱۴۰۲,۱۴۰۳؛ نه «{text}»") from None
    return years


def export_trend(session: Session, out_dir: Path, years: list[int] | None = None, group: str = "level",
                 agencies: list[str] | None = None, workers: int | None = None) -> TrendResult:
    if group not in GROUP_CHOICES:
        raise UserError(f"گروه‌بندی «{group}» شناخته نیست؛ یکی از {'، '.join(GROUP_CHOICES)}")
    rounds = list(session.scalars(select(Round).order_by(Round.year)))
    if years:
        missing = [y for y in years if y not in {r.year for r in rounds}]
        if missing:
            raise UserError(f"دورهٔ {'، '.join(persian_digits(y) for y in missing)} در این پایگاه داده نیست")
        rounds = [r for r in rounds if r.year in years]
    if len(rounds) < 2:
        raise UserError("برای مقایسه دست‌کم دو دوره لازم است؛ این پایگاه داده (یا فهرست --rounds) "
                        f"{persian_digits(len(rounds))} دوره دارد")
    grouping = {"level": BY_LEVEL, "all": None}.get(group, group)
    data = [round_data(session, rnd, grouping) for rnd in rounds]
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"«{path_text(out_dir)}» پوشه نیست؛ خروجی روند یک پوشه است")
    groups = build_groups(data)
    if not groups:
        raise UserError("در این دوره‌ها ارزیابی‌ای برای مقایسه نیست")
    codes = [ascii_digits(c).strip() for c in agencies or []]
    unknown = [c for c in codes if not any(c in d.figures for d in data)]
    if unknown:
        raise UserError(f"دستگاه «{'، '.join(unknown)}» در این دوره‌ها ارزیابی ندارد")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".trend-", dir=out_dir))
    except OSError as exc:
        raise UserError(f"پوشهٔ «{path_text(out_dir)}» ساخته یا نوشته نشد: {os_problem(exc)}") from exc
    try:
        result = _build(data, group, groups, codes, work, workers)
        return _move_into(result, work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_groups(data: list[RoundData]) -> list[Group]:
    """Agencies grouped as in the latest round that assessed them, ordered by the latest rank."""
    groups: dict[str, Group] = {}
    codes = sorted({c for d in data for c in d.figures})
    for code in codes:
        figures = [d.figures.get(code) for d in data]
        latest = next(f for f in reversed(figures) if f is not None)
        if not latest.group_key:
            continue  # left out of this grouping (e.g. a provincial unit when ranking national agencies)
        name = next(d.agencies[code] for d in reversed(data) if code in d.agencies).name
        before, after = figures[-2], figures[-1]
        change = rank_change = None
        if before is not None and after is not None and before.final and after.final:
            if before.percent is not None and after.percent is not None:
                change = round_percent(after.percent - before.percent)
            if before.rank is not None and after.rank is not None and before.group_key == after.group_key:
                rank_change = before.rank - after.rank
        group = groups.setdefault(latest.group_key, Group(latest.group_key, latest.group))
        group.lines.append(Line(code, name, figures, change, rank_change))
    for g in groups.values():
        g.lines.sort(key=lambda ln: (ln.figures[-1] is None or ln.figures[-1].rank is None,
                                     ln.figures[-1].rank if ln.figures[-1] is not None and ln.figures[-1].rank else 0,
                                     normalize(ln.name), ln.code))
    catch_all = {"province:", "parent:"}
    return sorted(groups.values(), key=lambda g: (g.key in catch_all, normalize(g.title), g.key))


def _build(data, group, groups, codes, work: Path, workers) -> TrendResult:
    years = [d.year for d in data]
    jobs, per_group = [], {}
    width = max(2, len(str(len(groups))))
    chosen = list(codes)
    for n, g in enumerate(groups, start=1):
        tag = f"{n:0{width}d}"
        group_jobs = _group_jobs(data, g, tag, work)
        per_group[g.key] = [job.key for job in group_jobs]
        jobs += group_jobs
        if not codes:
            moved = sorted((ln for ln in g.lines if ln.change is not None), key=lambda ln: ln.change)
            for ln in (moved[-1:] + moved[:1]) if moved else []:
                if ln.code not in chosen and len(chosen) < MAX_AGENCY_CHARTS:
                    chosen.append(ln.code)
    for code in chosen:
        jobs.append(_agency_job(data, code, work))
    drawn = draw_charts(jobs, workers)
    result = TrendResult(work / WORKBOOK_NAME, years, groups)
    result.charts = [p for job in jobs for p in (drawn[job.key].png, drawn[job.key].svg)]
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    today = format_jalali(dt.date.today())
    notes = [f"میان دوره‌های {persian_digits(data[i - 1].year)} و {persian_digits(data[i].year)}: {text}"
             for i in range(1, len(data)) if (text := basis_text(data[i - 1].framework, data[i].framework))]
    years_shown = years_text(years)
    for g in groups:
        ws = wb.create_sheet(sheet_title(g.title, taken))
        _group_sheet(ws, data, group, g, [drawn[k] for k in per_group[g.key]], notes, today)
        facts = [("دوره‌ها", years_shown), ("گروه", f"{g.title} (گروه‌بندی: {GROUP_TITLES[group]})"),
                 ("تاریخ تهیه", today)] + ([("مبنای مقایسه", " ".join(notes))] if notes else [])
        indicator_sheet(wb.create_sheet(sheet_title(f"شاخص‌ها — {g.title}", taken)), data, g, facts, years_shown)
    save_workbook(wb, result.workbook)
    return result


def _group_jobs(data, g: Group, tag: str, work: Path) -> list[ChartJob]:
    lines = g.lines
    if len(lines) < MIN_CHART_ROWS:
        return []
    labels = [tc.year_label(d.year) for d in data]
    values = [[ln.figures[i].percent for ln in lines
               if ln.figures[i] is not None and ln.figures[i].final and ln.figures[i].percent is not None]
              for i in range(len(data))]
    bands = sorted(data[-1].framework.bands, key=lambda b: b.minimum)
    spans = [(b.minimum, bands[i + 1].minimum if i + 1 < len(bands) else 100, b.color, b.title)
             for i, b in enumerate(bands)]
    first, last = persian_digits(data[0].year), persian_digits(data[-1].year)
    jobs = [ChartJob(f"{tag}-distribution", "trend_charts.distribution", (
        labels, values, list(reversed(spans)), f"پراکندگی امتیاز کل — {g.title} — دوره‌های {first} تا {last}",
        "ارزیابی‌های نهایی؛ جعبه: میانهٔ نیمی از دستگاه‌ها، خط میانی: میانه",
        work / CHARTS_DIR / f"{tag}-distribution"), {}, )]
    moved = sorted((ln for ln in lines if ln.change is not None), key=lambda ln: -ln.change)
    if moved:
        risers = [ln for ln in moved if ln.change > 0][:TOP_MOVERS]
        fallers = [ln for ln in reversed(moved) if ln.change < 0][:TOP_MOVERS]
        shown = risers + list(reversed(fallers))
        if shown:
            prev = persian_digits(data[-2].year)
            jobs.append(ChartJob(f"{tag}-movers", "trend_charts.risers_fallers", (
                [ln.name for ln in shown], [ln.change for ln in shown],
                f"بیشترین بهبود و افت — {g.title} — از دورهٔ {prev} تا {last}",
                f"{format_number(len(risers))} بهبود و {format_number(len(fallers))} افت بزرگ‌تر، "
                f"از {format_number(len(moved))} دستگاه نهایی در هر دو دوره",
                work / CHARTS_DIR / f"{tag}-movers")))
    return jobs


def _agency_job(data, code: str, work: Path) -> ChartJob:
    present = [d for d in data if code in d.figures]
    trend = build_trend(code, present)
    rows = [f"{persian_digits(row.last_key or next(k for k in row.keys if k))}. {row.title}" for row in trend.rows]
    series = [tc.Series(tc.year_label(d.year), [trend.figures[i].indicators.get(row.keys[i]) if row.keys[i] else None
                                                 for row in trend.rows]) for i, d in enumerate(present)]
    note = " ".join(f"میان دوره‌های {persian_digits(present[i - 1].year)} و {persian_digits(present[i].year)}: {t}"
                    for i, t in enumerate(trend.basis) if t) or "درصد امتیاز هر شاخص در هر دوره"
    stem = "agency-" + re.sub(r"[^0-9A-Za-z_-]", "_", code)
    return ChartJob(f"agency-{code}", "trend_charts.agency_indicators", (
        rows, series, f"شاخص‌های {trend.name} ({persian_digits(code)}) در دوره‌ها", note,
        work / CHARTS_DIR / stem))


def _move_into(result: TrendResult, work: Path, out_dir: Path) -> TrendResult:
    charts_dir = out_dir / CHARTS_DIR
    try:
        charts_dir.mkdir(exist_ok=True)
        for old in charts_dir.iterdir():
            if old.suffix in (".png", ".svg"):
                old.unlink()
        moved = []
        for path in result.charts:
            os.replace(path, charts_dir / path.name)
            moved.append(charts_dir / path.name)
        workbook = out_dir / WORKBOOK_NAME
        os.replace(result.workbook, workbook)
    except OSError as exc:
        raise UserError(f"خروجی در «{path_text(out_dir)}» نوشته نشد: {os_problem(exc)}") from exc
    return TrendResult(workbook, result.years, result.groups, moved)


# --------------------------------------------------------------------------- sheets


def years_text(years: list[int]) -> str:
    """«سال‌های ۱۴۰۱، ۱۴۰۲ و ۱۴۰۳»: starting with a letter, so a right-to-left cell keeps the order."""
    shown = [persian_digits(y) for y in years]
    listed = shown[0] if len(shown) == 1 else "، ".join(shown[:-1]) + " و " + shown[-1]
    return f"سال‌های {listed}"


def _headers(data) -> list[str]:
    headers = ["دستگاه", "کد دستگاه"]
    for d in data:
        year = persian_digits(d.year)
        headers += [f"امتیاز کل {year} (٪)", f"طبقه {year}", f"رتبه {year}"]
    prev, last = persian_digits(data[-2].year), persian_digits(data[-1].year)
    return headers + [f"تغییر امتیاز {prev} تا {last} (واحد درصد)", f"تغییر رتبه {prev} تا {last}"]


def _group_sheet(ws, data, grouping: str, g: Group, drawn: list, notes: list[str], today: str) -> None:
    headers = _headers(data)
    years = years_text([d.year for d in data])
    facts = [
        ("دوره‌ها", years),
        ("گروه", f"{g.title} (گروه‌بندی: {GROUP_TITLES[grouping]})"),
        ("تاریخ تهیه", today),
        ("توضیح", "فقط ارزیابی‌های نهایی مقایسه و رتبه‌بندی می‌شوند؛ تغییر امتیاز = امتیاز آخرین دوره منهای دورهٔ "
                  "پیش از آن؛ تغییر رتبه مثبت یعنی بالا رفتن در رتبه‌بندی گروه."),
    ]
    if notes:
        facts.append(("مبنای مقایسه", " ".join(notes)))
    links = [(CHART_LABELS.get(c.png.stem.rsplit("-", 1)[-1], "نمودار"), f"{CHARTS_DIR}/{c.png.name}") for c in drawn]
    if drawn:
        facts.append(("نمودار", "کنار جدول (هر یک در صفحهٔ چاپی جدا)، و در پوشهٔ خروجی با پیوندهای زیر "
                                "(همین نام‌ها با پسوند svg نیز)"))
    facts += links
    span = len(headers)
    header_row = write_title_block(ws, f"روند امتیاز دستگاه‌ها در دوره‌ها — {g.title}", facts, span=span)
    for row, (_, path) in enumerate(links, start=2 + len(facts) - len(links)):
        link_to_file(ws.cell(row, 2), path)
    for r in range(2, header_row - 1):
        ws.row_dimensions[r].height = 30 if len(str(ws.cell(r, 2).value or "")) > 120 else None
    write_header_row(ws, header_row, headers, height=44)
    widths = [34, 10] + [11, 10, 8] * len(data) + [14, 11]
    set_widths(ws, widths)
    row = header_row + 1
    for ln in g.lines:
        put_text(ws, row, 1, ln.name)
        put_text(ws, row, 2, persian_digits(ln.code), CENTERED)
        col = 3
        for f in ln.figures:
            _figure_cells(ws, row, col, f)
            col += 3
        if ln.change is None:
            put_text(ws, row, col, NOT_ASSESSED, CENTERED)
        else:
            cell = put_number(ws, row, col, ln.change, PERCENT)
            cell.font = Font(name="Tahoma", size=10, bold=True, color="1B7837" if ln.change > 0 else
                             "B2182B" if ln.change < 0 else "000000")
        if ln.rank_change is None:
            put_text(ws, row, col + 1, NOT_ASSESSED, CENTERED)
        elif ln.rank_change == 0:
            put_text(ws, row, col + 1, FLAT, CENTERED)
        else:
            put_text(ws, row, col + 1, f"{'▲' if ln.rank_change > 0 else '▼'} {persian_digits(abs(ln.rank_change))}",
                     CENTERED).font = Font(name="Tahoma", size=10, bold=True,
                                           color="1B7837" if ln.rank_change > 0 else "B2182B")
        fit_row_height(ws, row, widths)
        row += 1
    table = setup_page(ws, header_row, len(headers), f"روند دوره‌ها — {g.title} — {years}")
    # Charts beside the table (to its left in a right-to-left sheet), each printed on a page of its own.
    pictures, column = [], len(headers) + 2
    for files in drawn:
        pictures.append(_embed(ws, files, column))
        column = next_free_column(ws, pictures[-1])
    if pictures:
        print_table_and_pictures(ws, table, pictures)


def _figure_cells(ws, row: int, col: int, f) -> None:
    if f is None:
        for c in range(col, col + 3):
            put_text(ws, row, c, NOT_ASSESSED, CENTERED)
        return
    if not f.final or f.percent is None:
        put_text(ws, row, col, status_label(f.status) if not f.final else "بدون امتیاز", CENTERED)
        put_text(ws, row, col + 1, NOT_ASSESSED, CENTERED)
        put_text(ws, row, col + 2, NOT_ASSESSED, CENTERED)
        return
    put_number(ws, row, col, f.percent, PERCENT)
    band_cell = put_text(ws, row, col + 1, f.band.title if f.band else NOT_ASSESSED, CENTERED)
    if f.band is not None:
        band_cell.fill = PatternFill("solid", fgColor=f.band.color.lstrip("#").upper())
        band_cell.font = Font(name="Tahoma", size=10, bold=True, color=_ink_for(f.band.color))
    if f.rank is None:
        put_text(ws, row, col + 2, NOT_ASSESSED, CENTERED)
    else:
        put_number(ws, row, col + 2, f.rank, INTEGER)
