"""The demo's agencies and services: national agencies, their provincial directorates and county
offices, each with its services and operational plan (part of ``build.py``'s generator).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import insert

from workbench.demo.cards import service_card
from workbench.demo.data import (
    ACTOR,
    COUNTY_GROUP,
    NATIONAL_AGENCIES,
    PROVINCES,
    PROVINCIAL_GROUP,
    SERVICE_VERBS,
    SUB_SERVICE_QUALIFIERS,
    SUBMITTED,
    NationalAgency,
)
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
from workbench.model.terms import SERVICE_KINDS, STAGES

_COUNTIES = sum(len(c) for _, _, c in PROVINCES)
#: The most units the name lists can make: every national agency with a
#: directorate in every province and an office in every listed county.
MAX_AGENCIES = len(NATIONAL_AGENCIES) * (1 + len(PROVINCES) + _COUNTIES)


@dataclass
class Unit:
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
class CatalogueEntry:
    service_id: str
    title: str
    parent_id: str
    kind: str


@dataclass
class Rows:
    """Rows of one batch, per model, in the order foreign keys need them."""

    by_model: dict = field(default_factory=dict)

    def add(self, model, row: dict) -> None:
        self.by_model.setdefault(model, []).append(row)

    def write(self, session) -> None:
        # Bulk INSERT statements skip the session's before_flush hook, so these
        # generated rows get no audit entries (the round carries one "demo"
        # event instead).  That is right for invented data and keeps 2,500
        # agencies to seconds; real edits always go through the ORM.
        for model in (Service, Assessment, Answer, ServiceJudgement, ServiceSection, NaAgreement, Evidence, ReformRow,
                      ReformAction):
            rows = self.by_model.get(model)
            if rows:
                session.execute(insert(model), rows)
        self.by_model.clear()


class UnitMaker:
    """The generator's agencies and services (mixed into ``build._Generator``, which holds the state)."""

    def _units(self) -> list[Unit]:
        """National agencies first, then directorates, then county offices (parents before children)."""
        rng = self.rng
        n_national = min(len(NATIONAL_AGENCIES), max(1, round(self.count / 3)))
        chosen = sorted(rng.sample(range(len(NATIONAL_AGENCIES)), n_national))
        nationals = []
        for index in chosen:
            nat = NATIONAL_AGENCIES[index]
            nationals.append(
                Unit(
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

    def _directorate(self, nat: Unit, p: int) -> Unit:
        province, slug, _ = PROVINCES[p]
        return Unit(
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

    def _county_office(self, directorate: Unit, c: int) -> Unit:
        p = next(i for i, row in enumerate(PROVINCES) if row[0] == directorate.province)
        county = PROVINCES[p][2][c]
        return Unit(
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

    def _write_agencies(self, units: list[Unit]) -> None:
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

    def _catalogue(self, index: int) -> list[CatalogueEntry]:
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
            entries.append(CatalogueEntry(parent_id, title, "", kind))
            for k, qualifier in enumerate(rng.sample(SUB_SERVICE_QUALIFIERS, rng.choice((0, 0, 1, 2, 3, 4)))):
                entries.append(CatalogueEntry(f"{prefix:03d}{number:03d}{100 + k}", f"{title} ({qualifier})", parent_id, kind))
        self.catalogues[index] = entries
        return entries

    def _services(self, unit: Unit) -> list[dict]:
        rng = self.rng
        catalogue = self._catalogue(unit.national_index)
        families: dict[str, list[CatalogueEntry]] = {}
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
        for stage in STAGES:
            flag = f"in_{stage}_plan"
            if not any(s[flag] for s in services):
                rng.choice(services)[flag] = True
        for s in services:
            s.update(service_card(s, unit.code, unit.level))
        return services

