"""A note on each entry of appendix A's checklist (4.3.1): partial compliance recorded and justified.

002, indicator 4, measure 3: «1- نحوه و کیفیت اطلاع رسانی خدمات (5 امتیاز) - طبق راهنمای پیوست (الف)»;
the issue asks that an entry met only in part be «recorded and justified». Each entry keeps the
evaluator's own note (``answers.entry_notes``), carried by the exchange like any other value (two
evaluators' different notes are a conflict), shown in the window beside the entry and given by
``report na`` as the reason of an entry marked «صدق نمی‌کند».
"""
from __future__ import annotations

import pytest
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, build_fixture

from workbench.model.assessments import find_agency, find_round, score_assessment
from workbench.model.checklists import notes_text, parse_notes, with_note
from workbench.model.editing import Edit
from workbench.model.framework import load_default_framework
from workbench.model.schema import Answer, Assessment
from workbench.model.store import open_store

SUBSIDIARIES = "این دستگاه زیرمجموعه‌ای ندارد"
PARTIAL = "فرم شکایت هست ولی پیگیری آن با کد رهگیری نیست"


@pytest.fixture
def wb(tmp_path):
    st = open_store(build_fixture(tmp_path / "w.sqlite"), actor="آزمون")
    yield st
    st.close()


def _edit(wb, **fields):
    with wb.session() as s:
        agency = find_agency(s, NATIONAL_CODE)
        uuid = s.scalar(select(Assessment.uuid).where(Assessment.agency_uuid == agency.uuid))
        Edit("answer", uuid, "4.3.1", fields).apply(s)


def test_notes_are_stored_one_text_for_the_same_notes():
    assert notes_text({"A05": " ب ", "A04": "الف", "A06": "  "}) == '{"A04": "الف", "A05": "ب"}'
    assert notes_text({}) is None and parse_notes(None) == {} and parse_notes("") == {}
    assert parse_notes("not json") == {} and parse_notes("[1]") == {}  # damaged text reads as no notes
    assert with_note('{"A04": "الف"}', "A04", "") is None  # an emptied note removes it
    assert parse_notes(with_note(None, "A13", PARTIAL)) == {"A13": PARTIAL}


def test_each_entry_keeps_its_note_and_the_score_does_not_change(wb):
    _edit(wb, marks="A01 A02 !A04")
    with wb.session() as s:
        before = score_assessment(s, s.scalar(select(Assessment)))["4.3.1"].earned
    _edit(wb, entry_notes=notes_text({"A04": SUBSIDIARIES, "A13": PARTIAL}))
    with wb.session() as s:
        a = s.scalar(select(Answer).where(Answer.key == "4.3.1"))
        assert parse_notes(a.entry_notes) == {"A04": SUBSIDIARIES, "A13": PARTIAL}
        assert a.note == "" and a.marks == "A01 A02 !A04"
        assert score_assessment(s, a.assessment)["4.3.1"].earned == before == pytest.approx(5 * 2 / 17)


def test_report_na_gives_the_entrys_own_note_as_its_reason(wb):
    """An entry marked «صدق نمی‌کند» with a note of its own is listed with that note; one without a note
    falls back on the item's note (as before entries had notes)."""
    from workbench.model.na_check import round_na_rows

    _edit(wb, marks="A01 !A04 !A07", note="یادداشت کل مورد", entry_notes=notes_text({"A04": SUBSIDIARIES}))
    with wb.session() as s:
        rows = {r.key: r for r in round_na_rows(s, find_round(s, 1403)) if r.key.startswith("4.3.1")}
    assert rows["4.3.1 A04"].reason == SUBSIDIARIES
    assert rows["4.3.1 A07"].reason == "یادداشت کل مورد"


@pytest.mark.backends
def test_entry_notes_travel_in_the_package_and_two_different_notes_conflict(tmp_path, master, agency):
    from exchange_fixture import answer, do_export, do_merge, evaluator_db, set_answer

    from workbench.exchange.desk import value_text
    from workbench.exchange.tables import Conflict, ConflictCandidate
    from workbench.model.schema import Agency

    a = evaluator_db(tmp_path, master, "مریم", [agency])
    b = evaluator_db(tmp_path, master, "رضا", [agency])
    set_answer(a, agency, "4.3.1", marks="A01 !A04", entry_notes=notes_text({"A04": SUBSIDIARIES}))
    set_answer(b, agency, "4.3.1", marks="A01 !A04", entry_notes=notes_text({"A04": "بررسی نشد"}))
    result = do_merge(master, [do_export(a, tmp_path / "a.wbp").path, do_export(b, tmp_path / "b.wbp").path])
    assert [p.status for p in result.packages] == ["merged", "merged"]
    assert result.packages[1].conflicts == 1  # the ticks agree; the notes do not
    store = open_store(master)
    try:
        with store.session() as s:
            row = s.scalar(select(Answer).join(Assessment).join(Agency).where(Agency.code == agency,
                                                                               Answer.key == "4.3.1"))
            assert row.marks == "A01 !A04" and row.entry_notes is None  # the base value while it is open
            (conflict,) = s.scalars(select(Conflict).where(Conflict.status == "open")).all()
            assert conflict.grp == "entry_notes"
            values = sorted(c.value for c in s.scalars(select(ConflictCandidate)
                                                       .where(ConflictCandidate.conflict_id == conflict.id)))
    finally:
        store.close()
    import json

    shown = [value_text(json.loads(v)) for v in values]
    assert any(f"A04: «{SUBSIDIARIES}»" in t for t in shown) and all("{" not in t for t in shown)
    assert answer(master, agency, "4.3.1") is not None


@pytest.mark.gui
def test_the_window_keeps_a_note_per_entry_and_undoes_it(ctl, qtbot, store):
    from ui_page_fixture import stored_answer

    from workbench.ui.assessment.checklist_editor import NOTE_HINT
    from workbench.ui.assessment.measure_page import MeasurePage

    page = MeasurePage(ctl)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.show_measure("4.3")
    checklist = next(e for e in page._editors if e.item.key == "4.3.1")
    assert len(checklist.notes) == len(load_default_framework().node("4.3.1").checklist.entries)
    box = checklist.notes["A13"]
    assert box.placeholderText() == NOTE_HINT and box.isVisible() and box.isEnabled()
    checklist.ticks["A01"].click()
    box.setText(PARTIAL)
    box.editingFinished.emit()
    stored = stored_answer(store, ctl, "4.3.1")
    assert parse_notes(stored["entry_notes"]) == {"A13": PARTIAL} and stored["marks"] == "A01"
    box.editingFinished.emit()  # focus leaving again without a change writes nothing
    ctl.undo_stack.undo()
    assert stored_answer(store, ctl, "4.3.1")["entry_notes"] is None and checklist.notes["A13"].text() == ""
    assert stored_answer(store, ctl, "4.3.1")["marks"] == "A01"  # the tick before the note stays
    # Every entry's note box lies inside the page: nothing pushed off its left edge.
    for note in checklist.notes.values():
        left = note.mapTo(page, note.rect().topLeft()).x()
        assert left >= 0 and left + note.width() <= page.width()
