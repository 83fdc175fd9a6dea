"""A PDF read as its readers read it: poppler's ``pdftotext`` (text, and where each glyph is)."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed; scripts/setup.sh installs it"
)
#: poppler wraps each right-to-left line in these; they are not the document's text
_POPPLER_MARKS = re.compile("[\u202a-\u202e]")


def extracted_text(path, first: int | None = None, last: int | None = None) -> str:
    """What ``pdftotext`` gives, folded with NFKC as a reader's search does (presentation forms to letters)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True, timeout=60).stdout.decode()
    return _POPPLER_MARKS.sub("", unicodedata.normalize("NFKC", out))


def words_of(text: str) -> set[str]:
    return set(re.split(r"[\s:،؛.()«»\[\]]+", text)) - {""}


@dataclass
class Line:
    """One line of a page in visual order (left to right), with each character's horizontal centre."""

    y: float
    text: str
    xs: list[float]

    def find(self, word: str) -> list[float]:
        """The horizontal centres of ``word`` on this line (drawn right to left, so looked for reversed)."""
        target = unicodedata.normalize("NFKC", word)[::-1]
        found, start = [], self.text.find(target)
        while start >= 0:
            span = self.xs[start : start + len(target)]
            found.append(sum(span) / len(span))
            start = self.text.find(target, start + 1)
        return found


def page_lines(path, page: int) -> list[Line]:
    """Page ``page`` (from 1) as lines of glyphs, from ``pdftotext -bbox``."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True, check=True, timeout=60,
    ).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    rows: dict[int, list[tuple[float, str]]] = {}
    for word in ET.fromstring(xml).iter("word"):
        x0, x1 = float(word.get("xMin")), float(word.get("xMax"))
        key = round(float(word.get("yMax")))
        text = unicodedata.normalize("NFKC", word.text or "")
        if len(text) > 1 and unicodedata.bidirectional(text[0]) in ("AL", "R"):
            text = text[::-1]  # a ligature (لا) drawn right to left
        for i, ch in enumerate(text):
            rows.setdefault(key, []).append((x0 + (x1 - x0) * (i + 0.5) / len(text), ch))
    lines = []
    for y in sorted(rows):
        glyphs = sorted(rows[y])
        lines.append(Line(y, "".join(ch for _, ch in glyphs), [x for x, _ in glyphs]))
    return lines


def position(lines: list[Line], word: str) -> tuple[float, float]:
    """(line, x) of the first place ``word`` is drawn on the page."""
    for line in lines:
        xs = line.find(word)
        if xs:
            return line.y, xs[0]
    raise AssertionError(f"«{word}» is not on the page")
