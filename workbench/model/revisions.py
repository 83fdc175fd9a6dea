"""The schema's Alembic revisions, and the refusal of a database this workbench does not know."""
from __future__ import annotations

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


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    return [s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()]


def check_revision(backend, current: str | None, has_tables: bool) -> None:
    """Refuse a database of some other program and one made by a newer workbench."""
    if current is None and has_tables:
        raise StoreError(f"{backend.noun} پایگاه دادهٔ میز کار ارزیاب نیست (نسخهٔ طرح ندارد)")
    if current is not None and current not in known_revisions():
        raise StoreError(
            f"پایگاه دادهٔ «{path_text(backend.display)}» با نسخهٔ تازه‌تری از میز کار ارزیاب ساخته شده است "
            f"(طرح {current})؛ برای باز کردن آن برنامه را به‌روز کنید. {backend.unchanged}"
        )
