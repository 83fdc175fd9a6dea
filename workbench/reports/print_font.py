"""Vazirmatn made fit for a PDF's text layer: what ``QPdfWriter`` embeds in a summary.  No Qt.

Qt writes each embedded font's ToUnicode map (what ``pdftotext``, ``pypdf``
and a reader's search and copy use to turn glyphs back into text) from the
font's cmap alone: a glyph no code point maps to is written with no text at
all.  Three things of the bundled Vazirmatn fall through that:

* **Contextual alternates** (``calt``): the font swaps, for example, the
  initial beh or the final yeh for a variant after certain letters; those
  variants have no code point, so «ارزیابی» came out as «ارزیا ی» and
  «دستگاه» as «دس گاه».  The feature is turned off here; the letters keep
  their initial, medial and final forms (which the cmap maps to Unicode's
  Arabic presentation forms, folded back to letters by NFKC, as search does).
  The shapes differ only in a few joins (looked at on rendered pages).
* **ZWNJ** («شاخص‌ها»): HarfBuzz hides a default-ignorable character by
  drawing the space glyph in its place, so the PDF held no trace of it.  A
  glyph a lookup has substituted is not hidden, so a lookup here maps the
  ZWNJ glyph to itself; it is given 1/2048 em of width, because a glyph of
  no width at all is put at the wrong end of its neighbour by ``pdftotext``.
* **Parentheses in right-to-left text** are drawn mirrored: the logical «(»
  is shown with the «)» glyph, whose text is «)», so extracted text read
  «)کد(».  The ``rtla`` feature (applied only to right-to-left runs) swaps
  them for copies whose code points are the small parentheses U+FE59/U+FE5A
  (and the fullwidth brackets for «[ ]»), which NFKC folds to «( )» and
  «[ ]»: the same outline on paper, the right character in the text.
* **Spaces**: Qt draws a tab with the space glyph and maps each glyph back
  to its lowest code point, so every space of the PDF read as a tab (U+0009)
  to a program that copies the text as written (pypdf, some readers' copy).
  The tab gets a glyph of its own here.

The font is built in memory from the file in ``resources/fonts`` (never
another font) and renamed «Vazirmatn Print», so it never stands in for the
window's Vazirmatn.
"""
from __future__ import annotations

import copy
import io
from pathlib import Path

from fontTools.otlLib.builder import buildSingleSubstSubtable
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables as ot

FAMILY = "Vazirmatn Print"
ZWNJ = 0x200C
TAB, SPACE = 0x09, 0x20
#: character drawn (mirrored) in right-to-left text -> the code point of the copy that keeps its meaning
MIRRORED = {0x29: 0xFE59, 0x28: 0xFE5A, 0x5D: 0xFF3B, 0x5B: 0xFF3D}
ZWNJ_WIDTH = 1  # font units


def print_font(path: Path) -> bytes:
    """The TrueType bytes of the font at ``path``, changed as the module says."""
    font = TTFont(str(path))
    cmap = font.getBestCmap()
    gsub = font["GSUB"].table
    lookups = gsub.LookupList.Lookup

    # Qt draws a tab with the space glyph, and the reverse map takes the lowest code point: every
    # space came out as U+0009, so a copied phrase had tabs between its words.  A glyph of its
    # own for the tab leaves the space glyph to U+0020.
    if TAB not in cmap and SPACE in cmap:
        font["glyf"]["tab.print"] = copy.deepcopy(font["glyf"][cmap[SPACE]])
        font["hmtx"]["tab.print"] = font["hmtx"][cmap[SPACE]]
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[TAB] = "tab.print"

    zwnj = cmap[ZWNJ]
    font["hmtx"][zwnj] = (ZWNJ_WIDTH, 0)
    keep_zwnj = _single_lookup({zwnj: zwnj})

    pairs = {}
    for drawn, meaning in MIRRORED.items():
        source = cmap.get(drawn)
        if source is None or meaning in cmap:
            continue
        name = f"{source}.rtl"
        font["glyf"][name] = copy.deepcopy(font["glyf"][source])
        font["hmtx"][name] = font["hmtx"][source]
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[meaning] = name
        pairs[source] = name
    lookups += [keep_zwnj, _single_lookup(pairs)]
    gsub.LookupList.LookupCount = len(lookups)
    zwnj_index, rtla_index = len(lookups) - 2, len(lookups) - 1

    for record in gsub.FeatureList.FeatureRecord:
        if record.FeatureTag == "calt":
            record.Feature.LookupListIndex = [zwnj_index]
            record.Feature.LookupCount = 1
    _add_feature(gsub, "rtla", [rtla_index])
    _add_feature(gsub, "ccmp", [zwnj_index])  # scripts without calt (a ZWNJ in a Latin run)
    _rename(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _single_lookup(mapping: dict[str, str]) -> ot.Lookup:
    lookup = ot.Lookup()
    lookup.LookupType = 1
    lookup.LookupFlag = 0
    lookup.SubTable = [buildSingleSubstSubtable(mapping)]
    lookup.SubTableCount = 1
    return lookup


def _add_feature(gsub, tag: str, lookup_indices: list[int]) -> None:
    """A feature of ``tag`` with these lookups in every script and language; records kept sorted by tag."""
    feature = ot.Feature()
    feature.FeatureParams = None
    feature.LookupListIndex = list(lookup_indices)
    feature.LookupCount = len(lookup_indices)
    record = ot.FeatureRecord()
    record.FeatureTag = tag
    record.Feature = feature
    records = gsub.FeatureList.FeatureRecord
    old = list(records)
    new = sorted(old + [record], key=lambda r: r.FeatureTag)  # stable: equal tags keep their order
    position = {id(r): i for i, r in enumerate(new)}
    remap = [position[id(r)] for r in old]
    gsub.FeatureList.FeatureRecord = new
    gsub.FeatureList.FeatureCount = len(new)
    for script in gsub.ScriptList.ScriptRecord:
        systems = [script.Script.DefaultLangSys] + [r.LangSys for r in script.Script.LangSysRecord]
        for langsys in systems:
            if langsys is None:
                continue
            indices = [remap[i] for i in langsys.FeatureIndex] + [position[id(record)]]
            langsys.FeatureIndex = sorted(indices)
            langsys.FeatureCount = len(indices)


def _rename(font: TTFont) -> None:
    style = font["name"].getDebugName(2) or "Regular"
    ps_family = FAMILY.replace(" ", "")
    for record in list(font["name"].names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}"
        elif record.nameID == 6:
            record.string = f"{ps_family}-{style}"
        elif record.nameID == 3:
            record.string = f"{ps_family}-{style};workbench"
