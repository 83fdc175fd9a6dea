"""What the exchange carries, by meaning: each table's natural key and field groups.

A record is identified across databases by its natural key, never by its
UUID (two laptops make different UUIDs for the same answer): the round's year,
the agency's code, the table and the key fields of that table.  Its fields
are compared in **groups** chosen so that a merged record is never a mix of
two people's half-answers (not applicable + its reason; a ratio's achieved +
planned; a note alone).

Values travel as JSON (dates as ISO text).  An agency's records are a plain
``dict`` from record key to :class:`Rec`.
"""
from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring as _quote

from sqlalchemy import Date, select
from sqlalchemy.orm import Session

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
    ServiceSection,
)
from workbench.model.text import compact

#: Columns every record carries that are bookkeeping, not content.
BOOKKEEPING = ("uuid", "created_at", "updated_at", "updated_by", "round_uuid", "agency_uuid", "assessment_uuid")


@dataclass(frozen=True)
class Spec:
    """How one table is carried and merged."""

    table: str
    model: type
    parent: str  # "agency" (round_uuid + agency_uuid) | "assessment" (assessment_uuid)
    key: Callable[[dict], tuple]
    groups: dict[str, tuple[str, ...]]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for g in self.groups.values() for f in g) + self.key_fields

    @property
    def key_fields(self) -> tuple[str, ...]:
        return _KEY_FIELDS[self.table]


def _evidence_key(v: dict) -> tuple:
    kind = v["kind"]
    if kind == "file":
        ident = v.get("blob_sha256") or ""
    elif kind == "number":
        ident = "" if v.get("number") is None else repr(float(v["number"]))
    else:
        ident = v.get("text") or ""
    return (v["measure_key"], kind, ident)


_KEY_FIELDS = {
    "assessments": (),
    "answers": ("key",),
    "service_judgements": ("service_id",),
    "service_sections": ("service_id", "section"),
    "evidence": ("measure_key", "kind", "blob_sha256"),
    "na_agreements": ("indicator_key",),
    "services": ("service_id",),
    "reform_rows": ("service_id", "criterion"),
    "reform_actions": ("service_id", "step", "action"),
}

#: In the order records are written (a parent before its children).
SPECS: tuple[Spec, ...] = (
    Spec("assessments", Assessment, "agency", lambda v: (),
         {"evaluator": ("evaluator",), "visit_date": ("visit_date",), "status": ("status",)}),
    Spec("answers", Answer, "assessment", lambda v: (v["key"],),
         {"value": ("value",), "ratio": ("achieved", "planned"), "na": ("not_applicable", "na_reason"),
          "note": ("note",), "marks": ("marks",), "entry_notes": ("entry_notes",)}),
    Spec("service_judgements", ServiceJudgement, "assessment", lambda v: (v["service_id"],),
         {"request": ("request_portal", "request_online", "request_receipt", "request_tracking"),
          "delivery": ("delivery",), "counter": ("counter",), "gsb": ("gsb",), "url": ("url",),
          "note": ("note",), "survey": ("survey",), "copies": ("no_id_copy",)}),
    # 4.7's SLA, section by section (appendix C's sections are the framework's data): a record per section.
    Spec("service_sections", ServiceSection, "assessment", lambda v: (v["service_id"], v["section"]),
         {"met": ("met",)}),
    Spec("evidence", Evidence, "assessment", _evidence_key,
         {"detail": ("text", "number", "filename", "mime")}),
    # An agreement with the Organization (indicator 7): its letter and the services it covers are one answer.
    Spec("na_agreements", NaAgreement, "assessment", lambda v: (v["indicator_key"],),
         {"agreement": ("letter_no", "letter_date", "service_ids", "note")}),
    Spec("services", Service, "agency", lambda v: (v["service_id"],),
         {"title": ("title", "parent_service_id", "kind"),
          "plan": ("in_request_plan", "in_delivery_plan", "in_counter_plan", "in_gsb_plan"),
          "url": ("url",),
          "card": ("service_level", "nature", "info_channels", "request_channels", "delivery_channels",
                   "other_agencies", "documents", "visit_reasons")}),
    Spec("reform_rows", ReformRow, "agency", lambda v: (v["service_id"], compact(v["criterion"])),
         {"row": ("row_no", "service_title", "unit"), "values": ("value_before", "value_target", "value_after"),
          "description": ("description",), "verdict": ("accepted", "evaluator_note")}),
    Spec("reform_actions", ReformAction, "agency",
         lambda v: (v["service_id"], compact(v["step"]), compact(v["action"])),
         {"row": ("row_no", "service_title"), "dates": ("start_date", "end_date"), "status": ("status",),
          "description": ("description",), "verdict": ("accepted", "evaluator_note")}),
)
SPEC_BY_TABLE = {s.table: s for s in SPECS}
#: Agency fields: the supervisor's; a package that disagrees is reported, never applied.
AGENCY_FIELDS = ("code", "name", "level", "province", "ranking_group", "website")


@dataclass
class Rec:
    """One record of an agency: its table, its UUID where it came from, its content fields."""

    table: str
    uuid: str
    values: dict

    def group(self, name: str) -> dict:
        return {f: self.values.get(f) for f in SPEC_BY_TABLE[self.table].groups[name]}

    def to_json(self) -> dict:
        return {"t": self.table, "u": self.uuid, "v": self.values}

    @classmethod
    def from_json(cls, obj: dict) -> Rec:
        return cls(obj["t"], obj["u"], obj["v"])


Records = dict[str, Rec]


def rkey(year: int, agency_code: str, table: str, key: tuple) -> str:
    """The natural key of a record, as one text (the same in every database).

    ``json.dumps([year, agency_code, table, *key], ensure_ascii=False)``, spelled out
    (the key parts are texts): it is made for every record of every package merged.
    """
    return f"[{int(year)}, " + ", ".join(_quote(str(p)) for p in (agency_code, table, *key)) + "]"


def parse_rkey(text: str) -> tuple[int, str, str, tuple]:
    parts = json.loads(text)
    return parts[0], parts[1], parts[2], tuple(parts[3:])


def jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _date_columns(model) -> set[str]:
    return {c.key for c in model.__table__.columns if isinstance(c.type, Date)}


_DATES = {s.table: _date_columns(s.model) for s in SPECS}


_CARD_TEXTS = {"services": SPEC_BY_TABLE["services"].groups["card"]}


def to_column(table: str, field: str, value):
    """A JSON value back to what the column holds (ISO text to a date)."""
    if value is not None and field in _DATES[table]:
        return dt.date.fromisoformat(value)
    if value is None and field in _CARD_TEXTS.get(table, ()):
        return ""  # a package of a version before the identity card's fields: not given
    return value


def defaults(table: str) -> dict:
    """The content of a record just made (the base of a record a package added)."""
    out = {}
    for col in SPEC_BY_TABLE[table].model.__table__.columns:
        if col.key in BOOKKEEPING:
            continue
        arg = col.default.arg if col.default is not None and not callable(col.default.arg) else None
        out[col.key] = arg
    return out


def content_fields(table: str) -> list[str]:
    return [c.key for c in SPEC_BY_TABLE[table].model.__table__.columns if c.key not in BOOKKEEPING]


def pack(records: Records) -> bytes:
    """An agency's records as compressed JSON (bases and submissions are kept so)."""
    data = {k: r.to_json() for k, r in sorted(records.items())}
    return zlib.compress(json.dumps(data, ensure_ascii=False, sort_keys=True).encode(), 1)


def unpack(blob: bytes | None) -> Records:
    if not blob:
        return {}
    return {k: Rec.from_json(v) for k, v in json.loads(zlib.decompress(blob)).items()}


# --------------------------------------------------------------------------- reading a database


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def read_agencies(session: Session, round_uuid: str, year: int, codes: Iterable[str]) -> dict[str, Records]:
    """Every record of these agencies in one round, keyed by natural key (a query per table per 500 agencies)."""
    codes = sorted(set(codes))
    out: dict[str, Records] = {c: {} for c in codes}
    agency_code: dict[str, str] = {}
    for chunk in _chunks(codes):
        for uuid, code in session.execute(select(Agency.uuid, Agency.code).where(Agency.code.in_(chunk))):
            agency_code[uuid] = code
    assessment_code: dict[str, str] = {}
    for spec in SPECS:
        table = spec.model.__table__
        cols = content_fields(spec.table)
        if spec.parent == "agency":
            owners, owner_col, owner_code = list(agency_code), table.c.agency_uuid, agency_code
        else:
            owners, owner_col, owner_code = list(assessment_code), table.c.assessment_uuid, assessment_code
        for chunk in _chunks(owners):
            query = select(table.c.uuid, owner_col, *[table.c[c] for c in cols]).where(owner_col.in_(chunk))
            if spec.parent == "agency":
                query = query.where(table.c.round_uuid == round_uuid)
            dates = [c for c in cols if c in _DATES[spec.table]]
            for row in session.execute(query.order_by(table.c.created_at, table.c.uuid)):
                code = owner_code[row[1]]
                values = dict(zip(cols, row[2:]))
                for c in dates:
                    if values[c] is not None:
                        values[c] = values[c].isoformat()
                if spec.table == "assessments":
                    assessment_code[row[0]] = code
                _add(out[code], rkey(year, code, spec.table, spec.key(values)), Rec(spec.table, row[0], values))
    return out


def _add(records: Records, key: str, rec: Rec) -> None:
    """Two rows of one natural key in one database (a duplicate table row): both kept, the later numbered."""
    n, candidate = 1, key
    while candidate in records:
        n += 1
        candidate = key[:-1] + f', "#{n}"]'
    records[candidate] = rec


def agency_facts(session: Session, codes: Iterable[str], round_uuid: str | None = None) -> dict[str, dict]:
    """The supervisor's facts of each agency (to carry, and to compare a package's with).

    With ``round_uuid``: as that round saw them (an earlier round keeps its own, ``model.round_details``).
    """
    from workbench.model.round_details import agencies_in_round

    out = {}
    codes = sorted(set(codes))
    for chunk in _chunks(codes):
        agencies = list(session.scalars(select(Agency).where(Agency.code.in_(chunk))))
        seen = agencies_in_round(session, round_uuid, agencies) if round_uuid else {a.uuid: a for a in agencies}
        for agency in seen.values():
            out[agency.code] = {f: getattr(agency, f) for f in AGENCY_FIELDS}
    return out


#: An SLA's sections as a package made before schema 0011 carries them: judgement fields ``sla_KEY``.
LEGACY_SECTIONS = ("intro", "purpose", "responsibility", "obligations", "conditions", "disputes", "costs",
                   "period", "termination", "published")


def legacy_sections(key: str, rec: Rec) -> list[tuple[str, Rec]]:
    """The section records a judgement of an older package stands for (its non-empty ``sla_KEY`` fields)."""
    import uuid as _uuid

    year, code, _table, (service_id,) = parse_rkey(key)
    out = []
    for section in LEGACY_SECTIONS:
        met = rec.values.get("sla_" + section)
        if met is not None:
            ident = str(_uuid.uuid5(_uuid.UUID("5b6c0e1e-9d4a-4c39-9a37-0e7f7c2f2b11"), f"{rec.uuid}/{section}"))
            out.append((rkey(year, code, "service_sections", (service_id, section)),
                        Rec("service_sections", ident, {"service_id": service_id, "section": section, "met": met})))
    return out
