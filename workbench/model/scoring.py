"""Scoring: plain Python, no I/O.

From a :class:`~workbench.model.framework.Framework` and one assessment's
answers, compute for every item, measure, indicator and the whole the points
earned, the points possible and whether it applies.  Not applicable (عدم مصداق)
at any level removes those points from the possible total.  "Nothing scored
yet" (no applicable item answered) gives a percent of ``None``, never 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.model.checklists import Marks, checklist_fraction, per_service_fraction
from workbench.model.framework import Band, Framework, Item
from workbench.model.na_rules import automatic, rule_for

REFORM_CAP = 10  # indicator 5: improved sub-services over min(10, sub-services)


@dataclass(slots=True)
class ItemAnswer:
    """What the evaluator said about one item.

    ``value`` for check and yes/no (None = not answered); ``achieved`` and
    ``planned`` for typed ratios.
    """

    value: bool | None = None
    achieved: float | None = None
    planned: float | None = None


@dataclass(slots=True)
class StageCount:
    """For a ratio counted from services: services judged achieved / planned."""

    achieved: int = 0
    planned: int = 0
    judged: int = 0  # planned services that have a judgement at all
    #: planned services the item's ``eligible`` rule leaves out (a sovereign service in the counter plan)
    excluded: int = 0


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
    #: checklist items (4.3.1): the entries the evaluator ticked (None: not checked yet)
    marks: dict[str, Marks | None] = field(default_factory=dict)
    #: per-service checks (terms.CHECK_STAGES) over every service of the list: achieved, judged, services
    checks: dict[str, StageCount] = field(default_factory=dict)

    def not_applicable_keys(self, framework: Framework) -> dict[str, str]:
        """Keys marked not applicable, and those the framework's rules make so for this level."""
        if not self.level:
            return self.not_applicable
        return {**automatic(framework, self.level), **self.not_applicable}


@dataclass(slots=True)
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
    """The score card of one assessment (for many, make one :class:`Scorer` and call it for each)."""
    return Scorer(framework)(answers)


class Scorer:
    """Scores assessments against one framework.

    What depends on the framework alone (each indicator's not-applicable rule, the rules
    that apply by level) is looked up once here, not once per assessment: a national
    round scores 2,500 assessments.
    """

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self._plan = []
        for ind in framework.indicators:
            rule = rule_for(framework, ind.key)
            by_agreement = rule is not None and rule.by_agreement
            self._plan.append((ind, by_agreement, [(m, m.items) for m in ind.measures]))
        self._automatic: dict[str, dict[str, str]] = {}

    def not_applicable(self, answers: Answers) -> dict[str, str]:
        """Keys marked not applicable, and those the framework's rules make so for the agency's level."""
        if not answers.level:
            return answers.not_applicable
        auto = self._automatic.get(answers.level)
        if auto is None:
            auto = self._automatic[answers.level] = automatic(self.framework, answers.level)
        return {**auto, **answers.not_applicable} if auto else answers.not_applicable

    def __call__(self, answers: Answers) -> ScoreCard:
        # Each level's sums are kept in locals and its node made whole once (a national
        # round makes 200,000 nodes): a node adds its applicable children's figures, child
        # by child in the framework's order, so the floating-point sums are the same.
        nodes: dict[str, NodeScore] = {}
        na = self.not_applicable(answers)
        t_earned = t_possible = 0.0
        t_answered = t_total = 0
        indicators = []
        for ind, by_agreement, measures in self._plan:
            ind_na = ind.key in na
            excluded = answers.agreed.get(ind.key, 0) if by_agreement else 0
            i_earned = i_possible = 0.0
            i_answered = i_total = 0
            children = []
            for measure, items in measures:
                m_na = ind_na or measure.key in na
                m_earned = m_possible = 0.0
                m_answered = m_total = 0
                scored = []
                for item in items:
                    node = _score_item(item, answers, not (m_na or item.key in na), excluded)
                    if node.applicable:
                        m_earned += node.earned
                        m_possible += node.possible
                        m_answered += node.answered
                        m_total += node.total
                    nodes[item.key] = node
                    scored.append(node)
                # a measure whose every item is not applicable is not applicable
                m_node = NodeScore(
                    measure.key, m_earned, m_possible, not m_na and m_total > 0, m_answered, m_total, scored
                )
                nodes[measure.key] = m_node
                children.append(m_node)
                if m_node.applicable:
                    i_earned += m_earned
                    i_possible += m_possible
                    i_answered += m_answered
                    i_total += m_total
            ind_node = NodeScore(ind.key, i_earned, i_possible, not ind_na and i_total > 0, i_answered, i_total, children)
            nodes[ind.key] = ind_node
            indicators.append(ind_node)
            if ind_node.applicable:
                t_earned += i_earned
                t_possible += i_possible
                t_answered += i_answered
                t_total += i_total
        total = NodeScore("", t_earned, t_possible, t_total > 0, t_answered, t_total, indicators)
        return ScoreCard(total=total, nodes=nodes, band=self.framework.band_for(total.percent))


def _score_item(item: Item, answers: Answers, applicable: bool, excluded: int = 0) -> NodeScore:
    if not applicable:
        return NodeScore(item.key, 0.0, 0.0, False, 0, 0, [])
    if excluded and item.kind == "ratio" and item.source == "typed":
        ans = answers.items.get(item.key)
        if ans is not None and ans.planned and ans.planned - excluded <= 0:
            return NodeScore(item.key, 0.0, 0.0, False, 0, 0, [])  # every eligible service is under the agreement
    points = item.points
    fraction = item_fraction(item, answers, excluded)
    if fraction is None:
        return NodeScore(item.key, 0.0, points, True, 0, 1, [])
    return NodeScore(item.key, points * fraction, points, True, 1, 1, [])


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
    if item.kind == "checklist":
        return checklist_fraction(item.checklist, answers.marks.get(item.key))
    if item.kind == "per_service":
        count = answers.checks.get(item.per_service.stage)
        if count is None:
            return None
        return per_service_fraction(item.per_service, count.achieved, count.judged, count.planned)
    raise ValueError(f"unknown item kind {item.kind!r}")


def ratio(achieved: float, planned: float) -> float:
    """``min(1, achieved / planned)``, never negative."""
    if planned <= 0:
        return 0.0
    return max(0.0, min(1.0, achieved / planned))
