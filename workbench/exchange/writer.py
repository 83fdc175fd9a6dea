"""The writes of one package's merge, collected and written in a few statements.

Every change the merge makes in the master goes through :class:`Sink`: the
record itself (audited with the **evaluator** as its author), the change
log that lets ``unmerge`` undo it, and the provenance of every field group
it set.  Conflicts are written at once (their ids name their candidates).
"""
from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from workbench.exchange.records import SPEC_BY_TABLE, SPECS, Rec, to_column
from workbench.exchange.tables import Conflict, ConflictCandidate, MergeChange, Provenance
from workbench.exchange.threeway import dumps
from workbench.model.schema import AuditEntry, Tombstone, new_uuid


class Sink:
    def __init__(self, session: Session, *, batch: str, package: str, evaluator: str, device: str, round_uuid: str,
                 agency_uuid: dict[str, str], assessment_uuid: dict[str, str], now):
        self.s = session
        self.batch, self.package, self.evaluator, self.device = batch, package, evaluator, device
        self.round_uuid, self.agency_uuid, self.assessment_uuid, self.now = round_uuid, agency_uuid, assessment_uuid, now
        self.inserts: dict[str, list[dict]] = {s.table: [] for s in SPECS}
        self.updates: list[tuple[str, str, dict, dict]] = []
        self.deletes: list[tuple[str, str]] = []
        self.changes: list[dict] = []
        self.prov: list[dict] = []
        self.audit: list[dict] = []
        self.open: dict[tuple[str, str], int] = {}
        self.conflict_ids: list[int] = []

    # ------------------------------------------------------------------ conflicts

    def load_open_conflicts(self, agency_codes: list[str]) -> None:
        for i in range(0, len(agency_codes), 500):
            rows = self.s.execute(select(Conflict.id, Conflict.rkey, Conflict.grp).where(
                Conflict.status == "open", Conflict.round_uuid == self.round_uuid,
                Conflict.agency_code.in_(agency_codes[i : i + 500])))
            for cid, rkey, grp in rows:
                self.open[(rkey, grp)] = cid

    def _candidate(self, value, package=None) -> dict:
        return {"package_uuid": self.package if package is None else package, "evaluator": self.evaluator,
                "device_id": self.device, "batch_uuid": self.batch, "value": dumps(value)}

    def master_candidate(self, value) -> dict:
        return {"package_uuid": "", "evaluator": "", "device_id": "", "batch_uuid": "", "value": dumps(value)}

    def candidates_for(self, k: str, g: str, value) -> list[dict]:
        """Who brought the master's current value: each such package is a candidate, else the master itself."""
        text = dumps(value)
        rows = self.s.execute(select(Provenance).where(Provenance.rkey == k, Provenance.grp == g)).scalars().all()
        seen, out = set(), []
        for r in rows:
            if r.value == text and r.package_uuid and r.package_uuid not in seen:
                seen.add(r.package_uuid)
                out.append({"package_uuid": r.package_uuid, "evaluator": r.evaluator, "device_id": r.device_id,
                            "batch_uuid": r.batch_uuid, "value": text})
        return out or [self.master_candidate(value)]

    def record_candidates(self, k: str, values: dict) -> list[dict]:
        """The master's whole record as a candidate, named by the packages that changed it (else the master)."""
        text = dumps(values)
        rows = self.s.execute(select(Provenance).where(Provenance.rkey == k).order_by(Provenance.id)).scalars().all()
        seen, out = set(), []
        for r in rows:
            if r.package_uuid and r.package_uuid not in seen:
                seen.add(r.package_uuid)
                out.append({"package_uuid": r.package_uuid, "evaluator": r.evaluator, "device_id": r.device_id,
                            "batch_uuid": r.batch_uuid, "value": text})
        return out or [self.master_candidate(values)]

    def add_to_open_conflict(self, k: str, g: str, value) -> bool:
        cid = self.open.get((k, g))
        if cid is None:
            return False
        # A device's newer package replaces that device's earlier candidate.
        self.s.execute(delete(ConflictCandidate).where(
            ConflictCandidate.conflict_id == cid, ConflictCandidate.device_id == self.device))
        self.s.execute(insert(ConflictCandidate), [dict(self._candidate(value), conflict_id=cid)])
        return True

    def conflict(self, code: str, k: str, table: str, g: str, kind: str, base, others: list[dict], value) -> None:
        c = Conflict(round_uuid=self.round_uuid, agency_code=code, table_name=table, rkey=k, grp=g, kind=kind,
                     base=dumps(base), status="open", batch_uuid=self.batch)
        self.s.add(c)
        self.s.flush()
        rows = [dict(o, conflict_id=c.id) for o in others] + [dict(self._candidate(value), conflict_id=c.id)]
        self.s.execute(insert(ConflictCandidate), rows)
        self.open[(k, g)] = c.id
        self.conflict_ids.append(c.id)

    # ------------------------------------------------------------------ records

    def provenance(self, k: str, g: str, value) -> None:
        self.prov.append({"rkey": k, "grp": g, "package_uuid": self.package, "batch_uuid": self.batch,
                          "evaluator": self.evaluator, "device_id": self.device, "value": dumps(value),
                          "resolved_by": ""})

    def change(self, k: str, table: str, row_uuid: str, g: str, action: str, before, after) -> None:
        self.changes.append({"batch_uuid": self.batch, "package_uuid": self.package, "table_name": table,
                             "row_uuid": row_uuid, "rkey": k, "grp": g, "action": action,
                             "before": dumps(before), "after": dumps(after)})

    def insert(self, code: str, k: str, rec: Rec) -> None:
        spec = SPEC_BY_TABLE[rec.table]
        row = {f: to_column(rec.table, f, v) for f, v in rec.values.items()}
        row.update(uuid=rec.uuid, created_at=self.now, updated_at=self.now, updated_by=self.evaluator)
        if spec.parent == "agency":
            row.update(round_uuid=self.round_uuid, agency_uuid=self.agency_uuid[code])
        else:
            row["assessment_uuid"] = self.assessment_uuid[code]
        self.inserts[rec.table].append(row)
        if rec.table == "assessments":
            self.assessment_uuid[code] = row["uuid"]
        self.change(k, rec.table, row["uuid"], "*", "insert", None, rec.values)
        self._audit("insert", rec.table, row["uuid"], {f: [None, v] for f, v in rec.values.items() if v not in (None, "", False)})

    def update(self, table: str, row_uuid: str, before: dict, after: dict) -> None:
        self.updates.append((table, row_uuid, before, after))
        self._audit("update", table, row_uuid, {f: [before[f], after[f]] for f in after if before.get(f) != after[f]})

    def delete(self, code: str, k: str, m: Rec) -> None:
        parent = {"agency": code}
        self.deletes.append((m.table, m.uuid))
        self.provenance(k, "*", None)  # who deleted it: a candidate if a later package changes it
        self.change(k, m.table, m.uuid, "*", "delete", {"values": m.values, "parent": parent}, None)
        self._audit("delete", m.table, m.uuid, {})

    def _audit(self, action: str, table: str, row_uuid: str, changes: dict) -> None:
        self.audit.append({"uuid": new_uuid(), "at": self.now, "actor": self.evaluator, "action": action,
                           "table_name": table, "row_uuid": row_uuid,
                           "changes": json.dumps(changes, ensure_ascii=False) if changes else ""})

    # ------------------------------------------------------------------ writing

    def write(self) -> None:
        s = self.s
        renamed = taken_fix(s, self.inserts)
        for row in self.audit + self.changes:
            row["row_uuid"] = renamed.get(row["row_uuid"], row["row_uuid"])
        for spec in SPECS:
            if self.inserts[spec.table]:
                s.execute(insert(spec.model.__table__), self.inserts[spec.table])
                ids = [r["uuid"] for r in self.inserts[spec.table]]
                for i in range(0, len(ids), 500):  # a record held back at its base lives again
                    s.execute(delete(Tombstone).where(Tombstone.uuid.in_(ids[i : i + 500])))
        by_shape: dict[tuple, list[dict]] = {}
        for table, row_uuid, _before, after in self.updates:
            params = {f"v_{f}": to_column(table, f, v) for f, v in after.items()}
            params["w_uuid"] = row_uuid
            by_shape.setdefault((table, tuple(sorted(after))), []).append(params)
        for (table, fields), rows in by_shape.items():  # one executemany per table and set of fields
            t = SPEC_BY_TABLE[table].model.__table__
            stmt = update(t).where(t.c.uuid == bindparam("w_uuid")).values(
                {**{f: bindparam(f"v_{f}") for f in fields}, "updated_at": self.now, "updated_by": self.evaluator})
            s.connection().execute(stmt, rows)
        for table, row_uuid in sorted(self.deletes, key=lambda d: -[sp.table for sp in SPECS].index(d[0])):
            model = SPEC_BY_TABLE[table].model
            s.execute(delete(model.__table__).where(model.__table__.c.uuid == row_uuid))
            s.merge(Tombstone(uuid=row_uuid, table_name=table, deleted_at=self.now, deleted_by=self.evaluator))
        if self.audit:
            s.execute(insert(AuditEntry.__table__), self.audit)
        if self.prov:
            s.execute(insert(Provenance.__table__), self.prov)
        if self.changes:
            s.execute(insert(MergeChange.__table__), self.changes)
        s.flush()


def taken_fix(session: Session, inserts: dict[str, list[dict]]) -> dict[str, str]:
    """A record keeps the UUID the evaluator gave it unless the master already uses that UUID."""
    renamed: dict[str, str] = {}
    for spec in SPECS:
        rows = inserts[spec.table]
        if not rows:
            continue
        col = spec.model.__table__.c.uuid
        wanted = [r["uuid"] for r in rows]
        taken = set()
        for i in range(0, len(wanted), 500):
            taken.update(session.scalars(select(col).where(col.in_(wanted[i : i + 500]))))
        seen = set()
        for r in rows:
            if "assessment_uuid" in r and r["assessment_uuid"] in renamed:
                r["assessment_uuid"] = renamed[r["assessment_uuid"]]
            if r["uuid"] in taken or r["uuid"] in seen:
                renamed[r["uuid"]] = new = new_uuid()
                r["uuid"] = new
            seen.add(r["uuid"])
    return renamed
