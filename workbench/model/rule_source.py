"""Where a framework rule comes from: every rule in the framework file quotes the guide.

The not-applicable rules, the counter-office eligibility, the six steps of table 5
and the checklists each carry ``source`` (where in the guide it comes from:
required) and ``assumption`` (what the workbench assumes where the guide is
silent: text, may be empty, shown wherever the rule is published).
"""
from __future__ import annotations

from workbench.model.errors import FrameworkError


def source_and_assumption(raw: dict, name: str, key: str) -> tuple[str, str]:
    """The rule ``name`` of item ``key``: its source and its assumption, stripped; FrameworkError if missing."""
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise FrameworkError(f"«{name}» {key} نمی‌گوید از کجای راهنما آمده است (source)", key=key)
    assumption = raw.get("assumption", "")
    if not isinstance(assumption, str):
        raise FrameworkError(f"«assumption» در «{name}» {key} باید متن باشد", key=key)
    return source.strip(), assumption.strip()
