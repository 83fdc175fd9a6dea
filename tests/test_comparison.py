"""A revised guide lined up with the earlier one: added, dropped, renamed (mapped) and re-weighted keys."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from workbench.model.comparison import DROPPED, NEW, RENAMED, SAME, align, basis_text, indicator_rows
from workbench.model.framework import default_framework_path, parse_framework


def revised_text(**changes) -> str:
    """The default framework revised: in 4.2 an item added, one dropped, one renamed, two re-weighted;
    indicator 10 dropped; indicator 11 renamed 12 (its measure and item too) and worth 10, not 20."""
    data = json.loads(default_framework_path().read_text(encoding="utf-8"))
    data["version"] = "1404"
    ind4 = data["indicators"][3]
    m42 = ind4["measures"][1]
    items = {it["key"]: it for it in m42["items"]}
    items["4.2.1"]["points"] = 1.5
    items["4.2.4"]["points"] = 1.5
    renamed = dict(items["4.2.3"], key="4.2.7", continues="4.2.3")
    added = {"key": "4.2.6", "title": "نقشهٔ سایت", "kind": "check", "points": 1, "points_source": "guide"}
    m42["items"] = [items["4.2.1"], items["4.2.2"], renamed, items["4.2.4"], added]  # 4.2.5 dropped
    ind11 = data["indicators"][10]
    ind11.update(key="12", continues="11", points=10)
    m = ind11["measures"][0]
    m.update(key="12.1", continues="11.1", points=10)
    m["items"][0].update(key="12.1.1", continues="11.1.1", points=10, kind="yesno")  # a yes/no again
    m["items"][0].pop("per_service")
    data["indicators"] = [i for i in data["indicators"] if i["key"] != "10"]
    data.update(changes)
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture
def frameworks():
    old = parse_framework(default_framework_path().read_text(encoding="utf-8"))
    return old, parse_framework(revised_text())


def test_alignment_states_every_change(frameworks):
    old, new = frameworks
    links = {(link.key, link.previous): link for link in align(old, new)}
    assert links[("4.2.1", "4.2.1")].status == SAME and links[("4.2.1", "4.2.1")].reweighted
    assert links[("4.2.4", "4.2.4")].reweighted and not links[("4.2.2", "4.2.2")].reweighted
    assert links[("4.2.7", "4.2.3")].status == RENAMED
    assert links[("4.2.6", None)].status == NEW
    assert links[(None, "4.2.5")].status == DROPPED
    assert (None, "4.2.3") not in links  # renamed, not dropped
    assert links[("12", "11")].status == RENAMED and links[("12", "11")].reweighted
    assert links[("12.1.1", "11.1.1")].status == RENAMED
    assert links[(None, "10")].status == DROPPED and links[(None, "10.1.1")].status == DROPPED
    # Nothing of the earlier framework is matched twice or silently.
    previous = [link.previous for link in links.values() if link.previous]
    assert len(previous) == len(set(previous))


def test_a_key_another_one_continues_is_not_matched_by_name(frameworks):
    old, _ = frameworks
    data = json.loads(revised_text())
    m42 = data["indicators"][3]["measures"][1]
    # A new, unrelated 4.2.3 beside 4.2.7 that continues the old 4.2.3.
    m42["items"].append({"key": "4.2.3", "title": "چیزی دیگر", "kind": "check", "points": 0})
    new = parse_framework(json.dumps(data, ensure_ascii=False))
    links = {(link.key, link.previous): link for link in align(old, new)}
    assert links[("4.2.3", None)].status == NEW
    assert links[("4.2.7", "4.2.3")].status == RENAMED


def test_indicator_rows_line_up_three_rounds(frameworks):
    old, new = frameworks
    rows = indicator_rows([old, old, new])
    by_last = {row.keys[-1]: row for row in rows if row.keys[-1]}
    assert by_last["12"].keys == ["11", "11", "12"] and "11" in by_last["12"].notes[2]
    assert by_last["4"].keys == ["4", "4", "4"]
    dropped = [row for row in rows if row.keys[-1] is None]
    assert [row.keys for row in dropped] == [["10", "10", None]]
    assert "حذف" in dropped[0].notes[2]


def test_basis_says_when_totals_are_not_like_for_like(frameworks):
    old, new = frameworks
    assert basis_text(old, old) == ""
    text = basis_text(old, new)
    assert "وزن" in text and "درصد" in text
    bands = json.loads(revised_text())["bands"]
    bands[0]["min"] = 90
    assert "طبقه" in basis_text(old, parse_framework(revised_text(bands=bands)))


def test_an_agency_compares_by_percent_across_a_revised_guide(store, framework):
    from report_data import Spec, build

    from workbench.model.assessments import create_round, find_round, score_round
    from workbench.model.schema import Answer, Assessment
    from workbench.reports.trend_data import agency_trend

    build(store, framework, [Spec("100", "وزارت آزمون", share=0.5)], tables=False)
    revised = parse_framework(revised_text())
    with store.session() as s:
        rnd = create_round(s, 1404, revised)
        old = s.scalars(select(Assessment)).first()
        a = Assessment(round_uuid=rnd.uuid, agency_uuid=old.agency_uuid, status="final")
        s.add(a)
        s.flush()
        for key in ("1", "2", "3", "5", "7"):
            s.add(Answer(assessment_uuid=a.uuid, key=key, not_applicable=True, na_reason="آزمون"))
        for n, it in enumerate(i for i in revised.items() if i.key.split(".")[0] in ("4", "6", "8", "9", "12")):
            if it.kind == "ratio":
                s.add(Answer(assessment_uuid=a.uuid, key=it.key, achieved=3.0, planned=4.0))
            else:
                s.add(Answer(assessment_uuid=a.uuid, key=it.key, value=n % 3 != 0))
    with store.session() as s:
        cards = {year: score_round(s, find_round(s, year))[0].card for year in (1403, 1404)}
        trend = agency_trend(s, "100")
    assert [f.year for f in trend.figures] == [1403, 1404]
    before, after = trend.figures
    for year, figures in ((1403, before), (1404, after)):
        assert figures.percent == round(cards[year].percent, 2)
    # Indicator 12 of 1404 is indicator 11 of 1403, compared by percent though it is worth half.
    assert after.indicators["12"] == round(cards[1404]["12"].percent, 2)
    assert trend.changes[1].indicators["12"] == round(
        round(cards[1404]["12"].percent, 2) - round(cards[1403]["11"].percent, 2), 2)
    assert trend.changes[1].indicators["4"] == round(
        round(cards[1404]["4"].percent, 2) - round(cards[1403]["4"].percent, 2), 2)
    assert "10" not in trend.changes[1].indicators  # dropped: no change to show
    assert trend.changes[1].total == round(after.percent - before.percent, 2)
    assert trend.changes[1].rank == 0 and after.rank == before.rank == 1
    assert "درصد" in trend.basis[1]


def test_a_rounds_figures_are_scored_again_only_when_its_rows_change(store, framework, monkeypatch):
    from report_data import Spec, build

    from workbench.model.assessments import create_round, find_round
    from workbench.model.schema import Answer, Assessment
    from workbench.reports import trend_data

    build(store, framework, [Spec("100", "وزارت آزمون", share=0.5), Spec("200", "وزارت دیگر")], tables=False)
    with store.session() as s:
        create_round(s, 1404, framework)
    calls = []
    real = trend_data.score_round
    monkeypatch.setattr(trend_data, "score_round",
                        lambda s, rnd, **kw: calls.append(rnd.year) or real(s, rnd, **kw))
    with store.session() as s:
        old = find_round(s, 1403)
        first = trend_data.round_data(s, old)
        assert trend_data.round_data(s, old) is first and calls == [1403]
        new = find_round(s, 1404)
        a = s.scalars(select(Assessment).where(Assessment.round_uuid == old.uuid)).first()
        s.add(Assessment(round_uuid=new.uuid, agency_uuid=a.agency_uuid))  # the latest round changes
    with store.session() as s:
        assert trend_data.round_data(s, find_round(s, 1403)) is first and calls == [1403]
        answer = s.scalars(select(Answer).where(Answer.assessment_uuid == a.uuid, Answer.value.is_not(None))).first()
        answer.value = not answer.value  # the earlier round itself changes: scored again
    with store.session() as s:
        again = trend_data.round_data(s, find_round(s, 1403))
        assert again is not first and calls == [1403, 1403]
