"""The submission workbook's layout: its sheets, columns and closed choices.

One description serves both sides: :mod:`template` writes exactly these
Persian texts, and the reader (:mod:`headers`, :mod:`validate`) matches them
after normalisation.  Changing a header here changes the template and what
is accepted together, so they cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from workbench.model import terms
from workbench.model.terms import (
    CHOICE,
    CHOICES,
    ID,
    NO,
    TEXT,
    URL,
    YES,
    YESNO,
)

#: Written to the hidden sheet; bump when a sheet or column changes meaning.
TEMPLATE_VERSION = "2"  # 2: the identity card's columns on «خدمات» (optional; a version 1 file imports)


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


LEVEL_LABELS = terms.LEVEL_LABELS
LEVEL_CHOICES = {label: level for level, label in LEVEL_LABELS.items()}

_ID_HELP = terms.SERVICE_ID_HELP


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


def _coded(key: str, header: str, labels: dict[str, str], help: str, width: float = 14) -> Column:
    return Column(key, header, CHOICE, False, help + " " + _one_of(tuple(labels.values())), width,
                  tuple(labels.values()))


def _one_of(options: tuple[str, ...]) -> str:
    return "یکی از: " + "، ".join(options) + "."


def _channels(stage: str) -> Column:
    title = terms.ACCESS_STAGE_TITLES[stage]
    return Column(
        f"{stage}_channels", f"نحوه دسترسی در مرحله {title}", CHOICES, False,
        f"از شناسنامهٔ خدمت، بند «نحوه دسترسی به خدمت»، در مرحلهٔ {title}: یک یا چند مورد، جدا با «،»: "
        + "، ".join(terms.CHANNEL_LABELS.values()) + ". خانهٔ خالی یعنی در شناسنامه نیامده است.",
        24, tuple(terms.CHANNEL_LABELS.values()),
    )


#: The identity card's fields (003) on the services sheet: optional, so a file without them still imports
#: (and a file without a column leaves what is stored for it as it is).
CARD_COLUMNS = (
    _coded("service_level", "سطح خدمت", terms.SERVICE_LEVEL_LABELS, "از شناسنامهٔ خدمت، «سطح خدمت»."),
    _coded("nature", "ماهیت خدمت", terms.SERVICE_NATURE_LABELS,
           "از شناسنامهٔ خدمت، «ماهیت خدمت»؛ خدمت حاکمیتی قابل واگذاری به دفاتر پیشخوان نیست (راهنما، شاخص ۳)."),
    *(_channels(stage) for stage in terms.ACCESS_STAGES),
    Column("other_agencies", "ارتباط با دستگاه‌های دیگر", TEXT, False,
           "از شناسنامهٔ خدمت، «ارتباط خدمت با سایر سامانه‌ها در دستگاه‌های دیگر»: نام دستگاه‌ها، جدا با «،».", 28),
    Column("documents", "مدارک لازم", TEXT, False, "از شناسنامهٔ خدمت، «مدارک لازم برای انجام خدمت».", 30),
    Column("visit_reasons", "علل مراجعه حضوری", TEXT, False,
           "از شناسنامهٔ خدمت، «ذکر ضرورت‌های مراجعه حضوری»: جهت احراز اصالت فرد، جهت احراز اصالت مدرک، "
           "نبود زیرساخت ارتباطی مناسب یا سایر (با شرح).", 28),
)
#: Stored codes of the coded card columns, by the label the template offers.
CARD_CODES = {
    "service_level": {label: code for code, label in terms.SERVICE_LEVEL_LABELS.items()},
    "nature": {label: code for code, label in terms.SERVICE_NATURE_LABELS.items()},
}


SERVICES = Sheet(
    name="خدمات",
    aliases=("فهرست خدمات",),
    ignored=("ردیف", "شماره ردیف"),  # a numbering column: the service ID identifies the row
    help="هر سطر یک خدمت یا زیرخدمت؛ زیرخدمت شناسهٔ خدمت مادر خود را دارد.",
    columns=(
        Column("service_id", "شناسه خدمت", ID, True, _ID_HELP, 14, aliases=("کد خدمت",)),
        Column("title", "عنوان خدمت", TEXT, True, "عنوان خدمت همان‌گونه که در شناسنامهٔ خدمت آمده است.", 45, aliases=("نام خدمت",)),
        Column("parent_service_id", "شناسه خدمت مادر", ID, False, "برای زیرخدمت: شناسهٔ ۹ رقمی خدمت مادر، که باید در همین برگه آمده باشد؛ برای خدمت اصلی خالی بماند.", 16, aliases=("کد خدمت مادر",)),
        Column("kind", "نوع خدمت", CHOICE, True, "به تعبیر راهنما و شناسنامهٔ خدمت: خدمت به شهروندان (G2C)، خدمت به کسب و کار (G2B) یا خدمت به دیگر دستگاه‌های دولتی (G2G)؛ کد، نام فارسی یا هر دو پذیرفته است.", 22, choices=terms.SERVICE_KIND_OFFERED),
        _plan("درخواست الکترونیکی در برنامه", "request"),
        _plan("ارائه الکترونیکی در برنامه", "delivery"),
        _plan("دفاتر پیشخوان در برنامه", "counter"),
        _plan("تبادل GSB در برنامه", "gsb"),
        Column("url", "نشانی صفحه خدمت", URL, False, "نشانی مستقیم صفحهٔ خدمت در تارنمای دستگاه (اختیاری).", 36),
        *CARD_COLUMNS,
    ),
)



def _spec(field: terms.Field, width: float, aliases: tuple[str, ...] = ()) -> Column:
    """A column of tables 4 and 5 as ``terms`` describes it, with the template's width."""
    return Column(field.key, field.header, field.kind, field.required, field.help, width, field.choices, aliases)


#: How wide the template draws each column of tables 4 and 5, and other headers people give them.
_WIDTHS = {"row_no": 7, "service_id": 14, "service_title": 36, "criterion": 26, "unit": 12, "value_before": 14,
           "value_target": 12, "value_after": 14, "description": 30, "step": 26, "action": 40, "start_date": 13,
           "end_date": 13, "status": 16}
_ALIASES = {"service_id": ("کد خدمت",), "service_title": ("نام خدمت",)}


def _table(spec: terms.TableSpec, number: str, help: str) -> Sheet:
    return Sheet(
        name=spec.sheet,
        aliases=(f"جدول شماره {number}",),
        help=help,
        columns=tuple(_spec(f, _WIDTHS[f.key], _ALIASES.get(f.key, ())) for f in spec.fields),
    )


TABLE4 = _table(terms.TABLE4, "۴", "جدول ۴: خدمات بهبودیافته و معیار ارزیابی بهبود هر کدام؛ برای هر معیار یک سطر.")
TABLE5 = _table(terms.TABLE5, "۵", "جدول ۵: اقدامات اصلی بهبود فرآیند هر خدمت، به تفکیک شش مرحله.")

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
KIND_NAMES = terms.SERVICE_KIND_NAMES
