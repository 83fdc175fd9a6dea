"""Supervisors of a consolidated store on PostgreSQL: a database role each, carrying their name.

A supervisor connects as a role of their own; the role's comment (``COMMENT ON
ROLE``) is their name in the workbench, the audit trail's actor for their own
changes (:meth:`PostgresBackend.actor`).  :func:`add_supervisor` makes that in
one transaction — the role (or an existing one adopted), its name, and leave to
read and write the round's tables, including tables later upgrades add — so the
administrator need not write the SQL by hand.  :func:`remove_supervisor` takes
the leave back and keeps the role and its name: the audit trail still names who
did what.  A SQLite file has no roles: the functions refuse it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from workbench.model.backends import backend_for, is_server_url
from workbench.model.errors import StoreError
from workbench.model.problems import path_text

#: A role name the workbench makes: a login name, lower-case Latin letters, digits and ``_``.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
#: The privileges a supervisor holds on the store's tables and sequences.
TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_RIGHTS = "USAGE, SELECT"


@dataclass(frozen=True)
class Supervisor:
    role: str
    name: str
    may_write: bool


def add_supervisor(target: str, role: str, name: str, *, password: str | None = None,
                   rename: bool = False) -> str:
    """Make ``role`` a supervisor of the store at ``target`` named ``name``; what was done, in Persian."""
    name = " ".join((name or "").split())
    if not name:
        raise StoreError("نام سرپرست خالی است؛ نامی را که در سابقهٔ تغییرها دیده شود بنویسید (مثلاً «مریم احمدی»).")
    _check_role_name(role)
    sql = _sql()
    with _connection(target) as (conn, backend):
        cur = conn.cursor()
        cur.execute("SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') = %s AND rolname <> %s",
                    (name, role))
        other = cur.fetchone()
        if other:
            raise StoreError(f"نام «{name}» از آنِ نقش «{other[0]}» است؛ دو سرپرست یک نام نمی‌گیرند. چیزی نوشته نشد.")
        cur.execute("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = %s", (role,))
        found = cur.fetchone()
        ident = sql.Identifier(role)
        if found is None:
            if password:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
            else:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
            done = f"نقش «{role}» ساخته شد"
        else:
            old = (found[0] or "").strip()
            if old and old != name and not rename:
                raise StoreError(
                    f"نقش «{role}» پیش‌تر به نام «{old}» است؛ برای گذاشتن نام «{name}» به جای آن «--rename» را بیفزایید. "
                    "چیزی نوشته نشد."
                )
            if password:
                cur.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)))
            done = f"نقش «{role}» که بود به کار گرفته شد"
        cur.execute(sql.SQL("COMMENT ON ROLE {} IS {}").format(ident, sql.Literal(name)))
        for statement in _grants(sql, ident, backend):
            cur.execute(statement)
    where = path_text(backend.display)
    return f"{done}، به نام «{name}»، و اجازهٔ خواندن و نوشتن پایگاه دادهٔ «{where}» را دارد."


def remove_supervisor(target: str, role: str) -> str:
    """Take back ``role``'s leave on the store; the role and its name stay for the audit trail."""
    _check_role_name(role)
    sql = _sql()
    with _connection(target) as (conn, backend):
        cur = conn.cursor()
        cur.execute("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = %s", (role,))
        found = cur.fetchone()
        if found is None:
            raise StoreError(f"نقشی به نام «{role}» روی سرور نیست. چیزی نوشته نشد.")
        ident = sql.Identifier(role)
        for statement in _revokes(sql, ident, backend):
            cur.execute(statement)
    name = (found[0] or "").strip() or role
    return (f"اجازهٔ «{name}» (نقش «{role}») برای پایگاه دادهٔ «{path_text(backend.display)}» برداشته شد؛ "
            "نامش در سابقهٔ تغییرها می‌ماند.")


def supervisors(target: str) -> list[Supervisor]:
    """The roles that carry a name, with whether each may write the store's assessments."""
    with _connection(target) as (conn, _backend):
        cur = conn.cursor()
        cur.execute(
            "SELECT rolname, shobj_description(oid, 'pg_authid'),"
            " rolsuper OR has_table_privilege(oid, 'assessments', 'INSERT')"
            " FROM pg_roles WHERE rolcanlogin AND coalesce(shobj_description(oid, 'pg_authid'), '') <> ''"
            " ORDER BY rolname"
        )
        return [Supervisor(role, name.strip(), bool(writes)) for role, name, writes in cur.fetchall()]


# ---- helpers
def _check_role_name(role: str) -> None:
    if not ROLE_NAME.fullmatch(role or ""):
        raise StoreError(
            f"نام نقش «{role}» پذیرفته نیست: نام نقش (نام ورود به سرور) با حروف کوچک لاتین، رقم و «_» نوشته شود "
            "و با رقم آغاز نشود (مثلاً maryam یا sup_reza). چیزی نوشته نشد."
        )


def _sql():
    from workbench.model.backends.postgres import _psycopg

    _psycopg()  # the driver's absence said in Persian
    from psycopg import sql

    return sql


class _connection:
    """One transaction on the store's server as the raw driver connection: all of it, or nothing."""

    def __init__(self, target: str):
        if not is_server_url(target):
            raise StoreError(
                f"«{path_text(target)}» یک فایل است و فایل پایگاه داده سرپرست ندارد: سرپرستان نقش‌های یک پایگاه "
                "دادهٔ PostgreSQL‌اند (نشانی postgresql+psycopg://…)."
            )
        self.backend = backend_for(target)
        self.backend.probe_revision()  # a store of the workbench, at a revision it knows
        if self.backend.is_new():
            self.backend.refuse_missing()

    def __enter__(self):
        self.engine = self.backend.engine()
        try:
            self.sa = self.engine.connect()
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(self.backend.storage_problem(exc, self.backend.display) or self.backend.damaged()) from exc
        self.tx = self.sa.begin()
        return self.sa.connection.driver_connection, self.backend

    def __exit__(self, kind, error, _tb):
        try:
            if kind is None:
                try:
                    self.tx.commit()
                except SQLAlchemyError as exc:
                    raise StoreError(self.backend.storage_problem(exc, self.backend.display)
                                     or self.backend.damaged()) from exc
            else:
                self.tx.rollback()
                said = self.backend.storage_problem(error, self.backend.display)
                if said:
                    raise StoreError(said) from error
        finally:
            self.sa.close()
            self.engine.dispose()
        return False


def _database(sql, backend):
    from sqlalchemy.engine import make_url

    return sql.Identifier(make_url(backend.target).database)


def _grants(sql, ident, backend) -> list:
    database = _database(sql, backend)
    return [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, ident),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
        sql.SQL(f"GRANT {TABLE_RIGHTS} ON ALL TABLES IN SCHEMA public TO {{}}").format(ident),
        sql.SQL(f"GRANT {SEQUENCE_RIGHTS} ON ALL SEQUENCES IN SCHEMA public TO {{}}").format(ident),
        # Tables and sequences a later upgrade makes (as the role running ``workbench init``).
        sql.SQL(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {TABLE_RIGHTS} ON TABLES TO {{}}").format(ident),
        sql.SQL(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {SEQUENCE_RIGHTS} ON SEQUENCES TO {{}}").format(ident),
    ]


def _revokes(sql, ident, backend) -> list:
    database = _database(sql, backend)
    return [
        sql.SQL(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE {TABLE_RIGHTS} ON TABLES FROM {{}}").format(ident),
        sql.SQL(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE {SEQUENCE_RIGHTS} ON SEQUENCES FROM {{}}").format(ident),
        sql.SQL(f"REVOKE {TABLE_RIGHTS} ON ALL TABLES IN SCHEMA public FROM {{}}").format(ident),
        sql.SQL(f"REVOKE {SEQUENCE_RIGHTS} ON ALL SEQUENCES IN SCHEMA public FROM {{}}").format(ident),
        sql.SQL("REVOKE CONNECT ON DATABASE {} FROM {}").format(database, ident),
    ]
