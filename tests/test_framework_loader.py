"""The loader refuses malformed framework files and names the key at fault."""
from __future__ import annotations

import json

import pytest

from workbench.model.errors import FrameworkError
from workbench.model.framework import default_framework_path, parse_framework


def _data():
    return json.loads(default_framework_path().read_text(encoding="utf-8"))


def _refused(data) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        parse_framework(json.dumps(data, ensure_ascii=False))
    return info.value


@pytest.mark.parametrize("bad", ["NaN", float("nan"), True, "۳", None])
def test_points_must_be_a_finite_number(bad):
    data = _data()
    data["indicators"][9]["measures"][0]["items"][0]["points"] = bad
    err = _refused(data)
    assert err.key == data["indicators"][9]["measures"][0]["items"][0]["key"]


def test_keys_nest_one_level_at_a_time():
    data = _data()
    data["indicators"][9]["measures"][0]["key"] = "10.1.1"
    assert "10.1.1" in _refused(data).message


def test_bands_must_be_a_sorted_list_within_0_and_100():
    data = _data()
    data["bands"] = {"A": 1}
    assert "bands" in _refused(data).message
    data = _data()
    data["bands"] = list(reversed(data["bands"]))
    _refused(data)
    data = _data()
    data["bands"][0]["min"] = 150
    assert _refused(data).key == data["bands"][0]["key"]
    data = _data()
    data["bands"][1]["key"] = data["bands"][0]["key"]
    _refused(data)


def test_null_texts_are_empty_not_the_word_none():
    data = _data()
    data["indicators"][0]["not_applicable"] = None
    fw = parse_framework(json.dumps(data, ensure_ascii=False))
    assert fw.indicators[0].not_applicable == ""


def test_evidence_kinds_must_be_a_list():
    data = _data()
    data["indicators"][3]["measures"][0]["evidence_kinds"] = "url"
    assert _refused(data).key == data["indicators"][3]["measures"][0]["key"]


def test_override_keeps_shares_and_sums(framework):
    scaled = framework.with_indicator_points({"4": 70})
    ind = scaled.indicator("4")
    assert ind.points == 70
    assert sum(m.points for m in ind.measures) == pytest.approx(70)
    assert scaled.node("4.1.1").points == pytest.approx(3.0)
    assert scaled.points == pytest.approx(framework.points + 35)
