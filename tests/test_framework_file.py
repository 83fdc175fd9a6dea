"""The shipped framework file (resources/frameworks/egov-1403.json) and the loader's refusals.

The refusal tests edit copies of the real file, so they also prove the real file is
the kind of data the loader checks, not a toy tree.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from workbench.model.errors import FrameworkError
from workbench.model.framework import (
    EVIDENCE_KINDS,
    Framework,
    load_default_framework,
    load_framework,
    parse_framework,
)

FRAMEWORK_PATH = Path(__file__).resolve().parent.parent / "resources" / "frameworks" / "egov-1403.json"


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework(FRAMEWORK_PATH)


@pytest.fixture
def raw() -> dict:
    return json.loads(FRAMEWORK_PATH.read_text(encoding="utf-8"))


def _nodes(fw: Framework):
    for ind in fw.indicators:
        yield ind
        for m in ind.measures:
            yield m
            yield from m.items


def _find(data: dict, key: str) -> dict:
    """The raw JSON object (indicator, measure or item) with this key."""
    for ind in data["indicators"]:
        if ind["key"] == key:
            return ind
        for m in ind["measures"]:
            if m["key"] == key:
                return m
            for it in m["items"]:
                if it["key"] == key:
                    return it
    raise KeyError(key)


def _refusal(data: dict) -> FrameworkError:
    with pytest.raises(FrameworkError) as exc:
        parse_framework(json.dumps(data, ensure_ascii=False), origin="copy")
    return exc.value


# --------------------------------------------------------------------------- the file


def test_identity(fw):
    assert fw.id == "egov-technical"
    assert fw.version == "1403"
    assert fw.title.strip() and fw.source.strip()
    assert fw.text == FRAMEWORK_PATH.read_text(encoding="utf-8")
    assert len(fw.sha256) == 64


def test_default_path_is_this_file(fw):
    assert load_default_framework().sha256 == fw.sha256


def test_eleven_indicators(fw):
    assert [ind.key for ind in fw.indicators] == [str(n) for n in range(1, 12)]


def test_every_measure_has_items_and_evidence_kinds(fw):
    for m in fw.measures():
        assert m.items, m.key
        assert m.evidence_kinds, m.key
        assert set(m.evidence_kinds) <= set(EVIDENCE_KINDS), m.key
        assert m.title and m.definition and m.formula and m.evidence, m.key
        assert not m.legal_basis, m.key  # the guide states legal bases per indicator only


def test_every_indicator_has_its_texts(fw):
    for ind in fw.indicators:
        assert ind.definition and ind.formula and ind.evidence and ind.legal_basis, ind.key


def test_indicator_4_website(fw):
    ind = fw.indicator("4")
    assert ind.points == 35
    assert not ind.weight.assumed
    assert [m.key for m in ind.measures] == [f"4.{n}" for n in range(1, 8)]
    assert [m.points for m in ind.measures] == [6, 6, 7, 5, 5, 3, 3]
    assert [it.points for it in fw.node("4.1").items] == [1.5] * 4
    assert [it.points for it in fw.node("4.2").items] == [1, 1, 1, 2, 1]
    assert [it.points for it in fw.node("4.3").items] == [5, 2]
    assert fw.node("4.6").points == 3 and len(fw.node("4.6").items) == 1
    assert fw.node("4.7").points == 3 and len(fw.node("4.7").items) == 1
    # 4.3.1 «طبق راهنمای پیوست (الف)»: appendix A's checklist; 4.7 «برای هر یک از خدمات دستگاه»: per service
    assert {it.key: it.kind for m in ind.measures for it in m.items if it.kind != "check"} == {
        "4.3.1": "checklist", "4.7.1": "per_service"}
    assert len(fw.node("4.3.1").checklist.entries) == 18 and fw.node("4.3.1").checklist.assumed
    assert fw.node("4.7.1").per_service.stage == "sla" and "پیوست (ج)" in fw.node("4.7.1").per_service.source
    assert "مخاطب خارجی" in fw.node("4.4.3").not_applicable


@pytest.mark.parametrize("key, points", [("6", 20), ("8", 25), ("9", 25), ("10", 20), ("11", 20)])
def test_points_stated_by_the_guide(fw, key, points):
    ind = fw.indicator(key)
    assert ind.points == points
    assert ind.weight.source == "guide"


def test_indicators_6_8_9_split(fw):
    assert [m.points for m in fw.indicator("6").measures] == [7, 7, 6]
    assert [m.points for m in fw.indicator("8").measures] == [6, 6, 7, 6]
    assert [m.points for m in fw.indicator("9").measures] == [7, 18]
    assert [it.points for it in fw.node("9.2").items] == [6, 7, 5]
    connected, on_gsb = fw.node("8.1").items
    assert (connected.kind, connected.points) == ("yesno", 3)
    assert (on_gsb.kind, on_gsb.source, on_gsb.stage, on_gsb.points) == ("ratio", "services", "gsb", 3)
    for key in ("8.1.1", "8.3.1", "9.1.1", "9.2.2"):
        assert fw.node(key).not_applicable, key


def test_yes_no_indicators(fw):
    (item,) = fw.indicator("10").measures[0].items
    assert item.kind == "yesno" and item.points == 20
    # Indicator 11 is judged per service: «خدماتی که کپی مدارک هویتی … دریافت نمی کنند، فهرست شوند».
    (item,) = fw.indicator("11").measures[0].items
    assert (item.kind, item.points, item.per_service.stage, item.per_service.rule) == ("per_service", 20, "copies", "all")
    survey = fw.node("9.2.3")
    assert (survey.kind, survey.per_service.rule) == ("per_service", "all") and "روی هر خدمت" in survey.per_service.source


@pytest.mark.parametrize("key", ["1", "2", "3", "5", "7"])
def test_unstated_indicators_are_assumed(fw, key):
    ind = fw.indicator(key)
    assert ind.weight.assumed and ind.points > 0
    for m in ind.measures:
        assert m.weight.assumed, m.key
        for it in m.items:
            assert it.weight.assumed, it.key


def test_only_unstated_indicators_are_assumed(fw):
    assumed = {ind.key for ind in fw.indicators if ind.weight.assumed}
    assert assumed == {"1", "2", "3", "5", "7"}


def test_every_assumed_weight_says_why(fw):
    for node in _nodes(fw):
        assert node.weight.source in ("guide", "assumed"), node.key
        if node.weight.assumed:
            assert node.weight.assumption.strip(), node.key
            assert "\n" not in node.weight.assumption, node.key


@pytest.mark.parametrize("key, stage", [("1", "request"), ("2", "delivery"), ("3", "counter")])
def test_service_ratio_indicators(fw, key, stage):
    ind = fw.indicator(key)
    assert len(ind.measures) == 1
    (item,) = ind.measures[0].items
    assert (item.kind, item.source, item.stage) == ("ratio", "services", stage)
    assert "services" in ind.measures[0].evidence_kinds
    assert ind.not_applicable


def test_indicator_5_is_reform(fw):
    ind = fw.indicator("5")
    assert len(ind.measures) == 1
    (item,) = ind.measures[0].items
    assert item.kind == "reform"


def test_indicator_7_service_desk(fw):
    (measure,) = fw.indicator("7").measures
    kinds = [(it.kind, it.source) for it in measure.items]
    assert kinds[:3] == [("ratio", "typed")] * 3
    assert all(kind in ("yesno", "check") for kind, _ in kinds[3:])
    assert len(kinds) == 6


def test_bands_sorted_from_the_top_down_to_zero(fw):
    minimums = [b.minimum for b in fw.bands]
    assert len(minimums) >= 2
    assert minimums == sorted(minimums, reverse=True)
    assert len(set(minimums)) == len(minimums)
    assert minimums[-1] == 0
    assert all(0 <= m <= 100 for m in minimums)
    assert fw.band_for(0) is fw.bands[-1]
    assert fw.band_for(100) is fw.bands[0]
    assert all(b.title and b.color.startswith("#") for b in fw.bands)


def test_notes_list_the_assumptions_and_the_loader_ignores_them(raw):
    assert isinstance(raw["notes"], list) and raw["notes"]
    assert all(isinstance(n, str) and n.strip() for n in raw["notes"])
    # the file loaded, so the loader ignored the unknown top-level field; and without it too:
    del raw["notes"]
    assert len(parse_framework(json.dumps(raw, ensure_ascii=False)).indicators) == 11


# --------------------------------------------------------------------------- refusals


def test_refuses_a_duplicate_key(raw):
    data = copy.deepcopy(raw)
    _find(data, "4.1.2")["key"] = "4.1.1"
    err = _refusal(data)
    assert "4.1.1" in err.message
    assert err.key == "4.1.1"


def test_refuses_measure_points_that_do_not_add_up(raw):
    data = copy.deepcopy(raw)
    _find(data, "4.2.1")["points"] = 2
    err = _refusal(data)
    assert "4.2" in err.message
    assert err.key == "4.2"


def test_refuses_indicator_points_that_do_not_add_up(raw):
    data = copy.deepcopy(raw)
    _find(data, "9")["points"] = 30
    err = _refusal(data)
    assert err.key == "9"


def test_refuses_an_unknown_item_kind(raw):
    data = copy.deepcopy(raw)
    _find(data, "6.3.1")["kind"] = "scale"
    err = _refusal(data)
    assert "6.3.1" in err.message
    assert err.key == "6.3.1"


def test_refuses_an_unknown_stage(raw):
    data = copy.deepcopy(raw)
    _find(data, "2.1.1")["stage"] = "payment"
    err = _refusal(data)
    assert "2.1.1" in err.message


@pytest.mark.parametrize("key", ["7", "7.1", "1.1.1"])
def test_refuses_an_assumed_weight_without_reason(raw, key):
    data = copy.deepcopy(raw)
    node = _find(data, key)
    assert node["points_source"] == "assumed"
    node["assumption"] = "  "
    err = _refusal(data)
    assert key in err.message
    assert err.key == key
