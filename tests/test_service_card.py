"""The service identity card (003) the guide's indicators depend on: stored per service, imported, shown.

The card's «سطح خدمت», «ماهیت خدمت», «نحوه دسترسی به خدمت» per stage, its links to other agencies, its
required documents and reasons for in-person visits travel through the template and the import (optional
columns: an older file still imports and leaves them as they are), a new round, an old database's upgrade,
and the window's services table.
"""
from __future__ import annotations

import sqlite3

import pytest
from import_books import AGENCY_CODE, SERVICE_HEADERS, seed, services_rows, write_book
from openpyxl import Workbook
from sqlalchemy import select

from workbench.imports.findings import ImportRefused
from workbench.imports.importer import check_import, import_workbook
from workbench.imports.layout import AGENCY, CARD_COLUMNS, SERVICES, TABLE4, TABLE5
from workbench.model.assessments import find_agency, find_round
from workbench.model.schema import Service
from workbench.model.terms import CHECK_FIELDS, COUNTER_ELIGIBILITY, NOT_COUNTED, channel_list, electronic

CARD = [c.header for c in CARD_COLUMNS]


@pytest.fixture
def db(store, framework):
    seed(store, framework)
    return store.path


def _import(store, path, dry_run=False):
    with store.session() as s:
        rnd, agency = find_round(s, 1403), find_agency(s, AGENCY_CODE)
        return import_workbook(s, path, rnd, agency, dry_run=dry_run)


def _cards(store) -> dict[str, tuple]:
    with store.session() as s:
        return {
            x.service_id: (x.service_level, x.nature, x.info_channels, x.request_channels, x.delivery_channels,
                           x.other_agencies, x.documents, x.visit_reasons)
            for x in s.scalars(select(Service).where(Service.service_id != "777000000"))
        }


def _with_cards(cards: list[list]) -> list[list]:
    rows = services_rows()
    cards = cards + [[""] * len(CARD)] * (len(rows) - len(cards))
    return [row + card for row, card in zip(rows, cards)]


def test_the_cards_words_are_read_into_codes(store, db, tmp_path):
    # The card's own words, as agencies write them: «منطقه ای» with a space, «تصدی گری» without ZWNJ,
    # channels separated by «،» or «/», «حضوری» for the card's «غیرالکترونیکی».
    path = write_book(tmp_path / "card.xlsx", services=_with_cards([
        ["ملی", "حاکمیتی", "اینترنتی", "اینترنتی (مانند وبگاه دستگاه)، پیامک", "پست الکترونیک / حضوری",
         "سازمان ثبت احوال، سازمان امور مالیاتی", "اصل کارت ملی", "جهت احراز اصالت مدرک"],
        ["منطقه ای", "تصدی گری", "", "تلفن همراه (برنامه کاربردی)", "دفاتر پیشخوان", "", "", ""],
        ["روستایی", "", "سایر", "غیر الکترونیکی", "", "", "", ""],
    ]))
    _import(store, path)
    cards = _cards(store)
    assert cards["121095000"] == ("national", "sovereign", "internet", "internet sms", "email in_person",
                                  "سازمان ثبت احوال، سازمان امور مالیاتی", "اصل کارت ملی", "جهت احراز اصالت مدرک")
    assert cards["121095101"] == ("regional", "enterprise", "", "mobile", "counter", "", "", "")
    assert cards["121095102"] == ("rural", "", "other", "in_person", "", "", "", "")
    # A stage is electronic when a channel other than «غیرالکترونیکی» serves it.
    assert electronic("email in_person") and electronic("mobile") and not electronic("in_person")
    assert not electronic("")
    assert channel_list("internet sms") == "اینترنتی، پیام کوتاه"


def test_an_unknown_channel_or_level_is_refused_at_its_cell(store, db, tmp_path):
    path = write_book(tmp_path / "bad.xlsx", services=_with_cards([
        ["کشوری", "", "", "کبوتر نامه‌بر، اینترنتی", "", "", "", ""],
    ]))
    with pytest.raises(ImportRefused) as caught:
        _import(store, path)
    errors = {(e.cell, e.message) for e in caught.value.errors}
    level = next(m for c, m in errors if c == "J2")
    assert "«کشوری»" in level and "«منطقه‌ای»" in level
    channel = next(m for c, m in errors if c == "M2")
    assert "«کبوتر نامه‌بر»" in channel and "«پیام کوتاه»" in channel and "«سطح خدمت»" not in channel
    assert _cards(store) == {}  # nothing written


def test_an_older_file_without_the_card_imports_and_keeps_what_is_stored(store, db, tmp_path):
    full = write_book(tmp_path / "full.xlsx", services=_with_cards([
        ["ملی", "تصدی‌گری", "اینترنتی", "اینترنتی", "اینترنتی", "", "فرم درخواست", ""],
    ]))
    _import(store, full)
    before = _cards(store)
    # A version-1 template: the services sheet has no card column at all.
    old = tmp_path / "old.xlsx"
    book = Workbook()
    book.active.title = AGENCY.name
    for row in [[c.header, {"code": AGENCY_CODE, "name": "وزارت نمونه"}.get(c.key)] for c in AGENCY.columns]:
        book.active.append(row)
    headers = SERVICE_HEADERS[: len(SERVICE_HEADERS) - len(CARD)]
    assert not set(headers) & set(CARD)
    ws = book.create_sheet(SERVICES.name)
    ws.append(headers)
    for row in services_rows():
        ws.append(row)
    for spec in (TABLE4, TABLE5):
        book.create_sheet(spec.name).append([c.header for c in spec.columns])
    book.save(old)
    summary = _import(store, old)
    assert summary["changed"]["services"] == 0 and summary["added"]["services"] == 0
    assert _cards(store) == before
    # A file that has the columns, blank, says the card gives nothing: they are emptied.
    _import(store, write_book(tmp_path / "blank.xlsx"))
    assert set(_cards(store).values()) == {("",) * 8}


def test_a_sovereign_service_in_the_counter_plan_is_a_warning(store, db, tmp_path):
    # services_rows(): 121095101 is in the counter offices' plan (column G «بله»).
    path = write_book(tmp_path / "counter.xlsx", services=_with_cards([
        ["", "حاکمیتی", "", "", "", "", "", ""],  # not in the counter plan: nothing to say
        ["", "حاکمیتی", "", "", "", "", "", ""],
        ["", "تصدی‌گری", "", "", "", "", "", ""],
    ]))
    with store.session() as s:
        checked = check_import(s, path, find_round(s, 1403), find_agency(s, AGENCY_CODE))
    warned = [(w.cell, w.message) for w in checked.findings.warnings if COUNTER_ELIGIBILITY in w.message]
    assert [cell for cell, _ in warned] == ["K3"]
    assert "۱۲۱۰۹۵۱۰۱" in warned[0][1] and "شاخص ۳ آن را در صورت و مخرج نمی‌شمارد" in warned[0][1]
    assert checked.findings.ok  # a warning, never a refusal


def test_a_provincial_units_national_service_in_its_plan_is_a_warning(store, db, tmp_path):
    """«خدمات ملی و کشوری نیز به عهده دستگاه ملی میباشد»: not counted in the unit's ratios (the import says so)."""
    path = write_book(tmp_path / "level.xlsx", services=_with_cards([["ملی", "", "", "", "", "", "", ""]]))
    with store.session() as s:
        rnd, agency = find_round(s, 1403), find_agency(s, AGENCY_CODE)
        national = check_import(s, path, rnd, agency)
        agency.level = "provincial"
        s.flush()
        provincial = check_import(s, path, rnd, agency)
        s.rollback()
    assert not [w for w in national.findings.warnings if "خدمات ملی و کشوری" in w.message]
    (warned,) = [w for w in provincial.findings.warnings if "خدمات ملی و کشوری" in w.message]
    # services_rows(): 121095000 is in the request and delivery plans, not the counter offices'.
    assert warned.cell == "J2" and "مرحلهٔ درخواست، ارائه شمرده نمی‌شود" in warned.message
    assert provincial.findings.ok


def test_links_to_other_agencies_outside_the_gsb_plan_are_a_warning(store, db, tmp_path):
    # services_rows(): 121095000 is in the GSB plan (column H «بله»), 121095101 is not.
    path = write_book(tmp_path / "gsb.xlsx", services=_with_cards([
        ["", "", "", "", "", "سازمان ثبت احوال", "", ""],
        ["", "", "", "", "", "سازمان امور مالیاتی", "", ""],
    ]))
    with store.session() as s:
        checked = check_import(s, path, find_round(s, 1403), find_agency(s, AGENCY_CODE))
    warned = [w.cell for w in checked.findings.warnings if "GSB" in w.message]
    assert warned == ["O3"] and checked.findings.ok


def test_a_new_round_carries_the_cards(store, db, tmp_path, framework):
    from workbench.model.rounds import open_round

    _import(store, write_book(tmp_path / "card.xlsx", services=_with_cards([
        ["استانی", "تصدی‌گری", "اینترنتی", "اینترنتی", "حضوری", "سازمان دیگر", "شناسنامه", ""],
    ])))
    with store.session() as s:
        open_round(s, 1404, framework, from_year=1403)
    with store.session() as s:
        rows = s.execute(select(Service.service_level, Service.delivery_channels, Service.other_agencies)
                         .where(Service.service_id == "121095000")).all()
    assert sorted(rows) == [("provincial", "in_person", "سازمان دیگر")] * 2


def test_an_older_database_upgrades_with_its_services_kept(tmp_path, framework):
    """A 0006 database (no card columns) gains them empty; every service and its plan stay."""
    from workbench.model.store import open_store

    path = tmp_path / "old.sqlite"
    store = open_store(path)
    seed(store, framework)
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        for name in ("service_level", "nature", "info_channels", "request_channels", "delivery_channels",
                     "other_agencies", "documents", "visit_reasons"):
            conn.execute(f"ALTER TABLE services DROP COLUMN {name}")
        conn.execute("ALTER TABLE answers DROP COLUMN marks")  # 0008's, as a 0006 file has none
        for name in CHECK_FIELDS:
            conn.execute(f"ALTER TABLE service_judgements DROP COLUMN {name}")
        conn.execute("DROP TABLE blob_chunks")  # 0009's
        conn.execute("ALTER TABLE answers DROP COLUMN entry_notes")  # 0010's
        conn.execute("DROP TABLE service_sections")  # 0011's
        conn.execute("UPDATE alembic_version SET version_num = '0006'")
    conn.close()
    store = open_store(path)
    try:
        assert store.backup_path is not None
        with store.session() as s:
            (svc,) = s.scalars(select(Service)).all()
            assert (svc.service_id, svc.title) == ("777000000", "خدمت دیگری")
            assert (svc.service_level, svc.nature, svc.request_channels, svc.documents) == ("", "", "", "")
    finally:
        store.close()


@pytest.mark.gui
def test_the_services_table_shows_the_card(ctl, qtbot):
    """Level, nature, the stage's channels, links, documents and visit reasons beside each service; a
    sovereign service in the counter offices' plan is flagged at the counter stage with the guide's reason."""
    from PySide6.QtCore import Qt
    from ui_page_fixture import planned

    from workbench.ui.assessment.services_table import ServicesPanel, column

    counter_id = planned("counter")[0]
    with ctl.session().begin_nested():
        svc = ctl.session().scalar(select(Service).where(Service.service_id == counter_id))
        svc.service_level, svc.nature = "urban", "sovereign"
        svc.request_channels, svc.delivery_channels = "internet sms", "counter in_person"
        svc.other_agencies, svc.documents, svc.visit_reasons = "سازمان ثبت احوال", "اصل کارت ملی", "جهت احراز اصالت فرد"
    ctl.session().commit()
    panel = ServicesPanel(ctl)
    qtbot.addWidget(panel)
    panel.only_planned.setChecked(False)
    model = panel.model
    row = next(i for i in range(model.rowCount()) if model.row(i).service_id == counter_id)

    def shown(key, role=Qt.ItemDataRole.DisplayRole):
        return model.index(row, column(key)).data(role)

    assert (shown("service_level"), shown("nature"), shown("channels")) == ("شهری", "حاکمیتی", "اینترنتی، پیام کوتاه")
    assert shown("other_agencies") == "سازمان ثبت احوال" and shown("documents") == "اصل کارت ملی"
    assert shown("visit_reasons") == "جهت احراز اصالت فرد"
    assert "ارائه: دفاتر پیشخوان، غیرالکترونیکی" in shown("channels", Qt.ItemDataRole.ToolTipRole)
    assert "ماهیت حاکمیتی نداشته" not in shown("nature", Qt.ItemDataRole.ToolTipRole)  # the request stage in view
    panel.set_stage("delivery")
    assert shown("channels") == "دفاتر پیشخوان، غیرالکترونیکی"
    panel.set_stage("counter")
    # Not counted in indicator 3 (the framework's «eligible» rule): the result says so, the nature and the
    # result say why with the guide's words, and the counts leave it out.
    why = shown("nature", Qt.ItemDataRole.ToolTipRole)
    assert "«حاکمیتی»" in why and "ماهیت حاکمیتی نداشته" in why and "فرض میز کار" in why
    assert shown("result") == NOT_COUNTED and shown("result", Qt.ItemDataRole.ToolTipRole) == why
    assert shown("nature", Qt.ItemDataRole.ForegroundRole) is not None
    assert shown("service_level", Qt.ItemDataRole.ForegroundRole) is None  # the nature leaves it out, not the level
    assert model.left_out() == 1 and model.counts()[2] == len(planned("counter")) - 1
    assert "۱ خدمت برنامه به سبب شناسنامهٔ خدمت شمرده نمی‌شود" in panel.count_label.text()
    other = next(i for i in range(model.rowCount()) if model.row(i).service_id != counter_id)
    assert model.index(other, column("documents")).data(Qt.ItemDataRole.ToolTipRole) == "در شناسنامهٔ خدمت نیامده است"


@pytest.mark.gui
def test_the_services_table_flags_a_judgement_the_card_contradicts(ctl, qtbot):
    """The card says the request stage is electronic through the internet, the evaluator found no tracking
    code: «ناهمخوان» beside the judgement with what disagrees, counted under the table; once the evaluator
    finds all four capabilities it goes.  The delivery stage's card is read at the delivery stage, the card's
    documents at indicator 11's check."""
    from PySide6.QtCore import Qt
    from ui_page_fixture import planned

    from workbench.model.terms import CARD_DISAGREES, CARD_DISAGREES_SHORT, REQUEST_CAPABILITIES
    from workbench.ui.assessment.services_table import ServicesPanel, column

    sid = planned("request")[0]
    with ctl.session().begin_nested():
        svc = ctl.session().scalar(select(Service).where(Service.service_id == sid))
        svc.request_channels, svc.delivery_channels = "internet", "in_person"
    ctl.session().commit()
    panel = ServicesPanel(ctl)
    qtbot.addWidget(panel)
    model = panel.model
    row = next(i for i in range(model.rowCount()) if model.row(i).service_id == sid)

    def shown(role=Qt.ItemDataRole.DisplayRole):
        return model.index(row, column("card_check")).data(role)

    assert not panel.view.isColumnHidden(column("card_check"))
    assert shown() == ""  # not judged yet: nothing to compare
    model.set_judgement(sid, {**dict.fromkeys(REQUEST_CAPABILITIES, True), "request_tracking": False}, "داوری")
    assert shown() == CARD_DISAGREES_SHORT and shown(Qt.ItemDataRole.ForegroundRole) is not None
    assert "الکترونیکی می‌داند (از راه اینترنتی)" in shown(Qt.ItemDataRole.ToolTipRole)
    assert f"۱ خدمت {CARD_DISAGREES}" in panel.count_label.text()
    model.set_judgement(sid, {"request_tracking": True}, "داوری")
    assert shown() == "" and CARD_DISAGREES not in panel.count_label.text()
    if sid in planned("delivery"):  # the card says delivery is in person
        panel.set_stage("delivery")
        model.set_judgement(sid, {"delivery": True}, "داوری")
        assert shown() == CARD_DISAGREES_SHORT and "فقط غیرالکترونیکی" in shown(Qt.ItemDataRole.ToolTipRole)
    # Indicator 11: the card's documents ask for a copy of the national card; the evaluator found none taken.
    with ctl.session().begin_nested():
        ctl.session().scalar(select(Service).where(Service.service_id == sid)).documents = "تصویر کارت ملی"
    ctl.session().commit()
    model.reload()
    panel.set_stage("copies")
    assert not panel.view.isColumnHidden(column("card_check"))
    model.set_judgement(sid, {"no_id_copy": True}, "داوری")
    assert shown() == CARD_DISAGREES_SHORT and "«تصویر کارت ملی»" in shown(Qt.ItemDataRole.ToolTipRole)
    model.set_judgement(sid, {"no_id_copy": False}, "داوری")
    assert shown() == ""
    panel.set_stage("counter")
    assert panel.view.isColumnHidden(column("card_check"))
