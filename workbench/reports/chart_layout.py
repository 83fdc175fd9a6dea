"""Where a chart's parts go, measured once from its own texts (no layout engine).

matplotlib's constrained layout measured every tick label of a chart twice
and then drew the whole figure once more without output before drawing it:
about a third of a ranking chart's time.  The ranking charts have a fixed
shape — a title and its notes at the top, the names on the right, the value
axis and the legend at the bottom — so their margins are known once the few
texts that decide them are measured: the longest name, the lines of the title
and notes (wrapped to the chart's width, so a long line of assumptions is
never cut), a tick label, the axis label, the legend.  :class:`Frame` stacks
them from the figure's edges inward, in pixels of the figure's own
resolution (the PNG's); the axes get what is left.  Positions are set as
fractions of the figure, so the SVG (drawn at 72 dpi) is laid out the same.

Measuring uses matplotlib's public ``get_window_extent`` and the renderer's
text metrics (shaped once per process, ``chart_canvas``), so the numbers are
the ones the drawing will use.
"""
from __future__ import annotations

from dataclasses import dataclass

#: Space kept free at each edge of the figure and between stacked parts, in points.
EDGE_PT = 5.0
GAP_PT = 4.0


@dataclass
class Frame:
    """The figure's free area in pixels (origin bottom left), shrunk as parts take their room."""

    fig: object
    renderer: object
    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, fig) -> Frame:
        renderer = fig.canvas.get_renderer()
        edge = points(fig, EDGE_PT)
        width, height = fig.bbox.width, fig.bbox.height
        return cls(fig, renderer, edge, edge, width - edge, height - edge)

    def gap(self) -> float:
        return points(self.fig, GAP_PT)

    def fx(self, px: float) -> float:
        return px / self.fig.bbox.width

    def fy(self, px: float) -> float:
        return px / self.fig.bbox.height

    def height_of(self, artist) -> float:
        return artist.get_window_extent(self.renderer).height if artist.get_text() else 0.0

    def text_width(self, text: str, artist) -> float:
        """Width of ``text`` in ``artist``'s font (renderer metrics, as drawing uses them)."""
        if not text:
            return 0.0
        w, _h, _d = self.renderer.get_text_width_height_descent(text, artist.get_fontproperties(), False)
        return w

    def put_top(self, artist, wrap: bool = True) -> None:
        """Place a right-aligned figure text at the top of the free area and take its room."""
        if not artist.get_text():
            return
        if wrap:
            artist.set_text(wrapped(self, artist.get_text(), artist, self.right - self.left))
        artist.set_position((self.fx(self.right), self.fy(self.top)))
        artist.set_horizontalalignment("right")
        artist.set_verticalalignment("top")
        self.top -= self.height_of(artist) + self.gap()

    def take_bottom(self, artist) -> None:
        """Take the room up to the top of ``artist`` (a legend anchored at :attr:`bottom`)."""
        self.bottom = artist.get_window_extent(self.renderer).y1 + self.gap()

    def reach(self, artist, side: str) -> float:
        """Pixels ``artist`` (e.g. the names, :class:`~workbench.reports.chart_labels.Labels`) reaches past its axes."""
        box, bbox = artist.get_window_extent(self.renderer), artist.axes.bbox
        return {"right": box.x1 - bbox.x1, "left": bbox.x0 - box.x0}[side]

    def tick_room(self, axis, side: str) -> float:
        """Pixels an axis's tick labels and label reach beyond its axes on ``side`` (bottom or top).

        Measured on the axes where they stand now: the labels move with the axes' edge.
        """
        ax = axis.axes
        boxes = [t.get_window_extent(self.renderer) for t in axis.get_ticklabels() if t.get_text()]
        if side == "bottom":
            reach = ax.bbox.y0 - min((b.y0 for b in boxes), default=ax.bbox.y0)
        else:
            reach = max((b.y1 for b in boxes), default=ax.bbox.y1) - ax.bbox.y1
        if axis.label.get_text():
            reach += points(self.fig, axis.labelpad) + self.height_of(axis.label)
        return reach


def points(fig, pt: float) -> float:
    return pt * fig.dpi / 72.0


def wrapped(frame: Frame, text: str, artist, width: float) -> str:
    """``text`` with each line broken between words to fit ``width`` pixels (the logical order kept)."""
    out = []
    for line in text.split("\n"):
        words = line.split(" ")
        current = ""
        for word in words:
            candidate = word if not current else f"{current} {word}"
            if current and frame.text_width(candidate, artist) > width:
                out.append(current)
                current = word
            else:
                current = candidate
        out.append(current)
    return "\n".join(out)


def max_text_width(frame: Frame, texts: list[str], artist) -> float:
    return max((frame.text_width(t, artist) for t in texts), default=0.0)


def place_axes(frame: Frame, ax, left: float, bottom: float, right: float, top: float) -> None:
    """Put ``ax`` at the given pixel edges (figure fractions underneath)."""
    ax.set_position([frame.fx(left), frame.fy(bottom), frame.fx(right - left), frame.fy(top - bottom)])
