"""Many one-line labels of one size drawn by one artist: the names, the bars' values, the heat map's cells.

A heat map of 40 agencies had 440 ``Text`` artists for its cells, 40 axis ticks
(each a tick line, a grid line and two texts) for its names: building them,
looking up their settings and laying each out again at every drawing cost more
than drawing their glyphs.  :class:`Labels` holds the strings, positions and
colours as lists and at drawing asks the renderer for each string's metrics
and draws it with ``renderer.draw_text`` — the call a ``Text`` ends in, so
the glyphs are shaped by matplotlib as before (Persian joined and right to
left) and cached per process by ``chart_canvas``; an SVG gets them as paths.

Placement follows ``Text`` for a one-line label: centred vertically on its
position over the line's height (the font's ascender and descender, or the
string's own when taller), aligned left, centre or right on it, its origin
rounded to a whole pixel.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox

_ALIGN = {"left": 0.0, "center": 0.5, "right": 1.0}


@lru_cache(maxsize=64)
def _font_extent(prop: FontProperties) -> tuple[float, float]:
    """The font's ascender and descender (points per point of size), as ``Text`` measures a line."""
    font = font_manager.get_font(font_manager.findfont(prop))
    units = font.get_sfnt_table("head")["unitsPerEm"]
    for name, up, down in (("OS/2", "sTypoAscender", "sTypoDescender"), ("hhea", "ascent", "descent")):
        table = font.get_sfnt_table(name)
        if table is not None:
            return table[up] / units, -table[down] / units
    return 0.8, 0.2


class Labels(Artist):
    """One-line texts at ``(x, y)`` in ``transform``, one font size, each with its colour."""

    def __init__(self, xs, ys, texts: list[str], colors, *, transform, ha: str = "center",
                 fontsize: float = 9.0, offset_pt: float = 0.0) -> None:
        super().__init__()
        self.set_transform(transform)
        self.set_zorder(3)
        self.set_clip_on(False)
        self.xy = np.column_stack([np.asarray(xs, float), np.asarray(ys, float)]) if len(texts) else np.zeros((0, 2))
        self.texts = list(texts)
        self.colors = [colors] * len(texts) if isinstance(colors, str) else list(colors)
        self.ha = ha
        self.offset_pt = offset_pt
        self.prop = FontProperties(size=fontsize)  # the family and weight of the rc in force (the charts' font)

    def _placed(self, renderer):
        """(left, baseline, width, line box bottom, line box top) of each label in display pixels (y up)."""
        points = self.get_transform().transform(self.xy) if len(self.texts) else self.xy
        size = renderer.points_to_pixels(self.prop.get_size_in_points())
        ascender, descender = _font_extent(self.prop.copy())
        dx = renderer.points_to_pixels(self.offset_pt)
        align = _ALIGN[self.ha]
        for (x, y), s in zip(points, self.texts):
            w, h, d = renderer.get_text_width_height_descent(s, self.prop, False)
            a, dd = max(h - d, ascender * size), max(d, descender * size)
            # The line's box centred on y; the origin on a whole pixel, so that the glyphs of a
            # repeated string fall on the same pixel fractions and their bitmaps are reused.
            baseline = round(y + (a + dd) / 2 - a)
            yield round(x + dx - w * align), baseline, w, baseline - dd, baseline + a

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self.texts:
            return
        renderer.open_group("labels", gid=self.get_gid())
        gc = renderer.new_gc()
        gc.set_alpha(self.get_alpha())
        _, height = renderer.get_canvas_width_height()
        flip = renderer.flipy()
        for (left, baseline, _w, _lo, _hi), s, color in zip(self._placed(renderer), self.texts, self.colors):
            if not s:
                continue
            gc.set_foreground(color)
            renderer.draw_text(gc, left, height - baseline if flip else baseline, s, self.prop, 0, ismath=False)
        gc.restore()
        renderer.close_group("labels")
        self.stale = False

    def get_window_extent(self, renderer=None) -> Bbox:
        if renderer is None:
            renderer = self.get_figure(root=True).canvas.get_renderer()
        boxes = [(left, lo, left + w, hi) for left, _b, w, lo, hi in self._placed(renderer)]
        if not boxes:
            return Bbox.null()
        x0, y0, x1, y1 = zip(*boxes)
        return Bbox([[min(x0), min(y0)], [max(x1), max(y1)]])
