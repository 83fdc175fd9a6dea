"""Every closed choice of the workbench and the Persian words it is shown with.  No Qt.

The stored value of a choice (``"draft"``, ``"national"``, ``"G2C"``) never
changes; what a person reads is defined here once, and the window, the
reports, the command line and the import template all take it from here, so
a change of wording is one edit.  Where the indicator guide (``002_*``) names
a thing, its word is used (``فرآیند``, the criteria of table 4, the steps of
table 5).

The second half is the one description of tables 4 and 5 of indicator 5
(:data:`TABLE4`, :data:`TABLE5`): each column's key (the attribute of
``ReformRow`` / ``ReformAction`` it fills), header, kind of value and help.
The template writes these headers, the import reads them, the Excel report
prints them and the window shows them.
"""
from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------- assessments

#: An assessment's status (وضعیت ارزیابی), as stored, and its label.
STATUS_LABELS = {"draft": "پیش‌نویس", "complete": "تکمیل‌شده", "final": "نهایی"}
STATUSES = tuple(STATUS_LABELS)
#: An agency with no assessment in the round yet (the agencies list, its filter).
NOT_STARTED = "شروع‌نشده"


def status_label(status: str | None) -> str:
    """The label of a stored status; an empty one (no assessment yet) is «شروع‌نشده»."""
    if not status:
        return NOT_STARTED
    return STATUS_LABELS.get(status, status)


# --------------------------------------------------------------------------- agencies

#: An agency's level (سطح): a national agency or a provincial directorate.
LEVEL_LABELS = {"national": "ملی", "provincial": "استانی"}
LEVELS = tuple(LEVEL_LABELS)
#: One agency of a level, as a sentence names it («فقط برای واحد استانی»).
LEVEL_UNITS = {"national": "دستگاه ملی", "provincial": "واحد استانی"}
#: The agencies of one level, as a group is titled in the ranking.
LEVEL_GROUP_TITLES = {"national": "دستگاه‌های ملی", "provincial": "دستگاه‌های استانی"}
ALL_AGENCIES = "همهٔ دستگاه‌ها"

#: How a ranking groups agencies (``None``: one ranking of all), with the group's title...
GROUPINGS = (None, "national", "provincial", "province", "parent")
GROUPING_TITLES = {
    None: "بدون گروه‌بندی",
    **LEVEL_GROUP_TITLES,
    "province": "به تفکیک استان",
    "parent": "به تفکیک دستگاه مادر",
}
#: ... and as the ranking dialog offers it.
GROUPING_CHOICES = {
    None: "همهٔ دستگاه‌ها در یک رتبه‌بندی",
    "national": "فقط " + LEVEL_GROUP_TITLES["national"],
    "provincial": "فقط " + LEVEL_GROUP_TITLES["provincial"],
    "province": GROUPING_TITLES["province"],
    "parent": GROUPING_TITLES["parent"],
}

# --------------------------------------------------------------------------- services

#: A service's kind (نوع خدمت), as stored, and its Persian name.
#: The guide's and the identity card's own words (002, appendix A's service form; 003).
SERVICE_KIND_LABELS = {
    "G2C": "خدمت به شهروندان",
    "G2B": "خدمت به کسب و کار",
    "G2G": "خدمت به دیگر دستگاه‌های دولتی",
}
SERVICE_KINDS = tuple(SERVICE_KIND_LABELS)
#: Other names agencies give the kinds (an import matches them after normalisation: spaces and
#: ZWNJ do not count, so «کسب و کار» = «کسب‌وکار» and «دستگاه های» = «دستگاه‌های»).
SERVICE_KIND_NAMES = {
    "G2C": (SERVICE_KIND_LABELS["G2C"], "خدمت به شهروند", "شهروندان", "شهروند", "دولت به شهروند",
            "دولت با شهروند"),
    "G2B": (SERVICE_KIND_LABELS["G2B"], "خدمت به کسب و کارها", "کسب و کار", "دولت به کسب و کار",
            "دولت به بنگاه", "دولت به تجارت"),
    "G2G": (SERVICE_KIND_LABELS["G2G"], "خدمت به دستگاه‌های دولتی", "خدمت به سایر دستگاه‌های دولتی",
            "خدمت به دیگر دستگاه دولتی", "خدمت به دستگاه دولتی", "دیگر دستگاه‌های دولتی", "دستگاه‌های دولتی",
            "دولت به دولت", "دولت به دستگاه", "دولت با دولت"),
}
#: What the template's drop-down offers: the guide's words with the code (both are read back).
SERVICE_KIND_OFFERED = tuple(f"{label} ({code})" for code, label in SERVICE_KIND_LABELS.items())

# --------------------------------------------------------------------------- the identity card

#: The service identity card's (شناسنامه خدمت, 003) fields that scoring and the evaluator need.
#: «سطح خدمت»: ملی، منطقه‌ای، استانی، شهری، روستایی (003, «توضیح عناوین»).
SERVICE_LEVEL_LABELS = {
    "national": "ملی", "regional": "منطقه‌ای", "provincial": "استانی", "urban": "شهری", "rural": "روستایی",
}
#: «ماهیت خدمت»: حاکمیتی or تصدی‌گری (003).  Indicator 3 (002): «خدمات قابل واگذاری … ماهیت حاکمیتی
#: نداشته …»: a sovereign service is not eligible for the counter offices.
SERVICE_NATURE_LABELS = {"sovereign": "حاکمیتی", "enterprise": "تصدی‌گری"}
#: 002, indicator 3, «خدمات قابل واگذاری»: «خدمات یا فرآیندهایی از خدمات هستند که ماهیت حاکمیتی نداشته و
#: قابلیت الکترونیکی شدن و واگذاری به بخش عمومی غیردولتی و خصوصی دارند».
COUNTER_ELIGIBILITY = "خدمات قابل واگذاری به دفاتر پیشخوان «ماهیت حاکمیتی» ندارند (راهنما، شاخص ۳)"
#: The card's section 6 «نحوه دسترسی به خدمت», per stage of the service.
ACCESS_STAGE_TITLES = {"info": "اطلاع‌رسانی", "request": "درخواست", "delivery": "ارائه"}
ACCESS_STAGES = tuple(ACCESS_STAGE_TITLES)
#: The channels the card lists for a stage (003, section 6; 002, indicator 1's definition).  Every
#: one but «غیرالکترونیکی» is electronic.
CHANNEL_LABELS = {
    "internet": "اینترنتی",
    "mobile": "تلفن همراه",
    "email": "پست الکترونیک",
    "post": "ارسال پستی",
    "phone": "تلفن گویا یا مرکز تماس",
    "sms": "پیام کوتاه",
    "counter": "دفاتر پیشخوان",
    "electronic": "الکترونیکی",
    "other": "سایر",
    "in_person": "غیرالکترونیکی",
}
IN_PERSON = "in_person"
#: Other names agencies give the channels (matched after normalisation, as the kinds are).
CHANNEL_NAMES = {
    "internet": ("اینترنتی (مانند وبگاه دستگاه)", "اینترنت", "وبگاه", "وب‌سایت", "درگاه", "درگاه دستگاه", "وب"),
    "mobile": ("تلفن همراه (برنامه کاربردی)", "برنامه کاربردی", "برنامه کاربردی تلفن همراه", "موبایل",
               "اپلیکیشن"),
    "email": ("ایمیل", "پست الکترونیکی"),
    "post": ("پست",),
    "phone": ("تلفن گویا", "مرکز تماس", "تلفن"),
    "sms": ("پیامک", "سامانه پیامکی"),
    "counter": ("دفتر پیشخوان", "پیشخوان", "دفاتر پیشخوان خدمات", "دفاتر پیشخوان دولت"),
    "electronic": ("الکترونیک",),
    "other": ("سایر (با ذکر نحوه دسترسی)", "دیگر"),
    "in_person": ("غیر الکترونیکی", "حضوری", "مراجعه حضوری", "مراجعه به دستگاه"),
}
#: The channels through which the guide calls a stage electronic (002, indicators 1 and 2: «به صورت غیرحضوری از
#: پست الکترونیک؛ تلفن گویا یا مرکز تماس؛ تلفن همراه (برنامه کاربردی)؛ ارسال پستی؛ پیام کوتاه؛ و یا به صورت
#: اینترنتی»), with the card's own box «الکترونیکی».  The counter offices are among the guide's ways to request
#: or receive a service («اینترنت (درگاه دستگاه)، دفتر پیشخوان، پست الکترونیک، …»), not among the remote ones.
REMOTE_CHANNELS = ("internet", "mobile", "email", "post", "phone", "sms", "electronic")
#: Channels that take the person somewhere: «غیرالکترونیکی» (a visit) and the counter offices.
VISIT_CHANNELS = (IN_PERSON, "counter")
#: The stages the evaluator judges that the card also describes, with the card's field for each: the
#: channels of the request and delivery stages (indicators 1, 2), the required documents (indicator 11).
CARD_JUDGED_STAGES = {"request": "request_channels", "delivery": "delivery_channels", "copies": "documents"}
#: The stages whose card field is channels (the others' is text).
CHANNEL_STAGES = ("request", "delivery")
#: What the card's part is called beside each such stage.
CARD_JUDGED_TITLES = {"request": "درخواست", "delivery": "ارائه", "copies": "مدارک لازم (شاخص ۱۱)"}
#: A judgement the card contradicts (shown beside it; points never change).
CARD_DISAGREES = "ناهمخوان با شناسنامه"
CARD_DISAGREES_SHORT = "ناهمخوان"
#: Text fields of the card kept as written: links to other agencies (the systems of other agencies the
#: service exchanges with, 8.1.2), required documents and reasons for in-person visits (evidence for 11).
CARD_TEXT_FIELDS = ("other_agencies", "documents", "visit_reasons")


def channel_list(codes: str) -> str:
    """Stored channel codes («internet sms») as a person reads them («اینترنتی، پیام کوتاه»)."""
    return "، ".join(CHANNEL_LABELS.get(c, c) for c in codes.split())


def electronic(codes: str) -> bool:
    """A stage is electronic when any channel but «غیرالکترونیکی» serves it."""
    return any(c != IN_PERSON for c in codes.split())


#: The stages of a service the operational plan names (indicators 1–3 and GSB of 8.1)...
STAGE_TITLES = {
    "request": "درخواست خدمت",
    "delivery": "ارائهٔ خدمت",
    "counter": "دفاتر پیشخوان",
    "gsb": "گذرگاه خدمات دولت (GSB)",
}
STAGES = tuple(STAGE_TITLES)
#: ... and their short names, for a column head or inside a sentence («مرحلهٔ درخواست»).
STAGE_SHORT = {"request": "درخواست", "delivery": "ارائه", "counter": "دفاتر پیشخوان", "gsb": "GSB"}
#: A printed table's narrow column head.
STAGE_HEADS = {**STAGE_SHORT, "counter": "پیشخوان"}


@dataclass(frozen=True)
class Capability:
    """One thing the evaluator checks for a service: its field, short header, what it means, its stage."""

    key: str
    header: str
    help: str
    stage: str


#: What the evaluator checks per service.  At the request stage a service counts only with
#: all four capabilities of indicator 1 (:data:`REQUEST_CAPABILITIES`).
CAPABILITIES = (
    Capability("request_portal", "درگاه واحد", "دسترسی به خدمت از درگاه واحد (پنجره واحد) دستگاه", "request"),
    Capability("request_online", "درخواست برخط", "ثبت درخواست و بارگذاری مدارک به‌صورت الکترونیکی", "request"),
    Capability("request_receipt", "رسید", "رسید الکترونیکی درخواست همراه با زمان پاسخ‌گویی", "request"),
    Capability("request_tracking", "کد رهگیری", "کد رهگیری یکتا هنگام پذیرش درخواست", "request"),
    Capability("delivery", "ارائهٔ الکترونیکی", "خدمت به‌صورت الکترونیکی تحویل می‌شود", "delivery"),
    Capability("counter", "در پیشخوان", "خدمت در دفاتر پیشخوان ارائه می‌شود", "counter"),
    Capability("gsb", "در GSB", "خدمت از طریق گذرگاه خدمات دولت (GSB) تبادل می‌شود", "gsb"),
)
REQUEST_CAPABILITIES = tuple(c.key for c in CAPABILITIES if c.stage == "request")

#: Per-service checks that are not stages of the operational plan: every service of the agency's list
#: is checked (the guide: «برای هر یک از خدمات دستگاه» (4.7), «روی هر خدمت» (9.2.3), and indicator 11's
#: «خدماتی که کپی مدارک هویتی … دریافت نمی‌کنند، فهرست شوند»).
CHECK_STAGE_TITLES = {
    "sla": "توافق‌نامهٔ سطح خدمت (۴.۷)",
    "survey": "ابزار نظرسنجی روی هر خدمت (۹.۲.۳)",
    "copies": "حذف کپی مدارک هویتی (شاخص ۱۱)",
}
CHECK_STAGES = tuple(CHECK_STAGE_TITLES)
#: Per-service checks judged section by section: the sections are the framework file's data (4.7.1's
#: ``per_service.sections``, appendix C of the guide), one row per service and section in
#: ``service_sections``; among a judgement's fields (the window, an edit) a section is ``sla_`` + its key.
SECTIONED_STAGES = ("sla",)


def section_field(stage: str, key: str) -> str:
    """A section's name among a judgement's fields: ``sla_intro`` for appendix C's «مقدمه»."""
    return f"{stage}_{key}"


CAPABILITIES = (
    *CAPABILITIES,
    Capability("survey", "نظرسنجی", "۹.۲.۳: «روی هر خدمت ابزار نظرسنجی و ارائه پیشنهادات وجود دارد؟»", "survey"),
    Capability("no_id_copy", "بدون کپی مدارک", "شاخص ۱۱: خدمت کپی مدارک هویتی (کارت ملی و شناسنامه) از "
               "خدمت‌گیرنده دریافت نمی‌کند", "copies"),
)
#: The fields that decide a service at each stage (a stage of several counts only with all of them).
STAGE_FIELDS = {
    "request": REQUEST_CAPABILITIES,
    **{stage: tuple(c.key for c in CAPABILITIES if c.stage == stage) for stage in ("delivery", "counter", "gsb")},
    **{stage: tuple(c.key for c in CAPABILITIES if c.stage == stage) for stage in CHECK_STAGES
       if stage not in SECTIONED_STAGES},
}
#: Every judgement column of the per-service checks (a sectioned check's sections are rows of their own).
CHECK_FIELDS = tuple(f for stage in CHECK_STAGES for f in STAGE_FIELDS.get(stage, ()))

#: A service at one stage: achieved, not achieved, not yet judged; or not in the plan.
STAGE_RESULTS = {True: "تحقق‌یافته", False: "تحقق‌نیافته", None: "بررسی‌نشده"}
OUT_OF_PLAN = "خارج از برنامه"
#: A planned service the stage's ratio does not count (``eligibility``: a sovereign service at the counter).
NOT_COUNTED = "شمرده نمی‌شود"

# --------------------------------------------------------------------------- evidence

#: Kinds of evidence (مستند) stored for a measure, with their labels.
EVIDENCE_LABELS = {"url": "نشانی اینترنتی", "text": "متن", "number": "عدد", "file": "فایل"}
EVIDENCE_KINDS = tuple(EVIDENCE_LABELS)
#: What a measure may ask for: the stored kinds, and the per-service judgements table.
MEASURE_EVIDENCE_LABELS = {**EVIDENCE_LABELS, "services": "جدول خدمات"}

NOT_APPLICABLE = "عدم مصداق"

# --------------------------------------------------------------------------- tables 4 and 5

#: Table 4's improvement criteria (معیار ارزیابی بهبود), in the guide's words and order.
REFORM_CRITERIA = (
    "زمان",
    "هزینه",
    "رضایت شهروند و ارباب رجوع",
    "دستیابی به اهداف تخصصی",
    "کاهش نیروی انسانی",
    "کاهش تخلفات",
    "اجرای دقیق قوانین",
)
#: Table 5's steps (مرحله), the guide's six, in order.
REFORM_STEPS = (
    "هدف‌گذاری",
    "مدل‌سازی وضع موجود",
    "تحلیل و آسیب‌شناسی",
    "شناسایی اقدامات و برنامه بهبود",
    "اجرای اقدامات بهبود",
    "سنجش میزان دستیابی به اهداف",
)
#: Table 5's action statuses (وضعیت اقدام).
ACTION_STATUSES = ("برنامه‌ریزی شده", "در حال اجرا", "انجام شده")

#: The evaluator's verdict on a row of table 4 or 5, in the window (a choice) ...
VERDICT_CHOICES = ((True, "پذیرفته"), (False, "ردشده"), (None, "بررسی‌نشده"))
#: ... and in the printed table (a statement).  Two wordings the tests hold today; see docs.
VERDICT_PRINTED = {True: "پذیرفته", False: "پذیرفته نشده", None: "کنترل نشده"}

YES, NO = "بله", "خیر"

#: Kinds of value a column holds (the import reads each as ``imports/cells.py`` says).
ID, TEXT, CHOICE, YESNO, NUMBER, INTEGER, DATE, URL, CHOICES = (
    "id", "text", "choice", "yesno", "number", "integer", "date", "url", "choices",
)

SERVICE_ID_HELP = "شناسهٔ ۹ رقمی خدمت، مانند ۱۲۱۰۹۵۰۰۰ (ارقام فارسی یا لاتین)"


@dataclass(frozen=True)
class Field:
    """One column of table 4 or 5: the attribute it fills, its header, its kind and help."""

    key: str
    header: str
    kind: str
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """Table 4 or 5: its sheet name, title, the agency's columns and the evaluator's two."""

    sheet: str
    title: str
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field:
        return next(f for f in (*self.fields, *VERDICT_FIELDS) if f.key == key)

    def header(self, key: str) -> str:
        return self.field(key).header

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def headers(self) -> list[str]:
        return [f.header for f in self.fields]


def _one_of(choices: tuple[str, ...]) -> str:
    return "یکی از: " + "، ".join(choices) + "."


_ROW_NO = Field("row_no", "ردیف", INTEGER, "شمارهٔ ردیف (اختیاری).")
_SERVICE_ID = Field("service_id", "شناسه خدمت", ID,
                    SERVICE_ID_HELP + "؛ باید در برگهٔ خدمات یا در فهرست خدمات ثبت‌شده باشد.", True)
_SERVICE_TITLE = Field("service_title", "عنوان خدمت", TEXT,
                       "عنوان خدمت (اگر خالی بماند از برگهٔ خدمات برداشته می‌شود).")
_DESCRIPTION = Field("description", "توضیحات", TEXT, "توضیح دلخواه.")
_NUMBER_HELP = "عدد (ارقام فارسی یا لاتین)."
_DATE_HELP = "تاریخ شمسی به شکل ۱۴۰۳/۰۱/۱۵"

TABLE4 = TableSpec(
    "جدول ۴",
    "جدول ۴ — خدمات بهبودیافته و معیار ارزیابی بهبود",
    (
        _ROW_NO,
        _SERVICE_ID,
        _SERVICE_TITLE,
        Field("criterion", "معیار ارزیابی بهبود", CHOICE, _one_of(REFORM_CRITERIA), True, REFORM_CRITERIA),
        Field("unit", "واحد سنجش", TEXT, "مانند: روز، ریال، درصد، نفر."),
        Field("value_before", "مقدار پیش از بهبود", NUMBER, _NUMBER_HELP),
        Field("value_target", "مقدار هدف", NUMBER, _NUMBER_HELP),
        Field("value_after", "مقدار پس از بهبود", NUMBER, _NUMBER_HELP),
        _DESCRIPTION,
    ),
)
TABLE5 = TableSpec(
    "جدول ۵",
    "جدول ۵ — اقدامات اصلی بهبود فرآیند خدمات",
    (
        _ROW_NO,
        _SERVICE_ID,
        _SERVICE_TITLE,
        Field("step", "مرحله", CHOICE, _one_of(REFORM_STEPS), True, REFORM_STEPS),
        Field("action", "اقدام اصلی", TEXT, "شرح اقدام اصلی انجام‌شده یا برنامه‌ریزی‌شده.", True),
        Field("start_date", "تاریخ شروع", DATE, _DATE_HELP + "."),
        Field("end_date", "تاریخ پایان", DATE, _DATE_HELP + "؛ پیش از تاریخ شروع نباشد."),
        Field("status", "وضعیت", CHOICE, _one_of(ACTION_STATUSES), True, ACTION_STATUSES),
        _DESCRIPTION,
    ),
)
#: What the evaluation adds to each row of either table.
VERDICT_FIELDS = (
    Field("accepted", "پذیرش", CHOICE,
          "، ".join(label for _v, label in VERDICT_CHOICES) + "؛ فقط ردیف‌های پذیرفتهٔ جدول ۴ شمرده می‌شوند."),
    Field("evaluator_note", "یادداشت ارزیاب", TEXT, "یادداشت ارزیاب دربارهٔ این ردیف."),
)


# --------------------------------------------------------------------------- the audit trail
#: What an audit entry did (model.audit's actions and record_event's events).
AUDIT_ACTIONS = {"insert": "افزودن", "update": "تغییر", "delete": "حذف", "reopen": "بازگشایی"}
#: The record an entry is about, by table.
AUDIT_RECORDS = {
    "assessments": "ارزیابی", "answers": "پاسخ", "service_judgements": "داوری خدمت", "evidence": "مستند",
    "na_agreements": "تفاهم با سازمان", "services": "خدمت", "reform_rows": TABLE4.sheet, "reform_actions": TABLE5.sheet,
    "service_sections": "بخش توافق‌نامهٔ سطح خدمت",
}
#: A changed column in words: the tables' own headers where they have one.
AUDIT_FIELDS = {
    **{f.key: f.header for f in (*TABLE5.fields, *TABLE4.fields, *VERDICT_FIELDS)},
    **{c.key: c.header for c in CAPABILITIES},
    "evaluator": "ارزیاب", "visit_date": "تاریخ بازدید", "status": "وضعیت", "key": "کلید", "met": "رعایت بخش",
    "section": "بخش", "entry_notes": "یادداشت بندهای فهرست وارسی",
    "value": "پاسخ", "achieved": "تحقق‌یافته (عدد)", "planned": "برنامه (عدد)", "not_applicable": NOT_APPLICABLE,
    "na_reason": "دلیل عدم مصداق", "note": "یادداشت", "url": "نشانی", "measure_key": "نماگر", "kind": "نوع",
    "text": "متن", "number": "عدد", "filename": "نام فایل", "mime": "قالب فایل", "title": "عنوان",
    "parent_service_id": "شناسه خدمت مادر", "in_request_plan": f"در برنامهٔ {STAGE_SHORT['request']}",
    "in_delivery_plan": f"در برنامهٔ {STAGE_SHORT['delivery']}", "in_counter_plan": f"در برنامهٔ {STAGE_SHORT['counter']}",
    "in_gsb_plan": f"در برنامهٔ {STAGE_SHORT['gsb']}", "indicator_key": "شاخص", "service_ids": "شناسه‌های خدمت",
    "reason": "دلیل",
}
