"""The ranking workbook and its charts.

For the window and ``workbench report ranking`` (``commands/report.py``),
:func:`export_ranking` writes ``DIR/ranking.xlsx`` and ``DIR/charts/*.png`` (and ``*.svg`` when asked):

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
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.assessments import round_framework, score_round
from workbench.model.errors import UserError
from workbench.model.framework import Band, Framework
from workbench.model.jalali import format_jalali
from workbench.model.problems import os_problem, path_text
from workbench.model.schema import Agency, Round
from workbench.model.scoring import ScoreCard
from workbench.model.terms import GROUPING_TITLES
from workbench.model.text import format_number, persian_digits, round_percent
from workbench.reports import charts
from workbench.reports.chart_jobs import ChartJob, draw_charts
from workbench.reports.progress import CancelledFn, ProgressFn, step
from workbench.reports.ranking_conflicts import CONFLICTS_SHEET, conflicts_sheet, open_conflicts
from workbench.reports.ranking_sheets import (
    ASSUMPTIONS_SHEET,
    AVERAGES_SHEET,
    CHARTS_DIR,
    MIN_CHART_ROWS,
    PENDING_SHEET,
    GroupCharts,
    IndicatorAverage,
    assumptions_sheet,
    averages_sheet,
    band_color,
    group_sheet,
    pending_sheet,
)
from workbench.reports.ranks import GROUPINGS, GroupRanking, rank_groups
from workbench.reports.sheets import (
    save_workbook,
    sheet_title,
)

WORKBOOK_NAME = "ranking.xlsx"


@dataclass
class RankingResult:
    workbook: Path
    groups: list[GroupRanking]
    charts: list[Path] = field(default_factory=list)  # every PNG and SVG written
    conflicts: list[list[str]] = field(default_factory=list)  # open merge conflicts of the round (a sheet of their own)

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
    svg: bool = False,
) -> RankingResult:
    """Rank the round's assessments (per ``group``) and write the workbook and charts into ``out_dir``.

    ``workers``: processes drawing the charts (default: one per core, up to
    four, once there are enough charts to be worth it; 1 draws in-process).
    ``svg``: each chart as SVG too, beside its PNG (the PNG is what the workbook shows;
    the SVG doubled the drawing time of a national round, so it is written only when asked).
    """
    if group is not None and group not in GROUPINGS:
        raise UserError(f"گروه‌بندی «{group}» شناخته نیست؛ یکی از {'، '.join(GROUPINGS)}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"«{path_text(out_dir)}» پوشه نیست؛ خروجی رتبه‌بندی یک پوشه است")
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
        raise UserError(f"پوشهٔ «{path_text(out_dir)}» ساخته یا نوشته نشد: {os_problem(exc)}") from exc
    from workbench.model.assumptions import round_assumptions

    assumed = round_assumptions(session, rnd, framework)
    try:
        result = _build(framework, rnd, group, groups, work, progress, cancelled, workers,
                        open_conflicts(session, rnd), assumed, svg)
        return _move_into(result, work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build(framework, rnd, group, groups, work: Path, progress, cancelled, workers, conflicts,
           assumed, svg: bool = False) -> RankingResult:
    legend = band_legend(framework.bands)
    averages = indicator_averages(framework, groups)
    ranked_count = sum(len(g.ranked) for g in groups)
    width = max(2, len(str(len(groups))))
    jobs = [job for n, g in enumerate(groups, start=1) for job in _group_jobs(framework, rnd, g, f"{n:0{width}d}", work, legend)]
    jobs.append(_averages_job(framework, rnd, averages, work, legend, ranked_count))
    for job in jobs:  # every chart says what is assumed, in one line over its plot
        job.kwargs["assumptions"] = assumed.line
        job.kwargs["svg"] = svg
    # Charts take nearly all the time: they are the bulk of the progress.
    steps = len(jobs) + len(groups) + 3
    step(progress, cancelled, 0, steps, "نمودارها")
    drawn = draw_charts(
        jobs, workers,
        on_done=lambda done, _total, key: step(progress, None, done, steps, key),
        cancelled=cancelled,
    )
    result = RankingResult(work / WORKBOOK_NAME, groups)
    result.charts = [p for job in jobs for p in (drawn[job.key].png, drawn[job.key].svg) if p is not None]
    wb = Workbook()
    wb.remove(wb.active)
    taken = {AVERAGES_SHEET, PENDING_SHEET, ASSUMPTIONS_SHEET, CONFLICTS_SHEET}
    today = format_jalali(dt.date.today())
    done = len(jobs)
    for n, g in enumerate(groups, start=1):
        step(progress, cancelled, done + n - 1, steps, g.title)
        title = "رتبه‌بندی" if group is None else g.title
        ws = wb.create_sheet(sheet_title(title, taken))
        code = f"{n:0{width}d}"
        charts_of = GroupCharts(drawn.get(f"{code}-bars"), drawn.get(f"{code}-heatmap"))
        group_sheet(ws, framework, rnd, group, g, charts_of, today, assumed)
    done += len(groups)
    step(progress, cancelled, done, steps, AVERAGES_SHEET)
    averages_sheet(wb.create_sheet(AVERAGES_SHEET), framework, rnd, averages, drawn["indicator-averages"],
                    today, ranked_count, assumed)
    step(progress, cancelled, done + 1, steps, PENDING_SHEET)
    pending_sheet(wb.create_sheet(PENDING_SHEET), rnd, groups, today)
    assumptions_sheet(wb.create_sheet(ASSUMPTIONS_SHEET), rnd, assumed)
    result.conflicts = conflicts
    if conflicts:
        conflicts_sheet(wb.create_sheet(CONFLICTS_SHEET), rnd, conflicts, today)
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
        raise UserError(f"خروجی در «{path_text(out_dir)}» نوشته نشد: {os_problem(exc)}") from exc
    return RankingResult(workbook, result.groups, moved, result.conflicts)


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


# --------------------------------------------------------------------------- charts


def _group_jobs(framework, rnd, g: GroupRanking, code: str, work: Path, legend) -> list[ChartJob]:
    """The bar chart and heat map of a group, when it has enough ranks to be worth a picture."""
    if len(g.ranked) < MIN_CHART_ROWS:
        return []
    year = persian_digits(rnd.year)
    labels = [f"{persian_digits(e.rank)}. {e.agency.name}" for e in g.ranked]
    values = [e.total for e in g.ranked]
    colors = [band_color(framework, e.total) for e in g.ranked]
    keys = [ind.key for ind in framework.indicators]
    cells = [[_heat_value(e.scored.card, k) for k in keys] for e in g.ranked[: charts.TOP_N]]
    return [
        ChartJob(f"{code}-bars", "bar_chart", (
            labels, values, colors, legend, f"رتبه‌بندی دستگاه‌ها — {g.title} — دورهٔ {year}",
            work / CHARTS_DIR / f"{code}-bars",
        ), batch=code),
        ChartJob(f"{code}-heatmap", "heat_map", (
            labels, [persian_digits(k) for k in keys], cells,
            f"امتیاز شاخص‌ها (٪) — {g.title} — دورهٔ {year}", work / CHARTS_DIR / f"{code}-heatmap",
        ), batch=code),
    ]


def _heat_value(card: ScoreCard, key: str):
    node = card[key]
    if not node.applicable:
        return charts.NOT_APPLICABLE
    return node.percent


def _averages_job(framework, rnd, averages, work: Path, legend, count: int) -> ChartJob:
    labels = [f"{persian_digits(a.key)}. {a.title}" for a in averages]
    values = [None if a.average is None else round_percent(a.average) for a in averages]
    colors = [band_color(framework, v) for v in values]
    return ChartJob("indicator-averages", "bar_chart", (
        labels, values, colors, legend,
        f"میانگین امتیاز هر شاخص — دورهٔ {persian_digits(rnd.year)} ({format_number(count)} ارزیابی نهایی)",
        work / CHARTS_DIR / "indicator-averages",
    ), {"subject": "شاخص", "axis_label": "میانگین امتیاز (٪)"})
