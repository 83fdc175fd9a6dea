"""Evidence files stored in the background and added as one undo step when they are in.

Reading and hashing a large file takes about a second per 60 MB here, so the
evidence panel stores big files with a background task
(:mod:`workbench.ui.shared.background`) in a session of its own (SQLite in WAL
mode lets it write while the window reads), each file with its evidence row in
one transaction, so a crash or a refusal never leaves a stored file that no
row names.  The rows are recorded as one undo step on the GUI thread by a
:class:`Landing` that belongs to the assessment's controller, not to the panel: the evaluator may open another agency meanwhile (the panel is
then gone), and the files must still arrive where they were dropped.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from workbench.model.editing import Edit
from workbench.model.errors import UserError
from workbench.model.problems import describe
from workbench.model.schema import new_uuid
from workbench.model.text import persian_digits
from workbench.ui.shared.errors import log
from workbench.workspace.pages import store_file


def store_files(assessment_uuid: str, measure_key: str, paths: list[Path]):
    """The background work: read, hash and store each file with its evidence row (one transaction per file).

    Returns ((the edit that added each row, the edit that undoes it), Persian messages about the others).
    """

    def work(job) -> tuple[list, list]:
        done, problems = [], []
        for i, path in enumerate(paths):
            job.progress(i, path.name)
            try:
                done.append(store_file(job.session, assessment_uuid, measure_key, path))
            except UserError as exc:
                problems.append(exc.message)
            except Exception as exc:  # noqa: BLE001 - one file's failure never loses the others
                log.exception("storing %s failed", path)
                problems.append(f"فایل «{path.name}» ذخیره نشد. {describe(exc)}")
        return done, problems

    return work


def file_edits(controller, fields: list[dict]) -> list[Edit]:
    uuid = controller.assessment().uuid
    return [Edit("evidence_add", uuid, new_uuid(), f) for f in fields]


def files_text(fields: list[dict]) -> str:
    names = "، ".join(f["filename"] for f in fields)
    return f"افزودن فایل {names} به مستندات نماگر {persian_digits(fields[0]['measure_key'])}"


class Landing(QObject):
    """Adds the files a worker has stored as evidence, as one undo step, then says how it went.

    Parented to the controller, so it outlives the panel that started the worker.
    """

    #: files added, Persian messages about the ones that were not
    landed = Signal(int, list)
    #: files done, the name being read
    progressed = Signal(int, str)

    def __init__(self, controller, problems: list[str]):
        super().__init__(controller)
        self._controller = controller
        self._problems = problems

    def finished(self, result: tuple[list, list]) -> None:
        self.finish(*result)

    def failed(self, message: str, _unexpected: bool) -> None:
        self.finish([], [message])

    def finish(self, done: list, problems: list) -> None:
        if done:  # already stored with their rows: recorded as one undo step, not written again
            self._controller.record_applied([e for e, _ in done], [i for _, i in done],
                                            files_text([e.fields for e, _ in done]))
        self.landed.emit(len(done), self._problems + problems)
        self.deleteLater()


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
