"""The three SLAs in ../shared/seeds as an evaluator receives them, judged against appendix C (4.7).

Each sample's text is read, its numbered section headings found («مقدمه .1», «2) هدف», …: the files are
text taken from PDFs, so a heading's words may come out of order, «دف:ه .2» for «هدف»), and each of
appendix C's sections (the framework file's ``per_service.sections`` of 4.7.1) is judged met when a
heading names it, as the evaluator ticks the services table.  What each sample has, read by hand:

- 000 (سازمان فناوری اطلاعات، «ارائه خدمات کسب‌وکارهای نوپا»): 1 مقدمه, 2 هدف, 3 مسئولیت, 4 تعهدات متقابل,
  5 داده‌های مرتبط با خدمت (not in appendix C), 6 هزینه‌ها و پرداخت‌ها, 7 فرآیند حل اختلاف, 8 دوره عملکرد,
  9 خاتمه توافقنامه.  Lacks appendix C's «شرایط و استثنایها» (section 4's second requirement).
- 001 (سازمان فناوری اطلاعات، «ارزیابی فنی خدمات الکترونیکی»): 1 مقدمه … 7 خاتمه, appendix C's seven
  headings exactly.  Lacks «شرایط و استثنایها» and a dispute process («حل و فصل تناقضات و جبران عدم ارائه
  خدمت»: its section 4 promises to look into complaints, with no heading or compensation).  Its section 7
  says only «این توافقنامه در هفت بند تدوین شده است»: met by its heading, as the evaluator here judges by
  headings (the entry's note is where a stricter evaluator says otherwise).
- 004 («ارائه گزارش رصد منابع», on budget resources): 1 مقدمه, 2 هدف, 3 مسئولیت, 4 تعهدات متقابل, 5 هزینه‌ها و
  پرداخت‌ها, 6 دوره عملکرد, 7 خاتمه توافقنامه.  Lacks «شرایط و استثنایها» and a dispute process.

«درج آن در بخش معرفی خدمات در وبگاه» is not in a document: the evaluator looks at the site; here each
sample is taken as published there.  None of the three has every section, so a service presenting it
does not earn its part of 4.7.1: with three other services whose SLAs are complete, 3 × 3 / 4 = 2.25
of 3 points (the framework's assumed share rule), and 3 × 4 / 4 when the missing sections are added.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from workbench_fixture import NATIONAL_CODE, SERVICES, build_fixture

from workbench.model.assessments import find_agency, score_assessment
from workbench.model.checklists import stage_sections
from workbench.model.editing import Edit
from workbench.model.framework import load_default_framework
from workbench.model.schema import Assessment
from workbench.model.store import open_store

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
IDS = [s[0] for s in SERVICES]

#: A numbered heading: «1) مقدمه», «مقدمه .1», «دوره عملکرد  .6» (short lines only: list items are long).
HEADING = re.compile(r"^\s*\d+\s*[\.\)]|\.\s*\d+\s*$")
#: Appendix C's sections by the words a heading names them with (after the letters are made one form).
NAMES = {
    "intro": r"مقدمه",
    "purpose": r"هدف|دف\W*ه",  # «دف:ه .2» in 004
    "responsibility": r"مسئولیت",
    "obligations": r"تعهدات\s*متقابل",
    "conditions": r"استثنا|شرایط",
    "disputes": r"اختلاف|تناقض|جبران",
    "costs": r"هزینه",
    "period": r"دوره\s*عملکرد",
    "termination": r"خاتمه",
}
#: What each sample has and lacks, read by hand (the module's docstring says where).
SAMPLES = {
    "000": {"has": {"intro", "purpose", "responsibility", "obligations", "disputes", "costs", "period",
                    "termination"}, "lacks": {"conditions"}, "headings": 9},
    "001": {"has": {"intro", "purpose", "responsibility", "obligations", "costs", "period", "termination"},
            "lacks": {"conditions", "disputes"}, "headings": 7},
    "004": {"has": {"intro", "purpose", "responsibility", "obligations", "costs", "period", "termination"},
            "lacks": {"conditions", "disputes"}, "headings": 7},
}


def _sample(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _plain(text: str) -> str:
    return text.replace("ي", "ی").replace("ك", "ک").replace("\u200c", "")


def headings(text: str) -> list[str]:
    return [line.strip() for line in _plain(text).splitlines()
            if line.strip() and len(line.strip()) < 80 and HEADING.search(line.strip())]


def sections_found(text: str) -> set[str]:
    found = set()
    for line in headings(text):
        found |= {key for key, words in NAMES.items() if re.search(words, line)}
    return found


@pytest.fixture
def wb(tmp_path):
    st = open_store(build_fixture(tmp_path / "w.sqlite"), actor="ارزیاب")
    yield st
    st.close()


def _judge(wb, service_id: str, met: set[str], keys: tuple[str, ...]) -> None:
    with wb.session() as s:
        agency = find_agency(s, NATIONAL_CODE)
        uuid = s.scalar(select(Assessment.uuid).where(Assessment.agency_uuid == agency.uuid))
        Edit("judgement", uuid, service_id, {f"sla_{k}": k in met for k in keys}).apply(s)


def _earned(wb) -> float:
    with wb.session() as s:
        return score_assessment(s, s.scalar(select(Assessment)))["4.7.1"].earned


def test_appendix_c_sections_are_the_framework_files_and_quote_the_guide():
    guide = _plain(next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8"))
    sections = stage_sections(load_default_framework())
    assert [s.key for s in sections] == [*NAMES, "published"]
    for s in sections:
        for quoted in re.findall(r"«([^«»]{20,})»", s.quote):
            assert _plain(quoted) in guide, (s.key, quoted)


@pytest.mark.parametrize("prefix", sorted(SAMPLES))
def test_each_sample_sla_is_judged_by_the_headings_it_has(prefix, wb):
    text = _sample(prefix)
    expected = SAMPLES[prefix]
    assert len(headings(text)) == expected["headings"]
    found = sections_found(text)
    assert found == expected["has"] and not found & expected["lacks"]
    assert expected["has"] | expected["lacks"] == set(NAMES)

    keys = tuple(s.key for s in stage_sections(load_default_framework()))
    for other in IDS[1:]:  # three services whose SLAs have every section and are on the site
        _judge(wb, other, set(keys), keys)
    _judge(wb, IDS[0], found | {"published"}, keys)  # the sample, on the agency's site
    assert _earned(wb) == pytest.approx(3 * 3 / 4)  # 2.25 of 3: the sample's service earns nothing
    _judge(wb, IDS[0], found | expected["lacks"] | {"published"}, keys)  # the missing sections added
    assert _earned(wb) == pytest.approx(3.0)
