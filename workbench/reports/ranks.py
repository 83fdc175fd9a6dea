"""Grouping and ranking of a round's scored assessments (no files, no Qt).

Competition ranking (1, 2, 2, 4) on totals rounded to two decimals, the
precision the published table shows: two agencies that read the same score
share a rank.  Only final assessments with a score are ranked; the rest are
kept apart, each with the reason it is not ranked.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.model import terms
from workbench.model.assessments import ScoredAssessment
from workbench.model.schema import Agency
from workbench.model.terms import ALL_AGENCIES, LEVEL_GROUP_TITLES, status_label
from workbench.model.text import normalize, round_percent

GROUPINGS = tuple(g for g in terms.GROUPINGS if g is not None)
NO_PROVINCE = "بدون استان"
NO_PARENT = "بدون دستگاه مادر"
UNSCORED_FINAL = "نهایی، بدون امتیاز"


@dataclass
class RankedEntry:
    rank: int
    total: float  # rounded to two decimals: what is shown and what is compared
    scored: ScoredAssessment

    @property
    def agency(self) -> Agency:
        return self.scored.agency


@dataclass
class PendingEntry:
    """An assessment listed apart: not final, or final with nothing scored."""

    group: str
    reason: str
    scored: ScoredAssessment


@dataclass
class GroupRanking:
    key: str
    title: str
    ranked: list[RankedEntry] = field(default_factory=list)
    pending: list[PendingEntry] = field(default_factory=list)


def competition_ranks(totals: list[float]) -> list[int]:
    """Ranks of totals already sorted high to low: equal totals share a rank, the next skips."""
    ranks: list[int] = []
    for i, total in enumerate(totals):
        ranks.append(ranks[-1] if i and total == totals[i - 1] else i + 1)
    return ranks


def group_key(agency: Agency, grouping: str | None, agencies: dict[str, Agency]) -> tuple[str, str] | None:
    """The (key, title) of the group an agency is ranked in; ``None`` when it is left out."""
    if grouping is None:
        return "all", ALL_AGENCIES
    if grouping in ("national", "provincial"):
        # Ranking national agencies against each other, or provincial units
        # against each other: the other level is not part of this ranking.
        return (grouping, LEVEL_GROUP_TITLES[grouping]) if agency.level == grouping else None
    if grouping == "province":
        name = (agency.province or "").strip()
        return (f"province:{normalize(name)}", name) if name else ("province:", NO_PROVINCE)
    if grouping == "parent":
        parent = agencies.get(agency.parent_uuid) if agency.parent_uuid else None
        if parent is None:
            return "parent:", NO_PARENT
        return f"parent:{parent.uuid}", parent.name
    raise ValueError(f"unknown grouping {grouping!r}")


def rank_groups(
    scored: list[ScoredAssessment], grouping: str | None, agencies: dict[str, Agency]
) -> list[GroupRanking]:
    """The groups in display order (by title; the catch-all group last), each ranked."""
    groups: dict[str, GroupRanking] = {}
    candidates: dict[str, list[tuple[float, ScoredAssessment]]] = {}
    for item in scored:
        found = group_key(item.agency, grouping, agencies)
        if found is None:
            continue
        key, title = found
        group = groups.setdefault(key, GroupRanking(key, title))
        percent = item.card.percent
        status = item.assessment.status
        if status != "final":
            group.pending.append(PendingEntry(title, status_label(status), item))
        elif percent is None:
            group.pending.append(PendingEntry(title, UNSCORED_FINAL, item))
        else:
            candidates.setdefault(key, []).append((round_percent(percent), item))
    for key, group in groups.items():
        entries = sorted(
            candidates.get(key, []),
            key=lambda pair: (-pair[0], normalize(pair[1].agency.name), pair[1].agency.code),
        )
        ranks = competition_ranks([total for total, _ in entries])
        group.ranked = [RankedEntry(rank, total, item) for rank, (total, item) in zip(ranks, entries)]
        group.pending.sort(key=lambda p: (normalize(p.scored.agency.name), p.scored.agency.code))
    catch_all = {"province:", "parent:"}
    return sorted(groups.values(), key=lambda g: (g.key in catch_all, normalize(g.title), g.key))
