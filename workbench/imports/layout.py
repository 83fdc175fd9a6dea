"""The submission workbook's layout: its sheets, columns and closed choices.

One description serves both sides: :mod:`template` writes exactly these
Persian texts, and the reader (:mod:`headers`, :mod:`validate`) matches them
after normalisation.  Changing a header here changes the template and what
is accepted together, so they cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.model.schema import ACTION_STATUSES, REFORM_CRITERIA, REFORM_STEPS, SERVICE_KINDS

#: Written to the hidden sheet; bump when a sheet or column changes meaning.
TEMPLATE_VERSION = "1"

#: Value types a column holds (see ``cells.py`` for how each is read).
ID, TEXT, CHOICE, YESNO, NUMBER, INTEGER, DATE, URL = (
    "id", "text", "choice", "yesno", "number", "integer", "date", "url",
)


@dataclass(frozen=True)
class Column:
    key: str  # the attribute it fills
    header: str  # exactly as the template writes it
    kind: str
    required: bool = False
    help: str = ""
    width: float = 16
    choices: tuple[str, ...] = ()
    #: Other headers people give this column (matched after normalisation too).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...] = field(default=())
    help: str = ""
    #: Other names people give this sheet (matched after normalisation too).
    aliases: tuple[str, ...] = ()
    #: Headers read past in silence: columns people add that carry nothing to keep.
    ignored: tuple[str, ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


YES, NO = "بله", "خیر"
LEVEL_CHOICES = {"ملی": "national", "استانی": "provincial"}
LEVEL_LABELS = {v: k for k, v in LEVEL_CHOICES.items()}

_ID_HELP = "شناسهٔ ۹ رقمی خدمت، مانند ۱۲۱۰۹۵۰۰۰ (ارقام فارسی یا لاتین)"


def _plan(header: str, stage: str) -> Column:
    return Column(
        key=f"in_{stage}_plan",
        header=header,
        kind=YESNO,
        help=f"اگر برنامهٔ عملیاتی دستگاه این خدمت را برای {header.replace(' در برنامه', '')} برگزیده است «بله» بنویسید؛ خانهٔ خالی یعنی «خیر».",
        width=14,
        choices=(YES, NO),
    )


AGENCY = Sheet(
    name="دستگاه",
    aliases=("مشخصات دستگاه", "اطلاعات دستگاه"),
    help="در هر سطر یک برچسب و مقدار آن؛ کد دستگاه باید همان کدی باشد که ارزیاب برای دستگاه به کار می‌برد.",
    columns=(
        Column("code", "کد دستگاه", TEXT, True, "کد دستگاه در سامانهٔ ارزیابی؛ با کد دستگاهی که فایل برای آن وارد می‌شود یکی باشد.", aliases=("کد",)),
        Column("name", "نام دستگاه", TEXT, False, "نام کامل دستگاه اجرایی یا اداره‌کل استانی."),
        Column("parent", "دستگاه مادر", TEXT, False, "برای اداره‌کل استانی: نام دستگاه ملی آن."),
        Column("level", "سطح", CHOICE, False, "ملی یا استانی.", choices=tuple(LEVEL_CHOICES)),
        Column("province", "استان", TEXT, False, "برای دستگاه استانی: نام استان."),
        Column("website", "نشانی تارنما", URL, False, "نشانی وب‌گاه دستگاه، مانند https://www.example.ir", aliases=("نشانی وبگاه", "تارنما", "وب سایت")),
    ),
)

SERVICES = Sheet(
    name="خدمات",
    aliases=("فهرست خدمات",),
    ignored=("ردیف", "شماره ردیف"),  # a numbering column: the service ID identifies the row
    help="هر سطر یک خدمت یا زیرخدمت؛ زیرخدمت شناسهٔ خدمت مادر خود را دارد.",
    columns=(
        Column("service_id", "شناسه خدمت", ID, True, _ID_HELP, 14, aliases=("کد خدمت",)),
        Column("title", "عنوان خدمت", TEXT, True, "عنوان خدمت همان‌گونه که در شناسنامهٔ خدمت آمده است.", 45, aliases=("نام خدمت",)),
        Column("parent_service_id", "شناسه خدمت مادر", ID, False, "برای زیرخدمت: شناسهٔ ۹ رقمی خدمت مادر، که باید در همین برگه آمده باشد؛ برای خدمت اصلی خالی بماند.", 16, aliases=("کد خدمت مادر",)),
        Column("kind", "نوع خدمت", CHOICE, True, "دولت به شهروند (G2C)، دولت به کسب‌وکار (G2B) یا دولت به دولت (G2G)؛ کد یا نام فارسی هر دو پذیرفته است.", 11, choices=SERVICE_KINDS),
        _plan("درخواست الکترونیکی در برنامه", "request"),
        _plan("ارائه الکترونیکی در برنامه", "delivery"),
        _plan("دفاتر پیشخوان در برنامه", "counter"),
        _plan("تبادل GSB در برنامه", "gsb"),
        Column("url", "نشانی صفحه خدمت", URL, False, "نشانی مستقیم صفحهٔ خدمت در تارنمای دستگاه (اختیاری).", 36),
    ),
)

_ROW = Column("row_no", "ردیف", INTEGER, False, "شمارهٔ ردیف (اختیاری).", 7)
_SID = Column("service_id", "شناسه خدمت", ID, True, _ID_HELP + "؛ باید در برگهٔ خدمات یا در فهرست خدمات ثبت‌شده باشد.", 14, aliases=("کد خدمت",))
_STITLE = Column("service_title", "عنوان خدمت", TEXT, False, "عنوان خدمت (اگر خالی بماند از برگهٔ خدمات برداشته می‌شود).", 36, aliases=("نام خدمت",))
_NOTE = Column("description", "توضیحات", TEXT, False, "توضیح دلخواه.", 30)

TABLE4 = Sheet(
    name="جدول ۴",
    aliases=("جدول شماره ۴",),
    help="جدول ۴: خدمات بهبودیافته و معیار ارزیابی بهبود هر کدام؛ برای هر معیار یک سطر.",
    columns=(
        _ROW,
        _SID,
        _STITLE,
        Column("criterion", "معیار ارزیابی بهبود", CHOICE, True, "یکی از: " + "، ".join(REFORM_CRITERIA) + ".", 26, choices=REFORM_CRITERIA),
        Column("unit", "واحد سنجش", TEXT, False, "مانند: روز، ریال، درصد، نفر.", 12),
        Column("value_before", "مقدار پیش از بهبود", NUMBER, False, "عدد (ارقام فارسی یا لاتین).", 14),
        Column("value_target", "مقدار هدف", NUMBER, False, "عدد (ارقام فارسی یا لاتین).", 12),
        Column("value_after", "مقدار پس از بهبود", NUMBER, False, "عدد (ارقام فارسی یا لاتین).", 14),
        _NOTE,
    ),
)

TABLE5 = Sheet(
    name="جدول ۵",
    aliases=("جدول شماره ۵",),
    help="جدول ۵: اقدامات اصلی بهبود فرایند هر خدمت، به تفکیک شش مرحله.",
    columns=(
        _ROW,
        _SID,
        _STITLE,
        Column("step", "مرحله", CHOICE, True, "یکی از: " + "، ".join(REFORM_STEPS) + ".", 26, choices=REFORM_STEPS),
        Column("action", "اقدام اصلی", TEXT, True, "شرح اقدام اصلی انجام‌شده یا برنامه‌ریزی‌شده.", 40),
        Column("start_date", "تاریخ شروع", DATE, False, "تاریخ شمسی به شکل ۱۴۰۳/۰۱/۱۵.", 13),
        Column("end_date", "تاریخ پایان", DATE, False, "تاریخ شمسی به شکل ۱۴۰۳/۰۱/۱۵؛ پیش از تاریخ شروع نباشد.", 13),
        Column("status", "وضعیت", CHOICE, True, "یکی از: " + "، ".join(ACTION_STATUSES) + ".", 16, choices=ACTION_STATUSES),
        _NOTE,
    ),
)

DATA_SHEETS = (SERVICES, TABLE4, TABLE5)
ALL_SHEETS = (AGENCY, SERVICES, TABLE4, TABLE5)

#: Sheets the template adds for people and for itself; the reader expects them.
HELP_SHEET = "راهنما"
META_SHEET = "مشخصات قالب"
LISTS_SHEET = "فهرست‌ها"
META_VERSION = "نسخه قالب"
META_AGENCY = "کد دستگاه"

#: How far down the header row may sit, under title rows.
HEADER_SEARCH_ROWS = 10

#: Persian names agencies give service kinds (matched after normalisation).
KIND_NAMES = {
    "G2C": ("دولت به شهروند", "دولت با شهروند"),
    "G2B": ("دولت به کسب و کار", "دولت به بنگاه", "دولت به تجارت"),
    "G2G": ("دولت به دولت", "دولت به دستگاه", "دولت با دولت"),
}
