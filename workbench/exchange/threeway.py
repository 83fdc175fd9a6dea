"""The three-way merge of one agency: what the package says (P), what it started from (B), the master (M).

Per record (by natural key) and per field group:

* P = B: the package did not change it — nothing to do.
* an open conflict on it: the package's value joins the candidates.
* M = P: both made the same change — no conflict (the package is noted as a source).
* M = B: changed on the package's side only — take P.
* otherwise a conflict: every side's value is a candidate and the field holds
  B (what both started from) while it is open, so the result does not depend
  on which package came first.

A record the master lacks is added when the evaluator made it (no base) and
never brought back when the master deleted it (a change to it is a delete
conflict).  A tombstone deletes the master's record only where it is
unchanged since the base.  A final assessment is never changed: a package's
change to it is a conflict.  No timestamp decides anything.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from workbench.exchange.records import SPEC_BY_TABLE, SPECS, Rec, Records, defaults


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0


def _group(values: dict, fields: tuple[str, ...], group: str) -> dict:
    out = {f: values.get(f) for f in fields}
    if group == "status" and out.get("status") == "final":
        out["status"] = "complete"  # a merge never makes an assessment final by itself
    return out


def merge_agency(sink, code: str, pkg: Records, base: Records, master: Records, tombstones: set[str], counts: Counts) -> None:
    """Decide every record of one agency and hand the writes to ``sink`` (see ``writer.Sink``)."""
    final = any(r.table == "assessments" and r.values.get("status") == "final" for r in master.values())
    pkg_uuids = {r.uuid: k for k, r in pkg.items()}
    deleted = set()
    for k, r in base.items():
        if k in pkg:
            continue
        if r.uuid in tombstones or pkg_uuids.get(r.uuid, k) != k:  # deleted, or its key fields edited
            deleted.add(k)
    for spec in SPECS:
        keys = sorted(k for k in set(pkg) | deleted if (pkg.get(k) or base[k]).table == spec.table)
        for k in keys:
            if k in pkg:
                _merge_record(sink, code, k, pkg[k], base.get(k), master.get(k), final, counts)
            else:
                _delete_record(sink, code, k, base[k], master.get(k), final, counts)


def _merge_record(sink, code: str, k: str, p: Rec, b: Rec | None, m: Rec | None, final: bool, counts: Counts) -> None:
    if b is not None and m is not None and p.values == b.values:
        counts.unchanged += 1  # the package did not touch it (most records of most packages)
        return
    spec = SPEC_BY_TABLE[p.table]
    bvals = b.values if b is not None else defaults(p.table)
    if m is None:
        if b is None:
            if final:
                sink.conflict(code, k, p.table, "*", "final", None, [sink.master_candidate(None)], p.values)
                counts.conflicts += 1
                return
            sink.insert(code, k, p)
            for g, fields in spec.groups.items():
                if _group(p.values, fields, g) != _group(bvals, fields, g):
                    sink.provenance(k, g, _group(p.values, fields, g))
            counts.added += 1
            return
        if all(_group(p.values, f, g) == _group(bvals, f, g) for g, f in spec.groups.items()):
            counts.unchanged += 1  # deleted in the master; a stale copy never brings it back
            return
        sink.conflict(code, k, p.table, "*", "delete", b.values, sink.candidates_for(k, "*", None), p.values)
        sink.insert(code, k, Rec(b.table, b.uuid, dict(b.values)))  # held at the base while the conflict is open
        counts.conflicts += 1
        return
    changes: dict = {}
    before: dict = {}
    conflicted = taken = False
    for g, fields in spec.groups.items():
        pv, bv, mv = _group(p.values, fields, g), _group(bvals, fields, g), _group(m.values, fields, g)
        if pv == bv:
            continue
        if sink.add_to_open_conflict(k, g, pv):
            counts.conflicts += 1
            conflicted = True
            continue
        if mv == pv:
            sink.provenance(k, g, pv)
            continue
        if final:
            sink.conflict(code, k, p.table, g, "final", mv, sink.candidates_for(k, g, mv), pv)
            counts.conflicts += 1
            conflicted = True
            continue
        if mv == bv:
            changes.update(pv)
            before.update(mv)
            taken = True
            sink.provenance(k, g, pv)
            sink.change(k, p.table, m.uuid, g, "update", mv, pv)
            continue
        sink.conflict(code, k, p.table, g, "value", bv, sink.candidates_for(k, g, mv), pv)
        changes.update(bv)
        before.update(mv)
        sink.change(k, p.table, m.uuid, g, "update", mv, bv)
        counts.conflicts += 1
        conflicted = True
    if changes:
        sink.update(p.table, m.uuid, before, changes)
    if taken:
        counts.updated += 1
    elif not conflicted:
        counts.unchanged += 1


def _delete_record(sink, code: str, k: str, b: Rec, m: Rec | None, final: bool, counts: Counts) -> None:
    if m is None or b.table == "assessments":  # already gone; an assessment is never deleted by a merge
        counts.unchanged += 1
        return
    spec = SPEC_BY_TABLE[b.table]
    if sink.add_to_open_conflict(k, "*", None):
        counts.conflicts += 1
        return
    unchanged = all(_group(m.values, f, g) == _group(b.values, f, g) for g, f in spec.groups.items())
    if final or not unchanged:
        kind = "final" if final else "delete"
        sink.conflict(code, k, b.table, "*", kind, m.values if final else b.values,
                      sink.record_candidates(k, m.values), None)
        if not final:  # held at the base while the conflict is open, as when the deletion came first
            held = {f: b.values.get(f) for f in m.values if m.values.get(f) != b.values.get(f)}
            if held:
                sink.update(b.table, m.uuid, {f: m.values.get(f) for f in held}, held)
                sink.change(k, b.table, m.uuid, "*", "update", {f: m.values.get(f) for f in held}, held)
        counts.conflicts += 1
        return
    sink.delete(code, k, m)
    counts.updated += 1
