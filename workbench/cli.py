"""The ``workbench`` command.

With no sub-command it opens the window; sub-commands do headless work and
never load Qt widgets.  Exit status: 0 success, 2 bad input (the reason on
stderr, in Persian), 1 an unexpected failure.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import traceback

from workbench import __version__
from workbench.model.errors import UserError

#: Sub-command modules under ``workbench.commands``; each has ``register(subparsers)``
#: which adds its parser with ``set_defaults(run=callable)``.
COMMANDS = (
    "demo", "score", "weights", "report", "template", "importing", "rounds", "stores",
    "assign", "receive", "export", "merge", "unmerge", "conflicts", "resolve",
    "backup", "supervisors",
)

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors are bad input too
        self.print_usage(sys.stderr)
        sys.stderr.write(f"خطا: ورودی نادرست — {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workbench", description="میز کار ارزیاب — Evaluator Workbench")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", help="پایگاه داده‌ای که پنجره با آن باز شود: فایل یا نشانی postgresql+psycopg://… (database to open)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"workbench.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is not None:
        from workbench.logfile import setup_logging

        setup_logging()  # the details of a refusal go to the log, never amid the Persian message
    try:
        if args.command is None:
            from workbench.ui.app import run_gui

            code = run_gui(args.db)
            # The window has closed, its database and settings with it: what is left is the
            # interpreter's exit, whose collections would walk every object once more (0.3 s of CPU
            # after a national round) to free memory the system takes back anyway.  Exit handlers
            # (the log's flush) still run; objects without cycles are still freed as before.
            gc.freeze()
            return code
        return int(args.run(args) or 0)
    except UserError as exc:
        sys.stderr.write(f"خطا: {exc.message}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader stopped reading (``workbench score --json | head``): not a
        # failure worth a traceback.  Output goes nowhere from here on, so that
        # the interpreter's own flush at exit does not raise it again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - the last line of defence: say so, exit 1
        from workbench.model.problems import storage_problem

        problem = storage_problem(exc, getattr(args, "db", None)) or _damage(exc, getattr(args, "db", None))
        if problem:  # a busy, full, read-only or damaged database: said plainly, not as a crash
            sys.stderr.write(f"خطا: {problem}\n")
            return EXIT_BAD_INPUT
        traceback.print_exc()
        sys.stderr.write("خطای پیش‌بینی‌نشده رخ داد؛ جزئیات بالا آمده است.\n")
        return EXIT_FAILURE


def _damage(exc: BaseException, path) -> str | None:
    """The damaged-file message when SQLite found damage past the quick check on opening."""
    from workbench.model.file_access import damaged
    from workbench.model.problems import KINDS, database_kind

    return damaged(path or "") if database_kind(exc) == KINDS[0] else None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
