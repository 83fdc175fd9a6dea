"""The summary PDF as its readers read it: text found by pdftotext, tables right to left, links that open."""
from __future__ import annotations

import re
import subprocess

import pytest
from pdf_reading import Line, extracted_text, needs_pdftotext, page_lines, words_of
from test_report_summary import URL, make_round, the_assessment

pytestmark = needs_pdftotext


@pytest.fixture
def summary_pdf(store, framework, tmp_path, qapp):
    from workbench.reports.summary import write_summary_pdf

    make_round(store, framework)
    out = tmp_path / "summary.pdf"
    with store.session() as s:
        write_summary_pdf(s, the_assessment(s), out)
    return out


def _line_with(lines: list[Line], *words: str) -> Line:
    for line in lines:
        if all(line.find(w) for w in words):
            return line
    raise AssertionError(f"no line holds all of {words}")


def _right_to_left(line: Line, *words: str) -> None:
    """``words`` stand on ``line`` in this order from the right edge leftwards."""
    xs = [max(line.find(w)) for w in words]
    assert xs == sorted(xs, reverse=True), list(zip(words, xs))


def test_every_word_a_reader_searches_for_is_in_the_text(summary_pdf, framework):
    text = extracted_text(summary_pdf)
    words = words_of(text)
    wanted = {"ارزیابی", "دستگاه", "تاریخ", "مریم", "احمدی", "خارجی"}
    wanted |= words_of("اداره کل ارتباطات و فناوری اطلاعات استان یزد")
    for indicator in framework.indicators:
        wanted |= words_of(indicator.title)
    missing = sorted(w for w in wanted if w not in words)
    assert not missing, missing


def test_zwnj_and_parentheses_come_back_as_written(summary_pdf):
    text = extracted_text(summary_pdf)
    # «شاخص‌ها» with its zero-width non-joiner, not «شاخصها» nor «شاخص ها»
    assert "امتیاز شاخص\u200cها" in text
    assert "دستگاه\u200cهای اجرایی" in text
    # a right-to-left «(…)» is drawn mirrored; its text must not be
    assert "(درخواست خدمت)" in text
    assert ")درخواست خدمت(" not in text


def test_a_space_is_a_space_in_the_text_layer(summary_pdf):
    """Qt draws a tab with the space glyph; the text layer must still say U+0020, not U+0009."""
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(summary_pdf)).pages)  # the ToUnicode map as is
    assert text.count(" ") > 200 and "\t" not in text


def test_every_table_reads_right_to_left(summary_pdf):
    first = page_lines(summary_pdf, 1)
    # the facts table: label at the right, value at its left
    _right_to_left(_line_with(first, "ارزیاب", "مریم", "احمدی"), "ارزیاب", "مریم", "احمدی")
    _right_to_left(_line_with(first, "مادر", "وزارت"), "مادر", "وزارت")
    # the indicators' table: heading row and a row
    _right_to_left(_line_with(first, "عنوان", "درصد"), "شاخص", "عنوان", "کسب", "ممکن", "درصد")
    _right_to_left(_line_with(first, "الکترونیکی", "درخواست"), "الکترونیکی", "درخواست")
    pages = [page_lines(summary_pdf, n) for n in range(2, _pages(summary_pdf) + 1)]
    lines = [line for page in pages for line in page]
    # a measure's table: its key column at the right
    _right_to_left(_line_with(lines, "یادداشت", "آزموده"), "یادداشت", "آزموده")
    # the services' table and the signatures
    _right_to_left(_line_with(lines, "شناس", "درخواست", "پیشخوان"), "شناس", "عنوان", "درخواست", "ارائه", "پیشخوان")
    _right_to_left(_line_with(lines, "سرپرست", "نمایند"), "ارزیاب", "سرپرست", "نمایند")


def test_urls_are_links(summary_pdf):
    from pypdf import PdfReader

    links = []
    for page in PdfReader(str(summary_pdf)).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                rect = [float(v) for v in annot["/Rect"]]
                links.append((annot["/A"]["/URI"], rect[2] - rect[0]))
    assert (URL, pytest.approx(links[0][1])) in links
    assert all(width > 20 for _, width in links), links  # the link covers the address, not a bidi mark


def _pages(path) -> int:
    """How many pages the PDF has (the summary grows with what the round assumes and records)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=60).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
