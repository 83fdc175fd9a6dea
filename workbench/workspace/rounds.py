"""The rounds, as the window reaches them: list, open the next one, an agency's earlier rounds.

Qt-free, like the rest of the workspace.  Opening a round commits on success
and rolls back on any refusal, which comes back as one Persian message
(a framework the loader refuses: its file, the key and the reason).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model.errors import FrameworkError, UserError
from workbench.model.framework import Framework, load_framework
from workbench.model.rounds import OpenedRound, RoundInfo, list_rounds, open_round
from workbench.model.schema import Agency, Round
from workbench.model.scoring import ScoreCard
from workbench.reports.trend_data import AgencyTrend, RoundData, earlier_rounds, history


def framework_refusal(path: object, exc: FrameworkError) -> str:
    """«چارچوب «…» پذیرفته نشد — کلید «4.1»: …»: the file, the key at fault and the loader's reason."""
    where = f" — کلید «{exc.key}»" if exc.key else ""
    return f"چارچوب «{path}» پذیرفته نشد{where}: {exc.message}"


def load_round_framework(path: str | Path) -> Framework:
    try:
        return load_framework(path)
    except FrameworkError as exc:
        raise UserError(framework_refusal(path, exc)) from exc


def rounds(session: Session) -> list[RoundInfo]:
    return list_rounds(session)


def round_years(session: Session) -> list[int]:
    return list(session.scalars(select(Round.year).order_by(Round.year)))


def open_next_round(session: Session, year: int, framework_path: str | Path, from_year: int | None,
                    title: str = "") -> OpenedRound:
    """Open the round and commit; on any refusal nothing is written (UserError, in Persian)."""
    try:
        framework = load_round_framework(framework_path)
        opened = open_round(session, year, framework, from_year, title)
        session.commit()
    except FrameworkError as exc:
        session.rollback()
        raise UserError(framework_refusal(framework_path, exc)) from exc
    except BaseException:
        session.rollback()
        raise
    return opened


def has_earlier_rounds(session: Session, rnd: Round) -> bool:
    """Whether any round came before ``rnd`` (one indexed query)."""
    return session.scalar(select(Round.uuid).where(Round.year < rnd.year).limit(1)) is not None


def earlier_of(session: Session, round_uuid: str, agency_uuid: str, progress=None) -> list[RoundData]:
    """The rounds before this one that assessed the agency, read once when it is opened, on a worker's thread.

    The first time on a large database this scores every earlier round (tens of seconds at
    2,500 agencies; ``progress`` is :func:`score_round`'s and may raise to cancel), later only
    checks that they did not change.  What it returns is detached from ``session`` (the
    worker's, closed when the work ends) with everything it holds loaded.
    """
    rnd, agency = session.get(Round, round_uuid), session.get(Agency, agency_uuid)
    earlier = earlier_rounds(session, rnd, agency.code, progress)
    session.expunge_all()
    return earlier


def beside_earlier(earlier: list[RoundData], rnd: Round, framework: Framework, agency: Agency, card: ScoreCard,
                   status: str) -> AgencyTrend | None:
    """The assessment on screen after its earlier rounds; ``None`` when none assessed the agency."""
    return history(earlier, rnd, framework, agency, card, status)
