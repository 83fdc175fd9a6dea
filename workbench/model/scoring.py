"""Scoring: plain Python, no I/O.

From a :class:`~workbench.model.framework.Framework` and one assessment's
answers, compute for every item, measure, indicator and the whole the points
earned, the points possible and whether it applies.  Not applicable (عدم مصداق)
at any level removes those points from the possible total.  "Nothing scored
yet" (no applicable item answered) gives a percent of ``None``, never 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.model.framework import Band, Framework, Item
from workbench.model.na_rules import automatic, rule_for

REFORM_CAP = 10  # indicator 5: improved sub-services over min(10, sub-services)


@dataclass
class ItemAnswer:
    """What the evaluator said about one item.

    ``value`` for check and yes/no (None = not answered); ``achieved`` and
    ``planned`` for typed ratios.
    """

    value: bool | None = None
    achieved: float | None = None
    planned: float | None = None


@dataclass
class StageCount:
    """For a ratio counted from services: services judged achieved / planned."""

    achieved: int = 0
    planned: int = 0
    judged: int = 0  # planned services that have a judgement at all


@dataclass
class ReformCount:
    """Indicator 5: accepted improved sub-services and the number of sub-services.

    ``rows`` and ``judged`` count table 4 rows and those with a verdict: while
    none is judged the item is not scored (rather than scored zero), except
    that with no rows at all the evaluator may confirm the zero (see
    :func:`item_fraction`).
    """

    improved: int = 0
    sub_services: int = 0
    rows: int = 0
    judged: int = 0
    #: the services counted in ``improved`` (sub-services, or services with none)
    improved_ids: frozenset[str] = frozenset()
    #: services whose table 5 documents all six steps (see ``reform_steps``)
    documented: frozenset[str] = frozenset()
    #: accepted table 4 services that are parent services: not counted («زیرخدمات (یا خدمات بدون زیرخدمت)»)
    on_parents: int = 0

    def counted(self, withhold_undocumented: bool) -> int:
        """Improved services as the item counts them (only fully documented ones when the rule says so)."""
        if withhold_undocumented:
            return len(self.improved_ids & self.documented)
        return self.improved


@dataclass
class Answers:
    """Everything the scorer needs about one assessment."""

    items: dict[str, ItemAnswer] = field(default_factory=dict)
    #: keys (indicator, measure or item) marked not applicable, with the reason
    not_applicable: dict[str, str] = field(default_factory=dict)
    stages: dict[str, StageCount] = field(default_factory=dict)
    reform: ReformCount | None = None
    #: the agency's level: rules that make a node not applicable by level read it
    level: str = ""
    #: indicator key -> services an agreement with the Organization takes out of its typed ratios
    agreed: dict[str, int] = field(default_factory=dict)

    def not_applicable_keys(self, framework: Framework) -> dict[str, str]:
        """Keys marked not applicable, and those the framework's rules make so for this level."""
        if not self.level:
            return self.not_applicable
        return {**automatic(framework, self.level), **self.not_applicable}


@dataclass
class NodeScore:
    key: str
    earned: float = 0.0
    possible: float = 0.0
    applicable: bool = True
    answered: int = 0  # applicable items answered
    total: int = 0  # applicable items
    children: list["NodeScore"] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """``earned / possible × 100``; ``None`` when nothing is scored yet."""
        if not self.applicable or self.possible <= 0 or self.answered == 0:
            return None
        return self.earned / self.possible * 100

    @property
    def scored(self) -> bool:
        return self.percent is not None

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    def as_dict(self) -> dict:
        return {
            "earned": round(self.earned, 4),
            "possible": round(self.possible, 4),
            "applicable": self.applicable,
        }


@dataclass
class ScoreCard:
    total: NodeScore
    nodes: dict[str, NodeScore]
    band: Band | None

    @property
    def percent(self) -> float | None:
        return self.total.percent

    def __getitem__(self, key: str) -> NodeScore:
        return self.nodes[key]


def score(framework: Framework, answers: Answers) -> ScoreCard:
    nodes: dict[str, NodeScore] = {}
    total = NodeScore("")
    na = answers.not_applicable_keys(framework)
    for ind in framework.indicators:
        ind_na = ind.key in na
        ind_score = NodeScore(ind.key, applicable=not ind_na)
        rule = rule_for(framework, ind.key)
        excluded = answers.agreed.get(ind.key, 0) if rule is not None and rule.by_agreement else 0
        for measure in ind.measures:
            m_na = ind_na or measure.key in na
            m_score = NodeScore(measure.key, applicable=not m_na)
            for item in measure.items:
                it_na = m_na or item.key in na
                it_score = _score_item(item, answers, applicable=not it_na, excluded=excluded)
                nodes[item.key] = it_score
                m_score.children.append(it_score)
                _add(m_score, it_score)
            if not m_na and m_score.total == 0:
                m_score.applicable = False  # every item not applicable
            nodes[measure.key] = m_score
            ind_score.children.append(m_score)
            _add(ind_score, m_score)
        if not ind_na and ind_score.total == 0:
            ind_score.applicable = False
        nodes[ind.key] = ind_score
        total.children.append(ind_score)
        _add(total, ind_score)
    total.applicable = total.total > 0
    return ScoreCard(total=total, nodes=nodes, band=framework.band_for(total.percent))


def _add(parent: NodeScore, child: NodeScore) -> None:
    if not child.applicable:
        return
    parent.earned += child.earned
    parent.possible += child.possible
    parent.answered += child.answered
    parent.total += child.total


def _score_item(item: Item, answers: Answers, applicable: bool, excluded: int = 0) -> NodeScore:
    node = NodeScore(item.key, applicable=applicable)
    if not applicable:
        return node
    if excluded and item.kind == "ratio" and item.source == "typed":
        ans = answers.items.get(item.key)
        if ans is not None and ans.planned and ans.planned - excluded <= 0:
            node.applicable = False  # every eligible service is under the agreement
            return node
    node.possible = item.points
    node.total = 1
    fraction = item_fraction(item, answers, excluded)
    if fraction is not None:
        node.answered = 1
        node.earned = item.points * fraction
    return node


def item_fraction(item: Item, answers: Answers, excluded: int = 0) -> float | None:
    """The share of the item's points earned, or ``None`` when not yet answerable.

    ``excluded``: services an agreement with the Organization takes out of a
    typed ratio's denominator (indicator 7).
    """
    if item.kind in ("check", "yesno"):
        ans = answers.items.get(item.key)
        if ans is None or ans.value is None:
            return None
        return 1.0 if ans.value else 0.0
    if item.kind == "ratio":
        if item.source == "services":
            count = answers.stages.get(item.stage)
            if count is None or count.planned <= 0 or count.judged == 0:
                return None
            return ratio(count.achieved, count.planned)
        ans = answers.items.get(item.key)
        if ans is None or ans.achieved is None or not ans.planned:
            return None
        return ratio(ans.achieved, ans.planned - excluded)
    if item.kind == "reform":
        reform = answers.reform
        if reform is None or reform.sub_services <= 0:
            return None
        if reform.judged == 0:
            # Nothing judged in table 4 yet.  With rows, the evaluator has not
            # looked; with none, the agency submitted no table 4 and the item
            # scores zero only once the evaluator confirms it on the item's
            # answer.  Either way an untouched assessment stays "not scored".
            confirmed = answers.items.get(item.key)
            if reform.rows > 0 or confirmed is None or confirmed.value is None:
                return None
        withhold = item.six_steps is not None and item.six_steps.withhold
        return ratio(reform.counted(withhold), min(REFORM_CAP, reform.sub_services))
    raise ValueError(f"unknown item kind {item.kind!r}")


def ratio(achieved: float, planned: float) -> float:
    """``min(1, achieved / planned)``, never negative."""
    if planned <= 0:
        return 0.0
    return max(0.0, min(1.0, achieved / planned))
