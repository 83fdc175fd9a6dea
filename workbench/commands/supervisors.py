"""``workbench supervisor add|list|remove URL …``: the supervisors of a store on PostgreSQL.

Each supervisor connects as a database role of their own whose comment is their
name in the workbench (``docs/postgres.md``).  ``add`` makes the role (or adopts
an existing one), names it and lets it read and write the store's tables, in one
transaction; ``remove`` takes that leave back and keeps the name for the audit
trail; ``list`` shows who is a supervisor.  Run by the server's administrator
(a role that may create roles), after ``workbench init``.
"""
from __future__ import annotations

import sys

from workbench.model.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("supervisor", help="سرپرستان پایگاه دادهٔ سرور PostgreSQL: افزودن، فهرست، برداشتن")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="add|list|remove")

    add = verbs.add_parser("add", help="ساختن نقش یک سرپرست با نام او و اجازهٔ خواندن و نوشتن")
    add.add_argument("url", help="نشانی پایگاه داده: postgresql+psycopg://…")
    add.add_argument("role", help="نام نقش (نام ورود به سرور)، مثلاً maryam")
    add.add_argument("--name", required=True, help="نام سرپرست در میز کار (در سابقهٔ تغییرها)، مثلاً «مریم احمدی»")
    add.add_argument("--password", action="store_true", help="پرسیدن گذرواژهٔ ورود این نقش")
    add.add_argument("--rename", action="store_true", help="گذاشتن این نام به جای نام پیشین نقش")
    add.set_defaults(run=run_add)

    listing = verbs.add_parser("list", help="فهرست سرپرستان (نقش‌های نام‌دار)")
    listing.add_argument("url", help="نشانی پایگاه داده: postgresql+psycopg://…")
    listing.set_defaults(run=run_list)

    remove = verbs.add_parser("remove", help="برداشتن اجازهٔ یک سرپرست (نامش در سابقه می‌ماند)")
    remove.add_argument("url", help="نشانی پایگاه داده: postgresql+psycopg://…")
    remove.add_argument("role", help="نام نقش")
    remove.set_defaults(run=run_remove)


def _password() -> str:
    import getpass

    first = getpass.getpass("گذرواژهٔ ورود: ")
    if not first:
        raise UserError("گذرواژه خالی است؛ چیزی نوشته نشد.")
    if getpass.getpass("دوباره: ") != first:
        raise UserError("دو گذرواژه یکی نیستند؛ چیزی نوشته نشد.")
    return first


def run_add(args) -> int:
    from workbench.model.backends.pg_roles import add_supervisor

    password = _password() if args.password else None
    sys.stdout.write(add_supervisor(args.url, args.role, args.name, password=password, rename=args.rename) + "\n")
    return 0


def run_list(args) -> int:
    from workbench.model.backends.pg_roles import supervisors

    found = supervisors(args.url)
    if not found:
        sys.stdout.write("هیچ نقشی نام سرپرست ندارد؛ با «workbench supervisor add» بیفزایید.\n")
        return 0
    for s in found:
        leave = "می‌خواند و می‌نویسد" if s.may_write else "اجازهٔ نوشتن ندارد"
        sys.stdout.write(f"{s.name}\t{s.role}\t{leave}\n")
    return 0


def run_remove(args) -> int:
    from workbench.model.backends.pg_roles import remove_supervisor

    sys.stdout.write(remove_supervisor(args.url, args.role) + "\n")
    return 0
