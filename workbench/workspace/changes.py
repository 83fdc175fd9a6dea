"""What a change touched (Anki's ``OpChanges``): pages re-read only what concerns them.

The assessment controller announces a :class:`Changes` after every edit, undo
and redo; a page looks at the kinds of rows it shows and skips the re-read
when none of them changed.  The score card and the header always follow
(every kind of row can move a score).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

#: Which kind of rows each kind of :class:`~workbench.model.editing.Edit` writes.
_KIND_OF_EDIT = {
    "answer": "answers",
    "judgement": "judgements",
    "reform_row": "reform",
    "reform_action": "reform",
    "assessment": "details",
    "evidence_add": "evidence",
    "evidence_remove": "evidence",
}


@dataclass(frozen=True)
class Changes:
    """The kinds of rows of one assessment that a change wrote."""

    assessment: str = ""  #: the assessment's uuid ("" = every assessment, e.g. after an import)
    answers: bool = False
    judgements: bool = False
    reform: bool = False
    evidence: bool = False
    details: bool = False  #: evaluator, visit date
    status: bool = False  #: draft / complete / final

    @classmethod
    def everything(cls, assessment: str = "") -> "Changes":
        return cls(assessment, **{f.name: True for f in fields(cls) if f.name != "assessment"})

    @classmethod
    def of_edits(cls, assessment: str, kinds: Iterable[str]) -> "Changes":
        """What the edits of these kinds (``Edit.kind``) wrote; an unknown kind counts as everything."""
        touched = set()
        for kind in kinds:
            name = _KIND_OF_EDIT.get(kind)
            if name is None:
                return cls.everything(assessment)
            touched.add(name)
        return cls(assessment, **{name: True for name in touched})
