"""The checks of a submission that need the database: whose file it is, what tables 4 and 5 refer to.

Read-only; every problem is added to the same :class:`Findings` as the file's own.
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.imports.findings import Findings
from workbench.imports.layout import SERVICES
from workbench.imports.validate import Submission
from workbench.model.schema import Agency, Round, Service
from workbench.model.text import compact, persian_digits


def check_against_store(session: Session, sub: Submission, rnd: Round, agency: Agency, findings: Findings) -> None:
    """The checks that need the database: whose file it is, and what tables 4 and 5 refer to."""
    _check_agency(sub, agency, findings)
    in_file = sub.service_ids()
    titles = {r["service_id"]: r["title"] for r in sub.services if r["service_id"]}
    refs = {
        r["service_id"] for r in chain(sub.table4, sub.table5) if r["service_id"] and r["service_id"] not in in_file
    }
    stored: dict[str, tuple[set[str], str]] = {}
    for chunk in _chunks(sorted(refs), 500):
        for sid, owner, title in session.execute(
            select(Service.service_id, Service.agency_uuid, Service.title).where(
                Service.round_uuid == rnd.uuid, Service.service_id.in_(chunk)
            )
        ):
            owners, _ = stored.setdefault(sid, (set(), title))
            owners.add(owner)
            titles.setdefault(sid, title)
    services_title = sub.sheet_titles.get(SERVICES.name, SERVICES.name)
    for row in chain(sub.table4, sub.table5):
        sid = row["service_id"]
        if not sid:
            continue
        if not row["service_title"]:
            row.values["service_title"] = titles.get(sid, "")
        if sid in in_file:
            continue
        if sid not in stored:
            findings.error(
                row.sheet, row.cell("service_id"),
                f"خدمت {persian_digits(sid)} نه در برگهٔ «{services_title}» این فایل هست "
                f"نه در خدمات ثبت‌شدهٔ دورهٔ {persian_digits(rnd.year)}",
            )
        elif stored[sid][0] == {agency.uuid}:
            findings.warn(
                row.sheet, row.cell("service_id"),
                f"خدمت {persian_digits(sid)} در برگهٔ «{services_title}» نیست و با این ورود از فهرست خدمات "
                "دستگاه برداشته می‌شود، ولی این ردیف به آن اشاره دارد",
            )


def _check_agency(sub: Submission, agency: Agency, findings: Findings) -> None:
    info = sub.agency
    target = f"«{persian_digits(agency.code)} — {agency.name}»"
    if sub.template_agency and compact(sub.template_agency) != compact(agency.code):
        findings.error(
            sub.template_sheet, sub.template_agency_cell,
            f"این قالب برای دستگاه با کد «{persian_digits(sub.template_agency)}» ساخته شده است ولی ورود برای دستگاه {target} است",
        )
    if info is None or "code" not in info.cells:
        return
    code = info.values.get("code")
    place = info.cells["code"]
    if not code:
        if not sub.template_agency:
            findings.warn(
                info.sheet, place,
                f"«کد دستگاه» خالی است؛ نمی‌توان سنجید که فایل از آنِ دستگاه {target} است",
            )
    elif compact(str(code)) != compact(agency.code):
        findings.error(
            info.sheet, place,
            f"کد دستگاه در فایل «{persian_digits(code)}» است ولی ورود برای دستگاه {target} است؛ "
            "فایل دستگاه دیگری است یا دستگاه نادرستی برگزیده شده",
        )
    name = info.values.get("name")
    if name and compact(str(name)) != compact(agency.name):
        findings.warn(
            info.sheet, info.cells["name"],
            f"نام دستگاه در فایل «{name}» با نام ثبت‌شده «{agency.name}» یکی نیست؛ نام ثبت‌شده تغییر نمی‌کند",
        )
    level = info.values.get("level")
    if level and level != agency.level:
        findings.warn(
            info.sheet, info.cells["level"], "سطح دستگاه در فایل با سطح ثبت‌شده یکی نیست؛ سطح ثبت‌شده تغییر نمی‌کند"
        )


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]
