"""The services table's columns and rows: what each column is, its words, one service as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    Qt,
)

from workbench.model.schema import REQUEST_CAPABILITIES

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

STAGE_TITLES = {
    "request": "درخواست خدمت",
    "delivery": "ارائهٔ خدمت",
    "counter": "دفاتر پیشخوان",
    "gsb": "گذرگاه خدمات دولت (GSB)",
}

# (field, header, tooltip, stage it belongs to)
CHECK_COLUMNS = (
    ("request_portal", "درگاه واحد", "دسترسی به خدمت از درگاه واحد (پنجره واحد) دستگاه", "request"),
    ("request_online", "درخواست برخط", "ثبت درخواست و بارگذاری مدارک به‌صورت الکترونیکی", "request"),
    ("request_receipt", "رسید", "رسید الکترونیکی درخواست همراه با زمان پاسخ‌گویی", "request"),
    ("request_tracking", "کد رهگیری", "کد رهگیری یکتا هنگام پذیرش درخواست", "request"),
    ("delivery", "ارائهٔ الکترونیکی", "خدمت به‌صورت الکترونیکی تحویل می‌شود", "delivery"),
    ("counter", "در پیشخوان", "خدمت در دفاتر پیشخوان ارائه می‌شود", "counter"),
    ("gsb", "در GSB", "خدمت از طریق گذرگاه خدمات دولت (GSB) تبادل می‌شود", "gsb"),
)
CHECK_FIELDS = {c[0]: c for c in CHECK_COLUMNS}

# Column order: what the evaluator judges comes first (rightmost); the plan flag (read-only,
# only the one of the stage in view is shown), the type and the URL follow.
COLUMNS = (
    ("service_id", "شناسه خدمت"),
    ("title", "عنوان خدمت"),
    *((c[0], c[1]) for c in CHECK_COLUMNS),
    ("result", "نتیجه"),  # «in this stage» is the tooltip: a narrow header keeps the column on screen
    ("plan_request", "در برنامهٔ درخواست"),
    ("plan_delivery", "در برنامهٔ ارائه"),
    ("plan_counter", "در برنامهٔ پیشخوان"),
    ("plan_gsb", "در برنامهٔ GSB"),
    ("kind", "نوع"),
    ("url", "نشانی خدمت"),
)
COLUMN_KEYS = tuple(c[0] for c in COLUMNS)

RESULT_TEXT = {True: "تحقق‌یافته", False: "تحقق‌نیافته", None: "بررسی‌نشده"}
OUT_OF_PLAN_TEXT = "خارج از برنامه"
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
    judgement: dict[str, object] = field(default_factory=dict)
    haystack: str = ""

    def value(self, name: str):
        return self.judgement.get(name)

    def stage_result(self, stage: str) -> bool | None:
        """The same rule as ``ServiceJudgement.stage_result``."""
        if stage == "request":
            values = [self.judgement.get(c) for c in REQUEST_CAPABILITIES]
            if all(v is None for v in values):
                return None
            return all(bool(v) for v in values)
        return self.judgement.get(stage)

    def url(self) -> str:
        return str(self.judgement.get("url") or "")


def judgement_fields() -> tuple[str, ...]:
    return (*(c[0] for c in CHECK_COLUMNS), "url")
