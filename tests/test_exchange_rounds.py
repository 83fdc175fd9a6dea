"""The exchange and the rounds: an assignment of an earlier round carries the agencies as that round kept them.

A master that has opened 1404 and renamed an agency (an import into 1404) may still hand out
round 1403 (a contested result re-examined).  The assignment carries the 1403 details, the
laptop prints them for 1403 whichever round it received first, and the package that comes back
is not reported as disagreeing with the master's agency facts.
"""
from __future__ import annotations

import json
import zipfile

from exchange_fixture import do_merge, do_receive
from sqlalchemy import select

from workbench.exchange.export import export
from workbench.model.assessments import find_round, round_assessments
from workbench.model.framework import load_default_framework
from workbench.model.rounds import open_round
from workbench.model.schema import Agency
from workbench.model.store import open_store

NEW_NAME, NEW_PROVINCE, NEW_PARENT = "واحد فیروزه‌نشان", "استان زمردین", "سازمان یاقوت‌گون"


def _next_round_and_rename(master) -> tuple[str, dict]:
    """Open 1404 from 1403 on the master, then rename a unit and its parent as an import into 1404 would."""
    store = open_store(master, actor="سرپرست")
    try:
        with store.session() as s:
            open_round(s, 1404, load_default_framework(), 1403)
        with store.session() as s:
            unit = s.scalars(select(Agency).where(Agency.parent_uuid.is_not(None)).order_by(Agency.code)).first()
            parent = s.get(Agency, unit.parent_uuid)
            old = {"name": unit.name, "province": unit.province, "parent": parent.name, "parent_code": parent.code}
            unit.name, unit.province, parent.name = NEW_NAME, NEW_PROVINCE, NEW_PARENT
            return unit.code, old
    finally:
        store.close()


def _assign(master, code: str, year: int, out):
    from workbench.exchange.assign import assign

    store = open_store(master, actor="سرپرست")
    try:
        with store.session() as s:
            assign(s, "مریم", [code], out, year=year, issued_by="سرپرست")
    finally:
        store.close()
    return out


def _as_seen(db, code: str) -> dict[int, tuple[str, str]]:
    """Each round's view of the agency on ``db``: year → (name, province)."""
    store = open_store(db)
    try:
        with store.session() as s:
            out = {}
            for year in (1403, 1404):
                try:
                    rnd = find_round(s, year)
                except Exception:  # the round is not on this database
                    continue
                seen = {ag.code: ag for _, ag in round_assessments(s, rnd)}
                if code in seen:
                    out[year] = (seen[code].name, seen[code].province)
            return out
    finally:
        store.close()


def test_an_earlier_rounds_assignment_carries_and_keeps_that_rounds_details(tmp_path, master):
    code, old = _next_round_and_rename(master)
    a1403 = _assign(master, code, 1403, tmp_path / "a1403.wbp")
    a1404 = _assign(master, code, 1404, tmp_path / "a1404.wbp")
    with zipfile.ZipFile(a1403) as z:
        carried = [json.loads(line) for line in z.read("agencies.jsonl").decode().splitlines()]
    assert [(r["code"], r["name"], r["province"], r["parent_code"]) for r in carried] == [
        (code, old["name"], old["province"], old["parent_code"])]
    with zipfile.ZipFile(a1404) as z:
        assert json.loads(z.read("agencies.jsonl").decode().splitlines()[0])["name"] == NEW_NAME

    # Either order of arrival: 1403 reads as 1403 kept it, 1404 as it is now.
    first_old = tmp_path / "first-old.sqlite"
    do_receive(a1403, first_old)
    assert _as_seen(first_old, code) == {1403: (old["name"], old["province"])}
    do_receive(a1404, first_old)
    first_new = tmp_path / "first-new.sqlite"
    do_receive(a1404, first_new)
    do_receive(a1403, first_new)
    for db in (first_old, first_new):
        assert _as_seen(db, code) == {1403: (old["name"], old["province"]), 1404: (NEW_NAME, NEW_PROVINCE)}, db

    # The printed summary of 1403 on the laptop names the agency as 1403 did.
    from workbench.reports.summary_html import load_source, render_html

    store = open_store(first_new)
    try:
        with store.session() as s:
            assessment = next(a for a, ag in round_assessments(s, find_round(s, 1403)) if ag.code == code)
            src = load_source(s, assessment)
            assert (src.agency.name, src.agency.province) == (old["name"], old["province"])
            page = render_html(src)
            assert "فیروزه‌نشان" not in page and "زمردین" not in page and "یاقوت‌گون" not in page
        with store.session() as s:
            package = export(s, tmp_path / "back.wbp", year=1403)
    finally:
        store.close()

    # Back on the master: the 1403 package agrees with what 1403 kept; nothing about the agency is said.
    result = do_merge(master, [package.path])
    outcome = result.packages[0]
    assert outcome.status == "merged", outcome.errors
    assert not [w for w in outcome.warnings if "مشخصات دستگاه" in w]
    assert _as_seen(master, code) == {1403: (old["name"], old["province"]), 1404: (NEW_NAME, NEW_PROVINCE)}
