"""What the import says about a file: errors (refusals) and warnings, each with its place."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from workbench.model.errors import UserError


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth knowing) and where: ``sheet`` as named in the file, ``cell`` like ``A7``.

    ``cell`` is empty when the finding concerns a whole sheet or the whole file.
    """

    sheet: str
    cell: str
    message: str

    @property
    def place(self) -> str:
        """``خدمات!A7`` — the way Excel names a cell."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass
class Findings:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def error(self, sheet: str, cell: str, message: str) -> None:
        self.errors.append(Finding(sheet, cell, message))

    def warn(self, sheet: str, cell: str, message: str) -> None:
        self.warnings.append(Finding(sheet, cell, message))

    @property
    def ok(self) -> bool:
        return not self.errors

    def sort(self, sheet_order: list[str]) -> None:
        """Put findings in reading order: the whole file first, then sheet by sheet, row by row."""
        for items in (self.errors, self.warnings):
            items.sort(key=lambda f: _reading_order(f, sheet_order))


_CELL = re.compile(r"^([A-Z]*)(\d*)")


def _reading_order(finding: Finding, sheet_order: list[str]) -> tuple:
    if not finding.sheet:
        sheet = 0  # about the whole file
    elif finding.sheet in sheet_order:
        sheet = sheet_order.index(finding.sheet) + 1
    else:
        sheet = len(sheet_order) + 1  # a sheet the file lacks
    letters, digits = _CELL.match(finding.cell).groups()
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return (sheet, int(digits) if digits else 0, column)


class ImportRefused(UserError):
    """The file is refused: every error, each with its sheet and cell.  Nothing was written."""

    def __init__(self, errors: list[Finding], warnings: list[Finding] | None = None):
        count = len(errors)
        head = errors[0] if errors else Finding("", "", "")
        more = f" (و {count - 1} خطای دیگر)" if count > 1 else ""
        super().__init__(f"فایل پذیرفته نشد: {head}{more}")
        self.errors = list(errors)
        self.warnings = list(warnings or [])


class ImportCancelled(Exception):
    """The person stopped the check before it finished (raised by a progress callback)."""
