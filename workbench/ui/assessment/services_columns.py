"""The services table's columns and rows: what each column is, its words, one service as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt

from workbench.model.card_channels import Disagreement, disagreement
from workbench.model.schema import stage_verdict
from workbench.model.terms import (
    ACCESS_STAGE_TITLES,
    CAPABILITIES,
    CARD_JUDGED_STAGES,
    CHECK_STAGE_TITLES,
    OUT_OF_PLAN,
    SERVICE_LEVEL_LABELS,
    SERVICE_NATURE_LABELS,
    STAGE_RESULTS,
    channel_list,
)
from workbench.model.terms import STAGE_TITLES as _PLAN_STAGE_TITLES

#: The table's stages: the operational plan's, and the per-service checks of 4.7, 9.2.3 and 11.
STAGE_TITLES = {**_PLAN_STAGE_TITLES, **CHECK_STAGE_TITLES}

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

# (field, header, tooltip, stage it belongs to)
CHECK_COLUMNS = tuple((c.key, c.header, c.help, c.stage) for c in CAPABILITIES)
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
        return stage_verdict(self.judgement, stage)

    def url(self) -> str:
        return str(self.judgement.get("url") or "")


def judgement_fields() -> tuple[str, ...]:
    return (*(c[0] for c in CHECK_COLUMNS), "url")
