"""The XlsxWriter export of tables 4 and 5 is the workbook the openpyxl export made: every cell's
value, type and style, merges, row heights, widths, view, print set-up, header, footer and
autofilter (``tables45_openpyxl.dump``), for a whole demo round, one agency, and hostile text."""
from __future__ import annotations

import pytest
import tables45_openpyxl as reference
from report_data import Spec, build

from workbench.model.assessments import find_agency, find_round
from workbench.model.schema import Agency, ReformAction, ReformRow
from workbench.reports.tables45 import export_tables45


def same(session, rnd, tmp_path, agency=None) -> dict:
    ours, theirs = tmp_path / "xlsxwriter.xlsx", tmp_path / "openpyxl.xlsx"
    export_tables45(session, rnd, ours, agency)
    reference.export(session, rnd, theirs, agency)
    mine, before = reference.dump(ours), reference.dump(theirs)
    for sheet in before["sheets"]:
        for key in before[sheet]:
            if key == "cells":  # cell by cell, so a difference names its cell
                for coordinate, cell in before[sheet]["cells"].items():
                    assert mine[sheet]["cells"].get(coordinate) == cell, (sheet, coordinate)
            assert mine[sheet][key] == before[sheet][key], (sheet, key)
    assert mine == before
    return mine


def test_a_demo_round_whole_and_one_agency(tmp_path):
    from workbench.demo.build import build_demo
    from workbench.model.store import open_store

    db = tmp_path / "demo.sqlite"
    build_demo(db, agencies=12, seed=3)
    store = open_store(db, create=False)
    try:
        with store.session() as s:
            rnd = find_round(s)
            row = s.query(ReformRow).order_by(ReformRow.uuid).first()
            row.value_after = 0.1 + 0.2  # 17 significant digits: both write 16 (0.3)
            s.flush()
            whole = same(s, rnd, tmp_path)
            assert 0.3 in [c[0] for c in whole["جدول ۴"]["cells"].values()]
            assert len(whole["جدول ۴"]["cells"]) > 500 and whole["جدول ۴"]["filter"]
            assert len({c[2] for c in whole["جدول ۵"]["cells"].values()}) >= 8  # shaded and plain styles
            same(s, rnd, tmp_path, s.get(Agency, row.agency_uuid))  # one agency: no agency columns
    finally:
        store.close()


def test_hostile_text_empty_tables_and_long_names(store, framework, tmp_path):
    build(store, framework, [
        Spec("1001", "وزارت صنعت، معدن و تجارت"),
        Spec("3003", "سازمان " + "بسیار " * 60 + "بلند & دیگر"),
        Spec("4004", "سازمان بدون جدول"),
    ], tables=True)
    with store.session() as s:
        rnd = find_round(s)
        empty = find_agency(s, "4004")
        for model in (ReformRow, ReformAction):  # an agency with neither table: the note row, merged
            s.query(model).filter_by(agency_uuid=empty.uuid).delete()
        s.flush()
        same(s, rnd, tmp_path / "all")
        for code in ("1001", "3003", "4004"):
            book = same(s, rnd, tmp_path / code, find_agency(s, code))
        assert "ردیفی برای این جدول ثبت نشده است." in [c[0] for c in book["جدول ۵"]["cells"].values()]


@pytest.fixture(autouse=True)
def folders(tmp_path):
    for name in ("all", "1001", "3003", "4004"):
        (tmp_path / name).mkdir()


def test_row_height_skips_one_line_cells_without_changing_a_height():
    """``row_height`` skips a cell that fits one line; every height is still the full count's."""
    import random

    from workbench.reports.sheets import row_height

    def counted(values, widths, line_height=14.0):  # the count before the shortcut, every cell split
        lines = 1
        for value, width in zip(values, widths):
            if isinstance(value, str) and value:
                per_line = max(1, int(width * 1.3))
                lines = max(lines, sum(max(1, -(-len(p) // per_line)) for p in value.split("\n")))
        return min(409, lines * line_height + 2) if lines > 1 else None

    rng = random.Random(16)
    widths = [5, 11, 18, 14, 8, 10, 22, 16]
    for _ in range(3000):
        values = [rng.choice([None, 7, 2.5, "", "\n", "ا" * rng.randint(1, 40),
                              "\n".join("ب" * rng.randint(0, 12) for _ in range(rng.randint(1, 4)))])
                  for _ in widths]
        assert row_height(values, widths) == counted(values, widths), values
