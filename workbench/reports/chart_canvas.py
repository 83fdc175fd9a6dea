"""The canvas the charts are drawn on: Agg, with each distinct text shaped once per process.

Shaping a Persian string (FreeType and HarfBuzz through matplotlib's
``FT2Font``) costs about a millisecond for a short one and three for a long
agency name, and matplotlib shapes every text twice per chart: once to measure
it, once to draw it, with its measuring cache tied to one renderer (one
figure).  A ranking by province draws the same names in two charts and the
same few hundred numbers in every heat map, so the shaped text is kept here
for the life of the process (a chart worker draws many charts), keyed by
everything that decides it: the string, the font, the size, the resolution,
the hinting, the font features and language.

Rasterising is kept too: a glyph's bitmap depends only on the glyph, the size
and where it falls within a pixel (FreeType places it in 1/64ths), so a bitmap
is reused wherever the same glyph lands on the same fraction of a pixel — the
cells' numbers and the names' letters land on whole pixels (``chart_labels``
rounds their origins; hinting rounds the advances).  Each reuse is exactly
what FreeType would draw there, so a chart is the same pixel for pixel as
with the plain canvas (tests/test_chart_canvas.py compares them).  Should
matplotlib's Agg internals change shape, the renderer falls back to
matplotlib's own drawing: slower, never different.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode

#: A higher zlib level makes these flat-coloured charts no smaller (level 3 wrote them a little
#: smaller than the default 6) and costs a third more time.
PNG_COMPRESS_LEVEL = 3


@dataclass
class TextCounts:
    """How often a text was shaped and how often a shaped one was reused (for the tests)."""

    measured: int = 0  # metrics computed (FreeType)
    measure_reused: int = 0
    laid_out: int = 0  # glyphs and positions computed for drawing (FreeType + HarfBuzz)
    layout_reused: int = 0
    rasterised: int = 0  # glyph bitmaps rendered (FreeType)
    raster_reused: int = 0


counts = TextCounts()
_metrics: dict[tuple, tuple[float, float, float]] = {}
_layouts: dict[tuple, list] = {}
_bitmaps: dict[tuple, tuple] = {}
_UPRIGHT = (0x10000 * np.array([[1.0, 0.0], [0.0, 1.0]])).round().astype(int)  # FreeType's matrix at angle 0
#: Enough for the names and numbers of a national round's charts in one worker (a few thousand).
CACHE_LIMIT = 20_000


def _key(s: str, prop, dpi: float) -> tuple:
    return (s, prop.copy(), dpi, get_hinting_flag())  # FontProperties hashes its state; copy, as matplotlib does


def _remember(cache: dict, key: tuple, value) -> None:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[key] = value


class TextCachingRenderer(RendererAgg):
    """RendererAgg whose text metrics and glyph layouts are shared by every chart of the process."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = _key(s, prop, self.dpi)
        found = _metrics.get(key)
        if found is None:
            found = super().get_text_width_height_descent(s, prop, ismath)
            _remember(_metrics, key, found)
            counts.measured += 1
        else:
            counts.measure_reused += 1
        return found

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        glyphs = getattr(self, "_draw_text_glyphs_and_boxes", None)
        if ismath or glyphs is None:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (*_key(s, prop, self.dpi), features, language)
        items = _layouts.get(key)
        if items is None:
            font = self._prepare_font(prop)
            layout = getattr(font, "_layout", None)
            if layout is None:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            items = list(layout(s, flags=get_hinting_flag(), features=features, language=language))
            _remember(_layouts, key, items)
            counts.laid_out += 1
        else:
            counts.layout_reused += 1
        size = prop.get_size_in_points()
        if angle != 0 or not self._draw_upright(gc, x, y, size, items):
            # What RendererAgg.draw_text does after its layout call (matplotlib 3.11).
            glyphs(gc, x, y, angle, ((i.ft_object, size, i.glyph_index, 0, 1, i.x, i.y) for i in items), [])

    def _draw_upright(self, gc, x, y, size, items) -> bool:
        """RendererAgg._draw_text_glyphs_and_boxes at angle 0, each glyph's bitmap kept for reuse.

        False (nothing drawn) when matplotlib's internals are not the ones this was written against.
        """
        paste = getattr(self._renderer, "draw_text_image", None)
        if paste is None or not all(hasattr(i.ft_object, "_render_glyph") for i in items):
            return False
        flags = get_hinting_flag()
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        height = self.height
        for item in items:
            font = item.ft_object
            px, py = round(0x40 * (x + item.x)), round(0x40 * (height - y + item.y))  # 26.6 fixed point
            key = (font, size, self.dpi, item.glyph_index, px & 63, py & 63, flags, mode)
            kept = _bitmaps.get(key)
            if kept is None:
                font.set_size(size, self.dpi)
                font._set_transform(_UPRIGHT, [px, py])
                bitmap = font._render_glyph(item.glyph_index, flags, mode)
                buffer = bitmap.buffer
                if mode is RenderMode.MONO:
                    buffer *= 0xff
                # Where the bitmap sits relative to the whole pixel the glyph falls in.
                kept = (buffer, bitmap.left - (px >> 6), bitmap.top - (py >> 6))
                _remember(_bitmaps, key, kept)
                counts.rasterised += 1
            else:
                counts.raster_reused += 1
            buffer, left, top = kept
            paste(buffer, left + (px >> 6), int(height) - (top + (py >> 6)) + buffer.shape[0], 0, gc)
        return True


class ChartCanvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with :class:`TextCachingRenderer`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def save_png(fig, path, dpi: float) -> None:
    """Draw ``fig`` on a :class:`ChartCanvas` into the PNG ``path`` (white behind it)."""
    if not isinstance(fig.canvas, FigureCanvasAgg):  # a chart measured before drawing has its canvas
        ChartCanvas(fig)
    fig.savefig(path, dpi=dpi, facecolor="white", pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
