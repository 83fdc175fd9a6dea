"""Lining up two rounds' frameworks, so an agency's figures can be compared across rounds.

A later framework may add, drop, rename or re-weight indicators, measures and
items.  A renamed key says which earlier key it continues (``"continues"``,
see ``docs/framework-format.md``); otherwise keys match by key.  What has no
counterpart is *new* or *dropped*, never matched silently.  Figures compare by
the percent earned of each key, so a re-weighted key still compares, and
:func:`basis_differences` says when the weights or bands of two rounds differ.
"""
from __future__ import annotations

from dataclasses import dataclass

from workbench.model.framework import Framework, Indicator, Item, Measure

LEVELS = ("indicator", "measure", "item")
SAME, RENAMED, NEW, DROPPED = "same", "renamed", "new", "dropped"
STATUS_TITLES = {SAME: "همان", RENAMED: "کلید تازه", NEW: "تازه", DROPPED: "حذف‌شده"}
_POINTS_TOLERANCE = 0.005


@dataclass(frozen=True)
class Link:
    """One key of either round and its counterpart in the other (``None`` where there is none)."""

    level: str
    key: str | None  # in the later round
    previous: str | None  # in the earlier round
    title: str
    points: float | None
    previous_points: float | None

    @property
    def status(self) -> str:
        if self.key is None:
            return DROPPED
        if self.previous is None:
            return NEW
        return SAME if self.key == self.previous else RENAMED

    @property
    def reweighted(self) -> bool:
        if self.points is None or self.previous_points is None:
            return False
        return abs(self.points - self.previous_points) > _POINTS_TOLERANCE


def _level(node: Indicator | Measure | Item) -> str:
    return LEVELS[min(node.key.count("."), 2)]


def _nodes(framework: Framework) -> list[Indicator | Measure | Item]:
    out: list[Indicator | Measure | Item] = []
    for ind in framework.indicators:
        out.append(ind)
        for m in ind.measures:
            out.append(m)
            out.extend(m.items)
    return out


def align(previous: Framework, current: Framework) -> list[Link]:
    """Every key of ``current`` in its order with its earlier counterpart, then what was dropped."""
    earlier = {n.key: n for n in _nodes(previous)}
    later = _nodes(current)
    claimed = {n.continues for n in later if n.continues and n.continues in earlier}
    links: list[Link] = []
    matched: set[str] = set()
    for node in later:
        prev_key = None
        if node.continues:
            candidate = earlier.get(node.continues)
            if candidate is not None and _level(candidate) == _level(node):
                prev_key = node.continues
        elif node.key in earlier and node.key not in claimed and _level(earlier[node.key]) == _level(node):
            prev_key = node.key
        if prev_key is not None:
            matched.add(prev_key)
        links.append(Link(
            _level(node), node.key, prev_key, node.title, node.points,
            earlier[prev_key].points if prev_key is not None else None,
        ))
    for node in earlier.values():
        if node.key not in matched:
            links.append(Link(_level(node), None, node.key, node.title, None, node.points))
    return links


def indicator_links(previous: Framework, current: Framework) -> list[Link]:
    return [link for link in align(previous, current) if link.level == "indicator"]


def basis_differences(previous: Framework, current: Framework) -> list[str]:
    """What makes two rounds' totals not like for like (Persian, one phrase each); empty when nothing does.

    Different points for a matched indicator (the guide's, an assumption or a
    supervisor's override), keys added or dropped, or different bands.
    """
    notes = []
    links = indicator_links(previous, current)
    if any(link.reweighted for link in links):
        notes.append("امتیاز (وزن) برخی شاخص‌ها در دو دوره یکی نیست")
    if any(link.status in (NEW, DROPPED) for link in links):
        notes.append("برخی شاخص‌ها تازه یا حذف‌شده‌اند")
    if [(b.key, b.minimum) for b in previous.bands] != [(b.key, b.minimum) for b in current.bands]:
        notes.append("مرزهای طبقه‌بندی در دو دوره یکی نیست")
    return notes


BASIS_NOTE = "مقایسه بر پایهٔ درصد امتیاز هر شاخص است، نه امتیاز خام"


def basis_text(previous: Framework, current: Framework) -> str:
    """The sentence the outputs print under a comparison, when the bases differ; else ''."""
    notes = basis_differences(previous, current)
    if not notes:
        return ""
    return "؛ ".join(notes) + "؛ " + BASIS_NOTE + "."


@dataclass
class IndicatorRow:
    """One indicator followed across several rounds: its key in each (``None`` where it is not)."""

    title: str
    keys: list[str | None]
    notes: list[str]  # per round after the first: «کلید تازه» / «وزن تازه» / «تازه» …

    @property
    def last_key(self) -> str | None:
        return self.keys[-1]


def indicator_rows(frameworks: list[Framework]) -> list[IndicatorRow]:
    """The indicators of several rounds (oldest first) lined up: the latest's first, then those dropped."""
    n = len(frameworks)
    last = frameworks[-1]
    rows = [IndicatorRow(ind.title, [None] * (n - 1) + [ind.key], [""] * n) for ind in last.indicators]
    for i in range(n - 1, 0, -1):  # the pair (i-1, i), walking back in time
        links = indicator_links(frameworks[i - 1], frameworks[i])
        by_key = {link.key: link for link in links if link.key is not None}
        for row in rows:
            key = row.keys[i]
            link = by_key.get(key) if key is not None else None
            if link is None:
                continue
            row.keys[i - 1] = link.previous
            if link.status == RENAMED:
                row.notes[i] = f"پیش‌تر {link.previous}"
            elif link.status == NEW:
                row.notes[i] = STATUS_TITLES[NEW]
            if link.reweighted:
                row.notes[i] = "، ".join(filter(None, [row.notes[i], "وزن تازه"]))
        for link in links:
            if link.status == DROPPED:
                keys: list[str | None] = [None] * n
                keys[i - 1] = link.previous
                notes = [""] * n
                notes[i] = STATUS_TITLES[DROPPED]
                rows.append(IndicatorRow(link.title, keys, notes))
    return rows
