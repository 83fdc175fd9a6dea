"""Items scored from a checklist (appendix A for 4.3.1) or from every service of the list (4.7, 9.2.3, 11).

The guide gives these items' points for something it describes in parts: 4.3.1's 5 points
«طبق راهنمای پیوست (الف)», 4.7's 3 points for an SLA «برای هر یک از خدمات دستگاه» as in
appendix C, 9.2.3's 5 points when a survey tool is «روی هر خدمت», indicator 11's 20 points when
the agency no longer takes copies of identity documents («خدماتی که کپی مدارک هویتی … دریافت
نمی کنند، فهرست شوند»).  The evaluator records each part; how the parts become the item's points is
the framework file's rule (``checklist`` / ``per_service``), which says where in the guide it comes
from and, where the guide leaves it open, the assumption (shown on every published output by
:mod:`workbench.model.assumptions`).

Rules:

- ``share``: ``points × achieved / counted`` (checklist entries ticked over those that apply;
  services achieved over the services of the list);
- ``all``: the points only when every entry (every service) is achieved; a service judged not
  achieved decides it at 0 at once; otherwise not scored until every service is judged.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from workbench.model.errors import FrameworkError
from workbench.model.rule_source import source_and_assumption
from workbench.model.terms import CHECK_STAGES, SECTIONED_STAGES

RULES = ("share", "all")
#: A checklist entry marked not applicable is stored with this prefix (``!A04``).
NA_MARK = "!"
#: A section's key (``service_sections.section``; ``sla_`` + the key names it among a judgement's fields).
SECTION_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    group: str = ""  # the part of the appendix it comes from (list page, service page)


@dataclass(frozen=True)
class ChecklistRule:
    """A checklist item's entries (from the guide's appendix) and how the ticks become its points."""

    entries: tuple[Entry, ...]
    rule: str
    source: str
    assumption: str = ""

    @property
    def assumed(self) -> bool:
        return bool(self.assumption)


@dataclass(frozen=True)
class Section:
    """A part of a document the evaluator looks for in each service's copy (appendix C's sections of an SLA)."""

    key: str
    title: str  # the column's short head
    quote: str  # where in the guide it comes from, in the guide's words


@dataclass(frozen=True)
class PerServiceRule:
    """A per-service item: the check made on every service (``stage``, terms.CHECK_STAGES) and its rule.

    ``sections`` (4.7's SLA: appendix C's sections) are judged one by one for each service, stored as
    rows (``service_sections``), and a service achieves the check only with every section met.
    """

    stage: str
    rule: str
    source: str
    assumption: str = ""
    sections: tuple[Section, ...] = ()

    @property
    def assumed(self) -> bool:
        return bool(self.assumption)


@dataclass(frozen=True)
class Marks:
    """A checklist as the evaluator left it: entries ticked and entries marked not applicable."""

    ticked: frozenset[str]
    not_applicable: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str | None) -> Marks | None:
        if text is None:
            return None
        words = text.split()
        return cls(frozenset(w for w in words if not w.startswith(NA_MARK)),
                   frozenset(w[1:] for w in words if w.startswith(NA_MARK)))

    def text(self) -> str:
        return " ".join([*sorted(self.ticked), *(NA_MARK + k for k in sorted(self.not_applicable))])


def parse_notes(text: str | None) -> dict[str, str]:
    """The evaluator's note on each entry of a checklist (``answers.entry_notes``): {entry key: note}.

    Stored as a JSON object so that a note may hold any words; text that is not one (hand-edited,
    damaged) reads as no notes rather than failing the page.
    """
    if not text:
        return {}
    try:
        raw = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v).strip() for k, v in raw.items() if isinstance(v, str) and v.strip()}


def notes_text(notes: dict[str, str]) -> str | None:
    """``notes`` as stored: keys sorted (one text for the same notes, so a merge compares equal), None when empty."""
    kept = {k: v.strip() for k, v in sorted(notes.items()) if v and v.strip()}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else None


def with_note(text: str | None, entry: str, note: str) -> str | None:
    """The stored notes with ``entry``'s note set (an empty note removes it)."""
    notes = parse_notes(text)
    notes[entry] = note
    return notes_text(notes)


def _common(raw: dict, key: str, name: str) -> tuple[str, str, str]:
    rule = raw.get("rule")
    if rule not in RULES:
        raise FrameworkError(f"«{name}.rule» برای {key} باید یکی از {', '.join(RULES)} باشد، نه {rule!r}", key=key)
    return (rule, *source_and_assumption(raw, name, key))


def parse_checklist(raw: object, key: str) -> ChecklistRule:
    if not isinstance(raw, dict):
        raise FrameworkError(f"مورد {key} از نوع checklist است و «checklist» ندارد", key=key)
    rule, source, assumption = _common(raw, key, "checklist")
    entries, seen = [], set()
    for e in raw.get("entries") or []:
        if not isinstance(e, dict) or not str(e.get("key", "")).strip() or not str(e.get("title", "")).strip():
            raise FrameworkError(f"هر بند «checklist.entries» مورد {key} کلید و عنوان می‌خواهد", key=key)
        k = str(e["key"]).strip()
        if k in seen or k.startswith(NA_MARK) or " " in k:
            raise FrameworkError(f"کلید بند «{k}» در فهرست وارسی {key} تکراری یا نادرست است", key=key)
        seen.add(k)
        entries.append(Entry(k, str(e["title"]).strip(), str(e.get("group", "")).strip()))
    if not entries:
        raise FrameworkError(f"فهرست وارسی مورد {key} هیچ بندی ندارد", key=key)
    return ChecklistRule(tuple(entries), rule, source, assumption)


def parse_per_service(raw: object, key: str) -> PerServiceRule:
    if not isinstance(raw, dict):
        raise FrameworkError(f"مورد {key} از نوع per_service است و «per_service» ندارد", key=key)
    rule, source, assumption = _common(raw, key, "per_service")
    stage = raw.get("stage")
    if stage not in CHECK_STAGES:
        raise FrameworkError(f"«per_service.stage» برای {key} باید یکی از {', '.join(CHECK_STAGES)} باشد", key=key)
    sections = _sections(raw.get("sections"), key)
    if sections and stage not in SECTIONED_STAGES:
        raise FrameworkError(f"«per_service.sections» مورد {key} فقط برای sla است", key=key)
    if stage in SECTIONED_STAGES and not sections:
        if "sections" in raw:
            raise FrameworkError(f"«per_service.sections» مورد {key} هیچ بخشی ندارد", key=key)
        # A round opened before schema 0011 keeps the framework text it was assessed with, which named no
        # sections: its SLA was judged on the ten columns 0008 made, appendix C's sections in this order.
        sections = LEGACY_SLA_SECTIONS
    return PerServiceRule(stage, rule, source, assumption, sections)


#: What a «sla» item without ``sections`` means (a framework text stored by a round before schema 0011).
LEGACY_SLA_SECTIONS = tuple(Section(k, t, f"پیوست ج (نمونه توافقنامه سطح خدمت)، {t}") for k, t in (
    ("intro", "۱ مقدمه"), ("purpose", "۲ هدف"), ("responsibility", "۳ مسئولیت"), ("obligations", "۴ تعهدات"),
    ("conditions", "۴ استثناها"), ("disputes", "۴ حل اختلاف"), ("costs", "۵ هزینه‌ها"), ("period", "۶ دوره"),
    ("termination", "۷ خاتمه"), ("published", "در وبگاه")))


def _sections(raw: object, key: str) -> tuple[Section, ...]:
    out, seen = [], set()
    for e in raw or []:
        fields = [str(e.get(n, "")).strip() if isinstance(e, dict) else "" for n in ("key", "title", "quote")]
        if not all(fields):
            raise FrameworkError(f"هر بخش «per_service.sections» مورد {key} کلید، عنوان و نقل راهنما (quote) می‌خواهد",
                                 key=key)
        if fields[0] in seen or not SECTION_KEY.fullmatch(fields[0]):
            raise FrameworkError(f"کلید بخش «{fields[0]}» در مورد {key} تکراری یا نادرست است (حروف کوچک لاتین، رقم، _)",
                                 key=key)
        seen.add(fields[0])
        out.append(Section(*fields))
    return tuple(out)


def stage_sections(framework, stage: str = "sla") -> tuple[Section, ...]:
    """The sections a service is judged on at ``stage`` in ``framework`` (its per-service item's), else ()."""
    for item in framework.items():
        rule = getattr(item, "per_service", None)
        if rule is not None and rule.stage == stage and rule.sections:
            return rule.sections
    return ()


def section_keys(framework, stage: str = "sla") -> tuple[str, ...]:
    return tuple(s.key for s in stage_sections(framework, stage))


def section_verdict(marks, keys) -> bool | None:
    """A service at a sectioned check: True with every section of ``keys`` met, None when none is judged.

    ``marks`` maps section keys to met (True / False / None); keys it does not hold are not judged,
    and sections the framework no longer lists are not looked at.
    """
    if not keys or not marks:
        return None
    values = [marks.get(k) for k in keys]
    if all(v is None for v in values):
        return None
    return all(bool(v) for v in values)


def checklist_fraction(rule: ChecklistRule, marks: Marks | None) -> float | None:
    """The share of the item's points the ticks earn; None before the evaluator has checked anything."""
    if marks is None:
        return None
    applies = [e.key for e in rule.entries if e.key not in marks.not_applicable]
    if not applies:
        return None
    achieved = sum(1 for k in applies if k in marks.ticked)
    if rule.rule == "all":
        return 1.0 if achieved == len(applies) else 0.0
    return achieved / len(applies)


def per_service_fraction(rule: PerServiceRule, achieved: int, judged: int, services: int) -> float | None:
    """The share of the item's points from ``achieved`` of ``judged`` of the agency's ``services``."""
    if services <= 0 or judged <= 0:
        return None
    if rule.rule == "all":
        if achieved < judged:
            return 0.0  # one service without it: the answer is «no» whatever the rest
        return 1.0 if judged >= services else None
    return min(1.0, achieved / services)


def parts_text(item, marks: Marks | None, checks: dict) -> str:
    """What a printed summary says of a checklist or per-service item («۱۲ از ۱۷ بند پیوست رعایت شده»)."""
    from workbench.model.text import persian_digits

    if item.kind == "checklist":
        if marks is None:
            return "بی‌پاسخ"
        applies = [e.key for e in item.checklist.entries if e.key not in marks.not_applicable]
        met = sum(1 for k in applies if k in marks.ticked)
        return f"{persian_digits(met)} از {persian_digits(len(applies))} بند پیوست رعایت شده"
    count = checks.get(item.per_service.stage)
    if count is None or count.planned == 0:
        return "خدمتی در فهرست نیست"
    return (f"{persian_digits(count.achieved)} از {persian_digits(count.planned)} خدمت فهرست"
            f" (کنترل‌شده: {persian_digits(count.judged)})")
