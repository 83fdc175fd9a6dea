"""What each process of the concurrency tests does (``test_store_concurrency.py``).

Run in processes of their own (multiprocessing, spawned), each with its own
connections, as two supervisors' workbenches would be.  A ``hold`` event lets
the test stop a process at a chosen point with its locks held, see the other
one wait, then let it go; nothing is timed.
"""
from __future__ import annotations

import traceback


def _pause_after(module, name: str, reached, go) -> None:
    """Make ``module.name`` tell ``reached`` once it has run, then wait for ``go``."""
    original = getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        reached.set()
        if go is not None:
            go.wait(120)
        return result

    setattr(module, name, paused)


def merge_packages(url: str, packages: list[str], by: str, results, reached=None, go=None, pause_at: str = "") -> None:
    """Merge ``packages`` into the store at ``url``; with ``pause_at`` wait there (locks held) for ``go``."""
    try:
        from workbench.exchange import merge as merging
        from workbench.exchange import writer
        from workbench.model.store import open_store

        if pause_at == "locked":
            _pause_after(merging, "_lock_agencies", reached, go)
        elif pause_at == "written":  # every record of the batch written, not yet committed
            _pause_after(writer.Sink, "write", reached, go)
        store = open_store(url, actor=by)
        try:
            with store.session() as s:
                result = merging.merge(s, packages, merged_by=by)
        finally:
            store.close()
        results.put(("ok", [p.status for p in result.packages]))
    except BaseException as exc:  # noqa: BLE001 - the test reads what happened
        results.put(("error", f"{type(exc).__name__}: {getattr(exc, 'message', exc)}\n{traceback.format_exc()}"))


def resolve_conflict(url: str, conflict_id: int, candidate: str, by: str, results, reached=None, go=None) -> None:
    """Resolve one conflict with ``candidate``; with ``reached``/``go``, hold the conflict until told."""
    try:
        from workbench.exchange import conflicts
        from workbench.model.store import open_store

        if reached is not None:
            _pause_after(conflicts, "_apply", reached, go)
        store = open_store(url, actor=by)
        try:
            with store.session() as s:
                view = conflicts.resolve(s, conflict_id, take=candidate, reason=f"تصمیم {by}")
        finally:
            store.close()
        results.put(("ok", view.resolved_by))
    except BaseException as exc:  # noqa: BLE001
        results.put(("error", getattr(exc, "message", str(exc))))
