"""The identity card (003) against the evaluator's judgements: its channels (indicators 1–2), its documents (11).

The card records per stage whether the service is electronic and through which channels; the evaluator
judges the request stage (indicator 1's four capabilities) and the delivery stage (indicator 2).  Where the
two disagree the evaluator is shown it beside the judgement and the supervisor gets a list
(``workbench report na``, sheet «ناهمخوانی با شناسنامه»): information for the evaluator's «کنترل», never a
change of points.

What counts as a disagreement (the guide's and the card's words):

* the card says the stage is electronic — one of the guide's remote channels
  (``terms.REMOTE_CHANNELS``: «پست الکترونیک؛ تلفن گویا یا مرکز تماس؛ تلفن همراه (برنامه کاربردی)؛ ارسال
  پستی؛ پیام کوتاه؛ … اینترنتی», or the card's own «الکترونیکی») — and the evaluator judged it not
  electronic: at the request stage one of the four capabilities judged missing, at delivery «خیر»;
* the card names only channels that take the person somewhere (``terms.VISIT_CHANNELS``:
  «غیرالکترونیکی», «دفاتر پیشخوان») and the evaluator judged the stage electronic (at the request stage
  all four capabilities found).

And for indicator 11 («حذف دریافت کپی مدارک هویتی (کارت ملی و شناسنامه) از خدمت گیرندگان»): the card's
«مدارک لازم برای انجام خدمت» name a copy of an identity document («کپی»، «فتوکپی»، «تصویر» or «رونوشت» of
«کارت ملی»، «شناسنامه» or «مدارک هویتی», ``copy_named``) and the evaluator judged that the service takes no
such copy.  (The reverse is not one: a card's list of documents may be short.)

Nothing is a disagreement where either side is silent: a card with no channels for the stage or with
«سایر» and no remote channel (the card does not say which), a service not in the stage's plan, or a
judgement not yet made (at the request stage: no capability judged missing and not all four found).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from workbench.model.schema import Agency, Assessment, Round, Service, ServiceJudgement
from workbench.model.terms import (
    ACCESS_STAGE_TITLES,
    CAPABILITIES,
    CARD_JUDGED_STAGES,
    CHANNEL_STAGES,
    REMOTE_CHANNELS,
    STAGE_FIELDS,
    VISIT_CHANNELS,
    channel_list,
)
from workbench.model.text import normalize

_HEADERS = {c.key: c.header for c in CAPABILITIES}


def card_says_electronic(codes: str) -> bool | None:
    """What the card says of a stage: electronic (True), not (False), or nothing decisive (None)."""
    channels = set(codes.split())
    if channels & set(REMOTE_CHANNELS):
        return True
    if "other" in channels or not channels & set(VISIT_CHANNELS):
        return None
    return False


#: A copy of an identity document among the card's required documents (matched on ``text.normalize``d text).
_COPY = re.compile(r"(?:فتو ?کپی|کپی|تصویر|رونوشت)(?: (?:برابر با اصل|برابر اصل|مصدق|تمام صفحات|همه صفحات|صفحه اول|صفحات))?"
                   r" (?:کارت ملی|شناسنامه|مدارک هویتی|مدرک هویتی)")


def copy_named(documents: str) -> str | None:
    """The card's words that ask for a copy of an identity document (normalised), or ``None``."""
    found = _COPY.search(normalize(documents))
    return found.group(0) if found else None


def judged_electronic(judgement, stage: str) -> tuple[bool | None, tuple[str, ...]]:
    """What the evaluator judged of a stage, and (when not electronic) the fields judged missing.

    ``judgement``: a mapping of field names to values, or an object with them.  At the request stage
    electronic means all four capabilities found; not electronic means one of them judged missing.
    """
    get = judgement.get if isinstance(judgement, Mapping) else lambda name: getattr(judgement, name, None)
    values = {f: get(f) for f in STAGE_FIELDS[stage]}
    missing = tuple(f for f, v in values.items() if v is not None and not v)
    if missing:
        return False, missing
    if all(v for v in values.values()):
        return True, ()
    return None, ()


@dataclass(frozen=True)
class Disagreement:
    """One stage of one service where the card and the evaluator's judgement disagree."""

    service_id: str
    stage: str  # request | delivery | copies
    channels: str  # the card's codes for the stage; at «copies» the card's words asking for a copy
    card_electronic: bool  # at «copies»: the card asks for a copy
    missing: tuple[str, ...] = ()  # judgement fields found missing (card electronic, evaluator not)

    @property
    def judged(self) -> bool:
        """What the evaluator judged (the opposite of what the card says)."""
        return not self.card_electronic

    def card_text(self) -> str:
        """What the card says, as a person reads it."""
        return channel_list(self.channels) if self.stage in CHANNEL_STAGES else f"«{self.channels}»"

    def describe(self) -> str:
        if self.stage == "copies":
            return (f"شناسنامه در مدارک لازم «{self.channels}» را می‌خواهد؛ ارزیاب خدمت را بدون دریافت کپی "
                    "مدارک هویتی یافته است")
        stage = ACCESS_STAGE_TITLES[self.stage]
        channels = channel_list(self.channels)
        if self.card_electronic:  # the channels that make it electronic
            channels = channel_list(" ".join(c for c in self.channels.split() if c in REMOTE_CHANNELS))
            missing = "، ".join(f"«{_HEADERS.get(f, f)}»" for f in self.missing)
            why = f" ({missing} یافت نشد)" if missing and self.stage == "request" else ""
            return (f"شناسنامه مرحلهٔ {stage} را الکترونیکی می‌داند (از راه {channels})؛ "
                    f"ارزیاب آن را الکترونیکی نیافته است{why}")
        return (f"شناسنامه برای مرحلهٔ {stage} فقط {channels} را نام می‌برد (غیرحضوری نیست)؛ "
                "ارزیاب آن را الکترونیکی یافته است")


def disagreement(service_id: str, stage: str, channels: str, judgement) -> Disagreement | None:
    """The disagreement of one planned service at ``stage`` (``request`` or ``delivery``: ``channels`` are the
    card's codes; ``copies``: the card's required documents), or ``None``."""
    if stage == "copies":
        named = copy_named(channels or "")
        get = judgement.get if isinstance(judgement, Mapping) else lambda name: getattr(judgement, name, None)
        if named and get(STAGE_FIELDS["copies"][0]):
            return Disagreement(service_id, stage, named, True)
        return None
    card = card_says_electronic(channels or "")
    if card is None:
        return None
    judged, missing = judged_electronic(judgement, stage)
    if judged is None or judged == card:
        return None
    return Disagreement(service_id, stage, channels, card, missing)


@dataclass(frozen=True)
class DisagreementRow:
    """One disagreement of a round, for the supervisor's list."""

    agency_code: str
    agency_name: str
    evaluator: str
    status: str
    title: str
    found: Disagreement


def round_disagreements(session: Session, rnd: Round) -> list[DisagreementRow]:
    """Every disagreement of a round between the cards and the judgements, by agency and service.

    One query: the planned services of the two stages whose card gives channels, with their judgement.
    """
    fields = sorted({f for stage in CARD_JUDGED_STAGES for f in STAGE_FIELDS[stage]})
    copies = getattr(ServiceJudgement, STAGE_FIELDS["copies"][0])
    query = (
        select(Agency.code, Agency.name, Assessment.evaluator, Assessment.status, Service.service_id, Service.title,
               Service.in_request_plan, Service.in_delivery_plan, Service.request_channels, Service.delivery_channels,
               Service.documents, *(getattr(ServiceJudgement, f) for f in fields))
        .join(Assessment, and_(Assessment.round_uuid == Service.round_uuid, Assessment.agency_uuid == Service.agency_uuid))
        .join(Agency, Agency.uuid == Service.agency_uuid)
        .join(ServiceJudgement, and_(ServiceJudgement.assessment_uuid == Assessment.uuid,
                                     ServiceJudgement.service_id == Service.service_id))
        .where(Service.round_uuid == rnd.uuid,
               or_(and_(Service.in_request_plan.is_(True), Service.request_channels != ""),
                   and_(Service.in_delivery_plan.is_(True), Service.delivery_channels != ""),
                   and_(copies.is_(True), Service.documents != "")))
        .order_by(Agency.code, Service.service_id)
    )
    out = []
    for code, name, evaluator, status, sid, title, in_request, in_delivery, request, delivery, documents, *values in (
        session.execute(query)
    ):
        judgement = dict(zip(fields, values))
        for stage, planned, channels in (("request", in_request, request), ("delivery", in_delivery, delivery),
                                         ("copies", True, documents)):
            found = disagreement(sid, stage, channels, judgement) if planned else None
            if found is not None:
                out.append(DisagreementRow(code, name, evaluator or "", status, title, found))
    return out

