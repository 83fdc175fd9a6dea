"""Where the details of a failure go: ``workbench.log`` in the data folder, never the person's screen.

The window and the commands tell the person in Persian what happened and what
to do; the exception, its English text and its traceback are written here for
whoever supports the evaluator.  No Qt.
"""
from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from workbench.paths import user_data_dir

log = logging.getLogger("workbench")

LOG_NAME = "workbench.log"


def log_path() -> Path:
    return user_data_dir() / LOG_NAME


def setup_logging() -> Path | None:
    """Errors (with tracebacks) and warnings go to :func:`log_path`; None if it cannot be written.

    Either way nothing of it reaches the terminal: without a handler Python
    would print warnings and their tracebacks on stderr, amid the Persian message.
    """
    path = log_path()
    for handler in [h for h in log.handlers if isinstance(h, RotatingFileHandler)]:
        if Path(handler.baseFilename) == path.absolute():
            return path
        log.removeHandler(handler)  # another data folder (a test's, a portable copy's) than before
        handler.close()
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())
    log.setLevel(logging.INFO)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        return None  # a read-only data folder: the messages are still shown
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    return path
