"""Terms in one home: every surface shows the words of ``workbench/model/terms.py``.

Tables 4 and 5 are described once (``terms.TABLE4``/``TABLE5``): the template
agencies fill in, the Excel report and the window must all print those headers.
The labels of closed choices are written nowhere else in the code, and the
request-stage rule is the schema's one function.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from report_data import Spec, build
from source_literals import string_literals

from workbench.imports.template import write_template
from workbench.model import terms
from workbench.model.assessments import find_agency, find_round
from workbench.model.schema import ServiceJudgement, stage_verdict
from workbench.reports.tables45 import export_tables45
from workbench.ui.assessment.services_columns import ServiceRow

ROOT = Path(__file__).resolve().parent.parent / "workbench"


def _header_row(ws, first: str) -> list[str]:
    for row in ws.iter_rows(min_row=1, max_row=15):
        if row[0].value == first:
            return [c.value for c in row if c.value is not None]
    raise AssertionError(f"no header row in {ws.title}")


@pytest.mark.parametrize("spec", [terms.TABLE4, terms.TABLE5], ids=["table4", "table5"])
def test_the_template_writes_the_specs_headers_and_help(tmp_path, spec):
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    ws = book[spec.sheet]
    assert [c.value for c in ws[1]] == spec.headers
    assert [c.comment.text for c in ws[1]] == [f.help for f in spec.fields]


@pytest.mark.parametrize("spec", [terms.TABLE4, terms.TABLE5], ids=["table4", "table5"])
def test_the_report_prints_the_specs_headers_then_the_verdicts(store, framework, tmp_path, spec):
    build(store, framework, [Spec("1001", "وزارت نمونه")])
    out = tmp_path / "t45.xlsx"
    with store.session() as s:
        export_tables45(s, find_round(s), out, find_agency(s, "1001"))
    ws = openpyxl.load_workbook(out)[spec.sheet]
    assert _header_row(ws, spec.headers[0]) == spec.headers + [f.header for f in terms.VERDICT_FIELDS]
    assert ws["A1"].value == spec.title


@pytest.mark.gui
def test_the_window_shows_the_specs_headers(ctl, qtbot):
    from workbench.ui.assessment.reform_tables import ReformPanel

    panel = ReformPanel(ctl)
    qtbot.addWidget(panel)
    for model, spec in ((panel.table4, terms.TABLE4), (panel.table5, terms.TABLE5)):
        shown = {model.spec.columns[i][0]: model.headerData(i, Qt.Orientation.Horizontal)
                 for i in range(model.columnCount())}
        # table 4 adds one computed column: the six steps table 5 documents per service (issue 10)
        steps = shown.pop("steps", None)
        assert steps == ("گام‌های مستند در جدول ۵" if spec is terms.TABLE4 else None)
        assert set(shown) == set(spec.keys) | {f.key for f in terms.VERDICT_FIELDS}
        assert all(shown[key] == spec.header(key) for key in shown)
        assert model.spec.title == spec.title



#: Headers of tables 4 and 5 that other tables use too, for other things (a status, a row number).
GENERIC = {"ردیف", "شناسه خدمت", "عنوان خدمت", "وضعیت", "توضیحات"}


def test_closed_choices_are_labelled_only_in_terms():
    labels = {
        *terms.STATUS_LABELS.values(), terms.NOT_STARTED, *terms.LEVEL_LABELS.values(), *terms.LEVEL_UNITS.values(),
        *terms.LEVEL_GROUP_TITLES.values(), *terms.STAGE_TITLES.values(), *terms.SERVICE_KIND_LABELS.values(),
        *terms.REFORM_CRITERIA, *terms.REFORM_STEPS, *terms.ACTION_STATUSES, terms.NOT_APPLICABLE,
        *(f.header for f in (*terms.TABLE4.fields, *terms.TABLE5.fields) if f.header not in GENERIC),
        *(c.header for c in terms.CAPABILITIES), *terms.STAGE_RESULTS.values(),
        terms.TABLE4.title, terms.TABLE5.title,
    }
    found = {}
    for path in ROOT.rglob("*.py"):
        if path.name == "terms.py" or "migrations" in path.parts:
            continue
        for text in string_literals(path) & labels:
            found.setdefault(text, []).append(str(path.relative_to(ROOT)))
    assert not found, found


@pytest.mark.parametrize("values", list(itertools.product((None, True, False), repeat=5)))
def test_the_request_stage_rule_is_one_rule(values):
    fields = dict(zip((*terms.REQUEST_CAPABILITIES, "delivery"), values))
    stored = ServiceJudgement(**fields)
    as_row = {k: v for k, v in fields.items() if v is not None}  # the window's rows omit what is not judged
    window_row = ServiceRow("121095000", "خدمت", "G2C", dict.fromkeys(terms.STAGES, True), "", judgement=as_row)
    for stage in ("request", "delivery"):
        assert window_row.stage_result(stage) == stage_verdict(stored, stage) == stored.stage_result(stage)
    expected = None if all(v is None for v in values[:4]) else all(bool(v) for v in values[:4])
    assert stage_verdict(stored, "request") is expected


def test_the_services_table_asks_the_schema_for_the_stage_rule():
    for name in ("services_columns.py", "services_model.py", "services_table.py"):
        source = (ROOT / "ui" / "assessment" / name).read_text(encoding="utf-8")
        assert "REQUEST_CAPABILITIES]" not in source and "all(bool(" not in source, name
    assert "stage_verdict(" in (ROOT / "ui" / "assessment" / "services_columns.py").read_text(encoding="utf-8")
