"""The sheets of the ranking workbook: a group's ranked table, the averages, the assessments apart.

``ranking.py`` ranks and draws; this module lays the results out on sheets
(Persian headers, band colours, the charts placed beside the table, print setup).
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from workbench.model.framework import Framework
from workbench.model.scoring import ScoreCard
from workbench.model.terms import ALL_AGENCIES, NOT_APPLICABLE
from workbench.model.text import format_number, persian_digits, round_percent
from workbench.reports import charts
from workbench.reports.ranks import GroupRanking
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
    set_widths,
    setup_page,
    write_header_row,
    write_title_block,
)

CHARTS_DIR = "charts"
#: A group with fewer ranked agencies gets no charts: its two rows of table say it all.
MIN_CHART_ROWS = 3
RANK_HEADERS = ["رتبه", "دستگاه", "امتیاز کل (٪)", "طبقه"]
CODE_HEADER = "کد دستگاه"
NOT_APPLICABLE_TEXT = NOT_APPLICABLE
UNANSWERED_TEXT = "بی‌پاسخ"
AVERAGES_SHEET = "میانگین شاخص‌ها"
PENDING_SHEET = "ارزیابی‌های نهایی‌نشده"
ASSUMPTIONS_SHEET = "فرض‌ها"
PENDING_HEADERS = ["دستگاه", CODE_HEADER, "گروه", "وضعیت", "امتیاز کل موقت (٪)", "ارزیاب"]
AVERAGE_HEADERS = ["شاخص", "عنوان شاخص", "امتیاز شاخص", "میانگین (٪)", "ارزیابی‌های دارای مصداق", NOT_APPLICABLE]
PX_PER_INCH = 96  # how Excel sizes a picture given in pixels


def indicator_header(key: str) -> str:
    return f"شاخص {persian_digits(key)} (٪)"


@dataclass
class GroupCharts:
    bars: charts.ChartFiles | None = None
    heat: charts.ChartFiles | None = None


@dataclass
class IndicatorAverage:
    key: str
    title: str
    points: float
    average: float | None
    applicable: int
    not_applicable: int


def indicator_cell(card: ScoreCard, key: str) -> float | str:
    node = card[key]
    if not node.applicable:
        return NOT_APPLICABLE_TEXT
    return UNANSWERED_TEXT if node.percent is None else round_percent(node.percent)



def band_color(framework: Framework, percent: float | None) -> str:
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


def group_sheet(ws, framework, rnd, grouping, g: GroupRanking, drawn: GroupCharts, today: str, assumed) -> None:
    keys = [ind.key for ind in framework.indicators]
    headers = RANK_HEADERS + [indicator_header(k) for k in keys] + [CODE_HEADER]
    facts = [
        ("دوره", round_text(rnd)),
        ("گروه", g.title if grouping is not None else ALL_AGENCIES),
        ("تاریخ تهیه", today),
        ("رتبه‌بندی", _ranked_text(g)),
        ("نمودار", _charts_text(drawn)),
        *assumption_fact(assumed),
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
    also = " (همین نام‌ها با پسوند svg نیز)" if drawn.bars.svg is not None else ""
    return f"کنار جدول (هر یک در صفحهٔ چاپی جدا)، و در پوشهٔ خروجی با پیوندهای زیر{also}"


def _ranked_text(g: GroupRanking) -> str:
    text = f"{format_number(len(g.ranked))} دستگاه رتبه‌بندی شده است"
    if g.pending:
        text += f"؛ {format_number(len(g.pending))} ارزیابی نهایی‌نشده جدا، در کاربرگ «{PENDING_SHEET}»"
    return text


def averages_sheet(ws, framework, rnd, averages, chart, today: str, count: int, assumed) -> None:
    facts = [
        ("دوره", round_text(rnd)),
        ("تاریخ تهیه", today),
        ("ارزیابی", f"میانگین {format_number(count)} ارزیابی نهایی رتبه‌بندی‌شده؛ عدم مصداق‌ها در میانگین شمرده نشده‌اند"),
        *assumption_fact(assumed),
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


def pending_sheet(ws, rnd, groups: list[GroupRanking], today: str) -> None:
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


def assumption_fact(assumed) -> list[tuple[str, str]]:
    """The title block's line: which weights and bands are assumed or the supervisor's (sheet «فرض‌ها»)."""
    if not assumed.line:
        return []
    return [("فرض‌ها", f"{assumed.line} شرح در کاربرگ «{ASSUMPTIONS_SHEET}».")]


def assumptions_sheet(ws, rnd, assumed) -> None:
    """Every assumed weight and band of the round, and every setting of the supervisor, with who and why."""
    header_row = write_title_block(ws, "فرض‌های وزن‌ها و طبقه‌های این دوره", [
        ("دوره", round_text(rnd)),
        ("خلاصه", assumed.line or "همهٔ وزن‌ها و طبقه‌ها از راهنماست."),
    ], span=2)
    write_header_row(ws, header_row, ["ردیف", "فرض یا تعیین سرپرست"], height=24)
    set_widths(ws, [8, 120])
    row = header_row + 1
    for n, note in enumerate(assumed.notes, start=1):
        put_number(ws, row, 1, n, INTEGER)
        put_text(ws, row, 2, note)
        fit_row_height(ws, row, [8, 120])
        row += 1
    setup_page(ws, header_row, 2, f"فرض‌ها — دورهٔ {persian_digits(rnd.year)}")


def _ink_for(color: str) -> str:
    """Black or white text, whichever reads on the band's colour."""
    c = color.lstrip("#")
    try:
        r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return "000000"
    return "000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "FFFFFF"
