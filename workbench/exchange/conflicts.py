"""Open conflicts as work to finish: listing them, and a supervisor's resolution with its reason."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.exchange import edits
from workbench.exchange.records import SPEC_BY_TABLE, parse_rkey
from workbench.exchange.tables import Conflict, ConflictCandidate, ExchangePackage, Provenance
from workbench.exchange.threeway import dumps
from workbench.model.errors import UserError
from workbench.model.schema import Round, utcnow
from workbench.model.store import backend_of


@dataclass
class Candidate:
    id: int
    evaluator: str  # "" for the master's own value
    package: str  # the package's file name ("" for the master)
    device: str
    value: object  # the group's fields, or the whole record, or None for «deleted»
    package_uuid: str = ""  # "" for the master's own value

    def as_json(self) -> dict:
        return {"id": self.id, "evaluator": self.evaluator, "package": self.package, "device": self.device,
                "value": self.value}


@dataclass
class ConflictView:
    id: int
    round_year: int
    agency_code: str
    table: str
    key: list
    group: str
    kind: str  # value | delete | final
    base: object
    status: str
    candidates: list[Candidate] = field(default_factory=list)
    resolved_by: str = ""
    reason: str = ""
    resolution: object = None
    resolved_at: dt.datetime | None = None

    def as_json(self) -> dict:
        return {"id": self.id, "round": self.round_year, "agency": self.agency_code, "table": self.table,
                "key": self.key, "group": self.group, "kind": self.kind, "base": self.base, "status": self.status,
                "candidates": [c.as_json() for c in self.candidates], "resolved_by": self.resolved_by,
                "reason": self.reason, "resolution": self.resolution}


def _view(session: Session, c: Conflict, files: dict[str, str]) -> ConflictView:
    year, code, table, key = parse_rkey(c.rkey)
    view = ConflictView(c.id, year, code, table, list(key), c.grp, c.kind, json.loads(c.base), c.status,
                        resolved_by=c.resolved_by, reason=c.reason,
                        resolution=json.loads(c.resolution) if c.resolution else None, resolved_at=c.resolved_at)
    for x in session.scalars(select(ConflictCandidate).where(ConflictCandidate.conflict_id == c.id)
                             .order_by(ConflictCandidate.id)):
        view.candidates.append(Candidate(x.id, x.evaluator, files.get(x.package_uuid, ""), x.device_id,
                                         json.loads(x.value), x.package_uuid))
    return view


def list_conflicts(session: Session, year: int | None = None, include_resolved: bool = False) -> list[ConflictView]:
    """The round's conflicts (the latest round's when ``year`` is None), open ones unless asked."""
    query = select(Conflict).order_by(Conflict.agency_code, Conflict.id)
    if year is not None:
        rnd = session.scalar(select(Round).where(Round.year == year))
        if rnd is None:
            raise UserError(f"دورهٔ {year} در این پایگاه داده نیست")
        query = query.where(Conflict.round_uuid == rnd.uuid)
    if not include_resolved:
        query = query.where(Conflict.status == "open")
    files = dict(session.execute(select(ExchangePackage.uuid, ExchangePackage.file_name)).all())
    return [_view(session, c, files) for c in session.scalars(query)]


def open_conflict_count(session: Session, round_uuid: str) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(Conflict).where(
        Conflict.round_uuid == round_uuid, Conflict.status == "open")) or 0


def resolve(session: Session, conflict_id: int, *, take: str | None = None, value: str | None = None,
            reason: str, by: str = "", wait: bool = True) -> ConflictView:
    """Settle one conflict with a candidate (its id), ``"base"``, or a value of one's own.

    ``by`` defaults to the session's actor (on a server, the name the supervisor's
    role carries).  The agency is locked as a merge locks it and the conflict is
    read afresh and held (``FOR UPDATE``) until the transaction ends: of two
    supervisors settling it at once, the second waits, then is told who settled
    it and when, and nothing of the first is overwritten.  With ``wait=False``
    (the window, which must not freeze) it does not wait: it is refused at once,
    saying who is writing the agency (:func:`agency_busy`).
    """
    by = by or session.info.get("actor", "")
    c = session.get(Conflict, conflict_id)
    if c is None:
        raise UserError(f"تعارضی با شناسهٔ {conflict_id} در این پایگاه داده نیست")
    backend = backend_of(session)
    if wait:
        backend.lock_agency(session, c.round_uuid, c.agency_code)
    elif (holder := backend.try_lock_agency(session, c.round_uuid, c.agency_code)) is not None:
        raise UserError(agency_busy(holder, c.agency_code))
    c = backend.for_update(session, Conflict, conflict_id)
    if c.status != "open":
        raise UserError(already_resolved(c))
    if not reason.strip():
        raise UserError("دلیل تصمیم را بنویسید (--reason)؛ در سابقهٔ تغییرات می‌ماند")
    if (take is None) == (value is None):
        raise UserError("یکی از این دو را بدهید: --take (شمارهٔ نامزد یا base) یا --value")
    package, chosen = "", None
    if take is not None and take.strip().lower() == "base":
        chosen = json.loads(c.base)
    elif take is not None:
        cand = session.get(ConflictCandidate, int(take)) if take.strip().isdigit() else None
        if cand is None or cand.conflict_id != c.id:
            raise UserError(f"نامزد «{take}» از نامزدهای تعارض {conflict_id} نیست")
        chosen, package = json.loads(cand.value), cand.package_uuid
    else:
        chosen = _parse_value(c, value)
    _apply(session, c, chosen, by, reason)
    c.status, c.resolved_at, c.resolved_by, c.reason = "resolved", utcnow(), by, reason
    c.resolution = dumps(chosen)
    session.add(Provenance(rkey=c.rkey, grp=c.grp, package_uuid=package, batch_uuid="", evaluator="",
                           device_id="", value=dumps(chosen), resolved_by=by or "سرپرست"))
    session.flush()
    files = dict(session.execute(select(ExchangePackage.uuid, ExchangePackage.file_name)).all())
    return _view(session, c, files)


def busy_writer(holder: str) -> str:
    """Who holds an agency (``holder``: their name in the workbench, ``""`` when not known), as said."""
    return f"«{holder}»" if holder else "سرپرست دیگری"


def agency_busy(holder: str, agency: str) -> str:
    """«X is writing this agency now» (a merge, a resolution or an undo of another supervisor), in Persian."""
    from workbench.model.text import persian_digits

    return (f"{busy_writer(holder)} هم‌اکنون دادهٔ دستگاه {persian_digits(agency)} را می‌نویسد "
            "(ادغام، حل تعارض یا بازگردانی)؛ "
            "پس از پایان کار او دوباره بکوشید. چیزی تغییر نکرد.")


def already_resolved(c: Conflict) -> str:
    """«already resolved by X at T», in Persian (T in the local time)."""
    from workbench.model.jalali import format_jalali
    from workbench.model.text import persian_digits

    when = ""
    if c.resolved_at is not None:
        local = c.resolved_at.replace(tzinfo=dt.timezone.utc).astimezone()
        when = f" در {format_jalali(local)} ساعت {persian_digits(local.strftime('%H:%M'))}"
    who = c.resolved_by or "سرپرست"
    return (f"تعارض {persian_digits(c.id)} پیش‌تر حل شده است: «{who}»{when} آن را حل کرد"
            f" (دلیل: {c.reason}). چیزی تغییر نکرد.")


def _apply(session: Session, c: Conflict, chosen, by: str, reason: str) -> None:
    extra = {"resolve": c.id, "reason": reason}
    rec = edits.find(session, c.round_uuid, c.rkey)
    if c.grp != "*":
        if rec is None:
            raise UserError(f"رکورد تعارض {c.id} دیگر در پایگاه داده نیست")
        edits.set_fields(session, rec, chosen, by, "resolve", extra)
        return
    if chosen is None:  # «deleted» chosen
        if rec is not None:
            edits.remove(session, rec, by, "resolve", extra)
    elif rec is None:
        edits.put(session, c.round_uuid, c.rkey, c.table_name, chosen, "", by, "resolve", extra)
    else:
        edits.set_fields(session, rec, {f: v for f, v in chosen.items() if f in rec.values}, by, "resolve", extra)


_TRUE = {"1", "true", "yes", "بله", "آری", "✓", "دارد"}
_FALSE = {"0", "false", "no", "خیر", "نه", "✗", "ندارد"}


def _parse_value(c: Conflict, text: str):
    """A typed value for the conflict's group: JSON for a group of several fields, else the field's own type."""
    if c.grp == "*":
        raise UserError("برای تعارض حذف فقط یکی از نامزدها یا base را می‌توان برگزید (--take)")
    fields = SPEC_BY_TABLE[c.table_name].groups[c.grp]
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        parsed = text
    if isinstance(parsed, dict):
        if set(parsed) != set(fields):
            raise UserError(f"مقدار باید همهٔ این خانه‌ها را داشته باشد: {', '.join(fields)}")
        return {f: _typed(c.table_name, f, v) for f, v in parsed.items()}
    if len(fields) != 1:
        raise UserError(f"این گروه چند خانه دارد؛ مقدار را به شکل JSON بدهید، مثلاً {{{', '.join(repr(f) for f in fields)}}}")
    return {fields[0]: _typed(c.table_name, fields[0], parsed)}


def _typed(table: str, field_name: str, value):
    from sqlalchemy import Boolean, Date, Float, Integer

    from workbench.model.text import ascii_digits

    column = SPEC_BY_TABLE[table].model.__table__.c[field_name]
    if value is None or (isinstance(value, str) and value.strip() == "" and not isinstance(column.type, (type(None),))
                         and column.nullable):
        return None
    text = ascii_digits(str(value)).strip()
    try:
        if isinstance(column.type, Boolean):
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError
        if isinstance(column.type, Integer):
            return int(float(text))
        if isinstance(column.type, Float):
            return float(text.replace("٫", "."))
        if isinstance(column.type, Date):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise UserError(f"«{value}» برای «{field_name}» مقدار درستی نیست") from None
    return str(value)
