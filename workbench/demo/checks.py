"""The demo's per-service checks (4.7's SLA sections, 9.2.3's survey tool, 11's copies) and 4.3.1's checklist.

Each from a generator of its own, seeded by the assessment and the service, so the rest of the demo draws
what it drew before these were modelled.
"""
from __future__ import annotations

import random
import uuid

from workbench.model.checklists import Marks
from workbench.model.framework import Item
from workbench.model.terms import CHECK_FIELDS, SECTIONED_STAGES, STAGE_FIELDS, section_field

__all__ = ("CHECK_FIELDS", "demo_checks", "demo_marks", "demo_uuid", "section_uuid")
_SECTIONS = uuid.UUID("5b6c0e1e-9d4a-4c39-9a37-0e7f7c2f2b11")


def demo_marks(item: Item, good: bool, assessment_uuid: str) -> str:
    """Appendix A's entries an agency meets: nearly all when ``good``, about half otherwise."""
    rng = random.Random(f"{assessment_uuid}/{item.key}")
    keys = [e.key for e in item.checklist.entries]
    share = 0.9 if good else 0.45
    ticked = frozenset(k for k in keys if rng.random() < share)
    not_applicable = frozenset(k for k in keys[3:4] if rng.random() < 0.3)  # «خدمات دستگاه‌های زیرمجموعه»
    return Marks(ticked - not_applicable, not_applicable).text()


def demo_checks(checked: dict[str, bool], service_id: str, assessment_uuid: str, sla_keys: tuple[str, ...]) -> dict:
    """A service's per-service checks for the stages the evaluator got to (``checked``: stage -> does well).

    4.7's SLA sections come as ``sla_KEY`` (``sla_keys``: the framework's sections, appendix C's order).
    """
    rng = random.Random(f"{assessment_uuid}/{service_id}")
    out = {}
    for stage, good in checked.items():
        fields = tuple(section_field(stage, k) for k in sla_keys) if stage in SECTIONED_STAGES else STAGE_FIELDS[stage]
        if len(fields) > 1:  # an SLA: complete for most services of a good agency, patchy otherwise
            complete = rng.random() < (0.8 if good else 0.3)
            out.update({f: complete or rng.random() < 0.6 for f in fields})
        else:
            out[fields[0]] = good or rng.random() < 0.7
    return out


def section_uuid(judgement_uuid: str, section: str) -> str:
    """A section row's UUID from its judgement's (as schema 0011 made them from the columns it replaced)."""
    return str(uuid.uuid5(_SECTIONS, f"{judgement_uuid}/{section}"))


def demo_uuid(service_id: str, assessment_uuid: str) -> str:
    """The UUID of a judgement row only the per-service checks make (never from the demo's main generator)."""
    return str(uuid.UUID(int=random.Random(f"{assessment_uuid}/{service_id}/row").getrandbits(128), version=4))
