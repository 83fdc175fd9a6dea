"""The guide's own words (002): legal bases and evidence as it writes them, its formula in Persian."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.model.framework import load_default_framework

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _guide() -> str:
    found = sorted(SEEDS.glob("002_*.txt"))
    if not found:
        pytest.skip("the guide's text (shared/seeds/002_*) is not beside this tree")
    return found[0].read_text(encoding="utf-8")


def _plain(text: str) -> str:
    """Letters and digits only: the PDF's extraction dropped the half-spaces and moved some marks."""
    text = text.replace("ي", "ی").replace("ك", "ک").translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    return re.sub(r"[\s\u200c\u200f\u200e.:;،؛()«»\"*\-–•]", "", text)


def test_every_indicators_legal_basis_is_the_guides_in_full():
    guide = _plain(_guide())
    for ind in load_default_framework().indicators:
        assert _plain(ind.legal_basis) in guide, ind.key


def test_evidence_texts_as_the_guide_writes_them():
    guide = _plain(_guide())
    fw = load_default_framework()
    for key in ("1", "2", "3", "7", "10", "11"):
        assert _plain(fw.indicator(key).evidence) in guide, key
    assert "صفحه درخواست خدمات" in fw.indicator("2").evidence  # the word the file had lost
    assert "صفحه درخواست خدمات" in fw.node("2.1").evidence


def test_no_formula_a_user_reads_is_in_code():
    fw = load_default_framework()
    for node in [*fw.indicators, *fw.measures(), *fw.items()]:
        for text in (node.title, getattr(node, "formula", ""), getattr(node, "definition", "")):
            assert "min(" not in text and "max(" not in text, node.key
    assert "زیرخدمات (یا خدمات بدون زیرخدمت)" in fw.node("5.1.1").title
