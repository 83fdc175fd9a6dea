"""Writing an output file so that a failure never leaves half of it.

Workbooks, templates and PDFs are written to a hidden file beside the target
and renamed over it only once complete: a full disk, a crash or a cancel
leaves the previous file as it was and no half file.  No Qt here: the import
package's template uses it too.
"""
from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

#: What every temporary file beside a target starts with.
PREFIX = ".~"


def write_replacing(path: str | Path, write: Callable[[str], None]) -> Path:
    """Call ``write(tmp)`` to fill a new file beside ``path``, then move it over ``path``.

    The new file has the permissions any new file of the user gets (its
    umask), like the files it replaces: ``tempfile.mkstemp`` would make it
    readable by its owner only, and reports are made to be passed on.
    ``OSError`` reaches the caller, which says in its own words what was not
    written; the temporary file is gone either way.
    """
    path = Path(path)
    tmp = path.with_name(f"{PREFIX}{path.stem}-{secrets.token_hex(4)}{path.suffix}")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        write(str(tmp))
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):  # already renamed, or never made
            os.unlink(tmp)
    return path
