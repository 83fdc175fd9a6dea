"""Writing a checked submission into the store: the agency's submitted data for one round.

Importing replaces what the agency submitted (its services, table 4 rows and
table 5 rows for the round) and gives the same state however many times the
same file is imported.  Rows are matched on their natural keys — a service on
its ID, a table 4 row on (service, criterion), a table 5 row on (service,
step, action) — and updated in place, so their UUIDs stay stable for merging
and the evaluator's verdicts on them (``accepted``, ``evaluator_note``) stay.
The evaluator's per-service judgements are keyed by service ID in another
table and are never touched here: they apply again as soon as the ID is back.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.imports.validate import Row, Submission
from workbench.model.audit import bulk_insert
from workbench.model.schema import Agency, Assessment, ReformAction, ReformRow, Round, Service, ServiceJudgement
from workbench.model.text import compact

#: The identity card's fields (003): a file without one of these columns leaves what is stored for it.
CARD_FIELDS = (
    "service_level", "nature", "info_channels", "request_channels", "delivery_channels",
    "other_agencies", "documents", "visit_reasons",
)
SERVICE_FIELDS = (
    "service_id", "title", "parent_service_id", "kind",
    "in_request_plan", "in_delivery_plan", "in_counter_plan", "in_gsb_plan", "url", *CARD_FIELDS,
)
REFORM_ROW_FIELDS = (
    "row_no", "service_id", "service_title", "criterion", "unit",
    "value_before", "value_target", "value_after", "description",
)
REFORM_ACTION_FIELDS = (
    "row_no", "service_id", "service_title", "step", "action",
    "start_date", "end_date", "status", "description",
)
_TEXT_FIELDS = {*CARD_FIELDS, "title", "parent_service_id", "url", "service_title", "unit", "description", "action", "criterion", "step", "status"}
_YESNO_BLANK = {name: False for name in SERVICE_FIELDS if name.startswith("in_")}
#: Agency fields a file may fill when the database has them empty; never overwritten.
AGENCY_FILLABLE = ("website", "province")

Key = Callable[[Callable[[str], object]], tuple]


def _service_key(get) -> tuple:
    return (get("service_id"),)


def _row_key(get) -> tuple:
    return (get("service_id"), compact(get("criterion")))


def _action_key(get) -> tuple:
    return (get("service_id"), compact(get("step")), compact(get("action")))


@dataclass
class TablePlan:
    """What importing does to one table."""

    adds: list[dict] = field(default_factory=list)
    updates: list[tuple[object, dict]] = field(default_factory=list)  # (row, the fields that change)
    removes: list[object] = field(default_factory=list)
    unchanged: list[object] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.adds),
            "changed": len(self.updates),
            "removed": len(self.removes),
            "kept": len(self.unchanged),
        }


@dataclass
class Plan:
    round: Round
    agency: Agency
    services: TablePlan
    table4: TablePlan
    table5: TablePlan
    agency_fields: dict[str, str] = field(default_factory=dict)
    judgements_kept: int = 0
    judgements_unmatched: int = 0
    verdicts_kept: int = 0
    verdicts_dropped: int = 0
    totals: dict[str, int] = field(default_factory=dict)

    def summary(self, warnings: Iterable = (), dry_run: bool = False) -> dict:
        tables = {"services": self.services, "table4": self.table4, "table5": self.table5}
        out: dict = dict(self.totals)
        out["warnings"] = [w.as_dict() for w in warnings]
        for what in ("added", "changed", "removed", "kept"):
            out[what] = {name: plan.counts()[what] for name, plan in tables.items()}
        out.update(
            {
                "judgements_kept": self.judgements_kept,
                "judgements_unmatched": self.judgements_unmatched,
                "verdicts_kept": self.verdicts_kept,
                "verdicts_dropped": self.verdicts_dropped,
                "agency_updated": sorted(self.agency_fields),
                "agency": self.agency.code,
                "round": self.round.year,
                "dry_run": dry_run,
            }
        )
        return out


def _incoming(rows: list[Row], names: tuple[str, ...], numbered: bool) -> list[dict]:
    out = []
    for position, row in enumerate(rows, start=1):
        values = {}
        for name in names:
            if name in CARD_FIELDS and name not in row.letters:
                continue  # an older file without the card's columns: what is stored stays
            value = row.values.get(name)
            if value is None:
                # An optional column the file lacks reads as its blank cell would: a yes/no column
                # as «no», text as "" (None would violate NOT NULL on the second import of the file).
                value = "" if name in _TEXT_FIELDS else _YESNO_BLANK.get(name)
            values[name] = value
        if numbered and values.get("row_no") is None:
            values["row_no"] = position  # an unnumbered row keeps its place in the sheet
        out.append(values)
    return out


def _plan_table(existing: Iterable, incoming: list[dict], key: Key) -> TablePlan:
    plan = TablePlan()
    by_key: dict[tuple, object] = {}
    for obj in existing:
        k = key(lambda name, o=obj: getattr(o, name))
        if k in by_key:
            plan.removes.append(obj)  # an older duplicate: one row per key from now on
        else:
            by_key[k] = obj
    for values in incoming:
        obj = by_key.pop(key(values.get), None)
        if obj is None:
            plan.adds.append(values)
            continue
        diff = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if diff:
            plan.updates.append((obj, diff))
        else:
            plan.unchanged.append(obj)
    plan.removes.extend(by_key.values())
    return plan


def _has_verdict(obj) -> bool:
    return obj.accepted is not None or bool(obj.evaluator_note)


def plan_changes(session: Session, rnd: Round, agency: Agency, sub: Submission) -> Plan:
    """What importing ``sub`` would change, computed without changing anything."""

    def owned(model):
        return session.scalars(
            select(model).where(model.round_uuid == rnd.uuid, model.agency_uuid == agency.uuid)
        ).all()

    services = _incoming(sub.services, SERVICE_FIELDS, numbered=False)
    rows = _incoming(sub.table4, REFORM_ROW_FIELDS, numbered=True)
    actions = _incoming(sub.table5, REFORM_ACTION_FIELDS, numbered=True)
    plan = Plan(
        round=rnd,
        agency=agency,
        services=_plan_table(owned(Service), services, _service_key),
        table4=_plan_table(owned(ReformRow), rows, _row_key),
        table5=_plan_table(owned(ReformAction), actions, _action_key),
        totals={"services": len(services), "table4": len(rows), "table5": len(actions)},
    )
    for table in (plan.table4, plan.table5):
        matched = [obj for obj, _ in table.updates] + table.unchanged
        plan.verdicts_kept += sum(1 for obj in matched if _has_verdict(obj))
        plan.verdicts_dropped += sum(1 for obj in table.removes if _has_verdict(obj))

    ids = {s["service_id"] for s in services}
    judged = session.scalars(
        select(ServiceJudgement.service_id)
        .join(Assessment, ServiceJudgement.assessment_uuid == Assessment.uuid)
        .where(Assessment.round_uuid == rnd.uuid, Assessment.agency_uuid == agency.uuid)
    ).all()
    plan.judgements_kept = sum(1 for sid in judged if sid in ids)
    plan.judgements_unmatched = len(judged) - plan.judgements_kept

    if sub.agency is not None:
        details = _details_of(session, rnd, agency)
        for name in AGENCY_FILLABLE:
            value = sub.agency.values.get(name)
            if value and not getattr(details, name):
                plan.agency_fields[name] = str(value)
    return plan


def _details_of(session: Session, rnd: Round, agency: Agency):
    """Where the agency's details of ``rnd`` live: what an earlier round keeps of it, else the live row."""
    from workbench.model.round_details import kept_row

    return kept_row(session, rnd.uuid, agency.uuid) or agency


def apply_plan(session: Session, plan: Plan) -> None:
    """Make the planned changes in ``session`` (the caller commits once, or rolls back)."""
    for table in (plan.table4, plan.table5, plan.services):
        for obj in table.removes:
            session.delete(obj)
    # Deletions first: a service that leaves and one that arrives never share a key,
    # but flushing now keeps the unique index from ever seeing both.
    session.flush()
    for table in (plan.services, plan.table4, plan.table5):
        for obj, diff in table.updates:
            for name, value in diff.items():
                setattr(obj, name, value)
    scope = {"round_uuid": plan.round.uuid, "agency_uuid": plan.agency.uuid}
    # New rows go in with executemany (stamped and audited like a flush): a first
    # import of a national agency's few thousand services stays well under the
    # 3 s the issue sets; the ORM's two objects per row took most of it.
    for model, table in ((Service, plan.services), (ReformRow, plan.table4), (ReformAction, plan.table5)):
        bulk_insert(session, model, [{**scope, **values} for values in table.adds])
    details = _details_of(session, plan.round, plan.agency) if plan.agency_fields else None
    for name, value in plan.agency_fields.items():
        setattr(details, name, value)  # an earlier round's import fills that round's details only
    session.flush()
