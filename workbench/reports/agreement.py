"""Agreement between evaluators who assessed the same agencies (no Qt).

When two evaluators' packages assess one agency, the merge keeps each one's
complete submission (``exchange.tables.Submission``).  Here each submission is
scored on its own, as if it were the only one, and the pairs are compared:

* **check and yes/no items** — for every item both evaluators answered (and
  both found applicable): whether they gave the same answer; per measure, per
  indicator and over the round the share of agreement and **Cohen's kappa**
  (agreement beyond what chance gives their own rates of «yes»);
* **ratios** — the absolute difference of the two shares earned, in
  percentage points of the item;
* **points** — the absolute difference of the points each earned, per measure
  and indicator, and of the two totals (percent);
* **applicability** — items where one said «not applicable» and the other did not.

Pairs: every two evaluators of one agency, each with their latest merged
submission; a pair's evaluators are ordered by name, so «evaluator A» of the
pooled kappa is the name that sorts first (an assumption: the guide says
nothing about double assessment).  Only merged packages count.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.exchange import records
from workbench.exchange.tables import ExchangePackage, Submission
from workbench.model.assessments import build_answers, round_framework
from workbench.model.checklists import section_keys
from workbench.model.eligibility import stage_exclusions
from workbench.model.framework import Framework
from workbench.model.schema import Agency, ReformRow, Round, Service
from workbench.model.scoring import Answers, ScoreCard, item_fraction, score

BINARY = ("check", "yesno")


def cohen_kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa of two raters' yes/no answers; ``None`` when chance alone explains everything
    (both raters always gave one same answer: agreement is perfect but kappa is undefined)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    a_yes = sum(1 for a, _ in pairs if a) / n
    b_yes = sum(1 for _, b in pairs if b) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass
class Side:
    evaluator: str
    answers: Answers
    card: ScoreCard


@dataclass
class Pair:
    agency_code: str
    agency_name: str
    a: Side
    b: Side

    @property
    def total_difference(self) -> float | None:
        if self.a.card.percent is None or self.b.card.percent is None:
            return None
        return abs(self.a.card.percent - self.b.card.percent)


@dataclass
class Tally:
    """What two evaluators did alike and differently, over some items (a measure, an indicator, all)."""

    binary: list[tuple[bool, bool]] = field(default_factory=list)
    ratio_differences: list[float] = field(default_factory=list)  # percentage points of the item
    points_differences: list[float] = field(default_factory=list)  # per pair, of this node's points
    applicability_differences: int = 0

    @property
    def agreed(self) -> int:
        return sum(1 for a, b in self.binary if a == b)

    @property
    def share(self) -> float | None:
        return self.agreed / len(self.binary) * 100 if self.binary else None

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.binary)

    @property
    def mean_ratio_difference(self) -> float | None:
        return _mean(self.ratio_differences)

    @property
    def mean_points_difference(self) -> float | None:
        return _mean(self.points_differences)


@dataclass
class Agreement:
    pairs: list[Pair]
    overall: Tally
    indicators: dict[str, Tally]
    measures: dict[str, Tally]
    #: (agency code, measure key) → points difference, largest first.
    largest: list[tuple[str, str, float]]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


# --------------------------------------------------------------------------- reading the submissions


def load_pairs(session: Session, rnd: Round, framework: Framework | None = None) -> list[Pair]:
    """Every two evaluators' latest merged submissions of one agency, scored each on its own."""
    framework = framework or round_framework(session, rnd)
    latest: dict[tuple[str, str], Submission] = {}
    query = (
        select(Submission)
        .join(ExchangePackage, ExchangePackage.uuid == Submission.package_uuid)
        .where(Submission.round_uuid == rnd.uuid, ExchangePackage.status == "merged")
        .order_by(ExchangePackage.merged_at, Submission.sequence)
    )
    for sub in session.scalars(query):
        latest[(sub.agency_code, sub.evaluator)] = sub  # the later one wins
    by_agency: dict[str, list[Submission]] = defaultdict(list)
    for (code, _evaluator), sub in sorted(latest.items()):
        by_agency[code].append(sub)
    names = dict(session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(list(by_agency)))).all())
    pairs = []
    for code, subs in sorted(by_agency.items()):
        if len(subs) < 2:
            continue
        sides = {s.evaluator: _side(session, rnd, code, s, framework) for s in subs}
        for a, b in itertools.combinations(sorted(sides), 2):
            pairs.append(Pair(code, names.get(code, code), sides[a], sides[b]))
    return pairs


def _side(session: Session, rnd: Round, code: str, sub: Submission, framework: Framework) -> Side:
    by_table: dict[str, list] = defaultdict(list)
    for rec in records.unpack(sub.data).values():
        by_table[rec.table].append(SimpleNamespace(**rec.values))
    services, reform = by_table["services"], by_table["reform_rows"]
    if not services:  # a submission carries its agency's services; read the master's if it did not
        agency = session.scalar(select(Agency).where(Agency.code == code))
        services = list(session.scalars(select(Service).where(
            Service.round_uuid == rnd.uuid, Service.agency_uuid == agency.uuid)))
        reform = list(session.scalars(select(ReformRow).where(
            ReformRow.round_uuid == rnd.uuid, ReformRow.agency_uuid == agency.uuid)))
    # (no agency level, as before: the level's rules — 9.1's, a provincial unit's national services — apply to
    # both evaluators alike and are left out of their agreement)
    answers = build_answers(by_table["answers"], services, by_table["service_judgements"], reform,
                            exclusions=stage_exclusions(framework), sections=by_table["service_sections"],
                            section_keys=section_keys(framework))
    return Side(sub.evaluator, answers, score(framework, answers))


# --------------------------------------------------------------------------- comparing


def compare(framework: Framework, pairs: list[Pair]) -> Agreement:
    overall = Tally()
    indicators = {ind.key: Tally() for ind in framework.indicators}
    measures = {m.key: Tally() for ind in framework.indicators for m in ind.measures}
    largest = []
    for pair in pairs:
        for ind in framework.indicators:
            _points(indicators[ind.key], pair, ind.key)
            for measure in ind.measures:
                diff = _points(measures[measure.key], pair, measure.key)
                if diff:
                    largest.append((pair.agency_code, measure.key, diff))
                for item in measure.items:
                    for tally in (overall, indicators[ind.key], measures[measure.key]):
                        _item(tally, pair, item)
        total = pair.total_difference
        if total is not None:
            overall.points_differences.append(total)
    largest.sort(key=lambda t: (-t[2], t[0], t[1]))
    return Agreement(pairs, overall, indicators, measures, largest)


def _points(tally: Tally, pair: Pair, key: str) -> float | None:
    a, b = pair.a.card[key], pair.b.card[key]
    if not (a.applicable and b.applicable) or a.answered == 0 or b.answered == 0:
        return None
    diff = abs(a.earned - b.earned)
    tally.points_differences.append(diff)
    return diff


def _item(tally: Tally, pair: Pair, item) -> None:
    a_node, b_node = pair.a.card[item.key], pair.b.card[item.key]
    if a_node.applicable != b_node.applicable:
        tally.applicability_differences += 1
        return
    if not a_node.applicable:
        return
    if item.kind in BINARY:
        a, b = pair.a.answers.items.get(item.key), pair.b.answers.items.get(item.key)
        if a is not None and b is not None and a.value is not None and b.value is not None:
            tally.binary.append((bool(a.value), bool(b.value)))
    elif item.kind in ("ratio", "checklist", "per_service"):  # a share of the item's points
        a, b = item_fraction(item, pair.a.answers), item_fraction(item, pair.b.answers)
        if a is not None and b is not None:
            tally.ratio_differences.append(abs(a - b) * 100)


def agreement_of_round(session: Session, rnd: Round) -> tuple[Framework, Agreement]:
    framework = round_framework(session, rnd)
    return framework, compare(framework, load_pairs(session, rnd, framework))
