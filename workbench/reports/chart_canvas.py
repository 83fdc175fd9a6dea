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

The glyphs are still placed and rasterised for every drawing, by matplotlib's
own code, so a chart is the same pixel for pixel as with the plain canvas
(tests/test_chart_canvas.py compares them).  Should matplotlib's Agg internals
change shape, the renderer falls back to matplotlib's own drawing: slower,
never different.
"""
from __future__ import annotations

from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

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


counts = TextCounts()
_metrics: dict[tuple, tuple[float, float, float]] = {}
_layouts: dict[tuple, list] = {}
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
        # What RendererAgg.draw_text does after its layout call (matplotlib 3.11).
        glyphs(gc, x, y, angle, ((i.ft_object, size, i.glyph_index, 0, 1, i.x, i.y) for i in items), [])


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
