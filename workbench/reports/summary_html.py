"""The printed assessment summary (خلاصهٔ ارزیابی) as right-to-left HTML.  No Qt.

One assessment, as ``summary_source.py`` loads it: who and when, the total and band, the 11
indicators, every measure with its items, not-applicable reasons, evidence and
the evaluator's note, the per-service judgements, and a signature block.  The
HTML is the subset Qt's rich text understands, because ``summary.py`` lays it
out with ``QTextDocument`` for the PDF, the print preview and the printer alike.

Everything that came from a person (names, notes, reasons, URLs, file names)
is escaped; numbers and dates are written with Persian digits.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

from sqlalchemy.orm import Session

from workbench.model.checklists import parts_text
from workbench.model.eligibility import left_out_text
from workbench.model.framework import Indicator, Item, Measure
from workbench.model.jalali import format_jalali
from workbench.model.schema import (
    Assessment,
    Evidence,
)
from workbench.model.scoring import NodeScore
from workbench.model.terms import EVIDENCE_LABELS, LEVEL_LABELS, NOT_APPLICABLE, STAGE_HEADS, STAGES, status_label
from workbench.model.text import close_bidi, format_number, format_percent, persian_digits
from workbench.reports.summary_source import SummarySource, load_source
from workbench.reports.summary_trend import comparison_html

NA = NOT_APPLICABLE


_STYLE = """
body { font-size: 10pt; }
h1 { font-size: 16pt; font-weight: bold; margin: 0; }
h2 { font-size: 12.5pt; font-weight: bold; margin-top: 14px; margin-bottom: 4px; color: #1d3557; }
h3 { font-size: 11pt; font-weight: bold; margin-top: 10px; margin-bottom: 3px; }
p.sub { font-size: 10pt; color: #444444; margin: 0; }
p.warn { color: #9b2226; font-weight: bold; }
table.grid { border-collapse: collapse; border-color: #8d99ae; }
table.grid td, table.grid th { border: 1px solid #8d99ae; padding: 3px; }
th { background-color: #e9ecef; font-weight: bold; }
td.num { }
td.key { color: #1d3557; font-weight: bold; }
td.label { background-color: #f3f5f7; font-weight: bold; }
tr.total td { background-color: #e9ecef; font-weight: bold; }
tr.mhead td { background-color: #dde6f0; font-weight: bold; }
td.na { color: #7b2cbf; }
td.small, span.small { font-size: 8.5pt; color: #333333; }
"""


def render_html(src: SummarySource, printed_on: dt.date | None = None) -> str:
    """The summary of one assessment as a complete ``dir="rtl"`` HTML page."""
    printed_on = printed_on or dt.date.today()
    parts = [
        '<html dir="rtl"><head><meta charset="utf-8"><style>',
        _STYLE,
        '</style></head><body dir="rtl">',
        _header(src, printed_on),
        _assumption_line(src),
        _indicator_table(src),
        comparison_html(src.previous),
        '<h2>نتیجهٔ نماگرها، مستندات و یادداشت‌های ارزیاب</h2>',
    ]
    for ind in src.framework.indicators:
        parts.append(_indicator_detail(src, ind))
    parts.append(_services_table(src))
    parts.append(_assumption_notes(src))
    parts.append(_signatures(src))
    parts.append("</body></html>")
    return cells_right_to_left("".join(parts))


_ROW = re.compile(r"<tr([^>]*)>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t([dh])([^>]*)>(.*?)</t\1>", re.S)


def cells_right_to_left(page: str) -> str:
    """Every table's cells written in the order they stand on paper, left to right, the tables marked ``ltr``.

    Qt's rich text lays a table out right to left only sometimes, whatever its
    ``dir`` (the facts table printed its labels at the left while the next
    table ran right to left), so the direction is not left to it: each row's
    cells are reversed here and ``summary.py`` lays every table out left to
    right, which puts a row's first cell at the right.  The text inside a cell
    still runs right to left.
    """
    def row(match: re.Match) -> str:
        cells = [m.group(0) for m in _CELL.finditer(match.group(2))]
        return f"<tr{match.group(1)}>{''.join(reversed(cells))}</tr>"

    return _ROW.sub(row, page).replace("<table ", '<table dir="ltr" ')


def summary_html(session: Session, assessment: Assessment, printed_on: dt.date | None = None) -> str:
    return render_html(load_source(session, assessment), printed_on)


def agency_label(src: SummarySource) -> str:
    """The agency's name and code, as plain text for the page footer."""
    return f"{persian_digits(src.agency.name)} (\u202a{persian_digits(src.agency.code)}\u202c)"


# ---- the parts


def _assumption_line(src: SummarySource) -> str:
    """One short line under the header: which weights and bands of this round are assumed or the supervisor's."""
    if src.assumptions is None or not src.assumptions.line:
        return ""
    return f'<p class="warn">{_prose(src.assumptions.line)} (شرح در «فرض‌های این دوره»، پایان گزارش)</p>'


def _assumption_notes(src: SummarySource) -> str:
    if src.assumptions is None or not src.assumptions.notes:
        return ""
    items = "".join(f"<li>{_prose(n)}</li>" for n in src.assumptions.notes)
    return f"<h2>فرض‌های این دوره</h2><ul>{items}</ul>"


def _header(src: SummarySource, printed_on: dt.date) -> str:
    a, ag, rnd, card = src.assessment, src.agency, src.round, src.card
    level = LEVEL_LABELS.get(ag.level, ag.level)
    if ag.province:
        level += f"، {_prose(ag.province)}"
    band = card.band
    band_cell = "—"
    if band is not None:
        # The band's title only: its key («C») is the framework file's, not a word a reader has.
        band_cell = f'<span style="color:{_color(band.color)}; font-weight:bold;">{_digits(band.title)}</span>'

    total = "—" if card.percent is None else (
        f"<b>{format_percent(card.percent)}</b> "
        f"({format_number(card.total.earned)} از {format_number(card.total.possible)} امتیاز)"
    )
    facts = [
        ("دستگاه اجرایی", f"<b>{_prose(ag.name)}</b> — کد {_ltr(_digits(ag.code))}"),
        ("دستگاه مادر", _prose(src.parent.name) if src.parent else "—"),
        ("سطح", level),
        ("دوره", f"{persian_digits(rnd.year)} — {_prose(rnd.title)}"),
        ("ارزیاب", _prose(a.evaluator) if a.evaluator.strip() else "—"),
        ("تاریخ بازدید", format_jalali(a.visit_date) or "ثبت نشده"),
        ("وضعیت ارزیابی", _esc(status_label(a.status))),
        ("امتیاز کل", total),
        ("طبقه", band_cell),
    ]
    rows = "".join(
        f'<tr><td class="label" width="22%">{k}</td><td>{v}</td></tr>' for k, v in facts
    )
    warn = ""
    if a.status != "final":
        warn = '<p class="warn">این ارزیابی هنوز نهایی نشده است و امتیازها ممکن است تغییر کنند.</p>'
    if card.percent is None:
        warn += '<p class="warn">هنوز هیچ موردی پاسخ داده نشده است؛ امتیاز کل محاسبه نمی‌شود.</p>'
    return (
        "<h1>خلاصهٔ ارزیابی فنی خدمات الکترونیکی</h1>"
        f'<p class="sub">تاریخ تهیهٔ گزارش: {format_jalali(printed_on)}</p>'
        f'<table class="grid" width="100%" cellspacing="0" cellpadding="3">{rows}</table>{warn}'
    )


def _indicator_table(src: SummarySource) -> str:
    head = (
        "<thead><tr><th>شاخص</th><th>عنوان</th><th>امتیاز کسب‌شده</th>"
        "<th>امتیاز ممکن</th><th>درصد</th></tr></thead>"
    )
    rows = []
    for ind in src.framework.indicators:
        node = src.card[ind.key]
        if node.applicable and node.answered == 0:
            cells = f"<td>—</td><td>{format_number(node.possible)}</td><td>بی‌پاسخ</td>"
        elif node.applicable:
            cells = (
                f"<td>{format_number(node.earned)}</td><td>{format_number(node.possible)}</td>"
                f"<td>{format_percent(node.percent)}</td>"
            )
        else:
            reason = _na_reason(src, ind.key)
            cells = f'<td colspan="3" class="na">{NA}{"؛ " + reason if reason else ""}</td>'
        rows.append(f'<tr><td class="key">{persian_digits(ind.key)}</td><td>{_digits(ind.title)}</td>{cells}</tr>')
    total = src.card.total
    rows.append(
        f'<tr class="total"><td></td><td>جمع</td><td>{format_number(total.earned)}</td>'
        f"<td>{format_number(total.possible)}</td><td>{format_percent(total.percent)}</td></tr>"
    )
    return (
        "<h2>امتیاز شاخص‌ها</h2>"
        '<table class="grid" width="100%" cellspacing="0" cellpadding="3">'
        f'{head}{"".join(rows)}</table>'
        '<p class="sub">امتیاز ممکن بدون بخش‌های «عدم مصداق» حساب شده است.</p>'
    )


def _indicator_detail(src: SummarySource, ind: Indicator) -> str:
    node = src.card[ind.key]
    result = _result_text(node)
    parts = [
        f"<h3>شاخص {persian_digits(ind.key)} — {_digits(ind.title)}"
        f'<span style="font-weight:normal;"> — {result}</span></h3>'
    ]
    for measure in ind.measures:
        parts.append(_measure_table(src, measure))
    return "".join(parts)


def _measure_table(src: SummarySource, measure: Measure) -> str:
    node = src.card[measure.key]
    rows = [
        f'<tr class="mhead"><td width="12%">{persian_digits(measure.key)}</td>'
        f'<td colspan="2">{_digits(measure.title)}</td><td width="18%">{_result_text(node)}</td></tr>'
    ]
    if not node.applicable:
        reason = _na_reason(src, measure.key, measure)
        rows.append(f'<tr><td class="label">{NA}</td><td colspan="3" class="na">{reason or "—"}</td></tr>')
    else:
        for item in measure.items:
            rows.append(_item_row(src, item))
    evidence = src.evidence.get(measure.key, [])
    if evidence:
        lines = "<br>".join(_evidence_line(src, ev) for ev in evidence)
        rows.append(f'<tr><td class="label">مستندات</td><td colspan="3">{lines}</td></tr>')
    note = src.rows.get(measure.key)
    if note is not None and note.note.strip():
        rows.append(f'<tr><td class="label">یادداشت ارزیاب</td><td colspan="3">{_prose(note.note)}</td></tr>')
    return (
        '<table class="grid" width="100%" cellspacing="0" cellpadding="3" style="margin-bottom:6px;">'
        f'{"".join(rows)}</table>'
    )


def _item_row(src: SummarySource, item: Item) -> str:
    node = src.card[item.key]
    key = f'<td class="small">{persian_digits(item.key)}</td>'
    title = f'<td class="small">{_digits(item.title)}</td>'
    if not node.applicable:
        reason = _na_reason(src, item.key)
        return f'{"<tr>"}{key}{title}<td class="na" colspan="2">{NA}{"؛ " + reason if reason else ""}</td></tr>'
    answer = _item_answer(src, item)
    points = f"{format_number(node.earned) if node.answered else '—'} از {format_number(node.possible)}"
    return f'<tr>{key}{title}<td class="small">{answer}</td><td class="small">{points}</td></tr>'


def _item_answer(src: SummarySource, item: Item) -> str:
    ans = src.answers.items.get(item.key)
    if item.kind in ("check", "yesno"):
        if ans is None or ans.value is None:
            return "بی‌پاسخ"
        return ("دارد" if ans.value else "ندارد") if item.kind == "check" else ("بله" if ans.value else "خیر")
    if item.kind == "ratio" and item.source == "services":
        count = src.answers.stages.get(item.stage)
        left_out = f"؛ {left_out_text(count.excluded)}" if count is not None and count.excluded else ""
        if count is None or count.planned == 0:
            return "خدمتی در برنامه نیست" + left_out
        return (
            f"{persian_digits(count.achieved)} از {persian_digits(count.planned)} خدمت برنامه"
            f" (کنترل‌شده: {persian_digits(count.judged)}){left_out}"
        )
    if item.kind == "ratio":
        if ans is None or ans.achieved is None or not ans.planned:
            return "بی‌پاسخ"
        return f"{format_number(ans.achieved)} از {format_number(ans.planned)}"
    if item.kind in ("checklist", "per_service"):
        return parts_text(item, src.answers.marks.get(item.key), src.answers.checks)
    if item.kind == "reform":
        reform = src.answers.reform
        if reform is None or reform.sub_services == 0:
            return "زیرخدمتی ثبت نشده"
        return (
            f"{persian_digits(reform.improved)} زیرخدمت بهبودیافته از "
            f"{persian_digits(min(10, reform.sub_services))}"
        )
    return "—"


def _evidence_line(src: SummarySource, ev: Evidence) -> str:
    label = EVIDENCE_LABELS.get(ev.kind, _esc(ev.kind))
    if ev.kind == "url":
        body = _url(ev.text)
    elif ev.kind == "file":
        size = src.blob_sizes.get(ev.blob_sha256 or "")
        body = _embed(_esc(ev.filename or "بی‌نام"))
        if size is not None:
            body += f" ({_size(size)})"
        if ev.text.strip():
            body += f" — {_prose(ev.text)}"
    elif ev.kind == "number":
        body = format_number(ev.number, decimals=4) if ev.number is not None else "—"
        if ev.text.strip():
            body += f" — {_prose(ev.text)}"
    else:
        body = _prose(ev.text)
    return f"<b>{label}:</b> {body}"


def _services_table(src: SummarySource) -> str:
    stages = STAGES
    planned = [s for s in src.services if any(s.in_plan(st) for st in stages)]
    if not planned:
        return ""
    head = "<thead><tr><th>شناسهٔ خدمت</th><th>عنوان خدمت</th>" + "".join(
        f"<th>{STAGE_HEADS[st]}</th>" for st in stages
    ) + "</tr></thead>"
    rows = []
    for svc in planned:
        j = src.judgements.get(svc.service_id)
        cells = []
        for st in stages:
            if not svc.in_plan(st):
                cells.append('<td class="small"></td>')
                continue
            verdict = j.stage_result(st) if j is not None else None
            text = "کنترل نشده" if verdict is None else ("دارد" if verdict else "ندارد")
            cells.append(f'<td class="small">{text}</td>')
        rows.append(
            f'<tr><td class="small">{_ltr(_digits(svc.service_id))}</td>'
            f'<td class="small">{_linked(svc.url, _prose(svc.title))}</td>{"".join(cells)}</tr>'
        )
    return (
        "<h2>کنترل خدمات برنامهٔ عملیاتی</h2>"
        '<p class="sub">خانهٔ خالی: خدمت در برنامهٔ آن مرحله نیست. در مرحلهٔ درخواست، خدمت تنها با هر '
        "چهار قابلیت (دسترسی از درگاه، درخواست الکترونیکی، رسید، کد رهگیری) «دارد» است.</p>"
        '<table class="grid" width="100%" cellspacing="0" cellpadding="2">'
        f'{head}{"".join(rows)}</table>'
    )


def _signatures(src: SummarySource) -> str:
    roles = ("ارزیاب", "سرپرست ارزیابی", "نمایندهٔ دستگاه اجرایی")
    names = (src.assessment.evaluator, "", "")
    dots = "…………………………"
    head = "".join(f'<th width="33%">{role}</th>' for role in roles)
    name_row = "".join(f"<td>نام و نام خانوادگی: {_prose(n) if n.strip() else dots}</td>" for n in names)
    # Room to sign: blank lines rather than a cell height, which Qt's rich text ignores.
    sign_row = "".join("<td>امضا:<br><br><br></td>" for _ in roles)
    date_row = "".join("<td>تاریخ: ……/……/……</td>" for _ in roles)
    return (
        '<h2>امضاها</h2><table class="grid" width="100%" cellspacing="0" cellpadding="6">'
        f"<tr>{head}</tr><tr>{name_row}</tr><tr>{sign_row}</tr><tr>{date_row}</tr></table>"
    )


# ---- small helpers


def _result_text(node: NodeScore) -> str:
    if not node.applicable:
        return NA
    if node.answered == 0:
        return f"بی‌پاسخ (از {format_number(node.possible)})"
    return f"{format_number(node.earned)} از {format_number(node.possible)} ({format_percent(node.percent)})"


def _na_reason(src: SummarySource, key: str, measure: Measure | None = None) -> str:
    """Why ``key`` is not applicable: its own reason, an ancestor's, or its items'."""
    parts = key.split(".")
    for depth in range(len(parts), 0, -1):
        row = src.rows.get(".".join(parts[:depth]))
        if row is not None and row.not_applicable:
            return _prose(row.na_reason) if row.na_reason.strip() else "دلیلی ثبت نشده است"
    by_rule = src.answers.not_applicable_keys(src.framework)  # a framework rule's, not the evaluator's
    for depth in range(len(parts), 0, -1):
        if ".".join(parts[:depth]) in by_rule:
            return _prose(by_rule[".".join(parts[:depth])])
    if measure is not None:  # every item not applicable, each with its own reason
        reasons = []
        for item in measure.items:
            row = src.rows.get(item.key)
            if row is not None and row.not_applicable and row.na_reason.strip():
                reasons.append(f"{persian_digits(item.key)}: {_prose(row.na_reason)}")
        return "؛ ".join(reasons) or "همهٔ موارد این نماگر عدم مصداق‌اند"
    return ""


_URLISH = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://\S+|www\.\S+|\S+@\S+\.\S+)")


def _prose(text: str | None) -> str:
    """Stored text for reading: escaped, line breaks kept, Persian digits outside URLs and e-mails."""
    pieces = _URLISH.split(str(text or "").strip())
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:  # a URL or an address: its digits are part of it
            out.append(_url(piece) if "@" not in piece or "://" in piece else _ltr(_esc(piece)))
        else:
            out.append(_esc(persian_digits(piece)))
    return "".join(out).replace("\r\n", "\n").replace("\n", "<br>")


def _url(text: str) -> str:
    """A web address as a link a PDF reader opens; anything else (a typo, a path) as plain text."""
    text = text.strip()
    href = text if re.match(r"(?i)https?://|ftp://", text) else ("http://" + text if text.lower().startswith("www.") else "")
    if not href:
        return _ltr(_esc(text))
    return _ltr(f'<a href="{_esc(href)}">{_esc(text)}</a>')



def _linked(url: str | None, escaped: str) -> str:
    """``escaped`` as a link to ``url`` when that is a web address (a service's page)."""
    url = (url or "").strip()
    if not re.match(r"(?i)https?://", url):
        return escaped
    return f'<a href="{_esc(url)}">{escaped}</a>'


def _ltr(escaped: str) -> str:
    # A left-to-right run (URL, a code such as ۱۰۰-۲۱) inside right-to-left
    # text: embedded (LRE…PDF) so its parts keep their order.  Not the newer
    # isolates (LRI…PDI): Vazirmatn has no glyph for them and Qt would pull in
    # a system font to draw nothing.
    return f"\u202a{escaped}\u202c"


def _embed(escaped: str) -> str:
    """A run in the direction of its first letter: a Persian file name reads right to left."""
    for ch in escaped:
        if unicodedata.bidirectional(ch) in ("R", "AL"):
            return f"\u202b{escaped}\u202c"
        if unicodedata.bidirectional(ch) == "L":
            break
    return _ltr(escaped)


def _digits(text: str) -> str:
    # Digits first: escaping makes entities such as &#x27; whose digits must stay Latin.
    return _esc(persian_digits(text))


def _esc(text: str | None) -> str:
    # Outside text closes the direction controls it opens (an unclosed U+202E reversed the lines after it).
    return html.escape(close_bidi(str(text or "")), quote=True)


def _color(value: str) -> str:
    return value if re.fullmatch(r"#[0-9A-Fa-f]{3,8}", value or "") else "#000000"


def _size(size: int) -> str:
    if size < 1024:
        return f"{persian_digits(size)} بایت"
    if size < 1024 * 1024:
        return f"{format_number(size / 1024, 1)} کیلوبایت"
    return f"{format_number(size / (1024 * 1024), 1)} مگابایت"
