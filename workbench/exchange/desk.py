"""What the supervisor's desk in the window shows of the exchange, in words (no Qt).

The window reads conflicts through here: which database is a supervisor's, each
conflict's record and values as a person reads them, the measure a conflict is
about (for the guide's text beside it), and settling many alike at once.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.exchange import labels
from workbench.exchange.conflicts import ConflictView, list_conflicts, resolve
from workbench.exchange.role import MASTER_ROLE, ROLE_KEY, is_master, open_count  # noqa: F401 - the desk's words
from workbench.model.checklists import parse_notes
from workbench.model.terms import CAPABILITIES, NOT_APPLICABLE
from workbench.model.text import persian_digits

#: The fields of the records a conflict names, as the evaluator's forms call them (the per-service
#: checks and «not applicable» by their words in ``terms``).
FIELDS = {
    "value": "پاسخ", "achieved": "محقق", "planned": "برنامه", "not_applicable": NOT_APPLICABLE, "na_reason": "دلیل",
    "note": "یادداشت", **{c.key: c.header for c in CAPABILITIES}, "url": "نشانی", "marks": "بندهای فهرست وارسی",
    "entry_notes": "یادداشت بندهای فهرست وارسی", "met": "رعایت بخش", "section": "بخش",
    "evaluator": "ارزیاب", "visit_date": "تاریخ بازدید", "status": "وضعیت", "text": "متن", "number": "عدد",
    "filename": "نام فایل", "mime": "نوع فایل", "accepted": "پذیرش", "evaluator_note": "یادداشت ارزیاب",
    "title": "عنوان", "parent_service_id": "خدمت مادر", "kind": "نوع", "in_request_plan": "برنامهٔ درخواست",
    "in_delivery_plan": "برنامهٔ تحویل", "in_counter_plan": "برنامهٔ پیشخوان", "in_gsb_plan": "برنامهٔ GSB",
    "row_no": "ردیف", "service_title": "عنوان خدمت", "unit": "واحد", "value_before": "پیش از بهبود",
    "value_target": "هدف", "value_after": "پس از بهبود", "description": "شرح", "start_date": "آغاز",
    "end_date": "پایان", "step": "گام", "action": "اقدام", "criterion": "معیار",
    "service_level": "سطح خدمت", "nature": "ماهیت خدمت", "info_channels": "دسترسی در اطلاع‌رسانی",
    "request_channels": "دسترسی در درخواست", "delivery_channels": "دسترسی در ارائه",
    "other_agencies": "دستگاه‌های مرتبط", "documents": "مدارک لازم", "visit_reasons": "علل مراجعه حضوری",
}


def make_master(session: Session) -> None:
    """Mark the database a supervisor's (committed by the caller)."""
    from workbench.model.store import set_meta

    set_meta(session, ROLE_KEY, MASTER_ROLE)


def record_text(view: ConflictView) -> str:
    """«پاسخ ۴٫۳٫۱» — the record as the forms name it."""
    key = "، ".join(str(k) for k in view.key)
    return persian_digits(f"{labels.TABLES.get(view.table, view.table)} {key}".strip())


def group_text(view: ConflictView) -> str:
    return labels.GROUPS.get(view.group, view.group)


def kind_text(view: ConflictView) -> str:
    return labels.KINDS.get(view.kind, view.kind)


def value_text(value) -> str:
    """A candidate's value as a person reads it (yes/no, empty, deleted), fields by their Persian names."""
    if value is None:
        return labels.DELETED
    if isinstance(value, dict):
        return "؛ ".join(f"{FIELDS.get(k, k)}: {_field(k, v)}" for k, v in value.items())
    return _one(value)


def _field(name: str, value) -> str:
    if name == "entry_notes" and value:  # a JSON object of notes: each entry's key and its note
        notes = parse_notes(value)
        return "، ".join(f"{k}: «{persian_digits(v)}»" for k, v in notes.items()) or "—"
    return _one(value)


def _one(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "بله"
    if value is False:
        return "خیر"
    return persian_digits(str(value))


def who_text(candidate) -> str:
    if not candidate.evaluator:
        return labels.MASTER
    return f"{candidate.evaluator} ({candidate.package})" if candidate.package else candidate.evaluator


def item_key(view: ConflictView) -> str | None:
    """The framework key a conflict is about (an answer's item), else None."""
    return str(view.key[0]) if view.table == "answers" and view.key else None


def indicator_of(view: ConflictView) -> str:
    key = item_key(view)
    return key.split(".")[0] if key else ""


def conflicts(session: Session, year: int | None = None, include_resolved: bool = False) -> list[ConflictView]:
    return list_conflicts(session, year, include_resolved)


def decision_text(view: ConflictView) -> str:
    """A settled conflict as the supervisor left it: who, when, why, and the value kept."""
    from workbench.exchange.inbox import when_text

    return (f"حل‌شده به دست {view.resolved_by or labels.MASTER}، {when_text(view.resolved_at)} — "
            f"دلیل: {view.reason} — مقدار: {value_text(view.resolution)}")


def settle_alike(session: Session, chosen: ConflictView, evaluator: str, reason: str, by: str,
                 wait: bool = True) -> int:
    """Settle every open conflict of ``chosen``'s agency that has a candidate of ``evaluator`` with that
    candidate (one reason for all); returns how many were settled."""
    settled = 0
    for view in list_conflicts(session, chosen.round_year):
        if view.agency_code != chosen.agency_code:
            continue
        mine = next((c for c in view.candidates if c.evaluator == evaluator), None)
        if mine is not None:
            resolve(session, view.id, take=str(mine.id), reason=reason, by=by, wait=wait)
            settled += 1
    return settled
