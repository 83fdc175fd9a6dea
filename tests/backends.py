"""The two kinds of store the tests run on: a SQLite file and a PostgreSQL database.

A test module marked ``pytestmark = pytest.mark.backends`` runs every test that
uses the ``store`` (or ``backend``/``db_target``) fixture twice: on SQLite and
on PostgreSQL.  The server is the one ``scripts/test.sh`` started
(``WORKBENCH_TEST_PG_URL``), else one started here for the session (a unix
socket in a temporary folder, stopped and removed at the end); where none can
be started the PostgreSQL runs are skipped, saying why.  Each test gets a
database of its own, dropped afterwards.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = "WORKBENCH_TEST_PG_URL"
TEMPLATE = "wb_template"


class PgServer:
    """A server the tests may create databases on; ``url`` names its ``postgres`` database."""

    def __init__(self, url: str, folder: str | None = None):
        self.url = url
        self.folder = folder
        self._template_ready = False
        self._templates: set[str] = set()

    def admin(self):
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(self.url)
        params = {"dbname": u.database or "postgres", "user": u.username, "password": u.password,
                  "host": u.query.get("host") or u.host, "port": u.port, "autocommit": True}
        return psycopg.connect(**{k: v for k, v in params.items() if v is not None})

    def url_of(self, name: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def new_database(self, template: bool = False) -> str:
        """A fresh database; with ``template`` it already has the workbench's schema."""
        if template and not self._template_ready:
            self._make_template()
        name = f"wb_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{TEMPLATE}"' if template else ""))
        return name

    def database_like(self, sqlite_file: Path, template: str) -> str:
        """A fresh database holding what ``sqlite_file`` holds (copied into ``template`` once a session)."""
        if template not in self._templates:
            from workbench.model.copying import copy_store

            with self.admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            copy_store(sqlite_file, self.url_of(template))
            self._templates.add(template)
        name = f"wb_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _make_template(self) -> None:
        from workbench.model.store import open_store

        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
        open_store(self.url_of(TEMPLATE)).close()
        self._template_ready = True

    def stop(self) -> None:
        if self.folder:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg_test_server.sh"), "stop", self.folder], check=False)
            subprocess.run(["rm", "-rf", os.path.dirname(self.folder)], check=False)


def start_server() -> tuple[PgServer | None, str]:
    """The tests' server, or ``None`` and the reason there is none."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg is not installed (pip install -e '.[postgres]')"
    if os.environ.get(ENV):
        return PgServer(os.environ[ENV]), ""
    parent = tempfile.mkdtemp(prefix="wbpg-")
    folder = os.path.join(parent, "srv")
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg_test_server.sh"), "start", folder],
        capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        subprocess.run(["rm", "-rf", parent], check=False)
        return None, "no PostgreSQL server could be started: " + (result.stderr.strip().splitlines() or ["?"])[-1]
    return PgServer(result.stdout.strip().splitlines()[-1], folder), ""
