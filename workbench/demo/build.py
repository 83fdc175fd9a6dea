"""A realistic demo database: one round, its agencies, services and assessments.

``build_demo(path, agencies=12, seed=1403)`` makes a new database file through
:func:`~workbench.model.store.open_store` with round 1403 (the default
framework, kept in the round by :func:`~workbench.model.assessments.create_round`),
national agencies with their provincial directorates (and, for large numbers,
county offices), each with 10–60 services, tables 4 and 5 for most of them,
and one assessment each in every state: a few drafts (one with nothing
entered yet), some complete, most final.  Complete and final assessments have
no gaps (``completeness.missing`` is empty), so they are what an evaluator
could really have finished.

Everything comes from ``random.Random(seed)``: the same seed gives the same
agencies, answers, scores and record UUIDs (only the round's own UUID and the
file's device id are fresh).  Benchmarks build 2,500 agencies, so rows go in
with bulk ``INSERT`` statements, a batch of agencies at a time.
"""
from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import jdatetime
from sqlalchemy import insert

from workbench.demo.data import (
    COUNTY_GROUP,
    CRITERION_UNITS,
    FIRST_NAMES,
    LAST_NAMES,
    MEASURE_NOTES,
    NA_REASONS,
    NATIONAL_AGENCIES,
    PROVINCES,
    PROVINCIAL_GROUP,
    SERVICE_NOTES,
    SERVICE_VERBS,
    STEP_ACTIONS,
    SUB_SERVICE_QUALIFIERS,
    TEXT_EVIDENCE,
    NationalAgency,
)
from workbench.demo.files import pdf_document, png_screenshot
from workbench.model.assessments import create_round
from workbench.model.audit import record_event
from workbench.model.editing import store_blob
from workbench.model.errors import UserError
from workbench.model.framework import Framework, Measure, load_default_framework
from workbench.model.schema import (
    Agency,
    Answer,
    Assessment,
    Evidence,
    NaAgreement,
    ReformAction,
    ReformRow,
    Service,
    ServiceJudgement,
)
from workbench.model.store import open_store, set_meta
from workbench.model.terms import ACTION_STATUSES, REFORM_CRITERIA, REFORM_STEPS, REQUEST_CAPABILITIES, SERVICE_KINDS
from workbench.model.text import persian_digits

YEAR = 1403
ACTOR = "سرپرست دوره (داده نمونه)"
#: Agencies generated and written per batch: bounds memory at 2,500 agencies.
BATCH = 200
#: When the base data (agencies, services, tables) was "submitted": 1403/06/15.
SUBMITTED = dt.datetime(2024, 9, 5, 9, 0)

_COUNTIES = sum(len(c) for _, _, c in PROVINCES)
#: The most units the name lists can make: every national agency with a
#: directorate in every province and an office in every listed county.
MAX_AGENCIES = len(NATIONAL_AGENCIES) * (1 + len(PROVINCES) + _COUNTIES)

_URL_PATHS = {
    "1.1": "/services",
    "2.1": "/services",
    "4.1": "/",
    "4.2": "/about/managers",
    "4.3": "/services/catalog",
    "4.4": "/en",
    "4.5": "/faq",
    "4.6": "/privacy",
    "4.7": "/sla",
    "6.1": "/app",
    "6.2": "/sms",
    "8.2": "/mail",
    "9.1": "/participation/strategy",
    "9.2": "/participation/forum",
}
_FILE_NAMES = {
    "3.1": ("تفاهم‌نامه دفاتر پیشخوان.pdf", "pdf"),
    "4.4": ("دستورالعمل به‌روزرسانی تارنما.pdf", "pdf"),
    "4.6": ("بیانیه حریم خصوصی.png", "png"),
    "4.7": ("توافق‌نامه سطح خدمت.pdf", "pdf"),
    "5.1": ("مستندات جداول ۴ و ۵.pdf", "pdf"),
    "6.3": ("تصویر پرداخت همراه.png", "png"),
    "7.1": ("گزارش میز خدمت.pdf", "pdf"),
    "8.3": ("گواهینامه امنیتی.pdf", "pdf"),
    "9.2": ("گزارش نظرات مردمی.png", "png"),
}
_NUMBER_CAPTIONS = {
    "6.2": "شماره سامانه پیامکی خدمات",
    "7.1": "تعداد خدمات مستقر در میز خدمت",
    "9.2": "تعداد نظرات مردمی دریافت‌شده در سال گذشته",
}


@dataclass
class _Unit:
    """One agency to generate: a national agency, a directorate or a county office."""

    code: str
    name: str
    level: str
    province: str
    group: str
    national: NationalAgency
    national_index: int
    site: str
    parent_code: str = ""
    county: bool = False
    uuid: str = ""


@dataclass
class _CatalogueEntry:
    service_id: str
    title: str
    parent_id: str
    kind: str


@dataclass
class _Rows:
    """Rows of one batch, per model, in the order foreign keys need them."""

    by_model: dict = field(default_factory=dict)

    def add(self, model, row: dict) -> None:
        self.by_model.setdefault(model, []).append(row)

    def write(self, session) -> None:
        # Bulk INSERT statements skip the session's before_flush hook, so these
        # generated rows get no audit entries (the round carries one "demo"
        # event instead).  That is right for invented data and keeps 2,500
        # agencies to seconds; real edits always go through the ORM.
        for model in (Service, Assessment, Answer, ServiceJudgement, NaAgreement, Evidence, ReformRow, ReformAction):
            rows = self.by_model.get(model)
            if rows:
                session.execute(insert(model), rows)
        self.by_model.clear()


def build_demo(path: str | Path, agencies: int = 12, seed: int = YEAR) -> Path:
    """Build the demo database at ``path`` (which must not exist or be empty)."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"«{path}» یک پوشه است؛ نام یک فایل تازه برای پایگاه داده نمونه بدهید")
    if path.exists() and path.stat().st_size > 0:
        raise UserError(f"فایل «{path}» از پیش وجود دارد و خالی نیست؛ پایگاه داده نمونه روی آن نوشته نمی‌شود")
    if not 1 <= agencies <= MAX_AGENCIES:
        raise UserError(
            f"تعداد دستگاه‌های نمونه باید بین ۱ و {persian_digits(MAX_AGENCIES)} باشد، نه {persian_digits(agencies)}"
        )
    framework = load_default_framework()
    store = open_store(path, actor=ACTOR)
    try:
        with store.session() as session:
            _Generator(session, framework, agencies, seed).run()
    except BaseException:
        store.close()
        _remove_database(path)  # a half-built demo is worth nothing; leave no trace
        raise
    store.close()
    return path


def _remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            candidate.unlink()
        except OSError:
            pass


class _Generator:
    def __init__(self, session, framework: Framework, agencies: int, seed: int):
        self.session = session
        self.framework = framework
        self.count = agencies
        self.seed = seed
        self.rng = random.Random(seed)
        self.catalogues: dict[int, list[_CatalogueEntry]] = {}
        self.blobs: dict[tuple[int, str], str] = {}
        # How hard each item is to earn, shared by all agencies: some items are commonly missed.
        self.difficulty = {it.key: self.rng.uniform(-0.3, 0.15) for it in framework.items()}
        names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        self.evaluators = self.rng.sample(names, min(100, max(4, agencies // 25)))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # ------------------------------------------------------------------ run

    def run(self) -> None:
        self.round = create_round(self.session, YEAR, self.framework)
        units = self._units()
        self._write_agencies(units)
        statuses = self._statuses(len(units))
        for start in range(0, len(units), BATCH):
            rows = _Rows()
            for unit, status in zip(units[start : start + BATCH], statuses[start : start + BATCH]):
                self._unit_rows(unit, status, rows)
            rows.write(self.session)
        set_meta(self.session, "demo", f"seed={self.seed} agencies={len(units)}")
        record_event(self.session, self.round, "demo", {"seed": self.seed, "agencies": len(units)})

    # ------------------------------------------------------------------ agencies

    def _units(self) -> list[_Unit]:
        """National agencies first, then directorates, then county offices (parents before children)."""
        rng = self.rng
        n_national = min(len(NATIONAL_AGENCIES), max(1, round(self.count / 3)))
        chosen = sorted(rng.sample(range(len(NATIONAL_AGENCIES)), n_national))
        nationals = []
        for index in chosen:
            nat = NATIONAL_AGENCIES[index]
            nationals.append(
                _Unit(
                    code=str(1010 + 10 * index),
                    name=nat.name,
                    level="national",
                    province="",
                    group=nat.group,
                    national=nat,
                    national_index=index,
                    site=f"https://www.{nat.slug}.ir",
                )
            )
        left = self.count - len(nationals)
        pairs = [(n, p) for n in nationals for p in range(len(PROVINCES))]
        rng.shuffle(pairs)
        provincial = [self._directorate(n, p) for n, p in sorted(pairs[:left], key=lambda x: (x[0].code, x[1]))]
        left -= len(provincial)
        counties = []
        if left > 0:
            by_key = {(u.parent_code, u.province): u for u in provincial}
            triples = [
                (by_key[(n.code, PROVINCES[p][0])], c)
                for n in nationals
                for p in range(len(PROVINCES))
                for c in range(len(PROVINCES[p][2]))
            ]
            rng.shuffle(triples)
            chosen_triples = sorted(triples[:left], key=lambda x: (x[0].code, x[1]))
            counties = [self._county_office(d, c) for d, c in chosen_triples]
        units = nationals + provincial + counties
        for unit in units:
            unit.uuid = self.uid()
        return units

    def _directorate(self, nat: _Unit, p: int) -> _Unit:
        province, slug, _ = PROVINCES[p]
        return _Unit(
            code=f"{nat.code}-{p + 1:02d}",
            name=nat.national.provincial.format(p=province),
            level="provincial",
            province=province,
            group=PROVINCIAL_GROUP,
            national=nat.national,
            national_index=nat.national_index,
            site=f"https://{slug}.{nat.national.slug}.ir",
            parent_code=nat.code,
        )

    def _county_office(self, directorate: _Unit, c: int) -> _Unit:
        p = next(i for i, row in enumerate(PROVINCES) if row[0] == directorate.province)
        county = PROVINCES[p][2][c]
        return _Unit(
            code=f"{directorate.code}-{c + 1:02d}",
            name=directorate.national.county.format(c=county),
            level="provincial",
            province=directorate.province,
            group=COUNTY_GROUP,
            national=directorate.national,
            national_index=directorate.national_index,
            site=directorate.site,
            parent_code=directorate.code,
            county=True,
        )

    def _write_agencies(self, units: list[_Unit]) -> None:
        by_code = {u.code: u.uuid for u in units}
        rows = [
            {
                **self._tracked(u.uuid, SUBMITTED, ACTOR),
                "code": u.code,
                "name": u.name,
                "parent_uuid": by_code.get(u.parent_code),
                "level": u.level,
                "province": u.province,
                "ranking_group": u.group,
                "website": u.site,
            }
            for u in units
        ]
        self.session.execute(insert(Agency), rows)

    @staticmethod
    def _tracked(row_uuid: str, at: dt.datetime, by: str) -> dict:
        return {"uuid": row_uuid, "created_at": at, "updated_at": at, "updated_by": by}

    def _statuses(self, n: int) -> list[str]:
        """Most final (at least six, so a ranking means something), some complete, a few drafts."""
        final = min(n, max(6, round(n * 0.6)))
        complete = round((n - final) * 0.55)
        statuses = ["final"] * final + ["complete"] * complete + ["draft"] * (n - final - complete)
        self.rng.shuffle(statuses)
        if "draft" in statuses:
            # The first draft has nothing entered yet: "nothing scored" must show as such.
            statuses[statuses.index("draft")] = "empty"
        return statuses

    # ------------------------------------------------------------------ services

    def _catalogue(self, index: int) -> list[_CatalogueEntry]:
        """The services a national agency's units offer (shared IDs across its units)."""
        if index in self.catalogues:
            return self.catalogues[index]
        rng = random.Random(self.seed * 1000 + index)  # independent of how many units came before
        nat = NATIONAL_AGENCIES[index]
        prefix = 110 + 7 * index
        pairs = [(v, o) for o in nat.objects for v in SERVICE_VERBS]
        rng.shuffle(pairs)
        numbers = rng.sample(range(1, 1000), len(pairs))
        entries = []
        for (verb, obj), number in zip(pairs, numbers):
            parent_id = f"{prefix:03d}{number:03d}000"
            kind = rng.choices(SERVICE_KINDS, weights=(65, 25, 10))[0]
            title = f"{verb} {obj}"
            entries.append(_CatalogueEntry(parent_id, title, "", kind))
            for k, qualifier in enumerate(rng.sample(SUB_SERVICE_QUALIFIERS, rng.choice((0, 0, 1, 2, 3, 4)))):
                entries.append(_CatalogueEntry(f"{prefix:03d}{number:03d}{100 + k}", f"{title} ({qualifier})", parent_id, kind))
        self.catalogues[index] = entries
        return entries

    def _services(self, unit: _Unit) -> list[dict]:
        rng = self.rng
        catalogue = self._catalogue(unit.national_index)
        families: dict[str, list[_CatalogueEntry]] = {}
        for entry in catalogue:
            families.setdefault(entry.parent_id or entry.service_id, []).append(entry)
        order = list(families)
        rng.shuffle(order)
        target = min(len(catalogue), int(rng.triangular(10, 60, 55)))
        picked = [e for key in order for e in families[key]][:target]
        breadth = rng.uniform(0.5, 0.95)
        services = []
        for e in picked:
            services.append(
                {
                    **self._tracked(self.uid(), SUBMITTED, ACTOR),
                    "round_uuid": self.round.uuid,
                    "agency_uuid": unit.uuid,
                    "service_id": e.service_id,
                    "title": e.title,
                    "parent_service_id": e.parent_id,
                    "kind": e.kind,
                    "in_request_plan": rng.random() < breadth,
                    "in_delivery_plan": rng.random() < breadth * 0.8,
                    "in_counter_plan": rng.random() < 0.45,
                    "in_gsb_plan": rng.random() < (0.55 if e.kind != "G2C" else 0.3),
                    "url": f"{unit.site}/services/{e.service_id}",
                }
            )
        # Every operational plan names at least one service per stage, so the
        # stage's ratio can be judged (otherwise it would need "not applicable").
        for stage in ("request", "delivery", "counter", "gsb"):
            flag = f"in_{stage}_plan"
            if not any(s[flag] for s in services):
                rng.choice(services)[flag] = True
        return services

    # ------------------------------------------------------------------ one unit

    def _unit_rows(self, unit: _Unit, status: str, rows: _Rows) -> None:
        rng = self.rng
        services = self._services(unit)
        for s in services:
            rows.add(Service, s)
        quality = rng.betavariate(5, 2.2)
        evaluator = rng.choice(self.evaluators)
        visit = None if status == "empty" else self._visit_date()
        stamp = SUBMITTED if visit is None else dt.datetime.combine(visit, dt.time(10, rng.randrange(60)))
        who = ACTOR if visit is None else evaluator
        assessment_uuid = self.uid()
        rows.add(
            Assessment,
            {
                **self._tracked(assessment_uuid, stamp, who),
                "round_uuid": self.round.uuid,
                "agency_uuid": unit.uuid,
                "evaluator": evaluator,
                "visit_date": visit,
                "status": "draft" if status == "empty" else status,
            },
        )
        # Drafts have part of the work done; complete and final ones all of it.
        done = 0.0 if status == "empty" else rng.uniform(0.3, 0.7) if status == "draft" else 1.0
        na = self._not_applicable(unit) if done else {}
        for key, stage in (("1", "request"), ("2", "delivery"), ("3", "counter")):
            if key in na:  # the guide's condition: no province-specific service for this stage
                for s in services:
                    s[f"in_{stage}_plan"] = False
        ctx = (assessment_uuid, stamp, who)
        self._answers(ctx, na, quality, done, rows)
        if done:
            self._agreement(ctx, services, na, rows)
        self._judgements(ctx, services, quality, done, rows)
        if done:
            self._evidence(ctx, unit, na, done, rows)
        if status == "empty" or rng.random() < 0.75:
            self._tables(unit, services, quality, done, rows)

    def _visit_date(self) -> dt.date:
        """A working day between Mehr and Bahman 1403 (the visiting season)."""
        day = jdatetime.date(YEAR, self.rng.randint(7, 11), self.rng.randint(1, 30))
        if day.weekday() == 6:  # Friday, the weekend
            day -= jdatetime.timedelta(days=1)
        return day.togregorian()

    def _not_applicable(self, unit: _Unit) -> dict[str, str]:
        """Keys not applicable for this unit, with the evaluator's reason, per the guide's conditions."""
        rng = self.rng
        keys = []
        if not unit.national.foreign_audience:
            keys.append("4.4.3")
        if not unit.national.issues_regulations or unit.level == "provincial":
            keys.append("9.2.2")
        if unit.level == "provincial":
            if rng.random() < 0.8:
                keys.append("9.1")
            if rng.random() < 0.5:
                keys.append("8.1")
            if rng.random() < 0.4:
                keys.append("8.3")
            if rng.random() < 0.08:
                keys.append("3")
            if rng.random() < 0.03:
                keys += ["1", "2"]
        if rng.random() < 0.15:
            keys.append("6.3")
        if rng.random() < 0.02:  # an agreement with the Organization covers all its services
            keys.append("7")
        return {k: NA_REASONS[k] for k in keys}

    def _agreement(self, ctx, services: list[dict], na: dict[str, str], rows: _Rows) -> None:
        """Indicator 7: an agreement with the Organization that takes some services (or all) out of the desk."""
        rng = self.rng
        full = "7" in na
        if not services or (not full and rng.random() >= 0.1):
            return
        assessment_uuid, stamp, who = ctx
        chosen = services if full else rng.sample(services, min(len(services), rng.randint(1, 3)))
        day = jdatetime.date(YEAR, rng.randint(1, 6), rng.randint(1, 29)).togregorian()
        rows.add(
            NaAgreement,
            {
                **self._tracked(self.uid(), stamp, who),
                "assessment_uuid": assessment_uuid,
                "indicator_key": "7",
                "letter_no": f"{rng.randint(1000, 9999)}/{rng.randint(10, 99)}",
                "letter_date": day,
                "service_ids": " ".join(sorted(s["service_id"] for s in chosen)),
                "note": "خدمات بدون ارباب رجوع حضوری که در میز خدمت ارائه نمی‌شوند",
            },
        )

    def _answers(self, ctx, na: dict[str, str], quality: float, done: float, rows: _Rows) -> None:
        rng = self.rng
        assessment_uuid, stamp, who = ctx
        answers: dict[str, dict] = {}

        def row(key: str) -> dict:
            if key not in answers:
                answers[key] = {
                    **self._tracked(self.uid(), stamp, who),
                    "assessment_uuid": assessment_uuid,
                    "key": key,
                    "value": None,
                    "achieved": None,
                    "planned": None,
                    "not_applicable": False,
                    "na_reason": "",
                    "note": "",
                }
            return answers[key]

        if not done:
            return
        for key, reason in na.items():
            row(key).update(not_applicable=True, na_reason=reason)
        for ind in self.framework.indicators:
            if ind.key in na:
                continue
            for measure in ind.measures:
                if measure.key in na:
                    continue
                if rng.random() < 0.15:
                    row(measure.key)["note"] = rng.choice(MEASURE_NOTES)
                for item in measure.items:
                    if item.key in na or rng.random() >= done:
                        continue
                    chance = min(0.97, max(0.03, quality + self.difficulty[item.key]))
                    if item.kind in ("check", "yesno"):
                        row(item.key)["value"] = rng.random() < chance
                    elif item.kind == "ratio" and item.source == "typed":
                        planned = rng.randint(8, 60)
                        # Now and then an agency reports more than it planned: the score caps at 1.
                        achieved = round(planned * min(1.15, max(0.0, rng.gauss(chance, 0.2))))
                        row(item.key).update(achieved=float(achieved), planned=float(planned))
                    elif item.kind == "reform":
                        # The evaluator has looked at tables 4 and 5 (this confirms a zero
                        # when the agency submitted no table 4; see scoring.item_fraction).
                        row(item.key)["value"] = False
        for r in answers.values():
            rows.add(Answer, r)

    def _judgements(self, ctx, services: list[dict], quality: float, done: float, rows: _Rows) -> None:
        rng = self.rng
        assessment_uuid, stamp, who = ctx
        for s in services:
            planned = [st for st in ("request", "delivery", "counter", "gsb") if s[f"in_{st}_plan"]]
            if not planned or rng.random() >= done:
                continue
            row = {
                **self._tracked(self.uid(), stamp, who),
                "assessment_uuid": assessment_uuid,
                "service_id": s["service_id"],
                "request_portal": None,
                "request_online": None,
                "request_receipt": None,
                "request_tracking": None,
                "delivery": None,
                "counter": None,
                "gsb": None,
                "url": s["url"],
                "note": "",
            }
            if "request" in planned:
                full = rng.random() < quality
                for cap in REQUEST_CAPABILITIES:
                    row[cap] = True if full else rng.random() < 0.6
                if not full and rng.random() < 0.4:
                    row["note"] = rng.choice(SERVICE_NOTES)
            if "delivery" in planned:
                row["delivery"] = rng.random() < quality * 0.9
            if "counter" in planned:
                row["counter"] = rng.random() < quality
            if "gsb" in planned:
                row["gsb"] = rng.random() < quality * 0.9
            rows.add(ServiceJudgement, row)

    def _evidence(self, ctx, unit: _Unit, na: dict[str, str], done: float, rows: _Rows) -> None:
        rng = self.rng
        assessment_uuid, stamp, who = ctx
        for ind in self.framework.indicators:
            if ind.key in na:
                continue
            for measure in ind.measures:
                kinds = [k for k in measure.evidence_kinds if k != "services"]
                if measure.key in na or not kinds or rng.random() >= done:
                    continue
                # Completeness wants a file or URL where one is listed: give one always, others now and then.
                proof = [k for k in kinds if k in ("url", "file")]
                wanted = {rng.choice(proof)} if proof else {rng.choice(kinds)}
                wanted |= {k for k in kinds if rng.random() < 0.35}
                for kind in kinds:
                    if kind in wanted:
                        rows.add(Evidence, self._evidence_row(ctx, unit, measure, kind))

    def _evidence_row(self, ctx, unit: _Unit, measure: Measure, kind: str) -> dict:
        rng = self.rng
        assessment_uuid, stamp, who = ctx
        row = {
            **self._tracked(self.uid(), stamp, who),
            "assessment_uuid": assessment_uuid,
            "measure_key": measure.key,
            "kind": kind,
            "text": "",
            "number": None,
            "blob_sha256": None,
            "filename": "",
            "mime": "",
        }
        if kind == "url":
            row["text"] = unit.site + _URL_PATHS.get(measure.key, f"/fa/page/{measure.key}")
        elif kind == "text":
            row["text"] = rng.choice(TEXT_EVIDENCE)
        elif kind == "number":
            row["text"] = _NUMBER_CAPTIONS.get(measure.key, "عدد گزارش‌شده دستگاه")
            row["number"] = float(30000000 + rng.randrange(100000) if measure.key == "6.2" else rng.randint(3, 400))
        elif kind == "file":
            filename, file_kind = _FILE_NAMES.get(measure.key, ("مستند.pdf", "pdf"))
            row.update(
                blob_sha256=self._blob(unit.national_index, file_kind),
                filename=filename,
                mime="application/pdf" if file_kind == "pdf" else "image/png",
                text="تصویر صفحه" if file_kind == "png" else "نسخه اسکن‌شده",
            )
        return row

    def _blob(self, index: int, file_kind: str) -> str:
        """One document and one screenshot per national agency, shared by its units (stored once)."""
        key = (index, file_kind)
        if key not in self.blobs:
            nat = NATIONAL_AGENCIES[index]
            if file_kind == "png":
                color = ((37 * index) % 200 + 30, (91 * index) % 200 + 30, (53 * index) % 200 + 30)
                data = png_screenshot(96, 64, color, lines=3 + index % 4)
            else:
                data = pdf_document(
                    [
                        "Evaluator Workbench - demo evidence",
                        f"Agency: {nat.slug}.ir",
                        f"Round {YEAR}, seed {self.seed}",
                    ]
                )
            self.blobs[key] = store_blob(self.session, data)
        return self.blobs[key]

    # ------------------------------------------------------------------ tables 4 and 5

    def _tables(self, unit: _Unit, services: list[dict], quality: float, done: float, rows: _Rows) -> None:
        rng = self.rng
        parents = {s["parent_service_id"] for s in services if s["parent_service_id"]}
        leaves = [s for s in services if s["service_id"] not in parents]
        chosen = rng.sample(leaves, rng.randint(1, min(12, len(leaves))))
        cutoff = dt.date(2024, 9, 22)  # 1403/07/01: what was done by the start of the visits
        row_no = action_no = 0
        for s in chosen:
            for criterion in rng.sample(REFORM_CRITERIA, rng.choice((1, 1, 2))):
                row_no += 1
                unit_name, before, after = CRITERION_UNITS[criterion]
                before = _round(before * rng.uniform(0.7, 1.3))
                target = _round(after * rng.uniform(0.8, 1.2))
                progress = min(1.0, max(0.0, rng.gauss(quality, 0.25)))
                accepted = self._verdict(done, quality)
                rows.add(
                    ReformRow,
                    {
                        **self._tracked(self.uid(), SUBMITTED, ACTOR),
                        "round_uuid": self.round.uuid,
                        "agency_uuid": unit.uuid,
                        "row_no": row_no,
                        "service_id": s["service_id"],
                        "service_title": s["title"],
                        "criterion": criterion,
                        "unit": unit_name,
                        "value_before": before,
                        "value_target": target,
                        "value_after": _round(before + (target - before) * progress),
                        "description": f"بهبود «{criterion}» در خدمت «{s['title']}» با اصلاح فرایند",
                        "accepted": accepted,
                        "evaluator_note": "" if accepted is not False else "مستندات کافی برای اثبات بهبود ارائه نشده است",
                    },
                )
            start = jdatetime.date(1402, 10, 1).togregorian() + dt.timedelta(days=rng.randrange(200))
            for step in REFORM_STEPS[: rng.randint(3, len(REFORM_STEPS))]:
                action_no += 1
                end = start + dt.timedelta(days=rng.randint(14, 90))
                planned, running, finished = ACTION_STATUSES
                state = finished if end <= cutoff else running if start <= cutoff else planned
                rows.add(
                    ReformAction,
                    {
                        **self._tracked(self.uid(), SUBMITTED, ACTOR),
                        "round_uuid": self.round.uuid,
                        "agency_uuid": unit.uuid,
                        "row_no": action_no,
                        "service_id": s["service_id"],
                        "service_title": s["title"],
                        "step": step,
                        "action": STEP_ACTIONS[step],
                        "start_date": start,
                        "end_date": end,
                        "status": state,
                        "description": "",
                        "accepted": self._verdict(done, quality),
                        "evaluator_note": "",
                    },
                )
                start = end + dt.timedelta(days=rng.randint(0, 10))

    def _verdict(self, done: float, quality: float) -> bool | None:
        """The evaluator's verdict on a table row: None until judged (drafts judge part)."""
        if self.rng.random() >= done:
            return None
        return self.rng.random() < 0.55 + 0.35 * quality


def _round(value: float) -> float:
    return round(value, 1) if abs(value) < 10 else float(round(value))
