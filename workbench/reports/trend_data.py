"""An agency's figures round after round: total, band, each indicator's percent, rank in its group.

No files, no Qt: the trend report, the printed summary's «compared with the
previous round» block and the window's comparison all read these.  Ranks need
the whole round scored, so a round's figures are kept per database and round
until any of that round's rows change (:func:`_stamp`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workbench.model.assessments import round_framework, score_round
from workbench.model.comparison import IndicatorRow, basis_text, indicator_rows
from workbench.model.framework import Band, Framework
from workbench.model.schema import Agency, Round
from workbench.model.text import round_percent
from workbench.reports.ranks import GROUPINGS, rank_groups

NOT_APPLICABLE = "na"
#: The grouping the window and the summary rank in: national agencies among
#: national ones, provincial units among provincial ones.
BY_LEVEL = "level"


@dataclass
class Figures:
    """One agency in one round."""

    year: int
    status: str
    percent: float | None  # the total, rounded to two decimals as published
    band: Band | None
    indicators: dict[str, float | str | None]  # key → percent, NOT_APPLICABLE, or None (unscored)
    rank: int | None = None  # final and scored assessments only
    group: str = ""
    group_key: str = ""
    group_size: int = 0  # agencies ranked in the group

    @property
    def final(self) -> bool:
        return self.status == "final"


@dataclass
class RoundData:
    round: Round
    framework: Framework
    figures: dict[str, Figures] = field(default_factory=dict)  # by agency code
    agencies: dict[str, object] = field(default_factory=dict)  # by agency code, as the round saw them

    @property
    def year(self) -> int:
        return self.round.year


_cache: dict[tuple, tuple[object, RoundData]] = {}
_cache_lock = threading.Lock()


_IN_ROUND = "assessment_uuid IN (SELECT uuid FROM assessments WHERE round_uuid = :r)"
#: Per table of a round's figures: which of its rows are the round's.
_STAMPED = (
    ("assessments", "round_uuid = :r"),
    ("answers", _IN_ROUND),
    ("service_judgements", _IN_ROUND),
    ("service_sections", _IN_ROUND),
    ("services", "round_uuid = :r"),
    ("reform_rows", "round_uuid = :r"),
    ("weight_overrides", "round_uuid = :r"),
    ("round_agencies", "round_uuid = :r"),
    ("agencies", "1 = 1"),
)
_STAMP_SQL = text("SELECT " + ", ".join(
    f"(SELECT max(updated_at) FROM {table} WHERE {where}), (SELECT count(*) FROM {table} WHERE {where})"
    for table, where in _STAMPED
))


def _stamp(session: Session, rnd: Round) -> tuple:
    """What a round's figures depend on, as of now: the last change and the row count of each of its tables.

    Per round, so editing the latest round does not make every earlier round be scored again.
    """
    return tuple(session.execute(_STAMP_SQL, {"r": rnd.uuid}).one())


def round_data(session: Session, rnd: Round, grouping: str | None = BY_LEVEL, progress=None) -> RoundData:
    """Every assessment of ``rnd`` with its figures and its rank within its group (``grouping``).

    ``progress`` goes to :func:`score_round` when the round must be scored (it may raise to cancel).
    """
    stamp = _stamp(session, rnd)
    key = (session.get_bind().url.render_as_string(), rnd.uuid, grouping)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    framework = round_framework(session, rnd)
    scored = score_round(session, rnd, progress=progress)
    data = RoundData(rnd, framework)
    for item in scored:
        data.figures[item.agency.code] = figures_of(item.card, framework, rnd.year, item.assessment.status)
        data.agencies[item.agency.code] = item.agency
    agencies = {a.uuid: a for a in session.scalars(select(Agency))}
    for g in _groups(scored, grouping, agencies):
        for entry in g.ranked:
            f = data.figures[entry.agency.code]
            f.rank, f.group, f.group_key, f.group_size = entry.rank, g.title, g.key, len(g.ranked)
        for pending in g.pending:
            f = data.figures[pending.scored.agency.code]
            f.group, f.group_key, f.group_size = g.title, g.key, len(g.ranked)
    with _cache_lock:
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = (stamp, data)
    return data


def figures_of(card, framework: Framework, year: int, status: str) -> Figures:
    """A score card's figures (no rank: that needs the whole round)."""
    percent = round_percent(card.percent)
    indicators: dict[str, float | str | None] = {}
    for ind in framework.indicators:
        node = card[ind.key]
        indicators[ind.key] = NOT_APPLICABLE if not node.applicable else round_percent(node.percent)
    return Figures(year, status, percent, card.band, indicators)


def earlier_rounds(session: Session, rnd: Round, code: str | None = None, progress=None) -> list[RoundData]:
    """The rounds before ``rnd`` (that assessed agency ``code``, when given), oldest first, with their ranks."""
    earlier = session.scalars(select(Round).where(Round.year < rnd.year).order_by(Round.year)).all()
    return [d for d in (round_data(session, r, progress=progress) for r in earlier) if code is None or code in d.figures]


def history(earlier: list[RoundData], rnd: Round, framework: Framework, agency, card,
            status: str) -> AgencyTrend | None:
    """The agency's figures now (from ``card``) after those of the ``earlier`` rounds.

    The earlier rounds' ranks are their ranks in their groups; the current
    round's rank is left to the ranking report, since the round may still
    change.  ``None`` when no earlier round assessed the agency.
    """
    if not earlier:
        return None
    now = RoundData(rnd, framework, {agency.code: figures_of(card, framework, rnd.year, status)},
                    {agency.code: agency})
    return build_trend(agency.code, [*earlier, now])


def compare_with_previous(earlier: list[RoundData], rnd: Round, framework: Framework, agency, card,
                          status: str) -> AgencyTrend | None:
    """:func:`history` beside the last of the ``earlier`` rounds that assessed the agency (the summary's block)."""
    previous = [d for d in earlier if agency.code in d.figures][-1:]
    return history(previous, rnd, framework, agency, card, status)


def _groups(scored, grouping, agencies):
    if grouping == BY_LEVEL:
        return [g for level in ("national", "provincial") for g in rank_groups(scored, level, agencies)]
    if grouping is not None and grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}")
    return rank_groups(scored, grouping, agencies)


@dataclass
class Change:
    """From one round to the next: percent points of the total, places in the rank (up is positive)."""

    total: float | None
    rank: int | None
    indicators: dict[str, float | None]  # by the later round's key


def change(before: Figures | None, after: Figures | None, rows: list[IndicatorRow] | None = None,
           index: int = 1) -> Change:
    if before is None or after is None:
        return Change(None, None, {})
    total = None if before.percent is None or after.percent is None else round_percent(after.percent - before.percent)
    rank = None
    if before.rank is not None and after.rank is not None and before.group_key == after.group_key:
        rank = before.rank - after.rank
    indicators: dict[str, float | None] = {}
    for row in rows or []:
        old, new = row.keys[index - 1], row.keys[index]
        if old is None or new is None:
            continue
        a, b = before.indicators.get(old), after.indicators.get(new)
        indicators[new] = round_percent(b - a) if isinstance(a, float | int) and isinstance(b, float | int) else None
    return Change(total, rank, indicators)


@dataclass
class AgencyTrend:
    """One agency over the rounds it was assessed in (oldest first)."""

    code: str
    name: str
    rounds: list[RoundData]
    figures: list[Figures]
    rows: list[IndicatorRow]  # the indicators lined up across these rounds
    changes: list[Change]  # changes[i]: from round i-1 to round i (changes[0] is empty)
    basis: list[str]  # basis[i]: why round i's total does not compare like for like with i-1 ('' when it does)

    @property
    def previous(self) -> Figures | None:
        return self.figures[-2] if len(self.figures) > 1 else None


def agency_trend(session: Session, code: str, upto_year: int | None = None, years: list[int] | None = None,
                 grouping: str | None = BY_LEVEL) -> AgencyTrend | None:
    """The agency's figures in every round up to ``upto_year`` (or in ``years``); ``None`` when it has none."""
    query = select(Round).order_by(Round.year)
    if upto_year is not None:
        query = query.where(Round.year <= upto_year)
    if years:
        query = query.where(Round.year.in_(years))
    rounds = [round_data(session, rnd, grouping) for rnd in session.scalars(query)]
    rounds = [r for r in rounds if code in r.figures]
    if not rounds:
        return None
    return build_trend(code, rounds)


def build_trend(code: str, rounds: list[RoundData]) -> AgencyTrend:
    rows = indicator_rows([r.framework for r in rounds])
    figures = [r.figures[code] for r in rounds]
    changes = [Change(None, None, {})] + [change(figures[i - 1], figures[i], rows, i) for i in range(1, len(rounds))]
    basis = [""] + [basis_text(rounds[i - 1].framework, rounds[i].framework) for i in range(1, len(rounds))]
    name = rounds[-1].agencies[code].name
    return AgencyTrend(code, name, rounds, figures, rows, changes, basis)
