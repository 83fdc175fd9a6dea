"""The schema's Alembic revisions, and the refusal of a database this workbench does not know."""
from __future__ import annotations

import functools
import re
from pathlib import Path

from workbench.model.errors import StoreError
from workbench.model.problems import path_text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


_REVISION_LINE = re.compile(r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:['"]([^'"]*)['"]|None)""", re.M)


@functools.lru_cache(maxsize=1)
def revisions() -> dict[str, str | None]:
    """Revision -> the one it follows, read from the migration files' own lines.

    Opening a database asks only which revisions exist and which is the head: importing
    alembic for that (it brings every dialect of SQLAlchemy along) was a sixth of the
    window's start-up.  Alembic itself runs only when a database is upgraded; a test holds
    this reading to alembic's.
    """
    chain = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict((name, value or None) for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            chain[found["revision"]] = found.get("down_revision")
    return chain


def head_revision() -> str:
    chain = revisions()
    (head,) = set(chain) - set(chain.values())
    return head


def known_revisions() -> list[str]:
    return list(revisions())


def check_revision(backend, current: str | None, has_tables: bool) -> None:
    """Refuse a database of some other program and one made by a newer workbench."""
    if current is None and has_tables:
        raise StoreError(f"{backend.noun} پایگاه دادهٔ میز کار ارزیاب نیست (نسخهٔ طرح ندارد)")
    if current is not None and current not in known_revisions():
        raise StoreError(
            f"پایگاه دادهٔ «{path_text(backend.display)}» با نسخهٔ تازه‌تری از میز کار ارزیاب ساخته شده است "
            f"(طرح {current})؛ برای باز کردن آن برنامه را به‌روز کنید. {backend.unchanged}"
        )
