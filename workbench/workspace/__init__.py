"""The workspace (فضای کار): the one way the window and the commands reach a database, with no Qt.

* :mod:`.opening` — opening a database file as a :class:`~.opening.Workspace`
  (creating it, its first round, the integrity check, refusing a newer or
  damaged file), and the commands' unit of work on an existing file.
* :mod:`.agencies` — the agency list's rows and the round's totals.
* :mod:`.pages` — what each page of an assessment shows (services, tables 4
  and 5, evidence, answers).
* :mod:`.changes` — what an edit changed (:class:`~.changes.Changes`), so
  only the pages concerned re-read.

See ``docs/architecture.md``.
"""
