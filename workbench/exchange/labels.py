"""The exchange's words, in Persian, in one place (statuses, tables, field groups)."""
from __future__ import annotations

STATUS = {
    "merged": "ادغام شد",
    "already merged": "پیش‌تر ادغام شده بود",
    "superseded": "کهنه (بستهٔ تازه‌تر همین دستگاه ادغام شده است)",
    "refused": "پذیرفته نشد",
}
TABLES = {
    "assessments": "ارزیابی",
    "answers": "پاسخ",
    "service_judgements": "داوری خدمت",
    "service_sections": "بخش توافق‌نامهٔ سطح خدمت",
    "evidence": "مستند",
    "na_agreements": "تفاهم عدم مصداق",
    "services": "خدمت",
    "reform_rows": "جدول ۴",
    "reform_actions": "جدول ۵",
}
GROUPS = {
    "evaluator": "ارزیاب",
    "visit_date": "تاریخ بازدید",
    "status": "وضعیت",
    "value": "پاسخ",
    "ratio": "محقق/برنامه",
    "na": "عدم شمول و دلیل آن",
    "note": "یادداشت",
    "request": "قابلیت‌های مرحلهٔ درخواست",
    "delivery": "تحویل",
    "counter": "پیشخوان",
    "gsb": "GSB",
    "url": "نشانی",
    "detail": "شرح مستند",
    "title": "عنوان و نوع",
    "plan": "برنامهٔ عملیاتی",
    "row": "ردیف",
    "values": "مقادیر",
    "description": "شرح",
    "verdict": "نظر ارزیاب",
    "dates": "تاریخ‌ها",
    "agreement": "نامهٔ تفاهم و خدمات آن",
    "marks": "بندهای فهرست وارسی",
    "entry_notes": "یادداشت بندهای فهرست وارسی",
    "met": "رعایت بخش",
    "survey": "ابزار نظرسنجی",
    "copies": "کپی مدارک هویتی",
    "*": "کل رکورد",
}
KINDS = {"value": "تعارض مقدار", "delete": "حذف در برابر تغییر", "final": "تغییر ارزیابی نهایی"}
MASTER = "پایگاه دادهٔ اصلی"
DELETED = "حذف‌شده"
