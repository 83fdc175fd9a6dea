"""The demo's assessments: answers and not-applicable reasons, agreements, per-service judgements,
evidence with its files, and the agencies' tables 4 and 5 with the evaluator's verdicts (part of
``build.py``'s generator).
"""
from __future__ import annotations

import datetime as dt

import jdatetime

from workbench.demo.checks import CHECK_FIELDS, demo_checks, demo_marks, demo_uuid, section_uuid
from workbench.demo.data import (
    ACTOR,
    CRITERION_UNITS,
    MEASURE_NOTES,
    NA_REASONS,
    NATIONAL_AGENCIES,
    SERVICE_NOTES,
    STEP_ACTIONS,
    SUBMITTED,
    TEXT_EVIDENCE,
    YEAR,
)
from workbench.demo.files import pdf_document, png_screenshot
from workbench.demo.units import Rows, Unit
from workbench.model.checklists import section_keys
from workbench.model.editing import store_blob
from workbench.model.framework import Measure
from workbench.model.schema import (
    Answer,
    Evidence,
    NaAgreement,
    ReformAction,
    ReformRow,
    ServiceJudgement,
    ServiceSection,
)
from workbench.model.terms import ACTION_STATUSES, REFORM_CRITERIA, REFORM_STEPS, REQUEST_CAPABILITIES, section_field

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


class EvaluationMaker:
    """What the evaluator entered for one unit (mixed into ``build._Generator``, which holds the state)."""

    @property
    def _sla_keys(self) -> tuple[str, ...]:
        return section_keys(self.framework)

    def _visit_date(self) -> dt.date:
        """A working day between Mehr and Bahman 1403 (the visiting season)."""
        day = jdatetime.date(YEAR, self.rng.randint(7, 11), self.rng.randint(1, 30))
        if day.weekday() == 6:  # Friday, the weekend
            day -= jdatetime.timedelta(days=1)
        return day.togregorian()

    def _not_applicable(self, unit: Unit) -> dict[str, str]:
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

    def _agreement(self, ctx, services: list[dict], na: dict[str, str], rows: Rows) -> None:
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

    def _answers(self, ctx, na: dict[str, str], quality: float, done: float, rows: Rows) -> None:
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
                    "marks": None,
                    "entry_notes": None,
                }
            return answers[key]

        self._checked: dict[str, bool] = {}  # per-service checks (4.7, 9.2.3, 11): whether the agency does well

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
                    elif item.kind == "checklist":  # one draw, as a check had: the demo's other figures stay
                        row(item.key)["marks"] = demo_marks(item, rng.random() < chance, assessment_uuid)
                    elif item.kind == "per_service":  # judged per service below; its answer row as before
                        good = rng.random() < chance
                        row(item.key)
                        self._checked[item.per_service.stage] = good
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

    def _judgements(self, ctx, services: list[dict], quality: float, done: float, rows: Rows) -> None:
        rng = self.rng
        assessment_uuid, stamp, who = ctx
        for s in services:
            planned = [st for st in ("request", "delivery", "counter", "gsb") if s[f"in_{st}_plan"]]
            if not planned or rng.random() >= done:
                planned = []  # this service's plan stages not judged yet (its per-service checks may be)
                if not self._checked:
                    continue
                # A row only the per-service checks make: its UUID from their own generator, so the main
                # one (and every later figure of the demo) draws what it drew before these checks existed.
                row_uuid = demo_uuid(s["service_id"], assessment_uuid)
            else:
                row_uuid = self.uid()
            row = {
                **self._tracked(row_uuid, stamp, who),
                "assessment_uuid": assessment_uuid,
                "service_id": s["service_id"],
                "request_portal": None,
                "request_online": None,
                "request_receipt": None,
                "request_tracking": None,
                "delivery": None,
                "counter": None,
                "gsb": None,
                **dict.fromkeys(CHECK_FIELDS),
                "url": s["url"],
                "note": "",
            }
            checks = demo_checks(self._checked, s["service_id"], assessment_uuid, self._sla_keys)
            for key in self._sla_keys:  # 4.7's SLA: a row per section (ServiceSection)
                met = checks.pop(section_field("sla", key), None)
                if met is not None:
                    rows.add(ServiceSection, {**self._tracked(section_uuid(row_uuid, key), stamp, who),
                                              "assessment_uuid": assessment_uuid, "service_id": s["service_id"],
                                              "section": key, "met": met})
            row.update(checks)
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

    def _evidence(self, ctx, unit: Unit, na: dict[str, str], done: float, rows: Rows) -> None:
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

    def _evidence_row(self, ctx, unit: Unit, measure: Measure, kind: str) -> dict:
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

    def _tables(self, unit: Unit, services: list[dict], quality: float, done: float, rows: Rows) -> None:
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
