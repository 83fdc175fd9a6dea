"""The ranking charts' SVG as two renderers draw it: QtSvg and librsvg (rsvg-convert)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PIL import Image
from report_data import build
from test_report_ranking import SPECS, export


@pytest.fixture
def svgs(store, framework, tmp_path):
    build(store, framework, SPECS, tables=False)
    result, _ = export(store, tmp_path)
    files = sorted(p for p in result.charts if p.suffix == ".svg")
    assert len(files) == 3
    return files


def _coloured_pixels(png) -> int:
    """How many pixels are strongly coloured: the bars' and heat-map cells' fill (text and axes are grey)."""
    with Image.open(png) as im:
        rgb = im.convert("RGB")
        return sum(n for n, c in rgb.getcolors(1 << 24) if max(c) - min(c) > 80)


def test_no_glyph_without_an_outline_and_every_use_resolves(svgs):
    files = svgs
    for svg in files:
        text = svg.read_text(encoding="utf-8")
        assert not re.search(r"<path(?![^>]*\sd=)[^>]*/>", text), svg.name
        ids = set(re.findall(r'\sid="([^"]+)"', text))
        used = set(re.findall(r'xlink:href="#([^"]+)"', text))
        assert used <= ids, (svg.name, used - ids)


def test_qtsvg_draws_the_bars_and_cells_without_a_warning(svgs, qapp, tmp_path):
    from PySide6.QtCore import Qt, qInstallMessageHandler
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    files = svgs
    warnings = []
    previous = qInstallMessageHandler(lambda _mode, _ctx, message: warnings.append(message))
    try:
        for svg in files:
            renderer = QSvgRenderer(str(svg))
            assert renderer.isValid(), svg.name
            image = QImage(renderer.defaultSize() * 2, QImage.Format.Format_RGB32)
            image.fill(Qt.GlobalColor.white)
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
            out = tmp_path / f"{svg.stem}-qt.png"
            image.save(str(out))
            assert _coloured_pixels(out) > 2000, svg.name
    finally:
        qInstallMessageHandler(previous)
    assert not [w for w in warnings if "svg" in w.lower()], warnings


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="librsvg2-bin (rsvg-convert); scripts/setup.sh installs it")
def test_librsvg_draws_the_bars_and_cells(svgs, tmp_path):
    files = svgs
    for svg in files:
        out = tmp_path / f"{svg.stem}-rsvg.png"
        run = subprocess.run(["rsvg-convert", "-z", "2", "-o", str(out), str(svg)], capture_output=True, timeout=60)
        assert run.returncode == 0 and not run.stderr, run.stderr
        assert _coloured_pixels(out) > 2000, svg.name
