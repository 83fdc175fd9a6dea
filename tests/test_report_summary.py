"""The printed assessment summary: its HTML, its PDF, the command and the print preview."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from sqlalchemy import select

from workbench.model.assessments import create_round
from workbench.model.editing import store_blob
from workbench.model.jalali import parse_jalali
from workbench.model.schema import Agency, Answer, Assessment, Evidence, ReformRow, Service, ServiceJudgement

VISIT = parse_jalali("1403/07/15")
URL = "https://www.example.ir/services/42?lang=fa"
HOSTILE = '<b>ضخیم نشود</b> & <script>alert("x")</script>'

pytestmark = pytest.mark.backends  # run on SQLite and on PostgreSQL (tests/backends.py)


def make_round(store, framework, agencies=1, year=1403):
    """A round with a fully worked assessment (``100-21``) and ``agencies - 1`` plain ones."""
    with store.session() as s:
        rnd = create_round(s, year, framework)
        parent = Agency(code="100", name="وزارت ارتباطات و فناوری اطلاعات", level="national")
        s.add(parent)
        s.flush()
        agency = Agency(
            code="100-21",
            name="اداره کل ارتباطات و فناوری اطلاعات استان یزد",
            level="provincial",
            province="یزد",
            parent_uuid=parent.uuid,
        )
        s.add(agency)
        s.flush()
        a = Assessment(
            round_uuid=rnd.uuid, agency_uuid=agency.uuid, evaluator="مریم احمدی", visit_date=VISIT, status="complete"
        )
        s.add(a)
        s.flush()
        ans = lambda key, **kw: s.add(Answer(assessment_uuid=a.uuid, key=key, **kw))  # noqa: E731
        for i, item in enumerate(framework.indicator("4").measures[0].items):
            ans(item.key, value=i % 2 == 0)
        ans("4.1", note="تارنما در ۳ مرورگر و 2 تلفن همراه آزموده شد.")
        ans("4.2.1", value=True)
        ans("4.4.3", not_applicable=True, na_reason="دستگاه مخاطب خارجی ندارد")
        ans("3", not_applicable=True, na_reason="واحد استانی خدمت ویژهٔ استان ندارد")
        ans("6.1.1", value=True)
        ans("6.2.1", value=True)
        ans("6.2", note=HOSTILE)
        ans("7.1.1", achieved=3, planned=5)
        ans("10.1.1", value=False)
        for key, kind, kw in (
            ("4.1", "url", {"text": URL}),
            ("6.2", "number", {"number": 3000123, "text": "سامانهٔ پیامکی"}),
            ("8.4", "text", {"text": "شبکهٔ درون‌دستگاهی در همهٔ ۱۲ شهرستان برقرار است."}),
        ):
            s.add(Evidence(assessment_uuid=a.uuid, measure_key=key, kind=kind, **kw))
        digest = store_blob(s, b"%PDF-1.4 privacy statement" * 100)
        s.add(
            Evidence(
                assessment_uuid=a.uuid, measure_key="4.6", kind="file", blob_sha256=digest,
                filename="privacy-statement.pdf", mime="application/pdf",
            )
        )
        s.add(
            Evidence(
                assessment_uuid=a.uuid, measure_key="8.3", kind="file", blob_sha256=digest,
                filename="گواهی امنیت سامانه.pdf", text="نسخهٔ اسکن‌شده", mime="application/pdf",
            )
        )
        for n, (sid, req, dlv) in enumerate((("121095000", True, True), ("121095101", True, False), ("121095102", False, True))):
            s.add(
                Service(round_uuid=rnd.uuid, agency_uuid=agency.uuid, service_id=sid, title=f"خدمت آزمایشی {n + 1}",
                        parent_service_id="121095000" if n else "", in_request_plan=req, in_delivery_plan=dlv)
            )
        s.add(ServiceJudgement(assessment_uuid=a.uuid, service_id="121095000", request_portal=True,
                               request_online=True, request_receipt=True, request_tracking=True, delivery=True))
        s.add(ServiceJudgement(assessment_uuid=a.uuid, service_id="121095101", request_portal=True,
                               request_online=False))
        s.add(ReformRow(round_uuid=rnd.uuid, agency_uuid=agency.uuid, service_id="121095101", accepted=True))
        for k in range(1, agencies):
            other = Agency(code=f"2{k:02d}", name=f"سازمان نمونهٔ {k}", level="national")
            s.add(other)
            s.flush()
            b = Assessment(round_uuid=rnd.uuid, agency_uuid=other.uuid, evaluator="علی رضایی", status="final",
                           visit_date=dt.date(2024, 11, k))
            s.add(b)
            s.flush()
            s.add(Answer(assessment_uuid=b.uuid, key="11.1.1", value=True))
    return store


def the_assessment(session, code="100-21"):
    return session.scalar(select(Assessment).join(Agency).where(Agency.code == code))


def squash(text: str) -> str:
    """PDF text made comparable: presentation forms folded, spaces, joiners and bidi marks dropped."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


def pdf_text(path):
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return reader, squash("".join(page.extract_text() or "" for page in reader.pages))


def contains(haystack: str, token: str) -> bool:
    """``token`` in the text in logical or visual (reversed) order.

    Qt writes each line's glyphs in visual order; the lam-alef ligature comes
    back as «لا» even there, so the reversed token has its «ال» put back.
    """
    t = squash(token)
    r = t[::-1]
    return any(v in haystack for v in (t, r, r.replace("ال", "لا")))


# --------------------------------------------------------------------------- HTML


def test_html_has_every_part_escaped_and_in_persian_digits(store, framework):
    from workbench.reports.summary_html import summary_html

    make_round(store, framework)
    with store.session() as s:
        html = summary_html(s, the_assessment(s), printed_on=dt.date(2025, 1, 1))
    assert 'dir="rtl"' in html
    assert "اداره کل ارتباطات و فناوری اطلاعات استان یزد" in html
    assert "وزارت ارتباطات و فناوری اطلاعات" in html  # the parent agency
    assert "مریم احمدی" in html
    assert "۱۴۰۳/۰۷/۱۵" in html  # the visit, Jalali, Persian digits
    assert "۱۴۰۳/۱۰/۱۲" in html  # printed on 2025-01-01
    assert "تکمیل‌شده" in html
    assert "واحد استانی خدمت ویژهٔ استان ندارد" in html and "دستگاه مخاطب خارجی ندارد" in html
    assert html.count("عدم مصداق") >= 3
    assert URL.replace("&", "&amp;") in html  # the URL verbatim (Latin digits kept)
    assert "privacy-statement.pdf" in html and "کیلوبایت" in html
    assert "\u202bگواهی امنیت سامانه.pdf\u202c" in html  # a Persian file name reads right to left
    assert "۳۰۰۰۱۲۳" in html and "سامانهٔ پیامکی" in html
    assert "همهٔ ۱۲ شهرستان" in html
    assert "آزموده شد" in html and "در ۳ مرورگر و ۲ تلفن همراه" in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;ضخیم" in html
    assert "121095" not in html and "۱۲۱۰۹۵۰۰۰" in html  # service IDs read in Persian digits
    for role in ("ارزیاب", "سرپرست ارزیابی", "نمایندهٔ دستگاه اجرایی"):
        assert role in html
    # every indicator in the table, and no Latin digit outside URLs, file names and markup
    for ind in framework.indicators:
        assert f"<td class=\"key\">{ind.key.translate(str.maketrans('0123456789', '۰۱۲۳۴۵۶۷۸۹'))}</td>" in html
    visible = re.sub(r"<[^>]*>|&#?\w+;", "", html.split("</style>", 1)[1])
    visible = visible.replace(URL, "").replace("privacy-statement.pdf", "")
    assert not re.search(r"[0-9]", visible), re.search(r".{20}[0-9].{20}", visible)


def test_html_scores_match_the_scorer(store, framework):
    from workbench.model.assessments import score_assessment
    from workbench.model.text import format_number, format_percent
    from workbench.reports.summary_html import summary_html

    make_round(store, framework)
    with store.session() as s:
        a = the_assessment(s)
        card = score_assessment(s, a)
        html = summary_html(s, a)
    assert card.percent is not None
    assert format_percent(card.percent) in html
    assert f"{format_number(card.total.earned)} از {format_number(card.total.possible)} امتیاز" in html
    node = card["4.1"]
    assert f"{format_number(node.earned)} از {format_number(node.possible)}" in html
    assert "۱ از ۲ خدمت برنامه" in html  # request stage: one of two planned services has all four


def test_html_for_nothing_answered_says_so(store, framework):
    from workbench.reports.summary_html import summary_html

    make_round(store, framework, agencies=2)
    with store.session() as s:
        a = the_assessment(s, "201")
        s.execute(Answer.__table__.delete().where(Answer.assessment_uuid == a.uuid))
        html = summary_html(s, a)
    assert "هنوز هیچ موردی پاسخ داده نشده است" in html
    assert "ثبت نشده" in html or "۱۴۰۳" in html


# --------------------------------------------------------------------------- PDF


@pytest.fixture
def qapp_offscreen(qapp):
    return qapp


def test_pdf_pages_size_text_and_font(store, framework, tmp_path, qapp_offscreen):
    from workbench.reports.summary import write_summary_pdf

    make_round(store, framework)
    out = tmp_path / "summary.pdf"
    with store.session() as s:
        pages = write_summary_pdf(s, the_assessment(s), out)
    reader, text = pdf_text(out)
    assert len(reader.pages) == pages >= 2
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2  # A4 portrait, in points
    for token in ("اداره", "ارتباطات", "فناوری", "اطلاعات", "احمدی", "مریم", "عدم مصداق", "خارجی", "example.ir", "privacy-statement.pdf"):
        assert contains(text, token), token
    assert contains(text, "۱۴۰۳/۰۷/۱۵") or contains(text, "۱۵/۰۷/۱۴۰۳")
    assert contains(text, "صفحه ۱ از " + "۱۲۳۴۵۶۷۸۹"[pages - 1])
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Vazirmatn" in f for f in fonts), fonts


def test_pdf_pages_footer_counts_every_page(store, framework, tmp_path, qapp_offscreen):
    from workbench.reports.summary import write_summary_pdf

    make_round(store, framework)
    out = tmp_path / "s.pdf"
    with store.session() as s:
        pages = write_summary_pdf(s, the_assessment(s), out)
    from pypdf import PdfReader

    total = "۱۲۳۴۵۶۷۸۹"[pages - 1]
    for n, page in enumerate(PdfReader(str(out)).pages, start=1):
        text = squash(page.extract_text())
        mine = "۱۲۳۴۵۶۷۸۹"[n - 1]
        assert contains(text, f"صفحه {mine} از {total}"), (n, text[-80:])


def test_write_all_one_pdf_per_assessment_with_progress_and_cancel(store, framework, tmp_path, qapp_offscreen):
    from workbench.model.assessments import find_round
    from workbench.reports.summary import write_all

    make_round(store, framework, agencies=4)
    seen = []
    with store.session() as s:
        rnd = find_round(s, 1403)
        written = write_all(s, rnd, tmp_path / "all", progress=lambda d, t, n: seen.append((d, t)))
        assert sorted(p.name for p in written) == ["100-21.pdf", "201.pdf", "202.pdf", "203.pdf"]
        assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
        stopped = write_all(s, rnd, tmp_path / "part", cancelled=lambda: len(list((tmp_path / "part").glob("*.pdf"))) >= 2)
    assert len(stopped) == 2
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["100-21.pdf", "201.pdf", "202.pdf", "203.pdf"]
    _, text = pdf_text(tmp_path / "all" / "202.pdf")
    assert contains(text, "سازمان") and contains(text, "رضا") and contains(text, "۲۰۲")


# --------------------------------------------------------------------------- command line


def run(argv):
    from workbench.cli import main

    return main(argv)


def test_write_all_with_worker_processes(store, framework, tmp_path, qapp_offscreen):
    from workbench.model.assessments import find_round
    from workbench.reports.summary import write_all

    make_round(store, framework, agencies=4)
    seen = []
    with store.session() as s:
        written = write_all(s, find_round(s), tmp_path / "par", progress=lambda d, t, n: seen.append((d, t, n)),
                            workers=2)
    assert [p.name for p in written] == ["100-21.pdf", "201.pdf", "202.pdf", "203.pdf"]
    assert [d for d, _, _ in seen] == [0, 1, 2, 3, 4] and {t for _, t, _ in seen} == {4}
    assert {n for _, _, n in seen[1:]} == {"اداره کل ارتباطات و فناوری اطلاعات استان یزد"} | {
        f"سازمان نمونهٔ {k}" for k in (1, 2, 3)}
    for path in written:
        reader, text = pdf_text(path)
        assert len(reader.pages) >= 1 and contains(text, "صفحه ۱ از")
    _, text = pdf_text(tmp_path / "par" / "100-21.pdf")
    assert contains(text, "ارتباطات") and contains(text, "example.ir")


def test_cli_single_and_all(store, framework, tmp_path, capsys):
    make_round(store, framework, agencies=3)
    db = store.path
    store.close()
    out = tmp_path / "one.pdf"
    assert run(["report", "summary", str(db), "--agency", "100-21", "--out", str(out)]) == 0
    reader, text = pdf_text(out)
    assert len(reader.pages) >= 1 and contains(text, "ارتباطات") and contains(text, "۱۰۰-۲۱")
    assert run(["report", "summary", str(db), "--all", "--out", str(tmp_path / "dir"), "--round", "1403"]) == 0
    assert sorted(p.name for p in (tmp_path / "dir").glob("*.pdf")) == ["100-21.pdf", "201.pdf", "202.pdf"]
    assert not [p for p in (tmp_path / "dir").iterdir() if p.name.startswith(".")]  # no half-written leftovers


def test_cli_bad_input_exits_2_with_persian_message(store, framework, tmp_path, capsys):
    make_round(store, framework)
    db = store.path
    store.close()
    capsys.readouterr()
    assert run(["report", "summary", str(tmp_path / "missing.sqlite"), "--agency", "100", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "وجود ندارد" in capsys.readouterr().err
    assert run(["report", "summary", str(db), "--agency", "999", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "«999»" in capsys.readouterr().err
    assert run(["report", "summary", str(db), "--agency", "100", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "ارزیابی ندارد" in capsys.readouterr().err  # the parent has no assessment of its own
    assert run(["report", "summary", str(db), "--agency", "100-21", "--round", "1399", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "1399" in capsys.readouterr().err
    assert run(["report", "summary", str(db), "--agency", "100-21", "--out", str(tmp_path / "no" / "x.pdf")]) == 2
    assert "وجود ندارد" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


# --------------------------------------------------------------------------- window


@pytest.mark.gui
def test_print_preview_builds_its_dialog(store, framework, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from PySide6.QtWidgets import QWidget

    from workbench.ui.reports.summary_print import preview_dialog

    make_round(store, framework)
    parent = QWidget()
    qtbot.addWidget(parent)
    with store.session() as s:
        dialog = preview_dialog(parent, s, the_assessment(s))
        assert isinstance(dialog, QPrintPreviewDialog)
        painted = []
        dialog.paintRequested.connect(lambda printer: painted.append(printer.pageLayout().pageSize().id()))
        dialog.show()  # shown, not exec'd: the preview paints its pages at once
        qtbot.waitUntil(lambda: bool(painted), timeout=10000)
        dialog.close()
    from PySide6.QtGui import QPageSize

    assert painted[0] == QPageSize.PageSizeId.A4
    assert dialog.windowTitle()


def test_qt_binding_keeps_none_alive(qapp):
    """PySide6 6.12.0 dropped a reference to ``None`` on every void call (Python 3.11).

    A round's summaries make hundreds of thousands of such calls; with that
    binding the process aborted ("deallocating None") part way through.
    """
    import sys

    from PySide6.QtGui import QFont, QTextOption

    font, option = QFont(), QTextOption()
    before = sys.getrefcount(None)
    for _ in range(2000):
        font.setPointSizeF(10.0)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
    assert sys.getrefcount(None) - before > -100
