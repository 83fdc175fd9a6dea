"""The demo's service identity cards (003): level, nature, channels per stage, links, documents, visit reasons.

Drawn from a generator of their own, seeded by the service and the unit, so adding the cards leaves every
other figure of the demo as it was.
"""
from __future__ import annotations

import random

from workbench.demo.data import NATIONAL_AGENCIES

_DOCUMENTS = (
    "اصل کارت ملی",
    "اصل شناسنامه",
    "فرم تکمیل‌شدهٔ درخواست",
    "مدرک تحصیلی",
    "سند مالکیت",
    "گواهی پایان خدمت یا معافیت",
    "قرارداد اجاره یا سند محل",
    "تصویر کارت ملی",
)
_VISIT_REASONS = ("جهت احراز اصالت فرد", "جهت احراز اصالت مدرک", "نبود زیرساخت ارتباطی مناسب")


def service_card(service: dict, unit_code: str, level: str) -> dict:
    """The card fields of one demo service (``service``: its row with the plan flags)."""
    rng = random.Random(f"{unit_code}/{service['service_id']}")
    counter = service["in_counter_plan"]
    # Few sovereign services in the counter offices' plan (the guide, indicator 3: those that may be handed over
    # are not sovereign; the few there show that they are not counted).
    sovereign = (not counter and (service["kind"] == "G2G" or rng.random() < 0.3)) or rng.random() < 0.04
    request = _channels(rng, service["in_request_plan"], counter)
    delivery = _channels(rng, service["in_delivery_plan"], counter)
    links = ""
    if service["in_gsb_plan"]:
        names = rng.sample([a.name for a in NATIONAL_AGENCIES], k=rng.randint(1, 2))
        links = "، ".join(names)
    in_person = "in_person" in request.split() or "in_person" in delivery.split()
    return {
        "service_level": "national" if level == "national" else rng.choice(("provincial", "provincial", "urban")),
        "nature": "sovereign" if sovereign else "enterprise",
        "info_channels": "internet sms" if rng.random() < 0.4 else "internet",
        "request_channels": request,
        "delivery_channels": delivery,
        "other_agencies": links,
        "documents": "، ".join(rng.sample(_DOCUMENTS, k=rng.randint(1, 3))),
        "visit_reasons": rng.choice(_VISIT_REASONS) if in_person else "",
    }


def _channels(rng: random.Random, electronic: bool, counter: bool) -> str:
    codes = []
    if electronic:
        codes.append("internet")
        if rng.random() < 0.35:
            codes.append("mobile")
    if counter:
        codes.append("counter")
    if not electronic or rng.random() < 0.2:
        codes.append("in_person")
    return " ".join(codes)
