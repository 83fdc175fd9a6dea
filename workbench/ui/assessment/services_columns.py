"""The services table's columns and rows: what each column is, its words, one service as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt

from workbench.model.card_channels import Disagreement, disagreement
from workbench.model.checklists import stage_sections
from workbench.model.framework import load_default_framework
from workbench.model.schema import stage_verdict
from workbench.model.terms import (
    ACCESS_STAGE_TITLES,
    CAPABILITIES,
    CARD_JUDGED_STAGES,
    CHECK_STAGE_TITLES,
    CHECK_STAGES,
    OUT_OF_PLAN,
    SERVICE_LEVEL_LABELS,
    SERVICE_NATURE_LABELS,
    STAGE_FIELDS,
    STAGE_RESULTS,
    channel_list,
    section_field,
)
from workbench.model.terms import STAGE_TITLES as _PLAN_STAGE_TITLES
from workbench.model.text import persian_digits

#: The table's stages: the operational plan's, and the per-service checks of 4.7, 9.2.3 and 11.
STAGE_TITLES = {**_PLAN_STAGE_TITLES, **CHECK_STAGE_TITLES}

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

#: 4.7's SLA sections (appendix C): the framework file's data, one column each (``sla_KEY``).
SLA_SECTIONS = stage_sections(load_default_framework(), "sla")
SLA_KEYS = tuple(s.key for s in SLA_SECTIONS)

# (field, header, tooltip, stage it belongs to): the plan's stages, then the SLA's sections, then the other checks
CHECK_COLUMNS = (
    *((c.key, c.header, c.help, c.stage) for c in CAPABILITIES if c.stage not in CHECK_STAGES),
    *((section_field("sla", s.key), persian_digits(s.title), persian_digits(s.quote), "sla") for s in SLA_SECTIONS),
    *((c.key, c.header, c.help, c.stage) for c in CAPABILITIES if c.stage in CHECK_STAGES),
)
CHECK_FIELDS = {c[0]: c for c in CHECK_COLUMNS}

# Column order: what the evaluator judges comes first (rightmost); the plan flag (read-only,
# only the one of the stage in view is shown), the type and the URL follow.
COLUMNS = (
    ("service_id", "شناسه خدمت"),
    ("title", "عنوان خدمت"),
    *((c[0], c[1]) for c in CHECK_COLUMNS),
    ("result", "نتیجه"),  # «in this stage» is the tooltip: a narrow header keeps the column on screen
    # Where the card contradicts the judgement (request, delivery, indicator 11), just beside the result.
    ("card_check", "شناسنامه"),
    ("plan_request", "در برنامهٔ درخواست"),
    ("plan_delivery", "در برنامهٔ ارائه"),
    ("plan_counter", "در برنامهٔ پیشخوان"),
    ("plan_gsb", "در برنامهٔ GSB"),
    ("kind", "نوع"),
    # The identity card's fields (003): what the agency declared, read-only here.
    ("service_level", "سطح خدمت"),
    ("nature", "ماهیت"),
    ("channels", "نحوه دسترسی"),
    ("other_agencies", "دستگاه‌های مرتبط"),
    ("documents", "مدارک لازم"),
    ("visit_reasons", "علل مراجعه حضوری"),
    ("url", "نشانی خدمت"),
)
CARD_KEYS = ("service_level", "nature", "channels", "other_agencies", "documents", "visit_reasons")
#: Which access stage of the card the «نحوه دسترسی» column shows in each stage of the plan.
CHANNELS_OF_STAGE = {"request": "request", "delivery": "delivery", "counter": "delivery", "gsb": "delivery"}
COLUMN_KEYS = tuple(c[0] for c in COLUMNS)

RESULT_TEXT = STAGE_RESULTS
OUT_OF_PLAN_TEXT = OUT_OF_PLAN
#: The title column's width bounds: it takes what the columns up to the result leave, within these.
TITLE_MIN_WIDTH, TITLE_MAX_WIDTH = 100, 380


def column(key: str) -> int:
    return COLUMN_KEYS.index(key)


def stage_of_column(key: str) -> str | None:
    if key in CHECK_FIELDS:
        return CHECK_FIELDS[key][3]
    if key.startswith("plan_"):
        return key[5:]
    return None


@dataclass
class ServiceRow:
    """One service with its plan flags and the evaluator's judgement (plain values)."""

    service_id: str
    title: str
    kind: str
    plans: dict[str, bool]
    service_url: str
    card: dict[str, str] = field(default_factory=dict)
    judgement: dict[str, object] = field(default_factory=dict)
    haystack: str = ""
    #: stage -> why the stage's ratio does not count this planned service (the framework's ``eligible`` rule)
    left_out: dict[str, str] = field(default_factory=dict)
    #: stage -> the card field that leaves it out there («nature» or «service_level»)
    left_out_by: dict[str, str] = field(default_factory=dict)

    def card_text(self, key: str, stage: str) -> str:
        """The identity card's field ``key`` as shown (labels for codes; the channels of ``stage``)."""
        if key == "service_level":
            return SERVICE_LEVEL_LABELS.get(self.card.get(key, ""), "")
        if key == "nature":
            return SERVICE_NATURE_LABELS.get(self.card.get(key, ""), "")
        if key == "channels":
            return channel_list(self.card.get(f"{CHANNELS_OF_STAGE.get(stage, 'delivery')}_channels", ""))
        return self.card.get(key, "")

    def channels_tip(self) -> str:
        """Every access stage of the card with its channels, one line each."""
        lines = [f"{title}: {channel_list(self.card.get(f'{s}_channels', '')) or '—'}"
                 for s, title in ACCESS_STAGE_TITLES.items()]
        return "نحوه دسترسی به خدمت در شناسنامه:\n" + "\n".join(lines)

    def counted(self, stage: str) -> bool:
        """In the plan of ``stage`` and counted there (not left out by the card's nature)."""
        return bool(self.plans.get(stage)) and stage not in self.left_out

    def disagreement(self, stage: str) -> Disagreement | None:
        """Where the card's channels for ``stage`` contradict this row's judgement (``model.card_channels``)."""
        if stage not in CARD_JUDGED_STAGES or not self.plans.get(stage):
            return None
        return disagreement(self.service_id, stage, self.card.get(CARD_JUDGED_STAGES[stage], ""), self.judgement)

    def value(self, name: str):
        return self.judgement.get(name)

    def stage_result(self, stage: str) -> bool | None:
        """The schema's one rule (:func:`~workbench.model.schema.stage_verdict`) on this row's judgement."""
        return stage_verdict(self.judgement, stage, SLA_KEYS)

    def url(self) -> str:
        return str(self.judgement.get("url") or "")


def stage_fields(stage: str) -> tuple[str, ...]:
    """The judgement fields that decide a service at ``stage`` (4.7: every SLA section)."""
    return tuple(c[0] for c in CHECK_COLUMNS if c[3] == stage) if stage == "sla" else STAGE_FIELDS[stage]


def judgement_fields() -> tuple[str, ...]:
    return (*(c[0] for c in CHECK_COLUMNS), "url")
