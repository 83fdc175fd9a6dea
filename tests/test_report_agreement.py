"""The agreement report on a hand-made pair of assessments whose kappa is worked out by hand."""
from __future__ import annotations

import sqlite3

import pytest
from exchange_fixture import codes, do_export, do_merge, evaluator_db, master_copy, set_answer
from openpyxl import load_workbook

from workbench.model.framework import load_default_framework
from workbench.reports.agreement import cohen_kappa


def test_cohen_kappa_worked_by_hand():
    # 20 items: both yes 10, both no 5, A yes / B no 3, A no / B yes 2.
    # p_o = 15/20 = 0.75; A says yes 13/20, B 12/20; p_e = 0.65·0.6 + 0.35·0.4 = 0.53;
    # kappa = (0.75 − 0.53) / (1 − 0.53) = 0.4680851…
    pairs = [(True, True)] * 10 + [(False, False)] * 5 + [(True, False)] * 3 + [(False, True)] * 2
    assert cohen_kappa(pairs) == pytest.approx(0.22 / 0.47)
    assert cohen_kappa([(True, True)] * 4) is None  # no variation: kappa is undefined, not 1
    assert cohen_kappa([(True, False), (False, True)]) == pytest.approx(-1.0)
    assert cohen_kappa([]) is None


def _binary_items(count: int) -> list[str]:
    framework = load_default_framework()
    return [it.key for it in framework.items() if it.kind in ("check", "yesno") and not it.not_applicable][:count]


def test_two_evaluators_on_one_agency_agree_as_computed_by_hand(tmp_path, tmp_path_factory):
    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    agency = codes(master)[0]
    conn = sqlite3.connect(master)
    with conn:  # handed out with nothing answered: the two evaluators' answers are all there is
        conn.execute("DELETE FROM answers WHERE assessment_uuid IN (SELECT a.uuid FROM assessments a "
                     "JOIN agencies g ON g.uuid = a.agency_uuid WHERE g.code = ?)", (agency,))
    conn.close()
    a = evaluator_db(tmp_path, master, "مریم احمدی", [agency])
    b = evaluator_db(tmp_path, master, "رضا کریمی", [agency])
    keys = _binary_items(6)
    # «رضا» sorts before «مریم»: he is evaluator A of the pair.
    by_b = [True, True, False, True, False, True]  # مریم
    by_a = [True, False, False, True, True, True]  # رضا
    for key, mine in zip(keys, by_b):
        set_answer(a, agency, key, actor="مریم احمدی", value=mine)
    for key, mine in zip(keys, by_a):
        set_answer(b, agency, key, actor="رضا کریمی", value=mine)
    do_export(a, tmp_path / "a.wbp")
    do_export(b, tmp_path / "b.wbp")
    result = do_merge(master, [tmp_path / "a.wbp", tmp_path / "b.wbp"])
    assert [p.status for p in result.packages] == ["merged", "merged"]

    from workbench.cli import main

    out = tmp_path / "agreement.xlsx"
    assert main(["report", "agreement", str(master), "--out", str(out)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["خلاصه", "نماگرها", "شاخص‌ها", "دستگاه‌ها", "بیشترین اختلاف"]
    assert all(ws.sheet_view.rightToLeft for ws in book.worksheets)
    summary = book["خلاصه"]
    row = next(r for r in summary.iter_rows(values_only=True) if r[0] == "همهٔ گویه‌ها")
    # Agreed on 4 of 6.  Each says yes 4 times of 6: p_e = (4/6)² + (2/6)² = 20/36;
    # kappa = (24/36 − 20/36) / (16/36) = 0.25.
    assert row[1] == 6 and row[2] == pytest.approx(66.67) and row[3] == pytest.approx(0.25)
    pairs = [r for r in book["دستگاه‌ها"].iter_rows(values_only=True) if r[2] == "رضا کریمی"]
    assert len(pairs) == 1 and pairs[0][3] == "مریم احمدی" and pairs[0][7] == 6 and pairs[0][8] == 2
    # The two differing items' measures are where they differ most.
    differing = {keys[1].rsplit(".", 1)[0], keys[4].rsplit(".", 1)[0]}
    listed = {r[2] for r in book["بیشترین اختلاف"].iter_rows(values_only=True) if r[0] == persian(agency)}
    assert {persian(k) for k in differing} <= listed


def persian(text: str) -> str:
    from workbench.model.text import persian_digits

    return persian_digits(text)


def test_no_double_assessment_says_so(tmp_path, tmp_path_factory):
    from workbench.cli import main

    master = master_copy(tmp_path, tmp_path_factory.getbasetemp())
    out = tmp_path / "agreement.xlsx"
    assert main(["report", "agreement", str(master), "--out", str(out)]) == 0
    texts = [c for r in load_workbook(out)["خلاصه"].iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert any("دو ارزیاب" in t for t in texts)
