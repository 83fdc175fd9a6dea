"""``workbench supervisor add|list|remove`` on the tests' PostgreSQL server (roles are the server's)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from workbench.cli import main
from workbench.model.backends.pg_roles import add_supervisor, remove_supervisor, supervisors
from workbench.model.errors import StoreError
from workbench.model.store import open_store

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def roles(master, pg_server):
    """Fresh role names; after the test their grants in the test's database and the roles are dropped."""
    import psycopg

    made: list[str] = []

    def new() -> str:
        made.append(f"sup_{uuid.uuid4().hex[:8]}")
        return made[-1]

    yield new
    server, _reason = pg_server
    u = make_url(master)
    with psycopg.connect(dbname=u.database, user=u.username, host=u.query.get("host") or u.host,
                         autocommit=True) as conn:
        for role in made:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                conn.execute(f'DROP OWNED BY "{role}"')
                conn.execute(f'DROP ROLE "{role}"')


def as_role(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def test_an_added_supervisor_writes_under_their_name(master, roles, capsys):
    role = roles()
    assert main(["supervisor", "add", master, role, "--name", "مریم  احمدی"]) == 0
    said = capsys.readouterr().out
    assert f"نقش «{role}» ساخته شد" in said and "«مریم احمدی»" in said
    assert [(s.role, s.name, s.may_write) for s in supervisors(master) if s.role == role] == [(role, "مریم احمدی", True)]

    # The role connects, is named by its comment, and may write: a weight set as Maryam is hers in the audit trail.
    assert main(["weights", as_role(master, role), "--set", "1=20", "--reason", "آزمون"]) == 0
    store = open_store(master, actor="آزمون")
    try:
        with store.session() as s:
            actors = set(s.execute(text("SELECT actor FROM audit_log WHERE table_name = 'weight_overrides'")).scalars())
    finally:
        store.close()
    assert actors == {"مریم احمدی"}


def test_the_same_name_twice_and_a_rename_are_refused_unless_asked(master, roles):
    first, second = roles(), roles()
    add_supervisor(master, first, "رضا کریمی")
    with pytest.raises(StoreError, match=f"از آنِ نقش «{first}»"):
        add_supervisor(master, second, "رضا کریمی")
    assert not [s for s in supervisors(master) if s.role == second]  # nothing of it was made
    with pytest.raises(StoreError, match="--rename"):
        add_supervisor(master, first, "رضا کریمی‌نژاد")
    said = add_supervisor(master, first, "رضا کریمی‌نژاد", rename=True)
    assert "به کار گرفته شد" in said
    assert [s.name for s in supervisors(master) if s.role == first] == ["رضا کریمی‌نژاد"]


def test_a_removed_supervisor_keeps_the_name_and_loses_the_tables(master, roles, capsys):
    role = roles()
    add_supervisor(master, role, "سارا نوری")
    assert main(["supervisor", "remove", master, role]) == 0
    assert "سارا نوری" in capsys.readouterr().out
    assert [(s.name, s.may_write) for s in supervisors(master) if s.role == role] == [("سارا نوری", False)]
    assert main(["weights", as_role(master, role), "--set", "1=20"]) == 2
    assert "اجازه" in capsys.readouterr().err
    with pytest.raises(StoreError, match="نقشی به نام «sup_nobody» روی سرور نیست"):
        remove_supervisor(master, "sup_nobody")


@pytest.mark.parametrize("role, name, words", [
    ("Maryam", "مریم", "حروف کوچک لاتین"),
    ("1sup", "مریم", "حروف کوچک لاتین"),
    ('x"; DROP ROLE postgres; --', "مریم", "حروف کوچک لاتین"),
    ("maryam_ok", "   ", "نام سرپرست خالی است"),
])
def test_bad_names_are_refused_in_persian(db_target, role, name, words):
    with pytest.raises(StoreError, match=words):
        add_supervisor(db_target, role, name)


def test_a_sqlite_file_has_no_supervisors(tmp_path, capsys, backend):
    db = tmp_path / "one.sqlite"
    open_store(db).close()
    assert main(["supervisor", "list", str(db)]) == 2
    assert "فایل پایگاه داده سرپرست ندارد" in capsys.readouterr().err
