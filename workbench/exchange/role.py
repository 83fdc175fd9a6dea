"""Whether a database is a supervisor's, and its open conflicts, asked without the exchange's tables
(issue 16): the window asks at every start, and an evaluator's window needs nothing more of the
exchange, whose tables, merge and signatures cost a tenth of the start-up to import."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

#: The database's own note that the user made it a supervisor's (before any assignment).
ROLE_KEY, MASTER_ROLE = "role", "master"


def is_master(session: Session) -> bool:
    """A supervisor's database: it has handed out assignments or taken in packages (an evaluator's
    database keeps the assignments it received too, marked with when it received them), or the
    user made it one (:func:`workbench.exchange.desk.make_master`) to hand out its first assignments."""
    issued = session.scalar(text("SELECT count(*) FROM assignments WHERE received_at IS NULL"))
    return bool(issued or session.scalar(text("SELECT count(*) FROM exchange_packages"))
                or session.scalar(text("SELECT value FROM meta WHERE key = :k"), {"k": ROLE_KEY}) == MASTER_ROLE)


def open_count(session: Session) -> int:
    """How many conflicts of merges wait for the supervisor."""
    return session.scalar(text("SELECT count(*) FROM conflicts WHERE status = 'open'")) or 0
